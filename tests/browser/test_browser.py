"""The built sample site in a real headless Chromium: 适老化 controls, Chinese search, keyboard, axe-core.

Everything about the content (which article has which 文号, which bodies mention 复议) is read from the built
HTML by the `built_articles` fixture, so the tests follow the sample content instead of hard-coding it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SB_SHOTS", "/tmp/shots"))


# --- helpers ---


def dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def open_page(page, server: str, path: str = ""):
    response = page.goto(urljoin(server, path), wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    return page


def font_px(page, selector: str) -> float:
    return page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)")


def pressed(page, selector: str) -> str | None:
    return page.get_attribute(selector, "aria-pressed")


def wait_for_search(page) -> str:
    """Wait until search.js has rendered an answer; return the status line."""
    page.wait_for_function(
        """() => {
            const s = document.querySelector('[data-sb-search-status]').textContent;
            return s && s !== '正在搜索……';
        }""",
        timeout=30_000,  # the first query loads Pagefind's WebAssembly: slow on a busy CI machine
    )
    return page.text_content("[data-sb-search-status]")


def search_results(page) -> list[dict]:
    """The rendered results as absolute URLs with their 栏目."""
    return page.eval_on_selector_all(
        "[data-sb-search-doc-results] > li, [data-sb-search-results] > li",  # a queried 文号's documents first
        """items => items.map(li => ({
            url: li.querySelector('a.sb-item__title').href,
            title: li.querySelector('a.sb-item__title').textContent,
            column: (li.querySelector('.sb-item__column') || {}).textContent || '',
        }))""",
    )


def search(page, server: str, query: str) -> list[dict]:
    open_page(page, server, f"search/?q={query}")
    status = wait_for_search(page)
    assert status.startswith(("找到", "文号为")), f"searching {query!r}: {status}"
    return search_results(page)


def all_results(page) -> list[dict]:
    """Every result of the current search: 显示更多 clicked until it is gone."""
    more = page.locator("[data-sb-search-more]")
    while more.is_visible():
        before = len(search_results(page))
        more.click()
        page.wait_for_function("n => document.querySelectorAll('[data-sb-search-results] > li').length > n", arg=before)
    return search_results(page)


def an_article(articles: list):
    """An article with a 文号, so the metadata block is on the page too."""
    with_doc_no = [a for a in articles if a.meta.get("文号")]
    assert with_doc_no, "no sample article carries a 文号"
    return with_doc_no[0]


def set_high_contrast(context) -> None:
    """Start every page of this context in high contrast, as a returning reader who chose it would."""
    context.add_init_script("try { localStorage.setItem('sb-contrast', 'high'); } catch (e) {}")


# --- 适老化: 字号 and 高对比度 ---


def test_font_size_grows_and_persists(page, server, built_articles):
    article = an_article(built_articles)
    body_text = ".sb-article__body p"

    open_page(page, server)
    assert pressed(page, "button[data-sb-font=medium]") == "true"
    open_page(page, server, article.url)
    medium = font_px(page, body_text)

    page.click("button[data-sb-font=large]")
    large = font_px(page, body_text)
    assert large > medium * 1.2, f"字号 大 should make body text clearly larger: {medium}px -> {large}px"
    assert pressed(page, "button[data-sb-font=large]") == "true"
    assert pressed(page, "button[data-sb-font=medium]") == "false"

    page.click("button[data-sb-font=small]")
    small = font_px(page, body_text)
    assert small < medium, f"字号 小 should be smaller than 中: {small}px vs {medium}px"
    page.click("button[data-sb-font=large]")

    # Another page: the choice is remembered and shown.
    open_page(page, server, "news/")
    assert page.evaluate("localStorage.getItem('sb-font')") == "large"
    assert page.get_attribute("html", "data-sb-font") == "large"
    states = {size: pressed(page, f"button[data-sb-font={size}]") for size in ("large", "medium", "small")}
    assert states == {"large": "true", "medium": "false", "small": "false"}
    open_page(page, server, article.url)
    assert font_px(page, body_text) == large


def test_high_contrast_toggles_and_persists(page, server, built_articles):
    article = an_article(built_articles)
    toggle = "button[data-sb-contrast]"
    background = "() => getComputedStyle(document.body).backgroundColor"
    text_colour = "sel => getComputedStyle(document.querySelector(sel)).color"

    open_page(page, server, article.url)
    assert pressed(page, toggle) == "false"
    normal_bg = page.evaluate(background)
    assert normal_bg == "rgb(255, 255, 255)"

    page.click(toggle)
    assert pressed(page, toggle) == "true"
    assert page.get_attribute("html", "data-sb-contrast") == "high"
    assert page.evaluate(background) == "rgb(0, 0, 0)"
    assert page.evaluate(text_colour, ".sb-article__body p") == "rgb(255, 255, 255)"

    open_page(page, server)
    assert page.evaluate("localStorage.getItem('sb-contrast')") == "high"
    assert pressed(page, toggle) == "true"
    assert page.evaluate(background) == "rgb(0, 0, 0)"

    page.click(toggle)  # and back
    assert pressed(page, toggle) == "false"
    open_page(page, server, "news/")
    assert page.evaluate("localStorage.getItem('sb-contrast')") == "normal"
    assert pressed(page, toggle) == "false"
    assert page.evaluate(background) == normal_bg


# --- Search ---


def test_search_finds_chinese_words_in_bodies(page, server, built_articles):
    expected = {urljoin(server, a.url) for a in built_articles if "复议" in a.body and "复议" not in a.title}
    assert expected, "the sample content should have an article mentioning 复议 only in its body"

    found = {r["url"] for r in search(page, server, "复议")}
    assert found & expected, f"no body-only match for 复议 among the results:\n{dump(sorted(found))}"
    assert "复议" in page.locator("[data-sb-search-results] mark").all_text_contents(), "excerpts highlight the word"


def summaries(page) -> list[str]:
    return page.locator("[data-sb-search-results] .sb-item__summary").all_text_contents()


def test_search_excerpts_keep_the_spaces_between_fields_and_words(page, server, built_articles):
    """The metadata under a title reads 发布日期 2021年11月5日 10:40 来源 …, not 发布日期2021年11月5日10:40来源."""
    search(page, server, "发布日期")
    shown = summaries(page)
    assert shown and all(re.match(r"发布日期 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 来源 ", s) for s in shown), shown
    article = next(a for a in built_articles if a.meta.get("作者"))
    search(page, server, article.meta["作者"])
    shown = next(s for s in summaries(page) if article.meta["作者"] in s)
    assert shown.startswith(f"{article.meta['作者']} "), shown  # the field ends, then the next begins
    assert "|" not in "".join(summaries(page))


def test_search_excerpts_show_the_query_in_the_text_not_the_title_again(page, server):
    """The title is the result's link: a query in both shows the sentence of the text that has it."""
    search(page, server, "行政复议")
    items = page.eval_on_selector_all(
        "[data-sb-search-results] > li",
        "items => items.map(li => [li.querySelector('a').textContent, li.querySelector('.sb-item__summary').textContent,"
        " (li.querySelector('.sb-item__summary mark') || {}).textContent])",
    )
    titled = [(title, summary, mark) for title, summary, mark in items if "行政复议" in title]
    assert titled, "no result has 行政复议 in its title"
    for title, summary, mark in titled:
        assert mark == "行政复议", (title, summary)
        assert not summary.startswith(title), (title, summary)


