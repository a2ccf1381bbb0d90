"""政府信息公开工作年度报告 as data: content/xxgk/annual/<year>.yml, read and checked.

The national format (国办公开办函〔2021〕30号) has six parts: prose in 一、五、六 and
three tables in 二、三、四. Every number keeps the line it is on, and every
勾稽关系 the format states is checked here, so a report that does not add up is
refused with the numbers involved instead of being published.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from site_builder.core.cleanups.load import _line, _text, compose
from site_builder.core.dates import parse_datetime
from site_builder.core.fields import suggest
from site_builder.core.problems import Problem, problem
from site_builder.core.textfile import read_text

ANNUAL_DIR = "xxgk/annual"

# Table 二: key -> (条例条款, 信息内容, columns); numbers are counts except 收费金额.
ACTIVE_COLUMNS_DOCS = ("本年制发件数", "本年废止件数", "现行有效件数")
ACTIVE_COLUMN_DECISIONS = ("本年处理决定数量",)
ACTIVE_COLUMN_FEES = ("本年收费金额（单位：万元）",)
ACTIVE_GROUPS = (
    ("第二十条第（一）项", ACTIVE_COLUMNS_DOCS, (("rules", "规章"), ("normative", "行政规范性文件"))),
    ("第二十条第（五）项", ACTIVE_COLUMN_DECISIONS, (("licensing", "行政许可"),)),
    ("第二十条第（六）项", ACTIVE_COLUMN_DECISIONS, (("penalty", "行政处罚"), ("enforcement", "行政强制"))),
    ("第二十条第（八）项", ACTIVE_COLUMN_FEES, (("fees", "行政事业性收费"),)),
)
ACTIVE_ROWS = {key: (label, columns) for _, columns, rows in ACTIVE_GROUPS for key, label in rows}

# Table 三: the seven number columns, then the rows in the order the format prints them.
APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
RESULT_ITEMS = {
    "disclosed": "（一）予以公开",
    "partly": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
}
RESULT_GROUPS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "refused": (
        "（三）不予公开",
        (
            ("state_secret", "1.属于国家秘密"),
            ("prohibited", "2.其他法律行政法规禁止公开"),
            ("security", "3.危及“三安全一稳定”"),
            ("third_party", "4.保护第三方合法权益"),
            ("internal", "5.属于三类内部事务信息"),
            ("process", "6.属于四类过程性信息"),
            ("enforcement_file", "7.属于行政执法案卷"),
            ("inquiry", "8.属于行政查询事项"),
        ),
    ),
    "unavailable": (
        "（四）无法提供",
        (
            ("not_held", "1.本机关不掌握相关政府信息"),
            ("needs_making", "2.没有现成信息需要另行制作"),
            ("unclear", "3.补正后申请内容仍不明确"),
        ),
    ),
    "not_processed": (
        "（五）不予处理",
        (
            ("petition", "1.信访举报投诉类申请"),
            ("repeated", "2.重复申请"),
            ("publication", "3.要求提供公开出版物"),
            ("mass_repeated", "4.无正当理由大量反复申请"),
            ("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        ),
    ),
    "other": (
        "（六）其他处理",
        (
            ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("other", "3.其他"),
        ),
    ),
}
SUBTOTAL = "subtotal"  # optional in each group: checked when written, never printed (the format has no such row)
RESULTS_TOTAL = ("total", "（七）总计")
APPLICATION_TOP = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "results": "三、本年度办理结果",
    "carry_forward": "四、结转下年度继续办理",
}

# Table 四: three groups of five.
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REVIEW_ROWS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}

TOP_FIELDS = {
    "year": "年度",
    "title": "标题",
    "date": "发布日期",
    "overview": "一、总体情况",
    "active": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}
PROSE_FIELDS = ("overview", "problems", "other_matters")
_INTEGER = re.compile(r"^[0-9]+$")
_AMOUNT = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def result_rows() -> list[tuple[str, str, str | None]]:
    """(key path, label, group label) for every printed row of 三、本年度办理结果."""
    rows: list[tuple[str, str, str | None]] = [(f"results.{k}", v, None) for k, v in RESULT_ITEMS.items()]
    for group, (label, items) in RESULT_GROUPS.items():
        rows += [(f"results.{group}.{key}", item, label) for key, item in items]
    rows.append((f"results.{RESULTS_TOTAL[0]}", RESULTS_TOTAL[1], None))
    return rows


def application_rows() -> list[tuple[str, str, str | None]]:
    """Every printed row of table 三, in order: (key path, label, group label)."""
    return [
        ("new", APPLICATION_TOP["new"], None),
        ("carried_over", APPLICATION_TOP["carried_over"], None),
        *result_rows(),
        ("carry_forward", APPLICATION_TOP["carry_forward"], None),
    ]


def _label(path: str) -> str:
    """A row's full name for messages, e.g. 三、本年度办理结果（三）不予公开 1.属于国家秘密."""
    parts = path.split(".")
    if parts[0] != "results":
        return APPLICATION_TOP.get(parts[0], REVIEW_ROWS.get(parts[0], ACTIVE_ROWS.get(parts[0], (parts[0],))[0]))
    if len(parts) == 2:
        return RESULT_ITEMS.get(parts[1]) or (RESULTS_TOTAL[1] if parts[1] == RESULTS_TOTAL[0] else parts[1])
    group_label, items = RESULT_GROUPS[parts[1]]
    if parts[2] == SUBTOTAL:
        return f"{group_label}小计"
    return f"{group_label} {dict(items)[parts[2]]}"


