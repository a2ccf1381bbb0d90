"""The 行政规范性文件 row of table 二, counted from the document library for one year.

Each document is taken as it stood on 31 December of the report's year, replaying
its cleanup decisions up to that day: a report once published never changes
because a later batch reviewed the same documents again (a document repealed in
2019 and listed again in 2021 was not in force at the end of 2020).

本年制发: documents whose 成文日期 falls in the year. 本年废止: documents that ended
in the year (废止, 宣布失效, or lapsed after a missed 修改 deadline), dated by the
decision that ended them. 现行有效: documents written by 31 December that had not
ended by then.
"""

from __future__ import annotations

import datetime as dt

from site_builder.core.cleanups.library import Document
from site_builder.core.cleanups.model import VALIDITY


def ended_by(doc: Document, day: dt.date) -> dt.date | None:
    """When the document stopped applying, as known on ``day``; None while it was in force then."""
    ended = None
    last = None
    for step in doc.history:  # oldest decision first
        if step.batch.decision.date > day:
            continue
        last = step.record
        if VALIDITY[last.result] == "有效":
            ended = None
        elif ended is None:  # a second end (已废止, or 宣布失效 after 废止) confirms the first
            ended = step.batch.decision.date
    if ended is None and last is not None and last.result == "修改" and last.deadline and last.deadline < day:
        ended = last.deadline + dt.timedelta(days=1)  # the 修改 deadline passed without a new decision
    return ended


def normative_row(library: list[Document], year: int) -> tuple[int, int, int]:
    end = dt.date(year, 12, 31)
    issued = sum(1 for d in library if d.date.year == year)
    ends = [ended_by(d, end) for d in library]
    abolished = sum(1 for e in ends if e is not None and e.year == year)
    in_force = sum(1 for d, e in zip(library, ends, strict=True) if d.date <= end and e is None)
    return issued, abolished, in_force
