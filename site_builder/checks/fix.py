"""`site-builder check --fix` for articles: 文号 in the ``doc_no`` header field and in
the body rewritten in place, changing nothing else (BOM, line ends, other fields).

Works line by line on the file's own text, so a 文号 is never joined across lines
and every untouched byte stays as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from site_builder import docno
from site_builder.textfile import BOM

NEWS_DIR = "news"
_DOC_NO_LINE = re.compile(r"^(\s*(?:doc_no|文号|发文字号)[ \t]*:[ \t]*)(.*)$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Change:
    path: Path
    line: int
    old: str
    new: str


def _fix_line(line: str) -> str:
    return docno.fix_text(line)


def fix_file(path: Path) -> tuple[list[Change], str | None]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [], "文件不是 UTF-8 编码，请先另存为 UTF-8"
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
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
            new = match[1] + _fix_line(match[2]) if match else content
        else:
            opened = _FENCE.match(content)
            if fence is None and opened:
                fence = opened[1]
            elif fence is not None and content.strip().startswith(fence):
                fence = None
            new = content if fence is not None or opened else _fix_line(content)
        if new != content:
            changes.append(Change(path, index + 1, content.strip(), new.strip()))
            lines[index] = new + ending
    if changes:
        path.write_bytes(((BOM if bom else "") + "".join(lines)).encode("utf-8"))
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
