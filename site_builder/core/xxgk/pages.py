"""The 政府信息公开 section's pages and downloads, as plain data for site_builder.core.pages.plan().

Every page of the section carries the same left-hand menu of its parts; each
disclosed item (an article of a 栏目 the section names) gets an 索引号 and a
metadata table on its own page; the 信息公开目录 lists them all in one table.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from html import escape, unescape

import markdown

from site_builder.core import sanitize
from site_builder.core.cleanups.downloads import csv_cell, sheet_xlsx  # formula-safe, as the cleanup downloads
from site_builder.core.cleanups.fragments import (
    _container,
    _head,
    _options,
    _scroll_table,
    downloads,
    tools,
    year_options,
)
from site_builder.core.cleanups.library import Document, by_number
from site_builder.core.fragments import rel
from site_builder.core.memo import cached
from site_builder.core.model import Article, Site
from site_builder.core.xxgk import index_numbers
from site_builder.core.xxgk.docx_report import to_docx
from site_builder.core.xxgk.load import PAGE_PARTS, SECTION_DIR, Section
from site_builder.core.xxgk.render import report_body, report_title

INDEX_URL = f"{SECTION_DIR}/"
CATALOGUE_COLUMNS = (
    "索引号",
    "信息名称",
    "主题分类",
    "体裁分类",
    "发布机构",
    "成文日期",
    "发布日期",
    "文号",
    "有效性",
    "网址",
)
_EXTENSIONS = ["tables", "attr_list", "def_list", "admonition", "md_in_html", "sane_lists"]


@dataclass
class XxgkPlan:
    pages: list  # site_builder.core.pages.Page
    files: dict[str, bytes] = field(default_factory=dict)
    index_numbers: dict[str, str] = field(default_factory=dict)  # article slug -> 索引号
    items: list[Article] = field(default_factory=list)  # disclosed articles, newest first


def menu(section: Section, current_url: str) -> str:
    """The left-hand list of the section's parts; the current part is marked for screen readers."""
    links = []
    for part in section.parts:
        here = current_url == part.url or (current_url.startswith(part.url) and part.key == "annual")
        mark = ' aria-current="page"' if current_url == part.url else ""
        cls = ' class="sb-xxgk-menu__current"' if here else ""
        links.append(f'<li{cls}><a href="{rel(current_url, part.url)}"{mark}>{escape(part.title)}</a></li>')
    top = ' aria-current="page"' if current_url == INDEX_URL else ""
    return (
        f'<nav class="sb-xxgk-menu" aria-label="{escape(section.title)}">'
        f'<p class="sb-xxgk-menu__title"><a href="{rel(current_url, INDEX_URL)}"{top}>{escape(section.title)}</a></p>'
        f"<ul>{''.join(links)}</ul></nav>"
    )


def framed(section: Section, url: str, html: str) -> str:
    return f'<div class="sb-xxgk">{menu(section, url)}<div class="sb-xxgk-main">{html}</div></div>'


def validity(article: Article, library: dict[str, Document]) -> str:
    doc = library.get(article.doc_no) if article.doc_no else None
    return doc.validity if doc is not None else "有效"


def day(moment) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def written_on(article: Article) -> dt.date:
    """成文日期: as written in the article, else its 发布日期 (a notice is usually signed the day it is posted)."""
    return article.written or article.date.date()


def meta_rows(article: Article, section: Section, index_no: str, validity_text: str) -> list[tuple[str, str]]:
    """(label, escaped value): the metadata real 信息公开 pages show above the text (索引号 … 有效性)."""
    return [
        ("索引号", escape(index_no)),
        ("主题分类", escape(article.category.name)),
        ("发布机构", escape(article.source or section.publisher)),
        ("成文日期", escape(day(written_on(article)))),
        ("发布日期", escape(day(article.date))),
        ("文号", escape(article.doc_no or "无")),
        ("有效性", escape(validity_text)),
    ]


def meta_table(article: Article, section: Section, index_no: str, validity_text: str) -> str:
    """The metadata table on the article's page, after its heading."""
    rows = meta_rows(article, section, index_no, validity_text)
    cells = "".join(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows)
    return (
        '<table class="sb-xxgk-meta" data-pagefind-ignore="all"><caption>信息公开元数据</caption>'
        f"<tbody>{cells}</tbody></table>"
    )


