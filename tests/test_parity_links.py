"""`check` and the strict build agree on every link and image: what one refuses, the other
refuses with the same located, coded Chinese message; what one accepts, the other publishes.

Paths as offices type them: spaces from Windows file names, %-escapes, full-width
characters, another case, no extension; links to drafts and scheduled articles; links
written as the site's own addresses.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from site_builder.core.dates import TZ
from site_builder.core.loader import load_site
from tests.conftest import ROOT, SAMPLE_CONTENT, build_project, run_cli

PARITY_CODES = {"E310", "E330", "E331", "E332", "E333", "E337"}
NOW = dt.datetime(2026, 11, 27, tzinfo=TZ)
A = "content/news/2021/lianjie.md"
HEADER = "---\ntitle: 链接测试文章\ndate: {date}\ncategory: 工作动态\nsource: 滨江市人民政府法制办公室\n{extra}---\n\n"


def site(project: Path) -> Path:
    """A small site: photos and attachments named as Windows users name them, a draft and a
    scheduled article beside a published one."""
    content = project / "content"
    png = (SAMPLE_CONTENT / "images/covers/tuijinhui.png").read_bytes()
    pdf = (SAMPLE_CONTENT / "files/2021/zonghe-zhifa-banfa.pdf").read_bytes()
    (content / "images").mkdir(exist_ok=True)
    (content / "files/2021").mkdir(parents=True, exist_ok=True)
    (content / "images/两法衔接 平台培训.JPG").write_bytes(png)
    (content / "files/2021/附件 二.pdf").write_bytes(pdf)
    (content / "files/2021/banfa.pdf").write_bytes(pdf)
    news = content / "news/2021"
    news.mkdir(parents=True, exist_ok=True)
    for name, date, extra in (
        ("fabu", "2021-03-01 09:00", ""),
        ("caogao", "2021-03-02 09:00", "draft: true\n"),
        ("dingshi", "2030-01-01 09:00", ""),
    ):
        text = HEADER.format(date=date, extra=f"slug: {name}\n{extra}").replace("链接测试文章", f"文章{name}")
        (news / f"{name}.md").write_text(text + "## 正文 {#zheng-wen}\n\n正文。\n", encoding="utf-8")
    return content


def write(content: Path, body: str, date: str = "2021-05-08 09:30", extra: str = "") -> Path:
    path = content / "news/2021/lianjie.md"
    path.write_text(HEADER.format(date=date, extra=extra) + "正文第一段。\n\n" + body + "\n", encoding="utf-8")
    return path


BODY_LINE = 10  # the line `write` puts the body on

RESOLVED = [
    "![培训现场](../../images/两法衔接 平台培训.JPG)",
    "[附件二](../../files/2021/附件 二.pdf)",
    "[附件二](<../../files/2021/附件 二.pdf>)",
    '[附件二](../../files/2021/附件 二.pdf "附件")',
    "[附件二](../../files/2021/%E9%99%84%E4%BB%B6%20%E4%BA%8C.pdf)",
    "[已发布](fabu.md)",
    "[已发布](./fabu.md)",
    "[已发布](/articles/fabu/)",
    "[已发布](/articles/fabu)",
    "[已发布](https://fzb.binjiang.gov.cn/articles/fabu/)",
    "[栏目](/news/gongzuo-dongtai/)",
    "[附件](/files/2021/banfa.pdf)",
    "[网站地图](/sitemap.xml)",
    "[标签](../../tags/index.md)",
    '<img src="../../images/两法衔接 平台培训.JPG" alt="培训">',
    '<a href="../fabu/">已发布</a>',
    "`[示例](不存在.md)`",
    "脚注[^1]。\n\n[^1]: 说明文字。\n\n[回到脚注](#fn:1)",
    "## 一、工作回顾\n\n[本节](#一工作回顾)",
    "## 小结 {#xiaojie}\n\n[本节](#xiaojie)",
    "## 附件\n\n## 附件\n\n[第二个](#附件_1)",
    "[已发布的一节](fabu.md#zheng-wen)",
    "[已发布的一节](/articles/fabu/#zheng-wen)",
]

REFUSED = [
    # (body, code, words in the message)
    ("![培训现场](../../images/两法衔接 平台培训2.JPG)", "E310", "正文中的图片不存在"),
    ("[附件](../../files/2021/附件 三.pdf)", "E711", "附件 三.pdf"),
    ("[附件](../../files/2021/附件\u3000二.pdf)", "E331", "全角、半角字符不同"),
    ("[附件](../../files/2021/BANFA.pdf)", "E331", "大小写不同"),
    ("![培训](../../images/两法衔接 平台培训.jpg)", "E331", "大小写不同"),
    ("[附件](../../files/2021/附件二.pdf)", "E331", "您是不是想链接 files/2021/附件 二.pdf"),
    ("[已发布](fabu)", "E331", "少了扩展名 .md"),
    ("[已发布](../../articles/fabu/)", "E331", "写成了网址，不是文件"),
    ("[草稿](caogao.md)", "E330", "草稿"),
    ("[定时](dingshi.md)", "E330", "定时发布，2030-01-01 09:00 才发布"),
    ("[草稿](/articles/caogao/)", "E330", "草稿"),
    ("[草稿](https://fzb.binjiang.gov.cn/articles/dingshi/)", "E330", "定时发布"),
    ("[旧网址](/news/2021/fabu/)", "E332", "/articles/fabu/"),
    ("[源文件](/news/2021/fabu.md)", "E332", "/articles/fabu/"),
    ("[不存在](https://fzb.binjiang.gov.cn/articles/meiyou/)", "E332", "站内网址在网站上不存在"),
    ('<a href="../../articles/caogao/">草稿</a>', "E330", "草稿"),
    ('<img src="../images/两法衔接 平台培训.JPG" alt="培训">', "E332", "站内网址在网站上不存在"),
    ("[已发布](fabu.md#meiyou-zhe-yi-jie)", "E337", "这一页有：#zheng-wen"),
    ("[已发布](/articles/fabu/#meiyou-zhe-yi-jie)", "E337", "这一页有：#zheng-wen"),
    ('<a href="/articles/fabu/#meiyou">一节</a>', "E337", "锚点 #meiyou"),
    ('<a href="../fabu/#meiyou">一节</a>', "E337", "锚点 #meiyou"),
    ("[已发布](https://fzb.binjiang.gov.cn/articles/fabu/#%E6%B2%A1%E6%9C%89)", "E337", "锚点 #没有"),
    ("[本页](#yi-gong-zuo-hui-gu)", "E337", "锚点 #yi-gong-zuo-hui-gu"),
]


@pytest.mark.parametrize("body", RESOLVED)
def test_check_accepts_what_the_build_resolves(project, body, monkeypatch):
    monkeypatch.chdir(project)
    content = site(project)
    write(content, body)
    loaded, found = load_site(content, NOW)
    assert loaded is not None, [p.format() for p in found]


@pytest.mark.parametrize(("body", "code", "words"), REFUSED)
def test_check_refuses_with_a_located_coded_message(project, body, code, words, monkeypatch):
    monkeypatch.chdir(project)
    content = site(project)
    write(content, body)
    loaded, found = load_site(content, NOW)
    assert loaded is None
    errors = [p for p in found if p.is_error]
    assert [(p.code, p.path, p.line) for p in errors] == [(code, A, BODY_LINE)], [p.format() for p in found]
    assert words in errors[0].message + errors[0].hint
    assert errors[0].hint


def test_scheduled_link_is_fine_once_both_are_out(project):
    """Two scheduled articles: the later may link to the earlier; a draft may link anywhere."""
    content = site(project)
    write(content, "[定时](dingshi.md)", date="2030-02-01 09:00")
    assert load_site(content, NOW)[0] is not None
    write(content, "[定时](dingshi.md)", extra="draft: true\n")
    assert load_site(content, NOW)[0] is not None
    write(content, "[定时](dingshi.md)", date="2029-12-01 09:00")
    assert load_site(content, NOW)[0] is None


def test_build_and_check_agree_through_the_commands(project):
    """The strict build fails where check fails, with check's own words, and publishes what check passes."""
    content = site(project)
    write(content, "\n\n".join(RESOLVED))
    check = run_cli("check", "--content", "content", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr
    built = build_project(project)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "site/articles/lianjie/index.html").read_text(encoding="utf-8")
    assert "../../images/%E4%B8%A4%E6%B3%95%E8%A1%94%E6%8E%A5%20%E5%B9%B3%E5%8F%B0%E5%9F%B9%E8%AE%AD.JPG" in page
    assert (project / "site/images/两法衔接 平台培训.JPG").is_file()
    assert 'href="../fabu/"' in page

    write(content, "\n\n".join(body for body, *_ in REFUSED))
    check = run_cli("check", "--content", "content", cwd=project)
    built = build_project(project)
    assert check.returncode == built.returncode == 1
    for number, (body, code, _words) in enumerate(REFUSED):
        located = f"{A}:{BODY_LINE + 2 * number}: 错误 {code} "
        assert located in check.stderr, (body, check.stderr)
        assert located in built.stderr, (body, built.stderr)
    assert "Doc file" not in built.stderr and "contains a link" not in built.stderr

    write(content, "[已发布](fabu.md#zheng-wen) [本页](#meiyou)")
    check = run_cli("check", "--content", "content", cwd=project)
    built = build_project(project)
    assert f"{A}:{BODY_LINE}: 错误 E337 链接中的锚点 #meiyou" in check.stderr
    assert f"{A}:{BODY_LINE}: 错误 E337 链接中的锚点 #meiyou" in built.stderr


