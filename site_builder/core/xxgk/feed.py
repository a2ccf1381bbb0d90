"""The 政府信息公开 section's feed channel (feeds/xxgk/), which its pages announce.

Its items (disclosed articles with their metadata, and the yearly reports) are
made in site_builder/outputs/feeds/xxgk.py.
"""

from __future__ import annotations

from site_builder.core.feeds import FEEDS_DIR, Channel
from site_builder.core.model import Site
from site_builder.core.xxgk.load import Section


def channel(site: Site) -> Channel:
    section: Section = site.xxgk
    settings = site.settings
    return Channel(
        path=f"{FEEDS_DIR}xxgk/",
        title=f"{section.title} - {settings.name}",
        description=f"{section.publisher}主动公开的政府信息（含索引号等元数据）和政府信息公开工作年度报告",
        page_url=settings.url + section.url,
        site=settings,
    )
