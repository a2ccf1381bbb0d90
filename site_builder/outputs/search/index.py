"""Chinese full-text search with Pagefind's extended build (it segments Chinese).

Pagefind 1.4.0 is pinned on purpose: 1.5.x segments the query in the browser
with Intl.Segmenter, differently from the index, and loses recall on words such
as 复议 (Pagefind/pagefind#1237). The index is chunked, so a reader downloads only
what a query needs, never the whole site.

Pages are handed to Pagefind's indexing service (``pagefind --service``) while the
rest of the site is still being rendered, so indexing runs on the second core
instead of after the build. We speak its protocol (base64 JSON messages, each
ended by a comma) directly: the ``pagefind`` package's asyncio client sleeps
100 ms before reading every reply, which is 200 s for 2,000 pages.

Pagefind cannot update an index, so the site's index is two bundles (listed in
``pagefind/bundles.json``): ``base``, every page as a full build indexed it, and ``delta``,
the pages a merge changed or added since. The search page loads the base and merges the
delta into it with Pagefind's ``mergeIndex`` (one WebAssembly download for both), and
drops the base's results for pages the delta replaces or that are gone (``hidden``). A
build after a merge indexes only the delta; once it holds a fifth of the pages, the next
build makes one base again. Two bundles and not one a year: every bundle costs a first
query one index chunk (about 33 KB) per character pair of the query, whatever its size.
A clean and an incremental build show the same pages for every query (tested).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import subprocess
import threading
import time
import zlib
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from pagefind.service import get_executable

from site_builder.outputs.search.text import document_text

OUTPUT_SUBDIR = "pagefind"
BUNDLES_FILE = "bundles.json"  # in OUTPUT_SUBDIR: the bundles the search page merges
BASE, DELTA = "base", "delta"
FOLD_AT = 300  # delta pages (or a fifth of all pages, if more) from which the next build makes one base
# "und" (undetermined): no segmenter, no stemmer; Pagefind indexes our character pairs as they are.
LANGUAGE = "und"
CONFIG = {"force_language": LANGUAGE, "exclude_selectors": [".headerlink"]}
QUEUED_PAGES = 500  # ~5 MB of pages waiting for Pagefind at most


def document(body: str) -> str:
    """A page as Pagefind needs it: only the part marked data-pagefind-body.

    Once any page has that mark, pages without it are not indexed at all, so they are
    never sent; the rest of a page (menus, footer: most of its bytes) only cost Pagefind
    parsing time, and gave every result the footer's emblem as its image.
    """
    return (
        f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head>'
        f"<body>{document_text(body)}</body></html>"
    )


class SearchError(Exception):
    """Search must never silently disappear from the site."""


def _message(message_id: int, payload: dict) -> bytes:
    """One request as Pagefind's service reads it."""
    message = {"message_id": message_id, "payload": payload}
    # UTF-8, not \uXXXX escapes: a third of the bytes for Pagefind to decode
    return base64.b64encode(json.dumps(message, ensure_ascii=False).encode("utf-8")) + b","


def _add_file(message_id: int, index_id: int, url: str, body: str) -> bytes:
    payload = {"type": "AddFile", "index_id": index_id, "url": url, "file_contents": document(body), "file_path": None}
    return _message(message_id, payload)


def _add_files(pages: list[tuple[int, int, str, str]]) -> bytes:
    """The requests for a batch of pages (message id, index id, URL, searchable HTML): run in the helper."""
    return b"".join(_add_file(*page) for page in pages)


class _Batch:
    """Pages whose requests the helper process makes; the writer thread waits for them in turn."""

    def __init__(self, pages: list[tuple[int, int, str, str]], made: Future | None) -> None:
        self.pages, self.made = pages, made

    def data(self) -> bytes:
        if self.made is not None:
            try:
                return self.made.result()
            except Exception:  # the helper could not run (it died, or no `__main__` guard): made here
                pass
        return _add_files(self.pages)


