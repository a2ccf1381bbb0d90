"""Links and images in bodies: alt text, targets that resolve, where outbound links go."""

from __future__ import annotations

import ipaddress
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.checks.html import _ATTR, _TAG, _attr_value, _short, unsafe_url
from site_builder.checks.text import Document
from site_builder.problems import Problem, problem

_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?((?:[^()\s<>]|\([^()\s<>]*\))*)>?(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_REF_DEF = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:[ \t].*)?$", re.M)
GENERATED = frozenset({"archive", "tags", "search", "wechat", "feeds", "cleanups", "xxgk"})  # made by pages.plan()


@dataclass(frozen=True)
class Known:
    """What an internal link may point at besides files: generated pages."""

    content: Path
    category_slugs: frozenset[str]
    article_slugs: frozenset[str]
    own_domain: str


def _internal_ok(target: str, doc: Document, known: Known) -> str | None:
    """None if the relative link resolves; otherwise what kind of thing is missing."""
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None  # an anchor on the same page
    base = "" if path.startswith("/") else posixpath.dirname(doc.src)
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if joined == ".." or joined.startswith("../"):
        return "位置（在 content/ 之外）"
    if path.endswith("/"):
        joined += "/index.md"
    if (known.content / joined).exists():
        return None
    parts = joined.split("/")
    if parts[0] in GENERATED or joined in {"index.md", "."}:
        return None
    if parts[0] == "news" and len(parts) > 1 and parts[1] in known.category_slugs:
        return None
    if parts[0] == "articles" and len(parts) > 1 and parts[1] in known.article_slugs:
        return None
    return "文章或文件" if joined.endswith(".md") else "文件"


def _outbound(url: str, known: Known) -> str | None:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host or host == known.own_domain:
        return None
    try:
        ipaddress.ip_address(host)
        return "W713"
    except ValueError:
        pass
    if host == "gov.cn" or host.endswith(".gov.cn"):
        return None
    return "W712"


def _target(doc: Document, line: int, target: str, image: bool, alt: str | None, known: Known) -> list[Problem]:
    found = []
    if image and alt is not None and not alt.strip():
        found.append(problem("E710", doc.rel, line, value=_short(target)))
    if unsafe_url(target, image=image):
        return [*found, problem("E722", doc.rel, line, value=_short(target))]
    lowered = target.lower()
    if lowered.startswith(("http://", "https://", "//")):
        code = _outbound(target if not target.startswith("//") else "https:" + target, known)
        if code:
            found.append(problem(code, doc.rel, line, value=_short(target)))
    elif not image and not re.match(r"^[a-z][a-z0-9+.-]*:|^#", lowered):
        # local images are already checked by the loader (E310)
        missing = _internal_ok(target, doc, known)
        if missing:
            found.append(problem("E711", doc.rel, line, what=missing, value=_short(target)))
    return found


def check(doc: Document, known: Known) -> list[Problem]:
    found = []
    text = doc.masked
    for match in _LINK.finditer(text):
        image = bool(match[1])
        found += _target(doc, doc.line(match.start()), match[3], image, match[2] if image else None, known)
    for match in _REF_DEF.finditer(text):
        found += _target(doc, doc.line(match.start()), match[1], False, None, known)
    for match in _TAG.finditer(text):
        tag = match[2].lower()
        if match[1] or tag not in {"a", "img"}:
            continue
        attrs = {a[1].lower(): _attr_value(a[2]) for a in _ATTR.finditer(match[3])}
        key = "src" if tag == "img" else "href"
        if key not in attrs:
            if tag == "img":
                found.append(problem("E710", doc.rel, doc.line(match.start()), value="<img>"))
            continue
        line = doc.line(match.start())
        target = attrs[key]
        if unsafe_url(target, image=tag == "img"):
            continue  # reported by checks.html
        found += _target(doc, line, target, tag == "img", attrs.get("alt", "") if tag == "img" else None, known)
    return found
