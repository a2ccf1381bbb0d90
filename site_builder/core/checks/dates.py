"""Dates that cannot be right: 2021-2021, a 落款 after publication, a title's stale year."""

from __future__ import annotations

import collections
import datetime as dt
import re

from site_builder.core.checks.text import Document
from site_builder.core.problems import Problem, problem

YEAR_RANGE = re.compile(r"(?<![\d.:/-])((?:19|20)\d{2})\s*(?:年\s*)?[-—–~～至到]\s*((?:19|20)\d{2})(?![\d.:/-])")
SIGNED = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")  # a 落款 line
TITLE_YEAR = re.compile(r"((?:19|20)\d{2})(?=\s*(?:年|[-—–~～至到]\s*(?:19|20)\d{2}))")
BODY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def year_ranges(doc: Document) -> list[Problem]:
    found = []
    texts = [(doc.masked, None)]
    if doc.article is not None:
        texts.append((doc.article.title, doc.article.lines.get("title", 1)))
    for text, line in texts:
        for match in YEAR_RANGE.finditer(text):
            start, end = int(match[1]), int(match[2])
            if start >= end:
                what = "相同" if start == end else "颠倒了（结束早于开始）"
                where = line if line is not None else doc.line(match.start())
                found.append(problem("E702", doc.rel, where, value=match[0], what=what))
    return found


def signed_after_published(doc: Document) -> list[Problem]:
    """The 成文日期 is the date line that closes a document, among its last lines."""
    article = doc.article
    if article is None:
        return []
    lines = doc.masked.split("\n")
    tail = [i for i in range(len(lines)) if lines[i].strip()][-4:]
    for index in reversed(tail):
        match = SIGNED.match(lines[index])
        if not match:
            continue
        try:
            signed = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return []
        if signed > article.date.date():
            return [
                problem(
                    "E703", doc.rel, doc.body_line + index, value=f"{signed:%Y-%m-%d}", date=f"{article.date:%Y-%m-%d}"
                )
            ]
        return []
    return []


def title_year(doc: Document) -> list[Problem]:
    """A year in the title should be the year of publication. A review of last year
    published in the first half of the year, or next year's plan published in its
    last quarter, are normal, as long as the body also speaks of that year: a title
    whose year the body never mentions was copied and not updated."""
    article = doc.article
    if article is None:
        return []
    years = {int(y) for y in TITLE_YEAR.findall(article.title)}
    if not years:
        return []
    published = article.date.year
    if published in years:
        return []
    mentioned = collections.Counter(int(y) for y in BODY_YEAR.findall(doc.masked))
    for year in years:
        spoken = year in mentioned or not mentioned
        if spoken and (
            (year == published - 1 and article.date.month <= 6) or (year == published + 1 and article.date.month >= 10)
        ):
            return []
    shown = "、".join(str(y) for y in sorted(years))
    return [problem("W704", doc.rel, article.lines.get("title", 1), value=shown, date=f"{article.date:%Y-%m-%d}")]


def check(doc: Document) -> list[Problem]:
    return year_ranges(doc) + signed_after_published(doc) + title_year(doc)
