"""The one 公众号 theme: the stylesheet that gets inlined (its settings: core/wechat_settings.py).

The WeChat editor drops a whole ``style`` attribute when one property in it is
unknown to it, so every property used here is in :data:`ALLOWED_PROPERTIES`
(observed practice of doocs/md and mdnice), and the palette is light only:
explicit text colours let WeChat's own dark mode remap them.
"""

from __future__ import annotations

from site_builder.core.model import WechatStyle
from site_builder.core.wechat_settings import rgb

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


def tint(color: str, share: float = 0.1) -> str:
    """A pale version of the main colour (10 % on white) for table headers and notes."""
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in rgb(color))
