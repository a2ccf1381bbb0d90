"""Chinese search finds what is there, every time, exact matches counted: measured as readers meet it.

Over 100 terms are drawn from the generated site's own text (benchmarks/search_quality.py, in
groups: 2-character words, 3–8-character terms and phrases, 市…局 department names, 文号 in
every bracket form, terms with digits or Latin letters; half rare, half common). The truth for
each is read from the built pages. Each term is searched on the search page in headless Chromium
on a fresh page (its address) and typed after another query on the same page.
"""

from __future__ import annotations

import json
import statistics

import pytest

from benchmarks import search_quality as quality

pytestmark = pytest.mark.browser

PER_GROUP = 20  # 100 terms
MIN_RECALL = 0.99
MIN_PRECISION = 0.95


@pytest.fixture(scope="module")
def measured(scale_site, scale_server, browser):
    pages = quality.read_pages(scale_site)
    terms = quality.draw_terms(pages, PER_GROUP)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(60_000)
    try:
        # The bytes per search are the benchmark's figure (benchmarks/search_quality.py), not checked here.
        rows = quality.measure(context.new_page(), scale_server, scale_site, pages, terms, count_bytes=False)
    finally:
        context.close()
    print(f"\n{len(pages)} pages, {len(rows)} terms\n{quality.summary(rows)}")  # pytest -s shows the figures
    return rows


def _group(rows, group):
    found = [r for r in rows if r["group"] == group]
    assert len(found) >= 10, f"only {len(found)} terms drawn for {group}"
    return found


def _show(rows) -> str:
    keys = ("term", "truth", "count", "after_count", "recall", "missed", "extra", "precision10")
    return json.dumps([{k: r[k] for k in keys} for r in rows], ensure_ascii=False, indent=1)


def test_over_100_terms_half_rare_half_common(measured):
    assert len(measured) >= 100
    for group in quality.GROUPS:
        rows = _group(measured, group)
        truths = sorted(r["truth"] for r in rows)
        assert truths[0] < truths[-1], f"{group}: rare and common terms alike ({truths})"


@pytest.mark.parametrize("group", quality.GROUPS)
def test_every_page_containing_the_term_is_found(measured, group):
    rows = _group(measured, group)
    mean = statistics.mean(r["recall"] for r in rows)
    assert mean >= MIN_RECALL, _show([r for r in rows if r["recall"] < 1])


# A 文号 is in one to three pages: precision@10 means nothing there (its heading is tested below).
@pytest.mark.parametrize("group", [g for g in quality.GROUPS if g != "文号"])
def test_exact_matches_fill_the_first_ten(measured, group):
    rows = [r for r in _group(measured, group) if r["truth"] >= 10]
    assert len(rows) >= 5, f"too few {group} terms are in 10 pages or more"
    mean = statistics.mean(r["precision10"] for r in rows)
    assert mean >= MIN_PRECISION, _show([r for r in rows if r["precision10"] < 1])


@pytest.mark.parametrize("group", quality.GROUPS)
def test_the_count_shown_is_the_number_of_pages_containing_the_term(measured, group):
    wrong = [r for r in _group(measured, group) if r["count"] != r["truth"]]
    assert not wrong, _show(wrong)


@pytest.mark.parametrize("group", quality.GROUPS)
def test_the_same_query_gives_the_same_results_after_another(measured, group):
    changed = [r for r in _group(measured, group) if not r["same_after_other"]]
    assert not changed, _show(changed)


def test_a_doc_number_shows_its_documents_first_under_their_own_heading(measured):
    rows = [r for r in _group(measured, "文号") if r["docno_truth"]]
    assert len(rows) >= 5, "too few drawn 文号 are a page's own number"
    wrong = [
        {"term": r["term"], "shown": r["documents"], "expected": r["docno_truth"]}
        for r in rows
        if sorted(r["documents"]) != r["docno_truth"]
    ]
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)
