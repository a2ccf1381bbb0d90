"""The command line: argparse and printing only. Reads what staff typed, calls the adapter or the
outputs, prints the result in Chinese. ``site-builder`` is :func:`program`, which runs :func:`main` (tests call ``main`` in their own process)."""

from site_builder.cli.commands import main, program

__all__ = ["main", "program"]
