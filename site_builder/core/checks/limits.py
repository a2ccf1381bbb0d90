"""Input that must be refused before anything renders it: huge files, pathological
Markdown, and files that are links to outside content/.

Python-Markdown slows down sharply on some shapes (thousands of "[" on one line take
seconds, deep ">" or list nesting grows quadratically), so a cheap line scan finds
them first; no timeouts are involved, and the result is the same on every machine.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from site_builder.core.problems import Problem, problem
from site_builder.core.textfile import LOOP, kind_of

MAX_PATH_CHARS = 160  # inside content/; with site/ and the server's root it must stay under 260 (Windows)
MAX_LINE_CHARS = 100_000
MAX_NESTING = 20  # ">" quote levels or list levels; real articles use 2 or 3
MAX_BRACKETS = 200  # "[" on one line
MAX_BACKTICKS = 200  # "`" on one line: unmatched code spans are searched for pairwise

MAX_HTML_NESTING = 50  # md_in_html fails at a few hundred levels
MAX_EMPHASIS_RUN = 200  # "*" * 5000 nests emphasis until Python's recursion limit

_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)\b[^<>]*?(/?)>")
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
_EMPHASIS_RUN = re.compile(rf"[*_]{{{MAX_EMPHASIS_RUN + 1},}}")
_NESTING = re.compile(r"^(?:[ \t]*>)+")
_LIST = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]")


def pathological(rel: str, body: str, body_line: int) -> list[Problem]:
    """At most one problem per file: the first shape that would make rendering (or the
    other checks) blow up. Runs on the raw body, before anything else looks at it."""
    unclosed = 0  # "[" not yet closed in this paragraph: Python-Markdown rescans for each (quadratic)
    html_depth = 0  # open HTML elements: md_in_html recurses once per level
    for offset, line in enumerate(body.split("\n")):
        detail = None
        unclosed = max(0, unclosed + line.count("[") - line.count("]")) if line.strip() else 0
        for closing, name, selfclosing in _TAG.findall(line):
            if name.lower() not in _VOID and not selfclosing:
                html_depth = max(0, html_depth + (-1 if closing else 1))
        run = max((len(m) for m in _EMPHASIS_RUN.findall(line)), default=0)
        if len(line) > MAX_LINE_CHARS:
            detail = f"这一行有 {len(line)} 个字符（上限 {MAX_LINE_CHARS}），请分成多个段落"
        elif line.count("[") > MAX_BRACKETS:
            detail = f"这一行有 {line.count('[')} 个方括号“[”（上限 {MAX_BRACKETS}）"
        elif unclosed > MAX_BRACKETS:
            detail = f"这一段到这一行已有 {unclosed} 个没有配对的方括号“[”（上限 {MAX_BRACKETS}）"
        elif html_depth > MAX_HTML_NESTING:
            detail = f"HTML 标签嵌套了 {html_depth} 层（上限 {MAX_HTML_NESTING} 层）"
        elif run > MAX_EMPHASIS_RUN:
            detail = f"这一行连续写了 {run} 个“*”或“_”（上限 {MAX_EMPHASIS_RUN}）"
        elif line.count("`") > MAX_BACKTICKS:
            detail = f"这一行有 {line.count('`')} 个反引号“`”（上限 {MAX_BACKTICKS}）"
        else:
            quote = _NESTING.match(line)
            depth = quote[0].count(">") if quote else 0
            listed = _LIST.match(line)
            if listed:
                depth = max(depth, len(listed[1].expandtabs(4)) // 2)
            if depth > MAX_NESTING:
                detail = f"引用“>”或列表嵌套了 {depth} 层（上限 {MAX_NESTING} 层）"
        if detail:
            return [problem("E724", rel, body_line + offset, detail=detail)]
    return []


def escaping_links(content: Path, root: str) -> list[Problem]:
    """Files or folders under content/ that are symbolic links leading outside it or in a
    loop, and anything that is not a regular file or folder (a FIFO would hang the build)."""
    base = content.resolve()
    found = []
    folders = [str(base)]
    while folders:  # scandir: a link is known from the directory entry, without a call per file
        folder = folders.pop()
        prefix = Path(folder).relative_to(base).as_posix() + "/"  # once per folder, not per file
        prefix = "" if prefix == "./" else prefix
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                src = prefix + entry.name
                if len(src) > MAX_PATH_CHARS and not entry.name.startswith("."):
                    found.append(problem("E315", f"{root}/{src}", 0, length=len(src), limit=MAX_PATH_CHARS, value=src))
                    continue
                if entry.is_symlink():
                    try:
                        os.stat(entry.path)
                        target = Path(entry.path).resolve()
                    except (OSError, RuntimeError) as exc:  # "Symlink loop" is a RuntimeError before 3.13
                        if isinstance(exc, OSError) and exc.errno != errno.ELOOP:
                            target = Path(entry.path).resolve()  # broken: E725 if it pointed outside
                        else:
                            found.append(problem("E104", f"{root}/{src}", 0, reason=LOOP))
                            continue
                    if not target.is_relative_to(base):
                        found.append(problem("E725", f"{root}/{src}", 0, value=src))
                elif entry.is_dir():
                    folders.append(entry.path)
                elif not entry.is_file():
                    kind = kind_of(entry.stat(follow_symlinks=False).st_mode)
                    found.append(problem("E106", f"{root}/{src}", 0, kind=kind or "特殊文件"))
    return sorted(found, key=lambda p: p.path)
