"""The shipped deployment files, checked by the real tools: actionlint, GitLab's CI schema, nginx, Chromium.

nginx serves the sample site published with `site-builder publish` (so through DEST/current) on
127.0.0.1; the tests read what a reader's browser would get: status, headers, gzip, feed types, and
whether the pages run under the Content-Security-Policy without a single violation. The pipelines' own
install, check and build scripts are run in test_deploy_pipelines.py.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
import yaml

from site_builder.outputs import manifest
from tests.conftest import ROOT, SAMPLE_CONTENT, nginx_conf, nginx_path, run_cli, write_config

DEPLOY = ROOT / "deploy"
GITHUB_WORKFLOW = DEPLOY / "github" / "site.yml"
GITLAB_CI = DEPLOY / "gitlab" / ".gitlab-ci.yml"
NGINX_CONF = DEPLOY / "nginx" / "site_builder.conf"
BIN = Path(sys.executable).parent
FULL_SHA = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")


def missing(reason: str) -> None:
    """Skip on a developer's machine; fail on CI (CI=true), where .ci/run installs every tool."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: this test must run, not skip)", pytrace=False)
    pytest.skip(reason)


def tool(name: str) -> str:
    path = shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if path is None:
        missing(f"{name} not found: pip install -e '.[test]'")
    return path


# --- pipelines ---


