"""Feeds, sitemap and robots.txt, as the portal and crawlers read them.

Golden files: the small site in tests/fixtures/sites/feeds/ gives the files in
tests/golden/feeds/. After an intended change, refresh them and review the diff:

    ./dev test tests/test_feeds.py --update-golden

Everything else is checked by parsing (ElementTree, feedparser, jsonschema,
BeautifulSoup): the W3C Feed Validation Service's rules that can be checked
offline (its source is not on PyPI and it needs the network), absolute URLs,
permanent guids, dates equal to the page's 发布日期, order, count, exclusions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import email.utils
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from site_builder.core.settings import load_settings
from site_builder.outputs.feeds import body as feed_body
from tests.conftest import FIXED_EPOCH, ROOT, SAMPLE_CONTENT, run_cli, write_config
from tests.test_build import html_tree, rel

FIXTURE = ROOT / "tests" / "fixtures" / "sites" / "feeds" / "content"
GOLDEN = ROOT / "tests" / "golden" / "feeds"
SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
NOW = dt.datetime.fromtimestamp(int(FIXED_EPOCH), dt.timezone(dt.timedelta(hours=8)))
RFC822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0800$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
A = "{http://www.w3.org/2005/Atom}"
FEED_FILES = ("rss.xml", "atom.xml", "feed.json")


# --- helpers ----------------------------------------------------------------------------


def build(project: Path, content: Path, epoch: str = FIXED_EPOCH) -> Path:
    config = write_config(project, content, project / "site")
    result = run_cli("build", "--config", str(config), epoch=epoch)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def copy_fixture(tmp: Path) -> Path:
    content = tmp / "content"
    shutil.copytree(FIXTURE, content)
    return content


def settings_of(content: Path) -> dict:
    return yaml.safe_load((content / "site.yml").read_text(encoding="utf-8"))


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def moment(value) -> dt.datetime:
    """A front-matter date as YAML gives it, in Beijing time."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=NOW.tzinfo)


def articles(content: Path) -> list[dict]:
    return [front(p) for p in sorted((content / "news").rglob("*.md"))]


def published(content: Path) -> list[dict]:
    """What the office has released: neither draft nor dated after the build's "now"."""
    return [a for a in articles(content) if not a.get("draft") and moment(a["date"]) <= NOW]


def feed_dirs(site: Path) -> list[Path]:
    return sorted(p.parent for p in (site / "feeds").rglob("rss.xml"))


def rss_items(path: Path) -> list[ET.Element]:
    return ET.parse(path).getroot().findall("channel/item")


def local(site: Path, url: str, site_url: str) -> Path:
    """The file in site/ that an absolute site URL names."""
    assert url.startswith(site_url), url
    path = site / url[len(site_url) :].split("#")[0]
    return path / "index.html" if url.endswith("/") else path


def urls_in_html(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    found = []
    for node in page.find_all(True):
        for attribute in ("href", "src", "poster", "cite"):
            if node.get(attribute):
                found.append(node[attribute])
        if node.get("srcset"):
            found += [candidate.split()[0] for candidate in node["srcset"].split(",")]
    return found


def feed_htmls(folder: Path) -> list[str]:
    """Every HTML payload of one feed folder, in all three formats."""
    rss = ET.parse(folder / "rss.xml").getroot()
    atom = ET.parse(folder / "atom.xml").getroot()
    data = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
    return (
        [i.findtext("content:encoded", namespaces=NS) for i in rss.iter("item")]
        + [e.findtext(f"{A}content") for e in atom.iter(f"{A}entry")]
        + [i["content_html"] for i in data["items"]]
    )


@pytest.fixture(scope="module")
def feeds_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("feeds")
    return build(project, copy_fixture(project))


def golden_outputs(site: Path) -> dict[str, bytes]:
    files = [p for folder in feed_dirs(site) for p in (folder / n for n in FEED_FILES)]
    files += [site / "sitemap.xml", site / "robots.txt"]
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in files}


# --- golden files -----------------------------------------------------------------------


