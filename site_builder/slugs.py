"""Short ASCII URLs from Chinese text: pinyin, because percent-encoded Han breaks when shared."""

from __future__ import annotations

import hashlib
import re

from pypinyin import lazy_pinyin

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def slugify(text: str) -> str:
    words = lazy_pinyin(text)
    joined = "-".join(w.strip().lower() for w in words)
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", joined)).strip("-")


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Slug per name; names whose pinyin collides (同音) each get a stable hash suffix."""
    first: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        base = slugify(name) or "t"
        first.setdefault(base, []).append(name)
    result = {}
    for base, group in first.items():
        for name in group:
            suffix = hashlib.sha1(name.encode()).hexdigest()[:4]
            result[name] = base if len(group) == 1 else f"{base}-{suffix}"
    return result
