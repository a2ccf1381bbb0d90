"""The sitemap's companions: a byte-identical sitemap.xml.gz and a robots.txt that points to it.

sitemap.xml itself is theme/sitemap.xml, filled with each page's content date
(``Page.modified``), never the build date MkDocs would put on every page.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from site_builder.outputs.built import Built


def make_reproducible(site_dir: Path, kept_in: Path | None = None) -> bool:
    """MkDocs stamps the gzip header with the clock; rewrite it with a fixed time. A build after a
    merge that kept sitemap.xml (adapter/build.py) keeps its sitemap.xml.gz beside it too."""
    xml = site_dir / "sitemap.xml"
    if not xml.is_file():
        # the preview renders no sitemap; a staged build that kept it links both from site/ later
        return kept_in is not None and kept_in != site_dir and (kept_in / "sitemap.xml.gz").is_file()
    with (
        open(site_dir / "sitemap.xml.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, filename="", mode="wb", mtime=0) as packed,
    ):
        packed.write(xml.read_bytes())
    return True


def robots_txt(site_url: str) -> str:
    """Everything may be crawled; the sitemap's URL must be absolute (robots.txt rules).

    Crawlers read robots.txt only at the host's root, so a site published under a
    path (https://example.gov.cn/fzb/) must have this line copied into the host's own file.
    """
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"


def write_robots(site_dir: Path, site_url: str) -> None:
    (site_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8", newline="\n")


def write(built: Built) -> list[str]:
    """robots.txt, and sitemap.xml.gz beside the sitemap.xml MkDocs rendered (the outputs list's entry point)."""
    write_robots(built.site_dir, built.site.settings.url)
    return ["robots.txt"] + (["sitemap.xml.gz"] if make_reproducible(built.site_dir, built.kept_in) else [])
