"""How long `site-builder serve` takes to show an edit to one article.

    python -m benchmarks.serve_latency [--articles 2000] [--edits 5]

Generates a site, starts the preview on 127.0.0.1, waits for the first build, then
edits one article's title several times and measures, for each edit, the time until
the preview serves the new title (what a staff member sees after saving).
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
from pathlib import Path

from benchmarks.generate import generate


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, limit: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"{text!r} did not appear at {url} within {limit} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-") as tmp:
        project = Path(tmp)
        content = generate(project, args.articles)
        article = sorted((content / "news").rglob("*.md"))[len(list((content / "news").rglob("*.md"))) // 2]
        slug = next(line[6:] for line in article.read_text(encoding="utf-8").splitlines() if line.startswith("slug: "))
        port = free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        server = subprocess.Popen(
            [sys.executable, "-m", "site_builder.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/articles/{slug}/"
            first = wait_for(url, "<title>", 600)
            print(f"{args.articles} articles: first preview build {first:.1f} s")
            time.sleep(2)  # let the watcher settle
            timings = []
            for edit in range(args.edits):
                marker = f"修改{edit}号"
                text = article.read_text(encoding="utf-8")
                title = next(line for line in text.splitlines() if line.startswith("title: "))
                article.write_text(
                    text.replace(title, f"{title.split('（')[0]}{marker}（{edit}）", 1), encoding="utf-8"
                )
                timings.append(wait_for(url, marker, 60))
                time.sleep(1)
            print(
                "edit shown after: "
                + ", ".join(f"{t:.2f} s" for t in timings)
                + f" (median {statistics.median(timings):.2f} s)"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
