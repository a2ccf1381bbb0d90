"""The 政府信息公开 section as readers get it: built from the sample content with the real CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from site_builder.core.cleanups.library import build_library
from site_builder.core.cleanups.load import load_batches
from site_builder.core.model import Article, Category
from site_builder.core.xxgk.index_numbers import assign
from site_builder.core.xxgk.library_row import normative_row
from tests.conftest import SAMPLE_CONTENT, build_project, run_cli, write_config
from tests.test_xxgk_annual import expected_from_yaml, parse_tables

SETTINGS = yaml.safe_load((SAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))["xxgk"]
PARTS = [(p["part"], p["title"]) for p in SETTINGS["parts"]]
META_ROWS = ["索引号", "主题分类", "发布机构", "成文日期", "发布日期", "文号", "有效性"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("xxgk")
    config = write_config(project, SAMPLE_CONTENT, project / "site")
    result = run_cli("build", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def section_urls(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / "xxgk").rglob("index.html"))


def test_one_tab_and_the_same_left_hand_menu_of_the_parts_on_every_page_of_the_section(site):
    home = page(site, "")
    tabs = [a.get_text(strip=True) for a in home.select(".md-tabs__link")]
    assert SETTINGS["title"] in tabs
    urls = section_urls(site)
    assert {f"xxgk/{key}/" for key, _ in PARTS} <= set(urls) and "xxgk/annual/2020/" in urls
    for url in urls:
        menu = page(site, url).select_one("nav.sb-xxgk-menu")
        assert menu is not None, url
        assert [a.get_text() for a in menu.select("li a")] == [title for _, title in PARTS], url
        current = menu.select('a[aria-current="page"]')
        if url != "xxgk/annual/2020/":
            assert len(current) == 1 and current[0]["href"].rstrip("/").endswith(url.rstrip("/").split("/")[-1])


def test_the_guide_is_complete_for_the_sample_office(site):
    text = page(site, "xxgk/guide/").select_one(".sb-xxgk-main").get_text()
    for needed in (
        "办公地址",
        "办公时间",
        "联系电话",
        "传真",
        "邮政编码",
        "电子邮箱",
        "20个工作日",
        "行政复议",
        "行政诉讼",
        "收费",
    ):
        assert needed in text, needed


def test_the_apply_page_offers_the_form_as_a_download_that_exists(site):
    link = page(site, "xxgk/apply/").select_one(".sb-downloads a[download]")
    target = (site / "xxgk/apply" / link["href"]).resolve()
    assert target.is_file() and target.suffix == ".docx"
    size = link.find_next_sibling("span").get_text()
    assert size == f"（DOCX，{max(1, round(target.stat().st_size / 1024))} KB）"


def test_the_built_report_page_reads_back_into_the_numbers_of_the_file_and_the_library(site):
    built = page(site, "xxgk/annual/2020/")
    main = str(built.select_one(".sb-xxgk-main"))
    data = yaml.safe_load((SAMPLE_CONTENT / "xxgk/annual/2020.yml").read_text(encoding="utf-8"))
    assert parse_tables(main) == expected_from_yaml(data)
    headings = [h.get_text() for h in built.select(".sb-xxgk-report > h2")]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    batches, _ = load_batches(SAMPLE_CONTENT, "content")
    expected = normative_row(build_library(batches, dt.date(2026, 11, 27)), 2020)
    row = next(tr for tr in built.select("#sb-t2-1 tbody tr") if tr.th.get_text().startswith("行政规范性文件"))
    assert tuple(int(td.get_text()) for td in row.select("td")) == expected
    listing = page(site, "xxgk/annual/")
    assert [a["href"].removeprefix("../../") for a in listing.select(".sb-xxgk-years a")] == ["xxgk/annual/2020/"]


def test_every_disclosed_item_is_in_the_catalogue_with_its_metadata_table(site):
    catalogue = page(site, "xxgk/catalogue/")
    rows = catalogue.select("#sb-xxgk tbody tr")
    assert rows and {r["data-topic"] for r in rows} <= set(SETTINGS["categories"])
    assert [s["data-filter"] for s in catalogue.select("#sb-xxgk select")] == ["topic", "publisher", "year"]
    numbers = [r.td.get_text() for r in rows]
    assert len(set(numbers)) == len(numbers)
    for row in rows:
        article = page(site, "xxgk/catalogue/" + row.a["href"])  # relative from the catalogue page
        table = article.select_one("table.sb-xxgk-meta")
        assert [th.get_text() for th in table.select("th")] == META_ROWS
        values = [td.get_text() for td in table.select("td")]
        assert values[0] == row.td.get_text() and values[1] == row["data-topic"]
    link = catalogue.select_one(".sb-downloads a")
    data = (site / "xxgk/catalogue" / link["href"]).read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert [r[0] for r in table[1:]] == numbers


def test_generated_index_numbers_follow_the_rule(site):
    rule = SETTINGS["index_rule"]
    pattern = re.escape(rule).replace(re.escape("{organization_code}"), re.escape(SETTINGS["organization_code"]))
    pattern = pattern.replace(re.escape("{year}"), r"\d{4}").replace(re.escape("{seq:05d}"), r"\d{5}")
    numbers = [r.td.get_text() for r in page(site, "xxgk/catalogue/").select("#sb-xxgk tbody tr")]
    assert any(re.fullmatch(pattern, n) for n in numbers)


def _article(slug: str, when: dt.datetime, index_no: str = "") -> Article:
    category = Category(name="政策文件", slug="zhengce-wenjian", kind="policy")
    return Article(
        src=f"news/{slug}.md",
        title=slug,
        date=when,
        category=category,
        source="办",
        slug=slug,
        body="",
        index_no=index_no,
    )


def test_an_older_article_added_later_never_renumbers_a_published_one():
    rule, code = "{organization_code}/{year}-{seq:05d}", "X"
    first = [
        _article("b", dt.datetime(2021, 3, 1)),
        _article("c", dt.datetime(2021, 5, 1)),
        _article("h", dt.datetime(2021, 4, 1), "X/2021-00003"),
    ]
    numbers, ledger = assign(first, rule, code, {})
    assert numbers == {"b": "X/2021-00001", "c": "X/2021-00002", "h": "X/2021-00003"}
    later = [*first, _article("a", dt.datetime(2021, 1, 1))]
    again, _ = assign(later, rule, code, ledger)
    assert again["b"] == numbers["b"] and again["c"] == numbers["c"]
    assert again["a"] == "X/2021-00004"  # the next free number of its year, skipping the hand-written one
    fresh, _ = assign(later, rule, code, {})  # without the record, publication order by date
    assert fresh["a"] == "X/2021-00001"
    # a number written by hand on an article outside the catalogue is never given out either
    other, _ = assign(first[:2], rule, code, {}, {"X/2021-00001"})
    assert other == {"b": "X/2021-00002", "c": "X/2021-00003"}


def test_index_numbers_survive_a_rebuild_that_adds_an_older_article(project: Path):
    content = project / "content"
    settings = (content / "site.yml").read_text(encoding="utf-8")
    settings += (
        'xxgk:\n  publisher: 滨江市人民政府法制办公室\n  organization_code: "000014349"\n'
        "  categories: [政策文件]\n  parts:\n    - part: catalogue\n"
    )
    (content / "site.yml").write_text(settings, encoding="utf-8")

    def write(slug: str, date: str) -> None:
        (content / "news" / f"{slug}.md").write_text(
            f"---\ntitle: 关于{slug}的通知\ndate: {date}\ncategory: 政策文件\nsource: 滨江市人民政府法制办公室\n"
            f"slug: {slug}\n---\n\n正文。\n",
            encoding="utf-8",
        )

    write("second", "2021-05-01 09:00")
    write("third", "2021-06-01 09:00")
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr

    def numbers() -> dict[str, str]:
        soup = page(project / "site", "xxgk/catalogue/")
        return {r.a["href"].split("/")[-2]: r.td.get_text() for r in soup.select("#sb-xxgk tbody tr")}

    before = numbers()
    assert before == {"second": "000014349/2021-00001", "third": "000014349/2021-00002"}
    write("first", "2021-01-10 09:00")
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    after = numbers()
    assert {k: after[k] for k in before} == before and after["first"] == "000014349/2021-00003"


def test_the_report_downloads_as_a_word_document_and_pages_are_in_the_sitemap(site):
    import docx

    link = page(site, "xxgk/annual/2020/").select_one(".sb-downloads a[download]")
    target = site / "xxgk/annual/2020" / link["href"]
    assert link["download"].endswith("年度报告.docx") and target.is_file()
    assert "六、其他需要报告的事项" in [p.text for p in docx.Document(str(target)).paragraphs]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for url in section_urls(site):
        assert f"/{url}</loc>" in sitemap, url
