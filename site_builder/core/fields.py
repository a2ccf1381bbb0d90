"""Small converters for header values; each raises FieldError with a catalogue code."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from site_builder.core.dates import parse_datetime
from site_builder.core.frontmatter import Value


class FieldError(Exception):
    def __init__(self, code: str, **values: object):
        self.code = code
        self.values = values
        super().__init__(code)


@dataclass(frozen=True)
class Spec:
    """One header field: its Chinese label, whether required, how to read it."""

    label: str
    convert: Callable[[Value, Spec, str], object]
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = ()


def _shown(value: Value) -> str:
    return value.raw if value.raw is not None else str(value.value)


def text(value: Value, spec: Spec, name: str) -> str:
    """Text exactly as typed: "0713" stays "0713", not the octal number YAML sees."""
    raw = value.value
    if isinstance(raw, (dict, list)):
        raise FieldError(
            "E305",
            field=name,
            label=spec.label,
            expected="一段文字",
            value=_shown(value),
            example=f"写成“{name}: {spec.example}”。",
        )
    if raw is None or (value.raw is not None and not value.raw.strip()):
        raise FieldError("E311", field=name, label=spec.label)
    result = value.raw if value.raw is not None else str(raw)
    result = result.strip()
    if not result:
        raise FieldError("E311", field=name, label=spec.label)
    return result


_LIST_SPLIT = re.compile(r"\s*[,，、;；]\s*")


def text_list(value: Value, spec: Spec, name: str) -> tuple[str, ...]:
    """A list, or one line separated by 、，; as staff often write tags."""
    raw = value.value
    if raw is None:
        return ()
    if isinstance(raw, dict):
        raise FieldError(
            "E305",
            field=name,
            label=spec.label,
            expected="文字列表",
            value=_shown(value),
            example=f"写成“{name}: [{spec.example}]”。",
        )
    items = raw if isinstance(raw, list) else _LIST_SPLIT.split(str(raw))
    result = []
    for item in items:
        if isinstance(item, (dict, list)) or item is None:
            raise FieldError(
                "E305",
                field=name,
                label=spec.label,
                expected="文字列表",
                value=str(raw),
                example=f"写成“{name}: [{spec.example}]”。",
            )
        item = str(item).strip()
        if item and item not in result:
            result.append(item)
    return tuple(result)


_TRUE = {True, "true", "yes", "是", "1"}
_FALSE = {False, "false", "no", "否", "0", None}


def boolean(value: Value, spec: Spec, name: str) -> bool:
    raw = value.value.strip().lower() if isinstance(value.value, str) else value.value
    if isinstance(raw, (dict, list)):
        raw = str(raw)  # unhashable; never true or false, so it is reported below
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise FieldError(
        "E305",
        field=name,
        label=spec.label,
        expected=" true 或 false",
        value=_shown(value),
        example=f"写成“{name}: true”（是）或“{name}: false”（否）。",
    )


def moment(value: Value, spec: Spec, name: str) -> dt.datetime:
    if value.value is None or value.raw == "":
        raise FieldError("E311", field=name, label=spec.label)
    parsed = parse_datetime(value.value if value.raw is None else value.raw)
    if parsed is None:
        parsed = parse_datetime(value.value)
    if parsed is None:
        raise FieldError("E303", field=name, label=spec.label, value=_shown(value))
    return parsed


def closest(name: str, choices: dict[str, str]) -> str | None:
    """The choice a mistyped or Chinese name most likely meant, if any."""
    if name in choices:
        return name
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(name: str, choices: dict[str, str]) -> str:
    """'您是不是想写 title（标题）？' for a mistyped or Chinese field name."""
    meant = closest(name, choices)
    return f"您是不是想写 {choices[meant]}？" if meant is not None else ""
