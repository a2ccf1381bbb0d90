"""Read the text files staff save on Windows: BOM, CRLF and GBK are facts of life."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from site_builder.core.problems import Problem, problem

BOM = "\ufeff"
LOOP = "这是一个循环的快捷方式（符号链接最终指向它自己）"
_REASONS = {
    errno.ENOENT: "文件不存在（可能是失效的快捷方式或链接）",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ELOOP: LOOP,
    errno.ENAMETOOLONG: "文件名或路径太长",
}
MAX_MARKDOWN_BYTES = 1024 * 1024  # a long 通知 is ~30 KB; 1 MB of Markdown is a paste accident
MAX_DATA_BYTES = 32 * 1024 * 1024  # site.yml, word lists, a 5,000-record cleanup batch (~2 MB)

# Characters no text field or body may hold: C0 controls other than tab/LF/CR, DEL, C1
# controls, lone surrogates and the non-characters U+FFFE/U+FFFF. They come from pastes
# out of Word (U+000B is Word's Shift+Enter line break) or terminals, are invisible in
# editors, and XML (feeds, sitemap, .xlsx) cannot hold most of them at all.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_KINDS = (
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISDIR, "文件夹"),
)


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


def size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return next((label for test, label in _KINDS if test(mode)), "特殊文件")


def too_large(size: int, limit: int, rel: str) -> Problem:
    if rel.endswith(".md"):
        return problem("E723", rel, 0, size=size_label(size), limit=size_label(limit))
    return problem("E107", rel, 0, size=size_label(size), limit=size_label(limit))


def control_problem(text: str, rel: str, first_line: int = 1) -> Problem | None:
    """The first control character in ``text`` (file line ``first_line`` onwards), or None."""
    match = CONTROL.search(text)
    if match is None:
        return None
    start = text.rfind("\n", 0, match.start()) + 1
    line = first_line + text.count("\n", 0, match.start())
    count = len(CONTROL.findall(text))
    return problem(
        "E105",
        rel,
        line,
        char=f"U+{ord(match.group()):04X}",
        column=match.start() - start + 1,
        count=count,
    )


def read_bytes(path: Path, rel: str, limit: int) -> bytes | Problem:
    """The file's bytes, looked at before they are read: a FIFO or a device would block or
    never end, a symlink loop or a huge (even sparse) file is refused without reading it."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then tells what was opened.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:  # a broken shortcut, a loop, a file locked or without permission
        return problem("E104", rel, 0, reason=_REASONS.get(exc.errno, exc.strerror or type(exc).__name__))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        kind = kind_of(info.st_mode)
        if kind is not None:
            return problem("E106", rel, 0, kind=kind)
        if info.st_size > limit:
            return too_large(info.st_size, limit, rel)
        raw = handle.read(limit + 1)
    if len(raw) > limit:  # grew after fstat
        return too_large(len(raw), limit, rel)
    return raw


def read_text(path: Path, rel: str, limit: int | None = None) -> TextFile | Problem:
    if limit is None:
        limit = MAX_MARKDOWN_BYTES if path.suffix.lower() == ".md" else MAX_DATA_BYTES
    raw = read_bytes(path, rel, limit)
    if isinstance(raw, Problem):
        return raw
    found = decode(raw, rel)
    if isinstance(found, Problem):
        return found
    control = control_problem(found, rel)
    if control is not None:
        return control
    return TextFile(path=path, rel=rel, text=found)
