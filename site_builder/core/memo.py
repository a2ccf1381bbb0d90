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

Every ``site-builder build`` is a new process, so a memo alone helps only the preview. A step
called with ``durable=True`` is also kept on disk between processes (:class:`Store`, opened by
the adapter in the build cache the pipelines keep): there the key is a hash of the arguments,
a file counting by its path and the SHA-256 of its bytes (a checkout gives every file a new
modification time; an edit that keeps size and time is still seen), a :class:`Keyed` by its
key and anything else by its canonical repr. The same rule as in memory: what the step reads
must be in its arguments.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import enum
import gc
import hashlib
import importlib
import io
import os
import pathlib
import pickle
import zlib
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


def _file_hash(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).digest()
    except OSError:
        return None


def _durable_key(step: str, key: str, args: tuple, origins: dict[int, tuple[object, str]]) -> str | None:
    """The arguments as a hash that means the same in another process; None when a file can't be read.

    An argument that a durable step returned (``origins``: the header a file's parse gave, the
    article made from it) counts by the key it was made from: the same inputs make the same result,
    and hashing a two-thousand-character body again for every step would cost what it saves."""
    parts: list[object] = [step, key]
    for arg in args:
        origin = origins.get(id(arg))
        if origin is not None and origin[0] is arg:
            parts.append(("made", origin[1]))
        elif isinstance(arg, FileState):
            digest = _file_hash(arg.path)
            if digest is None:
                return None
            parts.append(("file", arg.path, digest))
        elif isinstance(arg, Keyed):
            parts.append(("keyed", arg.key))
        else:
            parts.append(_canonical(arg))
    return fingerprint(*parts)


class Store:
    """Results of durable steps kept on disk between builds: one file, read once, written whole.

    Pickled, because the results are the core's own dataclasses (articles, problems, parsed
    headers) and a plain-data codec would be a second description of each to keep in step. The
    file is trusted no further than it must be: it is read with an unpickler that builds nothing
    but the package's dataclasses and enums, dates and paths (never calls a function but its own
    look-up of a result read before), and only when its header names the same ``version`` (the
    format, this package's code, Python); any other file (corrupt, cut short, older or newer) is
    ignored whole and the steps recomputed. ``save`` keeps only the entries this build used, so
    the file does not grow with history.
    """

    MAGIC = b"site-builder-memo\n"
    CHUNK = 1000  # entries per pickle: the pickler's table of what it wrote stays small

    def __init__(self, path: os.PathLike | str, version: str, load: bool = True) -> None:
        self.path, self.version = pathlib.Path(path), version
        self.loaded: dict[str, object] = _read_store(self.path, version) if load else {}
        self.used: dict[str, object] = {}
        self.changed = False  # a result computed this build (else nothing new to write)
        self.written: pathlib.Path | None = None  # the file ``write`` made, which ``save`` puts in place
        self.wrote = False  # ``write`` has run (whether it made a file or not)

    def save(self, shared: dict[int, tuple[object, str]] | None = None) -> None:
        """Written to a temporary file and renamed: a build stopped halfway leaves the old file or none.
        The temporary file is the one ``write`` made earlier in the build, if it did."""
        if not self.wrote:
            self.write(shared)
        if self.written is not None:
            try:
                os.replace(self.written, self.path)
            except OSError:  # the site is built, only the next build's head start is lost
                self.written.unlink(missing_ok=True)
            self.written = None
        _remove_leftovers(self.path)

    def discard(self) -> None:
        """The build failed: what ``write`` made is not put in place."""
        if self.written is not None:
            self.written.unlink(missing_ok=True)
            self.written = None

    def write(self, shared: dict[int, tuple[object, str]] | None = None) -> None:
        """Write what this build used to a temporary file (``save`` renames it), then let go of it.

        The pickle is streamed through the compressor into the file, never held whole, and made
        ``CHUNK`` entries at a time: one pickle of everything would keep a table of every object
        it wrote (millions at twenty thousand articles, over a hundred MB). A result that an
        earlier chunk holds (``shared``: id -> the result or part of one, and its key; an article
        inside its page) is written as a reference to it, so it is one object again when read.
        The file's header holds the payload's SHA-256, written once the payload is."""
        self.wrote = True
        used, unchanged = self.used, not self.changed and len(self.used) == len(self.loaded)
        self.used, self.loaded = {}, {}  # nothing reads them after this
        if unchanged:
            return
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as file:
                file.write(self.MAGIC + self.version.encode() + b"\n")
                at = file.tell()
                file.write(b"0" * 64 + b"\n")  # the digest's place
                sink = _CompressingSink(file)
                pickler = _Pickler(sink, shared or {})
                keys = list(used)
                for start in range(0, len(keys), self.CHUNK):
                    chunk = {key: used[key] for key in keys[start : start + self.CHUNK]}
                    pickler.dump(chunk)
                    pickler.clear_memo()
                    pickler.done.update(chunk)
                sink.finish()
                file.seek(at)
                file.write(sink.digest.hexdigest().encode())
            self.written = temporary
        except Exception:  # a result that is not plain data after all, or a disk that can't be written:
            temporary.unlink(missing_ok=True)  # the site is built, only the next build's head start is lost


