"""Article bodies as feeds carry them: absolute URLs, no script, no page chrome.

A feed is read far from the site, so a relative link or image in it is broken
(the trap of every MkDocs feed plugin). Bodies arrive as MkDocs rendered them,
with links relative to the article's own URL; here they are resolved against
the article's absolute URL.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

# Attributes that hold one URL (HTML 4 and 5).
URL_ATTRIBUTES = ("href", "src", "poster", "cite", "longdesc", "data", "action", "formaction", "background")
# Elements a feed reader must never run or that only make sense inside our pages.
DROPPED = ("script", "noscript", "style", "template", "iframe", "object", "embed", "form")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
_SPACE = re.compile(r"\s+")


def absolute_html(html: str, base_url: str) -> str:
    """``html`` with every URL absolute against ``base_url``, scripts and permalinks removed."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in list(root.iter(*DROPPED)):
        drop_keeping_tail(element)
    for anchor in list(root.iterfind(".//a[@class='headerlink']")):
        drop_keeping_tail(anchor)  # the "#" permalink MkDocs adds after each heading
    for element in root.iter(etree.Element):
        _absolutise(element, base_url)
    text = lxml.html.tostring(root, encoding="unicode")
    return text[len("<div>") : -len("</div>")].strip()


def plain_text(html: str) -> str:
    """The readable text of an HTML fragment, on one line."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in list(root.iter(*DROPPED)):
        drop_keeping_tail(element)
    return _SPACE.sub(" ", root.text_content()).strip()


def shorten(text: str, limit: int = 120) -> str:
    """At most ``limit`` characters, cut with an ellipsis (Chinese text has no word breaks)."""
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def drop_keeping_tail(element) -> None:
    """Remove an element (it may already be gone with an ancestor) but keep the text after it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _absolutise(element, base_url: str) -> None:
    for name in list(element.attrib):
        value = element.attrib[name]
        if name.startswith("on"):
            del element.attrib[name]  # event handlers are scripts too
        elif name in URL_ATTRIBUTES:
            if value.strip().lower().startswith(("javascript:", "vbscript:")):
                del element.attrib[name]
            else:
                element.attrib[name] = urljoin(base_url, value.strip())
        elif name == "srcset":
            element.attrib[name] = _srcset(value, base_url)
        elif name == "style" and "url(" in value:
            element.attrib[name] = _CSS_URL.sub(lambda m: f"url({urljoin(base_url, m.group(2))})", value)


def _srcset(value: str, base_url: str) -> str:
    """``a.png 1x, b.png 2x``: each candidate's URL, keeping its descriptor."""
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            candidates.append(" ".join([urljoin(base_url, parts[0]), *parts[1:]]))
    return ", ".join(candidates)
