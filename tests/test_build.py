"""End-to-end: build the sample site and small sites, and check what a reader gets."""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

import lxml.html
import yaml
from bs4 import BeautifulSoup

from tests.conftest import SAMPLE_CONTENT, build_project, run_cli, run_cli_process, write_config

BEIJING_2030_0800 = 1893456000  # 2030-01-01 08:00 in Asia/Shanghai

ARTICLE = """---
title: {title}
date: {date}
category: {category}
source: 滨江市人民政府法制办公室
slug: {slug}
{extra}---

{body}
"""


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def html_tree(path: Path) -> lxml.html.HtmlElement:
    """The page as libxml2 reads it, without BeautifulSoup's tree on top: the checks that read every
    page of the site use it (a twentieth of the CPU)."""
    return lxml.html.document_fromstring(path.read_text(encoding="utf-8"))


def rel(node) -> list[str]:
    """A link's rel values, as BeautifulSoup lists them."""
    return (node.get("rel") or "").split()


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def sample_articles() -> list[tuple[Path, dict]]:
    return [(p, front(p)) for p in sorted((SAMPLE_CONTENT / "news").rglob("*.md"))]


def write_article(project: Path, name: str, **fields) -> Path:
    values = {
        "title": "测试文章",
        "date": "2021-05-08 09:30",
        "category": "工作动态",
        "slug": name,
        "extra": "",
        "body": "正文第一段。",
    } | fields
    path = project / "content" / "news" / f"{name}.md"
    path.write_text(ARTICLE.format(**values), encoding="utf-8")
    return path


# --- the sample site -----------------------------------------------------------------


def test_sample_site_has_every_kind_of_page(sample_site: Path):
    """A step MkDocs silently skipped would leave one of these missing."""
    for rel in [
        "index.html",
        "news/index.html",
        "news/page/2/index.html",
        "news/gongzuo-dongtai/index.html",
        "tags/index.html",
        "archive/index.html",
        "archive/2020/index.html",
        "archive/2021/index.html",
        "search/index.html",
        "cleanups/index.html",
        "about/accessibility/index.html",
        "pagefind/bundles.json",
        "sitemap.xml",
        "404.html",
    ]:
        assert (sample_site / rel).is_file(), rel


def test_published_articles_and_only_those(sample_site: Path):
    published, unpublished = [], []
    for _path, meta in sample_articles():
        is_future = str(meta["date"]).startswith("2031")
        (unpublished if meta.get("draft") or is_future else published).append(meta["slug"])
    assert len(published) >= 30 and len(unpublished) == 2
    for slug in published:
        assert (sample_site / "articles" / slug / "index.html").is_file(), slug
    for slug in unpublished:
        assert not (sample_site / "articles" / slug).exists(), slug
        assert slug not in (sample_site / "news/index.html").read_text(encoding="utf-8")
    assert not list(sample_site.rglob("*.yml")), "data files must not be published"


def test_article_page_carries_government_metadata(sample_site: Path):
    _path, meta = next((p, m) for p, m in sample_articles() if m.get("doc_no") and m.get("attachments"))
    page = soup(sample_site / "articles" / meta["slug"] / "index.html")
    assert page.html["lang"] == "zh-CN"
    assert page.title.string == f"{meta['title']} - {meta['category']} - 滨江市人民政府法制办公室"
    names = {m.get("name"): m.get("content") for m in page.find_all("meta") if m.get("name")}
    assert names["SiteName"] == "滨江市人民政府法制办公室"
    assert names["SiteDomain"] == "fzb.binjiang.gov.cn"
    assert names["SiteIDCode"] == "4210000021"
    assert names["ArticleTitle"] == meta["title"]
    assert names["ContentSource"] == meta["source"]
    date = str(meta["date"])
    assert names["PubDate"] == date[:16]
    block = {
        dt.get_text(): dd.get_text()
        for dt, dd in zip(page.select(".sb-meta dt"), page.select(".sb-meta dd"), strict=False)
    }
    year, month, day = (int(x) for x in date[:10].split("-"))
    assert block["发布日期"] == f"{year}年{month}月{day}日 {date[11:16]}"
    assert block["来源"] == meta["source"]
    assert block["文号"] == meta["doc_no"]
    assert block["索引号"] == meta["index_no"]
    links = page.select(".sb-attachments li")
    assert len(links) == len(meta["attachments"])
    first = meta["attachments"][0]
    size = (SAMPLE_CONTENT / first["file"]).stat().st_size
    assert links[0].a.get_text() == first["title"]
    assert links[0].select_one(".sb-attachments__size").get_text() == f"（PDF，{max(1, round(size / 1024))} KB）"
    href = links[0].a["href"]
    assert (sample_site / "articles" / meta["slug"] / href).resolve().is_file()


