"""`site-builder import-cleanup`: a batch's table as staff keep it (.xlsx, .csv) -> batch YAML.

Every row with anything in it is written, as typed when it cannot be read (and
then reported with its row number), so nothing is lost on the way: `check`
points at whatever still needs fixing in the YAML.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from site_builder.core import docno
from site_builder.core.cleanups.model import RESULTS, SYNONYMS
from site_builder.core.dates import parse_datetime
from site_builder.core.problems import Problem, problem
from site_builder.core.textfile import BOM, CONTROL, read_bytes

# Our field -> the column headers Chinese offices use for it.
HEADERS = {
    "no": ("序号", "编号"),
    "title": ("文件名称", "文件标题", "标题", "名称", "文件名", "规范性文件名称", "文件题目"),
    "doc_no": ("文号", "发文字号", "发文文号", "文件字号", "文件编号"),
    "issuer": ("发文机关", "制定机关", "发布机关", "发文单位", "制发机关", "制定单位"),
    "date": ("成文日期", "发文日期", "印发日期", "发布日期", "成文时间", "发文时间", "印发时间"),
    "result": ("清理结果", "清理意见", "处理意见", "清理情况", "清理结论", "审查意见", "清理建议"),
    "reason": (
        "理由/说明",
        "理由",
        "说明",
        "备注",
        "清理理由",
        "理由说明",
        "处理理由",
        "清理依据",
        "依据及理由",
        "理由及依据",
        "清理理由及依据",
    ),
    "deadline": ("修改期限", "修改时限"),
}
# Rows that are not documents: totals, and notes under the table (注：…, 制表人：…).
_TOTAL = re.compile(r"^\s*(?:合\s*计|总\s*计|共\s*计|小\s*计)")
_NOTE = re.compile(r"^\s*(?:注|说明|备注|附注|填表|制表|审核|填报|联系人|联系电话|数据截至|以上)")
REQUIRED = ("title", "doc_no", "issuer", "date", "result")
_LABEL = {
    "no": "序号",
    "title": "文件名称",
    "doc_no": "文号",
    "issuer": "发文机关",
    "date": "成文日期",
    "result": "清理结果",
}


@dataclass
class Imported:
    records: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""  # the worksheet the table was read from ("" for CSV)
    header_row: int = 0  # 1-based
    skipped_sheets: list[str] = field(default_factory=list)
    title: str = ""  # from the title row above the header, if any
    stated_total: int | None = None  # from a 合计 row
    inferred_issuers: int = 0


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    hidden: frozenset[int] = frozenset()  # hidden columns (0-based)


def _header_key(text: object) -> str | None:
    name = re.sub(r"[\s\u3000]+", "", str(text or ""))
    name = re.sub(r"[（(][^（()）]*[）)]$", "", name)  # 清理意见（继续有效/修改/废止）
    for key, names in HEADERS.items():
        if name in names:
            return key
    return None


MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # a 5,000-row table is about 2 MB inside its .xlsx; openpyxl holds it all
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELLS = 2_000_000


def _too_big(rel: str, what: str) -> Problem:
    return problem("E620", rel, 0, what=what)


def _xlsx_bounds(raw: bytes, rel: str) -> Problem | None:
    """Sizes the zip declares, looked at before openpyxl parses anything: a 1.5 KB file
    can declare gigabytes of XML or a sheet of A1:XFD1048576."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        return problem("E601", rel, reason=f"这不是有效的 Excel 工作簿（{type(exc).__name__}）")
    if total > MAX_UNCOMPRESSED:
        return _too_big(rel, f"解压后有 {total // (1024 * 1024)} MB（上限 {MAX_UNCOMPRESSED // (1024 * 1024)} MB）")
    return None


