"""政府信息公开 as a kind of content (core/kinds.py): content/xxgk/, its pages, its feed, and the
metadata table on each disclosed article's page."""

from __future__ import annotations

from site_builder.core import feeds
from site_builder.core.checks.levels import apply
from site_builder.core.cleanups.library import by_number
from site_builder.core.kinds import HOME_CRUMB, Kind, Loading, Planning
from site_builder.core.model import Site
from site_builder.core.xxgk.feed import channel, xxgk_items
from site_builder.core.xxgk.fixed_numbers import unfixed
from site_builder.core.xxgk.load import Section, load_section
from site_builder.core.xxgk.pages import INDEX_URL, XxgkPlan, plan_xxgk, with_meta


def _load(loading: Loading):
    """The section, when site.yml has one; W904: an 索引号 no fresh build may change."""
    settings = loading.settings
    if settings is None:
        return None, []
    batches = loading.loaded.get("cleanups") or []
    categories = tuple(c.name for c in settings.categories)
    section, found = load_section(loading.content, loading.root, categories, batches, loading.now)
    if section is not None:
        found += unfixed(section, loading.articles, loading.root)
    allow = {f"{loading.root}/{a.src}": a.allow for a in loading.articles if a.allow}
    return section, apply(found, dict(settings.check_levels), allow)


def _channels(site: Site) -> list:
    return [(site.xxgk.title, channel(site))] if site.xxgk is not None else []


def _plan(planning: Planning) -> XxgkPlan | None:
    """The section's pages, a top tab, its downloads; every page announces the section's feed."""
    site = planning.site
    if site.xxgk is None:
        return None
    section: Section = site.xxgk
    here = (section.title, INDEX_URL)

    def crumbs(url: str, title: str) -> list[tuple[str, str]]:  # 首页 > the section > the page
        return [HOME_CRUMB, (title, url)] if url == INDEX_URL else [HOME_CRUMB, here, (title, url)]

    links = [link for name, chan in _channels(site) for link in feeds.links(chan, name)]
    planned = plan_xxgk(site, planning.page_maker(crumbs, links), planning.articles, planning.library)
    planning.search_columns.append(section.title)
    planning.pages += planned.pages
    planning.nav.append((section.title, f"{INDEX_URL}index.md"))
    planning.files.update(planned.files)
    section.numbers, section.library = planned.index_numbers, planning.library  # for the section's feed
    return planned


def _dress(planning: Planning) -> None:
    """The metadata table (索引号 … 有效性) on each disclosed article's page."""
    planned = planning.planned.get("xxgk")
    if planned is None:
        return
    section: Section = planning.site.xxgk
    docs = by_number(planning.library)
    for article in planned.items:
        page = planning.article_pages.get(article.src)
        if page is not None:
            number = planned.index_numbers[article.slug]
            planning.article_pages[article.src] = with_meta(page, article, section, number, docs)


KIND = Kind(name="xxgk", load=_load, plan=_plan, dress=_dress, channels=_channels, items=xxgk_items)
