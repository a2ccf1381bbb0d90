"""Short ASCII URLs from Chinese text: pinyin, because percent-encoded Han breaks when shared."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

from site_builder.core.memo import cached

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# An article's slug may also keep the "_" of the URLs government CMSs make (t20190102_123456).
ARTICLE_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def slugify(text: str) -> str:
    """Pinyin of ``text``, kept between builds (core/memo.py): pypinyin, a fifth of a second to import,
    is loaded only by a build that meets a name no earlier build slugified (a new tag, a new 机关代字)."""
    return cached("slug", text, _pinyin_slug, text, durable=True)


def _pinyin_slug(text: str) -> str:
    from pypinyin import lazy_pinyin  # see slugify

    words = lazy_pinyin(text)
    joined = "-".join(w.strip().lower() for w in words)
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", joined)).strip("-")


def unique_slugs(names: Iterable[str], first_used: Callable[[str], object] = lambda name: 0) -> dict[str, str]:
    """Slug per name. Of names whose pinyin collides (同音), the one used first keeps the plain
    slug and the others get a stable hash suffix: a homophone added later never moves the
    page of one that is already published and linked to."""
    groups: dict[str, list[str]] = {}
    for name in sorted(set(names), key=lambda name: (first_used(name), name)):
        groups.setdefault(slugify(name) or "t", []).append(name)
    result = {}
    for base, (oldest, *later) in groups.items():
        result[oldest] = base
        for name in later:
            result[name] = f"{base}-{hashlib.sha1(name.encode()).hexdigest()[:4]}"
            while result[name] in groups:  # a suffixed slug that is another name's plain slug
                result[name] += "-t"
    return result
