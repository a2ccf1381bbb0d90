"""The yearly report as a Word document (.docx), with the same tables and merged headers as the page.

Made with python-docx; the package is re-zipped with fixed timestamps so the same
report gives byte-identical files on every build.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

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
from site_builder.core.xxgk.render import BALANCE_NOTE, number, report_title

_STAMP = (1980, 1, 1, 0, 0, 0)


def _paragraphs(text: str) -> list[str]:
    """Markdown prose as plain paragraphs (emphasis marks dropped)."""
    return [re.sub(r"\*\*|__", "", p).replace("\n", "") for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def to_docx(report: AnnualReport, publisher: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    stamp = dt.datetime.combine(report.date or dt.date(report.year + 1, 1, 1), dt.time())
    props = doc.core_properties
    props.author = props.last_modified_by = publisher
    props.title = report_title(report, publisher)
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    heading = doc.add_heading(report_title(report, publisher), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def prose(key: str, text: str) -> None:
        doc.add_heading(TOP_FIELDS[key], level=1)
        for paragraph in _paragraphs(text):
            doc.add_paragraph(paragraph)

    prose("overview", report.overview)
    doc.add_heading(TOP_FIELDS["active"], level=1)
    for article, columns, rows in ACTIVE_GROUPS:
        table = doc.add_table(rows=2 + len(rows), cols=1 + len(columns), style="Table Grid")
        title = _cell(table, 0, 0).merge(_cell(table, 0, len(columns)))
        title.text = article
        for index, name in enumerate(("信息内容", *columns)):
            _cell(table, 1, index).text = name
        for offset, (key, label) in enumerate(rows, start=2):
            _cell(table, offset, 0).text = label
            for index, value in enumerate(report.active[key].values, start=1):
                _cell(table, offset, index).text = number(value)
        doc.add_paragraph()
    doc.add_heading(TOP_FIELDS["applications"], level=1)
    _applications(doc, report)
    doc.add_heading(TOP_FIELDS["review_litigation"], level=1)
    _review(doc, report)
    prose("problems", report.problems)
    prose("other_matters", report.other_matters)
    raw = io.BytesIO()
    doc.save(raw)
    return _repack(raw.getvalue())


def _applications(doc, report: AnnualReport) -> None:
    rows = [("new", APPLICATION_TOP["new"], None), ("carried_over", APPLICATION_TOP["carried_over"], None)]
    rows += [(f"results.{k}", v, None) for k, v in RESULT_ITEMS.items()]
    for group, (label, items) in RESULT_GROUPS.items():
        rows += [(f"results.{group}.{key}", item, label) for key, item in items]
    rows.append((f"results.{RESULTS_TOTAL[0]}", RESULTS_TOTAL[1], None))
    rows.append(("carry_forward", APPLICATION_TOP["carry_forward"], None))
    table = doc.add_table(rows=3 + len(rows), cols=10, style="Table Grid")
    _cell(table, 0, 0).merge(_cell(table, 2, 2)).text = BALANCE_NOTE
    _cell(table, 0, 3).merge(_cell(table, 0, 9)).text = "申请人情况"
    _cell(table, 1, 3).merge(_cell(table, 2, 3)).text = APPLICANT_COLUMNS[0]
    _cell(table, 1, 4).merge(_cell(table, 1, 8)).text = "法人或其他组织"
    _cell(table, 1, 9).merge(_cell(table, 2, 9)).text = APPLICANT_COLUMNS[6]
    for index in range(1, 6):
        _cell(table, 2, 3 + index).text = APPLICANT_COLUMNS[index]
    first_result = 3 + 2
    last_result = 3 + len(rows) - 2
    _cell(table, first_result, 0).merge(_cell(table, last_result, 0)).text = APPLICATION_TOP["results"]
    groups: dict[str, list[int]] = {}
    for offset, (key, label, group) in enumerate(rows, start=3):
        if key.startswith("results."):
            if group is None:
                _cell(table, offset, 1).merge(_cell(table, offset, 2)).text = label
            else:
                groups.setdefault(group, []).append(offset)
                _cell(table, offset, 2).text = label
        else:
            _cell(table, offset, 0).merge(_cell(table, offset, 2)).text = label
        for index, value in enumerate(report.applications[key].values):
            _cell(table, offset, 3 + index).text = number(value)
    for group, offsets in groups.items():
        _cell(table, offsets[0], 1).merge(_cell(table, offsets[-1], 1)).text = group


def _review(doc, report: AnnualReport) -> None:
    table = doc.add_table(rows=4, cols=15, style="Table Grid")
    _cell(table, 0, 0).merge(_cell(table, 0, 4)).text = "行政复议"
    _cell(table, 0, 5).merge(_cell(table, 0, 14)).text = "行政诉讼"
    for index, name in enumerate(REVIEW_COLUMNS):
        _cell(table, 1, index).merge(_cell(table, 2, index)).text = name
        _cell(table, 2, 5 + index).text = name
        _cell(table, 2, 10 + index).text = name
    _cell(table, 1, 5).merge(_cell(table, 1, 9)).text = "未经复议直接起诉"
    _cell(table, 1, 10).merge(_cell(table, 1, 14)).text = "复议后起诉"
    values = [
        v for key in ("review", "litigation_direct", "litigation_after_review") for v in report.review[key].values
    ]
    for index, value in enumerate(values):
        _cell(table, 3, index).text = number(value)


def _cell(table, row: int, column: int):
    """``table.cell(row, column)``, without its cost: python-docx 1.2 lists every cell of the table on
    each call of ``cell()``, which made a report's ~300 cells take 0.9 s of each build; a row lists only
    its own. The same cell either way (a merged cell is the cell it was merged into)."""
    return table.rows[row].cells[column]


def _repack(data: bytes) -> bytes:
    """The same package with fixed member timestamps: identical bytes for identical reports."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, _STAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
