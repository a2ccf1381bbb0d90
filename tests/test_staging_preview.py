"""`site-builder serve` shows content errors in the page staff are looking at, and recovers by itself.

A real serve process over real HTTP; the browser's own reload is tested with headless
Chromium in tests/browser/test_preview_errors_browser.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_config
from tests.test_build import write_article

FULL_WIDTH = "author：李华\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(
    project: Path, log: Path, env: dict[str, str] | None = None, stop=None, theme: Path | None = None
) -> Iterator[str]:
    """A real `site-builder serve` of the project; yields its base URL. Stopped with SIGTERM, or ``stop``;
    ``theme``: the office's own theme folder (custom_dir)."""
    config = write_config(project, project / "content", project / "site", search=False)
    if theme is not None:
        marker = "  name: material\n"
        config.write_text(
            config.read_text(encoding="utf-8").replace(marker, f"{marker}  custom_dir: {theme.as_posix()}\n")
        )
    port = free_port()
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "site_builder.cli",
                "serve",
                "--config",
                str(config),
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )
        try:
            yield f"http://127.0.0.1:{port}/"
            assert server.poll() is None, log.read_text(encoding="utf-8")  # never stopped by an error
        finally:
            server.send_signal(stop or signal.SIGTERM)
            server.wait(timeout=30)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, *texts: str, log: Path, limit: float = 120) -> str:
    deadline = time.monotonic() + limit
    while True:
        page = fetch(url)
        if all(text in page for text in texts):
            return page
        assert time.monotonic() < deadline, f"{texts} not shown at {url}:\n{log.read_text(encoding='utf-8')}"
        time.sleep(0.1)


def break_header(path: Path) -> int:
    """Save the header with a full-width colon, as staff type it; returns its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("source:"))
    lines.insert(at, FULL_WIDTH)
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


def test_a_content_error_replaces_the_page_and_a_fix_brings_it_back(project: Path, tmp_path: Path):
    article = write_article(project, "yulan", title="预览中的文章")
    log = tmp_path / "serve.log"
    with serving(project, log) as base:
        url = base + "articles/yulan/"
        wait_for(url, "预览中的文章", log=log)
        line = break_header(article)
        page = wait_for(url, "E204", log=log)
        assert f"content/news/yulan.md:{line}" in page and "全角冒号" in page and "修改方法：" in page
        assert "author：李华" in page
        assert "E204" in fetch(base) and "E204" in fetch(base + "news/")  # every page, not only this one
        assert fetch(base + "assets/sb/site.css")  # the page's own files are still served
        article.write_text(article.read_text(encoding="utf-8").replace(FULL_WIDTH, ""), encoding="utf-8")
        page = wait_for(url, "预览中的文章", log=log)
        assert "E204" not in page
    output = log.read_text(encoding="utf-8")
    assert "E204" in output  # the terminal says it too
    for english in ("Aborted with a BuildError", "appear stuck", "Traceback"):
        assert english not in output, output


def test_a_preview_started_on_broken_content_shows_the_error_then_the_site(project: Path, tmp_path: Path):
    article = write_article(project, "yulan", title="预览中的文章")
    break_header(article)
    log = tmp_path / "serve.log"
    with serving(project, log) as base:
        wait_for(base, "E204", "content/news/yulan.md", log=log)
        article.write_text(article.read_text(encoding="utf-8").replace(FULL_WIDTH, ""), encoding="utf-8")
        wait_for(base + "articles/yulan/", "预览中的文章", log=log)


def test_a_busy_port_names_dev_addr_instead_of_an_internal_error(project: Path):
    write_article(project, "yulan")
    config = write_config(project, project / "content", project / "site")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "site_builder.cli",
                "serve",
                "--config",
                str(config),
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert "E837" in result.stderr and f"127.0.0.1:{port}" in result.stderr and "--dev-addr" in result.stderr
    assert "内部出错" not in result.stderr and "Traceback" not in result.stderr
    assert "正在生成预览" not in result.stdout + result.stderr  # said at once, before building


def test_a_failure_without_content_problems_is_still_explained():
    """A build that stops for another reason (here MkDocs') shows that reason on the error page, coded."""
    from site_builder.adapter.preview_errors import problem_page

    html = problem_page([], RuntimeError("主题模板 main.html 无法读取")).decode()
    assert "E844" in html and "主题模板 main.html 无法读取" in html and "修改方法" in html


def test_a_new_title_is_shown_on_the_article_its_list_and_the_home_page(project: Path, tmp_path: Path):
    """A preview edit re-renders only what it changes: the pages that list the article change too."""
    article = write_article(project, "yulan", title="预览中的旧标题", date="2021-05-09 09:30")
    write_article(project, "other", title="另一篇文章")
    log = tmp_path / "serve.log"
    with serving(project, log) as base:
        pages = [base + "articles/yulan/", base + "news/gongzuo-dongtai/", base]
        for url in pages:
            wait_for(url, "预览中的旧标题", log=log)
        article.write_text(
            article.read_text(encoding="utf-8").replace("预览中的旧标题", "预览中的新标题"), encoding="utf-8"
        )
        for url in pages:
            page = wait_for(url, "预览中的新标题", log=log)
            assert "预览中的旧标题" not in page, url
        assert "另一篇文章" in fetch(base + "news/gongzuo-dongtai/")  # the list still has the others


def test_an_added_tag_lists_the_article_on_the_tag_page(project: Path, tmp_path: Path):
    write_article(project, "other", title="已有标签的文章", extra="tags: [依法行政]\n")
    article = write_article(project, "yulan", title="预览中的文章", date="2021-05-09 09:30")
    log = tmp_path / "serve.log"
    with serving(project, log) as base:
        tag_page = base + "tags/yi-fa-xing-zheng/"
        assert "articles/yulan/" not in wait_for(tag_page, "已有标签的文章", log=log)
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("slug: yulan\n", "slug: yulan\ntags: [依法行政]\n"), encoding="utf-8")
        page = wait_for(tag_page, "预览中的文章", log=log)
        assert "articles/yulan/" in page and "已有标签的文章" in page
        assert "tags/yi-fa-xing-zheng/" in wait_for(base + "articles/yulan/", "依法行政", log=log)


