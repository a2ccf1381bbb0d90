"""A preview edit in plain MkDocs with Material and no plugin, to read ``site-builder serve``'s against.

    python -m benchmarks.mkdocs_dirty [--pages 35000] [--edits 5] [--dir DIR]

``site-builder serve`` hands every edit to MkDocs' own build (``dirty``: only changed pages are
rendered). On each build MkDocs reads its configuration, lists ``docs/``, makes a file and a page
object for every page and walks them all; plain ``mkdocs serve --dirty`` also compares every
page's file times and compiles the templates again. This measures such an edit in a plain MkDocs
project with ``--pages`` Markdown pages (a 20,000-article site with 10,000 cleanup records has about
35,000), Material as the theme, no plugin, the pages outside the navigation as ours are. It is
built once, then one page is edited ``--edits`` times and each dirty rebuild is timed in the same
process, with the garbage collector frozen and off as the preview keeps it (adapter/preview.py).
Printed: wall and CPU seconds of each rebuild, and their median.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

CONFIG = """site_name: floor
theme:
  name: material
  language: zh
plugins: []
nav:
  - index.md
not_in_nav: |
  /y*/
"""
FOLDERS = 20  # pages spread over folders, as articles are over years
TEXT = "法治政府建设，规范性文件清理结果向社会公布。" * 40


def make_project(root: Path, pages: int) -> Path:
    """A plain MkDocs project with ``pages`` Markdown pages (kept when it has that many already)."""
    docs = root / "docs"
    for number in range(pages):
        folder = docs / f"y{number % FOLDERS}"
        folder.mkdir(parents=True, exist_ok=True)
        page = folder / f"p{number}.md"
        if not page.exists():
            page.write_text(f"# 第 {number} 篇\n\n{TEXT}\n", encoding="utf-8")
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return docs / "y0" / "p0.md"


def dirty_rebuilds(root: Path, edited: Path, edits: int) -> list[tuple[float, float]]:
    """Build once, then (wall, CPU) of each dirty rebuild after an edit of ``edited``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.chdir(root)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # its warning on every dirty build
    build(load_config("mkdocs.yml"), dirty=True)
    gc.collect()
    gc.freeze()
    gc.disable()
    original = edited.read_text(encoding="utf-8")
    times = []
    try:
        for number in range(edits):
            edited.write_text(f"{original}\n新增的一句话（第 {number} 次修改）。\n", encoding="utf-8")
            wall, cpu = time.perf_counter(), time.process_time()
            build(load_config("mkdocs.yml"), dirty=True)
            times.append((time.perf_counter() - wall, time.process_time() - cpu))
            gc.collect()
    finally:
        edited.write_text(original, encoding="utf-8")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=35000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument(
        "--dir", type=Path, help="project folder, kept for the next run (default: a temporary one, removed after)"
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        root = args.dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mkdocs-dirty-")))
        root = root.resolve()
        root.mkdir(parents=True, exist_ok=True)
        times = dirty_rebuilds(root, make_project(root, args.pages), args.edits)
        os.chdir(Path.home())  # out of the folder before it is removed
    for number, (wall, cpu) in enumerate(times, 1):
        print(f"edit {number}: {wall:.3f} s (CPU {cpu:.3f} s)")
    walls = [wall for wall, _cpu in times]
    print(
        f"MkDocs + Material, no plugin, {args.pages} pages: a dirty rebuild after one edit takes "
        f"{statistics.median(walls):.3f} s (median of {len(walls)}, {min(walls):.3f}–{max(walls):.3f} s)"
    )


if __name__ == "__main__":
    main()
