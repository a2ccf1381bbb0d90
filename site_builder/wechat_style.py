"""The one 公众号 theme: its settings in site.yml and the stylesheet that gets inlined.

The WeChat editor drops a whole ``style`` attribute when one property in it is
unknown to it, so every property used here is in :data:`ALLOWED_PROPERTIES`
(observed practice of doocs/md and mdnice), and the palette is light only:
explicit text colours let WeChat's own dark mode remap them.
"""

from __future__ import annotations

import re

from site_builder.frontmatter import Value
from site_builder.model import WechatStyle
from site_builder.problems import Problem, problem

# Properties the WeChat editor keeps in inline styles.
ALLOWED_PROPERTIES = frozenset(
    {
        "background-color",
        "border",
        "border-bottom",
        "border-collapse",
        "border-left",
        "border-radius",
        "border-top",
        "color",
        "display",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "height",
        "letter-spacing",
        "line-height",
        "list-style-type",
        "margin",
        "margin-bottom",
        "margin-left",
        "margin-right",
        "margin-top",
        "max-width",
        "overflow-x",
        "padding",
        "padding-bottom",
        "padding-left",
        "padding-right",
        "padding-top",
        "text-align",
        "text-decoration",
        "text-indent",
        "vertical-align",
        "white-space",
        "width",
        "word-break",
    }
)

TEXT = "#333333"  # body text: 12.6:1 on white
MUTED = "#666666"  # captions, references, 来源: 5.7:1 on white
LINE = "#dddddd"
MIN_CONTRAST = 4.5  # the main colour is used for h3/h4 text, which is not "large" text

_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_KEYS = {"color": "主色", "font_size": "正文字号", "indent": "首行缩进", "justify": "两端对齐"}

