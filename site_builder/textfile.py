"""Read the text files staff save on Windows: BOM, CRLF and GBK are facts of life."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_builder.problems import Problem, problem

BOM = "\ufeff"


@dataclass(frozen=True)
class TextFile:
    path: Path
    rel: str  # path shown to authors, relative to the project
    text: str  # BOM removed, line endings normalised to "\n"


def decode(raw: bytes, rel: str) -> str | Problem:
    """Return the text, or the problem that says how to re-save the file."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        for encoding, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
            try:
                raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            return problem("E101", rel, line, encoding=label)
        return problem("E102", rel, line, line=line)
    if text.startswith(BOM):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, rel: str) -> TextFile | Problem:
    found = decode(path.read_bytes(), rel)
    if isinstance(found, Problem):
        return found
    return TextFile(path=path, rel=rel, text=found)
