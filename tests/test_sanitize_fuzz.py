"""Fuzz: article headers and bodies built from hostile constructs. Whenever check passes,
the built site, its feeds and WeChat copies carry no script, event attribute or
javascript: URL; whenever check refuses a body's markup, it says where.

Builds run in this process (MkDocs' own build function, search off) to stay quick.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config

from site_builder.core import dates
from site_builder.core.loader import load_site
from tests.conftest import FIXED_EPOCH, SAMPLE_CONTENT, write_config
from tests.test_sanitize import hostile_in_site

HEADER_VALUES = [
    "关于开展法治宣传月活动的通知",
    '关于开展"依法治市"宣传月活动的通知',
    "通知</title><script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "javascript:alert(4)",
    "{{ config }}{% raw %}",
    "&lt;script&gt;&amp;",
    "</textarea></script><!--",
]
PIECES = [
    # benign, as staff write
    "各镇人民政府、街道办事处：\n\n",
    "现将有关事项通知如下。\n\n",
    "[国务院](https://www.gov.cn/)\n\n",
    "| 文号 | 名称 |\n| :--- | ---: |\n| 滨政发〔2016〕12号 | 通知 |\n\n",
    '!!! note "提示"\n    请按时报送。\n\n',
    "```html\n<script>alert('示例')</script>\n```\n\n",
    "行内代码 `<img src=x onerror=alert(1)>`。\n\n",
    "<!-- 备注 -->\n\n",
    "HTML[^1]\n\n[^1]: 注释。\n\n*[HTML]: 超文本标记语言\n\n",
    "<details><summary>展开</summary>内容</details>\n\n",
    "## 标题 {#mubiao .zhongdian}\n\n",
    # hostile, and the pieces the old allow-list misread
    "<script>alert(5)</script>\n",
    "```\n",
    " ```\n",
    "``` html 示例\n",
    "<!-->",
    "--!>",
    "<!-- ",
    " -->",
    '<img alt="图" src="data:image/gif;base64,AAAA>" onerror="alert(6)">\n',
    "<div>`</div>\n",
    '{: title="}" onclick="alert(7)" }\n',
    "<x:y onanimationstart=alert(8)>文字</x:y>\n",
    "[[[点击]]](javascript:alert(9))\n",
    "[点\n击](javascript:alert(10))\n",
    "[点击](javascript:alert((11)))\n",
    "[点击][r]\n\n[r]:\n    javascript:alert(12)\n",
    '<a href="jav&#x61;script:alert(13)">点击</a>\n',
    "<svg onload=alert(14)>",
    "<p onclick=alert(15)>段落</p>\n",
    "\n",
    "    ",
    "`",
    "<",
    '"',
]


def _article(n: int, title: str, summary: str, tag: str, body: str) -> str:
    header = {
        "title": title + str(n),
        "date": "2021-05-08 15:30",
        "category": "通知公告",
        "source": "滨江市人民政府法制办公室",
        "summary": summary,
        "tags": [tag],
        "author": summary,
        "allow": {"W741": "测试", "W742": "测试"},
    }
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in header.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


ARTICLES = st.lists(
    st.tuples(
        st.sampled_from(HEADER_VALUES),
        st.sampled_from(HEADER_VALUES),
        st.sampled_from(HEADER_VALUES),
        st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
    ),
    min_size=1,
    max_size=3,
)


@pytest.fixture(scope="module", autouse=True)
def _fixed_clock():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        yield


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(ARTICLES)
def test_when_check_passes_nothing_runs_in_the_site(articles):
    project = Path(tempfile.mkdtemp(prefix="sb-fuzz-"))
    try:
        content = project / "content"
        (content / "news" / "2021").mkdir(parents=True)
        settings_text = (SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8")
        (content / "site.yml").write_text(settings_text.replace("\nchecks:\n", "\nchecks:\n  W730: off\n"), "utf-8")
        for n, (title, summary, tag, body) in enumerate(articles):
            (content / "news" / "2021" / f"a{n}.md").write_text(_article(n, title, summary, tag, body), "utf-8")
        site, found = load_site(content, dates.build_now())
        for p in found:
            if p.code in {"E720", "E721", "E722"}:
                assert p.line >= 8, p.format()  # in the body, which starts on line 8 or later
        if site is None:
            event("check refused")
            return
        event("check passed: built")
        config = write_config(project, content, project / "site")
        build(load_config(config_file=str(config), strict=True))
        assert hostile_in_site(project / "site") == []
    finally:
        shutil.rmtree(project, ignore_errors=True)
