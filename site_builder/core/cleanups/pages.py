"""The cleanup pages and downloads, as plain data for site_builder.core.pages.plan()."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from site_builder.core.cleanups import downloads, fragments
from site_builder.core.cleanups.library import LIBRARY_URL, Document, build_library, doc_key
from site_builder.core.cleanups.model import Batch
from site_builder.core.memo import cached
from site_builder.core.model import Site

INDEX_URL = "cleanups/"


@dataclass
class CleanupPlan:
    pages: list  # site_builder.core.pages.Page
    files: dict[str, bytes] = field(default_factory=dict)  # generated downloads, by site path
    library: list[Document] = field(default_factory=list)


def download_paths(batch: Batch) -> tuple[str, str]:
    return f"{batch.url}{batch.slug}.csv", f"{batch.url}{batch.slug}.xlsx"


def download_name(batch: Batch, suffix: str) -> str:
    """ "2021年规范性文件集中清理" -> "2021年规范性文件集中清理目录.csv" (not "…清理清理目录")."""
    title = batch.title.strip()
    if title.endswith("目录"):
        return f"{title}.{suffix}"
    return f"{title}目录.{suffix}" if title.endswith("清理") else f"{title}清理目录.{suffix}"


def plan_cleanups(site: Site, make_page, article_urls: dict[str, str]) -> CleanupPlan:
    """Index, one page per batch, the library and one page per document.

    ``make_page(url, title, html, in_nav, modified)`` builds the site's Page (kept in
    site_builder.core.pages so every page gets the same <title> and metadata);
    ``article_urls`` maps published article slugs to their URLs.

    What the pages say is made again only when a batch, the day or a decision's article changed:
    ``site-builder serve`` plans every page on each edit, and thousands of documents took seconds.
    """
    batches = sorted(site.cleanups, key=Batch.sort_key)
    # the pages read article_urls only for the decisions' articles
    decisions = {
        b.decision.article: article_urls[b.decision.article] for b in batches if b.decision.article in article_urls
    }
    made = cached("cleanup-pages", INDEX_URL, _made, tuple(batches), site.now.date(), decisions)
    result = CleanupPlan(pages=[], files=dict(made.files), library=list(made.library))
    result.pages = [make_page(*page) for page in made.pages]
    return result


@dataclass
class _Made:
    pages: list[tuple]  # make_page's arguments
    files: dict[str, bytes]
    library: list[Document]


def _made(batches: tuple[Batch, ...], today: dt.date, article_urls: dict[str, str]) -> _Made:
    library = build_library(list(batches), today)
    doc_urls = {doc_key(step.record): doc.url for doc in library for step in doc.history}
    result = _Made(pages=[], files={}, library=library)
    # sitemap lastmod: a batch changes with its decision, a document with its latest cleanup (or
    # the day it lapsed), the index and the library with the newest of those
    changed = {doc.url: _changed(doc) for doc in library}
    newest = max([*changed.values(), *(b.date for b in batches)], default=None)
    result.pages.append(
        (INDEX_URL, "规范性文件清理结果", fragments.index_page(INDEX_URL, list(batches), library), True, newest)
    )
    for batch in batches:
        base = batch.url
        csv_path, xlsx_path = download_paths(batch)
        # made again only for a batch that changed
        result.files[csv_path] = cached("cleanup-csv", csv_path, downloads.to_csv, batch)
        result.files[xlsx_path] = cached("cleanup-xlsx", xlsx_path, downloads.to_xlsx, batch)
        links = [
            ("CSV 文件（可用 Excel、WPS 打开）", csv_path, download_name(batch, "csv"), len(result.files[csv_path])),
            ("Excel 工作簿", xlsx_path, download_name(batch, "xlsx"), len(result.files[xlsx_path])),
        ]
        html = (
            f"<h1>{fragments.escape(batch.title)}</h1>"
            + fragments.decision_meta(base, batch, article_urls.get(batch.decision.article))
            + f'<p class="sb-cleanup-summary">{fragments.escape(fragments.summary(batch))}</p>'
            + fragments.chart(batch, "sb-chart")
            + (fragments.downloads(base, links) if batch.records else "")
            + "<h2>清理目录</h2>"
            + fragments.batch_table(base, batch, doc_urls, "sb-records")
        )
        result.pages.append((base, batch.title, html, False, batch.date))
    result.pages.append(
        (
            LIBRARY_URL,
            "规范性文件库",
            "<h1>规范性文件库</h1>"
            '<p class="sb-list__intro">历次规范性文件清理涉及的全部文件。有效性以最近一次清理结果为准，需修改的文件逾期未重新发布即失效；点击文件名称查看历次清理记录。</p>'
            + fragments.library_table(LIBRARY_URL, library),
            False,
            newest,
        )
    )
    for doc in library:
        result.pages.append(
            (doc.url, doc.title, fragments.document_page(doc.url, doc, article_urls), False, changed[doc.url])
        )
    return result


def _changed(doc: Document) -> dt.date:
    """The last day the document's page changed: its latest cleanup's decision, or the day it lapsed."""
    return max(doc.latest_step.batch.date, doc.lapsed_on or doc.latest_step.batch.date)
