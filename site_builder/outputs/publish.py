"""Publish a built site/ so that readers never see a half-written site.

Layout of a publish destination (the web server's root must be DEST/current):

    DEST/releases/<id>/      one complete site per publish, never changed afterwards
    DEST/current -> releases/<id>     what the web server serves
    DEST/previous -> releases/<id>    what `--rollback` goes back to

A new release is written under releases/.incoming-* and renamed into place only when
complete; then `current` is swapped in one rename(2) of a symlink. Files whose hash in
build.json equals the live release's are hard-linked from it instead of copied, so only
changed files are transferred. Killing a publish at any moment leaves `current` as it was.

DEST is a local directory or `[user@]host:/path`, reached with ssh and rsync (GNU coreutils
on the server). Publishes to one DEST must not run at the same time: locally a lock file
ensures it, the CI pipelines in deploy/ serialise theirs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from site_builder.core.faults import Fault, shown
from site_builder.outputs import manifest

RELEASES = "releases"
CURRENT = "current"
PREVIOUS = "previous"
STAGING = ".incoming-"
LOCK = ".publish.lock"
KEEP = 5
# ssh as a CI job runs it: never ask for a password or an unknown host key, fail instead.
SSH_DEFAULT = "ssh -o BatchMode=yes"
SSH_VARIABLE = "SITE_BUILDER_SSH"
# For tests only: stop after this many files (locally) or after the upload (over ssh), so
# the test can kill the publish exactly there.
PAUSE_VARIABLE = "SITE_BUILDER_TEST_PAUSE_AFTER"
_REMOTE = re.compile(r"^(?P<host>(?:[^@/:\s]+@)?[^@/:\s]+):(?P<path>.+)$")
_RELEASE_NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{12}$")


class PublishError(Exception):
    """A publish that cannot go on; the message is for staff, in Chinese."""


@dataclass(frozen=True)
class State:
    current: str | None
    previous: str | None
    releases: tuple[str, ...]


@dataclass(frozen=True)
class Published:
    release: str
    previous: str | None
    copied: int
    linked: int
    unchanged: bool = False  # the live release already has exactly this build
    warning: str = ""


def parse_destination(dest: str) -> tuple[str | None, str]:
    """`user@host:/srv/site` → (host, path); a local path → (None, path)."""
    match = _REMOTE.match(dest)
    if match and not Path(dest).exists():
        return match["host"], match["path"]
    return None, dest


def _pause_here(done: int) -> None:
    limit = os.environ.get(PAUSE_VARIABLE)
    if limit and done == int(limit):
        print(f"[test] paused after {done} files", flush=True)
        time.sleep(3600)


class LocalTarget:
    """A directory on this machine; unchanged files are hard-linked using the manifests' hashes."""

    def __init__(self, root: str) -> None:
        self.root = Path(root)
        self.label = root

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        if self.root.exists() and not self.root.is_dir():
            raise Fault("E843", path=shown(self.root), name=self.root.name, dest=self.label)
        if not self.root.exists():
            self.root.mkdir(parents=True)
            _readable(self.root)
        with (self.root / LOCK).open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise PublishError(f"{self.label} 正在被另一个 site-builder publish 使用，请等它结束后再试。") from None
            yield

    def _link(self, name: str) -> str | None:
        link = self.root / name
        if link.exists() and not link.is_symlink():
            raise PublishError(
                f"{link} 是普通目录或文件，不是指向 releases/ 的符号链接。请先把它移走（例如改名为 {name}.old），再重新发布。"
            )
        try:
            target = os.readlink(link)
        except OSError:
            return None
        return Path(target).name

    def state(self) -> State:
        releases = self.root / RELEASES
        names = sorted(p.name for p in releases.iterdir() if _RELEASE_NAME.match(p.name)) if releases.is_dir() else []
        return State(self._link(CURRENT), self._link(PREVIOUS), tuple(names))

    def prepare(self) -> None:
        releases = self.root / RELEASES
        for path in (self.root, releases):
            if path.exists() and not path.is_dir():
                raise Fault("E843", path=shown(path), name=path.name, dest=self.label)
        releases.mkdir(parents=True, exist_ok=True)
        _readable(releases)  # the web server walks through it, whatever the umask that made it
        for leftover in releases.glob(STAGING + "*"):  # from an interrupted publish
            shutil.rmtree(leftover)

    def upload(self, site_dir: Path, built: dict, staging: str, base: str | None) -> tuple[int, int]:
        target = self.root / RELEASES / staging
        base_dir = self.root / RELEASES / base if base else None
        base_files = {}
        if base_dir is not None:
            base_files = (manifest.read_manifest(base_dir / manifest.NAME) or {}).get("files", {})
        copied = linked = 0
        for done, (relative, entry) in enumerate(sorted(built["files"].items()), start=1):
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if base_dir is not None and base_files.get(relative) == entry:
                try:
                    os.link(base_dir / relative, destination)
                    linked += 1
                    _pause_here(done)
                    continue
                except OSError:
                    pass  # gone or on another file system: copy instead
            shutil.copy2(site_dir / relative, destination)
            copied += 1
            _pause_here(done)
        shutil.copy2(site_dir / manifest.NAME, target / manifest.NAME)
        _world_readable(target)
        return copied + 1, linked

    def discard(self, staging: str) -> None:
        shutil.rmtree(self.root / RELEASES / staging, ignore_errors=True)

    def seal(self, staging: str, release: str) -> None:
        os.rename(self.root / RELEASES / staging, self.root / RELEASES / release)

    def _point(self, name: str, release: str) -> None:
        temporary = self.root / f".{name}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        os.symlink(f"{RELEASES}/{release}", temporary)
        os.replace(temporary, self.root / name)  # one rename(2): readers see the old or the new link

    def switch(self, current: str, previous: str | None) -> None:
        if previous:
            self._point(PREVIOUS, previous)
        self._point(CURRENT, current)

    def remove(self, releases: list[str]) -> None:
        for name in releases:
            shutil.rmtree(self.root / RELEASES / name)


