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
import threading
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
    """The file's state now, or None when it cannot be looked at (then it is read, not cached).

    In a process whose file watcher reports every change under a folder (:func:`watch`), a file
    there is looked at once and then only again after the watcher reported it: the preview would
    otherwise stat 20,000 unchanged articles on every edit (0.1 s of it)."""
    path = os.fspath(path)
    seen = _WATCHED.states.get(path)
    if seen is not None:
        return seen
    try:
        info = os.stat(path)
    except OSError:
        return None
    state = FileState(path, info.st_mtime_ns, info.st_size)
    if _WATCHED.roots and path.startswith(_WATCHED.roots) and _WATCHED.reported_as(path):
        _WATCHED.states[path] = state
    return state


class _Watched:
    """File states under folders a watcher reports on, kept from one build to the next.

    Only the thread that builds reads and fills ``states``; the watcher's thread adds to
    ``pending``, which that thread applies when a build starts (:func:`changes_seen`). A change
    made while a build runs is reported after the change, so it is in ``pending`` when the next
    build starts, whichever state the running build kept."""

    def __init__(self) -> None:
        self.roots: tuple[str, ...] = ()  # each absolute, with a trailing separator
        self.real: dict[str, str] = {}  # root -> the same folder with every link resolved
        self.folders: dict[str, bool] = {}  # folder -> reached without a link (``reported_as``)
        self.states: dict[str, FileState] = {}
        self.pending: set[str] = set()
        self.everything = False  # a change the watcher could not name (a folder moved): forget all
        self.reshaped = False  # a file created, deleted or moved since the last build started
        self.shape = 0  # counts the builds that started after such a change
        self.lock = threading.Lock()

    def reported_as(self, path: str) -> bool:
        """Whether a change of the file at ``path`` is reported under that path: no link on the
        way below the watched folder (the watcher names the file by where it really is) and no
        other spelling (``..``, a doubled separator). Folders are resolved once each."""
        folder = os.path.dirname(path)
        plain = self.folders.get(folder)
        if plain is None:
            root = next(r for r in self.roots if path.startswith(r))
            real = os.path.normpath(os.path.join(self.real[root], folder[len(root) :]))
            plain = self.folders[folder] = os.path.realpath(folder) == real
        return plain and os.path.normpath(path) == path and not os.path.islink(path)


_WATCHED = _Watched()


def watch(folder: str | os.PathLike) -> None:
    """From now on a watcher reports every change under ``folder`` (by :func:`changed`): a file
    there is looked at again only when reported. Call it once the watcher runs; what was looked
    at before is forgotten (a change made before the watcher started was reported to no one)."""
    root = os.path.join(os.path.abspath(folder), "")
    with _WATCHED.lock:
        _WATCHED.roots = (*_WATCHED.roots, root)
        _WATCHED.real[root] = os.path.join(os.path.realpath(root), "")
        _WATCHED.states.clear()
        _WATCHED.folders.clear()
        _WATCHED.pending.clear()
        _WATCHED.everything = False
        _WATCHED.reshaped = True


def unwatch() -> None:
    """Every file is looked at again on every call (the watcher stopped)."""
    with _WATCHED.lock:
        _WATCHED.roots = ()
        _WATCHED.real.clear()
        _WATCHED.states.clear()
        _WATCHED.folders.clear()
        _WATCHED.pending.clear()


def changed(path: str | None, *, reshaped: bool = True) -> None:
    """The watcher saw the file at ``path`` change (None: something it cannot name, such as a
    folder moved); ``reshaped``: created, deleted or moved, not only written to."""
    with _WATCHED.lock:
        if path is None:
            _WATCHED.everything = True
        else:
            _WATCHED.pending.add(os.path.abspath(path))
        _WATCHED.reshaped = _WATCHED.reshaped or reshaped or path is None


def changes_seen() -> None:
    """A build starts: the files reported since the last one are looked at again."""
    with _WATCHED.lock:
        pending, _WATCHED.pending = _WATCHED.pending, set()
        everything, _WATCHED.everything = _WATCHED.everything, False
        if _WATCHED.reshaped:
            _WATCHED.shape += 1
            _WATCHED.reshaped = False
    if everything:
        _WATCHED.states.clear()
        _WATCHED.folders.clear()
    if pending and os.path.normcase("A") != "A":  # Windows: the watcher may spell a name in another case
        spelled = {os.path.normcase(path) for path in pending}
        pending |= {path for path in _WATCHED.states if os.path.normcase(path) in spelled}
    for path in pending:
        _WATCHED.states.pop(path, None)


