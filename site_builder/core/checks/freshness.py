"""栏目 with nothing in them, or nothing new: inspections count both against a site."""

from __future__ import annotations

import datetime as dt
import re

from site_builder.core.model import PUBLISHED, Article, Settings
from site_builder.core.problems import Problem, problem


def _name_lines(settings_text: str) -> dict[str, int]:
    """Where each category's ``- name:`` is in site.yml, for the message."""
    lines = {}
    for number, line in enumerate(settings_text.split("\n"), start=1):
        match = re.match(r"^\s*-?\s*name:\s*(.+?)\s*(?:#.*)?$", line)
        if match:
            lines.setdefault(match[1].strip("'\""), number)
    return lines


def check(settings: Settings, articles: list[Article], now: dt.datetime, rel: str, settings_text: str) -> list[Problem]:
    newest: dict[str, dt.datetime] = {}
    for article in articles:
        if article.status(now) == PUBLISHED:
            name = article.category.name
            if name not in newest or article.date > newest[name]:
                newest[name] = article.date
    days = dict(settings.freshness)
    where = _name_lines(settings_text)
    found = []
    for category in settings.categories:
        line = where.get(category.name, 0)
        if category.name not in newest:
            found.append(problem("W730", rel, line, value=category.name))
            continue
        limit = days.get(category.kind, days.get("news", 14))
        if now - newest[category.name] > dt.timedelta(days=limit):
            date = f"{newest[category.name]:%Y-%m-%d}"
            found.append(problem("W731", rel, line, value=category.name, date=date, days=limit))
    return found
