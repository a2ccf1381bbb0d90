"""`site-builder build` writes a new site beside site/ and swaps it in only when every step succeeded.

The build renders into ``.site.staging-<pid>-<random>/`` next to site/ (same file system),
which starts empty. An incremental build decides what changed by looking at site/ (incremental.py),
writes only that, and at the end of its writes hard-links every other file of site/ into the
staging folder (:meth:`Stage.keep_unchanged`): no file is ever written through a link, so site/
can't change. On POSIX a rebuild has those links made from its start by a process of its own,
into a mirror of site/ (hardlinks.py): the build then moves the files it wrote over their old
copies there, and the mirror takes the staging folder's name.
Only after MkDocs, the search index, feeds, WeChat copies and build.json are all done does one
rename put the staging folder in place: renameat2(RENAME_EXCHANGE) on Linux swaps the two
directories atomically, so site/ is at every moment either the old or the new complete
site; elsewhere two renames, with a recovery step at the next build. A failure, Ctrl+C or
kill -9 leaves site/ as it was; leftovers of a killed build are removed by the next one.

The incremental record (incremental.py) describes site/: it is set aside just before the
swap and written again just after it, so a kill between the two only costs a full build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from site_builder.adapter import hardlinks, incremental
from site_builder.core.faults import Fault, shown

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
STAGING = "staging"
OLD = "old"
MIRROR = "mirror"


def _sibling(live: Path, kind: str) -> Path:
    """A new name each build: in-process caches (feeds.py) key written folders by path."""
    return live.parent / f".{live.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    if os.name == "nt" or pid == os.getpid():  # Windows: os.kill(pid, 0) would end the process
        return pid == os.getpid()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(live: Path, kind: str) -> list[tuple[Path, int]]:
    found = []
    prefix = f".{live.name}.{kind}-"
    with contextlib.suppress(OSError):
        for entry in live.parent.iterdir():
            pid = entry.name[len(prefix) :].split("-")[0]
            if entry.name.startswith(prefix) and pid.isdigit():
                found.append((entry, int(pid)))
    return sorted(found)


def recover(live: Path) -> None:
    """Undo what a killed build left: a half-made staging folder; site/ moved aside (non-Linux swap)."""
    if not live.exists() and not live.is_symlink():
        olds = [path for path, pid in _leftovers(live, OLD) if not _alive(pid)]
        if olds:
            os.rename(olds[-1], live)
    for path, pid in _leftovers(live, STAGING) + _leftovers(live, OLD) + _leftovers(live, MIRROR):
        if not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)


class _Mirror:
    """site/ linked whole into a sibling folder by a process of its own (hardlinks.py), started with
    the build: the links are made on the other core while this one loads, plans and renders."""

    def __init__(self, live: Path) -> None:
        self.path = _sibling(live, MIRROR)
        self.listing = tempfile.TemporaryFile()  # noqa: SIM115 (closed in discard) not a pipe: a full one stops it
        self.process = subprocess.Popen(
            # -I: this installation's package, never a folder of that name in the site's folder
            [sys.executable, "-I", "-m", "site_builder.adapter.hardlinks", os.fspath(live), os.fspath(self.path)],
            stdin=subprocess.DEVNULL,
            stdout=self.listing,
            stderr=subprocess.DEVNULL,
        )

    def finish(self) -> set[str] | None:
        """The files linked (site-relative) once every one is; None when the process failed."""
        if self.process.wait() != 0:
            return None
        self.listing.seek(0)
        return {os.fsdecode(name) for name in self.listing.read().split(b"\0") if name}

    def discard(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.listing.close()
        shutil.rmtree(self.path, ignore_errors=True)


def _adopt(mirror: Path, stage: Path, linked: set[str], skip: set[str], replaced: set[str]) -> set[str]:
    """Make the mirror of site/ this build's site, then put it at the staging folder's name.

    What linking into the staging folder would make, from the other side: the folders in ``replaced`` and the
    files in ``skip`` go, and every file the build wrote is moved over its old copy (a folder site/
    did not have is moved whole). The staging folder is left with empty folders, and the two swap
    names. Returns the files kept from site/, as :meth:`Stage.keep_unchanged` does."""
    root = os.fspath(mirror)
    for folder in replaced:
        shutil.rmtree(os.path.join(root, folder), ignore_errors=True)
    for relative in skip:
        incremental.remove_file(mirror, relative)
    written: set[str] = set()  # files of site/ the build replaced
    folders = set(replaced)  # folders of site/ not kept: the search bundles made again, a folder now a file
    _move_written(os.fspath(stage), root, "", written, folders)
    if not _exchange(mirror, stage):  # after the exchange the mirror's name holds the emptied folders: discard()
        shutil.rmtree(stage)
        os.rename(mirror, stage)
    under = tuple(folders)
    return {name for name in linked if name not in skip and name not in written and not name.startswith(under)}


def _move_written(source: str, target: str, prefix: str, written: set[str], folders: set[str]) -> None:
    """Every file under ``source`` moved to the same place under ``target``. What it replaced there is
    added to ``written`` (a file) or ``folders`` (a folder, "d/"), site-relative."""
    with os.scandir(source) as listing:
        entries = list(listing)  # listed before any is moved out of the folder
    for entry in entries:
        there = os.path.join(target, entry.name)
        exists = os.path.lexists(there)
        folder_there = exists and os.path.isdir(there) and not os.path.islink(there)
        if entry.is_dir(follow_symlinks=False):
            if folder_there:
                _move_written(entry.path, there, f"{prefix}{entry.name}/", written, folders)
                continue
            if exists:  # a page's folder where site/ had a file
                os.unlink(there)
                written.add(prefix + entry.name)
            os.rename(entry.path, there)  # nothing of site/ under it: moved whole
            continue
        if folder_there:  # a file where site/ had a folder
            shutil.rmtree(there)
            folders.add(f"{prefix}{entry.name}/")
        elif exists:
            written.add(prefix + entry.name)
        os.replace(entry.path, there)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one system call; False where the platform cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # an old kernel or a file system without RENAME_EXCHANGE
    raise OSError(code, os.strerror(code), os.fspath(second))


class _Removal:
    """The previous site removed by ``rm -rf`` in its own process, while this one writes the build
    record and the content cache: thousands of unlinks, the largest part of a merge's wall time on
    a busy disk. A thread would not do: the unlinks wait for the interpreter lock the writing holds.
    Where there is no ``rm`` (Windows), or it fails, ``shutil.rmtree`` here."""

    def __init__(self, path: Path) -> None:
        self.path, self.process = path, None
        rm = shutil.which("rm") if os.name == "posix" else None
        if rm is not None:
            with contextlib.suppress(OSError):
                self.process = subprocess.Popen(
                    [rm, "-rf", "--", os.fspath(path)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )

    def wait(self) -> None:
        if self.process is not None:
            self.process.wait()
        if os.path.lexists(self.path):
            shutil.rmtree(self.path, ignore_errors=True)


class Stage:
    """One build's staging folder beside the live site."""

    def __init__(self, live: Path, keep: bool = False) -> None:
        """``keep``: a rebuild, which keeps most of site/ (the mirror is started at once, on POSIX)."""
        if live.is_symlink() and live.is_dir():
            live = live.resolve()  # swap the folder the link names, keep the link
        if live.exists() and not live.is_dir():
            raise Fault("E832", path=shown(live), option="--site-dir")
        if os.path.ismount(live):  # a volume mounted at site/ can't be renamed (EBUSY)
            raise Fault("E845", path=shown(live))
        live.parent.mkdir(parents=True, exist_ok=True)
        recover(live)
        self.live = live
        self.path = _sibling(live, STAGING)
        self.done = False
        self.removing: _Removal | None = None
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir()  # empty: the build writes what changed, keep_unchanged links the rest
        self.mirror: _Mirror | None = None
        if keep and os.name == "posix" and live.is_dir():
            with contextlib.suppress(OSError):  # no process to be had: keep_unchanged links them itself
                self.mirror = _Mirror(live)

    def drop_mirror(self) -> None:
        """A build that keeps nothing of site/ after all (its record was written by another version, or
        damaged): the mirror's process is stopped, not left to compete with Pagefind for the other core."""
        if self.mirror is not None:
            self.mirror.discard()
            self.mirror = None

    def keep_unchanged(self, skip: set[str], replaced: set[str] = frozenset()) -> set[str]:
        """Bring into the staging folder every file of site/ the build did not write (nor delete), as
        hard links: from the mirror when its process made them, else linked here.

        Called after every write of the build except build.json: a link made here is never written
        through, so site/ can't change. A folder in ``replaced`` (a search bundle made again, or
        dropped; "pagefind/delta/") is the build's whole: nothing of the old one is kept. Returns the
        files kept (site-relative): the link check need not read them again (sitelinks.py).
        """
        mirror, self.mirror = self.mirror, None
        linked = mirror.finish() if mirror is not None else None
        try:
            if linked is None:
                return hardlinks.link_tree(os.fspath(self.live), os.fspath(self.path), skip, replaced)
            return _adopt(mirror.path, self.path, linked, skip, replaced)
        finally:
            if mirror is not None:
                mirror.discard()

    def commit(self, state_file: Path | None = None, state: incremental.BuildState | None = None) -> None:
        """Put the finished site in place; the incremental record follows the site it describes."""
        aside = state_file.with_name(state_file.name + ".swapping") if state_file is not None else None
        if aside is not None and state_file.exists():
            os.replace(state_file, aside)  # killed from here to the save below: the next build is clean
        try:
            old = self._swap()
        except BaseException:
            if aside is not None and aside.exists() and not self.done:
                os.replace(aside, state_file)  # site/ is unchanged: so is its record
            raise
        if old is not None:  # removed while the record is written (and whatever the caller still saves)
            self.removing = _Removal(old)
        if aside is not None:
            aside.unlink(missing_ok=True)
        if state_file is not None and state is not None:
            incremental.save(state_file, state)

    def wait(self) -> None:
        """Until the previous site is gone: nothing of it is left beside site/ when the build returns."""
        if self.removing is not None:
            self.removing.wait()
            self.removing = None

    def _swap(self) -> Path | None:
        """One rename; returns where the previous site now is, to be removed."""
        if not self.live.is_dir():
            os.rename(self.path, self.live)
            self.done = True
            return None
        if _exchange(self.path, self.live):
            self.done = True
            return self.path  # after the swap the staging name holds the previous site
        old = _sibling(self.live, OLD)
        os.rename(self.live, old)
        try:
            os.rename(self.path, self.live)
        except BaseException:
            os.rename(old, self.live)
            raise
        self.done = True
        return old

    def discard(self) -> None:
        self.drop_mirror()
        if not self.done:
            shutil.rmtree(self.path, ignore_errors=True)


