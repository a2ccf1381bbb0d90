"""One fixture per kind of bad input: the exact code, file, line and Chinese message.

Each case is a tiny ``content/`` tree under ``tests/fixtures/bad/<case>/``. Files whose
bytes matter (GBK, GB18030, UTF-16, BOM + CRLF, binary, a broken link) are written by
:data:`GENERATED` at test time, so no editor or Git setting can silently re-encode them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.core import codes
from site_builder.core.dates import TZ
from site_builder.core.loader import load_site
from tests.conftest import run_cli
from tests.test_checks import EXERCISED as CHECK_CODES
from tests.test_cleanups import EXERCISED as CLEANUP_CODES
from tests.test_install_commands import INSTALL_CODES
from tests.test_parity_import import IMPORT_CODES
from tests.test_parity_links import PARITY_CODES
from tests.test_parity_urls import URL_CODES
from tests.test_robust_inputs import EXERCISED as ROBUST_CODES
from tests.test_sanitize_files import EXERCISED as FILE_CODES
from tests.test_xxgk_annual import EXERCISED as XXGK_CODES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad"
# The same "now" as conftest.FIXED_EPOCH: 2026-11-27 00:00 Beijing time.
NOW = dt.datetime(2026, 11, 27, tzinfo=TZ)

TITLE = "关于开展2021年法治宣传月活动的通知"
HEADER = [f"title: {TITLE}", "date: 2021-05-08 15:30", "category: 通知公告", "source: 滨江市人民政府法制办公室"]


def _article(*extra: str, body: str = "各镇人民政府、街道办事处：\n\n现将有关事项通知如下。\n") -> str:
    return "---\n" + "\n".join([*HEADER, *extra]) + "\n---\n\n" + body


def _gbk(content: Path) -> None:
    # What Notepad on a Chinese Windows saves as "ANSI": the first non-ASCII byte is on line 2.
    (content / "news/2021/xuanchuan-yue.md").write_bytes(_article().encode("gbk"))


GB18030_TITLE = "关于𠮷祥社区法治宣传活动的通知"  # 𠮷 exists in GB18030 but not in GBK


def _gb18030(content: Path) -> None:
    text = "---\ntitle: " + GB18030_TITLE + "\n" + "\n".join(HEADER[1:]) + "\n---\n\n正文\n"
    (content / "news/2021/jixiang-shequ.md").write_bytes(text.encode("gb18030"))


def _utf16(content: Path) -> None:
    (content / "news/2021/xuanchuan-yue.md").write_bytes(_article().encode("utf-16"))  # with its BOM


def _binary(content: Path) -> None:
    # A Word document renamed to .md: the OLE signature, then zero bytes.
    (content / "news/2021/xuanchuan-yue.md").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24 + b"x")


BOM_CRLF_BODY = "各镇人民政府、街道办事处：\n\n现将有关事项通知如下。\n"


def _bom_crlf(content: Path) -> None:
    text = "\ufeff" + _article(body=BOM_CRLF_BODY)
    (content / "news/2021/xuanchuan-yue.md").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))


def _broken_link(content: Path) -> None:
    try:
        os.symlink(content / "news/2021/gone.md", content / "news/2021/xuanchuan-yue.md")
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot create symbolic links")


def _many_broken(content: Path) -> None:
    (content / "news/2021/gbk.md").write_bytes(_article().encode("gbk"))


GENERATED: dict[str, Callable[[Path], None]] = {
    "gbk": _gbk,
    "gb18030": _gb18030,
    "utf16": _utf16,
    "binary": _binary,
    "bom_crlf": _bom_crlf,
    "broken_link": _broken_link,
    "many_broken": _many_broken,
}


def materialise(case: str, dest: Path) -> Path:
    """Copy a fixture's content/ to ``dest`` (plus its generated files); return it."""
    content = dest / "content"
    shutil.copytree(FIXTURES / case / "content", content)
    (content / "news/2021").mkdir(parents=True, exist_ok=True)
    if case in GENERATED:
        GENERATED[case](content)
    return content


