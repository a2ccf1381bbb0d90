"""`python -m site_builder …` is `site-builder …` (for when Python's Scripts folder is not on PATH)."""

import sys

from site_builder.cli.commands import main

sys.exit(main())
