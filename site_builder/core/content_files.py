"""Which files of content/ are published: those the checks read, and attachments and
images of an allowed type whose bytes are what their name says.

MkDocs copies every other file of its docs folder to the site as it is. A page, script
or SVG copied that way would run in the site's origin (and a same-origin script passes
the Content-Security-Policy), so everything else is refused with a located message:
HTML, JavaScript, CSS, SVG, XML, executables, and a ``.jpg`` that is really HTML.

SVG is refused, not sanitised: it is a document that can carry script, links and
foreign HTML, and what staff put on a news page (photos, scans, charts) is a raster
image or a PDF; an SVG chart exports as PNG from the same program.

Folders whose name starts with ``.`` or ``_``, and files starting with ``.`` or ``~$``
(Word's lock files), are neither read nor published.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from site_builder.core.memo import FileState, cached, file_state, listed
from site_builder.core.problems import Problem, problem

DATA_SUFFIXES = (".yml", ".yaml")  # read by the loader, never published as files
PAGE_SUFFIX = ".md"

# extension -> magic numbers its content may start with (None: text, which must not be markup)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc .xls .ppt .wps .et .dps
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # .docx .xlsx .pptx .odt .ofd .zip
ALLOWED: dict[str, tuple[bytes, ...] | None] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),  # and "WEBP" at offset 8, checked below
    ".pdf": (b"%PDF-",),
    ".ofd": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".wps": _OLE,
    ".et": _OLE,
    ".dps": _OLE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".odp": _ZIP,
    ".zip": _ZIP,
    ".rar": (b"Rar!\x1a\x07",),
    ".7z": (b"7z\xbc\xaf\x27\x1c",),
    ".rtf": (b"{\\rtf",),
    ".txt": None,
    ".csv": None,
}
_SNIFF_BYTES = 512
_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".webp")  # raster formats, none can carry script


def skipped(src: str) -> bool:
    """Hidden and temporary files and folders, and ``_``-folders: never read, never published."""
    *folders, name = src.split("/")
    return any(part.startswith((".", "_")) for part in folders) or name.startswith((".", "~$"))


def _content_ok(path: str, suffix: str) -> bool:
    magic = ALLOWED[suffix]
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return True  # unreadable: reported where it is used (E310), nothing is published from it
    if magic is None:  # text: a browser ignoring its type must not find a page in it
        start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
        return not start.startswith(b"<") and b"<script" not in head.lower() and b"<html" not in head.lower()
    if suffix in _IMAGES:  # a photo saved as PNG but named .JPG is still only a picture: any raster image will do
        return any(head.startswith(m) and (m != b"RIFF" or head[8:12] == b"WEBP") for s in _IMAGES for m in ALLOWED[s])
    return head.startswith(magic)


def _verdict(state: FileState, src: str, rel: str) -> Problem | None:
    """Whether the file may be published; ``state``: the file as found when content/ was walked."""
    suffix = os.path.splitext(src)[1].lower()
    if suffix not in ALLOWED:
        kind = "SVG 图片" if suffix == ".svg" else f"“{suffix or '无扩展名'}”文件"
        return problem("E750", rel, 0, value=src, kind=kind)
    if not _content_ok(state.path, suffix):
        return problem("E751", rel, 0, value=src, suffix=suffix)
    return None


def _link_inside(entry: os.DirEntry, content: Path) -> bool:
    try:
        return entry.is_file() and Path(entry.path).resolve().is_relative_to(content)
    except (OSError, RuntimeError):  # a loop of links: reported where the file is read (E104)
        return False


def check(content: Path, root: str) -> list[Problem]:
    """Every file MkDocs would publish from ``content`` that is neither read by the checks
    nor an attachment or image of an allowed type and content."""
    found = []
    # Listed again only when a file came, went or moved (memo.listed); each file looked at as it is now.
    for path, src in listed("published-candidates", content, _candidates, content):
        state = file_state(path)
        if state is None:
            continue
        rel = f"{root}/{src}"  # the preview checks again on every edit: unchanged files are not reopened
        verdict = cached("published-file", f"{path}\0{rel}", _verdict, state, src, rel)
        if verdict is not None:
            found.append(verdict)
    return sorted(found, key=lambda p: p.path)


def _candidates(content: Path) -> tuple[tuple[str, str], ...]:
    """The regular files under ``content`` that MkDocs would copy as they are: path and src."""
    found = []
    folders = [str(content)]
    while folders:
        folder = folders.pop()
        prefix = Path(folder).relative_to(content).as_posix() + "/"  # once per folder, not per file
        prefix = "" if prefix == "./" else prefix
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                src = prefix + entry.name
                if skipped(src):
                    continue
                if entry.is_symlink() and not _link_inside(entry, content):
                    continue  # links leading out of content/ are E725; broken or looping ones are E104
                if entry.is_dir():
                    folders.append(entry.path)
                    continue
                if src.endswith((PAGE_SUFFIX, *DATA_SUFFIXES)):
                    continue  # read by the loader and the checks
                try:
                    info = entry.stat()
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):  # not a FIFO or device: never opened here
                    found.append((entry.path, src))
    return tuple(found)
