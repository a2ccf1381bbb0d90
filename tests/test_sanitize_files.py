"""Only checked files are published: pages the checks read, and attachments and images of
an allowed type whose content is what their name says. Real check and build runs."""

from __future__ import annotations

import json
import re
import shutil

from site_builder.core import content_files
from tests.conftest import ROOT, build_project, run_cli

ARTICLE = "---\ntitle: 关于开展法治宣传月活动的通知\ndate: 2021-05-08 15:30\ncategory: 通知公告\nsource: 滨江市人民政府法制办公室\n---\n\n各单位：\n\n现将有关事项通知如下。\n"
PNG = (ROOT / "content/images/photos/zhifa-peixun.png").read_bytes()
PDF = next((ROOT / "content/files").rglob("*.pdf")).read_bytes()

REFUSED = {
    "files/2021/通知.html": ("E750", b"<html><script>alert(1)</script></html>"),
    "files/2021/tongji.js": ("E750", b"alert(document.cookie)"),
    "images/chart.svg": ("E750", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "files/2021/style.css": ("E750", b"body{}"),
    "files/2021/page.xhtml": ("E750", b"<html/>"),
    "files/2021/noext": ("E750", b"x"),
    "images/photo.jpg": ("E751", b"<!doctype html><script>alert(1)</script>"),
    "images/PHOTO2.PNG": ("E751", b"%PDF-1.4 not a picture"),
    "files/2021/说明.txt": ("E751", b"<script>alert(1)</script>"),
    "files/2021/名单.pdf": ("E751", b"<html>not a pdf</html>"),
}
EXERCISED = {code for code, _ in REFUSED.values()}  # tests/test_bad_input.py: every code is tried
ACCEPTED = {
    "images/photo-ok.png": PNG,
    "images/IMG_0001.JPG": PNG,  # a PNG named .JPG (renamed by hand): still only a picture
    "files/2021/方案.pdf": PDF,
    "files/2021/名单.csv": "序号,名称\n1,滨江市\n".encode(),
    "files/2021/附件.docx": b"PK\x03\x04" + b"\0" * 40,
}
NOT_PUBLISHED = {
    "_private/secret.md": ARTICLE.encode(),
    "_private/secret.html": b"<script>alert(1)</script>",
    "news/2021/~$tongzhi.md": b"\xff\xfe~\x00",  # Word's lock file: binary, never read
    "news/2021/.tongzhi.md.swp": b"\0\0",
    ".git/config": b"[core]",
}


def _lay_out(project, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = project / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_check_and_build_refuse_active_and_disguised_files(project):
    (project / "content/news/2021").mkdir(parents=True)
    (project / "content/news/2021/tongzhi.md").write_text(ARTICLE, encoding="utf-8")
    _lay_out(project, {rel: data for rel, (_, data) in REFUSED.items()} | ACCEPTED | NOT_PUBLISHED)
    result = run_cli("check", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr
    problems = json.loads(result.stdout)["problems"]
    reported = {p["path"]: p["code"] for p in problems if p["code"] in {"E750", "E751"}}
    assert reported == {f"content/{rel}": code for rel, (code, _) in REFUSED.items()}
    assert all("修改方法" not in p["message"] and p["hint"] for p in problems)
    human = run_cli("check", cwd=project)
    assert "content/images/chart.svg: 错误 E750 SVG 图片不能发布" in human.stderr
    assert "content/images/photo.jpg: 错误 E751 文件 images/photo.jpg 的内容不是 .jpg 文件。" in human.stderr

    built = build_project(project)
    assert built.returncode == 1 and "E750" in built.stderr
    assert not (project / "site").exists()


def test_only_checked_files_reach_the_site(project):
    (project / "content/news/2021").mkdir(parents=True)
    (project / "content/news/2021/tongzhi.md").write_text(ARTICLE, encoding="utf-8")
    _lay_out(project, ACCEPTED | NOT_PUBLISHED)
    built = build_project(project)
    assert built.returncode == 0, built.stdout + built.stderr
    site = project / "site"
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    for rel in ACCEPTED:
        assert rel in published
    assert not [p for p in published if p.startswith(("_private", ".git")) or "~$" in p or "/." in p]
    assert not [p for p in published if p.startswith(("images/", "files/")) and p.endswith((".html", ".js", ".svg"))]
    shutil.rmtree(site)


def test_the_shipped_csp_runs_no_inline_script_and_no_sniffed_types():
    """What content/ may publish runs nowhere as script: no inline script is allowed, and a
    file served with a type that is not JavaScript is never run as script (nosniff)."""
    conf = (ROOT / "deploy/nginx/site_builder.conf").read_text(encoding="utf-8")
    csp = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', conf)[1]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["script-src"].split() == ["'self'", "'wasm-unsafe-eval'"]
    assert directives["object-src"] == "'none'"
    assert 'add_header X-Content-Type-Options "nosniff" always;' in conf
    for suffix in (".js", ".mjs", ".html", ".htm", ".svg", ".xhtml", ".xml", ".css", ".wasm"):
        assert suffix not in content_files.ALLOWED
