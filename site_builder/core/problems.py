"""Problems found in content: each carries a stable code, a place, a message and a hint.

Every rule reports through :func:`problem`, so the wording of each code lives in
:mod:`site_builder.core.codes` only, and the authoring guide documents the same codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from site_builder.core import codes

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can."""

    path: str
    line: int
    code: str
    message: str
    hint: str = ""
    level: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def format(self) -> str:
        """One block of Chinese text a staff member can act on."""
        label = "错误" if self.is_error else "警告"
        text = f"{self.location()}: {label} {self.code} {self.message}"
        if self.hint:
            text += f"\n    修改方法：{self.hint}"
        return text


def problem(code: str, path: str | Path, line: int = 0, **values: object) -> Problem:
    """Build the problem for ``code`` with its catalogue wording filled in."""
    entry = codes.CATALOGUE[code]
    return Problem(
        path=str(path),
        line=line,
        code=code,
        message=entry.message.format(**values),
        hint=entry.hint.format(**values),
        level=entry.level,
    )


@dataclass
class Problems:
    """Collects problems over a whole run so authors see them all at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, code: str, path: str | Path, line: int = 0, **values: object) -> Problem:
        found = problem(code, path, line, **values)
        self.items.append(found)
        return found

    def extend(self, others: list[Problem]) -> None:
        self.items.extend(others)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.path, p.line, p.code, p.message))

    def __bool__(self) -> bool:
        return bool(self.items)


class ContentError(Exception):
    """Raised when content has errors; carries every problem found, for one report."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(format_report(problems))


def format_report(problems: list[Problem]) -> str:
    """The Chinese report printed by the CLI and the MkDocs plugin."""
    ordered = sorted(set(problems), key=lambda p: (p.path, p.line, p.code, p.message))
    errors = sum(1 for p in ordered if p.is_error)
    warnings = len(ordered) - errors
    lines = [p.format() for p in ordered]
    lines.append(f"共发现 {errors} 个错误、{warnings} 个警告。")
    if errors:
        lines.append("请按提示修改上述文件后重新构建；各错误代码的说明见《编写指南》（docs/authoring-guide.md）。")
    return "\n".join(lines)
