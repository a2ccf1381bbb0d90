"""The commands' MkDocs side: `site-builder build`, `serve`, and the configuration `wechat` reads.

cli/commands.py reads the command line and prints; this module runs MkDocs (its configuration,
``mkdocs.commands.build.build`` with the plugin's startup and shutdown, the preview server) and
turns whatever stops it into :class:`Stopped`: the Chinese text to print and the exit code.
MkDocs' own log reaches ``say`` as it comes, in Chinese (mkdocs_log.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from site_builder.adapter import incremental, internals, mkdocs_log, staging
from site_builder.core import faults

# Material's end-of-life banner and ProperDocs' switch banner mean nothing to staff;
# the pins in pyproject.toml and the README record the platform's status instead.
for _name, _value in {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}.items():
    os.environ.setdefault(_name, _value)


class Stopped(Exception):
    """MkDocs stopped: ``text`` says why (empty when its log has said it already), ``code`` is the exit code."""

    def __init__(self, text: str, code: int = 1) -> None:
        super().__init__(text)
        self.text, self.code = text, code


@dataclass(frozen=True)
class Built:
    """What the closing line of `site-builder build` reports."""

    pages: int
    rendered: int
    feeds: int
    warnings: int
    site_dir: str


@dataclass(frozen=True)
class Markdown:
    """What `site-builder wechat` needs of mkdocs.yml: where content and site are, how Markdown is read."""

    docs_dir: Path
    site_dir: Path
    extensions: list
    configs: dict


def build(config_file: str | None, site_dir: str | None, clean: bool, say: Callable[[str], None]) -> Built:
    """Build beside site/ and swap it in only when every step succeeded (staging.py)."""
    from mkdocs.commands.build import build as mkdocs_build

    from site_builder.adapter.project import load_config

    printer = mkdocs_log.route(say)
    config = store = None
    try:
        config = load_config(config_file, site_dir=site_dir, strict=True)
        printer.docs_dir = Path(config.docs_dir)
        # Rebuild only what changed when the previous build's state is there (incremental.py).
        state = incremental.state_path(Path(config.config_file_path).parent, Path(config.site_dir))
        dirty = not clean and state.is_file() and Path(config.site_dir).is_dir()
        faults.require_content(Path(config.docs_dir))
        # First: a rebuild's links to the unchanged files of site/ are made meanwhile (staging.py).
        with staging.staged(config, keep=dirty) as stage:  # site/ changes only in stage.commit()
            # What the content steps made, kept in the CI cache: this build reads again only changed files.
            memo = config.plugins["site-builder"].memo
            memo.store = store = incremental.memo_store(config, load=dirty)
            internals.list_theme_files_once()  # Material's thousands of files: their listing kept in that cache
            config.plugins.on_startup(command="build", dirty=dirty)
            try:
                mkdocs_build(config, dirty=dirty)
            finally:
                config.plugins.on_shutdown()
            stage.commit(state, config.plugins["site-builder"].build.state)
            store.save()  # written once the pages were planned (memo.settle); put in place now
    except BaseException as exc:
        if store is not None:
            store.discard()
        raise Stopped(*staging.failure(exc, config_file, site_dir, config)) from exc
    done = config.plugins["site-builder"].build
    return Built(done.pages, done.rendered, done.feeds, printer.count, config.site_dir)


def serve(config_file: str | None, dev_addr: str, say: Callable[[str], None]) -> None:
    """The preview, until Ctrl+C (preview.py)."""
    from mkdocs.exceptions import Abort, ConfigurationError

    from site_builder.adapter.preview import serve as preview

    mkdocs_log.route(say, serving=True)  # MkDocs' progress and problems in Chinese
    try:
        preview(config_file=config_file, dev_addr=dev_addr)
    except ConfigurationError as exc:  # run outside the site folder (e.g. inside content/), or a bad mkdocs.yml
        fault = faults.outside_a_site(config_file)
        raise Stopped(fault.format() if fault else mkdocs_log.config_error(exc, config_file)) from exc
    except Abort as exc:
        raise Stopped("") from exc


def markdown(config_file: str | None, say: Callable[[str], None]) -> Markdown:
    """mkdocs.yml as `site-builder wechat` reads it, without building."""
    from mkdocs.exceptions import Abort, ConfigurationError

    from site_builder.adapter.project import load_config

    mkdocs_log.route(say)
    try:
        config = load_config(config_file)
    except Abort as exc:  # MkDocs has logged the problems (E807)
        raise Stopped("") from exc
    except ConfigurationError as exc:
        raise Stopped(mkdocs_log.config_error(exc, config_file)) from exc
    return Markdown(Path(config.docs_dir), Path(config.site_dir), config.markdown_extensions, config.mdx_configs)
