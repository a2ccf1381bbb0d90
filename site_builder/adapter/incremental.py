"""What the previous build made, so the next one redoes only what changed.

Every output page gets a key: a hash of everything that shapes it (its source
bytes, the blocks generated around it, and a site-wide key covering settings,
cleanup data, navigation, templates, mkdocs.yml and this package's own code).
A page whose key is unchanged, and whose file is still there, is not rendered
again. The state lives under .cache/site-builder/ beside mkdocs.yml, never in
the published site.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.core.memo import Store, fingerprint

STATE_VERSION = 4
_PACKAGE = Path(__file__).resolve().parent.parent  # all of site_builder/


def tree_fingerprint(*roots: Path) -> str:
    """Paths and bytes of every file under ``roots``, in a stable order."""
    digest = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(path.as_posix().encode())
            digest.update(_file_digest(path))
    return digest.hexdigest()


# path -> (mtime, size, sha256): the preview fingerprints the theme and this package on every edit
_DIGESTS: dict[Path, tuple[int, int, bytes]] = {}


def _file_digest(path: Path) -> bytes:
    stat = path.stat()
    cached = _DIGESTS.get(path)
    if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    digest = hashlib.sha256(path.read_bytes()).digest()
    _DIGESTS[path] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def code_fingerprint(*extra: Path) -> str:
    """This package's code plus the given template and configuration files."""
    return fingerprint(_package_fingerprint(), tree_fingerprint(*extra) if extra else "")


@functools.cache
def _package_fingerprint() -> str:
    """This package's files, hashed once per process: the code that runs is what the process imported
    (the preview asks twice on every edit; its templates and settings are looked at every time)."""
    return tree_fingerprint(_PACKAGE)


@dataclass
class BuildState:
    pages: dict[str, str] = field(default_factory=dict)  # dest_uri -> key of the page written there
    outputs: list[str] = field(default_factory=list)  # every file written or kept, site-relative
    bodies: dict[str, list[str]] = field(default_factory=dict)  # article src -> [key, rendered body]
    search: dict = field(default_factory=dict)  # search.IndexPlan.record(): which page is in which bundle
    links: dict = field(default_factory=dict)  # sitelinks.LinkRecord of site/: a merge's check reads only new pages
    themed: dict[str, str] = field(default_factory=dict)  # theme template (404.html, sitemap.xml) -> its key

    def changed(self, dest_uri: str, key: str, site_dir: Path | None) -> bool:
        """``site_dir`` None: the folder is the preview's own, where nothing else removes a page (a
        stat per page was a tenth of a second of every edit at 20,000 articles)."""
        if self.pages.get(dest_uri) != key:
            return True
        return site_dir is not None and not os.path.isfile(f"{site_dir}/{dest_uri}")  # no Path: per page


def state_path(config_dir: Path, site_dir: Path) -> Path:
    name = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:16]
    return config_dir / ".cache" / "site-builder" / f"state-{name}.json"


# The preview's records, kept in memory by state file (its folder is temporary, its next build is in
# this process): writing every article's body to JSON and reading it back on each edit took a
# tenth of a second. ``load``/``save``/``discard`` with ``in_memory`` behave as with the file.
_IN_MEMORY: dict[Path, BuildState] = {}


def load(path: Path, in_memory: bool = False) -> BuildState | None:
    if in_memory:
        return _IN_MEMORY.get(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("version") != STATE_VERSION:
        return None
    return BuildState(
        pages=data["pages"],
        outputs=data["outputs"],
        bodies=data["bodies"],
        search=data["search"],
        links=data["links"],
        themed=data.get("themed", {}),
    )


def save(path: Path, state: BuildState, in_memory: bool = False) -> None:
    """Written last and atomically: a build that stopped halfway leaves no state, so the next is clean."""
    if in_memory:
        _IN_MEMORY[path] = state
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": STATE_VERSION, **state.__dict__}
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8") as out:  # streamed: every article's body is in it
        _dump(data, out)
    os.replace(temporary, path)


def _dump(data: dict, out) -> None:
    """``json.dump(data, out, ensure_ascii=False, sort_keys=True)``, by json's encoder in C a value
    at a time: json.dump's own streaming encodes in Python, a third of a second for the record of
    two thousand articles; one string of it all would hold every article's body twice."""
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    out.write("{")
    for index, key in enumerate(sorted(data)):
        value = data[key]
        out.write(("" if index == 0 else ", ") + encode(key) + ": ")
        if type(value) is dict and value and all(type(name) is str for name in value):
            out.write("{")
            for inner, name in enumerate(sorted(value)):
                out.write(("" if inner == 0 else ", ") + encode(name) + ": " + encode(value[name]))
            out.write("}")
        else:
            out.write(encode(value))
    out.write("}")


MEMO_FORMAT = 2  # core/memo.py's Store: what its file holds (2: records copied when unchanged)


def memo_store(config, load: bool) -> Store:
    """What the content steps made (core/memo.py's Store), beside the build record: the pipelines
    cache this folder, so a merge's build reads again only the files it changed. ``load`` False (a
    clean build: --clean, or no record of site/) trusts nothing kept and writes it anew."""
    config_dir = Path(config.config_file_path or ".").resolve().parent
    return Store(config_dir / ".cache" / "site-builder" / "memo.bin", memo_version(), load=load)


def memo_version() -> str:
    """Whatever could make a step compute something else from the same arguments: the record's
    format, this package's code, Python, and every installed distribution with its version (their
    metadata folders' names: one listing per search path, not one lookup per package)."""
    installed = sorted(
        name
        for entry in sys.path
        if os.path.isdir(entry)
        for name in os.listdir(entry)
        if name.endswith((".dist-info", ".egg-info"))
    )
    return fingerprint(STATE_VERSION, MEMO_FORMAT, code_fingerprint(), sys.version, installed)


def discard(path: Path) -> None:
    _IN_MEMORY.pop(path, None)
    path.unlink(missing_ok=True)


def remove_stale(site_dir: Path, previous: BuildState, current: BuildState) -> list[str]:
    """Delete what the previous build wrote and this one no longer makes (a deleted article's
    page, its WeChat copy, a tag no article carries any more)."""
    return [rel for rel in sorted(set(previous.outputs) - set(current.outputs)) if remove_file(site_dir, rel)]


def remove_file(site_dir: Path, rel: str) -> bool:
    """Delete one file of the site (or a link) and the folders it leaves empty; False when there was none."""
    target = site_dir / rel
    try:
        if target.is_dir() and not target.is_symlink():
            return False
        target.unlink()
    except (FileNotFoundError, NotADirectoryError):  # in a folder dropped whole, or never there
        return False
    parent = target.parent
    while parent != site_dir and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
    return True
