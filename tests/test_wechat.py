"""公众号 copies: every fragment parsed and held to what the WeChat editor keeps (W-1…W-16).

The allow-lists below are this test's own, written from requirements §4 (doocs/md and
mdnice practice), not imported from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from tests.conftest import SAMPLE_CONTENT, build_project, run_cli, write_config

TAGS = {
    "section", "p", "span", "br", "hr", "strong", "b", "em", "i", "u", "s", "del", "sup", "sub", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "figure",
    "figcaption", "img", "pre", "code", "a",
}  # fmt: skip
ATTRIBUTES = {"style", "src", "alt", "href", "colspan", "rowspan"}
PROPERTIES = {
    "background-color", "border", "border-bottom", "border-collapse", "border-left", "border-radius", "border-top",
    "color", "display", "font-family", "font-size", "font-style", "font-weight", "height", "letter-spacing",
    "line-height", "list-style-type", "margin", "margin-bottom", "margin-left", "margin-right", "margin-top",
    "max-width", "overflow-x", "padding", "padding-bottom", "padding-left", "padding-right", "padding-top",
    "text-align", "text-decoration", "text-indent", "vertical-align", "white-space", "width", "word-break",
}  # fmt: skip
SITE_URL = yaml.safe_load((SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))["url"]

RICH = """---
title: 关于进一步规范行政执法公示、执法全过程记录和重大执法决定法制审核制度的实施意见解读
date: 2021-05-08 09:30
category: 工作动态
source: 滨江市司法局
slug: wx-rich
---

