"""Chinese search that finds what is there, in a real headless Chromium.

A generated site of 300 articles is built with the real CLI. Every query word is drawn from
the generator's vocabulary and kept only if it occurs in the built article bodies; the truth
(which articles contain it) is read from the built HTML, so nothing here is hard-coded.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest

from benchmarks import generate
from benchmarks.search_quality import fragment_urls
from tests.browser.conftest import SCALE_ARTICLES

pytestmark = pytest.mark.browser

ARTICLES = SCALE_ARTICLES
MIN_WORDS = 50
MIN_RECALL = 0.99


# --- The built pages, as a reader's browser sees them ---


@dataclass
class Page:
    url: str  # from the site root, e.g. "articles/a2012-00000/"
    title: str = ""
    column: str = ""  # the 栏目 search filters by
    docno: str = ""  # the 文号 in the metadata block
    body: list[str] = field(default_factory=list)  # text inside the body wrapper

    @property
    def text(self) -> str:
        return "".join(self.body)


class _PageParser(HTMLParser):
    """Title, 栏目 filter, 文号 and body text of an article or library document page."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self, page: Page, body_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.body_class = page, body_class
        self.depth, self.body_depth = 0, None
        self.capture: str | None = None  # "h1" or "docno" while inside one

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.depth += 1
        attr = dict(attrs)
        search_filter = attr.get("data-pagefind-filter") or ""
        if search_filter.startswith("栏目:"):
            self.page.column = search_filter.split(":", 1)[1]
        if self.body_depth is None and self.body_class in (attr.get("class") or "").split():
            self.body_depth = self.depth
        if tag == "h1" and not self.page.title:
            self.capture = "h1"
        if attr.get("data-pagefind-meta") == "docno":
            self.capture = "docno"

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.body_depth == self.depth:
            self.body_depth = -1  # the body is over
        if (self.capture, tag) in {("h1", "h1"), ("docno", "span")}:
            self.capture = None
        self.depth -= 1

    def handle_data(self, data):
        if self.capture == "h1":
            self.page.title += data
        elif self.capture == "docno":
            self.page.docno += data
        if self.body_depth is not None and self.body_depth > 0:
            self.page.body.append(data)


def read_pages(site: Path, folder: str, body_class: str) -> list[Page]:
    pages = []
    for path in sorted((site / folder).glob("*/index.html")):
        page = Page(url=path.parent.relative_to(site).as_posix() + "/")
        _PageParser(page, body_class).feed(path.read_text(encoding="utf-8"))
        pages.append(page)
    return pages


def vocabulary() -> list[str]:
    """2–4 character words of the generator's vocabulary.

    Its terms are compounds of two-character words (深入推进 = 深入 + 推进, 行政复议体制改革 =
    行政 + 复议 + 体制 + 改革), so every even-length term gives its two-character words and the
    four-character words made of two neighbours. Odd-length terms and the place names
    (市司法局 = 市 + 司法局) do not split that way and are left out rather than cut wrongly.
    """
    words = set()
    for term in [*generate.VERBS, *generate.TAGS, *generate.CATEGORIES, *generate.SUBJECTS]:
        if len(term) % 2:
            continue
        pairs = [term[i : i + 2] for i in range(0, len(term), 2)]
        words.update(pairs)
        words.update(a + b for a, b in itertools.pairwise(pairs))
    return sorted(words)


# --- Fixtures: the generated site, served over HTTP ---


@pytest.fixture(scope="module")
def articles(scale_site: Path) -> list[Page]:
    pages = read_pages(scale_site, "articles", "sb-article__body")
    assert len(pages) == ARTICLES, f"expected {ARTICLES} article pages, found {len(pages)}"
    assert all(p.text and p.column for p in pages), "every article page has a body and a 栏目"
    return pages


# --- Talking to the site's own search, in the page ---

# Every page the search page finds (search.js's window.sbSearch: the page shows 20 at a time).
EVERYTHING = """async ([query, column]) => {
    const found = await window.sbSearch(query, column);
    return found.documents.concat(found.others);
}"""


@functools.cache
def page_urls(site: Path) -> dict[str, str]:
    """Pagefind's page ids and URLs, read once per site (the session's sites do not change)."""
    return fragment_urls(site)


