"""The search index fed while MkDocs renders: Pagefind runs in its own process on the other core.

A full build sends every page as soon as its content is made, and Pagefind writes its base
bundle while MkDocs renders the pages. A rebuild indexes only the pages whose searchable text
changed, into a delta bundle the search page merges (outputs/search/index.py says how the two
are kept equal to one clean index); the preview keeps the index of its start. A search failure
fails the build: never a site without search.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError

from site_builder.core.pages import Page
from site_builder.outputs.search import index as search


class Indexing:
    def __init__(self, searchable: Callable[[Page], str | None]) -> None:
        self.searchable = searchable  # a page's searchable HTML, or None
        self.index: search.BackgroundIndex | None = None
        self.writing: Future | None = None  # Pagefind writing its bundle
        self.written: dict[str, dict[str, str]] = {}  # its pages once written (BackgroundIndex.finish)

    def start(self, site_dir: Path, helper: ProcessPoolExecutor | None = None) -> None:
        """``helper`` (outputs/helper.py) makes Pagefind's requests of every page: see index.py."""
        self.index = _searching(lambda: search.BackgroundIndex(site_dir, helper))

    def add(
        self,
        spec: Page | None,
        url: str,
        index: search.BackgroundIndex | None = None,
        bundle: str = search.BASE,
    ) -> None:
        """Only what a reader searches: articles and pages marked data-pagefind-body, that part only."""
        if index is None:
            index = self.index
        if index is None or spec is None:
            return
        html = self.searchable(spec)
        if html is not None:
            index.add_page(html, url, bundle)

    def write_bundle(self) -> None:
        """Every page is sent: Pagefind writes its bundle while the build goes on."""
        if self.index is not None:
            writer = ThreadPoolExecutor(1, thread_name_prefix="pagefind")
            self.writing = writer.submit(_searching, self.index.finish)
            writer.shutdown(wait=False)
            self.index = None

    def wait(self) -> None:
        if self.writing is not None:
            self.writing, writing = None, self.writing
            self.written = writing.result()

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None
        self.writing = None  # Pagefind finishes (or fails) on its own; this build has failed anyway

    def reindex(self, site_dir: Path, indexed: dict[str, Page], plan: search.IndexPlan, dest_of) -> None:
        """Index the delta again, or every page into the base when the plan folds the delta in."""
        while True:
            bundle = plan.rebuild[0]
            folder = site_dir / search.OUTPUT_SUBDIR / bundle
            if bundle == search.DELTA and not plan.delta:  # every page of it indexes as the base holds it
                shutil.rmtree(folder, ignore_errors=True)
                return
            index = _searching(lambda: search.BackgroundIndex(site_dir))
            for dest in plan.base if bundle == search.BASE else plan.delta:  # in the order of a full build
                self.add(indexed[dest], "/" + dest.removesuffix("index.html"), index, bundle)
            ids = search.page_ids(_searching(index.finish)[bundle], dest_of)
            if bundle == search.BASE:
                plan.ids = ids
                return
            outcome = plan.indexed_delta(ids)
            if outcome == search.DONE:
                return
            if outcome == search.FOLD:
                shutil.rmtree(folder)  # one bundle again
                plan.fold()


def has_bundle(folder: Path) -> bool:
    entry = folder / "pagefind-entry.json"
    return entry.is_file() and entry.stat().st_size > 0


def _searching(step):
    """Run a search step; its failure is a build error, never a site without search."""
    try:
        return step()
    except search.SearchError as exc:
        raise PluginError(str(exc)) from exc
