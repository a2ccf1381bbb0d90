"""Raw HTML in Markdown bodies: a documented allow-list, and no way to run script.

Markdown passes raw HTML through untouched, and ``attr_list`` adds attributes to
any element, so both are scanned. Entities are decoded and whitespace removed
before a URL's scheme is judged, as a browser would (``jav&#x61;script:``).
"""

from __future__ import annotations

import html
import re

from site_builder.checks.text import Document
from site_builder.problems import Problem, problem

# Tags a staff member may write in a body; documented in docs/authoring-guide.md.
TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
GLOBAL_ATTRS = frozenset({"class", "id", "title", "lang", "dir", "markdown"})  # markdown="1": md_in_html
TAG_ATTRS = {
    "a": {"href", "target", "rel", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type", "reversed"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "abbr": set(),
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}
URL_ATTRS = frozenset({"href", "src", "cite"})
DANGEROUS = frozenset(
    {
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
    }
)

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])([^<>]*)>?")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*?=[^{}\n]*)\}")
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "ftp:")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_url(value: str, image: bool = False) -> bool:
    """``javascript:``, ``vbscript:``, ``data:`` (except images) and any unknown scheme."""
    url = _INVISIBLE.sub("", html.unescape(value)).lower()
    scheme = _SCHEME.match(url)
    if scheme is None:
        return False  # relative: a path or an anchor
    if image and url.startswith("data:image/"):
        return False
    return not url.startswith(_SAFE_SCHEMES)


def _attr_value(raw: str | None) -> str:
    if raw is None:
        return ""
    return raw[1:-1] if raw[:1] in "\"'" and raw[-1:] == raw[:1] and len(raw) > 1 else raw


def check(doc: Document) -> list[Problem]:
    found = []
    for match in _TAG.finditer(doc.masked):
        closing, tag, attrs = match[1], match[2].lower(), match[3]
        line = doc.line(match.start())
        if tag not in TAGS:
            if closing:
                continue  # reported at the opening tag
            hint = (
                "脚本、嵌入页面、表单和样式会带来安全风险，政府网站正文中一律不允许；视频和外部页面请改为普通链接。"
                if tag in DANGEROUS
                else "正文中只能使用《编写指南》“正文中的 HTML”列出的标签；多数格式可以直接用 Markdown 写。"
            )
            found.append(problem("E720", doc.rel, line, value=tag, hint=hint))
            continue
        allowed = GLOBAL_ATTRS | TAG_ATTRS.get(tag, set())
        for attr in _ATTR.finditer(attrs):
            name, value = attr[1].lower(), _attr_value(attr[2])
            if name not in allowed:
                found.append(problem("E721", doc.rel, line, where=f"HTML 标签 <{tag}> ", value=name))
            elif name in URL_ATTRS and unsafe_url(value, image=tag == "img" and name == "src"):
                found.append(problem("E722", doc.rel, line, value=_short(value)))
    for match in _ATTR_LIST.finditer(doc.masked):
        for attr in _ATTR.finditer(match[1]):
            name, value = attr[1].lower(), _attr_value(attr[2])
            if attr[2] is None:
                continue  # #id, .class
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                found.append(problem("E721", doc.rel, doc.line(match.start()), where="属性列表 {…} 中", value=name))
            elif name in URL_ATTRS and unsafe_url(value):
                found.append(problem("E722", doc.rel, doc.line(match.start()), value=_short(value)))
    return found


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "…"
