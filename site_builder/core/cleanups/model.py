"""Cleanup batches as plain data: what a decision said about each document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The closed vocabulary (C-2), in the order summaries and charts list them.
RESULTS = ("继续有效", "修改", "废止", "宣布失效", "已废止")
SYNONYMS = {"继续保留": "继续有效"}
NEEDS_REASON = ("废止", "宣布失效")
# What each result makes of a document's 有效性 (G-13).
VALIDITY = {"继续有效": "有效", "修改": "有效", "废止": "废止", "宣布失效": "失效", "已废止": "废止"}
KINDS = ("集中清理", "专项清理")


@dataclass(frozen=True)
class Record:
    """One row of a batch: one document and the decision about it."""

    no: int  # 序号
    title: str  # 文件名称
    doc_no: str  # 文号, canonical, or 无文号
    issuer: str  # 发文机关
    date: dt.date  # 成文日期
    result: str  # 清理结果
    reason: str = ""  # 理由/说明
    deadline: dt.date | None = None  # for 修改: when the revised text is due
    line: int = 0


@dataclass(frozen=True)
class Decision:
    """The decision or notice that published the batch (C-1)."""

    title: str
    doc_no: str
    publisher: str  # 发布机构
    date: dt.date  # 成文日期 of the decision
    article: str = ""  # slug of the news article that announced it


@dataclass
class Batch:
    """One cleanup: a decision and its records. ``src`` is relative to content/."""

    src: str
    slug: str
    title: str
    kind: str
    decision: Decision
    scope: str
    basis: str = ""
    rule: str = ""  # a special cleanup's rule, e.g. 著名商标: 一律予以废止…
    total: int | None = None  # as declared by the decision, checked against the records
    records: list[Record] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"cleanups/{self.slug}/"

    @property
    def date(self) -> dt.date:
        return self.decision.date

    def sort_key(self) -> tuple:
        """Oldest first: a later batch overrides an earlier one's decisions."""
        return (self.date, self.slug)

    def counts(self) -> dict[str, int]:
        """Records per result, in vocabulary order, zeros included."""
        counts = dict.fromkeys(RESULTS, 0)
        for record in self.records:
            counts[record.result] += 1
        return counts
