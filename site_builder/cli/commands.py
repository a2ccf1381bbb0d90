"""`site-builder`: the command staff and the maintainer run. Errors end here, in Chinese."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from site_builder.adapter import run
from site_builder.cli import parser as parser_zh
from site_builder.cli import report
from site_builder.cli.cleanups import add_import_parser, run_fix
from site_builder.cli.index_fix import fix_index_numbers
from site_builder.core import dates, faults, wechat_settings
from site_builder.core.loader import load_site
from site_builder.core.model import PUBLISHED
from site_builder.core.news.scaffold import new_article
from site_builder.core.problems import format_report

# Where `site-builder wechat` writes the copy of an article older than the build's copies (beside content/).
OLDER_COPIES = "公众号版本"


def _say(text: str) -> None:
    """MkDocs' warnings and errors and our content warnings, as they come (adapter/mkdocs_log.py)."""
    print(text, file=sys.stderr)


def _tell(text: str) -> None:
    """What a staff member is told to do next (addresses to open), on standard output."""
    print(text, flush=True)


def _stopped(stopped: run.Stopped) -> int:
    if stopped.text:
        print(stopped.text, file=sys.stderr)
    return stopped.code


def cmd_check(args: argparse.Namespace) -> int:
    faults.require_content(Path(args.content))
    if args.fix:
        run_fix(Path(args.content))  # cleanup files and articles, one summary
        fix_index_numbers(Path(args.content), dates.build_now())  # 政府信息公开: 索引号 into the headers (W904)
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
    start = time.monotonic()
    try:
        done = run.build(args.config, args.site_dir, args.clean, _say)
    except run.Stopped as stopped:
        return _stopped(stopped)
    _write_stats()
    print(
        f"构建完成：{done.pages} 个页面（本次生成 {done.rendered} 个，沿用上次的 {done.pages - done.rendered} 个），"
        f"{done.feeds} 个订阅源，"
        f"{done.warnings} 个警告，用时 {time.monotonic() - start:.1f} 秒，输出到 {done.site_dir}"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    print(f"本地预览：http://{args.dev_addr}/ （草稿和定时发布的文章也会显示；按 Ctrl+C 结束）")
    try:
        run.serve(args.config, args.dev_addr, _say)
    except run.Stopped as stopped:
        return _stopped(stopped)
    return 0


def cmd_wechat(args: argparse.Namespace) -> int:
    """One article's 公众号 copy without building the site: Markdown read with mkdocs.yml's extensions."""
    from site_builder.adapter import wechat_markdown
    from site_builder.outputs.wechat import copy as wechat

    try:
        config = run.markdown(args.config, _say)
    except run.Stopped as stopped:
        return _stopped(stopped)
    content = config.docs_dir
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
    copy = wechat_markdown.make_copy(article, site, config.extensions, config.configs)
    copies_from = wechat_settings.copies_from(site.published(), site.settings.wechat.recent_days)
    if args.output:
        out = Path(args.output)
    elif wechat_settings.has_copy(article, copies_from):  # the same file the build writes
        out = config.site_dir / wechat.OUTPUT_DIR / copy.filename
    else:  # the build makes none: a file of its own in site/ would stop `site-builder publish`
        out = config.docs_dir.parent / OLDER_COPIES / copy.filename
    wechat.write_fragment(out, copy)
    wechat.write_metadata(out.with_suffix(".json"), copy, article)  # the 公众号 metadata, as the build writes it
    print(f"已生成公众号版本：{out.as_posix()}（元数据：{out.with_suffix('.json').as_posix()}）")
    print(f"  标题：{copy.title}\n  作者：{copy.author}\n  摘要：{copy.summary}\n  原文链接：{copy.url}")
    if article.status(site.now) != PUBLISHED:
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


def _published(dest: str, result) -> int:
    from site_builder.outputs.publish import CURRENT, RELEASES

    if result.unchanged:
        print(f"网站内容与 {dest} 正在使用的版本 {result.release} 完全相同，无需发布。")
        return 0
    print(
        f"发布完成：{dest}/{CURRENT} 现在指向 {RELEASES}/{result.release}"
        f"（上传 {result.copied} 个文件，{result.linked} 个未变的文件直接复用上一版本）。"
    )
    if result.warning:
        print(f"注意：{result.warning}", file=sys.stderr)
    if result.previous:
        print(f"上一版本 {result.previous} 已保留，如需恢复请运行：site-builder publish {dest} --rollback")
    return 0


def _rolled_back(dest: str, live: str, was: str) -> int:
    from site_builder.outputs.publish import CURRENT, RELEASES

    if was:
        print(
            f"已回滚：{dest}/{CURRENT} 现在指向 {RELEASES}/{live}（原版本 {was} 保留，再运行一次 --rollback 可改回）。"
        )
    else:
        print(f"已回滚：{dest}/{CURRENT} 现在指向 {RELEASES}/{live}（原来指向的版本已不存在）。")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from site_builder.outputs import publish

    try:
        if args.rollback:
            return _rolled_back(args.dest, *publish.rollback(args.dest))
        return _published(args.dest, publish.publish(Path(args.site), args.dest, args.keep))
    except publish.PublishError as exc:
        print(f"{'回滚' if args.rollback else '发布'}失败，线上网站没有改变：{exc}", file=sys.stderr)
        return 1
    except (faults.Fault, OSError) as exc:  # a bad site/, a full disk, releases/ being a file
        fault = exc if isinstance(exc, faults.Fault) else faults.from_os_error(exc)
        print(f"{'回滚' if args.rollback else '发布'}失败，线上网站没有改变。\n{fault.format()}", file=sys.stderr)
        return 1


CONFIG_HELP = "MkDocs 配置文件（默认：当前目录的 mkdocs.yml；没有时用本工具自带的配置）"


def cmd_cms(args: argparse.Namespace) -> int:
    from site_builder.adapter import cms

    try:
        return cms.run(args.config, args.dev_addr, args.proxy_port, _say, _tell)
    except run.Stopped as stopped:
        return _stopped(stopped)


def parser() -> argparse.ArgumentParser:
    main = parser_zh.Parser(prog="site-builder", description="市政府法制办网站生成工具")
    commands = main.add_subparsers(dest="command", required=True, metavar="命令")

    check = commands.add_parser("check", help="检查 content/ 中的所有内容，不生成网站")
    check.add_argument("--content", default="content", help="内容目录（默认 content）")
    check.add_argument(
        "--fix",
        action="store_true",
        help="先把清理结果和文章中不规范的文号改为〔2016〕12号的形式，并把网站上显示的索引号写进没写索引号的公开文章（其他内容不变）",
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
    build.set_defaults(run=cmd_build, ends_at_once=True)

    serve = commands.add_parser("serve", help="本地预览，修改后自动刷新")
    serve.add_argument("--config", default=None, help=CONFIG_HELP)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    serve.set_defaults(run=cmd_serve)

    cms = commands.add_parser("cms", help="在本机用网页编辑文章（同时打开预览），直接修改 content/ 中的文件")
    cms.add_argument("--config", default=None, help=CONFIG_HELP)
    cms.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览和网页编辑的地址（默认 127.0.0.1:8000）")
    cms.add_argument("--proxy-port", type=int, default=8081, help="网页编辑本地服务的端口（默认 8081）")
    cms.set_defaults(run=cmd_cms)

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
    copy.add_argument(
        "-o",
        "--output",
        default=None,
        help="输出文件（默认 site/wechat/<slug>.html；网站不为其生成公众号版本的较早文章默认 公众号版本/<slug>.html），元数据写到同名的 .json 文件",
    )
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
    return _run(_parse(argv))


def program() -> NoReturn:
    """The installed `site-builder` and `python -m site_builder.cli`: :func:`main` in a process of its own.

    A build ends its process as soon as its output is flushed: Python's own teardown would free
    every object the build made one by one (the loaded content, the plan, the content cache), about
    a fifth of the CPU of a build after a merge, and nothing is left for it to do (every file is
    written and closed, every process the build started has ended). Other commands end as usual."""
    args = _parse(None)
    code = _run(args)
    if getattr(args, "ends_at_once", False):
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser_zh.console_safe()
    with parser_zh.chinese_argparse():  # usage, help and errors in Chinese
        return parser().parse_args(argv)


def _run(args: argparse.Namespace) -> int:
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
        print(faults.internal_error(), file=sys.stderr)
        return 70


if __name__ == "__main__":
    program()