class SshTarget:
    """A directory on a web server, reached with ssh; rsync --link-dest sends only changed files."""

    def __init__(self, host: str, root: str) -> None:
        self.host = host
        self.root = root.rstrip("/") or "/"
        self.label = f"{host}:{root}"
        self.ssh = shlex.split(os.environ.get(SSH_VARIABLE) or SSH_DEFAULT)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        yield  # the pipelines run one publish at a time (concurrency / resource_group)

    def _run(self, script: str, create: bool = False) -> str:
        root = shlex.quote(self.root)
        made = f"mkdir -p {root}/{RELEASES}; " if create else ""
        command = [*self.ssh, self.host, f"set -e; {made}cd {root}; {script}"]
        result = _run(command, f"无法在 {self.host} 上执行发布步骤", self.label)
        return result.stdout

    def state(self) -> State:
        out = self._run(
            f"for l in {CURRENT} {PREVIOUS}; do"
            ' if [ -e "$l" ] && [ ! -L "$l" ]; then echo "notlink $l"; fi;'
            ' echo "$l $(readlink "$l" || true)"; done;'
            f" ls -1 {RELEASES} 2>/dev/null | sed 's/^/release /' || true"
        )
        links: dict[str, str | None] = {}
        names = []
        for line in out.splitlines():
            kind, _, value = line.partition(" ")
            if kind == "notlink":
                raise PublishError(
                    f"{self.label}/{value} 是普通目录或文件，不是指向 releases/ 的符号链接。请先把它移走，再重新发布。"
                )
            if kind in (CURRENT, PREVIOUS):
                links[kind] = Path(value).name if value.strip() else None
            elif kind == "release" and _RELEASE_NAME.match(value):
                names.append(value)
        return State(links.get(CURRENT), links.get(PREVIOUS), tuple(sorted(names)))

    def prepare(self) -> None:
        self._run(f"rm -rf {RELEASES}/{STAGING}*", create=True)  # leftovers of an interrupted publish

    def upload(self, site_dir: Path, built: dict, staging: str, base: str | None) -> tuple[int, int]:
        command = [
            "rsync",
            "--recursive",
            "--links",
            "--perms",
            "--checksum",  # every build rewrites every file: compare content, not times
            "--chmod=D755,F644",
            "--stats",
            "--rsh",
            shlex.join(self.ssh),
        ]
        if base:
            command.append(f"--link-dest=../{base}")  # relative to the new release's directory
        command += [f"{site_dir}/", f"{self.host}:{self.root}/{RELEASES}/{staging}/"]
        result = _run(command, f"rsync 上传到 {self.host} 失败", f"{self.label}/{RELEASES}")
        match = re.search(r"Number of regular files transferred: ([\d,]+)", result.stdout)
        copied = int(match[1].replace(",", "")) if match else len(built["files"]) + 1
        _pause_here(0)
        return copied, len(built["files"]) + 1 - copied

    def discard(self, staging: str) -> None:
        with contextlib.suppress(PublishError):
            self._run(f"rm -rf {RELEASES}/{staging}")

    def seal(self, staging: str, release: str) -> None:
        self._run(f"mv -T {RELEASES}/{staging} {RELEASES}/{release}")

    def switch(self, current: str, previous: str | None) -> None:
        steps = []
        if previous:
            steps.append(f"ln -sfn {RELEASES}/{previous} .{PREVIOUS}.tmp && mv -T .{PREVIOUS}.tmp {PREVIOUS}")
        steps.append(f"ln -sfn {RELEASES}/{current} .{CURRENT}.tmp && mv -T .{CURRENT}.tmp {CURRENT}")
        self._run("; ".join(steps))

    def remove(self, releases: list[str]) -> None:
        if releases:
            self._run("rm -rf " + " ".join(f"{RELEASES}/{name}" for name in releases))


_FULL_DISK = ("No space left on device", "Disk quota exceeded")


