"""Search after merges, in a real headless Chromium: the index a build after a merge leaves (the
base bundle, the delta of pages changed since, the base's entries it hides) finds exactly what a
clean build's index finds: the edited, added and deleted articles included, with the same counts.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from benchmarks import generate
from tests.browser.conftest import _serve
from tests.browser.test_search_scale import everything_found, wait_for_search
from tests.conftest import build_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict:
    project = tmp_path_factory.mktemp("merged")
    generate.generate(project, 120)
    assert build_project(project, search=True).returncode == 0
    news = sorted((project / "content/news").rglob("*.md"))
    edited, removed, template = news[5], news[9], news[12]
    edited.write_text(
        edited.read_text(encoding="utf-8")
        .replace("title: ", "title: 鹦鹉螺", 1)
        .replace("工作。", "工作，蜂鸟计划。", 1),
        encoding="utf-8",
    )
    removed_title = re.search(r"^title: (.+)$", removed.read_text(encoding="utf-8"), re.M)[1]
    removed.unlink()
    text = re.sub(r"^(doc_no|index_no): .*\n", "", template.read_text(encoding="utf-8"), flags=re.M)
    added = template.with_name("new-" + template.name)
    added.write_text(text.replace("slug: ", "slug: new-", 1).replace("title: ", "title: 蜂鸟", 1), encoding="utf-8")
    result = build_project(project, search=True)
    assert result.returncode == 0 and "本次生成" in result.stdout, result.stdout + result.stderr
    listed = json.loads((project / "site/pagefind/bundles.json").read_text(encoding="utf-8"))
    assert listed["bundles"] == ["base", "delta"] and listed["hidden"], listed  # really the merged layout

    clean = tmp_path_factory.mktemp("clean")
    shutil.copytree(project / "content", clean / "content")
    assert build_project(clean, search=True).returncode == 0
    docno = re.search(r"^doc_no: (.+)$", news[20].read_text(encoding="utf-8"), re.M)
    return {"merged": project / "site", "clean": clean / "site", "removed_title": removed_title, "docno": docno}


def test_after_a_merge_search_finds_what_a_clean_build_finds(sites, page):
    queries = ["鹦鹉螺", "蜂鸟", "蜂鸟计划", "执法", "复议", "行政复议体制改革", sites["removed_title"]]
    if sites["docno"]:
        queries.append(sites["docno"][1])
    found = {}
    for name in ("merged", "clean"):
        serving = _serve(sites[name])
        base = next(serving)
        try:
            page.goto(base + "search/")
            found[name] = {q: sorted(everything_found(page, sites[name], q)) for q in queries}
            page.goto(base + "search/?q=" + "蜂鸟")
            found[name]["status"] = wait_for_search(page)
        finally:
            serving.close()
    assert found["merged"] == found["clean"]
    assert len(found["merged"]["鹦鹉螺"]) == 1 and len(found["merged"]["蜂鸟"]) == 2
    assert found["merged"][sites["removed_title"]] == []
