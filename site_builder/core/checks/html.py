"""Raw HTML tags as the link checks read them (alt text, targets that resolve).

Safety is not judged here: what may be published is decided on the rendered HTML
(:mod:`site_builder.core.sanitize`, reported by :mod:`site_builder.core.checks.rendered`).
``unsafe_url`` only lets the link checks skip targets the sanitiser reports.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])([^<>]*)>?")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_url(value: str, image: bool = False) -> bool:
    """``javascript:``, ``vbscript:``, ``data:`` (except images) and any unknown scheme."""
    url = _INVISIBLE.sub("", html.unescape(value)).lower()
    scheme = _SCHEME.match(url)
    if scheme is None:
        return False  # relative: a path or an anchor
    if image and url.startswith("data:image/"):
        return False
    return not url.startswith(_SAFE_SCHEMES)


def _attr_value(raw: str | None) -> str:
    if raw is None:
        return ""
    return raw[1:-1] if raw[:1] in "\"'" and raw[-1:] == raw[:1] and len(raw) > 1 else raw


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "…"