def _remove_leftovers(path: pathlib.Path) -> None:
    """Temporary files of builds that were killed while the pages were rendered (``write`` runs then)."""
    with contextlib.suppress(OSError):
        for entry in path.parent.glob(f"{path.name}.*.tmp"):
            pid = entry.name[len(path.name) + 1 : -len(".tmp")]
            if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
                entry.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end it there: kept, as before
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _shared(key: str) -> object:
    """Stands for a result written in an earlier chunk; read back by ``_Unpickler.find_class``."""
    raise pickle.UnpicklingError(key)


class _Pickler(pickle.Pickler):
    def __init__(self, file, shared: dict[int, tuple[object, str]]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared, self.done = shared, set()  # ``done``: the keys of the chunks written

    def reducer_override(self, obj):
        found = self.shared.get(id(obj))
        if found is not None and found[0] is obj and found[1].partition("/")[0] in self.done:
            return _shared, (found[1],)
        return NotImplemented


class _CompressingSink:
    """A file-like ``write`` that compresses what the pickler writes and hashes what reaches the file."""

    def __init__(self, file) -> None:
        self.file, self.zip, self.digest = file, zlib.compressobj(1), hashlib.sha256()

    def write(self, chunk: bytes) -> int:
        self._out(self.zip.compress(chunk))
        return len(chunk)

    def finish(self) -> None:
        self._out(self.zip.flush())

    def _out(self, data: bytes) -> None:
        if data:
            self.digest.update(data)
            self.file.write(data)


_SAFE_MODULES = {"datetime": datetime, "pathlib": pathlib}


class _Unpickler(pickle.Unpickler):
    """Builds only plain data: the package's dataclasses and enums, dates, times and paths; and
    finds a result an earlier chunk held (``_shared``) among those read."""

    def __init__(self, file, loaded: dict[str, object]) -> None:
        super().__init__(file)
        self.loaded = loaded

    def _result(self, key: str) -> object:
        disk, _, index = key.partition("/")
        if disk not in self.loaded:
            raise pickle.UnpicklingError(f"no result {key}")
        found = self.loaded[disk]
        if index:
            if not isinstance(found, tuple) or not index.isdigit() or int(index) >= len(found):
                raise pickle.UnpicklingError(f"no result {key}")
            found = found[int(index)]
        return found

    def find_class(self, module: str, name: str):
        if module in _SAFE_MODULES:
            found = getattr(_SAFE_MODULES[module], name, None)
            if isinstance(found, type) and (module == "datetime" or issubclass(found, pathlib.PurePath)):
                return found
        elif module == __name__ and name == _shared.__name__:
            return self._result
        elif module.startswith("site_builder."):
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def _read_store(path: pathlib.Path, version: str) -> dict[str, object]:
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    magic, _, rest = raw.partition(b"\n")
    found, _, rest = rest.partition(b"\n")
    digest, _, data = rest.partition(b"\n")
    if magic + b"\n" != Store.MAGIC or found != version.encode() or hashlib.sha256(data).hexdigest().encode() != digest:
        return {}
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of objects, all kept: the collector's passes over them would double the time
    loaded: dict[str, object] = {}
    try:
        payload = zlib.decompress(data)
        del raw, data
        stream, end = io.BytesIO(payload), len(payload)
        del payload
        while stream.tell() < end:  # one pickle per chunk of entries, each with its own table
            chunk = _Unpickler(stream, loaded).load()
            if not isinstance(chunk, dict):
                return {}
            loaded.update(chunk)
    except Exception:  # a file this version did not write as it expects: recompute, never fail
        return {}
    finally:
        if collecting:
            gc.enable()
    return loaded


class Memo:
    """Each step's last result per item, with the arguments it was made from; durable steps also
    in ``store`` when one is given (``site-builder build``)."""

    def __init__(self, store: Store | None = None) -> None:
        self.results: dict[
            tuple[str, str], tuple[tuple, object, str | None]
        ] = {}  # (step, item) -> (args, result, key)
        self.store = store
        self.origins: dict[int, tuple[object, str]] = {}  # id of a durable result (or its part) -> it, its key

    def settle(self) -> None:
        """Every durable step of the build has run: write the store now (``Store.write``; the build
        puts the file in place once it succeeds) and forget every result. For a process that builds
        once (``site-builder build``): what the steps made stays alive only where the build uses it,
        and the rest of the build runs with that much less memory."""
        if self.store is not None:
            self.store.write(self.origins)
        self.store = None
        self.results.clear()
        self.origins.clear()

    def _made(self, result: object, disk: str) -> None:
        """Remember which key made ``result`` and each part of it (a step returns a tuple)."""
        self.store.used[disk] = result
        self.origins[id(result)] = (result, disk)
        if isinstance(result, tuple):
            for index, part in enumerate(result):
                if not isinstance(part, _SCALARS):
                    self.origins[id(part)] = (part, f"{disk}/{index}")

    def cached(self, step: str, key: str, compute: Callable[..., T], *args: object, durable: bool = False) -> T:
        kept = self.results.get((step, key))
        if kept is not None and _same(kept[0], args):
            if durable and self.store is not None and kept[2] is not None:
                self._made(kept[1], kept[2])
            return kept[1]  # type: ignore[return-value]
        disk = _durable_key(step, key, args, self.origins) if durable and self.store is not None else None
        if disk is not None and disk in self.store.loaded:
            result = self.store.loaded[disk]
        else:
            result = compute(*args)
            if disk is not None and _durable_key(step, key, args, self.origins) != disk:
                disk = None  # a file changed while it was read: not kept on disk under either content
            if disk is not None:
                self.store.changed = True
        if disk is not None:
            self._made(result, disk)
        self.results[(step, key)] = (args, result, disk)
        return result  # type: ignore[return-value]


def _same(kept: tuple, args: tuple) -> bool:
    """Every argument the same object or an equal value (a loop: the preview asks this for every
    page of the site on each edit)."""
    if len(kept) != len(args):
        return False
    for a, b in zip(kept, args, strict=True):  # noqa: SIM110 (a generator costs more than the comparison)
        if a is not b and a != b:
            return False
    return True


_LENT: ContextVar[Memo | None] = ContextVar("site_builder_memo", default=None)


@contextlib.contextmanager
def using(memo: Memo) -> Iterator[Memo]:
    """Lend ``memo`` to every step run inside the block."""
    token = _LENT.set(memo)
    try:
        yield memo
    finally:
        _LENT.reset(token)


def cached(step: str, key: str, compute: Callable[..., T], *args: object, durable: bool = False) -> T:
    """``compute(*args)``, or its result from an earlier build of ``key`` if every argument is the same.

    ``compute`` must read nothing but its arguments: a file through its :class:`FileState`, what
    exists on disk through a fingerprint of the listing passed as an argument. ``durable``: kept
    between processes too (:class:`Store`); its result must be plain data and its arguments have
    a canonical repr that says all of them."""
    memo = _LENT.get()
    if memo is None:
        return compute(*args)
    if durable:
        return memo.cached(step, key, compute, *args, durable=True)
    return memo.cached(step, key, compute, *args)


def forget(step: str, key: str) -> None:
    """Drop a result that must not be reused (a file that could not be read is read again)."""
    memo = _LENT.get()
    if memo is not None:
        memo.results.pop((step, key), None)
