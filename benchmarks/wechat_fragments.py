"""Cost of one 公众号 copy per article, over the bodies a real build renders.

    python -m benchmarks.wechat_fragments PROJECT [--repeat 3]

Builds PROJECT (a directory with mkdocs.yml, e.g. from benchmarks.generate) once without
search, keeps every article's rendered body as the plugin does, then times
``wechat.make_copy`` over all of them and prints the best run's average per article.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from site_builder.outputs.wechat import copy as wechat


def bodies(project: Path) -> tuple[list, object]:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795708800")
    os.chdir(project)
    with tempfile.TemporaryDirectory() as site:
        config = load_config(config_file="mkdocs.yml", site_dir=site, strict=True)
        plugin = config.plugins["site-builder"]
        plugin.config.search = False
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    by_src = {a.src: a for a in plugin.site.articles}
    return [(by_src[src], body) for src, body in plugin.bodies.items()], plugin.site.settings


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("project", type=Path)
    args.add_argument("--repeat", type=int, default=3)
    options = args.parse_args()
    items, settings = bodies(options.project.resolve())
    best = float("inf")
    for _ in range(options.repeat):
        start = time.perf_counter()
        for article, body in items:
            wechat.make_copy(article, body, settings)
        best = min(best, time.perf_counter() - start)
    print(
        f"{len(items)} articles: {best:.2f} s, {best / len(items) * 1000:.2f} ms per article (best of {options.repeat})"
    )


if __name__ == "__main__":
    main()