def read_rows(path: Path, rel: str) -> list[Sheet] | Problem:
    """Every worksheet's rows as values (merged cells filled in), or the CSV's rows, within the limits."""
    suffix = path.suffix.lower()
    raw = read_bytes(path, rel, MAX_FILE_BYTES)
    if isinstance(raw, Problem):  # not a regular file, or too large: say so as an import problem
        reason = raw.message.removesuffix("。")
        return problem("E601", rel, reason=reason.removeprefix("文件无法打开："))
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        bounded = _xlsx_bounds(raw, rel)
        if bounded is not None:
            return bounded
        try:
            book = load_workbook(io.BytesIO(raw), data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or renamed file
            return problem("E601", rel, reason=f"这不是有效的 Excel 工作簿（{type(exc).__name__}）")
        try:
            ordered = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
            ordered += [ws for ws in book.worksheets if ws.sheet_state != "visible"]
            sheets = []
            for ws in ordered:
                sheet = _sheet(ws, rel)
                if isinstance(sheet, Problem):
                    return sheet
                sheets.append(sheet)
            return sheets
        finally:
            book.close()
    if suffix in (".csv", ".txt"):
        if raw.startswith(BOM.encode("utf-8")):
            text = raw.decode("utf-8-sig")
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    text = raw.decode("gb18030")  # Excel's "CSV（逗号分隔）" on Chinese Windows: GBK
                except UnicodeDecodeError:
                    return problem("E601", rel, reason="文件编码无法识别（既不是 UTF-8，也不是 GBK）")
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = []
        try:
            for row in reader:
                if len(rows) == MAX_ROWS:
                    return _too_big(rel, f"超过 {MAX_ROWS} 行")
                rows.append(row[:MAX_COLUMNS])
        except csv.Error as exc:  # a cell over csv's 131,072-character limit, mostly
            detail = "有一个单元格太长（超过 13 万字）" if "field larger" in str(exc) else "格式有误"
            return problem("E601", rel, reason=f"第 {reader.line_num} 行{detail}，请检查是否误粘贴了大段内容")
        return [Sheet("", rows)]
    if suffix == ".xls":
        return problem(
            "E601", rel, reason="这是旧版 Excel 97-2003（.xls）文件；请在 Excel 中“另存为”“Excel 工作簿（.xlsx）”"
        )
    return problem("E601", rel, reason=f"不支持 {suffix or '无扩展名'} 格式")


def _sheet(ws, rel: str) -> Sheet | Problem:
    """One worksheet, never more than the limits, whatever its cells' addresses claim."""
    rows_declared, columns_declared = ws.max_row or 0, ws.max_column or 0
    if rows_declared > MAX_ROWS or columns_declared > MAX_COLUMNS or rows_declared * columns_declared > MAX_CELLS:
        shown = ws.calculate_dimension() if rows_declared and columns_declared else "?"
        return _too_big(rel, f"工作表“{ws.title}”的范围是 {shown}（{rows_declared} 行 × {columns_declared} 列）")
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:  # the top-left cell holds the value: every cell shows it
        value = ws.cell(merged.min_row, merged.min_col).value
        last_column = min(merged.max_col, MAX_COLUMNS)
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            row = rows[r]
            row.extend([None] * (last_column - len(row)))
            for c in range(merged.min_col - 1, last_column):
                row[c] = value
    hidden = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min is not None:
            hidden.update(range(dim.min - 1, (dim.max or dim.min)))
    return Sheet(ws.title, rows, frozenset(hidden))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}" if value.time() == dt.time() else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""


def _header_at(rows: list[list[object]]) -> int | None:
    return next(
        (
            i
            for i, row in enumerate(rows[:20])
            if sum(1 for cell in row if _header_key(cell) in ("title", "result", "doc_no")) >= 2
        ),
        None,
    )


def _title_above(rows: list[list[object]]) -> str:
    """A batch title from the rows above the header (a merged title row), e.g.
    "附件1 2021年规范性文件集中清理目录" -> "2021年规范性文件集中清理"."""
    for row in rows:
        texts = {_cell_text(c) for c in row if not _blank(c)}
        if len(texts) != 1:
            continue
        text = re.sub(r"^附件\s*\d*\s*[：:、.]?\s*", "", texts.pop()).strip()
        text = re.sub(r"(?:结果)?(?:目录|清单|一览表)$", "", text).strip()
        if "清理" in text:
            return text
    return ""


