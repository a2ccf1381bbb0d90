"""Hostile and careless input ends in a located, coded message, never in "内部出错" (exit 70).

Each case is what a paste from Word, a malicious merge request or a broken checkout
brings: control characters, impossible dates, YAML alias bombs, deep nesting, FIFOs,
device links, symlink loops, sparse gigabyte files, overlong tags and paths, and
spreadsheets that declare more than they hold. ``check`` runs in-process through the
CLI's own ``main`` (fast); builds and imports run as staff run them, in a process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from site_builder.cli import commands as cli
from site_builder.core import codes
from tests.conftest import FIXED_EPOCH, ROOT, SAMPLE_CONTENT, build_project, run_cli

HEADER = {
    "title": "关于开展2021年法治宣传月活动的通知",
    "date": "2021-05-08 15:30",
    "category": "通知公告",
    "source": "滨江市人民政府法制办公室",
}
BODY = "各镇人民政府、街道办事处：\n\n现将有关事项通知如下。\n"
# One of the sample's batches, without its link to a sample article.
CLEANUP = (
    (SAMPLE_CONTENT / "cleanups/2021-产权保护专项清理.yml")
    .read_text(encoding="utf-8")
    .replace("  article: chanquan-baohu-qingli-wancheng\n", "")
)
FIRST_REASON = "reason: 对外地企业设置准入门槛，违反平等保护原则"
REASON_LINE = CLEANUP.split("\n").index("    " + FIRST_REASON) + 1
# Nine levels of nine aliases: 9**9 list items once expanded.
ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
)


def header(**fields: str) -> str:
    return "\n".join(f"{k}: {v}" for k, v in {**HEADER, **fields}.items())


def article(text_header: str, body: str = BODY) -> str:
    return f"---\n{text_header}\n---\n\n{body}"


def check(content: Path, monkeypatch) -> tuple[int, list[dict], str]:
    """`site-builder check --format json` in this process: exit code, problems, stderr."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["check", "--content", str(content), "--format", "json"])
    problems = json.loads(out.getvalue())["problems"] if out.getvalue().strip() else []
    return code, problems, err.getvalue()


def errors(problems: list[dict]) -> list[tuple[str, str, int]]:
    return [(p["code"], p["path"].rsplit("content/", 1)[-1], p["line"]) for p in problems if p["level"] == "error"]


@pytest.fixture
def content(project: Path) -> Path:
    folder = project / "content"
    (folder / "news/2021").mkdir(parents=True, exist_ok=True)
    return folder


def write(content: Path, text: str, name: str = "news/2021/xuanchuan.md") -> Path:
    path = content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- control characters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "name", "text", "line"),
    [
        ("title", "news/2021/xuanchuan.md", article(header(title="关于\x01开展宣传月活动的通知")), 2),
        ("escaped title", "news/2021/xuanchuan.md", article(header(title='"关于\\x0b开展宣传月活动的通知"')), 2),
        ("tag", "news/2021/xuanchuan.md", article(header(tags="[依法\x1b行政, 普法]")), 6),
        ("body", "news/2021/xuanchuan.md", article(header(), BODY + "\n第二段\ufffe含有非字符。\n"), 12),
        ("body vt", "news/2021/xuanchuan.md", article(header(), "各镇人民政府：\x0b现将有关事项通知如下。\n"), 8),
        ("record", "cleanups/c.yml", CLEANUP.replace(FIRST_REASON, "reason: 违反\x0b平等保护原则"), REASON_LINE),
        (
            "escaped record",
            "cleanups/c.yml",
            CLEANUP.replace(FIRST_REASON, 'reason: "违反\\e平等保护原则"'),
            REASON_LINE,
        ),
    ],
)
def test_control_characters_are_located_errors(content, monkeypatch, case, name, text, line):
    if name != "news/2021/xuanchuan.md":
        write(content, article(header()))
    write(content, text, name)
    code, problems, err = check(content, monkeypatch)
    assert code == 1, err
    assert errors(problems) == [("E105", name, line)]
    assert "U+" in problems[0]["message"]


