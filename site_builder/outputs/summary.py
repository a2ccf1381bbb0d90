"""An article's plain-text summary: the one every output shows.

Feeds (RSS, Atom, JSON Feed), the page's ``<meta name="description">``, the 公众号
metadata and the list pages all call :func:`article_summary`: the article's own
``summary:`` when it has one, else the opening paragraphs of its rendered body as
readers see them, without headings and their "#" permalinks, footnote markers and
notes ("↩"), code blocks, tables, images or markup.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from site_builder.core.model import Article
from site_builder.outputs.feeds.body import drop_keeping_tail

LIMIT = 120  # characters: what a feed reader, a search result or the 公众号 摘要 shows

_SPACE = re.compile(r"\s+")
# Text that never belongs in a summary: headings, code, tables, media, scripts,
# the table of contents, footnote markers, backlinks and the footnote list itself.
_SKIPPED = etree.XPath(
    "descendant::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
    " or self::pre or self::table or self::figure or self::img"
    " or self::script or self::style or self::noscript or self::template or self::iframe or self::object"
    " or self::svg or self::math or self::sup[a[contains(@class, 'footnote-ref')]]"
    " or contains(concat(' ', normalize-space(@class), ' '), ' headerlink ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' footnote-ref ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' footnote-backref ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' footnote ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' toc ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' admonition-title ')]"
)
# Blocks whose text is body text, in document order (a paragraph inside a list item counts once).
_BLOCKS = etree.XPath(
    "descendant::*[(self::p or self::li or self::dd) and not(ancestor::p or ancestor::li or ancestor::dd)]"
)


def shorten(text: str, limit: int = LIMIT) -> str:
    """At most ``limit`` characters, cut with an ellipsis (Chinese text has no word breaks)."""
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def body_summary(body_html: str, limit: int = LIMIT) -> str:
    """The opening paragraphs of a rendered body as plain text, at most ``limit`` characters."""
    if not body_html.strip():
        return ""
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    for element in _SKIPPED(root):
        drop_keeping_tail(element)
    parts: list[str] = []
    length = 0
    for block in _BLOCKS(root):
        text = _SPACE.sub(" ", block.text_content()).strip()
        if text:
            parts.append(text)
            length += len(text) + 1
            if length > limit:
                break
    if not parts:  # a body of bare text or unusual blocks: whatever text is left
        parts = [root.text_content()]
    return shorten(" ".join(parts), limit)


def article_summary(article: Article, body_html: str, limit: int = LIMIT) -> str:
    """The article's ``summary:`` as written, else :func:`body_summary` of its rendered body, else its title."""
    if article.summary.strip():
        return _SPACE.sub(" ", article.summary).strip()
    return body_summary(body_html, limit) or article.title