def everything_found(page, site: Path, query: str, column: str = "") -> list[str]:
    """Every page the site's search finds for ``query``, as site-root paths like "articles/x/"."""
    urls = page_urls(site)
    return [urls[i] for i in page.evaluate(EVERYTHING, [query, column])]


def wait_for_search(page) -> str:
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-sb-search-status]').textContent;"
        " return s && s !== '正在搜索……'; }"
    )
    return page.text_content("[data-sb-search-status]")


def shown(page, server: str) -> list[dict]:
    return [
        {**r, "url": r["url"].removeprefix(server)}
        for r in page.eval_on_selector_all(
            "[data-sb-search-doc-results] > li, [data-sb-search-results] > li",  # a queried 文号's documents first
            """items => items.map(li => ({
                url: li.querySelector('a.sb-item__title').href,
                title: li.querySelector('a.sb-item__title').textContent,
                column: (li.querySelector('.sb-item__column') || {}).textContent || '',
            }))""",
        )
    ]


def search_page(page, server: str, query: str, column: str = "") -> list[dict]:
    """Search as a reader does: the search page with the query in its address."""
    address = f"search/?q={quote(query)}" + (f"&column={quote(column)}" if column else "")
    response = page.goto(urljoin(server, address), wait_until="load")
    assert response is not None and response.ok
    status = wait_for_search(page)
    assert status.startswith(("找到", "文号为")), f"searching {query!r}: {status}"
    return shown(page, server)


def typed_search(page, server: str, query: str) -> list[dict]:
    """Search as a reader does on the search page already open: type the query, press Enter (no reload)."""
    page.fill("form[data-sb-search] input[name=q]", query)
    page.press("form[data-sb-search] input[name=q]", "Enter")  # search.js shows 正在搜索…… at once
    status = wait_for_search(page)
    assert status.startswith(("找到", "文号为")), f"searching {query!r}: {status}"
    return shown(page, server)


def dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


# --- Recall ---


def test_vocabulary_words_are_found_in_at_least_99_percent_of_articles(page, scale_site, scale_server, articles):
    words = [w for w in vocabulary() if any(w in a.text for a in articles)]
    assert len(words) >= MIN_WORDS, f"only {len(words)} vocabulary words occur in the bodies: {words}"
    page.goto(urljoin(scale_server, "search/"), wait_until="load")

    recalls, misses = {}, {}
    for word in words:
        truth = {a.url for a in articles if word in a.text}
        found = set(everything_found(page, scale_site, word))
        recalls[word] = len(truth & found) / len(truth)
        if truth - found:
            misses[word] = {"articles": len(truth), "missed": sorted(truth - found)[:5]}
    frequencies = sorted(sum(w in a.text for a in articles) for w in words)
    mean = sum(recalls.values()) / len(recalls)
    report = (
        f"{len(words)} words, in {frequencies[0]}–{frequencies[-1]} of {len(articles)} articles; "
        f"mean recall {mean:.4f}\nwords not fully found:\n{dump(misses)}"
    )
    print(report)  # shown with pytest -s: the words, how often they occur, the mean recall
    assert mean >= MIN_RECALL, report
    assert min(recalls.values()) >= 0.9, report


def test_full_doc_number_finds_its_article_first(page, scale_server, articles):
    carrying = [a for a in articles if a.docno]
    assert carrying, "the generated articles carry no 文号"
    numbers = {}
    for article in carrying:
        numbers.setdefault(article.docno, []).append(article.url)
    # Every tenth 文号, in a stable order: enough to cover each 机关代字 and many years.
    for docno in sorted(numbers)[::10]:
        results = search_page(page, scale_server, docno)
        holders = set(numbers[docno])
        first = [r["url"] for r in results[: len(holders)]]
        assert set(first) == holders, f"{docno} should put {sorted(holders)} first:\n{dump(results[:5])}"


def test_column_filter_narrows_results_to_that_column(page, scale_site, scale_server, articles):
    word = "复议"
    columns = sorted({a.column for a in articles if word in a.text})
    assert len(columns) > 1, f"{word} should occur in several 栏目: {columns}"
    column = columns[0]
    page.goto(urljoin(scale_server, "search/"), wait_until="load")
    by_url = {a.url: a for a in articles}
    everything = everything_found(page, scale_site, word)
    narrowed = everything_found(page, scale_site, word, column)
    assert narrowed, f"no results for {word} in {column}"
    assert {by_url[u].column for u in narrowed} == {column}
    assert set(narrowed) == {u for u in everything if by_url[u].column == column}

    # The same through the search page's own 栏目 selector.
    results = search_page(page, scale_server, word, column)
    assert page.input_value("select[name=column]") == column
    assert {r["column"] for r in results} == {column}