def convert(sheets: list[Sheet], rel: str, issuers: dict[str, str] | None = None) -> Imported:
    result = Imported()
    issuers = issuers or {}
    chosen = next(((sheet, at) for sheet in sheets for at in [_header_at(sheet.rows)] if at is not None), None)
    if chosen is None:
        first = next((row for sheet in sheets for row in sheet.rows if any(not _blank(c) for c in row)), [])
        shown = "、".join(_cell_text(c) for c in first if not _blank(c)) or "（空）"
        names = "、".join(f"“{s.name}”" for s in sheets if s.name)
        if names:
            shown += f"；找过的工作表：{names}"
        result.problems.append(problem("E602", rel, 1, column="文件名称、文号、清理结果", headers=shown))
        return result
    sheet, header_at = chosen
    rows = sheet.rows
    result.sheet, result.header_row = sheet.name, header_at + 1
    result.skipped_sheets = [s.name for s in sheets[: sheets.index(sheet)]]
    result.title = _title_above(rows[:header_at])
    headers_shown = "、".join(_cell_text(c) for c in rows[header_at] if not _blank(c))
    columns: dict[int, str] = {}
    for index, cell in enumerate(rows[header_at]):
        if _blank(cell):
            continue
        key = _header_key(cell)
        if key is None or key in columns.values():
            hidden = "（隐藏列）" if index in sheet.hidden else ""
            result.problems.append(problem("E604", rel, header_at + 1, column=_cell_text(cell) + hidden))
        else:
            columns[index] = key
    found = set(columns.values())
    infer = "issuer" not in found and "doc_no" in found and bool(issuers)
    missing = [_LABEL[k] for k in REQUIRED if k not in found and not (k == "issuer" and infer)]
    if missing:
        result.problems.append(problem("E602", rel, header_at + 1, column="、".join(missing), headers=headers_shown))
        return result
    after_total = False
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if all(_blank(c) for c in row):
            continue
        texts = [_cell_text(c) for c in row if not _blank(c)]
        distinct = list(dict.fromkeys(texts))
        if _TOTAL.match(distinct[0]):
            stated = re.search(r"(\d+)\s*件", " ".join(distinct)) or next(
                (re.fullmatch(r"\d+", t) for t in distinct[1:] if re.fullmatch(r"\d+", t)), None
            )
            if stated and not distinct[0].lstrip().startswith("小"):
                result.stated_total = int(stated[1] if stated.groups() else stated[0])
            result.problems.append(problem("E608", rel, number, row=number, what="是合计行", value=_short(distinct)))
            after_total = True
            continue
        if len(distinct) == 1 and (_NOTE.match(distinct[0]) or after_total):
            what = "是表格下方的说明"
            result.problems.append(problem("E608", rel, number, row=number, what=what, value=_short(distinct)))
            continue
        values = {key: _cell_text(row[i]) if i < len(row) else "" for i, key in columns.items()}
        dirty = sorted({f"U+{ord(c):04X}" for v in values.values() for c in CONTROL.findall(v)})
        if dirty:  # a NUL or Word's U+000B: nothing any later step could write or show
            values = {key: CONTROL.sub("", value) for key, value in values.items()}
            result.problems.append(problem("E621", rel, number, row=number, chars="、".join(dirty)))
        header = rows[header_at]
        stray = [_cell_text(c) for i, c in enumerate(row) if not _blank(c) and (i >= len(header) or _blank(header[i]))]
        if stray:
            detail = f"没有表头的列中还有内容“{'、'.join(stray)}”，没有导入"
            result.problems.append(problem("E603", rel, number, row=number, detail=detail))
        record = _record(values, number, rel, result.problems, issuers if infer else None)
        result.inferred_issuers += infer and bool(record.get("issuer"))
        result.records.append(record)
    return result


def _short(texts: list[str]) -> str:
    text = "　".join(texts)
    return text if len(text) <= 60 else text[:59] + "…"


