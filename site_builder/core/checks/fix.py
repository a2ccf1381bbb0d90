"""`site-builder check --fix` for articles: 文号 in the ``doc_no`` header field and in
the body rewritten in place, changing nothing else (BOM, line ends, other fields).

Works line by line on the file's own text, so a 文号 is never joined across lines
and every untouched byte stays as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

from site_builder.core import docno
from site_builder.core.docno import Change

NEWS_DIR = "news"
_DOC_NO_LINE = re.compile(r"^(\s*(?:doc_no|文号|发文字号)[ \t]*:[ \t]*)(.*)$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


def fix_file(path: Path) -> tuple[list[Change], str | None]:
    read = docno.read_for_fix(path)
    if isinstance(read, str):
        return [], read
    body, bom = read
    lines = body.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").strip() != "---":
        return [], None
    changes: list[Change] = []
    in_header, fence = True, None
    for index, line in enumerate(lines):
        if index == 0:
            continue
        content = line.rstrip("\r\n")
        ending = line[len(content) :]
        if in_header:
            if content.rstrip() in ("---", "..."):
                in_header = False
                continue
            match = _DOC_NO_LINE.match(content)
            new = match[1] + docno.fix_text(match[2]) if match else content
            fixed = docno.count_fixes(match[2]) if match else 0
        else:
            opened = _FENCE.match(content)
            if fence is None and opened:
                fence = opened[1]
            elif fence is not None and content.strip().startswith(fence):
                fence = None
            code = fence is not None or opened
            new = content if code else docno.fix_text(content)
            fixed = 0 if code else docno.count_fixes(content)
        if new != content:
            changes.append(Change(path, index + 1, content.strip(), new.strip(), fixed))
            lines[index] = new + ending
    if changes:
        docno.write_fixed(path, "".join(lines), bom)
    return changes, None


def fix_articles(content: Path) -> tuple[list[Change], list[tuple[Path, str]]]:
    changes: list[Change] = []
    skipped: list[tuple[Path, str]] = []
    folder = content / NEWS_DIR
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        if path.is_symlink() or any(part.startswith((".", "_")) for part in path.relative_to(content).parts):
            continue
        found, reason = fix_file(path)
        changes += found
        if reason:
            skipped.append((path, reason))
    return changes, skipped
