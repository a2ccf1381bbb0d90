"""Link each 文号 an article's text mentions to its entry in the document library."""

from __future__ import annotations

import re
from html import escape

from site_builder.core import docno
from site_builder.core.fragments import rel

_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")
# Text inside these is left alone: an existing link, a heading (its anchor is the
# title), code, and anything that is not prose.
_SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "script", "style", "textarea", "button"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "area", "col", "embed", "track"}


def link_doc_numbers(html: str, base: str, numbers: dict[str, str]) -> str:
    """``html`` with every known 文号 in running text turned into a link.

    ``base`` is the URL the HTML is shown at (links are relative to it);
    ``numbers`` maps canonical 文号 to library URLs. One pass over the HTML.
    """
    if not numbers:
        return html
    out: list[str] = []
    skip: list[str] = []  # open elements whose text must not be linked
    position = 0
    for tag in _TAG.finditer(html):
        text = html[position : tag.start()]
        out.append(text if skip else _link_text(text, base, numbers))
        out.append(tag[0])
        position = tag.end()
        name = _NAME.match(tag[0])
        if not name:
            continue
        closing, element = name[1] == "/", name[2].lower()
        if element not in _SKIP or element in _VOID or tag[0].endswith("/>"):
            continue
        if closing:
            if element in skip:
                del skip[len(skip) - 1 - skip[::-1].index(element) :]
        else:
            skip.append(element)
    rest = html[position:]
    out.append(rest if skip else _link_text(rest, base, numbers))
    return "".join(out)


def _link_text(text: str, base: str, numbers: dict[str, str]) -> str:
    parts, last = [], 0
    for found in docno.find(text, numbers):
        parts.append(text[last : found.start])
        shown = text[found.start : found.end]
        parts.append(
            f'<a class="sb-docno" href="{rel(base, numbers[found.number])}" '
            f'title="{escape(found.number)}：查看规范性文件库中的有效性和清理记录">{shown}</a>'
        )
        last = found.end
    parts.append(text[last:])
    return "".join(parts)
