"""Read the 政府信息公开 section: its settings (content/site.yml, xxgk) and its yearly reports."""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from site_builder.core.cleanups.library import build_library
from site_builder.core.cleanups.load import _line, _text, compose
from site_builder.core.cleanups.model import Batch
from site_builder.core.problems import Problem, problem
from site_builder.core.textfile import read_text
from site_builder.core.xxgk.annual import ACTIVE_COLUMNS_DOCS, AnnualReport, Row, annual_files, load_report
from site_builder.core.xxgk.library_row import normative_row

SECTION_DIR = "xxgk"
PARTS = {
    "guide": "政府信息公开指南",
    "rules": "政府信息公开制度",
    "statutory": "法定主动公开内容",
    "annual": "政府信息公开年报",
    "apply": "依申请公开",
    "catalogue": "信息公开目录",
}
PAGE_PARTS = ("guide", "rules", "statutory", "apply")  # a Markdown page in content/xxgk/<part>.md
SECTION_FIELDS = {
    "title": "专栏名称",
    "publisher": "发布机构",
    "organization_code": "机构代码",
    "index_rule": "索引号规则",
    "categories": "公开的栏目",
    "form": "申请表文件",
    "parts": "专栏的部分",
}
RULE_FIELDS = {"organization_code", "year", "seq"}


@dataclass(frozen=True)
class Part:
    key: str  # guide, rules, …
    title: str
    slug: str

    @property
    def url(self) -> str:
        return f"{SECTION_DIR}/{self.slug}/"


@dataclass
class Section:
    """The section as configured, its pages' Markdown and the reports, by year."""

    title: str
    publisher: str
    organization_code: str
    index_rule: str
    categories: tuple[str, ...]  # 栏目 names whose articles are disclosed items
    parts: tuple[Part, ...]
    form: str = ""  # the 申请表, a file path relative to content/
    pages: dict[str, str] = field(default_factory=dict)  # part key -> Markdown text
    reports: dict[int, AnnualReport] = field(default_factory=dict)
    form_size: int = 0  # bytes of the 申请表, for its download link
    ledger: dict[str, tuple[int, int]] = field(default_factory=dict)  # 索引号 given by the previous build

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)

    @property
    def url(self) -> str:
        return self.parts[0].url


def load_section(
    content: Path, root: str, categories: tuple[str, ...], batches: list[Batch], now: dt.datetime
) -> tuple[Section | None, list[Problem]]:
    """The section, or None when site.yml has no xxgk part (then nothing under content/xxgk is read)."""
    rel = f"{root}/site.yml"
    path = content / "site.yml"
    file = read_text(path, rel)
    if isinstance(file, Problem):
        return None, []  # reported by the settings
    node, _ = compose(file.text, rel)
    if not isinstance(node, yaml.MappingNode):
        return None, []
    entry = next(((k, v) for k, v in node.value if str(k.value) == "xxgk"), None)
    if entry is None:
        return None, []
    found: list[Problem] = []
    section = _section(entry[1], _line(entry[0]), rel, categories, found)
    if section is None:
        return None, found
    for part in section.parts:
        if part.key in PAGE_PARTS:
            page_rel, page_path = f"{root}/{SECTION_DIR}/{part.key}.md", content / SECTION_DIR / f"{part.key}.md"
            if not page_path.is_file():
                found.append(problem("W902", rel, 0, value=f"{SECTION_DIR}/{part.key}.md"))
                continue
            text = read_text(page_path, page_rel)
            if isinstance(text, Problem):
                found.append(text)
            else:
                section.pages[part.key] = text.text
    if section.form and not (content / section.form).is_file():
        found.append(problem("W902", rel, 0, value=section.form))
        section.form = ""
    elif section.form:
        section.form_size = (content / section.form).stat().st_size
    library = build_library(batches, now.date()) if batches else None
    for report_path in annual_files(content):
        src = report_path.relative_to(content).as_posix()
        report, more = load_report(report_path, f"{root}/{src}", src)
        found += more
        if report is not None:
            found += _library_row(report, library, f"{root}/{src}")
            section.reports[report.year] = report
    found += _missing_report(section, now, root)
    if any(p.is_error for p in found):
        return None, found
    return section, found


