"""索引号 that no build can change, 成文日期 and 体裁分类: the 政府信息公开 metadata staff write in articles.

The office builds on more than one computer and in CI whose cache may be lost, so a
published 索引号 must not depend on the previous site/: these tests build from clean
folders, as such a machine would.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import replace as dataclasses_replace
from pathlib import Path

from bs4 import BeautifulSoup

from site_builder.core.model import Article, Category
from site_builder.core.xxgk.fixed_numbers import next_number
from site_builder.core.xxgk.load import Part, Section
from site_builder.core.xxgk.pages import catalogue_table
from tests.conftest import build_project, run_cli

# Every code of this file's area, each made to happen by a test here (tests/test_bad_input.py checks the union).
EXERCISED = {"W903", "W904"}

SECTION = (
    'xxgk:\n  publisher: 滨江市人民政府法制办公室\n  organization_code: "000014349"\n'
    "  categories: [政策文件]\n  parts:\n    - part: catalogue\n"
)


def _with_section(project: Path) -> Path:
    content = project / "content"
    (content / "site.yml").write_text((content / "site.yml").read_text(encoding="utf-8") + SECTION, encoding="utf-8")
    return content


def _new(content: Path, title: str, category: str = "政策文件") -> Path:
    result = run_cli("new", title, "--category", category, "--content", str(content))
    assert result.returncode == 0, result.stdout + result.stderr
    path = Path(re.search(r"已新建文章：(\S+)", result.stdout)[1])
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\n---", 3) + 4] + "\n\n正文。\n", encoding="utf-8")  # staff write the body
    return path


def _catalogue(project: Path) -> dict[str, str]:
    soup = BeautifulSoup((project / "site/xxgk/catalogue/index.html").read_text(encoding="utf-8"), "html.parser")
    return {r.a.get_text(): r.td.get_text() for r in soup.select("#sb-xxgk tbody tr")}


def _clean_build(project: Path):
    shutil.rmtree(project / "site", ignore_errors=True)  # a new computer, or CI whose cache was lost
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_adding_an_older_article_never_renumbers_a_published_one_even_in_a_clean_build(project: Path):
    content = _with_section(project)
    first, second = _new(content, "关于甲事项的通知"), _new(content, "关于乙事项的通知")
    for path in (first, second):
        header = path.read_text(encoding="utf-8")
        assert re.search(r"^index_no: 000014349/2026-0000[12]$", header, re.M)
        assert "\n# written: " in header and "\n# genre: " in header  # the other metadata, offered
    result = _clean_build(project)
    assert "W904" not in result.stdout + result.stderr
    published = _catalogue(project)
    assert published == {"关于甲事项的通知": "000014349/2026-00001", "关于乙事项的通知": "000014349/2026-00002"}
    # a notice signed in January is put up late: dated before both published ones
    older = _new(content, "关于丙事项的通知")
    text = older.read_text(encoding="utf-8")
    older.write_text(re.sub(r"^date: .*$", "date: 2026-01-05 09:00", text, count=1, flags=re.M), encoding="utf-8")
    _clean_build(project)
    after = _catalogue(project)
    assert {k: after[k] for k in published} == published
    assert after["关于丙事项的通知"] == "000014349/2026-00003"


def test_new_writes_no_index_number_outside_the_disclosed_columns(project: Path):
    content = _with_section(project)
    path = _new(content, "市法制办召开工作会议", category="工作动态")
    assert "index_no" not in path.read_text(encoding="utf-8")


def test_next_number_follows_written_numbers_and_the_live_sites_record():
    written = {"X/2021-00007", "X/2020-00040", "Y/2021-00099"}
    assert next_number("{organization_code}/{year}-{seq:05d}", "X", 2021, written, {}) == "X/2021-00008"
    assert next_number("{organization_code}/{year}-{seq:05d}", "X", 2021, written, {"a": (2021, 12)}) == "X/2021-00013"
    assert next_number("{organization_code}/{year}-{seq:05d}", "X", 2022, written, {}) == "X/2022-00001"


def test_a_disclosed_article_without_a_written_number_is_a_warning_naming_the_number(project: Path):
    content = _with_section(project)
    (content / "news" / "a.md").write_text(
        "---\ntitle: 关于某事的通知\ndate: 2021-05-01 09:00\ncategory: 政策文件\n"
        "source: 滨江市人民政府法制办公室\nslug: a\n---\n\n正文。\n",
        encoding="utf-8",
    )
    result = run_cli("check", "--content", str(content))
    assert result.returncode == 0, result.stdout + result.stderr  # a warning: the build still goes on
    line = next(x for x in result.stdout.splitlines() if "W904" in x)
    assert re.search(r"content/news/a\.md:4: 警告 W904", line), line
    assert "000014349/2021-00001" in result.stdout and "site-builder new" in result.stdout


def test_a_written_date_after_the_publication_date_is_a_warning(project: Path):
    content = project / "content"
    (content / "news" / "a.md").write_text(
        "---\ntitle: 关于某事的通知\ndate: 2021-05-01 09:00\ncategory: 政策文件\n"
        "source: 滨江市人民政府法制办公室\nslug: a\nwritten: 2021-05-09\n---\n\n正文。\n",
        encoding="utf-8",
    )
    result = run_cli("check", "--content", str(content))
    assert re.search(r"content/news/a\.md:7: 警告 W903 成文日期 2021-05-09 晚于发布日期 2021-05-01", result.stdout), (
        result.stdout
    )


def _item(slug: str, genre: str = "") -> Article:
    category = Category(name="政策文件", slug="zhengce-wenjian", kind="policy")
    return Article(
        src=f"news/{slug}.md",
        title=slug,
        date=dt.datetime(2021, 3, 1),
        category=category,
        source="办",
        slug=slug,
        body="",
        genre=genre,
    )


def test_the_genre_filter_and_column_appear_only_where_genres_are_used():
    section = Section("政府信息公开", "办", "X", "{seq}", ("政策文件",), (Part("catalogue", "目录", "catalogue"),))
    numbers = {"a": "1", "b": "2"}
    without = BeautifulSoup(catalogue_table("x/", [_item("a"), _item("b")], numbers, {}, section), "html.parser")
    assert [s["data-filter"] for s in without.select("select")] == ["topic", "publisher", "year"]
    assert "体裁分类" not in [th.get_text() for th in without.select("th")]
    used = BeautifulSoup(catalogue_table("x/", [_item("a", "通知"), _item("b")], numbers, {}, section), "html.parser")
    assert [s["data-filter"] for s in used.select("select")] == ["topic", "genre", "publisher", "year"]
    assert [o.get_text() for o in used.select("select[data-filter=genre] option")] == [
        "全部",
        "未分类（1）",
        "通知（1）",
    ]
    assert [r["data-genre"] for r in used.select("tbody tr")] == ["通知", "未分类"]


def test_check_reports_broken_links_in_the_sections_pages_with_file_and_line(project: Path):
    content = project / "content"
    settings = (content / "site.yml").read_text(encoding="utf-8")
    settings += SECTION.replace("    - part: catalogue\n", "    - part: guide\n    - part: catalogue\n")
    (content / "site.yml").write_text(settings, encoding="utf-8")
    (content / "news" / "a.md").write_text(
        "---\ntitle: 关于某事的通知\ndate: 2021-05-01 09:00\ncategory: 政策文件\n"
        "source: 滨江市人民政府法制办公室\nslug: a\nindex_no: 000014349/2021-00001\n---\n\n正文。\n",
        encoding="utf-8",
    )
    (content / "xxgk").mkdir()
    (content / "xxgk" / "guide.md").write_text(
        "指南。\n\n"
        "见[信息公开目录](catalogue/)、[首页](../)、[通知](../news/a.md)和[栏目](../news/zhengce-wenjian/)。\n\n"  # 3
        "见[目录](catalog/)。\n\n"  # 5: a part that does not exist
        "见[文章](../news/b.md)。\n\n"  # 7: a file that does not exist
        '<a href="../nowhere/">别处</a>\n',  # 9: raw HTML, resolved the same way
        encoding="utf-8",
    )
    result = run_cli("check", "--content", str(content))
    shown = result.stdout + result.stderr
    found = sorted(re.findall(r"content/xxgk/guide\.md:(\d+): 错误 (E\d+)", shown))
    assert found == [("5", "E332"), ("7", "E711"), ("9", "E332")], shown
    assert "catalogue/" in shown  # the hint names the section's real pages
    assert result.returncode != 0


def _oracle_row(cleanups: Path, year: int) -> tuple[int, int, int]:
    """The 行政规范性文件 row from the generated YAML alone, as the 条例 means it: each document as it
    stood on 31 December of ``year`` (later decisions do not rewrite an earlier year's report)."""
    import yaml

    end = dt.date(year, 12, 31)
    history: dict[str, list[tuple[dt.date, str, dt.date]]] = {}
    for path in sorted(cleanups.glob("*.yml")):
        batch = yaml.safe_load(path.read_text(encoding="utf-8"))
        decided = batch["decision"]["date"]
        for record in batch["records"]:
            history.setdefault(record["doc_no"], []).append((decided, record["result"], record["date"]))
    issued = abolished = in_force = 0
    for steps in history.values():
        steps.sort()
        written = steps[-1][2]
        issued += written.year == year
        ended = None
        for decided, result, _ in steps:
            if decided > end:
                break
            if result in ("继续有效", "修改"):
                ended = None
            elif ended is None:
                ended = decided
        abolished += ended is not None and ended.year == year
        in_force += written <= end and ended is None
    return issued, abolished, in_force


def test_the_normative_row_of_a_report_on_a_generated_library_is_the_librarys_count(tmp_path: Path):
    """A generated library (three yearly batches, documents reviewed again in later batches) and a report
    without the row: the built page shows what the library held on 31 December of the report's year."""
    from benchmarks.generate import generate
    from tests.conftest import SAMPLE_CONTENT

    content = generate(tmp_path, 12, records=2400)
    settings = (content / "site.yml").read_text(encoding="utf-8")
    settings = re.sub(r"\nchecks:[^\n]*\n", "\\g<0>  W730: off\n  W901: off\n", settings)
    section = (
        'xxgk:\n  publisher: 滨江市人民政府法制办公室\n  organization_code: "000014349"\n  parts:\n    - part: annual\n'
    )
    (content / "site.yml").write_text(settings + section, encoding="utf-8")
    (content / "xxgk/annual").mkdir(parents=True)
    report = (SAMPLE_CONTENT / "xxgk/annual/2020.yml").read_text(encoding="utf-8")
    assert "\n  normative:" not in report  # the row is left to the library
    (content / "xxgk/annual/2020.yml").write_text(report, encoding="utf-8")
    result = build_project(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    soup = BeautifulSoup((tmp_path / "site/xxgk/annual/2020/index.html").read_text(encoding="utf-8"), "html.parser")
    row = next(tr for tr in soup.select("#sb-t2-1 tbody tr") if tr.th.get_text().startswith("行政规范性文件"))
    shown = tuple(int(td.get_text()) for td in row.select("td"))
    expected = _oracle_row(content / "cleanups", 2020)
    assert expected[1] > 0 and expected[2] > 0  # the generated batches end documents and keep others
    assert shown == expected


def test_check_warns_after_31_january_when_last_years_report_is_missing(project: Path):
    """The 条例 (第四十九条) wants last year's report out by 31 January: a warning from 1 February on."""
    content = project / "content"
    settings = (content / "site.yml").read_text(encoding="utf-8").replace("  W901: off", "  W901: warning")
    settings += SECTION.replace("    - part: catalogue\n", "    - part: annual\n")
    (content / "site.yml").write_text(settings, encoding="utf-8")
    (content / "xxgk/annual").mkdir(parents=True)
    on_time = run_cli("check", "--content", str(content), epoch="1801357200")  # 2027-01-31 09:00, Beijing
    assert "W901" not in on_time.stdout + on_time.stderr
    late = run_cli("check", "--content", str(content), epoch="1801443600")  # 2027-02-01 09:00
    shown = late.stdout + late.stderr
    assert re.search(r"content/xxgk/annual: 警告 W901 还没有 2026 年的政府信息公开工作年度报告", shown), shown
    assert late.returncode == 0  # a warning: the site is still built


def test_the_catalogue_download_never_carries_a_formula():
    """A title or 体裁 that a spreadsheet would run (=, +, -, @) is written as text, as in the cleanup downloads."""
    import csv
    import io
    from types import SimpleNamespace

    from site_builder.core.xxgk.pages import catalogue_csv

    section = Section("政府信息公开", "办", "X", "{seq}", ("政策文件",), (Part("catalogue", "目录", "catalogue"),))
    site = SimpleNamespace(xxgk=section, settings=SimpleNamespace(url="https://example.gov.cn/"))
    item = _item("a", "@SUM(1)")
    item = dataclasses_replace(item, title='=HYPERLINK("http://evil.example","点此")', source="+办")
    data = catalogue_csv(site, [item], {"a": "-1"}, {}).decode("utf-8-sig")
    [_, row] = list(csv.reader(io.StringIO(data)))
    assert row[0] == "'-1" and row[1].startswith("'=HYPERLINK") and row[3] == "'@SUM(1)" and row[4] == "'+办"
    import openpyxl

    from site_builder.core.xxgk.pages import catalogue_xlsx

    sheet = openpyxl.load_workbook(io.BytesIO(catalogue_xlsx(site, [item], {"a": "-1"}, {}))).active
    cells = next(sheet.iter_rows(min_row=2))
    assert cells[1].value.startswith("=HYPERLINK") and cells[1].data_type == "s" and cells[1].quotePrefix


def test_check_fix_writes_the_numbers_the_site_shows_into_the_files(project: Path):
    """An office that published unnumbered items: `check --fix` writes the numbers its site shows into
    the files, once; from then on a clean build on any computer shows the same numbers."""
    content = _with_section(project)

    def write(slug: str, date: str) -> Path:
        path = content / "news" / f"{slug}.md"
        path.write_bytes(
            f"---\r\ntitle: 关于{slug}的通知\r\ndate: {date}\r\ncategory: 政策文件\r\n"
            f"source: 滨江市人民政府法制办公室\r\nslug: {slug}\r\n---\r\n\r\n正文。\r\n".encode("utf-8-sig")
        )
        return path

    write("second", "2021-05-01 09:00")
    write("third", "2021-06-01 09:00")
    assert build_project(project).returncode == 0
    published = _catalogue(project)
    first = write("first", "2021-01-10 09:00")  # an older one, added after the others were published
    before = first.read_bytes()
    result = run_cli("check", "--fix", "--content", str(content), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "W904" not in result.stdout + result.stderr
    assert re.search(r"content/news/second\.md:7: 已写入索引号 000014349/2021-00001", result.stdout), result.stdout
    after = first.read_bytes()
    assert after == before.replace(b"slug: first\r\n", b"slug: first\r\nindex_no: 000014349/2021-00003\r\n")
    _clean_build(project)
    shown = _catalogue(project)
    assert {k: shown[k] for k in published} == published and shown["关于first的通知"] == "000014349/2021-00003"
