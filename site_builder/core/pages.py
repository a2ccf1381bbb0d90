"""Decide every page the site has: articles, lists per 栏目, tags, archives, home.

Plain data only; :mod:`site_builder.core.fragments` turns it into HTML. Each list is
cut into fixed-size pages, so no page's size grows with the site.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from itertools import repeat

from site_builder.core import docno, feeds, fragments, kind_list, wechat_page, wechat_settings
from site_builder.core.cleanups import fragments as cleanup_fragments
from site_builder.core.cleanups.library import by_number
from site_builder.core.dates import TZ
from site_builder.core.kinds import HOME_CRUMB, Planning
from site_builder.core.memo import Keyed, cached, fingerprint
from site_builder.core.model import PUBLISHED, Article, Settings, Site
from site_builder.core.news import redirects
from site_builder.core.slugs import unique_slugs
from site_builder.core.urls import encode_url

HOME = HOME_CRUMB[1]


@dataclass
class Page:
    """One output page. ``src_uri`` is where MkDocs thinks it comes from."""

    src_uri: str
    url: str
    title: str  # the page's own heading
    html_title: str  # the <title>: 文章标题 - 栏目 - 站名
    kind: str  # home / list / article / search / index
    html: str = ""  # body for generated pages
    before: str = ""  # article header block
    after: str = ""  # article attachments and previous/next
    meta: list[tuple[str, str]] = field(default_factory=list)  # <meta name content>
    in_nav: bool = False
    article: Article | None = None
    feeds: list[tuple[str, str, str]] = field(default_factory=list)  # own <link rel="alternate">: type, title, URL
    modified: dt.datetime | None = None  # sitemap lastmod, from content (None: no content date)
    # the Markdown of articles whose summary this page shows from their rendered body (see
    # fragments.summary_slot), fingerprinted: part of the page's key, so an edit re-renders it
    summarised: str = ""
    # 当前位置 from 首页 to this page: (label, site-relative URL); the plugin also marks the
    # first ancestor that is a navigation tab as the active one
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    # a list's page number: an edit is looked at on the first page (the preview shows the others
    # just after the edit's other pages, adapter/build.py)
    number: int = 1


@dataclass
class SitePlan:
    pages: list[Page]
    articles: dict[str, Page]  # article src -> its page
    nav: list[tuple[str, str]]  # (title, src_uri) for the top navigation
    tag_urls: dict[str, str]
    files: dict[str, bytes] = field(default_factory=dict)  # generated downloads (cleanup CSV/.xlsx), by site path
    doc_numbers: dict[str, str] = field(default_factory=dict)  # canonical 文号 -> its library entry's URL
    # articles (src) the build makes a 公众号 copy of: the recent ones (core/wechat_settings.py)
    wechat: frozenset[str] = frozenset()


def src_for(url: str) -> str:
    return f"{url}index.md" if url else "index.md"


def _chunks(items: list[Article], size: int) -> list[list[Article]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _newest(articles: list[Article], shifted: dt.datetime | None = None) -> dt.datetime | None:
    """The latest content date of ``articles``; ``shifted``: when a newer item last moved this list."""
    return max([a.modified for a in articles] + ([shifted] if shifted else []), default=None)


def _site_meta(site: Site) -> list[tuple[str, str]]:
    return _settings_meta(site.settings)


def _settings_meta(s: Settings) -> list[tuple[str, str]]:
    return [("SiteName", s.name), ("SiteDomain", s.domain), ("SiteIDCode", s.site_code)]


def _paged(
    site: Site,
    base_url: str,
    heading: str,
    items: list[Article],
    extra_meta=(),
    intro: str = "",
    in_nav: bool = True,
    marked: dict[int, str] | None = None,
    feed_links=(),
    parents: tuple[tuple[str, str], ...] = (),
    *,
    settings: Keyed[Settings],
) -> list[Page]:
    """The pages of one list: base_url, then base_url/page/2/ … (newest first)."""
    chunks = _chunks(items, site.settings.page_size)
    shifted = items[0].date if items else None  # a newer item shifts every page of the list
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        url = base_url if number == 1 else f"{base_url}page/{number}/"
        # the same articles (objects) in the same places give the same page (the same object: the
        # preview compares 5,000 list pages at 20,000 articles on each edit); the preview marks
        # drafts and scheduled ones, so their status is part of it (not the clock)
        statuses = tuple(map(marked.get, map(id, chunk), repeat(PUBLISHED))) if marked is not None else None
        pages.append(
            cached(
                "list-page",
                url,
                _list_page,
                settings,
                url,
                heading,
                tuple(chunk),
                number,
                len(chunks),
                base_url,
                len(items),
                shifted,
                intro,
                statuses,
                tuple(extra_meta),
                in_nav,
                tuple(feed_links),
                parents,
            )
        )
    return pages


def _list_page(
    settings: Keyed[Settings],
    url: str,
    heading: str,
    chunk: tuple[Article, ...],
    number: int,
    total: int,
    base_url: str,
    count: int,
    shifted: dt.datetime | None,
    intro: str,
    statuses: tuple[str, ...] | None,
    extra_meta: tuple[tuple[str, str], ...],
    in_nav: bool,
    feed_links: tuple,
    parents: tuple[tuple[str, str], ...],
) -> Page:
    """One page of a list, whole: a cached step (``_paged``), so the preview keys an unchanged page by
    comparing the same object, not its fields. Nothing changes a planned page afterwards in the
    preview; a full build empties a written page's HTML, once its memo has let go of the page."""
    s = settings.value
    suffix = "" if number == 1 else f"（第{number}页）"
    page = Page(
        src_uri=src_for(url),
        url=url,
        title=heading + suffix,
        kind="list",
        number=number,
        html_title=f"{heading}{suffix} - {s.name}",
        meta=_settings_meta(s) + list(extra_meta),
        in_nav=in_nav and number == 1,
        feeds=list(feed_links),
        crumbs=[HOME_CRUMB, *parents, (heading, base_url)] + ([(f"第{number}页", url)] if number > 1 else []),
        # a newer item shifts every page of the list; an update changes the page showing it
        modified=_newest(list(chunk), shifted),
        summarised=fingerprint(*(a.body for a in chunk if not a.summary)),
    )
    page.html = _list_html(page.title, url, chunk, number, total, base_url, count, intro, statuses)
    return page


