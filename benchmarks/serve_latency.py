"""How long `site-builder serve` takes to show an edit to one article, for three kinds of edit.

    python -m benchmarks.serve_latency [--articles 2000] [--records 0] [--edits 8]

Generates a site (``--records``: that many cleanup records too, as benchmarks.generate), starts
the preview on 127.0.0.1, waits for the first build, then edits the newest article ``--edits`` times for each kind of edit and measures, for each edit, the
time from saving the file until the preview SERVES every changed page (what a staff member
sees after saving):

- body: a sentence of the body changes; shown when the article page has it;
- title: the title changes; shown when the article page, its 栏目's first list page and the
  home page all have the new title (lists and home change with it);
- tag: the article gets one more tag it did not have; shown when that tag's page lists it.

Beside the wall time, the preview process's CPU time (user + sys) from the save until the
changed pages are served: on a shared machine that is the steadier figure (work the preview does
after that, such as feeds and collecting garbage, is not in it). Last, the preview process's peak
memory.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from benchmarks.generate import TAGS, generate

SETTLE = 1.0  # seconds between edits: the previous build is over when its pages are served


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_mb(pid: int) -> float:
    """The most memory the process has held (Linux /proc VmHWM; 0 elsewhere)."""
    try:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0.0
    return int(line.split()[1]) / 1024


def wait_for(checks: list[tuple[str, str]], limit: float, gone: bool = False) -> float:
    """Seconds until every url serves its text (``gone``: until none does)."""
    start = time.perf_counter()
    pending = list(checks)
    while time.perf_counter() - start < limit:
        pending = [(url, text) for url, text in pending if (text in fetch(url)) == gone]
        if not pending:
            return time.perf_counter() - start
        time.sleep(0.01)
    raise SystemExit(f"{pending[0][1]!r} did not {'go from' if gone else 'appear at'} {pending[0][0]} within {limit} s")


class Target:
    """The newest article (on the home page and its 栏目's first list page) and its URLs."""

    def __init__(self, project: Path, base: str) -> None:
        from site_builder.core import dates
        from site_builder.core.loader import load_site
        from site_builder.core.pages import plan

        site, _ = load_site(project / "content", dates.build_now())
        planned = plan(site, include_unpublished=True)
        article = max(site.published(), key=lambda a: (a.date, a.src))
        self.path = project / "content" / article.src
        self.original = self.path.read_text(encoding="utf-8")
        self.slug = article.slug
        self.title = article.title
        self.page = base + article.url
        self.lists = [base + article.category.url, base]
        self.new_tags = [t for t in TAGS if t not in article.tags]
        self.tag_pages = {t: base + planned.tag_urls[t] for t in TAGS if t in planned.tag_urls}

    def write(self, text: str) -> None:
        self.path.write_text(text, encoding="utf-8")


def body_edit(target: Target, n: int) -> list[tuple[str, str]]:
    marker = f"正文修改第{n}处"
    head, sep, body = target.original.partition("\n---\n")
    target.write(head + sep + body.replace("。", f"，{marker}。", 1))
    return [(target.page, marker)]


def title_edit(target: Target, n: int) -> list[tuple[str, str]]:
    marker = f"标题修改{n}号"
    new_title = f"{target.title.split('（')[0]}{marker}"
    target.write(target.original.replace(f"title: {target.title}", f"title: {new_title}", 1))
    return [(url, marker) for url in (target.page, *target.lists)]


def tag_edit(target: Target, n: int) -> list[tuple[str, str]]:
    tag = target.new_tags[n % len(target.new_tags)]
    line = next(line for line in target.original.splitlines() if line.startswith("tags: ["))
    page = target.tag_pages[tag]
    if f"articles/{target.slug}/" in fetch(page):
        raise SystemExit(f"{page} lists the article before the edit")
    target.write(target.original.replace(line, f"{line[:-1]}, {tag}]", 1))
    return [(page, f"articles/{target.slug}/")]


EDITS: dict[str, Callable[[Target, int], list[tuple[str, str]]]] = {
    "body": body_edit,
    "title": title_edit,
    "tag": tag_edit,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--records", type=int, default=0, help="cleanup records, in batches of at most 1,000")
    parser.add_argument("--edits", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-") as tmp:
        project = Path(tmp)
        generate(project, args.articles, records=args.records)
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        target = Target(project, base)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        server = subprocess.Popen(
            [sys.executable, "-m", "site_builder.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            first = wait_for([(target.page, "<title>")], 3600)  # 20,000 articles on a busy machine: half an hour
            print(f"{args.articles} articles, {args.records} records: first preview build {first:.1f} s")
            for url in (target.page, *target.lists):
                if target.title not in fetch(url):
                    raise SystemExit(f"{url} does not show the newest article's title")
            time.sleep(2)  # let the watcher settle
            results = {}
            for kind, edit in EDITS.items():
                walls, cpus = [], []
                for n in range(args.edits):
                    before = cpu_seconds(server.pid)
                    checks = edit(target, n)
                    walls.append(wait_for(checks, 120))
                    cpus.append(cpu_seconds(server.pid) - before)
                    time.sleep(SETTLE)
                # The article as it was, served before the next kind's first edit: at 20,000 articles the
                # build of this save takes seconds, and the next edit would otherwise wait for it.
                target.write(target.original)
                wait_for(checks, 120, gone=True)
                time.sleep(SETTLE)
                results[kind] = walls, cpus
                print(f"{kind}: " + ", ".join(f"{t:.2f}" for t in walls) + " s", flush=True)
            print(f"\n{'edit':<6} {'median wall':>12} {'min':>6} {'max':>6} {'median CPU':>11}")
            for kind, (walls, cpus) in results.items():
                print(
                    f"{kind:<6} {statistics.median(walls):>10.2f} s {min(walls):>6.2f} {max(walls):>6.2f}"
                    f" {statistics.median(cpus):>9.2f} s"
                )
            print(f"preview process peak memory: {peak_mb(server.pid):,.0f} MB")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
