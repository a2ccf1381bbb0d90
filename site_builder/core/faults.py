"""Faults of the machine rather than the content: a full disk, a read-only folder, a busy port.

Each becomes a coded Chinese message (worded in codes.py) naming the path and what to do,
instead of a traceback or "内部出错". The CLI prints :meth:`Fault.format`.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from pathlib import Path

from site_builder.core import codes

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}
_REASONS = {
    errno.EROFS: "所在的磁盘是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "文件或目录不存在",
    errno.ENOTDIR: "路径中的某一级是文件而不是目录",
    errno.EISDIR: "这是一个目录而不是文件",
    errno.EEXIST: "已经存在同名的文件",
    errno.EADDRINUSE: "另一个程序正在使用这个端口",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
}


class Fault(Exception):
    """A predictable failure with its catalogue code; the message is for staff."""

    def __init__(self, code: str, **values: object) -> None:
        entry = codes.CATALOGUE[code]
        self.code = code
        self.message = entry.message.format(**values)
        self.hint = entry.hint.format(**values)
        super().__init__(self.message)

    def format(self) -> str:
        return f"错误 {self.code} {self.message}\n    修改方法：{self.hint}"


def shown(path: object) -> str:
    return Path(os.fsdecode(path)).as_posix() if path else "（未知路径）"


def reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def from_os_error(exc: OSError, path: object = None) -> Fault:
    """The coded message for an operating-system error while reading or writing ``path``."""
    where = shown(path or exc.filename)
    if exc.errno in _FULL:  # a copy that fails writing names its source first, its target second
        return Fault("E833", path=shown(path or exc.filename2 or exc.filename))
    if exc.errno in _NOT_WRITABLE:
        return Fault("E834", path=where, reason=reason(exc))
    return Fault("E838", path=where, reason=reason(exc))


def _inside_content(cwd: Path, name: str = "content") -> bool:
    return (cwd / "site.yml").is_file() or cwd.name == name


def require_content(content: Path) -> None:
    """Commands that read content/ say where to run them instead of failing on content/content."""
    if content.is_dir():
        return
    if content.exists():
        raise Fault("E832", path=shown(content), option="--content")
    cwd = Path.cwd()
    inside = ""
    if _inside_content(cwd, content.name):
        inside = f"，看起来就是 {cwd.name}/ 目录本身：请先回到上一级目录（cd ..）再运行"
    raise Fault("E835", path=shown(content), cwd=cwd.as_posix(), inside=inside)


def outside_a_site(config_file: str | None) -> Fault | None:
    """A configuration that can't load because the command runs inside content/ (E835, with `cd ..`).

    Any other folder without content/ is E808, said where the configuration is chosen (project.py).
    """
    if Path("content").is_dir() or not _inside_content(Path.cwd()):
        return None
    config = Path(config_file or "mkdocs.yml")
    if config.is_file() and config.parent.resolve() != Path.cwd().resolve():
        return None  # a configuration elsewhere names its own content folder
    try:
        require_content(Path("content"))
    except Fault as fault:
        return fault
    return None


def report_internal_error(log_name: str = "site-builder-error.log") -> None:
    """A bug of ours: staff get a sentence, the maintainer gets the log (or stderr when it can't be written)."""
    details, summary = traceback.format_exc(), _condensed()  # before another exception replaces it
    log_file = Path(log_name).resolve()
    try:
        log_file.write_text(details, encoding="utf-8")
    except OSError as exc:
        print(Fault("E839", path=log_file.as_posix(), reason=reason(exc)).format(), file=sys.stderr)
        print("详细信息：" + summary, file=sys.stderr)
        return
    print(f"site-builder 内部出错，这不是您的内容的问题。请把 {log_file} 发给网站维护人员。", file=sys.stderr)


def _condensed() -> str:
    """The exception and where it happened, one frame a line (not Python's traceback layout)."""
    kind, value, tb = sys.exc_info()
    lines = [f"{kind.__name__ if kind else '?'}: {value}"]
    lines += [f"    {Path(f.filename).name}:{f.lineno} {f.name}" for f in traceback.extract_tb(tb)[-8:]]
    return "\n".join(lines)
