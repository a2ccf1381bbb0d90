"""Every template escapes: hostile values in every header field and site setting, built
for real, and every page, feed and WeChat copy parsed as a browser or feed reader would."""

from __future__ import annotations

import json
import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import build_project, run_cli
from tests.test_sanitize import hostile_in_site

TITLE = "通知</title><script>alert(1)</script>"
QUOTED = '关于开展"依法治市"宣传月活动的通知'
SUMMARY = '"><img src=x onerror=alert(2)>'
TAG_1 = "<script>alert(3)</script>"
TAG_2 = '"onmouseover="alert(4)'
AUTHOR = "张明<img src=x onerror=alert(5)>"
SOURCE = "法制办</a><svg onload=alert(6)>"
CATEGORY = "通知<img src=x onerror=alert(7)>公告"
SITE_NAME = "滨江市法制办</title><script>alert(8)</script>"
INDEX_NO = '011283765/2021-00012"><script>alert(9)</script>'


def _article(title: str, slug: str) -> str:
    return (
        "---\n"
        f"title: '{title}'\n"
        "date: 2021-05-08 15:30\n"
        f"category: '{CATEGORY}'\n"
        f"source: '{SOURCE}'\n"
        f"slug: {slug}\n"
        f"summary: '{SUMMARY}'\n"
        f"author: '{AUTHOR}'\n"
        f"tags: ['{TAG_1}', '{TAG_2}']\n"
        f"keywords: ['{TAG_2}']\n"
        f"index_no: '{INDEX_NO}-{slug}'\n"
        "allow: {W742: 测试, W741: 测试}\n"
        "---\n\n各单位：\n\n现将有关事项通知如下。\n"
    )


def _hostile_settings(project, url: str = "https://fzb.binjiang.gov.cn/") -> None:
    path = project / "content" / "site.yml"
    text = path.read_text(encoding="utf-8")
    replacements = {
        r"(?m)^name: .*$": f"name: '{SITE_NAME}'",
        r"(?m)^short_name: .*$": "short_name: '法制办<script>alert(10)</script>'",
        r"(?m)^url: .*$": f"url: '{url}'",
        r"(?m)^description: .*$": "description: '\"><script>alert(11)</script>'",
        r"(?m)^sponsor: .*$": "sponsor: '<b onclick=alert(12)>主办</b>'",
        r"(?m)^organizer: .*$": "organizer: '</p><script>alert(13)</script>'",
        r"(?m)^  address: .*$": "  address: '<script>alert(14)</script>'",
        r"(?m)^  - name: 通知公告$": f"  - name: '{CATEGORY}'",
        r"(?m)^    description: 市政府法制办发布的通知、公告与公示。$": "    description: '<img src=x onerror=alert(15)>'",
    }
    for pattern, new in replacements.items():
        text, count = re.subn(pattern, lambda _m, new=new: new, text, count=1)
        assert count == 1, pattern
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def hostile_site(project):
    _hostile_settings(project)
    folder = project / "content" / "news" / "2021"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.md").write_text(_article(TITLE, "hostile"), encoding="utf-8")
    (folder / "b.md").write_text(_article(QUOTED, "quoted"), encoding="utf-8")
    checked = run_cli("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = build_project(project)
    assert built.returncode == 0, built.stdout + built.stderr
    return project / "site"


def test_no_field_breaks_out_of_its_place(hostile_site):
    site = hostile_site
    assert hostile_in_site(site) == []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        tree = LexborHTMLParser(text)
        for node in tree.css("img, svg, b"):
            assert "onerror" not in node.attributes and "onclick" not in node.attributes, page
        if page.parent.name != "wechat" or page.name == "index.html":
            assert len(tree.css("title")) == (1 if "<title>" in text else 0), page
    article = LexborHTMLParser((site / "articles/hostile/index.html").read_text(encoding="utf-8"))
    assert article.css_first("title").text() == f"{TITLE} - {CATEGORY} - {SITE_NAME}"
    metas = {m.attributes.get("name"): m.attributes.get("content") for m in article.css("meta[name]")}
    assert metas["ArticleTitle"] == TITLE
    assert metas["description"] == SUMMARY
    assert metas["SiteName"] == SITE_NAME
    assert article.css_first("h1").text() == TITLE
    quoted = LexborHTMLParser((site / "articles/quoted/index.html").read_text(encoding="utf-8"))
    metas = {m.attributes.get("name"): m.attributes.get("content") for m in quoted.css("meta[name]")}
    assert metas["ArticleTitle"] == QUOTED
    assert quoted.css_first("title").text().startswith(QUOTED + " - ")
    # The 栏目 name is shown as text wherever it appears (tabs, menu, lists, pages' titles).
    home = (site / "index.html").read_text(encoding="utf-8")
    assert CATEGORY in LexborHTMLParser(home).body.text()
    for tag in (TAG_1, TAG_2):
        assert any(tag == (a.text() or "").strip() for a in article.css("a")), tag
    wechat = json.loads((site / "wechat" / "hostile.json").read_text(encoding="utf-8"))
    assert wechat["title"] == TITLE


def test_site_url_must_be_an_origin(project):
    settings = project / "content" / "site.yml"
    original = settings.read_text(encoding="utf-8")
    for url in (
        'https://fzb.binjiang.gov.cn/"><script>alert(1)</script>',
        "javascript:alert(1)//fzb.binjiang.gov.cn/",
        "https://fzb.binjiang.gov.cn/<x>/",
        "https://user@fzb.binjiang.gov.cn/",
        "https://fzb.binjiang.gov.cn/?a=1",
        "ftp://fzb.binjiang.gov.cn/",
    ):
        settings.write_text(original, encoding="utf-8")
        _hostile_settings(project, url)
        result = run_cli("check", cwd=project)
        assert result.returncode == 1, url
        assert "E403" in result.stdout + result.stderr, url
