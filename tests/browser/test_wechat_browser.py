"""The 公众号 staff page in a real headless Chromium: "复制到公众号" puts the fragment on the clipboard.

The clipboard is read back with the async clipboard API, so the test sees what a paste into
the WeChat editor would get: text/html equal to the fragment as a browser parses it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SB_SHOTS", "/tmp/shots"))
PHONE = {"width": 390, "height": 844}

READ_CLIPBOARD = """async () => {
    const out = {};
    for (const item of await navigator.clipboard.read())
        for (const type of item.types) out[type] = await (await item.getType(type)).text();
    return out;
}"""

# The fragment file as a browser parses it: the "rendered HTML" the clipboard must carry.
PARSED_FRAGMENT = """async (url) => {
    const template = document.createElement('template');
    template.innerHTML = (await (await fetch(url)).text()).trim();
    return template.innerHTML;
}"""


@pytest.fixture
def phone(browser, server):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(server))
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=False)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def an_article_with_a_photo(sample_site: Path) -> str:
    for path in sorted((sample_site / "wechat").glob("*.html")):
        if path.name != "index.html" and "<img" in path.read_text(encoding="utf-8"):
            return path.stem
    pytest.fail("no sample article has a photo")


def open_from_article(page, server: str, slug: str) -> None:
    """The way staff arrive: the article page's 公众号版本 link."""
    response = page.goto(urljoin(server, f"articles/{slug}/"), wait_until="load")
    assert response is not None and response.ok
    page.get_by_role("link", name="公众号版本").click()
    page.wait_for_url(f"**/wechat/?a={slug}")
    page.get_by_role("button", name="复制到公众号").wait_for(state="visible")


def copy_and_read(page, server: str, slug: str) -> tuple[dict, str]:
    open_from_article(page, server, slug)
    page.get_by_role("button", name="复制到公众号").click()
    page.wait_for_function("document.querySelector('[data-sb-wx-status]').textContent.length > 0")
    status = page.text_content("[data-sb-wx-status]")
    assert status.startswith("已复制"), status
    clipboard = page.evaluate(READ_CLIPBOARD)
    expected = page.evaluate(PARSED_FRAGMENT, urljoin(server, f"wechat/{slug}.html"))
    return clipboard, expected


def test_copy_button_puts_the_fragment_on_the_clipboard(phone, server, sample_site):
    slug = an_article_with_a_photo(sample_site)
    page = phone.new_page()
    clipboard, expected = copy_and_read(page, server, slug)
    assert clipboard["text/html"].strip() == expected
    assert "来源：" in clipboard["text/plain"] and f"articles/{slug}/" in clipboard["text/plain"]
    assert "<" not in clipboard["text/plain"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "wechat-staff-phone.png"), full_page=True)
    # the preview sits at phone width without a sideways scrollbar on the page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_copy_falls_back_to_the_copy_event_without_the_async_clipboard_api(phone, server, sample_site):
    slug = an_article_with_a_photo(sample_site)
    page = phone.new_page()
    page.add_init_script(
        """
        delete window.ClipboardItem;
        window.__copyCommands = 0;
        const original = document.execCommand.bind(document);
        document.execCommand = (name, ...rest) => { if (name === 'copy') window.__copyCommands++; return original(name, ...rest); };
        """
    )
    clipboard, expected = copy_and_read(page, server, slug)
    assert page.evaluate("window.__copyCommands") == 1
    assert clipboard["text/html"].strip() == expected
    assert "原文链接：" in clipboard["text/plain"]


def shown(page) -> dict[str, str]:
    rows = page.locator(".sb-wx-meta > div")
    return {rows.nth(i).locator("dt").inner_text(): rows.nth(i).locator("dd").inner_text() for i in range(rows.count())}


def test_staff_page_shows_the_metadata_warnings_and_download(phone, server, sample_site):
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((sample_site / "wechat").glob("*.json"))]
    # an article with warnings when the sample site has one, so the warning box is seen too
    meta = next((m for m in metas if m["warnings"]), metas[0])
    page = phone.new_page()
    open_from_article(page, server, meta["slug"])
    rows = shown(page)
    assert rows["标题"].startswith(meta["title"]) and f"（{len(meta['title'])} 字" in rows["标题"]
    assert rows["作者"] == meta["author"] and rows["原文链接"] == meta["url"]
    assert rows["摘要"] == f"{meta['summary']}（{len(meta['summary'])} 字，上限 120）"
    assert page.locator("h1").inner_text() == f"公众号版本：{meta['title']}"
    warnings = page.locator(".sb-wx-warnings li")
    assert warnings.all_inner_texts() == meta["warnings"]
    assert page.locator(".sb-wx-warnings").is_visible() == bool(meta["warnings"])
    download = page.get_by_role("link", name="下载 HTML 片段")
    assert download.get_attribute("download") == f"{meta['slug']}.html"
    fetched = page.evaluate("async (a) => (await fetch(a.href)).text()", download.element_handle())
    assert fetched == (sample_site / "wechat" / f"{meta['slug']}.html").read_text(encoding="utf-8")
    page.get_by_role("link", name="返回文章页面").click()
    page.wait_for_url(f"**/articles/{meta['slug']}/")


@pytest.mark.parametrize("query", ["", "?a=", "?a=no-such-article", "?a=..%2F..%2Fsitemap", "?a=%3Cimg%20src%3Dx%3E"])
def test_staff_page_without_a_valid_article_says_how_to_reach_it(phone, server, query):
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(urljoin(server, f"wechat/{query}"), wait_until="networkidle")
    assert response is not None and response.ok
    assert "点击文章末尾的“公众号版本”链接" in page.locator("[data-sb-wx-notice]").inner_text()
    assert not page.get_by_role("button", name="复制到公众号").is_visible()
    assert not page.locator("iframe").is_visible()
    problem = page.locator("[data-sb-wx-problem]")
    if query.removeprefix("?a=") == "":
        assert not problem.is_visible()
    else:
        assert problem.is_visible() and problem.inner_text().startswith(("没有找到", "地址中的"))
        assert page.locator("[data-sb-wx-problem] img").count() == 0  # the slug is shown as text
    assert errors == []
    if query == "?a=no-such-article":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "wechat-staff-unknown.png"), full_page=True)
