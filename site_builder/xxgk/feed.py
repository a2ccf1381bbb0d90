"""The 政府信息公开 feed (feeds/xxgk/): what a portal syndicating the section takes in.

A provincial 政府信息公开平台 or a city portal collects an office's disclosed items
with their metadata, and its yearly reports. So the section's channel holds every
disclosed article (as in the all-news feed, each led by its 索引号 … 有效性 list)
and every 政府信息公开工作年度报告, whole, with its Word copy as the enclosure. The
all-news feed keeps holding news only (articles), as it did before the section.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from html import escape

from site_builder import feeds
from site_builder.cleanups.library import by_number
from site_builder.dates import TZ
from site_builder.model import Site
from site_builder.xxgk.load import Section
from site_builder.xxgk.render import report_body, report_title


def channel(site: Site) -> feeds.Channel:
    section: Section = site.xxgk
    settings = site.settings
    return feeds.Channel(
        path=f"{feeds.FEEDS_DIR}xxgk/",
        title=f"{section.title} - {settings.name}",
        description=f"{section.publisher}主动公开的政府信息（含索引号等元数据）和政府信息公开工作年度报告",
        page_url=settings.url + section.url,
        site=settings,
    )


def report_published(report) -> dt.datetime:
    """A report's 发布日期; without one, the day the 条例 requires it by (31 January of the next year)."""
    day = report.date or dt.date(report.year + 1, 1, 31)
    return dt.datetime.combine(day, dt.time(), TZ)


def items(site: Site, bodies: dict[str, str], downloads: dict[str, bytes]) -> list[feeds.FeedItem]:
    """Disclosed articles and yearly reports, newest first, at most ``feed_items``."""
    from site_builder.xxgk.pages import disclosed, meta_list, report_docx_path

    section: Section = site.xxgk
    settings = site.settings
    docs = by_number(section.library)
    entries: list[feeds.FeedItem] = []
    for article in disclosed(site, site.published()):
        if article.src not in bodies:
            continue
        item = feeds.article_item(article, settings, bodies[article.src])
        meta = meta_list(article, section, section.numbers.get(article.slug, ""), docs)
        entries.append(dataclasses.replace(item, content_html=meta + item.content_html))
    if section.part("annual") is not None:
        for report in section.reports.values():
            url = settings.url + report.url
            title = report_title(report, section.publisher)
            path = report_docx_path(report)
            enclosures = ()
            if path in downloads:
                enclosures = (feeds.Enclosure(settings.url + path, len(downloads[path]), feeds.mime_type(path), title),)
            published = report_published(report)
            entries.append(
                feeds.FeedItem(
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
