"""What was made from each content file, kept between the builds of one process: the one cache API.

``site-builder serve`` loads content/ again on every edit; re-reading and re-validating two
thousand unchanged articles would take most of its one-second budget. ``cached(step, item, compute,
*args)`` reuses ``compute``'s last result for that item when every argument is the same object or an
equal value: the key is the arguments themselves, never a list kept beside them, so a step cannot
read something its key forgets as long as it reads only its arguments. Two kinds of argument make
that cheap and complete:

- a file is passed as its :class:`FileState` (path, size, modification time), taken by the reader
  when it opens the file, and the step reads the file through it;
- a large value read by every item (the settings, what links may point at) is passed as
  :class:`Keyed`, which hashes the value once when it is made; two of them are equal when the
  hashes are, so two thousand items compare two short strings instead of two large objects.

The results live in a :class:`Memo` that whoever runs builds owns and lends for the duration
(``with memo.using(m):``; the MkDocs plugin keeps one for its process). The core keeps none
of its own: a step run with no memo lent (``site-builder check``, a test) is simply computed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Generic, NamedTuple, TypeVar

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


_SCALARS = (str, int, float, bytes, type(None))


def _canonical(value: object) -> object:
    """``value`` as nested tuples whose repr does not depend on set or dict order."""
    if isinstance(value, _SCALARS):  # most of a large value: answered before the slower questions below
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, *((f.name, _canonical(getattr(value, f.name))) for f in fields))
    if isinstance(value, dict):
        return ("dict", *sorted(((_canonical(k), _canonical(v)) for k, v in value.items()), key=repr))
    if isinstance(value, (set, frozenset)):
        return ("set", *sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *(_canonical(v) for v in value))
    return value


class Keyed(Generic[T]):
    """A large value with its fingerprint, computed once: equal when the fingerprints are.

    For plain data (dataclasses, containers, strings, numbers, dates, paths) whose repr says all of it;
    a field with a lossy repr (a compiled pattern) must be derived from fields that are in the key."""

    __slots__ = ("key", "value")

    def __init__(self, value: T) -> None:
        self.value = value
        self.key = fingerprint(_canonical(value))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Keyed) and other.key == self.key

    __hash__ = None  # type: ignore[assignment]


class FileState(NamedTuple):
    """A file as its reader found it: equal states, same bytes (as far as size and mtime tell)."""

    path: str
    mtime_ns: int
    size: int


def file_state(path: str | os.PathLike) -> FileState | None:
    """The file's state now, or None when it cannot be looked at (then it is read, not cached)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return FileState(os.fspath(path), info.st_mtime_ns, info.st_size)


class Memo:
    """Each step's last result per item, with the arguments it was made from."""

    def __init__(self) -> None:
        self.results: dict[tuple[str, str], tuple[tuple, object]] = {}  # (step, item) -> (arguments, result)

    def cached(self, step: str, key: str, compute: Callable[..., T], *args: object) -> T:
        kept = self.results.get((step, key))
        if (
            kept is not None
            and len(kept[0]) == len(args)
            and all(a is b or a == b for a, b in zip(kept[0], args, strict=True))
        ):
            return kept[1]  # type: ignore[return-value]
        result = compute(*args)
        self.results[(step, key)] = (args, result)
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


def cached(step: str, key: str, compute: Callable[..., T], *args: object) -> T:
    """``compute(*args)``, or its result from an earlier build of ``key`` if every argument is the same.

    ``compute`` must read nothing but its arguments: a file through its :class:`FileState`, what
    exists on disk through a fingerprint of the listing passed as an argument."""
    memo = _LENT.get()
    return compute(*args) if memo is None else memo.cached(step, key, compute, *args)


def forget(step: str, key: str) -> None:
    """Drop a result that must not be reused (a file that could not be read is read again)."""
    memo = _LENT.get()
    if memo is not None:
        memo.results.pop((step, key), None)
