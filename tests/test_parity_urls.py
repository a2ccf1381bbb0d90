"""URLs that survive a move: slugs in the forms government CMSs use, and old addresses
(``aliases:``) that lead to the article — a static redirect page and a line of the
nginx map (the 301 itself is tested against a real nginx in test_deploy_config.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from site_builder.core.dates import TZ
from site_builder.core.loader import load_site
from tests.conftest import build_project

URL_CODES = {"E334", "E335", "E336"}
NOW = dt.datetime(2026, 11, 27, tzinfo=TZ)
HEADER = "---\ntitle: {title}\ndate: 2021-05-08 09:30\ncategory: 工作动态\nsource: 滨江市人民政府法制办公室\n{extra}---\n\n正文。\n"


def write(project: Path, name: str, extra: str, title: str = "测试文章") -> Path:
    path = project / "content/news/2021" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(title=title, extra=extra), encoding="utf-8")
    return path


def errors(project: Path, monkeypatch) -> list[tuple[str, str, int, str]]:
    monkeypatch.chdir(project)
    site, found = load_site(project / "content", NOW)
    wrong = [(p.code, p.path, p.line, p.message + p.hint) for p in found if p.is_error]
    assert (site is None) == bool(wrong)
    return wrong


def test_cms_slug_forms_are_accepted(project: Path, monkeypatch):
    write(project, "a", "slug: t20190102_123456\n")
    write(project, "t20200305_654321", "", title="文件名即网址")
    assert errors(project, monkeypatch) == []
    site, _ = load_site(project / "content", NOW)
    assert sorted(a.url for a in site.articles) == ["articles/t20190102_123456/", "articles/t20200305_654321/"]


def test_upper_case_slug_is_refused_with_the_lower_case_form(project: Path, monkeypatch):
    write(project, "a", "slug: T20190102_123456\n")
    [(code, path, line, text)] = errors(project, monkeypatch)
    assert (code, path, line) == ("E334", "content/news/2021/a.md", 6)
    assert "写成 t20190102_123456" in text and "aliases" in text


@pytest.mark.parametrize(
    ("alias", "why"),
    [
        ("news/2019/a.html", "要以 / 开头"),
        ("https://www.example.com/news/a.html", "不是本网站"),
        ("/news/2019/a.html?id=3", "“?”或“#”"),
        ("/news/2019/a b.html", "空格"),
        ("/", "首页"),
        ("/tags/fazhi/", "自动生成"),
        ("/news/../a.html", "“..”"),
    ],
)
def test_unusable_old_addresses_are_refused(project: Path, monkeypatch, alias, why):
    write(project, "a", f"slug: xin\naliases:\n  - /news/2019/ok.html\n  - {alias}\n")
    [(code, path, line, text)] = errors(project, monkeypatch)
    assert (code, path, line) == ("E335", "content/news/2021/a.md", 9)
    assert why in text


def test_an_address_belongs_to_one_article(project: Path, monkeypatch):
    write(project, "a", "slug: a\naliases: [/news/2019/old.html, /articles/b/]\n")
    write(project, "b", "slug: b\n", title="另一篇")
    write(project, "c", "slug: c\naliases: [/news/2019/old.html]\n", title="第三篇")
    (project / "content/files").mkdir()
    (project / "content/files/x.pdf").write_bytes(b"%PDF-1.4\n")
    write(project, "d", "slug: d\naliases: [/files/x.pdf]\n", title="第四篇")
    found = errors(project, monkeypatch)
    assert [(c, p, line) for c, p, line, _ in found] == [
        ("E336", "content/news/2021/a.md", 7),  # aliases: line 7 (slug: on 6)
        ("E336", "content/news/2021/c.md", 7),
        ("E336", "content/news/2021/d.md", 7),
    ]
    assert "/articles/b/" in found[0][3] and "content/news/2021/b.md:6" in found[0][3]
    assert "content/news/2021/a.md:7" in found[1][3]
    assert "content/files/x.pdf" in found[2][3]


def test_build_writes_redirect_pages_and_the_nginx_map(project: Path):
    write(
        project,
        "a",
        "slug: t20190102_123456\naliases:\n  - /news/2019/art_1.html\n  - https://fzb.binjiang.gov.cn/col/col12/\n",
    )
    body = "[旧网址](/news/2019/art_1.html) 和 [旧栏目](/col/col12/)"
    write(project, "b", "slug: b\n", title="另一篇").write_text(
        HEADER.format(title="另一篇", extra="slug: b\n") + "\n" + body + "\n", encoding="utf-8"
    )
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert (site / "articles/t20190102_123456/index.html").is_file()
    for page in ("news/2019/art_1.html", "col/col12/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert '<link rel="canonical" href="https://fzb.binjiang.gov.cn/articles/t20190102_123456/">' in text
        assert '<meta name="robots" content="noindex">' in text
        assert '<meta http-equiv="refresh" content="0; url=/articles/t20190102_123456/">' in text
        assert '新的地址是：<a href="/articles/t20190102_123456/">测试文章</a>' in text
    lines = (site / "redirects.map").read_text(encoding="utf-8").splitlines()
    assert '"/news/2019/art_1.html" "/articles/t20190102_123456/";' in lines
    assert '"/col/col12" "/articles/t20190102_123456/";' in lines
    assert '"/col/col12/" "/articles/t20190102_123456/";' in lines
    manifest = (site / "build.json").read_text(encoding="utf-8")
    assert "news/2019/art_1.html" in manifest and "redirects.map" in manifest


def test_a_draft_gets_no_redirect_and_links_to_its_old_address_are_refused(project: Path, monkeypatch):
    write(project, "a", "slug: a\ndraft: true\naliases: [/news/2019/old.html]\n")
    write(project, "b", "slug: b\n", title="另一篇").write_text(
        HEADER.format(title="另一篇", extra="slug: b\n") + "\n[旧](/news/2019/old.html)\n", encoding="utf-8"
    )
    [(code, path, _line, text)] = errors(project, monkeypatch)
    assert (code, path) == ("E330", "content/news/2021/b.md") and "草稿" in text
