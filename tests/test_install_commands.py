"""A site folder holds content/ only: every command works there with the tool's own configuration and
theme, and an office's own mkdocs.yml or theme/ beside content/ wins."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import run_cli

# The codes this area's tests exercise (tests/test_bad_input.py checks every code is exercised somewhere).
INSTALL_CODES = {"E801", "E802", "E803", "E804", "E805", "E806", "E807", "E808", "E809"}
BODY = "市司法局组织开展行政执法案卷评查，共评查案卷120卷。\n"


def _new_article(project: Path) -> Path:
    result = run_cli("new", "关于开展行政执法案卷评查的通知", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = (project / "content/news").rglob("*.md")
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("---", 3) + 4]
    path.write_text(head + "\n" + BODY, encoding="utf-8")  # step 2 of the guide: the body written
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def test_every_command_works_in_a_folder_with_only_content(project: Path):
    article = _new_article(project)
    steps = [
        ("check",),
        ("build",),
        ("wechat", article.relative_to(project).as_posix()),
        ("publish", "www"),
    ]
    for step in steps:
        result = run_cli(*step, cwd=project)
        assert result.returncode == 0, f"{step}: {result.stdout}{result.stderr}"
    page = next((project / "site/articles").glob("*/index.html")).read_text(encoding="utf-8")
    assert "案卷评查" in page and "assets/sb/site.css" in page, "the page is built with the tool's own theme"
    assert (project / "site/assets/sb/site.css").is_file()
    assert (project / "www/current/index.html").is_file()
    table = project / "清理目录.csv"
    with table.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(
            [
                ["序号", "文件名称", "文号", "发文机关", "成文日期", "清理结果"],
                [1, "滨江市某办法", "滨政发〔2016〕12号", "市政府", "2016-08-01", "继续有效"],
            ]
        )
    result = run_cli(
        "import-cleanup", table.name, "--title", "2021年规范性文件集中清理", "--slug", "2021-jizhong", cwd=project
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "content/cleanups/2021-jizhong.yml").is_file()
    assert not (project / "mkdocs.yml").exists() and not (project / "theme").exists()


def test_serve_previews_a_folder_with_only_content(project: Path):
    _new_article(project)
    port = _free_port()
    log = project / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "site_builder.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "SOURCE_DATE_EPOCH": "1795708800"},
        )
        try:
            deadline = time.monotonic() + 120
            while "案卷评查" not in (home := _fetch(f"http://127.0.0.1:{port}/")):
                assert server.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert "assets/sb/site.css" in home
    output = log.read_text(encoding="utf-8")
    assert "正在生成预览" in output and "已生成，用时" in output
    for english in ("Building documentation", "Documentation built", "Serving on", "Watching paths", "Cleaning site"):
        assert english not in output, output


def test_an_offices_theme_folder_overrides_the_tools_templates(project: Path):
    _new_article(project)
    (project / "theme/partials").mkdir(parents=True)
    (project / "theme/partials/footer.html").write_text("<footer>本办自己的页脚</footer>\n", encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert "本办自己的页脚" in home
    assert "assets/sb/site.css" in home and "sb-a11y" in home, "the tool's other templates still apply"


def test_an_offices_mkdocs_yml_is_used_instead_of_the_default(project: Path):
    _new_article(project)
    (project / "mkdocs.yml").write_text(
        "site_name: x\ndocs_dir: content\nsite_dir: public\nstrict: true\n"
        "theme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - site-builder:\n      search: false\n",
        encoding="utf-8",
    )
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "public/index.html").is_file() and not (project / "site").exists()
    assert "assets/sb/site.css" not in (project / "public/index.html").read_text(encoding="utf-8")


def test_a_folder_without_content_is_named_not_an_internal_error(tmp_path: Path):
    for argv in (["build"], ["serve", "--dev-addr", f"127.0.0.1:{_free_port()}"], ["wechat", "a.md"]):
        result = run_cli(*argv, cwd=tmp_path)
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"错误 E808 这里不是网站目录：{tmp_path.as_posix()} 中没有 content/ 文件夹" in result.stderr
        assert "内部出错" not in result.stderr and "Traceback" not in result.stderr
    result = run_cli("build", "--config", "nope.yml", cwd=tmp_path)
    assert result.returncode == 1 and "nope.yml: 错误 E807 " in result.stderr, result.stderr
    assert "    原文：Config file 'nope.yml' does not exist." in result.stderr
