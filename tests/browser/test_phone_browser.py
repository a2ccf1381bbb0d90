"""Phones and 适老化 in a real headless Chromium, at 390 px and 1280 px, normal and 高对比度.

What is measured is what a reader notices: cards instead of a table squeezed to four characters a line,
text as large as the body text, 44×44 px tap targets, 当前位置, the active tab, whole titles.
Screenshots go to $SB_SHOTS (default /tmp/shots) for a person to look at.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from site_builder.core.cleanups.load import load_batches
from tests.browser.test_browser import (
    an_article,
    dump,
    open_page,
    serious_violations_in_each_palette,
    set_high_contrast,
)
from tests.browser.test_cleanup_browser import visible_rows
from tests.conftest import SAMPLE_CONTENT

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SB_SHOTS", "/tmp/shots"))
PHONE, DESKTOP = 390, 1280
WIDTHS = pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
PALETTES = pytest.mark.parametrize("palette", ["normal", "high"])


@pytest.fixture(scope="module")
def concentrated():
    batches, _ = load_batches(SAMPLE_CONTENT, "content")
    return max(batches, key=lambda b: len(b.records))


def open_at(context, server: str, path: str, width: int, palette: str = "normal"):
    if palette == "high":
        set_high_contrast(context)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, server, path)
    page.wait_for_timeout(300)  # Material's colour transitions
    return page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def body_px(page) -> float:
    """The size of the page's running text (a paragraph of .md-typeset)."""
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")


# --- Cleanup and library tables: one card per document on phones ---

CARD_PAGES = {
    "batch": ("CONCENTRATED", "文件名称", "清理结果"),
    "library": ("cleanups/library/", "文件名称", "有效性"),
    "xxgk catalogue": ("xxgk/catalogue/", "信息名称", "有效性"),  # the 政府信息公开 目录 reads the same way
}


@PALETTES
@WIDTHS
@pytest.mark.parametrize("kind", list(CARD_PAGES))
def test_each_document_reads_without_sideways_scrolling(context, server, concentrated, kind, width, palette):
    path, title_column, result_column = CARD_PAGES[kind]
    path = concentrated.url if path == "CONCENTRATED" else path
    page = open_at(context, server, path, width, palette)
    shot(page, f"{kind}-{palette}-{width}")
    page.locator("[data-sb-table] tbody tr").first.scroll_into_view_if_needed()
    shot(page, f"{kind}-rows-{palette}-{width}")
    assert overflow(page) <= 0, f"/{path} at {width}px scrolls sideways by {overflow(page)}px"
    cells = page.evaluate(
        """([titleColumn, resultColumn]) => {
            const table = document.querySelector('[data-sb-table] table');
            const heads = Array.from(table.tHead.rows[0].cells, th => th.textContent.trim());
            const t = heads.findIndex(h => h.startsWith(titleColumn)), r = heads.findIndex(h => h.startsWith(resultColumn));
            return Array.from(table.tBodies[0].rows).slice(0, 25).map(row => {
                const title = row.cells[t].getBoundingClientRect(), result = row.cells[r].getBoundingClientRect();
                return {
                    row: row.getBoundingClientRect().width, title: title.width, titleHeight: title.height,
                    resultLeft: result.left, resultRight: result.right, resultWidth: result.width,
                    titleText: row.cells[t].textContent.trim().length,
                    font: Math.min(...Array.from(row.cells, c => parseFloat(getComputedStyle(c).fontSize))),
                    display: getComputedStyle(row).display,
                };
            });
        }""",
        [title_column, result_column],
    )
    body = body_px(page)
    for cell in cells:
        assert cell["font"] >= body - 0.01, f"table text {cell['font']}px is smaller than body text {body}px"
        assert cell["resultWidth"] > 0 and cell["resultLeft"] >= 0 and cell["resultRight"] <= width, (
            f"{result_column} is off-screen at {width}px: {dump(cell)}"
        )
    if width == PHONE:
        assert {c["display"] for c in cells} != {"table-row"}, "phones get cards, not table rows"
        for cell in cells:
            # 文件名称 gets the card's whole width, not a column four characters wide
            assert cell["title"] >= 0.9 * cell["row"] - 30, dump(cell)
    else:
        assert {c["display"] for c in cells} == {"table-row"}, "wide screens keep the table"


