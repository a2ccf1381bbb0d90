"""The shipped pipelines' own install, check and build scripts, run as a runner would (deploy/github, deploy/gitlab).

The office's repository holds content/ only; the tool comes from `pip install` of site_builder's repository,
here a git repository of this checkout's packaged files, into a venv outside the checkout. pip installs from a
local wheelhouse of the dev venv's versions (made once per machine, kept in .cache/), so a run downloads nothing
and the installed site equals the dev build byte for byte. (The other deployment files: test_deploy_config.py.)
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXED_EPOCH, ROOT, SAMPLE_CONTENT, run_cli, write_config
from tests.test_deploy_config import GITHUB_WORKFLOW, GITLAB_CI

WHEELHOUSES = ROOT / ".cache" / "test-wheelhouse"


@dataclass
class Installed:
    """A fresh venv outside the checkout with nothing but pip, and what the pipelines' install step needs."""

    bin: Path
    source: Path  # the checkout's packaged files as a git repository, for the pipelines' install step
    constraints: Path  # the dev venv's versions: the same dependencies, so the same bytes
    wheelhouse: Path  # those versions as wheels, and the build backend: pip needs no index


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


def _wheelhouse(constraints: str) -> Path:
    """Wheels of site_builder's dependencies at the dev venv's versions, its build backend and pip.

    Downloaded (or built) once for these versions and this Python and kept: later runs install offline.
    """
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    import pip

    wanted = [
        *project["project"]["dependencies"],
        *project["build-system"]["requires"],
        "wheel",  # asked for by older build backends
        f"pip=={pip.__version__}",
    ]
    key = hashlib.sha256(
        "\n".join([sys.version, platform.machine(), constraints, *wanted]).encode("utf-8")
    ).hexdigest()[:16]
    house = WHEELHOUSES / key
    WHEELHOUSES.mkdir(parents=True, exist_ok=True)
    with open(WHEELHOUSES / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # other workers and other test runs of this checkout wait
        if not house.is_dir():
            partial = WHEELHOUSES / f"{key}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            (partial / "wanted.txt").parent.mkdir(parents=True)
            (partial / "constraints.txt").write_text(constraints, encoding="utf-8")
            _run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "wheel",
                    "-q",
                    "-w",
                    str(partial),
                    "-c",
                    str(partial / "constraints.txt"),
                    *wanted,
                ]
            )
            partial.rename(house)
    return house


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """A new venv with pip only, as on a runner, and the checkout as the git repository the pipelines fetch."""
    work = tmp_path_factory.mktemp("install")
    source = work / "site_builder"  # what a build needs, nothing else of the checkout (no content/, no tests/)
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "site_builder", source / "site_builder", ignore=shutil.ignore_patterns("__pycache__"))
    freeze = _run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"]).stdout
    pins = "".join(
        line + "\n"
        for line in freeze.splitlines()
        if not line.lower().startswith(("site-builder", "site_builder", "-e"))
    )
    constraints = work / "constraints.txt"
    constraints.write_text(pins, encoding="utf-8")
    wheelhouse = _wheelhouse(pins)
    venv = work / "venv"
    # `venv` without ensurepip, then pip from the wheelhouse: the same pip, without compiling it.
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    _run(
        [
            *(sys.executable, "-m", "pip", "--python", str(venv / "bin/python"), "install", "-q"),
            *("--no-index", "--find-links", str(wheelhouse), "--no-compile", "-c", str(constraints), "pip"),
        ]
    )
    for git in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "site_builder"], ["tag", "v-test"]):
        _run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *git], cwd=source)
    return Installed(venv / "bin", source, constraints, wheelhouse)


def _pipeline_steps(pipeline: str) -> tuple[str, str, set[str], str]:
    """(install script, check-and-build script, the paths the cache keeps, the workspace variable)."""
    if pipeline == "github":
        workflow = yaml.safe_load(GITHUB_WORKFLOW.read_text(encoding="utf-8"))
        build = workflow["jobs"]["build"]["steps"]
        install = next(s["run"] for s in build if "pip install" in s.get("run", ""))
        steps = "\n".join(s["run"] for s in build if "site-builder" in s.get("run", ""))
        cached = next(s for s in build if s.get("uses", "").startswith("actions/cache@"))
        return install, steps, set(cached["with"]["path"].split()), "GITHUB_WORKSPACE"
    pipeline_file = yaml.safe_load(GITLAB_CI.read_text(encoding="utf-8"))
    job = pipeline_file["build"]
    install = "\n".join(job["before_script"])
    return install, "\n".join(job["script"]), {p.rstrip("/") for p in job["cache"]["paths"]}, "CI_PROJECT_DIR"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(scope="module")