def _list_html(title: str, *args) -> str:
    """One list page's body, its heading included: the string the memo keeps is the page's own
    (a heading added outside would hold every list page twice, tens of MB at 20,000 articles)."""
    return f"<h1>{escape(title)}</h1>" + fragments.list_page(*args)


def plan(site: Site, include_unpublished: bool = False) -> SitePlan:
    """Every page of the site, in a stable order."""
    s = site.settings
    settings = Keyed(s)  # read by every list and article page: hashed once
    articles = site.published(include_unpublished)
    by_category: dict[str, list[Article]] = defaultdict(list)
    by_tag: dict[str, list[Article]] = defaultdict(list)
    by_year: dict[int, list[Article]] = defaultdict(list)
    for article in articles:  # already newest first, so every group is too
        by_category[article.category.slug].append(article)
        by_year[article.date.year].append(article)
        for tag in article.tags:
            by_tag[tag].append(article)
    first_used = {tag: min(a.date for a in tagged) for tag, tagged in by_tag.items()}
    tag_urls = {tag: f"tags/{slug}/" for tag, slug in unique_slugs(by_tag, first_used.__getitem__).items()}

    # The preview marks drafts and scheduled articles in lists: each one's status, asked once (by id:
    # the plan's own objects), every other one published.
    unpublished = {id(a): st for a in articles if (st := a.status(site.now)) != PUBLISHED}
    marked = unpublished if include_unpublished else None
    pages: list[Page] = []
    home = Page(
        src_uri="index.md",
        url=HOME,
        title=s.name,
        html_title=s.name,
        kind="home",
        meta=_site_meta(site),
        in_nav=True,
        crumbs=[HOME_CRUMB],
    )
    home.html = fragments.home(site, by_category)
    newest = _newest(articles)  # the home page's, the archive's, the tags' and the feeds page's date
    home.modified = newest
    pages.append(home)
    pages += _paged(site, "news/", "全部信息", articles, [("ColumnName", "全部信息")], marked=marked, settings=settings)
    nav = [("首页", "index.md"), ("全部信息", "news/index.md")]
    for category in s.categories:
        column = [
            ("ColumnName", category.name),
            ("ColumnDescription", category.description),
            ("ColumnType", category.kind),
        ]
        pages += _paged(
            site,
            category.url,
            category.name,
            by_category[category.slug],
            column,
            category.description,
            marked=marked,
            feed_links=feeds.links(feeds.category_channel(s, category), category.name),
            settings=settings,
        )
        nav.append((category.name, src_for(category.url)))

    years = sorted(by_year, reverse=True)
    archive = Page(
        src_uri="archive/index.md",
        url="archive/",
        title="信息归档",
        kind="index",
        html_title=f"信息归档 - {s.name}",
        meta=_site_meta(site),
        in_nav=True,
        modified=newest,
        crumbs=[HOME_CRUMB, ("信息归档", "archive/")],
    )
    archive.html = "<h1>信息归档</h1>" + fragments.archive_index(
        archive.url, [(y, f"archive/{y}/", len(by_year[y])) for y in years]
    )
    pages.append(archive)
    nav.append(("信息归档", "archive/index.md"))

    def sublist(url: str, heading: str, items: list[Article], parent: tuple[str, str]) -> list[Page]:
        """A list below 信息归档 or 标签, out of the navigation."""
        return _paged(site, url, heading, items, in_nav=False, marked=marked, parents=(parent,), settings=settings)

    for year in years:
        pages += sublist(f"archive/{year}/", f"{year}年信息", by_year[year], ("信息归档", "archive/"))

    tags = Page(
        src_uri="tags/index.md",
        url="tags/",
        title="标签",
        kind="index",
        html_title=f"标签 - {s.name}",
        meta=_site_meta(site),
        modified=newest,
        crumbs=[HOME_CRUMB, ("标签", "tags/")],
    )
    tags.html = "<h1>标签</h1>" + fragments.tag_index(
        tags.url, [(t, tag_urls[t], len(by_tag[t])) for t in sorted(by_tag)]
    )
    pages.append(tags)
    for tag in sorted(by_tag):
        pages += sublist(tag_urls[tag], f"标签：{tag}", by_tag[tag], ("标签", "tags/"))

    search = Page(
        src_uri="search/index.md",
        url="search/",
        title="站内搜索",
        kind="search",
        html_title=f"站内搜索 - {s.name}",
        meta=_site_meta(site),
        crumbs=[HOME_CRUMB, ("站内搜索", "search/")],
    )
    pages.append(search)
    pages.append(_feeds_page(site, newest))
    pages.append(_wechat_page(site))
    # every other kind of content (core/kind_list.py): its pages, tabs, downloads and search filters
    planning = Planning(site, articles, lambda crumbs, links=(): _make_page(settings, crumbs, links), pages, nav)
    for kind in kind_list.KINDS:
        planning.planned[kind.name] = kind.plan(planning)
    search.html = "<h1>站内搜索</h1>" + fragments.search_page(search.url, s.categories, planning.search_columns)

    article_pages = {}
    # published ones in the same order (a filter keeps it): the preview plans drafts and scheduled ones too
    published = site.published() if include_unpublished else articles
    copies_from = wechat_settings.copies_from(published, s.wechat.recent_days)
    documents = by_number(planning.library)
    for category in s.categories:
        group = by_category[category.slug]
        for index, article in enumerate(group):
            newer = group[index - 1] if index > 0 else None
            older = group[index + 1] if index + 1 < len(group) else None
            validity = _validity(article, documents)
            # the same article, neighbours, tag addresses, settings, status and 有效性 give the same page
            tags = {t: tag_urls[t] for t in article.tags if t in tag_urls}
            status = unpublished.get(id(article), PUBLISHED)
            wechat = wechat_settings.has_copy(article, copies_from)
            article_pages[article.src] = cached(
                "article-page",
                article.src,
                _article_page,
                settings,
                article,
                status,
                newer,
                older,
                tags,
                validity,
                wechat,
                durable=True,  # kept between builds: its Page then keys the page by where it came from
            )
    planning.article_pages = article_pages
    for kind in kind_list.KINDS:  # 政府信息公开 adds its metadata table to the articles it discloses
        kind.dress(planning)
    return SitePlan(
        pages=pages,
        articles=article_pages,
        nav=nav,
        tag_urls=tag_urls,
        files=planning.files | redirects.files(s, articles),  # the kinds' downloads; old addresses (aliases:)
        doc_numbers={number: doc.url for number, doc in documents.items()},
        wechat=frozenset(a.src for a in articles if wechat_settings.has_copy(a, copies_from)),
    )


