"""索引号 of disclosed items: by the site's rule, in publication order within a year, stable once published.

A published number never changes: the numbers a build gave are kept in
``site/xxgk/index-numbers.json`` and the next build reads them back, so an item
added later (even one dated earlier) takes the next free number of its year
instead of renumbering the items already published. A number written by hand
(``index_no`` in the article) always wins and is never given to another item.
"""

from __future__ import annotations

import json
from pathlib import Path

from site_builder.core.model import Article

LEDGER = "xxgk/index-numbers.json"


def read_ledger(site_dir: Path) -> dict[str, tuple[int, int]]:
    """slug -> (year, seq) from the previous build; empty when there is none or it is unreadable."""
    try:
        data = json.loads((site_dir / LEDGER).read_text(encoding="utf-8"))
        return {str(slug): (int(year), int(seq)) for slug, (year, seq) in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def ledger_bytes(numbers: dict[str, tuple[int, int]]) -> bytes:
    data = {slug: list(numbers[slug]) for slug in sorted(numbers)}
    return (json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n").encode("utf-8")


def assign(
    articles: list[Article],
    rule: str,
    organization_code: str,
    ledger: dict[str, tuple[int, int]],
    written: set[str] = frozenset(),
) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """slug -> 索引号 for every article, and the (year, seq) of the generated ones (the next ledger).

    ``written``: 索引号 written by hand anywhere on the site, never given to another item.
    """
    result: dict[str, str] = {}
    taken = {a.index_no for a in articles if a.index_no} | set(written)
    numbers: dict[str, tuple[int, int]] = {}
    used: dict[int, set[int]] = {}
    for year, seq in ledger.values():  # a number once given is never given again, even if its item went
        used.setdefault(year, set()).add(seq)
    pending = []
    for article in sorted(articles, key=lambda a: (a.date, a.slug)):  # publication order
        if article.index_no:
            result[article.slug] = article.index_no
        elif article.slug in ledger and ledger[article.slug][0] == article.date.year:
            numbers[article.slug] = ledger[article.slug]
        else:
            pending.append(article)
    for article in pending:
        year = article.date.year
        seq = max(used.get(year, {0}) | {0}) + 1
        while rule.format(organization_code=organization_code, year=year, seq=seq) in taken:
            seq += 1
        used.setdefault(year, set()).add(seq)
        numbers[article.slug] = (year, seq)
    for slug, (year, seq) in numbers.items():
        result[slug] = rule.format(organization_code=organization_code, year=year, seq=seq)
    return result, {**ledger, **numbers}
