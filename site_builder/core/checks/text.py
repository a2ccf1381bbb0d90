"""One view of a Markdown body that every check shares: code masked, lines findable.

Code blocks and inline code show text literally (a `<script>` there is only text),
so they are blanked out once, keeping every newline, and all checks then run their
precompiled patterns over the same string: one pass per pattern, linear in size.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from site_builder.core.model import Article

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}\1[ \t]*$|\Z)", re.M | re.S)
_INLINE = re.compile(r"(?<!`)(`+)(?!`)[^\n]*?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match[0])


def mask(text: str) -> str:
    """``text`` with code and HTML comments replaced by spaces, same length and lines."""
    text = _FENCE.sub(_blank, text)
    text = _COMMENT.sub(_blank, text)
    return _INLINE.sub(_blank, text)


@dataclass
class Document:
    """A Markdown file to check: an article, or a plain page (then ``article`` is None)."""

    src: str  # relative to content/
    rel: str  # as shown to authors
    body: str
    body_line: int
    article: Article | None = None
    masked: str = ""
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.masked = mask(self.body)
        self._starts = [0] + [m.end() for m in re.finditer("\n", self.body)]

    def line(self, offset: int) -> int:
        """The file line number of a character offset in the body."""
        return self.body_line + bisect.bisect_right(self._starts, offset) - 1

    def lines(self) -> list[str]:
        return self.masked.split("\n")
