"""Chinese full-text search with Pagefind's extended build (it segments Chinese).

Pagefind 1.4.0 is pinned on purpose: 1.5.x segments the query in the browser
with Intl.Segmenter, differently from the index, and loses recall on words such
as 复议 (Pagefind/pagefind#1237). The index is chunked, so a reader downloads only
what a query needs, never the whole site.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

OUTPUT_SUBDIR = "pagefind"


def index(site_dir: Path) -> None:
    """Index ``site_dir`` in place; a missing or failing indexer fails the build."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        OUTPUT_SUBDIR,
        "--force-language",
        "zh",
        "--exclude-selectors",
        ".headerlink",
        "--silent",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:  # pragma: no cover - the pinned dependency ships the binary
        raise SearchError(f"无法运行搜索索引程序 Pagefind：{exc}") from exc
    if result.returncode != 0:
        raise SearchError("搜索索引生成失败（Pagefind）：\n" + (result.stderr or result.stdout).strip())


class SearchError(PluginError):
    """Search must never silently disappear from the site."""
