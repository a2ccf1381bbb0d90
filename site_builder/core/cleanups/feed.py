"""The cleanup batches' feed (feeds/cleanups/), when there are any: each batch an entry with its downloads."""

from __future__ import annotations

import datetime as dt
from html import escape

from site_builder.core.cleanups.fragments import summary as cleanup_summary
from site_builder.core.cleanups.pages import download_paths
from site_builder.core.dates import TZ
from site_builder.core.feeds import FEEDS_DIR, Channel, Enclosure, FeedItem, mime_type
from site_builder.core.kinds import FeedMaking
from site_builder.core.model import Settings

CLEANUPS_NAME = "规范性文件清理结果"


def cleanup_channel(settings: Settings) -> Channel:
    return Channel(
        path=f"{FEEDS_DIR}cleanups/",
        title=f"{CLEANUPS_NAME} - {settings.name}",
        description=f"{settings.name}公布的规范性文件清理结果：每批清理的决定、统计和清理目录下载",
        page_url=settings.url + "cleanups/",
        site=settings,
    )


def cleanup_items(making: FeedMaking, _channel: Channel) -> list[FeedItem]:
    """Each cleanup batch as an entry, newest first, with its CSV and .xlsx downloads.

    Dated like the news article that announced the batch (the page's 发布日期), else the
    decision's 成文日期 at midnight; identified by the batch page's URL, which never changes.
    """
    site, downloads = making.site, making.downloads
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