def test_control_character_in_body_stops_build_before_any_writer(project, content):
    write(content, article(header(), "正文\x01含有控制字符。\n"))
    result = build_project(project)
    assert result.returncode == 1, result.stderr
    assert "E105" in result.stderr and "内部出错" not in result.stderr
    assert not (project / "site").exists()


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["2021-05-08 15:30+99:00", "2021-05-08 15:30+08:75", "9999-12-31 23:59Z", "0001-01-01", "1899-06-01"]
)
def test_impossible_dates_are_e303(content, monkeypatch, value):
    write(content, article(header(date=value)))
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert errors(problems) == [("E303", "news/2021/xuanchuan.md", 3)]
    assert value in problems[0]["message"]


def test_cleanup_dates_outside_1900_2100_are_e509(content, monkeypatch):
    write(content, article(header()))
    write(content, CLEANUP.replace("date: 2013-09-05", "date: 9999-09-05", 1), "cleanups/c.yml")
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert [p[0] for p in errors(problems)] == ["E509"]


def test_feed_dates_are_always_plus_0800(project, content):
    """1900 is Asia/Shanghai's local mean time (+08:05:43) and 1988's summer was +09:00:
    feeds must still say +08:00, valid RFC 3339 / RFC 822."""
    write(content, article(header(date="1900-01-01")), "news/2021/old.md")
    write(content, article(header(title="关于1988年法治宣传的通知", date="1988-07-01 12:00")), "news/2021/dst.md")
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    atom = (project / "site/feeds/atom.xml").read_text(encoding="utf-8")
    stamps = re.findall(r"<(?:updated|published)>([^<]+)<", atom)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", s) for s in stamps), stamps
    assert "1988-07-01T12:00:00+08:00" in stamps
    rss = (project / "site/feeds/rss.xml").read_text(encoding="utf-8")
    dates = re.findall(r"<(?:pubDate|lastBuildDate)>([^<]+)<", rss)
    assert dates and all(d.endswith(" +0800") for d in dates), dates


# --- YAML -----------------------------------------------------------------------------


def test_alias_bomb_in_header_is_refused_at_once(content, monkeypatch):
    write(content, article(ALIAS_BOMB + "\n" + header(title="*i")))
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert errors(problems) == [("E209", "news/2021/xuanchuan.md", 3)]  # the first alias, line 2 of the bomb


def test_alias_bomb_in_cleanup_file_is_refused(content, monkeypatch):
    write(content, article(header()))
    write(content, ALIAS_BOMB + "\n" + CLEANUP.replace("scope: ", "scope: *i\nbasis: ", 1), "cleanups/c.yml")
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert errors(problems) == [("E209", "cleanups/c.yml", 2)]


def test_alias_bomb_in_word_list_is_refused(content, monkeypatch):
    write(content, article(header()))
    write(content, ALIAS_BOMB + "\nwords: *i\n", "checks/wording.yml")
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert errors(problems) == [("E209", "checks/wording.yml", 2)]


@pytest.mark.parametrize("depth", [60, 5_000, 200_000])
def test_deep_nesting_in_cleanup_file_is_located(content, monkeypatch, depth):
    write(content, article(header()))
    write(content, CLEANUP.replace(FIRST_REASON, "reason: " + "[" * depth + "]" * depth), "cleanups/c.yml")
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert errors(problems) == [("E210", "cleanups/c.yml", REASON_LINE)]


@pytest.mark.parametrize("depth", [60, 200_000])
def test_deep_nesting_in_header_is_located(content, monkeypatch, depth):
    write(content, article(header(keywords="[" * depth + "]" * depth)))
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert errors(problems) == [("E210", "news/2021/xuanchuan.md", 6)]


# --- files that are not what they seem ------------------------------------------------


def _limit_memory() -> None:
    """768 MB of address space: `check` needs far less, unless it reads a 1 GB file whole."""
    resource.setrlimit(resource.RLIMIT_AS, (768 << 20, 768 << 20))