def _section(node, line: int, rel: str, categories: tuple[str, ...], found: list[Problem]) -> Section | None:
    def bad(detail: str, at: int = line) -> None:
        found.append(problem("E920", rel, at, detail=detail))

    if not isinstance(node, yaml.MappingNode):
        bad("xxgk 下应当逐行写 title、publisher、parts 等设置")
        return None
    values = {str(k.value): (v, _line(k)) for k, v in node.value}
    for name in values:
        if name not in SECTION_FIELDS:
            bad(f"无法识别的设置“{name}”，可用的设置有 {'、'.join(SECTION_FIELDS)}", values[name][1])
    text = {name: (_text(values[name][0]) or "") if name in values else "" for name in SECTION_FIELDS}
    for name in ("publisher", "organization_code"):
        if not text[name]:
            bad(f"缺少 {name}（{SECTION_FIELDS[name]}）")
    rule = text["index_rule"] or "{organization_code}/{year}-{seq:05d}"
    problem_text = check_rule(rule)
    if problem_text:
        found.append(problem("E922", rel, values.get("index_rule", (None, line))[1], value=rule, detail=problem_text))
    chosen: list[str] = []
    if "categories" in values:
        seq = values["categories"][0]
        for item in seq.value if isinstance(seq, yaml.SequenceNode) else [seq]:
            name = _text(item) or ""
            if name not in categories:
                bad(f"categories 中的栏目“{name}”不在 categories（栏目）设置中", _line(item))
            chosen.append(name)
    parts: list[Part] = []
    if "parts" not in values or not isinstance(values["parts"][0], yaml.SequenceNode):
        bad("缺少 parts（专栏的部分），请逐项写 - part: guide 等")
        return None
    for item in values["parts"][0].value:
        if not isinstance(item, yaml.MappingNode):
            bad("parts 的每一项写成 - part: guide，可再写 title: 标题", _line(item))
            continue
        fields = {str(k.value): _text(v) or "" for k, v in item.value}
        key = fields.get("part", "")
        if key not in PARTS:
            bad(f"未知的部分“{key}”，可用的有 {'、'.join(f'{k}（{v}）' for k, v in PARTS.items())}", _line(item))
            continue
        if any(p.key == key for p in parts):
            bad(f"部分“{key}”写了两次", _line(item))
            continue
        parts.append(Part(key=key, title=fields.get("title") or PARTS[key], slug=key))
    if not parts:
        bad("parts 中至少要有一个部分")
    if "apply" in [p.key for p in parts] and not text["form"]:
        bad("有“依申请公开”时要写 form（申请表文件），例如 files/xxgk/申请表.docx")
    if any(p.path == rel and p.code in {"E920", "E922"} for p in found):
        return None
    return Section(
        title=text["title"] or "政府信息公开",
        publisher=text["publisher"],
        organization_code=text["organization_code"],
        index_rule=rule,
        categories=tuple(chosen),
        parts=tuple(parts),
        form=text["form"],
    )


def check_rule(rule: str) -> str:
    """What is wrong with an 索引号 rule, or ""."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(rule) if name is not None]
    except ValueError:
        return "花括号没有配对"
    unknown = [n for n in names if n not in RULE_FIELDS]
    if unknown:
        return f"不认识 {{{unknown[0]}}}"
    if "seq" not in names:
        return "缺少 {seq}（当年序号），否则索引号不唯一"
    try:
        rule.format(organization_code="X", year=2020, seq=1)
    except (ValueError, KeyError, IndexError) as exc:
        return f"格式写法有误（{exc}）"
    return ""


def _library_row(report: AnnualReport, library, rel: str) -> list[Problem]:
    """Fill in, or check, the 行政规范性文件 row of table 二 from the document library."""
    written = report.active.get("normative")
    if library is None:
        if written is None:
            return [
                problem(
                    "E902", rel, 0, label="行政规范性文件", detail="网站没有规范性文件清理结果，这一行要在文件中写出"
                )
            ]
        return []
    computed = normative_row(library, report.year)
    found = []
    if written is not None:
        for column, value, expected in zip(ACTIVE_COLUMNS_DOCS, written.values, computed, strict=True):
            if value != expected:
                found.append(
                    problem(
                        "E910", rel, written.line, column=column, written=value, year=report.year, computed=expected
                    )
                )
    report.active["normative"] = Row(tuple(computed), written.line if written else 0)
    report.normative_computed = True
    return found


def _missing_report(section: Section, now: dt.datetime, root: str) -> list[Problem]:
    """W901: past 31 January and last year's report is not there (条例 第四十九条)."""
    if section.part("annual") is None:
        return []
    year = now.year - 1
    if now.date() <= dt.date(now.year, 1, 31) or year in section.reports:
        return []
    if section.reports and min(section.reports) > year:
        return []
    return [problem("W901", f"{root}/{SECTION_DIR}/annual", 0, year=year, deadline=f"{now.year}年1月31日")]


def format_index(rule: str, organization_code: str, year: int, seq: int) -> str:
    return rule.format(organization_code=organization_code, year=year, seq=seq)


_SEQ = re.compile(r"\{seq[^}]*\}")