def dev_site(tmp_path_factory) -> dict[str, bytes]:
    """The sample site as the dev checkout builds it, with the commit the pipelines are given."""
    dev = tmp_path_factory.mktemp("dev")
    config = write_config(dev, SAMPLE_CONTENT, dev / "site", search=True)
    result = run_cli("build", "--config", str(config), env={"SITE_BUILDER_COMMIT": COMMIT})
    assert result.returncode == 0, result.stdout + result.stderr
    return _tree(dev / "site")


@pytest.mark.parametrize("pipeline", ["github", "gitlab"])
def test_pipeline_installs_the_tool_and_builds_a_content_only_repository(
    tmp_path: Path, pipeline: str, installed: Installed, dev_site: dict[str, bytes]
):
    """The pipeline's own install, check and build scripts, run as a runner would on three fresh machines.

    The office's repository holds content/ only; the tool comes from `pip install` of site_builder's
    repository (into a venv of its own: nothing of the checkout is on the path). Between runs only what
    the pipeline's cache keeps survives. The site equals the dev build's, byte for byte.
    """
    install, script, kept, workspace_variable = _pipeline_steps(pipeline)
    assert kept == {"site", ".cache/site-builder"}
    workspace = tmp_path / "ws"
    shutil.copytree(SAMPLE_CONTENT, workspace / "content")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))},
        "PATH": f"{installed.bin}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        workspace_variable: str(workspace),
        "SITE_BUILDER_REPO": str(installed.source),
        "SITE_BUILDER_REF": "v-test",
        "SITE_BUILDER_COMMIT": COMMIT,
        "SOURCE_DATE_EPOCH": FIXED_EPOCH,
        "PIP_CONSTRAINT": str(installed.constraints),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # The runner's index is the wheelhouse; modules are compiled when first imported, not all at install.
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(installed.wheelhouse),
        "PIP_NO_COMPILE": "1",
    }

    def run_step(text: str, tool: Path | None = None) -> str:
        result = subprocess.run(
            # apt-get: the GitLab image's git, rsync and ssh are on this machine already.
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "apt-get() { :; }\n" + text],
            cwd=workspace,
            env={**env, "TOOL": str(tool or tmp_path / "unused")},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    run_step(install, tmp_path / "tool")  # pip install "$TOOL" of a fetched site_builder, as in CI
    shown = subprocess.run(
        [
            str(installed.bin / "python"),
            "-c",
            "import site_builder.cli, site_builder.adapter.project as p; print(p.THEME)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert shown.returncode == 0 and str(ROOT) not in shown.stdout, shown.stdout + shown.stderr
    assert sorted(p.name for p in workspace.iterdir()) == ["content"], "the repository holds content/ only"

    def rendered(output: str) -> tuple[int, int]:
        found = re.search(r"构建完成：(\d+) 个页面（本次生成 (\d+) 个，沿用上次的 (\d+) 个）", output)
        assert found and int(found[2]) + int(found[3]) == int(found[1]), output
        return int(found[1]), int(found[2])

    def fresh_machine() -> None:
        for path in workspace.iterdir():
            if path.name not in ("content", ".cache", "site"):  # the cache keeps site/ and .cache/site-builder
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        for path in (workspace / ".cache").glob("*"):
            if path.name != "site-builder":
                shutil.rmtree(path)

    total, first = rendered(run_step(script))
    assert first == total > 0
    before = _tree(workspace / "site")
    differ = sorted(name for name in before.keys() | dev_site.keys() if before.get(name) != dev_site.get(name))
    assert differ == [], "the installed tool builds the dev build's site, byte for byte"

    # The process a rebuild starts to link the unchanged files (staging.py), as it starts it, from the installed tool.
    mirror = tmp_path / "mirror"
    linking = subprocess.run(
        [str(installed.bin / "python"), "-I", "-m", "site_builder.adapter.hardlinks", workspace / "site", mirror],
        capture_output=True,
        cwd=tmp_path,
    )
    assert linking.returncode == 0, linking.stderr.decode()
    listed = sorted(name.decode() for name in linking.stdout.split(b"\0") if name)
    assert listed == sorted(before) and all(os.path.samefile(mirror / n, workspace / "site" / n) for n in listed)
    shutil.rmtree(mirror)

    fresh_machine()
    assert rendered(run_step(script)) == (total, 0)
    assert _tree(workspace / "site") == before, "a build from the cache publishes exactly what the clean build did"
    article = sorted((workspace / "content/news/2021").glob("*.md"))[0]  # published long ago
    text = article.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.M)[1]
    article.write_text(text.replace(f"title: {title}", f"title: 更正：{title}", 1), encoding="utf-8")
    fresh_machine()
    _, third = rendered(run_step(script))
    assert 0 < third < total / 3
    pages = (workspace / "site").rglob("index.html")
    assert any(f"<h1>更正：{title}" in page.read_text(encoding="utf-8") for page in pages), "the article page shows it"
