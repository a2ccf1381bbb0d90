"""`site-builder import-cleanup`: real .xlsx made here with openpyxl, real GBK and UTF-8 CSV files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from openpyxl import Workbook

from site_builder.core.cleanups.load import load_batch
from tests.conftest import SAMPLE_CONTENT, run_cli

HEADER = ["序号", "文件标题", "发文字号", "制定机关", "发文日期", "清理意见", "备注"]
ROWS = [
    [
        1,
        "滨江市人民政府关于印发滨江市城市绿化管理办法的通知",
        "滨政发〔2016〕12号",
        "市政府",
        dt.datetime(2016, 8, 1),
        "继续保留",
        None,
    ],
    [
        2,
        "滨江市人民政府办公室关于做好防汛抗旱工作的通知",
        "滨政办发[2019]3号",
        "市政府办公室",
        "2019年4月2日",
        "废止",
        "已被新规定替代",
    ],
    [
        3,
        "滨江市人民政府关于建市初期临时办公用房安排的通知",
        "无文号",
        "市政府",
        "1994/8/3",
        "宣布失效",
        "调整对象已消失",
    ],
]

BATCH_HEAD = """\
title: 导入测试
decision:
  title: 滨江市人民政府关于公布规范性文件清理结果的决定
  doc_no: 滨政发〔2021〕18号
  publisher: 滨江市人民政府
  date: 2021-03-08
