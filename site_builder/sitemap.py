"""Keep MkDocs' sitemap.xml.gz byte-identical between builds of the same content."""

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
