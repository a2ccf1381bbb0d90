"""What readers see in the built pages' HTML: dates without a made-up "00:00", the 有效性 of the
document an article carries, 当前位置 on every page, full titles behind cut-off ones.

Expected values come from the content the site was built from, never typed here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_builder.core import docno
from site_builder.core.cleanups.library import build_library, by_number
from site_builder.core.cleanups.load import load_batches
from site_builder.core.dates import TZ
from tests.conftest import FIXED_EPOCH, SAMPLE_CONTENT, build_project


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def meta_rows(page: BeautifulSoup) -> dict[str, BeautifulSoup]:
    """The article's metadata block: 发布日期, 来源, 文号, 有效性 … -> their <dd>."""
    block = page.select_one(".sb-article dl.sb-meta")
    assert block is not None, "no metadata block"
    return {row.dt.get_text(strip=True): row.dd for row in block.find_all("div")}


def crumbs(page: BeautifulSoup) -> list[tuple[str, str | None]]:
    nav = page.select_one("nav.sb-crumbs")
    assert nav is not None, "no 当前位置"
    assert nav.get_text(" ", strip=True).startswith("当前位置：")
    return [(li.get_text(strip=True), li.a["href"] if li.a else None) for li in nav.select("li")]


def write_article(content: Path, name: str, date: str, title: str) -> None:
    (content / "news" / "2021").mkdir(parents=True, exist_ok=True)
    (content / "news" / "2021" / f"{name}.md").write_text(
        f"---\ntitle: {title}\ndate: {date}\ncategory: 工作动态\nsource: 滨江市人民政府法制办公室\nslug: {name}\n---\n\n正文。\n",
        encoding="utf-8",
    )


# --- Dates ---


def test_an_article_dated_without_a_time_shows_the_date_alone(project: Path):
    content = project / "content"
    write_article(content, "date-only", "2021-05-08", "只写日期的文章")
    write_article(content, "with-time", "2021-05-09 15:30", "写了时间的文章")
    write_article(content, "chinese-date", "2021年5月10日", "中文日期的文章")
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"

    dated = meta_rows(soup(site / "articles/date-only/index.html"))["发布日期"]
    assert dated.get_text(strip=True) == "2021年5月8日"
    assert dated.time["datetime"] == "2021-05-08"
    chinese = meta_rows(soup(site / "articles/chinese-date/index.html"))["发布日期"]
    assert chinese.get_text(strip=True) == "2021年5月10日"
    timed = meta_rows(soup(site / "articles/with-time/index.html"))["发布日期"]
    assert timed.get_text(strip=True) == "2021年5月9日 15:30"
    assert timed.time["datetime"].startswith("2021-05-09T15:30")


# --- 有效性 of the document an article carries ---


@pytest.fixture(scope="module")
def library():
    """The sample library as the fixed build date sees it, by canonical 文号."""
    batches, _ = load_batches(SAMPLE_CONTENT, "content")
    today = dt.datetime.fromtimestamp(int(FIXED_EPOCH), TZ).date()
    return by_number(build_library(batches, today))


def test_an_article_whose_doc_no_is_in_the_library_shows_its_validity(sample_site: Path, library):
    shown = 0
    for path in sorted(sample_site.glob("articles/*/index.html")):
        page = soup(path)
        rows = meta_rows(page)
        if "文号" not in rows:
            assert "有效性" not in rows
            continue
        number = rows["文号"].get_text(strip=True)
        document = library.get(docno.canonical(number) or number)
        if document is None:
            assert "有效性" not in rows, f"{path}: {number} is not in the library"
            continue
        validity = rows.get("有效性")
        assert validity is not None, f"{path}: {number} is in the library but its 有效性 is not shown"
        assert validity.get_text(strip=True).startswith(document.validity)
        link = validity.a
        target = (path.parent / link["href"]).resolve()
        assert target == (sample_site / document.url).resolve(), "the 有效性 links to the document's page"
        assert (target / "index.html").is_file()
        shown += 1
    assert shown >= 3, "the sample site has articles whose 文号 the library holds"


