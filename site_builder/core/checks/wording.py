"""错敏词 and canonical names, from lists the office keeps in content/checks/.

``wording.yml`` pairs each wrong or sensitive wording with its correct form;
``names.yml`` gives canonical names of bodies and officials with the misspellings
seen, and the full titles of laws, so that 《…》 citations close to one are caught.
All wrong forms go into one combined regex (longest first): one pass per text.
Law titles are matched by their one-deletion neighbourhoods, which finds every
citation within one typo of a canonical title in time linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from site_builder.core import yaml_guard
from site_builder.core.checks.text import Document
from site_builder.core.problems import Problem, problem
from site_builder.core.textfile import read_text

LIST_DIR = "checks"
PRC = "中华人民共和国"
_CITATION = re.compile(r"《([^《》\n]{5,60})》")


@dataclass(frozen=True)
class Wrong:
    wrong: str
    correct: str
    code: str  # E705 wording, E706 a name
    note: str = ""


@dataclass
class Lists:
    wrongs: dict[str, Wrong] = field(default_factory=dict)
    laws: set[str] = field(default_factory=set)  # canonical titles, with and without 中华人民共和国
    neighbours: dict[str, str] = field(default_factory=dict)  # one-deletion variant -> canonical title
    pattern: re.Pattern[str] | None = None

    def compile(self) -> None:
        if self.wrongs:
            words = sorted(self.wrongs, key=lambda w: (-len(w), w))
            self.pattern = re.compile("|".join(re.escape(w) for w in words))
        for title in sorted(self.laws):
            if len(title) >= 5:
                for variant in _deletions(title) | {title}:
                    self.neighbours.setdefault(variant, title if title.startswith(PRC) else _full(title, self.laws))


def _full(short: str, laws: set[str]) -> str:
    return PRC + short if PRC + short in laws else short


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


def _entries(data: object, key: str) -> list:
    value = data.get(key, []) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def load(content: Path, root: str) -> tuple[Lists, list[Problem]]:
    """Read content/checks/*.yml; a broken list is an error (a check silently off is worse)."""
    lists = Lists()
    found: list[Problem] = []
    folder = content / LIST_DIR
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        rel = f"{root}/{LIST_DIR}/{path.name}"
        file = read_text(path, rel)
        if isinstance(file, Problem):
            found.append(file)
            continue
        loader = yaml.SafeLoader(file.text)
        try:
            node = loader.get_single_node()
            unsafe = yaml_guard.check(node, file.text, rel)
            if unsafe:  # an alias bomb is refused before it is expanded
                found.extend(unsafe)
                continue
            data = (loader.construct_document(node) if node is not None else None) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            found.append(problem("E708", rel, mark.line + 1 if mark else 0, detail="YAML 语法错误，请检查缩进和引号。"))
            continue
        except RecursionError:
            found.append(problem("E708", rel, 0, detail="嵌套层次太深。"))
            continue
        finally:
            loader.dispose()
        if not isinstance(data, dict):
            found.append(problem("E708", rel, 1, detail="文件应由 words:、names:、laws: 等列表组成。"))
            continue
        for entry in _entries(data, "words"):
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("wrong"), str)
                and isinstance(entry.get("correct"), str)
            ):
                found.append(problem("E708", rel, 0, detail=f"words 中的“{entry}”应写成 wrong: 和 correct: 两项。"))
                continue
            note = str(entry.get("note") or "").strip()
            lists.wrongs[entry["wrong"].strip()] = Wrong(entry["wrong"].strip(), entry["correct"].strip(), "E705", note)
        for entry in _entries(data, "names"):
            wrongs = entry.get("wrong") if isinstance(entry, dict) else None
            if not (isinstance(wrongs, list) and isinstance(entry.get("name"), str)):
                found.append(problem("E708", rel, 0, detail=f"names 中的“{entry}”应写成 name: 和 wrong: [……] 两项。"))
                continue
            for wrong in wrongs:
                lists.wrongs[str(wrong).strip()] = Wrong(str(wrong).strip(), entry["name"].strip(), "E706")
        for title in _entries(data, "laws"):
            title = str(title).strip().strip("《》")
            lists.laws.add(title)
            if title.startswith(PRC):
                lists.laws.add(title[len(PRC) :])
    lists.wrongs = {w: e for w, e in lists.wrongs.items() if w}
    lists.compile()
    return lists, found


def _inside_correct(text: str, start: int, entry: Wrong) -> bool:
    """ "市政府法制办" inside "市政府法制办公室" is the correct name, not a wrong one."""
    at = entry.correct.find(entry.wrong)
    while at >= 0:
        if text.startswith(entry.correct, start - at):
            return True
        at = entry.correct.find(entry.wrong, at + 1)
    return False


def _scan(text: str, lists: Lists) -> list[tuple[int, str, Wrong | str]]:
    hits: list[tuple[int, str, Wrong | str]] = []
    if lists.pattern is not None:
        for match in lists.pattern.finditer(text):
            entry = lists.wrongs[match[0]]
            if not _inside_correct(text, match.start(), entry):
                hits.append((match.start(), match[0], entry))
    if lists.neighbours:
        for match in _CITATION.finditer(text):
            cited = match[1].strip()
            if cited in lists.laws:
                continue
            candidates = [cited, *_deletions(cited)] if len(cited) <= 40 else [cited]
            close = next((lists.neighbours[c] for c in candidates if c in lists.neighbours), None)
            if close is not None and close != cited:
                hits.append((match.start(), cited, close))
    return hits


def _report(doc: Document, line: int, value: str, entry: Wrong | str) -> Problem:
    if isinstance(entry, str):
        return problem("W707", doc.rel, line, value=value, correct=entry)
    note = entry.note + ("" if not entry.note or entry.note.endswith("。") else "。")
    return problem(entry.code, doc.rel, line, value=value, correct=entry.correct, note=note)


def check(doc: Document, lists: Lists) -> list[Problem]:
    found = [_report(doc, doc.line(start), value, entry) for start, value, entry in _scan(doc.masked, lists)]
    article = doc.article
    if article is not None:
        for name in ("title", "summary", "source", "author"):
            for _, value, entry in _scan(getattr(article, name), lists):
                found.append(_report(doc, article.lines.get(name, 1), value, entry))
    return found