def test_feeds_match_golden_files(feeds_site: Path, update_golden: bool):
    produced = golden_outputs(feeds_site)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in produced.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(produced) == sorted(expected), "refresh with: ./dev test tests/test_feeds.py --update-golden"
    for name in sorted(produced):
        if produced[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(),
                produced[name].decode().splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
            )
            pytest.fail("\n".join(diff) + "\n\nIntended? ./dev test tests/test_feeds.py --update-golden")


def test_feeds_do_not_depend_on_the_clock(tmp_path: Path, feeds_site: Path):
    """Another "now" (still before the scheduled article) gives byte-identical feeds and sitemap."""
    later = str(int(dt.datetime(2029, 6, 1, tzinfo=NOW.tzinfo).timestamp()))
    again = build(tmp_path, copy_fixture(tmp_path), epoch=later)
    assert golden_outputs(again) == golden_outputs(feeds_site)


# --- the W3C validator's rules, checked offline -----------------------------------------


@pytest.mark.parametrize("site_name", ["fixture", "sample"])
def test_every_feed_parses_without_bozo(site_name: str, feeds_site: Path, sample_site: Path):
    site = feeds_site if site_name == "fixture" else sample_site
    for folder in feed_dirs(site):
        for name, version in (("rss.xml", "rss20"), ("atom.xml", "atom10")):
            parsed = feedparser.parse((folder / name).read_bytes())
            assert parsed.bozo == 0, (folder / name, parsed.get("bozo_exception"))
            assert parsed.version == version
            assert parsed.feed.language.lower() == "zh-cn"
        jsonschema.validate(json.loads((folder / "feed.json").read_text(encoding="utf-8")), SCHEMA)


def rss_problems(path: Path, site: Path, site_url: str) -> list[str]:
    """What the W3C Feed Validation Service (with its RSS best-practice profile) would flag."""
    found = []
    root = ET.parse(path).getroot()
    channel = root.find("channel")
    if root.get("version") != "2.0" or channel is None:
        return [f"{path}: not RSS 2.0"]
    for name in ("title", "link", "description", "language", "lastBuildDate"):
        if not (channel.findtext(name) or "").strip():
            found.append(f"channel: missing {name}")
    own_url = site_url + path.relative_to(site).as_posix()
    self_links = [ln for ln in channel.findall("atom:link", NS) if ln.get("rel") == "self"]
    if [(ln.get("href"), ln.get("type")) for ln in self_links] != [(own_url, "application/rss+xml")]:
        found.append(f"channel: atom:link rel=self should be {own_url}")
    if not RFC822.match(channel.findtext("lastBuildDate") or ""):
        found.append("channel: lastBuildDate is not RFC 822 with +0800")
    for item in channel.findall("item"):
        link = item.findtext("link") or ""
        where = f"item {link}"
        guid = item.find("guid")
        if guid is None or not guid.text:
            found.append(f"{where}: no guid")
        elif guid.get("isPermaLink") == "true" and not guid.text.startswith(site_url):
            found.append(f"{where}: isPermaLink guid is not a URL of the site")
        if not link.startswith(site_url) or not local(site, link, site_url).is_file():
            found.append(f"{where}: link is not an existing absolute URL")
        if not RFC822.match(item.findtext("pubDate") or ""):
            found.append(f"{where}: pubDate {item.findtext('pubDate')!r} is not RFC 822 with +0800")
        description = item.findtext("description") or ""
        if not description or "<" in description or len(description) > 200:
            found.append(f"{where}: description should be a short plain-text summary")
        if not item.findtext("content:encoded", namespaces=NS):
            found.append(f"{where}: no content:encoded")
        if item.find("author") is not None:
            found.append(f"{where}: RSS author must be an e-mail address; use dc:creator")
        if not item.findtext("dc:creator", namespaces=NS):
            found.append(f"{where}: no dc:creator (来源)")
        enclosures = item.findall("enclosure")
        if len(enclosures) > 1:
            found.append(f"{where}: more than one enclosure")
        for enclosure in enclosures:
            target = local(site, enclosure.get("url", ""), site_url)
            if not target.is_file() or enclosure.get("length") != str(target.stat().st_size):
                found.append(f"{where}: enclosure length is not the file's size")
            if not re.match(r"^[a-z]+/[\w.+-]+$", enclosure.get("type", "")):
                found.append(f"{where}: enclosure without a MIME type")
    return found