def test_a_library_documents_excerpt_shows_what_follows_its_title_not_the_title_again(page, server, sample_site):
    """A library document's text is its title, a notice if it is no longer in force, then its record
    (标题, 文号, 发文机关 …), which repeats the title. The title is the result's link already: a search
    for it shows the notice, or the record's next field, and the title only once, even where the notice
    is short and the record's copy of the title would fit in the excerpt. Cut short, the excerpt ends
    where a field ends, not on the next field's name ("…停止执行。 标题 ……")."""
    pages = sorted((sample_site / "cleanups" / "library").glob("*/index.html"))
    texts = {path: path.read_text(encoding="utf-8") for path in pages}

    def notice(html: str) -> str:  # the banner of a document no longer in force, as text
        found = re.search(r'<div class="sb-validity [^"]*" role="note">(.*?)</div>', html)
        return re.sub(r"<[^>]+>", "", found[1]) if found else ""

    lapsed = next((path for path, html in texts.items() if "本文件已失效" in html), None)
    ended = [path for path, html in texts.items() if notice(html).startswith("本文件已")]  # 失效, 废止 …
    in_force = next((path for path, html in texts.items() if "本文件已" not in html), None)
    assert lapsed and ended and in_force, "the sample library needs documents in force and no longer in force"
    shortest = min(ended, key=lambda path: len(notice(texts[path])))
    for path, starts in ((lapsed, "本文件已失效"), (shortest, "本文件已"), (in_force, "文号")):
        title = re.search(r"<h1[^>]*>([^<]+)</h1>", texts[path])[1].strip()
        url = path.parent.relative_to(sample_site).as_posix() + "/"
        search(page, server, title)
        items = page.eval_on_selector_all(
            "[data-sb-search-results] > li",
            "items => items.map(li => [li.querySelector('a').href, li.querySelector('.sb-item__summary').textContent])",
        )
        summary = next((text for href, text in items if href.endswith(url)), None)
        assert summary is not None, f"searching its title does not find {url}"
        # Not the title, nor the start of the record's copy of it ("标题 滨江市人民政府办公室关于做好……").
        assert summary.startswith(starts) and title not in summary and "标题 " not in summary, (url, summary)
        names = tuple(re.findall(r"<dt>([^<]+)</dt>", texts[path]))  # the record's field names
        assert names and not summary.removesuffix("……").rstrip().endswith(names), (url, summary)


