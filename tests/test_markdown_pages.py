"""One Markdown converter per build (markdown_pages.py) renders exactly what MkDocs' own per-page one does."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import build_project
from tests.test_build import write_article
from tests.test_scale import differences

# Everything a converter could carry from one page to the next: footnotes and their
# numbering, abbreviations, heading anchors (toc makes ids unique within a page),
# raw HTML anchors, links between articles, tables, definition lists.
BODIES = [
    """## 工作要求

加强行政复议工作[^1]，落实 HTML 规范。

*[HTML]: 超文本标记语言

[^1]: 见《行政复议法》。

| 文号 | 结果 |
|---|---|
| 滨政规〔2021〕6号 | 继续有效 |

<div markdown="1" id="fujian">**附件**说明</div>

[上一篇](b.md#工作要求)
""",
    """## 工作要求

第二篇也有一个脚注[^1]和同名的小标题。

[^1]: 第二篇的注释。

复议
:   依申请审查具体行政行为。

## 工作要求 {#yaoqiu-2}

又一个同名标题。
""",
    """没有脚注，也没有缩写：HTML 在这里不应再有说明。

## 工作要求

[返回](a.md#fujian)
""",
]


def test_shared_converter_renders_what_mkdocs_renders_page_by_page(project: Path, tmp_path: Path, monkeypatch):
    for name, body in zip("abc", BODIES, strict=True):
        write_article(project, name, title=f"测试文章{name}", body=body)
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    shared = tmp_path / "shared"
    shutil.copytree(project / "site", shared)
    page_c = (shared / "articles/c/index.html").read_text(encoding="utf-8")
    assert "<abbr" not in page_c and 'class="footnote"' not in page_c  # nothing carried over

    monkeypatch.setenv("SITE_BUILDER_MARKDOWN_PER_PAGE", "1")
    shutil.rmtree(project / "site")
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert differences(shared, project / "site") == []


def test_a_page_holds_its_content_only_while_mkdocs_renders_it(project: Path, monkeypatch):
    """MkDocs makes every page's content before it renders the first: the core's pages (articles,
    lists, home) get theirs when their own page is rendered and drop it once written, so a large
    site never holds every page's HTML at once. Each page still shows its own content."""
    import mkdocs.commands.build as mkdocs_build

    for name in "abc":
        write_article(project, name, title=f"测试文章{name}", body=f"第{name}篇的正文。")
    original = mkdocs_build._build_page
    rendered: list[str] = []
    held_before: list[str] = []
    held_after: list[str] = []

    def build_page(page, config, doc_files, *args, **kwargs):
        ours = [f.page for f in doc_files if f.page is not None and "sb" in f.page.meta]
        held_before.extend(p.file.src_uri for p in ours if p.content)  # made, not yet rendered
        original(page, config, doc_files, *args, **kwargs)
        if "sb" in page.meta:
            rendered.append(page.file.src_uri)
            if page.content is not None:
                held_after.append(page.file.src_uri)

    monkeypatch.setattr(mkdocs_build, "_build_page", build_page)
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert {"news/a.md", "index.md", "news/index.md"} <= set(rendered)
    assert held_before == [] and held_after == []
    site = project / "site"
    for name in "abc":
        page = (site / "articles" / name / "index.html").read_text(encoding="utf-8")
        assert f"第{name}篇的正文。" in page and f"测试文章{name}" in page
    assert all(f"测试文章{name}" in (site / "index.html").read_text(encoding="utf-8") for name in "abc")
