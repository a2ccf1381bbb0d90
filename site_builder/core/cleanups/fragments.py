"""HTML for cleanup pages: decision metadata, summary, chart, tables, document entries.

Tables are real ``<table>`` elements with every row rendered here, so they work
without JavaScript and print; cleanup-table.js only adds filtering and sorting.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from site_builder.core.cleanups.library import LIBRARY_URL, Document, doc_key
from site_builder.core.cleanups.model import RESULTS, Batch, Record
from site_builder.core.docno import NO_NUMBER
from site_builder.core.fragments import rel

SCRIPT = "assets/sb/cleanup-table.js"
CLASS = {"继续有效": "valid", "修改": "revise", "废止": "repeal", "宣布失效": "expire", "已废止": "repealed"}
VALIDITY_CLASS = {"有效": "valid", "失效": "expire", "废止": "repeal"}
LIBRARY_COLUMN = "规范性文件库"  # site search's 栏目 filter value for library documents


def gongwen_date(day: dt.date) -> str:
    """2016年8月1日: full year, no leading zeros (GB/T 9704 §7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _date(day: dt.date) -> str:
    return f'<time datetime="{day:%Y-%m-%d}">{gongwen_date(day)}</time>'


def percent(count: int, total: int) -> str:
    """One decimal, rounded half up as people do by hand (67.43 -> 67.4, 9.195 -> 9.2)."""
    value = (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def summary(batch: Batch) -> str:
    """The summary sentence, generated from the records and never typed (C-6)."""
    total = len(batch.records)
    if not total:
        return "本次清理没有需要清理的文件（无）。"
    counts = batch.counts()
    parts = []
    for result in RESULTS:
        if counts[result]:
            label = "此前已废止" if result == "已废止" else result
            parts.append(f"{label}{counts[result]}件（{percent(counts[result], total)}）")
    return f"共清理{total}件，其中{'、'.join(parts)}。"


def decision_meta(base: str, batch: Batch, article_url: str | None) -> str:
    d = batch.decision
    title = f"《{escape(d.title)}》"
    if article_url:
        title = f'<a href="{rel(base, article_url)}">{title}</a>'
    rows = [
        ("清理决定", title),
        ("文号", escape(d.doc_no)),
        ("发布机构", escape(d.publisher)),
        ("成文日期", _date(d.date)),
        ("清理类型", escape(batch.kind)),
        ("清理范围", escape(batch.scope)),
    ]
    if batch.basis:
        rows.append(("清理依据", escape(batch.basis)))
    if batch.rule:
        rows.append(("清理规则", escape(batch.rule)))
    cells = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in rows)
    return f'<dl class="sb-meta sb-cleanup-meta">{cells}</dl>'


def chart(batch: Batch, ident: str) -> str:
    """Outcome bars: each a list item whose words and numbers are HTML text at the page's own size
    (an SVG's text shrank with the picture to about 8 px on a phone); the bar itself is a
    decorative inline SVG, scaled to the largest outcome. No script, no CDN."""
    counts = [(r, c) for r, c in batch.counts().items() if c]
    total = len(batch.records)
    if not counts:
        return ""
    biggest = max(c for _, c in counts)
    rows = []
    for result, count in counts:
        width = max(Decimal("0.5"), (Decimal(count) * 100 / Decimal(biggest)).quantize(Decimal("0.1")))
        label = "此前已废止" if result == "已废止" else result
        rows.append(
            f'<li class="sb-chart__row"><span class="sb-chart__label">{label}</span>'
            '<span class="sb-chart__track" aria-hidden="true">'
            '<svg viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">'
            f'<rect class="sb-chart__bar sb-chart__bar--{CLASS[result]}" width="{width}" height="10"></rect></svg></span>'
            f'<span class="sb-chart__value">{count}件（{percent(count, total)}）</span></li>'
        )
    return (
        f'<figure class="sb-chart" id="{ident}" aria-labelledby="{ident}-caption">'
        f'<ul class="sb-chart__rows">{"".join(rows)}</ul>'
        f'<figcaption id="{ident}-caption">图：{escape(batch.title)}结果统计（共{total}件）</figcaption></figure>'
    )


def downloads(base: str, links: list[tuple[str, str, str, int]]) -> str:
    """(label, url, file name to save as, size in bytes) per download."""
    items = []
    for label, url, name, size in links:
        amount = f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"
        kind = url.rsplit(".", 1)[-1].upper()
        items.append(
            f'<li><a href="{rel(base, url)}" download="{escape(name)}">{escape(label)}</a>'
            f'<span class="sb-attachments__size">（{kind}，{amount}）</span></li>'
        )
    return (
        '<section class="sb-downloads" aria-labelledby="sb-downloads"><h2 id="sb-downloads">下载清理目录</h2>'
        f"<ul>{''.join(items)}</ul></section>"
    )


def _options(name: str, label: str, values: Counter, ident: str, order=None) -> str:
    keys = order if order is not None else sorted(values)
    options = "".join(
        f'<option value="{escape(str(v))}">{escape(str(v))}（{values[v]}）</option>' for v in keys if values[v]
    )
    return (
        f'<div class="sb-table-tools__field"><label for="{ident}-{name}">{label}</label>'
        f'<select id="{ident}-{name}" data-filter="{name}"><option value="">全部</option>{options}</select></div>'
    )


def year_options(label: str, years: list[int], ident: str) -> str:
    """The year filter of a table, newest year first."""
    counts = Counter(years)
    return _options("year", label, counts, ident, sorted(counts, reverse=True))


def tools(ident: str, filters: list[str], search_label: str, total: int, noun: str, unit: str = "件") -> str:
    """Filter controls, hidden until the script runs (without it they would do nothing).
    ``unit`` and ``noun`` make the status line (共 12 件文件); the script keeps them when it counts."""
    return (
        f'<form class="sb-table-tools" data-sb-table-tools hidden aria-label="筛选{noun}">'
        f"{''.join(filters)}"
        f'<div class="sb-table-tools__field sb-table-tools__search"><label for="{ident}-q">{search_label}</label>'
        f'<input id="{ident}-q" type="search" data-search autocomplete="off" placeholder="例如：滨政发〔2016〕12号"></div>'
        '<button type="reset">清除筛选</button></form>'
        f'<p class="sb-table-status" role="status" aria-live="polite" data-sb-table-status'
        f' data-unit="{unit}" data-noun="{noun}">共 {total} {unit}{noun}。</p>'
    )


def _doc_link(base: str, url: str, title: str) -> str:
    return f'<a href="{rel(base, url)}">{escape(title)}</a>'


def _result_cell(record: Record) -> str:
    return f'<td><span class="sb-result sb-result--{CLASS[record.result]}">{escape(record.result)}</span></td>'


def _reason(record: Record) -> str:
    text = escape(record.reason)
    if record.deadline:
        text += f"{'；' if text else ''}限{gongwen_date(record.deadline)}前修改"
    return text


# One table per outcome under the decision, as the decision's annexes list them (C-1).
ANNEX_TITLE = {
    "继续有效": "继续有效的文件",
    "修改": "需修改的文件",
    "废止": "废止的文件",
    "宣布失效": "宣布失效的文件",
    "已废止": "此前已废止的文件",
}
_NUMERALS = "一二三四五"


def batch_table(base: str, batch: Batch, doc_urls: dict[str, str], ident: str) -> str:
    """The records, one table per outcome (C-1) under one set of controls.

    Filter by 清理结果, 发文机关 and year, search title or 文号 across all the
    tables; each table sorts on its own.
    """
    records = sorted(batch.records, key=lambda r: r.no)
    if not records:
        return '<p class="sb-empty">清理目录：无。</p>'
    filters = [
        _options("result", "清理结果", Counter(r.result for r in records), ident, RESULTS),
        _options("issuer", "发文机关", Counter(r.issuer for r in records), ident),
        year_options("成文年份", [r.date.year for r in records], ident),
    ]
    head = _head(
        [
            ("序号", "number"),
            ("文件名称", "text"),
            ("文号", "text"),
            ("成文日期", "date"),
            ("发文机关", "text"),
            ("清理结果", "text"),
            ("理由/说明", ""),
        ]
    )
    counts = batch.counts()
    outcomes = [result for result in RESULTS if counts[result]]
    links, sections = [], []
    for numeral, result in zip(_NUMERALS, outcomes, strict=False):
        section = f"{ident}-{CLASS[result]}"
        title = f"{numeral}、{ANNEX_TITLE[result]}（{counts[result]}件）"
        links.append(f'<li data-sb-annex-link="{section}"><a href="#{section}">{title}</a></li>')
        body = [_record_row(base, r, doc_urls) for r in records if r.result == result]
        caption = f"{ANNEX_TITLE[result]}目录（共{counts[result]}件）"
        sections.append(
            f'<section class="sb-annex" id="{section}" data-sb-annex aria-labelledby="{section}-title">'
            f'<h3 id="{section}-title">{title}</h3>{_scroll_table(section, caption, head, body, "records")}</section>'
        )
    contents = f'<nav class="sb-annex-nav" aria-label="按清理结果分列的目录"><ul>{"".join(links)}</ul></nav>'
    controls = tools(ident, filters, "搜索文件名称或文号", len(records), "文件") + contents
    return _container(base, ident, controls, "".join(sections))


def _record_row(base: str, r: Record, doc_urls: dict[str, str]) -> str:
    return (
        f'<tr data-result="{escape(r.result)}" data-issuer="{escape(r.issuer)}" data-year="{r.date.year}">'
        f"<td>{r.no}</td><td>{_doc_link(base, doc_urls[doc_key(r)], r.title)}</td>"
        f'<td class="sb-nowrap">{escape(r.doc_no)}</td><td class="sb-nowrap" data-sort="{r.date:%Y-%m-%d}">{_date(r.date)}</td>'
        f'<td class="sb-nowrap">{escape(r.issuer)}</td>{_result_cell(r)}<td>{_reason(r)}</td></tr>'
    )


def _head(columns: list[tuple[str, str]]) -> str:
    cells = "".join(
        f'<th scope="col"{f" data-sort-type={chr(34)}{kind}{chr(34)}" if kind else ""}>{name}</th>'
        for name, kind in columns
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _scroll_table(ident: str, caption: str, head: str, body: list[str], kind: str) -> str:
    """``kind`` (records, library, history) names the columns, which phones show as one card per row."""
    return (
        f'<div class="sb-table__scroll" tabindex="0" role="region" aria-labelledby="{ident}-caption">'
        f'<table class="sb-cleanup-table sb-cleanup-table--{kind}"><caption id="{ident}-caption">{caption}</caption>{head}'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _container(base: str, ident: str, controls: str, tables: str) -> str:
    return (
        f'<div class="sb-table" data-sb-table id="{ident}">{controls}{tables}'
        f'<p class="sb-empty" data-sb-table-empty hidden>没有符合条件的文件，请调整筛选条件。</p></div>'
        f'<script src="{rel(base, SCRIPT)}" defer></script>'
    )


def library_table(base: str, documents: list[Document], ident: str = "sb-library") -> str:
    if not documents:
        return '<p class="sb-empty">文件库：无。</p>'
    validity = Counter(d.validity for d in documents)
    filters = [
        _options("validity", "有效性", validity, ident, ["有效", "失效", "废止"]),
        _options("issuer", "发文机关", Counter(d.issuer for d in documents), ident),
        year_options("成文年份", [d.date.year for d in documents], ident),
    ]
    body = []
    for d in documents:
        last = d.latest_step
        lapsed = "，逾期未重新发布" if d.lapsed_on else ""
        body.append(
            f'<tr data-validity="{d.validity}" data-issuer="{escape(d.issuer)}" data-year="{d.date.year}">'
            f'<td>{_doc_link(base, d.url, d.title)}</td><td class="sb-nowrap">{escape(d.doc_no)}</td>'
            f'<td class="sb-nowrap" data-sort="{d.date:%Y-%m-%d}">{_date(d.date)}</td><td>{escape(d.issuer)}</td>'
            f'<td><span class="sb-validity-badge sb-validity-badge--{VALIDITY_CLASS[d.validity]}">{d.validity}</span></td>'
            f"<td>{_doc_link(base, last.batch.url, last.batch.title)}（{escape(last.record.result)}{lapsed}）</td></tr>"
        )
    head = _head(
        [
            ("文件名称", "text"),
            ("文号", "text"),
            ("成文日期", "date"),
            ("发文机关", "text"),
            ("有效性", "text"),
            ("最近一次清理", "text"),
        ]
    )
    caption = f"规范性文件库（共{len(documents)}件）"
    controls = tools(ident, filters, "搜索文件名称或文号", len(documents), "文件")
    return _container(base, ident, controls, _scroll_table(ident, caption, head, body, "library"))


def validity_link(base: str, doc: Document) -> str:
    """A document's 有效性, linking to its page: shown on articles that carry its 文号."""
    badge = f'<span class="sb-validity-badge sb-validity-badge--{VALIDITY_CLASS[doc.validity]}">{doc.validity}</span>'
    return f'<a class="sb-validity-link" href="{rel(base, doc.url)}">{badge}（见规范性文件库）</a>'


def document_page(base: str, doc: Document, article_urls: dict[str, str]) -> str:
    """One document: metadata (G-11), a banner when it no longer applies (G-13), its history."""
    number = escape(doc.doc_no)
    if doc.doc_no != NO_NUMBER:  # search.js finds and ranks a queried 文号 by these (see article_header)
        number = f'<span data-pagefind-meta="docno" data-pagefind-filter="文号">{number}</span>'
    rows = [
        ("标题", escape(doc.title)),
        ("文号", number),
        ("发文机关", escape(doc.issuer)),
        ("成文日期", _date(doc.date)),
        (
            "有效性",
            f'<span class="sb-validity-badge sb-validity-badge--{VALIDITY_CLASS[doc.validity]}">{doc.validity}</span>',
        ),
    ]
    cells = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in rows)
    banner = ""
    if doc.ended_by is not None:
        step = doc.ended_by
        decision = step.batch.decision
        link = f'<a href="{rel(base, step.batch.url)}">《{escape(decision.title)}》（{escape(decision.doc_no)}）</a>'
        said = f"<strong>本文件已{doc.validity}。</strong>{escape(decision.publisher)}{gongwen_date(decision.date)}以{link}"
        if doc.lapsed_on is not None:  # a 修改 deadline passed (C-5)
            said += (
                f"决定本文件修改后重新发布，期限为{gongwen_date(step.record.deadline)}；期限已过，"
                f"本文件自{gongwen_date(doc.lapsed_on)}起失效。已修改并重新发布的，以新发布的文件为准。"
            )
        else:
            verb = "废止" if doc.validity == "废止" else "宣布失效"
            reason = f"理由：{escape(step.record.reason)}。" if step.record.reason else ""
            said += f"决定{verb}，自决定公布之日起停止执行。{reason}"
        banner = f'<div class="sb-validity sb-validity--{VALIDITY_CLASS[doc.validity]}" role="note">{said}</div>'
    elif doc.latest.result == "修改":
        due, lapse = "", ""
        if doc.latest.deadline:
            due = f"，限{gongwen_date(doc.latest.deadline)}前修改后重新发布"
            lapse = f"逾期未重新发布的，自{gongwen_date(doc.latest.deadline + dt.timedelta(days=1))}起失效。"
        banner = (
            '<div class="sb-validity sb-validity--revise" role="note">'
            f"<strong>本文件需要修改{due}。</strong>修改公布前，与上位法不一致的条款停止执行。{lapse}</div>"
        )
    history = []
    for step in doc.history:
        decision = step.batch.decision
        article = article_urls.get(decision.article)
        decision_text = f"《{escape(decision.title)}》（{escape(decision.doc_no)}）"
        if article:
            decision_text = f'<a href="{rel(base, article)}">{decision_text}</a>'
        history.append(
            f"<tr><td>{_doc_link(base, step.batch.url, step.batch.title)}</td><td>{decision_text}</td>"
            f'<td class="sb-nowrap">{_date(decision.date)}</td>{_result_cell(step.record)}<td>{_reason(step.record)}</td></tr>'
        )
    history_table = (
        '<h2 id="history">清理记录</h2><div class="sb-table__scroll" tabindex="0" role="region" aria-labelledby="sb-history-caption">'
        f'<table class="sb-cleanup-table sb-cleanup-table--history"><caption id="sb-history-caption">本文件历次清理结果（共{len(doc.history)}次）</caption>'
        '<thead><tr><th scope="col">清理批次</th><th scope="col">清理决定</th><th scope="col">决定日期</th>'
        '<th scope="col">清理结果</th><th scope="col">理由/说明</th></tr></thead>'
        f"<tbody>{''.join(history)}</tbody></table></div>"
    )
    back = f'<p class="sb-more-line"><a href="{rel(base, LIBRARY_URL)}">返回规范性文件库</a></p>'
    # Indexed for site search like an article, under its own 栏目 (the search page's filter).
    return (
        f'<div class="sb-document" data-pagefind-body data-pagefind-filter="栏目:{LIBRARY_COLUMN}">'
        f'<h1>{escape(doc.title)}</h1>{banner}<dl class="sb-meta">{cells}</dl>{history_table}'
        f'<div data-pagefind-ignore="all">{back}</div></div>'
    )


def index_page(base: str, batches: list[Batch], documents: list[Document]) -> str:
    items = []
    for batch in sorted(batches, key=lambda b: (b.date, b.slug), reverse=True):
        d = batch.decision
        items.append(
            f'<li class="sb-item"><a class="sb-item__title" href="{rel(base, batch.url)}">{escape(batch.title)}</a>'
            f'<div class="sb-item__meta">{_date(d.date)}<span>{escape(d.doc_no)}</span><span>{escape(batch.kind)}</span></div>'
            f'<p class="sb-item__summary">{escape(summary(batch))}</p></li>'
        )
    validity = Counter(d.validity for d in documents)
    library = (
        f'<section class="sb-card sb-library-card" aria-labelledby="sb-library-link"><h2 id="sb-library-link">'
        f'<a href="{rel(base, LIBRARY_URL)}">规范性文件库</a></h2>'
        f"<p>收录历次清理涉及的文件{len(documents)}件，其中现行有效{validity['有效']}件、失效{validity['失效']}件、"
        f"废止{validity['废止']}件。每件文件的有效性以最近一次清理结果为准，需修改的文件逾期未重新发布即失效。</p></section>"
    )
    lists = f'<ul class="sb-list">{"".join(items)}</ul>' if items else '<p class="sb-empty">暂无清理结果。</p>'
    intro = (
        '<p class="sb-list__intro">市政府定期对规范性文件进行清理，并向社会公布清理结果。'
        "下列清理结果的统计和目录均由清理数据自动生成，可筛选、排序和下载。</p>"
    )
    return f"<h1>规范性文件清理结果</h1>{intro}{library}<h2>历次清理</h2>{lists}"
