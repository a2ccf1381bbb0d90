"""`site/build.json` and `site-builder publish`, against real directories, real rsync and real processes.

An SSH destination is reached through a stand-in for ssh that runs the command on this machine
(`SITE_BUILDER_SSH`), so rsync speaks its real remote-shell protocol without an SSH server.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.outputs import manifest
from tests.conftest import FIXED_EPOCH, ROOT, build_project, run_cli
from tests.test_build import write_article

FAKE_SSH = """#!/bin/sh
# ssh stand-in: drop the options and the host, run the remote command here.
while [ $# -gt 0 ]; do case "$1" in -o|-l|-p|-i) shift 2;; -*) shift;; *) break;; esac; done
shift
exec sh -c "$*"
"""


def built(project: Path, **env) -> Path:
    old = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        result = build_project(project)
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture
def small_site(project: Path) -> Path:
    write_article(project, "yi", title="第一篇")
    write_article(project, "er", title="第二篇", date="2021-06-01 09:00")
    write_article(project, "cao", title="草稿", extra="draft: true\n")
    write_article(project, "wei", title="定时", date="2031-01-01 09:00")
    return built(project, SITE_BUILDER_COMMIT="0123456789abcdef0123456789abcdef01234567")


def publish(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "publish", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def live(dest: Path) -> Path:
    return (dest / "current").resolve()


def same_tree(left: Path, right: Path) -> bool:
    files = manifest.output_files(left)
    if files != manifest.output_files(right):
        return False
    return all((left / f).read_bytes() == (right / f).read_bytes() for f in [*files, manifest.NAME])


def add_article_and_rebuild(project: Path) -> Path:
    write_article(project, "san", title="第三篇", date="2021-07-01 09:00")
    return built(project, SITE_BUILDER_COMMIT="89abcdef0123456789abcdef0123456789abcdef")


# --- build.json ---


def test_manifest_lists_every_output_file_with_its_hash(small_site: Path):
    data = json.loads((small_site / "build.json").read_text(encoding="utf-8"))
    assert data["commit"] == "0123456789abcdef0123456789abcdef01234567"
    assert data["articles"] == {"published": 2, "draft": 1, "scheduled": 1}
    on_disk = sorted(p.relative_to(small_site).as_posix() for p in small_site.rglob("*") if p.is_file())
    assert sorted(data["files"]) == [p for p in on_disk if p != "build.json"]
    for relative, entry in data["files"].items():
        assert entry == {
            "sha256": hashlib.sha256((small_site / relative).read_bytes()).hexdigest(),
            "size": (small_site / relative).stat().st_size,
        }
    assert data["pages"] == sum(1 for p in on_disk if p.endswith("index.html"))
    assert "articles/yi/index.html" in data["files"] and "articles/cao/index.html" not in data["files"]


def test_manifest_is_byte_identical_for_the_same_content_and_commit(small_site: Path, project: Path):
    first = (small_site / "build.json").read_bytes()
    again = built(project, SITE_BUILDER_COMMIT="0123456789abcdef0123456789abcdef01234567")
    assert (again / "build.json").read_bytes() == first


def test_manifest_keeps_its_one_readable_layout(small_site: Path, tmp_path: Path):
    """build.json is written entry by entry; diff tools and reviewers see the usual indented JSON."""

    def canonical(text: str) -> bool:
        return text == json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    assert canonical((small_site / "build.json").read_text(encoding="utf-8"))

    class Site:
        articles, now = [], None
        settings = type("Settings", (), {"url": "https://fzb.example.gov.cn/"})

    other = tmp_path / "other"
    other.mkdir()
    empty = manifest.write_manifest(other, Site, tmp_path).read_text(encoding="utf-8")
    assert canonical(empty) and json.loads(empty)["files"] == {}  # no files: still valid
    (other / "附件").mkdir()
    (other / "附件" / "清理结果 “2021”.csv").write_text("文号\n", encoding="utf-8")
    text = manifest.write_manifest(other, Site, tmp_path).read_text(encoding="utf-8")
    assert canonical(text) and '"附件/清理结果 \\u201c' not in text and "附件/清理结果 “2021”.csv" in text


def test_manifest_commit_comes_from_git_or_is_null(project: Path):
    env = {key: "" for key in manifest.COMMIT_VARIABLES}
    write_article(project, "yi")
    site = built(project, **env)  # tmp_path is no git repository
    assert json.loads((site / "build.json").read_text(encoding="utf-8"))["commit"] is None
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(project),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "x",
        ],
        check=True,
    )
    head = subprocess.run(
        ["git", "-C", str(project), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    site = built(project, **env)
    assert json.loads((site / "build.json").read_text(encoding="utf-8"))["commit"] == head


# --- local publish ---


def test_publish_switches_current_and_keeps_the_previous_version(small_site: Path, project: Path, tmp_path: Path):
    dest = tmp_path / "www"
    first = publish(str(dest), "--site", str(small_site))
    assert first.returncode == 0, first.stderr
    assert "发布完成" in first.stdout
    assert (dest / "current").is_symlink() and same_tree(live(dest), small_site)
    v1 = live(dest)
    v1_copy = tmp_path / "v1"
    shutil.copytree(small_site, v1_copy)

    site = add_article_and_rebuild(project)
    data = json.loads((site / "build.json").read_text(encoding="utf-8"))
    old = json.loads((v1_copy / "build.json").read_text(encoding="utf-8"))["files"]
    changed = {f for f, entry in data["files"].items() if old.get(f) != entry}
    second = publish(str(dest), "--site", str(site))
    assert second.returncode == 0, second.stderr
    v2 = live(dest)
    assert v2 != v1 and same_tree(v2, site) and same_tree(v1, v1_copy)  # the old version untouched
    assert (dest / "previous").resolve() == v1
    # Only changed files were written; the others are the previous version's files (hard links).
    shared = {f for f in data["files"] if f not in changed and (v2 / f).stat().st_ino == (v1 / f).stat().st_ino}
    assert changed and "articles/san/index.html" in changed
    assert shared == set(data["files"]) - changed
    assert f"上传 {len(changed) + 1} 个文件，{len(shared)} 个未变的文件直接复用上一版本" in second.stdout

    back = publish(str(dest), "--rollback")
    assert back.returncode == 0 and "已回滚" in back.stdout, back.stderr
    assert live(dest) == v1 and same_tree(live(dest), v1_copy)
    forward = publish(str(dest), "--rollback")
    assert forward.returncode == 0 and live(dest) == v2


def test_publishing_the_same_build_again_changes_nothing(small_site: Path, tmp_path: Path):
    dest = tmp_path / "www"
    assert publish(str(dest), "--site", str(small_site)).returncode == 0
    before = live(dest)
    again = publish(str(dest), "--site", str(small_site))
    assert again.returncode == 0 and "无需发布" in again.stdout
    assert live(dest) == before and len(list((dest / "releases").iterdir())) == 1


def test_old_releases_are_pruned_but_current_and_previous_stay(small_site: Path, tmp_path: Path):
    dest = tmp_path / "www"
    seen = []
    for n in range(4):
        site = tmp_path / f"site{n}"
        shutil.copytree(small_site, site)
        (site / "index.html").write_text(f"version {n}", encoding="utf-8")
        data = json.loads((site / "build.json").read_text(encoding="utf-8"))
        data["files"]["index.html"] = {
            "sha256": hashlib.sha256((site / "index.html").read_bytes()).hexdigest(),
            "size": len(f"version {n}"),
        }
        (site / "build.json").write_text(json.dumps(data), encoding="utf-8")
        result = publish(str(dest), "--site", str(site), "--keep", "2")
        assert result.returncode == 0, result.stderr
        seen.append(live(dest).name)
    assert sorted(p.name for p in (dest / "releases").iterdir()) == sorted(seen[-2:])
    assert (dest / "previous").resolve().name == seen[-2]
    assert (dest / "current" / "index.html").read_text(encoding="utf-8") == "version 3"


def _start_paused(args: list[str], pause_after: int, env: dict | None = None) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "site_builder.cli", "publish", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "SITE_BUILDER_TEST_PAUSE_AFTER": str(pause_after)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    assert "paused" in line, line + proc.stderr.read()
    return proc


def test_a_publish_killed_midway_leaves_the_live_site_untouched(small_site: Path, project: Path, tmp_path: Path):
    dest = tmp_path / "www"
    assert publish(str(dest), "--site", str(small_site)).returncode == 0
    v1 = live(dest)
    v1_copy = tmp_path / "v1"
    shutil.copytree(small_site, v1_copy)
    site = add_article_and_rebuild(project)
    count = len(json.loads((site / "build.json").read_text(encoding="utf-8"))["files"])

    proc = _start_paused([str(dest), "--site", str(site)], pause_after=count // 2)
    incoming = list((dest / "releases").glob(".incoming-*"))
    assert len(incoming) == 1 and sum(1 for p in incoming[0].rglob("*") if p.is_file()) == count // 2
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    assert live(dest) == v1 and same_tree(live(dest), v1_copy)
    assert publish(str(dest), "--rollback").returncode == 1  # nothing half-made to go back to
    retry = publish(str(dest), "--site", str(site))
    assert retry.returncode == 0, retry.stderr
    assert same_tree(live(dest), site) and not list((dest / "releases").glob(".incoming-*"))


# --- over SSH, with rsync ---


@pytest.fixture
def ssh_env(tmp_path: Path) -> dict:
    if shutil.which("rsync") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("rsync not found (CI=true: .ci/run installs it)")
        pytest.skip("rsync not found: apt-get install rsync")
    shim = tmp_path / "fake-ssh"
    shim.write_text(FAKE_SSH, encoding="utf-8")
    shim.chmod(0o755)
    return {"SITE_BUILDER_SSH": f"{shim} -o BatchMode=yes"}


def test_publish_over_ssh_sends_only_changed_files_and_rolls_back(
    small_site: Path, project: Path, tmp_path: Path, ssh_env: dict
):
    root = tmp_path / "server" / "srv"
    dest = f"deploy@web.example.gov.cn:{root}"
    assert publish(dest, "--site", str(small_site), env=ssh_env).returncode == 0
    v1 = live(root)
    assert same_tree(v1, small_site)
    v1_copy = tmp_path / "v1"
    shutil.copytree(small_site, v1_copy)

    site = add_article_and_rebuild(project)
    data = json.loads((site / "build.json").read_text(encoding="utf-8"))
    old = json.loads((v1_copy / "build.json").read_text(encoding="utf-8"))["files"]
    changed = {f for f, entry in data["files"].items() if old.get(f) != entry}
    second = publish(dest, "--site", str(site), env=ssh_env)
    assert second.returncode == 0, second.stderr
    v2 = live(root)
    assert same_tree(v2, site) and same_tree(v1, v1_copy)
    linked = {f for f in data["files"] if (v1 / f).exists() and (v2 / f).stat().st_ino == (v1 / f).stat().st_ino}
    assert linked == set(data["files"]) - changed
    assert f"上传 {len(changed) + 1} 个文件" in second.stdout
    assert oct((v2 / "index.html").stat().st_mode)[-3:] == "644"  # readable by the web server

    proc = _start_paused([dest, "--site", str(v1_copy)], pause_after=0, env=ssh_env)  # uploaded, not switched
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert live(root) == v2

    assert publish(dest, "--rollback", env=ssh_env).returncode == 0
    assert live(root) == v1


def test_ssh_failure_is_reported_in_chinese_and_changes_nothing(small_site: Path, tmp_path: Path):
    result = publish(
        f"deploy@web.example.gov.cn:{tmp_path}/srv", "--site", str(small_site), env={"SITE_BUILDER_SSH": "false"}
    )
    assert result.returncode == 1
    assert result.stderr.startswith("发布失败，线上网站没有改变：无法在 deploy@web.example.gov.cn 上执行发布步骤")
    assert not (tmp_path / "srv").exists()


# --- what staff see when something is wrong ---


def test_publish_refuses_a_site_without_manifest_or_changed_after_the_build(small_site: Path, tmp_path: Path):
    dest = tmp_path / "www"
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "index.html").write_text("x", encoding="utf-8")
    result = publish(str(dest), "--site", str(bare))
    assert result.returncode == 1
    assert "E840" in result.stderr and "没有可用的 build.json" in result.stderr
    (small_site / "extra.html").write_text("added by hand", encoding="utf-8")
    result = publish(str(dest), "--site", str(small_site))
    assert result.returncode == 1 and "E842" in result.stderr and "不一致：多出 extra.html" in result.stderr
    assert not (dest / "current").exists()


def test_rollback_without_a_previous_version_says_why(small_site: Path, tmp_path: Path):
    dest = tmp_path / "www"
    result = publish(str(dest), "--rollback")
    assert result.returncode == 1 and "还没有发布过网站" in result.stderr
    assert publish(str(dest), "--site", str(small_site)).returncode == 0
    result = publish(str(dest), "--rollback")
    assert result.returncode == 1 and "没有可以恢复的上一版本" in result.stderr


def test_a_live_directory_that_is_not_a_symlink_is_left_alone(small_site: Path, tmp_path: Path):
    dest = tmp_path / "www"
    (dest / "current").mkdir(parents=True)
    (dest / "current" / "index.html").write_text("hand-made site", encoding="utf-8")
    result = publish(str(dest), "--site", str(small_site))
    assert result.returncode == 1 and "不是指向 releases/ 的符号链接" in result.stderr
    assert (dest / "current" / "index.html").read_text(encoding="utf-8") == "hand-made site"


def test_cli_build_then_publish_with_the_real_commands(project: Path, tmp_path: Path):
    write_article(project, "yi")
    assert build_project(project).returncode == 0
    result = run_cli("publish", str(tmp_path / "www"), "--site", str(project / "site"), epoch=FIXED_EPOCH)
    assert result.returncode == 0 and same_tree(live(tmp_path / "www"), project / "site")
