"""Every kind of page passes the Nu Html Checker (vnu.jar, the W3C's validator) with 0 errors.

vnu.jar comes from the npm package ``vnu-jar``, pinned in tests/browser/package.json and
its lock file (``./dev test`` installs it beside axe-core); it needs Java (Debian's
``default-jre-headless``, which ``.ci/run`` installs). Without either the test skips,
except in CI (``CI=true``), where it must run. Material's own markup counts: where it is
invalid, theme/ overrides it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

VNU = ROOT / "tests" / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# One page of every type the site has.
PAGES = {
    "home": "index.html",
    "list": "news/index.html",
    "column": "news/gongzuo-dongtai/index.html",
    "list, page 2": "news/page/2/index.html",
    "tag": None,  # the first tag page
    "tag index": "tags/index.html",
    "archive": "archive/index.html",
    "archive year": "archive/2021/index.html",
    "article": "articles/shijia-shicha-fangan/index.html",
    "article with 文号 links": "articles/zonghe-xingzheng-zhifa-banfa/index.html",
    "cleanups": "cleanups/index.html",
    "batch": "cleanups/2021-jizhong-qingli/index.html",
    "library": "cleanups/library/index.html",
    "document": None,  # the first document page
    "search": "search/index.html",
    "feeds": "feeds/index.html",
    "accessibility": "about/accessibility/index.html",
    "404": "404.html",
    "WeChat staff page": "wechat/index.html",
    # 政府信息公开: every kind of page of the section (the article above carries its metadata table)
    "section": "xxgk/index.html",
    "section page (guide)": "xxgk/guide/index.html",
    "section page (apply, with the form)": "xxgk/apply/index.html",
    "catalogue": "xxgk/catalogue/index.html",
    "yearly reports": "xxgk/annual/index.html",
    "yearly report": "xxgk/annual/2020/index.html",
}


def vnu_command() -> list[str] | None:
    java = shutil.which("java")
    if java and VNU.is_file():
        return [java, "-Xss2m", "-jar", str(VNU)]
    why = (
        "没有 java（apt-get install default-jre-headless）"
        if not java
        else "没有 vnu.jar（cd tests/browser && npm ci）"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI 中必须运行 HTML 校验：{why}")
    pytest.skip(f"跳过 HTML 校验：{why}")


def test_every_page_type_has_no_html_error(sample_site: Path, tmp_path: Path):
    command = vnu_command()
    pages = dict(PAGES)
    pages["tag"] = next(p for p in sorted((sample_site / "tags").glob("*/index.html")))
    pages["document"] = next(p for p in sorted((sample_site / "cleanups/library").glob("*/index.html")))
    files = [sample_site / p if isinstance(p, str) else p for p in pages.values()]
    # A 公众号 copy is a fragment for the editor: checked inside the smallest valid document.
    fragment = (sample_site / "wechat/zonghe-xingzheng-zhifa-banfa.html").read_text(encoding="utf-8")
    wrapped = tmp_path / "wechat-copy.html"
    wrapped.write_text(
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>公众号版本</title></head>'
        f"<body>{fragment}</body></html>",
        encoding="utf-8",
    )
    files.append(wrapped)
    for path in files:
        assert path.is_file(), path
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).as_posix().split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == []
