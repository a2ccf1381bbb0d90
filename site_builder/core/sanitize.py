"""What a published body may contain: one allow-list, enforced on the rendered HTML.

Markdown is not where script hides or is found: raw HTML, attribute lists, link
syntax and entities all turn into HTML only when Python-Markdown renders them, and a
browser then parses that HTML by the HTML5 rules. So the policy below is applied to
the rendered HTML, the way a browser would read it:

- :func:`clean` is what every page body, feed entry and WeChat copy goes through
  (ammonia, a Rust HTML5 sanitiser, through ``nh3``): anything not allowed is removed.
- :func:`findings` says what :func:`clean` would remove, for ``site-builder check``:
  the same HTML5 parse (lexbor, through ``selectolax``), the same tag and attribute
  tables, and URLs judged by ammonia itself, so check and build cannot disagree on a
  URL's scheme.

Only elements, attributes and URL schemes the site renders are allowed: what
Python-Markdown and the extensions in mkdocs.yml produce (tables, footnotes,
abbreviations, heading anchors, admonitions, attribute-list ids, classes and titles),
the raw HTML the authoring guide documents, and images with sizes. Links may be
http(s), mailto:, tel: or relative; ``data:`` only as an image in a raster format that
cannot carry script (PNG, JPEG, GIF, WebP).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import nh3
from selectolax.lexbor import LexborHTMLParser

TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
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
        "h1",
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
GLOBAL_ATTRS = frozenset({"class", "id", "title", "lang", "dir"})
TAG_ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "name", "target", "rel"}),
    "img": frozenset({"src", "srcset", "sizes", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align", "style"}),
    "th": frozenset({"colspan", "rowspan", "align", "style", "scope"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
}
SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})  # data: narrowed to images by _value_ok
# Elements whose content is removed with them: their text is code, not prose.
DROP_CONTENT = frozenset({"script", "style"})
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp)(?:;[a-z0-9=._-]+)*[;,]", re.I)
# Python-Markdown writes a table column's alignment as this style and nothing else.
_ALIGN_STYLE = re.compile(r"\s*text-align\s*:\s*(?:left|right|center|justify)\s*;?\s*", re.I)
_RESERVED_IDS = ("__", "sb-")
_LEADING = re.compile(r"^[\x00-\x20]+")
_SRCSET_URL = re.compile(r"(?:https?://\S+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)\S+)(?:\s+[0-9.]+[wx])?", re.I)


def _value_ok(tag: str, attr: str, value: str) -> bool:
    """The value checks ammonia has no table for: data: URLs and the style attribute."""
    if attr in {"href", "src"} and _LEADING.sub("", value)[:5].lower() == "data:":
        return tag == "img" and attr == "src" and _DATA_IMAGE.match(_LEADING.sub("", value)) is not None
    if attr in {"id", "name"}:  # the page's own elements (Material's __config, our sb-main) keep their ids
        return not value.startswith(_RESERVED_IDS)
    if attr == "style":
        return _ALIGN_STYLE.fullmatch(value) is not None
    if attr == "srcset":  # "a.png 1x, https://…/a@2x.png 2x": relative or http(s) images only
        return all(_SRCSET_URL.fullmatch(candidate.strip()) for candidate in value.split(","))
    return True


def _filter(tag: str, attr: str, value: str) -> str | None:
    return value if _value_ok(tag, attr, value) else None


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROP_CONTENT),
    attributes={"*": set(GLOBAL_ATTRS)} | {tag: set(attrs) for tag, attrs in TAG_ATTRS.items()},
    attribute_filter=_filter,
    strip_comments=True,
    link_rel=None,  # no rel added: the output stays what Markdown wrote
    url_schemes=set(SCHEMES),
)
_URL_PROBE = nh3.Cleaner(tags={"a"}, attributes={"a": {"href"}}, link_rel=None, url_schemes=set(SCHEMES))


def clean(html: str) -> str:
    """``html`` with everything outside the allow-list removed (comments too)."""
    return _CLEANER.clean(html)


@dataclass(frozen=True)
class Finding:
    """One thing :func:`clean` removes. ``needle``: what to look for in the source."""

    kind: str  # "tag", "attr" or "url"
    tag: str
    value: str  # the tag, the attribute's name, or the URL
    needles: tuple[str, ...]


def _url_kept(value: str) -> bool:
    """Whether ammonia keeps ``value`` as a link: its own URL parser judges the scheme."""
    return "href=" in _URL_PROBE.clean(f'<a href="{escape(value)}">x</a>')


def findings(html: str) -> list[Finding]:
    """What :func:`clean` would remove from ``html``, in document order."""
    if "<" not in html:
        return []
    tree = LexborHTMLParser("<body>" + html)  # parsed in body context, as ammonia parses a fragment
    found: list[Finding] = []

    def add(kind: str, tag: str, value: str, *needles: str) -> None:
        found.append(Finding(kind, tag, value, tuple(n for n in needles if n)))

    for node in tree.root.traverse(include_text=False):
        tag = (node.tag or "").lower()
        if tag.startswith(("-", "_")):  # comments and the like: removed, never shown
            continue
        attrs = node.attributes
        if tag in {"html", "head", "body"}:
            for name in attrs:  # <body onload=…> in a body lands on the page's own element
                add("attr", tag, name.lower(), name.lower())
            continue
        if tag not in TAGS:
            add("tag", tag, tag, f"<{tag}")
            continue
        allowed = GLOBAL_ATTRS | TAG_ATTRS.get(tag, frozenset())
        for name, raw in attrs.items():
            name, value = name.lower(), raw or ""
            if name not in allowed:
                add("attr", tag, name, name)
            elif name in {"href", "src"} and not (_url_kept(value) and _value_ok(tag, name, value)):
                scheme, _, rest = value.partition(":")
                add("url", tag, value, value, scheme.strip(), rest and ":" + rest)
            elif not _value_ok(tag, name, value):
                add("attr", tag, f'{name}="{value}"', value, name)
    return found