def shape(folder: str | os.PathLike) -> object:
    """A token equal to the last one given for ``folder`` when no file under it was created,
    deleted or moved in between, as a watcher reported (:func:`watch`); without a watcher, a new
    token on every call. A step that reads only which files exist (a listing) takes it as an
    argument: the preview then lists content/ again only when its files came or went."""
    path = os.path.join(os.path.abspath(folder), "")
    if _WATCHED.roots and path.startswith(_WATCHED.roots):
        return ("shape", _WATCHED.shape)
    return object()


def _file_hash(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).digest()
    except OSError:
        return None


def _reads_file(args: tuple) -> bool:
    return any(isinstance(arg, FileState) for arg in args)


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


class _Chunk(NamedTuple):
    """One record of the store's file: where its compressed pickle is, what it holds and needs."""

    at: int  # offset of its header line in the file
    size: int  # header line and data, in bytes
    keys: tuple[str, ...]
    refs: frozenset[int]  # the earlier records holding a result it refers to (``_shared``)
    late: bool  # written after ``write`` (``save``): results of steps run once the store was written


class Store:
    """Results of durable steps kept on disk between builds: one file, read once.

    Pickled, because the results are the core's own dataclasses (articles, problems, parsed
    headers) and a plain-data codec would be a second description of each to keep in step. The
    file is trusted no further than it must be: it is read with an unpickler that builds nothing
    but the package's dataclasses and enums, dates and paths (never calls a function but its own
    look-up of a result read before), and only when its header names the same ``version`` (the
    format, this package's code, Python); any other file (corrupt, cut short, older or newer) is
    ignored whole and the steps recomputed. ``save`` keeps only the entries this build used, so
    the file does not grow with history.

    The file is a header and records, each a compressed pickle of up to ``CHUNK`` entries with its
    own length and SHA-256. A record whose every entry this build used again is copied as it is
    (its bytes, not its results: a build after a merge pickles only the entries around what
    changed); the entries of the others, and the new ones, are pickled into new records.
    """

    MAGIC = b"site-builder-memo 2\n"
    CHUNK = 1000  # entries per pickle: the pickler's table of what it wrote stays small

    def __init__(self, path: os.PathLike | str, version: str, load: bool = True) -> None:
        self.path, self.version = pathlib.Path(path), version
        self.loaded, self.chunks = _read_store(self.path, version) if load else ({}, [])
        self.used: dict[str, object] = {}
        self.changed = False  # a result computed (else what was read is all there is to write)
        self.written: pathlib.Path | None = None  # the file ``write`` made, which ``save`` puts in place
        self.wrote = False  # ``write`` has run (whether it made a file or not)
        self._copied: set[int] = set()  # records ``write`` and ``save`` copied as they were
        self.same = False  # ``write`` copied every early record and pickled none: maybe the same file

    def save(self, shared: dict[int, tuple[object, str]] | None = None) -> None:
        """Written to a temporary file and renamed: a build stopped halfway leaves the old file or none.
        The temporary file is the one ``write`` made earlier in the build, if it did; the results of
        steps run since (compiled templates) are added to it here."""
        if not self.wrote:
            self.write(shared)
        if self.written is not None:
            try:
                with open(self.written, "ab") as file:
                    kept = self._copy(file, self.used, late=True)
                    rest = {key: value for key, value in self.used.items() if key not in kept}
                    late = self._records(file, rest, shared or {}, late=True)
                if self.same and late == 0 and len(self._copied) == len(self.chunks):  # the file as it was
                    self.written.unlink()
                else:
                    os.replace(self.written, self.path)
            except Exception:  # the site is built, only the next build's head start is lost
                self.written.unlink(missing_ok=True)
            self.written = None
        self.used, self.loaded, self.chunks = {}, {}, []
        _remove_leftovers(self.path)

    def discard(self) -> None:
        """The build failed: what ``write`` made is not put in place."""
        if self.written is not None:
            self.written.unlink(missing_ok=True)
            self.written = None

    def write(self, shared: dict[int, tuple[object, str]] | None = None) -> None:
        """Write what this build used to a temporary file (``save`` renames it), then let go of it.

        Each record is streamed through the compressor into the file, never held whole, and holds
        ``CHUNK`` entries: one pickle of everything would keep a table of every object it wrote
        (millions at twenty thousand articles, over a hundred MB). A result that an earlier record
        holds (``shared``: id -> the result or part of one, and its key; an article inside its page)
        is written as a reference to it, so it is one object again when read. What was read and not
        used yet stays loaded for the steps that run after this (``save`` writes what they use)."""
        self.wrote = True
        used, loaded = self.used, self.loaded
        self.used = {}
        self.loaded = {key: value for key, value in loaded.items() if key not in used}
        del loaded
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as file:
                file.write(self.MAGIC + self.version.encode() + b"\n")
                kept = self._copy(file, used, late=False)
                rest = {key: value for key, value in used.items() if key not in kept}
                del used
                pickled = self._records(file, rest, shared or {}, late=False, done=kept)
            self.same = pickled == 0 and len(self._copied) == sum(1 for chunk in self.chunks if not chunk.late)
            self.written = temporary
        except Exception:  # a result that is not plain data after all, or a disk that can't be written:
            temporary.unlink(missing_ok=True)  # the site is built, only the next build's head start is lost

    def _copy(self, file, used: dict[str, object], late: bool) -> set[str]:
        """Copy the records of the file read whose entries are all in ``used`` (and whose references
        are to records copied too); the keys they hold."""
        kept: set[str] = set()
        copied = self._copied
        if not self.chunks:
            return kept
        try:
            with open(self.path, "rb") as source:
                for index, chunk in enumerate(self.chunks):
                    if chunk.late != late or not chunk.refs <= copied or not all(key in used for key in chunk.keys):
                        continue
                    source.seek(chunk.at)
                    record = source.read(chunk.size)
                    if _record(record) is None:  # the file changed since it was read: pickled anew instead
                        continue
                    file.write(record)
                    copied.add(index)
                    kept.update(chunk.keys)
        except OSError:  # gone since it was read: what was not copied is pickled
            pass
        return kept

    def _records(self, file, entries: dict[str, object], shared: dict, late: bool, done: set[str] = frozenset()) -> int:
        """Pickle ``entries`` into new records, ``CHUNK`` at a time; how many were written."""
        pickler = _Pickler(shared)
        pickler.done.update(done)
        keys = list(entries)
        count = 0
        for start in range(0, len(keys), self.CHUNK):
            chunk = {key: entries[key] for key in keys[start : start + self.CHUNK]}
            file.write(pickler.record(chunk, late))
            pickler.done.update(chunk)
            count += 1
        return count


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


