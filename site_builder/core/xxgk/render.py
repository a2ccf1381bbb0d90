"""The yearly report as HTML, in the national layout (国办公开办函〔2021〕30号).

Tables 三 and 四 have merged header cells; every data cell names its headers
(``headers`` listing the ids of every row and column header above and beside it),
so a screen reader reads "三、本年度办理结果 （三）不予公开 1.属于国家秘密 自然人: 0".
"""

from __future__ import annotations

from html import escape

import markdown

from site_builder.core.xxgk.annual import (
    ACTIVE_GROUPS,
    APPLICANT_COLUMNS,
    APPLICATION_TOP,
    RESULT_GROUPS,
    RESULT_ITEMS,
    RESULTS_TOTAL,
    REVIEW_COLUMNS,
    TOP_FIELDS,
    AnnualReport,
)

BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
LEGAL = "法人或其他组织"
APPLICANTS = "申请人情况"


def prose(text: str) -> str:
    """Staff Markdown; raw HTML is shown as typed, never run."""
    return markdown.markdown(escape(text, quote=False), extensions=["sane_lists"])


def number(value) -> str:
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) else str(int(value))
    return str(value)


def report_title(report: AnnualReport, publisher: str) -> str:
    return report.title or f"{publisher}{report.year}年政府信息公开工作年度报告"


def report_body(report: AnnualReport) -> str:
    """The six parts, in order, with tables 二 三 四."""
    return (
        f'<section class="sb-xxgk-report" aria-labelledby="sb-r1"><h2 id="sb-r1">{TOP_FIELDS["overview"]}</h2>'
        f"{prose(report.overview)}</section>"
        f'<section class="sb-xxgk-report" aria-labelledby="sb-r2"><h2 id="sb-r2">{TOP_FIELDS["active"]}</h2>'
        f"{active_tables(report)}</section>"
        f'<section class="sb-xxgk-report" aria-labelledby="sb-r3"><h2 id="sb-r3">{TOP_FIELDS["applications"]}</h2>'
        f"{applications_table(report)}</section>"
        f'<section class="sb-xxgk-report" aria-labelledby="sb-r4"><h2 id="sb-r4">{TOP_FIELDS["review_litigation"]}</h2>'
        f"{review_table(report)}</section>"
        f'<section class="sb-xxgk-report" aria-labelledby="sb-r5"><h2 id="sb-r5">{TOP_FIELDS["problems"]}</h2>'
        f"{prose(report.problems)}</section>"
        f'<section class="sb-xxgk-report" aria-labelledby="sb-r6"><h2 id="sb-r6">{TOP_FIELDS["other_matters"]}</h2>'
        f"{prose(report.other_matters)}</section>"
    )


def _wrap(table: str) -> str:
    # A wide table scrolls inside its own box on a phone; the box is focusable so keyboards can scroll it.
    return f'<div class="sb-xxgk-scroll" tabindex="0" role="region" aria-label="表格（可左右滚动）">{table}</div>'


