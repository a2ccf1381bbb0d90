"""文号 in articles, by the same rules (and codes) as in cleanup data: site_builder.core.docno."""

from __future__ import annotations

from site_builder.core import docno
from site_builder.core.checks.text import Document
from site_builder.core.problems import Problem, problem

_JOINERS = frozenset("和及与或并、的按据照依见根参遵")  # 和, 及 …; 按照, 依据, 根据, 参照, 遵照


def _shown(match_text: str, agency: str) -> str:
    """Running text lets the 代字 swallow words before it; show at most six of them."""
    shown = match_text[len(agency) - 6 :] if len(agency) > 6 else match_text
    keep = len(agency) if len(agency) <= 6 else 6
    while keep > 2 and shown[0] in _JOINERS:  # "和滨政发〔2021〕5号": "和" is not part of the 代字
        shown, keep = shown[1:], keep - 1
    return shown


def check(doc: Document) -> list[Problem]:
    found = []
    article = doc.article
    if article is not None and article.doc_no:
        checked = docno.check(article.doc_no)
        line = article.lines.get("doc_no", 1)
        if checked.canonical is None and checked.typed != docno.NO_NUMBER:
            found.append(problem("E511", doc.rel, line, field="doc_no", value=checked.typed))
        for code in checked.issues:
            found.append(problem(code, doc.rel, line, value=checked.typed, fixed=str(checked.canonical)))
    for match in docno.loose_matches(doc.masked):
        if "\n" in match[0] or int(match["n"]) == 0:
            continue
        issues = docno._issues(match)
        if not issues:
            continue
        shown = _shown(match[0], match["dz"])
        fixed = docno.fix_text(shown)
        for code in issues:
            found.append(problem(code, doc.rel, doc.line(match.start("open")), value=shown, fixed=fixed))
    return found
