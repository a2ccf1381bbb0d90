"""A batch as CSV and .xlsx, byte-identical from build to build.

CSV is what Excel on Chinese Windows opens correctly: UTF-8 with a BOM (without
it Excel reads GBK and shows mojibake) and CRLF line ends. openpyxl stamps the
workbook and every zip entry with the clock; both are pinned to the batch date.

Neither download can carry a formula (CSV/formula injection): a text cell that
starts with = + - @, a tab or a carriage return is written with a leading ' in the
CSV (the OWASP rule; spreadsheets then show it as text), and in the .xlsx every
text cell is a string cell, never a formula, those cells also marked "quote
prefix" (what Excel stores when one types '=…). Numbers (序号) and dates stay typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from site_builder.core.cleanups.model import Batch

COLUMNS = ("序号", "文件名称", "文号", "成文日期", "发文机关", "清理结果", "理由/说明", "修改期限")
WIDTHS = (6, 60, 22, 12, 14, 10, 40, 12)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def risky(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (or DDE command)."""
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, str) and risky(value):
        return "'" + value
    return value


def rows(batch: Batch) -> list[tuple]:
    """The table as plain values: what both downloads contain."""
    return [
        (r.no, r.title, r.doc_no, r.date, r.issuer, r.result, r.reason, r.deadline)
        for r in sorted(batch.records, key=lambda r: r.no)
    ]


def to_csv(batch: Batch) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(batch):
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(batch: Batch) -> bytes:
    stamp = dt.datetime.combine(batch.date, dt.time())
    return sheet_xlsx("清理目录", COLUMNS, WIDTHS, rows(batch), batch.title, batch.decision.publisher, stamp)


def sheet_xlsx(
    sheet_title: str,
    columns: tuple[str, ...],
    widths: tuple[int, ...],
    table: list[tuple],
    title: str,
    creator: str,
    stamp: dt.datetime,
) -> bytes:
    """One sheet, header row bold and frozen, every text cell a string (never a formula), dates typed;
    every timestamp (workbook, zip entries) is ``stamp``, so the bytes depend on the content alone."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.properties.creator = creator
    book.properties.title = title
    book.properties.created = stamp
    book.properties.modified = stamp
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for number, row in enumerate(table, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would make "=…" a live formula
                if risky(value):
                    cell.quotePrefix = True
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if columns[index - 1] in ("成文日期", "修改期限", "发布日期"):
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"  # the header repeats on every printed page
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not save_workbook(): that stamps "modified" with now
    return _repack(raw.getvalue(), stamp)


# The dates a zip entry can carry (MS-DOS time). Content dates run from 1900 (dates.FIRST_YEAR): an
# article of 1979 must still give a workbook, not a failed build.
_ZIP_FIRST, _ZIP_LAST = dt.datetime(1980, 1, 1), dt.datetime(2107, 12, 31, 23, 59, 58)


def _repack(data: bytes, stamp: dt.datetime) -> bytes:
    """The same zip with every entry dated ``stamp`` (within what a zip can hold) instead of the
    moment it was written."""
    moment = min(max(stamp.replace(tzinfo=None), _ZIP_FIRST), _ZIP_LAST)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
