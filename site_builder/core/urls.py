"""URLs as every output writes them: percent-encoded, so a file name with a space or
Chinese characters still gives a valid link in pages, feeds, sitemaps and 公众号 copies."""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import quote

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