def atom_problems(path: Path, site: Path, site_url: str) -> list[str]:
    found = []
    root = ET.parse(path).getroot()
    if root.tag != f"{A}feed":
        return [f"{path}: not Atom"]
    for name in ("id", "title", "updated"):
        if not root.findtext(f"{A}{name}"):
            found.append(f"feed: missing {name}")
    own_url = site_url + path.relative_to(site).as_posix()
    if [ln.get("href") for ln in root.findall(f"{A}link") if ln.get("rel") == "self"] != [own_url]:
        found.append("feed: link rel=self should be the feed's own URL")
    for entry in root.findall(f"{A}entry"):
        where = f"entry {entry.findtext(f'{A}id')}"
        for name in ("id", "title", "updated", "published", "summary", "content"):
            if not entry.findtext(f"{A}{name}"):
                found.append(f"{where}: missing {name}")
        for name in ("updated", "published"):
            if not ISO.match(entry.findtext(f"{A}{name}") or ""):
                found.append(f"{where}: {name} is not RFC 3339 with +08:00")
        if entry.find(f"{A}author/{A}name") is None and root.find(f"{A}author/{A}name") is None:
            found.append(f"{where}: no author")
        links = entry.findall(f"{A}link")
        alternates = [(ln.get("type"), ln.get("hreflang")) for ln in links if ln.get("rel", "alternate") == "alternate"]
        if len(alternates) != 1 or len(set(alternates)) != len(alternates):
            found.append(f"{where}: needs exactly one alternate link")
        for link in links:
            if not link.get("href", "").startswith(site_url):
                found.append(f"{where}: relative link {link.get('href')}")
            if link.get("rel") == "enclosure" and not (link.get("type") and link.get("length")):
                found.append(f"{where}: enclosure without type or length")
        for category in entry.findall(f"{A}category"):
            if not category.get("term") or not category.get("scheme", "").startswith(site_url):
                found.append(f"{where}: category scheme must be an absolute IRI")
    return found


@pytest.mark.parametrize("site_name", ["fixture", "sample"])
def test_feeds_pass_the_validator_rules(site_name: str, feeds_site: Path, sample_site: Path):
    site = feeds_site if site_name == "fixture" else sample_site
    site_url = (settings_of(FIXTURE if site_name == "fixture" else SAMPLE_CONTENT))["url"]
    problems = []
    for folder in feed_dirs(site):
        problems += rss_problems(folder / "rss.xml", site, site_url)
        problems += atom_problems(folder / "atom.xml", site, site_url)
    assert problems == []


@pytest.mark.parametrize("site_name", ["fixture", "sample"])
def test_every_url_in_feed_bodies_is_absolute_and_no_script(site_name: str, feeds_site: Path, sample_site: Path):
    site = feeds_site if site_name == "fixture" else sample_site
    site_url = (settings_of(FIXTURE if site_name == "fixture" else SAMPLE_CONTENT))["url"]
    checked = 0
    for folder in feed_dirs(site):
        for html in feed_htmls(folder):
            page = BeautifulSoup(html, "html.parser")
            assert not page.find_all(["script", "style", "iframe"]), html
            assert not page.select("a.headerlink, .md-header, footer, nav"), "site chrome in the feed body"
            for url in urls_in_html(html):
                checked += 1
                assert re.match(r"^(https?://|mailto:)", url), (folder, url)
                if url.startswith(site_url):
                    assert local(site, url, site_url).exists(), url
    assert checked > 0