def _record(values: dict[str, str], row: int, rel: str, found: list[Problem], issuers: dict[str, str] | None) -> dict:
    def report(detail: str) -> None:
        found.append(problem("E603", rel, row, row=row, detail=detail))

    typed = values.get("doc_no", "")
    fixed = docno.fix_text(typed) if typed else typed
    if fixed != typed:  # 滨政发[2016]12号 -> 滨政发〔2016〕12号, said aloud
        found.append(problem("E606", rel, row, row=row, old=typed, new=fixed))
        values = {**values, "doc_no": fixed}
    if issuers is not None:  # no 发文机关 column: read it from the 文号's 代字 (site.yml issuers)
        values = {**values, "issuer": _issuer(fixed, issuers, report)}

    record: dict[str, object] = {}
    no = values.get("no", "")
    if no:
        record["no"] = int(no) if re.fullmatch(r"\d+", no) else no
        if not re.fullmatch(r"\d+", no):
            report(f"序号“{no}”不是数字，已照原样写入")
    for key in ("title", "doc_no", "issuer"):
        record[key] = values.get(key, "")
        if not record[key] and not (key == "issuer" and issuers is not None):
            report(f"没有{_LABEL[key]}" + ("（没有文号的请写“无文号”）" if key == "doc_no" else ""))
    if record["doc_no"] and record["doc_no"] != docno.NO_NUMBER and docno.canonical(str(record["doc_no"])) is None:
        report(f"文号“{record['doc_no']}”无法识别，已照原样写入")
    for key in ("date", "deadline"):
        text = values.get(key, "")
        if not text:
            if key == "date":
                report("没有成文日期")
                record[key] = ""
            continue
        parsed = parse_datetime(text)
        record[key] = f"{parsed:%Y-%m-%d}" if parsed else text
        if parsed is None:
            report(f"{'成文日期' if key == 'date' else '修改期限'}“{text}”无法识别，已照原样写入")
    result = values.get("result", "")
    record["result"] = SYNONYMS.get(result, result)
    if not result:
        report("没有清理结果")
    elif record["result"] not in RESULTS:
        report(f"清理结果“{result}”不是{'、'.join(RESULTS)}之一，已照原样写入")
    if values.get("reason"):
        record["reason"] = values["reason"]
    order = ("no", "title", "doc_no", "issuer", "date", "result", "reason", "deadline")
    return {k: record[k] for k in order if k in record}


def _issuer(number: str, issuers: dict[str, str], report) -> str:
    checked = docno.CANONICAL.match(number)
    if checked is None:
        what = "无文号的文件" if number == docno.NO_NUMBER else f"文号“{number}”"
        report(f"表格没有发文机关列，{what}推断不出发文机关")
        return ""
    issuer = issuers.get(checked["dz"])
    if issuer is None:
        report(f"表格没有发文机关列，文号代字“{checked['dz']}”不在 content/site.yml 的 issuers 中，推断不出发文机关")
        return ""
    return issuer


def yaml_scalar(value: object) -> str:
    """Plain when YAML reads it back as the same text, double-quoted otherwise."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text  # our loader reads dates as text
    try:
        plain = text and yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain = False
    return text if plain and " #" not in text else json.dumps(text, ensure_ascii=False)


def to_yaml(imported: Imported, source: str, title: str = "", slug: str = "") -> str:
    where = f"{source} 的工作表“{imported.sheet}”" if imported.sheet else source
    total = imported.stated_total if imported.stated_total is not None else len(imported.records)
    lines = [
        f"# 由 site-builder import-cleanup 从 {where} 导入，共 {len(imported.records)} 件。",
        "# 请补全下面空着的清理批次信息（清理名称、清理决定、清理范围），然后运行 site-builder check 检查。",
        f"title: {yaml_scalar(title)}  # 清理名称"
        if title
        else 'title: ""  # 清理名称，例如：2021年规范性文件集中清理',
    ]
    if slug:
        lines.append(f"slug: {slug}  # 网址别名，发布后不要改")
    lines += [
        "kind: 集中清理  # 集中清理 或 专项清理",
        "decision:",
        '  title: ""  # 公布清理结果的决定或通知的标题',
        '  doc_no: ""  # 它的文号，例如：滨政发〔2021〕18号',
        '  publisher: ""  # 发布机构，例如：滨江市人民政府',
        '  date: ""  # 它的成文日期，例如：2021-03-08',
        'scope: ""  # 清理范围',
        f"total: {total}" + ("  # 表格合计行写明的件数" if imported.stated_total is not None else ""),
        "records:" if imported.records else "records: []",
    ]
    for record in imported.records:
        for index, (key, value) in enumerate(record.items()):
            lines.append(f"  {'- ' if index == 0 else '  '}{key}: {yaml_scalar(value)}")
    return "\n".join(lines) + "\n"


def import_file(path: Path, rel: str, issuers: dict[str, str] | None = None) -> Imported | None:
    """What was read and found on the way; None when the file could not be read at all
    (the problem is then in ``failed``)."""
    sheets = read_rows(path, rel)
    if isinstance(sheets, Problem):
        return Imported(problems=[sheets])
    return convert(sheets, rel, issuers)


def failed(imported: Imported) -> bool:
    return any(p.code in ("E601", "E602", "E620") for p in imported.problems)
