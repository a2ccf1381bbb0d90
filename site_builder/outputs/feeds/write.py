"""Feeds for the government portal and readers: what each feed holds, written after the build.

One feed of all news plus one per 栏目, each as RSS 2.0, Atom 1.0 and JSON Feed 1.1
under ``feeds/`` (``feeds/<栏目 slug>/`` for a 栏目). A feed is a :class:`Channel` (planned with
the pages: site_builder.core.feeds) and its :class:`FeedItem` values; the formats in :mod:`site_builder.outputs.feeds.xml` and
:mod:`site_builder.outputs.feeds.jsonfeed` know nothing of articles, so other publications
(cleanup batches) become feeds by turning their records into items.

Every date comes from the content, never the clock, so the same content gives
byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterable
from html import escape
from pathlib import Path

from site_builder.core.cleanups.fragments import summary as cleanup_summary
from site_builder.core.cleanups.pages import download_paths
from site_builder.core.dates import TZ
from site_builder.core.feeds import (
    CLEANUPS_NAME,
    FORMATS,
    Channel,
    channels,
    cleanup_channel,
)
from site_builder.core.model import Article, Settings, Site
from site_builder.core.urls import encode_url
from site_builder.outputs.feeds import body as feed_body
from site_builder.outputs.feeds import jsonfeed as feed_json
from site_builder.outputs.feeds import xml as feed_xml
from site_builder.outputs.feeds.item import Enclosure, FeedItem
from site_builder.outputs.summary import article_summary

# What government attachments usually are; Python's built-in table lacks most of them.
OFFICE_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "wps": "application/vnd.ms-works",
    "ofd": "application/ofd",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
    "7z": "application/x-7z-compressed",
}
_BUILT_IN_TYPES = mimetypes.MimeTypes()  # built-in table only: no /etc/mime.types
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


def mime_type(path: str) -> str:
    """The attachment's MIME type, the same on every machine (the system's mime.types is not read)."""
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if extension in OFFICE_TYPES:
        return OFFICE_TYPES[extension]
    guessed, _ = _BUILT_IN_TYPES.guess_type(path, strict=False)
    return guessed or "application/octet-stream"


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


def write(site_dir: Path, feeds: Iterable[tuple[Channel, list[FeedItem]]], fallback: dt.datetime) -> list[Path]:
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


def cleanup_items(site: Site, downloads: dict[str, bytes]) -> list[FeedItem]:
    """Each cleanup batch as an entry, newest first; ``downloads`` are its CSV and .xlsx files.

    Dated like the news article that announced the batch (the page's 发布日期), else the
    decision's 成文日期 at midnight; identified by the batch page's URL, which never changes.
    """
    settings = site.settings
    announced = {a.slug: a for a in site.published()}
    items = []
    for batch in sorted(site.cleanups, key=lambda b: b.sort_key(), reverse=True)[: settings.feed_items]:
        article = announced.get(batch.decision.article)
        published = article.date if article else dt.datetime.combine(batch.date, dt.time(), TZ)
        url = settings.url + batch.url
        decision = batch.decision
        files = [
            (path, label)
            for path, label in zip(download_paths(batch), ("CSV", "Excel"), strict=True)
            if path in downloads
        ]
        links = "".join(
            f'<li><a href="{escape(settings.url + path)}">清理目录（{label}，{len(downloads[path])} 字节）</a></li>'
            for path, label in files
        )
        content = (
            f"<p>{escape(cleanup_summary(batch))}</p>"
            f"<p>清理决定：《{escape(decision.title)}》（{escape(decision.doc_no)}），{escape(decision.publisher)}，"
            f"{decision.date.year}年{decision.date.month}月{decision.date.day}日。</p>"
            f"<p>清理范围：{escape(batch.scope)}</p>"
            f'<p><a href="{escape(url)}">查看全部清理记录</a></p><ul>{links}</ul>'
        )
        items.append(
            FeedItem(
                id=url,
                url=url,
                title=batch.title,
                published=published,
                updated=published,
                summary=cleanup_summary(batch),
                content_html=content,
                creator=decision.publisher,
                categories=((CLEANUPS_NAME, settings.url + "cleanups/"),),
                enclosures=tuple(
                    Enclosure(settings.url + path, len(downloads[path]), mime_type(path), f"{batch.title}清理目录")
                    for path, _label in files
                ),
            )
        )
    return items


def write_feeds(
    site_dir: Path, site: Site, bodies: dict[str, str], downloads: dict[str, bytes] | None = None
) -> list[Path]:
    """All feeds of ``site``: articles (``bodies`` maps article src to its rendered body HTML) and,
    when there are any, cleanup batches (``downloads``: their CSV and .xlsx, site-relative path -> bytes)."""
    feeds = article_feeds(site, bodies)
    if site.cleanups:
        feeds.append((cleanup_channel(site.settings), cleanup_items(site, downloads or {})))
    published = site.published()
    fallback = max((a.modified for a in published), default=NO_CONTENT_DATE)
    return write(site_dir, feeds, fallback)
