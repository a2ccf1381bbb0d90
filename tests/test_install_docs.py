"""The commands README and the authoring guide print work as printed after the quick start."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXED_EPOCH, ROOT, run_cli

DOCS = {name: (ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "docs/authoring-guide.md")}
ACTIVATE = ROOT / ".venv/bin/activate"


def printed_commands(prefix: str) -> list[tuple[str, str]]:
    """(document, command) for every command starting with prefix, in inline code or a code block."""
    found = []
    for name, text in DOCS.items():
        blocks = re.findall(r"```[a-z]*\n(.*?)```", text, re.S)
        lines = [line.strip() for block in blocks for line in block.splitlines()]
        spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
        for command in [*lines, *spans]:
            command = command.split("  #")[0].strip()
            placeholder = (
                "<" in command or "|" in command or not re.match(rf"{re.escape(prefix)} [a-z-]+(\s|$)", command)
            )
            if command.startswith(prefix + " ") and not placeholder:
                found.append((name, command))
    return found


SITE_BUILDER = printed_commands("site-builder")


def test_the_docs_print_commands():
    assert len(SITE_BUILDER) > 20
    assert {c.split()[1] for _, c in SITE_BUILDER} >= {"new", "check", "build", "serve", "import-cleanup", "wechat"}


@pytest.mark.parametrize(("doc", "command"), sorted(set(SITE_BUILDER)))
def test_each_printed_command_and_option_exists(doc, command):
    words = shlex.split(command)
    result = run_cli(words[1], "-h")
    assert result.returncode == 0, f"{doc}: {command}: {result.stderr}"
    for option in (w.split("=")[0] for w in words[2:] if w.startswith("-")):
        assert re.search(rf"(^|[\s\[,]){re.escape(option)}\b", result.stdout), f"{doc}: {command}: no {option}"


def _shell(script: str, cwd: Path) -> subprocess.CompletedProcess:
    """A new terminal: nothing on PATH but the system's, as after the quick start."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env |= {"PATH": "/usr/local/bin:/usr/bin:/bin", "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-ec", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_guides_first_steps_work_as_printed_after_the_quick_start(project: Path):
    if not ACTIVATE.is_file():
        pytest.skip("no .venv: run ./dev test")
    guide = DOCS["docs/authoring-guide.md"]
    assert ". .venv/bin/activate" in guide and ". .venv/bin/activate" in DOCS["README.md"]
    new = next(c for doc, c in SITE_BUILDER if doc.endswith("guide.md") and c.startswith("site-builder new "))
    result = _shell(f". {shlex.quote(str(ACTIVATE))}\n{new}", project)
    assert result.returncode == 0, result.stdout + result.stderr
    (article,) = (project / "content/news").rglob("*.md")
    text = article.read_text(encoding="utf-8")
    article.write_text(text[: text.index("---", 3) + 4] + "\n各单位要按照通知要求开展评查。\n", encoding="utf-8")
    result = _shell(f". {shlex.quote(str(ACTIVATE))}\nsite-builder check", project)
    assert result.returncode == 0 and "检查通过" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("command", ["new", "import-cleanup", "wechat", "publish", "check", "build", "serve"])
def test_dev_forwards_every_command(command):
    result = _shell(f"./dev {command} -h", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"用法：site-builder {command}")


def test_python_dash_m_runs_the_tool():
    """The guide's fallback on Windows when Python's Scripts folder is not on PATH: py -m site_builder."""
    assert "py -m site_builder serve" in DOCS["docs/authoring-guide.md"]
    result = subprocess.run([sys.executable, "-m", "site_builder", "serve", "-h"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("用法：site-builder serve")
