"""政府信息公开工作年度报告 as data: every 勾稽关系 rule, the library row, the rendered tables."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from site_builder.core.cleanups.model import Batch, Decision, Record
from site_builder.core.xxgk import annual, render
from site_builder.core.xxgk.library_row import normative_row
from site_builder.core.xxgk.load import _library_row, _missing_report, load_section

SAMPLE = Path(__file__).resolve().parent.parent / "content" / "xxgk" / "annual" / "2020.yml"
TEXT = SAMPLE.read_text(encoding="utf-8")


def load(tmp_path: Path, text: str):
    path = tmp_path / "2020.yml"
    path.write_text(text, encoding="utf-8")
    return annual.load_report(path, "content/xxgk/annual/2020.yml", "xxgk/annual/2020.yml")


def replace(old: str, new: str, text: str = TEXT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(fragment: str) -> int:
    return TEXT[: TEXT.index(fragment)].count("\n") + 1


def test_the_sample_report_loads_and_adds_up(tmp_path):
    report, found = load(tmp_path, TEXT)
    assert found == [] and report is not None
    assert report.applications["results.total"].values == (9, 2, 0, 0, 1, 0, 12)
    assert report.review["review"].values == (1, 0, 0, 1, 2)


# Each case breaks one rule and only it: (change, the one code expected, the line, words the message must show).
CASES = {
    "row total (E905)": (
        [("disclosed:   [4, 1,", "disclosed:   [5, 1,"), ("partly:      [1, 0,", "partly:      [0, 0,")],
        "E905",
        "disclosed:",
        ["（一）予以公开", "总计 6", "5 + 1 + 0 + 0 + 1 + 0 = 7"],
    ),
    "group subtotal (E906)": (
        [("subtotal:         [1, 1, 0, 0, 0, 0, 2]", "subtotal:         [2, 1, 0, 0, 0, 0, 3]")],
        "E906",
        "subtotal:",
        ["（三）不予公开", "自然人", "为 2", "= 1"],
    ),
    "（七）总计 (E907)": (
        [
            ("total:       [9, 2, 0, 0, 1, 0, 12]", "total:       [10, 2, 0, 0, 1, 0, 13]"),
            ("carry_forward: [1, 0, 0, 0, 0, 0, 1]", "carry_forward: [0, 0, 0, 0, 0, 0, 0]"),
        ],
        "E907",
        "total:       [",
        ["自然人", "为 10", "= 9"],
    ),
    "column balance (E908)": (
        [("carried_over:  [1, 0, 0, 0, 0, 0, 1]", "carried_over:  [2, 0, 0, 0, 0, 0, 2]")],
        "E908",
        "new:",
        ["自然人", "9 + 二、上年结转 2 = 11", "9 + 四、结转下年度 1 = 10"],
    ),
    "table 四 total (E909)": (
        [("review:                  [1, 0, 0, 1, 2]", "review:                  [1, 0, 0, 1, 3]")],
        "E909",
        "review:   ",
        ["行政复议", "总计 3", "1 + 0 + 0 + 1 = 2"],
    ),
    "negative count (E904)": (
        [("petition:         [1, 0,", "petition:         [-1, 0,")],
        "E904",
        "petition:",
        ["（五）不予处理 1.信访举报投诉类申请", "自然人", "-1"],
    ),
    "fraction (E904)": (
        [("penalty: 27 ", "penalty: 27.5 ")],
        "E904",
        "penalty:",
        ["行政处罚", "27.5"],
    ),
    "missing row (E902)": (
        [("      unclear:          [0, 0, 0, 0, 0, 0, 0]\n", "")],
        "E902",
        "unavailable:",
        ["（四）无法提供 3.补正后申请内容仍不明确", "不按 0"],
    ),
    "row of the wrong length (E911)": (
        [("inquiry:          [0, 0, 0, 0, 0, 0, 0]", "inquiry:          [0, 0, 0, 0, 0, 0]")],
        "E911",
        "inquiry:",
        ["8.属于行政查询事项", "写了 6 个数", "应当写 7 个"],
    ),
    "unreadable date (E915)": ([("date: 2021-01-25 ", "date: 2021-13-45 ")], "E915", "date:", ["2021-13-45"]),
    "negative fee (E913)": ([("fees: 0 ", "fees: -3 ")], "E913", "fees:", ["行政事业性收费", "-3"]),
    "empty prose (E914)": (
        [("other_matters: |", "other_matters: ''\nignored: |")],
        "E903",
        "other_matters:",
        ["ignored"],
    ),
}


# Every code of this area, each made to happen by a test in this file (tests/test_bad_input.py checks the union).
EXERCISED = {code for _, code, _, _ in CASES.values()} | {"E910", "E912", "E914", "E920", "E922", "W901", "W902"}


@pytest.mark.parametrize("case", CASES)
def test_each_rule_fails_on_a_file_that_breaks_it_and_only_it(tmp_path, case):
    changes, code, where, words = CASES[case]
    text = TEXT
    for old, new in changes:
        text = replace(old, new, text)
    report, found = load(tmp_path, text)
    assert report is None
    errors = [p for p in found if p.is_error]
    codes = {p.code for p in errors}
    if case == "empty prose (E914)":
        assert codes == {"E903", "E914"}
        return
    assert codes == {code}, [p.format() for p in errors]
    first = errors[0]
    assert first.path == "content/xxgk/annual/2020.yml"
    assert first.line == line_of(where), first.format()
    shown = "\n".join(p.format() for p in errors)
    for word in words:
        assert word in shown, shown
    assert "修改方法" in shown


def test_a_fee_may_have_decimals_but_a_count_may_not(tmp_path):
    report, found = load(tmp_path, replace("fees: 0 ", "fees: 1.25 "))
    assert found == [] and report.active["fees"].values == (1.25,)


def test_year_must_match_the_file_name(tmp_path):
    report, found = load(tmp_path, replace("year: 2020", "year: 2019"))
    assert report is None and [p.code for p in found] == ["E912"]


def _batch(slug: str, day: dt.date, *records: Record) -> Batch:
    decision = Decision(title=f"{slug}的决定", doc_no=f"滨政发〔{day.year}〕90号", publisher="滨江市人民政府", date=day)
    return Batch(
        src=f"cleanups/{slug}.yml",
        slug=slug,
        title=slug,
        kind="集中清理",
        decision=decision,
        scope="全部",
        records=list(records),
    )


def _record(no: int, year: int, result: str, month: int = 3) -> Record:
    reason = "不再适用" if result in ("废止", "宣布失效") else ""
    return Record(
        no=no,
        title=f"文件{no}",
        doc_no=f"滨政规〔{year}〕{no}号",
        issuer="市政府",
        date=dt.date(year, month, 1),
        result=result,
        reason=reason,
    )


def test_the_normative_row_is_counted_from_a_generated_library():
    from site_builder.core.cleanups.library import build_library

    first = _batch(
        "a",
        dt.date(2020, 6, 30),
        _record(1, 2018, "继续有效"),
        _record(2, 2019, "废止"),
        _record(3, 2020, "继续有效"),
        _record(4, 2020, "继续有效", 5),
    )
    second = _batch("b", dt.date(2021, 6, 30), _record(3, 2020, "宣布失效"), _record(5, 2021, "继续有效"))
    library = build_library([first, second], dt.date(2026, 1, 1))
    # 2020: two written that year; one ended (文件2, by the 2020 decision); in force at year end: 1, 3, 4
    assert normative_row(library, 2020) == (2, 1, 3)
    # 2021: one written; one ended (文件3); in force at year end: 1, 4, 5
    assert normative_row(library, 2021) == (1, 1, 3)
    report = annual.AnnualReport(2020, "x", "", None, "a", "b", "c")
    assert _library_row(report, library, "content/xxgk/annual/2020.yml") == []
    assert report.active["normative"].values == (2, 1, 3) and report.normative_computed
    # a number written in the file that disagrees is an error showing both
    report.active["normative"] = annual.Row((2, 0, 3), 21)
    found = _library_row(report, library, "content/xxgk/annual/2020.yml")
    assert [(p.code, p.line) for p in found] == [("E910", 21)]
    assert "本年废止件数" in found[0].message and "写的是 0" in found[0].message and "为 1" in found[0].message


def test_last_years_report_missing_after_31_january_is_a_warning():
    from site_builder.core.xxgk.load import Part, Section

    section = Section("政府信息公开", "办", "1", "{seq}", (), (Part("annual", "年报", "annual"),))
    section.reports[2020] = object()
    assert _missing_report(section, dt.datetime(2021, 1, 31, 23), "content") == []
    late = _missing_report(section, dt.datetime(2022, 2, 1), "content")
    assert [p.code for p in late] == ["W901"] and "2021" in late[0].message and not late[0].is_error
    section.reports[2021] = object()
    assert _missing_report(section, dt.datetime(2022, 2, 1), "content") == []


class _Cells(HTMLParser):
    """Every data cell of a table with the text of the headers it names."""

    def __init__(self):
        super().__init__()
        self.headers: dict[str, str] = {}
        self.cells: list[tuple[list[str], str]] = []
        self._open: tuple[str, dict] | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td"):
            self._open, self._text = (tag, dict(attrs)), ""

    def handle_data(self, data):
        if self._open:
            self._text += data

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._open:
            kind, attrs = self._open
            if kind == "th" and attrs.get("id"):
                self.headers[attrs["id"]] = self._text
            if kind == "td" and "headers" in attrs:
                self.cells.append((attrs["headers"].split(), self._text))
            self._open = None


def parse_tables(html: str) -> dict[tuple[str, ...], int]:
    parser = _Cells()
    parser.feed(html)
    return {tuple(parser.headers[i] for i in ids): int(text) for ids, text in parser.cells}


def expected_from_yaml(data: dict) -> dict[tuple[str, ...], int]:
    """What a reader of the national table reads, from the YAML alone (no site_builder code)."""
    apps = data["applications"]
    cols = [("申请人情况", "自然人")] + [
        ("申请人情况", "法人或其他组织", c) for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    ]
    cols.append(("申请人情况", "总计"))
    rows = [
        (("一、本年新收政府信息公开申请数量",), apps["new"]),
        (("二、上年结转政府信息公开申请数量",), apps["carried_over"]),
    ]
    res = ("三、本年度办理结果",)
    rows.append(((*res, "（一）予以公开"), apps["results"]["disclosed"]))
    rows.append(((*res, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), apps["results"]["partly"]))
    for group, (label, items) in annual.RESULT_GROUPS.items():
        rows += [((*res, label, item), apps["results"][group][key]) for key, item in items]
    rows.append(((*res, "（七）总计"), apps["results"]["total"]))
    rows.append((("四、结转下年度继续办理",), apps["carry_forward"]))
    result = {}
    for row, values in rows:
        for col, value in zip(cols, values, strict=True):
            result[row + col] = value
    review = data["review_litigation"]
    five = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    for key, head in (
        ("review", ("行政复议",)),
        ("litigation_direct", ("行政诉讼", "未经复议直接起诉")),
        ("litigation_after_review", ("行政诉讼", "复议后起诉")),
    ):
        for col, value in zip(five, review[key], strict=True):
            result[(*head, col)] = value
    return result


def test_the_rendered_tables_read_back_through_their_headers_into_the_same_numbers(tmp_path):
    report, _ = load(tmp_path, TEXT)
    report.active["normative"] = annual.Row((1, 2, 3), 0)
    html = render.report_body(report)
    assert parse_tables(html) == expected_from_yaml(yaml.safe_load(TEXT))
    for title in annual.TOP_FIELDS.values():
        if title[0] in "一二三四五六":
            assert f">{title}</h2>" in html


def test_load_section_needs_the_section_in_site_yml(tmp_path):
    (tmp_path / "site.yml").write_text("name: x\n", encoding="utf-8")
    assert load_section(tmp_path, "content", (), [], dt.datetime(2021, 1, 1)) == (None, [])


def test_the_word_document_holds_the_same_numbers_and_is_byte_identical(tmp_path):
    import docx

    from site_builder.core.xxgk.docx_report import to_docx

    report, _ = load(tmp_path, TEXT)
    report.active["normative"] = annual.Row((1, 2, 3), 0)
    data = to_docx(report, "滨江市人民政府法制办公室")
    assert data == to_docx(report, "滨江市人民政府法制办公室")
    import io

    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:1] == ["一、总体情况"] and headings[-1] == "六、其他需要报告的事项"
    applications = document.tables[4]
    values = yaml.safe_load(TEXT)["applications"]
    row = next(r for r in applications.rows if r.cells[2].text == "4.保护第三方合法权益")
    assert [c.text for c in row.cells[3:]] == [str(v) for v in values["results"]["refused"]["third_party"]]
    assert row.cells[0].text == "三、本年度办理结果" and row.cells[1].text == "（三）不予公开"
    review = document.tables[5]
    assert [c.text for c in review.rows[3].cells[:5]] == ["1", "0", "0", "1", "2"]


def test_markup_in_the_prose_is_shown_never_run(tmp_path):
    hostile = replace(
        "无其他需要报告的事项。", "无其他需要报告的事项。<script>alert(1)</script><img src=x onerror=alert(2)>"
    )
    report, found = load(tmp_path, hostile)
    assert found == []
    report.active["normative"] = annual.Row((0, 0, 0), 0)
    html = render.report_body(report)
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html


SECTION = """name: x
xxgk:
  publisher: 滨江市人民政府法制办公室
  organization_code: "000014349"
  index_rule: "{rule}"
  categories: [政策文件]
  parts:
{parts}
"""


@pytest.mark.parametrize(
    ("rule", "parts", "code", "words"),
    [
        ("{organization_code}/{year}", "    - part: catalogue", "E922", "{seq}"),
        ("{organization_code}/{yr}-{seq}", "    - part: catalogue", "E922", "{yr}"),
        ("{organization_code}/{year}-{seq:05d}", "    - part: guides", "E920", "guides"),
        ("{organization_code}/{year}-{seq:05d}", "    - part: apply", "E920", "form"),
    ],
)
def test_section_settings_errors_are_coded(tmp_path, rule, parts, code, words):
    (tmp_path / "site.yml").write_text(SECTION.format(rule=rule, parts=parts), encoding="utf-8")
    section, found = load_section(tmp_path, "content", ("政策文件",), [], dt.datetime(2021, 1, 1))
    assert section is None
    assert {p.code for p in found} == {code}, [p.format() for p in found]
    assert words in "\n".join(p.format() for p in found)


def test_a_missing_page_file_is_a_warning_and_the_part_stays_empty(tmp_path):
    (tmp_path / "site.yml").write_text(
        SECTION.format(rule="{organization_code}/{year}-{seq:05d}", parts="    - part: guide"), encoding="utf-8"
    )
    section, found = load_section(tmp_path, "content", ("政策文件",), [], dt.datetime(2021, 1, 1))
    assert section is not None and "guide" not in section.pages
    assert [(p.code, p.is_error) for p in found] == [("W902", False)] and "xxgk/guide.md" in found[0].message


def test_a_complete_section_loads_with_its_report_and_the_library_row(tmp_path):
    (tmp_path / "site.yml").write_text(
        SECTION.format(rule="{organization_code}/{year}-{seq:05d}", parts="    - part: annual"), encoding="utf-8"
    )
    (tmp_path / "xxgk/annual").mkdir(parents=True)
    (tmp_path / "xxgk/annual/2020.yml").write_text(TEXT, encoding="utf-8")
    batch = _batch("a", dt.date(2020, 6, 30), _record(1, 2020, "继续有效"))
    section, found = load_section(tmp_path, "content", ("政策文件",), [batch], dt.datetime(2021, 1, 20))
    assert found == [] and section.reports[2020].active["normative"].values == (1, 0, 1)
    section, found = load_section(tmp_path, "content", ("政策文件",), [], dt.datetime(2021, 1, 20))
    assert section is None and [(p.code, p.path) for p in found] == [("E902", "content/xxgk/annual/2020.yml")]
