"""What was made from each content file, kept between the builds of one process.

``site-builder serve`` loads content/ again on every edit; re-validating two thousand
unchanged articles would take most of its one-second budget. A step's result is
reused when everything it reads is the same: the same objects (the loader hands out
the same parsed header for an unchanged file) or equal values, including the
fingerprint of which files exist, since covers and links are checked against the disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def fingerprint(*parts: object) -> str:
    """A stable hash of ``parts`` (bytes as they are, anything else by its ``repr``): cache keys here,
    page keys in the adapter's incremental build."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


# (step, file) -> (inputs, result)
_DERIVED: dict[tuple[str, str], tuple[tuple, object]] = {}


def derived(step: str, key: str, inputs: tuple, compute: Callable[..., T], *args: object) -> T:
    """``compute(*args)``, or its result from an earlier build if ``inputs`` are the same."""
    cached = _DERIVED.get((step, key))
    if (
        cached is not None
        and len(cached[0]) == len(inputs)
        and all(a is b or a == b for a, b in zip(cached[0], inputs, strict=True))
    ):
        return cached[1]  # type: ignore[return-value]
    result = compute(*args)
    _DERIVED[(step, key)] = (inputs, result)
    return result
