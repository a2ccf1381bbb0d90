"""How long the build after a merge takes, with the CI cache restored as the shipped pipelines do.

    python -m benchmarks.merge_latency [--articles 2000] [--records 0] [--repeat 3]

Generates a site, builds it once with ``site-builder build`` and keeps what the pipelines
cache (site/ and .cache/site-builder/). Then, for each change below and each repeat, puts
that cache and the content back as they were, makes the change and times the build (wall,
CPU of the build and every process it starts, and the closing line's pages rendered):

- one article edited (its title and a sentence of its body),
- one article added (this year's, the usual merge),
- a cleanup batch of 300 records added (a new year's 规范性文件清理).

The build updates the search index, feeds, lists, sitemap and build.json as every build does.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import cleanup_batches, generate

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1795708800"}
CACHED = ("site", ".cache")  # what deploy/github/site.yml and deploy/gitlab/.gitlab-ci.yml keep
BATCH = 300


def build(project: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of one `site-builder build`, and its closing line."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder.cli", "build"],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read().decode("utf-8", errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed:\n{output[-3000:]}")
    closing = next((line for line in output.splitlines() if line.startswith("构建完成")), "")
    return wall, usage.ru_utime + usage.ru_stime, closing


def edit_one(content: Path) -> None:
    article = sorted((content / "news").rglob("*.md"))[len(list((content / "news").rglob("*.md"))) // 2]
    text = article.read_text(encoding="utf-8").replace("title: ", "title: 更正：", 1)
    article.write_text(text.replace("工作。", "工作，并已完成阶段性任务。", 1), encoding="utf-8")


def add_one(content: Path) -> None:
    newest = max((content / "news").iterdir())
    source = sorted(newest.glob("*.md"))[0]
    text = source.read_text(encoding="utf-8")
    text = text.replace("slug: ", "slug: merged-", 1).replace("title: ", "title: 新增：", 1)
    text = re.sub(r"^(doc_no|index_no): .*\n", "", text, flags=re.M)  # both unique site-wide
    (newest / f"merged-{source.name}").write_text(text, encoding="utf-8")


def add_batch(content: Path) -> None:
    """A cleanup batch of BATCH records in a year no batch has (the generator's batches go back from 2021)."""
    import random

    scratch = Path(tempfile.mkdtemp(prefix="batch-"))
    try:
        cleanup_batches(scratch, BATCH, random.Random("merge-latency"))
        made = next((scratch / "cleanups").glob("*.yml"))
        text = made.read_text(encoding="utf-8").replace("2021", "2022")
        text = re.sub(r"滨政发〔2022〕9\d\d号", "滨政发〔2022〕899号", text)
        (content / "cleanups").mkdir(exist_ok=True)
        (content / "cleanups" / "2022-qingli-1.yml").write_text(text, encoding="utf-8")
    finally:
        shutil.rmtree(scratch)


CHANGES = {"one article edited": edit_one, "one article added": add_one, f"{BATCH} cleanup records added": add_batch}


def restore(saved: Path, project: Path) -> None:
    for name in (*CACHED, "content"):
        shutil.rmtree(project / name, ignore_errors=True)
        shutil.copytree(saved / name, project / name, symlinks=True)
    os.sync()  # the copy's disk work belongs to no build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="merge-") as tmp:
        project, saved = Path(tmp) / "project", Path(tmp) / "saved"
        generate(project, args.articles, records=args.records)
        print(f"first build of {args.articles} articles, {args.records} cleanup records …", file=sys.stderr)
        wall, cpu, closing = build(project)
        print(f"  {wall:.1f} s (CPU {cpu:.1f} s): {closing}", file=sys.stderr)
        saved.mkdir()
        for name in (*CACHED, "content"):
            shutil.copytree(project / name, saved / name, symlinks=True)
        rows = []
        for name, change in CHANGES.items():
            runs = []
            for _ in range(args.repeat):
                restore(saved, project)
                change(project / "content")
                runs.append(build(project))
                print(f"  {name}: {runs[-1][0]:.2f} s (CPU {runs[-1][1]:.2f} s): {runs[-1][2]}", file=sys.stderr)
            rendered = re.search(r"本次生成 (\d+) 个", runs[-1][2])
            rows.append(
                f"| {name} | {statistics.median(r[0] for r in runs):.2f} | {statistics.median(r[1] for r in runs):.2f}"
                f" | {min(r[0] for r in runs):.2f}–{max(r[0] for r in runs):.2f} | {rendered[1] if rendered else '?'} |"
            )
    print(f"{args.articles} articles, {args.records} cleanup records, median of {args.repeat}")
    print("| change | wall (s) | CPU (s) | range (s) | pages rendered |\n|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
