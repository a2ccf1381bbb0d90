"""RSS 2.0 and Atom 1.0 through feedgen: the only module that touches feedgen.

feedgen's traps, each countered here (see ../shared/reference/requirements.md, FG-*):
it stamps ``lastBuildDate`` and every ``updated`` with the clock (FG-1: always set
from content), prepends entries (FG-2: ``order="append"``), writes
``content:encoded`` only beside a description (FG-3: set both), takes the channel
``<link>`` from the last ``link()`` call (FG-4: self first, page last), puts its
version in ``generator`` (FG-7: fixed name) and names no entry when a field is
missing (FG-7: each entry wrapped with its URL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

if TYPE_CHECKING:
    from site_builder.core.feeds import Channel
    from site_builder.outputs.feeds.item import FeedItem

GENERATOR = "site_builder"
DCTERMS = "http://purl.org/dc/terms/"


def rss(channel: Channel, items: Sequence[FeedItem], updated: dt.datetime) -> bytes:
    """RSS 2.0 with ``content:encoded``, ``dc:creator`` and ``dcterms:modified`` per item."""
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.register_extension("dcterms", _DctermsFeed, _DctermsEntry, atom=False, rss=True)
    feed.title(channel.title)
    feed.description(escape(channel.description, quote=False))  # RSS readers show description as HTML
    feed.link(href=channel.url("rss.xml"), rel="self", type="application/rss+xml")
    feed.link(href=channel.page_url, rel="alternate")  # last: it becomes the channel <link>
    feed.language("zh-cn")
    feed.copyright(channel.copyright)
    feed.image(url=channel.icon, title=channel.title, link=channel.page_url, width="144", height="144")
    feed.lastBuildDate(updated)
    feed.generator(GENERATOR)
    _add_entries(feed, items, _rss_entry)
    return feed.rss_str(pretty=True)


def atom(channel: Channel, items: Sequence[FeedItem], updated: dt.datetime) -> bytes:
    """Atom 1.0; entry ids are the RSS guids."""
    feed = FeedGenerator()
    feed.id(channel.url("atom.xml"))
    feed.title(channel.title)
    feed.subtitle(channel.description)
    feed.link(href=channel.url("atom.xml"), rel="self", type="application/atom+xml")
    feed.link(href=channel.page_url, rel="alternate", type="text/html")
    feed.author(name=channel.site.sponsor)
    feed.language("zh-CN")
    feed.icon(channel.icon)
    feed.rights(channel.copyright)
    feed.updated(updated)
    feed.generator(GENERATOR)
    feed.register_extension("atomlinks", BaseExtension, _AtomLinks, atom=True, rss=False)
    _add_entries(feed, items, _atom_entry)
    return feed.atom_str(pretty=True)


def _add_entries(feed: FeedGenerator, items: Sequence[FeedItem], fill: Callable[[FeedEntry, FeedItem], None]) -> None:
    for item in items:  # already newest first: append keeps that order
        entry = feed.add_entry(order="append")
        try:
            fill(entry, item)
        except ValueError as error:
            raise ValueError(f"{item.url}: {error}") from error


def _common(entry: FeedEntry, item: FeedItem) -> None:
    entry.title(item.title)
    entry.published(item.published)
    entry.updated(item.updated)
    for term, scheme in item.categories:
        entry.category(term=term, scheme=scheme)


def _rss_entry(entry: FeedEntry, item: FeedItem) -> None:
    _common(entry, item)
    entry.link(href=item.url, rel="alternate")
    if item.enclosures:
        first = item.enclosures[0]  # RSS allows one; the others are links in the body
        entry.enclosure(url=first.url, length=first.length, type=first.mime_type)
    entry.guid(item.id, permalink=item.id == item.url)
    entry.description(escape(item.summary, quote=False), isSummary=True)  # plain text, read as HTML
    entry.content(_cdata_safe(item.content_html), type="CDATA")
    entry.dc.dc_creator(item.creator)
    entry.dcterms.modified = item.updated


def _atom_entry(entry: FeedEntry, item: FeedItem) -> None:
    _common(entry, item)
    entry.id(item.id)
    entry.atomlinks.links = [{"rel": "alternate", "type": "text/html", "href": item.url}]
    if item.enclosures:
        first = item.enclosures[0]  # as in RSS; the others are links in the body
        entry.atomlinks.links.append(
            {"rel": "enclosure", "type": first.mime_type, "length": str(first.length), "href": first.url}
        )
    entry.author(name=item.creator)
    entry.summary(item.summary, type="text")
    entry.content(item.content_html, type="html")


def _cdata_safe(html: str) -> str:
    """ "]]>" would end the CDATA section early; in HTML text it may be written "]]&gt;"."""
    return html.replace("]]>", "]]&gt;")


class _DctermsFeed(BaseExtension):
    """Declares the dcterms namespace once, on the root element."""

    def extend_ns(self) -> dict[str, str]:
        return {"dcterms": DCTERMS}


class _DctermsEntry(BaseEntryExtension):
    """``dcterms:modified``: RSS 2.0 has no update date of its own."""

    def __init__(self) -> None:
        self.modified: dt.datetime | None = None

    def extend_rss(self, item):
        if self.modified is not None:
            etree.SubElement(item, f"{{{DCTERMS}}}modified").text = self.modified.isoformat()
        return item


class _AtomLinks(BaseEntryExtension):
    """Entry links written whole: feedgen 1.0.0 drops rel, type and length of Atom entry links,
    which turns an enclosure into a second "alternate" link."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry):
        for attributes in self.links:
            etree.SubElement(entry, "link", attributes)
        return entry