def _make_page(settings: Keyed[Settings], crumbs_for, feed_links=()):
    """The generated pages' maker: ``crumbs_for(url, title)`` gives its 当前位置, ``feed_links`` the feeds it announces.

    A cached step: the same arguments give the same page object, so that the preview keys an unchanged
    page (8,000 cleanup pages at 10,000 records) by that object, not by comparing its fields."""

    def make_page(url: str, title: str, html: str, in_nav: bool, modified: dt.date | None = None) -> Page:
        crumbs = crumbs_for(url, title)
        return cached(
            "made-page", url, _made_page, settings, crumbs, tuple(feed_links), url, title, html, in_nav, modified
        )

    return make_page


def _made_page(settings: Keyed[Settings], crumbs, feed_links, url, title, html, in_nav, modified) -> Page:
    return Page(
        crumbs=list(crumbs),
        feeds=list(feed_links),
        modified=dt.datetime.combine(modified, dt.time(), TZ) if modified else None,
        src_uri=src_for(url),
        url=url,
        title=title,
        kind="index",
        html_title=f"{title} - {settings.value.name}",
        meta=_settings_meta(settings.value),
        in_nav=in_nav,
        html=html,
    )


def _wechat_page(site: Site) -> Page:
    """wechat/: the one 公众号 staff page (wechat/?a=<slug> loads that article's copy);
    out of nav, search and search engines."""
    return Page(
        src_uri=src_for(wechat_page.URL),
        url=wechat_page.URL,
        title=wechat_page.TITLE,
        kind="wechat",
        html_title=f"{wechat_page.TITLE} - {site.settings.name}",
        meta=[*_site_meta(site), ("robots", "noindex")],
        crumbs=[HOME_CRUMB, (wechat_page.TITLE, wechat_page.URL)],
        html=wechat_page.render(wechat_page.URL, site.settings.wechat.recent_days),
    )