class _Pickler:
    """Pickles one record at a time; a result an earlier record holds (``done``: their keys) is
    written as a reference to it."""

    def __init__(self, shared: dict[int, tuple[object, str]]) -> None:
        self.shared, self.done = shared, set()

    def record(self, chunk: dict[str, object], late: bool) -> bytes:
        """A record of the file: a header line (kind, length, SHA-256) and the compressed pickle."""
        buffer = io.BytesIO()
        _RecordPickler(buffer, self).dump(chunk)
        data = zlib.compress(buffer.getbuffer(), 1)
        return b"%s %d %s\n" % (b"l" if late else b"e", len(data), hashlib.sha256(data).hexdigest().encode()) + data


class _RecordPickler(pickle.Pickler):
    def __init__(self, file, owner: _Pickler) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared, self.done = owner.shared, owner.done

    def reducer_override(self, obj):
        found = self.shared.get(id(obj))
        if found is not None and found[0] is obj and found[1].partition("/")[0] in self.done:
            return _shared, (found[1],)
        return NotImplemented


def _record(data: bytes, at: int = 0) -> tuple[bool, bytes, int] | None:
    """The record at ``at``: whether it is late, its compressed pickle and where the next starts;
    None when it is not one whole, undamaged record."""
    end = data.find(b"\n", at, at + 100)
    if end < 0:
        return None
    parts = data[at:end].split(b" ")
    if len(parts) != 3 or parts[0] not in (b"e", b"l") or not parts[1].isdigit():
        return None
    size = int(parts[1])
    payload = data[end + 1 : end + 1 + size]
    if len(payload) != size or hashlib.sha256(payload).hexdigest().encode() != parts[2]:
        return None
    return parts[0] == b"l", payload, end + 1 + size


