"""`site-builder check --fix`: rewrite 文号 in cleanup files to the canonical form.

Only the 文号 values (each record's and the decision's ``doc_no``) are touched, and
within them only what docno.fix_text changes; every other byte of the file (BOM,
line ends, comments, quoting) stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from site_builder.core import docno, yaml_guard
from site_builder.core.cleanups.load import cleanup_files
from site_builder.core.docno import Change
from site_builder.core.frontmatter import _Loader

FIELDS = ("doc_no",)


def _doc_no_nodes(node: yaml.Node):
    """Every scalar under a doc_no key, anywhere in the file."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.ScalarNode) and key.value in FIELDS:
                yield value
            else:
                yield from _doc_no_nodes(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _doc_no_nodes(item)


def fix_file(path: Path) -> tuple[list[Change], str | None]:
    """Rewrite ``path`` in place; returns the changes, or why the file was left alone."""
    read = docno.read_for_fix(path)
    if isinstance(read, str):
        return [], read
    body, bom = read
    loader = _Loader(body)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return [], "文件有格式错误，请先按 site-builder check 的提示改正"
    finally:
        loader.dispose()
    if yaml_guard.check(root, body, path.as_posix()):  # an alias bomb would be walked 9**9 times
        return [], "文件有格式错误，请先按 site-builder check 的提示改正"
    if root is None:
        return [], None
    changes: list[Change] = []
    pieces: list[str] = []
    last = 0
    for node in sorted(_doc_no_nodes(root), key=lambda n: n.start_mark.index):
        start, end = node.start_mark.index, node.end_mark.index
        old = body[start:end]
        new = docno.fix_text(old)
        if new != old:
            pieces += [body[last:start], new]
            last = end
            changes.append(Change(path, node.start_mark.line + 1, old.strip("\"'"), new.strip("\"'")))
    if changes:
        pieces.append(body[last:])
        docno.write_fixed(path, "".join(pieces), bom)
    return changes, None


def fix_all(content: Path) -> tuple[list[Change], list[tuple[Path, str]]]:
    changes: list[Change] = []
    skipped: list[tuple[Path, str]] = []
    for path in cleanup_files(content):
        found, reason = fix_file(path)
        changes += found
        if reason:
            skipped.append((path, reason))
    return changes, skipped
