"""Does the site's search find what is there? Recall, precision and counts, as a reader meets them.

    python -m benchmarks.search_quality [--articles 2000] [--dir /tmp/search-quality] [--per-group 20]

Builds a generated site in DIR (or reuses DIR/site), draws query terms from the built pages'
own text, in groups (2-character words; 3–8-character terms and phrases; 市…局 department
names; 文号 in every bracket form; terms with digits or Latin letters), half of each group
rare and half common. The truth for each term is read from the built HTML: the pages whose
searchable text (title, metadata, body) contains it. Each term is searched on the search page
in headless Chromium twice: on a fresh page (the address ``search/?q=``) and typed after
another query on the same page. Reported per group: recall, precision@10 (terms in at least
10 pages), the count the page shows against the truth, identical results both ways, bytes
and time to the first results. ``tests/browser/test_search_quality.py`` asserts on the same
measurements for a smaller site.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1795708800"}
GROUPS = ("2字词", "3–8字词语", "市…局", "文号", "数字字母")
BRACKET_FORMS = ["〔〕", "[]", "()", "（）", "【】", "［］"]
HAN = "\u4e00-\u9fff"


# --- The built pages ---


@dataclass
class Page:
    url: str  # from the site root, e.g. "articles/a2012-00000/"
    title: str = ""
    column: str = ""
    docno: str = ""
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Reader(HTMLParser):
    """The searchable part of a page (data-pagefind-body, minus data-pagefind-ignore="all")."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
    BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "tr", "ul", "ol"})

    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, in body, ignored)
        self.capture = ""

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        inside, ignored = self.stack[-1][1:] if self.stack else (False, False)
        inside = inside or "data-pagefind-body" in a
        ignored = ignored or a.get("data-pagefind-ignore") == "all" or "headerlink" in (a.get("class") or "")
        self.stack.append((tag, inside, ignored))
        if inside and (a.get("data-pagefind-filter") or "").startswith("栏目:"):
            self.page.column = a["data-pagefind-filter"].split(":", 1)[1]
        if inside and tag == "h1" and not self.page.title:
            self.capture = "title"
        if a.get("data-pagefind-meta") == "docno":
            self.capture = "docno"
        if tag in self.BLOCKS and inside:
            self.page.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        while self.stack and self.stack.pop()[0] != tag:
            pass
        if tag in self.BLOCKS:
            self.page.parts.append("\n")
        if tag in ("h1", "span"):
            self.capture = ""

    def handle_data(self, data):
        if not self.stack or not self.stack[-1][1] or self.stack[-1][2]:
            return
        if self.capture == "title":
            self.page.title += data
        elif self.capture == "docno":
            self.page.docno += data
        self.page.parts.append(data)


def read_pages(site: Path) -> list[Page]:
    """Every searchable page as built: articles, library documents and the 政府信息公开 pages."""
    pages = []
    for folder, pattern in (
        ("articles", "*/index.html"),
        ("cleanups/library", "*/index.html"),
        ("xxgk", "**/index.html"),
    ):
        for path in sorted((site / folder).glob(pattern)):
            page = Page(url=path.parent.relative_to(site).as_posix() + "/")
            _Reader(page).feed(path.read_text(encoding="utf-8"))
            if page.parts:
                pages.append(page)
    return pages


_BRACKETS = "〔〕[]()（）［］【】"
_JOINING = re.compile(rf"(?<=\d)[{re.escape(_BRACKETS)}]+|[{re.escape(_BRACKETS)}]+(?=\d)")


def normal(text: str) -> str:
    """What "contains" means: letters and digits NFKC-normalised and lower-cased; brackets next
    to a digit do not matter (滨政发[2016]12号 is 滨政发〔2016〕12号)."""
    return _JOINING.sub("", unicodedata.normalize("NFKC", text)).lower()


def truth(term: str, texts: dict[str, str]) -> set[str]:
    wanted = normal(term)
    return {url for url, text in texts.items() if wanted in text}


# --- The terms ---


