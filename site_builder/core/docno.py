"""文号 (发文字号) per GB/T 9704-2012 §7.2.5: 机关代字〔YYYY〕N号.

Standalone on purpose: cleanup data uses it now, article headers and bodies will
use the same rules later. Finding, checking, canonicalising and fixing live
here, so a 文号 that one part of the site accepts every other part matches too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from site_builder.core.textfile import BOM, MAX_DATA_BYTES, read_bytes

NO_NUMBER = "无文号"
OPEN, CLOSE = "〔", "〕"  # U+3014 / U+3015, the only brackets GB/T 9704 allows

# Look-alikes staff type instead (C-11): full-width square, ASCII square, lenticular,
# full-width and ASCII round, small tortoise shell, white lenticular.
LOOKALIKE_OPEN = "［[【（(﹝〖"
LOOKALIKE_CLOSE = "］]】）)﹞〗"

CANONICAL = re.compile(r"^(?P<dz>[\u4e00-\u9fff]{1,12})〔(?P<y>(?:19|20)\d{2})〕(?P<n>[1-9]\d*)号$")
# Anything that is recognisably a 文号, however it is typed. 代字 is greedy, so in
# running text it may include words before it; see :func:`find`.
MAX_AGENCY = 12  # characters of a 机关代字
_TAIL = (
    rf"(?P<open>[{OPEN}{re.escape(LOOKALIKE_OPEN)}])\s*(?P<y>\d{{2}}|\d{{4}})\s*"
    rf"(?P<close>[{CLOSE}{re.escape(LOOKALIKE_CLOSE)}])\s*(?P<di>第)?\s*(?P<n>\d+)\s*号"
)
LOOSE = re.compile(rf"(?P<dz>[\u4e00-\u9fff]{{1,{MAX_AGENCY}}}?)\s*" + _TAIL)
# LOOSE without its 代字: the bracket, year, number and 号 (see loose_matches).
TAIL = re.compile(_TAIL)

# What can be wrong, each with its problem code (worded in site_builder.core.codes).
BRACKETS, SHORT_YEAR, LEADING_ZERO, DI = "E512", "E513", "E514", "E515"


@dataclass(frozen=True)
class DocNo:
    agency: str  # 机关代字, e.g. 滨政办发
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.agency}{OPEN}{self.year}{CLOSE}{self.number}号"


def full_year(digits: str) -> int:
    """〔16〕 means 2016 and 〔98〕 1998: 00–49 are this century, 50–99 the last."""
    if len(digits) == 4:
        return int(digits)
    short = int(digits)
    return 2000 + short if short < 50 else 1900 + short


def _issues(match: re.Match[str]) -> list[str]:
    found = []
    if match["open"] != OPEN or match["close"] != CLOSE:
        found.append(BRACKETS)
    if len(match["y"]) == 2:
        found.append(SHORT_YEAR)
    if match["n"].startswith("0"):
        found.append(LEADING_ZERO)
    if match["di"]:
        found.append(DI)
    return found


@dataclass(frozen=True)
class Checked:
    """A 文号 as typed: its canonical form (if one can be made) and what was wrong."""

    typed: str
    canonical: DocNo | None
    issues: tuple[str, ...] = ()

    @property
    def is_canonical(self) -> bool:
        return self.canonical is not None and not self.issues


def check(text: str) -> Checked:
    """Check one 文号 field value (not running text); 无文号 is valid and has no DocNo."""
    typed = text.strip()
    match = CANONICAL.match(typed)
    if match:
        return Checked(typed, DocNo(match["dz"], int(match["y"]), int(match["n"])))
    whole = LOOSE.fullmatch(typed)
    if whole is None or int(whole["n"]) == 0:
        return Checked(typed, None)
    year = full_year(whole["y"])
    if not 1900 <= year <= 2099:
        return Checked(typed, None)
    return Checked(typed, DocNo(whole["dz"], year, int(whole["n"])), tuple(_issues(whole)))


@functools.lru_cache(maxsize=1 << 16)
def canonical(text: str) -> str | None:
    """The canonical spelling of a 文号 field value, or None if it is not a 文号. Kept per value:
    the preview asks again for every article's 文号 on each edit (a pure function of the text)."""
    found = check(text)
    return str(found.canonical) if found.canonical else None


def _fixed_tail(match: re.Match[str]) -> str:
    """The match rewritten canonically from the bracket on; the 代字 is never touched."""
    return f"{OPEN}{full_year(match['y']):04d}{CLOSE}{int(match['n'])}号"  # 04: 〔0010〕 stays one form