def test_show_more_reaches_every_match(page, scale_server, articles):
    word = "复议"
    truth = {a.url for a in articles if word in a.text}
    assert len(truth) > 40, "the word should match more articles than two screens of results"
    results = search_page(page, scale_server, word)
    assert len(results) == 20, "the first screen shows 20 results"
    more = page.locator("[data-sb-search-more]")
    assert more.is_visible() and "显示更多" in more.text_content()

    clicks = 0
    while more.is_visible():
        before = len(shown(page, scale_server))
        more.click()
        page.wait_for_function("n => document.querySelectorAll('[data-sb-search-results] > li').length > n", arg=before)
        clicks += 1
        # Keyboard users carry on at the first result just added.
        assert page.evaluate("document.activeElement.closest('li')") is not None
        focused = page.evaluate("document.activeElement.href")
        assert focused == scale_server + shown(page, scale_server)[before]["url"]
        assert clicks < 100
    urls = [r["url"] for r in shown(page, scale_server)]
    assert len(urls) == len(set(urls)), "no result is shown twice"
    assert truth <= set(urls), f"not reachable with 显示更多: {sorted(truth - set(urls))[:5]}"
    total = int(re.search(r"找到 (\d+) 条", page.text_content("[data-sb-search-status]")).group(1))
    assert total == len(urls), "after the last 显示更多 every counted match is on the page"


# --- Cleanup library documents, on the repository's sample site ---


@pytest.fixture(scope="module")
def library(sample_site: Path) -> list[Page]:
    documents = read_pages(sample_site, "cleanups/library", "sb-document")
    assert documents, "the sample site has no library documents"
    return documents


def test_library_documents_are_indexed_under_their_own_column(library):
    columns = {d.column for d in library}
    assert len(columns) == 1 and "" not in columns, columns
    assert all(d.title and d.text for d in library)


def test_full_doc_number_finds_its_library_document(page, server, library, built_articles):
    articles_by_docno = {}
    for article in built_articles:
        if article.meta.get("文号"):
            articles_by_docno.setdefault(article.meta["文号"], []).append(article.url)
    numbered = [d for d in library if d.docno]
    assert len(numbered) > 20
    # Every 5th document, and every document whose 文号 an article also carries.
    chosen = {d.url: d for d in numbered[::5]} | {d.url: d for d in numbered if d.docno in articles_by_docno}
    page.goto(urljoin(server, "search/"), wait_until="load")
    for doc in chosen.values():  # one after another on the search page, as a reader looks several up
        results = [r["url"] for r in typed_search(page, server, doc.docno)]
        # The article publishing the document comes first, its library entry right after.
        publishing = set(articles_by_docno.get(doc.docno, []))
        assert set(results[: len(publishing)]) == publishing, f"{doc.docno}:\n{dump(results[:5])}"
        assert results[len(publishing)] == doc.url, f"{doc.docno}:\n{dump(results[:5])}"


def test_full_title_finds_its_library_document(page, server, sample_site, library):
    """The document is always among the results; titled exactly the query, it is nearly always first.

    Not always: for a title the browser's word segmentation splits unlike the index's (履约保证金,
    水污染), search.js can only fall back to Pagefind's order for the whole title.
    """
    titled = {}
    for doc in library:
        titled.setdefault(doc.title, []).append(doc.url)
    page.goto(urljoin(server, "search/"), wait_until="load")
    first, missing = 0, []
    sample = sorted(titled)[::3]
    for title in sample:
        if not set(titled[title]) <= set(everything_found(page, sample_site, title)):
            missing.append(title)
            continue
        results = typed_search(page, server, title)
        first += results[0]["title"] == title and results[0]["url"] in titled[title]
    assert not missing, f"titles that do not find their document:\n{dump(missing)}"
    assert first >= 0.95 * len(sample), f"only {first} of {len(sample)} titles find their document first"


def test_column_filter_narrows_to_library_documents(page, server, library):
    results = search_page(page, server, "管理", "规范性文件库")
    assert results and {r["column"] for r in results} == {"规范性文件库"}
    library_urls = {d.url for d in library}
    assert {r["url"] for r in results} <= library_urls
