"""The sitemap's companions: a byte-identical sitemap.xml.gz and a robots.txt that points to it.

sitemap.xml itself is theme/sitemap.xml, filled with each page's content date
(``Page.modified``), never the build date MkDocs would put on every page.
"""

from __future__ import annotations

import gzip
from pathlib import Path


def make_reproducible(site_dir: Path) -> None:
    """MkDocs stamps the gzip header with the clock; rewrite it with a fixed time."""
    xml = site_dir / "sitemap.xml"
    if not xml.is_file():
        return
    with (
        open(site_dir / "sitemap.xml.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, filename="", mode="wb", mtime=0) as packed,
    ):
        packed.write(xml.read_bytes())


def robots_txt(site_url: str) -> str:
    """Everything may be crawled; the sitemap's URL must be absolute (robots.txt rules).

    Crawlers read robots.txt only at the host's root, so a site published under a
    path (https://example.gov.cn/fzb/) must have this line copied into the host's own file.
    """
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"


def write_robots(site_dir: Path, site_url: str) -> None:
    (site_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8", newline="\n")