@contextlib.contextmanager
def staged(config, keep: bool = False) -> Iterator[Stage]:
    """Point the MkDocs build at a staging folder for the duration; site/ changes only in ``commit``.
    ``keep``: a rebuild, which keeps from site/ what it does not write (:class:`Stage`)."""
    live = Path(config.site_dir)
    stage = Stage(live, keep=keep)
    plugin = config.plugins.get("site-builder")
    if plugin is not None:
        plugin.stage = stage  # the incremental record is about site/ (stage.live), not the staging name
    config.site_dir = str(stage.path)
    try:
        yield stage
    finally:
        config.site_dir = str(live)
        stage.discard()
        stage.wait()


def failure(exc: BaseException, config_file: str | None, site_dir: str | None, config) -> tuple[str, int]:
    """`site-builder build` failed: why, in Chinese, saying that site/ is as it was; and the exit code."""
    from mkdocs.exceptions import Abort, ConfigurationError

    from site_builder.adapter.mkdocs_log import config_error
    from site_builder.core.faults import from_os_error, internal_error, outside_a_site

    site = shown(config.site_dir if config is not None else (site_dir or "site"))
    if isinstance(exc, KeyboardInterrupt):
        return Fault("E831", site=site).format(), 130
    if isinstance(exc, ConfigurationError) and (outside := outside_a_site(config_file)) is not None:
        return outside.format(), 1
    if isinstance(exc, Exception) and not isinstance(exc, (ConfigurationError, Fault, OSError, Abort)):
        return internal_error() + "\n" + Fault("E830", site=site).format(), 70
    if not isinstance(exc, Exception):
        raise exc  # SystemExit and the like
    said = {
        ConfigurationError: lambda: config_error(exc, config_file),
        Fault: lambda: exc.format(),
        OSError: lambda: from_os_error(exc).format(),
    }
    why = next((say() for kind, say in said.items() if isinstance(exc, kind)), None)
    return "\n".join([*([why] if why else []), Fault("E830", site=site).format()]), 1
