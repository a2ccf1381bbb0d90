"""The document library: every document any batch decided on, with its current 有效性.

Batches are the single source of truth (G-23): a document's status is what the
latest batch made of it, and its history is every batch it appeared in. One rule
depends on the build's date (C-5): a document to be revised and reissued by a
deadline lapses (失效) the day after it, unless a later batch decides otherwise;
a reissued text is a new document with its own 文号.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from site_builder.core import docno
from site_builder.core.cleanups.model import VALIDITY, Batch, Record
from site_builder.core.slugs import slugify

LIBRARY_URL = "cleanups/library/"


@dataclass(frozen=True)
class Step:
    """One batch's decision about one document."""

    batch: Batch
    record: Record


@dataclass
class Document:
    id: str
    doc_no: str  # canonical, or 无文号
    history: list[Step] = field(default_factory=list)  # oldest batch first
    today: dt.date | None = None  # the build's date, for 修改 deadlines (C-5)

    @property
    def url(self) -> str:
        return f"{LIBRARY_URL}{self.id}/"

    @property
    def latest_step(self) -> Step:
        return self.history[-1]

    @property
    def latest(self) -> Record:
        return self.history[-1].record

    @property
    def title(self) -> str:
        return self.latest.title

    @property
    def issuer(self) -> str:
        return self.latest.issuer

    @property
    def date(self):
        return self.latest.date

    @property
    def validity(self) -> str:
        """有效 / 失效 / 废止. 已废止 only confirms an end an earlier batch already decided."""
        return self._status()[0]

    @property
    def ended_by(self) -> Step | None:
        """The step that ended the document, for the 失效/废止 banner (None if it is in force)."""
        return self._status()[1]

    @property
    def lapsed_on(self) -> dt.date | None:
        """The day a document lapsed because its 修改 deadline passed without a later decision."""
        latest = self.latest
        if latest.result == "修改" and latest.deadline and self.today and self.today > latest.deadline:
            return latest.deadline + dt.timedelta(days=1)
        return None

    def _status(self) -> tuple[str, Step | None]:
        if self.lapsed_on is not None:
            return "失效", self.latest_step
        status, ended = "有效", None
        for step in self.history:
            result = step.record.result
            if result == "已废止" and ended is not None:
                continue
            status = VALIDITY[result]
            ended = None if status == "有效" else step
        return status, ended


def _hash(text: str, size: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:size]


def _agency_slugs(agencies: set[str]) -> dict[str, str]:
    """Pinyin per 机关代字; agencies that sound alike each get a stable suffix."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for agency in sorted(agencies):
        by_slug[slugify(agency).replace("-", "") or "wh"].append(agency)
    result = {}
    for base, group in by_slug.items():
        for agency in group:
            result[agency] = base if len(group) == 1 else f"{base}{_hash(agency, 4)}"
    return result


def doc_key(record: Record) -> str:
    """What makes two records the same document: the 文号, or title+issuer+date without one."""
    if record.doc_no != docno.NO_NUMBER:
        return record.doc_no
    return f"{docno.NO_NUMBER}|{record.title}|{record.issuer}|{record.date:%Y-%m-%d}"


def build_library(batches: list[Batch], today: dt.date | None = None) -> list[Document]:
    """Every document, newest 成文日期 first; ids depend only on each document's own data.

    ``today`` is the build's date; without it no 修改 deadline has passed.
    """
    steps: dict[str, list[Step]] = defaultdict(list)
    for batch in sorted(batches, key=Batch.sort_key):
        for record in batch.records:
            steps[doc_key(record)].append(Step(batch, record))
    parsed = {key: docno.check(key).canonical for key in steps if not key.startswith(docno.NO_NUMBER)}
    agencies = _agency_slugs({p.agency for p in parsed.values() if p})
    documents = []
    for key, history in steps.items():
        number = parsed.get(key)
        if number is not None:
            ident = f"{agencies[number.agency]}-{number.year}-{number.number}"
        else:
            ident = f"wuwenhao-{_hash(key, 10)}"
        documents.append(Document(id=ident, doc_no=history[-1].record.doc_no, history=history, today=today))
    return sorted(documents, key=lambda d: (-d.date.toordinal(), d.id))


def by_number(documents: list[Document]) -> dict[str, Document]:
    """Canonical 文号 -> document, for linking 文号 in article text."""
    return {d.doc_no: d for d in documents if d.doc_no != docno.NO_NUMBER}
