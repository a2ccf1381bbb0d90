"""`site-builder`: the command staff and the maintainer run. Errors end here, in Chinese."""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
import traceback
from pathlib import Path

from site_builder import dates
from site_builder.loader import load_site
from site_builder.problems import format_report
from site_builder.scaffold import new_article

# Material's end-of-life banner and ProperDocs' switch banner mean nothing to staff;
# the pins in pyproject.toml and the README record the platform's status instead.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")


class _Printer(logging.Handler):
    """Print MkDocs warnings and errors as they come, without MkDocs' English chatter."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += record.levelno == logging.WARNING
        prefix = "" if record.name.startswith("mkdocs.plugins.site_builder") else "MkDocs："
        print(prefix + record.getMessage(), file=sys.stderr)


def _mkdocs_logging() -> _Printer:
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    printer = _Printer()
    logger.addHandler(printer)
    return printer


def cmd_check(args: argparse.Namespace) -> int:
    site, found = load_site(Path(args.content), dates.build_now())
    if found:
        print(format_report(found), file=sys.stderr if site is None else sys.stdout)
    if site is None:
        return 1
    published = site.published()
    print(f"检查通过：{len(site.articles)} 篇文章，其中 {len(published)} 篇将发布。")
    return 0


def _write_stats() -> None:
    """Peak memory of this process and of the largest it started (Pagefind), for benchmarks/."""
    target = os.environ.get("SITE_BUILDER_STATS")
    if target:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        Path(target).write_text(json.dumps({"self_peak_mb": own, "children_peak_mb": children}), encoding="utf-8")


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    printer = _mkdocs_logging()
    start = time.monotonic()
    try:
        config = load_config(config_file=args.config, site_dir=args.site_dir, strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        if isinstance(exc, ConfigurationError):
            print(f"配置错误（{args.config}）：{exc}", file=sys.stderr)
        print("构建失败：请按上面的提示修改后重新运行 site-builder build。", file=sys.stderr)
        return 1
    _write_stats()
    pages = sum(1 for _ in Path(config.site_dir).rglob("index.html"))
    print(
        f"构建完成：{pages} 个页面，{printer.count} 个警告，用时 {time.monotonic() - start:.1f} 秒，输出到 {config.site_dir}"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(f"本地预览：http://{args.dev_addr}/ （草稿和定时发布的文章也会显示；按 Ctrl+C 结束）")
    try:
        serve(config_file=args.config, dev_addr=args.dev_addr, livereload=True, strict=False)
    except Abort:
        return 1
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    try:
        path = new_article(Path(args.content), args.title, args.category, args.slug, dates.build_now())
    except ValueError as exc:
        print(f"无法新建文章：{exc}", file=sys.stderr)
        return 1
    print(f"已新建文章：{path.as_posix()}\n用编辑器打开它，写好正文后运行 site-builder check 检查。")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="site-builder", description="市政府法制办网站生成工具")
    commands = main.add_subparsers(dest="command", required=True, metavar="命令")

    check = commands.add_parser("check", help="检查 content/ 中的所有内容，不生成网站")
    check.add_argument("--content", default="content", help="内容目录（默认 content）")
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="生成网站到 site/")
    build.add_argument("--config", default="mkdocs.yml", help="MkDocs 配置文件（默认 mkdocs.yml）")
    build.add_argument("--site-dir", default=None, help="输出目录（默认 site）")
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="本地预览，修改后自动刷新")
    serve.add_argument("--config", default="mkdocs.yml")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    serve.set_defaults(run=cmd_serve)

    new = commands.add_parser("new", help="新建一篇文章，自动填好日期和文件头")
    new.add_argument("title", help="文章标题")
    new.add_argument("--category", default=None, help="栏目（默认第一个栏目）")
    new.add_argument("--slug", default=None, help="网址别名（默认用标题拼音）")
    new.add_argument("--content", default="content")
    new.set_defaults(run=cmd_new)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug of ours: staff get a sentence, the maintainer gets the log
        log_file = Path("site-builder-error.log").resolve()
        log_file.write_text(traceback.format_exc(), encoding="utf-8")
        print(
            f"site-builder 内部出错，这不是您的内容的问题。请把 {log_file} 发给网站维护人员。",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