def test_filter_search_and_sort_work_on_a_phone(context, server, concentrated):
    page = open_at(context, server, concentrated.url, PHONE)
    expected = Counter(r.result for r in concentrated.records)["废止"]
    page.select_option("select[data-filter=result]", "废止")
    rows = visible_rows(page)
    assert len(rows) == expected and {r["result"] for r in rows} == {"废止"}
    page.click("[data-sb-table-tools] button[type=reset]")
    page.wait_for_function(
        f"document.querySelectorAll('[data-sb-table] tbody tr:not([hidden])').length === {len(concentrated.records)}"
    )

    record = next(r for r in concentrated.records if r.doc_no != "无文号")
    page.fill("[data-search]", record.doc_no.replace("〔", "[").replace("〕", "]"))
    page.wait_for_function("document.querySelector('[data-sb-table-status]').textContent.includes('符合条件')")
    assert [r["number"] for r in visible_rows(page)] == [record.doc_no]
    page.fill("[data-search]", "")
    page.wait_for_function(
        f"document.querySelectorAll('[data-sb-table] tbody tr:not([hidden])').length === {len(concentrated.records)}"
    )

    # The sort buttons stay on screen above the cards, and sort them.
    first = "section.sb-annex >> nth=0"
    button = page.locator(f"{first} >> th:has-text('成文日期') button")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44 and box["x"] + box["width"] <= PHONE
    button.click()
    button.click()
    rows = visible_rows(page)
    dates = [r["date"] for r in rows if r["result"] == rows[0]["result"]]
    assert dates == sorted(dates, reverse=True)
    shot(page, "batch-sorted-phone")


# --- Text size ---


@WIDTHS
def test_chart_labels_are_body_size(context, server, concentrated, width):
    page = open_at(context, server, concentrated.url, width)
    page.locator(".sb-chart").scroll_into_view_if_needed()
    shot(page, f"chart-{width}")
    sizes = page.eval_on_selector_all(
        ".sb-chart .sb-chart__label, .sb-chart .sb-chart__value, .sb-chart text",
        "nodes => nodes.map(n => n.getBoundingClientRect().height && parseFloat(getComputedStyle(n).fontSize)"
        " * (n.ownerSVGElement ? n.ownerSVGElement.getScreenCTM().a : 1))",
    )
    assert sizes, "the chart has labels"
    body = body_px(page)
    assert min(sizes) >= body - 0.01, f"chart text {min(sizes):.1f}px against body text {body}px"
    texts = page.eval_on_selector_all(".sb-chart li", "items => items.map(li => li.textContent)")
    counts = {r: c for r, c in concentrated.counts().items() if c}
    assert len(texts) == len(counts)
    for text, (result, count) in zip(texts, counts.items(), strict=True):
        assert f"{count}件" in text and (result in text or result == "已废止")


@WIDTHS
def test_article_tables_are_body_size(context, server, width):
    page = open_at(context, server, "articles/fuyi-yingsu-shangbannian-2020/", width)
    font = page.eval_on_selector(".sb-article__body table td", "td => parseFloat(getComputedStyle(td).fontSize)")
    assert font >= body_px(page) - 0.01


# --- Tap targets (WCAG 2.5.5: 44×44 CSS px) ---

TARGET_PAGES = [
    "",
    "news/",
    "ARTICLE",
    "search/",
    "CONCENTRATED",
    "cleanups/library/",
    "cleanups/library/binzhengbanfa-2020-3/",
    "tags/",
    "archive/",
    "about/accessibility/",
    "feeds/",
    "wechat/?a=zonghe-xingzheng-zhifa-banfa",
]

SMALL_TARGETS = """() => {
    const small = [];
    const candidates = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary');
    for (const el of candidates) {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (!r.width || !r.height || style.visibility !== 'visible') continue;
        if (el.closest('[hidden], .md-dialog')) continue;
        if (el.matches('.md-toggle, .sb-skip')) continue;
        // links inside running text are exempt (WCAG 2.5.5 "Inline")
        if (el.closest('.sb-article__body p, .sb-article__body li, .sb-article__body td, .sb-list__intro, .sb-item__summary, .sb-validity, .sb-cleanup-table td:not(:first-child) a:not(:first-child), .md-typeset p > a, .md-typeset li > code')) continue;
        if (r.width < 44 || r.height < 44)
            small.push({html: el.outerHTML.slice(0, 100), width: Math.round(r.width), height: Math.round(r.height)});
    }
    return small;
}"""


@WIDTHS
@pytest.mark.parametrize("path", TARGET_PAGES)
def test_every_tap_target_is_44px(context, server, built_articles, concentrated, path, width):
    path = {"ARTICLE": an_article(built_articles).url, "CONCENTRATED": concentrated.url}.get(path, path)
    page = open_at(context, server, path, width)
    if path.startswith("wechat/"):
        page.wait_for_selector("[data-sb-wx-article]:not([href='#'])", state="attached")
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"/{path} at {width}px: targets under 44×44 px:\n{dump(small[:15])}"


