"""What a composed YAML tree must not hold before anything turns it into values.

PyYAML composes aliases (``*name``) into shared nodes and expands them only when
values are constructed: twelve lines of nested aliases become hundreds of millions
of list items and a MemoryError. Headers and data files never need anchors, so a
node reached twice is refused at once, as are nesting deeper than any real file
has and control characters that quoted escapes (``"\\x0b"``) bring in after the
text itself was checked. The walk is iterative and visits each node once.
"""

from __future__ import annotations

import yaml

from site_builder.core.problems import Problem, problem
from site_builder.core.textfile import CONTROL

MAX_DEPTH = 40  # a cleanup record is 3 levels deep, a header's attachment list 3


def _alias_line(text: str) -> int | None:
    """The 0-based line of the first ``*alias`` in ``text`` (only run when one was found)."""
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken):
                return token.start_mark.line
    except (yaml.YAMLError, RecursionError):
        return None
    return None


def check(node: yaml.Node | None, text: str, rel: str, first_line: int = 1) -> list[Problem]:
    """Problems of the tree composed from ``text`` (whose first line is file line ``first_line``)."""
    if node is None:
        return []
    found: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        if id(current) in seen:
            line = _alias_line(text)
            where = first_line + (line if line is not None else current.start_mark.line)
            return [problem("E209", rel, where)]
        seen.add(id(current))
        line = first_line + current.start_mark.line
        if depth > MAX_DEPTH:
            return [problem("E210", rel, line, depth=MAX_DEPTH)]
        if isinstance(current, yaml.ScalarNode):
            match = CONTROL.search(current.value)
            if match is not None and not found:  # one per file is enough to find them all
                found.append(
                    problem(
                        "E105",
                        rel,
                        line,
                        char=f"U+{ord(match.group()):04X}",
                        column=current.start_mark.column + 1,
                        count=len(CONTROL.findall(current.value)),
                    )
                )
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                stack.append((value, depth + 1))
                stack.append((key, depth + 1))
    return found
