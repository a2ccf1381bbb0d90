"""Everything the command line says is Chinese: help, wrong command lines, MkDocs' own messages; and it
prints on a Chinese Windows console (GBK) and starts without Unix-only modules."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.adapter import staff_text
from tests.conftest import FIXED_EPOCH, ROOT, build_project, run_cli

COMMANDS = ["check", "build", "serve", "new", "import-cleanup", "wechat", "publish"]
ENGLISH = re.compile(
    r"\b(usage|options|positional|arguments?|error|required|invalid|choose|unrecognized|expected|show this help"
    r"|Doc file|Aborted|Documentation|Traceback|Serving|Building|Watching|Detected|Reloading)\b",
    re.I,
)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_chinese(command):
    result = run_cli(*([command] if command else []), "-h")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：site-builder")
    assert "选项：" in result.stdout and "显示本帮助后退出" in result.stdout
    assert not ENGLISH.search(result.stdout), result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "--bogus"],
        ["new"],
        ["nope"],
        ["publish", "www", "--keep", "z"],
        ["check", "--format", "xml"],
        ["wechat", "a.md", "--output"],
        [],
    ],
)
def test_a_wrong_command_line_gets_a_coded_chinese_message(argv):
    result = run_cli(*argv)
    assert result.returncode == 2
    assert "用法：site-builder" in result.stderr
    assert "错误 E801 命令写法不对：" in result.stderr and "修改方法：运行 `site-builder" in result.stderr
    assert not ENGLISH.search(result.stderr), result.stderr


def _staff_lines_are_chinese(output: str) -> None:
    """Every line is Chinese, or the 原文 (MkDocs' original words) under a coded Chinese message."""
    for line in output.splitlines():
        if line.strip() and not line.startswith("    原文："):
            assert CJK.search(line) and not ENGLISH.search(line), line


def test_a_link_the_build_rejects_is_reported_in_chinese_with_file_and_line(project: Path):
    article = project / "content/news/fujian.md"
    article.write_text(
        "---\ntitle: 关于印发培训方案的通知\ndate: 2021-03-12\ncategory: 通知公告\n"
        "source: 滨江市人民政府法制办公室\nslug: peixun-fangan\n---\n\n"
        "现将培训方案印发给你们。\n\n[培训方案](../files/附件 二.pdf)\n",
        encoding="utf-8",
    )
    (project / "content/files").mkdir()
    (project / "content/files/附件二.pdf").write_bytes(b"%PDF-1.4\n")
    result = build_project(project)
    assert result.returncode == 1
    assert re.search(r"content/news/fujian\.md:11: 错误 E(802|711|331) ", result.stderr), result.stderr
    assert "修改方法：" in result.stderr
    _staff_lines_are_chinese(result.stdout + result.stderr)


def _record(message: str, level: int = logging.WARNING, name: str = "mkdocs.structure.pages") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_each_kind_of_mkdocs_message_gets_a_code_and_keeps_the_original(tmp_path: Path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news/a.md").write_text("---\n---\n\n[跳到](b.md#nope)\n[外](/abs/path)\n", encoding="utf-8")
    cases = {
        "Doc file 'news/a.md' contains a link 'c 二.pdf', but the target 'news/c 二.pdf' is not found among "
        "documentation files.": ("E802", ""),
        "Doc file 'news/a.md' contains a link 'b.md#nope', but the doc 'news/b.md' does not contain an anchor "
        "'#nope'.": ("E803", ":4"),
        "Doc file 'news/a.md' contains an absolute link '/abs/path', it was left as is.": ("E804", ":5"),
        "Doc file 'news/a.md' contains an unrecognized relative link 'x/', it was left as is.": ("E804", ""),
        "Error reading page 'news/a.md': 'NoneType' object has no attribute 'x'": ("E805", ""),
        "[07:00:51] An error happened during the rebuild. The server will appear stuck until build errors are "
        "resolved.": ("E806", None),
        "Config value 'theme': Unrecognised theme name: 'nope'.": ("E807", None),
        "Template skipped: 'x.html' not found in theme directories.": ("E809", None),
    }
    for message, (code, line) in cases.items():
        text = staff_text.render(_record(message, logging.ERROR), tmp_path)
        assert f" {code} " in text and text.endswith("原文：" + re.sub(r"^\[[\d:]+\] ", "", message)), text
        if line is not None:
            assert text.startswith(f"{(tmp_path / 'news/a.md').as_posix()}{line}: 错误 {code}"), text
        _staff_lines_are_chinese(text)
    progress = staff_text.render(_record("Documentation built in 1.17 seconds", logging.INFO), tmp_path)
    assert progress == "已生成，用时 1.17 秒。"
    for chatter in ("Building documentation...", "Cleaning site directory", "Serving on http://127.0.0.1:8000/"):
        assert staff_text.render(_record(chatter, logging.INFO), tmp_path) is None
    ours = "内容检查未通过，未生成网站：\ncontent/x.md:1: 错误 E201 …"
    assert staff_text.render(_record(ours, logging.ERROR, "mkdocs.commands.build"), tmp_path) == ours


def test_output_prints_on_a_gbk_console(project: Path):
    """A Chinese Windows console or pipe is GBK: Chinese prints; what GBK lacks degrades to '?'."""
    (project / "content/news/a.md").write_text(
        "---\ntitle: 培训通知\ndate: 2021-03-12\ncategory: 通知公告\nsource：滨江市法制办😀\n---\n\n正文。\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "check"],
        cwd=project,
        env={**os.environ, "PYTHONIOENCODING": "gbk", "SOURCE_DATE_EPOCH": FIXED_EPOCH},
        capture_output=True,
    )
    stderr = result.stderr.decode("gbk")
    assert result.returncode == 1, stderr
    assert "content/news/a.md:5: 错误 E204 文件头使用了全角冒号" in stderr
    assert "source：滨江市法制办?" in stderr
    assert "UnicodeEncodeError" not in stderr and "内部出错" not in stderr
    help_text = subprocess.run(
        [sys.executable, "-m", "site_builder", "-h"],
        cwd=project,
        env={**os.environ, "PYTHONIOENCODING": "gbk"},
        capture_output=True,
    )
    assert help_text.returncode == 0 and "用法：site-builder" in help_text.stdout.decode("gbk")


def test_starts_and_builds_without_unix_only_modules(project: Path):
    """Windows has no `resource` or `fcntl`: check and build must not need them."""
    (project / "content/news/a.md").write_text(
        "---\ntitle: 培训通知\ndate: 2021-03-12\ncategory: 通知公告\nsource: 滨江市人民政府法制办公室\n---\n\n正文。\n",
        encoding="utf-8",
    )
    code = (
        "import sys\nsys.modules.update(resource=None, fcntl=None, pwd=None, grp=None, termios=None)\n"
        "from site_builder.cli import main\nsys.exit(main(sys.argv[1:]))"
    )
    for argv in (["check"], ["build"]):
        result = subprocess.run(
            [sys.executable, "-c", code, *argv],
            cwd=project,
            env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