_SAFE_MODULES = {"datetime": datetime, "pathlib": pathlib}


class _Unpickler(pickle.Unpickler):
    """Builds only plain data: the package's dataclasses and enums, dates, times and paths; and
    finds a result an earlier chunk held (``_shared``) among those read."""

    def __init__(self, file, loaded: dict[str, object]) -> None:
        super().__init__(file)
        self.loaded = loaded
        self.refs: set[str] = set()  # the keys of earlier records' results this one refers to

    def _result(self, key: str) -> object:
        disk, _, index = key.partition("/")
        if disk not in self.loaded:
            raise pickle.UnpicklingError(f"no result {key}")
        self.refs.add(disk)
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


def _read_store(path: pathlib.Path, version: str) -> tuple[dict[str, object], list[_Chunk]]:
    """Every entry of the file, and its records; nothing when any part of it is not as written."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}, []
    head = Store.MAGIC + version.encode() + b"\n"
    if not raw.startswith(head):
        return {}, []
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of objects, all kept: the collector's passes over them would double the time
    loaded: dict[str, object] = {}
    chunks: list[_Chunk] = []
    where: dict[str, int] = {}  # key -> its record
    at = len(head)
    try:
        while at < len(raw):  # one pickle per record, each with its own table
            found = _record(raw, at)
            if found is None:
                return {}, []
            late, data, end = found
            unpickler = _Unpickler(io.BytesIO(zlib.decompress(data)), loaded)
            chunk = unpickler.load()
            if not isinstance(chunk, dict):
                return {}, []
            refs = frozenset(where[key] for key in unpickler.refs)
            chunks.append(_Chunk(at, end - at, tuple(chunk), refs, late))
            where.update(dict.fromkeys(chunk, len(chunks) - 1))
            loaded.update(chunk)
            at = end
    except Exception:  # a file this version did not write as it expects: recompute, never fail
        return {}, []
    finally:
        if collecting:
            gc.enable()
    return loaded, chunks


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
        if self.store is not None:  # kept for steps run after this (compiled templates): ``save`` adds them
            self.store.write(self.origins)
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
        # Tuples compare element by element, each the same object or an equal value, in C: the preview
        # asks this for every file and page of the site on each edit (180,000 times at 20,000 articles).
        if kept is not None and kept[0] == args:
            if durable and self.store is not None and kept[2] is not None:
                self._made(kept[1], kept[2])
            return kept[1]  # type: ignore[return-value]
        disk = _durable_key(step, key, args, self.origins) if durable and self.store is not None else None
        if disk is not None and disk in self.store.loaded:
            result = self.store.loaded[disk]
        else:
            result = compute(*args)
            # A file can change while it is read (every other argument is a value, the same after):
            # not kept on disk under either content.
            if disk is not None and _reads_file(args) and _durable_key(step, key, args, self.origins) != disk:
                disk = None
            if disk is not None:
                self.store.changed = True
        if disk is not None:
            self._made(result, disk)
        self.results[(step, key)] = (args, result, disk)
        return result  # type: ignore[return-value]


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
    # The answer for unchanged arguments without a second call (``Memo.cached``'s first lines): the
    # preview asks 150,000 times per edit at 20,000 articles. A durable step with a store goes on
    # there, which also records that this build used the result.
    kept = memo.results.get((step, key))
    if kept is not None and kept[0] == args and not (durable and memo.store is not None):
        return kept[1]  # type: ignore[return-value]
    return memo.cached(step, key, compute, *args, durable=durable)


def listed(step: str, folder: str | os.PathLike, compute: Callable[..., T], *args: object) -> T:
    """``compute(*args)``, a step that reads only which files exist under ``folder`` (their names,
    links and kinds, not their contents), or its result from the last build when the watcher saw
    no file there come, go or move (:func:`shape`). ``compute`` is a module-level function; its
    result is shared, never changed by the caller."""
    return cached(step, os.fspath(folder), _listed, shape(folder), compute, *args)


def _listed(shape_now: object, compute: Callable[..., T], *args: object) -> T:
    return compute(*args)


def forget(step: str, key: str) -> None:
    """Drop a result that must not be reused (a file that could not be read is read again)."""
    memo = _LENT.get()
    if memo is not None:
        memo.results.pop((step, key), None)
