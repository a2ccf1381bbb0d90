"""`python -m site_builder.cli …` is `site-builder …`."""

import sys

from site_builder.cli.commands import main

sys.exit(main())
