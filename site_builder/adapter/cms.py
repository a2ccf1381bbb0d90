"""``site-builder cms``: the web editor on this computer, against the working copy.

Starts Decap CMS's local proxy (decap-server, a Node.js program that reads and writes the files
of content/ for the editor in the browser) and the preview of ``site-builder serve``, whose
/admin/ is the editor. No Git server and no network: saving writes the file, as a text editor
would; ``git diff`` shows what changed. Ctrl+C stops both.

decap-server is installed on first use into the user's cache folder, at the versions locked in
site_builder/outputs/cms/server/package-lock.json (``npm ci`` checks every package's integrity hash),
without running any package's install scripts (none of them has one).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from site_builder.adapter.preview_errors import check_address
from site_builder.core.faults import Fault, reason
from site_builder.outputs.cms import admin
from site_builder.outputs.cms.admin import PROXY_ENV
from site_builder.outputs.cms.pins import DECAP_SERVER_VERSION

SERVER_FILES = Path(admin.__file__).parent / "server"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA") or str(Path.home() / ".cache")
    return Path(base) / "site-builder" / f"decap-server-{DECAP_SERVER_VERSION}"


def _tools() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise Fault("E950", missing="Node.js（node）" if not node else "npm")
    return node, npm


def ensure_proxy(npm: str, tell: Callable[[str], None] = lambda _text: None) -> Path:
    """decap-server's entry script, installed into the cache on first use."""
    home = cache_dir()
    entry = home / "node_modules" / "decap-server" / "dist" / "index.js"
    if entry.is_file():
        return entry
    tell(f"首次使用：正在安装网页编辑的本地服务 decap-server {DECAP_SERVER_VERSION}（约 12 MB，需要连接 npm 软件源）……")
    home.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="decap-server-", dir=home.parent))
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(SERVER_FILES / name, work / name)
        done = subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=work,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise Fault("E951", detail=" ".join(last)[:300] or f"npm 退出码 {done.returncode}")
        shutil.rmtree(home, ignore_errors=True)
        work.rename(home)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return entry


def start_proxy(node: str, entry: Path, repo: Path, port: int) -> subprocess.Popen:
    """decap-server on 127.0.0.1 only, in its "fs" mode: files are written, nothing is committed."""
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(repo),
        "LOG_LEVEL": "warn",
    }
    # Its working folder is the cache, so it never reads a project's .env (decap-server loads one).
    return subprocess.Popen([node, str(entry)], cwd=entry.parents[3], env=env, preexec_fn=_die_with_parent())


def _die_with_parent():
    """On Linux, decap-server ends when site-builder does, even if it is killed (no orphan holding the port)."""
    if not sys.platform.startswith("linux"):
        return None

    def arrange() -> None:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return arrange


def wait_for(proxy: subprocess.Popen, port: int, timeout: float = 20.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proxy.poll() is not None:
            raise Fault("E952", port=port, status=f"退出码 {proxy.returncode}")
        with socket.socket() as probe:
            probe.settimeout(0.2)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise Fault("E952", port=port, status="没有响应")


def run(
    config_file: str | None,
    dev_addr: str,
    proxy_port: int,
    say: Callable[[str], None],
    tell: Callable[[str], None],
) -> int:
    """Check everything first (Node.js, ports, site.yml), then start the proxy and the preview."""
    from site_builder.adapter import project
    from site_builder.adapter.preview import stopped_like_ctrl_c
    from site_builder.adapter.run import serve
    from site_builder.core.settings import load_settings

    node, npm = _tools()
    config = project.load_config(config_file, strict=False)
    content = Path(config.docs_dir)
    settings, _found = load_settings(content)
    if settings is not None and not settings.cms.enabled:
        raise Fault("E953")
    host, port = config.dev_addr if not dev_addr else _split(dev_addr)
    _check_proxy_port(proxy_port)
    check_address(host, port, f"{host}:{port}")  # E837
    entry = ensure_proxy(npm, tell)
    proxy = start_proxy(node, entry, content.parent, proxy_port)
    try:
        with stopped_like_ctrl_c():  # `kill` or a closed window stops the proxy too
            wait_for(proxy, proxy_port)
            os.environ[PROXY_ENV] = f"http://127.0.0.1:{proxy_port}/api/v1"
            tell(f"网页编辑：http://{host}:{port}/admin/ （直接修改 {content.name}/ 中的文件；按 Ctrl+C 结束）")
            tell(f"本地预览：http://{host}:{port}/")
            serve(config_file, f"{host}:{port}", say)
    finally:
        os.environ.pop(PROXY_ENV, None)
        proxy.terminate()
        try:
            proxy.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proxy.kill()
    return 0


def _check_proxy_port(port: int) -> None:
    """E954 before anything starts (E837 is the preview's own address)."""
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise Fault("E954", addr=f"127.0.0.1:{port}", reason=reason(exc)) from None


def _split(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)
