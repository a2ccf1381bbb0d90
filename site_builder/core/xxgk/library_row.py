"""The 行政规范性文件 row of table 二, counted from the document library for one year.

本年制发: documents whose 成文日期 falls in the year. 本年废止: documents that ended
(废止, 宣布失效, or lapsed after a missed 修改 deadline) in the year, dated by the
decision that ended them. 现行有效: documents written by 31 December that had not
ended by then.
"""

from __future__ import annotations

import datetime as dt

from site_builder.core.cleanups.library import Document


def ended_on(doc: Document) -> dt.date | None:
    """When a document stopped applying, or None while it is in force."""
    if doc.lapsed_on is not None:
        return doc.lapsed_on
    step = doc.ended_by
    return step.batch.decision.date if step is not None else None


def normative_row(library: list[Document], year: int) -> tuple[int, int, int]:
    end = dt.date(year, 12, 31)
    issued = sum(1 for d in library if d.date.year == year)
    abolished = sum(1 for d in library if (e := ended_on(d)) is not None and e.year == year)
    in_force = sum(1 for d in library if d.date <= end and ((e := ended_on(d)) is None or e > end))
    return issued, abolished, in_force
