"""Property tests: whatever staff type, the loader and the checks answer with the
project's own problems (or succeed), never with another exception.

Random and mutated front matter, 文号 and Markdown are written to a real content/
folder and loaded exactly as `site-builder check` loads them.
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.core import docno
from site_builder.core.dates import TZ
from site_builder.core.loader import load_site
from site_builder.core.problems import Problem
from tests.conftest import SAMPLE_CONTENT

NOW = dt.datetime(2026, 11, 27, tzinfo=TZ)
VALID = (
    "---\ntitle: 关于开展法治宣传月活动的通知\ndate: 2021-05-08 15:30\ncategory: 通知公告\n"
    "source: 滨江市人民政府法制办公室\ndoc_no: 滨政发〔2021〕6号\ntags: [依法行政, 行政复议]\n---\n\n"
    "各镇人民政府、街道办事处：\n\n现将有关事项通知如下。\n"
)
# Characters that mean something to YAML, Markdown, HTML or the checks, plus Chinese text.
SIGNIFICANT = [
    *list("-:#>*_`[](){}<>!|\"'&%@\\\t\n \u3000：〔〕［］【】（）《》×X某待定0123456789"),
    "\r\n",
    "---",
    "```",
]
TEXT = st.lists(st.one_of(st.sampled_from(SIGNIFICANT), st.characters(codec="utf-8")), max_size=150).map("".join)
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Made when the module is imported (hypothesis runs each example without pytest's fixtures): every worker that
# collects the module makes one, and removes it when it ends.
_ROOT = Path(tempfile.mkdtemp(prefix="sb-properties-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)
_CONTENT = _ROOT / "content"
(_CONTENT / "news/2021").mkdir(parents=True)
shutil.copy(SAMPLE_CONTENT / "site.yml", _CONTENT / "site.yml")
shutil.copytree(SAMPLE_CONTENT / "checks", _CONTENT / "checks")


def _load(text: str | bytes) -> None:
    path = _CONTENT / "news/2021/tongzhi.md"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    site, found = load_site(_CONTENT, NOW)
    assert all(isinstance(p, Problem) for p in found)
    for p in found:
        assert p.code and p.message and p.path.endswith((".md", ".yml"))
    assert (site is None) == any(p.is_error for p in found)


@PROFILE
@given(st.integers(min_value=0, max_value=len(VALID)), st.integers(min_value=0, max_value=20), TEXT)
def test_mutated_articles_give_problems_not_exceptions(position, cut, inserted):
    _load(VALID[:position] + inserted + VALID[position + cut :])


@PROFILE
@given(TEXT)
@example("---\ntitle: " + "[" * 5000 + "\n---\n")
@example("---\n" + "- " * 3000 + "x\n---\n")
@example("---\ntitle: a\n---\n" + ">" * 5000 + "\n")
@example("---\ntitle: a\n---\n" + "`` a ` " * 5000 + "\n")
def test_random_files_give_problems_not_exceptions(text):
    _load(text)


@PROFILE
@given(st.binary(max_size=400))
def test_random_bytes_give_problems_not_exceptions(raw):
    _load(raw)


DOC_NO = st.builds(
    lambda agency, open_, year, close, di, number: f"{agency}{open_}{year}{close}{di}{number}号",
    st.text(alphabet="滨政办发鄂函规 ", min_size=0, max_size=8),
    st.sampled_from([*list(docno.OPEN + docno.LOOKALIKE_OPEN), ""]),
    st.one_of(st.integers(0, 9999).map(str), st.text(alphabet="0123456789", max_size=6)),
    st.sampled_from([*list(docno.CLOSE + docno.LOOKALIKE_CLOSE), ""]),
    st.sampled_from(["", "第", " 第 "]),
    st.one_of(st.integers(0, 10**6).map(str), st.text(alphabet="0123456789", max_size=8)),
)


RUNNING_TEXT = st.lists(
    st.one_of(
        DOC_NO,
        st.text(alphabet="滨政办发号第文和 \u3000\n。（）〔〕[]0123456789", max_size=14),
        st.text(alphabet="关于印发滨江市政府办公室", min_size=10, max_size=16),  # a 代字 swallowing words
    ),
    max_size=6,
).map("".join)


@PROFILE
@given(RUNNING_TEXT)
@example("关于印发滨江市人民政府办公室关于滨政办发〔2020〕3号文件")
@example("（2020）3号文〔2021〕5号")  # the second 代字 starts inside what the first bracket did not make a 文号
def test_doc_numbers_in_running_text_are_found_as_the_loose_pattern_finds_them(text):
    """loose_matches, which looks for a 文号's ending first, finds what LOOSE.finditer finds: the
    same 文号, at the same places, with the same 代字 (articles' links and checks read these)."""
    expected = [(m.span(), m.groupdict()) for m in docno.LOOSE.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in docno.loose_matches(text)] == expected


@PROFILE
@given(st.one_of(DOC_NO, TEXT))
def test_doc_numbers_in_header_and_body(value):
    checked = docno.check(value)
    if checked.canonical is not None:
        assert docno.check(str(checked.canonical)).is_canonical  # the fix is itself clean
    fixed = docno.fix_text(value)
    assert docno.fix_text(fixed) == fixed  # fixing twice changes nothing more
    quoted = "'" + value.replace("'", "''").replace("\n", " ") + "'"
    _load(VALID.replace("滨政发〔2021〕6号", quoted, 1) + "\n依据" + value + "的规定。\n")