def meta_list(article: Article, section: Section, index_no: str, docs: dict[str, Document]) -> str:
    """The same metadata for a feed entry: one line each, which every feed reader shows."""
    rows = meta_rows(article, section, index_no, validity(article, docs))
    return "<ul>" + "".join(f"<li>{label}：{value}</li>" for label, value in rows) + "</ul>"


def report_docx_path(report) -> str:
    return f"{report.url}report-{report.year}.docx"


def disclosed(site: Site, articles: list[Article]) -> list[Article]:
    section: Section = site.xxgk
    names = set(section.categories)
    return [a for a in articles if a.category.name in names]


def plan_xxgk(site: Site, make_page, articles: list[Article], library: list[Document]) -> XxgkPlan:
    """``make_page(url, title, html, in_nav)`` as for the cleanup pages; ``articles``: published ones."""
    section: Section = site.xxgk
    items = disclosed(site, articles)
    written = {a.index_no for a in site.articles if a.index_no}  # E307 keeps these unique among themselves
    numbers, ledger = index_numbers.assign(
        items, section.index_rule, section.organization_code, section.ledger, written
    )
    result = XxgkPlan(pages=[], index_numbers=numbers, items=items)
    result.files[index_numbers.LEDGER] = index_numbers.ledger_bytes(ledger)
    docs = by_number(library)

    # searchable, and narrowed by the section's own 栏目 on the search page (pages.py adds the option)
    searchable = f'data-pagefind-body data-pagefind-filter="栏目:{escape(section.title)}"'

    def add(url: str, title: str, html: str, in_nav: bool = False, modified: dt.date | None = None) -> None:
        result.pages.append(make_page(url, title, framed(section, url, html), in_nav, modified))

    # sitemap dates (lastmod): a report its publication date, lists their newest item
    report_dates = [r.date for r in section.reports.values() if r.date]
    newest_item = max((a.date.date() for a in items), default=None)

    parts = "".join(f'<li><a href="{rel(INDEX_URL, p.url)}">{escape(p.title)}</a></li>' for p in section.parts)
    add(
        INDEX_URL,
        section.title,
        f"<h1>{escape(section.title)}</h1>"
        f'<p class="sb-list__intro">依据《中华人民共和国政府信息公开条例》，{escape(section.publisher)}在本栏目公开政府信息。</p>'
        f'<ul class="sb-xxgk-parts">{parts}</ul>',
        True,
        max([*report_dates, *([newest_item] if newest_item else [])], default=None),
    )
    for part in section.parts:
        if part.key in section.pages:
            body = markdown.markdown(section.pages[part.key], extensions=_EXTENSIONS)
            body = relink(body, f"{SECTION_DIR}/{part.key}.md", part.url, {a.src: a.url for a in articles})
            body = sanitize.clean(body)  # staff-written Markdown may hold raw HTML: published through the allow-list
            html = f"<h1>{escape(part.title)}</h1>{body}"
            if part.key == "apply" and section.form:
                html += _form_link(part.url, section.form, section.form_size)
            add(part.url, part.title, f"<div {searchable}>{html}</div>")
        elif part.key in PAGE_PARTS:  # its file is missing (W902)
            add(part.url, part.title, f'<h1>{escape(part.title)}</h1><p class="sb-empty">暂无内容。</p>')
        elif part.key == "annual":
            add(part.url, part.title, _annual_list(section, part.url), modified=max(report_dates, default=None))
            for _year, report in sorted(section.reports.items()):
                title = report_title(report, section.publisher)
                date = f"发布日期：{day(report.date)}" if report.date else ""
                docx_path = report_docx_path(report)
                # Word's package takes a fifth of a second to make: kept until the report changes.
                result.files[docx_path] = cached(
                    "report docx", report.src, to_docx, report, section.publisher, durable=True
                )
                links = [("Word 文档", docx_path, f"{title}.docx", len(result.files[docx_path]))]
                html = (
                    f"<div {searchable}><h1>{escape(title)}</h1>"
                    f'<p class="sb-xxgk-report__meta">发布机构：{escape(section.publisher)}　{date}</p>'
                    f"{report_body(report)}</div>"
                    + downloads(report.url, links).replace("下载清理目录", "下载年度报告")
                )
                add(report.url, title, html, modified=report.date)
        elif part.key == "catalogue":
            csv_path, xlsx_path = f"{part.url}目录.csv", f"{part.url}目录.xlsx"
            result.files[csv_path] = catalogue_csv(site, items, numbers, docs)
            result.files[xlsx_path] = catalogue_xlsx(site, items, numbers, docs)
            html = (
                f"<h1>{escape(part.title)}</h1>"
                f'<p class="sb-list__intro">{escape(section.publisher)}主动公开的政府信息，按发布日期从新到旧排列。</p>'
                + downloads(
                    part.url,
                    [
                        ("CSV 文件（可用 Excel、WPS 打开）", csv_path, "信息公开目录.csv", len(result.files[csv_path])),
                        ("Excel 工作簿", xlsx_path, "信息公开目录.xlsx", len(result.files[xlsx_path])),
                    ],
                ).replace("下载清理目录", "下载目录")
                + catalogue_table(part.url, items, numbers, docs, section)
            )
            add(part.url, part.title, html, modified=newest_item)
    return result


