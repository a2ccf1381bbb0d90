"""What the sanitiser would remove from a body, found on the body as it will be rendered.

The body is rendered by Python-Markdown with the extensions mkdocs.yml lists (a test
keeps the two lists equal), and :func:`site_builder.core.sanitize.findings` reads the HTML
as a browser would. Each finding is reported at the first source line that shows it
(the tag, the attribute's name, the URL or its scheme), or at the body's first line.
"""

from __future__ import annotations

import re
import threading

import markdown

from site_builder.core import sanitize
from site_builder.core.checks.text import Document
from site_builder.core.problems import Problem, problem

# What MkDocs makes of mkdocs.yml's markdown_extensions (tests/test_sanitize.py compares them).
EXTENSIONS = ["toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html"]
EXTENSION_CONFIGS = {"toc": {"permalink": "#", "permalink_title": "本节链接"}}
_DANGEROUS = frozenset(
    [
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "style",
        "link",
        "meta",
        "base",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "svg",
        "math",
        "template",
        "noscript",
    ]
)
_local = threading.local()
# A body with no "<", "{" or "&", and no URL scheme other than http(s)://, mailto: and tel:
# (a scheme starts with a letter: "15:30" is none), renders only to what Markdown itself
# writes, all of it allowed: it need not be rendered to be judged.
_MARKUP = re.compile(r"[<{&]")
_SAFE_SCHEME = re.compile(r"(?<![A-Za-z0-9+.-])(?:https?://|mailto:|tel:)", re.I)
_OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def render(body: str) -> str:
    """The body's HTML as the build's Markdown makes it (links not yet made relative)."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    md.reset()
    return md.convert(body)


def _line(doc: Document, lowered: str, needles: tuple[str, ...], seen: dict[tuple[str, ...], int]) -> int:
    """The line of the first needle found after where the same finding was last placed
    (a second ``onclick`` is reported at the second one), else of its first occurrence."""
    start = seen.get(needles, 0)
    for begin in (start, 0) if start else (0,):
        for needle in needles:
            at = lowered.find(needle.lower(), begin)
            if at >= 0:
                seen[needles] = at + len(needle)
                return doc.line(at)
    return doc.body_line


def check(doc: Document) -> list[Problem]:
    if not _MARKUP.search(doc.body) and not _OTHER_SCHEME.search(_SAFE_SCHEME.sub("", doc.body)):
        return []  # nothing in it can become raw markup, an attribute or another URL scheme
    found = sanitize.findings(render(doc.body))
    if not found:
        return []
    lowered = doc.body.lower()
    problems = []
    seen: dict[tuple[str, ...], int] = {}
    for item in found:
        line = _line(doc, lowered, item.needles, seen)
        if item.kind == "tag":
            hint = (
                "脚本、嵌入页面、表单和样式会带来安全风险，政府网站正文中一律不允许；视频和外部页面请改为普通链接。"
                if item.tag in _DANGEROUS
                else "正文中只能使用《编写指南》“正文中的 HTML”列出的标签；多数格式可以直接用 Markdown 写。"
            )
            problems.append(problem("E720", doc.rel, line, value=_short(item.value), hint=hint))
        elif item.kind == "attr":
            problems.append(problem("E721", doc.rel, line, where=f"HTML 标签 <{item.tag}> ", value=_short(item.value)))
        else:
            problems.append(problem("E722", doc.rel, line, value=_short(item.value)))
    return problems


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:57] + "…"
