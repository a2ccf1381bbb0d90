"""Hostile bodies: check reports them where they are written, and nothing of them is published.

Each case is a way the former regex allow-list over Markdown was bypassed: what a
browser runs is decided by how Python-Markdown renders the body and how the browser
parses the HTML, so that is where the sanitiser works (site_builder/core/sanitize.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree
from mkdocs.commands.build import build
from mkdocs.config import load_config
from selectolax.lexbor import LexborHTMLParser

from site_builder.core import memo, sanitize
from site_builder.core.checks import links, rendered
from site_builder.outputs import sitelinks
from tests.conftest import FIXED_EPOCH, ROOT, build_project, run_cli, write_config

HEADER = "---\ntitle: 关于开展法治宣传月活动的通知{n}\ndate: 2021-05-08 15:30\ncategory: 通知公告\nsource: 滨江市人民政府法制办公室\n---\n\n"
BODY_LINE = 8  # the header above is 7 lines: the body starts on line 8

# name -> (body, line of the hostile construct counted from the body's first line, 0-based)
BYPASSES: dict[str, tuple[str, int]] = {
    "unclosed_fence": ("各单位：\n\n```\n<script>alert(1)</script>\n", 3),
    "one_space_fence": ("各单位：\n\n ```\n<script>alert(1)</script>\n ```\n", 3),
    "multi_word_info_fence": ("各单位：\n\n``` html 示例\n<script>alert(1)</script>\n```\n", 3),
    "comment_end_short": ("各单位：\n\n<!--><script>alert(1)</script>-->\n", 2),
    "comment_end_bang": ("各单位：\n\n<!-- 注释 --!><img src=x onerror=alert(1)>-->\n", 2),
    "gt_in_quoted_attr": ('各单位：\n\n<img alt="图" src="data:image/gif;base64,AAAA>" onerror="alert(1)">\n', 2),
    "backticks_in_html_block": ("各单位：\n\n<div>`</div>\n<script>alert(1)</script>\n<div>`</div>\n", 3),
    "attr_list_quoted_brace": ('各单位：\n\n现将有关事项通知如下。\n{: title="}" onclick="alert(1)" }\n', 3),
    "namespaced_tag": ("各单位：\n\n<x:y onanimationstart=alert(1) style=animation-name:spin>文字</x:y>\n", 2),
    "nested_brackets_link": ("各单位：\n\n[[[点击]]](javascript:alert(1))\n", 2),
    "link_text_across_newline": ("各单位：\n\n[点\n击](javascript:alert(1))\n", 3),
    "double_parens_url": ("各单位：\n\n[点击](javascript:alert((1)))\n", 2),
    "reference_url_next_line": ("各单位：\n\n[点击][r]\n\n[r]:\n    javascript:alert(1)\n", 5),
    "entity_in_scheme": ('各单位：\n\n<a href="jav&#x61;script:alert(1)">点击</a>\n', 2),
    "tab_in_scheme": ('各单位：\n\n<a href="java&#9;script:alert(1)">点击</a>\n', 2),
    "svg_onload": ("各单位：\n\n<svg onload=alert(1)></svg>\n", 2),
    "data_html_link": ("各单位：\n\n[点击](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n", 2),
    "data_svg_image": ("各单位：\n\n![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n", 2),
    "iframe_srcdoc": ('各单位：\n\n<iframe srcdoc="<script>alert(1)</script>"></iframe>\n', 2),
    "body_onload": ("各单位：\n\n<body onload=alert(1)>\n", 2),
    "clobbered_config": ('各单位：\n\n<div id="__config">{"search": "files/x.txt"}</div>\n', 2),
    "details_ontoggle": ("各单位：\n\n<details open ontoggle=alert(1)><summary>展开</summary>内容</details>\n", 2),
}

# Things the site renders today, which the sanitiser must leave as they are.
LEGITIMATE = """各镇人民政府、街道办事处：

## 一、工作目标 {#mubiao .zhongdian title="目标"}