_HREF = re.compile(r'(href|src)="([^"]*)"')


def relink(html: str, src: str, url: str, article_urls: dict[str, str]) -> str:
    """Links as staff write them (relative to the Markdown file, to .md files) made relative to the page."""

    def fix(match: re.Match) -> str:
        target = unescape(match.group(2))
        if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^/", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
        if joined.endswith("index.md"):
            joined = joined[: -len("index.md")]
        elif joined in article_urls:
            joined = article_urls[joined]
        elif joined.endswith(".md"):
            joined = joined[: -len(".md")] + "/"
        elif path.endswith("/") and not joined.endswith("/"):
            joined += "/"
        new = rel(url, joined) + (f"#{anchor}" if anchor else "")
        return f'{match.group(1)}="{escape(new)}"'

    return _HREF.sub(fix, html)


def _form_link(base: str, form: str, size: int) -> str:
    name = form.rsplit("/", 1)[-1]
    kind = name.rsplit(".", 1)[-1].upper()
    amount = f"{max(1, round(size / 1024))} KB" if size else ""
    label = f"（{kind}，{amount}）" if amount else f"（{kind}）"
    return (
        '<section class="sb-downloads" aria-labelledby="sb-xxgk-form"><h2 id="sb-xxgk-form">申请表下载</h2>'
        f'<ul><li><a href="{rel(base, form)}" download>政府信息公开申请表</a>'
        f'<span class="sb-attachments__size">{label}</span></li></ul></section>'
    )


def _annual_list(section: Section, base: str) -> str:
    if not section.reports:
        return '<h1>政府信息公开年报</h1><p class="sb-empty">暂无年度报告。</p>'
    items = "".join(
        f'<li><a href="{rel(base, r.url)}">{escape(report_title(r, section.publisher))}</a>'
        + (f'<span class="sb-list__date">{escape(day(r.date))}</span>' if r.date else "")
        + "</li>"
        for _, r in sorted(section.reports.items(), reverse=True)
    )
    title = next(p.title for p in section.parts if p.key == "annual")
    return f'<h1>{escape(title)}</h1><ol class="sb-xxgk-years">{items}</ol>'


def catalogue_rows(site: Site, items, numbers, docs) -> list[tuple]:
    """The 目录 as plain values (dates typed): what both downloads contain."""
    section: Section = site.xxgk
    return [
        (
            numbers[a.slug],
            a.title,
            a.category.name,
            a.genre,
            a.source or section.publisher,
            written_on(a),
            a.date.date(),
            a.doc_no,
            validity(a, docs),
            site.settings.url + a.url,
        )
        for a in items
    ]


CATALOGUE_WIDTHS = (22, 60, 10, 8, 24, 12, 12, 22, 8, 50)


