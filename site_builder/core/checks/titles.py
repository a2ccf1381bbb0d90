"""Titles: duplicates across the site, over-long ones, mixed full/half-width punctuation."""

from __future__ import annotations

import re

from site_builder.core.model import Article
from site_builder.core.problems import Problem, problem

MAX_TITLE = 50  # characters; long 文件 titles stay under this
HALF = re.compile(r"[,;:!?()\"]")
FULL = re.compile(r"[，；：！？（）“”、。《》]")
HAN = re.compile(r"[\u4e00-\u9fff]")
HALF_BY_HAN = re.compile(r"[\u4e00-\u9fff][,;:!?()]|[,;:!?()][\u4e00-\u9fff]")


def check_one(article: Article, rel: str) -> list[Problem]:
    found = []
    line = article.lines.get("title", 1)
    title = article.title
    if len(title) > MAX_TITLE:
        found.append(problem("W741", rel, line, length=len(title), limit=MAX_TITLE))
    if HAN.search(title) and HALF.search(title) and (FULL.search(title) or HALF_BY_HAN.search(title)):
        found.append(problem("W742", rel, line, value=title))
    return found


def duplicates(articles: list[Article], shown: dict[str, str]) -> list[Problem]:
    """Each repeated title is reported on every copy after the first (by file path)."""
    first: dict[str, Article] = {}
    found = []
    for article in sorted((a for a in articles if not a.draft), key=lambda a: a.src):
        key = "".join(article.title.split())  # every whitespace removed (str.isspace: what \s matches)
        if key in first:
            other = first[key]
            where = f"{shown[other.src]}:{other.lines.get('title', 1)}"
            found.append(
                problem("W740", shown[article.src], article.lines.get("title", 1), other=where, value=article.title)
            )
        else:
            first[key] = article
    return found
