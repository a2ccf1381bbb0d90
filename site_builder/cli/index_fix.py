"""`site-builder check --fix`, 政府信息公开 part: the 索引号 the site shows, written into the articles.

An office whose published items have no ``index_no`` (W904) runs this once on the
computer that keeps the published site/: each number is then in its article's
file, committed with it, and no build anywhere can change it (core/xxgk/fixed_numbers.py).
"""

from __future__ import annotations

from pathlib import Path

from site_builder.core.docno import read_for_fix, write_fixed
from site_builder.core.loader import load_site
from site_builder.core.xxgk import index_numbers
from site_builder.core.xxgk.load import Section


def write_numbers(content: Path, site_dir: Path, now) -> list[tuple[Path, int, str]]:
    """`site-builder check --fix`: write into each disclosed article without ``index_no`` the number
    the site shows for it (the live site's record in ``site_dir``, else a fresh build's numbering),
    and to unpublished ones the next free numbers. Returns (file, line, number) per article written;
    every other byte of each file stays as it was."""
    site, _found = load_site(content, now)
    if site is None or site.xxgk is None:
        return []
    section: Section = site.xxgk
    names = set(section.categories)
    published = {a.src for a in site.published()}
    shown = [a for a in site.articles if a.category.name in names and a.src in published]
    later = [a for a in site.articles if a.category.name in names and a.src not in published]
    written = {a.index_no for a in site.articles if a.index_no}
    rule, code = section.index_rule, section.organization_code
    numbers, ledger = index_numbers.assign(shown, rule, code, index_numbers.read_ledger(site_dir), written)
    more, _ = index_numbers.assign(later, rule, code, ledger, written | set(numbers.values()))
    numbers.update(more)
    result = []
    for article in shown + later:
        if article.index_no:
            continue
        path = content / article.src
        read = read_for_fix(path)
        if isinstance(read, str):
            continue
        text, bom = read
        lines = text.splitlines(keepends=True)
        end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip("\r\n").strip() in ("---", "...")), None)
        if not lines or lines[0].rstrip("\r\n").strip() != "---" or end is None:
            continue
        ending = lines[0][len(lines[0].rstrip("\r\n")) :] or "\n"
        lines.insert(end, f"index_no: {numbers[article.slug]}{ending}")
        write_fixed(path, "".join(lines), bom)
        result.append((path, end + 1, numbers[article.slug]))
    return result


def fix_index_numbers(content: Path, now) -> None:
    from site_builder.cli.cleanups import _shown

    for path, line, number in write_numbers(content, content.parent / "site", now):
        print(f"{_shown(path)}:{line}: 已写入索引号 {number}")
