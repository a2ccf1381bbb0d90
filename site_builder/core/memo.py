"""What was made from each content file, kept between the builds of one process: the one cache API.

``site-builder serve`` loads content/ again on every edit; re-reading and re-validating two
thousand unchanged articles would take most of its one-second budget. A step's result is
reused when everything it reads is the same: the same objects (the loader hands out the same
parsed header for an unchanged file) or equal values, including a file's size and modification
time, and the fingerprint of which files exist, since covers and links are checked against the disk.

The results live in a :class:`Memo` that whoever runs builds owns and lends for the duration
(``with memo.using(m):``; the MkDocs plugin keeps one for its process). The core keeps none
of its own: a step run with no memo lent (``site-builder check``, a test) is simply computed.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
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


class Memo:
    """Each step's last result per item, with the inputs it was made from."""

    def __init__(self) -> None:
        self.results: dict[tuple[str, str], tuple[tuple, object]] = {}  # (step, item) -> (inputs, result)

    def derived(self, step: str, key: str, inputs: tuple, compute: Callable[..., T], *args: object) -> T:
        cached = self.results.get((step, key))
        if (
            cached is not None
            and len(cached[0]) == len(inputs)
            and all(a is b or a == b for a, b in zip(cached[0], inputs, strict=True))
        ):
            return cached[1]  # type: ignore[return-value]
        result = compute(*args)
        self.results[(step, key)] = (inputs, result)
        return result


_LENT: ContextVar[Memo | None] = ContextVar("site_builder_memo", default=None)


@contextlib.contextmanager
def using(memo: Memo) -> Iterator[Memo]:
    """Lend ``memo`` to every step run inside the block."""
    token = _LENT.set(memo)
    try:
        yield memo
    finally:
        _LENT.reset(token)


def derived(step: str, key: str, inputs: tuple, compute: Callable[..., T], *args: object) -> T:
    """``compute(*args)``, or its result from an earlier build if ``inputs`` are the same."""
    memo = _LENT.get()
    return compute(*args) if memo is None else memo.derived(step, key, inputs, compute, *args)


def forget(step: str, key: str) -> None:
    """Drop a result that must not be reused (a file that could not be read is read again)."""
    memo = _LENT.get()
    if memo is not None:
        memo.results.pop((step, key), None)
