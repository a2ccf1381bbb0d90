"""`site-builder <command>` run in the test process, as if it were a fresh one.

Starting Python and importing MkDocs and Material costs about two seconds a command, and the suite runs
hundreds of commands; `main()` in this process gives the same exit code and the same printed output.
What a fresh process would not share is put back after each run: the working directory, the
environment, the loggers the CLI reconfigures, and the content caches that `site-builder serve` keeps
between builds (each command here must start cold, as it does for staff).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
from pathlib import Path

# Module-level caches of the build that live as long as the process (serve reuses them between
# rebuilds). Found by name in whichever module holds them, so that moving a module keeps them cleared.
PROCESS_CACHES = ("_PARSED", "_DERIVED", "_DIGESTS", "_SEEN", "_LAST_WRITTEN", "_IN_MEMORY", "_BUILD_DATE")
LOGGERS = ("mkdocs", "mkdocs.commands.build", "site_builder")


def clear_caches() -> None:
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "site_builder" or name.startswith("site_builder.")):
            continue
        for attr in PROCESS_CACHES:
            cache = getattr(module, attr, None)
            if isinstance(cache, dict):
                cache.clear()


class _Stream(io.StringIO):
    """A text stream that, like a pipe, has an encoding and accepts `reconfigure()`."""

    encoding = "utf-8"

    def reconfigure(self, **_kwargs: object) -> None:
        pass

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _fresh_state(cwd: Path, env: dict[str, str]):
    saved_env = os.environ.copy()
    saved_cwd = os.getcwd()
    saved_loggers = {}
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved_loggers[name] = (logger.level, logger.propagate, list(logger.handlers), list(logger.filters))
    clear_caches()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        for name, (level, propagate, handlers, filters) in saved_loggers.items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.propagate = propagate
            logger.handlers[:] = handlers
            logger.filters[:] = filters
        clear_caches()


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`site-builder *args` in `cwd` with `env` added to the environment; returns what `subprocess.run` would."""
    from site_builder.cli import main

    out, err = _Stream(), _Stream()
    with _fresh_state(cwd, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse's usage errors and --help
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if isinstance(exc.code, str):
                print(exc.code, file=sys.stderr)
    return subprocess.CompletedProcess(["site-builder", *args], code, out.getvalue(), err.getvalue())
