"""The search bundles Pagefind makes: complete when the build goes on, and right after a rebuild."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from benchmarks.generate import generate
from site_builder.outputs.search import index as search
from tests.conftest import run_cli

PACKAGE_THEME = Path(search.__file__).resolve().parents[2] / "theme"


def test_a_bundle_comes_whole_from_the_real_pagefind(tmp_path: Path):
    """Every file Pagefind makes, in its folders, with pagefind-entry.json naming the pages' language."""
    site = tmp_path / "site"
    index = search.BackgroundIndex(site)
    for number in range(3):
        index.add(search.document(f"<p>第{number}篇 行政复议决定书</p>"), f"/articles/a{number}/")
    written = index.finish()
    assert list(written) == [search.BASE]
    bundle = site / search.OUTPUT_SUBDIR / search.BASE
    assert len(list((bundle / "fragment").iterdir())) == 3
    assert (bundle / "pagefind.js").stat().st_size > 0 and (bundle / "wasm.unknown.pagefind").stat().st_size > 0
    assert '"und"' in (bundle / "pagefind-entry.json").read_text(encoding="utf-8")
    ids = search.page_ids(written[search.BASE], lambda url: url.removeprefix("/") + "index.html")
    assert sorted(ids) == [f"articles/a{number}/index.html" for number in range(3)]
    assert sorted(f"{page_id}.pf_fragment" for page_id in ids.values()) == sorted(
        path.name for path in (bundle / "fragment").iterdir()
    )


def _dest_of(url: str) -> str:
    return url.removeprefix("/") + "index.html"


def _found(site: Path) -> dict[str, int]:
    """How often the search page's bundles hold each page's URL, the entries it hides left out."""
    listed = json.loads((site / "pagefind/bundles.json").read_text(encoding="utf-8"))
    found: dict[str, int] = {}
    for bundle in listed["bundles"]:
        for path in (site / "pagefind" / bundle / "fragment").iterdir():
            if path.stem not in listed["hidden"]:
                url = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
                found[url] = found.get(url, 0) + 1
    return found


def test_a_page_whose_html_changed_but_not_its_text_is_listed_once(tmp_path: Path):
    """Its delta entry would have the id of its base entry: the search page cannot hide one and not
    the other, and one-character and 文号 queries listed the page twice. The base's entry stands."""
    from site_builder.adapter.indexing import Indexing

    site = tmp_path / "site"
    texts = {"articles/a/index.html": "<p>甲 行政复议</p>", "articles/b/index.html": "<p>乙 法治</p>"}
    first = search.BackgroundIndex(site)
    for dest, text in texts.items():
        first.add(search.document(text), "/" + dest.removesuffix("index.html"))
    ids = search.page_ids(first.finish()[search.BASE], _dest_of)
    record = search.IndexPlan(base=dict.fromkeys(texts, "old"), ids=ids).record()

    # both pages' keys change (their HTML did); only b's text changed
    texts["articles/b/index.html"] = "<p>乙 法治政府</p>"
    plan = search.IndexPlan.from_record(record).after(dict.fromkeys(texts, "new"), has_base=True)
    Indexing(lambda html: html).reindex(site, texts, plan, _dest_of)
    search.write_bundle_list(
        site / "pagefind", {name: site / "pagefind" / name for name in ("base", "delta")}, plan.hidden()
    )
    assert plan.delta == {"articles/b/index.html": "new"}
    assert plan.hidden() == [ids["articles/b/index.html"]]
    assert _found(site) == {"/articles/a/": 1, "/articles/b/": 1}

    # b's text as the base holds it again, every page's HTML changed once more: no delta at all
    texts["articles/b/index.html"] = "<p>乙 法治</p>"
    plan = search.IndexPlan.from_record(plan.record()).after(dict.fromkeys(texts, "newer"), has_base=True)
    Indexing(lambda html: html).reindex(site, texts, plan, _dest_of)
    assert plan.delta == {} and plan.hidden() == [] and not (site / "pagefind/delta").exists()


def test_a_change_of_the_sites_own_theme_leaves_search_as_it_was(tmp_path: Path):
    """Seen: after theme/ changed, every page was in the base and again in the delta (an error like
    "/articles/x/ found twice"); the theme shapes the pages around the text Pagefind reads, not it."""
    generate(tmp_path, 30)
    (tmp_path / "mkdocs.yml").unlink()  # the default configuration: theme/ beside content/ is used
    (tmp_path / "theme/partials").mkdir(parents=True)
    assert run_cli("build", cwd=tmp_path).returncode == 0
    before = _found(tmp_path / "site")
    assert len(before) == 30 and set(before.values()) == {1}

    footer = (PACKAGE_THEME / "partials/footer.html").read_text(encoding="utf-8")
    (tmp_path / "theme/partials/footer.html").write_text(footer + "<!-- 换了页脚 -->\n", encoding="utf-8")
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    article = next((tmp_path / "site/articles").glob("*/index.html"))
    assert "换了页脚" in article.read_text(encoding="utf-8")  # the theme's change is on the pages
    assert _found(tmp_path / "site") == before
    listed = json.loads((tmp_path / "site/pagefind/bundles.json").read_text(encoding="utf-8"))
    assert listed["bundles"] == ["base"]