@dataclass
class Row:
    values: tuple  # ints (or a Decimal-like float string for fees)
    line: int


@dataclass
class AnnualReport:
    """One year's report; ``src`` is relative to content/."""

    year: int
    src: str
    title: str
    date: dt.date | None  # 发布日期
    overview: str
    problems: str
    other_matters: str
    active: dict[str, Row] = field(default_factory=dict)
    applications: dict[str, Row] = field(default_factory=dict)  # key path -> 7 numbers
    review: dict[str, Row] = field(default_factory=dict)  # REVIEW_ROWS key -> 5 numbers
    normative_computed: bool = False  # the 行政规范性文件 row came from the document library

    @property
    def url(self) -> str:
        return f"xxgk/annual/{self.year}/"


class _Reader:
    def __init__(self, rel: str):
        self.rel = rel
        self.found: list[Problem] = []

    def add(self, code: str, line: int, **values: object) -> None:
        self.found.append(problem(code, self.rel, line, **values))

    def mapping(self, node: yaml.Node | None, names: dict[str, str], where: str, line: int):
        if not isinstance(node, yaml.MappingNode):
            self.add("E902", line, label=where, detail="这里应当是带字段名的若干行")
            return None
        result: dict[str, tuple[yaml.Node, int]] = {}
        for key_node, value_node in node.value:
            key, key_line = str(key_node.value), _line(key_node)
            if key in result:
                self.add("E208", key_line, field=key, first=result[key][1])
            elif key not in names:
                choices = {k: f"{k}（{v}）" for k, v in names.items()}
                self.add("E903", key_line, field=key, where=where, suggestion=suggest(key, choices))
            else:
                result[key] = (value_node, key_line)
        return result

    def numbers(self, node: yaml.Node, line: int, path: str, columns: tuple[str, ...], amount: bool = False):
        """A row: one number, or a [list] of exactly len(columns) numbers; None when unusable."""
        label = _label(path)
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if (len(columns) > 1 and not isinstance(node, yaml.SequenceNode)) or len(items) != len(columns):
            self.add(
                "E911",
                line,
                label=label,
                count=len(items) if isinstance(node, yaml.SequenceNode) else 1,
                expected=len(columns),
                columns="、".join(columns),
            )
            return None
        values = []
        for item, column in zip(items, columns, strict=True):
            text = _text(item)
            pattern = _AMOUNT if amount else _INTEGER
            if text is None or not pattern.match(text):
                code = "E913" if amount else "E904"
                self.add(code, _line(item), label=label, column=column, value=text if text is not None else "（空）")
                return None
            values.append(float(text) if amount else int(text))
        return Row(tuple(values), line)


def annual_files(content: Path) -> list[Path]:
    folder = content / ANNUAL_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and not p.name.startswith((".", "~$")))


