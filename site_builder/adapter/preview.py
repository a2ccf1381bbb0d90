"""``site-builder serve``: MkDocs' preview server, told about edits at once.

Adapter code (MkDocs' livereload server and build). It follows
``mkdocs.commands.serve.serve`` with two differences that staff notice:
- MkDocs watches content/ by polling every 0.5 s, statting every file each time;
  with thousands of articles that alone is half of the one-second budget for showing
  an edit. Here the server is given the platform's native watcher (inotify on Linux,
  ReadDirectoryChangesW on Windows) before anything is watched, so a save is seen
  within milliseconds. It reports only changes: native watchers also report files
  being opened and read, and the build reads content/, which would rebuild forever;
- builds are always "dirty": after the first, an edit re-renders only the pages it
  changes (incremental.py), and the outputs no page shows (feeds, WeChat copies) are written
  just after the changed pages are served (``Later``), as are the second and later pages of a
  list the edit moved (a tag added moves every page of that tag's list: hundreds at 20,000
  articles); a request for one of those waits until it is written, never gets the old one;
- a build that fails (a content error) replaces every page by the list of problems
  (preview_errors.py) instead of leaving the old page and a stuck server; the next
  good build brings the pages back;
- Python's cyclic garbage collector does not run while an edit is built, but once its
  pages are served (``Later``): at 20,000 articles its passes over the build's objects
  took 0.7-1.1 s of a 4-5 s edit.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from watchdog import events
from watchdog.observers import Observer

from site_builder.adapter import internals, project
from site_builder.adapter.preview_errors import PreviewServer, check_address, problem_page
from site_builder.core import memo

log = logging.getLogger("mkdocs.commands.serve")


# What a save, a new file, a rename or a deletion produces; not opening or reading a file. A folder
# moved or deleted too (MkDocs' handler ignores folders; the memo then looks at every file again).
CHANGES = [
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileMovedEvent,
    events.FileDeletedEvent,
    events.FileClosedEvent,
    events.DirMovedEvent,
    events.DirDeletedEvent,
]


class _EditObserver(Observer):
    """Native file events, each also told to the memo (core/memo.py ``changed``): once it runs,
    the build looks again only at the files of content/ the watcher reported, not at all of them."""

    def __init__(self, content: str) -> None:
        super().__init__()
        self.content = content

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(
            _Reporting(event_handler),
            path,
            recursive=recursive,
            event_filter=event_filter or CHANGES,
            follow_symlink=follow_symlink,
        )

    def start(self) -> None:
        """Started before the first build (``_serve``); MkDocs' ``serve`` starts it again: once is enough."""
        if self.is_alive():
            return
        super().start()  # every folder is watched when this returns (the emitters add their watches first)
        memo.watch(self.content)

    def stop(self) -> None:
        memo.unwatch()
        super().stop()


class _Reporting(events.FileSystemEventHandler):
    def __init__(self, handler: events.FileSystemEventHandler) -> None:
        self.handler = handler

    def dispatch(self, event: events.FileSystemEvent) -> None:
        if event.is_directory:
            memo.changed(None)
        else:
            written = isinstance(event, (events.FileModifiedEvent, events.FileClosedEvent))  # not come or gone
            memo.changed(os.fsdecode(event.src_path), reshaped=not written)
            if event.dest_path:
                memo.changed(os.fsdecode(event.dest_path))
        self.handler.dispatch(event)


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns (in English) on every dirty build; in the preview that is the design."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


# MkDocs waits until no file event came for 0.1 s before it rebuilds; a save (even an editor's
# write-to-temporary-then-rename) is a burst of events within milliseconds.
BUILD_DELAY = 0.05


