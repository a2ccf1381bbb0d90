"""`site-builder publish` refuses every kind of bad site/ and never changes the live site then.

Bad sites are made the way they happen: a failed `mkdocs build`, a file edited after the build
(same size, so only its hash tells), a file lost; faults of the destination are real too
(a file where releases/ belongs, a full disk on a small tmpfs, a restrictive umask).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests import test_publish
from tests.conftest import FIXED_EPOCH, ROOT, write_config
from tests.test_build import write_article
from tests.test_publish import add_article_and_rebuild, live, publish
from tests.test_staging_build import _mount

small_site = test_publish.small_site  # the same fixtures: a small site built with the real CLI,
ssh_env = test_publish.ssh_env  # and ssh as a stand-in that runs the remote command here


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture
def live_dest(small_site: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "www"
    result = publish(str(dest), "--site", str(small_site))
    assert result.returncode == 0, result.stderr
    return dest


def assert_refused(result: subprocess.CompletedProcess, code: str, dest: Path, was: Path, files: dict) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "发布失败，线上网站没有改变" in result.stderr and code in result.stderr, result.stderr
    assert "内部出错" not in result.stderr and "Traceback" not in result.stderr
    assert live(dest) == was and tree(was) == files
    assert sorted(p.name for p in (dest / "releases").iterdir()) == [was.name]  # no half-made release


def test_publish_refuses_a_site_without_build_json(small_site: Path, live_dest: Path):
    was, files = live(live_dest), tree(live(live_dest))
    (small_site / "build.json").unlink()
    assert_refused(publish(str(live_dest), "--site", str(small_site)), "E840", live_dest, was, files)
    missing = small_site.parent / "nothing-here"
    assert_refused(publish(str(live_dest), "--site", str(missing)), "E840", live_dest, was, files)


def test_publish_refuses_a_site_whose_build_failed_in_mkdocs(project: Path, live_dest: Path):
    """`mkdocs build` directly, no staging: a strict build that MkDocs and the site's link check reject
    leaves pages in site/ but no build.json saying the build finished; publish will not take it."""
    was, files = live(live_dest), tree(live(live_dest))
    # check finds this link first (E711); waived here, it is left for the build to reject
    write_article(project, "lianjie", title="坏链接", body="[附件](附件 二.pdf)", extra="allow: {E711: 测试}\n")
    config = write_config(project, project / "content", project / "site")
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    assert (project / "site/articles/lianjie/index.html").is_file()  # a broken page is there, unfinished
    build = project / "site/build.json"
    assert not build.is_file() or json.loads(build.read_text(encoding="utf-8"))["complete"] is False
    result = publish(str(live_dest), "--site", str(project / "site"))
    assert_refused(result, "E840" if not build.is_file() else "E841", live_dest, was, files)


def test_publish_refuses_a_file_changed_after_the_build_even_with_the_same_size(small_site: Path, live_dest: Path):
    was, files = live(live_dest), tree(live(live_dest))
    page = small_site / "index.html"
    data = page.read_bytes()
    page.write_bytes(data.replace("第一篇".encode(), "第二篇".encode(), 1))  # same size, other bytes
    assert page.stat().st_size == len(data) and page.read_bytes() != data
    result = publish(str(live_dest), "--site", str(small_site))
    assert_refused(result, "E842", live_dest, was, files)
    assert "index.html 的内容已改变" in result.stderr
    page.write_bytes(data)
    (small_site / "robots.txt").unlink()
    result = publish(str(live_dest), "--site", str(small_site))
    assert_refused(result, "E842", live_dest, was, files)
    assert "缺少 robots.txt" in result.stderr


def test_publish_refuses_a_build_json_of_an_older_format(small_site: Path, live_dest: Path):
    was, files = live(live_dest), tree(live(live_dest))
    manifest = json.loads((small_site / "build.json").read_text(encoding="utf-8"))
    del manifest["complete"]
    manifest["format"] = 1
    (small_site / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert_refused(publish(str(live_dest), "--site", str(small_site)), "E841", live_dest, was, files)


def test_published_files_are_world_readable_whatever_the_umask(small_site: Path, project: Path, tmp_path: Path):
    dest = tmp_path / "www"
    strict = subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "publish", str(dest), "--site", str(small_site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o077),
    )
    assert strict.returncode == 0, strict.stderr
    os.chmod(small_site / "index.html", 0o600)  # as a build under umask 077 leaves them
    second = add_article_and_rebuild(project)
    os.chmod(second / "index.html", 0o600)
    again = subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "publish", str(dest), "--site", str(second)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o077),
    )
    assert again.returncode == 0, again.stderr
    for folder in (dest, dest / "releases"):
        assert stat.S_IMODE(folder.stat().st_mode) & 0o055 == 0o055, folder
    for path in live(dest).rglob("*"):
        if path.is_symlink():
            continue
        expected = 0o755 if path.is_dir() else 0o644
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_a_file_where_releases_belongs_is_explained(small_site: Path, tmp_path: Path):
    dest = tmp_path / "www"
    dest.mkdir()
    (dest / "releases").write_text("x", encoding="utf-8")
    result = publish(str(dest), "--site", str(small_site))
    assert result.returncode == 1
    assert "E843" in result.stderr and f"{(dest / 'releases').as_posix()} 是一个文件" in result.stderr
    assert "内部出错" not in result.stderr and not (dest / "current").exists()
    plain = tmp_path / "plain-file"
    plain.write_text("x", encoding="utf-8")
    result = publish(str(plain), "--site", str(small_site))
    assert result.returncode == 1 and "E843" in result.stderr and plain.read_text(encoding="utf-8") == "x"


def test_messages_name_only_releases_that_exist(small_site: Path, project: Path, live_dest: Path):
    """Someone removed the live release by hand: the next publish must not offer it for --rollback."""
    gone = live(live_dest)
    shutil.rmtree(gone)
    second = add_article_and_rebuild(project)
    result = publish(str(live_dest), "--site", str(second))
    assert result.returncode == 0, result.stderr
    assert gone.name not in result.stdout + result.stderr
    assert not (live_dest / "previous").exists()
    result = publish(str(live_dest), "--rollback")
    assert result.returncode == 1 and gone.name not in result.stdout + result.stderr


def test_a_full_disk_while_publishing_keeps_the_live_site(
    small_site: Path, project: Path, tmp_path: Path, ssh_env: dict
):
    """Locally and over ssh + rsync, to a real small disk: the new release doesn't fit."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=9m", "tmpfs", str(disk)):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        targets = {"local": (disk / "www", str(disk / "www")), "ssh": (disk / "srv", f"deploy@web:{disk / 'srv'}")}
        before = {}
        for name, (root, dest) in targets.items():
            result = publish(dest, "--site", str(small_site), env=ssh_env)
            assert result.returncode == 0, f"{name}: {result.stderr}"
            before[name] = live(root), tree(live(root))
        attachments = project / "content/files"
        attachments.mkdir()
        (attachments / "附件.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(4_000_000))  # more than the disk has left
        write_article(
            project, "fujian", title="附件", extra="attachments:\n  - file: files/附件.pdf\n    title: 附件\n"
        )
        second = add_article_and_rebuild(project)
        for name, (root, dest) in targets.items():
            result = publish(dest, "--site", str(second), env=ssh_env)
            assert result.returncode == 1, name
            assert "E833" in result.stderr and "磁盘空间不足" in result.stderr, f"{name}: {result.stderr}"
            assert root.as_posix() in result.stderr and "发布失败，线上网站没有改变" in result.stderr, name
            assert "Traceback" not in result.stderr, name
            was, files = before[name]
            assert live(root) == was and tree(was) == files, name
            assert sorted(p.name for p in (root / "releases").iterdir()) == [was.name], name
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
