"""The 政府信息公开 section in a real headless Chromium: axe-core, phone layout, the 目录 filter."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import yaml

from tests.browser.test_browser import dump, open_page, serious_violations_in_each_palette
from tests.conftest import SAMPLE_CONTENT

pytestmark = pytest.mark.browser

PAGES = [
    "xxgk/",
    "xxgk/guide/",
    "xxgk/rules/",
    "xxgk/statutory/",
    "xxgk/annual/",
    "xxgk/annual/2020/",
    "xxgk/catalogue/",
    "xxgk/apply/",
    "ARTICLE",
]
IDS = ["index", "guide", "rules", "statutory", "annual", "report", "catalogue", "apply", "article"]


def a_disclosed_article(page, server: str) -> str:
    open_page(page, server, "xxgk/catalogue/")
    href = page.get_attribute("#sb-xxgk tbody tr a", "href")
    return urljoin(urljoin(server, "xxgk/catalogue/"), href)[len(server) :]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_axe_has_no_serious_violations_in_the_section(context, server, axe_source, path, width):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    if path == "ARTICLE":
        path = a_disclosed_article(page, server)
    open_page(page, server, path)
    for palette, serious in serious_violations_in_each_palette(page, axe_source).items():
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


ROWS = "[data-sb-table] tbody tr"


def shown_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        ROWS,
        "rows => rows.filter(r => !r.hidden).map(r => ({...r.dataset, number: r.cells[0].textContent,"
        " title: r.cells[1].textContent}))",
    )


@pytest.mark.parametrize("name", ["topic", "genre", "publisher", "year"])
def test_the_catalogue_filters_by_each_of_its_fields_and_says_how_many(page, server, name):
    open_page(page, server, "xxgk/catalogue/")
    total = len(shown_rows(page))
    options = page.eval_on_selector_all(
        f"select[data-filter={name}] option", "os => os.map(o => [o.value, o.textContent]).filter(o => o[0])"
    )
    assert len(options) >= 2, f"the sample should offer a choice of {name}"
    seen = 0
    for value, label in options:
        page.select_option(f"select[data-filter={name}]", value)
        rows = shown_rows(page)
        assert rows and {r[name] for r in rows} == {value}, (name, value)
        assert label.endswith(f"（{len(rows)}）"), (label, len(rows))  # the count beside each choice is right
        status = page.text_content("[data-sb-table-status]")
        assert status == f"共 {total} 条信息，符合条件的有 {len(rows)} 条。", status
        seen += len(rows)
    assert seen == total


def test_the_catalogue_search_finds_an_item_by_its_index_number_and_by_its_name(page, server):
    open_page(page, server, "xxgk/catalogue/")
    target = shown_rows(page)[3]
    for query in (target["number"], target["title"][2:12]):
        page.fill("[data-search]", query)
        page.wait_for_function("document.querySelector('[data-sb-table-status]').textContent.includes('符合条件')")
        assert target["number"] in [r["number"] for r in shown_rows(page)], query
        assert len(shown_rows(page)) < 5
        page.fill("[data-search]", "")


def test_the_report_prints_without_the_menu_and_with_every_table_whole(page, server):
    """The print view: the report alone (no menu, header, tabs or downloads), tables not cut at the right."""
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    open_page(page, server, "xxgk/annual/2020/")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.sb-xxgk-menu', '.md-header', '.md-tabs', '.sb-downloads'].filter(s => {
            const el = document.querySelector(s);
            return el && getComputedStyle(el).display !== 'none';
        })"""
    )
    assert hidden == [], f"printed although they should not be: {hidden}"
    cut = page.evaluate(
        """() => Array.from(document.querySelectorAll('.sb-xxgk-scroll')).filter(box => box.scrollWidth > box.clientWidth + 1)
            .map(box => box.querySelector('table').id)"""
    )
    assert cut == [], f"tables cut off in print: {cut}"
    assert page.locator("#sb-t3 td").count() > 0
