"""`site-builder`: the command staff and the maintainer run. Errors end here, in Chinese."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from site_builder.adapter import incremental, staff_text, staging
from site_builder.cli import report
from site_builder.cli.cleanups import add_import_parser, run_fix
from site_builder.core import dates, faults
from site_builder.core.loader import load_site
from site_builder.core.news.scaffold import new_article
from site_builder.core.problems import format_report

# Material's end-of-life banner and ProperDocs' switch banner mean nothing to staff;
# the pins in pyproject.toml and the README record the platform's status instead.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")


class _DirtyNotice(logging.Filter):
    """MkDocs warns about every --dirty build; ours is safe (each page is keyed), and under
    --strict that warning would abort the build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class _Printer(logging.Handler):
    """Print MkDocs warnings and errors as they come, in Chinese with a code (staff_text.py)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0
        self.docs_dir = Path("content")  # where MkDocs' "Doc file '…'" lives, once the configuration is read

    def emit(self, record: logging.LogRecord) -> None:
        self.count += record.levelno == logging.WARNING
        text = staff_text.render(record, self.docs_dir)
        if text is not None:
            print(text, file=sys.stderr)


def _mkdocs_logging(serving: bool = False) -> _Printer:
    """Our content warnings and MkDocs' own warnings and errors, printed as they come."""
    printer = _Printer()
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())
    for name in ("mkdocs", "site_builder"):
        logger = logging.getLogger(name)
        # our progress, their problems (and, while serving, their progress, worded for staff)
        logger.setLevel(logging.INFO if name == "site_builder" or serving else logging.WARNING)
        logger.propagate = False
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.addHandler(printer)
    return printer


def cmd_check(args: argparse.Namespace) -> int:
    faults.require_content(Path(args.content))
    if args.fix:
        run_fix(Path(args.content))  # cleanup files and articles, one summary
    site, found = load_site(Path(args.content), dates.build_now())
    if args.format != "human":  # for programs: the report alone on stdout, the rest on stderr
        print(report.render(found, args.format))
        if site is not None:
            print(f"检查通过：{len(site.articles)} 篇文章。", file=sys.stderr)
        return 0 if site is not None else 1
    if found:
        print(report.human(found), file=sys.stderr if site is None else sys.stdout)
    if site is None:
        return 1
    published = site.published()
    print(f"检查通过：{len(site.articles)} 篇文章，其中 {len(published)} 篇将发布。")
    if site.cleanups:
        records = sum(len(b.records) for b in site.cleanups)
        print(f"规范性文件清理结果：{len(site.cleanups)} 批，共 {records} 件。")
    return 0