STYLESHEET = """
:root { --wx-main: %(main)s; --wx-tint: %(tint)s; --wx-size: %(size)spx; --wx-text: %(text)s;
        --wx-muted: %(muted)s; --wx-line: %(line)s; }
.wx { font-size: var(--wx-size); color: var(--wx-text); line-height: 1.75; letter-spacing: 0.05em;
      font-family: -apple-system, BlinkMacSystemFont, PingFang SC, Hiragino Sans GB, Microsoft YaHei, sans-serif;
      text-align: left; }
.wx p { margin: 0 0 1em; text-indent: %(indent)s; text-align: %(align)s; color: var(--wx-text); }
.wx h1, .wx h2, .wx h3, .wx h4, .wx h5, .wx h6 { margin: 1.5em 0 0.8em; line-height: 1.5; text-indent: 0;
      text-align: left; font-weight: bold; color: var(--wx-main); }
.wx h1 { font-size: 1.3em; }
.wx h2 { font-size: 1.2em; padding-bottom: 0.3em; border-bottom: 2px solid var(--wx-main); }
.wx h3 { font-size: 1.1em; padding-left: 0.5em; border-left: 4px solid var(--wx-main); }
.wx h4, .wx h5, .wx h6 { font-size: 1em; }
.wx strong, .wx b { font-weight: bold; color: var(--wx-text); }
.wx a { color: var(--wx-main); text-decoration: underline; }
.wx sup { font-size: 0.75em; line-height: 0; vertical-align: super; color: var(--wx-main); }
.wx ul, .wx ol { margin: 0 0 1em; padding-left: 2em; color: var(--wx-text); }
.wx ul { list-style-type: disc; }
.wx ol { list-style-type: decimal; }
.wx ul > ul, .wx ol > ul { list-style-type: circle; margin: 0; }
.wx ol > ol, .wx ul > ol { list-style-type: lower-alpha; margin: 0; }
.wx li { margin: 0.2em 0; }
.wx li p, .wx li section, .wx td p, .wx blockquote p, .wx figcaption { text-indent: 0; }
.wx li p { margin: 0; }
.wx blockquote { margin: 0 0 1em; padding: 0.6em 1em; border-left: 4px solid var(--wx-main);
      background-color: #f7f7f7; color: #555555; }
.wx blockquote p { color: #555555; margin: 0 0 0.5em; }
.wx hr { margin: 1.5em 0; border: 0; border-top: 1px solid var(--wx-line); height: 0; }
.wx figure { margin: 1em 0; text-align: center; }
.wx img { display: block; max-width: 100%%; height: auto; margin: 0 auto; }
.wx figcaption { margin-top: 0.5em; font-size: 0.85em; line-height: 1.5; color: var(--wx-muted); text-align: center; }
.wx .wx-table { margin: 0 0 1em; overflow-x: auto; }
.wx table { border-collapse: collapse; font-size: 0.9em; line-height: 1.5; color: var(--wx-text);
      background-color: #ffffff; }
.wx th, .wx td { padding: 0.4em 0.6em; border: 1px solid var(--wx-line); color: var(--wx-text); }
.wx th { background-color: var(--wx-tint); font-weight: bold; white-space: nowrap; }
.wx td { background-color: #ffffff; }
.wx pre { margin: 0 0 1em; padding: 0.8em 1em; overflow-x: auto; white-space: nowrap; text-align: left;
      text-indent: 0; font-size: 0.85em; line-height: 1.6; color: var(--wx-text); background-color: #f6f8fa;
      border-radius: 4px; font-family: Menlo, Consolas, Courier New, monospace; }
.wx code { font-family: Menlo, Consolas, Courier New, monospace; font-size: 0.9em; color: #c7254e;
      background-color: #f6f6f6; padding: 0 0.2em; border-radius: 2px; }
.wx pre code { font-size: 1em; color: var(--wx-text); background-color: #f6f8fa; padding: 0; }
.wx .wx-note { margin: 0 0 1em; padding: 0.6em 1em; border-left: 4px solid var(--wx-main);
      background-color: var(--wx-tint); }
.wx .wx-note-title { margin: 0 0 0.3em; font-weight: bold; text-indent: 0; color: var(--wx-main); }
.wx .wx-term { margin: 0; font-weight: bold; text-indent: 0; }
.wx .wx-notes, .wx .wx-refs { margin-top: 2em; padding-top: 0.5em; border-top: 1px solid var(--wx-line); }
.wx .wx-notes p, .wx .wx-refs p { margin: 0 0 0.3em; text-indent: 0; text-align: left; font-size: 0.85em;
      line-height: 1.6; color: var(--wx-muted); }
.wx .wx-notes .wx-heading, .wx .wx-refs .wx-heading { font-size: 0.9em; font-weight: bold; color: var(--wx-text); }
.wx .wx-url { word-break: break-all; }
.wx .wx-source { margin-top: 2em; padding-top: 0.5em; border-top: 1px solid var(--wx-line); }
.wx .wx-source p { margin: 0 0 0.3em; text-indent: 0; text-align: left; font-size: 0.85em; line-height: 1.6;
      color: var(--wx-muted); word-break: break-all; }
"""


def stylesheet(style: WechatStyle) -> str:
    """The theme as CSS with variables; the inliner resolves every ``var(--…)``."""
    return STYLESHEET % {
        "main": style.color.lower(),
        "tint": tint(style.color),
        "size": style.font_size,
        "text": TEXT,
        "muted": MUTED,
        "line": LINE,
        "indent": "2em" if style.indent else "0",
        "align": "justify" if style.justify else "left",
    }


def _rgb(color: str) -> tuple[int, int, int]:
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def tint(color: str, share: float = 0.1) -> str:
    """A pale version of the main colour (10 % on white) for table headers and notes."""
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in _rgb(color))


def contrast_on_white(color: str) -> float:
    """WCAG contrast ratio of ``color`` against white."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
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
                suggestion="公众号版本样式可写 color（主色）、font_size（正文字号）、indent（首行缩进）、justify（两端对齐）。",
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
    return WechatStyle(color=color, font_size=font_size, **flags)
