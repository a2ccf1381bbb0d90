"""Fuzzing the whole command: articles and cleanup records assembled from the constructs that
crashed the tool (control characters, impossible dates, YAML anchors and aliases, tags,
escapes, deep nesting, formula-like text), checked as staff run `site-builder check`.

`check` must end with 0 or 1 and every problem must be located and coded, never exit 70;
whenever `check` passes, `build` must pass too. `check` runs in-process through the CLI's
``main`` (fast); the build runs as a real process, on few examples.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from site_builder.cli import commands as cli
from site_builder.core import codes
from tests.conftest import FIXED_EPOCH, SAMPLE_CONTENT, build_project

CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff"]
ESCAPES = ['"\\x0b"', '"\\x01标题"', '"\\e"', '"\\uFFFE"', '"\\ud800"', '"\\0"', '"\\x85"']
DATES = [
    "2021-05-08 15:30",
    "2021-05-08",
    "2021年5月8日",
    "2021/5/8 9:05",
    "1900-01-01",
    "1900-01-01 00:00+14:00",
    "2100-12-31 23:59",
    "2100-12-31 23:59-12:00",
    "1899-06-01",
    "1988-07-01 12:00",
    "2021-05-08 15:30+99:00",
    "2021-05-08 15:30+08:75",
    "9999-12-31 23:59Z",
    "0001-01-01",
    "2021-02-30",
    "2021-05-08T15:30:00.5+08:00",
    "2031-01-01",
]
YAML_BITS = [
    "&a ",
    "*a",
    "&a [x, x]",
    "[*a, *a]",
    "<<: *a",
    "!!str ",
    "!!binary ",
    "!x ",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "#",
    "|",
    ">",
    "'",
    '"',
    "? ",
    "- ",
    "%",
    "@",
    "`",
]
TEXT_BITS = [
    "关于开展法治宣传月活动的通知",
    "依法行政",
    "滨政发〔2021〕6号",
    '=HYPERLINK("http://x","点")',
    "-1+1",
    "@SUM(1)",
    "<script>",
    "　",
    " ",
    "\t",
]
TAGS = ["依法行政", "法" * 30, "法" * 31, "a" * 300, "行政复议, 普法", ""]
BODY_BITS = [
    "各镇人民政府、街道办事处：\n\n现将有关事项通知如下。\n",
    "\n",
    "[" * 150,
    "[" * 250,
    "> " * 10 + "引用\n",
    "> " * 25 + "深引用\n",
    "".join("  " * i + "- 列表\n" for i in range(12)),
    "".join("  " * i + "- 列表\n" for i in range(25)),
    "```\n代码\n",
    "[链接](../2020/none.md)",
    "![图](none.png)",
    "**加粗**",
    "`" * 30,
    "长" * 2000,
    "\r\n",
    "[\n" * 300,
    "*" * 300 + "x" + "*" * 300,
    '<div markdown="1">\n' * 60,
]

piece = st.one_of(
    st.sampled_from(TEXT_BITS),
    st.sampled_from(CONTROL),
    st.sampled_from(YAML_BITS),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=5),
)
value = st.one_of(
    st.lists(piece, min_size=1, max_size=4).map("".join),
    st.sampled_from(ESCAPES),
    st.sampled_from(DATES),
    st.integers(1, 300).map(lambda n: "[" * n),
)


@st.composite
def article(draw) -> str:
    fields = {
        "title": draw(st.one_of(st.sampled_from(TEXT_BITS[:1]), value)),
        "date": draw(st.one_of(st.sampled_from(DATES), value)),
        "category": draw(st.sampled_from(["通知公告", "工作动态", "不存在"])),
        "source": "滨江市人民政府法制办公室",
    }
    for name in draw(
        st.lists(st.sampled_from(["tags", "summary", "author", "slug", "keywords", "updated"]), max_size=3)
    ):
        fields[name] = draw(st.one_of(st.sampled_from(TAGS).map(lambda t: f"[{t}]"), value))
    lines = [f"{k}: {v}" for k, v in fields.items()]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(value))  # a stray line
    body = "".join(draw(st.lists(st.one_of(st.sampled_from(BODY_BITS), piece), max_size=6)))
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


CLEANUP = (SAMPLE_CONTENT / "cleanups/2021-产权保护专项清理.yml").read_text(encoding="utf-8")
CLEANUP = CLEANUP.replace("  article: chanquan-baohu-qingli-wancheng\n", "")
REASON = "对外地企业设置准入门槛，违反平等保护原则"


@st.composite
def cleanup(draw) -> str | None:
    if not draw(st.booleans()):
        return None
    return CLEANUP.replace(REASON, draw(value), 1)


def _project(root: Path, articles: list[str], batch: str | None) -> Path:
    content = root / "content"
    (content / "news/2021").mkdir(parents=True)
    settings_text = (SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8")
    settings_text = re.sub(r"\nchecks:[^\n]*\n", "\\g<0>  W730: off\n", settings_text)
    (content / "site.yml").write_text(settings_text, encoding="utf-8")
    for index, text in enumerate(articles):
        (content / f"news/2021/a{index}.md").write_bytes(text.encode("utf-8", "surrogatepass"))
    if batch is not None:
        (content / "cleanups").mkdir()
        (content / "cleanups/c.yml").write_bytes(batch.encode("utf-8", "surrogatepass"))
    return content


def _check(content: Path) -> tuple[int, list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["check", "--content", str(content), "--format", "json"])
    problems = json.loads(out.getvalue())["problems"] if out.getvalue().strip() else []
    return code, problems, err.getvalue()


def _assert_located(code: int, problems: list[dict], err: str) -> None:
    assert code in (0, 1), err  # 70 is "内部出错"
    assert "内部出错" not in err
    for found in problems:
        assert found["code"] in codes.CATALOGUE
        assert found["path"].endswith((".md", ".yml")) and "content/" in found["path"], found
        assert found["message"] and found["hint"]
    assert (code == 1) == any(p["level"] == "error" for p in problems)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(articles=st.lists(article(), min_size=1, max_size=3), batch=cleanup())
def test_check_answers_every_input_with_located_problems(workdir, monkeypatch_module, articles, batch):
    root = Path(tempfile.mkdtemp(dir=workdir))
    try:
        code, problems, err = _check(_project(root, articles, batch))
        _assert_located(code, problems, err)
        event(f"check exit {code}")
    finally:
        shutil.rmtree(root)


# Milder input for the build property: mostly valid headers carrying the odd but legal values,
# so that `check` passes often enough for builds to be tried.
MILD = [*TEXT_BITS[:7], "关于“依法治市”宣传月的通知", '关于"依法治市"的通知', "《条例》第1条"]
MILD_DATES = [*DATES[:5], "2100-12-31 23:59", "1988-07-01 12:00", "2021-05-08T15:30:00.5+08:00"]
MILD_BODY = [*BODY_BITS[:3], BODY_BITS[4], BODY_BITS[6], BODY_BITS[8], *BODY_BITS[11:15]]
mild_value = st.lists(st.sampled_from(MILD), min_size=1, max_size=3).map("".join)


@st.composite
def mild_article(draw) -> str:
    lines = [
        f"title: '{draw(mild_value)}'".replace("''", "'"),
        f"date: {draw(st.sampled_from(MILD_DATES))}",
        "category: 通知公告",
        "source: 滨江市人民政府法制办公室",
        f"tags: [{draw(st.sampled_from(TAGS[:2]))}]",
    ]
    body = "".join(draw(st.lists(st.sampled_from(MILD_BODY), max_size=5)))
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


PASTED = (  # what crashed the build after `check` had passed: Word's line break in a body and a title
    "---\ntitle: 关于开展法治宣传月活动的通知\ndate: 2021-05-08 15:30\ncategory: 通知公告\n"
    "source: 滨江市人民政府法制办公室\n---\n\n各镇人民政府：\x0b现将有关事项通知如下。\n"
)


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(articles=st.lists(mild_article(), min_size=2, max_size=4), reason=mild_value)
@example(articles=[PASTED], reason="已被新规定替代")
@example(  # an article of 1900: the catalogue workbook is stamped with it (a zip holds 1980 onwards)
    articles=[
        "---\ntitle: '关于开展法治宣传月活动的通知'\ndate: 1900-01-01\ncategory: 通知公告\n"
        "source: 滨江市人民政府法制办公室\ntags: [依法行政]\n---\n\n"
    ],
    reason="已被新规定替代",
)
@example(articles=[PASTED.replace("\x0b", "")], reason='=HYPERLINK("http://x","点")\x01')
def test_when_check_passes_build_passes(workdir, monkeypatch_module, articles, reason):
    root = Path(tempfile.mkdtemp(dir=workdir))
    try:
        content = _project(root, articles, CLEANUP.replace(REASON, f"'{reason}'", 1))
        code, problems, err = _check(content)
        _assert_located(code, problems, err)
        event(f"check exit {code}")
        if code == 0:
            result = build_project(root)
            assert result.returncode == 0, result.stdout + result.stderr
            assert (root / "site/index.html").is_file()
            assert (root / "site/feeds/atom.xml").is_file()
    finally:
        shutil.rmtree(root)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        yield patch
