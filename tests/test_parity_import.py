"""`site-builder import-cleanup` on workbooks made the way offices make them (openpyxl):
a cover sheet first, a merged title row, the header on row 3, merged cells, a hidden
column, a 合计 row and notes under the table, no 发文机关 column. Nothing is lost and
nothing invented: every data row becomes a record or a row-numbered error.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from site_builder.core.cleanups.load import load_batch
from site_builder.core.cleanups.pages import download_name
from site_builder.core.slugs import slugify
from tests.conftest import SAMPLE_CONTENT, run_cli

IMPORT_CODES = {"E606", "E607", "E608"}

HEADER = ["序号", "文件名称", "发文字号", "印发日期", "处理意见", "内部编号", "备注"]
DATA = [  # as typed; row numbers 4..8 in the sheet
    [
        1,
        "滨江市人民政府关于印发城市绿化管理办法的通知",
        "滨政发[2016]12号",
        dt.datetime(2016, 8, 1),
        "继续有效",
        "A-1",
        None,
    ],
    [2, "滨江市人民政府办公室关于做好防汛抗旱工作的通知", "滨政办发〔2019〕3号", "2019年4月2日", None, "A-2", None],
    [
        3,
        "滨江市人民政府关于加强行政执法监督的规定",
        "滨政规〔2020〕2号",
        "2020/5/6",
        "修改",
        "A-3",
        "部分条款与上位法不一致",
    ],
    [
        4,
        "滨江市人民政府关于建市初期临时办公用房安排的通知",
        "无文号",
        "1994-08-03",
        "宣布失效",
        "A-4",
        "调整对象已消失",
    ],
    [
        5,
        "滨江市人民政府关于鼓励企业争创著名商标的意见",
        "滨政发（2018）第05号",
        "2018-03-01",
        "废止",
        None,
        "与上位法相抵触",
    ],
]
TITLE = "滨江市2021年规范性文件集中清理"


def office_workbook(path: Path) -> None:
    book = Workbook()
    cover = book.active
    cover.title = "封面"
    cover["B3"] = "滨江市人民政府法制办公室"
    cover["B5"] = "2021年规范性文件清理工作材料"
    cover["B7"] = "二〇二一年三月"
    sheet = book.create_sheet("清理目录")
    sheet.append([f"附件1  {TITLE}目录"])
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(HEADER)
    for row in DATA:
        sheet.append(row)
    sheet.merge_cells("E4:E5")  # 继续有效 for rows 4 and 5, typed once
    sheet.column_dimensions["F"].hidden = True  # an internal number, hidden
    sheet.append(["合计", None, "共 5 件"])
    sheet.merge_cells("A9:B9")
    sheet.append([])
    sheet.append(["注：1. 本目录按印发日期排列；2. 处理意见以市政府常务会议决定为准。"])
    sheet.merge_cells("A11:G11")
    sheet.append(["制表人：张明　　审核人：李华"])
    book.save(path)


def _import(project: Path, source: Path, *extra: str):
    return run_cli("import-cleanup", str(source), "--content", "content", *extra, cwd=project)


def test_office_workbook_imports_every_row_and_nothing_else(project: Path):
    source = project / "清理.xlsx"
    office_workbook(source)
    result = _import(project, source)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "从工作表“清理目录”第 3 行读取表头（跳过了没有表头的工作表：封面）" in out
    slug = slugify(TITLE)
    path = project / "content/cleanups" / f"{slug}.yml"
    assert f"清理名称：{TITLE}；网址别名：{slug}" in out
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["title"] == TITLE and data["slug"] == slug and data["total"] == 5
    records = data["records"]
    # every data row is a record, in order; no 合计, note or cover text became one
    assert [r["title"] for r in records] == [row[1] for row in DATA]
    assert [r["doc_no"] for r in records] == [
        "滨政发〔2016〕12号",
        "滨政办发〔2019〕3号",
        "滨政规〔2020〕2号",
        "无文号",
        "滨政发〔2018〕5号",
    ]
    assert [r["issuer"] for r in records] == ["市政府", "市政府办公室", "", "", "市政府"]
    assert [str(r["date"]) for r in records] == ["2016-08-01", "2019-04-02", "2020-05-06", "1994-08-03", "2018-03-01"]
    assert [r["result"] for r in records] == ["继续有效", "继续有效", "修改", "宣布失效", "废止"]
    assert [r.get("reason", "") for r in records] == [
        "",
        "",
        "部分条款与上位法不一致",
        "调整对象已消失",
        "与上位法相抵触",
    ]
    assert not any("A-1" in str(r) for r in records)  # the hidden column is not a known one: reported, not mixed in
    assert "E604 表头“内部编号（隐藏列）”不是能识别的列" in out
    # each change and each row that needs a hand is said with its row number
    reported = re.findall(r":(\d+): (?:错误|警告) (E60\d) ", out)
    assert sorted(set(reported)) == sorted(
        {
            ("3", "E604"),
            ("4", "E606"),
            ("6", "E603"),  # 滨政规: not in site.yml issuers
            ("7", "E603"),  # 无文号: no 代字 to read
            ("8", "E606"),
            ("9", "E608"),  # 合计
            ("11", "E608"),  # 注：…
            ("12", "E608"),  # 制表人
        }
    ), out
    assert "文号“滨政发[2016]12号”已改为规范写法“滨政发〔2016〕12号”" in out
    assert "代字“滨政规”不在 content/site.yml 的 issuers 中" in out
    assert "3 件的发文机关按文号代字推断" in out
    assert "已导入 5 件文件" in out


@pytest.mark.parametrize("column", ["处理意见", "清理意见", "清理情况", "清理结论", "清理结果（继续有效/修改/废止）"])
def test_result_header_synonyms(project: Path, column: str):
    source = project / "目录.csv"
    rows = [
        "序号,文件名称,发文字号,发文机关,印发日期," + column,
        "1,滨江市人民政府关于某事项的通知,滨政发〔2016〕12号,市政府,2016-08-01,继续有效",
    ]
    source.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    result = _import(project, source, "--title", "2021年规范性文件集中清理")
    assert result.returncode == 0, result.stdout + result.stderr
    slug = slugify("2021年规范性文件集中清理")
    text = (project / f"content/cleanups/{slug}.yml").read_text("utf-8")
    assert "result: 继续有效" in text and "E604" not in result.stdout


def test_no_issuer_column_without_issuers_setting_is_refused_with_the_way_out(project: Path):
    settings = project / "content/site.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"\nissuers:[^\n]*\n(?:  [^\n]*\n)*", "\n", text), encoding="utf-8")
    source = project / "清理.xlsx"
    office_workbook(source)
    result = _import(project, source)
    assert result.returncode == 1
    assert "E602 表格中找不到“发文机关”列" in result.stderr
    assert "issuers" in result.stderr
    assert not (project / "content/cleanups").exists()


def test_batch_slug_comes_from_title_or_option_never_the_file_name(project: Path):
    source = project / "附件1清理目录（终稿）.csv"
    source.write_text(
        "序号,文件名称,文号,发文机关,成文日期,清理结果\r\n1,某通知,滨政发〔2016〕12号,市政府,2016-08-01,继续有效\r\n",
        encoding="utf-8",
    )
    refused = _import(project, source)
    assert refused.returncode == 1 and "E607 不知道这批清理的名称" in refused.stderr
    assert "--title" in refused.stderr
    assert not (project / "content/cleanups").exists()
    named = _import(project, source, "--slug", "2021-jizhong-qingli")
    assert named.returncode == 0, named.stderr
    assert (project / "content/cleanups/2021-jizhong-qingli.yml").is_file()
    assert list((project / "content/cleanups").iterdir()) == [project / "content/cleanups/2021-jizhong-qingli.yml"]
    bad = _import(project, source, "--slug", "2021_Qingli")
    assert bad.returncode == 1 and "E516" in bad.stderr


def test_download_is_not_named_with_a_doubled_qingli():
    names = []
    for path in sorted((SAMPLE_CONTENT / "cleanups").glob("*.yml")):
        batch, found = load_batch(path, path.name)
        assert batch is not None, found
        names.append(download_name(batch, "csv"))
    assert "2021年规范性文件集中清理目录.csv" in names
    assert not any("清理清理" in name for name in names)