def test_images_attachments_and_srcset_become_absolute(feeds_site: Path):
    data = json.loads((feeds_site / "feeds" / "feed.json").read_text(encoding="utf-8"))
    site_url = settings_of(FIXTURE)["url"]
    urls = [u for item in data["items"] for u in urls_in_html(item["content_html"])]
    assert site_url + "images/huichang.png" in urls
    assert site_url + "images/huichang@2x.png" in urls  # from srcset
    # every attachment is a link in the body (RSS and Atom also carry the first as their one enclosure)
    with_attachments = next(i for i in data["items"] if len(i.get("attachments", [])) > 1)
    assert {a["url"] for a in with_attachments["attachments"]} <= set(urls_in_html(with_attachments["content_html"]))
    first = with_attachments["attachments"][0]
    rss = {i.findtext("link"): i for i in rss_items(feeds_site / "feeds" / "rss.xml")}
    enclosure = rss[with_attachments["url"]].find("enclosure")
    assert enclosure.get("url") == first["url"]
    assert enclosure.get("type") == "application/pdf"
    assert int(enclosure.get("length")) == (FIXTURE / first["url"][len(site_url) :]).stat().st_size


# --- content: order, count, dates, exclusions -------------------------------------------


def test_items_are_the_newest_published_newest_first(feeds_site: Path):
    settings = settings_of(FIXTURE)
    size = settings["feed_items"]
    released = sorted(published(FIXTURE), key=lambda a: moment(a["date"]), reverse=True)
    expected = {"feeds/": released}
    for category in settings["categories"]:
        expected[f"feeds/{category['slug']}/"] = [a for a in released if a["category"] == category["name"]]
    assert any(len(chosen) > size for chosen in expected.values()), "the fixture should exceed feed_items"
    for folder, chosen in expected.items():
        want = [settings["url"] + f"articles/{a['slug']}/" for a in chosen[:size]]
        items = rss_items(feeds_site / folder / "rss.xml")
        assert [i.findtext("link") for i in items] == want, folder
        atom = ET.parse(feeds_site / folder / "atom.xml").getroot()
        assert [e.findtext(f"{A}id") for e in atom.findall(f"{A}entry")] == want
        data = json.loads((feeds_site / folder / "feed.json").read_text(encoding="utf-8"))
        assert [i["id"] for i in data["items"]] == want
        dates = [email.utils.parsedate_to_datetime(i.findtext("pubDate")) for i in items]
        assert dates == sorted(dates, reverse=True)


def test_drafts_and_scheduled_articles_never_appear(feeds_site: Path):
    hidden = [a for a in articles(FIXTURE) if a not in published(FIXTURE)]
    assert {bool(a.get("draft")) for a in hidden} == {True, False}, "fixture needs a draft and a scheduled article"
    for folder in feed_dirs(feeds_site):
        text = "".join((folder / name).read_text(encoding="utf-8") for name in FEED_FILES)
        for article in hidden:
            assert article["slug"] not in text and article["title"] not in text


def test_item_dates_equal_the_page_publication_date(sample_site: Path):
    """pubDate, Atom published and JSON date_published: the page's 发布日期, at +08:00."""
    rss = rss_items(sample_site / "feeds" / "rss.xml")
    atom = {e.findtext(f"{A}id"): e for e in ET.parse(sample_site / "feeds" / "atom.xml").getroot().iter(f"{A}entry")}
    data = {i["id"]: i for i in json.loads((sample_site / "feeds" / "feed.json").read_text(encoding="utf-8"))["items"]}
    site_url = settings_of(SAMPLE_CONTENT)["url"]
    for item in rss:
        page = BeautifulSoup(
            local(sample_site, item.findtext("link"), site_url).read_text(encoding="utf-8"), "html.parser"
        )
        shown = page.find("meta", attrs={"name": "PubDate"})["content"]  # YYYY-MM-DD HH:MM
        guid = item.findtext("guid")
        for text in (
            item.findtext("pubDate"),
            atom[guid].findtext(f"{A}published"),
            data[guid]["date_published"],
        ):
            when = email.utils.parsedate_to_datetime(text) if "," in text else dt.datetime.fromisoformat(text)
            assert when.utcoffset() == dt.timedelta(hours=8), text
            assert f"{when:%Y-%m-%d %H:%M}" == shown, (guid, text, shown)


