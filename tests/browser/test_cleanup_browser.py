"""The cleanup table in a real headless Chromium: filter, search, sort, and 5,000 rows.

Expected counts come from the YAML data the site was built from, never typed here.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from urllib.parse import urljoin

import pytest

from site_builder.core.cleanups.load import load_batches
from tests.conftest import SAMPLE_CONTENT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def concentrated():
    batches, _ = load_batches(SAMPLE_CONTENT, "content")
    return max(batches, key=lambda b: len(b.records))


def visible_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "[data-sb-table] tbody tr",
        """rows => rows.filter(r => r.offsetParent !== null).map(r => ({
            result: r.cells[5].textContent.trim(), number: r.cells[2].textContent.trim(),
            date: r.cells[3].querySelector('time').getAttribute('datetime')}))""",
    )


def visible_texts(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        selector, "nodes => nodes.filter(n => n.offsetParent !== null).map(n => n.textContent.trim())"
    )


def test_filter_the_261_rows_to_fei_zhi(page, server, concentrated):
    page.goto(urljoin(server, concentrated.url), wait_until="load")
    assert len(visible_rows(page)) == len(concentrated.records)
    expected = Counter(r.result for r in concentrated.records)["废止"]
    assert expected > 0
    page.select_option("select[data-filter=result]", "废止")
    rows = visible_rows(page)
    assert len(rows) == expected
    assert {r["result"] for r in rows} == {"废止"}
    assert f"符合条件的有 {expected} 件" in page.text_content("[data-sb-table-status]")
    # The other outcomes' tables go away with their headings and their links at the top.
    present = [result for result, count in concentrated.counts().items() if count]
    heading = f"{'一二三四五'[present.index('废止')]}、废止的文件（{expected}件）"
    assert visible_texts(page, ".sb-annex h3") == [heading]
    assert visible_texts(page, ".sb-annex-nav a") == [heading]
    page.click("[data-sb-table-tools] button[type=reset]")
    page.wait_for_function(
        f"document.querySelectorAll('[data-sb-table] tbody tr:not([hidden])').length === {len(concentrated.records)}"
    )


def test_search_by_doc_number_as_people_type_it(page, server, concentrated):
    record = next(r for r in concentrated.records if r.doc_no != "无文号")
    typed = record.doc_no.replace("〔", "[").replace("〕", "]")
    page.goto(urljoin(server, concentrated.url), wait_until="load")
    page.fill("[data-search]", typed)
    page.wait_for_function("document.querySelector('[data-sb-table-status]').textContent.includes('符合条件')")
    rows = visible_rows(page)
    assert [r["number"] for r in rows] == [record.doc_no]


def test_sort_by_date_newest_first(page, server, concentrated):
    """Each outcome's table sorts on its own; the others keep the decision's order."""
    page.goto(urljoin(server, concentrated.url), wait_until="load")
    first = "section.sb-annex >> nth=0"
    page.click(f"{first} >> th:has-text('成文日期') button")
    page.click(f"{first} >> th:has-text('成文日期') button")
    assert page.get_attribute(f"{first} >> th:has-text('成文日期')", "aria-sort") == "descending"
    rows = visible_rows(page)
    result = rows[0]["result"]
    dates = [r["date"] for r in rows if r["result"] == result]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == f"{max(r.date for r in concentrated.records if r.result == result):%Y-%m-%d}"
    second = page.eval_on_selector_all(
        "section.sb-annex >> nth=1",
        "s => Array.from(s[0].querySelectorAll('tbody tr td:first-child'), td => +td.textContent)",
    )
    assert second == sorted(second) and len(second) > 1


def test_5000_rows_filter_and_sort(page, server, concentrated):
    """The page as a 5,000-row batch would be: same markup, rows repeated; filtering and sorting stay right."""
    url = urljoin(server, concentrated.url)

    times = -(-5000 // len(concentrated.records))

    def bigger(route):
        html = re.sub(
            r"<tbody>(.*?)</tbody>", lambda m: f"<tbody>{m[1] * times}</tbody>", route.fetch().text(), flags=re.S
        )
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    page.route(url, bigger)
    page.goto(url, wait_until="load")
    total = page.eval_on_selector_all("[data-sb-table] tbody tr", "rows => rows.length")
    assert total >= 5000
    start = time.monotonic()
    page.select_option("select[data-filter=result]", "废止")
    page.wait_for_function("document.querySelector('[data-sb-table-status]').textContent.includes('符合条件')")
    elapsed = time.monotonic() - start
    expected = Counter(r.result for r in concentrated.records)["废止"] * (total // len(concentrated.records))
    assert len(visible_rows(page)) == expected
    start = time.monotonic()
    page.click("section.sb-annex:not([hidden]) >> th:has-text('文件名称') button")
    page.wait_for_function("document.querySelector('th[aria-sort]') !== null")
    # Figures for the note, not assertions: this machine's speed varies too much for a time limit.
    print(f"\n{total} rows: filtered in {elapsed:.2f} s, sorted in {time.monotonic() - start:.2f} s")