def _write_stats() -> None:
    """Peak memory of this process and of the largest it started (Pagefind), for benchmarks/."""
    target = os.environ.get("SITE_BUILDER_STATS")
    if target:
        import resource  # Unix only: imported here so that site-builder starts on Windows

        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        Path(target).write_text(json.dumps({"self_peak_mb": own, "children_peak_mb": children}), encoding="utf-8")


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build

    from site_builder.adapter.project import load_config

    printer = _mkdocs_logging()
    start = time.monotonic()
    try:
        config = load_config(args.config, site_dir=args.site_dir, strict=True)
        printer.docs_dir = Path(config.docs_dir)
        # Rebuild only what changed when the previous build's state is there (incremental.py).
        state = incremental.state_path(Path(config.config_file_path).parent, Path(config.site_dir))
        dirty = not args.clean and state.is_file() and Path(config.site_dir).is_dir()
        faults.require_content(Path(config.docs_dir))
        with staging.staged(config) as stage:  # site/ changes only in stage.commit()
            config.plugins.on_startup(command="build", dirty=dirty)
            try:
                build(config, dirty=dirty)
            finally:
                config.plugins.on_shutdown()
            stage.commit(state, config.plugins["site-builder"].state)
    except BaseException as exc:
        return staging.report_failure(exc, args, locals().get("config"))
    _write_stats()
    done = config.plugins["site-builder"].summary
    print(
        f"构建完成：{done.pages} 个页面（本次生成 {done.rendered} 个），{done.feeds} 个订阅源，"
        f"{printer.count} 个警告，用时 {time.monotonic() - start:.1f} 秒，输出到 {config.site_dir}"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import Abort, ConfigurationError

    from site_builder.adapter.preview import serve

    _mkdocs_logging(serving=True)  # MkDocs' progress and problems in Chinese (staff_text.py)
    print(f"本地预览：http://{args.dev_addr}/ （草稿和定时发布的文章也会显示；按 Ctrl+C 结束）")
    try:
        serve(config_file=args.config, dev_addr=args.dev_addr)
    except ConfigurationError as exc:  # run outside the site folder (e.g. inside content/), or a bad mkdocs.yml
        fault = faults.outside_a_site(args.config)
        print(fault.format() if fault else staff_text.config_error(exc, args.config), file=sys.stderr)
        return 1
    except Abort:
        return 1
    return 0


def cmd_wechat(args: argparse.Namespace) -> int:
    """One article's 公众号 copy without building the site: Markdown read with mkdocs.yml's extensions."""
    from mkdocs.exceptions import Abort, ConfigurationError

    from site_builder.adapter import wechat_markdown
    from site_builder.adapter.project import load_config
    from site_builder.outputs.wechat import copy as wechat

    _mkdocs_logging()
    try:
        config = load_config(args.config)
    except (Abort, ConfigurationError) as exc:  # Abort: MkDocs has logged the problems (E807)
        if isinstance(exc, ConfigurationError):
            print(staff_text.config_error(exc, args.config), file=sys.stderr)
        return 1
    content = Path(config.docs_dir)
    site, found = load_site(content, dates.build_now())
    if found:
        print(format_report(found), file=sys.stderr if site is None else sys.stdout)
    if site is None:
        print("内容检查未通过，未生成公众号版本：请按上面的提示修改。", file=sys.stderr)
        return 1
    try:
        src = Path(args.path).resolve().relative_to(content.resolve()).as_posix()
    except ValueError:
        src = ""
    article = next((a for a in site.articles if a.src == src), None)
    if article is None:
        print(f"{args.path} 不是一篇文章：请写 {content.as_posix()}/news/ 下某篇文章的路径。", file=sys.stderr)
        return 1
    copy = wechat_markdown.make_copy(article, site, config.markdown_extensions, config.mdx_configs)
    out = Path(args.output) if args.output else Path(config.site_dir) / wechat.OUTPUT_DIR / copy.filename
    wechat.write_fragment(out, copy)
    print(f"已生成公众号版本：{out.as_posix()}")
    print(f"  标题：{copy.title}\n  作者：{copy.author}\n  摘要：{copy.summary}\n  原文链接：{copy.url}")
    if article.status(site.now) != "published":
        print("注意：这篇文章还没有发布（草稿或定时发布），原文链接和图片要等网站发布后才能打开。")
    for warning in copy.warnings:
        print(f"注意：{warning}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    faults.require_content(Path(args.content))
    try:
        path = new_article(Path(args.content), args.title, args.category, args.slug, dates.build_now())
    except ValueError as exc:
        print(f"无法新建文章：{exc}", file=sys.stderr)
        return 1
    print(f"已新建文章：{path.as_posix()}\n用编辑器打开它，写好正文后运行 site-builder check 检查。")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from site_builder.outputs import publish

    try:
        if args.rollback:
            return publish.main_rollback(args.dest)
        return publish.main_publish(Path(args.site), args.dest, args.keep)
    except publish.PublishError as exc:
        print(f"{'回滚' if args.rollback else '发布'}失败，线上网站没有改变：{exc}", file=sys.stderr)
        return 1
    except (faults.Fault, OSError) as exc:  # a bad site/, a full disk, releases/ being a file
        fault = exc if isinstance(exc, faults.Fault) else faults.from_os_error(exc)
        print(f"{'回滚' if args.rollback else '发布'}失败，线上网站没有改变。\n{fault.format()}", file=sys.stderr)
        return 1


CONFIG_HELP = "MkDocs 配置文件（默认：当前目录的 mkdocs.yml；没有时用本工具自带的配置）"


def parser() -> argparse.ArgumentParser:
    main = staff_text.Parser(prog="site-builder", description="市政府法制办网站生成工具")
    commands = main.add_subparsers(dest="command", required=True, metavar="命令")

    check = commands.add_parser("check", help="检查 content/ 中的所有内容，不生成网站")
    check.add_argument("--content", default="content", help="内容目录（默认 content）")
    check.add_argument(
        "--fix", action="store_true", help="先把清理结果和文章中不规范的文号改为〔2016〕12号的形式（其他内容不变）"
    )
    check.add_argument(
        "--format",
        choices=report.FORMATS,
        default="human",
        help="输出格式：human 按文件分组（默认）、json、github（GitHub Actions 注释）、gitlab（代码质量报告）",
    )
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="生成网站到 site/")
    build.add_argument("--config", default=None, help=CONFIG_HELP)
    build.add_argument("--site-dir", default=None, help="输出目录（默认 site）")
    build.add_argument("--clean", action="store_true", help="不沿用上次的结果，全部重新生成")
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="本地预览，修改后自动刷新")
    serve.add_argument("--config", default=None, help=CONFIG_HELP)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    serve.set_defaults(run=cmd_serve)

    new = commands.add_parser("new", help="新建一篇文章，自动填好日期和文件头")
    new.add_argument("title", help="文章标题")
    new.add_argument("--category", default=None, help="栏目（默认第一个栏目）")
    new.add_argument("--slug", default=None, help="网址别名（默认用标题拼音）")
    new.add_argument("--content", default="content")
    new.set_defaults(run=cmd_new)

    add_import_parser(commands)

    copy = commands.add_parser("wechat", help="生成一篇文章的公众号版本（HTML 片段），不生成整个网站")
    copy.add_argument("path", help="文章文件，例如 content/news/2021/tuijinhui.md")
    copy.add_argument("--config", default=None, help=CONFIG_HELP)
    copy.add_argument("-o", "--output", default=None, help="输出文件（默认 site/wechat/<slug>.html）")
    copy.set_defaults(run=cmd_wechat)

    pub = commands.add_parser("publish", help="把生成好的 site/ 发布到网站目录（本地目录或 用户@服务器:/路径），可回滚")
    pub.add_argument(
        "dest", help="发布目录，例如 /srv/fzb 或 deploy@web.example.gov.cn:/srv/fzb；网站根目录应指向其中的 current"
    )
    pub.add_argument("--site", default="site", help="已生成的网站目录（默认 site）")
    pub.add_argument("--rollback", action="store_true", help="不发布，把网站恢复到上一版本")
    pub.add_argument("--keep", type=int, default=5, help="保留的版本数，至少保留当前和上一版本（默认 5）")
    pub.set_defaults(run=cmd_publish)
    return main


def main(argv: list[str] | None = None) -> int:
    staff_text.console_safe()
    with staff_text.chinese_argparse():  # usage, help and errors in Chinese
        args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except faults.Fault as exc:  # the machine, not the content: a full disk, a missing folder, a busy port
        print(exc.format(), file=sys.stderr)
        return 1
    except OSError as exc:
        print(faults.from_os_error(exc).format(), file=sys.stderr)
        return 1
    except Exception:  # a bug of ours: staff get a sentence, the maintainer gets the log
        faults.report_internal_error()
        return 70


if __name__ == "__main__":
    sys.exit(main())
