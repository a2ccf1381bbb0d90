"""HTML fragments for generated pages and article blocks.

Links are relative to the page's own directory URL, so the site works from any
path and from a plain ``python -m http.server``. Every text is escaped here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from html import escape, unescape

from site_builder.core.dates import chinese_date
from site_builder.core.model import PUBLISHED, Article, Category, Site
from site_builder.core.urls import encode_url


def rel(base: str, target: str) -> str:
    """URL of ``target`` (site-relative) seen from the directory URL ``base``."""
    return "../" * base.count("/") + target or "./"


def _time(moment: dt.datetime, text: str) -> str:
    return f'<time datetime="{moment.isoformat()}">{escape(text)}</time>'


def _moment(moment: dt.datetime, with_time: bool) -> str:
    """2021年5月8日 15:30; a date written without a time shows no "00:00"."""
    if not with_time:
        return f'<time datetime="{moment:%Y-%m-%d}">{escape(chinese_date(moment, with_time=False))}</time>'
    return _time(moment, chinese_date(moment))


def _status(article: Article, state: str) -> str:
    if state == "draft":
        return '<p class="sb-status sb-status--draft" role="note">草稿：仅在本地预览中显示，不会发布。</p>'
    if state == "scheduled":
        return (
            f'<p class="sb-status sb-status--scheduled" role="note">定时发布：将在 '
            f"{escape(chinese_date(article.date, article.date_has_time))} 之后的第一次构建时发布。</p>"
        )
    return ""


SUMMARY_SLOT = re.compile(r"<!--sb-summary:([^>]*?)-->")


def summary_slot(article: Article) -> str:
    """Where a list shows the summary made from the article's rendered body (filled by
    :func:`fill_summaries` once MkDocs has rendered it)."""
    return f"<!--sb-summary:{escape(article.src)}-->"


def fill_summaries(html: str, summary_of) -> str:
    """``html`` with each summary slot replaced by ``summary_of(src)`` (plain text; "" leaves none)."""

    def one(match: re.Match) -> str:
        text = summary_of(unescape(match.group(1)))
        return f'<p class="sb-item__summary">{escape(text)}</p>' if text else ""

    return SUMMARY_SLOT.sub(one, html)


def _item(base: str, article: Article, state: str = PUBLISHED) -> str:
    summary = f'<p class="sb-item__summary">{escape(article.summary)}</p>' if article.summary else summary_slot(article)
    status = ""
    if state != PUBLISHED:
        status = '<span class="sb-badge">{}</span>'.format("草稿" if article.draft else "定时发布")
    return (
        f'<li class="sb-item"><a class="sb-item__title" href="{rel(base, article.url)}">{escape(article.title)}</a>'
        f'{status}<div class="sb-item__meta">{_time(article.date, f"{article.date:%Y-%m-%d}")}'
        f'<span class="sb-item__column">{escape(article.category.name)}</span></div>{summary}</li>'
    )


def _page_numbers(number: int, total: int) -> list[int | None]:
    """First, last and two either side of the current page; None marks a gap."""
    wanted = sorted({1, total, *range(max(1, number - 2), min(total, number + 2) + 1)})
    result: list[int | None] = []
    for n in wanted:
        if result and n - (result[-1] or 0) > 1:
            result.append(None)
        result.append(n)
    return result


def pagination(base: str, number: int, total: int, first_url: str) -> str:
    if total <= 1:
        return ""

    def url(n: int) -> str:
        return rel(base, first_url if n == 1 else f"{first_url}page/{n}/")

    parts = []
    if number > 1:
        parts.append(f'<a class="sb-pagination__step" rel="prev" href="{url(number - 1)}">上一页</a>')
    for n in _page_numbers(number, total):
        if n is None:
            parts.append('<span class="sb-pagination__gap" aria-hidden="true">…</span>')
        elif n == number:
            parts.append(f'<span class="sb-pagination__current" aria-current="page">{n}</span>')
        else:
            parts.append(f'<a href="{url(n)}" aria-label="第{n}页">{n}</a>')
    if number < total:
        parts.append(f'<a class="sb-pagination__step" rel="next" href="{url(number + 1)}">下一页</a>')
    return f'<nav class="sb-pagination" aria-label="分页，第{number}页，共{total}页">{"".join(parts)}</nav>'


def list_page(
    base: str,
    items: tuple[Article, ...],
    number: int,
    total_pages: int,
    first_url: str,
    total: int,
    intro: str,
    statuses: tuple[str, ...] | None = None,
) -> str:
    """One page of a list; ``statuses`` (the preview's): each item's, drafts and scheduled ones marked."""
    head = f'<p class="sb-list__intro">{escape(intro)}</p>' if intro else ""
    head += f'<p class="sb-list__count">共 {total} 条信息，第 {number} 页，共 {total_pages} 页。</p>'
    if items:
        body = (
            '<ul class="sb-list">'
            + "".join(_item(base, a, s) for a, s in zip(items, statuses or (PUBLISHED,) * len(items), strict=True))
            + "</ul>"
        )
    else:
        body = '<p class="sb-empty">本栏目暂无信息。</p>'
    return head + body + pagination(base, number, total_pages, first_url)


def home(site: Site, by_category: dict[str, list[Article]], now: dt.datetime | None = None) -> str:
    s = site.settings
    cards = []
    for category in s.categories:
        latest = by_category.get(category.slug, [])[: s.home_items]
        items = (
            "".join(
                # title: the whole title on hover where the line cuts it short (site.css)
                f'<li><a href="{rel("", a.url)}" title="{escape(a.title)}">{escape(a.title)}</a>'
                f"{_time(a.date, f'{a.date:%Y-%m-%d}')}</li>"
                for a in latest
            )
            or "<li>暂无信息。</li>"
        )
        cards.append(
            f'<section class="sb-card" aria-labelledby="col-{category.slug}">'
            f'<h2 id="col-{category.slug}"><a href="{rel("", category.url)}">{escape(category.name)}</a></h2>'
            f'<ul class="sb-card__list">{items}</ul>'
            f'<a class="sb-more" href="{rel("", category.url)}">更多{escape(category.name)}</a></section>'
        )
    intro = f'<p class="sb-home__intro">{escape(s.description)}</p>' if s.description else ""
    features = (
        '<div class="sb-home__features">'
        '<a class="sb-feature" href="cleanups/"><strong>规范性文件清理结果</strong>'
        "<span>查看市政府规范性文件集中清理和专项清理结果，以及每件文件的现行有效性。</span></a>"
        + (
            f'<a class="sb-feature" href="{escape(s.accessibility_url)}"><strong>适老化与无障碍服务</strong>'
            "<span>放大字号、切换高对比度，方便老年人和视障人士浏览。</span></a>"
            if s.accessibility_url
            else ""
        )
        + '<a class="sb-feature" href="search/"><strong>站内搜索</strong>'
        "<span>按关键词、文号查找信息，可按栏目筛选。</span></a></div>"
    )
    return f'<h1 class="sb-home__title">{escape(s.name)}</h1>{intro}{features}<div class="sb-home__grid">{"".join(cards)}</div>'


def archive_index(base: str, years: Iterable[tuple[int, str, int]]) -> str:
    items = "".join(f'<li><a href="{rel(base, url)}">{year}年</a>（{count}条）</li>' for year, url, count in years)
    return f'<ul class="sb-index">{items}</ul>' if items else '<p class="sb-empty">暂无信息。</p>'


def tag_index(base: str, tags: Iterable[tuple[str, str, int]]) -> str:
    items = "".join(f'<li><a href="{rel(base, url)}">{escape(tag)}</a>（{count}）</li>' for tag, url, count in tags)
    return f'<ul class="sb-index sb-index--tags">{items}</ul>' if items else '<p class="sb-empty">暂无标签。</p>'


def search_page(base: str, categories: Iterable[Category], more_columns: Iterable[str] = ()) -> str:
    """``more_columns``: 栏目 filter values of pages that are not articles (规范性文件库)."""
    names = [c.name for c in categories] + list(more_columns)
    options = "".join(f'<option value="{escape(name)}">{escape(name)}</option>' for name in names)
    return (
        '<form class="sb-search" role="search" action="./" data-sb-search>'
        '<label for="sb-search-q">搜索关键词或文号</label>'
        '<input id="sb-search-q" name="q" type="search" autocomplete="off" placeholder="例如：行政复议、滨政规〔2021〕6号">'
        '<label for="sb-search-column">栏目</label>'
        f'<select id="sb-search-column" name="column"><option value="">全部栏目</option>{options}</select>'
        '<button type="submit">搜索</button></form>'
        '<p class="sb-search__status" role="status" aria-live="polite" data-sb-search-status></p>'
        # A queried 文号: the documents carrying it, under their own heading, before the rest.
        '<section class="sb-search__docs" aria-labelledby="sb-search-docs" data-sb-search-docs hidden>'
        '<h2 id="sb-search-docs" data-sb-search-docs-heading></h2>'
        '<ol class="sb-list sb-search__results" data-sb-search-doc-results></ol></section>'
        "<h2 data-sb-search-others hidden></h2>"
        '<ol class="sb-list sb-search__results" data-sb-search-results></ol>'
        # Hidden until there are more matches than shown; search.js adds them 20 at a time.
        '<div class="sb-search sb-search__more"><button type="button" data-sb-search-more hidden>显示更多</button></div>'
        "<noscript><p>站内搜索需要启用浏览器的 JavaScript。</p></noscript>"
        f'<script src="{rel(base, "assets/sb/search.js")}" defer></script>'
    )


def article_header(article: Article, status: str, validity: str = "") -> str:
    """``validity``: the 有效性 (HTML) of the library document whose 文号 the article carries, if any."""
    rows = [("发布日期", _moment(article.date, article.date_has_time)), ("来源", escape(article.source))]
    if article.author:
        rows.append(("作者", escape(article.author)))
    if article.index_no:
        rows.append(("索引号", escape(article.index_no)))
    if article.doc_no:
        # search.js finds a queried 文号 through the filter (Pagefind drops its brackets from
        # queries) and puts the page carrying it first by the meta.
        number = f'<span data-pagefind-meta="docno" data-pagefind-filter="文号">{escape(article.doc_no)}</span>'
        rows.append(("文号", number))
    if validity:
        rows.append(("有效性", validity))
    if article.updated and article.updated != article.date:
        rows.append(("更新日期", _moment(article.updated, article.updated_has_time)))
    cells = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in rows)
    return f'<h1>{escape(article.title)}</h1>{_status(article, status)}<dl class="sb-meta">{cells}</dl>'


def article_footer(
    article: Article, newer: Article | None, older: Article | None, tag_urls: dict[str, str], wechat: bool = True
) -> str:
    """Attachments, tags, previous/next, and the link to the 公众号 copy when the build makes one (``wechat``:
    older articles have none; staff make one with ``site-builder wechat``, as the authoring guide says)."""
    base = article.url
    parts = []
    if article.attachments:
        items = "".join(
            f'<li><a href="{escape(encode_url(rel(base, a.file)))}" download>{escape(a.title)}</a>'
            f'<span class="sb-attachments__size">{escape(a.size_label)}</span></li>'
            for a in article.attachments
        )
        parts.append(
            f'<section class="sb-attachments" aria-labelledby="sb-attachments"><h2 id="sb-attachments">附件</h2><ol>{items}</ol></section>'
        )
    if article.tags:
        links = "".join(
            f'<li><a href="{rel(base, tag_urls[t])}">{escape(t)}</a></li>' for t in article.tags if t in tag_urls
        )
        parts.append(f'<div class="sb-tags"><span>标签：</span><ul>{links}</ul></div>')
    steps = []
    if newer:
        steps.append(
            f'<a class="sb-prevnext__prev" rel="prev" href="{rel(base, newer.url)}"><span>上一篇</span>{escape(newer.title)}</a>'
        )
    if older:
        steps.append(
            f'<a class="sb-prevnext__next" rel="next" href="{rel(base, older.url)}"><span>下一篇</span>{escape(older.title)}</a>'
        )
    if steps:
        parts.append(
            f'<nav class="sb-prevnext" aria-label="{escape(article.category.name)}栏目中的上一篇和下一篇">{"".join(steps)}</nav>'
        )
    if wechat:  # for staff who republish on the 公众号; kept small, and out of search engines' way
        parts.append(
            f'<p class="sb-wechat-link"><a href="{rel(base, "wechat/")}?a={article.slug}" rel="nofollow">公众号版本</a></p>'
        )
    return "".join(parts)


def feed_index(base: str, groups: list[tuple[str, str, list[tuple[str, str, str]]]], size: int) -> str:
    """The feeds page: per feed, its name and each format's link and absolute URL to copy.

    ``groups``: (feed name, description, [(format, site-relative path, absolute URL)]).
    """
    intro = (
        f"<p>政府门户网站的信息采集系统和 RSS 阅读器可以订阅本站信息。每个订阅源包含最新 {size} 条信息的"
        "标题、发布日期、来源、栏目、摘要、全文和附件；草稿和未到发布时间的信息不会出现。"
        "RSS 2.0、Atom 1.0、JSON Feed 1.1 三种格式内容相同，任选其一，把下面的订阅地址复制到采集系统或阅读器中即可。</p>"
    )
    sections = []
    for name, description, formats in groups:
        items = "".join(
            f'<li><a href="{rel(base, path)}">{escape(name)}（{escape(label)}）</a>：'
            f'<code class="sb-feed-url">{escape(url)}</code></li>'
            for label, path, url in formats
        )
        sections.append(f"<h2>{escape(name)}</h2><p>{escape(description)}</p><ul>{items}</ul>")
    return intro + "".join(sections)
