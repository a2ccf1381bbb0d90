"""Feeds for the government portal and readers: what each feed holds, written after the build.

One feed of all news plus one per 栏目, each as RSS 2.0, Atom 1.0 and JSON Feed 1.1
under ``feeds/`` (``feeds/<栏目 slug>/`` for a 栏目). A feed is a :class:`Channel` (planned with
the pages: site_builder.core.feeds) and its :class:`FeedItem` values; the formats in :mod:`site_builder.outputs.feeds.xml` and
:mod:`site_builder.outputs.feeds.jsonfeed` know nothing of articles, so each other kind of content
(core/kinds.py: cleanup batches, 政府信息公开) makes its own items.

Every date comes from the content, never the clock, so the same content gives
byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape
from pathlib import Path

from site_builder.core import kind_list
from site_builder.core.dates import TZ
from site_builder.core.feeds import FORMATS, Channel, channels, mime_type
from site_builder.core.kinds import FeedMaking
from site_builder.core.model import Article, Settings, Site
from site_builder.core.urls import encode_url
from site_builder.outputs.built import Built
from site_builder.outputs.feeds import body as feed_body
from site_builder.outputs.feeds import jsonfeed as feed_json
from site_builder.outputs.feeds import xml as feed_xml
from site_builder.outputs.feeds.item import Enclosure, FeedItem
from site_builder.outputs.summary import article_summary

# A feed with no item at all still needs a date; this one says "no content yet".
NO_CONTENT_DATE = dt.datetime(2000, 1, 1, tzinfo=TZ)


def feed_sitemap(channel: Channel, updated: dt.datetime) -> bytes:
    """A valid sitemap of the feed folder: its three feeds (sitemaps.org needs at least one ``<url>``,
    and a sitemap may list only URLs in its own folder)."""
    urls = "".join(
        f"<url><loc>{escape(channel.url(file))}</loc><lastmod>{updated:%Y-%m-%d}</lastmod></url>"
        for file, _mime, _label in FORMATS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    ).encode()


def article_item(article: Article, settings: Settings, body_html: str) -> FeedItem:
    """An article as a feed entry; ``body_html`` is its rendered body, links relative to its page."""
    url = settings.url + article.url
    content = feed_body.absolute_html(body_html, url)
    if article.attachments:  # every one, also the enclosure: not every reader shows enclosures
        content += _attachment_list(article.attachments, settings)
    return FeedItem(
        id=url,  # from the slug alone: editing the title, body or 栏目 keeps it
        url=url,
        title=article.title,
        published=article.date,
        updated=article.modified,
        summary=article_summary(article, body_html),
        content_html=content,
        creator=article.source,
        categories=(
            (article.category.name, settings.url + "news/"),
            *((tag, settings.url + "tags/") for tag in article.tags),
        ),
        enclosures=tuple(
            Enclosure(encode_url(settings.url + a.file), a.size, mime_type(a.file), a.title)
            for a in article.attachments
        ),
        image=encode_url(settings.url + article.cover) if article.cover else "",
    )


def _attachment_list(attachments, settings: Settings) -> str:
    """The attachments as absolute links with type and size, as the article page lists them."""
    items = "".join(
        f'<li><a href="{escape(encode_url(settings.url + a.file))}">{escape(a.title)}</a>{escape(a.size_label)}</li>'
        for a in attachments
    )
    return f"<h2>附件</h2><ol>{items}</ol>"


def article_feeds(site: Site, bodies: dict[str, str]) -> list[tuple[Channel, list[FeedItem]]]:
    """Each article channel with its newest published items (never drafts or scheduled ones)."""
    settings = site.settings
    limit = settings.feed_items
    everything, *per_category = channels(settings)
    published = site.published()  # newest first
    items: dict[str, FeedItem] = {}

    def item(article: Article) -> FeedItem:
        if article.src not in items:
            if article.src not in bodies:
                raise ValueError(f"{article.src}：MkDocs 没有生成这篇文章的正文，无法写入订阅源。")
            items[article.src] = article_item(article, settings, bodies[article.src])
        return items[article.src]

    by_category: dict[str, list[Article]] = {c.slug: [] for c in settings.categories}
    for article in published:
        by_category[article.category.slug].append(article)
    result = [(everything, [item(a) for a in published[:limit]])]
    for category, channel in zip(settings.categories, per_category, strict=True):
        result.append((channel, [item(a) for a in by_category[category.slug][:limit]]))
    return result


def newest(items: Iterable[FeedItem], fallback: dt.datetime = NO_CONTENT_DATE) -> dt.datetime:
    """The channel's last change: its newest item's update, from content, never the clock."""
    return max((i.updated for i in items), default=fallback)


def write_channels(
    site_dir: Path, feeds: Iterable[tuple[Channel, list[FeedItem]]], fallback: dt.datetime
) -> list[Path]:
    """Write each channel in the three formats; returns the files written."""
    written = []
    for channel, items in feeds:
        folder = site_dir / channel.path
        updated = newest(items, fallback)
        names = [folder / name for name in FEED_FILES]
        if _LAST_WRITTEN.get(folder) == (channel, items, updated) and all(p.is_file() for p in names):
            written += names  # the preview, after an edit that left this channel as it was
            continue
        folder.mkdir(parents=True, exist_ok=True)
        outputs = {
            "rss.xml": feed_xml.rss(channel, items, updated),
            "atom.xml": feed_xml.atom(channel, items, updated),
            "feed.json": feed_json.json_feed(channel, items),
        }
        # Material's bundle (its language switcher) fetches sitemap.xml beside every
        # <link rel="alternate">; this one answers it instead of a 404 on every page view.
        outputs["sitemap.xml"] = feed_sitemap(channel, updated)
        for name, data in outputs.items():
            (folder / name).write_bytes(data)
            written.append(folder / name)
        _LAST_WRITTEN[folder] = (channel, items, updated)
    return written


FEED_FILES = ("rss.xml", "atom.xml", "feed.json", "sitemap.xml")
# folder -> what was last written there by this process (site-builder serve rebuilds often)
_LAST_WRITTEN: dict[Path, tuple] = {}


def write_feeds(
    site_dir: Path, site: Site, bodies: dict[str, str], downloads: dict[str, bytes] | None = None
) -> list[Path]:
    """All feeds of ``site``: articles (``bodies`` maps article src to its rendered body HTML), then each
    kind of content's channels (core/kind_list.py; ``downloads``: the plan's files, site-relative path -> bytes)."""
    feeds = article_feeds(site, bodies)
    making = FeedMaking(
        site, bodies, downloads or {}, lambda article: article_item(article, site.settings, bodies[article.src])
    )
    for kind in kind_list.KINDS:  # cleanup batches; 政府信息公开: disclosed items with their metadata, yearly reports
        feeds += [(channel, kind.items(making, channel)) for _name, channel in kind.channels(site)]
    published = site.published()
    fallback = max((a.modified for a in published), default=NO_CONTENT_DATE)
    return write_channels(site_dir, feeds, fallback)


def write(built: Built) -> list[str]:
    """Every feed (the outputs list's entry point, see outputs/built.py); the cleanup feed links the
    batches' downloads that page planning made."""
    written = write_feeds(built.site_dir, built.site, built.bodies, built.plan.files)
    return [path.relative_to(built.site_dir).as_posix() for path in written]
