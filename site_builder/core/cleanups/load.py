"""Read and validate content/cleanups/*.yml: one batch per file, every problem with its line.

The YAML is walked as PyYAML nodes rather than loaded as Python values, so each
record's each field keeps the line it is on (261 records make line numbers the
only way to find a mistake) and every scalar is read as the text staff typed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path
from typing import NamedTuple

import yaml

from site_builder.core import docno, yaml_guard
from site_builder.core.cleanups.model import KINDS, NEEDS_REASON, RESULTS, SYNONYMS, Batch, Decision, Record
from site_builder.core.dates import parse_datetime
from site_builder.core.fields import suggest
from site_builder.core.frontmatter import _Loader, _yaml_problem, lint_header
from site_builder.core.memo import FileState, cached, file_state, forget
from site_builder.core.problems import Problem, problem
from site_builder.core.slugs import SLUG_RE, slugify
from site_builder.core.textfile import read_text

CLEANUP_DIR = "cleanups"
MAX_SLUG_CHARS = 100

BATCH_FIELDS = {
    "title": "清理名称",
    "slug": "网址别名",
    "kind": "清理类型",
    "decision": "清理决定",
    "scope": "清理范围",
    "basis": "清理依据",
    "rule": "清理规则",
    "total": "决定中的总件数",
    "records": "清理目录",
}
DECISION_FIELDS = {
    "title": "决定标题",
    "doc_no": "决定文号",
    "publisher": "发布机构",
    "date": "成文日期",
    "article": "发布文章",
}
RECORD_FIELDS = {
    "no": "序号",
    "title": "文件名称",
    "doc_no": "文号",
    "issuer": "发文机关",
    "date": "成文日期",
    "result": "清理结果",
    "reason": "理由/说明",
    "deadline": "修改期限",
}
EXAMPLES = {
    "title": "滨江市人民政府关于印发滨江市××管理办法的通知",
    "doc_no": "滨政发〔2016〕12号（没有文号的写 无文号）",
    "issuer": "市政府",
    "date": "2016-08-01",
    "result": "继续有效",
    "publisher": "滨江市人民政府",
    "scope": "建市以来至2020年12月31日市政府及市政府办公室制发的规范性文件",
    "records": "（每件文件一项，以“- no: 1”开头）",
}


def cleanup_files(content: Path) -> list[Path]:
    folder = content / CLEANUP_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and not p.name.startswith((".", "~$")))


_Fast = getattr(yaml, "CSafeLoader", None)


def compose(text: str, rel: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The YAML node tree of a data file, after the same typing-slip checks as headers."""
    lines = text.split("\n")
    repaired, found = lint_header(lines, 1, rel)
    joined = "\n".join(repaired)
    node = None
    line = 1  # where libyaml gave up, if it did
    if _Fast is not None:  # libyaml: a 261-record batch in milliseconds instead of a second
        try:
            node = _Fast(joined).get_single_node()
        except yaml.YAMLError as exc:  # the pure-Python parser below words it as the other files' errors are
            line += getattr(getattr(exc, "problem_mark", None), "line", 0)
    if node is None:
        try:
            loader = _Loader(joined)
        except yaml.YAMLError as exc:  # the reader refuses a control character
            return None, [*found, _yaml_problem(exc, repaired, 1, rel)]
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            return None, [*found, _yaml_problem(exc, repaired, 1, rel)]
        except RecursionError:  # "[[[[…" thousands deep: PyYAML recurses once per level
            return None, [*found, problem("E210", rel, line, depth=yaml_guard.MAX_DEPTH)]
        finally:
            loader.dispose()
    unsafe = yaml_guard.check(node, joined, rel)
    if unsafe:  # an alias, deep nesting or an escaped control character: not read further
        return None, [*found, *unsafe]
    return node, found


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(node: yaml.Node | None) -> str | None:
    """A scalar as typed (None for a list, a mapping or null)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    if not node.style and node.value in ("", "~", "null", "Null", "NULL"):
        return ""
    return node.value.strip()


class _Reader:
    """Collects problems for one file while its nodes are read."""

    def __init__(self, rel: str):
        self.rel = rel
        self.found: list[Problem] = []
        self.article: tuple[str, int, int] | None = None  # the decision's article (load_batch)

    def add(self, code: str, line: int, **values: object) -> None:
        self.found.append(problem(code, self.rel, line, **values))

    def mapping(self, node: yaml.Node, names: dict[str, str], where: str) -> dict[str, tuple[yaml.Node, int]]:
        """Key -> (value node, key line); unknown and repeated keys are reported."""
        result: dict[str, tuple[yaml.Node, int]] = {}
        for key_node, value_node in node.value:
            key, line = str(key_node.value), _line(key_node)
            if key in result:
                self.add("E208", line, field=key, first=result[key][1])
                continue
            if key not in names:
                choices = {k: f"{k}（{v}）" for k, v in names.items()}
                self.add("E501", line, field=key, where=where, suggestion=suggest(key, choices))
                continue
            result[key] = (value_node, line)
        return result

    def text(self, values, name: str, labels: dict[str, str], required: bool, line: int) -> str:
        if name not in values:
            if required:
                self.add("E502", line, field=name, label=labels[name], example=EXAMPLES.get(name, "……"))
            return ""
        node, key_line = values[name]
        value = _text(node)
        if value is None:
            self.add("E503", key_line, field=name, label=labels[name], expected="一段文字", value=_shown(node))
            return ""
        if not value and required:
            self.add("E502", key_line, field=name, label=labels[name], example=EXAMPLES.get(name, "……"))
        return value

    def date(self, values, name: str, labels: dict[str, str], required: bool, line: int) -> dt.date | None:
        value = self.text(values, name, labels, required, line)
        if not value:
            return None
        parsed = parse_datetime(value)
        if parsed is None:
            self.add("E509", values[name][1], field=name, label=labels[name], value=value)
            return None
        return parsed.date()

    def number(self, values, name: str, labels: dict[str, str], line: int) -> int | None:
        value = self.text(values, name, labels, False, line)
        if not value:
            return None
        if not re.fullmatch(r"\d+", value) or int(value) == 0:
            self.add("E503", values[name][1], field=name, label=labels[name], expected="正整数", value=value)
            return None
        return int(value)

    def doc_no(self, value: str, line: int, field: str) -> str:
        """The canonical 文号 (or 无文号); problems for anything else."""
        if value == docno.NO_NUMBER:
            return value
        found = docno.check(value)
        if found.canonical is None:
            self.add("E511", line, field=field, value=value)
            return value
        for code in found.issues:
            self.add(code, line, value=value, fixed=str(found.canonical))
        return str(found.canonical)


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "一个列表"
    if isinstance(node, yaml.MappingNode):
        return "一组字段"
    return str(node.value)


def load_batch(path: Path, rel: str, article_slugs: set[str] | None = None) -> tuple[Batch | None, list[Problem]]:
    """One batch file; None when it has errors (all of them are reported).

    ``site-builder serve`` loads content/ again on every edit: a file's batch is read and checked
    once while its size and time stay the same (core/memo.py), then only its decision's article
    is looked up among ``article_slugs`` again (an article's slug can change without the batch)."""
    state = file_state(path)
    if state is None:
        parsed = _parse_batch(FileState(str(path), -1, -1), rel)
    else:
        parsed = cached("batch", str(path), _parse_batch, state, rel)
        if parsed.unread:
            forget("batch", str(path))  # unreadable now (a lock, a permission): read again next time
    found = list(parsed.found)
    batch = parsed.batch
    if parsed.article is not None and article_slugs is not None:
        article, line, at = parsed.article
        if article not in article_slugs:  # where the reading would have said so, among its problems
            found.insert(at, problem("E518", rel, line, value=article))
            if found[at].is_error:
                batch = None
    return batch, found


class _Parsed(NamedTuple):
    batch: Batch | None  # as if every decision's article existed
    found: tuple[Problem, ...]
    article: tuple[str, int, int] | None  # the decision's article: its slug, line and place among ``found``
    unread: bool = False  # the file could not be read


def _parse_batch(state: FileState, rel: str) -> _Parsed:
    """The batch of a file, read through its ``state``; the decision's article is not looked up."""
    path = Path(state.path)
    file = read_text(path, rel)
    if isinstance(file, Problem):
        return _Parsed(None, (file,), None, unread=True)
    batch, found, article = _read_batch(path, file.text, rel)
    return _Parsed(batch, tuple(found), article)


def _read_batch(path: Path, text: str, rel: str) -> tuple[Batch | None, list[Problem], tuple[str, int, int] | None]:
    root, found = compose(text, rel)
    reader = _Reader(rel)
    reader.found.extend(found)
    if root is None:
        return None, reader.found, None
    if not isinstance(root, yaml.MappingNode):
        reader.add(
            "E503",
            _line(root),
            field="（整个文件）",
            label="清理批次",
            expected="“字段名: 值”的形式",
            value=_shown(root),
        )
        return None, reader.found, None
    top = reader.mapping(root, BATCH_FIELDS, "清理批次")
    title = reader.text(top, "title", BATCH_FIELDS, True, 1)
    slug = reader.text(top, "slug", BATCH_FIELDS, False, 1) or slugify(path.stem)
    if not SLUG_RE.match(slug):
        reader.add("E516", top["slug"][1] if "slug" in top else 1, value=slug)
    elif len(slug) > MAX_SLUG_CHARS:  # cleanups/<slug>/ and its downloads are file names
        reader.add("E521", top["slug"][1] if "slug" in top else 1, length=len(slug), limit=MAX_SLUG_CHARS)
    kind = reader.text(top, "kind", BATCH_FIELDS, False, 1) or KINDS[0]
    if kind not in KINDS:
        reader.add(
            "E503", top["kind"][1], field="kind", label="清理类型", expected="、".join(KINDS) + "之一", value=kind
        )
    scope = reader.text(top, "scope", BATCH_FIELDS, True, 1)
    basis = reader.text(top, "basis", BATCH_FIELDS, False, 1)
    rule = reader.text(top, "rule", BATCH_FIELDS, False, 1)
    total = reader.number(top, "total", BATCH_FIELDS, 1)
    decision = _decision(reader, top)
    records = _records(reader, top, decision.date if decision else None)
    count = _record_count(top)
    if total is not None and count is not None and total != count:
        reader.add("E508", top["total"][1], total=total, count=count)
    if any(p.is_error for p in reader.found) or decision is None or records is None:
        return None, reader.found, reader.article
    batch = Batch(
        src=rel,
        slug=slug,
        title=title,
        kind=kind,
        decision=decision,
        scope=scope,
        basis=basis,
        rule=rule,
        total=total,
        records=records,
    )
    return batch, reader.found, reader.article


def _record_count(top) -> int | None:
    """How many records the file lists, the unreadable ones included."""
    node = top.get("records", (None,))[0]
    if isinstance(node, yaml.SequenceNode):
        return len(node.value)
    return 0 if _text(node) == "" else None


def _decision(reader: _Reader, top) -> Decision | None:
    if "decision" not in top:
        reader.add(
            "E502",
            1,
            field="decision",
            label="清理决定",
            example="（下一行起缩进两格写 title、doc_no、publisher、date）",
        )
        return None
    node, line = top["decision"]
    if not isinstance(node, yaml.MappingNode):
        reader.add(
            "E503",
            line,
            field="decision",
            label="清理决定",
            expected="一组字段（title、doc_no、publisher、date）",
            value=_shown(node),
        )
        return None
    values = reader.mapping(node, DECISION_FIELDS, "清理决定 decision")
    title = reader.text(values, "title", DECISION_FIELDS, True, line)
    number = reader.text(values, "doc_no", DECISION_FIELDS, True, line)
    if number:
        number = reader.doc_no(number, values["doc_no"][1], "decision.doc_no")
    publisher = reader.text(values, "publisher", DECISION_FIELDS, True, line)
    date = reader.date(values, "date", DECISION_FIELDS, True, line)
    article = reader.text(values, "article", DECISION_FIELDS, False, line)
    if article:  # looked up among the articles by load_batch, its problem (E518) put here
        reader.article = (article, values["article"][1], len(reader.found))
    if not (title and number and publisher and date):
        return None
    return Decision(title=title, doc_no=number, publisher=publisher, date=date, article=article)


def _records(reader: _Reader, top, batch_date: dt.date | None) -> list[Record] | None:
    if "records" not in top:
        return None  # already reported as a missing field
    node, line = top["records"]
    if _text(node) == "":
        return []  # "records:" with nothing: a batch that found no documents (shown as 无)
    if not isinstance(node, yaml.SequenceNode):
        reader.add(
            "E503",
            line,
            field="records",
            label="清理目录",
            expected="列表（每件文件一项，以“- ”开头）",
            value=_shown(node),
        )
        return None
    records: list[Record] = []
    seen: dict[str, int] = {}
    for position, item in enumerate(node.value, start=1):
        record = _record(reader, item, position, batch_date)
        if record is None:
            continue
        line = next((_line(v) for k, v in item.value if k.value == "doc_no"), record.line)
        if record.doc_no != docno.NO_NUMBER:
            if record.doc_no in seen:
                reader.add("E507", line, value=record.doc_no, first=seen[record.doc_no])
            else:
                seen[record.doc_no] = line
        records.append(record)
    return records


def _record(reader: _Reader, node: yaml.Node, position: int, batch_date: dt.date | None) -> Record | None:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        reader.add(
            "E503",
            line,
            field=f"records 第{position}项",
            label="清理目录中的一件文件",
            expected="一组字段（no、title、doc_no……）",
            value=_shown(node),
        )
        return None
    values = reader.mapping(node, RECORD_FIELDS, "清理目录中的文件")
    errors_before = sum(p.is_error for p in reader.found)
    no = reader.number(values, "no", RECORD_FIELDS, line) or position
    title = reader.text(values, "title", RECORD_FIELDS, True, line)
    number = reader.text(values, "doc_no", RECORD_FIELDS, True, line)
    if number:
        number = reader.doc_no(number, values["doc_no"][1], "doc_no")
    issuer = reader.text(values, "issuer", RECORD_FIELDS, True, line)
    date = reader.date(values, "date", RECORD_FIELDS, True, line)
    result = reader.text(values, "result", RECORD_FIELDS, True, line)
    result = SYNONYMS.get(result, result)
    if result and result not in RESULTS:
        close = difflib.get_close_matches(result, RESULTS, n=1, cutoff=0.5)  # 费止 -> 废止
        suggestion = f"您是不是想写“{close[0]}”？" if close else ""
        reader.add("E505", values["result"][1], value=result, suggestion=suggestion, choices="、".join(RESULTS))
    reason = reader.text(values, "reason", RECORD_FIELDS, False, line)
    if result in NEEDS_REASON and not reason:
        reader.add("E506", values["result"][1], result=result)
    deadline = reader.date(values, "deadline", RECORD_FIELDS, False, line)
    if deadline and result != "修改":
        reader.add("E517", values["deadline"][1], result=result)
    if date and batch_date and date > batch_date:
        reader.add("E510", values["date"][1], value=f"{date:%Y-%m-%d}", batch=f"{batch_date:%Y-%m-%d}")
    if date and number != docno.NO_NUMBER:
        parsed = docno.check(number).canonical
        if parsed and parsed.year != date.year:
            reader.add("E520", values["doc_no"][1], value=number, date=f"{date:%Y-%m-%d}")
    if sum(p.is_error for p in reader.found) > errors_before:
        return None
    return Record(
        no=no,
        title=title,
        doc_no=number,
        issuer=issuer,
        date=date,
        result=result,
        reason=reason,
        deadline=deadline,
        line=line,
    )


def load_batches(content: Path, root: str, article_slugs: set[str] | None = None) -> tuple[list[Batch], list[Problem]]:
    """Every batch under content/cleanups/, oldest first; slugs must differ."""
    batches: list[Batch] = []
    found: list[Problem] = []
    for path in cleanup_files(content):
        rel = f"{root}/{Path(os.path.relpath(path, content)).as_posix()}"
        batch, problems = load_batch(path, rel, article_slugs)
        found.extend(problems)
        if batch is not None:
            batches.append(batch)
    seen: dict[str, str] = {}
    for batch in batches:
        if batch.slug in seen:
            found.append(problem("E516", batch.src, 1, value=f"{batch.slug}（与 {seen[batch.slug]} 重复）"))
        seen[batch.slug] = batch.src
    return sorted(batches, key=Batch.sort_key), found