def test_search_is_the_same_where_the_server_does_not_say_its_files_are_gzip(page, server, plain_server):
    """nginx (the shipped configuration) announces Pagefind's gzip files and the browser unpacks them; a
    plain host sends them as they are and Pagefind's JavaScript unpacks them. Readers get the same."""
    results = []
    for base in (server, plain_server):
        search(page, server=base, query="复议")
        results.append(
            (page.text_content("[data-sb-search-status]"), [r["url"][len(base) :] for r in all_results(page)])
        )
    assert results[0][1], "复议 finds nothing"
    assert results[0] == results[1]


def test_search_finds_full_doc_number(page, server, built_articles):
    """Every 文号 in the sample site, e.g. 滨政规〔2021〕6号, finds the article carrying it, ranked first."""
    carrying = [a for a in built_articles if a.meta.get("文号")]
    assert carrying, "no sample article carries a 文号"
    for article in carrying:
        doc_no = article.meta["文号"]
        urls = [r["url"] for r in search(page, server, doc_no)]
        assert urls and urls[0] == urljoin(server, article.url), (
            f"{doc_no} should find {article.url} first:\n{dump(urls)}"
        )


def test_search_column_filter_narrows_results(page, server):
    search(page, server, "复议")
    everything = all_results(page)
    columns = {r["column"] for r in everything}
    assert len(columns) > 1, f"复议 should match articles in several 栏目: {columns}"
    column = sorted(columns)[0]

    page.select_option("select[name=column]", column)
    page.click("form[data-sb-search] button[type=submit]")
    page.wait_for_url(lambda url: "column=" in url)
    wait_for_search(page)
    narrowed = all_results(page)
    assert narrowed, f"no results for 复议 in {column}"
    assert {r["column"] for r in narrowed} == {column}
    assert {r["url"] for r in narrowed} == {r["url"] for r in everything if r["column"] == column}

    # The filter is in the address, so the page can be bookmarked and reloaded.
    page.reload()
    wait_for_search(page)
    assert page.input_value("select[name=column]") == column
    assert {r["url"] for r in all_results(page)} == {r["url"] for r in narrowed}


def test_search_index_is_loaded_only_when_searching(page, server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, server)
    open_page(page, server, "search/")
    page.wait_for_timeout(300)
    assert not [u for u in requested if "/pagefind/" in u], dump(requested)

    page.fill("form[data-sb-search] input[name=q]", "复议")
    page.click("form[data-sb-search] button[type=submit]")
    wait_for_search(page)
    assert [u for u in requested if "/pagefind/" in u], "searching should load the Pagefind index"


# --- Privacy and robustness: nothing from other hosts, nothing broken ---


def test_pages_load_only_from_the_local_server(page, server, built_articles):
    host = urlsplit(server).netloc
    requests: list[str] = []
    failures: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failures.append(f"{request.url}: {request.failure}"))
    page.on(
        "response", lambda response: response.status >= 400 and failures.append(f"{response.url}: {response.status}")
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    for path in ("", "news/", an_article(built_articles).url):
        open_page(page, server, path)
        page.wait_for_load_state("networkidle")
    search(page, server, "复议")
    page.wait_for_load_state("networkidle")

    foreign = [u for u in requests if urlsplit(u).scheme not in {"data", "blob"} and urlsplit(u).netloc != host]
    assert not foreign, f"requests to other hosts:\n{dump(foreign)}"
    assert not failures, dump(failures)
    assert not errors, dump(errors)


# --- Keyboard ---


@pytest.mark.parametrize("path", ["", "news/", "search/"])
def test_first_tab_reaches_skip_link(page, server, path):
    open_page(page, server, path)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.classList.contains('sb-skip'), document.activeElement.textContent]"
    )
    assert focused == [True, "跳到正文"], f"first Tab focused {focused}"
    assert page.eval_on_selector(".sb-skip", "el => el.getBoundingClientRect().top >= 0"), "skip link not visible"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'sb-main'")
    # The next Tab continues inside the main content, not back at the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('sb-main').contains(document.activeElement)")