def _run(command: list[str], failure: str, where: str = "") -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:
        raise PublishError(
            f"{failure}：找不到命令 {command[0]}，请先安装（Debian：apt-get install rsync openssh-client）。"
        ) from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        if where and any(text in detail for text in _FULL_DISK):  # the server's disk, said as for a local one
            raise Fault("E833", path=where)
        raise PublishError(f"{failure}（{command[0]} 退出码 {result.returncode}）：{detail}")
    return result


def target_for(dest: str) -> LocalTarget | SshTarget:
    host, path = parse_destination(dest)
    return SshTarget(host, path) if host else LocalTarget(path)


def load_build(site_dir: Path) -> dict:
    """The build's manifest, after checking that site/ holds exactly what it lists, byte for byte."""
    site = shown(site_dir)
    if not site_dir.is_dir():
        raise Fault("E840", site=site)
    built = manifest.read_manifest(site_dir / manifest.NAME)
    if built is None:
        raise Fault("E840", site=site)
    if built.get("format") != manifest.FORMAT or built.get("complete") is not True:
        raise Fault("E841", site=site)
    listed = built["files"]
    on_disk = manifest.output_files(site_dir)
    problems = [f"多出 {name}" for name in sorted(set(on_disk) - set(listed))]
    problems += [f"缺少 {name}" for name in sorted(set(listed) - set(on_disk))]
    for relative in sorted(set(on_disk) & set(listed)):
        entry = listed[relative]
        if not isinstance(entry, dict) or _sha256(site_dir / relative) != entry.get("sha256"):
            problems.append(f"{relative} 的内容已改变")
    if problems:
        more = f"等 {len(problems)} 处" if len(problems) > 5 else ""
        raise Fault("E842", site=site, detail="；".join(problems[:5]) + more)
    return built


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _readable(path: Path) -> None:
    """Readers (the web server's user) may enter what we create, whatever the umask."""
    path.chmod(path.stat().st_mode | 0o755)


def _world_readable(release: Path) -> None:
    """Published files are 0644 and folders 0755 whatever the umask of the publishing user."""
    for root, _dirs, files in os.walk(release):
        os.chmod(root, 0o755)
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


def release_name(site_dir: Path, now: dt.datetime) -> str:
    digest = hashlib.sha256((site_dir / manifest.NAME).read_bytes()).hexdigest()
    return f"{now:%Y%m%d-%H%M%S}-{digest[:12]}"


def publish(site_dir: Path, dest: str, keep: int = KEEP, now: dt.datetime | None = None) -> Published:
    built = load_build(site_dir)
    release = release_name(site_dir, now or dt.datetime.now(dt.UTC))
    target = target_for(dest)
    with target.locked():
        target.prepare()
        state = target.state()
        live = state.current if state.current in state.releases else None  # a link to a deleted release: none
        kept = state.previous if state.previous in state.releases else None
        if live and live[-12:] == release[-12:]:
            return Published(live, kept, 0, 0, unchanged=True)
        staging = f"{STAGING}{release}"
        try:
            copied, linked = target.upload(site_dir, built, staging, live)
            target.seal(staging, release)
        except BaseException:
            target.discard(staging)  # a full disk keeps no half release; `current` was never touched
            raise
        target.switch(release, live)
        # Keep the new version, the one it replaced (for --rollback) and the newest others up to `keep`.
        others = [name for name in state.releases if name not in (release, live)]
        stale = others[: max(len(others) - max(keep - 2, 0), 0)]
        try:
            target.remove(stale)
        except (OSError, PublishError) as exc:  # the new version is live already: say so, do not fail
            return Published(release, live, copied, linked, warning=f"清理旧版本时出错：{exc}")
    return Published(release, live, copied, linked)


def rollback(dest: str) -> tuple[str, str]:
    """Point `current` back at `previous` (and `previous` at what was live); returns (now live, was live)."""
    target = target_for(dest)
    with target.locked():
        state = target.state()
        if not state.current:
            raise PublishError(f"{target.label} 还没有发布过网站（没有 {CURRENT} 链接），无法回滚。")
        if not state.previous or state.previous not in state.releases or state.previous == state.current:
            raise PublishError(f"{target.label} 没有可以恢复的上一版本（{PREVIOUS} 链接不存在或已被清理），无法回滚。")
        was = state.current if state.current in state.releases else None
        target.switch(state.previous, was)
    return state.previous, was


def main_publish(site_dir: Path, dest: str, keep: int) -> int:
    result = publish(site_dir, dest, keep)
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


def main_rollback(dest: str) -> int:
    live, was = rollback(dest)
    if was:
        print(
            f"已回滚：{dest}/{CURRENT} 现在指向 {RELEASES}/{live}（原版本 {was} 保留，再运行一次 --rollback 可改回）。"
        )
    else:
        print(f"已回滚：{dest}/{CURRENT} 现在指向 {RELEASES}/{live}（原来指向的版本已不存在）。")
    return 0


if __name__ == "__main__":  # pragma: no cover - use `site-builder publish`
    sys.exit("请使用 site-builder publish")
