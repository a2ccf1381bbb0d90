"""A new kind of content is a new folder: registered in the one list of kinds, its pages, tab and feed
appear in a real build with no edit to the loader, the planner or the feeds output (core/kinds.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXED_EPOCH, ROOT, write_config

# site-builder build, with tests/toy_kind.py's kind added to the list of kinds first
DRIVER = (
    "import sys\n"
    "from site_builder.core import kind_list\n"
    "from tests.toy_kind import KIND\n"
    "kind_list.KINDS.append(KIND)\n"
    "from site_builder.cli.commands import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _build(project: Path) -> subprocess.CompletedProcess:
    config = write_config(project, project / "content", project / "site")
    env = {"SOURCE_DATE_EPOCH": FIXED_EPOCH, "PATH": "/usr/bin:/bin", "HOME": str(project)}
    command = [sys.executable, "-c", DRIVER, "build", "--config", str(config)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_toy_kind_adds_its_pages_tab_and_feed_without_edits_elsewhere(project: Path):
    bulletins = project / "content" / "bulletins"
    bulletins.mkdir()
    (bulletins / "tingdian.yml").write_text("title: 停电通知\ndate: 2026-03-02\ntext: 周六机关大楼停电。\n", "utf-8")
    (bulletins / "huiyi.yml").write_text("title: 会议室调整\ndate: 2026-04-01\ntext: 三楼会议室改为二楼。\n", "utf-8")

    result = _build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    page = (site / "bulletins/tingdian/index.html").read_text(encoding="utf-8")
    assert "周六机关大楼停电。" in page
    assert "feeds/bulletins/rss.xml" in page  # the page announces the kind's feed
    index = (site / "bulletins/index.html").read_text(encoding="utf-8")
    assert "会议室调整" in index and "停电通知" in index
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="bulletins/"' in home and "公告栏" in home  # a top tab
    feed = json.loads((site / "feeds/bulletins/feed.json").read_text(encoding="utf-8"))
    assert [item["title"] for item in feed["items"]] == ["会议室调整", "停电通知"]
    assert "公告栏" in (site / "feeds/index.html").read_text(encoding="utf-8")  # listed with every feed
    assert "/bulletins/tingdian/" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_a_toy_kinds_problem_stops_the_build_like_any_other(project: Path):
    bulletins = project / "content" / "bulletins"
    bulletins.mkdir()
    (bulletins / "empty.yml").write_text("date: 2026-03-02\ntext: 无标题。\n", "utf-8")

    result = _build(project)
    assert result.returncode != 0
    assert "bulletins/empty.yml:1: 错误 E301" in result.stdout + result.stderr
