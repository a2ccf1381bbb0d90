"""How `site-builder check` prints problems: for people, for programs, for CI.

``human`` groups by file (staff fix one file at a time); ``json`` is for scripts;
``github`` emits workflow commands that GitHub shows on the pull request's lines;
``gitlab`` is a Code Quality report that GitLab shows on the merge request.
"""

from __future__ import annotations

import hashlib
import json
from itertools import groupby

from site_builder.core.problems import Problem

FORMATS = ("human", "json", "github", "gitlab")


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.code, p.message))


def _counts(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.is_error)
    return errors, len(problems) - errors


def human(problems: list[Problem]) -> str:
    ordered = _ordered(problems)
    lines = []
    for path, group in groupby(ordered, key=lambda p: p.path):
        items = list(group)
        lines.append(f"【{path}】{len(items)} 个问题")
        lines += [item.format() for item in items]  # "path:line: …" stays clickable in editors' terminals
        lines.append("")
    errors, warnings = _counts(ordered)
    lines.append(f"共发现 {errors} 个错误、{warnings} 个警告。")
    if errors:
        lines.append(
            "有错误时网站不会生成：请按提示修改上述文件；各代码的说明见《编写指南》（docs/authoring-guide.md）。"
        )
    return "\n".join(lines)


def as_json(problems: list[Problem]) -> str:
    ordered = _ordered(problems)
    errors, warnings = _counts(ordered)
    items = [
        {"path": p.path, "line": p.line, "code": p.code, "level": p.level, "message": p.message, "hint": p.hint}
        for p in ordered
    ]
    return json.dumps({"errors": errors, "warnings": warnings, "problems": items}, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    """GitHub's escaping of a workflow command's message (actions/toolkit, command.ts)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem]) -> str:
    lines = []
    for p in _ordered(problems):
        command = "error" if p.is_error else "warning"
        props = [f"file={_escape_property(p.path)}"]
        if p.line:
            props.append(f"line={p.line}")
        props.append(f"title={_escape_property(p.code)}")
        message = p.message + (f"\n修改方法：{p.hint}" if p.hint else "")
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines)


def gitlab(problems: list[Problem]) -> str:
    items = []
    for p in _ordered(problems):
        key = f"{p.code}|{p.path}|{p.line}|{p.message}".encode()
        items.append(
            {
                "description": f"{p.code} {p.message}",
                "check_name": p.code,
                "fingerprint": hashlib.sha256(key).hexdigest(),
                "severity": "major" if p.is_error else "minor",
                "location": {"path": p.path, "lines": {"begin": max(p.line, 1)}},
            }
        )
    return json.dumps(items, ensure_ascii=False, indent=2)


def render(problems: list[Problem], fmt: str) -> str:
    return {"human": human, "json": as_json, "github": github, "gitlab": gitlab}[fmt](problems)
