"""Pages whose Markdown is converted by one converter per build.

MkDocs makes a new ``markdown.Markdown`` for every page: it looks every extension up
again through package metadata and builds every processor, about 0.5 ms a page, a
tenth of a 2,000-article build. The converter below is made once and reset between
pages (Python-Markdown's own way of converting many documents); MkDocs' per-page
processors (relative links, anchors, title) are registered afresh for each page, as
``Page.render`` does. A plugin giving files its own ``Page`` subclass is how MkDocs
plugins take over a page (Material's blog plugin does the same); the pages the core
generates have no Markdown and skip conversion entirely.

The output is the same as MkDocs' own rendering: tests build the same site both ways
and compare every byte (``SITE_BUILDER_MARKDOWN_PER_PAGE=1`` switches back).
"""

from __future__ import annotations

import logging
import os

import markdown
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.toc import get_toc

# What a generated page's conversion gives, one of each for all of them (nothing changes them):
# thousands of pages at 20,000 articles.
EMPTY_TOC = get_toc([])
NO_ANCHORS: frozenset[str] = frozenset()


class SharedConverter:
    def __init__(self, config) -> None:
        self.md = markdown.Markdown(
            extensions=config["markdown_extensions"],
            extension_configs=config["mdx_configs"] or {},
        )

    def render(self, page: mkdocs_pages.Page, config, files) -> None:
        """What ``mkdocs.structure.pages.Page.render`` does, with a reused converter."""
        relative = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        if not page.markdown.strip():  # a generated page (its HTML comes from the core): Markdown makes ""
            page.content, page.toc, page._title_from_render = "", EMPTY_TOC, None
            page.present_anchor_ids = NO_ANCHORS
        else:
            md = self.md
            md.reset()
            raw_html = mkdocs_pages._RawHTMLPreprocessor()
            raw_html._register(md)
            anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
            anchors._register(md)
            relative._register(md)
            title = mkdocs_pages._ExtractTitleTreeprocessor()
            title._register(md)
            page.content = md.convert(page.markdown)
            page.toc = get_toc(getattr(md, "toc_tokens", []))
            page._title_from_render = title.title
            page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors


class ConvertedPage(mkdocs_pages.Page):
    """A page rendered by the shared converter, whose canonical URL is worked out when first read.

    MkDocs joins and splits every page's URL when it makes the page (``Page._set_canonical_url``);
    a preview's edit renders a handful of its thousands of pages, and only a rendered page reads
    it. Here the same method runs on first use, over the same URL (a file's URL is final before
    its page is made)."""

    converter: SharedConverter
    _site_url: str | None = None

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        self.converter.render(self, config, files)
        # MkDocs' ``read_source`` kept a copy of the Markdown (the article's body from the core, its
        # front matter already taken off): nothing reads it once converted, and the title comes from
        # ``meta`` (the plugin sets it), which ``Page.title`` asks only when the Markdown is not None.
        self.markdown = ""

    def _set_canonical_url(self, base: str | None) -> None:
        self._site_url = base
        self.__dict__.pop("_canonical_url", None)
        self.__dict__.pop("_abs_url", None)

    def _url_field(self, name: str) -> str | None:
        if name not in self.__dict__:
            mkdocs_pages.Page._set_canonical_url(self, self._site_url)  # sets both, through the setters
        return self.__dict__[name]

    canonical_url = property(
        lambda self: self._url_field("_canonical_url"),
        lambda self, value: self.__dict__.__setitem__("_canonical_url", value),
    )
    abs_url = property(
        lambda self: self._url_field("_abs_url"),
        lambda self, value: self.__dict__.__setitem__("_abs_url", value),
    )


def shared_pages_enabled() -> bool:
    return os.environ.get("SITE_BUILDER_MARKDOWN_PER_PAGE") != "1"


def take_over(file, title: str | None, config, converter: SharedConverter) -> None:
    """Give ``file`` a page rendered by ``converter`` (MkDocs then uses it everywhere)."""
    page = ConvertedPage(title, file, config)
    page.converter = converter