def fix_text(text: str) -> str:
    """Rewrite every 文号 in ``text`` to the canonical form, changing nothing else.

    Only the bracket-year-number-号 part of a match is rewritten, so the words
    before a 文号 in running text stay exactly as they were.
    """

    def repl(match: re.Match[str]) -> str:
        if int(match["n"]) == 0 or not _issues(match):
            return match[0]
        return match["dz"] + _fixed_tail(match)

    parts, last = [], 0
    for match in loose_matches(text):
        parts += [text[last : match.start()], repl(match)]
        last = match.end()
    return "".join(parts) + text[last:]


def count_fixes(text: str) -> int:
    """How many 文号 in ``text`` fix_text rewrites."""
    return sum(1 for m in loose_matches(text) if int(m["n"]) != 0 and _issues(m))


def loose_matches(text: str) -> Iterator[re.Match[str]]:
    """``LOOSE.finditer(text)``, the same matches, found from where each can end.

    LOOSE alone tries its lazy 代字 at every Han character of the text: reading the 文号 of
    2,000 articles took 0.35 s, and a build reads each body three times (its checks, the library
    entries it could cite, its links to them). Here TAIL finds each bracketed year with its number
    and 号, and LOOSE runs once, from the first character its 代字 can start at: up to MAX_AGENCY
    Han characters before the bracket and the spaces in front of it, not before the end of the
    previous match (as finditer goes on from there). No other match can start before that: a 代字
    is Han characters only, so it reaches one bracket."""
    end = 0
    for tail in TAIL.finditer(text):
        at = tail.start()
        while at > end and text[at - 1].isspace():  # LOOSE's \s: str.isspace, in re as in str
            at -= 1
        start = at
        while start > end and at - start < MAX_AGENCY and "\u4e00" <= text[start - 1] <= "\u9fff":
            start -= 1
        if start < at and (match := LOOSE.match(text, start)) is not None:
            end = match.end()
            yield match


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    number: str  # canonical


def _readings(match: re.Match[str]) -> tuple[str, ...]:
    """The canonical 文号 a loose match may be, longest first: its 代字 may have swallowed words
    before it ("印发滨政办发〔2020〕3号"), so each shorter suffix of the 代字 is a reading too."""
    tail, agency = _fixed_tail(match), match["dz"]
    return tuple(agency[cut:] + tail for cut in range(len(agency)))


def _matches(text: str) -> Iterator[re.Match[str]]:
    return (match for match in loose_matches(text) if int(match["n"]) != 0)


def find(text: str, known: set[str] | dict[str, object]) -> Iterator[Found]:
    """Every 文号 in running text that is in ``known`` (canonical strings); the longest reading
    that is known wins."""
    for match in _matches(text):
        for cut, candidate in enumerate(_readings(match)):
            if candidate in known:
                yield Found(match.start() + cut, match.end(), candidate)
                break


def candidates(text: str) -> list[tuple[str, ...]]:
    """The readings of each 文号 in ``text``: whatever ``known`` is, ``find(text, known)`` finds the
    first reading of each that is in it (``cited``), so a body is read once for every library."""
    return [_readings(match) for match in _matches(text)]


def cited(candidates: list[tuple[str, ...]], known: set[str] | dict[str, object]) -> set[str]:
    """The 文号 of ``known`` that ``find`` finds in the text these ``candidates`` came from."""
    found = set()
    for readings in candidates:
        for reading in readings:
            if reading in known:
                found.add(reading)
                break
    return found


# --- rewriting files in place (check --fix, for articles and for cleanup data) ----------


@dataclass(frozen=True)
class Change:
    """One 文号 rewritten by ``check --fix``: where, and from what to what."""

    path: Path
    line: int
    old: str
    new: str
    count: int = 1  # 文号 rewritten in ``old`` (a line of running text may hold several)


def read_for_fix(path: Path) -> tuple[str, bool] | str:
    """The file's text without its BOM and whether it had one, or why it must be left alone."""
    raw = read_bytes(path, path.as_posix(), MAX_DATA_BYTES)  # no FIFO, device or huge file is read
    if not isinstance(raw, bytes):
        return raw.message.removesuffix("。")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "文件不是 UTF-8 编码，请先另存为 UTF-8"
    return (text[1:], True) if text.startswith(BOM) else (text, False)


def write_fixed(path: Path, text: str, bom: bool) -> None:
    """Write back with the BOM it had; every byte outside the rewritten 文号 is unchanged."""
    path.write_bytes(((BOM if bom else "") + text).encode("utf-8"))
