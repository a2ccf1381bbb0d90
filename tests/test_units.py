"""Fast unit tests of each core stage: decoding, header, fields, dates, slugs, settings, pages, HTML."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from site_builder.core import docno, frontmatter, pages, textfile
from site_builder.core import fields as f
from site_builder.core.dates import TZ, build_now, chinese_date, parse_datetime
from site_builder.core.fragments import article_footer, article_header, list_page, rel
from site_builder.core.model import Article, Attachment, Site
from site_builder.core.news.articles import FIELDS, safe_content_path
from site_builder.core.problems import Problem
from site_builder.core.settings import load_settings
from site_builder.core.slugs import slugify, unique_slugs

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SITE = ROOT / "content" / "site.yml"


# --- textfile ------------------------------------------------------------------------------


def test_decode_removes_bom_and_normalises_line_endings():
    assert textfile.decode("\ufefftitle: 标题\r\n正文\r第二行\n".encode(), "a.md") == "title: 标题\n正文\n第二行\n"


def test_decode_gbk_gives_a_problem_not_an_exception():
    found = textfile.decode("ascii line\n第二行中文\n".encode("gbk"), "a.md")
    assert isinstance(found, Problem)
    assert (found.code, found.line) == ("E101", 2)
    assert "GBK" in found.message


@pytest.mark.parametrize(
    ("raw", "code", "line"),
    [
        ("---\ntitle: 标题\n".encode("utf-16"), "E103", 1),
        ("---\ntitle: x\n".encode("utf-16-le"), "E103", 1),  # no BOM
        (b"---\ntitle: x\n\x00\x01\x02 binary tail", "E102", 3),
        (b"line\n\xff\xfe\xfd", "E102", 2),  # neither UTF-8 nor GB18030
    ],
)
def test_decode_other_unreadable_files(raw, code, line):
    found = textfile.decode(raw, "a.md")
    assert isinstance(found, Problem)
    assert (found.code, found.line) == (code, line)


def test_read_text_of_a_missing_file_is_a_problem(tmp_path):
    found = textfile.read_text(tmp_path / "gone.md", "content/gone.md")
    assert isinstance(found, Problem) and found.code == "E104"


# --- frontmatter ---------------------------------------------------------------------------


def test_split_keeps_file_line_numbers():
    header, first, body, body_line = frontmatter.split("---\ntitle: a\ndate: b\n---\n\n正文\n", "a.md")
    assert header == ["title: a", "date: b"]
    assert first == 2
    assert body == "\n正文\n"
    assert body_line == 5


def test_split_accepts_trailing_spaces_on_fences_and_dots_as_end():
    header, _, body, _ = frontmatter.split("--- \ntitle: a\n...\nbody", "a.md")
    assert header == ["title: a"] and body == "body"


@pytest.mark.parametrize(("text", "code"), [("正文\n", "E201"), ("", "E201"), ("---\ntitle: a\n", "E202")])
def test_split_problems(text, code):
    found = frontmatter.split(text, "a.md")
    assert isinstance(found, Problem) and (found.code, found.line) == (code, 1)


def test_parse_reports_field_lines_and_keeps_text_as_typed():
    front, found = frontmatter.parse("---\n# 注释\ntitle: 0713\ndate: 2021-05-08\ntags:\n  - a\n  - b\n---\nx", "a.md")
    assert found == []
    assert {k: v.line for k, v in front.fields.items()} == {"title": 3, "date": 4, "tags": 5}
    assert front.fields["title"].raw == "0713"
    assert front.fields["date"].value == "2021-05-08"  # left to dates.py, not PyYAML
    assert front.fields["tags"].items == (6, 7)


def test_lint_repairs_slips_so_the_rest_is_still_checked():
    lines = ["title：关于", "\u3000date: 2021-05-08", "tags:", "\t- a", "source\u3000:\u3000法制办"]
    repaired, found = frontmatter.lint_header(lines, 2, "a.md")
    assert [(p.code, p.line) for p in found] == [("E204", 2), ("E205", 3), ("E206", 5), ("E205", 6)]
    assert repaired == ["title: 关于", "date: 2021-05-08", "tags:", "  - a", "source: 法制办"]


def test_lint_leaves_block_scalars_alone():
    lines = ["summary: |", "  会议指出：要加强", "  \u3000\u3000第二段", "title: a"]
    repaired, found = frontmatter.lint_header(lines, 2, "a.md")
    assert found == [] and repaired == lines


def test_tab_indentation_of_a_nested_mapping_is_repaired():
    fields, found = frontmatter.parse_mapping(["contact:", "\tphone: 1", "\temail: a@b.cn", "name: x"], 1, "s.yml")
    assert [p.code for p in found] == ["E206", "E206"]
    assert fields["contact"].value == {"phone": 1, "email": "a@b.cn"}
    assert fields["name"].value == "x"


@pytest.mark.parametrize(
    ("lines", "line", "detail"),
    [
        (['title: "关于', "date: 1", "c: 2"], 2, "引号没有配对"),
        (["title: a", "这是一行", "date: x"], 3, "缺少冒号"),
        (["title: a", "tags: [a, b", "date: x"], 3, "方括号"),
        (["title: a", "- b"], 3, "列表项"),
        (["title: @a"], 2, "不允许的符号"),
        (["  title: a", "date: b"], 3, "第一个字段前面不能有空格"),
        (["title: !!int abc"], 2, "无法读取"),
    ],
)
def test_yaml_errors_are_located_and_explained(lines, line, detail):
    _, found = frontmatter.parse_mapping(lines, 2, "a.md")
    assert [p.code for p in found] == ["E203"]
    assert found[0].line == line
    assert detail in found[0].message
    assert not re.search(r"[A-Za-z]{4,}", found[0].message.replace("YAML", "")), found[0].message


def test_duplicate_key_keeps_the_first_and_reports_the_second():
    fields, found = frontmatter.parse_mapping(["title: a", "date: x", "title: b"], 2, "a.md")
    assert [(p.code, p.line) for p in found] == [("E208", 4)]
    assert "第一次在第 2 行" in found[0].message
    assert fields["title"].value == "a"


def test_bad_timestamp_is_not_a_crash():
    fields, found = frontmatter.parse_mapping(["date: 2021-13-01", "updated: 2021-02-30 10:00:00"], 2, "a.md")
    assert found == []
    assert fields["date"].value == "2021-13-01"


# --- fields --------------------------------------------------------------------------------


def _value(text: str) -> frontmatter.Value:
    fields, found = frontmatter.parse_mapping([f"x: {text}"], 1, "a.md")
    assert found == []
    return fields["x"]


def test_field_converters():
    assert f.text(_value("0713"), FIELDS["title"], "title") == "0713"
    assert f.text_list(_value("依法行政、行政复议, 依法行政"), FIELDS["tags"], "tags") == ("依法行政", "行政复议")
    assert f.text_list(_value("[a, b]"), FIELDS["tags"], "tags") == ("a", "b")
    assert f.boolean(_value("是"), FIELDS["draft"], "draft") is True
    assert f.boolean(_value("false"), FIELDS["draft"], "draft") is False
    assert f.moment(_value("2021年5月8日"), FIELDS["date"], "date") == dt.datetime(2021, 5, 8, tzinfo=TZ)
    for bad, converter, name in [
        ("{a: 1}", f.text_list, "tags"),
        ("也许", f.boolean, "draft"),
        ("[a]", f.text, "title"),
    ]:
        with pytest.raises(f.FieldError) as caught:
            converter(_value(bad), FIELDS[name], name)
        assert caught.value.code == "E305"
    with pytest.raises(f.FieldError) as caught:
        f.moment(_value("2021-02-30"), FIELDS["date"], "date")
    assert caught.value.code == "E303"


def test_suggest():
    choices = {"title": "title（标题）", "标题": "title（标题）", "date": "date（发布日期）"}
    assert f.suggest("titel", choices) == "您是不是想写 title（标题）？"
    assert f.suggest("标题", choices) == "您是不是想写 title（标题）？"
    assert f.suggest("zzzz", choices) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("files/2021/a.pdf", "files/2021/a.pdf"),
        ("/images/a.png", "images/a.png"),
        ("files\\a.pdf", "files/a.pdf"),
        ("../x.pdf", None),
        ("files/../../x.pdf", None),
        ("C:/x.pdf", None),
        ("", None),
    ],
)
def test_safe_content_path(value, expected):
    path = safe_content_path(value)
    assert (path.as_posix() if path else None) == expected


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-05-08", dt.datetime(2021, 5, 8)),
        ("2021-05-08 15:30", dt.datetime(2021, 5, 8, 15, 30)),
        ("2021/5/8", dt.datetime(2021, 5, 8)),
        ("2021年5月8日", dt.datetime(2021, 5, 8)),
        ("2021年5月8日 15:30", dt.datetime(2021, 5, 8, 15, 30)),
        ("2021年5月8日15时30分", dt.datetime(2021, 5, 8, 15, 30)),
        ("2021-05-08T15:30:05", dt.datetime(2021, 5, 8, 15, 30, 5)),
        ("2021-05-08 07:30Z", dt.datetime(2021, 5, 8, 15, 30)),  # UTC, shown in Beijing time
        ("2021-05-08 15:30+08:00", dt.datetime(2021, 5, 8, 15, 30)),
    ],
)
def test_parse_datetime_accepts(text, expected):
    parsed = parse_datetime(text)
    assert parsed == expected.replace(tzinfo=TZ)
    assert parsed.tzinfo == TZ


@pytest.mark.parametrize(
    "text", ["2021-13-01", "2021-02-30", "2021-05-08 25:00", "五月八日", "20210508", "2021-05", "", "2021-05-08 15"]
)
def test_parse_datetime_rejects(text):
    assert parse_datetime(text) is None


def test_parse_datetime_of_yaml_values():
    assert parse_datetime(dt.date(2021, 5, 8)) == dt.datetime(2021, 5, 8, tzinfo=TZ)
    assert parse_datetime(dt.datetime(2021, 5, 8, 7, 30, tzinfo=dt.UTC)).hour == 15
    assert parse_datetime(20210508) is None


def test_build_now_and_chinese_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795708800")
    assert build_now() == dt.datetime(2026, 11, 27, tzinfo=TZ)
    assert chinese_date(dt.datetime(2021, 5, 8, 9, 5, tzinfo=TZ)) == "2021年5月8日 09:05"
    assert chinese_date(dt.datetime(2021, 5, 8, tzinfo=TZ), with_time=False) == "2021年5月8日"


# --- slugs ---------------------------------------------------------------------------------


def test_slugify_pinyin():
    assert slugify("行政复议") == "xing-zheng-fu-yi"
    assert slugify("《条例》解读") == "tiao-li-jie-du"
    assert slugify("ICP备案") == "icp-bei-an"
    assert slugify("！！") == ""


def test_unique_slugs_give_homophones_distinct_stable_suffixes():
    first = unique_slugs(["公示", "公式", "行政复议"])
    assert first["行政复议"] == "xing-zheng-fu-yi"
    assert first["公示"] != first["公式"]
    assert {first["公示"], first["公式"]} & {"gong-shi"}  # one keeps the plain slug
    assert all(first[name].startswith("gong-shi") for name in ("公示", "公式"))
    assert unique_slugs(["行政复议", "公式", "公示", "公示"]) == first  # order and repeats do not matter
    assert len(set(unique_slugs(["！", "？"]).values())) == 2


def test_a_homophone_tag_added_later_leaves_the_published_tag_page_where_it_was():
    published = unique_slugs(["公示"])
    used = {"公示": 2020, "公式": 2024}
    later = unique_slugs(["公示", "公式"], used.__getitem__)
    assert later["公示"] == published["公示"] == "gong-shi"
    assert later["公式"].startswith("gong-shi-")
    # whichever name comes first alphabetically, the older one keeps its address
    assert unique_slugs(["公式", "公示"], {"公示": 2024, "公式": 2020}.__getitem__)["公式"] == "gong-shi"


# --- settings ------------------------------------------------------------------------------


def _settings(tmp_path: Path, text: str):
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    return load_settings(tmp_path)


def test_sample_settings_load(tmp_path):
    settings, found = _settings(tmp_path, SAMPLE_SITE.read_text(encoding="utf-8"))
    assert found == []
    assert settings.url == "https://fzb.binjiang.gov.cn/" and settings.site_code == "4210000021"
    assert settings.police_record_code == "42118202000001"
    assert [c.slug for c in settings.categories][:2] == ["fazhi-xinxi", "gongzuo-dongtai"]


@pytest.mark.parametrize(
    ("old", "new", "code", "field"),
    [
        ("page_size: 15", "page_size: 0", "E403", "page_size"),
        ("url: https://fzb.binjiang.gov.cn/", "url: fzb.binjiang.gov.cn", "E403", "url"),
        ('site_code: "4210000021"', 'site_code: "42100000"', "E403", "site_code"),
        ("police_record: 鄂公网安备 42118202000001号", "police_record: 42118202000001", "E403", "police_record"),
        ("    kind: notice", "    kind: tongzhi", "E403", "categories（通知公告）.kind"),
        ("    slug: gongzuo-dongtai", "    slug: page", "E403", "categories（工作动态）.slug"),
        ("  phone: 0713-6201234\n  email: fzb@binjiang.gov.cn\n", "", "E402", "contact.phone"),
        ("name: 滨江市人民政府法制办公室\n", "name:\n", "E402", "name"),
        ("  - name: 工作动态", "  - name: 法治信息", "E404", None),
        ("page_size: 15", "page_size: 15\nfooter: x", "E405", "footer"),
    ],
)
def test_settings_validation(tmp_path, old, new, code, field):
    sample = SAMPLE_SITE.read_text(encoding="utf-8")
    assert old in sample
    settings, found = _settings(tmp_path, sample.replace(old, new, 1))
    assert settings is None
    assert [p.code for p in found] == [code]
    if field:
        assert field in found[0].message
    assert found[0].line >= 1


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("settings")
    shutil.copy(SAMPLE_SITE, folder / "site.yml")
    loaded, found = load_settings(folder)
    assert found == [] and loaded.page_size == 15
    return loaded


def _article(settings, number: int, category: int = 0, tags=(), **extra) -> Article:
    return Article(
        src=f"news/2021/a{number:02d}.md",
        title=f"文章{number}",
        slug=f"a{number:02d}",
        date=dt.datetime(2021, 1, 1, 9, tzinfo=TZ) + dt.timedelta(days=number),
        category=settings.categories[category],
        source="法制办",
        body="正文",
        tags=tuple(tags),
        **extra,
    )


def _links(html: str) -> list[str]:
    return re.findall(r'href="(?:\.\./)*articles/([^/"]+)/"', html)


def test_pagination_31_articles_3_pages_newest_first(settings):
    articles = [_article(settings, n, category=1) for n in range(31)]
    site = Site(settings=settings, articles=articles, now=dt.datetime(2026, 1, 1, tzinfo=TZ))
    plan = pages.plan(site)
    column = settings.categories[1]
    listed = [p for p in plan.pages if p.url.startswith(column.url)]
    assert [p.url for p in listed] == [column.url, f"{column.url}page/2/", f"{column.url}page/3/"]
    assert [len(_links(p.html)) for p in listed] == [15, 15, 1]
    order = [slug for p in listed for slug in _links(p.html)]
    assert order == [f"a{n:02d}" for n in range(30, -1, -1)]  # newest first, none lost or repeated
    assert listed[1].title == "工作动态（第2页）"
    prev_next = re.findall(r'rel="(prev|next)" href="([^"]+)"', listed[1].html)  # 上一页 and 下一页, relative
    assert prev_next == [
        ("prev", "../../../../news/gongzuo-dongtai/"),
        ("next", "../../../../news/gongzuo-dongtai/page/3/"),
    ]
    assert [p.url for p in plan.pages if p.url.startswith("news/page/")] == ["news/page/2/", "news/page/3/"]
    assert len(plan.articles) == 31


def test_empty_category_still_has_one_page(settings):
    site = Site(settings=settings, articles=[_article(settings, 1)], now=dt.datetime(2026, 1, 1, tzinfo=TZ))
    plan = pages.plan(site)
    empty = next(p for p in plan.pages if p.url == settings.categories[2].url)
    assert "本栏目暂无信息" in empty.html


def test_tag_and_archive_pages(settings):
    articles = [
        _article(settings, 1, tags=["行政复议"]),
        _article(settings, 2, tags=["行政复议", "公示"]),
        _article(settings, 3, tags=["公式"]),
        Article(**{**_article(settings, 4).__dict__, "date": dt.datetime(2020, 3, 1, tzinfo=TZ), "slug": "old"}),
    ]
    site = Site(settings=settings, articles=articles, now=dt.datetime(2026, 1, 1, tzinfo=TZ))
    plan = pages.plan(site)
    urls = {p.url: p for p in plan.pages}
    assert plan.tag_urls["行政复议"] == "tags/xing-zheng-fu-yi/"
    assert plan.tag_urls["公示"] != plan.tag_urls["公式"]
    assert _links(urls["tags/xing-zheng-fu-yi/"].html) == ["a02", "a01"]
    assert "archive/2021/" in urls and "archive/2020/" in urls
    assert _links(urls["archive/2020/"].html) == ["old"]
    assert "（3条）" in urls["archive/"].html and "（1条）" in urls["archive/"].html


def test_unpublished_articles_are_left_out(settings):
    now = dt.datetime(2021, 1, 10, tzinfo=TZ)
    articles = [_article(settings, 1), _article(settings, 2, draft=True), _article(settings, 30)]
    site = Site(settings=settings, articles=articles, now=now)
    assert [a.slug for a in site.published()] == ["a01"]
    plan = pages.plan(site)
    assert set(plan.articles) == {"news/2021/a01.md"}
    preview = pages.plan(site, include_unpublished=True)
    assert len(preview.articles) == 3
    # the preview's lists show them, each marked as what it is; the published one unmarked
    listed = next(p for p in preview.pages if p.url == "news/").html
    assert listed.count('<span class="sb-badge">草稿</span>') == 1
    assert listed.count('<span class="sb-badge">定时发布</span>') == 1
    assert listed.count("sb-badge") == 2 and "a01" in listed


def test_prev_next_stay_within_the_category(settings):
    articles = [_article(settings, n, category=n % 2) for n in range(6)]
    site = Site(settings=settings, articles=articles, now=dt.datetime(2026, 1, 1, tzinfo=TZ))
    plan = pages.plan(site)
    for article in articles:
        linked = _links(plan.articles[article.src].after)
        same = {a.slug for a in articles if a.category == article.category}
        assert set(linked) <= same
        assert article.slug not in linked
    middle = plan.articles["news/2021/a02.md"].after
    assert 'rel="prev" href="../../articles/a04/"' in middle and 'rel="next" href="../../articles/a00/"' in middle
    assert 'rel="prev"' not in plan.articles["news/2021/a04.md"].after  # the newest has no 上一篇


# --- fragments -----------------------------------------------------------------------------


def test_titles_are_escaped(settings):
    bad = _article(settings, 1)
    bad.title = "<script>alert(1)</script>&"
    bad.source = '"法制办"<b>'
    header = article_header(bad, bad.status(dt.datetime(2026, 1, 1, tzinfo=TZ)))
    assert "<script>" not in header and "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in header
    assert "<b>" not in header
    listing = list_page("news/", [bad], 1, 1, "news/", 1, "<i>intro</i>")
    assert "<script>" not in listing and "<i>" not in listing
    other = _article(settings, 2)
    footer = article_footer(other, bad, None, {})
    assert "<script>" not in footer


def test_relative_urls():
    assert rel("", "articles/a/") == "articles/a/"
    assert rel("", "") == "./"
    assert rel("articles/a/", "files/2021/x.pdf") == "../../files/2021/x.pdf"
    assert rel("news/fazhi-xinxi/page/2/", "articles/b/") == "../../../../articles/b/"


def test_attachment_size_labels(settings):
    assert Attachment("files/2021/a.pdf", "方案", 235 * 1024).size_label == "（PDF，235 KB）"
    assert Attachment("files/2021/a.pdf", "方案", 100).size_label == "（PDF，1 KB）"
    assert Attachment("files/2021/b.docx", "表", int(2.5 * 1024 * 1024)).size_label == "（DOCX，2.5 MB）"
    article = _article(settings, 1, attachments=(Attachment("files/2021/a.pdf", "实施<方案>", 235 * 1024),))
    footer = article_footer(article, None, None, {})
    assert 'href="../../files/2021/a.pdf" download' in footer
    assert "实施&lt;方案&gt;" in footer and "（PDF，235 KB）" in footer


# --- never a traceback ---------------------------------------------------------------------


_YAMLISH = st.text(alphabet=list("ab: -\t\u3000：\"'[]{}#|>!&*@%`\\\n0123456789年月日标题"), max_size=80)


@hsettings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_decode_never_raises(raw):
    found = textfile.decode(raw, "a.md")
    assert isinstance(found, (str, Problem))


@hsettings(max_examples=500, deadline=None)
@given(_YAMLISH)
def test_parse_never_raises(header):
    front, found = frontmatter.parse(f"---\n{header}\n---\nbody", "a.md")
    assert all(isinstance(p, Problem) and p.line >= 1 for p in found)
    assert front is not None


_LINE = st.text(alphabet=list("ab: -\u3000：\"'[]{}#|>!&*@%`\\/.0123456789年月日标题"), max_size=30)


@hsettings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*FIELDS, "titel", "标题"]), _LINE, max_size=8))
def test_build_article_never_raises(values):
    from site_builder.core.news.articles import build_article

    settings, _ = load_settings(ROOT / "content")
    header = "\n".join(f"{name}: {value}" for name, value in values.items())
    front, found = frontmatter.parse(f"---\n{header}\n---\n![x](a.png)\n", "a.md")
    article, more = build_article(front, "news/2021/a.md", "a.md", ROOT / "content", settings)
    assert all(p.line >= 1 for p in found + more)
    assert (article is None) or not any(p.is_error for p in more)


def test_optional_fields_left_empty_mean_not_given(tmp_path):
    from site_builder.core.frontmatter import parse
    from site_builder.core.news.articles import read_fields

    text = "---\ntitle: 标题\ndate: 2021-05-08\ncategory: 工作动态\nsource: 法制办\nsummary:\nauthor: ''\n---\n正文\n"
    front, found = parse(text, "a.md")
    values, problems = read_fields(front, "a.md")
    assert not found and not problems
    assert "summary" not in values and "author" not in values


def test_a_slug_may_not_take_the_wechat_staff_page_name(tmp_path):
    """wechat/index.html is the staff page; an article called index would overwrite it."""
    from site_builder.core.loader import load_site
    from tests.conftest import SAMPLE_CONTENT

    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    (content / "site.yml").write_bytes((SAMPLE_CONTENT / "site.yml").read_bytes())
    (content / "news" / "index.md").write_text(
        "---\ntitle: 标题\ndate: 2021-05-08\ncategory: 工作动态\nsource: 法制办\n---\n正文\n", encoding="utf-8"
    )
    site, found = load_site(content, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert site is None
    assert [(p.code, p.line) for p in found if p.is_error] == [("E309", 1)]
    assert "不能是 index" in found[0].hint


def test_a_second_load_in_one_process_sees_edits_and_new_files(tmp_path):
    """The preview keeps what it made from unchanged files (core/memo.py); anything an article
    depends on, including whether its image exists, must still be read again."""
    import shutil

    from site_builder.core import dates
    from site_builder.core.loader import load_site
    from site_builder.core.memo import Memo, using
    from tests.conftest import SAMPLE_CONTENT

    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    shutil.copy(SAMPLE_CONTENT / "site.yml", content / "site.yml")
    article = content / "news" / "memo.md"
    article.write_text(
        "---\ntitle: 关于缓存的测试文章\ndate: 2021-05-08 09:30\ncategory: 工作动态\nsource: 滨江市人民政府法制办公室\n"
        "slug: memo-test\n---\n\n正文。\n\n![会议现场](../images/missing.png)\n",
        encoding="utf-8",
    )
    now = dates.build_now()
    with using(Memo()):  # as the preview's plugin lends its memo to each build
        _, found = load_site(content, now)
        assert any("missing.png" in p.format() for p in found if p.is_error)
        (content / "images").mkdir()
        shutil.copy(next((SAMPLE_CONTENT / "images").rglob("*.*")), content / "images" / "missing.png")
        site, found = load_site(content, now)
        assert not any("missing.png" in p.format() for p in found), [p.format() for p in found]
        again, _ = load_site(content, now)
        assert again.articles[0] is site.articles[0]  # nothing changed: reused, not made again
        text = article.read_text(encoding="utf-8").replace("正文。", "正文已修改。")
        article.write_text(text + "\n", encoding="utf-8")
        site, _ = load_site(content, now)
        assert site is not None and "正文已修改" in site.articles[0].body
    fresh, _ = load_site(content, now)  # no memo lent: nothing is kept between loads
    assert fresh.articles[0] is not site.articles[0] and fresh.articles[0] == site.articles[0]


def test_a_search_indexer_that_dies_fails_the_build_instead_of_hanging_it(tmp_path):
    """Pages queue up for Pagefind; if it exits, adding pages and finishing must report it."""
    import threading

    import pytest

    from site_builder.outputs.search import index as search

    index = search.BackgroundIndex(tmp_path)
    index._process.kill()
    index._process.wait()
    outcome: list[BaseException] = []

    def feed() -> None:
        try:
            for number in range(search.QUEUED_PAGES * 3):
                index.add(search.document(f"<main data-pagefind-body><p>第{number}篇</p></main>"), f"/a{number}/")
            index.finish()
        except search.SearchError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=feed, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the build would hang"
    assert outcome and "Pagefind" in str(outcome[0])
    with pytest.raises(search.SearchError):
        index.finish()


def test_the_search_bundle_is_used_only_once_pagefind_has_finished_writing_it(tmp_path):
    """Pagefind answers before its last writes land and exits without them when its input ends.

    A write can wait in its thread pool for as long as the machine is busy: here a fragment
    stays empty for 0.4 s and then gets its content, the JavaScript arrives last. Every file
    is read whole before Pagefind is let go, however long the pause.
    """
    import threading
    import time

    from site_builder.outputs.search import index as search

    bundle = tmp_path / "pagefind"
    (bundle / "fragment").mkdir(parents=True)
    entry, fragment = bundle / "pagefind-entry.json", bundle / "fragment" / "a.pf_fragment"
    script = bundle / "pagefind.js"
    page = {"url": "/articles/a/", "content": "第一 一篇 篇" * 100}
    whole_fragment = gzip.compress(b"pagefind_dcd" + json.dumps(page).encode(), mtime=0)
    for path in (entry, fragment, script):
        path.write_bytes(b"")

    def late_writes() -> None:  # as tokio's thread pool finishes them, after the answer
        time.sleep(0.4)
        fragment.write_bytes(whole_fragment)
        entry.write_text('{"version":"1.4.0","languages":{}}', encoding="utf-8")
        time.sleep(0.2)
        script.write_bytes(b"export const a = 1;")

    writer = threading.Thread(target=late_writes)
    writer.start()
    pages = search.wait_until_written(bundle, common={"pagefind.js": b"export const a = 1;"})
    done = entry.read_bytes(), fragment.read_bytes(), script.read_bytes()
    writer.join()
    assert done == (entry.read_bytes(), whole_fragment, b"export const a = 1;")
    assert pages == {"/articles/a/": "a"}  # the pages as read from the fragments


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pagefind-entry.json", b'{"version":'),
        ("fragment/a.pf_fragment", gzip.compress(b"pagefind_dcd" + b"x" * 5000, mtime=0)[:40]),
        ("index/a.pf_index", b""),
        ("pagefind.js", b"export const a"),
    ],
    ids=["entry", "fragment", "index", "script"],
)
def test_a_search_bundle_file_cut_short_fails_the_build(tmp_path, name, content):
    """Nothing more is coming: the build stops with the file named rather than publish a broken search."""
    from site_builder.outputs.search import index as search

    bundle = tmp_path / "pagefind"
    for path in (bundle / "fragment", bundle / "index"):
        path.mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_text('{"version":"1.4.0","languages":{}}', encoding="utf-8")
    (bundle / name).write_bytes(content)
    with pytest.raises(search.SearchError, match="没有写完整") as raised:
        search.wait_until_written(bundle, common={"pagefind.js": b"export const a = 1;"}, timeout=0.5)
    assert name.split("/")[-1] in str(raised.value)


def test_doc_number_fix_is_stable_for_a_four_digit_year_below_1000():
    """Found by hypothesis: 〔0010〕 became 〔10〕 and then 〔2010〕 on a second --fix."""
    once = docno.fix_text("函〔0010〕第1号")
    assert once == "函〔0010〕1号"
    assert docno.fix_text(once) == once


def test_build_json_and_the_build_record_are_written_as_json_writes_them():
    """build.json (outputs/manifest.py) and the build record (adapter/incremental.py) are written
    without json's slow streaming encoder: the same text as json.dump, byte for byte."""
    import io
    import json

    from site_builder.adapter.incremental import _dump
    from site_builder.outputs.manifest import dump

    files = {
        "a/index.html": {"sha256": "ab" * 32, "size": 3},
        "附件/通知\u2028.pdf": {"size": 0, "sha256": "cd"},
        "odd.txt": {"sha256": "e", "size": 1, "more": [1, {"a": "\n"}]},
        "bool.txt": {"sha256": 1, "size": True},
        "empty": {},
    }
    manifests = [{}, {"files": {}}, {"format": 2, "site": 'https://例.cn/"', "commit": None, "articles": {"draft": 0}}]
    for manifest in [*manifests, {**manifests[2], "complete": True, "files": files, "pages": 1}]:
        expected = io.StringIO()
        json.dump(manifest, expected, ensure_ascii=False, indent=1, sort_keys=True)
        written = io.StringIO()
        dump(manifest, written)
        assert written.getvalue() == expected.getvalue() + "\n"
        expected = io.StringIO()
        json.dump({**manifest, "bodies": {"x": ["key", "<p>正文</p>"]}}, expected, ensure_ascii=False, sort_keys=True)
        written = io.StringIO()
        _dump({**manifest, "bodies": {"x": ["key", "<p>正文</p>"]}}, written)
        assert written.getvalue() == expected.getvalue()
