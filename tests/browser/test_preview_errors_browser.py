"""Headless Chromium on a real `site-builder serve`: the open page turns into the error list on a bad
save and back into the article on the fix, by the preview's own reload, with nobody touching the browser."""

from __future__ import annotations

from pathlib import Path

from tests.test_build import write_article
from tests.test_staging_preview import FULL_WIDTH, break_header, serving


def test_the_open_page_shows_the_error_and_comes_back_after_the_fix(page, project: Path, tmp_path: Path):
    article = write_article(project, "yulan", title="预览中的文章")
    log = tmp_path / "serve.log"
    with serving(project, log) as base:
        for _ in range(600):  # the first build
            try:
                page.goto(base + "articles/yulan/")
                break
            except Exception:
                page.wait_for_timeout(200)
        page.wait_for_selector("h1:has-text('预览中的文章')", timeout=120_000)
        line = break_header(article)
        error = page.wait_for_selector("#sb-preview-error", timeout=60_000)  # reloaded by itself
        assert "内容有错误" in error.inner_text()
        text = page.inner_text("body")
        assert f"content/news/yulan.md:{line}" in text and "E204" in text and "修改方法：" in text
        article.write_text(article.read_text(encoding="utf-8").replace(FULL_WIDTH, ""), encoding="utf-8")
        page.wait_for_selector("h1:has-text('预览中的文章')", timeout=60_000)
        assert page.query_selector("#sb-preview-error") is None
