"""site.yml ``cms:``: the web editor's Git server, or ``cms: off``.

Checked like every other setting (E403/E405 with the line), so a typo in the server's
address shows in ``site-builder check``, not as a login page that never works.
"""

from __future__ import annotations

import re

from site_builder.core.frontmatter import Value
from site_builder.core.model import CmsSettings
from site_builder.core.problems import Problem, problem

BACKENDS = {"gitlab": "GitLab", "github": "GitHub", "gitea": "Gitea"}
_KEYS = {
    "backend": "Git 服务器类型",
    "repo": "仓库",
    "branch": "分支",
    "base_url": "服务器地址",
    "app_id": "OAuth 应用 ID",
    "review": "审核流程",
}
_REPO = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
_BRANCH = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_./-]*$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~%/-]*)?$")
_APP_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_OFF = {False, "off", "false", "no", "关闭", "否"}


def read_cms(value: Value | None, rel: str, found: list[Problem]) -> CmsSettings:
    if value is None:
        return CmsSettings()
    raw = value.value.strip().lower() if isinstance(value.value, str) else value.value
    if not isinstance(raw, dict) and raw in _OFF:
        return CmsSettings(enabled=False)
    if not isinstance(raw, dict):
        found.append(
            _bad(
                rel,
                value.line,
                "cms",
                str(value.value),
                "写成“cms: off”关闭网页编辑，或在 cms 下逐行写 backend、repo 等",
            )
        )
        return CmsSettings(enabled=False)
    for key in raw:
        if key not in _KEYS:
            known = "、".join(f"{k}（{v}）" for k, v in _KEYS.items())
            found.append(problem("E405", rel, value.line, field=f"cms.{key}", suggestion=f"cms 下可写 {known}。"))
    text = {k: str(v).strip() for k, v in raw.items() if k in _KEYS and k != "review" and v is not None}
    backend = text.get("backend", "")
    if backend not in BACKENDS:
        found.append(_bad(rel, value.line, "cms.backend", backend or "（空）", "backend 写 gitlab、github 或 gitea"))
    checks = (
        ("repo", _REPO, True, "repo 写成“组/项目”，例如 fzb/website"),
        ("branch", _BRANCH, False, "branch 写发布用的分支名，例如 main"),
        ("base_url", _URL, False, "base_url 写服务器的网址，例如 https://git.binjiang.gov.cn"),
        (
            "app_id",
            _APP_ID,
            backend in {"gitlab", "gitea"},
            "app_id 写在 Git 服务器上创建的 OAuth 应用的 Application ID",
        ),
    )
    for key, pattern, required, expected in checks:
        written = text.get(key, "")
        if (written or required) and not pattern.match(written):
            found.append(_bad(rel, value.line, f"cms.{key}", written or "（空）", expected))
    # Decap CMS 3.16's Gitea backend has no review queue (it refuses the configuration): there the
    # review happens on a pull request from the branch staff save to (see the guide).
    review = raw.get("review", backend != "gitea")
    if review not in {True, False}:
        found.append(_bad(rel, value.line, "cms.review", str(review), "review 写 true（先审核再发布）或 false"))
        review = True
    elif review and backend == "gitea":
        expected = (
            "Gitea 暂不支持网页编辑中的审核流程，写 review: false，在 Gitea 的合并请求中审核（见《编写指南》第九部分）"
        )
        found.append(_bad(rel, value.line, "cms.review", "true", expected))
    return CmsSettings(
        enabled=True,
        backend=backend,
        repo=text.get("repo", ""),
        branch=text.get("branch") or "main",
        base_url=text.get("base_url", "").rstrip("/"),
        app_id=text.get("app_id", ""),
        review=review,
    )


def _bad(rel: str, line: int, field: str, value: str, expected: str) -> Problem:
    return problem("E403", rel, line, field=field, value=value, expected=expected)
