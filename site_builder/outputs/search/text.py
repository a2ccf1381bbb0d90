"""The text Pagefind indexes: every run of letters and digits as overlapping character pairs.

Pagefind's extended build segments Chinese into words at index time, and a query finds a page
only when it segments the same way, which it often does not (市税务局 is 市 + 税务局 in one
sentence and 市税 + 务局 in another; a query cannot know which). So the index holds no words
at all: each run of letters and digits becomes the overlapping pairs of its characters, one
index word each, at consecutive positions, and the run's last character on its own
(市司法局 -> 市司 司法 法局 局). Pagefind runs with a language of its own (no segmenter, no
stemmer), so it keeps these words as they are. ``search.js`` turns a query into the same
pairs and asks for them as an exact phrase ("市司 司法 法局"): Pagefind returns the pages where
they stand next to each other, which are exactly the pages containing the query.

Punctuation between runs stays in the text as its own word, so no phrase crosses it.
Brackets next to a digit are part of the run, shown but not indexed (滨政办发〔2006〕4号 ->
... 发2 〔20 00 06 64 〕4号 号): a 文号 is found in any bracket form. Letters and digits are
NFKC-normalised (full-width ２０２１ is 2021); Pagefind lower-cases them. ``search.js`` mirrors
every rule here (``pairs``) and turns the text back into words for excerpts (``readable``).

Where the page has a space, or a block ends, the word before gets SEP ("|") at its end. Pagefind
keeps it in the text and indexes the word without it (it drops ASCII punctuation from words, and
only that), at the same position, adding nothing to the page's word count that its ranking
weighs. ``readable`` shows a space there, so an excerpt reads "发布日期 2021年11月5日 10:40 来源
…", not "发布日期2021年…". A word of letters and digits never ends in "|" otherwise; a word of
punctuation does only with SEP, or if it is a "|" of the page's own, alone, shown as it is.

An element whose text is a search meta or filter (the title, a 文号) keeps that text as it is
for the meta, marked ``data-pagefind-ignore``, and is followed by its pairs to be indexed.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Brackets that join a run when they touch a digit: 〔2006〕, [2006], (2006), （2006）, 【2006】.
BRACKETS = "〔〕[]()（）［］【】"
_B = re.escape(BRACKETS)
# A run: letters and digits (``[^\W_]`` is str.isalnum), through brackets that touch a digit.
RUN = re.compile(rf"[^\W_]+(?:(?:(?<=\d)[{_B}]+|[{_B}]+(?=\d))[^\W_]+)*")
_BRACKET = re.compile(f"[{_B}]")
_TAG = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
# data-pagefind-meta="docno" (the value is the element's text), not "title:..." (given here)
_FROM_TEXT = re.compile(r'data-pagefind-(?:meta|filter)="[^":\[]*"')
SEP = "|"  # a space or a block's end in the page (see the module's docstring)
_SPACE = re.compile(r"\s+")


def pairs(text: str) -> str:
    """``text`` as Pagefind should index it (see the module's docstring)."""
    return " ".join(RUN.sub(_spaced, text).split())


def _spaced(match: re.Match) -> str:
    return " " + _run(match.group()) + " "


def _run(run: str) -> str:
    if not _BRACKET.search(run):
        run = _normal(run)
        return " ".join(map(str.__add__, run, run[1:])) + " " + run[-1] if run else ""
    # Rare (a 文号): each bracket is shown glued to the pair that follows it, and not indexed.
    chars, shown = [], []
    prefix = ""
    for c in run:
        if c in BRACKETS:
            prefix += c
            continue
        for n in _normal(c):
            chars.append(n)
            shown.append(prefix)
            prefix = ""
    words = [shown[i] + "".join(chars[i : i + 2]) for i in range(len(chars))]
    if prefix and words:
        words[-1] += prefix
    return " ".join(words)


def _normal(run: str) -> str:
    if run.isascii():
        return run
    normal = unicodedata.normalize("NFKC", run)
    return normal if normal == run else "".join(c for c in normal if c.isalnum())


# Inline elements are transparent: their text joins its neighbours' into one run (行政<b>复议</b>).
INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)


def document_text(body: str) -> str:
    """``body`` (HTML) with its text turned into pairs; blocks, meta, filters and ignores kept."""
    parts = _TAG.split(body)
    out: list[str] = []
    text: list[str] = []  # text of the current block, across inline elements

    def flush() -> None:
        if text:
            out.append(_text("".join(text)))
            text.clear()

    titled = False
    i = 0
    while i < len(parts):
        part = parts[i]
        if i % 2 == 0:
            text.append(part)
            i += 1
            continue
        name_match = _NAME.match(part)
        closing, name = (name_match.group(1), name_match.group(2).lower()) if name_match else ("", "")
        if "headerlink" in part and not closing:  # the ¶ after a heading (Pagefind's exclude_selectors)
            i = _closing(parts, i + 1, name) + 1
            continue
        from_text = bool(_FROM_TEXT.search(part))
        as_title = name == "h1" and not titled and not closing
        if (from_text or as_title) and not closing and not part.endswith("/>"):
            # Keep the element's own text for the meta (ignored by the index), its pairs after it.
            flush()
            titled = titled or as_title
            close = _closing(parts, i + 1, name)
            inner = "".join(parts[i + 1 : close])
            extra = ' data-pagefind-meta="title"' if as_title and "data-pagefind-meta" not in part else ""
            out.append(part[:-1].rstrip("/ ") + extra + " data-pagefind-ignore>" + inner + f"</{name}>")
            if as_title:
                out.append(f"<{name}>" + _text(_strip_tags(inner)) + f"</{name}>")
            else:
                text.append(_strip_tags(inner))
            i = close + 1
            continue
        if name in INLINE and "data-pagefind" not in part:
            i += 1
            continue
        flush()
        out.append(part)
        i += 1
    flush()
    return "".join(out)


def _closing(parts: list[str], start: int, name: str) -> int:
    """Index of the tag closing ``name`` opened just before ``start`` (same-name nesting counted)."""
    depth = 0
    for j in range(start, len(parts)):
        if j % 2 == 0:
            continue
        tag = parts[j]
        if re.match(rf"<\s*/\s*{name}\b", tag, re.I):
            if depth == 0:
                return j
            depth -= 1
        elif re.match(rf"<\s*{name}\b", tag, re.I) and not tag.endswith("/>"):
            depth += 1
    return len(parts) - 1


def _strip_tags(fragment: str) -> str:
    return "".join(p for k, p in enumerate(_TAG.split(fragment)) if k % 2 == 0)


def _text(text: str) -> str:
    """A block's text: its pairs, SEP where it had spaces and at its end."""
    if not text or text.isspace():
        return text
    pieces = [pairs(piece) for piece in _SPACE.split(html.unescape(text))]
    return html.escape(" ".join(piece + SEP for piece in pieces if piece) + " ", quote=False)
