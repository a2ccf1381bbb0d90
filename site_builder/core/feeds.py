"""Which feeds the site has and where they live: planned with the pages, written by outputs/feeds/.

One feed of all news plus one per 栏目, each as RSS 2.0, Atom 1.0 and JSON Feed 1.1 under
``feeds/`` (``feeds/<栏目 slug>/`` for a 栏目); each kind of content adds its own (core/kinds.py).
Pages announce their feeds (``<link rel="alternate">``) and the feeds/ page lists them, so the
channels are known before anything is rendered; :mod:`site_builder.outputs.feeds.write` fills them.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass

from site_builder.core.model import Category, Settings

FEEDS_DIR = "feeds/"
ICON = "assets/sb/feed-icon.png"  # theme/assets/sb/feed-icon.png
# file name, MIME type (for <link rel="alternate">), format name shown to staff
FORMATS = (
    ("rss.xml", "application/rss+xml", "RSS 2.0"),
    ("atom.xml", "application/atom+xml", "Atom 1.0"),
    ("feed.json", "application/feed+json", "JSON Feed 1.1"),
)


@dataclass(frozen=True)
class Channel:
    """One feed: where it lives (``path`` ends with "/") and what the portal sees of it."""

    path: str
    title: str
    description: str
    page_url: str  # absolute URL of the HTML page the feed mirrors
    site: Settings

    def url(self, file_name: str) -> str:
        return self.site.url + self.path + file_name

    @property
    def icon(self) -> str:
        """The channel's image: the site's emblem as a 144 × 144 PNG (RSS allows GIF, JPEG, PNG)."""
        return self.site.url + ICON

    @property
    def copyright(self) -> str:
        return f"© {self.site.sponsor}"


def channels(settings: Settings) -> list[Channel]:
    """Every article feed of the site: all news first, then each 栏目 in site.yml order."""
    everything = Channel(
        path=FEEDS_DIR,
        title=settings.name,
        description=settings.description or f"{settings.name}发布的全部信息",
        page_url=settings.url,
        site=settings,
    )
    return [everything, *(category_channel(settings, c) for c in settings.categories)]


def category_channel(settings: Settings, category: Category) -> Channel:
    return Channel(
        path=f"{FEEDS_DIR}{category.slug}/",
        title=f"{category.name} - {settings.name}",
        description=category.description or f"{settings.name}“{category.name}”栏目发布的信息",
        page_url=settings.url + category.url,
        site=settings,
    )


def links(channel: Channel, name: str) -> list[tuple[str, str, str]]:
    """(MIME type, title, site-relative path) of each format, for ``<link rel="alternate">``.

    Relative, so that a preview never requests the production host: Material's bundle
    fetches ``sitemap.xml`` beside every ``rel=alternate`` link (see ``write``).
    """
    return [(mime, f"{name}（{label}）", channel.path + file) for file, mime, label in FORMATS]


def site_links(settings: Settings) -> list[tuple[str, str, str]]:
    """The all-news feeds that every page announces."""
    return links(channels(settings)[0], settings.name)


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int  # bytes
    mime_type: str
    title: str


@dataclass(frozen=True)
class FeedItem:
    """One entry, in absolute URLs, as every format (outputs/feeds/) writes it. ``id`` never changes once published."""

    id: str
    url: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    summary: str  # plain text
    content_html: str  # the full body, every URL absolute
    creator: str  # 来源/发布机构
    categories: tuple[tuple[str, str], ...] = ()  # (term, absolute URL of its taxonomy)
    enclosures: tuple[Enclosure, ...] = ()  # RSS carries the first only
    image: str = ""


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


def mime_type(path: str) -> str:
    """The attachment's MIME type, the same on every machine (the system's mime.types is not read)."""
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if extension in OFFICE_TYPES:
        return OFFICE_TYPES[extension]
    guessed, _ = _BUILT_IN_TYPES.guess_type(path, strict=False)
    return guessed or "application/octet-stream"