def visible_focus(page) -> dict:
    """Where the focused element is, and whether a sighted keyboard user can see it."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const r = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return {
                html: el.outerHTML.slice(0, 120),
                visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                    && r.left < innerWidth && r.top < innerHeight && style.visibility === 'visible',
            };
        }"""
    )


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_tab_never_focuses_something_invisible(page, server, built_articles, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, server, an_article(built_articles).url)
    for _ in range(40):
        page.keyboard.press("Tab")
        focus = visible_focus(page)
        assert focus["visible"], f"Tab focused an element out of sight at {width}px: {focus['html']}"


def test_phone_menu_works_with_keyboard(page, server):
    page.set_viewport_size({"width": 390, "height": 800})
    open_page(page, server, "news/")
    button = page.locator("button[data-sb-drawer]")
    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert page.is_checked("#__drawer")
    assert button.get_attribute("aria-expanded") == "true"
    nav_link = page.locator(".md-sidebar--primary .md-nav__link").first
    nav_link.wait_for(state="visible")
    page.keyboard.press("Escape")
    assert not page.is_checked("#__drawer")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.hasAttribute('data-sb-drawer')")


# --- axe-core ---


def run_axe(page, axe_source: str) -> list[dict]:
    if page.evaluate("typeof axe === 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({impact: n.impact, target: n.target, summary: n.failureSummary})),
            }));
        }"""
    )


def serious_violations_in_each_palette(page, axe_source: str) -> dict[str, list[dict]]:
    """axe's serious and critical findings on the open page in its normal colours, then after a reader's click on
    高对比度 (a11y.js sets the same attribute as a stored choice does before the page paints): one page load and
    one copy of axe for both palettes."""
    found = {}
    for palette in ("normal", "high"):
        if palette == "high":
            page.evaluate("document.querySelector('button[data-sb-contrast]').click()")
        assert page.get_attribute("html", "data-sb-contrast") == palette
        page.wait_for_timeout(400)  # let Material's colour transitions finish
        found[palette] = [v for v in run_axe(page, axe_source) if v["impact"] in {"serious", "critical"}]
    return found


AXE_PAGES = ["", "news/", "ARTICLE", "search/?q=复议", "cleanups/2021-jizhong-qingli/"]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", AXE_PAGES, ids=["home", "list", "article", "search", "cleanup"])
def test_axe_has_no_serious_violations(context, server, axe_source, built_articles, path, width):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    if path == "ARTICLE":
        path = an_article(built_articles).url
    open_page(page, server, path)
    if "?q=" in path:
        wait_for_search(page)
    for palette, serious in serious_violations_in_each_palette(page, axe_source).items():
        assert not serious, f"axe on /{path} ({palette}, {width}px):\n{dump(serious)}"


# --- Layout: screenshots for a human, overflow checks for the machine ---


@pytest.mark.parametrize("palette", ["normal", "high"])
@pytest.mark.parametrize("font", ["medium", "large"])
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_layout_does_not_overflow(browser, server, built_articles, palette, font, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    try:
        context.add_init_script(
            f"try {{ localStorage.setItem('sb-font', '{font}'); localStorage.setItem('sb-contrast', '{palette}'); }}"
            " catch (e) {}"
        )
        page = context.new_page()
        for name, path in (("home", ""), ("article", an_article(built_articles).url)):
            open_page(page, server, path)
            page.wait_for_timeout(300)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}-{palette}-{font}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"/{path} at {width}px, 字号 {font}, {palette}: {overflow}px horizontal scroll"
    finally:
        context.close()


def test_site_name_stays_in_header_when_scrolling(page, server, built_articles):
    open_page(page, server, an_article(built_articles).url)
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(400)
    assert page.evaluate("scrollY") > 0
    topic = page.locator(".md-header__topic").first
    assert topic.is_visible()
    assert topic.evaluate("el => getComputedStyle(el).opacity") == "1", "the site name faded out of the header"
