"""`python -m site_builder.cli …` is `site-builder …`."""

from site_builder.cli.commands import program

program()
