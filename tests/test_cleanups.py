"""规范性文件清理: validation, 文号 rules and --fix, pages, downloads, library, 文号 links."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from site_builder.core import dates, docno
from site_builder.core.cleanups import downloads, fragments
from site_builder.core.cleanups.library import LIBRARY_URL, build_library
from site_builder.core.cleanups.links import link_doc_numbers
from site_builder.core.cleanups.load import load_batch, load_batches
from site_builder.core.cleanups.model import RESULTS, Batch, Decision, Record
from tests.conftest import FIXED_EPOCH, SAMPLE_CONTENT, build_project, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "cleanups"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def sample_batches():
    batches, found = load_batches(SAMPLE_CONTENT, "content")
    assert not [p for p in found if p.is_error]
    return batches


# --- 文号 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical", "issues"),
    [
        ("滨政发〔2016〕12号", "滨政发〔2016〕12号", ()),
        ("滨政发[2016]12号", "滨政发〔2016〕12号", ("E512",)),
        ("滨政发［2016］12号", "滨政发〔2016〕12号", ("E512",)),
        ("滨政发【2016】12号", "滨政发〔2016〕12号", ("E512",)),
        ("滨政发（2016）12号", "滨政发〔2016〕12号", ("E512",)),
        ("滨政发(2016)12号", "滨政发〔2016〕12号", ("E512",)),
        ("滨政发﹝2016﹞12号", "滨政发〔2016〕12号", ("E512",)),
        ("滨政发〖2016〗12号", "滨政发〔2016〕12号", ("E512",)),
        ("滨政发〔16〕12号", "滨政发〔2016〕12号", ("E513",)),
        ("滨政发〔98〕3号", "滨政发〔1998〕3号", ("E513",)),
        ("滨政办发〔2019〕03号", "滨政办发〔2019〕3号", ("E514",)),
        ("滨政规〔2018〕第2号", "滨政规〔2018〕2号", ("E515",)),
        ("滨政发（16）第05号", "滨政发〔2016〕5号", ("E512", "E513", "E514", "E515")),
    ],
)
def test_docno_canonical_form_and_what_was_wrong(typed, canonical, issues):
    found = docno.check(typed)
    assert str(found.canonical) == canonical
    assert found.issues == issues
    assert docno.fix_text(typed) == canonical


@pytest.mark.parametrize("typed", ["待补", "滨政发〔2016〕0号", "2016年12号", "无"])
def test_docno_rejects_what_is_not_a_number(typed):
    assert docno.check(typed).canonical is None


def test_fix_text_changes_only_the_numbers_in_running_text():
    text = "根据《办法》（滨政发[16]第05号）和滨政规〔2018〕2号，印发（2021）年计划。"
    assert docno.fix_text(text) == "根据《办法》（滨政发〔2016〕5号）和滨政规〔2018〕2号，印发（2021）年计划。"


# --- validation: one fixture per rule ------------------------------------------


CASES = {
    "unknown-result": ("E505", 22, "清理结果“费止”不在规定的范围内。您是不是想写“废止”？"),
    "missing-reason": ("E506", 22, "清理结果为“废止”的文件必须写明理由（reason）。"),
    "duplicate-docno": ("E507", 19, "文号“滨政发〔2016〕12号”在本批清理目录中重复（第一次在第 13 行）。"),
    "total-mismatch": ("E508", 9, "决定中写明共 261 件（total），清理目录实际有 3 件。"),
    "bad-date": ("E509", 21, "成文日期（date）无法识别为日期：2019-02-30"),
    "date-after-batch": ("E510", 21, "成文日期 2021-05-06 晚于清理决定的日期 2021-03-08。"),
    "not-a-docno": ("E511", 19, "doc_no 的值“待补”不是文号。"),
    "lookalike-brackets": ("E512", 13, "文号“滨政发［2016］12号”的括号不是六角括号〔〕。"),
    "short-year": ("E513", 13, "文号“滨政发〔16〕12号”的年份只写了两位。"),
    "leading-zero": ("E514", 13, "文号“滨政发〔2016〕012号”的序号前面有多余的 0。"),
    "di-prefix": ("E515", 13, "文号“滨政发〔2016〕第12号”的序号前面多了“第”字。"),
    "unknown-field": ("E501", 20, "清理目录中的文件中有未知字段 isuer。您是不是想写 issuer（发文机关）？"),
    "missing-decision-field": ("E502", 3, "缺少必填字段 publisher（发布机构）。"),
    "bad-slug": ("E516", 2, "清理批次的网址别名 slug “测试_清理”格式不对或重复。"),
    "records-not-a-list": (
        "E503",
        10,
        "字段 records（清理目录）的值应为列表（每件文件一项，以“- ”开头），现在是：见附件",
    ),
    "unknown-article": ("E518", 8, "清理决定的发布文章 article “no-such-article”不存在。"),
    "deadline-not-revise": ("E517", 24, "只有清理结果为“修改”的文件才能写修改期限（deadline），这件文件是“废止”。"),
    "year-mismatch": ("E520", 13, "文号“滨政发〔2016〕12号”中的年份与成文日期 2015-12-30 不一致。"),
}
# Every cleanup code a test here or in test_cleanups_import.py triggers (test_bad_input checks the catalogue).
EXERCISED = {code for code, *_ in CASES.values()} | {"E601", "E602", "E603", "E604", "E605"}


def test_the_base_fixture_is_valid():
    batch, found = load_batch(FIXTURES / "base.yml", "content/cleanups/base.yml")
    assert batch is not None and found == []
    assert [r.result for r in batch.records] == ["继续有效", "废止", "宣布失效"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_cleanup_file_is_reported_with_code_line_and_chinese_message(case):
    code, line, message = CASES[case]
    rel = f"content/cleanups/{case}.yml"
    batch, found = load_batch(FIXTURES / f"{case}.yml", rel, article_slugs=set())
    match = [p for p in found if p.code == code]
    assert match, [p.format() for p in found]
    if match[0].is_error:
        assert batch is None, "an error must stop the batch from being published"
    else:
        assert batch is not None and not [p for p in found if p.is_error], "a warning alone publishes"
    assert (match[0].path, match[0].line, match[0].message) == (rel, line, message)
    assert match[0].hint


def test_check_reports_cleanup_errors_and_fails(project: Path):
    shutil.copy(FIXTURES / "unknown-result.yml", project / "content" / "cleanups.yml")
    (project / "content" / "cleanups").mkdir()
    shutil.move(project / "content" / "cleanups.yml", project / "content" / "cleanups" / "2021-测试.yml")
    result = run_cli("check", "--content", str(project / "content"), cwd=project)
    assert result.returncode == 1
    assert "content/cleanups/2021-测试.yml:22: 错误 E505" in result.stderr
    assert "Traceback" not in result.stderr


# --- check --fix ------------------------------------------------------------------


def test_check_fix_rewrites_only_the_numbers_byte_for_byte(project: Path):
    """BOM, CRLF, comments and quoting survive; only the 文号 substrings change."""
    text = (FIXTURES / "base.yml").read_text(encoding="utf-8")
    bad = {
        "滨政发〔2016〕12号": "滨政发[16]第012号",
        "滨政办发〔2019〕3号": "'滨政办发（2019）03号'  # 原表如此",
        "滨政发〔2021〕18号": "滨政发﹝2021﹞18号",
    }
    for good, typed in bad.items():
        text = text.replace(good, typed, 1)
    text = text.replace("title: 测试清理", "title: 测试清理（滨政发[2016]12号 不在 doc_no 中，不改）")
    original = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    folder = project / "content" / "cleanups"
    folder.mkdir()
    path = folder / "2021-测试.yml"
    path.write_bytes(original)

    result = run_cli("check", "--fix", "--content", str(project / "content"), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "共改正 3 处文号" in result.stdout
    expected = (
        original.decode("utf-8")
        .replace("滨政发[16]第012号", "滨政发〔2016〕12号")
        .replace("滨政办发（2019）03号", "滨政办发〔2019〕3号")
        .replace("滨政发﹝2021﹞18号", "滨政发〔2021〕18号")
    )
    assert path.read_bytes() == expected.encode("utf-8")
    again = run_cli("check", "--fix", "--content", str(project / "content"), cwd=project)
    assert "没有需要自动改正的文号" in again.stdout
    assert path.read_bytes() == expected.encode("utf-8")


# --- the sample site --------------------------------------------------------------


def _rows(page: BeautifulSoup) -> list:
    return page.select("[data-sb-table] table tbody tr")


def test_summary_counts_equal_the_table_and_the_announcing_article(sample_site: Path, sample_batches):
    for batch in sample_batches:
        page = soup(sample_site / batch.url / "index.html")
        rows = _rows(page)
        table = Counter(row["data-result"] for row in rows)
        summary = page.select_one(".sb-cleanup-summary").get_text()
        total = int(re.match(r"共清理(\d+)件", summary)[1])
        assert total == len(rows) == len(batch.records)
        for result in RESULTS:
            label = "此前已废止" if result == "已废止" else result
            said = re.search(rf"(?<![已此前]){label}(\d+)件（([\d.]+)%）", summary)
            if table[result]:
                assert said, (result, summary)
                assert int(said[1]) == table[result]
                assert float(said[2]) == pytest.approx(100 * table[result] / total, abs=0.05)
        assert sum(table.values()) == total
        if batch.total is not None:
            assert batch.total == total
    concentrated = next(b for b in sample_batches if b.kind == "集中清理")
    article = (SAMPLE_CONTENT / "news/2021/guifanxing-wenjian-qingli-jueding.md").read_text(encoding="utf-8")
    stated = dict(
        re.findall(r"(继续有效|修改|废止|宣布失效)(\d+)件", yaml.safe_load(article.split("---")[1])["summary"])
    )
    counts = concentrated.counts()
    assert {k: int(v) for k, v in stated.items()} == {k: counts[k] for k in stated}
    assert len(concentrated.records) == 261


def test_batch_table_is_an_accessible_table(sample_site: Path, sample_batches):
    batch = sample_batches[0]
    page = soup(sample_site / batch.url / "index.html")
    for table in page.select("[data-sb-table] table"):
        assert table.caption
        heads = [th.get_text() for th in table.thead.find_all("th")]
        assert heads == ["序号", "文件名称", "文号", "成文日期", "发文机关", "清理结果", "理由/说明"]
        assert all(th["scope"] == "col" for th in table.thead.find_all("th"))
    # The chart's words and numbers are text (a list a screen reader reads), the bars decoration.
    chart = page.select_one("figure.sb-chart")
    assert chart["aria-labelledby"] == chart.figcaption["id"]
    shown = [li.get_text() for li in chart.select("li")]
    counts = [(result, n) for result, n in batch.counts().items() if n]
    assert len(shown) == len(counts)
    for text, (result, n) in zip(shown, counts, strict=True):
        assert text.startswith("此前已废止" if result == "已废止" else result) and f"{n}件" in text
    assert all(svg.parent["aria-hidden"] == "true" for svg in chart.select("svg"))
    assert not page.find("script", src=re.compile(r"^https?://")), "no external script or CDN"


def test_one_table_per_outcome_as_the_decision_annexes_list_them(sample_site: Path, sample_batches):
    """C-1: each 清理结果 gets its own captioned table, in the vocabulary's order, linked from the top."""
    for batch in sample_batches:
        page = soup(sample_site / batch.url / "index.html")
        counts = {result: n for result, n in batch.counts().items() if n}
        sections = page.select("[data-sb-table] section.sb-annex")
        assert len(sections) == len(counts)
        links = [a["href"] for a in page.select(".sb-annex-nav a")]
        assert links == ["#" + section["id"] for section in sections]
        for section, (result, count) in zip(sections, counts.items(), strict=True):
            rows = section.select("tbody tr")
            assert {row["data-result"] for row in rows} == {result}
            assert len(rows) == count
            assert f"（共{count}件）" in section.table.caption.get_text()
            heading = section.find("h3")
            assert heading["id"] == section["aria-labelledby"] and f"{count}件" in heading.get_text()
            numbers = [int(row.td.get_text()) for row in rows]
            assert numbers == sorted(numbers), "rows keep the decision's 序号 order"
        everyone = sorted(int(row.td.get_text()) for row in _rows(page))
        assert everyone == sorted(r.no for r in batch.records)