def test_updated_dates_and_last_build_date_come_from_content(feeds_site: Path):
    by_slug = {a["slug"]: a for a in published(FIXTURE)}
    for folder in feed_dirs(feeds_site):
        channel = ET.parse(folder / "rss.xml").getroot().find("channel")
        modified = []
        for item in channel.findall("item"):
            article = by_slug[item.findtext("link").rstrip("/").rsplit("/", 1)[-1]]
            expected = moment(article.get("updated") or article["date"])
            value = dt.datetime.fromisoformat(item.findtext("dcterms:modified", namespaces=NS))
            assert value == expected
            modified.append(value)
        if modified:
            last = email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate"))
            assert last == max(modified)
            atom = ET.parse(folder / "atom.xml").getroot()
            assert dt.datetime.fromisoformat(atom.findtext(f"{A}updated")) == max(modified)


def test_categories_creator_and_summary(feeds_site: Path):
    settings = settings_of(FIXTURE)
    by_slug = {a["slug"]: a for a in published(FIXTURE)}
    for category in settings["categories"]:
        for item in rss_items(feeds_site / "feeds" / category["slug"] / "rss.xml"):
            article = by_slug[item.findtext("link").rstrip("/").rsplit("/", 1)[-1]]
            terms = {(c.get("domain"), c.text) for c in item.findall("category")}
            assert (settings["url"] + "news/", category["name"]) in terms  # the 栏目
            assert {(settings["url"] + "tags/", t) for t in article.get("tags", [])} <= terms
            assert item.findtext("dc:creator", namespaces=NS) == article["source"]
            if article.get("summary"):
                assert item.findtext("description") == article["summary"]


def test_guid_survives_editing_title_body_and_column(tmp_path: Path, feeds_site: Path):
    content = copy_fixture(tmp_path)
    path = content / "news" / "2021" / "tuijinhui.md"
    article = front(path)
    before = {i.findtext("link"): i.findtext("guid") for i in rss_items(feeds_site / "feeds" / "rss.xml")}
    url = settings_of(content)["url"] + f"articles/{article['slug']}/"
    assert url in before
    text = path.read_text(encoding="utf-8")
    text = text.replace(f"title: {article['title']}", "title: 市政府召开法治政府建设推进会（更正）")
    text = text.replace(f"category: {article['category']}", "category: 通知公告")
    text = text.replace("会议要求", "会议强调并要求")
    path.write_text(text, encoding="utf-8")
    site = build(tmp_path, content)
    after = {i.findtext("link"): i for i in rss_items(site / "feeds" / "rss.xml")}
    edited = after[url]
    assert edited.findtext("title") == "市政府召开法治政府建设推进会（更正）"
    assert "会议强调并要求" in edited.findtext("content:encoded", namespaces=NS)
    assert edited.findtext("guid") == before[url]
    moved = {i.findtext("guid") for i in rss_items(site / "feeds" / "tongzhi-gonggao" / "rss.xml")}
    assert before[url] in moved
    atom_ids = {e.findtext(f"{A}id") for e in ET.parse(site / "feeds" / "atom.xml").getroot().iter(f"{A}entry")}
    assert before[url] in atom_ids


# --- discovery: <link rel="alternate">, the feeds page ----------------------------------