scope: 测试
"""


def make_xlsx(path: Path, rows: list[list]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["附件1  规范性文件清理目录"])  # a title row above the header, as offices make them
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def as_csv(rows: list[list]) -> str:
    def cell(v):
        return f"{v:%Y-%m-%d}" if isinstance(v, dt.datetime) else ("" if v is None else str(v))

    return "\r\n".join(",".join(cell(v) for v in row) for row in [HEADER, *rows]) + "\r\n"


def imported_records(project: Path, out: Path, decided: str = "2021-03-08"):
    """Fill in the batch fields staff complete by hand, then read the file like `check` does."""
    text = out.read_text(encoding="utf-8")
    body = text[text.index("total:") :]
    path = project / "filled.yml"
    path.write_text(BATCH_HEAD.replace("2021-03-08", decided) + body, encoding="utf-8")
    batch, found = load_batch(path, "filled.yml")
    return batch, found


def test_import_xlsx_maps_chinese_headers_and_reads_dates(project: Path):
    source = project / "清理目录.xlsx"
    make_xlsx(source, ROWS)
    result = run_cli("import-cleanup", str(source), "--content", str(project / "content"), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    # the batch's name comes from the title row above the header, its file and URL from that name
    out = project / "content" / "cleanups" / "gui-fan-xing-wen-jian-qing-li.yml"
    assert "已导入 3 件文件" in result.stdout
    assert "文号“滨政办发[2019]3号”已改为规范写法“滨政办发〔2019〕3号”" in result.stdout
    assert "title: 规范性文件清理" in out.read_text(encoding="utf-8")
    batch, found = imported_records(project, out)
    assert found == []
    assert [(r.no, r.doc_no, r.issuer, f"{r.date}", r.result, r.reason) for r in batch.records] == [
        (1, "滨政发〔2016〕12号", "市政府", "2016-08-01", "继续有效", ""),
        (2, "滨政办发〔2019〕3号", "市政府办公室", "2019-04-02", "废止", "已被新规定替代"),
        (3, "无文号", "市政府", "1994-08-03", "宣布失效", "调整对象已消失"),
    ]


def test_import_gbk_csv_as_excel_saves_it_on_chinese_windows(project: Path):
    source = project / "目录.csv"
    source.write_bytes(as_csv(ROWS).encode("gbk"))
    out = project / "out.yml"
    result = run_cli("import-cleanup", str(source), "-o", str(out), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    text = out.read_text(encoding="utf-8")
    assert "滨江市人民政府办公室关于做好防汛抗旱工作的通知" in text and "调整对象已消失" in text


def test_import_utf8_bom_csv(project: Path):
    source = project / "目录.csv"
    source.write_bytes(b"\xef\xbb\xbf" + as_csv(ROWS).encode("utf-8"))
    out = project / "out.yml"
    result = run_cli("import-cleanup", str(source), "-o", str(out), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text(encoding="utf-8").count("  - no:") == 3


def test_unreadable_rows_are_reported_with_row_numbers_and_still_written(project: Path):
    rows = [
        *ROWS,
        [4, "滨江市人民政府关于某事项的通知", "滨政发〔2015〕9号", "市政府", "2015年13月1日", "作废", ""],
        [None, "只有标题的一行", None, None, None, None, None],
    ]
    source = project / "目录.xlsx"
    make_xlsx(source, rows)
    out = project / "out.yml"
    result = run_cli("import-cleanup", str(source), "-o", str(out), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    # Excel row numbers: a title row, the header, then the data from row 3.
    assert "第 6 行：成文日期“2015年13月1日”无法识别，已照原样写入" in result.stdout
    assert "第 6 行：清理结果“作废”不是" in result.stdout
    assert "第 7 行：没有文号" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert "2015年13月1日" in text and "作废" in text and "只有标题的一行" in text, "nothing is dropped"
    assert text.count("  - no:") + text.count("  - title:") == 5


def test_unknown_columns_are_reported_not_silently_dropped(project: Path):
    source = project / "目录.csv"
    source.write_text(as_csv(ROWS).replace("备注", "备注,页数", 1).replace("\r\n1,", ",\r\n1,", 1), encoding="utf-8")
    out = project / "out.yml"
    result = run_cli("import-cleanup", str(source), "-o", str(out), cwd=project)
    assert result.returncode == 0
    assert "E604 表头“页数”不是能识别的列，这一列的内容没有导入。" in result.stdout


def test_import_never_overwrites_without_force(project: Path):
    source = project / "目录.csv"
    source.write_text(as_csv(ROWS), encoding="utf-8")
    out = project / "out.yml"
    out.write_text("# 已有的文件\n", encoding="utf-8")
    result = run_cli("import-cleanup", str(source), "-o", str(out), cwd=project)
    assert result.returncode == 1
    assert "E605" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "# 已有的文件\n"
    forced = run_cli("import-cleanup", str(source), "-o", str(out), "--force", cwd=project)
    assert forced.returncode == 0 and "  - no: 3" in out.read_text(encoding="utf-8")


def test_missing_columns_and_unreadable_files_write_nothing(project: Path):
    source = project / "目录.csv"
    source.write_text("序号,文件名称,清理结果\r\n1,某通知,废止\r\n", encoding="utf-8")
    out = project / "out.yml"
    result = run_cli("import-cleanup", str(source), "-o", str(out), cwd=project)
    assert result.returncode == 1 and not out.exists()
    assert "E602 表格中找不到“文号、发文机关、成文日期”列" in result.stderr
    fake = project / "目录.xlsx"
    fake.write_bytes(b"not a workbook")
    result = run_cli("import-cleanup", str(fake), "-o", str(out), cwd=project)
    assert result.returncode == 1 and "E601" in result.stderr and "Traceback" not in result.stderr


def test_the_sites_own_csv_download_imports_back_to_the_same_records(project: Path, sample_site: Path):
    """Round trip: a published batch's CSV, imported, gives the records it was made from."""
    source_yaml = next((SAMPLE_CONTENT / "cleanups").glob("*产权*.yml"))
    original, _ = load_batch(source_yaml, "x")
    csv_file = project / "download.csv"
    shutil.copy(sample_site / original.url / f"{original.slug}.csv", csv_file)
    out = project / "content" / "cleanups" / "back.yml"
    result = run_cli("import-cleanup", str(csv_file), "-o", str(out), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    batch, found = imported_records(project, out, f"{original.date:%Y-%m-%d}")
    assert found == []
    key = lambda r: (r.no, r.title, r.doc_no, r.issuer, r.date, r.result, r.reason, r.deadline)  # noqa: E731
    assert [key(r) for r in batch.records] == [key(r) for r in original.records]
