"""Shared fixtures: temporary projects built with the real CLI, and the sample site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = ROOT / "content"
# 2026-11-27 00:00 Beijing time: after every sample article except the 2031 one.
FIXED_EPOCH = "1795708800"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files (tests/golden/) from this build instead of comparing; review the diff",
    )


# The files that take longest, longest first. `./dev test` hands whole files to workers
# (pytest-xdist --dist loadfile) in collection order (--no-loadscope-reorder): started first,
# a long file runs while the others share the short ones, instead of being the last one left.
# Files not listed follow in their usual order. Measured with `./dev test --durations=0`.
LONGEST_FIRST = (
    "test_deploy_pipelines.py",
    "browser/test_browser.py",
    "browser/test_phone_browser.py",
    "browser/test_xxgk_browser.py",
    "browser/test_cms_browser.py",
    "test_scale.py",
    "browser/test_search_quality.py",
    "browser/test_search_scale.py",
    "test_staging_build.py",
    "test_build.py",
    "test_memo.py",
    "test_staging_publish.py",
    "test_publish.py",
    "test_feeds.py",
    "test_feeds_outputs.py",
    "test_properties.py",
    "test_install_docs.py",
    "test_cms.py",
    "test_sanitize_fuzz.py",
    "test_robust_inputs.py",
    "test_inprocess.py",
    "test_feeds_html_validity.py",
    "test_install_commands.py",
    "browser/test_search_merge.py",
    "browser/test_wechat_browser.py",
    "browser/test_cleanup_browser.py",
    "test_cleanups.py",
    "test_robust_fuzz.py",
    "test_xxgk_numbers.py",
    "test_install_text.py",
    "test_parity_property.py",
)


def pytest_collection_modifyitems(config, items):
    gone = [name for name in LONGEST_FIRST if not (ROOT / "tests" / name).is_file()]
    if gone:
        raise pytest.UsageError(f"tests/conftest.py LONGEST_FIRST names files that are gone: {gone}")
    rank = {f"tests/{name}": i for i, name in enumerate(LONGEST_FIRST)}

    def key(item) -> int:
        return rank.get(Path(item.path).relative_to(ROOT).as_posix(), len(rank))

    items.sort(key=key)  # stable: each file keeps its own order, unlisted files theirs


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def write_config(project: Path, content: Path, site: Path, search: bool = False) -> Path:
    """The tool's default mkdocs.yml, pointed at other content and output folders."""
    text = (ROOT / "site_builder/mkdocs.yml").read_text(encoding="utf-8")
    for old, new in (
        ("docs_dir: content", f"docs_dir: {content.as_posix()}"),
        ("site_dir: site", f"site_dir: {site.as_posix()}"),
        ("  - site-builder", f"  - site-builder:\n      search: {str(search).lower()}"),
    ):
        assert text.count(old) == 1, f"mkdocs.yml no longer has exactly one {old!r}"
        text = text.replace(old, new)
    config = project / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def run_cli(
    *args: str, cwd: Path | None = None, epoch: str = FIXED_EPOCH, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run `site-builder` as staff do, in this process: the same `main()`, exit code and printed output.

    A fresh interpreter costs two seconds of imports per command; the suite runs hundreds. Tests of the
    process itself (the entry point, kill -9, a console's encoding) use `run_cli_process`.
    SITE_BUILDER_TEST_PROCESSES=1 runs every command in its own process again, to compare.
    """
    from tests import inprocess

    if os.environ.get("SITE_BUILDER_TEST_PROCESSES") == "1":
        return run_cli_process(*args, cwd=cwd, epoch=epoch, env=env)

    return inprocess.run(list(args), cwd=cwd or ROOT, env={**(env or {}), "SOURCE_DATE_EPOCH": epoch})


def run_cli_process(
    *args: str, cwd: Path | None = None, epoch: str = FIXED_EPOCH, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run `site-builder` in a real process: real exit code, real output."""
    env = {**os.environ, **(env or {}), "SOURCE_DATE_EPOCH": epoch}
    return subprocess.run(
        [sys.executable, "-m", "site_builder.cli", *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def project(tmp_path: Path):
    """A throw-away project: copy of the sample settings, no articles yet."""
    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    settings = (SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8")
    assert settings.count("\nchecks:") == 1, "content/site.yml no longer has one `checks:`"
    # A throw-away project holds one or two articles: the other 栏目 are empty on purpose.
    settings = re.sub(r"\nchecks:[^\n]*\n", "\\g<0>  W730: off\n", settings)
    settings = settings.split("\nxxgk:", 1)[0] + "\n"  # no 政府信息公开 section: its pages are not copied
    (content / "site.yml").write_text(settings, encoding="utf-8")
    return tmp_path


def build_project(
    project: Path,
    search: bool = False,
    epoch: str = FIXED_EPOCH,
    env: dict[str, str] | None = None,
    process: bool = False,
) -> subprocess.CompletedProcess:
    """Build the project in this process, or with `process=True` in a fresh one: a build compared byte
    for byte with another is made in its own process, so that no order that depends on the process
    (Python's string hashing is seeded per process) can hide."""
    config = write_config(project, project / "content", project / "site", search=search)
    run = run_cli_process if process else run_cli
    return run("build", "--config", str(config), epoch=epoch, env=env)


def nginx_path() -> str | None:
    """Debian's nginx (CI installs it), or None."""
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    return path if os.access(path, os.X_OK) else None


def nginx_conf(work: Path, server: str) -> Path:
    """A minimal nginx.conf in ``work`` around ``server`` (a server block, or an include of one): its pid,
    logs and temporary files in ``work``, no access log, the system's MIME types."""
    temp = " ".join(f"{kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = work / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")  # pytest's temporary folders are private to us
        + f"worker_processes 1;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'};\n"
        + "events { worker_connections 256; }\n"
        + "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        + f"  access_log off;\n  {temp}\n  {server}\n}}\n",
        encoding="utf-8",
    )
    return main


def made_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder `make` fills once per test run, even when pytest-xdist spreads the tests over processes.

    Each worker has its own session; a site every worker needs (the sample site, the generated one)
    is built by the first worker that asks, under a lock, and read by the others.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    import fcntl  # Unix only, as is running the suite in parallel

    root = tmp_path_factory.getbasetemp().parent  # shared by the workers of this run
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _build_sample(project: Path) -> None:
    config = write_config(project, SAMPLE_CONTENT, project / "site", search=True)
    result = run_cli("build", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright, started once per test process (each pytest-xdist worker) for every Chromium the tests launch:
    its sync API runs one driver at a time, and starting one costs a second."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        from tests.browser.conftest import missing

        missing("Playwright not installed: pip install -e '.[test]'")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own sample site, built once per test run with search."""
    return made_once(tmp_path_factory, "sample", _build_sample) / "site"
