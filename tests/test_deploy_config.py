"""The shipped deployment files, checked by the real tools: actionlint, GitLab's CI schema, nginx, Chromium.

nginx serves the sample site published with `site-builder publish` (so through DEST/current) on
127.0.0.1; the tests read what a reader's browser would get: status, headers, gzip, feed types, and
whether the pages run under the Content-Security-Policy without a single violation.
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
from tests.conftest import FIXED_EPOCH, ROOT, SAMPLE_CONTENT, run_cli, write_config

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


@dataclass
class Installed:
    """site_builder as a pipeline installs it: a fresh venv outside the checkout."""

    bin: Path
    source: Path  # the checkout's packaged files as a git repository, for the pipelines' install step
    constraints: Path  # the dev venv's versions: the same dependencies, so the same bytes


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """Build a wheel of this checkout and install it into a new venv, as `pip install` on a runner does."""
    work = tmp_path_factory.mktemp("install")
    source = work / "site_builder"  # what a build needs, nothing else of the checkout (no content/, no tests/)
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "site_builder", source / "site_builder", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = work / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)])
    (wheel,) = wheels.glob("site_builder-*.whl")
    freeze = _run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"]).stdout
    constraints = work / "constraints.txt"
    constraints.write_text(
        "".join(
            line + "\n"
            for line in freeze.splitlines()
            if not line.lower().startswith(("site-builder", "site_builder", "-e"))
        ),
        encoding="utf-8",
    )
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    _run([str(venv / "bin/python"), "-m", "pip", "install", "-q", "-c", str(constraints), str(wheel)])
    for git in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "site_builder"], ["tag", "v-test"]):
        _run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *git], cwd=source)
    return Installed(venv / "bin", source, constraints)


def _pipeline_steps(pipeline: str) -> tuple[str, str, set[str], str]:
    """(install script, check-and-build script, the paths the cache keeps, the workspace variable)."""
    if pipeline == "github":
        workflow = yaml.safe_load(GITHUB_WORKFLOW.read_text(encoding="utf-8"))
        build = workflow["jobs"]["build"]["steps"]
        install = next(s["run"] for s in build if "pip install" in s.get("run", ""))
        steps = "\n".join(s["run"] for s in build if "site-builder" in s.get("run", ""))
        cached = next(s for s in build if s.get("uses", "").startswith("actions/cache@"))
        return install, steps, set(cached["with"]["path"].split()), "GITHUB_WORKSPACE"
    pipeline_file = yaml.safe_load(GITLAB_CI.read_text(encoding="utf-8"))
    job = pipeline_file["build"]
    install = "\n".join(job["before_script"])
    return install, "\n".join(job["script"]), {p.rstrip("/") for p in job["cache"]["paths"]}, "CI_PROJECT_DIR"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(scope="module")
def dev_site(tmp_path_factory) -> dict[str, bytes]:
    """The sample site as the dev checkout builds it, with the commit the pipelines are given."""
    dev = tmp_path_factory.mktemp("dev")
    config = write_config(dev, SAMPLE_CONTENT, dev / "site", search=True)
    result = run_cli("build", "--config", str(config), env={"SITE_BUILDER_COMMIT": COMMIT})
    assert result.returncode == 0, result.stdout + result.stderr
    return _tree(dev / "site")


@pytest.mark.parametrize("pipeline", ["github", "gitlab"])
def test_pipeline_installs_the_tool_and_builds_a_content_only_repository(
    tmp_path: Path, pipeline: str, installed: Installed, dev_site: dict[str, bytes]
):
    """The pipeline's own install, check and build scripts, run as a runner would on three fresh machines.

    The office's repository holds content/ only; the tool comes from `pip install` of site_builder's
    repository (into a venv made from a wheel of this checkout: nothing of the checkout is on the path).
    Between runs only what the pipeline's cache keeps survives. The site equals the dev build's, byte for byte.
    """
    install, script, kept, workspace_variable = _pipeline_steps(pipeline)
    assert kept == {"site", ".cache/site-builder"}
    workspace = tmp_path / "ws"
    shutil.copytree(SAMPLE_CONTENT, workspace / "content")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))},
        "PATH": f"{installed.bin}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        workspace_variable: str(workspace),
        "SITE_BUILDER_REPO": str(installed.source),
        "SITE_BUILDER_REF": "v-test",
        "SITE_BUILDER_COMMIT": COMMIT,
        "SOURCE_DATE_EPOCH": FIXED_EPOCH,
        "PIP_CONSTRAINT": str(installed.constraints),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }

    def run_step(text: str, tool: Path | None = None) -> str:
        result = subprocess.run(
            # apt-get: the GitLab image's git, rsync and ssh are on this machine already.
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "apt-get() { :; }\n" + text],
            cwd=workspace,
            env={**env, "TOOL": str(tool or tmp_path / "unused")},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    run_step(install, tmp_path / "tool")  # pip install "$TOOL" of a fetched site_builder, as in CI
    shown = subprocess.run(
        [
            str(installed.bin / "python"),
            "-c",
            "import site_builder.cli, site_builder.adapter.project as p; print(p.THEME)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert shown.returncode == 0 and str(ROOT) not in shown.stdout, shown.stdout + shown.stderr
    assert sorted(p.name for p in workspace.iterdir()) == ["content"], "the repository holds content/ only"

    def rendered(output: str) -> tuple[int, int]:
        found = re.search(r"构建完成：(\d+) 个页面（本次生成 (\d+) 个，沿用上次的 (\d+) 个）", output)
        assert found and int(found[2]) + int(found[3]) == int(found[1]), output
        return int(found[1]), int(found[2])

    def fresh_machine() -> None:
        for path in workspace.iterdir():
            if path.name not in ("content", ".cache", "site"):  # the cache keeps site/ and .cache/site-builder
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        for path in (workspace / ".cache").glob("*"):
            if path.name != "site-builder":
                shutil.rmtree(path)

    total, first = rendered(run_step(script))
    assert first == total > 0
    before = _tree(workspace / "site")
    differ = sorted(name for name in before.keys() | dev_site.keys() if before.get(name) != dev_site.get(name))
    assert differ == [], "the installed tool builds the dev build's site, byte for byte"

    fresh_machine()
    assert rendered(run_step(script)) == (total, 0)
    assert _tree(workspace / "site") == before, "a build from the cache publishes exactly what the clean build did"
    article = sorted((workspace / "content/news/2021").glob("*.md"))[0]  # published long ago
    text = article.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.M)[1]
    article.write_text(text.replace(f"title: {title}", f"title: 更正：{title}", 1), encoding="utf-8")
    fresh_machine()
    _, third = rendered(run_step(script))
    assert 0 < third < total / 3
    pages = (workspace / "site").rglob("index.html")
    assert any(f"<h1>更正：{title}" in page.read_text(encoding="utf-8") for page in pages), "the article page shows it"


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
    temp = " ".join(f"{kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = work / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")  # pytest's temporary folders are private to us
        + f"worker_processes 1;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'};\n"
        + "events { worker_connections 64; }\n"
        + "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        + f"  access_log off;\n  {temp}\n  include {work / 'site.conf'};\n}}\n",
        encoding="utf-8",
    )
    return main


@pytest.fixture(scope="module")
def nginx() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
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
def chromium_page():
    path = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and os.access(p, os.X_OK)), None)
    if path is None:
        missing("Chromium not found (/usr/bin/chromium): apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright not installed: pip install -e '.[test]'")
    from tests.browser.conftest import CHROMIUM_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
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
