"""`benchmarks.steps`, as the README prints it: the maintainer's account of where a build's CPU goes.

It wraps the build's own functions by name, so a function renamed or moved breaks it; this runs it on a
small generated corpus and asks that every step it names was timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.generate import generate
from tests.conftest import ROOT


def test_steps_times_every_step_of_a_full_build(tmp_path: Path):
    corpus = tmp_path / "corpus"
    generate(corpus, 20, records=10)
    out = tmp_path / "steps.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.steps", str(corpus), "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    measured = json.loads(out.read_text(encoding="utf-8"))
    never = [name for name, (_cpu, calls) in measured["steps"].items() if calls == 0]
    assert never == [], f"steps never timed (renamed or no longer called?): {never}\n{result.stderr}"
    assert {"plan pages", "Markdown", "link check", "waiting for Pagefind", "build.json"} <= set(measured["steps"])
    assert [child["process"] for child in measured["children"]] == ["Pagefind"], result.stderr
    assert "| link check |" in result.stderr  # the table the maintainer reads


def test_mkdocs_dirty_rebuilds_the_edited_page_each_time(tmp_path: Path):
    """The plain-MkDocs edit the README sets the preview against is timed on rebuilds that render the edit."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.mkdocs_dirty", "--pages", "30", "--edits", "2", "--dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "30 pages: a dirty rebuild after one edit takes" in result.stdout, result.stdout
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:2]] == ["edit 1", "edit 2"]
    page = (tmp_path / "site" / "y0" / "p0" / "index.html").read_text(encoding="utf-8")
    assert "第 1 次修改" in page  # the last edit is on the page; the source is put back
    assert "次修改" not in (tmp_path / "docs" / "y0" / "p0.md").read_text(encoding="utf-8")