def test_mkdocs_link_warnings_are_reworded_as_located_coded_messages(tmp_path):
    """The net under check: a link warning MkDocs still makes reaches staff coded, located, in Chinese."""
    from site_builder.core.checks.links import from_mkdocs

    content = tmp_path / "content"
    (content / "news/2021").mkdir(parents=True)
    (content / "news/2021/a.md").write_text("---\ntitle: 甲\n---\n\n正文\n\n[乙](b.md#x)\n", encoding="utf-8")
    message = (
        "Doc file 'news/2021/a.md' contains a link 'b.md#x', but the doc 'news/2021/b.md' "
        "does not contain an anchor '#x'."
    )
    found = from_mkdocs(message, content, "content")
    assert (found.code, found.path, found.line) == ("E333", "content/news/2021/a.md", 7)
    assert found.message.startswith("生成网站时找不到链接的锚点 #x：b.md#x（MkDocs：Doc file")
    assert found.hint
    unrecognised = "Doc file 'news/2021/a.md' contains an unrecognized relative link 'b', it was left as is."
    assert from_mkdocs(unrecognised, content, "content").code == "E333"
    assert from_mkdocs("Some other warning", content, "content") is None


def test_sample_site_links_still_resolve(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    loaded, found = load_site(content, NOW)
    assert loaded is not None, [p.format() for p in found if p.is_error]


def test_heading_ids_are_made_as_mkdocs_yml_makes_them():
    """check computes heading anchors with the toc slugify of the shipped mkdocs.yml: keep them one."""
    text = (ROOT / "site_builder" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "slugify: !!python/object/apply:pymdownx.slugs.slugify" in text
    assert re.search(r"slugify:[^\n]*\n\s+kwds:\n\s+case: lower\n", text)