def _check_process(content: Path) -> subprocess.CompletedProcess:
    """A real process with a timeout: a FIFO or /dev/zero made the old `check` hang."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "check", "--content", str(content)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )


@pytest.mark.parametrize(
    ("kind", "code"),
    [("fifo", "E106"), ("dev-zero", "E106"), ("loop", "E104"), ("sparse", "E723")],
)
def test_special_files_are_refused_before_reading(content, kind, code):
    write(content, article(header()))
    path = content / "news/2021/teshu.md"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", path)
    elif kind == "loop":
        os.symlink(path, path)
    else:
        with open(path, "wb") as handle:
            handle.truncate(1 << 30)  # 1 GB, sparse: costs nothing on disk
    result = _check_process(content)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(rf"news/2021/teshu\.md: 错误 {code} ", result.stderr), result.stderr
    assert "内部出错" not in result.stderr


def test_fifo_among_images_is_refused(content, monkeypatch):
    write(content, article(header()))
    (content / "images").mkdir()
    os.mkfifo(content / "images/a.png")
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert errors(problems) == [("E106", "images/a.png", 0)]


# --- names that become file names -----------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"tags": "[" + "法" * 300 + "]"}, "E313"),
        ({"tags": "[" + "a" * 300 + "]"}, "E313"),
        ({"keywords": "[" + "依法行政" * 20 + "]"}, "E313"),
        ({"slug": "a" * 150}, "E314"),
    ],
)
def test_overlong_names_are_refused_in_check(content, monkeypatch, fields, code):
    write(content, article(header(**fields)))
    code_, problems, _ = check(content, monkeypatch)
    assert code_ == 1
    assert errors(problems) == [(code, "news/2021/xuanchuan.md", 6)]


def test_overlong_tag_no_longer_crashes_build(project, content):
    write(content, article(header(tags="[" + "法" * 300 + "]")))
    result = build_project(project)
    assert result.returncode == 1
    assert "E313" in result.stderr and "内部出错" not in result.stderr


def test_overlong_paths_are_refused(content, monkeypatch):
    write(content, article(header()))
    deep = "news/" + "/".join(["guifanxing-wenjian-qingli-jieguo"] * 5) + "/a.md"
    write(content, article(header(slug="changlujing")), deep)
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert [c for c, _, _ in errors(problems)] == ["E315"]


def test_overlong_cleanup_slug_is_refused(content, monkeypatch):
    write(content, article(header()))
    write(content, CLEANUP.replace("slug: 2021-chanquan-baohu", "slug: " + "q" * 120), "cleanups/c.yml")
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert [c for c, _, _ in errors(problems)] == ["E521"]


def test_oversized_data_file_is_refused_without_reading(content, monkeypatch):
    write(content, article(header()))
    (content / "cleanups").mkdir()
    with open(content / "cleanups/c.yml", "wb") as handle:
        handle.truncate(40 * 1024 * 1024)  # sparse
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert errors(problems) == [("E107", "cleanups/c.yml", 0)]


# Codes these tests exercise (tests/test_bad_input.py checks every catalogue code is exercised).
EXERCISED = {"E105", "E106", "E107", "E209", "E210", "E313", "E314", "E315", "E521", "E620", "E621"}


def test_exercised_codes_are_in_the_catalogue():
    assert set(codes.CATALOGUE) >= EXERCISED


# --- import-cleanup -------------------------------------------------------------------

TABLE_HEADER = ["序号", "文件名称", "文号", "发文机关", "成文日期", "清理结果", "理由"]
TABLE_ROW = [
    1,
    "滨江市人民政府关于印发滨江市城市绿化管理办法的通知",
    "滨政发〔2016〕12号",
    "市政府",
    "2016-08-01",
    "继续有效",
    "",
]


def _xlsx(path: Path, rows: list[list], sheet_xml=None) -> None:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    raw = io.BytesIO()
    book.save(raw)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if sheet_xml and info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml(data)
            out.writestr(info, data)


def _declare_whole_sheet(data: bytes) -> bytes:
    data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
    return data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')


def _lying_dimension(data: bytes) -> bytes:
    """Declares A1:B2 but holds a row far below: read only up to the row limit."""
    return data.replace(b"</sheetData>", b'<row r="900000"><c r="A900000"><v>1</v></c></row></sheetData>')


def test_import_refuses_a_sheet_declaring_a1_xfd1048576(tmp_path):
    source = tmp_path / "目录.xlsx"
    _xlsx(source, [TABLE_HEADER, TABLE_ROW], _declare_whole_sheet)
    assert source.stat().st_size < 10_000
    result = run_cli("import-cleanup", str(source), "-o", str(tmp_path / "out.yml"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "E620" in result.stderr and "A1:XFD1048576" in result.stderr
    assert not (tmp_path / "out.yml").exists()


def test_import_bounds_rows_beyond_a_lying_dimension(tmp_path):
    source = tmp_path / "目录.xlsx"
    _xlsx(source, [TABLE_HEADER, TABLE_ROW], _lying_dimension)
    result = run_cli("import-cleanup", str(source), "-o", str(tmp_path / "out.yml"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "E620" in result.stderr


def test_import_refuses_huge_uncompressed_size(tmp_path):
    source = tmp_path / "目录.xlsx"
    _xlsx(source, [TABLE_HEADER, TABLE_ROW])
    with zipfile.ZipFile(source, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (210 * 1024 * 1024))  # compresses to ~200 KB
    result = run_cli("import-cleanup", str(source), "-o", str(tmp_path / "out.yml"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "E620" in result.stderr


def test_import_removes_nul_from_csv_with_a_warning(tmp_path, project):
    source = tmp_path / "目录.csv"
    row = [str(v) for v in TABLE_ROW]
    row[1] = "滨江市人民政府关于印发\x00滨江市城市绿化管理办法的通知"
    source.write_text(",".join(TABLE_HEADER) + "\r\n" + ",".join(row) + "\r\n", encoding="utf-8")
    out = project / "content/cleanups/daoru.yml"
    result = run_cli("import-cleanup", str(source), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "E621" in result.stdout + result.stderr
    text = out.read_text(encoding="utf-8")
    assert "\x00" not in text and "滨江市人民政府关于印发滨江市城市绿化管理办法的通知" in text


def test_import_reports_a_200000_character_cell(tmp_path):
    source = tmp_path / "目录.csv"
    row = [str(v) for v in TABLE_ROW]
    row[-1] = "长" * 200_000
    source.write_text(",".join(TABLE_HEADER) + "\r\n" + ",".join(row) + "\r\n", encoding="utf-8")
    result = run_cli("import-cleanup", str(source), "-o", str(tmp_path / "out.yml"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "E601" in result.stderr and "第 2 行" in result.stderr and "内部出错" not in result.stderr


def test_import_refuses_a_fifo(tmp_path):
    source = tmp_path / "目录.csv"
    os.mkfifo(source)
    result = run_cli("import-cleanup", str(source), "-o", str(tmp_path / "out.yml"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "E601" in result.stderr and "FIFO" in result.stderr


# --- check --fix reads the same files ---------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "bomb"])
def test_check_fix_leaves_special_and_aliased_files_alone(content, kind):
    write(content, article(header()))
    (content / "cleanups").mkdir()
    target = content / "cleanups/c.yml"
    if kind == "fifo":
        os.mkfifo(target)
        expected = "E106"
    else:
        target.write_text(ALIAS_BOMB + "\n" + CLEANUP.replace("scope: ", "scope: *i\nbasis: ", 1), encoding="utf-8")
        expected = "E209"
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    result = subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "check", "--fix", "--content", str(content)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stderr and "内部出错" not in result.stderr


# --- bodies that made Markdown recurse or go quadratic ------------------------------------


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("[\n" * 50_000, 208),  # one "[" per line: the paragraph's 201st unclosed one
        ('<div markdown="1">\n' * 3_000 + "x\n" + "</div>\n" * 3_000, 58),
        ("*" * 5_000 + "x" + "*" * 5_000 + "\n", 8),
    ],
    ids=["brackets-across-lines", "nested-html", "emphasis-run"],
)
def test_deep_body_shapes_are_located_and_build_refuses(project, content, monkeypatch, body, line):
    write(content, article(header(), body))
    code, problems, _ = check(content, monkeypatch)
    assert code == 1
    assert errors(problems) == [("E724", "news/2021/xuanchuan.md", line)]
