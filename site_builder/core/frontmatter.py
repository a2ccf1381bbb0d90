"""Split a Markdown file into its YAML header and body, keeping line numbers.

We parse the header ourselves instead of letting MkDocs do it: MkDocs swallows
YAML errors and returns an empty header, and PyYAML alone counts lines from the
header slice and keeps the last of two duplicate keys without a word.
Typing slips (full-width colons, full-width spaces, tabs) are reported and then
repaired in memory only, so the rest of the file is still checked in the same run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from site_builder.core import yaml_guard
from site_builder.core.problems import Problem, problem

FULLWIDTH_SPACE = "\u3000"
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_FULLWIDTH_COLON_KEY = re.compile(r"^(?P<indent>[ \t\u3000]*)(?P<key>[^\s:：#\-][^:：]*?)[ \t\u3000]*：[ \t\u3000]*")


@dataclass(frozen=True)
class Value:
    """One top-level header field: the parsed value, its raw text and its line."""

    value: object
    raw: str | None  # the text as typed, for plain scalars (keeps "0713" as typed)
    line: int
    items: tuple[int, ...] = ()  # for a list: the line of each item


@dataclass
class FrontMatter:
    fields: dict[str, Value] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line number of the body's first line in the file


def split(text: str, rel: str) -> tuple[list[str], int, str, int] | Problem:
    """Return (header lines, first header line number, body, body line number)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].strip(FULLWIDTH_SPACE)) or lines[0].startswith("..."):
        return problem("E201", rel, 1)
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            body = "\n".join(lines[index + 1 :])
            return lines[1:index], 2, body, index + 2
    return problem("E202", rel, 1)


_BLOCK_SCALAR = re.compile(r"^(?P<indent>[ ]*)(?:-[ ]+)*(?:[^#\s][^#]*?:)?[ ]*[|>][-+0-9]*[ ]*(?:#.*)?$")
_OPENS_BLOCK = re.compile(r":[ ]*(?:[ ]#.*)?$|^[ ]*-[ ]*$")