def catalogue_xlsx(site: Site, items, numbers, docs) -> bytes:
    """The 目录 as an Excel workbook, like the cleanup downloads; dated by its newest item."""
    newest = max((a.date.date() for a in items), default=dt.date(2000, 1, 1))
    section: Section = site.xxgk
    return sheet_xlsx(
        "信息公开目录",
        CATALOGUE_COLUMNS,
        CATALOGUE_WIDTHS,
        catalogue_rows(site, items, numbers, docs),
        f"{section.publisher}信息公开目录",
        section.publisher,
        dt.datetime.combine(newest, dt.time()),
    )


def catalogue_csv(site: Site, items, numbers, docs) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CATALOGUE_COLUMNS)
    writer.writerows([csv_cell(v) for v in row] for row in catalogue_rows(site, items, numbers, docs))
    return out.getvalue().encode("utf-8-sig")


def catalogue_table(base: str, items: list[Article], numbers, docs, section: Section, ident: str = "sb-xxgk") -> str:
    """Every disclosed item; 体裁分类 is a column and a filter only when some item has one."""
    if not items:
        return '<p class="sb-empty">目录：暂无公开的信息。</p>'
    genres = any(a.genre for a in items)
    filters = [
        _options("topic", "主题分类", Counter(a.category.name for a in items), ident),
        *([_options("genre", "体裁分类", Counter(a.genre or "未分类" for a in items), ident)] if genres else []),
        _options("publisher", "发布机构", Counter(a.source or section.publisher for a in items), ident),
        year_options("年份", [a.date.year for a in items], ident),
    ]
    body = []
    for a in items:
        publisher = a.source or section.publisher
        genre = a.genre or "未分类"
        data_genre = f' data-genre="{escape(genre)}"' if genres else ""
        genre_cell = f'<td data-label="体裁分类">{escape(genre)}</td>' if genres else ""
        body.append(
            f'<tr data-topic="{escape(a.category.name)}"{data_genre} data-publisher="{escape(publisher)}"'
            f' data-year="{a.date.year}">'
            f'<td data-label="索引号">{_breakable(numbers[a.slug], "/")}</td>'
            f'<td class="sb-xxgk-name"><a href="{rel(base, a.url)}">{escape(a.title)}</a></td>'
            f'<td data-label="主题分类">{escape(a.category.name)}</td>{genre_cell}'
            f'<td data-label="发布机构">{escape(publisher)}</td>'
            f'<td class="sb-nowrap" data-sort="{a.date:%Y-%m-%d}" data-label="发布日期">{escape(day(a.date))}</td>'
            f'<td data-label="文号">{_breakable(a.doc_no or "无", "〔")}</td>'
            f'<td data-label="有效性">{escape(validity(a, docs))}</td></tr>'
        )
    head = _head(
        [
            ("索引号", "text"),
            ("信息名称", "text"),
            ("主题分类", "text"),
            *([("体裁分类", "text")] if genres else []),
            ("发布机构", "text"),
            ("发布日期", "date"),
            ("文号", "text"),
            ("有效性", "text"),
        ]
    )
    controls = tools(ident, filters, "搜索信息名称、索引号或文号", len(items), "信息", unit="条")
    return _container(
        base, ident, controls, _scroll_table(ident, f"信息公开目录（共{len(items)}条）", head, body, "catalogue")
    )


def _breakable(text: str, at: str) -> str:
    """A long code that may wrap only at ``at`` (索引号 after "/", 文号 before "〔"), never mid-number:
    eight columns fit beside the section's menu on a 1280 px screen."""
    before, sep, after = text.partition(at)
    if not sep:
        return escape(text)
    if at == "/":
        return f"{escape(before + sep)}<wbr>{escape(after)}"
    return f"{escape(before)}<wbr>{escape(sep + after)}"


def with_meta(page, article: Article, section: Section, index_no: str, docs: dict[str, Document]):
    """A disclosed article's page, with the metadata table after its heading (a copy: pages are cached)."""
    table = meta_table(article, section, index_no, validity(article, docs))
    before = page.before.replace("</h1>", "</h1>" + table, 1)
    return dataclasses.replace(page, before=before)
