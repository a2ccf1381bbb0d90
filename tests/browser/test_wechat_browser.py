"""The 公众号 staff page in a real headless Chromium: "复制到公众号" puts the fragment on the clipboard.

The clipboard is read back with the async clipboard API, so the test sees what a paste into
the WeChat editor would get: text/html equal to the fragment as a browser parses it.
"""

from __future__ import annotations

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
        if "<img" in path.read_text(encoding="utf-8"):
            return path.stem
    pytest.fail("no sample article has a photo")


def copy_and_read(page, server: str, slug: str) -> tuple[dict, str]:
    response = page.goto(urljoin(server, f"wechat/{slug}/"), wait_until="load")
    assert response is not None and response.ok
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
