"""Read the text files staff save on Windows: BOM, CRLF and GBK are facts of life."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from site_builder.problems import Problem, problem

BOM = "\ufeff"
_REASONS = {
    errno.ENOENT: "文件不存在（可能是失效的快捷方式或链接）",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
}


@dataclass(frozen=True)
class TextFile:
    path: Path
    rel: str  # path shown to authors, relative to the project
    text: str  # BOM removed, line endings normalised to "\n"


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without its BOM: Latin text puts a zero byte in every other position."""
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    return max(even, odd) * 4 > len(raw) > 0 and min(even, odd) * 8 < max(even, odd)


def decode(raw: bytes, rel: str) -> str | Problem:
    """Return the text, or the problem that says how to re-save the file."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        return problem("E103", rel, 1)  # Notepad's "Unicode"
    if b"\x00" in raw:  # no text file has zero bytes: a Word document or an image renamed to .md
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return problem("E102", rel, line, lineno=line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")  # a superset of GBK (it also accepts Big5 bytes, so no Big5 guess)
        except UnicodeDecodeError:
            return problem("E102", rel, line, lineno=line)
        return problem("E101", rel, line, encoding="GBK/GB18030")
    if text.startswith(BOM):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, rel: str) -> TextFile | Problem:
    try:
        raw = path.read_bytes()
    except OSError as exc:  # a broken shortcut, a file locked or without permission
        return problem("E104", rel, 0, reason=_REASONS.get(exc.errno, exc.strerror or type(exc).__name__))
    found = decode(raw, rel)
    if isinstance(found, Problem):
        return found
    return TextFile(path=path, rel=rel, text=found)
