"""The kinds of content besides news articles, in the order they are loaded and planned (core/kinds.py).

A later kind may use what an earlier one loaded or planned (政府信息公开 lists the 规范性文件库's documents).
"""

from __future__ import annotations

from site_builder.core.cleanups.kind import KIND as CLEANUPS
from site_builder.core.xxgk.kind import KIND as XXGK

KINDS = [CLEANUPS, XXGK]
