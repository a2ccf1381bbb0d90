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