def _validity(article: Article, documents: dict) -> str:
    """The 有效性 (HTML) of the library document carrying the article's 文号, or ""."""
    if not article.doc_no:
        return ""
    doc = documents.get(docno.canonical(article.doc_no) or article.doc_no)
    return cleanup_fragments.validity_link(article.url, doc) if doc is not None else ""


def _article_page(
    settings: Keyed[Settings],
    article: Article,
    status: str,
    newer: Article | None,
    older: Article | None,
    tag_urls: dict[str, str],
    validity: str = "",
    wechat: bool = True,
) -> Page:
    """``status``: published, draft or scheduled (the preview shows the last two, marked); ``wechat``:
    whether the build makes the article's 公众号 copy (its page links to it)."""
    s = settings.value
    meta = [
        *_settings_meta(s),
        ("ColumnName", article.category.name),
        ("ArticleTitle", article.title),
        ("PubDate", f"{article.date:%Y-%m-%d %H:%M}"),
        ("ContentSource", article.source),
        ("Keywords", ",".join(article.keywords or article.tags)),
        ("Author", article.author or article.source),
        ("Url", s.url + article.url),
    ]
    if article.cover:
        meta.append(("Image", encode_url(s.url + article.cover)))
    page = Page(
        src_uri=article.src,
        url=article.url,
        title=article.title,
        kind="article",
        html_title=f"{article.title} - {article.category.name} - {s.name}",
        meta=[(k, v) for k, v in meta if v],
        article=article,
        modified=article.modified,
        feeds=feeds.links(feeds.category_channel(s, article.category), article.category.name),
        crumbs=[HOME_CRUMB, (article.category.name, article.category.url), ("正文", article.url)],
    )
    page.before = fragments.article_header(article, status, validity)
    page.after = fragments.article_footer(article, newer, older, tag_urls, wechat)
    return page


def _feeds_page(site: Site, modified: dt.datetime | None) -> Page:
    """feeds/: every feed with its absolute URL, for the portal's operator (linked from the footer)."""
    s = site.settings
    page = Page(
        src_uri="feeds/index.md",
        url="feeds/",
        title="信息订阅",
        kind="index",
        html_title=f"信息订阅 - {s.name}",
        meta=_site_meta(site),
        modified=modified,
        crumbs=[HOME_CRUMB, ("信息订阅", "feeds/")],
    )
    names = ["全部信息", *(c.name for c in s.categories)]
    channels = list(zip(names, feeds.channels(s), strict=True))
    channels += [pair for kind in kind_list.KINDS for pair in kind.channels(site)]
    groups = [
        (
            name,
            channel.description,
            [(label, channel.path + file, channel.url(file)) for file, _mime, label in feeds.FORMATS],
        )
        for name, channel in channels
    ]
    page.html = "<h1>信息订阅</h1>" + fragments.feed_index(page.url, groups, s.feed_items)
    return page
