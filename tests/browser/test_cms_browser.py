"""The web editor (/admin/, site_builder/outputs/cms) in headless Chromium, against `site-builder cms`.

A copy of the sample site in a fresh git repository; `site-builder cms` runs there as staff run
it (decap-server installed pinned into .cache/, the preview). A staff member's article made
through the form is a file `check` accepts and the build publishes with its image and
attachment; editing a hand-written article changes one line; a required field left empty is
refused; the page loads nothing from other hosts.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from tests.browser.conftest import CHROMIUM_ARGS, _free_port, missing
from tests.conftest import ROOT, SAMPLE_CONTENT, run_cli, write_config

pytestmark = pytest.mark.browser

# The guide's screenshots (docs/images/cms-*.png) are refreshed with SB_DOCS_SHOTS=1; otherwise
# each run's go to SB_SHOTS (default /tmp/shots), so a test run leaves the checkout as it was.
SHOTS = ROOT / "docs" / "images" if os.environ.get("SB_DOCS_SHOTS") else Path(os.environ.get("SB_SHOTS", "/tmp/shots"))
SHOTS.mkdir(parents=True, exist_ok=True)
HAND_WRITTEN = "content/news/2021/fuyi-zhuanjia-shenyi.md"


def _png(width: int, height: int) -> bytes:
    raw = b"".join(b"\x00" + bytes([31, 95, 168]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    head = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _addresses(port: int, proxy_port: int) -> list[str]:
    return ["--dev-addr", f"127.0.0.1:{port}", "--proxy-port", str(proxy_port)]


def _git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def cms(tmp_path_factory, chromium_path):
    """`site-builder cms` on a git copy of the sample site; yields (project, base URL, uploads)."""
    if not shutil.which("node") or not shutil.which("npm"):
        missing("Node.js and npm are needed for decap-server: apt-get install nodejs npm")
    project = tmp_path_factory.mktemp("cms")
    shutil.copytree(SAMPLE_CONTENT, project / "content")
    config = write_config(project, project / "content", project / "site")
    _git(project, "init", "-q")
    _git(project, "add", "content")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "sample")
    uploads = tmp_path_factory.mktemp("uploads")
    (uploads / "huiyi-xianchang.png").write_bytes(_png(64, 40))
    # Staff's files have Chinese names, spaces and full-width brackets: kept as they are.
    shutil.copyfile(next((SAMPLE_CONTENT / "files").rglob("*.pdf")), uploads / "培训会通知（2026）.pdf")
    port, proxy_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(ROOT / ".cache"),  # decap-server stays installed between runs
        "PYTHONFAULTHANDLER": "1",  # SIGABRT writes every thread's stack to the log (below: a Ctrl+C that hangs)
    }
    log = project / "cms.log"
    # A terminal's Ctrl+C reaches the program in the foreground. A test run started in the background
    # (a shell's `&`) ignores SIGINT, and a child inherits that: the cms would never see the Ctrl+C
    # below. It is started with SIGINT handled, as from a terminal.
    ignored = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with open(log, "w", encoding="utf-8") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "site_builder.cli",
                    "cms",
                    "--config",
                    str(config),
                    *_addresses(port, proxy_port),
                ],
                cwd=project,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
    finally:
        signal.signal(signal.SIGINT, ignored)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # the first run installs decap-server from npm
        while True:
            try:
                with urllib.request.urlopen(base + "/admin/config.yml", timeout=2) as answer:
                    if b"proxy_url" in answer.read():
                        break
            except OSError:
                pass
            assert proc.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.5)
        yield project, base, uploads
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            proc.wait(timeout=60)  # a loaded machine is slow to wind decap-server down
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)
            proc.wait(timeout=30)
            pytest.fail(f"site-builder cms did not end on Ctrl+C:\n{log.read_text(encoding='utf-8')[-6000:]}")
        with socket.socket() as probe:  # ... stops the proxy too
            assert probe.connect_ex(("127.0.0.1", proxy_port)) != 0, "decap-server still runs after Ctrl+C"


@pytest.fixture(scope="module")
def browser(chromium_path: str, playwright_driver):
    """Chromium with a Chinese interface language, as staff run it. (Not LANG=zh_CN.UTF-8: where that
    locale is not installed, as on a bare CI machine, Chromium cannot read Chinese file names to upload.)"""
    browser = playwright_driver.chromium.launch(executable_path=chromium_path, args=[*CHROMIUM_ARGS, "--lang=zh-CN"])
    yield browser
    browser.close()


@pytest.fixture
def editor(browser, cms):
    """A logged-in editor page; every request's host is recorded."""
    _project, base, _uploads = cms
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(60_000)  # Decap CMS is 5 MB of script: slow to start on a busy machine
    page = context.new_page()
    page.hosts = set()
    page.on("request", lambda request: page.hosts.add(request.url.split("/")[2]))
    page.goto(base + "/admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="文章").first.wait_for()
    yield page
    context.close()


def _wait_for_file(path: Path, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while not path.is_file():
        assert time.monotonic() < deadline, f"{path} was not written"
        time.sleep(0.2)
    time.sleep(0.5)  # the proxy writes the file, then its media
    return path.read_text(encoding="utf-8")


def _in_preview(page, text: str) -> None:
    """Wait until the preview shows ``text``. The preview renders the entry as the CMS holds it, which
    is what 立即发布 saves; on a busy machine the editor's own text can be ahead of it."""
    page.frame_locator("iframe").first.get_by_text(text, exact=False).first.wait_for()


def _publish(page) -> None:
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布", exact=True).click()


def _wait_saved(page, file: Path, edit: str) -> None:
    """Wait until ``file`` holds ``edit``. decap-server rewrites a file in place (truncate, then write):
    a read in between sees it empty or changed but not yet saved, which is not what the editor wrote.
    If it never does, say what the file and the editor hold instead."""
    deadline = time.monotonic() + 20
    while edit not in file.read_text(encoding="utf-8"):
        if time.monotonic() > deadline:
            diff = _git(file.parent, "diff", "--", file.name) or "(unchanged)"
            shown = page.inner_text("body")[:1500]
            pytest.fail(f"the edit was not saved: {edit!r} is not in {file.name}\n{diff}\nthe editor shows:\n{shown}")
        time.sleep(0.2)


def _pick_upload(page, file: Path, choose: str) -> None:
    """In the media library that just opened: upload ``file`` and use it."""
    page.locator("input[type=file]").last.set_input_files(str(file))
    page.get_by_text(file.name, exact=True).first.wait_for()
    page.get_by_role("button", name=choose).click()


def test_an_article_made_in_the_form_is_checked_and_published_with_its_image_and_attachment(editor, cms):
    project, base, uploads = cms
    page = editor
    page.goto(base + "/admin/#/collections/articles/new")
    page.get_by_label("标题", exact=True).fill("市法制办召开网页编辑培训会：各科室信息员参加")
    page.locator("input[type=datetime-local]").first.fill("2026-11-20T10:30")
    page.get_by_label("栏目", exact=True).click()
    page.get_by_role("option", name="工作动态").click()
    page.get_by_label("网址别名", exact=True).fill("wangye-bianji-peixun")
    body = page.locator("[data-slate-editor]")
    body.click()
    page.keyboard.type("11月20日，市法制办召开网页编辑培训会。")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="添加组件").click()
    page.get_by_text("图片", exact=True).last.click()
    page.get_by_role("button", name="选择图片").last.click()
    _pick_upload(page, uploads / "huiyi-xianchang.png", "选用已选中项目")
    page.get_by_label("图片说明（供读屏软件朗读，必填）").fill("培训会现场")
    page.get_by_role("button", name="新增附件").click()
    page.get_by_role("button", name="选择文件").last.click()
    _pick_upload(page, uploads / "培训会通知（2026）.pdf", "选用已选中项目")
    page.get_by_label("附件名称").fill("培训会通知")
    page.get_by_text("媒体资源").wait_for(state="hidden")
    preview = page.frame_locator("iframe").first
    preview.get_by_role("heading", name="市法制办召开网页编辑培训会：各科室信息员参加").wait_for()
    preview.get_by_text("培训会通知").wait_for()  # the attachment, as the article page lists it
    page.get_by_label("标题", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "cms-form.png"))
    _publish(page)

    saved = project / "content/news/2026/wangye-bianji-peixun.md"
    text = _wait_for_file(saved)
    head, body_text = text.split("\n---\n", 1)
    lines = head.removeprefix("---\n").split("\n")
    assert [line.split(":")[0] for line in lines] == [
        "title",
        "date",
        "category",
        "source",
        "slug",
        "attachments",
        "  - file",
        "    title",
    ], text
    assert lines[0] == "title: 市法制办召开网页编辑培训会：各科室信息员参加"
    assert lines[1] == "date: 2026-11-20 10:30"
    assert "\\u" not in text and "draft" not in text and '""' not in text
    assert "![培训会现场](../../images/photos/huiyi-xianchang.png)" in body_text
    assert (project / "content/images/photos/huiyi-xianchang.png").read_bytes() == (
        uploads / "huiyi-xianchang.png"
    ).read_bytes()
    assert (project / "content/files/培训会通知（2026）.pdf").is_file()
    header = yaml.safe_load(head.removeprefix("---\n"))
    assert header["attachments"] == [{"file": "files/培训会通知（2026）.pdf", "title": "培训会通知"}]

    checked = run_cli("check", "--content", str(project / "content"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_cli("build", "--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "built"))
    assert built.returncode == 0, built.stdout + built.stderr
    page_html = (project / "built/articles/wangye-bianji-peixun/index.html").read_text(encoding="utf-8")
    image = re.search(r'<img[^>]*alt="培训会现场"[^>]*>', page_html)
    assert image, page_html
    src = re.search(r'src="([^"]+)"', image.group(0)).group(1)
    assert (project / "built/articles/wangye-bianji-peixun" / src).resolve().is_file()
    link = re.search(r'<a href="([^"]+)" download>培训会通知</a>', page_html)
    assert link, page_html
    assert (project / "built/articles/wangye-bianji-peixun" / unquote(html.unescape(link.group(1)))).resolve().is_file()
    # Nothing from other hosts: the preview (the admin page, its scripts, the site's stylesheets) and
    # the local proxy (decap-server), named in the generated config.yml.
    with urllib.request.urlopen(base + "/admin/config.yml") as answer:
        proxy = yaml.safe_load(answer.read())["backend"]["proxy_url"].split("/")[2]
    assert page.hosts == {base.split("/")[2], proxy}, page.hosts


def test_editing_a_hand_written_article_changes_only_the_edited_line(editor, cms):
    project, base, _uploads = cms
    page = editor
    original = (project / HAND_WRITTEN).read_text(encoding="utf-8")
    old_title = yaml.safe_load(original.split("---")[1])["title"]
    page.goto(base + "/admin/#/collections/articles/entries/2021/fuyi-zhuanjia-shenyi")
    title = page.get_by_label("标题", exact=True)
    assert title.input_value() == old_title
    page.locator("[data-slate-editor]").wait_for()
    title.fill(old_title + "（修订）")
    _in_preview(page, old_title + "（修订）")
    page.screenshot(path=str(SHOTS / "cms-preview.png"))
    _publish(page)
    _wait_saved(page, project / HAND_WRITTEN, f"title: {old_title}（修订）")
    diff = _git(project, "diff", "-U0", "--", HAND_WRITTEN)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [f"-title: {old_title}", f"+title: {old_title}（修订）"], diff


def test_a_body_edit_in_the_rich_text_editor_changes_only_that_paragraph(editor, cms):
    """Decap's rich-text editor writes the whole body anew (its table rows lose their alignment);
    our format keeps every block the staff member did not change exactly as it was written."""
    project, base, _uploads = cms
    page = editor
    path = "content/news/2021/chanquan-baohu-qingli-wancheng.md"
    original = (project / path).read_text(encoding="utf-8")
    assert "| --- | ---: |" in original  # a right-aligned column the editor cannot express
    page.goto(base + "/admin/#/collections/articles/entries/2021/chanquan-baohu-qingli-wancheng")
    paragraph = page.locator("[data-slate-editor] p").filter(has_text="废止的2件文件分别涉及").first
    paragraph.click()
    page.keyboard.press("End")
    page.keyboard.type("（补充）", delay=80)
    _in_preview(page, "（补充）")
    _publish(page)
    _wait_saved(page, project / path, "（补充）")
    diff = _git(project, "diff", "-U0", "--", path)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) == 2, diff  # one line out, one in: the table and the other paragraphs as written
    assert changed[1].count("（补充）") == 1 and changed[1][1:].replace("（补充）", "") == changed[0][1:], diff


def test_a_required_field_left_empty_is_refused(editor, cms):
    project, base, _uploads = cms
    page = editor
    before = sorted((project / "content/news").rglob("*.md"))
    page.goto(base + "/admin/#/collections/articles/new")
    page.get_by_label("网址别名", exact=True).fill("mei-you-biaoti")
    page.get_by_label("栏目", exact=True).click()
    page.get_by_role("option", name="通知公告").click()
    page.locator("[data-slate-editor]").click()
    page.keyboard.type("没有标题的文章。")
    _publish(page)
    page.get_by_text("“标题”是必填项").wait_for()  # under the field, in the CMS's Chinese
    page.get_by_text("你漏掉了一个必填项").wait_for()  # and as a notice
    page.get_by_label("标题", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "cms-required.png"))
    time.sleep(1)
    assert sorted((project / "content/news").rglob("*.md")) == before


def test_the_article_list_at_phone_width(browser, cms):
    _project, base, _uploads = cms
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=2)
    page = context.new_page()
    page.goto(base + "/admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("市政府建立重大行政复议案件专家审议制度", exact=False).first.wait_for()
    page.screenshot(path=str(SHOTS / "cms-list-390.png"))
    context.close()


# --- The published editor under the guide's Content-Security-Policy, with the review queue ---------

ORIGIN = "https://fzb.test"  # a secure origin, as the office serves it (Decap needs crypto.randomUUID)


def _guide_csp() -> str:
    """The policy the authoring guide tells the maintainer to send for /admin/."""
    guide = (ROOT / "docs/authoring-guide.md").read_text(encoding="utf-8")
    block = guide.split("location /admin/ {", 1)[1].split("}", 1)[0]
    return re.search(r'Content-Security-Policy "([^"]+)"', block).group(1)


@pytest.fixture
def published_editor(browser, sample_site, tmp_path):
    """The /admin/ a build publishes, served with the guide's CSP at ORIGIN, on Decap's in-memory
    test backend (no Git server here) with the review queue on."""
    from site_builder.core import dates
    from site_builder.core.loader import load_site
    from site_builder.outputs.cms import admin, config

    site, _found = load_site(SAMPLE_CONTENT, dates.build_now())
    admin.write_admin(tmp_path, site, SAMPLE_CONTENT, serving=False)
    generated = config.build_config(config.inputs_of(site, SAMPLE_CONTENT), local_proxy="http://unused/")
    generated["backend"] = {"name": "test-repo"}
    generated["publish_mode"] = "editorial_workflow"
    (tmp_path / "admin/config.yml").write_text(yaml.safe_dump(generated, allow_unicode=True), encoding="utf-8")
    policy = _guide_csp()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(60_000)  # Decap CMS is 5 MB of script: slow to start on a busy machine
    elsewhere: list[str] = []

    def serve(route):
        url = route.request.url
        if not url.startswith(ORIGIN + "/"):
            elsewhere.append(url)
            return route.abort()
        rel = url[len(ORIGIN) + 1 :].split("?")[0].split("#")[0] or "index.html"
        path = (tmp_path if rel.startswith("admin/") else sample_site) / rel
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return route.fulfill(status=404, body="")
        return route.fulfill(path=str(path), headers={"Content-Security-Policy": policy})

    context.route("**/*", serve)
    page = context.new_page()
    page.admin_dir, page.site = tmp_path / "admin", site
    page.violations = []
    page.on("console", lambda m: page.violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: page.violations.append(f"page error: {e}"))
    yield page
    assert elsewhere == [], elsewhere
    context.close()


def test_the_published_editor_runs_under_the_guides_csp_and_queues_articles_for_review(published_editor):
    page = published_editor
    page.goto(ORIGIN + "/admin/")
    page.get_by_role("button", name="登录").click()
    page.goto(ORIGIN + "/admin/#/collections/articles/new")
    page.get_by_label("标题", exact=True).fill("关于开展2026年度法治政府建设督察的通知")
    page.get_by_label("栏目", exact=True).click()
    page.get_by_role("option", name="通知公告").click()
    page.get_by_label("网址别名", exact=True).fill("fazhi-ducha-2026")
    page.locator("[data-slate-editor]").click()
    page.keyboard.type("各单位：现将督察工作安排通知如下。")
    page.frame_locator("iframe").first.get_by_role("heading", name="关于开展2026年度法治政府建设督察的通知").wait_for()
    page.get_by_role("button", name="保存").click()
    page.get_by_text("内容已保存").wait_for()
    page.get_by_role("button", name="状态: 草稿").click()  # the writer hands it to the reviewers
    page.get_by_text("待审核", exact=True).click()
    page.get_by_role("button", name="状态: 待审核").wait_for()
    page.goto(ORIGIN + "/admin/#/workflow")
    for column in ("草稿", "待审核（初审、复审）", "待发布（终审通过）"):
        page.get_by_role("heading", name=column).wait_for()
    page.get_by_text("1 篇待审核、0 篇待发布").wait_for()
    page.get_by_text("关于开展2026年度法治政府建设督察的通知").first.wait_for()
    page.get_by_text("内容已保存").wait_for(state="hidden")
    page.screenshot(path=str(SHOTS / "cms-workflow.png"))
    assert page.violations == [], page.violations


@pytest.mark.parametrize(
    ("backend", "button"),
    [("gitlab", "使用 GitLab 登录"), ("github", "使用 GitHub 登录"), ("gitea", "使用 Gitea 登录")],
)
def test_each_git_server_setting_gives_an_editor_that_loads_and_offers_its_login(published_editor, backend, button):
    """What site.yml's cms: generates for each server passes Decap's own configuration check: the page
    offers that server's login and has asked no other host for anything (the login itself is not run)."""
    from site_builder.core.model import CmsSettings
    from site_builder.outputs.cms import config

    page = published_editor
    review = backend != "gitea"  # Decap 3.16 refuses the review queue on Gitea (and so does check, E403)
    server = {"repo": "fzb/website", "base_url": "https://git.binjiang.gov.cn", "app_id": "abc123"}
    cms = CmsSettings(backend=backend, review=review, **server)
    settings = dataclasses.replace(page.site.settings, cms=cms)
    generated = config.build_config(config.inputs_of(dataclasses.replace(page.site, settings=settings), SAMPLE_CONTENT))
    (page.admin_dir / "config.yml").write_text(config.dump(generated), encoding="utf-8")
    page.goto(ORIGIN + "/admin/")
    page.get_by_role("button", name=button).wait_for()
    assert "Config Errors" not in page.inner_text("body")
    assert page.violations == [], page.violations
