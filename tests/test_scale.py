"""Correctness at scale: a generated 300-article site, and rebuilds that redo only what changed.

Speed and memory are measured by benchmarks/run.py, not asserted here.
"""

from __future__ import annotations

import filecmp
import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from benchmarks.generate import generate
from benchmarks.merge_latency import add_batch
from tests.conftest import run_cli, write_config

SIZE = 300


def differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in cmp.diff_files + cmp.left_only + cmp.right_only)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    # dircmp compares by stat signature first; confirm byte for byte
    found += [
        str(p.relative_to(left))
        for p in left.rglob("*")
        if p.is_file()
        and (right / p.relative_to(left)).is_file()
        and not filecmp.cmp(p, right / p.relative_to(left), shallow=False)
    ]
    return sorted(set(found))


def searchable(site: Path) -> dict[str, dict]:
    """What the search page finds, page by page: the fragment of every page of the bundles listed
    in pagefind/bundles.json that the list does not hide, by URL. Pagefind makes the index words
    from the same page, so equal fragments mean the same results for every query."""
    listed = json.loads((site / "pagefind/bundles.json").read_text(encoding="utf-8"))
    pages: dict[str, dict] = {}
    for bundle in listed["bundles"]:
        for path in sorted((site / "pagefind" / bundle / "fragment").glob("*.pf_fragment")):
            if path.stem in listed["hidden"]:
                continue
            fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
            assert fragment["url"] not in pages, f"{fragment['url']} found twice"
            pages[fragment["url"]] = fragment
    return pages


def same_site(built: Path, clean: Path) -> list[str]:
    """Differences between an incremental build and a clean one: every file byte for byte, the
    search index by what it finds (its bundles depend on the merges since the last full index)."""
    found = [path for path in differences(built, clean) if not path.startswith("pagefind/") and path != "build.json"]

    def manifest(site: Path) -> dict:  # build.json, but for the search index's files
        data = json.loads((site / "build.json").read_text(encoding="utf-8"))
        data["files"] = {path: entry for path, entry in data["files"].items() if not path.startswith("pagefind/")}
        return data

    if manifest(built) != manifest(clean):
        found.append("build.json")
    if searchable(built) != searchable(clean):
        found.append("pagefind/ (pages found by search)")
    return found


def build(project: Path, site: Path, *extra: str):
    config = write_config(project, project / "content", site, search=True)
    result = run_cli("build", "--config", str(config), *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("scale")
    generate(project, SIZE)
    build(project, project / "site")
    return project


def articles_in(project: Path) -> list[dict]:
    found = []
    for path in sorted((project / "content/news").rglob("*.md")):
        head = path.read_text(encoding="utf-8").split("---\n")[1]
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line and not line.startswith(" "))
        found.append(meta)
    return found


def test_every_article_is_on_exactly_one_page_of_each_of_its_lists(generated: Path):
    site = generated / "site"
    articles = articles_in(generated)
    assert len(articles) == SIZE

    def listed(first: Path) -> list[str]:
        titles, page = [], first
        while True:
            html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            titles += [a.get_text() for a in html.select(".sb-list .sb-item__title")]
            step = html.select_one('.sb-pagination a[rel="next"]')
            if step is None:
                return titles
            page = (page.parent / step["href"] / "index.html").resolve()

    everything = listed(site / "news/index.html")
    assert sorted(everything) == sorted(a["title"] for a in articles)
    assert len(set(everything)) == SIZE
    settings = (generated / "content/site.yml").read_text(encoding="utf-8")
    for name, slug in re.findall(r"- name: (\S+)\n\s+slug: (\S+)", settings):
        in_column = listed(site / f"news/{slug}/index.html")
        assert sorted(in_column) == sorted(a["title"] for a in articles if a["category"] == name), name
    for year in {a["date"][:4] for a in articles}:
        assert sorted(listed(site / f"archive/{year}/index.html")) == sorted(
            a["title"] for a in articles if a["date"].startswith(year)
        )


def test_feeds_hold_the_newest_items_of_each_list(generated: Path):
    site = generated / "site"
    articles = sorted(articles_in(generated), key=lambda a: a["date"], reverse=True)
    rss = (site / "feeds/rss.xml").read_text(encoding="utf-8")
    titles = re.findall(r"<item>\s*<title>([^<]+)</title>", rss)
    assert titles == [a["title"] for a in articles[:50]]


