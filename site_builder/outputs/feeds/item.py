"""One feed entry, in absolute URLs, as every format writes it (plain data of core/feeds.py, which the
kinds of content make their entries with)."""

from __future__ import annotations

from site_builder.core.feeds import Enclosure, FeedItem

__all__ = ["Enclosure", "FeedItem"]
