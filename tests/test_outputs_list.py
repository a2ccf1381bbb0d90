"""Outputs are a list (site_builder/outputs/all.py): adding one is a module with ``write(built)`` and a
line in the list; what it writes is recorded, listed in build.json, and removed once it is no longer
written. Built in this process, through the same call `site-builder build` makes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

from site_builder.adapter import build, run
from site_builder.outputs.all import OUTPUTS
from site_builder.outputs.built import Built
from tests.conftest import FIXED_EPOCH, write_config
from tests.test_build import write_article


def _digest(built: Built) -> list[str]:
    """A new output: one line per published article, with its finished body's length."""
    lines = [f"{a.slug} {len(built.bodies[a.src])}" for a in built.site.published()]
    (built.site_dir / "digest").mkdir(exist_ok=True)
    (built.site_dir / "digest" / "all.txt").write_text("\n".join(lines), encoding="utf-8")
    return ["digest/all.txt"]


def _build(project: Path, monkeypatch, outputs: tuple) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.setattr(build, "OUTPUTS", outputs)
    config = write_config(project, project / "content", project / "site")
    run.build(str(config), None, False, lambda text: None)
    return project / "site"


def _listed(site: Path) -> set[str]:
    return set(json.loads((site / "build.json").read_text(encoding="utf-8"))["files"])


def test_an_output_added_to_the_list_is_written_listed_and_removed_when_gone(project: Path, monkeypatch):
    write_article(project, "yi", body="正文第一段。")
    monkeypatch.chdir(project)
    site = _build(project, monkeypatch, (*OUTPUTS, SimpleNamespace(write=_digest)))
    digest = site / "digest" / "all.txt"
    assert digest.read_text(encoding="utf-8").startswith("yi ")
    assert "digest/all.txt" in _listed(site)
    assert (site / "feeds" / "rss.xml").is_file() and (site / "wechat" / "yi.html").is_file()  # the list as before

    site = _build(project, monkeypatch, OUTPUTS)  # the line taken out again: an incremental rebuild
    assert not digest.exists() and not digest.parent.exists()
    assert "digest/all.txt" not in _listed(site)
    assert (site / "feeds" / "rss.xml").is_file() and os.path.isfile(site / "wechat" / "yi.html")