def load_report(path: Path, rel: str, src: str) -> tuple[AnnualReport | None, list[Problem]]:
    """Read one report file; every problem found is returned, the report only when it is sound."""
    file = read_text(path, rel)
    if isinstance(file, Problem):
        return None, [file]
    root, found = compose(file.text, rel)
    if root is None:
        return None, found
    reader = _Reader(rel)
    reader.found += found
    top = reader.mapping(root, TOP_FIELDS, "年度报告", 1)
    if top is None:
        return None, reader.found
    for name in ("year", *PROSE_FIELDS, "active", "applications", "review_litigation"):
        if name not in top:
            reader.add("E902", 1, label=f"{name}（{TOP_FIELDS[name]}）", detail="缺少的部分不按 0 或“无”处理")
    year = _year(reader, top, path)
    prose = {}
    for name in PROSE_FIELDS:
        if name in top:
            text = _text(top[name][0])
            if not text:
                reader.add("E914", top[name][1], label=TOP_FIELDS[name])
            prose[name] = text or ""
    date = None
    if "date" in top:
        date = parse_datetime(_text(top["date"][0]) or "")
        if date is None:
            reader.add("E915", top["date"][1], value=_text(top["date"][0]) or "（空）")
        else:
            date = date.date()
    report = AnnualReport(
        year=year or 0,
        src=src,
        title=(_text(top["title"][0]) if "title" in top else "") or "",
        date=date,
        overview=prose.get("overview", ""),
        problems=prose.get("problems", ""),
        other_matters=prose.get("other_matters", ""),
    )
    if "active" in top:
        _read_active(reader, report, *top["active"])
    if "applications" in top:
        _read_applications(reader, report, *top["applications"])
    if "review_litigation" in top:
        _read_review(reader, report, *top["review_litigation"])
    if any(p.is_error for p in reader.found):
        return None, reader.found
    reader.found += check_report(report, rel)
    if any(p.is_error for p in reader.found):
        return None, reader.found
    return report, reader.found


def _year(reader: _Reader, top, path: Path) -> int | None:
    if "year" not in top:
        return None
    text, line = _text(top["year"][0]) or "", top["year"][1]
    if not re.fullmatch(r"(19|20)\d\d", text) or path.stem != text:
        reader.add("E912", line, value=text or "（空）", name=path.name)
        return None
    return int(text)


def _read_active(reader: _Reader, report: AnnualReport, node, line: int) -> None:
    names = {key: label for key, (label, _) in ACTIVE_ROWS.items()}
    values = reader.mapping(node, names, TOP_FIELDS["active"], line)
    if values is None:
        return
    for key, (label, columns) in ACTIVE_ROWS.items():
        if key not in values:
            if key != "normative":  # the library fills it in (library_row.py); checked there
                reader.add("E902", line, label=label, detail="缺少的行不按 0 处理，没有的事项请写 0")
            continue
        row = reader.numbers(*values[key], key, columns, amount=key == "fees")
        if row is not None:
            report.active[key] = row


def _read_applications(reader: _Reader, report: AnnualReport, node, line: int) -> None:
    values = reader.mapping(node, APPLICATION_TOP, TOP_FIELDS["applications"], line)
    if values is None:
        return
    for key in ("new", "carried_over", "carry_forward"):
        if key not in values:
            reader.add("E902", line, label=APPLICATION_TOP[key], detail="缺少的行不按 0 处理，没有的请写 0")
        else:
            _application_row(reader, report, key, *values[key])
    if "results" not in values:
        reader.add("E902", line, label=APPLICATION_TOP["results"], detail="缺少的行不按 0 处理")
        return
    names = {**RESULT_ITEMS, **{k: v[0] for k, v in RESULT_GROUPS.items()}, RESULTS_TOTAL[0]: RESULTS_TOTAL[1]}
    results = reader.mapping(values["results"][0], names, APPLICATION_TOP["results"], values["results"][1])
    if results is None:
        return
    for key in [*RESULT_ITEMS, RESULTS_TOTAL[0]]:
        if key not in results:
            reader.add("E902", values["results"][1], label=_label(f"results.{key}"), detail="缺少的行不按 0 处理")
        else:
            _application_row(reader, report, f"results.{key}", *results[key])
    for group, (label, items) in RESULT_GROUPS.items():
        if group not in results:
            reader.add("E902", values["results"][1], label=label, detail="缺少的行不按 0 处理")
            continue
        item_names = {**dict(items), SUBTOTAL: "小计（可省略）"}
        rows = reader.mapping(results[group][0], item_names, label, results[group][1])
        if rows is None:
            continue
        for key, item in items:
            if key not in rows:
                reader.add("E902", results[group][1], label=f"{label} {item}", detail="缺少的行不按 0 处理")
            else:
                _application_row(reader, report, f"results.{group}.{key}", *rows[key])
        if SUBTOTAL in rows:
            _application_row(reader, report, f"results.{group}.{SUBTOTAL}", *rows[SUBTOTAL])


