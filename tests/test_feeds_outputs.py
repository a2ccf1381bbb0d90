"""What readers, the portal and WeChat editors get, checked as they would see it.

- one summary per article, the same in every feed, the page's meta description, the
  公众号 metadata and the lists, free of headings, "#", footnotes, code, tables and markup;
- no broken internal link anywhere in site/ (a generated site proves it), a broken one
  stops the build with the page it is on;
- sitemap.xml valid against the sitemaps.org schema, with a content date for every page
  that has one, and no invalid sitemap file anywhere;
- feeds with channel icon and copyright, every attachment, percent-encoded URLs, announced
  by the pages whose feed it is;
- ``site-builder wechat PATH`` gives the very bytes the build gives.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree
from mkdocs.config import load_config

from benchmarks.generate import generate
from site_builder.adapter import wechat_markdown
from site_builder.core import dates
from site_builder.core.loader import load_site
from site_builder.outputs import sitelinks
from tests.conftest import FIXED_EPOCH, ROOT, SAMPLE_CONTENT, build_project, run_cli, write_config

SITE_URL = yaml.safe_load((SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))["url"]
SITEMAP_XSD = ROOT / "tests" / "fixtures" / "sitemap-0.9.xsd"
S = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
A = {"a": "http://www.w3.org/2005/Atom"}

CLUTTERED = """---
title: 关于开展行政执法评议考核的方案
date: 2021-05-08 09:30
category: 工作动态
source: 滨江市人民政府法制办公室
slug: pingyi-fangan
attachments:
  - file: files/评议 方案.pdf
    title: 评议方案全文
  - file: files/kaohe-biao.xlsx
    title: 考核评分表
---

## 一、评议范围

全市行政执法机关[^1]均参加评议。<span class="x">评议</span>由市政府统一组织。

    print("代码块中的文字")

| 表格 | 文字 |
| --- | --- |
| 不进摘要 | 1 |

![会场 照片](../images/hall photo.png)

<div class="note">评议结果向社会公开。</div>

### 二、评议方式

采取日常评议与年终评议相结合的方式。

[^1]: 脚注中的文字不进摘要。
"""
# The opening paragraphs' text: no heading, footnote, code, table, image, nor the raw <div> block.
EXPECTED_SUMMARY = "全市行政执法机关均参加评议。评议由市政府统一组织。 采取日常评议与年终评议相结合的方式。"
PLAIN = """---
title: 有摘要的文章
date: 2021-05-07 09:30
category: 工作动态
source: 滨江市人民政府法制办公室
slug: you-zhaiyao
summary: 写在文件头的摘要。
---

正文第一段。
"""


@pytest.fixture(scope="module")
def cluttered_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("outputs")
    content = project / "content"
    (content / "news").mkdir(parents=True)
    (content / "files").mkdir()
    (content / "images").mkdir()
    settings = (SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8")
    (content / "site.yml").write_text(re.sub(r"\nchecks:[^\n]*\n", "\\g<0>  W730: off\n", settings), encoding="utf-8")
    (content / "files" / "评议 方案.pdf").write_bytes(
        (SAMPLE_CONTENT / "files/2020/shijia-shicha-fangan.pdf").read_bytes()
    )
    (content / "files" / "kaohe-biao.xlsx").write_bytes(b"PK\x03\x04" + b"0" * 2000)
    (content / "images" / "hall photo.png").write_bytes(
        (SAMPLE_CONTENT / "images/photos/zhifa-peixun.png").read_bytes()
    )
    (content / "news" / "pingyi-fangan.md").write_text(CLUTTERED, encoding="utf-8")
    (content / "news" / "you-zhaiyao.md").write_text(PLAIN, encoding="utf-8")
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def meta_description(site: Path, path: str) -> list[str]:
    head = page(site, path).head
    return [m["content"] for m in head.find_all("meta") if m.get("name", "").lower() == "description"]


# --- one summary everywhere ----------------------------------------------------------------


def summaries_of(site: Path, slug: str) -> dict[str, str]:
    """The article's summary as each output shows it."""
    url = f"{SITE_URL}articles/{slug}/"
    rss = ET.parse(site / "feeds/rss.xml").getroot()
    atom = ET.parse(site / "feeds/atom.xml").getroot()
    feed = json.loads((site / "feeds/feed.json").read_text(encoding="utf-8"))
    listed = page(site, "news/index.html").find("a", href=f"../articles/{slug}/").find_parent("li")
    shown = listed.find(class_="sb-item__summary")
    (description,) = meta_description(site, f"articles/{slug}/index.html")
    return {
        "rss": next(i.findtext("description") for i in rss.iter("item") if i.findtext("link") == url),
        "atom": next(
            e.findtext("a:summary", namespaces=A)
            for e in atom.iterfind("a:entry", A)
            if e.findtext("a:id", namespaces=A) == url
        ),
        "json": next(i["summary"] for i in feed["items"] if i["url"] == url),
        "meta description": description,
        "wechat": json.loads((site / f"wechat/{slug}.json").read_text(encoding="utf-8"))["summary"],
        "list": shown.get_text() if shown else "",
    }


