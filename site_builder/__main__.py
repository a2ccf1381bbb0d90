"""`python -m site_builder …` is `site-builder …` (for when Python's Scripts folder is not on PATH)."""

from site_builder.cli.commands import program

program()