def _application_row(reader: _Reader, report: AnnualReport, path: str, node, line: int) -> None:
    row = reader.numbers(node, line, path, APPLICANT_COLUMNS)
    if row is not None:
        report.applications[path] = row


def _read_review(reader: _Reader, report: AnnualReport, node, line: int) -> None:
    values = reader.mapping(node, REVIEW_ROWS, TOP_FIELDS["review_litigation"], line)
    if values is None:
        return
    for key, label in REVIEW_ROWS.items():
        if key not in values:
            reader.add("E902", line, label=label, detail="缺少的行不按 0 处理，没有的请写 0")
            continue
        row = reader.numbers(*values[key], key, REVIEW_COLUMNS)
        if row is not None:
            report.review[key] = row


def _sum_text(values) -> str:
    return " + ".join(str(v) for v in values) + f" = {sum(values)}"


def check_report(report: AnnualReport, rel: str) -> list[Problem]:
    """The 勾稽关系 of tables 三 and 四; each broken rule is one coded problem with its numbers."""
    found: list[Problem] = []
    rows = report.applications
    # every row: 总计 = 自然人 + the five 法人或其他组织 columns
    for path, row in rows.items():
        *parts, total = row.values
        if sum(parts) != total:
            found.append(problem("E905", rel, row.line, label=_label(path), total=total, sum=_sum_text(parts)))
    # every group's subtotal (when written) = its items
    for group, (label, items) in RESULT_GROUPS.items():
        subtotal = rows.get(f"results.{group}.{SUBTOTAL}")
        if subtotal is None:
            continue
        for index, column in enumerate(APPLICANT_COLUMNS):
            parts = [rows[f"results.{group}.{key}"].values[index] for key, _ in items]
            if sum(parts) != subtotal.values[index]:
                found.append(
                    problem(
                        "E906",
                        rel,
                        subtotal.line,
                        label=label,
                        column=column,
                        total=subtotal.values[index],
                        sum=_sum_text(parts),
                    )
                )
    # （七）总计 = （一）…（六）
    total_row = rows[f"results.{RESULTS_TOTAL[0]}"]
    for index, column in enumerate(APPLICANT_COLUMNS):
        parts = [rows[f"results.{key}"].values[index] for key in RESULT_ITEMS]
        parts += [
            sum(rows[f"results.{group}.{key}"].values[index] for key, _ in items)
            for group, (_, items) in RESULT_GROUPS.items()
        ]
        if sum(parts) != total_row.values[index]:
            found.append(
                problem("E907", rel, total_row.line, column=column, total=total_row.values[index], sum=_sum_text(parts))
            )
    # every column: 一 + 二 = 三（七） + 四
    new, carried, forward = rows["new"], rows["carried_over"], rows["carry_forward"]
    for index, column in enumerate(APPLICANT_COLUMNS):
        left = new.values[index] + carried.values[index]
        right = total_row.values[index] + forward.values[index]
        if left != right:
            found.append(
                problem(
                    "E908",
                    rel,
                    new.line,
                    column=column,
                    new=new.values[index],
                    carried=carried.values[index],
                    left=left,
                    done=total_row.values[index],
                    forward=forward.values[index],
                    right=right,
                )
            )
    # table 四: every 总计 = its four parts
    for key, row in report.review.items():
        *parts, total = row.values
        if sum(parts) != total:
            found.append(problem("E909", rel, row.line, label=REVIEW_ROWS[key], total=total, sum=_sum_text(parts)))
    return found