def test_a_rebuild_with_nothing_changed_renders_nothing_and_changes_nothing(generated: Path, tmp_path: Path):
    site = generated / "site"
    before = tmp_path / "before"
    shutil.copytree(site, before)
    result = build(generated, site)
    total = re.search(r"构建完成：(\d+) 个页面", result.stdout).group(1)
    assert f"本次生成 0 个，沿用上次的 {total} 个" in result.stdout, result.stdout
    assert differences(site, before) == []


def test_an_incremental_rebuild_equals_a_clean_build(generated: Path, tmp_path: Path):
    news = generated / "content/news"
    first = sorted(news.rglob("*.md"))
    edited, removed = first[3], first[10]
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: ", "title: 更正：", 1), encoding="utf-8")
    removed.unlink()
    added = news / "2025" / "a2025-new.md"
    added.write_text(first[20].read_text(encoding="utf-8").replace("slug: ", "slug: new-", 1), encoding="utf-8")

    result = build(generated, generated / "site")
    rendered = int(re.search(r"本次生成 (\d+) 个", result.stdout).group(1))
    total = int(re.search(r"构建完成：(\d+) 个页面", result.stdout).group(1))
    assert 0 < rendered < total / 3, result.stdout
    clean = tmp_path / "clean"
    build(generated, clean, "--clean")
    assert same_site(generated / "site", clean) == []


def test_a_merge_indexes_only_what_it_changed(generated: Path):
    """Pagefind can't update an index: a one-article merge indexes that article alone (the delta
    bundle), keeps the base bundle file for file and hides the article's old entry in it."""
    site = generated / "site"
    article = sorted((generated / "content/news").rglob("*.md"))[40]
    slug = re.search(r"^slug: (\S+)$", article.read_text(encoding="utf-8"), re.M)[1]

    def files() -> dict[str, int]:
        return {p.relative_to(site).as_posix(): p.stat().st_ino for p in (site / "pagefind").rglob("*") if p.is_file()}

    def listed() -> dict:
        return json.loads((site / "pagefind/bundles.json").read_text(encoding="utf-8"))

    def in_delta() -> dict[str, dict]:  # earlier tests' merges are there too (the base is the first build's)
        fragments = sorted((site / "pagefind/delta/fragment").glob("*.pf_fragment"))
        return {d["url"]: d for d in (json.loads(gzip.decompress(p.read_bytes())[12:]) for p in fragments)}

    before, hidden, delta = files(), listed()["hidden"], in_delta()
    old = searchable(site)[f"/articles/{slug}/"]
    article.write_text(article.read_text(encoding="utf-8").replace("title: ", "title: 更新：", 1), encoding="utf-8")
    build(generated, site)
    after = files()
    base = {path for path in after if path.startswith("pagefind/base/")}
    assert base and all(after[path] == before.get(path) for path in base), "the base bundle must be kept"
    assert listed()["bundles"] == ["base", "delta"]
    now = in_delta()
    assert set(now) == set(delta) | {f"/articles/{slug}/"}  # not its neighbours, whose links changed
    assert now[f"/articles/{slug}/"]["meta"]["title"] == "更新：" + old["meta"]["title"]
    assert len(listed()["hidden"]) == len(hidden) + 1


def test_a_new_cleanup_batch_renders_what_it_changes_and_equals_a_clean_build(tmp_path: Path):
    """Cleanup data is not a site-wide input: a new batch renders its pages, the library's and the
    articles citing a 文号 it decides on, and the result is the clean build's, byte for byte."""
    project = tmp_path / "project"
    generate(project, 120, records=200)
    build(project, project / "site")
    add_batch(project / "content")
    result = build(project, project / "site")
    rendered = int(re.search(r"本次生成 (\d+) 个", result.stdout).group(1))
    total = int(re.search(r"构建完成：(\d+) 个页面", result.stdout).group(1))
    assert rendered < total / 2, result.stdout  # its 300 documents' pages and a few more, not every page
    build(project, tmp_path / "clean", "--clean")
    assert same_site(project / "site", tmp_path / "clean") == []


def test_pages_with_the_chrome_rendered_once_equal_pages_rendered_in_full(generated: Path, tmp_path: Path, monkeypatch):
    """Header, tabs, menu and footer are rendered once per folder (page_chrome.py): no page may notice."""
    monkeypatch.setenv("SITE_BUILDER_UNCACHED_CHROME", "1")
    build(generated, tmp_path / "full", "--clean")
    assert same_site(generated / "site", tmp_path / "full") == []
