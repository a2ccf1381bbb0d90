"""Property: whenever the strict build fails, `check` has already failed on the same file.

Sample articles are mutated as offices change them — files renamed (spaces, case,
full-width characters), links and images rewritten in every syntax the Markdown
reader takes, headers changed (draft, a date in the future, cover and attachments) —
then checked as `site-builder check` does and built as `site-builder build` does
(strict MkDocs, in this process for speed).
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import tempfile
import urllib.parse
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from site_builder.core import dates
from site_builder.core.loader import load_site
from tests.conftest import FIXED_EPOCH, SAMPLE_CONTENT, write_config

NOW = dates.build_now  # the build's "now" (SOURCE_DATE_EPOCH), used by check too
SAMPLES = ["news/2020/zhifa-renyuan-peixun-2020.md", "news/2020/fazhi-tuijinhui-2020.md"]
FILES = {  # file in the test site -> where its bytes come from
    "images/photos/zhifa-peixun.png": "images/photos/zhifa-peixun.png",
    "images/photos/tuijinhui-huichang.png": "images/photos/tuijinhui-huichang.png",
    "images/covers/tuijinhui.png": "images/covers/tuijinhui.png",
    "images/两法衔接 平台培训.JPG": "images/covers/tuijinhui.png",
    "files/2021/附件 二.pdf": "files/2021/zonghe-zhifa-banfa.pdf",
    "files/2020/Zeren-Fenjiebiao.PDF": "files/2020/zeren-fenjiebiao-2020.pdf",
}
ARTICLES = ["news/2020/zhifa-renyuan-peixun-2020.md", "news/2020/fazhi-tuijinhui-2020.md", "news/2021/zeren.md"]
EDITED = "news/2020/zhifa-renyuan-peixun-2020.md"  # the article whose body and header are mutated


def _transforms() -> dict[str, callable]:
    def swapcase_last(path: str) -> str:
        head, _, name = path.rpartition("/")
        return f"{head}/{name.swapcase()}" if head else name.swapcase()

    return {
        "as is": lambda p: p,
        "case": swapcase_last,
        "full-width space": lambda p: p.replace(" ", "\u3000"),
        "no space": lambda p: p.replace(" ", ""),
        "space": lambda p: p.replace("-", " ", 1),
        "%-escaped": lambda p: urllib.parse.quote(p),
        "%20 only": lambda p: p.replace(" ", "%20"),
        "no extension": lambda p: p.rsplit(".", 1)[0],
        "as URL": lambda p: p.rsplit(".", 1)[0] + "/",
        "full-width letters": lambda p: p.replace("a", "ａ", 1),
        "nonexistent": lambda p: p.replace(".", "-x.", 1),
    }


TRANSFORMS = _transforms()


def _relative(target: str) -> str:
    """From news/2020/, as the edited article's links are written."""
    return str(Path("../..", target)) if not target.startswith("news/2020/") else target.rsplit("/", 1)[1]


def _forms(target: str) -> dict[str, str]:
    slug = Path(target).stem
    return {
        "relative": _relative(target),
        "site path": "/" + target,
        "article URL": f"/articles/{slug}/",
        "own https URL": f"https://fzb.binjiang.gov.cn/articles/{slug}/",
        "relative URL": f"../../articles/{slug}/",
    }


SYNTAX = {
    "link": "[链接文字]({url})",
    "image": "![图片说明]({url})",
    "angle": "[链接文字](<{url}>)",
    "title": '[链接文字]({url} "标题")',
    "reference": "[链接文字][r1]\n\n[r1]: {url}",
    "html a": '<a href="{url}">链接文字</a>',
    "html img": '<img src="{url}" alt="图片说明">',
}

LINK = st.tuples(
    st.sampled_from(sorted(FILES) + ARTICLES + ["news/2021/caogao.md", "news/2031/dingshi.md"]),
    st.sampled_from(sorted(TRANSFORMS)),
    st.sampled_from(["relative", "relative", "site path", "article URL", "own https URL", "relative URL"]),
    st.sampled_from(sorted(SYNTAX)),
)
ANCHOR = st.sampled_from(["", "", "#培训内容", "#通报前期工作", "#meiyou", "#fn:1", "#fnref:1", "#培训内容_1"])
EXTRA = st.sampled_from(["", "脚注[^1]。\n\n[^1]: 说明。", "## 培训内容\n\n再说一次。", "## 附件 {#fj}\n\n[附件](#fj)"])
HEADER = st.sampled_from(
    [
        "",
        "draft: true\n",
        "date: 2031-01-01 09:00\n",
        "cover: {file}\n",
        "attachments:\n  - file: {file}\n    title: 附件\n",
    ]
)
RENAME = st.sampled_from([None, *sorted(FILES)])