def test_every_output_shows_one_summary_without_page_clutter(cluttered_site: Path):
    found = summaries_of(cluttered_site, "pingyi-fangan")
    assert found == dict.fromkeys(found, EXPECTED_SUMMARY)


def test_a_written_summary_is_used_everywhere(cluttered_site: Path):
    found = summaries_of(cluttered_site, "you-zhaiyao")
    assert found == dict.fromkeys(found, "写在文件头的摘要。")


def test_sample_summaries_never_carry_anchors_or_footnote_marks(sample_site: Path):
    feed = json.loads((sample_site / "feeds/feed.json").read_text(encoding="utf-8"))
    for item in feed["items"]:
        slug = item["url"].removeprefix(SITE_URL + "articles/").strip("/")
        assert "#" not in item["summary"] and "↩" not in item["summary"], item["url"]
        assert meta_description(sample_site, f"articles/{slug}/index.html") == [item["summary"]]


# --- attachments, URLs ---------------------------------------------------------------------


def attachment_list(body: BeautifulSoup) -> list:
    return body.find("h2", string="附件").find_next_sibling("ol").find_all("a")


def test_feeds_carry_every_attachment_and_encoded_urls(cluttered_site: Path):
    url = f"{SITE_URL}articles/pingyi-fangan/"
    pdf = f"{SITE_URL}files/%E8%AF%84%E8%AE%AE%20%E6%96%B9%E6%A1%88.pdf"
    xlsx = f"{SITE_URL}files/kaohe-biao.xlsx"
    image = f"{SITE_URL}images/hall%20photo.png"
    rss = ET.parse(cluttered_site / "feeds/rss.xml").getroot()
    item = next(i for i in rss.iter("item") if i.findtext("link") == url)
    assert item.find("enclosure").get("url") == pdf
    body = BeautifulSoup(item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded"), "html.parser")
    assert [a["href"] for a in attachment_list(body)] == [pdf, xlsx]
    assert [img["src"] for img in body.find_all("img")] == [image]
    atom = ET.parse(cluttered_site / "feeds/atom.xml").getroot()
    entry = next(e for e in atom.iterfind("a:entry", A) if e.findtext("a:id", namespaces=A) == url)
    content = BeautifulSoup(entry.findtext("a:content", namespaces=A), "html.parser")
    assert [a["href"] for a in attachment_list(content)] == [pdf, xlsx]
    assert [link.get("href") for link in entry.iterfind("a:link[@rel='enclosure']", A)] == [pdf]
    feed = json.loads((cluttered_site / "feeds/feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["url"] == url)
    assert [a["url"] for a in item["attachments"]] == [pdf, xlsx]
    article = page(cluttered_site, "articles/pingyi-fangan/index.html")
    assert [img["src"] for img in article.select(".sb-article__body img")] == ["../../images/hall%20photo.png"]
    links = [a["href"] for a in article.select(".sb-attachments a")]
    assert links == ["../../files/%E8%AF%84%E8%AE%AE%20%E6%96%B9%E6%A1%88.pdf", "../../files/kaohe-biao.xlsx"]
    copy = (cluttered_site / "wechat/pingyi-fangan.html").read_text(encoding="utf-8")
    assert f'src="{image}"' in copy


def test_wechat_copy_lists_the_attachments(cluttered_site: Path):
    copy = BeautifulSoup((cluttered_site / "wechat/pingyi-fangan.html").read_text(encoding="utf-8"), "html.parser")
    lines = [p.get_text() for p in copy.find_all("p") if p.get_text().startswith("附件：")]
    size = (SAMPLE_CONTENT / "files/2020/shijia-shicha-fangan.pdf").stat().st_size
    assert lines == [
        f"附件：评议方案全文（PDF，{max(1, round(size / 1024))} KB），见原文链接",
        "附件：考核评分表（XLSX，2 KB），见原文链接",
    ]


def test_channels_have_an_icon_and_copyright(sample_site: Path):
    sponsor = yaml.safe_load((SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))["sponsor"]
    for folder in sorted(p.parent for p in sample_site.glob("feeds/**/rss.xml")):
        channel = ET.parse(folder / "rss.xml").getroot().find("channel")
        assert channel.findtext("copyright") == f"© {sponsor}"
        icon = channel.find("image")
        assert icon.findtext("link") == channel.findtext("link")
        assert icon.findtext("title") == channel.findtext("title")
        assert (sample_site / icon.findtext("url").removeprefix(SITE_URL)).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        atom = ET.parse(folder / "atom.xml").getroot()
        assert atom.findtext("a:rights", namespaces=A) == f"© {sponsor}"
        assert atom.findtext("a:icon", namespaces=A) == icon.findtext("url")
        assert json.loads((folder / "feed.json").read_text(encoding="utf-8"))["icon"] == icon.findtext("url")


def test_cleanup_pages_and_articles_announce_their_feeds(sample_site: Path):
    pages = [p for p in (sample_site / "cleanups").rglob("index.html")]
    assert len(pages) > 10  # index, batches, library, documents
    for html in pages:
        alternates = [
            link["href"] for link in page(sample_site, html.relative_to(sample_site)).head("link", rel="alternate")
        ]
        targets = [(html.parent / href).resolve() for href in alternates]
        assert targets[0] == (sample_site / "feeds/cleanups/rss.xml").resolve(), html
        assert all(t.is_file() for t in targets)
    article = page(sample_site, "articles/shijia-shicha-fangan/index.html")
    first = sample_site / "articles/shijia-shicha-fangan" / article.head.find("link", rel="alternate")["href"]
    assert first.resolve().parent.parent == (sample_site / "feeds").resolve()  # its 栏目's feed first


# --- sitemaps -------------------------------------------------------------------------------


def test_every_sitemap_file_is_valid_and_dates_every_dated_page(sample_site: Path):
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    files = sorted(sample_site.rglob("sitemap.xml"))
    assert len(files) > 1
    for path in files:
        document = etree.parse(str(path))
        assert schema.validate(document), f"{path}: {schema.error_log}"
    entries = {
        u.findtext("s:loc", namespaces=S): u.findtext("s:lastmod", namespaces=S)
        for u in ET.parse(sample_site / "sitemap.xml").getroot().findall("s:url", S)
    }
    batches, lapses = {}, set()
    for batch_file in (SAMPLE_CONTENT / "cleanups").glob("*.yml"):
        data = yaml.safe_load(batch_file.read_text(encoding="utf-8"))
        batches[data["slug"]] = str(data["decision"]["date"])
        # a document to be revised lapses the day after its deadline: its page changes that day
        lapses |= {str(r["deadline"] + dt.timedelta(days=1)) for r in data["records"] if r.get("deadline")}
    for slug, decided in batches.items():
        assert entries[f"{SITE_URL}cleanups/{slug}/"] == decided
    documents = {loc: lastmod for loc, lastmod in entries.items() if "/cleanups/library/" in loc}
    assert len(documents) > 10
    changed = {lastmod for loc, lastmod in documents.items() if not loc.endswith("library/")}
    assert changed <= set(batches.values()) | lapses and changed & lapses
    assert entries[f"{SITE_URL}cleanups/"] == entries[f"{SITE_URL}cleanups/library/"] == max(documents.values())
    undated = sorted(loc for loc, lastmod in entries.items() if lastmod is None)
    # pages written without a date: the accessibility statement, search, the 政府信息公开 texts
    static = ["about/accessibility/", "search/", "xxgk/apply/", "xxgk/guide/", "xxgk/rules/", "xxgk/statutory/"]
    assert undated == [SITE_URL + page for page in static]


# --- no broken link ---------------------------------------------------------------------------


def test_sample_site_has_no_broken_link(sample_site: Path):
    assert sitelinks.check_site(sample_site, SITE_URL) == []


def test_generated_site_without_accessibility_page_has_no_broken_link(tmp_path: Path):
    generate(tmp_path, 40, records=30)
    assert not (tmp_path / "content/about/accessibility.md").exists()
    result = build_project(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    url = yaml.safe_load((tmp_path / "content/site.yml").read_text(encoding="utf-8"))["url"]
    assert sitelinks.check_site(site, url) == []
    assert "about/accessibility" not in (site / "index.html").read_text(encoding="utf-8")
    assert "0 个警告" in result.stdout


@pytest.mark.parametrize("search", [False, True])
def test_a_broken_link_stops_the_build_and_names_its_page(project: Path, search: bool):
    """A link the content checks cannot see (here a theme's) is found in site/ itself. With search on,
    a full build checks its links while Pagefind still writes: the build fails as it would without, and
    leaves nothing of itself beside the project's files."""
    before = sorted(p.name for p in project.iterdir())
    theme = project / "theme"
    (theme / "partials").mkdir(parents=True)
    footer = theme / "partials" / "footer.html"
    text = (
        (ROOT / "site_builder/theme/partials/footer.html")
        .read_text(encoding="utf-8")
        .replace("</footer>", "<a href=\"{{ 'fuwu/zhinan/' | url }}\">办事指南</a></footer>")
    )
    footer.write_text(text, encoding="utf-8")
    config = write_config(project, project / "content", project / "site", search=search)
    marker = "  name: material\n"
    config.write_text(config.read_text(encoding="utf-8").replace(marker, f"{marker}  custom_dir: {theme.as_posix()}\n"))
    result = run_cli("build", "--config", str(config))
    assert result.returncode == 1
    assert "site/index.html: 错误 E771 这个页面上的链接“fuwu/zhinan/”指向的页面不存在" in result.stderr
    assert "site/news/index.html: 错误 E771 这个页面上的链接“../fuwu/zhinan/”指向的页面不存在" in result.stderr
    assert "Traceback" not in result.stderr
    time.sleep(1)  # anything still writing would have written by now
    after = sorted(p.name for p in project.iterdir())
    assert [name for name in after if name not in before and name not in ("theme", config.name, ".cache")] == []


def test_a_missing_accessibility_page_in_site_yml_is_an_error(project: Path):
    with open(project / "content" / "site.yml", "a", encoding="utf-8") as settings:
        settings.write("accessibility: about/wuzhangai.md\n")
    result = run_cli("check", "--content", str(project / "content"))
    assert result.returncode == 1
    assert "E770" in result.stderr and "about/wuzhangai.md" in result.stderr
    (project / "content" / "about").mkdir()
    (project / "content" / "about" / "wuzhangai.md").write_text("# 无障碍说明\n\n说明。\n", encoding="utf-8")
    assert build_project(project).returncode == 0
    home = page(project / "site", "index.html")
    assert home.find("a", string="无障碍说明")["href"] == "about/wuzhangai/"


def test_check_site_finds_missing_pages_files_and_anchors(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">a</a><a href="a/#x">x</a><a href="a/#nope">nope</a><a href="#top-id">t</a>'
        '<img src="b.png"><a href="https://example.gov.cn/a/">abs</a><a href="https://example.gov.cn/c/">c</a>'
        '<a href="https://www.gov.cn/">out</a><a href="mailto:a@b.cn">m</a><p id="top-id">'
        '<code>&lt;a href="nowhere/"&gt;</code>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">x</h2><a href="../">up</a><a href="../../x/">out</a>')
    found = [(b.page, b.href, b.what) for b in sitelinks.check_site(tmp_path, "https://example.gov.cn/")]
    assert found == [
        ("a/index.html", "../../x/", "页面"),
        ("index.html", "a/#nope", "锚点 #nope"),
        ("index.html", "b.png", "文件"),
        ("index.html", "https://example.gov.cn/c/", "页面"),
    ]


def test_check_site_with_a_helper_process_finds_the_same(tmp_path: Path, monkeypatch):
    """A full build's helper reads half of the pages (outputs/helper.py): same links found, same record."""
    from site_builder.outputs.helper import helper_process

    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/#x">x</a><a href="a/#nope">n</a><a href="z/">z</a>', "utf-8")
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">x</h2><a href="../#gone">g</a><img src="q.png">', "utf-8")
    (tmp_path / "b.html").write_text('<a href="index.html#no">i</a><a href="a/">a</a>', encoding="utf-8")
    url = "https://example.gov.cn/"
    alone = sitelinks.LinkRecord()
    expected = sitelinks.check_site(tmp_path, url, alone)
    assert len(expected) == 5
    monkeypatch.setattr(sitelinks, "SPLIT_FROM", 1)
    helper = helper_process()
    assert helper is not None
    try:
        shared = sitelinks.LinkRecord()
        assert sitelinks.check_site(tmp_path, url, shared, helper=helper) == expected
        assert shared == alone
    finally:
        helper.shutdown()
    gone = helper_process()
    gone.shutdown()  # a helper that cannot take work: the pages are read here
    assert sitelinks.check_site(tmp_path, url, helper=gone) == expected


# --- 404 ---------------------------------------------------------------------------------------


def test_404_page_is_chinese_with_search_and_ways_on(sample_site: Path):
    missing = page(sample_site, "404.html")
    assert missing.title.get_text().startswith("页面不存在")
    assert missing.find("h1").get_text() == "页面不存在"
    form = missing.find("form", class_="sb-notfound__search")
    assert form["action"] == "/search/" and form.find("input", attrs={"name": "q"})
    links = {a.get_text(): a["href"] for a in missing.select(".sb-notfound a")}
    settings = yaml.safe_load((SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))
    assert links["网站首页"] == "/"
    for category in settings["categories"]:
        assert links[category["name"]] == f"/news/{category['slug']}/"
    assert "Not found" not in missing.get_text()


# --- one body renderer ----------------------------------------------------------------------


def test_wechat_command_gives_the_builds_copy_byte_for_byte(sample_site: Path, tmp_path: Path):
    out = tmp_path / "copy.html"
    path = next(SAMPLE_CONTENT.glob("news/**/zonghe-xingzheng-zhifa-banfa.md"))
    result = run_cli("wechat", str(path), "--output", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    built = (sample_site / "wechat/zonghe-xingzheng-zhifa-banfa.html").read_bytes()
    assert b"cleanups/library/" in built  # a 文号 linked to the library, as a numbered reference
    assert out.read_bytes() == built
    # every other article, through the same function the command calls
    config = load_config(config_file=str(write_config(tmp_path, SAMPLE_CONTENT, tmp_path / "unused")))
    now = dt.datetime.fromtimestamp(int(FIXED_EPOCH), dates.TZ)
    site, _ = load_site(SAMPLE_CONTENT, now)
    compared = set()
    for article in site.published():
        built = sample_site / f"wechat/{article.slug}.html"
        if built.exists():  # the build makes the recent articles' copies (test_wechat.py: the others')
            copy = wechat_markdown.make_copy(article, site, config.markdown_extensions, config.mdx_configs)
            assert (copy.html + "\n").encode() == built.read_bytes(), article.src
            compared.add(built.name)
    assert compared == {p.name for p in (sample_site / "wechat").glob("*.html")} - {"index.html"}


def test_an_edited_opening_paragraph_reaches_the_lists_in_an_incremental_build(project: Path, tmp_path: Path):
    article = project / "content" / "news" / "bianji.md"
    article.write_text(PLAIN.replace("summary: 写在文件头的摘要。\n", "").replace("you-zhaiyao", "bianji"), "utf-8")
    assert build_project(project).returncode == 0
    article.write_text(article.read_text(encoding="utf-8").replace("正文第一段。", "改过的第一段。"), "utf-8")
    result = build_project(project)  # site/ and its record are there: only what changed is rendered
    assert result.returncode == 0 and "本次生成 0 个" not in result.stdout, result.stdout
    for listing in ("news/index.html", "news/gongzuo-dongtai/index.html", "archive/2021/index.html"):
        summaries = [p.get_text() for p in page(project / "site", listing).select(".sb-item__summary")]
        assert summaries == ["改过的第一段。"], listing
    assert meta_description(project / "site", "articles/bianji/index.html") == ["改过的第一段。"]
    clean = tmp_path / "clean"
    assert run_cli("build", "--config", str(write_config(tmp_path, project / "content", clean))).returncode == 0
    for listing in ("news/index.html", "archive/2021/index.html", "articles/bianji/index.html"):
        assert (project / "site" / listing).read_bytes() == (clean / listing).read_bytes(), listing


def test_after_a_merge_the_link_check_still_sees_what_the_merge_broke_in_pages_it_kept(tmp_path: Path):
    """Only pages the build wrote are read again; a kept page's link into a changed page's anchor,
    or to a page that has gone, is still found."""
    url = "https://example.gov.cn/"
    (tmp_path / "b").mkdir()
    (tmp_path / "index.html").write_text('<a href="b/#x">x</a><a href="c.html">c</a>', encoding="utf-8")
    (tmp_path / "b" / "index.html").write_text('<h2 id="x">x</h2><a href="../">up</a>', encoding="utf-8")
    (tmp_path / "c.html").write_text("<p>c</p>", encoding="utf-8")
    record = sitelinks.LinkRecord()
    assert sitelinks.check_site(tmp_path, url, record) == []

    (tmp_path / "b" / "index.html").write_text('<h2 id="y">y</h2><a href="../">up</a>', encoding="utf-8")  # b changed
    again = sitelinks.LinkRecord()
    found = sitelinks.check_site(tmp_path, url, again, kept={"index.html", "c.html"}, previous=record)
    assert [(b.page, b.href, b.what) for b in found] == [("index.html", "b/#x", "锚点 #x")]

    (tmp_path / "b" / "index.html").write_text('<h2 id="x">x</h2><a href="../">up</a>', encoding="utf-8")
    (tmp_path / "c.html").unlink()  # a page index.html links to has gone
    found = sitelinks.check_site(tmp_path, url, sitelinks.LinkRecord(), kept={"index.html"}, previous=record)
    assert [(b.page, b.href, b.what) for b in found] == [("index.html", "c.html", "文件")]