def test_every_page_has_footer_skip_link_and_unique_title(sample_site: Path):
    titles = {}
    for html in sorted(sample_site.rglob("index.html")):
        if "pagefind" in html.parts:
            continue
        page = html_tree(html)
        first_link = next(page.body.iter("a"))
        assert first_link.text_content() == "跳到正文" and first_link.get("href") == "#sb-main", html
        assert page.xpath('//*[@id="sb-main"]')
        footer = page.xpath("//footer")[0].text_content()
        for text in [
            "主办单位：滨江市人民政府法制办公室",
            "网站标识码：4210000021",
            "鄂ICP备12345678号-1",
            "鄂公网安备 42118202000001号",
            "联系方式",
            "0713-6201234",
        ]:
            assert text in footer, (html, text)
        assert page.xpath('//footer//a[@href="https://beian.miit.gov.cn/"]')
        assert page.xpath('//footer//img[@alt="党政机关网站标识"]')
        assert len(page.xpath("//h1")) == 1, html
        title = page.findtext(".//title")
        assert title not in titles, f"{html} and {titles.get(title)} share the title {title}"
        titles[title] = html


def test_lists_are_newest_first_paginated_and_complete(sample_site: Path):
    published = sorted(
        (m for _, m in sample_articles() if not m.get("draft") and not str(m["date"]).startswith("2031")),
        key=lambda m: str(m["date"]),
        reverse=True,
    )
    seen = []
    page_dir = sample_site / "news"
    number = 1
    while True:
        page = soup(page_dir / "index.html" if number == 1 else page_dir / "page" / str(number) / "index.html")
        items = page.select(".sb-list .sb-item__title")
        assert 0 < len(items) <= 15
        seen += [a.get_text() for a in items]
        if not page.select_one('.sb-pagination a[rel="next"]'):
            break
        number += 1
    assert seen == [m["title"] for m in published]


def test_category_pages_and_previous_next_stay_in_the_category(sample_site: Path):
    by_slug = {m["slug"]: m for _, m in sample_articles()}
    for _path, meta in sample_articles():
        target = sample_site / "articles" / meta["slug"] / "index.html"
        if not target.exists():
            continue
        for link in soup(target).select(".sb-prevnext a"):
            other = link["href"].strip("/").split("/")[-1]
            assert by_slug[other]["category"] == meta["category"]
    page = soup(sample_site / "news/xingzheng-fuyi/index.html")
    titles = [a.get_text() for a in page.select(".sb-item__title")]
    expected = [m["title"] for _, m in sample_articles() if m["category"] == "行政复议"]
    assert sorted(titles) == sorted(expected)


def test_tag_and_archive_pages_list_their_articles(sample_site: Path):
    tag_index = soup(sample_site / "tags/index.html")
    link = next(a for a in tag_index.select(".sb-index a") if a.get_text() == "行政复议")
    assert (sample_site / "tags" / link["href"]).resolve() == (sample_site / "tags/xing-zheng-fu-yi").resolve()
    tagged = [
        m["title"]
        for _, m in sample_articles()
        if "行政复议" in (m.get("tags") or []) and not m.get("draft") and not str(m["date"]).startswith("2031")
    ]
    page = soup(sample_site / "tags/xing-zheng-fu-yi/index.html")
    assert sorted(a.get_text() for a in page.select(".sb-item__title")) == sorted(tagged)
    archive = soup(sample_site / "archive/2020/index.html")
    assert all(t.get("datetime", "").startswith("2020") for t in archive.select(".sb-item__meta time"))


