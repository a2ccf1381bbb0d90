"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written with the standard library."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from site_builder.core.feeds import Channel
    from site_builder.outputs.feeds.item import FeedItem

VERSION = "https://jsonfeed.org/version/1.1"


def json_feed(channel: Channel, items: Sequence[FeedItem]) -> bytes:
    """The feed as UTF-8 JSON, keys in a fixed order so identical content gives identical bytes."""
    document = {
        "version": VERSION,
        "title": channel.title,
        "home_page_url": channel.page_url,
        "feed_url": channel.url("feed.json"),
        "description": channel.description,
        "icon": channel.icon,
        "favicon": channel.icon,
        "authors": [{"name": channel.site.sponsor, "url": channel.site.url}],
        "language": "zh-CN",
        "items": [_item(item) for item in items],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _item(item: FeedItem) -> dict:
    result: dict = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        "summary": item.summary,
    }
    if item.image:
        result["image"] = item.image
    result |= {
        "date_published": item.published.isoformat(),
        "date_modified": item.updated.isoformat(),
        "authors": [{"name": item.creator}],
        "tags": [term for term, _scheme in item.categories],
    }
    if item.enclosures:
        result["attachments"] = [
            {"url": e.url, "mime_type": e.mime_type, "title": e.title, "size_in_bytes": e.length}
            for e in item.enclosures
        ]
    return result
