"""What the preview shows while the content has an error: the messages, in the browser.

Staff look at the browser, not the terminal. When a rebuild fails, every page of the
preview is replaced by one page listing the problems (file:line, code, message, 修改方法),
and the browser is told to reload, as after any edit; the next successful rebuild brings
the pages back. The server itself never stops or waits for a restart.
"""

from __future__ import annotations

import errno
import posixpath
import socket
import threading
from html import escape

from mkdocs.livereload import LiveReloadServer

from site_builder.core.faults import Fault, reason
from site_builder.core.problems import Problem

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#fff5f5;color:#222;line-height:1.7}
main{max-width:56rem;margin:2rem auto;padding:0 1rem}
h1{color:#a40000;font-size:1.5rem}
li{background:#fff;border-left:4px solid #c62828;margin:0 0 1rem;padding:.75rem 1rem;list-style:none}
.where{font-family:monospace;font-weight:bold}.code{color:#a40000;font-weight:bold}
.hint{color:#444}.warning{border-left-color:#b26a00}
"""


def problem_page(problems: list[Problem], failure: BaseException | None) -> bytes:
    """One self-contained page (no other file needed) listing why the preview is not up to date."""
    items = []
    for item in sorted(set(problems), key=lambda p: (p.path, p.line, p.code)):
        label = "错误" if item.is_error else "警告"
        hint = f'<div class="hint">修改方法：{escape(item.hint)}</div>' if item.hint else ""
        items.append(
            f'<li class="{item.level}"><div><span class="where">{escape(item.location())}</span> '
            f'<span class="code">{label} {escape(item.code)}</span></div>'
            f"<div>{escape(item.message)}</div>{hint}</li>"
        )
    if not items:
        fault = Fault("E844", detail=str(failure or "未知原因"))
        items.append(
            f'<li><div class="code">错误 {fault.code}</div><div>{escape(fault.message)}</div>'
            f'<div class="hint">修改方法：{escape(fault.hint)}</div></li>'
        )
    body = "".join(items)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>内容有错误，预览暂停更新</title><style>{_STYLE}</style></head><body><main>"
        '<h1 id="sb-preview-error">内容有错误，预览暂停更新</h1>'
        "<p>按下面的提示修改文件并保存，本页会自动恢复为修改后的网页，不必重新启动预览。</p>"
        f'<ul class="sb-preview-problems">{body}</ul></main></body></html>'
    ).encode()


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server that shows the error page instead of stale pages."""

    problem: bytes | None = None
    _bound = False
    HELD_AT_MOST = 60.0  # seconds a request waits for its page (a build that hangs still answers)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held: frozenset[str] = frozenset()  # files still being written after the edit was shown
        self._written = threading.Event()
        self._written.set()

    def hold(self, dests: frozenset[str]) -> None:
        """Requests for these files (site-relative) wait until :meth:`release`: the preview writes
        them just after it shows an edit's other pages, and an old copy must not be shown meanwhile."""
        if dests:
            self._written.clear()
            self._held = dests

    def release(self) -> None:
        self._held = frozenset()
        self._written.set()

    def bind_address(self, shown: str) -> None:
        """Bind now, so a busy port is a message naming --dev-addr, not an error from deep inside serve()."""
        try:
            self.server_bind()
            self.server_activate()
        except OSError as exc:
            raise address_fault(exc, shown) from None
        self._bound = True

    def server_bind(self) -> None:
        if not self._bound:
            super().server_bind()

    def server_activate(self) -> None:
        if not self._bound:
            super().server_activate()

    def show(self, problem: bytes | None) -> None:
        self.problem = problem

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if not path.startswith("/livereload/"):
            with self._epoch_cond:  # a request made during a rebuild: the hold that rebuild sets is known after it
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            if self._held and _site_file(path, self.mount_path) in self._held:
                self._written.wait(self.HELD_AT_MOST)
        if self.problem is None or path.startswith("/livereload/") or not _is_page(path):
            return super()._serve_request(environ, start_response)
        with self._epoch_cond:  # as MkDocs does: never answer from the middle of a rebuild
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            epoch = self._visible_epoch
        page = self.problem
        if page is None:
            return super()._serve_request(environ, start_response)
        content = self._inject_js_into_html(page, epoch)
        start_response(
            "200 OK",  # not 500: MkDocs would log every reload of this page as a warning
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(content))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [content]


def _site_file(path: str, mount_path: str) -> str:
    """The site-relative file a request path is answered from, as MkDocs' server finds it."""
    rel = path[len(mount_path) :] if path.startswith(mount_path) else path
    if path.endswith("/"):
        rel += "index.html"
    return posixpath.normpath("/" + rel).lstrip("/")


def _is_page(path: str) -> bool:
    name = posixpath.basename(path)
    return path.endswith("/") or name.endswith(".html") or "." not in name


def check_address(host: str, port: int, shown: str) -> None:
    """Say at once, before the first build, that the address can't be used."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise address_fault(exc, shown) from None


def address_fault(exc: OSError, shown: str) -> Fault:
    why = reason(exc) if exc.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES) else str(exc)
    return Fault("E837", addr=shown, reason=why)
