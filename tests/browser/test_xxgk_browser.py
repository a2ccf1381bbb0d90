"""The 政府信息公开 section in a real headless Chromium: axe-core, phone layout, the 目录 filter."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import yaml

from tests.browser.test_browser import dump, open_page, run_axe, set_high_contrast
from tests.conftest import SAMPLE_CONTENT

pytestmark = pytest.mark.browser

PAGES = ["xxgk/", "xxgk/guide/", "xxgk/annual/2020/", "xxgk/catalogue/", "xxgk/apply/", "ARTICLE"]


def a_disclosed_article(page, server: str) -> str:
    open_page(page, server, "xxgk/catalogue/")
    href = page.get_attribute("#sb-xxgk tbody tr a", "href")
    return urljoin(urljoin(server, "xxgk/catalogue/"), href)[len(server) :]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("palette", ["normal", "high"])
@pytest.mark.parametrize("path", PAGES, ids=["index", "guide", "report", "catalogue", "apply", "article"])
def test_axe_has_no_serious_violations_in_the_section(context, server, axe_source, path, palette, width):
    if palette == "high":
        set_high_contrast(context)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    if path == "ARTICLE":
        path = a_disclosed_article(page, server)
    open_page(page, server, path)
    page.wait_for_timeout(400)
    serious = [v for v in run_axe(page, axe_source) if v["impact"] in {"serious", "critical"}]
    assert not serious, f"axe on /{path} ({palette}, {width}px):\n{dump(serious)}"
    # the page itself never scrolls sideways; the report's wide tables scroll inside their own box
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"/{path} at {width}px: {overflow}px horizontal scroll"


def test_the_catalogue_filters_by_topic(page, server):
    topics = yaml.safe_load((SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))["xxgk"]["categories"]
    open_page(page, server, "xxgk/catalogue/")
    rows = "[data-sb-table] tbody tr"
    total = page.eval_on_selector_all(rows, "r => r.length")
    counts = {}
    for topic in topics:
        if not page.query_selector(f"select[data-filter=topic] option[value='{topic}']"):
            continue
        page.select_option("select[data-filter=topic]", topic)
        shown = page.eval_on_selector_all(rows, "r => r.filter(x => x.offsetParent !== null).map(x => x.dataset.topic)")
        assert shown and set(shown) == {topic}
        counts[topic] = len(shown)
    assert sum(counts.values()) == total