def test_every_page_announces_the_feeds_and_column_pages_their_own(sample_site: Path):
    settings = settings_of(SAMPLE_CONTENT)
    site_feed = (sample_site / "feeds/rss.xml").resolve()
    columns = {settings["url"] + f"news/{c['slug']}/": c["slug"] for c in settings["categories"]}
    pages = [
        p for p in sample_site.rglob("*.html") if p.name in {"index.html", "404.html"} and "pagefind" not in p.parts
    ]
    assert len(pages) > 20
    for html in pages:
        links = [(ln, rel(ln)) for ln in html_tree(html).head.iter("link")]
        # Resolved against the page as a browser or feed reader does (404.html is root-relative).
        alternates = [
            (
                ln.get("type"),
                (
                    sample_site / ln.get("href")[1:] if ln.get("href").startswith("/") else html.parent / ln.get("href")
                ).resolve(),
            )
            for ln, rels in links
            if "alternate" in rels
        ]
        assert ("application/rss+xml", site_feed) in alternates, html
        for _type, target in alternates:
            assert target.is_file(), target
            # what Material's bundle fetches beside each alternate link must exist
            assert (target.parent / "sitemap.xml").is_file(), target
        canonical = next((ln.get("href") for ln, rels in links if "canonical" in rels), None)
        if canonical in columns:
            own = (sample_site / f"feeds/{columns[canonical]}").resolve()
            assert alternates[0] == ("application/rss+xml", own / "rss.xml"), html
            assert {own / f for f in FEED_FILES} <= {target for _t, target in alternates}