_ROOT = Path(tempfile.mkdtemp(prefix="sb-parity-"))  # made at import by every worker that collects the module
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)


def _site() -> tuple[Path, Path]:
    project = _ROOT / "project"
    if project.exists():
        shutil.rmtree(project)
    content = project / "content"
    (content / "news/2021").mkdir(parents=True)
    (content / "news/2031").mkdir(parents=True)
    settings_text = (SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8")
    settings_text = re.sub(r"\nchecks:[^\n]*\n", "\\g<0>  W730: off\n  W731: off\n", settings_text)
    (content / "site.yml").write_text(settings_text, encoding="utf-8")
    for src in SAMPLES:
        (content / src).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE_CONTENT / src, content / src)
    # the sample links 责任分解表 to an article this small site does not have: give it one
    header = "---\ntitle: {t}\ndate: {d}\ncategory: 工作动态\nsource: 滨江市人民政府法制办公室\n{x}---\n\n正文。\n"
    (content / "news/2020/zeren-fenjiebiao-2020.md").write_text(
        header.format(t="责任分解表", d="2020-03-01 09:00", x=""), encoding="utf-8"
    )
    (content / "news/2021/zeren.md").write_text(header.format(t="责任", d="2021-01-01", x=""), encoding="utf-8")
    (content / "news/2021/caogao.md").write_text(header.format(t="草稿", d="2021-01-02", x="draft: true\n"), "utf-8")
    (content / "news/2031/dingshi.md").write_text(header.format(t="定时", d="2031-01-01", x=""), encoding="utf-8")
    for name, origin in FILES.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE_CONTENT / origin, content / name)
    config = write_config(project, content, project / "site", search=False)
    return content, config


def _build(config: Path) -> tuple[bool, str]:
    """The strict build, as `site-builder build` runs it; what it said."""
    said: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                said.append(record.getMessage())

    handler = Collect()
    loggers = [logging.getLogger(name) for name in ("mkdocs", "site_builder")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        cfg = load_config(config_file=str(config), strict=True)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
            return True, "\n".join(said)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, MkDocsException) as exc:
        return False, "\n".join([*said, str(exc)])
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _files_named(text: str) -> set[str]:
    """content-relative files a build's messages blame."""
    named = {m for m in re.findall(r"content/([^\s:：]+?\.(?:md|yml)):\d", text)}
    named |= set(re.findall(r"Doc file '([^']+)'", text))
    return named


def test_the_unmutated_site_passes_both():
    content, config = _site()
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        site, found = load_site(content, NOW())
        assert site is not None, [p.format() for p in found]
        built, said = _build(config)
        assert built, said
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.lists(st.tuples(LINK, ANCHOR), min_size=1, max_size=3), HEADER, st.sampled_from(sorted(FILES)), RENAME, EXTRA)
def test_build_fails_only_where_check_failed(links, header, header_file, rename, extra):
    content, config = _site()
    if rename:  # a file renamed by hand (another case): links written for the old name break
        (content / rename).rename(content / TRANSFORMS["case"](rename))
    body = [extra]
    for (target, transform, form, syntax), anchor in links:
        url = (
            _forms(TRANSFORMS[transform](target))[form]
            if form != "relative"
            else _relative(TRANSFORMS[transform](target))
        )
        body.append(SYNTAX[syntax].format(url=url + (anchor if "img" not in syntax and syntax != "image" else "")))
    path = content / EDITED
    text = path.read_text(encoding="utf-8")
    text = text.replace("\n---\n", "\n" + header.format(file=header_file) + "---\n", 1)
    path.write_text(text + "\n" + "\n\n".join(body) + "\n", encoding="utf-8")

    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH  # the build's "now"; check is given the same
    site, found = load_site(content, NOW())
    checked = {p.path.split("content/", 1)[-1] for p in found if p.is_error}
    try:
        built, said = _build(config)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    if not built:
        assert site is None, f"build failed, check passed:\n{said}"
        blamed = _files_named(said)
        assert blamed, said
        assert blamed <= checked, f"build blamed {blamed}, check {checked}:\n{said}"
    # and the converse holds by construction: the build runs the same checks first
    if site is None:
        assert not built
