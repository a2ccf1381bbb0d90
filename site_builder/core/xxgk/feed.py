"""The 政府信息公开 section's feed channel (feeds/xxgk/), which its pages announce.

Its items: disclosed articles with their metadata, and the yearly reports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from html import escape

from site_builder.core.cleanups.library import by_number
from site_builder.core.dates import TZ
from site_builder.core.feeds import FEEDS_DIR, Channel, Enclosure, FeedItem, mime_type
from site_builder.core.kinds import FeedMaking
from site_builder.core.model import Site
from site_builder.core.xxgk.load import Section
from site_builder.core.xxgk.pages import disclosed, meta_list, report_docx_path
from site_builder.core.xxgk.render import report_body, report_title


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


def report_published(report) -> dt.datetime:
    """A report's 发布日期; without one, the day the 条例 requires it by (31 January of the next year)."""
    day = report.date or dt.date(report.year + 1, 1, 31)
    return dt.datetime.combine(day, dt.time(), TZ)


def xxgk_items(making: FeedMaking, _channel: Channel) -> list[FeedItem]:
    """The 政府信息公开 feed: every disclosed article led by its 索引号 … 有效性, which a portal
    syndicating the section (a provincial 政府信息公开平台) takes in with it, and every yearly report,
    whole, with its Word copy as the enclosure; newest first, at most ``feed_items``. The all-news
    feed keeps holding articles only."""
    site, bodies, downloads = making.site, making.bodies, making.downloads
    section: Section = site.xxgk
    settings = site.settings
    docs = by_number(section.library)
    entries: list[FeedItem] = []
    for article in disclosed(site, site.published()):
        if article.src not in bodies:
            continue
        item = making.article_item(article)
        meta = meta_list(article, section, section.numbers.get(article.slug, ""), docs)
        entries.append(dataclasses.replace(item, content_html=meta + item.content_html))
    if section.part("annual") is not None:
        for report in section.reports.values():
            url = settings.url + report.url
            title = report_title(report, section.publisher)
            path = report_docx_path(report)
            enclosures = ()
            if path in downloads:
                enclosures = (Enclosure(settings.url + path, len(downloads[path]), mime_type(path), title),)
            published = report_published(report)
            entries.append(
                FeedItem(
                    id=url,
                    url=url,
                    title=title,
                    published=published,
                    updated=published,
                    summary=f"{title}，包括总体情况、主动公开、依申请公开、行政复议和行政诉讼等情况。",
                    content_html=f"<p>发布机构：{escape(section.publisher)}</p>{report_body(report)}",
                    creator=section.publisher,
                    categories=((section.title, settings.url + section.url),),
                    enclosures=enclosures,
                )
            )
    entries.sort(key=lambda i: (-i.published.timestamp(), i.id))
    return entries[: settings.feed_items]