class BackgroundIndex:
    """Pagefind indexes fed page by page, one per bundle; ``finish`` writes each to ``site_dir/pagefind/<bundle>``.

    ``helper`` (outputs/helper.py): pages given to ``add_page`` are made into requests by that second
    process (a full build, thousands of pages), in batches; the requests and their order are the same
    as without it. The caller shuts it down."""

    BATCH = 32

    def __init__(self, site_dir: Path, helper: ProcessPoolExecutor | None = None) -> None:
        self.output = site_dir / OUTPUT_SUBDIR
        binary = get_executable()
        if binary is None:
            raise SearchError("找不到搜索索引程序 Pagefind：请重新安装依赖（./dev build 会自动安装）。")
        self._process = subprocess.Popen(
            [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self._replies: dict[int, dict] = {}
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, name="pagefind-replies", daemon=True)
        self._reader.start()
        # Pages go out through a queue: Pagefind reads slower than MkDocs makes pages, and a
        # full pipe (64 KB, a few pages) would stall the build instead of letting it go on.
        # Bounded, so a much slower Pagefind holds back the build rather than its memory.
        self._outbox: queue.Queue[bytes | _Batch | None] = queue.Queue(
            maxsize=QUEUED_PAGES // self.BATCH if helper is not None else QUEUED_PAGES
        )
        self._writer = threading.Thread(target=self._write, name="pagefind-requests", daemon=True)
        self._writer.start()
        self._next_id = 0
        self._pages: list[int] = []
        self._indexes: dict[str, int] = {}  # bundle -> Pagefind's index id
        self._helper = helper
        self._batch: list[tuple[int, int, str, str]] = []
        self._failure: BaseException | None = None  # what stopped the writer thread

    def add(self, html: str, url: str, bundle: str = BASE) -> None:
        """Queue one page (``url`` from the site root, e.g. "/articles/x/"); returns at once."""
        request = {
            "type": "AddFile",
            "index_id": self._index_id(bundle),
            "url": url,
            "file_contents": html,
            "file_path": None,
        }
        self._pages.append(self._send(request))

    def add_page(self, body: str, url: str, bundle: str = BASE) -> None:
        """Queue one page by its searchable HTML (``document`` makes what Pagefind reads of it)."""
        index_id = self._index_id(bundle)
        self._next_id += 1
        self._pages.append(self._next_id)
        self._batch.append((self._next_id, index_id, url, body))
        if len(self._batch) >= self.BATCH or self._helper is None:
            self._send_batch()

    def _index_id(self, bundle: str) -> int:
        if bundle not in self._indexes:  # one round trip per bundle
            reply = self._wait(self._send({"type": "NewIndex", "config": CONFIG}), "NewIndex")
            self._indexes[bundle] = reply["index_id"]
        return self._indexes[bundle]

    def _send_batch(self) -> None:
        """The pages waiting, to the helper process (or made here), in their place in the queue."""
        if not self._batch:
            return
        pages, self._batch = self._batch, []
        if self._helper is None:
            self._put(_add_files(pages))
            return
        try:
            made = self._helper.submit(_add_files, pages)
        except (BrokenProcessPool, RuntimeError):
            made = None
        self._put(_Batch(pages, made))

    def finish(self) -> dict[str, dict[str, str]]:
        """Wait for every page, write the bundles, stop the service; returns each bundle written
        with its pages (URL -> result id, read as the bundle was checked: ``page_ids``)."""
        try:
            self._send_batch()
            for message_id in self._pages:
                self._wait(message_id, "IndexedFile")
            if self._process.poll() is not None:  # gone before any page came (or stopped since)
                raise SearchError("搜索索引程序 Pagefind 意外退出。")
            common = self.common()
            written = []
            for bundle, index_id in sorted(self._indexes.items()):
                output = self.output / bundle
                if output.exists():  # a bundle made again replaces the old one whole
                    shutil.rmtree(output)
                request = {"type": "WriteFiles", "index_id": index_id, "output_path": str(output)}
                self._wait(self._send(request), "WriteFiles")
                written.append(output)
            return {output.name: wait_until_written(output, common) for output in written}
        finally:
            self.close()

    def common(self) -> dict[str, bytes]:
        """The files Pagefind writes alike into every bundle (scripts, styles, WebAssembly), as it
        makes them: an empty index's files, one round trip of about 0.3 MB and 20 ms."""
        index_id = self._wait(self._send({"type": "NewIndex", "config": CONFIG}), "NewIndex")["index_id"]
        files = self._wait(self._send({"type": "GetFiles", "index_id": index_id}), "GetFiles")["files"]
        return {
            file["path"]: base64.b64decode(file["content"])
            for file in files
            if "/" not in file["path"] and not file["path"].endswith(".json")  # the entry names each bundle's own
        }

    def close(self) -> None:
        """End Pagefind by ending its input (it exits at once, see ``wait_until_written``)."""
        with contextlib.suppress(queue.Full):  # full: Pagefind is gone or stuck; it is stopped below
            self._outbox.put_nowait(None)
        self._writer.join(timeout=5)
        if not self._writer.is_alive():
            with contextlib.suppress(OSError, ValueError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._process.terminate()
            self._process.wait(timeout=30)
        self._writer.join(timeout=30)  # its pipe is broken now if it was still writing

    def _send(self, payload: dict) -> int:
        self._send_batch()  # every request in the order it was made
        self._next_id += 1
        self._put(_message(self._next_id, payload))
        return self._next_id

    def _put(self, data: bytes | _Batch) -> None:
        while True:
            try:
                self._outbox.put(data, timeout=1)
                return
            except queue.Full:
                if not self._writer.is_alive():  # Pagefind stopped reading: it has gone
                    raise SearchError("搜索索引程序 Pagefind 意外退出。") from None

    def _write(self) -> None:
        """If Pagefind has gone, the reader sees its output end and every wait reports it."""
        while (data := self._outbox.get()) is not None:
            try:
                if isinstance(data, _Batch):
                    data = data.data()
            except Exception as exc:  # a page that cannot be made: Pagefind is stopped, the build fails
                self._failure = exc
                with contextlib.suppress(OSError, ValueError):
                    self._process.stdin.close()
                return
            try:
                self._process.stdin.write(data)
                self._process.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                return

    def _read(self) -> None:
        buffer = b""
        stream = self._process.stdout
        while chunk := stream.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for raw in messages:
                reply = json.loads(base64.b64decode(raw))
                if reply is None:
                    continue
                with self._arrived:
                    self._replies[reply.get("message_id") or 0] = reply["payload"]
                    self._arrived.notify_all()
        with self._arrived:  # the process is gone: wake anyone still waiting
            self._replies[-1] = {"type": "Exit"}
            self._arrived.notify_all()

    def _wait(self, message_id: int, expected: str) -> dict:
        with self._arrived:
            self._arrived.wait_for(lambda: message_id in self._replies or -1 in self._replies or 0 in self._replies)
            reply = self._replies.pop(message_id, None) or self._replies.get(0) or self._replies.get(-1)
        if reply is None or reply.get("type") != expected:
            if self._failure is not None:
                raise self._failure
            detail = (reply or {}).get("message") or "没有回应"
            raise SearchError(f"搜索索引生成失败（Pagefind）：{detail}")
        return reply


def wait_until_written(bundle: Path, common: dict[str, bytes] | None = None, timeout: float = 60) -> dict[str, str]:
    """Once every file of ``bundle`` has been read whole, its pages (URL -> result id, from the
    fragments read); else SearchError naming a file that never was.

    Pagefind answers WriteFiles when every file is created and its last write handed to
    tokio's thread pool, not done; and it exits the moment its input ends, dropping writes
    still in flight. On a busy machine a write can wait there for longer than any pause we
    could choose (seen: an empty ``pagefind-modular-ui.css``). So the files are not watched
    but read: a gzip file (index, fragment, filter, metadata) is whole when it unpacks to its
    end; ``common`` holds the files that are the same in every bundle (Pagefind's scripts,
    styles and WebAssembly, see ``BackgroundIndex.common``), byte for byte; the entry file is
    whole JSON. Reading the bundle costs about 0.1 s per 2,000 pages.
    """
    common = common or {}
    pages: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    waiting = sorted(_files(bundle))
    while True:
        waiting = [path for path in waiting if not _whole(path, common, pages)]
        if not waiting:
            return pages
        if time.monotonic() > deadline:
            raise SearchError(f"搜索索引生成失败（Pagefind）：{waiting[0]} 没有写完整。")
        time.sleep(0.02)


GZIPPED = (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta")


def _whole(path: str, common: dict[str, bytes], pages: dict[str, str]) -> bool:
    """Whether the file is as Pagefind meant it; a fragment's page goes into ``pages``."""
    name = os.path.basename(path)
    with open(path, "rb") as file:
        data = file.read()
    if name in common:
        return data == common[name]
    if name.endswith(GZIPPED):
        unpack = zlib.decompressobj(wbits=31)
        try:
            text = unpack.decompress(data)
        except zlib.error:
            return False
        if not unpack.eof or unpack.unused_data:
            return False
        if name.endswith(".pf_fragment"):
            try:
                pages[json.loads(text.removeprefix(b"pagefind_dcd"))["url"]] = name.removesuffix(".pf_fragment")
            except (ValueError, KeyError, TypeError):
                return False
        return True
    if name.endswith(".json"):
        try:
            json.loads(data)
        except ValueError:
            return False
        return True
    return bool(data)  # a kind of file this Pagefind version does not write: at least not empty


def _files(folder: Path) -> list[str]:
    return [f"{root}/{name}" for root, _dirs, files in os.walk(folder) for name in files]


@dataclass
class IndexPlan:
    """Which page is in which bundle (the incremental record keeps it between builds)."""

    base: dict[str, str] = field(default_factory=dict)  # page file -> key of what was indexed
    ids: dict[str, str] = field(default_factory=dict)  # page file -> its result id in the base
    delta: dict[str, str] = field(default_factory=dict)
    rebuild: list[str] = field(default_factory=list)  # the bundle this build indexes again (not kept)
    current: dict[str, str] = field(default_factory=dict)  # this build's pages (as ``base``)

    @classmethod
    def from_record(cls, record: dict) -> IndexPlan:
        """The plan ``record`` kept (a record may hold more than this version reads)."""
        return cls(base=record.get("base", {}), ids=record.get("ids", {}), delta=record.get("delta", {}))

    def after(self, pages: dict[str, str], has_base: bool) -> IndexPlan:
        """The plan for a build whose indexed pages are ``pages``."""
        delta = {dest: key for dest, key in pages.items() if self.base.get(dest) != key}
        plan = IndexPlan(base=dict(self.base), ids=self.ids, delta=delta, current=pages)
        if not has_base or len(delta) > max(FOLD_AT, len(pages) // 5):
            plan.fold()
        elif delta != self.delta:
            plan.rebuild = [DELTA]
        return plan

    def fold(self) -> None:
        self.base, self.ids, self.delta, self.rebuild = self.current, {}, {}, [BASE]

    def hidden(self) -> list[str]:
        """Result ids of base pages that are gone or in the delta."""
        current = self.current or self.base
        return sorted({self.ids[dest] for dest, key in self.base.items() if current.get(dest) != key})

    def indexed_delta(self, delta_ids: dict[str, str]) -> str:
        """Take the ids Pagefind gave the delta's pages: DONE, AGAIN or FOLD.

        A page given the id it has in the base was indexed exactly as the base holds it (its
        HTML changed, not what Pagefind reads of it: a 文号 now linked). Its base entry stands
        for it and it leaves the delta, which is indexed AGAIN without it: the search page
        cannot hide one bundle's copy of an id and not the other's, and a query answered by
        Pagefind alone (one character, a 文号) would list it twice. FOLD: a page of the delta
        has the hidden id of another page (about 1 build in 10,000); one bundle again.
        """
        kept = [dest for dest, page_id in delta_ids.items() if self.ids.get(dest) == page_id]
        if kept:
            for dest in kept:
                self.base[dest] = self.delta.pop(dest)
            return AGAIN
        hidden = set(self.hidden())
        return FOLD if any(page_id in hidden for page_id in delta_ids.values()) else DONE

    def record(self) -> dict:
        return {"base": self.base, "ids": self.ids, "delta": self.delta}


DONE, AGAIN, FOLD = "done", "again", "fold"  # IndexPlan.indexed_delta


def page_ids(pages: dict[str, str], dest_of) -> dict[str, str]:
    """Page file -> the result id Pagefind gave it (its fragment's name), from a bundle's pages as
    ``finish`` returns them."""
    return {dest_of(url): page_id for url, page_id in pages.items()}


def write_bundle_list(output: Path, bundles: dict[str, Path], hidden: list[str]) -> None:
    """``pagefind/bundles.json``: the bundles in the order the search page merges them, the base's
    results it drops (``hidden``), and the result ids both bundles use for different pages
    (Pagefind keeps ids unique within a bundle only: the search page tells those apart by address)."""
    seen: dict[str, int] = {}
    for folder in bundles.values():
        for entry in os.scandir(folder / "fragment"):
            page_id = entry.name.removesuffix(".pf_fragment")
            seen[page_id] = seen.get(page_id, 0) + 1
    shared = sorted(page_id for page_id, count in seen.items() if count > 1)
    output.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"bundles": list(bundles), "hidden": hidden, "shared": shared}, ensure_ascii=False)
    (output / BUNDLES_FILE).write_text(data + "\n", encoding="utf-8")
