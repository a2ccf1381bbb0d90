"""What every output reads: the planned site and the article bodies MkDocs rendered.

An output is a module with one entry point, ``write(built) -> list[str]``, that writes its
files under ``built.site_dir`` and returns them, site-relative. The list of outputs is
outputs/all.py; the adapter runs it after MkDocs has written the pages, records what each
returned (so a file no output returns any more is removed from site/), and build.json is
made last, from everything on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from site_builder.core.model import Site
from site_builder.core.pages import SitePlan


@dataclass
class Built:
    site_dir: Path  # where this build writes (a staging folder beside site/ for `site-builder build`)
    site: Site
    plan: SitePlan
    bodies: dict[str, str]  # article src -> its finished body HTML, links relative to the article's page
    # Articles whose outputs the previous build wrote and that are still right (incremental build);
    # they are on disk in ``kept_in`` (site/ itself, or site/ beside a staged build).
    current: set[str] = field(default_factory=set)
    kept_in: Path | None = None
    content_dir: Path | None = None  # content/ (the web editor's config names it)
    serving: bool = False  # a preview of `site-builder serve`/`cms`, never published
