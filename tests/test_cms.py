"""The web editor's configuration and file format (site_builder/outputs/cms), without a browser.

The form is generated from the field table `check` enforces and from site.yml; the format
(site_builder/outputs/cms/static/site-cms.js, run here in Node.js) writes back every hand-written file
unchanged and a new one as staff would write it. The browser tests (tests/browser/test_cms_browser.py)
use both through the real editor.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from site_builder.core import dates
from site_builder.core.frontmatter import parse_mapping
from site_builder.core.loader import load_site
from site_builder.core.news.articles import FIELDS
from site_builder.core.settings import load_settings
from site_builder.outputs.cms import admin, config, pins
from tests.conftest import ROOT, SAMPLE_CONTENT, build_project, write_config


@pytest.fixture(scope="module")
def site():
    loaded, found = load_site(SAMPLE_CONTENT, dates.build_now())
    assert loaded is not None, found
    return loaded


# site.yml's commented example, switched on
GITLAB = """cms:
  backend: gitlab
  base_url: https://git.binjiang.gov.cn
  repo: fzb/website
  app_id: 0d7a5c1e2b3f4a6d8e9f0a1b2c3d4e5f
"""


@pytest.fixture(scope="module")
def form(site, tmp_path_factory) -> dict:
    settings, found = _settings(tmp_path_factory.mktemp("settings"), GITLAB)
    assert settings is not None, found
    inputs = config.inputs_of(replace(site, settings=settings), SAMPLE_CONTENT)
    return yaml.safe_load(config.dump(config.build_config(inputs)))


def _fields(form: dict) -> dict[str, dict]:
    articles = next(c for c in form["collections"] if c["name"] == "articles")
    return {f["name"]: f for f in articles["fields"]}


def test_the_form_is_the_field_table_in_its_order_with_its_chinese_labels(form):
    fields = _fields(form)
    names = [n for n in fields if n != "body"]
    assert names == [n for n in FIELDS if n in names]  # the table's order
    assert {"title", "date", "category", "source", "slug", "tags", "cover", "attachments"} <= set(names)
    for name in names:
        assert fields[name]["label"] == FIELDS[name].label
        assert fields[name]["required"] == (FIELDS[name].required or name == "slug")  # slug names the file


def test_columns_and_tags_are_choices_from_site_yml_and_the_articles(form, site):
    fields = _fields(form)
    written = yaml.safe_load((SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))
    assert fields["category"]["options"] == [c["name"] for c in written["categories"]]
    assert set(fields["tags"]["options"]) == {t for a in site.articles for t in a.tags}
    assert fields["tags"]["multiple"] is True
    assert form["locale"] == "zh_Hans"


def test_media_and_attachments_go_where_check_expects_them(form):
    fields = _fields(form)
    articles = next(c for c in form["collections"] if c["name"] == "articles")
    assert (articles["folder"], articles["path"]) == ("content/news", "{{year}}/{{slug}}")
    assert articles["media_folder"] == "/content/images/photos"  # body images, relative to the article:
    assert articles["public_folder"] == "../../images/photos"  # content/news/<年>/x.md -> content/images
    assert (fields["cover"]["media_folder"], fields["cover"]["public_folder"]) == (
        "/content/images/covers",
        "images/covers",
    )
    upload = fields["attachments"]["fields"][0]
    assert (upload["media_folder"], upload["public_folder"]) == ("/content/files", "files")


def _header(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    values, _ = parse_mapping(text.split("---")[1].split("\n"), 1, "x")
    return {k: (v.raw if v.raw is not None else v.value) for k, v in values.items()}


def test_the_patterns_accept_every_sample_value_and_refuse_wrong_ones(form):
    fields = _fields(form)
    pattern = {name: re.compile(fields[name]["pattern"][0]) for name in ("slug", "index_no", "doc_no", "date")}
    seen = set()
    for path in (SAMPLE_CONTENT / "news").rglob("*.md"):
        header = _header(path)
        for name, regex in pattern.items():
            if name in header:
                assert regex.match(str(header[name])), (path, name, header[name])
                seen.add(name)
    assert seen == set(pattern)
    for name, wrong in (
        ("slug", "Tuijinhui"),
        ("slug", "推进会"),
        ("index_no", "2021-12"),
        ("doc_no", "滨政规(2021)6号"),
    ):
        assert not pattern[name].match(wrong), (name, wrong)
    assert not pattern["date"].match("2021/5/8")


def test_plain_pages_and_the_xxgk_parts_are_editable(form):
    collections = {c["name"]: c for c in form["collections"]}
    assert [f["file"] for f in collections["pages"]["files"]] == ["content/about/accessibility.md"]
    parts = [f["file"] for f in collections["xxgk"]["files"]]
    assert parts == [f"content/xxgk/{key}.md" for key in ("guide", "rules", "statutory", "apply")]


def test_the_git_server_and_the_review_come_from_site_yml(form):
    backend = form["backend"]
    assert backend["name"] == "gitlab" and backend["repo"] == "fzb/website" and backend["auth_type"] == "pkce"
    assert backend["api_root"] == "https://git.binjiang.gov.cn/api/v4"
    assert form["publish_mode"] == "editorial_workflow" and backend["cms_label_prefix"] == "cms/"


def test_the_local_editor_uses_the_proxy_and_no_review_queue(site):
    local = config.build_config(config.inputs_of(site, SAMPLE_CONTENT), local_proxy="http://127.0.0.1:8081/api/v1")
    assert local["backend"] == {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1", "branch": "main"}
    assert "publish_mode" not in local


def _settings(tmp_path: Path, cms: str):
    example = "\n# cms:\n" + GITLAB.replace("\n  ", "\n#   ").removeprefix("cms:\n")
    text = (SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8")
    assert "\ncms:" not in text and example.split("\n")[1] in text, "site.yml's example of cms: is gone"
    text += "\n" + cms
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    return load_settings(tmp_path)


def test_turning_the_editor_off_is_one_line(tmp_path, monkeypatch):
    settings, found = _settings(tmp_path, "cms: off\n")
    assert settings is not None and not [p for p in found if p.is_error]
    assert not admin.wanted(settings, serving=True) and not admin.wanted(settings, serving=False)
    settings, _ = _settings(tmp_path, "")  # no cms: the local editor only, no /admin/ in a build
    assert not admin.wanted(settings, serving=False) and not admin.wanted(settings, serving=True)
    monkeypatch.setenv(admin.PROXY_ENV, "http://127.0.0.1:8081/api/v1")  # the preview of site-builder cms
    assert admin.wanted(settings, serving=True) and not admin.wanted(settings, serving=False)


def test_a_wrong_cms_setting_is_reported_with_its_line(tmp_path):
    settings, found = _settings(tmp_path, "cms:\n  backend: svn\n  repo: fzb\n  colour: red\n")
    assert settings is None
    reported = sorted((p.code, p.line, p.format()) for p in found)
    line = (tmp_path / "site.yml").read_text(encoding="utf-8").split("\n").index("cms:") + 1
    assert [(code, at) for code, at, _ in reported] == [("E403", line), ("E403", line), ("E405", line)]
    shown = "\n".join(text for _, _, text in reported)
    assert "cms.backend" in shown and "gitlab、github 或 gitea" in shown and "cms.colour" in shown


def test_the_admin_folder_loads_only_its_own_files(tmp_path, site):
    written = admin.write_admin(tmp_path, site, SAMPLE_CONTENT, serving=False)
    page = (tmp_path / "admin/index.html").read_text(encoding="utf-8")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and not [s for s in sources if re.match(r"^(https?:)?//", s)]
    for source in sources:
        assert (tmp_path / "admin" / source).resolve().is_file() or source.startswith("../assets/"), source
    assert "admin/decap-cms.js" in written and "admin/decap-cms.LICENSE.txt" in written
    assert yaml.safe_load((tmp_path / "admin/config.yml").read_text(encoding="utf-8"))["locale"] == "zh_Hans"


# --- The format, run in Node.js as the browser runs it -------------------------------------------

RUNNER = r"""
global.window = { jsyaml: require(process.argv[1]) };
global.document = { addEventListener() {} };
require(process.argv[2]);
const f = window.siteCmsFormat;
const jobs = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = jobs.map(([kind, a, b]) => {
  if (kind === "same") return f.toFile(f.fromFile(a));
  if (kind === "edit") { const d = f.fromFile(a); Object.assign(d, b); return f.toFile(d); }
  return f.toFile(b);
});
process.stdout.write(JSON.stringify(out));
"""


def _node(jobs: list) -> list[str]:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Node.js is needed for the web editor's format tests")
        pytest.skip("Node.js not installed")
    yaml_js = admin.VENDOR / "js-yaml" / "js-yaml.min.js"
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "site-cms.js"  # as the build writes it: with the field table's order
        script.write_text(admin.script([]), encoding="utf-8")
        done = subprocess.run(
            [node, "-e", RUNNER, str(yaml_js), str(script)],
            input=json.dumps(jobs, ensure_ascii=False),
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        )
    return json.loads(done.stdout)


def test_every_hand_written_file_is_written_back_unchanged():
    paths = sorted(SAMPLE_CONTENT.rglob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    texts.append(texts[0].replace("\n", "\r\n"))  # Windows line ends stay
    assert _node([["same", t, None] for t in texts]) == texts


def test_an_edit_changes_only_its_line_and_a_new_field_goes_in_its_place():
    original = (SAMPLE_CONTENT / "news/2021/fuyi-zhuanjia-shenyi.md").read_text(encoding="utf-8")
    retitled, authored = _node(
        [
            ["edit", original, {"title": "新的标题：第二版"}],
            ["edit", original, {"author": "张明", "tags": ["行政复议"]}],
        ]
    )
    assert [(a, b) for a, b in zip(original.split("\n"), retitled.split("\n"), strict=True) if a != b] == [
        ("title: 市政府建立重大行政复议案件专家审议制度", "title: 新的标题：第二版")
    ]
    lines = authored.split("\n")
    assert lines[lines.index("tags: [行政复议]") :][:3] == [
        "tags: [行政复议]",
        "summary: " + _header(SAMPLE_CONTENT / "news/2021/fuyi-zhuanjia-shenyi.md")["summary"],
        "author: 张明",
    ]


def test_a_new_article_is_written_as_staff_write_one(tmp_path):
    (written,) = _node(
        [
            [
                "new",
                None,
                {
                    "body": "正文。\n",
                    "draft": False,
                    "summary": "",
                    "tags": [],
                    "title": "关于“法治宣传周”的通知：请各单位参加",
                    "slug": "fazhi-xuanchuan-zhou",
                    "category": "通知公告",
                    "date": "2021-12-01 09:00",
                    "source": "滨江市人民政府法制办公室",
                    "doc_no": "滨法办〔2021〕3号",
                    "index_no": "011283765/2021-00099",
                },
            ]
        ]
    )
    assert written == (
        "---\n"
        "title: 关于“法治宣传周”的通知：请各单位参加\n"
        "date: 2021-12-01 09:00\n"
        "category: 通知公告\n"
        "source: 滨江市人民政府法制办公室\n"
        "slug: fazhi-xuanchuan-zhou\n"
        "index_no: 011283765/2021-00099\n"
        "doc_no: 滨法办〔2021〕3号\n"
        "---\n\n正文。\n"
    )
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    (content / "news/2021/fazhi-xuanchuan-zhou.md").write_text(written, encoding="utf-8")
    loaded, found = load_site(content, dates.build_now())
    assert loaded is not None, [p.format() for p in found if p.is_error]
    assert any(a.slug == "fazhi-xuanchuan-zhou" and a.doc_no == "滨法办〔2021〕3号" for a in loaded.articles)


def test_values_yaml_would_misread_are_quoted():
    (written,) = _node(
        [
            [
                "new",
                None,
                {"title": "2021", "source": "#1: 来源", "tags": ["a, b", "yes"], "author": "  张明", "body": "x"},
            ]
        ]
    )
    header = yaml.safe_load(written.split("---")[1])
    assert header == {"title": "2021", "source": "#1: 来源", "tags": ["a, b", "yes"], "author": "  张明"}


@pytest.mark.parametrize("setting", [GITLAB, "cms: off\n", ""])
def test_a_build_has_the_editor_when_site_yml_names_a_git_server(project, setting):
    shutil.copyfile(SAMPLE_CONTENT / "news/2021/fuyi-zhuanjia-shenyi.md", project / "content/news/a.md")
    with open(project / "content/site.yml", "a", encoding="utf-8") as settings:
        settings.write(setting)
    built = build_project(project)
    assert built.returncode == 0, built.stdout + built.stderr
    admin_page = project / "site/admin/index.html"
    assert admin_page.is_file() == (setting == GITLAB)
    if setting == GITLAB:
        generated = yaml.safe_load((project / "site/admin/config.yml").read_text(encoding="utf-8"))
        assert generated["backend"]["name"] == "gitlab" and "local_backend" not in generated
        assert "proxy" not in json.dumps(generated)  # the published editor never talks to a local proxy
        for source in re.findall(r'(?:src|href)="([^"]+)"', admin_page.read_text(encoding="utf-8")):
            assert (admin_page.parent / source).resolve().is_file(), source  # the site's stylesheets too


# --- `site-builder cms`: what is checked before anything starts ----------------------------------


EXERCISED = {"E950", "E951", "E952", "E953", "E954"}  # each asserted below by its message


def _cms(*args: str, path: str | None = None, cache: Path | None = None, config: Path | None = None):
    env = {**os.environ, "PATH": path if path is not None else os.environ.get("PATH", "")}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "cms", "--config", str(config or ROOT / "mkdocs.yml"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_node_the_editor_says_what_to_install(tmp_path):
    done = _cms(path=str(tmp_path))  # no node, no npm on PATH
    assert done.returncode == 1
    assert "错误 E950 没有找到 Node.js（node）" in done.stderr and "修改方法：" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_busy_proxy_port_is_named_before_anything_starts():
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js not installed (the Node.js check comes first)")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = _cms("--proxy-port", str(port), "--dev-addr", "127.0.0.1:0")
    assert done.returncode == 1
    assert f"错误 E954 网页编辑本地服务的地址 127.0.0.1:{port} 已被占用" in done.stderr, done.stderr
    assert "--proxy-port 8082" in done.stderr and "Traceback" not in done.stderr


def test_a_body_edit_keeps_every_block_the_editor_only_reformatted():
    """The rich-text editor writes the whole body anew (here: a table's alignment row and padding,
    as Decap's serializer does); only the paragraph the staff member changed may differ."""
    original = (SAMPLE_CONTENT / "news/2021/chanquan-baohu-qingli-wancheng.md").read_text(encoding="utf-8")
    assert "| --- | ---: |" in original
    body = original.split("\n---\n", 1)[1]
    rewritten = (
        body.replace("| --- | ---: |", "| ---- | --- |")
        .replace("| 修改 | 4 |", "| 修改   | 4   |")
        .replace("废止的2件", "补充一句。废止的2件")
    )
    (edited,) = _node([["edit", original, {"body": rewritten}]])
    changed = [(a, b) for a, b in zip(original.split("\n"), edited.split("\n"), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].startswith("补充一句。废止的2件"), changed


def _fake(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.mark.skipif(sys.platform == "win32", reason="fake node and npm are shell scripts")
def test_a_failed_install_of_the_proxy_says_why(tmp_path):
    tools = tmp_path / "bin"
    tools.mkdir()
    _fake(tools, "node", "exit 0")
    _fake(tools, "npm", 'echo "npm error network request to https://registry.npmjs.org failed" >&2; exit 1')
    done = _cms("--proxy-port", "0", path=f"{tools}:/usr/bin:/bin", cache=tmp_path / "cache")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "错误 E951 安装网页编辑的本地服务 decap-server 失败：npm error network request" in done.stderr
    assert "npm config set registry" in done.stderr and "Traceback" not in done.stderr
    assert not list((tmp_path / "cache" / "site-builder").glob("decap-server-*/node_modules"))  # nothing half-installed


@pytest.mark.skipif(sys.platform == "win32", reason="a fake node is a shell script")
def test_a_proxy_that_does_not_start_is_reported(tmp_path):
    tools = tmp_path / "bin"
    tools.mkdir()
    _fake(tools, "node", "exit 3")
    _fake(tools, "npm", "exit 0")
    home = tmp_path / "cache" / "site-builder" / f"decap-server-{pins.DECAP_SERVER_VERSION}"
    entry = home / "node_modules" / "decap-server" / "dist" / "index.js"
    entry.parent.mkdir(parents=True)
    entry.write_text("", encoding="utf-8")  # installed, as far as site-builder can tell
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    done = _cms("--proxy-port", str(port), path=f"{tools}:/usr/bin:/bin", cache=tmp_path / "cache")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"错误 E952 网页编辑的本地服务 decap-server 没有启动（端口 {port}，退出码 3）" in done.stderr, done.stderr


def test_cms_off_stops_the_local_editor_too(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    with open(content / "site.yml", "a", encoding="utf-8") as settings:
        settings.write("cms: off\n")
    config = write_config(tmp_path, content, tmp_path / "site")
    done = _cms(config=config)
    assert (
        done.returncode == 1 and "错误 E953 网站设置关闭了网页编辑（content/site.yml 中写的是 cms: off）" in done.stderr
    )


def test_gitea_has_no_review_queue_in_the_editor(tmp_path):
    gitea = GITLAB.replace("backend: gitlab", "backend: gitea")
    settings, found = _settings(tmp_path, gitea)
    assert settings is not None and settings.cms.review is False, found  # the default there
    settings, found = _settings(tmp_path, gitea + "  review: true\n")
    assert settings is None
    assert any("cms.review" in p.format() and "review: false" in p.format() for p in found)
