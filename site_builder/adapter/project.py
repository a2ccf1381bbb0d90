"""Where a site's MkDocs configuration and theme come from, installed or in a checkout.

The tool carries its own defaults as package data: ``site_builder/mkdocs.yml`` and the theme
``site_builder/theme/``. A site folder needs only ``content/``. An office that wants more adds
its own ``mkdocs.yml`` (used instead of the default) and/or ``theme/`` (templates and assets
that win over ours, which win over Material's).
"""

from __future__ import annotations

import io
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # site_builder/, holding mkdocs.yml and theme/
DEFAULT_CONFIG = PACKAGE / "mkdocs.yml"
THEME = PACKAGE / "theme"
CONFIG_NAME = "mkdocs.yml"
OVERRIDES = "theme"  # an office's own template overrides, beside content/


def add_theme(config) -> None:
    """Put our theme in front of Material's, behind the site's own ``custom_dir`` if it has one.

    Called by the plugin, so any mkdocs.yml listing ``site-builder`` gets the theme, the
    repository's root one included (``mkdocs build`` builds the same site).
    """
    dirs = config.theme.dirs
    ours = str(THEME)
    if any(Path(d).resolve() == THEME for d in dirs):
        return
    dirs.insert(1 if config.theme.custom_dir else 0, ours)


def theme_dirs(config) -> list[Path]:
    """The site's and our template folders (Material's are pinned by version)."""
    own = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    return [*own, THEME]


def load_config(config_file: str | None = None, **options):
    """The MkDocs configuration of the site in the current folder.

    ``config_file`` given: that file. Otherwise ``mkdocs.yml`` here when there is one, else the
    tool's default read as if it were here (content/, site/ and the cache resolve beside it),
    with ``theme/`` here as the custom_dir when that folder exists.
    """
    from mkdocs.config import load_config as mkdocs_load

    if config_file is not None or Path(CONFIG_NAME).is_file():
        return mkdocs_load(config_file=config_file or CONFIG_NAME, **options)
    if not Path("content").is_dir():
        from mkdocs.exceptions import ConfigurationError

        from site_builder.adapter.staff_text import coded

        raise ConfigurationError(coded("E808", folder=Path.cwd().as_posix()))
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    if Path(OVERRIDES).is_dir():
        marker = "  name: material\n"
        assert text.count(marker) == 1, "site_builder/mkdocs.yml: theme name line changed"
        text = text.replace(marker, f"{marker}  custom_dir: {OVERRIDES}\n")
    here = Path.cwd() / CONFIG_NAME
    return mkdocs_load(io.BytesIO(text.encode("utf-8")), config_file_path=str(here), **options)
