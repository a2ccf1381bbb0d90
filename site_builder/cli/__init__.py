"""The command line: argparse and printing only. Reads what staff typed, calls the adapter or the
outputs, prints the result in Chinese. ``site-builder`` is :func:`main`."""

from site_builder.cli.commands import main

__all__ = ["main"]