def active_tables(report: AnnualReport) -> str:
    parts = []
    for index, (article, columns, rows) in enumerate(ACTIVE_GROUPS, start=1):
        head = '<th scope="col">信息内容</th>' + "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
        body = ""
        for key, label in rows:
            row = report.active[key]
            note = "（据规范性文件库统计）" if key == "normative" and report.normative_computed else ""
            cells = "".join(f'<td data-key="{key}">{number(v)}</td>' for v in row.values)
            body += f'<tr><th scope="row">{escape(label)}{note}</th>{cells}</tr>'
        parts.append(
            f'<table class="sb-xxgk-table" id="sb-t2-{index}"><caption>{escape(article)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )
    return _wrap("".join(parts))


def applications_table(report: AnnualReport) -> str:
    cols = [f"t3-c{i}" for i in range(len(APPLICANT_COLUMNS))]
    col_headers = [f"t3-ap {cols[0]}"] + [f"t3-ap t3-legal {c}" for c in cols[1:6]] + [f"t3-ap {cols[6]}"]
    head = (
        f'<tr><td colspan="3" rowspan="3" class="sb-xxgk-note">{BALANCE_NOTE}</td>'
        f'<th colspan="7" scope="colgroup" id="t3-ap">{APPLICANTS}</th></tr>'
        f'<tr><th rowspan="2" scope="col" id="{cols[0]}" headers="t3-ap">{APPLICANT_COLUMNS[0]}</th>'
        f'<th colspan="5" scope="colgroup" id="t3-legal" headers="t3-ap">{LEGAL}</th>'
        f'<th rowspan="2" scope="col" id="{cols[6]}" headers="t3-ap">{APPLICANT_COLUMNS[6]}</th></tr>'
        "<tr>"
        + "".join(
            f'<th scope="col" id="{cols[i]}" headers="t3-ap t3-legal">{APPLICANT_COLUMNS[i]}</th>' for i in range(1, 6)
        )
        + "</tr>"
    )

    def cells(key: str, row_ids: str) -> str:
        values = report.applications[key].values
        return "".join(
            f'<td headers="{row_ids} {col_headers[i]}" data-key="{key}">{number(v)}</td>' for i, v in enumerate(values)
        )

    body = []
    for key, rid in (("new", "t3-new"), ("carried_over", "t3-carried")):
        body.append(f'<tr><th colspan="3" scope="row" id="{rid}">{APPLICATION_TOP[key]}</th>{cells(key, rid)}</tr>')
    result_count = len(RESULT_ITEMS) + sum(len(items) for _, items in RESULT_GROUPS.values()) + 1
    results_th = f'<th rowspan="{result_count}" scope="rowgroup" id="t3-results">{APPLICATION_TOP["results"]}</th>'
    first = True
    for key, label in [*RESULT_ITEMS.items()]:
        rid = f"t3-{key}"
        lead = results_th if first else ""
        first = False
        row_ids = f"t3-results {rid}"
        body.append(
            f'<tr>{lead}<th colspan="2" scope="row" id="{rid}" headers="t3-results">{escape(label)}</th>'
            f"{cells(f'results.{key}', row_ids)}</tr>"
        )
    for group, (label, items) in RESULT_GROUPS.items():
        gid = f"t3-{group}"
        for index, (key, item) in enumerate(items):
            rid = f"{gid}-{key}"
            lead = (
                f'<th rowspan="{len(items)}" scope="rowgroup" id="{gid}" headers="t3-results">{escape(label)}</th>'
                if index == 0
                else ""
            )
            body.append(
                f'<tr>{lead}<th scope="row" id="{rid}" headers="t3-results {gid}">{escape(item)}</th>'
                f"{cells(f'results.{group}.{key}', f't3-results {gid} {rid}')}</tr>"
            )
    body.append(
        f'<tr><th colspan="2" scope="row" id="t3-total" headers="t3-results">{RESULTS_TOTAL[1]}</th>'
        f"{cells(f'results.{RESULTS_TOTAL[0]}', 't3-results t3-total')}</tr>"
    )
    body.append(
        f'<tr><th colspan="3" scope="row" id="t3-forward">{APPLICATION_TOP["carry_forward"]}</th>'
        f"{cells('carry_forward', 't3-forward')}</tr>"
    )
    return _wrap(
        f'<table class="sb-xxgk-table sb-xxgk-table--wide" id="sb-t3"><caption>{TOP_FIELDS["applications"]}</caption>'
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
    )


REVIEW_GROUPS = (
    ("review", "t4-review", None, "行政复议"),
    ("litigation_direct", "t4-direct", "t4-lit", "未经复议直接起诉"),
    ("litigation_after_review", "t4-after", "t4-lit", "复议后起诉"),
)


def review_table(report: AnnualReport) -> str:
    row1 = (
        '<th colspan="5" scope="colgroup" id="t4-review">行政复议</th>'
        '<th colspan="10" scope="colgroup" id="t4-lit">行政诉讼</th>'
    )
    row2 = "".join(
        f'<th rowspan="2" scope="col" id="t4-review-{i}" headers="t4-review">{c}</th>'
        for i, c in enumerate(REVIEW_COLUMNS)
    )
    row2 += (
        '<th colspan="5" scope="colgroup" id="t4-direct" headers="t4-lit">未经复议直接起诉</th>'
        '<th colspan="5" scope="colgroup" id="t4-after" headers="t4-lit">复议后起诉</th>'
    )
    row3 = "".join(
        f'<th scope="col" id="{gid}-{i}" headers="t4-lit {gid}">{c}</th>'
        for gid in ("t4-direct", "t4-after")
        for i, c in enumerate(REVIEW_COLUMNS)
    )
    cells = ""
    for key, gid, parent, _ in REVIEW_GROUPS:
        for i, value in enumerate(report.review[key].values):
            ids = " ".join(x for x in (parent, gid, f"{gid}-{i}") if x)
            cells += f'<td headers="{ids}" data-key="{key}">{number(value)}</td>'
    return _wrap(
        f'<table class="sb-xxgk-table sb-xxgk-table--wide" id="sb-t4"><caption>{TOP_FIELDS["review_litigation"]}</caption>'
        f"<thead><tr>{row1}</tr><tr>{row2}</tr><tr>{row3}</tr></thead><tbody><tr>{cells}</tr></tbody></table>"
    )