def test_downloads_read_back_equal_to_the_source(sample_site: Path, sample_batches):
    for batch in sample_batches:
        expected = [
            [
                str(r.no),
                r.title,
                r.doc_no,
                f"{r.date:%Y-%m-%d}",
                r.issuer,
                r.result,
                r.reason,
                f"{r.deadline:%Y-%m-%d}" if r.deadline else "",
            ]
            for r in sorted(batch.records, key=lambda r: r.no)
        ]
        raw = (sample_site / batch.url / f"{batch.slug}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), "Excel on Chinese Windows needs the BOM to read UTF-8"
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert rows[0] == list(downloads.COLUMNS)
        assert rows[1:] == expected

        book = load_workbook(sample_site / batch.url / f"{batch.slug}.xlsx")
        values = list(book.active.iter_rows(values_only=True))
        assert list(values[0]) == list(downloads.COLUMNS)
        got = [
            [str(v[0]), v[1], v[2], f"{v[3]:%Y-%m-%d}", v[4], v[5], v[6] or "", f"{v[7]:%Y-%m-%d}" if v[7] else ""]
            for v in values[1:]
        ]
        assert got == expected
        page = soup(sample_site / batch.url / "index.html")
        links = {(sample_site / batch.url / a["href"]).resolve() for a in page.select(".sb-downloads a[download]")}
        assert links == {(sample_site / batch.url / f"{batch.slug}.{kind}").resolve() for kind in ("csv", "xlsx")}


def test_xlsx_and_csv_are_byte_identical_whatever_the_clock(sample_batches):
    batch = sample_batches[-1]
    first = downloads.to_xlsx(batch), downloads.to_csv(batch)
    time.sleep(2.1)  # zip timestamps have two-second resolution
    assert (downloads.to_xlsx(batch), downloads.to_csv(batch)) == first
    book = load_workbook(io.BytesIO(first[0]))
    assert book.properties.created.date() == batch.date == book.properties.modified.date()


def test_two_builds_give_identical_downloads(project: Path):
    folder = project / "content" / "cleanups"
    folder.mkdir()
    shutil.copy(FIXTURES / "base.yml", folder / "2021-测试.yml")
    outputs = []
    for epoch in ("1795708800", "1795795200"):
        result = build_project(project, epoch=epoch)
        assert result.returncode == 0, result.stdout + result.stderr
        base = project / "site" / "cleanups" / "test-qingli"
        outputs.append(((base / "test-qingli.csv").read_bytes(), (base / "test-qingli.xlsx").read_bytes()))
        time.sleep(2.1)
    assert outputs[0] == outputs[1]


# --- the library ----------------------------------------------------------------------


def test_library_keeps_history_and_takes_validity_from_the_latest_batch(sample_site: Path, sample_batches):
    today = dt.datetime.fromtimestamp(int(FIXED_EPOCH), dates.TZ).date()  # the sample site's build date
    library = build_library(sample_batches, today)
    assert len(library) == len({d.id for d in library}), "every document has its own link"
    page = soup(sample_site / "cleanups/library/index.html")
    assert len(_rows(page)) == len(library)
    revisited = [d for d in library if len(d.history) > 1]
    assert revisited, "the sample data must show history"
    for doc in revisited:
        entry = soup(sample_site / doc.url / "index.html")
        history = entry.select("table tbody tr")
        assert [tr.find_all("td")[0].get_text() for tr in history] == [s.batch.title for s in doc.history]
        latest = doc.history[-1].record
        expected = {"继续有效": "有效", "修改": "有效", "废止": "废止", "宣布失效": "失效"}.get(latest.result)
        if latest.result == "修改" and latest.deadline and latest.deadline < today:
            expected = "失效"
        if expected:
            assert doc.validity == expected
        badge = entry.select_one(".sb-meta .sb-validity-badge").get_text()
        assert badge == doc.validity
        if doc.validity != "有效":
            banner = entry.select_one(".sb-validity").get_text()
            assert f"本文件已{doc.validity}" in banner and doc.ended_by.batch.decision.doc_no in banner


def _batch(slug: str, day: dt.date, *records: Record) -> Batch:
    decision = Decision(title=f"{slug}的决定", doc_no=f"滨政发〔{day.year}〕1号", publisher="滨江市人民政府", date=day)
    return Batch(
        src=f"cleanups/{slug}.yml",
        slug=slug,
        title=slug,
        kind="集中清理",
        decision=decision,
        scope="全部",
        records=list(records),
    )


def test_a_document_to_revise_lapses_the_day_after_its_deadline():
    """C-5: 修改 with a deadline becomes 失效 after it, unless a later batch decides again."""
    revise = Record(
        1,
        "滨江市人民政府关于某事的通知",
        "滨政发〔2016〕12号",
        "市政府",
        dt.date(2016, 3, 1),
        "修改",
        reason="国家政策重大调整",
        deadline=dt.date(2021, 6, 30),
    )
    first = _batch("2021-qingli", dt.date(2021, 3, 8), revise)
    (doc,) = build_library([first], dt.date(2021, 6, 30))
    assert (doc.validity, doc.lapsed_on, doc.ended_by) == ("有效", None, None), "the deadline day itself still counts"
    (doc,) = build_library([first])
    assert doc.validity == "有效", "without a build date nothing lapses"
    (doc,) = build_library([first], dt.date(2021, 7, 1))
    assert (doc.validity, doc.lapsed_on) == ("失效", dt.date(2021, 7, 1))
    assert doc.ended_by.batch is first
    html = fragments.document_page(doc.url, doc, {})
    banner = BeautifulSoup(html, "html.parser").select_one(".sb-validity").get_text()
    assert banner.startswith("本文件已失效。") and "期限为2021年6月30日" in banner and "自2021年7月1日起失效" in banner
    table = BeautifulSoup(fragments.library_table(LIBRARY_URL, [doc]), "html.parser")
    assert table.select_one("tbody tr")["data-validity"] == "失效"
    assert "（修改，逾期未重新发布）" in table.select_one("tbody tr").get_text()
    kept = Record(**{**revise.__dict__, "result": "继续有效", "reason": "", "deadline": None})
    later = _batch("2023-qingli", dt.date(2023, 1, 5), kept)
    (doc,) = build_library([first, later], dt.date(2024, 1, 1))
    assert (doc.validity, doc.lapsed_on) == ("有效", None), "a later decision about the same 文号 wins"


def test_a_document_to_revise_says_when_it_will_lapse():
    revise = Record(
        1, "关于某事的通知", "滨政发〔2016〕12号", "市政府", dt.date(2016, 3, 1), "修改", deadline=dt.date(2021, 6, 30)
    )
    (doc,) = build_library([_batch("2021-qingli", dt.date(2021, 3, 8), revise)], dt.date(2021, 4, 1))
    banner = BeautifulSoup(fragments.document_page(doc.url, doc, {}), "html.parser").select_one(".sb-validity")
    assert "限2021年6月30日前修改后重新发布" in banner.get_text()
    assert "逾期未重新发布的，自2021年7月1日起失效" in banner.get_text()


def test_library_links_are_stable_when_other_batches_change(sample_batches):
    full = {d.doc_no + d.title: d.id for d in build_library(sample_batches)}
    alone = {d.doc_no + d.title: d.id for d in build_library(sample_batches[:1])}
    for key, ident in alone.items():
        if key in full:
            assert full[key] == ident
    assert next(iter(alone.values()))  # the comparison above ran on real data


# --- 文号 links in articles ------------------------------------------------------------


def test_doc_numbers_link_in_text_but_not_in_links_headings_or_code():
    numbers = {"滨政办发〔2020〕3号": "cleanups/library/binzhengbanfa-2020-3/"}
    html = (
        "<h2>滨政办发〔2020〕3号</h2><p>印发《方案》（滨政办发〔2020〕3号）。</p>"
        '<p><a href="x">滨政办发〔2020〕3号</a><code>滨政办发〔2020〕3号</code>滨政办发[2020]3号</p>'
    )
    out = link_doc_numbers(html, "articles/a/", numbers)
    page = BeautifulSoup(out, "html.parser")
    links = page.select("a.sb-docno")
    assert [a.get_text() for a in links] == ["滨政办发〔2020〕3号", "滨政办发[2020]3号"]
    assert all(a["href"] == "../../cleanups/library/binzhengbanfa-2020-3/" for a in links)
    assert "（" + str(links[0]) + "）" in out  # the words around it are untouched
    assert not page.h2.a and page.code.get_text() == "滨政办发〔2020〕3号"


def test_sample_articles_link_the_documents_they_cite(sample_site: Path, sample_batches):
    numbers = {d.doc_no: d for d in build_library(sample_batches)}
    linked = 0
    for path in sorted((sample_site / "articles").glob("*/index.html")):
        body = soup(path).select_one(".sb-article__body")
        for link in body.select("a.sb-docno"):
            number = docno.canonical(link.get_text())
            assert number in numbers
            target = (path.parent / link["href"]).resolve()
            assert target == (sample_site / numbers[number].url).resolve()
            assert (target / "index.html").is_file()
            linked += 1
    assert linked >= 2
