"""What staff read from the command line, in Chinese: argparse's own words, and MkDocs' log.

argparse words its usage line, headings and errors in English through gettext; :func:`chinese_argparse`
gives it ours while the command line is read, and :class:`Parser` reports a wrong command line as a
coded message. MkDocs and Material log in English: :func:`render` turns each record into a coded
Chinese message (the original kept as detail), a Chinese progress line, or nothing (chatter).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from site_builder.core import codes

ARGPARSE = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助后退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有 %(value)r 这一项（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值",
    "the following arguments are required: %s": "缺少必须写的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "后面需要写一个值",
    "expected at most one argument": "后面最多写一个值",
    "expected at least one argument": "后面至少写一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "ignored explicit argument %r": "不接受值 %r",
    "one of the arguments %s is required": "需要写以下参数之一：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用的命令：%(choices)s）",
    "unexpected option string: %s": "意外的选项：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：%(message)s\n",
}


def _translate(text: str) -> str:
    return ARGPARSE.get(text, text)


def _ntranslate(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "后面需要写 %s 个值"
    return singular if n == 1 else plural


@contextlib.contextmanager
def chinese_argparse() -> Iterator[None]:
    """argparse speaks Chinese while the parser is built and the command line read (help included)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _translate, _ntranslate
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def console_safe() -> None:
    """Print on any console: a Chinese Windows console or pipe is GBK (cp936); what it cannot show
    (an emoji in a title, a rare character) becomes "?" instead of stopping the command."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="replace")


def coded(code: str, **values: object) -> str:
    """A message of ours without a file: label, code, message and 修改方法, as problems are printed."""
    entry = codes.CATALOGUE[code]
    label = "错误" if entry.level == "error" else "警告"
    return f"{label} {code} {entry.message.format(**values)}\n    修改方法：{entry.hint.format(**values)}"


# What the usage line calls each value, by the option's dest (argparse would print CONFIG, SITE_DIR, title).
METAVARS = {
    "config": "配置文件",
    "site_dir": "目录",
    "content": "目录",
    "site": "目录",
    "category": "栏目",
    "slug": "网址别名",
    "title": "标题",
    "path": "文章文件",
    "output": "文件",
    "dest": "发布目录",
    "keep": "个数",
    "file": "表格文件",
    "dev_addr": "地址:端口",
}


_WIDE_MARK = "\x00"  # follows each wide character while argparse measures; removed before printing


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


class _Formatter(argparse.HelpFormatter):
    """Section headings end with a full-width colon, as Chinese text does; columns and line breaks
    count a Chinese character as the two columns it takes on a console (argparse counts one)."""

    def _format_action_invocation(self, action: argparse.Action) -> str:
        text = super()._format_action_invocation(action)
        return "".join(c + _WIDE_MARK if unicodedata.east_asian_width(c) in "WF" else c for c in text)

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines, line = [], ""
        for token in re.findall(r"[!-~]+|\s+|.", " ".join(text.split())):
            if line and _width(line + token) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        return [*lines, line.rstrip()] if line.strip() else lines

    def format_help(self) -> str:
        text = super().format_help().replace(_WIDE_MARK, "")
        return re.sub(r"^(\S[^\n]*):$", r"\1：", text, flags=re.M)


class Parser(argparse.ArgumentParser):
    """Chinese help; a wrong command line gets the command's usage line and a coded message."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        if action.metavar is None and action.nargs != 0 and action.choices is None:
            action.metavar = METAVARS.get(action.dest, "值" if action.option_strings else action.dest)
        return action

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{coded('E801', detail=message, prog=self.prog)}\n")


# --- MkDocs' log ---------------------------------------------------------------------------------

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
