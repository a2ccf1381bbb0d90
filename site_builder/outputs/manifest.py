"""`site/build.json`: what a build contains, so a publish can send only changed files.

The portal and the office diff two manifests to see what changed between versions.
The manifest holds no time of its own: the same content and commit give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

from site_builder.core.model import Site

NAME = "build.json"
FORMAT = 2  # 2: `complete`, false when the build failed after writing its files
# CI systems say which commit they build; a local build asks git.
COMMIT_VARIABLES = ("SITE_BUILDER_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA", "DRONE_COMMIT_SHA")


def _entry(path: str) -> dict:
    with open(path, "rb") as handle:
        data = handle.read()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def find_commit(directory: Path) -> str | None:
    """The commit being built: from the CI's variables, else `git rev-parse HEAD`, else unknown."""
    for name in COMMIT_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    try:
        result = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else None


def output_files(site_dir: Path) -> list[str]:
    """Every file of the built site except the manifest itself, as sorted posix paths."""
    paths = []
    top = os.fspath(site_dir)
    for root, dirs, files in os.walk(top):
        dirs.sort()
        prefix = os.path.relpath(root, top).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        paths += (prefix + name for name in files)
    return sorted(path for path in paths if path != NAME)


def build_manifest(
    site_dir: Path, site: Site, commit: str | None, complete: bool = True, known: dict | None = None
) -> dict:
    """``known``: entries of files whose bytes are known (kept as they were by a build after a merge)."""
    known = known or {}
    counts = {"published": 0, "draft": 0, "scheduled": 0}
    for article in site.articles:
        counts[article.status(site.now)] += 1
    files = {relative: known.get(relative) or _entry(f"{site_dir}/{relative}") for relative in output_files(site_dir)}
    return {
        "format": FORMAT,
        "site": site.settings.url,
        "commit": commit,
        "complete": complete,
        "articles": counts,
        "pages": sum(1 for relative in files if relative == "index.html" or relative.endswith("/index.html")),
        "files": files,
    }


def write_manifest(
    site_dir: Path, site: Site, content_dir: Path, complete: bool = True, kept: set[str] = frozenset(), live=None
) -> Path:
    """Write build.json last, after every other output, since it hashes them all.

    A staged build after a merge hashes only the files it wrote: those it ``kept`` (hard links to
    the files of the ``live`` site/) are as the live build.json lists them."""
    previous = read_manifest(live / NAME) if kept and live is not None else None
    known = {path: entry for path, entry in previous["files"].items() if path in kept} if previous else {}
    manifest = build_manifest(site_dir, site, find_commit(content_dir), complete, known)
    target = site_dir / NAME
    with target.open("w", encoding="utf-8", newline="\n") as out:  # encoded as written, not as one string
        dump(manifest, out)
    return target


def dump(manifest: dict, out) -> None:
    """``json.dump(manifest, out, ensure_ascii=False, indent=1, sort_keys=True)`` and a newline, byte
    for byte, without json's encoder in Python for every file's entry (a tenth of a second at
    twenty thousand files): an entry of the usual shape is written as text, anything else by json."""
    string = json.encoder.encode_basestring  # as json.dumps(ensure_ascii=False) writes a string

    def indented(value: object, depth: int) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
        return text.replace("\n", "\n" + " " * depth)  # a JSON string holds no raw newline

    def entry(value: object) -> str:
        if type(value) is dict and value.keys() == {"sha256", "size"}:
            digest, size = value["sha256"], value["size"]
            if type(digest) is str and type(size) is int:
                return f'{{\n   "sha256": {string(digest)},\n   "size": {size}\n  }}'
        return indented(value, 2)

    parts = []
    for key in sorted(manifest):
        value = manifest[key]
        if key == "files" and type(value) is dict and value and all(type(path) is str for path in value):
            files = ",\n".join(f"  {string(path)}: {entry(value[path])}" for path in sorted(value))
            parts.append(f" {string(key)}: {{\n{files}\n }}")
        else:
            parts.append(f" {string(key)}: {indented(value, 1)}")
    out.write("{\n" + ",\n".join(parts) + "\n}\n" if parts else "{}\n")


def read_manifest(path: Path) -> dict | None:
    """A manifest written by `write_manifest`, or None when missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    return data
