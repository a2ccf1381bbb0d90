"""索引号 fixed in the article's own header, so no build can renumber a published item.

The build's record of generated numbers (``site/xxgk/index-numbers.json``, see
index_numbers.py) lives in the published site: an office that builds on a new
computer, or in CI whose cache was lost, has no such record, and a fresh build
numbers every unnumbered item again in date order, so one older article added
later would shift the numbers of the items after it. A number written in the
article (``index_no``) is committed with the content and never moves. Hence:

- ``site-builder new`` writes the next number of the year into a new disclosed
  article's header (:func:`next_number`), after every number already written
  and every number the live site gave;
- a disclosed item without a written number is a warning (W904) naming the
  number a fresh build would give, so staff write it down once;
- ``site-builder check --fix`` writes the numbers the live site shows into the
  files for them (site_builder/cli/index_fix.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from site_builder.core.frontmatter import parse
from site_builder.core.model import Article
from site_builder.core.problems import Problem, problem
from site_builder.core.xxgk import index_numbers
from site_builder.core.xxgk.load import Section, check_rule

DEFAULT_RULE = "{organization_code}/{year}-{seq:05d}"


def seq_pattern(rule: str, organization_code: str, year: int) -> re.Pattern:
    """The rule for one year as a regex whose group 1 is the sequence number."""
    marker = "\0SEQ\0"
    text = re.sub(r"\{seq[^}]*\}", marker, rule)
    text = text.replace("{organization_code}", organization_code).replace("{year}", str(year))
    return re.compile(re.escape(text).replace(re.escape(marker), r"(\d+)") + r"\Z")


def next_number(
    rule: str, organization_code: str, year: int, written: set[str], ledger: dict[str, tuple[int, int]]
) -> str:
    """The number after every one of ``year`` already written by hand or given by the live site."""
    pattern = seq_pattern(rule, organization_code, year)
    used = {seq for y, seq in ledger.values() if y == year}
    used |= {int(m[1]) for n in written if (m := pattern.match(n))}
    seq = max(used, default=0) + 1
    while (number := rule.format(organization_code=organization_code, year=year, seq=seq)) in written:
        seq += 1
    return number


def unfixed(section: Section, articles: list[Article], root: str) -> list[Problem]:
    """W904 for each disclosed article whose 索引号 is not written in its header."""
    names = set(section.categories)
    items = [a for a in articles if a.category.name in names]
    if all(a.index_no for a in items):
        return []
    written = {a.index_no for a in articles if a.index_no}
    fresh, _ = index_numbers.assign(items, section.index_rule, section.organization_code, {}, written)
    return [
        problem("W904", f"{root}/{a.src}", a.lines.get("category", 1), number=fresh[a.slug])
        for a in items
        if not a.index_no
    ]


def written_numbers(content: Path) -> set[str]:
    """Every 索引号 written in an article header under content/news/ (unreadable files are skipped)."""
    numbers = set()
    for path in sorted((content / "news").rglob("*.md")):
        try:
            front, _ = parse(path.read_text(encoding="utf-8-sig"), path.name)
        except (OSError, UnicodeDecodeError):
            continue
        if front is None:
            continue
        for name in ("index_no", "索引号"):
            value = front.fields.get(name)
            if value is not None and value.value not in (None, ""):
                numbers.add(str(value.value).strip())
    return numbers


def number_for_new(content: Path, category: str, year: int, site_dir: Path) -> str:
    """The 索引号 ``site-builder new`` writes, or "" when the 栏目 is not disclosed (or no section)."""
    try:
        data = yaml.safe_load((content / "site.yml").read_text(encoding="utf-8-sig")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    settings = data.get("xxgk") if isinstance(data, dict) else None
    if not isinstance(settings, dict):
        return ""
    chosen = settings.get("categories") or []
    if category not in (chosen if isinstance(chosen, list) else [chosen]):  # one 栏目 may be written alone
        return ""
    rule = str(settings.get("index_rule") or DEFAULT_RULE)
    code = str(settings.get("organization_code") or "")
    if not code or check_rule(rule):
        return ""  # `check` reports the settings (E920, E922)
    ledger = index_numbers.read_ledger(site_dir)
    return next_number(rule, code, year, written_numbers(content), ledger)