def test_a_tag_added_moves_every_later_page_of_the_tag_list(project: Path, tmp_path: Path):
    """The later pages of a list are written just after the edit's other pages are shown
    (SiteBuild.render_later): each must still come to list what a clean build lists there."""
    settings = project / "content" / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("page_size: 15", "page_size: 2"), encoding="utf-8")
    for n in range(1, 5):  # 旧文一 newest … 旧文四 oldest: pages 1, 1, 2, 2
        write_article(
            project,
            f"old{n}",
            title=f"旧文{'一二三四'[n - 1]}",
            date=f"2021-05-0{6 - n} 09:30",
            extra="tags: [依法行政]\n",
        )
    article = write_article(project, "yulan", title="预览中的文章", date="2021-05-09 09:30")
    log = tmp_path / "serve.log"
    with serving(project, log) as base:
        tag = base + "tags/yi-fa-xing-zheng/"
        second = wait_for(tag + "page/2/", "旧文三", "旧文四", log=log)
        assert fetch(tag + "page/3/") == "" or "旧文" not in fetch(tag + "page/3/")
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("slug: yulan\n", "slug: yulan\ntags: [依法行政]\n"), encoding="utf-8")
        wait_for(tag, "预览中的文章", "旧文一", log=log)
        second = fetch(tag + "page/2/")  # asked as soon as the first page shows the edit: never the old one
        assert "旧文二" in second and "旧文三" in second and "旧文四" not in second
        assert "旧文四" in wait_for(tag + "page/3/", "旧文四", log=log)
        article.write_text(text, encoding="utf-8")  # the tag taken off again: every page moves back
        wait_for(tag + "page/2/", "旧文三", "旧文四", log=log)
        assert "预览中的文章" not in fetch(tag)


def test_a_changed_template_reaches_every_page_at_the_next_edit(project: Path, tmp_path: Path):
    """A generated page the edit leaves alone is kept as last written only under the same site-wide key
    (SiteBuild.files): a template of the office's theme folder, changed, is in every page after the next save."""
    theme = project / "theme"
    (theme / "partials").mkdir(parents=True)
    footer = theme / "partials" / "footer.html"
    footer.write_text("<footer>旧的页脚</footer>\n", encoding="utf-8")
    write_article(project, "other", title="已有标签的文章", extra="tags: [依法行政]\n")
    article = write_article(project, "yulan", title="预览中的文章", date="2021-05-09 09:30")
    log = tmp_path / "serve.log"
    with serving(project, log, theme=theme) as base:
        tag_page, archive = base + "tags/yi-fa-xing-zheng/", base + "archive/2021/"
        wait_for(tag_page, "旧的页脚", log=log)
        wait_for(archive, "旧的页脚", log=log)
        footer.write_text("<footer>新的页脚</footer>\n", encoding="utf-8")
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("正文", "修改后的正文", 1), encoding="utf-8")
        wait_for(base + "articles/yulan/", "修改后的正文", "新的页脚", log=log)
        assert "新的页脚" in fetch(tag_page) and "新的页脚" in fetch(archive)


def test_edits_one_after_another_and_an_article_added_then_deleted_are_each_shown(project: Path, tmp_path: Path):
    """After its first edit the preview looks only at the files its watcher reported (core/memo.py):
    every later save, new file and deletion must still reach the pages."""
    article = write_article(project, "yulan", title="预览中的文章", date="2021-05-09 09:30")
    log = tmp_path / "serve.log"
    with serving(project, log) as base:
        page, column = base + "articles/yulan/", base + "news/gongzuo-dongtai/"
        wait_for(page, "正文第一段", log=log)
        for n in range(3):  # the same file saved again and again
            text = article.read_text(encoding="utf-8")
            article.write_text(text.replace("正文", f"第{n}次修改的正文", 1), encoding="utf-8")
            wait_for(page, f"第{n}次修改的正文", log=log)
        added = write_article(project, "xinzeng", title="预览中新增的文章", date="2021-05-10 09:30")
        wait_for(column, "预览中新增的文章", log=log)
        wait_for(base + "articles/xinzeng/", "预览中新增的文章", log=log)
        added.unlink()
        deadline = time.monotonic() + 60
        while "预览中新增的文章" in fetch(column):
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("第2次修改的正文", "删除之后再改的正文"), encoding="utf-8")
        wait_for(page, "删除之后再改的正文", log=log)


