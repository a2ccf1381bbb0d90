"""MkDocs' log in Chinese: each English record becomes a coded Chinese message (the original kept
as detail), a Chinese progress line, or nothing (chatter); and where the commands print it.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from site_builder.core.problems import coded

_STAMP = re.compile(r"^\[\d\d:\d\d:\d\d\] ")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

_DOC_LINK = re.compile(
    r"^Doc file '(?P<file>.*?)' contains (?:a link '(?P<link>.*?)', but |"
    r"an? (?P<kind>unrecognized relative|absolute) link '(?P<link2>.*?)'(?:, |\.)|"
    r"a link to '(?P<link3>.*?)' which is excluded)",
    re.S,
)
_PAGE = re.compile(r"^Error (?:reading|building) page '(?P<file>.*?)':\s*(?P<detail>.*)", re.S)

# Progress lines of the preview, worded for staff; MkDocs' other information is chatter.
_PROGRESS = [
    (re.compile(r"^Documentation built in ([\d.]+) seconds"), "已生成，用时 {0} 秒。"),
    (re.compile(r"^Detected file changes"), "发现文件有改动，正在重新生成……"),
    (re.compile(r"^Reloading browsers"), "已刷新浏览器中的页面。"),
    (re.compile(r"^Shutting down"), "正在结束预览……"),
]


def _line_of(source: Path, link: str) -> int:
    """The first line of the Markdown file that holds the link as written (or %-decoded)."""
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 0
    for wanted in dict.fromkeys(w for w in (link, unquote(link), link.split("#")[0], unquote(link.split("#")[0])) if w):
        for number, line in enumerate(lines, 1):
            if wanted in line:
                return number
    return 0


def _located(docs_dir: Path, src_uri: str, written: str, code: str, **values: object) -> str:
    source = docs_dir / src_uri
    line = _line_of(source, written) if written else 0
    with contextlib.suppress(ValueError):
        source = source.relative_to(Path.cwd())  # content/news/…, as check prints it
    place = f"{source.as_posix()}:{line}" if line else source.as_posix()
    return f"{place}: {coded(code, **values)}"


def render(record: logging.LogRecord, docs_dir: Path) -> str | None:
    """The Chinese text staff see for one log record, or None when it says nothing they need."""
    message = _STAMP.sub("", record.getMessage())  # the preview's server prefixes a time
    if record.name.startswith("site_builder") or _CJK.match(message or " "):
        return message  # ours: already Chinese (content checks, PluginError texts, progress)
    if record.levelno < logging.WARNING:
        for pattern, text in _PROGRESS:
            found = pattern.match(message)
            if found:
                return text.format(*found.groups())
        return None
    original = f"\n    原文：{message.strip()}"
    found = _DOC_LINK.match(message)
    if found:
        link = found["link"] or found["link2"] or found["link3"] or ""
        if found["link"] and re.search(
            r"but (?:there is no such anchor|the doc '.*' does not contain an anchor)", message
        ):
            code = "E803"
        elif found["link"] and message.rstrip().endswith("is not found among documentation files."):
            code = "E802"
        else:
            code = "E804"
        return _located(docs_dir, found["file"], link, code, link=link) + original
    found = _PAGE.match(message)
    if found:
        return _located(docs_dir, found["file"], "", "E805") + original
    if message.startswith("An error happened during the rebuild"):
        return coded("E806") + original
    if message.startswith("Config value"):
        return coded("E807") + original
    if _CJK.search(message):
        return message  # a Chinese message of ours that starts with a path (e.g. content/… 与自动生成的页面重名)
    return coded("E809") + original


def config_error(exc: Exception, config_file: str | None) -> str:
    """A configuration that cannot be read: ours are coded already, MkDocs' get E807 with the original."""
    text = str(exc)
    if re.match(r"错误 E8\d\d ", text):
        return text
    return f"{config_file or 'mkdocs.yml'}: {coded('E807')}\n    原文：{text}"


# --- where the commands print it ----------------------------------------------------------------


class _DirtyNotice(logging.Filter):
    """MkDocs warns about every --dirty build; ours is safe (each page is keyed), and under
    --strict that warning would abort the build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class Printer(logging.Handler):
    """MkDocs' warnings and errors, and our content warnings, handed to ``say`` as they come."""

    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self.say = say
        self.count = 0
        self.docs_dir = Path("content")  # where MkDocs' "Doc file '…'" lives, once the configuration is read

    def emit(self, record: logging.LogRecord) -> None:
        self.count += record.levelno == logging.WARNING
        text = render(record, self.docs_dir)
        if text is not None:
            self.say(text)


def route(say: Callable[[str], None], serving: bool = False) -> Printer:
    """Our content warnings and MkDocs' own warnings and errors, to ``say`` as they come."""
    printer = Printer(say)
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())
    for name in ("mkdocs", "site_builder"):
        logger = logging.getLogger(name)
        # our progress, their problems (and, while serving, their progress, worded for staff)
        logger.setLevel(logging.INFO if name == "site_builder" or serving else logging.WARNING)
        logger.propagate = False
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.addHandler(printer)
    return printer
