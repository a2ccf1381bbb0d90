"""No broken link in site/: every internal ``href``/``src`` of every HTML file must resolve.

Pages, assets, attachments, feeds and anchors (``#id``) are checked once the whole site
is written, in one pass over its files: each file is read once and each distinct link of a
folder is resolved once (the header, menu and footer repeat on every page), so the cost
grows with the size of the site and no faster.

A link is internal when it is relative, root-relative or starts with the site's own
address (``url`` in site.yml: canonical links, feeds, 公众号 copies). Its target must be a
file of site/ (a folder URL means its ``index.html``), and its anchor an ``id`` of that page.

After a merge only the pages the build wrote are read: a page kept as it was had no broken
link in the previous build, and still has none when no file has gone since (else every page
is read again); its links into another page's anchor are kept in the build record
(:class:`LinkRecord`) and checked again every time.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.core.problems import Problem, problem

# Attribute values found by their literal start (fast), kept when they are attributes of a tag:
# text (code shown on a page, "&lt;a href=…") is never a link.
_SPACES = frozenset(b" \t\n\r")


def _pattern(name: str) -> tuple[re.Pattern, re.Pattern]:
    return re.compile(rf'{name}="([^"]*)"'.encode()), re.compile(rf"{name}='([^']*)'".encode())


_HREF, _SRC, _ID = _pattern("href"), _pattern("src"), _pattern("id")


def _values(data: bytes, *patterns: tuple[re.Pattern, re.Pattern]) -> set[bytes]:
    """The distinct raw values of the attributes ``patterns`` match, inside start tags only."""
    found = set()
    for pair in patterns:
        for pattern in pair:
            for match in pattern.finditer(data):
                start = match.start()
                if start and data[start - 1] in _SPACES and data.rfind(b"<", 0, start) > data.rfind(b">", 0, start):
                    found.add(match[1])
    return found


_SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "blob:")
SKIPPED_DIRS = frozenset({"pagefind"})  # Pagefind's own bundle: no pages, checked by its tests


@dataclass(frozen=True)
class BrokenLink:
    page: str  # site-relative path of the HTML file the link is on
    href: str  # as written
    what: str  # 页面 / 文件 / 锚点


@dataclass
class LinkRecord:
    """What the next build's check needs of this one's (kept in incremental.BuildState)."""

    files: list[str] = field(default_factory=list)  # every file of site/
    anchored: list[list[str]] = field(default_factory=list)  # [page, href, target page, anchor]


def check_site(
    site_dir: Path,
    site_url: str,
    record: LinkRecord | None = None,
    kept: set[str] = frozenset(),
    previous: LinkRecord | None = None,
    helper: ProcessPoolExecutor | None = None,
    writing: Iterable[str] = (),
) -> list[BrokenLink]:
    """Every broken internal link of ``site_dir``, in a stable order; ``record`` is filled for the
    next build. ``kept``: files the previous build, checked as ``previous``, wrote as they are now.
    ``helper`` (outputs/helper.py): a second process that reads half of the pages meanwhile.
    ``writing``: folders of SKIPPED_DIRS another process is still writing, counted as there."""
    files = _files(site_dir) | {f"{name}/" for name in writing if name in SKIPPED_DIRS}
    if previous is None or not files.issuperset(previous.files):
        kept = frozenset()  # a file has gone: a kept page may link to it
    base_path = urlsplit(site_url).path or "/"
    pages = sorted(p for p in files if p.endswith(".html") and p not in kept)
    theirs, rest = None, []
    if helper is not None and len(pages) >= SPLIT_FROM:
        half = len(pages) // 2
        with contextlib.suppress(BrokenProcessPool, RuntimeError):  # else all of them here
            theirs = helper.submit(_check_pages, site_dir, pages[half:], files, site_url, base_path)
            pages, rest = pages[:half], pages[half:]
    broken, pending = _check_pages(site_dir, pages, files, site_url, base_path)
    if theirs is not None:
        try:
            found, waiting = theirs.result()
        except Exception:  # the helper could not do it (gone): here, raising what it raised, if anything
            found, waiting = _check_pages(site_dir, rest, files, site_url, base_path)
        broken += found
        pending += waiting
    if kept:
        pending += [(page, href, target, anchor) for page, href, target, anchor in previous.anchored if page in kept]
    if record is not None:
        record.files, record.anchored = sorted(files), sorted(list(link) for link in set(pending))
    ids: dict[str, set[str]] = {}  # page -> its ids, read only for pages an anchor points into
    for page, href, target, anchor in pending:
        if target not in ids:
            ids[target] = {_text(raw) for raw in _values((site_dir / target).read_bytes(), _ID)}
        if anchor not in ids[target]:
            broken.append(BrokenLink(page, href, f"锚点 #{anchor}"))
    return sorted(set(broken), key=lambda b: (b.page, b.href))


SPLIT_FROM = 500  # pages from which a helper process reads half of them


def _check_pages(
    site_dir: Path, pages: list[str], files: set[str], site_url: str, base_path: str
) -> tuple[list[BrokenLink], list[tuple[str, str, str, str]]]:
    """The broken links of ``pages`` (read from ``site_dir``), and their links into other pages' anchors
    (page, href, target page, anchor), checked once every page is read."""
    pending: list[tuple[str, str, str, str]] = []  # page, href, target page, anchor
    broken: list[BrokenLink] = []
    # Caches shared by pages: links seen from a folder above the page's own (the chrome's "../" links,
    # once per folder). A link seen from the page's own folder is cached for that page only: at
    # twenty thousand pages, keeping those would hold hundreds of thousands of entries no other page reads.
    texts: dict[bytes, str] = {}  # raw attribute value -> text
    outcomes: dict[tuple[str, str], tuple] = {}  # (folder, href) -> what the link leads to

    def outcome(folder: str, href: str) -> tuple:
        target = _resolve(href, folder, site_url, base_path)
        if target is None:
            return ()  # another site: not checked
        path, anchor = target
        if path == SAME_PAGE:
            return (SAME_PAGE, anchor) if anchor and anchor != "top" else ()
        found = _existing(path, files)
        if found is None:
            return ("missing", "文件" if "." in posixpath.basename(path) else "页面")
        return (found, anchor) if anchor and anchor != "top" and found.endswith(".html") else ()

    for page in pages:
        data = (site_dir / page).read_bytes()
        folder = _folder_url(page)
        own: set[str] | None = None  # its ids, read for its first "#anchor"; not kept (every page has one)
        own_texts: dict[bytes, str] = {}
        own_outcomes: dict[tuple[str, str], tuple] = {}
        for raw in _values(data, _HREF, _SRC):
            href = texts.get(raw) or own_texts.get(raw)
            if href is None:
                href = _text(raw)
                (texts if raw.startswith(b"../") else own_texts)[raw] = href
            key = _key(folder, href)
            cache = own_outcomes if key[0] == folder else outcomes
            result = cache.get(key)
            if result is None:
                result = cache[key] = outcome(*key)
            if not result:
                continue
            if result[0] == "missing":
                broken.append(BrokenLink(page, href, result[1]))
            elif result[0] == SAME_PAGE:
                if own is None:
                    own = {_text(raw) for raw in _values(data, _ID)}
                if result[1] not in own:
                    broken.append(BrokenLink(page, href, f"锚点 #{result[1]}"))
            else:
                pending.append((page, href, *result))
    return broken, pending


def _text(raw: bytes) -> str:
    return unescape(raw.decode("utf-8", errors="replace"))


def _key(folder: str, href: str) -> tuple[str, str]:
    """The same link seen from another folder: "../x" from "a/b/" is "x" from "a/" (one cache entry
    for the chrome's links on every article page)."""
    up = 0
    while href.startswith("../", 3 * up):
        up += 1
    if not up:
        return folder, href
    segments = folder.split("/")[:-1]
    if len(segments) < up:
        return folder, href
    kept = segments[: len(segments) - up]
    return ("/".join(kept) + "/" if kept else ""), href[3 * up :]


def problems(broken: Iterable[BrokenLink], site_dir_name: str = "site") -> list[Problem]:
    return [problem("E771", f"{site_dir_name}/{b.page}", 0, href=b.href, what=b.what) for b in broken]


def _files(site_dir: Path) -> set[str]:
    found: set[str] = set()
    root = str(site_dir)
    for folder, dirs, names in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        if not prefix:
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        found.update(prefix + name for name in names)
        if not prefix:
            found.update(f"{d}/" for d in SKIPPED_DIRS if (site_dir / d).is_dir())
    return found


def _folder_url(page: str) -> str:
    """The URL folder (site-relative, "" or ending in "/") a page's relative links resolve against."""
    folder = posixpath.dirname(page)
    return f"{folder}/" if folder else ""


SAME_PAGE = "#"


def _resolve(href: str, folder: str, site_url: str, base_path: str) -> tuple[str, str] | None:
    """(site-relative path, anchor) of an internal link, None for an external one.

    The path is a file ("a/b.pdf"), a folder ("a/", "" for the site's root) or
    :data:`SAME_PAGE`; one that leaves the site starts with "/" or "../" (never found).
    """
    href = href.strip()
    lowered = href.lower()
    if lowered.startswith(site_url.lower()):
        href, rooted = base_path + href[len(site_url) :], True
    elif lowered.startswith(("//", *_SKIPPED_SCHEMES)) or re.match(r"^[a-z][a-z0-9+.-]*:", lowered):
        return None  # another site, or not a page at all
    else:
        rooted = href.startswith("/")
    parts = urlsplit(href)
    anchor, path = unquote(parts.fragment), unquote(parts.path)
    if not path:
        return (SAME_PAGE, anchor)  # "", "#x" or "?a=b"
    if rooted:
        if not path.startswith(base_path) and path + "/" != base_path:
            return (path, anchor)  # outside the site's folder on its host
        joined = path[len(base_path) :]
    else:
        joined = folder + path
    if not joined:
        return ("", anchor)
    normal = posixpath.normpath(joined)
    if normal == ".":
        return ("", anchor)
    if normal == ".." or normal.startswith("../"):
        return (joined, anchor)
    return (normal + "/" if joined.endswith("/") else normal, anchor)


def _existing(path: str, files: set[str]) -> str | None:
    """The file ``path`` is served from, or None."""
    if path == "" or path.endswith("/"):
        if path in files:  # a skipped folder
            return path
        index = path + "index.html"
        return index if index in files else None
    if path in files:
        return path
    index = path + "/index.html"
    return index if index in files else None
