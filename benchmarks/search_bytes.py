"""What a reader downloads to search a large site, measured in headless Chromium.

    python -m benchmarks.search_bytes [--articles 8000] [--dir /tmp/search-bench] [--query 复议 ...]

Builds a generated site in DIR (or reuses DIR/site when it is already there: an 8,000-article
build takes minutes), serves it with `python -m http.server`, opens the search page and
records every response: before any query (nothing under pagefind/ may load), then for each
query, run in a fresh browser profile as a reader's first search, until its first page of
results is on screen. By default the queries are 复议 and the full 文号 of a generated article.
The budget is 1 MB for a first query at 8,000 articles.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.generate import generate

CHROMIUM = "/usr/bin/chromium"
BUDGET = 1_000_000
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1795708800"}


def build(out: Path, articles: int) -> Path:
    site = out / "site"
    if (site / "pagefind/bundles.json").is_file():
        print(f"reusing {site}", file=sys.stderr)
        return site
    generate(out, articles)
    print(f"building {articles} articles in {out} …", file=sys.stderr)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "site_builder.cli", "build"], cwd=out, env=ENV, check=True)
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return site


def a_doc_number(site: Path) -> str:
    """The 文号 of the first generated article that has one, read from the built page."""
    for path in sorted((site / "articles").glob("*/index.html")):
        found = re.search(r'data-pagefind-meta="docno"[^>]*>([^<]+)<', path.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
    raise SystemExit("no article carries a 文号")


def serve(site: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    for _ in range(200):
        try:
            urllib.request.urlopen(base, timeout=1).close()
            return server, base
        except OSError:
            time.sleep(0.05)
    server.terminate()
    raise SystemExit("python -m http.server did not start")


class Transfers:
    """Bytes of every finished response in one page (the body as received, headers excluded)."""

    def __init__(self, page) -> None:
        self.rows: list[tuple[str, int]] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        size = request.sizes()["responseBodySize"]
        if size < 0:  # not reported (e.g. a data: URL): count the body itself
            response = request.response()
            size = len(response.body()) if response else 0
        self.rows.append((request.url, size))

    def mark(self) -> int:
        return len(self.rows)

    def since(self, mark: int, part: str = "") -> tuple[int, int]:
        rows = [(u, s) for u, s in self.rows[mark:] if part in urlsplit(u).path]
        return len(rows), sum(s for _, s in rows)


def wait_for_results(page) -> str:
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-sb-search-status]').textContent;"
        " return s && s !== '正在搜索……'; }",
        timeout=60_000,
    )
    return page.text_content("[data-sb-search-status]")


def measure(base: str, queries: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for query in queries:
            context = browser.new_context(locale="zh-CN")  # a fresh profile: empty cache
            page = context.new_page()
            transfers = Transfers(page)
            page.goto(base + "search/", wait_until="networkidle")
            page_files, page_bytes = transfers.since(0)
            early_files, early_bytes = transfers.since(0, "/pagefind/")
            mark = transfers.mark()
            started = time.perf_counter()
            page.fill("form[data-sb-search] input[name=q]", query)
            page.click("form[data-sb-search] button[type=submit]")
            status = wait_for_results(page)
            shown = page.locator("[data-sb-search-doc-results] > li, [data-sb-search-results] > li").count()
            seconds = time.perf_counter() - started
            page.wait_for_load_state("networkidle")
            files, size = transfers.since(mark)
            foreign = [u for u, _ in transfers.rows if not u.startswith(base) and not u.startswith("data:")]
            rows.append(
                {
                    "query": query,
                    "page": (page_files, page_bytes),
                    "pagefind_before": (early_files, early_bytes),
                    "query_bytes": (files, size),
                    "pagefind_query": transfers.since(mark, "/pagefind/"),
                    "shown": shown,
                    "status": status,
                    "seconds": seconds,
                    "foreign": foreign,
                }
            )
            context.close()
        browser.close()
    return rows


def report(rows: list[dict], articles: int) -> str:
    lines = [
        f"search on a generated site of {articles} articles (first query, fresh browser profile)",
        "| query | search page (files / bytes) | pagefind/ before query | first query + first results | "
        "of which pagefind/ | results shown | status |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['query']} | {r['page'][0]} / {r['page'][1]:,} | {r['pagefind_before'][0]} / "
            f"{r['pagefind_before'][1]:,} | {r['query_bytes'][0]} / {r['query_bytes'][1]:,} | "
            f"{r['pagefind_query'][0]} / {r['pagefind_query'][1]:,} | {r['shown']} | {r['status']} |"
        )
    worst = max(r["query_bytes"][1] for r in rows)
    verdict = "within" if worst <= BUDGET else "OVER"
    lines.append(f"\nlargest first query: {worst:,} bytes ({verdict} the {BUDGET:,}-byte budget)")
    if any(r["pagefind_before"][0] for r in rows):
        lines.append("FAIL: the search index was downloaded before the reader searched")
    if any(r["foreign"] for r in rows):
        lines.append(f"FAIL: requests to other hosts: {sorted({u for r in rows for u in r['foreign']})}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=8000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--query", action="append", help="default: 复议 and a generated article's full 文号")
    args = parser.parse_args()
    site = build(args.dir, args.articles)
    articles = len(list((site / "articles").glob("*/index.html")))
    queries = args.query or ["复议", a_doc_number(site)]
    server, base = serve(site)
    try:
        rows = measure(base, queries)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(report(rows, articles))


if __name__ == "__main__":
    main()
