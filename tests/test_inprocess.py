"""Commands run inside the test process (tests/inprocess.py) answer exactly as a fresh process does.

Most tests run `site-builder` through `run_cli`, in the test process; they are only worth something if
that gives staff's exit code, output and site. Each case here runs once each way and compares.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

import pytest

from tests import inprocess
from tests.conftest import build_project, run_cli, run_cli_process, write_config
from tests.test_build import write_article


def _same(project: Path, *args: str) -> None:
    inside, fresh = run_cli(*args, cwd=project), run_cli_process(*args, cwd=project)
    timing = re.compile(r"用时 [0-9.]+ 秒")  # the build's own duration differs from run to run
    assert (inside.returncode, timing.sub("", inside.stdout), inside.stderr) == (
        fresh.returncode,
        timing.sub("", fresh.stdout),
        fresh.stderr,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--content", "content"],
        ["check", "--content", "content", "--format", "json"],
        ["check", "--content", "missing"],
        ["build", "--no-such-option"],
        ["new"],
        ["--help"],
    ],
    ids=["check-errors", "check-json", "no-content", "bad-option", "missing-argument", "help"],
)
def test_a_command_in_the_test_process_answers_as_a_fresh_process(project: Path, args: list[str]):
    write_article(project, "ok")
    write_article(project, "bad", date="2021-13-45 09:30")  # an error with its file and line
    _same(project, *args)


def test_a_build_in_the_test_process_prints_and_writes_what_a_fresh_process_does(project: Path, tmp_path: Path):
    settings = project / "content/site.yml"  # a colour too light for 公众号 text: a warning (W401)
    settings.write_text(settings.read_text(encoding="utf-8") + "wechat:\n  color: '#9ec5ff'\n", encoding="utf-8")
    write_article(project, "yi", title="第一篇")
    write_article(project, "er", title="第二篇", date="2021-06-01 09:00")
    config = write_config(project, project / "content", project / "site")
    inside = run_cli("build", "--config", str(config))
    (tmp_path / "fresh").mkdir()
    fresh_config = write_config(tmp_path / "fresh", project / "content", tmp_path / "fresh/site")
    fresh = run_cli_process("build", "--config", str(fresh_config))
    assert inside.returncode == fresh.returncode == 0, inside.stderr + fresh.stderr
    assert inside.stderr == fresh.stderr and "警告" in inside.stderr
    summary = re.compile(r"用时 [0-9.]+ 秒，输出到 .*")
    assert summary.sub("", inside.stdout) == summary.sub("", fresh.stdout)
    built = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    again = {
        p.relative_to(tmp_path / "fresh/site"): p.read_bytes()
        for p in (tmp_path / "fresh/site").rglob("*")
        if p.is_file()
    }
    assert built == again


def test_the_test_process_is_left_as_it_was(project: Path):
    """Working directory, environment and loggers come back after a command; its caches are emptied."""
    write_article(project, "yi")
    before = (os.getcwd(), dict(os.environ), logging.getLogger("site_builder").handlers[:])
    assert build_project(project).returncode == 0
    assert (os.getcwd(), dict(os.environ), logging.getLogger("site_builder").handlers[:]) == before
    caches = [
        getattr(module, name)
        for module_name, module in list(sys.modules.items())
        if module_name.startswith("site_builder.")
        for name in inprocess.PROCESS_CACHES
        if isinstance(getattr(module, name, None), dict)
    ]
    assert not any(caches)  # whatever module-level caches remain: nothing carried to the next command