def draw_terms(pages: list[Page], per_group: int, seed: int = 16) -> dict[str, list[str]]:
    """``per_group`` terms per group, half rare (the fewest pages) and half common, deterministic."""
    rng = random.Random(seed)
    texts = [normal(p.text) for p in pages]
    raw = [p.text for p in pages]
    candidates: dict[str, set[str]] = {g: set() for g in GROUPS}
    han_runs = [run for text in raw for run in re.findall(rf"[{HAN}]{{2,}}", text)]
    rng.shuffle(han_runs)
    for run in han_runs[:4000]:
        start = rng.randrange(0, len(run) - 1)
        candidates["2字词"].add(run[start : start + 2])
        if len(run) >= 3:
            size = rng.randint(3, min(8, len(run)))
            start = rng.randrange(0, len(run) - size + 1)
            candidates["3–8字词语"].add(run[start : start + size])
    for text in raw:
        candidates["市…局"].update(re.findall(rf"市[{HAN}]{{1,10}}?局", text))
        candidates["数字字母"].update(
            m for m in re.findall(rf"[{HAN}]{{0,2}}[0-9A-Za-z][0-9A-Za-z.]*[{HAN}]{{0,2}}", text) if len(m) >= 3
        )
    numbers = {p.docno for p in pages if p.docno}
    for text in raw:
        numbers.update(re.findall(rf"[{HAN}]{{2,5}}[〔\[(（【［]\d{{4}}[〕\])）】］]\d+号", text))
    candidates["文号"] = numbers
    # 文号 are not words of the text: leave them out of the digit group
    candidates["数字字母"] = {c for c in candidates["数字字母"] if not re.search(r"\d{4}\d*号", normal(c))}
    terms = {}
    for group in GROUPS:
        counted = sorted((sum(normal(c) in t for t in texts), c) for c in sorted(candidates[group]))
        counted = [(n, c) for n, c in counted if n > 0]
        half = per_group // 2
        rare = [c for _, c in counted[: max(half * 3, half)]]
        common = [c for _, c in counted[-max(half * 3, half) :]]
        chosen = rng.sample(rare, min(half, len(rare)))
        chosen += [c for c in rng.sample(common, min(len(common), per_group)) if c not in chosen][
            : per_group - len(chosen)
        ]
        if group == "文号":  # every bracket form a reader may type
            chosen = [_bracketed(c, BRACKET_FORMS[i % len(BRACKET_FORMS)]) for i, c in enumerate(chosen)]
        terms[group] = chosen
    return terms


def _bracketed(number: str, form: str) -> str:
    return re.sub(r"[〔\[(（【［](\d{4})[〕\])）】］]", lambda m: form[0] + m.group(1) + form[1], number)


# --- Searching as a reader ---


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
    raise RuntimeError("python -m http.server did not start")


WAIT = (
    "() => { const s = document.querySelector('[data-sb-search-status]').textContent; return s && s !== '正在搜索……'; }"
)
READ = """() => {
  const urls = sel => Array.from(document.querySelectorAll(sel + ' > li a.sb-item__title'))
    .map(a => new URL(a.href).pathname.replace(/^\\//, ''));
  return { status: document.querySelector('[data-sb-search-status]').textContent,
           documents: urls('[data-sb-search-doc-results]'), shown: urls('[data-sb-search-results]') };
}"""
EVERYTHING = (
    "async query => { const found = await window.sbSearch(query); return found.documents.concat(found.others); }"
)


def fragment_urls(site: Path) -> dict[str, str]:
    """Pagefind's page ids (its fragment files' names) and the pages' URLs from the site root."""
    urls = {}
    for path in (site / "pagefind").glob("*/fragment/*.pf_fragment"):  # every bundle
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        urls[path.name.removesuffix(".pf_fragment")] = json.loads(data)["url"].lstrip("/")
    return urls


@dataclass
class Outcome:
    status: str
    documents: list[str]  # under the 文号 heading
    shown: list[str]  # the first screen of the other results
    everything: list[str]  # every result, documents first
    seconds: float
    bytes: int

    @property
    def count(self) -> int | None:
        """The number of pages the status line says contain the query (documents + others)."""
        if self.status.startswith("没有找到"):
            return 0
        found = re.match(r"找到 (\d+) 条", self.status)
        if found:
            return int(found.group(1))
        numbered = re.match(r"文号为“[^”]*”的文件 (\d+) 件(?:，另有 (\d+) 条)?", self.status)
        return int(numbered.group(1)) + int(numbered.group(2) or 0) if numbered else None


class Searcher:
    """One browser page on the search page; ``fresh`` loads the query's address, ``typed`` types it.

    The results are read once the status line is written (search.js writes it after the results).
    With ``count_bytes`` the browser cache is off (every query as a reader's first) and each search
    also waits for the network to be idle (half a second at least), so that the fragments still
    loading after the first screen are counted in its bytes. Without it the results are the same.
    """

    def __init__(self, page, base: str, site: Path, count_bytes: bool = True) -> None:
        self.page, self.base, self.count_bytes = page, base, count_bytes
        self.urls = fragment_urls(site)
        self.received = 0  # bytes under pagefind/, every query as a reader's first (no cache)
        if count_bytes:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            # Only when counting: with a listener Playwright sends every request to Python, about a
            # fifth of the CPU a fresh search costs.
            page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        if "/pagefind/" not in request.url:
            return
        try:
            size = request.sizes()["responseBodySize"]
        except Exception:
            size = 0
        self.received += max(size, 0)

    def fresh(self, query: str) -> Outcome:
        before = self.received
        started = time.perf_counter()
        self.page.goto(f"{self.base}search/?q={quote(query)}", wait_until="load")
        return self._outcome(query, started, before)

    def typed(self, query: str) -> Outcome:
        before = self.received
        started = time.perf_counter()
        self.page.fill("form[data-sb-search] input[name=q]", query)
        self.page.press("form[data-sb-search] input[name=q]", "Enter")
        return self._outcome(query, started, before)

    def _outcome(self, query: str, started: float, before: int) -> Outcome:
        self.page.wait_for_function(WAIT, timeout=120_000)
        seconds = time.perf_counter() - started
        if self.count_bytes:
            self.page.wait_for_load_state("networkidle")
        read = self.page.evaluate(READ)
        everything = [self.urls[i] for i in self.page.evaluate(EVERYTHING, query)]
        return Outcome(
            read["status"],
            read["documents"],
            read["shown"],
            everything,
            seconds,
            self.received - before,
        )


