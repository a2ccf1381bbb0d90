"""A failed, interrupted or killed build leaves the previous site/ byte for byte (staging.py).

Failures are injected at every stage of a real build (content checks, MkDocs, Pagefind,
feeds, WeChat copies, sitemap, build.json, the swap itself); kills land at random moments
of real `site-builder build` processes. After each, site/ is exactly what it was, and the
next build is still incremental and equals a clean build.
"""

from __future__ import annotations

import errno
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.adapter import staging
from site_builder.cli import commands as cli
from site_builder.outputs import publish
from site_builder.outputs.search import index as search
from tests.conftest import FIXED_EPOCH, build_project, run_cli, write_config
from tests.test_build import write_article
from tests.test_scale import same_site


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def built(project: Path) -> Path:
    """A project with a good site/ (search on) and its incremental record."""
    write_article(project, "yi", title="第一篇")
    write_article(project, "er", title="第二篇", date="2021-06-01 09:00")
    result = build_project(project, search=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_a_strict_build_failing_inside_mkdocs_leaves_the_previous_site(built: Path):
    """MkDocs' own strict failure (a link it cannot resolve) used to leave a complete new site/ with build.json."""
    site = built / "site"
    before = snapshot(site)
    write_article(built, "san", title="第三篇", body="见附件：[附件](附件 二.pdf)")
    result = build_project(built, search=True)
    assert result.returncode == 1
    assert "E830" in result.stderr and f"{site.as_posix()} 中原有的网站没有改变" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(site) == before
    assert not (site / "articles/san").exists()
    assert leftovers(built) == []


class Injected(Exception):
    pass


def _raise(exc: BaseException):
    def fail(*args, **kwargs):
        raise exc

    return fail


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "site/feeds/rss.xml")


def _read_only(*args, **kwargs):
    raise PermissionError(errno.EROFS, "Read-only file system", "site/sitemap.xml.gz")


# (stage, what to patch, replacement, exit code, the code that names the cause)
STAGES = [
    ("MkDocs renders a page", "mkdocs.commands.build._build_page", _raise(Injected("render")), 70, None),
    ("a page written, disk full", "mkdocs.utils.write_file", _no_space, 1, "E833"),  # written by a thread
    (
        "Pagefind",
        "site_builder.outputs.search.index.BackgroundIndex.finish",
        _raise(search.SearchError("搜索索引出错")),
        1,
        None,
    ),
    ("feeds, disk full", "site_builder.outputs.feeds.write.write_feeds", _no_space, 1, "E833"),
    ("WeChat copies", "site_builder.outputs.wechat.copy.write_copies", _raise(Injected("wechat")), 70, None),
    ("sitemap, read-only", "site_builder.outputs.sitemap.make_reproducible", _read_only, 1, "E834"),
    ("build.json", "site_builder.outputs.manifest.write_manifest", _raise(Injected("manifest")), 70, None),
    ("stale files", "site_builder.adapter.incremental.remove_stale", _raise(Injected("stale")), 70, None),
    ("the swap", "site_builder.adapter.staging._exchange", _raise(OSError(errno.EIO, "I/O error", "site")), 1, "E838"),
    ("Ctrl+C", "site_builder.outputs.feeds.write.write_feeds", _raise(KeyboardInterrupt()), 130, "E831"),
]