def test_feeds_page_lists_every_feed_with_its_absolute_url(sample_site: Path):
    settings = settings_of(SAMPLE_CONTENT)
    page = BeautifulSoup((sample_site / "feeds" / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = [code.get_text() for code in page.select("article code.sb-feed-url")]
    files = sorted(p for folder in feed_dirs(sample_site) for p in (folder / n for n in FEED_FILES))
    assert sorted(shown) == sorted(settings["url"] + p.relative_to(sample_site).as_posix() for p in files)
    for link in page.select("article li a"):
        assert (sample_site / "feeds" / link["href"]).resolve().is_file(), link["href"]
    headings = [h.get_text() for h in page.select("article h2")]
    sections = ["规范性文件清理结果", settings["xxgk"]["title"]]
    assert headings == ["全部信息", *(c["name"] for c in settings["categories"]), *sections]
    footer = BeautifulSoup((sample_site / "index.html").read_text(encoding="utf-8"), "html.parser").footer
    assert footer.find("a", string="信息订阅")["href"] == "feeds/"


# --- sitemap.xml and robots.txt ---------------------------------------------------------


def noindex(page: Path) -> bool:
    """Pages that ask crawlers to stay away (staff tools such as the WeChat copies) are no sitemap pages."""
    robots = html_tree(page).xpath('//meta[@name="robots"]')
    return bool(robots) and "noindex" in robots[0].get("content", "")


def test_sitemap_lists_every_page_with_its_content_date(sample_site: Path):
    settings = settings_of(SAMPLE_CONTENT)
    site_url = settings["url"]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in ET.parse(sample_site / "sitemap.xml").getroot().findall("s:url", ns)
    }
    pages = {
        (site_url + p.parent.relative_to(sample_site).as_posix() + "/").replace(f"{site_url}./", site_url)
        for p in sample_site.rglob("index.html")
        if "pagefind" not in p.parts and not noindex(p)
    }
    assert set(entries) == pages
    released = published(SAMPLE_CONTENT)
    newest = max(moment(a.get("updated") or a["date"]) for a in released)
    for article in released:
        expected = moment(article.get("updated") or article["date"])
        assert entries[site_url + f"articles/{article['slug']}/"] == f"{expected:%Y-%m-%d}"
    assert entries[site_url] == f"{newest:%Y-%m-%d}"
    assert entries[site_url + "feeds/"] == f"{newest:%Y-%m-%d}"
    for category in settings["categories"]:
        dates = [moment(a["date"]) for a in released if a["category"] == category["name"]]
        assert entries[site_url + f"news/{category['slug']}/"] >= f"{max(dates):%Y-%m-%d}"
    plain = [p.relative_to(SAMPLE_CONTENT).with_suffix("") for p in SAMPLE_CONTENT.glob("about/*.md")]
    assert plain and all(entries[site_url + f"{p.as_posix()}/"] is None for p in plain)  # no content date
    assert f"{NOW:%Y-%m-%d}" not in entries.values()  # never the build date


def test_robots_txt_points_to_the_sitemap(sample_site: Path):
    lines = (sample_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")]
    assert sitemaps == [settings_of(SAMPLE_CONTENT)["url"] + "sitemap.xml"]
    assert (sample_site / "sitemap.xml").is_file()
    assert "User-agent: *" in lines


# --- units ------------------------------------------------------------------------------


def test_absolute_html_resolves_every_kind_of_url():
    base = "https://fzb.example.gov.cn/sub/articles/a/"
    html = (
        '<p><a href="../b/">b</a> <a href="#x">x</a> <a href="mailto:a@b.cn">m</a>'
        '<img src="../../images/p.png" srcset="../../images/p.png 1x, ../../images/p@2x.png 2x" alt="图">'
        "<span style=\"background: url('../../images/bg.png')\">s</span>"
        '<a href="javascript:alert(1)" onclick="x()">危险</a></p>'
        '<h2 id="x">标题<a class="headerlink" href="#x" title="Permanent link">#</a></h2><script>alert(2)</script>后文'
    )
    page = BeautifulSoup(feed_body.absolute_html(html, base), "html.parser")
    assert [a.get("href") for a in page.find_all("a")] == [
        "https://fzb.example.gov.cn/sub/articles/b/",
        "https://fzb.example.gov.cn/sub/articles/a/#x",
        "mailto:a@b.cn",
        None,
    ]
    assert page.img["src"] == "https://fzb.example.gov.cn/sub/images/p.png"
    assert (
        page.img["srcset"]
        == "https://fzb.example.gov.cn/sub/images/p.png 1x, https://fzb.example.gov.cn/sub/images/p@2x.png 2x"
    )
    assert "url(https://fzb.example.gov.cn/sub/images/bg.png)" in page.span["style"]
    assert not page.find_all("script") and not page.select(".headerlink") and not page.find(onclick=True)
    assert page.h2.get_text() == "标题"
    assert page.get_text().endswith("后文")


def test_plain_text_summary_is_short_and_has_no_markup():
    text = feed_body.shorten(feed_body.plain_text("<p>第一段" + "很长" * 100 + "</p><script>x()</script>"), 120)
    assert len(text) == 120 and text.endswith("…") and "<" not in text and "x()" not in text


def test_feed_items_setting(tmp_path: Path):
    site_yml = (SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8")
    (tmp_path / "site.yml").write_text(site_yml, encoding="utf-8")
    settings, _ = load_settings(tmp_path)
    assert settings is not None and settings.feed_items == 50  # the default
    (tmp_path / "site.yml").write_text(site_yml + "feed_items: 0\n", encoding="utf-8")
    settings, found = load_settings(tmp_path)
    line = len(site_yml.splitlines()) + 1
    assert settings is None
    assert [(p.code, p.line) for p in found] == [("E403", line)]
    assert "feed_items" in found[0].message and "1 到 200" in found[0].hint


def test_cleanup_batches_have_their_own_feed(sample_site: Path):
    """The portal can follow the cleanup results like a 栏目: one entry per batch."""
    import feedparser

    batches = sorted((SAMPLE_CONTENT / "cleanups").glob("*.yml"))
    parsed = feedparser.parse((sample_site / "feeds/cleanups/rss.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(batches) > 0
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    for entry in parsed.entries:
        assert entry.id == entry.link and entry.link.startswith("https://fzb.binjiang.gov.cn/cleanups/")
        page_dir = sample_site / entry.link.removeprefix("https://fzb.binjiang.gov.cn/")
        page = BeautifulSoup((page_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert entry.title == page.h1.get_text()
        assert entry.summary == page.select_one(".sb-cleanup-summary").get_text()
        enclosure = entry.enclosures[0]
        csv = sample_site / enclosure.href.removeprefix("https://fzb.binjiang.gov.cn/")
        assert int(enclosure.length) == csv.stat().st_size and enclosure.type == "text/csv"
    feeds_page = (sample_site / "feeds/index.html").read_text(encoding="utf-8")
    assert "https://fzb.binjiang.gov.cn/feeds/cleanups/rss.xml" in feeds_page