# --- Measuring ---


def measure(
    page, base: str, site: Path, pages: list[Page], terms: dict[str, list[str]], count_bytes: bool = True
) -> list[dict]:
    """Each term on a fresh page, and typed right after the previous term's fresh search.

    `count_bytes=False` leaves the rows' bytes short (see Searcher) for callers that do not read them.
    """
    texts = {p.url: normal(p.text) for p in pages}
    searcher = Searcher(page, base, site, count_bytes)
    flat = [(g, t) for g in GROUPS for t in terms[g]]
    fresh: list[Outcome] = []
    after: list[Outcome | None] = [None] * len(flat)
    for i, (_group, term) in enumerate(flat):
        fresh.append(searcher.fresh(term))
        following = (i + 1) % len(flat)
        after[following] = searcher.typed(flat[following][1])
    rows = []
    for (group, term), first, second in zip(flat, fresh, after, strict=True):
        expected = truth(term, texts)
        found = set(first.everything)
        rows.append(
            {
                "group": group,
                "term": term,
                "truth": len(expected),
                "recall": len(expected & found) / len(expected) if expected else 1.0,
                "missed": sorted(expected - found)[:3],
                "extra": sorted(found - expected)[:3],
                "precision10": _precision(first, expected),
                "count": first.count,
                "same_after_other": (first.everything, first.count, first.documents + first.shown)
                == (second.everything, second.count, second.documents + second.shown),
                "after_count": second.count,
                "documents": first.documents,
                "docno_truth": sorted(p.url for p in pages if p.docno and normal(p.docno) == normal(term)),
                "seconds": first.seconds,
                "bytes": first.bytes,
            }
        )
    return rows


def _precision(outcome: Outcome, expected: set[str]) -> float:
    top = (outcome.documents + outcome.shown)[:10]
    return sum(u in expected for u in top) / len(top) if top else 1.0


def summary(rows: list[dict]) -> str:
    lines = [
        "| group | terms | pages per term | recall (mean / min) | precision@10 (≥10 pages) | count = truth |"
        " same after another query | first results (median s) | bytes (median / max) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for group in GROUPS:
        rs = [r for r in rows if r["group"] == group]
        if not rs:
            continue
        recall = [r["recall"] for r in rs]
        prec = [r["precision10"] for r in rs if r["truth"] >= 10]
        lines.append(
            f"| {group} | {len(rs)} | {min(r['truth'] for r in rs)}–{max(r['truth'] for r in rs)} | "
            f"{statistics.mean(recall):.3f} / {min(recall):.3f} | "
            f"{(statistics.mean(prec) if prec else float('nan')):.2f} ({len(prec)} terms) | "
            f"{sum(r['count'] == r['truth'] for r in rs)}/{len(rs)} | "
            f"{sum(r['same_after_other'] for r in rs)}/{len(rs)} | "
            f"{statistics.median(r['seconds'] for r in rs):.2f} | "
            f"{statistics.median(r['bytes'] for r in rs):,.0f} / {max(r['bytes'] for r in rs):,} |"
        )
    return "\n".join(lines)


def build(out: Path, articles: int) -> Path:
    from benchmarks.generate import generate

    site = out / "site"
    if (site / "pagefind/bundles.json").is_file():
        print(f"reusing {site}", file=sys.stderr)
        return site
    generate(out, articles)
    subprocess.run([sys.executable, "-m", "site_builder.cli", "build"], cwd=out, env=ENV, check=True)
    return site


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/search-quality"))
    parser.add_argument("--per-group", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write every row here")
    args = parser.parse_args()
    site = build(args.dir, args.articles)
    pages = read_pages(site)
    terms = draw_terms(pages, args.per_group)
    server, base = serve(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            page = browser.new_context(locale="zh-CN").new_page()
            rows = measure(page, base, site, pages, terms)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(pages)} pages, {sum(map(len, terms.values()))} terms")
    print(summary(rows))
    for r in rows:
        if r["recall"] < 1 or r["count"] != r["truth"] or not r["same_after_other"]:
            print(
                html.unescape(
                    json.dumps(
                        {
                            k: r[k]
                            for k in ("group", "term", "truth", "count", "after_count", "recall", "missed", "extra")
                        },
                        ensure_ascii=False,
                    )
                )
            )


if __name__ == "__main__":
    main()
