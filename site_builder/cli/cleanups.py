"""The cleanup parts of the CLI (`check --fix`, `import-cleanup`), printed in Chinese."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from site_builder.core.cleanups.fix import fix_all
from site_builder.core.cleanups.importer import failed, import_file, to_yaml
from site_builder.core.cleanups.load import CLEANUP_DIR
from site_builder.core.problems import format_report, problem


def _shown(path: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def run_fix(content: Path) -> int:
    """Rewrite 文号 in content/cleanups/*.yml and in articles before `check` reads them;
    one closing line for both, counting every 文号 rewritten."""
    from site_builder.core.checks.fix import fix_articles

    changes, skipped = fix_all(content)
    more, skipped_more = fix_articles(content)
    for change in changes + more:
        print(f"{_shown(change.path)}:{change.line}: 已改正文号 {change.old} → {change.new}")
    for path, reason in skipped + skipped_more:
        print(f"{_shown(path)}: 未自动改正：{reason}。", file=sys.stderr)
    total = sum(change.count for change in changes + more)
    if total:
        print(f"共改正 {total} 处文号；文件的其他内容没有改动。")
    else:
        print("没有需要自动改正的文号。")
    return total


def _issuers(content: Path) -> dict[str, str]:
    """site.yml ``issuers`` (文号代字 -> 发文机关), when the settings can be read."""
    from site_builder.core.settings import load_settings

    settings, _found = load_settings(content)
    return dict(settings.issuers) if settings is not None else {}


def cmd_import(args: argparse.Namespace) -> int:
    from site_builder.core.slugs import SLUG_RE, slugify

    source = Path(args.file)
    imported = import_file(source, _shown(source), _issuers(Path(args.content)))
    if failed(imported):
        print(format_report(imported.problems), file=sys.stderr)
        print("没有导入：请按上面的提示修改表格后重新运行。", file=sys.stderr)
        return 1
    title = (args.title or imported.title).strip()
    slug = args.slug or (slugify(title) if title else "")
    if slug and not SLUG_RE.match(slug):
        print(format_report([problem("E516", _shown(source), value=slug)]), file=sys.stderr)
        return 1
    if not slug and not args.output:
        detail = "表格上方没有写清理名称的标题行，也没有用 --title 或 --slug 指定"
        print(format_report([problem("E607", _shown(source), detail=detail)]), file=sys.stderr)
        return 1
    out = Path(args.output) if args.output else Path(args.content) / CLEANUP_DIR / f"{slug}.yml"
    if out.exists() and not args.force:
        print(format_report([problem("E605", _shown(out), file=_shown(out))]), file=sys.stderr)
        return 1
    if imported.problems:
        print(format_report(imported.problems))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_yaml(imported, source.name, title, slug), encoding="utf-8")
    where = f"工作表“{imported.sheet}”" if imported.sheet else "表格"
    skipped = f"（跳过了没有表头的工作表：{'、'.join(imported.skipped_sheets)}）" if imported.skipped_sheets else ""
    print(f"从{where}第 {imported.header_row} 行读取表头{skipped}。")
    if title:
        print(f"清理名称：{title}；网址别名：{slug}。")
    if imported.inferred_issuers:
        print(
            f"表格没有发文机关列：{imported.inferred_issuers} 件的发文机关按文号代字推断（content/site.yml 的 issuers）。"
        )
    rows = len({p.line for p in imported.problems if p.code == "E603"})
    print(f"已导入 {len(imported.records)} 件文件，写入 {_shown(out)}。")
    if imported.stated_total is not None and imported.stated_total != len(imported.records):
        print(
            f"注意：合计行写明 {imported.stated_total} 件，表格中有 {len(imported.records)} 件；请核对（check 会报 E508）。"
        )
    if rows:
        print(f"其中 {rows} 行有问题（见上），已照原样写入，请在该文件中改正。")
    print("请补全文件开头的清理名称、清理决定和清理范围，然后运行 site-builder check 检查。")
    return 0


def add_import_parser(commands) -> None:
    command = commands.add_parser("import-cleanup", help="把 Excel（.xlsx）或 CSV 格式的清理目录导入为清理结果文件")
    command.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
    command.add_argument("-o", "--output", default=None, help="写入的文件（默认 content/cleanups/<网址别名>.yml）")
    command.add_argument("--title", default=None, help="清理名称（默认取表格上方的标题行），网址别名由它的拼音生成")
    command.add_argument("--slug", default=None, help="网址别名，例如 2021-jizhong-qingli（默认由清理名称生成）")
    command.add_argument("--force", action="store_true", help="覆盖已经存在的文件")
    command.add_argument("--content", default="content", help="内容目录（默认 content）")
    command.set_defaults(run=cmd_import)
