"""One feed entry, in absolute URLs, as every format writes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int  # bytes
    mime_type: str
    title: str


@dataclass(frozen=True)
class FeedItem:
    """One entry, in absolute URLs. ``id`` never changes once published."""

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
