"""Which feeds the site has and where they live: planned with the pages, written by outputs/feeds/.

One feed of all news plus one per 栏目, each as RSS 2.0, Atom 1.0 and JSON Feed 1.1 under
``feeds/`` (``feeds/<栏目 slug>/`` for a 栏目), and one of the cleanup batches when there are any.
Pages announce their feeds (``<link rel="alternate">``) and the feeds/ page lists them, so the
channels are known before anything is rendered; :mod:`site_builder.outputs.feeds.write` fills them.
"""

from __future__ import annotations

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


CLEANUPS_NAME = "规范性文件清理结果"


def cleanup_channel(settings: Settings) -> Channel:
    return Channel(
        path=f"{FEEDS_DIR}cleanups/",
        title=f"{CLEANUPS_NAME} - {settings.name}",
        description=f"{settings.name}公布的规范性文件清理结果：每批清理的决定、统计和清理目录下载",
        page_url=settings.url + "cleanups/",
        site=settings,
    )
