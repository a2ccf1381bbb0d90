"""What the site knows of 公众号 copies before anything is rendered: the editor's limits (the staff
page shows them, the copies warn about them), which articles the build makes a copy of, and the
theme's settings, site.yml ``wechat:`` read into a :class:`WechatStyle` with every bad value reported.
The stylesheet built from them is outputs/wechat/style.py."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from site_builder.core.frontmatter import Value
from site_builder.core.model import Article, WechatStyle
from site_builder.core.problems import Problem, problem

TITLE_LIMIT = 32  # draft API: 标题不超过 32 个字
SUMMARY_LIMIT = 120  # 摘要
MIN_CONTRAST = 4.5  # the main colour is used for h3/h4 text, which is not "large" text

_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_KEYS = {
    "color": "主色",
    "font_size": "正文字号",
    "indent": "首行缩进",
    "justify": "两端对齐",
    "recent_days": "生成公众号版本的天数",
}
MAX_RECENT_DAYS = 36_500


def copies_from(published: Iterable[Article], recent_days: int) -> dt.date | None:
    """The first day whose articles the build makes a 公众号 copy of: ``recent_days`` before the newest
    published article's date (a date from the content, never the clock, so the same content gives the
    same copies). Copies are for what staff may still repost; ``site-builder wechat`` makes any other.
    None when nothing is published (no article then has a copy in the build)."""
    newest = max((article.date for article in published), default=None)
    return None if newest is None else newest.date() - dt.timedelta(days=recent_days)


def has_copy(article: Article, first_day: dt.date | None) -> bool:
    """Whether the build makes ``article``'s copy (``first_day`` from :func:`copies_from`); an article
    newer than the newest published one (a draft or a scheduled one in the preview) has one too."""
    return first_day is not None and article.date.date() >= first_day


def rgb(color: str) -> tuple[int, int, int]:
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def contrast_on_white(color: str) -> float:
    """WCAG contrast ratio of ``color`` against white."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(color))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def _line_of(lines: list[str], start: int, key: str) -> int:
    """The file line of ``key:`` inside the block that starts at line ``start``."""
    pattern = re.compile(rf"^\s+{re.escape(key)}\s*:")
    for number in range(start, min(len(lines), start + 40)):
        if pattern.match(lines[number]):
            return number + 1
    return start


def from_setting(value: Value | None, lines: list[str], rel: str, found: list[Problem]) -> WechatStyle:
    """Read site.yml ``wechat:``; every bad value is reported, defaults stand in for it."""
    default = WechatStyle()
    if value is None:
        return default
    if not isinstance(value.value, dict):
        found.append(
            problem(
                "E403",
                rel,
                value.line,
                field="wechat",
                value=str(value.value),
                expected="wechat 下面分行写 color、font_size、indent、justify，每行前空两格，例如“  font_size: 16”",
            )
        )
        return default
    raw = value.value
    for key in sorted(set(raw) - set(_KEYS), key=str):
        found.append(
            problem(
                "E405",
                rel,
                _line_of(lines, value.line, str(key)),
                field=f"wechat.{key}",
                suggestion="公众号版本可写 color（主色）、font_size（正文字号）、indent（首行缩进）、justify（两端对齐）、"
                "recent_days（为最新一篇文章之前多少天内的文章生成公众号版本）。",
            )
        )

    def bad(key: str, expected: str) -> None:
        found.append(
            problem(
                "E403",
                rel,
                _line_of(lines, value.line, key),
                field=f"wechat.{key}",
                value=str(raw[key]),
                expected=expected,
            )
        )

    color = default.color
    if "color" in raw:
        if isinstance(raw["color"], str) and _COLOR_RE.match(raw["color"].strip()):
            color = raw["color"].strip().lower()
            ratio = contrast_on_white(color)
            if ratio < MIN_CONTRAST:
                found.append(
                    problem("W401", rel, _line_of(lines, value.line, "color"), value=color, ratio=f"{ratio:.1f}")
                )
        else:
            bad("color", '主色写成带 # 的十六进制颜色并加英文引号，例如 color: "#1f5fa8"')
    font_size = default.font_size
    if "font_size" in raw:
        size = raw["font_size"]
        if isinstance(size, int) and not isinstance(size, bool) and 14 <= size <= 18:
            font_size = size
        else:
            bad("font_size", "正文字号写 14 到 18 之间的整数（单位像素），公众号常用 16")
    flags = {}
    for key in ("indent", "justify"):
        flags[key] = getattr(default, key)
        if key in raw:
            if isinstance(raw[key], bool):
                flags[key] = raw[key]
            else:
                bad(key, f"{_KEYS[key]}写 true（开启）或 false（关闭）")
    recent_days = default.recent_days
    if "recent_days" in raw:
        days = raw["recent_days"]
        if isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= MAX_RECENT_DAYS:
            recent_days = days
        else:
            bad("recent_days", f"生成公众号版本的天数写 1 到 {MAX_RECENT_DAYS} 之间的整数，例如 365（一年）")
    return WechatStyle(color=color, font_size=font_size, recent_days=recent_days, **flags)
