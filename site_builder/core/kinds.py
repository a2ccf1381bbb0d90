"""What a kind of content (besides the news articles every site has) gives the build, through one interface.

A kind is a folder of core/ (``core/cleanups/``, ``core/xxgk/``) with a ``kind.py`` that returns a :class:`Kind`;
``core/kind_list.py`` lists them in order. The loader, page planning and the feeds output ask every kind in that
list, so a new kind is a new folder and one line there, not edits across the tree. A kind runs after the news
articles are read and planned and after the kinds before it in the list, whose results it may use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.core.feeds import Channel, FeedItem
from site_builder.core.model import Article, Settings, Site
from site_builder.core.problems import Problem

HOME_CRUMB = ("首页", "")  # the first step of every page's 当前位置


@dataclass
class Loading:
    """What a kind's ``load`` is given."""

    content: Path  # content/, resolved
    root: str  # how paths are shown to staff
    settings: Settings | None  # None when site.yml has errors (they are reported already)
    now: dt.datetime
    articles: list[Article]  # every valid article, drafts and scheduled included
    slugs: set[str]  # every article's slug, valid or not (links to articles are checked against it)
    loaded: dict[str, object]  # what the kinds before this one loaded, by kind name


@dataclass
class Planning:
    """The plan being made, which a kind's ``plan`` adds to (``core/pages.plan`` makes it)."""

    site: Site
    articles: list[Article]  # the articles the plan shows, newest first
    # page_maker(crumbs_for, feed_links) -> make_page(url, title, html, in_nav, modified): every generated page
    # gets the same <title>, metadata and sitemap date (core/pages._make_page)
    page_maker: Callable
    pages: list = field(default_factory=list)  # core.pages.Page, in order
    nav: list[tuple[str, str]] = field(default_factory=list)  # top tabs: (title, src_uri)
    files: dict[str, bytes] = field(default_factory=dict)  # generated downloads, by site path
    article_pages: dict = field(default_factory=dict)  # article src -> Page (filled before ``dress``)
    search_columns: list[str] = field(default_factory=list)  # search filters besides the 栏目
    # the 规范性文件库 (set by the cleanups kind): 文号 of articles and other kinds link to its documents
    library: list = field(default_factory=list)
    planned: dict[str, object] = field(default_factory=dict)  # what each kind's ``plan`` returned, by kind name


@dataclass
class FeedMaking:
    """What a kind's ``items`` is given to fill its feed channels (outputs/feeds/write.py makes it)."""

    site: Site
    bodies: dict[str, str]  # article src -> its finished body HTML
    downloads: dict[str, bytes]  # the plan's generated downloads, by site path
    article_item: Callable[[Article], FeedItem]  # an article as a feed entry, as the news feeds have it


def _nothing(*_args) -> list:
    return []


@dataclass(frozen=True)
class Kind:
    """One kind of content. Every hook but ``load`` may be left out."""

    name: str  # key of what it loaded in ``Site.sections``
    # read and check its files: (what the site holds of it, or None; problems)
    load: Callable[[Loading], tuple[object, list[Problem]]]
    # add its pages, tabs, downloads and search filters; the result is kept in ``Planning.planned``
    plan: Callable[[Planning], object] = _nothing
    # after the article pages are planned: change them (政府信息公开 adds its metadata table to some)
    dress: Callable[[Planning], None] = _nothing
    # its feeds: (name shown on the feeds/ page, Channel); pages announce them, outputs/feeds writes them
    channels: Callable[[Site], list[tuple[str, Channel]]] = _nothing
    # a channel's entries, newest first
    items: Callable[[FeedMaking, Channel], list[FeedItem]] = _nothing