# --- 当前位置 ---


def test_every_page_says_where_it_is(sample_site: Path, library):
    home = crumbs(soup(sample_site / "index.html"))
    assert home == [("首页", None)]

    article = soup(sample_site / "articles/zonghe-xingzheng-zhifa-banfa/index.html")
    column = article.select_one("meta[name=ColumnName]")["content"]
    trail = crumbs(article)
    assert [label for label, _ in trail] == ["首页", column, "正文"]
    here = sample_site / "articles/zonghe-xingzheng-zhifa-banfa"
    assert (here / trail[0][1]).resolve() == sample_site.resolve()
    assert (here / trail[1][1] / "index.html").resolve() == (sample_site / "news").resolve() / Path(
        trail[1][1]
    ).name / "index.html"
    assert trail[2][1] is None
    assert article.select_one("nav.sb-crumbs [aria-current=page]").get_text() == "正文"

    assert [label for label, _ in crumbs(soup(sample_site / "news/index.html"))] == ["首页", "全部信息"]
    assert [label for label, _ in crumbs(soup(sample_site / "news/page/2/index.html"))] == [
        "首页",
        "全部信息",
        "第2页",
    ]
    assert [label for label, _ in crumbs(soup(sample_site / "archive/2021/index.html"))] == [
        "首页",
        "信息归档",
        "2021年信息",
    ]
    assert [label for label, _ in crumbs(soup(sample_site / "search/index.html"))] == ["首页", "站内搜索"]
    document = next(iter(library.values()))
    assert [label for label, _ in crumbs(soup(sample_site / document.url / "index.html"))] == [
        "首页",
        "规范性文件清理",
        "规范性文件库",
        "正文",
    ]
    batch = soup(sample_site / "cleanups/2021-jizhong-qingli/index.html")
    assert [label for label, _ in crumbs(batch)] == ["首页", "规范性文件清理", batch.h1.get_text()]
    about = soup(sample_site / "about/accessibility/index.html")
    assert [label for label, _ in crumbs(about)] == ["首页", about.h1.contents[0].strip()]


def test_the_active_tab_is_marked_for_screen_readers(sample_site: Path):
    def current(path: str) -> list[tuple[str, str]]:
        page = soup(sample_site / path)
        return [(a.get_text(strip=True), a["aria-current"]) for a in page.select(".md-tabs a[aria-current]")]

    article = soup(sample_site / "articles/zonghe-xingzheng-zhifa-banfa/index.html")
    column = article.select_one("meta[name=ColumnName]")["content"]
    assert current("articles/zonghe-xingzheng-zhifa-banfa/index.html") == [(column, "true")]
    assert current("index.html") == [("首页", "page")]
    assert current("news/index.html") == [("全部信息", "page")]
    assert current("cleanups/index.html") == [("规范性文件清理", "page")]
    assert current("cleanups/2021-jizhong-qingli/index.html") == [("规范性文件清理", "true")]
    assert current("cleanups/library/index.html") == [("规范性文件清理", "true")]
    assert current("archive/2021/index.html") == [("信息归档", "true")]
    assert current("search/index.html") == []
    # one tab at most, and the class Material's CSS styles goes with it
    page = soup(sample_site / "articles/zonghe-xingzheng-zhifa-banfa/index.html")
    assert [li.a.get_text(strip=True) for li in page.select(".md-tabs__item--active")] == [column]


def test_home_titles_carry_their_full_text(sample_site: Path):
    page = soup(sample_site / "index.html")
    links = page.select(".sb-card__list a")
    assert links
    for link in links:
        target = soup(sample_site / link["href"] / "index.html")
        full = target.select_one(".sb-article h1").get_text()
        assert link.get_text() == full, "screen readers read the whole title"
        assert link["title"] == full, "hovering shows the whole title"