def load_case(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Load a case as staff would from the project folder: paths shown as content/…"""
    content = materialise(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    return load_site(content, NOW)


A = "content/news/2021/xuanchuan-yue.md"
SITE = "content/site.yml"
E101 = "文件不是 UTF-8 编码，看起来是 GBK/GB18030（Windows 记事本的“ANSI”）编码。"

# case -> every problem, in report order: (code, path, line, message)
EXPECTED: dict[str, list[tuple[str, str, int, str]]] = {
    # --- reading files -----------------------------------------------------------------
    "gbk": [("E101", A, 2, E101)],
    "gb18030": [("E101", "content/news/2021/jixiang-shequ.md", 2, E101)],
    "utf16": [("E103", A, 1, "文件是 UTF-16 编码（Windows 记事本的“Unicode”），不是 UTF-8 编码。")],
    "binary": [("E102", A, 1, "文件无法按文本读取：第 1 行有无法识别的字节。")],
    "broken_link": [("E104", A, 0, "文件无法打开：文件不存在（可能是失效的快捷方式或链接）。")],
    "bom_crlf": [],
    # --- front matter syntax -------------------------------------------------------------
    "missing_front_matter": [("E201", A, 1, "文件开头缺少文件头（用两行 --- 包住的 标题、日期 等信息）。")],
    "unterminated_front_matter": [("E202", A, 1, "文件头没有结束：找不到第二行 ---。")],
    "yaml_unclosed_quote": [("E203", A, 2, "文件头格式错误：引号没有配对（少了结尾的引号）。")],
    "yaml_colon_in_value": [
        ("E203", A, 2, "文件头格式错误：这一行的值里含有“冒号加空格”，需要用英文引号把整个值括起来。"),
    ],
    "yaml_indented_field": [
        (
            "E203",
            A,
            3,
            "文件头格式错误：这一行的行首多了空格（缩进不对）：同一级字段要与上一行对齐；"
            "如果这是上一行的值，请用英文引号把值括起来。",
        ),
    ],
    "fullwidth_colon": [("E204", A, 2, "文件头使用了全角冒号“：”：title：关于开展2021年法治宣传月活动的通知")],
    "fullwidth_space": [
        ("E205", A, 2, "文件头含有全角空格（　）：【全角空格】title: 关于开展2021年法治宣传月活动的通知"),
        ("E205", A, 5, "文件头含有全角空格（　）：source【全角空格】: 滨江市人民政府法制办公室"),
    ],
    "tab_indent": [("E206", A, 7, "文件头用了 Tab 键缩进。"), ("E206", A, 8, "文件头用了 Tab 键缩进。")],
    "header_not_mapping": [("E207", A, 2, "文件头不是“字段名: 值”的形式。")],
    "duplicate_key": [("E208", A, 6, "字段 title 写了两次（第一次在第 2 行）。")],
    # --- article fields ------------------------------------------------------------------
    "missing_required": [
        ("E301", "content/news/2021/no-category.md", 1, "缺少必填字段 category（栏目）。"),
        ("E301", "content/news/2021/no-date.md", 1, "缺少必填字段 date（发布日期）。"),
        ("E301", "content/news/2021/no-source.md", 1, "缺少必填字段 source（来源）。"),
        ("E301", "content/news/2021/no-title.md", 1, "缺少必填字段 title（标题）。"),
    ],
    "unknown_field_typo": [("E302", A, 2, "未知字段 titel。您是不是想写 title（标题）？")],
    "unknown_field_chinese": [("E302", A, 2, "未知字段 标题。您是不是想写 title（标题）？")],
    "bad_date": [
        ("E303", "content/news/2021/feb-30.md", 3, "发布日期（date）无法识别为日期：2021-02-30"),
        ("E303", "content/news/2021/month-13.md", 3, "发布日期（date）无法识别为日期：2021-13-01"),
        ("E303", "content/news/2021/words.md", 3, "发布日期（date）无法识别为日期：五月八日"),
    ],
    "dates_accepted": [],
    "unknown_category": [("E304", A, 4, "栏目“通知公吿”不存在。您是不是想写 “通知公告”？")],
    "bad_value_type": [("E305", A, 6, "字段 draft（草稿）的值应为 true 或 false，现在是：也许")],
    "duplicate_slug": [
        (
            "E306",
            "content/news/2021/xuanchuan-yue.md",
            6,
            "网址别名 slug “fazhi-xuanchuan-yue”与 content/news/2021/xuanchuan-yue-buchong.md:6 重复。",
        ),
    ],
    "duplicate_index_no": [
        (
            "E307",
            "content/news/2021/xuanchuan-yue.md",
            6,
            "索引号 index_no “011283765/2021-00012”与 content/news/2021/xuanchuan-yue-buchong.md:6 重复。",
        ),
    ],
    "missing_cover": [("E308", A, 6, "封面图（cover）引用的文件不存在：images/covers/xuanchuan-yue.png")],
    "missing_attachment": [
        ("E308", A, 7, "附件（attachments）引用的文件不存在：files/2021/huodong-fangan.pdf"),
        ("E308", A, 9, "附件（attachments）引用的文件不存在：files/2021/baomingbiao.xlsx"),
    ],
    "bad_slug": [("E309", A, 6, "网址别名 slug “2021 Xuanchuan_Yue”格式不对。")],
    "missing_body_image": [("E310", A, 10, "正文中的图片不存在：../../images/photos/xuanchuan-yue.jpg")],
    "empty_field": [("E311", A, 2, "字段 title（标题）不能为空。")],
    "attachment_escapes_content": [("E312", A, 7, "附件（attachments）的路径不安全：../x.pdf")],
    "draft_scheduled": [],
    # --- site settings -------------------------------------------------------------------
    "settings_missing_file": [("E401", SITE, 0, "找不到网站设置文件 content/site.yml。")],
    "settings_missing_required": [("E402", SITE, 1, "网站设置缺少 icp（ICP备案号）。")],
    "settings_bad_site_code": [("E403", SITE, 8, "网站设置 site_code 的值不对：421000002")],
    "settings_bad_icp": [("E403", SITE, 9, "网站设置 icp 的值不对：ICP备12345678号")],
    "settings_duplicate_category_slug": [("E404", SITE, 23, "栏目slug“fazhi-xinxi”重复。")],
    "settings_unknown_setting": [("E405", SITE, 17, "未知的网站设置 pagesize。您是不是想写 page_size（每页条数）？")],
    "settings_missing_accessibility_page": [
        ("E770", SITE, 17, "网站设置 accessibility（无障碍说明页面）指向的页面不存在：about/wuzhangai.md")
    ],
    "settings_wechat_pale_colour": [
        ("W401", SITE, 41, "公众号版本的主色 #07c160 在白色背景上对比度只有 2.4:1，小标题不易看清。")
    ],
    # --- several broken files: every problem in one run ------------------------------------
    "many_broken": [
        (
            "E302",
            "content/about/page.md",
            3,
            "未知字段 layout。普通页面只能写 title、summary、description、hide、search、template。",
        ),
        ("E304", "content/news/2021/category.md", 4, "栏目“通知公吿”不存在。您是不是想写 “通知公告”？"),
        (
            "E204",
            "content/news/2021/colon.md",
            2,
            "文件头使用了全角冒号“：”：title：关于开展2021年法治宣传月活动的通知",
        ),
        (
            "E306",
            "content/news/2021/dup-slug.md",
            6,
            "网址别名 slug “fazhi-xuanchuan-yue-2”与 content/news/2021/category.md:6 重复。",
        ),
        ("E308", "content/news/2021/dup-slug.md", 7, "封面图（cover）引用的文件不存在：images/none.png"),
        ("E101", "content/news/2021/gbk.md", 2, E101),
        ("E301", "content/news/2021/no-date.md", 1, "缺少必填字段 date（发布日期）。"),
        ("E203", "content/news/2021/quote.md", 2, "文件头格式错误：引号没有配对（少了结尾的引号）。"),
    ],
}


def test_every_fixture_has_expectations():
    cases = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert cases == set(EXPECTED)
    assert set(GENERATED) <= cases


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_loader_reports_exactly(case, tmp_path, monkeypatch):
    site, found = load_case(case, tmp_path, monkeypatch)
    assert [(p.code, p.path, p.line, p.message) for p in found] == EXPECTED[case]
    for p in found:
        assert p.hint, f"{p.code} has no hint"
        assert p.format().startswith(f"{p.location()}: ")
    errors = [p for p in found if p.is_error]
    assert (site is None) == bool(errors)


def test_generated_files_really_have_their_encoding(tmp_path):
    content = materialise("gbk", tmp_path / "gbk")
    raw = (content / "news/2021/xuanchuan-yue.md").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk") == _article()

    content = materialise("gb18030", tmp_path / "gb18030")
    raw = (content / "news/2021/jixiang-shequ.md").read_bytes()
    with pytest.raises(UnicodeEncodeError):
        GB18030_TITLE.encode("gbk")
    assert GB18030_TITLE in raw.decode("gb18030")

    content = materialise("bom_crlf", tmp_path / "bom")
    raw = (content / "news/2021/xuanchuan-yue.md").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf---\r\n") and b"\n" not in raw.replace(b"\r\n", b"")


def test_gbk_message_says_how_to_resave(tmp_path, monkeypatch):
    _, found = load_case("gbk", tmp_path, monkeypatch)
    assert "GBK" in found[0].message
    assert "另存为" in found[0].hint and "UTF-8" in found[0].hint


def test_bom_crlf_file_is_read_intact(tmp_path, monkeypatch):
    site, found = load_case("bom_crlf", tmp_path, monkeypatch)
    assert found == []
    (article,) = site.articles
    assert article.title == TITLE  # no BOM, no "\r" at the end
    assert article.source == "滨江市人民政府法制办公室"
    assert article.body == "\n" + BOM_CRLF_BODY
    assert "\r" not in article.body
    assert article.body_line == 7


def test_accepted_date_forms(tmp_path, monkeypatch):
    site, found = load_case("dates_accepted", tmp_path, monkeypatch)
    assert found == []
    dates = {a.src.rsplit("/", 1)[-1]: a.date for a in site.articles}
    midnight = dt.datetime(2021, 5, 8, tzinfo=TZ)
    assert dates == {
        "iso-date.md": midnight,
        "iso-minute.md": dt.datetime(2021, 5, 8, 15, 30, tzinfo=TZ),
        "slashes.md": midnight,
        "chinese.md": midnight,
    }
    for moment in dates.values():
        assert moment.utcoffset() == dt.timedelta(hours=8)
        assert moment.tzinfo == TZ  # a fixed +08:00, never a historical offset of Asia/Shanghai


def test_drafts_and_scheduled_articles(tmp_path, monkeypatch):
    site, found = load_case("draft_scheduled", tmp_path, monkeypatch)
    assert found == []
    assert len(site.articles) == 3
    assert [a.title for a in site.published()] == [TITLE]
    statuses = {a.src: a.status(site.now) for a in site.articles}
    assert statuses == {
        "news/2021/published.md": "published",
        "news/2021/draft.md": "draft",
        "news/2031/scheduled.md": "scheduled",
    }
    assert len(site.published(include_unpublished=True)) == 3

    # Once "now" passes its date, the scheduled article is published (exactly once); the draft never is.
    later, _ = load_site(tmp_path / "content", dt.datetime(2031, 5, 8, 9, 0, tzinfo=TZ))
    titles = [a.title for a in later.published()]
    assert titles == ["定时发布：2031年法治宣传月", TITLE]
    before, _ = load_site(tmp_path / "content", dt.datetime(2031, 5, 8, 8, 59, tzinfo=TZ))
    assert [a.title for a in before.published()] == [TITLE]


def test_duplicate_key_keeps_neither_value_silently(tmp_path, monkeypatch):
    site, found = load_case("duplicate_key", tmp_path, monkeypatch)
    assert site is None
    assert [p.code for p in found] == ["E208"]
    assert "第一次在第 2 行" in found[0].message


def test_all_problems_of_several_files_in_one_run(tmp_path, monkeypatch):
    site, found = load_case("many_broken", tmp_path, monkeypatch)
    assert site is None
    broken = {p.path.rsplit("/", 1)[-1] for p in found}
    assert broken == {"page.md", "category.md", "colon.md", "dup-slug.md", "gbk.md", "no-date.md", "quote.md"}
    # dup-slug.md has two problems of its own: both are there.
    assert [p.code for p in found if p.path.endswith("dup-slug.md")] == ["E306", "E308"]


def test_every_code_in_the_catalogue_is_exercised():
    exercised = {code for problems in EXPECTED.values() for code, *_ in problems}
    exercised |= CLEANUP_CODES  # one fixture per cleanup and import rule in tests/test_cleanups*.py
    exercised |= CHECK_CODES  # one fixture per content check in tests/test_checks.py
    exercised |= {"E771"}  # a broken link in site/: tests/test_feeds_outputs.py builds one
    exercised |= INSTALL_CODES  # the command line and MkDocs' messages, tests/test_install_*.py
    exercised |= PARITY_CODES  # links as the build resolves them: tests/test_parity_links.py
    exercised |= IMPORT_CODES  # office workbooks: tests/test_parity_import.py
    exercised |= URL_CODES  # slugs and old addresses: tests/test_parity_urls.py
    exercised |= ROBUST_CODES  # hostile input in tests/test_robust_inputs.py
    exercised |= FILE_CODES  # what content/ may publish, in tests/test_sanitize_files.py
    exercised |= XXGK_CODES  # 政府信息公开: one case per rule in tests/test_xxgk_annual.py
    # the build, preview and publish faults: each asserted by name in tests/test_staging_*.py
    for source in Path(__file__).parent.glob("test_staging_*.py"):
        exercised |= set(re.findall(r'"(E8[34]\d)"', source.read_text(encoding="utf-8")))
    assert exercised == set(codes.CATALOGUE)


# --- through the real command, as staff run it ---------------------------------------------

CLI_CASES = [
    "gbk",
    "yaml_unclosed_quote",
    "fullwidth_colon",
    "duplicate_key",
    "unknown_field_chinese",
    "settings_bad_icp",
    "missing_attachment",
]


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_check_reports_problem(case, tmp_path):
    materialise(case, tmp_path)
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    for code, path, line, message in EXPECTED[case]:
        assert f"{path}:{line}: 错误 {code} {message}" in output
    assert "修改方法：" in output
    assert f"共发现 {len(EXPECTED[case])} 个错误" in output


def test_cli_check_many_broken_files(tmp_path):
    materialise("many_broken", tmp_path)
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    for code, path, line, _ in EXPECTED["many_broken"]:
        assert f"{path}:{line}: 错误 {code} " in output
    assert output.count("修改方法：") == len(EXPECTED["many_broken"])


def test_cli_check_accepts_bom_crlf(tmp_path):
    materialise("bom_crlf", tmp_path)
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过：1 篇文章，其中 1 篇将发布。" in result.stdout


def test_cli_check_with_absolute_content_path(tmp_path):
    content = materialise("fullwidth_colon", tmp_path)
    result = run_cli("check", "--content", str(content))
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert "xuanchuan-yue.md:2: 错误 E204" in output
