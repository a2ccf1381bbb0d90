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

from site_builder.problems import Problem, problem

FULLWIDTH_SPACE = "\u3000"
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_FULLWIDTH_COLON_KEY = re.compile(r"^(?P<indent>[ \t\u3000]*)(?P<key>[^\s:：#\-][^:：]*?)[ \t\u3000]*：[ \t\u3000]*")


@dataclass(frozen=True)
class Value:
    """One top-level header field: the parsed value, its raw text and its line."""

    value: object
    raw: str | None  # the text as typed, for plain scalars (keeps "0713" as typed)
    line: int


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


def lint_header(lines: list[str], first_line: int, rel: str) -> tuple[list[str], list[Problem]]:
    """Report the typing slips YAML would misread, and return repaired lines."""
    repaired: list[str] = []
    found: list[Problem] = []
    for offset, line in enumerate(lines):
        number = first_line + offset
        stripped = line.lstrip(" ")
        if stripped.startswith("\t") or (line[: len(line) - len(line.lstrip())].find("\t") >= 0):
            found.append(problem("E206", rel, number))
            line = _retab(line)
        match = _FULLWIDTH_COLON_KEY.match(line)
        if match and ":" not in line[: match.end()]:
            key = match.group("key").strip()
            found.append(problem("E204", rel, number, text=line.strip(), key=key))
            line = f"{match.group('indent').replace(FULLWIDTH_SPACE, '  ')}{key}: {line[match.end() :]}"
        if _misplaced_fullwidth_space(line):
            found.append(problem("E205", rel, number, text=line.strip()))
            line = _respace(line)
        repaired.append(line)
    return repaired, found


def _retab(line: str) -> str:
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)]
    return indent.replace("\t", "  ") + body


def _misplaced_fullwidth_space(line: str) -> bool:
    """A full-width space in the indentation or around the key's colon."""
    body = line.lstrip(" \t" + FULLWIDTH_SPACE)
    if FULLWIDTH_SPACE in line[: len(line) - len(body)]:
        return True
    colon = line.find(":")
    if colon < 0:
        return False
    return FULLWIDTH_SPACE in line[max(0, colon - 1) : colon + 2]


def _respace(line: str) -> str:
    body = line.lstrip(" \t" + FULLWIDTH_SPACE)
    indent = line[: len(line) - len(body)].replace(FULLWIDTH_SPACE, "  ")
    colon = body.find(":")
    if colon >= 0:
        key, rest = body[:colon].rstrip(FULLWIDTH_SPACE + " "), body[colon + 1 :].lstrip(FULLWIDTH_SPACE + " ")
        body = f"{key}: {rest}" if rest else f"{key}:"
    return indent + body


_YAML_HINTS = (
    ("mapping values are not allowed", "这一行的值里含有“冒号加空格”，需要用英文引号把整个值括起来"),
    ("could not find expected ':'", "这一行缺少冒号，或者上一行的引号没有配对"),
    ("found unexpected end of stream", "引号没有配对（少了结尾的引号）"),
    ("expected <block end>", "缩进不一致：同一级字段的行首空格数要相同"),
    ("found character that cannot start any token", "这一行以 YAML 不允许的符号开头（如 @、` 或 %），请用引号把值括起来"),
    ("found undefined alias", "值以 * 开头，请用引号把值括起来"),
    ("did not find expected key", "缩进或引号有误"),
    ("did not find expected node content", "这一行的值不完整（例如列表方括号、引号没有配对）"),
    ("found unknown escape character", "双引号中的反斜杠“\\”有误，请改用单引号"),
)


def _yaml_problem(exc: yaml.YAMLError, first_line: int, rel: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = first_line + (mark.line if mark else 0)
    text = f"{getattr(exc, 'problem', '') or ''} {getattr(exc, 'context', '') or ''}"
    detail = next((zh for en, zh in _YAML_HINTS if en in text), "YAML 语法错误（" + text.strip() + "）")
    return problem("E203", rel, line, detail=detail)


def parse_mapping(lines: list[str], first_line: int, rel: str) -> tuple[dict[str, Value], list[Problem]]:
    """Parse YAML lines that must form a mapping; keys keep their file line numbers."""
    repaired, found = lint_header(lines, first_line, rel)
    fields: dict[str, Value] = {}
    if not "".join(repaired).strip():
        found.append(problem("E207", rel, first_line))
        return fields, found
    loader = yaml.SafeLoader("\n".join(repaired))
    try:
        node = loader.get_single_node()
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
            value = loader.construct_object(value_node, deep=True)
            fields[key] = Value(value=value, raw=value_node.value if plain else None, line=line)
    except yaml.YAMLError as exc:
        found.append(_yaml_problem(exc, first_line, rel))
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