def test_articles_are_never_listed_in_the_navigation(sample_site: Path):
    home = soup(sample_site / "index.html")
    nav_links = home.select(".md-tabs a, .md-nav a")
    assert nav_links and not [a for a in nav_links if "articles/" in a["href"]]
    article = next((sample_site / "articles").iterdir()) / "index.html"
    assert len(soup(article).select(".md-nav--primary a")) <= 12


def test_pages_load_nothing_from_other_hosts(sample_site: Path):
    for html in sample_site.rglob("*.html"):
        if html.parent == sample_site / "wechat":
            continue  # 公众号 fragments, not pages: WeChat needs absolute image URLs
        page = html_tree(html)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for node in page.iter(tag):
                value = node.get(attr) or ""
                if tag == "link" and rel(node) in (["canonical"], ["alternate"]):
                    continue
                assert not re.match(r"^(https?:)?//", value), (html, tag, value)


def test_sitemap_uses_content_dates(sample_site: Path):
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.startswith("<?xml")
    _path, meta = next((p, m) for p, m in sample_articles() if m.get("updated"))
    entry = re.search(rf"<loc>[^<]*/articles/{meta['slug']}/</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap)
    assert entry and entry.group(1) == str(meta["updated"])[:10]


def test_builds_are_byte_identical(tmp_path: Path, sample_site: Path):
    config = write_config(tmp_path, SAMPLE_CONTENT, tmp_path / "again", search=True)
    result = run_cli_process("build", "--config", str(config))  # another process: another hash seed
    assert result.returncode == 0, result.stderr
    comparison = filecmp.dircmp(sample_site, tmp_path / "again")
    differing = []

    def walk(cmp):
        differing.extend(cmp.diff_files + cmp.left_only + cmp.right_only)
        for sub in cmp.subdirs.values():
            walk(sub)

    walk(comparison)
    assert not differing
    _, mismatch, errors = filecmp.cmpfiles(
        sample_site, tmp_path / "again", ["index.html", "sitemap.xml.gz"], shallow=False
    )
    assert not mismatch and not errors


def test_plain_mkdocs_build_gives_the_same_site(tmp_path: Path, sample_site: Path):
    import subprocess
    import sys

    config = write_config(tmp_path, SAMPLE_CONTENT, tmp_path / "mk", search=True)
    env = {"SOURCE_DATE_EPOCH": "1795708800", "NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mk/index.html").read_bytes() == (sample_site / "index.html").read_bytes()
    article = next((sample_site / "articles").iterdir()).name
    assert (tmp_path / "mk/articles" / article / "index.html").read_bytes() == (
        sample_site / "articles" / article / "index.html"
    ).read_bytes()


# --- small sites ---------------------------------------------------------------------


def test_scheduled_article_appears_on_the_first_build_after_its_date(project: Path):
    write_article(project, "published-one", title="已发布的文章")
    write_article(project, "scheduled-one", title="定时发布的文章", date="2030-01-01 08:00")
    before = build_project(project, epoch=str(BEIJING_2030_0800 - 60))  # one minute early
    assert before.returncode == 0, before.stderr
    assert not (project / "site/articles/scheduled-one").exists()
    after = build_project(project, epoch=str(BEIJING_2030_0800))
    assert after.returncode == 0, after.stderr
    assert (project / "site/articles/scheduled-one/index.html").is_file()


def test_draft_is_never_published(project: Path):
    write_article(project, "draft-one", title="草稿文章", extra="draft: true\n")
    write_article(project, "normal-one", title="正常文章")
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    assert not (project / "site/articles/draft-one").exists()
    assert "草稿文章" not in (project / "site/news/index.html").read_text(encoding="utf-8")


def test_slug_keeps_the_url_when_the_title_changes(project: Path):
    write_article(project, "stable", title="原来的标题")
    build_project(project)
    first = sorted(p.relative_to(project / "site") for p in (project / "site/articles").rglob("*.html"))
    write_article(project, "stable", title="修改后的标题")
    build_project(project)
    second = sorted(p.relative_to(project / "site") for p in (project / "site/articles").rglob("*.html"))
    assert first == second == [Path("articles/stable/index.html")]


def test_build_with_errors_fails_in_chinese_without_traceback(project: Path):
    write_article(project, "bad-date", date="明天")
    write_article(project, "bad-column", category="不存在的栏目")
    result = build_project(project)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert "bad-date.md:3: 错误 E303" in output and "bad-column.md:4: 错误 E304" in output
    assert "构建失败" in output
    assert not (project / "site/index.html").exists()


def test_new_article_is_ready_to_build(project: Path):
    result = run_cli(
        "new", "关于开展2021年度行政执法案卷评查的通知", "--category", "通知公告", "--content", str(project / "content")
    )
    assert result.returncode == 0, result.stderr
    created = next((project / "content/news").rglob("*.md"))
    meta = front(created)
    assert meta["title"] == "关于开展2021年度行政执法案卷评查的通知"
    assert meta["category"] == "通知公告" and meta["source"] == "滨江市人民政府法制办公室"
    assert re.fullmatch(r"[a-z0-9-]+", meta["slug"])
    assert str(meta["date"]).startswith("2026-11-27")
    text = created.read_text(encoding="utf-8")  # the template's body is a placeholder (E701) until written
    created.write_text(text[: text.index("在这里写正文")] + "各有关单位：现将有关事项通知如下。\n", encoding="utf-8")
    check = run_cli("check", "--content", str(project / "content"))
    assert check.returncode == 0, check.stdout + check.stderr
    again = run_cli(
        "new", "关于开展2021年度行政执法案卷评查的通知", "--category", "通知公告", "--content", str(project / "content")
    )
    assert again.returncode == 0
    assert len(list((project / "content/news").rglob("*.md"))) == 2, "a second article must not overwrite the first"


def test_check_reports_clean_sample_site():
    result = run_cli("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stdout


def test_content_warnings_are_shown_but_do_not_stop_the_build(project: Path):
    settings = project / "content/site.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "wechat:\n  color: '#9ec5ff'\n", encoding="utf-8")
    write_article(project, "normal-one", title="正常文章")
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    assert "警告 W401" in result.stderr
    assert "构建完成" in result.stdout and "1 个警告" in result.stdout


# --- the preview (site-builder serve) ---------------------------------------------------


def test_preview_shows_an_edit_and_rebuilds_once_per_save(project: Path, tmp_path: Path):
    """The preview reacts to saves, not to files being read (the build reads content/)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    path = write_article(project, "preview-edit", title="预览前的标题")
    config = write_config(project, project / "content", project / "site", search=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "serve.log"

    def page() -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/preview-edit/", timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(text: str, limit: float) -> None:
        deadline = time.monotonic() + limit
        while text not in page():
            assert time.monotonic() < deadline, f"{text} not shown:\n{log.read_text(encoding='utf-8')}"
            time.sleep(0.05)

    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "site_builder.cli",
                "serve",
                "--config",
                str(config),
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        try:
            wait_for("预览前的标题", 120)
            time.sleep(1)
            path.write_text(path.read_text(encoding="utf-8").replace("预览前的标题", "修改后的标题"), encoding="utf-8")
            wait_for("修改后的标题", 30)
            time.sleep(3)  # a preview that rebuilds because it read files would still be rebuilding
        finally:
            server.terminate()
            server.wait(timeout=30)
    output = log.read_text(encoding="utf-8")
    assert output.count("正在生成预览") == 2, output
    assert "A 'dirty' build" not in output  # MkDocs' English warning about the preview's own design