def test_github_workflow_passes_actionlint():
    result = subprocess.run(
        [tool("actionlint"), "-no-color", "-shellcheck=", "-pyflakes=", str(GITHUB_WORKFLOW)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("path", "schema"), [(GITHUB_WORKFLOW, "vendor.github-workflows"), (GITLAB_CI, "vendor.gitlab-ci")]
)
def test_pipeline_matches_its_published_schema(path, schema):
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_github_workflow_pins_actions_and_publishes_only_from_main():
    workflow = yaml.safe_load(GITHUB_WORKFLOW.read_text(encoding="utf-8"))
    uses = [step["uses"] for step in _steps(workflow) if "uses" in step]
    assert uses and all(FULL_SHA.match(spec) for spec in uses), uses
    runs = "\n".join(step.get("run", "") for step in _steps(workflow))
    for command in ("site-builder check", "site-builder build", "site-builder publish"):
        assert command in runs
    publish = next(job for job in workflow["jobs"].values() if "site-builder publish" in str(job))
    assert "refs/heads/main" in publish["if"] and "push" in publish["if"]
    # Scheduled articles and 修改 deadlines are decided by the build's clock: a nightly run publishes them.
    triggers = workflow[True] if True in workflow else workflow["on"]  # PyYAML reads the key `on` as True
    assert triggers["schedule"] and "schedule" in publish["if"]
    assert publish.get("concurrency"), "two publishes to one server must not overlap"


def test_gitlab_pipeline_pins_images_and_publishes_only_from_the_default_branch():
    pipeline = yaml.safe_load(GITLAB_CI.read_text(encoding="utf-8"))
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    images = [pipeline.get("default", {}).get("image")] + [job.get("image") for job in jobs.values()]
    images = [image if isinstance(image, str) else (image or {}).get("name") for image in images if image]
    assert images and all(re.match(r"^[^:\s]+:\d+(\.\d+)+[-\w.]*$", image) for image in images), images
    text = GITLAB_CI.read_text(encoding="utf-8")
    for command in ("site-builder check", "site-builder build", "site-builder publish"):
        assert command in text
    publish = next(job for job in jobs.values() if "site-builder publish" in "\n".join(job["script"]))
    assert any("$CI_DEFAULT_BRANCH" in rule.get("if", "") for rule in publish["rules"])
    assert publish.get("resource_group"), "two publishes to one server must not overlap"


# --- nginx ---


@dataclass
class Served:
    base: str
    site: Path  # what DEST/current points at


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_config(work: Path, root: Path, port: int) -> Path:
    """The shipped server block with only `listen` and `root` changed, inside a minimal nginx.conf."""
    shipped = NGINX_CONF.read_text(encoding="utf-8")
    ours, listens = re.subn(
        r"^(\s*)listen 80;\n\s*listen \[::\]:80;\n", rf"\1listen 127.0.0.1:{port};\n", shipped, flags=re.M
    )
    ours, roots = re.subn(r"^(\s*)root /srv/site_builder/current;", rf"\1root {root};", ours, flags=re.M)
    ours, maps = re.subn(r"include /srv/site_builder/current/", f"include {root}/", ours)
    assert (listens, roots, maps) == (1, 1, 1), "deploy/nginx/site_builder.conf: listen / root / include changed?"
    (work / "site.conf").write_text(ours, encoding="utf-8")
    return nginx_conf(work, f"include {work / 'site.conf'};")


@pytest.fixture(scope="module")
def nginx() -> str:
    path = nginx_path()
    if path is None:
        missing("nginx not found: apt-get install nginx")
    return path


@pytest.fixture(scope="module")
def port() -> int:
    return _free_port()


MOVED_ARTICLE = "news/2021/fuyi-zhuanjia-shenyi.md"
OLD_ADDRESSES = ["/news/2019/t20190102_123456.html", "/col/col12/"]


@pytest.fixture(scope="module")
def published(port: int, tmp_path_factory) -> Path:
    """The sample site built for the address nginx serves it at, as in production, and published.

    Pages carry absolute URLs of their own site (canonical, feeds): under 'self' in the CSP they must
    be the origin the browser is on, so the test site's `url` is the local nginx's.
    """
    project = tmp_path_factory.mktemp("prod")
    content = project / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    settings = content / "site.yml"
    text, count = re.subn(
        r"^url: .*$", f"url: http://127.0.0.1:{port}/", settings.read_text(encoding="utf-8"), flags=re.M
    )
    assert count == 1
    settings.write_text(text, encoding="utf-8")
    moved = content / MOVED_ARTICLE  # an article that had other addresses on the office's old site
    text = moved.read_text(encoding="utf-8")
    moved.write_text(text.replace("\nslug: ", f"\naliases: [{', '.join(OLD_ADDRESSES)}]\nslug: ", 1), encoding="utf-8")
    config = write_config(project, content, project / "site", search=True)
    result = run_cli("build", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    dest = project / "www"
    result = run_cli("publish", str(dest), "--site", str(project / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


@pytest.fixture(scope="module")
def served(nginx: str, published: Path, port: int, tmp_path_factory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("nginx")
    config = nginx_config(work, published / "current", port)
    test = subprocess.run([nginx, "-t", "-p", str(work), "-c", str(config)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    proc = subprocess.Popen(
        [nginx, "-p", str(work), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 10
    while True:
        try:
            urllib.request.urlopen(base, timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"nginx did not start: {proc.stderr.read().decode()}")
            time.sleep(0.05)
    try:
        yield Served(base, published / "current")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, gzip_ok: bool = False):
    """(status, headers, body as sent) without following redirects."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def an_article(site: Path) -> str:
    pages = sorted(path.parent.relative_to(site).as_posix() for path in (site / "articles").glob("*/index.html"))
    assert pages, "the sample site has no article pages"
    return pages[0] + "/"


def test_nginx_accepts_the_shipped_configuration(served):
    """(`nginx -t` runs in the fixture.) The published site is what nginx serves."""
    status, _headers, body = fetch(served.base)
    assert status == 200
    assert body == (served.site / "index.html").read_bytes()


SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def test_old_addresses_answer_301_to_their_article(served):
    """aliases: nginx answers from the published redirects.map; the static page is the fallback."""
    article = "/articles/fuyi-zhuanjia-shenyi/"
    for old in ["news/2019/t20190102_123456.html", "col/col12/", "col/col12", "col/col12/index.html"]:
        status, headers, _body = fetch(served.base + old)
        assert (status, headers["Location"]) == (301, article), old
    status, _headers, _body = fetch(served.base + "redirects.map")
    assert status == 404
    page = (served.site / "news/2019/t20190102_123456.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert f'<link rel="canonical" href="{served.base.rstrip("/")}{article}">' in page
    assert f'<meta http-equiv="refresh" content="0; url={article}">' in page
    assert f'新的地址是：<a href="{article}">' in page


@pytest.mark.parametrize("kind", ["home", "article", "missing"])
def test_pages_carry_security_headers_and_short_caching(served, kind):
    path = {"home": "", "article": an_article(served.site), "missing": "no/such/page/"}[kind]
    status, headers, _ = fetch(served.base + path)
    assert status == (404 if kind == "missing" else 200)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert all(headers[name] for name in SECURITY), dict(headers)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "'unsafe-inline'" not in re.search(r"script-src [^;]*", headers["Content-Security-Policy"])[0]
    assert headers["Cache-Control"] == "no-cache"


def test_directory_without_slash_redirects_on_the_same_host(served):
    article = an_article(served.site)
    status, headers, _ = fetch(served.base + article.rstrip("/"))
    assert status == 301 and headers["Location"] == "/" + article


def test_html_is_gzipped(served):
    status, headers, body = fetch(served.base, gzip_ok=True)
    assert status == 200 and headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(body) == (served.site / "index.html").read_bytes()


def test_hashed_assets_are_cached_for_a_year_others_briefly(served):
    hashed = [
        *sorted((served.site / "assets/stylesheets").glob("main.*.min.css")),
        *sorted((served.site / "assets/javascripts").glob("bundle.*.min.js")),
        *sorted((served.site / "pagefind").glob("*/fragment/*.pf_fragment"))[:1],
    ]
    assert len(hashed) == 3, hashed
    for path in hashed:
        status, headers, _ = fetch(served.base + path.relative_to(served.site).as_posix())
        assert (
            status == 200 and "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]
        )
    for unhashed in ("assets/sb/site.css", "pagefind/bundles.json"):
        status, headers, _ = fetch(served.base + unhashed)
        assert status == 200 and "immutable" not in headers["Cache-Control"], unhashed
    status, headers, body = fetch(served.base + "assets/sb/site.css", gzip_ok=True)
    assert status == 200 and gzip.decompress(body) == (served.site / "assets/sb/site.css").read_bytes()
    assert headers["Content-Type"].startswith("text/css") and headers["Content-Encoding"] == "gzip"


def test_pagefinds_gzip_files_are_announced_as_gzip_for_the_browser_to_unpack(served):
    """Pagefind writes its index and WebAssembly gzipped; said so, the browser unpacks them natively
    instead of Pagefind's JavaScript (the search itself runs under this configuration in the CSP test below)."""
    bundle = served.site / "pagefind"
    packed = [
        *sorted(bundle.glob("*/fragment/*.pf_fragment"))[:1],
        *sorted(bundle.glob("*/index/*.pf_index"))[:1],
        *sorted(bundle.glob("*/*.pf_meta"))[:1],
        *sorted(bundle.glob("*/wasm.*.pagefind"))[:1],
    ]
    assert len(packed) == 4, packed
    for path in packed:
        status, headers, body = fetch(served.base + path.relative_to(served.site).as_posix(), gzip_ok=True)
        assert status == 200 and headers["Content-Encoding"] == "gzip", (path.name, dict(headers))
        assert body == path.read_bytes(), f"{path.name} is sent as written, not compressed twice"
        assert gzip.decompress(body).startswith(b"pagefind_dcd"), path.name
    for plain in ("pagefind/bundles.json", "index.html"):
        status, headers, _ = fetch(served.base + plain)
        assert status == 200 and "Content-Encoding" not in headers, plain


FEED_TYPES = {
    "rss.xml": "application/rss+xml",
    "atom.xml": "application/atom+xml",
    "feed.json": "application/feed+json",
}


def test_feeds_have_their_own_media_types(served):
    feeds = sorted(path for name in FEED_TYPES for path in served.site.glob(f"feeds/**/{name}"))
    assert {path.name for path in feeds} == set(FEED_TYPES), "the sample site should publish all three feeds"
    for path in feeds:
        status, headers, body = fetch(served.base + path.relative_to(served.site).as_posix())
        assert status == 200
        assert headers["Content-Type"] == f"{FEED_TYPES[path.name]}; charset=utf-8", path
        assert "max-age=300" in headers["Cache-Control"] and headers["Content-Security-Policy"]
        if path.suffix == ".xml":
            parsed = feedparser.parse(body)
            assert not parsed.bozo and parsed.entries, path


def test_a_new_publish_and_a_rollback_show_without_reloading_nginx(served, published, tmp_path):
    """nginx follows DEST/current on each request: the symlink swap is the switch."""
    changed = tmp_path / "site"
    shutil.copytree(served.site, changed)
    page = changed / "about" / "index.html"
    if not page.exists():
        page = changed / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<!-- v2 --></body>"))
    data = manifest.read_manifest(changed / manifest.NAME)
    relative = page.relative_to(changed).as_posix()
    data["files"][relative] = {"sha256": hashlib.sha256(page.read_bytes()).hexdigest(), "size": page.stat().st_size}
    (changed / manifest.NAME).write_text(json.dumps(data), encoding="utf-8")
    url = served.base + relative.removesuffix("index.html")
    assert b"<!-- v2 -->" not in fetch(url)[2]
    assert run_cli("publish", str(published), "--site", str(changed)).returncode == 0
    assert b"<!-- v2 -->" in fetch(url)[2]
    assert run_cli("publish", str(published), "--rollback").returncode == 0
    assert b"<!-- v2 -->" not in fetch(url)[2]
    assert run_cli("publish", str(published), "--rollback").returncode == 0  # back to v2, as it was
    assert b"<!-- v2 -->" in fetch(url)[2]


# --- the pages under the Content-Security-Policy, in a real Chromium ---


@pytest.fixture(scope="module")
def chromium_page(playwright_driver):
    from tests.browser.conftest import CHROMIUM_ARGS, _chromium

    path = _chromium()
    if path is None:
        missing("Chromium not found: apt-get install chromium-headless-shell (or chromium)")

    browser = playwright_driver.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    yield context.new_page()
    browser.close()


def _a_title_word(site: Path, article: str) -> str:
    title = re.search(r"<h1[^>]*>(.*?)</h1>", (site / article / "index.html").read_text(encoding="utf-8"), re.S)
    assert title, article
    word = re.sub(r"<[^>]+>|\s", "", title[1])[:2]
    assert word
    return word


@pytest.mark.browser
def test_pages_run_under_the_content_security_policy(served, chromium_page):
    page = chromium_page
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    shots = Path(os.environ.get("SB_SHOTS", "/tmp/shots"))
    article = an_article(served.site)
    word = _a_title_word(served.site, article)
    for name, path in (("home", ""), ("article", article), ("search", f"search/?q={quote(word)}")):
        response = page.goto(served.base + path, wait_until="load")
        assert response.ok and response.headers["content-security-policy"]
        if name == "search":
            page.wait_for_function(
                "() => { const s = document.querySelector('[data-sb-search-status]').textContent;"
                " return s && s !== '正在搜索……'; }"
            )
            assert page.text_content("[data-sb-search-status]").startswith("找到"), word
        else:
            page.click("[data-sb-font=large]")  # our own scripts run too
            page.click("[data-sb-contrast]")
        page.wait_for_timeout(300)
        with_shots = shots.is_dir() or os.environ.get("SB_SHOTS")
        if with_shots:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"csp-{name}.png"))
        violations += page.evaluate("window.__csp || []")
        assert page.evaluate("typeof __md_scope === 'object' && __md_scope.href") == served.base
    assert violations == [], "\n".join(violations)
