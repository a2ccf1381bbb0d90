"""A full build hands work to second processes only when the site is big enough to pay for starting them.

The helper (Pagefind's requests, half the link check) and the WeChat copies' worker each cost a Python
start; a small site is built in one process. Either way the site is the same, byte for byte.
"""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

from site_builder.adapter import build as site_build
from tests.conftest import build_project
from tests.test_build import write_article
from tests.test_staging_publish import tree


def _project(project: Path) -> Path:
    for n, date in enumerate(("2025-12-01 09:00", "2025-12-20 10:00", "2025-12-28 15:30")):
        write_article(
            project,
            f"a{n}",
            title=f"行政复议工作动态第{n + 1}期",
            date=date,
            slug=f"fuyi-{n}",
            body=f"市司法局召开行政复议工作会议，研究第{n + 1}季度案件办理。见[另一篇](a{(n + 1) % 3}.md)。",
        )
    return project


def _children_started(monkeypatch) -> list[str]:
    """One entry for each second process a build starts (the helper and the worker are spawned)."""
    started: list[str] = []
    real = multiprocessing.get_context

    def context(method=None):
        ctx = real(method)
        if method == "spawn":
            started.append("spawn")
        return ctx

    monkeypatch.setattr(multiprocessing, "get_context", context)
    return started


def test_a_small_site_is_built_in_one_process(project: Path, monkeypatch):
    started = _children_started(monkeypatch)
    result = build_project(_project(project), search=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert started == [], "a three-article site needs no second process"
    assert sorted(p.name for p in (project / "site/wechat").glob("fuyi-*")) == [
        f"fuyi-{n}.{ext}" for n in range(3) for ext in ("html", "json")
    ], "the WeChat copies are made in the build's process"


def test_the_site_is_the_same_with_the_second_processes(project: Path, tmp_path_factory, monkeypatch):
    _project(project)
    alone = build_project(project, search=True)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    single = tree(project / "site")

    started = _children_started(monkeypatch)
    monkeypatch.setattr(site_build, "HELPER_MIN_PAGES", 0)
    monkeypatch.setattr(site_build, "COPIES_WORKER_MIN", 0)
    other = tmp_path_factory.mktemp("with-processes")
    shutil.copytree(project / "content", other / "content")
    helped = build_project(other, search=True)
    assert helped.returncode == 0, helped.stdout + helped.stderr
    assert len(started) == 2, "the helper and the copies' worker were started"
    both = tree(other / "site")
    differ = sorted(name for name in single.keys() | both.keys() if single.get(name) != both.get(name))
    assert differ == [], "the same site with and without the second processes"
