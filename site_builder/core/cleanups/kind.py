"""规范性文件清理结果 as a kind of content (core/kinds.py): content/cleanups/*.yml, its pages and its feed."""

from __future__ import annotations

from site_builder.core import feeds
from site_builder.core.cleanups.feed import CLEANUPS_NAME, cleanup_channel, cleanup_items
from site_builder.core.cleanups.fragments import LIBRARY_COLUMN
from site_builder.core.cleanups.library import LIBRARY_URL
from site_builder.core.cleanups.load import load_batches
from site_builder.core.cleanups.pages import INDEX_URL, CleanupPlan, plan_cleanups
from site_builder.core.kinds import HOME_CRUMB, Kind, Loading, Planning
from site_builder.core.model import Site

CLEANUPS_CRUMB = ("规范性文件清理", INDEX_URL)  # the tab's name


def _load(loading: Loading):
    return load_batches(loading.content, loading.root, loading.slugs)


def _crumbs(url: str, title: str) -> list[tuple[str, str]]:
    if url == CLEANUPS_CRUMB[1]:
        return [HOME_CRUMB, CLEANUPS_CRUMB]
    if url.startswith(LIBRARY_URL) and url != LIBRARY_URL:
        return [HOME_CRUMB, CLEANUPS_CRUMB, ("规范性文件库", LIBRARY_URL), ("正文", url)]
    return [HOME_CRUMB, CLEANUPS_CRUMB, (title, url)]


def _channels(site: Site) -> list:
    """The cleanup feed exists when there is a batch; every cleanup page announces it."""
    return [(CLEANUPS_NAME, cleanup_channel(site.settings))] if site.cleanups else []


def _plan(planning: Planning) -> CleanupPlan:
    """Index, batches, the library and one page per document; the tab is there even before the first batch."""
    site = planning.site
    links = [link for name, channel in _channels(site) for link in feeds.links(channel, name)]
    planned = plan_cleanups(site, planning.page_maker(_crumbs, links), {a.slug: a.url for a in planning.articles})
    planning.library = planned.library
    if planned.library:  # library documents are searchable too, narrowed by their own 栏目
        planning.search_columns.append(LIBRARY_COLUMN)
    planning.pages += planned.pages
    planning.nav.append((CLEANUPS_CRUMB[0], f"{INDEX_URL}index.md"))
    planning.files.update(planned.files)
    return planned


KIND = Kind(name="cleanups", load=_load, plan=_plan, channels=_channels, items=cleanup_items)