详见[司法部通知](https://www.moj.gov.cn/notice.html)和[国务院文件](https://www.gov.cn/zhengce/a.html)，
再看一次[司法部的同一通知](https://www.moj.gov.cn/notice.html)。网址 <https://www.gov.cn/bare.html> 直接写出。
本文[跳到结尾](#jie-wei)，另见[公众号文章](https://mp.weixin.qq.com/s/abc)和[另一篇](wx-plain.md)。
注释在此[^1]。

![会场照片](../images/hall.png){ width="300" }

| 事项 | 件数 |
| --- | ---: |
| 公示 | 12 |

- 第一级
    - 第二级
        - 第三级甲
        - 第三级乙
- 第一级二

法条原文：

    第1条  行政执法机关应当
    \t公示执法信息。

!!! note "提示"
    本意见自发布之日起施行。

## 结尾 {#jie-wei}

完。

[^1]: 见[国务院文件](https://www.gov.cn/zhengce/a.html)。
"""

PLAIN = """---
title: 一篇短文
date: 2021-05-07 09:30
category: 工作动态
source: 滨江市人民政府法制办公室
slug: wx-plain
summary: 短文摘要。
---

正文。
"""

EXTRA_EXTENSIONS = "markdown_extensions:\n  - footnotes\n  - admonition\n  - def_list\n  - abbr\n  - md_in_html\n"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def styles(tag: Tag) -> dict[str, str]:
    pairs = [d.split(":", 1) for d in tag.get("style", "").split(";") if d.strip()]
    return {k.strip(): v.strip() for k, v in pairs}


def references(root: BeautifulSoup) -> dict[int, str]:
    """参考资料: number -> URL, read from the fragment's closing list."""
    heading = root.find("p", string="参考资料")
    assert heading is not None
    found = {}
    for line in heading.find_next_siblings("p"):
        number, url = re.match(r"^\[(\d+)\] .+：(\S+)$", line.get_text()).groups()
        assert int(number) not in found
        found[int(number)] = url
    return found


def write_rich_project(project: Path, site_yml_extra: str = "") -> Path:
    (project / "content" / "images").mkdir()
    (project / "content" / "images" / "hall.png").write_bytes(
        (SAMPLE_CONTENT / "images/photos/zhifa-peixun.png").read_bytes()
    )
    (project / "content" / "news" / "wx-rich.md").write_text(RICH, encoding="utf-8")
    (project / "content" / "news" / "wx-plain.md").write_text(PLAIN, encoding="utf-8")
    if site_yml_extra:
        with open(project / "content" / "site.yml", "a", encoding="utf-8") as f:
            f.write(site_yml_extra)
    config = write_config(project, project / "content", project / "site")
    text = config.read_text(encoding="utf-8").replace("markdown_extensions:\n", EXTRA_EXTENSIONS)
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def rich_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("wechat")
    (project / "content" / "news").mkdir(parents=True)
    (project / "content" / "site.yml").write_bytes((SAMPLE_CONTENT / "site.yml").read_bytes())
    config = write_rich_project(project)
    result = run_cli("build", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    return project


# --- every fragment of the sample site ---------------------------------------------------------


def sample_articles(site: Path) -> list[tuple[str, Path]]:
    """Every article's slug, with where its fragment is when the build makes one."""
    slugs = sorted(p.parent.name for p in (site / "articles").glob("*/index.html"))
    assert slugs
    return [(slug, site / "wechat" / f"{slug}.html") for slug in slugs]


def sample_fragments(site: Path) -> list[tuple[str, Path]]:
    """The fragments the build made (the recent articles')."""
    made = [(slug, fragment) for slug, fragment in sample_articles(site) if fragment.exists()]
    assert made
    return made


def published_on(site: Path, slug: str) -> dt.date:
    meta = soup(site / "articles" / slug / "index.html").find("meta", attrs={"name": "PubDate"})
    return dt.date.fromisoformat(meta["content"][:10])


def test_recent_articles_have_a_fragment_and_metadata_and_link_to_the_one_staff_page(sample_site: Path):
    """Copies for what staff may still repost: articles within 365 days of the newest; no link to a missing one."""
    dates = {slug: published_on(sample_site, slug) for slug, _ in sample_articles(sample_site)}
    first_day = max(dates.values()) - dt.timedelta(days=365)
    recent = {slug for slug, day in dates.items() if day >= first_day}
    assert recent and recent != set(dates), "the sample site has recent and older articles"
    for slug, fragment in sample_articles(sample_site):
        link = soup(sample_site / "articles" / slug / "index.html").find("a", string="公众号版本")
        if slug not in recent:
            assert not fragment.exists() and link is None, slug
            continue
        assert fragment.is_file(), slug
        meta = json.loads((sample_site / "wechat" / f"{slug}.json").read_text(encoding="utf-8"))
        assert meta["slug"] == slug and meta["fragment"] == f"{slug}.html" and meta["path"] == f"articles/{slug}/"
        assert link is not None and link["href"] == f"../../wechat/?a={slug}", slug
    files = [p for p in (sample_site / "wechat").iterdir() if p.name != "index.html"]
    assert not [p for p in files if p.is_dir()], "one staff page, not one per article"
    # drafts, future and older articles have none
    assert {p.stem for p in files if p.suffix == ".html"} == recent == {p.stem for p in files if p.suffix == ".json"}
    listed = json.loads((sample_site / "build.json").read_text(encoding="utf-8"))["files"]
    assert {name.split("/")[1].rsplit(".", 1)[0] for name in listed if name.startswith("wechat/")} == recent | {"index"}


def check_fragment(root: BeautifulSoup, slug: str) -> None:
    """The rules of requirements §4 for one parsed fragment."""
    top = [c for c in root.contents if isinstance(c, Tag)]
    assert len(top) == 1 and top[0].name == "section", f"{slug}: one root element"
    assert "var(--" not in str(root), slug
    for tag in root.find_all(True):
        where = f"{slug}: <{tag.name}>"
        assert tag.name in TAGS, where
        assert set(tag.attrs) <= ATTRIBUTES, f"{where} {sorted(tag.attrs)}"
        assert set(styles(tag)) <= PROPERTIES, f"{where} {sorted(set(styles(tag)) - PROPERTIES)}"
        if tag.name == "a":
            assert re.match(r"^https?://mp\.weixin\.qq\.com/", tag["href"]), f"{where} {tag['href']}"
        if tag.name == "img":
            assert tag["src"].startswith("https://"), f"{where} {tag['src']}"
            assert tag.parent.name == "figure" and tag.find_next_sibling("figcaption").get_text() == tag["alt"]
        if tag.name == "table":
            box = tag.parent
            assert box.name == "section" and styles(box).get("overflow-x") == "auto", where
            for cell in tag.find_all(["th", "td"]):
                assert "color" in styles(cell), f"{where}: cell without its own text colour"
            for head in tag.find_all("th"):
                assert "background-color" in styles(head), where
        if tag.name in {"ul", "ol"}:
            assert tag.find_parent("li") is None, f"{where}: a list inside a list item"
            depth = 1 + len(tag.find_parents(["ul", "ol"]))
            assert depth <= 2, f"{where}: list nested {depth} levels"


def test_sample_fragments_keep_to_what_the_wechat_editor_accepts(sample_site: Path):
    for slug, fragment in sample_fragments(sample_site):
        root = soup(fragment)
        check_fragment(root, slug)
        source = soup(sample_site / "articles" / slug / "index.html").find("dt", string="来源").find_next("dd")
        closing = [p.get_text() for p in root.find_all("p")][-2:]
        assert closing == [f"来源：{source.get_text()}", f"原文链接：{SITE_URL}articles/{slug}/"], slug


def test_sample_images_are_absolute_https_with_captions(sample_site: Path):
    images = [img for _, fragment in sample_fragments(sample_site) for img in soup(fragment).find_all("img")]
    assert images, "the sample site has articles with photos"
    for img in images:
        assert img["src"].startswith(SITE_URL + "images/")
        assert img["alt"]


# --- a fixture article with every kind of content ----------------------------------------------


def test_links_become_numbered_references_one_per_url(rich_site: Path):
    root = soup(rich_site / "site" / "wechat" / "wx-rich.html")
    check_fragment(root, "wx-rich")
    text = root.get_text()
    refs = references(root)
    assert refs == {
        1: "https://www.moj.gov.cn/notice.html",
        2: "https://www.gov.cn/zhengce/a.html",
        3: f"{SITE_URL}articles/wx-plain/",
    }
    # the same URL keeps its number; the link text stays
    assert "司法部通知[1]" in text and "司法部的同一通知[1]" in text and "国务院文件[2]" in text
    assert "另一篇[3]" in text
    assert "https://www.gov.cn/bare.html 直接写出" in text  # a bare URL is printed, not numbered
    assert "跳到结尾，" in text  # in-page anchors lose the link, keep the text
    links = [a["href"] for a in root.find_all("a")]
    assert links == ["https://mp.weixin.qq.com/s/abc"]
    assert "见国务院文件[2]" in text  # the footnote reuses the number
    assert "[注1]" in text and root.find("p", string="注释") is not None


def test_lists_pre_images_and_notes_in_the_rich_article(rich_site: Path):
    root = soup(rich_site / "site" / "wechat" / "wx-rich.html")
    items = [li.get_text(strip=True) for li in root.find_all("li")]
    assert items == ["第一级", "第二级", "第三级甲", "第三级乙", "第一级二"]  # third level joined the second
    pre = root.find("pre")
    assert pre.get_text() == "第1条\u00a0\u00a0行政执法机关应当\u00a0\u00a0\u00a0\u00a0公示执法信息。"
    assert len(pre.find_all("br")) == 1
    img = root.find("img")
    assert img["src"] == f"{SITE_URL}images/hall.png" and styles(img)["width"] == "300px"
    assert root.find("figcaption").get_text() == "会场照片"
    assert root.find("p", string="提示") is not None and "本意见自发布之日起施行。" in root.get_text()


def test_default_theme_indents_and_justifies(rich_site: Path):
    root = soup(rich_site / "site" / "wechat" / "wx-plain.html")
    body = styles(root.find("p"))
    assert body["text-indent"] == "2em" and body["text-align"] == "justify"
    assert styles(root.section)["font-size"] == "16px"


def test_staff_page_stays_out_of_search_and_says_how_to_reach_it(rich_site: Path):
    site = rich_site / "site"
    page = soup(site / "wechat" / "index.html")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find(attrs={"data-pagefind-body": True}) is None
    assert "wechat/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert not [a for a in page.select("nav a") if "wechat/" in (a.get("href") or "")]
    # before wechat.js loads an article (no ?a=, or no JavaScript) the page explains itself
    notice = page.select_one("[data-sb-wx-notice]").get_text()
    assert "打开这篇文章" in notice and "“公众号版本”链接" in notice
    assert page.select_one("[data-sb-wx-view]").has_attr("hidden")


def test_metadata_holds_what_the_staff_page_shows(rich_site: Path):
    site = rich_site / "site"
    meta = json.loads((site / "wechat" / "wx-rich.json").read_text(encoding="utf-8"))
    assert meta["author"] == "滨江市司法局"
    assert meta["url"] == f"{SITE_URL}articles/wx-rich/"
    assert len(meta["title"]) > 32 and any(w.startswith("标题有") for w in meta["warnings"])
    assert 0 < len(meta["summary"]) <= 120 and meta["summary"].startswith("详见司法部通知")
    plain = json.loads((site / "wechat" / "wx-plain.json").read_text(encoding="utf-8"))
    assert plain["summary"] == "短文摘要。" and plain["warnings"] == []


def test_cli_writes_the_same_fragment_as_the_build(rich_site: Path, tmp_path: Path):
    out = tmp_path / "copy.html"
    result = run_cli("wechat", "content/news/wx-rich.md", "--config", "mkdocs.yml", "-o", str(out), cwd=rich_site)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (rich_site / "site" / "wechat" / "wx-rich.html").read_bytes()
    assert f"原文链接：{SITE_URL}articles/wx-rich/" in result.stdout
    assert "标题有" in result.stdout  # the warnings are printed too


def test_cli_refuses_a_file_that_is_not_an_article(rich_site: Path):
    result = run_cli("wechat", "content/site.yml", cwd=rich_site)
    assert result.returncode == 1
    assert "不是一篇文章" in result.stderr and "Traceback" not in result.stderr


# --- copies for recent articles only -------------------------------------------------------------

OLDER_DATE = "date: 2020-03-01 09:30"  # wx-rich, 432 days before wx-plain (the newest): outside the 365 days


def write_older_project(project: Path, site_yml_extra: str = "") -> Path:
    (project / "content" / "news").mkdir(parents=True)
    (project / "content" / "site.yml").write_bytes((SAMPLE_CONTENT / "site.yml").read_bytes())
    config = write_rich_project(project, site_yml_extra)
    rich = project / "content" / "news" / "wx-rich.md"
    rich.write_text(RICH.replace("date: 2021-05-08 09:30", OLDER_DATE), encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def older_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("wechat-older")
    result = run_cli("build", "--config", str(write_older_project(project)))
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_an_older_article_has_no_copy_and_nothing_links_to_one(older_site: Path):
    site = older_site / "site"
    assert not (site / "wechat" / "wx-rich.html").exists() and not (site / "wechat" / "wx-rich.json").exists()
    assert (site / "wechat" / "wx-plain.html").is_file() and (site / "wechat" / "wx-plain.json").is_file()
    page = site / "articles" / "wx-rich" / "index.html"
    assert soup(page).find("a", string="公众号版本") is None
    assert "wechat/?a=wx-rich" not in page.read_text(encoding="utf-8")
    plain = soup(site / "articles" / "wx-plain" / "index.html").find("a", string="公众号版本")
    assert plain is not None and plain["href"] == "../../wechat/?a=wx-plain"
    listed = json.loads((site / "build.json").read_text(encoding="utf-8"))["files"]
    assert "wechat/wx-rich.html" not in listed and "wechat/wx-plain.html" in listed
    for path in site.rglob("*"):  # no page, feed or sitemap points to the copy that is not there
        if path.is_file() and path.suffix in {".html", ".xml", ".json"} and path.parent.name != "pagefind":
            assert "wechat/wx-rich" not in path.read_text(encoding="utf-8"), path
    # the staff page says how to make an older article's copy
    older = soup(site / "wechat" / "index.html").select_one("[data-sb-wx-older]").get_text()
    assert "365 天" in older and "site-builder wechat" in older


def test_cli_makes_an_older_article_s_copy_as_a_build_that_includes_it(older_site: Path, tmp_path: Path):
    result = run_cli("wechat", "content/news/wx-rich.md", "--config", "mkdocs.yml", cwd=older_site)
    assert result.returncode == 0, result.stderr
    made = older_site / "公众号版本"
    assert "公众号版本/wx-rich.html" in result.stdout
    assert not (older_site / "site" / "wechat" / "wx-rich.html").exists(), "site/ stays as built: publish checks it"
    # the same site with a window wide enough for the article: its build makes the copy
    wide = tmp_path / "wide"
    wide.mkdir()
    build = run_cli("build", "--config", str(write_older_project(wide, "\nwechat:\n  recent_days: 1000\n")))
    assert build.returncode == 0, build.stdout + build.stderr
    for suffix in (".html", ".json"):
        built = wide / "site" / "wechat" / f"wx-rich{suffix}"
        assert (made / f"wx-rich{suffix}").read_bytes() == built.read_bytes(), suffix


def test_an_article_leaving_the_window_loses_its_copy_and_link_in_a_rebuild(tmp_path: Path):
    """A newer article moves the window: the next (incremental) build drops the copy the older one had."""
    config = write_older_project(tmp_path)
    rich = tmp_path / "content" / "news" / "wx-rich.md"
    rich.write_text(RICH, encoding="utf-8")  # 2021-05-08: recent
    assert run_cli("build", "--config", str(config)).returncode == 0
    assert (tmp_path / "site" / "wechat" / "wx-rich.html").is_file()
    newer = PLAIN.replace("2021-05-07", "2022-06-01").replace("wx-plain", "wx-newer").replace("一篇短文", "新文章")
    (tmp_path / "content" / "news" / "wx-newer.md").write_text(newer, encoding="utf-8")
    result = run_cli("build", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    assert {p.name for p in (site / "wechat").iterdir()} == {"index.html", "wx-newer.html", "wx-newer.json"}
    assert soup(site / "articles" / "wx-rich" / "index.html").find("a", string="公众号版本") is None
    listed = json.loads((site / "build.json").read_text(encoding="utf-8"))["files"]
    assert not [name for name in listed if name.startswith("wechat/wx-rich")]


def test_the_window_is_a_setting(tmp_path: Path):
    write_older_project(tmp_path, "\nwechat:\n  recent_days: 0\n")
    result = run_cli("check", "--content", str(tmp_path / "content"))
    assert result.returncode == 1
    assert re.search(r"site\.yml:\d+: 错误 E403 [^\n]*wechat\.recent_days", result.stderr), result.stderr


# --- the theme in site.yml -----------------------------------------------------------------------


def test_site_settings_change_the_theme(project: Path):
    write_rich_project(project, '\nwechat:\n  color: "#B22222"\n  font_size: 18\n  indent: false\n  justify: false\n')
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    root = soup(project / "site" / "wechat" / "wx-plain.html")
    assert styles(root.section)["font-size"] == "18px"
    body = styles(root.find("p"))
    assert body.get("text-indent") == "0" and body["text-align"] == "left"
    rich = soup(project / "site" / "wechat" / "wx-rich.html")
    assert styles(rich.find("h2"))["color"] == "#b22222"


def test_bad_theme_values_are_reported_with_their_lines(project: Path):
    write_rich_project(project, "\nwechat:\n  color: blue\n  font_size: 20\n  justify: 是\n  colour: red\n")
    result = run_cli("check", "--content", str(project / "content"))
    assert result.returncode == 1
    lines = (project / "content" / "site.yml").read_text(encoding="utf-8").split("\n")
    for key, code in (("color", "E403"), ("font_size", "E403"), ("justify", "E403"), ("colour", "E405")):
        line = next(i for i, text in enumerate(lines, start=1) if text.startswith(f"  {key}:"))
        assert re.search(rf"site\.yml:{line}: 错误 {code} [^\n]*wechat\.{key}", result.stderr), (key, result.stderr)
    assert "14 到 18 之间的整数" in result.stderr


def test_a_pale_main_colour_is_a_warning_not_an_error(project: Path):
    write_rich_project(project, '\nwechat:\n  color: "#07c160"\n')
    result = run_cli("check", "--content", str(project / "content"))
    assert result.returncode == 0, result.stderr
    assert re.search(r"site\.yml:\d+: 警告 W401 公众号版本的主色 #07c160 在白色背景上对比度只有 2\.4:1", result.stdout)


def test_copies_fall_back_to_the_build_process_where_no_worker_can_start(monkeypatch, tmp_path):
    """Some containers have no semaphores for a second process: the build must still make every copy."""
    from site_builder.outputs.wechat import copy as wechat

    def refuse(*args, **kwargs):
        raise OSError("[Errno 38] Function not implemented")

    monkeypatch.setattr(wechat, "ProcessPoolExecutor", refuse)
    assert wechat.background_copies(tmp_path, None) is None


def test_copies_the_worker_made_in_a_staged_build_are_not_made_again(monkeypatch, tmp_path):
    """A clean build with no site/ yet: the worker has written every copy into the staged folder;
    the build's own process must not make them a second time (it looked for them in site/)."""
    from types import SimpleNamespace

    from site_builder.outputs.wechat import copy as wechat

    stage, live = tmp_path / "stage", tmp_path / "site"
    (stage / wechat.OUTPUT_DIR).mkdir(parents=True)
    for suffix in ("html", "json"):
        (stage / wechat.OUTPUT_DIR / f"made.{suffix}").write_text("made by the worker", encoding="utf-8")
    made_again = []
    monkeypatch.setattr(wechat, "_write_copy", lambda site_dir, article, body, settings: made_again.append(article))
    made, missing = SimpleNamespace(src="news/made.md", slug="made"), SimpleNamespace(src="news/b.md", slug="b")
    bodies = {"news/made.md": "<p>甲</p>", "news/b.md": "<p>乙</p>"}
    written = wechat.write_copies(stage, [made, missing], bodies, None, {"news/made.md"}, kept_in=live)
    assert made_again == [missing]
    assert len(written) == 4