def _indent_width(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_indent(line: str) -> int:
    """Where a child of ``line`` may start: after its indentation and any "- " markers."""
    match = re.match(r"^[ ]*(?:-[ ]+)*", line)
    return match.end() if match else 0


def lint_header(lines: list[str], first_line: int, rel: str) -> tuple[list[str], list[Problem]]:
    """Report the typing slips YAML would misread, and return repaired lines.

    Lines inside a block scalar (``summary: |``) are text, not fields: a full-width
    colon or a paragraph indent of full-width spaces there is content and is kept.
    """
    repaired: list[str] = []
    found: list[Problem] = []
    block_indent: int | None = None  # indentation of the line that opened a block scalar
    previous = ""  # the last repaired line holding a field or list item
    for offset, line in enumerate(lines):
        number = first_line + offset
        if block_indent is not None:
            if not line.strip() or _indent_width(line) > block_indent:
                repaired.append(line)
                continue
            block_indent = None
        indent = line[: len(line) - len(line.lstrip(" \t" + FULLWIDTH_SPACE))]
        if "\t" in indent:
            found.append(problem("E206", rel, number))
        match = _FULLWIDTH_COLON_KEY.match(line)
        if match and ":" not in line[: match.end()]:
            key = match.group("key").strip()
            found.append(problem("E204", rel, number, text=line.strip(), key=key))
            line = f"{match.group('indent')}{key}: {line[match.end() :]}".rstrip(" ")
        if _misplaced_fullwidth_space(line):
            found.append(problem("E205", rel, number, text=line.strip(" \t").replace(FULLWIDTH_SPACE, "【全角空格】")))
            line = _respace(line)
        if "\t" in indent or FULLWIDTH_SPACE in indent:
            line = _reindent(line, previous)
        repaired.append(line)
        if line.strip() and not line.lstrip().startswith("#"):
            previous = line
            block = _BLOCK_SCALAR.match(line)
            if block:
                block_indent = _indent_width(line)
    return repaired, found


def _reindent(line: str, previous: str) -> str:
    """Tabs and full-width spaces in the indentation become two spaces each, but a
    line cannot be deeper than what the line above allows (a stray full-width space
    before a top-level field must not turn it into a continuation of the field above)."""
    body = line.lstrip(" \t" + FULLWIDTH_SPACE)
    indent = line[: len(line) - len(body)]
    width = len(indent.replace("\t", "  ").replace(FULLWIDTH_SPACE, "  "))
    if _OPENS_BLOCK.search(previous):
        limit = _content_indent(previous) + 2 if previous.lstrip().startswith("-") else _indent_width(previous) + 2
    else:
        limit = _content_indent(previous)
    return " " * min(width, limit) + body


def _misplaced_fullwidth_space(line: str) -> bool:
    """A full-width space around the key's colon (the indentation is handled by _reindent)."""
    colon = line.find(":")
    if colon < 0:
        body = line.lstrip(" \t" + FULLWIDTH_SPACE)
        return FULLWIDTH_SPACE in line[: len(line) - len(body)]
    return FULLWIDTH_SPACE in line[: len(line) - len(line.lstrip(" \t" + FULLWIDTH_SPACE))] or (
        FULLWIDTH_SPACE in line[max(0, colon - 1) : colon + 2]
    )


def _respace(line: str) -> str:
    body = line.lstrip(" \t" + FULLWIDTH_SPACE)
    indent = line[: len(line) - len(body)]
    colon = body.find(":")
    if colon >= 0:
        key, rest = body[:colon].rstrip(FULLWIDTH_SPACE + " "), body[colon + 1 :].lstrip(FULLWIDTH_SPACE + " ")
        body = f"{key}: {rest}" if rest else f"{key}:"
    return indent + body


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, but dates stay text: ``dates.parse_datetime`` reads them,
    so that "2021-02-30" is reported instead of crashing inside PyYAML."""


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):
    """The same rules on libyaml's C parser: ten times faster at thousands of articles.
    Its error wording differs, so a header it rejects is parsed again by ``_Loader``,
    whose messages the hints below explain."""


_NO_TIMESTAMPS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = _NO_TIMESTAMPS
_FastLoader.yaml_implicit_resolvers = _NO_TIMESTAMPS

# (what PyYAML says, what we tell the author, whether the place to fix is where the
# construct began (context mark) rather than where PyYAML noticed the problem)
_YAML_HINTS = (
    ("found unexpected end of stream", "引号没有配对（少了结尾的引号）", True),
    ("while scanning a quoted scalar", "引号没有配对（这一行开始的引号没有在行尾结束）", True),
    ("could not find expected ':'", "这一行缺少冒号，或者上一行的引号没有配对", True),
    ("expected '<document start>'", "缩进不一致：文件头的字段都要从行首写起，第一个字段前面不能有空格", False),
    ("expected ',' or ']'", "列表的方括号“[ ]”没有配对", True),
    ("expected ',' or '}'", "花括号“{ }”没有配对；值以 { 开头时请用英文引号把值括起来", True),
    ("but found '-'", "列表项（以“- ”开头的行）要写在字段名的下一行，并在“-”前空两格", False),
    ("mapping values are not allowed", "这一行的值里含有“冒号加空格”，需要用英文引号把整个值括起来", False),
    ("expected <block end>", "缩进不一致：同一级字段的行首空格数要相同", False),
    ("that cannot start any token", "这一行以 YAML 不允许的符号开头（如 @、` 或 %），请用引号把值括起来", False),
    ("found undefined alias", "值以 * 开头，请用引号把值括起来", False),
    ("could not determine a constructor", "值以 ! 开头，请用引号把值括起来", False),
    ("expected a single document", "文件中间多了一行 ---，请删除", False),
    ("did not find expected key", "缩进或引号有误", False),
    ("did not find expected node content", "这一行的值不完整（例如列表方括号、引号没有配对）", False),
    ("found unknown escape character", "双引号中的反斜杠“\\”有误，请改用单引号", False),
)
_INDENTED_KEY = "这一行的行首多了空格（缩进不对）：同一级字段要与上一行对齐；如果这是上一行的值，请用英文引号把值括起来"


def _yaml_problem(exc: yaml.YAMLError, lines: list[str], first_line: int, rel: str) -> Problem:
    text = f"{getattr(exc, 'problem', '') or ''} {getattr(exc, 'context', '') or ''}"
    if "exceeded maximum nesting depth" in text:  # libyaml's limit: where it gave up is known
        mark = getattr(exc, "problem_mark", None)
        return problem("E210", rel, first_line + (mark.line if mark else 0), depth=yaml_guard.MAX_DEPTH)
    detail, at_start = next(((zh, ctx) for en, zh, ctx in _YAML_HINTS if en in text), (None, False))
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = (context_mark or problem_mark) if at_start else (problem_mark or context_mark)
    if detail is None:
        detail = "YAML 语法错误（" + text.strip() + "）"
    elif "mapping values" in text and mark and 0 <= mark.line < len(lines):
        here = lines[mark.line]
        if here.startswith(" ") and ":" not in here[: mark.column].strip():
            detail = _INDENTED_KEY  # "title: a" then "  date: b": an indented field, not a colon in a value
    line = first_line + (mark.line if mark else 0)
    return problem("E203", rel, line, detail=detail)


def parse_mapping(lines: list[str], first_line: int, rel: str) -> tuple[dict[str, Value], list[Problem]]:
    """Parse YAML lines that must form a mapping; keys keep their file line numbers."""
    repaired, found = lint_header(lines, first_line, rel)
    if not "".join(line for line in repaired if not line.lstrip().startswith("#")).strip():
        return {}, found  # an empty header: the missing fields are reported one by one
    fields, problems = _read_mapping(_FastLoader, repaired, first_line, rel)
    if problems and _FastLoader is not _Loader and not any(p.code == "E210" for p in problems):
        fields, problems = _read_mapping(_Loader, repaired, first_line, rel)
    return fields, found + problems


def _read_mapping(
    loader_class: type, repaired: list[str], first_line: int, rel: str
) -> tuple[dict[str, Value], list[Problem]]:
    fields: dict[str, Value] = {}
    found: list[Problem] = []
    text = "\n".join(repaired)
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:  # a control character pasted in: PyYAML refuses the whole text
        line = first_line + text.count("\n", 0, max(exc.position, 0))
        detail = f"含有不可见的控制字符（U+{exc.character:04X}），请删除这个字符"
        return fields, [problem("E203", rel, line, detail=detail)]
    try:
        node = loader.get_single_node()
        unsafe = yaml_guard.check(node, text, rel, first_line)
        if unsafe:  # an alias, deep nesting or an escaped control character: nothing is constructed
            return fields, unsafe
        if not isinstance(node, yaml.MappingNode):
            found.append(problem("E207", rel, first_line + (node.start_mark.line if node else 0)))
            return fields, found
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in fields:
                found.append(problem("E208", rel, line, field=key, first=fields[key].line))
                continue
            plain = isinstance(value_node, yaml.ScalarNode) and not value_node.style
            items = ()
            if isinstance(value_node, yaml.SequenceNode):
                items = tuple(first_line + item.start_mark.line for item in value_node.value)
            try:
                value = loader.construct_object(value_node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
                # "!!int abc" and the like: report it, and go on with the text as typed.
                detail = "这一行的值无法读取，请用英文引号把值括起来"
                if isinstance(exc, yaml.YAMLError):
                    detail = _yaml_problem(exc, repaired, first_line, rel).message.removeprefix("文件头格式错误：")
                    detail = detail.removesuffix("。")
                found.append(problem("E203", rel, line, detail=detail))
                value = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            fields[key] = Value(value=value, raw=value_node.value if plain else None, line=line, items=items)
    except yaml.YAMLError as exc:
        found.append(_yaml_problem(exc, repaired, first_line, rel))
    except RecursionError:  # "[[[[…" thousands deep: PyYAML recurses once per level
        found.append(problem("E210", rel, first_line, depth=yaml_guard.MAX_DEPTH))
    finally:
        loader.dispose()
    return fields, found


def parse(text: str, rel: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse a Markdown file's header; returns None when there is no header at all."""
    parts = split(text, rel)
    if isinstance(parts, Problem):
        return None, [parts]
    header_lines, first_line, body, body_line = parts
    fields, found = parse_mapping(header_lines, first_line, rel)
    return FrontMatter(fields=fields, body=body, body_line=body_line), found