def _build_in_process(project: Path, capsys, *extra: str) -> tuple[int, str]:
    config = write_config(project, project / "content", project / "site", search=True)
    code = cli.main(["build", "--config", str(config), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_failure_at_any_stage_leaves_the_previous_site(built: Path, monkeypatch, capsys, tmp_path: Path):
    """Each stage in turn fails on a build that would change site/; site/ and its record stay as they were."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.chdir(tmp_path)  # the internal-error log goes here
    site = built / "site"
    record = next((built / ".cache/site-builder").glob("state-*.json"))
    before, kept = snapshot(site), record.read_bytes()
    edit(built / "content/news/yi.md", "title: 第一篇", "title: 第一篇（更正）")
    write_article(built, "san", title="第三篇", date="2021-07-01 09:00")
    (built / "content/news/er.md").unlink()
    for name, target, replacement, code, cause in STAGES:
        with monkeypatch.context() as patch:
            patch.setattr(target, replacement)
            returned, output = _build_in_process(built, capsys)
        assert returned == code, f"{name}: {output}"
        assert ("E831" if code == 130 else "E830") in output, name
        assert f"{site.as_posix()} 中原有的网站没有改变" in output, name
        assert cause is None or cause in output, f"{name}: {output}"
        assert "Traceback" not in output, name
        assert snapshot(site) == before, f"{name}: site/ changed"
        assert record.read_bytes() == kept, f"{name}: the incremental record changed"
        assert leftovers(built) == [], name

    # The next build is still incremental, and equals a clean one.
    returned, output = _build_in_process(built, capsys)
    assert returned == 0, output
    total, rendered, reused = re.search(
        r"构建完成：(\d+) 个页面（本次生成 (\d+) 个，沿用上次的 (\d+) 个）", output
    ).groups()
    assert 0 < int(rendered) < int(total) and int(rendered) + int(reused) == int(total), output
    assert (site / "articles/san/index.html").is_file() and not (site / "articles/er").exists()
    clean = tmp_path / "clean"
    config = write_config(tmp_path, built / "content", clean, search=True)
    assert cli.main(["build", "--config", str(config)]) == 0, capsys.readouterr()
    assert same_site(site, clean) == []


def test_a_content_error_on_a_rebuild_leaves_the_previous_site(built: Path):
    site = built / "site"
    before = snapshot(site)
    edit(built / "content/news/yi.md", "source: ", "author：李华\nsource: ")
    result = build_project(built, search=True)
    assert result.returncode == 1 and "E204" in result.stdout + result.stderr and "E830" in result.stderr
    assert snapshot(site) == before and leftovers(built) == []


def test_a_build_killed_at_random_moments_leaves_the_previous_site(built: Path, tmp_path: Path):
    """kill -9 of the build and everything it started, at moments spread over a whole build."""
    site = built / "site"
    config = write_config(built, built / "content", site, search=True)
    command = [sys.executable, "-m", "site_builder.cli", "build", "--config", str(config)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    started = time.monotonic()
    edit(built / "content/news/yi.md", "title: 第一篇", "title: 第一篇 0")
    assert subprocess.run(command, env=env, capture_output=True, timeout=300).returncode == 0
    duration = time.monotonic() - started
    chance = random.Random(14)
    swapped = 0
    for attempt in range(1, 9):
        before = snapshot(site)
        edit(built / "content/news/yi.md", f"第一篇 {attempt - 1}", f"第一篇 {attempt}")
        write_article(built, f"new{attempt}", title=f"新文章{attempt}", date="2021-08-01 09:00")
        build = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        pause = chance.uniform(0.05, duration * 1.1)
        time.sleep(pause)
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
        now = snapshot(site)
        if now != before:  # killed after the swap (or finished): then it is the whole new site
            assert f"articles/new{attempt}/index.html" in now, f"attempt {attempt}: site/ changed, not new"
            assert publish.load_build(site)["complete"] is True  # every file as build.json lists it
            swapped += 1
            duration = min(duration, pause)  # builds now run faster than the first (a machine's load fell): aim earlier
    assert swapped < 8, "every kill came too late to test anything"
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert leftovers(built) == []
    assert (
        run_cli(
            "build", "--config", str(write_config(tmp_path, built / "content", tmp_path / "clean", search=True))
        ).returncode
        == 0
    )
    assert same_site(site, tmp_path / "clean") == []


def test_site_being_a_file_is_explained(project: Path):
    write_article(project, "yi")
    (project / "site").write_text("not a folder", encoding="utf-8")
    result = build_project(project)
    assert result.returncode == 1
    assert "E832" in result.stderr and f"{(project / 'site').as_posix()} 是一个文件" in result.stderr
    assert "--site-dir" in result.stderr and "内部出错" not in result.stderr
    assert (project / "site").read_text(encoding="utf-8") == "not a folder"


def test_an_unreadable_source_date_epoch_is_explained(project: Path):
    write_article(project, "yi")
    for command in (
        ["check", "--content", str(project / "content")],
        ["build", "--config", str(write_config(project, project / "content", project / "site"))],
    ):
        result = run_cli(*command, epoch="明天")
        assert result.returncode == 1, result.stderr
        assert "E836" in result.stderr and "SOURCE_DATE_EPOCH" in result.stderr and "“明天”" in result.stderr
        assert "内部出错" not in result.stderr and "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_commands_run_inside_content_or_with_a_wrong_content_path_say_where_to_run(project: Path):
    result = run_cli("check", cwd=project / "content")
    assert result.returncode == 1
    assert "E835" in result.stderr and "请在含有 content/ 的网站目录中运行" in result.stderr
    assert "cd .." in result.stderr and "内部出错" not in result.stderr
    for command in (["build"], ["serve", "--dev-addr", "127.0.0.1:0"]):  # as staff would, inside content/
        result = run_cli(*command, cwd=project / "content")
        assert result.returncode == 1, command
        assert "E835" in result.stderr and "请在含有 content/ 的网站目录中运行" in result.stderr, result.stderr
        assert "内部出错" not in result.stderr
    result = run_cli("check", "--content", str(project / "内容"))
    assert result.returncode == 1 and "E835" in result.stderr and "内容" in result.stderr
    result = run_cli("new", "标题", "--content", str(project / "内容"))
    assert result.returncode == 1 and "E835" in result.stderr
    assert not (project / "内容").exists()


def test_when_the_error_log_cannot_be_written_the_details_go_to_stderr(tmp_path: Path, monkeypatch, capsys):
    (tmp_path / "site-builder-error.log").mkdir()  # the log can't be written there
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "cmd_check", _raise(Injected("a bug of ours")))
    assert cli.main(["check"]) == 70
    err = capsys.readouterr().err
    assert "E839" in err and "详细信息：" in err and "Injected: a bug of ours" in err
    assert "Traceback" not in err


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real small file system (tmpfs), for a full disk and a read-only one; needs root."""
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=6m", "tmpfs", str(point)):
        pytest.skip("mounting a small tmpfs needs root")
    yield point
    subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_full_disk_leaves_the_previous_site_and_says_so(project: Path, small_disk: Path):
    write_article(project, "yi", title="第一篇")
    site = small_disk / "site"
    config = write_config(project, project / "content", site, search=True)
    assert run_cli("build", "--config", str(config)).returncode == 0
    before = snapshot(site)
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler.write_bytes(b"x" * max(free - 64_000, 0))  # less room left than the rebuilt pages and index need
    write_article(project, "er", title="第二篇")
    result = run_cli("build", "--config", str(config))
    assert result.returncode == 1
    assert "E833" in result.stderr and "磁盘空间不足" in result.stderr and small_disk.as_posix() in result.stderr
    assert "E830" in result.stderr and "内部出错" not in result.stderr and "Traceback" not in result.stderr
    assert snapshot(site) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "site"]


def test_a_read_only_output_folder_leaves_the_site_and_says_so(project: Path, small_disk: Path):
    write_article(project, "yi", title="第一篇")
    site = small_disk / "site"
    config = write_config(project, project / "content", site)
    assert run_cli("build", "--config", str(config)).returncode == 0
    before = snapshot(site)
    assert _mount("-o", "remount,ro", str(small_disk))
    write_article(project, "er", title="第二篇")
    result = run_cli("build", "--config", str(config))
    assert result.returncode == 1
    assert "E834" in result.stderr and "只读" in result.stderr and small_disk.as_posix() in result.stderr
    assert "E830" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(site) == before


def test_a_read_only_content_folder_is_explained_by_new(project: Path, small_disk: Path):
    content = small_disk / "content"
    (content / "news").mkdir(parents=True)
    (content / "site.yml").write_bytes((project / "content/site.yml").read_bytes())
    assert _mount("-o", "remount,ro", str(small_disk))
    result = run_cli("new", "新文章", "--slug", "xin", "--content", str(content))
    assert result.returncode == 1
    assert "E834" in result.stderr and "只读" in result.stderr and "内部出错" not in result.stderr
    assert run_cli("check", "--content", str(content)).returncode == 0  # reading still works


def test_the_command_as_staff_run_it_builds_into_site(built: Path):
    """`site-builder build` in the project folder, default paths: no staging folder is left beside site/."""
    (built / "mkdocs.yml").write_text(
        (built / "mkdocs.yml").read_text(encoding="utf-8").replace(str(built / "site"), "site"), encoding="utf-8"
    )
    assert run_cli("build", cwd=built).returncode == 0  # mkdocs.yml changed: everything again
    result = run_cli("build", cwd=built)
    assert result.returncode == 0, result.stderr
    assert "本次生成 0 个" in result.stdout and leftovers(built) == []


def test_a_site_folder_that_is_a_mount_point_is_explained(project: Path, small_disk: Path):
    """A volume mounted at site/ can't be swapped as a whole: say so before building."""
    write_article(project, "yi", title="第一篇")
    (small_disk / "keep.txt").write_text("x", encoding="utf-8")
    result = run_cli("build", "--config", str(write_config(project, project / "content", small_disk)))
    assert result.returncode == 1
    assert "E845" in result.stderr and "挂载点" in result.stderr and "--site-dir" in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["keep.txt"]


def test_the_build_process_ends_with_its_output_said_and_its_files_written(built: Path):
    """`site-builder build` as its own process ends without Python's teardown (commands.program):
    what it prints still arrives through a pipe, its exit code is the build's, and the site, its
    build record and the content cache are complete, so the next build is incremental."""
    config = write_config(built, built / "content", built / "site", search=True)
    command = [sys.executable, "-m", "site_builder.cli", "build", "--config", str(config)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    edit(built / "content/news/yi.md", "title: 第一篇", "title: 第一篇（更正）")
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("构建完成：") and "本次生成 0 个" not in result.stdout
    assert publish.load_build(built / "site")["complete"] is True and leftovers(built) == []
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "本次生成 0 个" in again.stdout, again.stdout + again.stderr
    edit(built / "content/news/yi.md", "source: ", "author：李华\nsource: ")  # a content error
    failed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert failed.returncode == 1 and "E204" in failed.stdout + failed.stderr and "E830" in failed.stderr


def _previous_site(root: Path) -> Path:
    """A site/ as a rebuild finds it: pages, a search bundle, links to a file and to a folder."""
    site = root / "site"
    for name, text in {
        "index.html": "首页 旧",
        "a/index.html": "甲",
        "a/photo.png": "图",
        "b/index.html": "乙（本次删除）",
        "c": "一个文件，本次成了文件夹",
        "d/index.html": "一个文件夹，本次成了文件",
        "pagefind/delta/old.pf": "旧的增量索引",
        "pagefind/base/kept.pf": "基础索引",
        "build.json": "{}",
    }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "empty").mkdir()
    (site / "same.txt").symlink_to("a/photo.png")
    (site / "folder-link").symlink_to(root)
    return site


def _rebuild_into(stage: staging.Stage) -> set[str]:
    """What a rebuild writes in its staging folder, then what it keeps from site/."""
    for name, text in {
        "index.html": "首页 新",
        "a/new.html": "甲的新页",
        "new/index.html": "新文章",
        "c/index.html": "c 现在是文件夹",
        "d": "d 现在是文件",
        "pagefind/delta/new.pf": "新的增量索引",
    }.items():
        (stage.path / name).parent.mkdir(parents=True, exist_ok=True)
        (stage.path / name).write_text(text, encoding="utf-8")
    return stage.keep_unchanged(skip={"b/index.html", "build.json"}, replaced={"pagefind/delta/"})


def _tree(site: Path, previous: Path) -> dict[str, tuple]:
    """Every entry: a link's target, or a file's text and whether it is site/'s own file (not a copy)."""
    tree = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.is_symlink():
            tree[name] = ("link", os.readlink(path))
        elif path.is_file():
            old = previous / name
            tree[name] = (path.read_text(encoding="utf-8"), old.is_file() and os.path.samefile(path, old))
        else:
            tree[name] = ("folder",)
    return tree


@pytest.mark.parametrize(
    "linker", ["its own process", "its own process, no exchange", "a process that fails", "no process"]
)
def test_a_rebuild_keeps_what_it_did_not_write_and_nothing_it_dropped(tmp_path: Path, monkeypatch, linker):
    """The files a rebuild keeps are site/'s own (hard links), however they were linked: by the process
    started with the build (the usual way on Linux), or by the build itself when there is none."""
    site = _previous_site(tmp_path)
    before = snapshot(site)
    if linker == "a process that fails":
        monkeypatch.setattr(sys, "executable", "/bin/false")
    if linker.startswith("its own process"):  # the build links nothing itself: the process did it all
        monkeypatch.setattr(staging.hardlinks, "link_tree", None)
    if linker.endswith("no exchange"):  # macOS: no renameat2, the mirror is renamed into place
        monkeypatch.setattr(staging, "_exchange", lambda first, second: False)
    stage = staging.Stage(site, keep=linker != "no process")
    assert (stage.mirror is not None) == (linker != "no process")
    kept = _rebuild_into(stage)
    assert _tree(stage.path, site) == {
        "a": ("folder",),
        "a/index.html": ("甲", True),
        "a/new.html": ("甲的新页", False),
        "a/photo.png": ("图", True),
        "c": ("folder",),
        "c/index.html": ("c 现在是文件夹", False),
        "d": ("d 现在是文件", False),
        "index.html": ("首页 新", False),
        "new": ("folder",),
        "new/index.html": ("新文章", False),
        "pagefind": ("folder",),
        "pagefind/base": ("folder",),
        "pagefind/base/kept.pf": ("基础索引", True),
        "pagefind/delta": ("folder",),
        "pagefind/delta/new.pf": ("新的增量索引", False),
        "same.txt": ("link", "a/photo.png"),
    }
    assert kept == {"a/index.html", "a/photo.png", "pagefind/base/kept.pf"}
    assert snapshot(site) == before
    stage.discard()
    assert leftovers(tmp_path) == []


def test_a_rebuild_that_fails_while_site_is_being_linked_leaves_nothing_beside_it(tmp_path: Path):
    site = _previous_site(tmp_path)
    stage = staging.Stage(site, keep=True)
    stage.discard()
    assert leftovers(tmp_path) == [] and (site / "a/photo.png").read_text(encoding="utf-8") == "图"


def test_a_build_record_of_another_version_makes_a_clean_build_with_nothing_left_beside(built: Path, tmp_path: Path):
    """After an upgrade the record of site/ is not this version's: nothing of site/ is kept, all is built again."""
    record = next((built / ".cache/site-builder").glob("state-*.json"))
    record.write_text('{"version": -1}', encoding="utf-8")
    edit(built / "content/news/yi.md", "title: 第一篇", "title: 第一篇（更正）")
    result = build_project(built, search=True)
    assert result.returncode == 0, result.stdout + result.stderr
    total, rendered = re.search(r"构建完成：(\d+) 个页面（本次生成 (\d+) 个", result.stdout + result.stderr).groups()
    assert rendered == total and leftovers(built) == []
    clean = run_cli(
        "build", "--config", str(write_config(tmp_path, built / "content", tmp_path / "clean", search=True))
    )
    assert clean.returncode == 0 and same_site(built / "site", tmp_path / "clean") == []
