"""Content checks: one fixture per check and per unsafe construct.

Each case is a small ``content/`` tree under ``tests/fixtures/checks/<case>/``, laid
over ``_base`` (site settings with the empty/stale-栏目 checks off, the sample word
lists, one image) unless the case brings its own site.yml. Every problem is asserted
exactly: code, file, line and the Chinese message staff read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from site_builder.core.dates import TZ
from site_builder.core.loader import load_site
from tests.conftest import SAMPLE_CONTENT, build_project, run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"
NOW = dt.datetime(2026, 11, 27, tzinfo=TZ)  # conftest.FIXED_EPOCH
A = "content/news/2021/tongzhi.md"
SITE = "content/site.yml"


def _too_large(content: Path) -> None:
    text = (content / "news/2021/tongzhi.md").read_text(encoding="utf-8")
    (content / "news/2021/tongzhi.md").write_text(text + ("依法行政。" * 20 + "\n\n") * 4000, encoding="utf-8")


def _link_out(content: Path) -> None:
    try:
        os.symlink("/etc/hostname", content / "images/hostname.png")
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot create symbolic links")


GENERATED = {"too_large": _too_large, "symlink_out_of_content": _link_out}

EXPECTED: dict[str, list[tuple[str, str, int, str]]] = {
    "allow_bad": [
        ("E709", A, 6, "allow 中的“E301”不是可以豁免的检查代码。"),
    ],
    "allow_waives": [],
    "deep_nesting": [
        ("E724", A, 10, "正文无法安全排版：引用“>”或列表嵌套了 30 层（上限 20 层）"),
    ],
    "docno_body": [
        ("E513", A, 8, "文号“滨政办发〔21〕3号”的年份只写了两位。"),
        ("E514", A, 8, "文号“滨政发〔2021〕07号”的序号前面有多余的 0。"),
        ("E515", A, 8, "文号“滨政发〔2021〕第5号”的序号前面多了“第”字。"),
        ("E515", A, 10, "文号“滨政办发〔2020〕第9号”的序号前面多了“第”字。"),  # not “根据滨政办发…”
    ],
    "docno_front": [
        ("E512", A, 6, "文号“滨政发[2021]6号”的括号不是六角括号〔〕。"),
    ],
    "docno_not_a_number": [
        ("E511", A, 6, "doc_no 的值“六号文件”不是文号。"),
    ],
    "duplicate_title": [
        ("W740", A, 2, "标题与 content/news/2021/tongzhi-2.md:2 的标题相同：关于开展2021年法治宣传月活动的通知"),
    ],
    "empty_category": [
        ("W730", SITE, 21, "栏目“工作动态”还没有任何文章。"),
        ("W730", SITE, 27, "栏目“政策文件”还没有任何文章。"),
    ],
    "html_attr_list": [
        ("E721", A, 9, "HTML 标签 <p> 不允许使用属性 onmouseover。"),
    ],
    "html_data_url": [
        ("E722", A, 8, "不安全的链接地址：data:text/html;base64,PHNjcmlwdD4="),
    ],
    "html_event_attribute": [
        ("E721", A, 8, "HTML 标签 <p> 不允许使用属性 onclick。"),
    ],
    "html_iframe": [
        ("E720", A, 10, "正文中不允许使用 HTML 标签 <iframe>。"),
    ],
    "html_in_code_ok": [],
    "html_javascript_url": [
        ("E722", A, 8, "不安全的链接地址：javascript:alert(1)"),
        ("E722", A, 10, "不安全的链接地址：javascript:alert(1)"),  # as the browser reads it
    ],
    "html_script": [
        ("E720", A, 10, "正文中不允许使用 HTML 标签 <script>。"),
    ],
    "image_without_alt": [
        ("E710", A, 10, "图片没有替代文字（alt）：../../images/huiyi.png"),
    ],
    "law_misspelt": [
        ("W707", A, 8, "《中华人民共和国行政复议发》与法律法规的规范名称《中华人民共和国行政复议法》不一致。"),
    ],
    "levels": [
        ("E701", A, 8, "正文中留有占位符“XX”。"),
    ],
    "link_missing": [
        ("E711", A, 8, "正文中的链接指向不存在的文章或文件：../2020/fangan.md"),
    ],
    "link_outbound": [
        ("W712", A, 8, "链接指向政府网站以外的地址：https://www.example.com/a"),
        ("W713", A, 8, "链接使用了 IP 地址：http://192.168.1.10/oa"),
    ],
    "long_title": [
        ("W741", A, 2, "标题有 51 个字，超过 50 个字。"),
    ],
    "many_brackets": [
        ("E724", A, 10, "正文无法安全排版：这一行有 300 个方括号“[”（上限 200）"),
    ],
    "mixed_punctuation": [
        ("W742", A, 2, "标题中全角和半角标点混用：关于开展法治宣传月活动的通知(试行)，请遵照执行"),
    ],
    "name_misspelt": [
        ("E706", A, 8, "名称“滨江市法制局”写错了，应为“滨江市人民政府法制办公室”。"),
    ],
    "placeholder_anonymised_ok": [],
    "placeholder_body": [
        ("E701", A, 8, "正文中留有占位符“XX”。"),
    ],
    "placeholder_front": [
        ("E701", A, 2, "标题（title）中留有占位符“某某”。"),
    ],
    "placeholder_todo": [
        ("E701", A, 10, "正文中留有占位符“TODO”。"),
        ("E701", A, 12, "正文中留有占位符“（此处插入活动照片）”。"),
    ],
    "signed_after_published": [
        ("E703", A, 12, "落款的成文日期 2021-05-20 晚于发布日期 2021-05-08。"),
    ],
    "stale_category": [
        ("W731", SITE, 23, "栏目“工作动态”最新的文章是 2026-11-01 发布的，已超过 14 天没有更新。"),
        ("W731", SITE, 26, "栏目“通知公告”最新的文章是 2026-03-01 发布的，已超过 180 天没有更新。"),
    ],
    "title_year": [
        ("W704", A, 2, "标题中的年份 2019 与发布日期 2021-05-08 不符。"),
    ],
    "wording": [
        ("E705", A, 8, "“法制政府”是不规范或敏感的用语。2014年党的十八届四中全会后统一使用“法治政府”。"),
    ],
    "wordlist_broken": [
        ("E708", "content/checks/extra.yml", 4, "检查用语表格式不对：YAML 语法错误，请检查缩进和引号。"),
    ],
    "year_range": [
        ("E702", A, 8, "年份范围“2021-2021”的起止年份相同。"),
    ],
    "too_large": [("E723", A, 0, "文件太大（1.2 MB），超过 1.0 MB 的上限。")],
    "symlink_out_of_content": [
        (
            "E725",
            "content/images/hostname.png",
            0,
            "文件 images/hostname.png 是指向 content/ 目录之外的链接（快捷方式）。",
        )
    ],
}
# Every code a case above raises: tests/test_bad_input.py checks the whole catalogue is exercised.
EXERCISED = {code for problems in EXPECTED.values() for code, *_ in problems}


def materialise(case: str, dest: Path) -> Path:
    content = dest / "content"
    if case in GENERATED:
        shutil.copytree(FIXTURES / "_base/content", content)
        shutil.copytree(FIXTURES / "placeholder_anonymised_ok/content", content, dirs_exist_ok=True)
        GENERATED[case](content)
        return content
    if not (FIXTURES / case / "content/site.yml").exists():
        shutil.copytree(FIXTURES / "_base/content", content)
    shutil.copytree(FIXTURES / case / "content", content, dirs_exist_ok=True)
    return content


def load_case(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    content = materialise(case, tmp_path)
    monkeypatch.chdir(tmp_path)  # paths shown as content/…, as staff see them
    return load_site(content, NOW)


def test_every_fixture_has_expectations():
    cases = {p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name != "_base"}
    assert cases | set(GENERATED) == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_checks_report_exactly(case, tmp_path, monkeypatch):
    site, found = load_case(case, tmp_path, monkeypatch)
    assert [(p.code, p.path, p.line, p.message) for p in found] == EXPECTED[case]
    for p in found:
        assert p.hint, f"{p.code} has no hint"
        assert p.level == ("error" if p.code.startswith("E") and case != "levels" else "warning")
    assert (site is None) == any(p.is_error for p in found)


def test_site_levels_turn_an_error_into_a_warning_and_a_warning_off(tmp_path, monkeypatch):
    site, found = load_case("levels", tmp_path, monkeypatch)
    assert site is not None, "E701 is only a warning on this site: the build goes on"
    assert [(p.code, p.level) for p in found] == [("E701", "warning")]  # W712 is off
    assert found[0].format().startswith(f"{A}:8: 警告 E701 ")


def test_allow_waives_one_check_for_one_article(tmp_path, monkeypatch):
    site, found = load_case("allow_waives", tmp_path, monkeypatch)
    assert found == []
    assert site.articles[0].allow == {"W704": "转载2019年的通知，标题年份无误"}
    # Without the waiver the same article is warned about.
    path = tmp_path / "content/news/2021/tongzhi.md"
    path.write_text(path.read_text(encoding="utf-8").replace("allow:", "# allow:"), encoding="utf-8")
    _, found = load_site(tmp_path / "content", NOW)
    assert [p.code for p in found] == ["W704"]


def test_unsafe_html_cannot_be_waived_or_switched_off(tmp_path, monkeypatch):
    content = materialise("html_script", tmp_path)
    path = content / "news/2021/tongzhi.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", "allow: {E720: 要嵌入脚本}\n---\n\n", 1))
    monkeypatch.chdir(tmp_path)
    _, found = load_site(content, NOW)
    assert [(p.code, p.message) for p in found] == [("E709", "allow 中的“E720”不是可以豁免的检查代码。")]
    settings = content / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  W730: off", "  E720: off"))
    _, found = load_site(content, NOW)
    assert ("E403", "content/site.yml") in {(p.code, p.path) for p in found}


def test_the_sample_site_is_clean_under_every_check():
    site, found = load_site(SAMPLE_CONTENT, NOW)
    assert site is not None
    assert [p for p in found if p.code[1] == "7"] == []


# --- through the real command -------------------------------------------------------------


def test_check_json_and_exit_codes(tmp_path):
    materialise("link_outbound", tmp_path)  # warnings only
    result = run_cli("check", "--content", "content", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["errors"], report["warnings"]) == (0, 2)
    assert [(p["code"], p["path"], p["line"], p["level"]) for p in report["problems"]] == [
        ("W712", A, 8, "warning"),
        ("W713", A, 8, "warning"),
    ]

    materialise("html_script", tmp_path / "bad")
    result = run_cli("check", "--content", "content", "--format", "json", cwd=tmp_path / "bad")
    assert result.returncode == 1
    assert json.loads(result.stdout)["problems"][0]["code"] == "E720"


def test_check_github_annotations_one_line_each_and_escaped(tmp_path):
    materialise("placeholder_todo", tmp_path)
    result = run_cli("check", "--content", "content", "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 2
    assert lines[0].startswith(f"::error file={A},line=10,title=E701::正文中留有占位符“TODO”。%0A修改方法：")
    assert all("\n" not in line and "\r" not in line for line in lines)


def test_github_escaping_follows_the_spec():
    from site_builder.cli.report import github
    from site_builder.core.problems import Problem

    item = Problem(path="a,b:c.md", line=3, code="E701", message="100% 完成\r\n第二行", hint="", level="warning")
    assert github([item]) == "::warning file=a%2Cb%3Ac.md,line=3,title=E701::100%25 完成%0D%0A第二行"


def test_check_gitlab_code_quality(tmp_path):
    materialise("link_outbound", tmp_path)
    result = run_cli("check", "--content", "content", "--format", "gitlab", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [
        (r["check_name"], r["severity"], r["location"]["path"], r["location"]["lines"]["begin"]) for r in report
    ] == [
        ("W712", "minor", A, 8),
        ("W713", "minor", A, 8),
    ]
    assert len({r["fingerprint"] for r in report}) == 2


def test_human_report_is_grouped_by_file(tmp_path):
    content = materialise("link_outbound", tmp_path)
    text = (FIXTURES / "placeholder_body/content/news/2021/tongzhi.md").read_text(encoding="utf-8")
    (content / "news/2021/baosong.md").write_text(text, encoding="utf-8")
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    out = result.stderr
    first, second = out.index("【content/news/2021/baosong.md】1 个问题"), out.index(f"【{A}】3 个问题")
    assert first < out.index("content/news/2021/baosong.md:8: 错误 E701 正文中留有占位符“XX”。") < second
    assert second < out.index(f"{A}:2: 警告 W740 ") < out.index(f"{A}:8: 警告 W712 ") < out.index(f"{A}:8: 警告 W713 ")
    assert "共发现 1 个错误、3 个警告。" in out


def test_fix_corrects_doc_numbers_in_articles_and_nothing_else(tmp_path):
    content = materialise("docno_body", tmp_path)
    path = content / "news/2021/tongzhi.md"
    text = path.read_text(encoding="utf-8").replace("---\n\n", "doc_no: 滨政发［2021］6号\n---\n\n", 1)
    original = ("\ufeff" + text).replace("\n", "\r\n").encode("utf-8")  # as Notepad saves it
    path.write_bytes(original)
    result = run_cli("check", "--content", "content", "--fix", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已改正文号 doc_no: 滨政发［2021］6号 → doc_no: 滨政发〔2021〕6号" in result.stdout
    fixed = path.read_bytes()
    expected = (
        original.decode("utf-8")
        .replace("滨政发［2021］6号", "滨政发〔2021〕6号")
        .replace("〔21〕3号", "〔2021〕3号")
        .replace("〔2021〕第5号", "〔2021〕5号")
        .replace("〔2021〕07号", "〔2021〕7号")
        .replace("〔2020〕第9号", "〔2020〕9号")
    )
    assert fixed == expected.encode("utf-8")
    assert "检查通过" in result.stdout


def test_build_refuses_unsafe_html_and_writes_nothing(project: Path):
    content = project / "content"
    shutil.copytree(FIXTURES / "html_event_attribute/content/news", content / "news", dirs_exist_ok=True)
    result = build_project(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "content/news/2021/tongzhi.md:8: 错误 E721 HTML 标签 <p> 不允许使用属性 onclick。" in result.stderr
    assert not (project / "site/articles").exists()


def test_warnings_never_stop_a_build(project: Path):
    content = project / "content"
    shutil.copytree(FIXTURES / "link_outbound/content/news", content / "news", dirs_exist_ok=True)
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    assert "警告 W712" in result.stderr and "警告 W713" in result.stderr
    page = next((project / "site/articles").glob("*/index.html")).read_text(encoding="utf-8")
    assert "https://www.example.com/a" in page  # shown, not dropped