def test_a_link_added_to_an_unchanged_article_opens_it(project: Path, tmp_path: Path):
    """An edit hands MkDocs only the pages it renders (internals.ShownFiles); a link the edit adds
    to an article it does not render must still become that article's address, with no warning."""
    write_article(project, "mubiao", title="被链接的文章")
    article = write_article(project, "yulan", title="预览中的文章", date="2021-05-09 09:30")
    log = tmp_path / "serve.log"
    with serving(project, log) as base:
        page = base + "articles/yulan/"
        wait_for(page, "正文第一段", log=log)
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("正文第一段。", "正文第一段，参见[另一篇文章](mubiao.md)。"), encoding="utf-8")
        shown = wait_for(page, "另一篇文章", log=log)
        assert 'href="../mubiao/"' in shown
        assert "E333" not in log.read_text(encoding="utf-8")
        assert "被链接的文章" in fetch(base + "articles/mubiao/")


def test_the_preview_collects_what_an_edit_left_once_its_pages_are_served():
    """Python's automatic collection is off after the first build (its passes cost up to a second
    an edit at 20,000 articles). What each build leaves is collected right after its pages are
    served, so a long preview session does not grow."""
    import gc
    import weakref

    from site_builder.adapter.preview import Later

    class Node:
        pass

    def leave_a_cycle() -> weakref.ref:
        a, b = Node(), Node()
        a.other, b.other = b, a
        return weakref.ref(a)

    enabled = gc.isenabled()
    later = Later()
    try:
        first = leave_a_cycle()
        later.start(None, None)  # the first build's pages are served
        later.wait()
        assert first() is None
        assert not gc.isenabled(), "edits would be built with the collector's passes"
        during = leave_a_cycle()
        for _ in range(2000):  # what an edit's build allocates: no automatic pass collects it
            leave_a_cycle()
        assert during() is not None
        later.start(None, None)
        later.wait()
        assert during() is None
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
def test_a_preview_stopped_by_kill_or_a_closed_window_removes_its_temporary_site(
    project: Path, tmp_path: Path, stop: str
):
    """The preview writes a whole site to the temporary folder; it is removed however the preview ends."""
    write_article(project, "yulan", title="预览中的文章")
    temp = tmp_path / "temp"
    temp.mkdir()
    log = tmp_path / "serve.log"
    with serving(project, log, env={"TMPDIR": str(temp)}, stop=getattr(signal, stop)) as base:
        wait_for(base + "articles/yulan/", "预览中的文章", log=log)
        assert [p.name for p in temp.iterdir() if (p / "index.html").is_file()], "the preview's site is in TMPDIR"
    assert list(temp.iterdir()) == [], log.read_text(encoding="utf-8")
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_a_page_still_being_written_after_an_edit_is_answered_once_written(tmp_path: Path):
    """PreviewServer.hold: a list's later page requested between the edit being shown and the page
    being written (render_later) is answered with the new page, never the old one."""
    from site_builder.adapter.preview_errors import PreviewServer

    root = tmp_path / "site"
    (root / "tags" / "page" / "2").mkdir(parents=True)
    held = root / "tags" / "page" / "2" / "index.html"
    held.write_text("<html><body>旧的第二页</body></html>", encoding="utf-8")
    (root / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    server = PreviewServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(root))

    def ask(path: str) -> str:
        answer = server._serve_request({"PATH_INFO": path}, lambda *_: None)
        return b"".join(answer).decode("utf-8")

    def asked_meanwhile() -> tuple[threading.Thread, list[str]]:
        answers: list[str] = []
        waiting = threading.Thread(target=lambda: answers.append(ask("/tags/page/2/")))
        waiting.start()
        waiting.join(0.3)
        assert not answers, "answered before the page was written"
        return waiting, answers

    def written_and_released(waiting: threading.Thread, answers: list[str], text: str) -> None:
        held.write_text(f"<html><body>{text}</body></html>", encoding="utf-8")
        server.release()
        waiting.join(5)
        assert answers and text in answers[0]

    server.hold(frozenset({"tags/page/2/index.html"}))
    assert "首页" in ask("/")  # other pages are answered at once
    written_and_released(*asked_meanwhile(), "新的第二页")

    # Asked while the next edit is being built: held as well once that build holds the page.
    server._wanted_epoch = server._visible_epoch + 1  # a rebuild runs (as MkDocs' build loop marks it)
    waiting, answers = asked_meanwhile()
    server.hold(frozenset({"tags/page/2/index.html"}))  # the rebuild's pages are shown: later ones held
    with server._epoch_cond:
        server._visible_epoch = server._wanted_epoch
        server._epoch_cond.notify_all()
    waiting.join(0.3)
    assert not answers, "answered before the page was written"
    written_and_released(waiting, answers, "再次修改的第二页")
    server.server_close()