HTML 是超文本标记语言[^1]，依照《行政复议法》办理。

*[HTML]: 超文本标记语言

| 文号 | 名称 | 数量 |
| :--- | :---: | ---: |
| 滨政发〔2016〕12号 | 关于印发的通知 | 3 |

!!! note "提示"
    请于 5 月 31 日前报送。

术语
:   定义。

![会场](../../images/photos/a.png){ width="300" height="200" }
![小图](data:image/png;base64,iVBORw0KGgo=)

[附件](../../files/2021/fangan.pdf)、[邮件](mailto:fzb@example.gov.cn)、[电话](tel:0000-12345678)、[国务院](https://www.gov.cn/)

<details markdown="1"><summary>展开</summary>

内容 **加粗** <kbd>Ctrl</kbd> <mark>标记</mark> <abbr title="规范性文件">规文</abbr>

</details>

<table><caption>表</caption><tr><th scope="col" colspan="2">甲</th></tr><tr><td rowspan="1" align="right">1</td><td>2</td></tr></table>

<ol start="3" type="a"><li>三</li></ol>

<a href="#mubiao" target="_blank" rel="noopener">本节</a> <del datetime="2021-01-01">旧</del><ins>新</ins> <q>引文</q>

```html
<script>alert("这是代码示例")</script>
```

行内代码 `<img src=x onerror=alert(1)>` 也只是文字。

[^1]: 见《编写指南》。
"""


URL_ATTRS = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "cite", "background", "ping"}
)


def _hostile(html: str) -> list[str]:
    """Script a browser would run in ``html``: script elements (other than the theme's own
    files), event attributes and javascript: URLs."""
    found = []
    for node in LexborHTMLParser(html).root.traverse(include_text=False):
        attrs = {k.lower(): v or "" for k, v in node.attributes.items()}
        if node.tag == "script" and not (
            re.match(r"^(/|(\.\./)*)(assets|pagefind)/", attrs.get("src", ""))
            or attrs.get("type") == "application/json"
        ):
            found.append(f"<script {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{node.tag} {name}=…>")
            url = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in URL_ATTRS and url.startswith(("javascript:", "vbscript:", "data:text")):
                found.append(f"<{node.tag} {name}={value}>")
    return found


def hostile_in_site(site: Path) -> list[str]:
    """Every page, feed entry and WeChat copy of ``site``, read as a browser or feed reader
    would: pages and WeChat fragments as HTML; in feeds, what the formats define as HTML
    (RSS description and content:encoded, Atom type="html", JSON Feed content_html)."""
    found = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            found += [f"{rel}: {h}" for h in _hostile(path.read_text(encoding="utf-8"))]
        elif path.suffix == ".xml" and path.name != "sitemap.xml":
            for element in etree.parse(str(path)).iter():
                if not isinstance(element.tag, str):
                    continue
                name = etree.QName(element).localname
                rss_html = name in {"description", "encoded"} and path.name == "rss.xml"
                atom_html = name in {"content", "summary", "subtitle", "title"} and element.get("type") == "html"
                if rss_html or atom_html:
                    found += [f"{rel}: {h}" for h in _hostile(element.text or "")]
        elif path.suffix == ".json" and path.parent.name != "pagefind":
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data.get("items", []) if isinstance(data, dict) else []
            texts = [i.get("content_html", "") for i in items] + ([data.get("html", "")] if "html" in data else [])
            found += [f"{rel}: {h}" for t in texts if isinstance(t, str) for h in _hostile(t)]
    return found


def _write(project: Path, bodies: dict[str, str]) -> dict[str, str]:
    folder = project / "content" / "news" / "2021"
    folder.mkdir(parents=True, exist_ok=True)
    rels = {}
    for n, (name, body) in enumerate(sorted(bodies.items())):
        (folder / f"{name.replace('_', '-')}.md").write_text(HEADER.format(n=n) + body, encoding="utf-8")
        rels[name] = f"content/news/2021/{name.replace('_', '-')}.md"
    return rels


def _build_in_process(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = write_config(project, project / "content", project / "site")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    build(load_config(config_file=str(config), strict=True))
    return project / "site"


def test_check_reports_every_bypass_at_its_line(project):
    rels = _write(project, {name: body for name, (body, _) in BYPASSES.items()})
    result = run_cli("check", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr
    problems = json.loads(result.stdout)["problems"]
    for name, (_, offset) in BYPASSES.items():
        mine = [p for p in problems if p["path"] == rels[name] and p["code"] in {"E720", "E721", "E722"}]
        assert mine, f"{name}: check reported nothing"
        assert BODY_LINE + offset in {p["line"] for p in mine}, (name, mine)
    built = build_project(project)
    assert built.returncode == 1
    assert "E72" in built.stderr
    assert not (project / "site").exists()


def test_the_sanitiser_publishes_none_of_them_even_unchecked(project, monkeypatch):
    """The build's own sanitising, with check's report switched off: nothing runs anywhere."""
    _write(project, {name: body for name, (body, _) in BYPASSES.items()})
    monkeypatch.setattr(rendered, "check", lambda doc: [])
    monkeypatch.setattr(links, "check", lambda doc, known: [])  # it refuses some of them too (E332)
    monkeypatch.setattr(
        sitelinks, "check_site", lambda site, url, *incremental: []
    )  # and the built site's link check (E771)
    # nothing reused from an earlier in-process build, whose checks were not switched off
    monkeypatch.setattr(memo.Memo, "cached", lambda self, step, key, compute, *args, **_: compute(*args))
    site = _build_in_process(project, monkeypatch)
    assert len(list((site / "wechat").glob("*.html"))) > len(BYPASSES)  # the copies were made
    assert (site / "feeds" / "rss.xml").is_file()
    assert hostile_in_site(site) == []
    text = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "onerror" not in text and "onanimationstart" not in text and "javascript:alert" not in text


def test_legitimate_markup_is_kept_and_not_reported(project, monkeypatch):
    images = project / "content" / "images" / "photos"
    images.mkdir(parents=True)
    (images / "a.png").write_bytes((ROOT / "content/images/photos/zhifa-peixun.png").read_bytes())
    files = project / "content" / "files" / "2021"
    files.mkdir(parents=True)
    (files / "fangan.pdf").write_bytes((next((ROOT / "content/files").rglob("*.pdf"))).read_bytes())
    _write(project, {"legit": LEGITIMATE})
    result = run_cli("check", cwd=project)
    assert "E72" not in result.stdout + result.stderr
    html = rendered.render(LEGITIMATE)
    assert sanitize.findings(html) == []
    # The same document as a browser reads it, before and after sanitising.
    assert LexborHTMLParser(sanitize.clean(html)).body.html == LexborHTMLParser(html).body.html
    site = _build_in_process(project, monkeypatch)
    page = (site / "articles").rglob("index.html").__next__().read_text(encoding="utf-8")
    for kept in (
        'id="mubiao"',
        'class="zhongdian"',
        '<abbr title="超文本标记语言">HTML</abbr>',
        'class="footnote-ref"',
        'class="admonition note"',
        'style="text-align: center;"',
        'width="300"',
        'src="data:image/png;base64,iVBORw0KGgo="',
        'href="mailto:fzb@example.gov.cn"',
        'href="tel:0000-12345678"',
        'class="headerlink"',
        "<details",
        "<kbd>Ctrl</kbd>",
        'rowspan="1"',
        'target="_blank"',
        "&lt;script&gt;",
    ):
        assert kept in page, kept


def test_markdown_extensions_are_the_builds():
    """check renders with what MkDocs makes of mkdocs.yml, or it would judge other HTML."""
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    assert list(config.markdown_extensions) == rendered.EXTENSIONS
    for name, options in rendered.EXTENSION_CONFIGS.items():
        for key, value in options.items():
            assert config.mdx_configs[name][key] == value