def test_font_and_contrast_buttons_are_44px(context, server):
    page = open_at(context, server, "", PHONE)
    shot(page, "a11y-bar-phone")
    for selector in ["button[data-sb-font=large]", "button[data-sb-font=medium]", "button[data-sb-font=small]"]:
        box = page.locator(selector).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, f"{selector}: {box}"
    box = page.locator("button[data-sb-contrast]").bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44


# --- 当前位置 and the active tab ---


@PALETTES
@WIDTHS
def test_breadcrumb_and_active_tab_on_an_article(context, server, built_articles, width, palette):
    article = an_article(built_articles)
    page = open_at(context, server, article.url, width, palette)
    shot(page, f"article-top-{palette}-{width}")
    crumbs = page.locator("nav.sb-crumbs")
    assert crumbs.is_visible()
    assert page.inner_text("nav.sb-crumbs .sb-crumbs__label") == "当前位置："
    steps = page.eval_on_selector_all("nav.sb-crumbs li", "items => items.map(li => li.innerText.trim())")
    assert steps == ["首页", article.column, "正文"]
    separators = page.eval_on_selector_all(
        "nav.sb-crumbs li + li", "items => items.map(li => getComputedStyle(li, '::before').content)"
    )
    assert all("›" in sep for sep in separators), separators
    assert page.get_attribute("nav.sb-crumbs [aria-current]", "aria-current") == "page"
    box = crumbs.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    page.click(f"nav.sb-crumbs a:has-text('{article.column}')")
    page.wait_for_load_state("load")
    assert page.locator("h1").first.inner_text() == article.column
    if width == DESKTOP:
        active = page.locator(".md-tabs__link[aria-current]")
        assert active.count() == 1 and active.inner_text().strip() == article.column
        styles = page.eval_on_selector_all(
            ".md-tabs__link",
            """links => links.map(a => ({current: a.hasAttribute('aria-current'),
                weight: getComputedStyle(a).fontWeight, bar: getComputedStyle(a).borderBottomWidth,
                barColour: getComputedStyle(a).borderBottomColor}))""",
        )
        current = next(s for s in styles if s["current"])
        others = [s for s in styles if not s["current"]]
        assert int(current["weight"]) >= 700 and all(int(s["weight"]) < 700 for s in others)
        assert float(current["bar"].removesuffix("px")) >= 3
        assert all(s["barColour"] != current["barColour"] for s in others), "only the active tab has a bar"


def test_phone_menu_marks_the_articles_column(context, server, built_articles):
    article = an_article(built_articles)
    page = open_at(context, server, article.url, PHONE)
    page.click("button[data-sb-drawer]")
    current = page.locator(".md-sidebar--primary .md-nav__link[aria-current]")
    current.first.wait_for(state="visible")
    assert current.count() == 1 and current.inner_text().strip() == article.column
    assert current.get_attribute("aria-current") == "true"
    assert int(current.evaluate("a => getComputedStyle(a).fontWeight")) >= 700
    page.wait_for_timeout(300)
    shot(page, "drawer-phone")


# --- Truncated titles on the home page ---


def test_cut_off_home_titles_show_in_full_on_hover(context, server):
    page = open_at(context, server, "", DESKTOP)
    cut = page.eval_on_selector_all(
        ".sb-card__list a", "links => links.map((a, i) => a.scrollWidth > a.clientWidth ? i : -1).filter(i => i >= 0)"
    )
    assert cut, "the sample home page cuts at least one long title at 1280px"
    link = page.locator(".sb-card__list a").nth(cut[0])
    assert link.get_attribute("title") == link.text_content()
    link.hover()
    page.wait_for_timeout(100)
    assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), "hovering shows the whole title"
    shot(page, "home-hover-desktop")


def test_phones_show_whole_home_titles(context, server):
    page = open_at(context, server, "", PHONE)
    cut = page.eval_on_selector_all(
        ".sb-card__list a", "links => links.filter(a => a.scrollWidth > a.clientWidth).map(a => a.textContent)"
    )
    assert not cut, f"titles cut short on a phone: {cut}"
    shot(page, "home-phone")


# --- axe on the pages this file changed, both palettes and widths ---


@WIDTHS
@pytest.mark.parametrize("path", ["cleanups/library/", "DOCUMENT", "archive/2021/"])
def test_axe_on_library_document_and_archive(context, server, axe_source, path, width):
    if path == "DOCUMENT":
        path = "cleanups/library/binzhengbanfa-2020-3/"
    page = open_at(context, server, path, width)
    for palette, serious in serious_violations_in_each_palette(page, axe_source).items():
        assert not serious, f"axe on /{path} ({palette}, {width}px):\n{dump(serious)}"
