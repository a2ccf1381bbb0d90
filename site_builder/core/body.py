"""An article's body as every output starts from it: the site's page, feeds, search, 公众号 copies.

MkDocs renders the Markdown (``site-builder wechat PATH`` renders it the same way without
MkDocs, see wechat_markdown.py); :func:`finish_body` then adds what the site adds to every
body, so each output gets the same HTML whichever command made it:

- each 文号 of a document in the 规范性文件库 links to its library entry;
- every ``href``/``src`` is percent-encoded (an image or attachment whose file name has a
  space or Chinese characters gives a valid URL in pages, feeds and copies alike).
"""

from __future__ import annotations

from site_builder.core.cleanups.library import build_library, by_number
from site_builder.core.cleanups.links import link_doc_numbers
from site_builder.core.model import Article, Site
from site_builder.core.urls import encode_urls


def finish_body(html: str, article: Article, doc_numbers: dict[str, str]) -> str:
    """The article body every output uses, from the HTML Markdown gave (links relative to its page)."""
    return encode_urls(link_doc_numbers(html, article.url, doc_numbers))


def doc_numbers(site: Site) -> dict[str, str]:
    """Canonical 文号 -> its library entry's URL, as the build links them (pages.plan)."""
    library = build_library(sorted(site.cleanups, key=lambda b: b.sort_key()), site.now.date())
    return {number: doc.url for number, doc in by_number(library).items()}
