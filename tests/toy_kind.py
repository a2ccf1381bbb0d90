"""A toy kind of content, 公告栏, living outside the package as a new kind's folder would (test_kinds.py).

content/bulletins/<slug>.yml holds ``title``, ``date`` and ``text``; each bulletin gets a page under
bulletins/, the section a top tab, and the feed feeds/bulletins/ one entry per bulletin.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import yaml

from site_builder.core.feeds import FEEDS_DIR, Channel, FeedItem, links
from site_builder.core.kinds import HOME_CRUMB, Kind, Loading, Planning
from site_builder.core.problems import problem

INDEX_URL = "bulletins/"
TITLE = "公告栏"


def _load(loading: Loading):
    folder = loading.content / "bulletins"
    bulletins, found = [], []
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not data.get("title"):
            found.append(
                problem(
                    "E301",
                    f"{loading.root}/bulletins/{path.name}",
                    1,
                    field="title",
                    label="标题",
                    example="title: 标题",
                )
            )
            continue
        date = data["date"]
        bulletins.append({"slug": path.stem, "title": data["title"], "date": date, "text": data["text"]})
    return (sorted(bulletins, key=lambda b: b["date"], reverse=True) or None), found


def _channels(site) -> list:
    if site.sections.get("toy") is None:
        return []
    s = site.settings
    channel = Channel(f"{FEEDS_DIR}bulletins/", f"{TITLE} - {s.name}", "公告", s.url + INDEX_URL, s)
    return [(TITLE, channel)]


def _plan(planning: Planning):
    bulletins = planning.site.sections.get("toy")
    if bulletins is None:
        return None
    announced = [link for name, channel in _channels(planning.site) for link in links(channel, name)]
    make_page = planning.page_maker(lambda url, title: [HOME_CRUMB, (title, url)], announced)
    rows = "".join(f'<li><a href="{escape(b["slug"])}/">{escape(b["title"])}</a></li>' for b in bulletins)
    planning.pages.append(make_page(INDEX_URL, TITLE, f"<h1>{TITLE}</h1><ul>{rows}</ul>", True))
    for b in bulletins:
        html = f"<h1>{escape(b['title'])}</h1><p>{escape(b['text'])}</p>"
        planning.pages.append(make_page(f"{INDEX_URL}{b['slug']}/", b["title"], html, False, b["date"]))
    planning.nav.append((TITLE, f"{INDEX_URL}index.md"))
    return bulletins


def _items(making, channel: Channel) -> list[FeedItem]:
    settings = making.site.settings
    result = []
    for b in making.site.sections["toy"]:
        url = f"{settings.url}{INDEX_URL}{b['slug']}/"
        when = dt.datetime.combine(b["date"], dt.time(), dt.timezone(dt.timedelta(hours=8)))
        result.append(FeedItem(url, url, b["title"], when, when, b["text"], f"<p>{escape(b['text'])}</p>", TITLE))
    return result


KIND = Kind(name="toy", load=_load, plan=_plan, channels=_channels, items=_items)