class Later:
    """What an edit leaves to do once its pages are served: its other outputs, and collecting.

    MkDocs serves the new pages as soon as the builder returns; the outputs the pages do not show
    (feeds, WeChat copies …) are then written on this thread (SiteBuild.write_later), and the next
    build waits for them. A failure there is shown as a failed build is: on every page, until the
    next edit.

    Then the garbage the build left is collected here, not during the next build: after the
    first build, what it left (content, caches) is frozen (the collector never walks it again)
    and automatic collection is switched off; every edit ends with one collection of what is
    not frozen. The first build collects as usual, so a large site's build stays in bounds."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.frozen = False

    def start(self, plugin, server: PreviewServer) -> None:
        build = plugin.build if plugin is not None and plugin.build is not None and plugin.build.later else None
        if build is not None:
            server.hold(build.later_dests())  # requested before they are written: answered once they are

        def run() -> None:
            try:
                if build is not None:
                    build.write_later()
            except Exception as exc:  # as a failed build: the problem page, until the next good build
                server.show(problem_page([], exc))
                log.error("预览页面已换成错误说明：按提示修改并保存后会自动恢复，不必重新启动预览。")
            finally:
                if build is not None:
                    server.release()
                self.collect()

        self.thread = threading.Thread(target=run, name="site-builder-outputs", daemon=True)
        self.thread.start()

    def collect(self) -> None:
        gc.collect()
        if not self.frozen:
            gc.freeze()
            gc.disable()
            self.frozen = True

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None


def serve(config_file: str | None, dev_addr: str) -> None:
    logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())
    internals.list_theme_files_once()
    internals.reuse_content_files()
    internals.read_build_date_once_per_build()
    site_dir = tempfile.mkdtemp(prefix="site-builder-preview-")
    try:
        with stopped_like_ctrl_c():
            _serve(config_file, dev_addr, site_dir)
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


@contextlib.contextmanager
def stopped_like_ctrl_c() -> Iterator[None]:
    """`kill` and a closed terminal window (SIGTERM, SIGHUP) stop the command as Ctrl+C does, so that what it
    started is cleaned up (the preview's temporary site, the CMS's proxy). Python's default for those signals
    ends the process at once, and each preview left a copy of the site in the temporary folder."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    signals = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {number: signal.signal(number, _interrupt) for number in signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _serve(config_file: str | None, dev_addr: str, site_dir: str) -> None:
    def get_config():
        return project.load_config(config_file, site_dir=site_dir, dev_addr=dev_addr, strict=False)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    host, port = config.dev_addr
    shown_host = f"[{host}]" if ":" in host else host
    serve_url = f"http://{shown_host}:{port}{urlsplit(config.site_url or '/').path}"

    later = Later()

    def builder(config=None) -> None:
        later.wait()  # the previous edit's outputs are written before anything else changes
        internals.new_build()
        memo.changes_seen()
        log.info("正在生成预览……")
        plugin = None
        try:
            if config is None:
                config = get_config()
            plugin = config.plugins.get("site-builder")
            config.site_url = serve_url
            build(config, serve_url=serve_url, dirty=True)
        except Exception as exc:  # the content (or mkdocs.yml) has an error: show it where staff look
            problems = list(getattr(plugin, "problems", []) or [])
            failure = getattr(plugin, "failure", None) or exc
            server.show(problem_page(problems, failure))
            log.error("预览页面已换成错误说明：按提示修改并保存后会自动恢复，不必重新启动预览。")
            later.start(None, server)  # collects what the failed build left
            return
        server.show(None)
        later.start(plugin, server)  # runs once this returns and MkDocs serves the new pages

    server = PreviewServer(builder=builder, host=host, port=port, root=site_dir, mount_path=urlsplit(serve_url).path)
    server.observer = observer = _EditObserver(config.docs_dir)  # native file events instead of polling
    server.build_delay = BUILD_DELAY

    def error_page(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        check_address(host, port, f"{shown_host}:{port}")  # before a build the user would wait for in vain
        # Watched from before the first build: what it reads is kept for the first edit (which then looks
        # again only at the file saved, not at every file), and a save made while it runs builds again.
        server.watch(config.docs_dir)
        if config.config_file_path and os.path.isfile(config.config_file_path):
            server.watch(config.config_file_path)
        server.observer.start()
        builder(config)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for path in config.watch:
            server.watch(path)
        server.bind_address(f"{shown_host}:{port}")
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("预览已结束。")
        finally:
            server.shutdown()
    finally:
        later.wait()
        observer.stop()  # stopped already when the server was (not when the first build was interrupted)
        config.plugins.on_shutdown()
