"""Fixtures for the headless-Chromium tests: a local HTTP server for the sample site and one browser per test process.

Without Chromium, Playwright or axe-core the tests skip with the reason; with CI=true they fail instead, so a
broken CI machine can never look green.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import nginx_conf, nginx_path

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Debian's Chromium in its headless shell (package chromium-headless-shell) when installed: the same engine and
# version as the `chromium` package, without the desktop browser's window machinery, so a page costs about half
# the CPU (the shell Playwright itself uses for headless runs). Otherwise the `chromium` package.
CANDIDATES = ("chromium-headless-shell", "chromium", "chromium-browser")


def _chromium() -> str | None:
    for candidate in (*(f"/usr/bin/{name}" for name in CANDIDATES), *(shutil.which(name) for name in CANDIDATES)):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def missing(reason: str) -> None:
    """Skip on a developer's machine; fail on CI, where a skipped browser test would hide a broken setup."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium()
    if path is None:
        missing("Chromium not found: apt-get install chromium-headless-shell (or chromium)")
    return path


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        missing(f"axe-core not installed ({AXE_JS}): run `npm ci` in tests/browser")
    return AXE_JS.read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(sample_site: Path) -> Iterator[str]:
    """A web server on 127.0.0.1 serving the built sample site (nginx, or Python's); yields its base URL."""
    yield from _serve(sample_site)


@pytest.fixture(scope="session")
def plain_server(sample_site: Path) -> Iterator[str]:
    """The sample site from Python's http.server: Pagefind's files as they are, unpacked by its JavaScript."""
    yield from _serve(sample_site, plain=True)


SCALE_ARTICLES = 300


def _build_scale(project: Path) -> None:
    from benchmarks import generate
    from tests.conftest import build_project

    generate.generate(project, SCALE_ARTICLES)
    result = build_project(project, search=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def scale_site(tmp_path_factory) -> Path:
    """A generated site of SCALE_ARTICLES articles (benchmarks/generate.py), built with search."""
    from tests.conftest import made_once

    return made_once(tmp_path_factory, "search-scale", _build_scale) / "site"


@pytest.fixture(scope="session")
def scale_server(scale_site: Path) -> Iterator[str]:
    yield from _serve(scale_site)


def _nginx_config(work: Path, site: Path, port: int) -> Path:
    """A plain static server for ``site``: what readers' pages come from, without the production
    headers (tests/test_deploy_config.py serves the shipped configuration) but, as there, Pagefind's
    gzip files announced as gzip: the browser unpacks them, not Pagefind's JavaScript (about a sixth
    of the CPU of a search on a fresh page, measured in headless Chromium)."""
    gzipped = "location ~ \\.(pf_fragment|pf_index|pf_filter|pf_meta|pagefind)$ { add_header Content-Encoding gzip; }"
    return nginx_conf(work, f"server {{ listen 127.0.0.1:{port}; root {site}; absolute_redirect off; {gzipped} }}")


def _start(site: Path, port: int, work: Path, plain: bool) -> subprocess.Popen:
    """nginx where installed (CI installs it): a browser's page load costs it a fraction of what
    Python's http.server spends on the same 40 requests; otherwise, or ``plain``, `python -m http.server`
    (which sends Pagefind's files without saying they are gzip, as some hosts do)."""
    nginx = None if plain else nginx_path()
    if nginx is None:
        command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    else:
        command = [nginx, "-p", str(work), "-c", str(_nginx_config(work, site, port)), "-g", "daemon off;"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _serve(site: Path, plain: bool = False) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="sb-serve-") as work:
        for _attempt in range(5):
            port = _free_port()
            proc = _start(site, port, Path(work), plain)
            base = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    with urllib.request.urlopen(base, timeout=1) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.05)
            if proc.poll() is None:
                break
        else:  # pragma: no cover - five ports taken in a row
            pytest.fail("could not start a web server for the built site")
        try:
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(chromium_path: str, playwright_driver):
    """One headless Chromium per test process, shared by the test files; each test opens its own context."""
    browser = playwright_driver.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile per test: empty localStorage, desktop size, Chinese locale."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


# --- What the built site says, read from its HTML (never hard-coded in the tests) ---


@dataclass
class BuiltArticle:
    url: str  # site-relative, e.g. "articles/foo/"
    title: str
    column: str
    body: str
    meta: dict[str, str]


class _ArticleParser(HTMLParser):
    """Collects an article page's <h1>, 栏目 filter, metadata block and body text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.column = ""
        self.title = ""
        self.body: list[str] = []
        self.meta: dict[str, str] = {}
        self._stack: list[str] = []  # "body", "h1", "dt", "dd" or "" per open element of interest
        self._depth_body: int | None = None
        self._depth = 0
        self._in: str = ""
        self._dt = ""
        self._text: list[str] = []

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if tag in self.VOID:
            return
        self._depth += 1
        classes = (attr.get("class") or "").split()
        if "sb-article" in classes and attr.get("data-pagefind-filter", "").startswith("栏目:"):
            self.column = attr["data-pagefind-filter"].split(":", 1)[1]
        if "sb-article__body" in classes and self._depth_body is None:
            self._depth_body = self._depth
        if tag in {"h1", "dt", "dd"} and self.column and not self._in and self._depth_body is None:
            self._in, self._text = tag, []

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self._in == tag:
            text = "".join(self._text).strip()
            if tag == "h1" and not self.title:
                self.title = text
            elif tag == "dt":
                self._dt = text
            elif tag == "dd" and self._dt:
                self.meta[self._dt] = text
            self._in = ""
        if self._depth_body is not None and self._depth == self._depth_body:
            self._depth_body = -1  # done
        self._depth -= 1

    def handle_data(self, data):
        if self._in:
            self._text.append(data)
        if self._depth_body is not None and self._depth_body > 0:
            self.body.append(data)


@pytest.fixture(scope="session")
def built_articles(sample_site: Path) -> list[BuiltArticle]:
    articles = []
    for path in sorted(sample_site.rglob("index.html")):
        text = path.read_text(encoding="utf-8")
        if 'class="sb-article"' not in text:
            continue
        parser = _ArticleParser()
        parser.feed(text)
        url = path.parent.relative_to(sample_site).as_posix() + "/"
        articles.append(BuiltArticle(url, parser.title, parser.column, "".join(parser.body), parser.meta))
    assert articles, "the sample site has no article pages"
    return articles
