"""An article's body as every output starts from it: the site's page, feeds, search, 公众号 copies.

MkDocs renders the Markdown (``site-builder wechat PATH`` renders it the same way without
MkDocs, see wechat_markdown.py); :func:`finish_body` then adds what the site adds to every
body, so each output gets the same HTML whichever command made it:

- each 文号 of a document in the 规范性文件库 links to its library entry;
- every ``href``/``src`` is percent-encoded (an image or attachment whose file name has a
  space or Chinese characters gives a valid URL in pages, feeds and copies alike).
"""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import quote

from site_builder.cleanups.library import build_library, by_number
from site_builder.cleanups.links import link_doc_numbers
from site_builder.model import Article, Site

# href/src attribute values in MkDocs' output (always double-quoted by its serializer).
_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
# What may stay as it is in a URL: RFC 3986 reserved and unreserved characters, and "%".
SAFE = "!#$%&'()*+,-./:;=?@[]~_"


def encode_url(url: str) -> str:
    """``url`` with spaces, non-ASCII and other unsafe characters percent-encoded (once)."""
    return quote(url, safe=SAFE)


def encode_urls(html: str) -> str:
    """Every ``href="…"``/``src="…"`` of ``html`` percent-encoded; untouched when already valid."""

    def one(match: re.Match) -> str:
        value = unescape(match.group(2))
        encoded = encode_url(value)
        return match.group(0) if encoded == value else f"{match.group(1)}{escape(encoded)}{match.group(3)}"

    return _URL_ATTRIBUTE.sub(one, html)


def finish_body(html: str, article: Article, doc_numbers: dict[str, str]) -> str:
    """The article body every output uses, from the HTML Markdown gave (links relative to its page)."""
    return encode_urls(link_doc_numbers(html, article.url, doc_numbers))


def doc_numbers(site: Site) -> dict[str, str]:
    """Canonical 文号 -> its library entry's URL, as the build links them (pages.plan)."""
    library = build_library(sorted(site.cleanups, key=lambda b: b.sort_key()), site.now.date())
    return {number: doc.url for number, doc in by_number(library).items()}
