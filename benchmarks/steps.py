"""Where a full build's CPU goes, step by step, and in which process: to compare sizes per item.

    python -m benchmarks.generate /tmp/s2000 --articles 2000 --records 1000
    python -m benchmarks.steps /tmp/s2000 [--json out.json]

Runs ``site-builder build --clean`` in this process (site/ removed first, as benchmarks.run
does) and prints the build thread's CPU seconds (``time.thread_time``: unlike wall time, the same
on a busy machine) spent in each step, with its number of calls; each process the build
started (Pagefind, the WeChat worker, the helper: both listed as workers) with its CPU and peak
memory, polled from /proc, and the CPU of all of them together; and the build process's peak
memory with the plugin event it fell in. Steps nest (``content`` holds ``finish_body`` and
``search document``), so the column does not add up. Built twice at two sizes, a step whose CPU
grows faster than its calls is one whose cost per item grows with the site.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "SOURCE_DATE_EPOCH": "1795708800"}


class Steps:
    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.labels: list[str] = []  # every step timed, in the order installed (a step never called shows 0)
        self.event = "start"  # the plugin event running (or last run), for the memory peak

    def wrap(self, owner, name: str, label: str, event: bool = False) -> None:
        original = getattr(owner, name)
        self.labels.append(label)

        def timed(*args, **kwargs):
            start = time.thread_time()
            if event:
                self.event = label
            try:
                return original(*args, **kwargs)
            finally:
                self.cpu[label] += time.thread_time() - start
                self.calls[label] += 1

        setattr(owner, name, timed)


def install(steps: Steps) -> None:
    import mkdocs.commands.build as mkdocs_build

    from site_builder.adapter import build, indexing, markdown_pages, plugin, staging
    from site_builder.outputs import manifest
    from site_builder.outputs.all import OUTPUTS

    for event in ("on_config", "on_files", "on_env", "on_post_build"):
        steps.wrap(plugin.SiteBuilderPlugin, event, event, event=True)
    steps.wrap(build, "plan", "plan pages")
    steps.wrap(build.SiteBuild, "_track", "page keys")
    steps.wrap(mkdocs_build, "_populate_page", "page content (MkDocs + plugin)")
    steps.wrap(markdown_pages.ConvertedPage, "render", "Markdown")
    steps.wrap(build.SiteBuild, "content", "plugin content")
    steps.wrap(build, "finish_body", "finish_body")
    steps.wrap(indexing.Indexing, "add", "search document (sent to Pagefind)")
    steps.wrap(mkdocs_build, "_build_page", "render + write page (Jinja)")
    for output in OUTPUTS:
        steps.wrap(output, "write", "output " + output.__name__.removeprefix("site_builder.outputs."))
    steps.wrap(indexing.Indexing, "wait", "waiting for Pagefind")
    steps.wrap(build.SiteBuild, "_finish_search", "search bundle list")
    steps.wrap(build.SiteBuild, "_link_check", "link check")
    steps.wrap(manifest, "write_manifest", "build.json")
    steps.wrap(staging.Stage, "commit", "swap into site/")


def _child_pids() -> list[str]:
    """This process's children, from each thread's ``children`` list (a few reads, not all of /proc);
    every process where the kernel keeps no such list (the caller keeps those whose parent is this one)."""
    pids, listed = [], False
    for task in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError):
            pids += Path(f"/proc/self/task/{task}/children").read_text().split()
            listed = True
    return pids if listed else [pid for pid in os.listdir("/proc") if pid.isdigit()]


def _children(into: dict, stop: threading.Event, peak: list, steps: Steps) -> None:
    """Every 0.02 s: this process's memory, and each child's CPU and memory (kept at their largest).
    Often enough to see a small site's Pagefind, which lives a few tenths of a second; the CPU a
    child uses after the last look is missed, so the total of all of them is taken from the kernel
    once the build is over (``children_cpu_s``)."""
    page, tick, me = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK"), os.getpid()
    while not stop.wait(0.02):
        rss = int(Path("/proc/self/statm").read_text().split()[1]) * page
        if rss > peak[0]:
            peak[:] = [rss, steps.event]
        for pid in _child_pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
                fields = stat[stat.rfind(")") + 2 :].split()
                if int(fields[1]) != me:
                    continue
                name = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
                label = (
                    "Pagefind"
                    if "pagefind" in name[0]
                    else "worker (WeChat or helper)"
                    if "spawn" in " ".join(name)
                    else None
                )
                if label is None:
                    continue
                child = into.setdefault(pid, {"process": label, "cpu_s": 0.0, "peak_mb": 0.0})
                child["cpu_s"] = max(child["cpu_s"], (int(fields[11]) + int(fields[12])) / tick)
                child["peak_mb"] = max(child["peak_mb"], int(fields[21]) * page / 2**20)
            except (OSError, ValueError, IndexError):
                continue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, help="a generated site (benchmarks.generate)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    out = args.json.resolve() if args.json else None
    os.environ.update(ENV)
    os.chdir(args.dir)
    shutil.rmtree("site", ignore_errors=True)
    steps = Steps()
    install(steps)
    children: dict = {}
    peak = [0, ""]
    stop = threading.Event()
    poller = threading.Thread(target=_children, args=(children, stop, peak, steps), daemon=True)
    poller.start()
    from site_builder.cli.commands import main as site_builder

    sys.argv = ["site-builder", "build", "--clean"]
    wall, cpu = time.perf_counter(), time.thread_time()
    code = site_builder()
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    stop.set()
    poller.join()
    if code:
        raise SystemExit(code)
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)  # every child the build started and waited for
    result = {
        "wall_s": wall,
        "build_thread_cpu_s": cpu,
        "process_cpu_s": own.ru_utime + own.ru_stime,
        "process_peak_mb": own.ru_maxrss / 1024,
        "peak_during": peak[1],
        "load": os.getloadavg(),
        "steps": {
            name: [steps.cpu[name], steps.calls[name]]
            for name in sorted(steps.labels, key=lambda label: -steps.cpu[label])  # ties: as installed
        },
        "children": list(children.values()),
        "children_cpu_s": reaped.ru_utime + reaped.ru_stime,
    }
    print(f"\nwall {wall:.1f} s (load {result['load'][0]:.1f}), build thread CPU {cpu:.2f} s", file=sys.stderr)
    print(
        f"site_builder process: CPU {result['process_cpu_s']:.2f} s, peak {result['process_peak_mb']:.0f} MB"
        f" (during {peak[1]})",
        file=sys.stderr,
    )
    for child in children.values():
        print(f"{child['process']}: CPU {child['cpu_s']:.2f} s, peak {child['peak_mb']:.0f} MB", file=sys.stderr)
    print(f"processes it started, all together: CPU {result['children_cpu_s']:.2f} s", file=sys.stderr)
    print("| step | CPU (s) | calls |\n|---|---|---|", file=sys.stderr)
    for name, (seconds, calls) in result["steps"].items():
        print(f"| {name} | {seconds:.2f} | {calls} |", file=sys.stderr)
    if out is not None:
        out.write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
