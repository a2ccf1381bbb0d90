"""`site-builder new`: a new article whose header is already right."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from site_builder.core.checks.placeholders import TEMPLATE_BODY
from site_builder.core.settings import load_settings
from site_builder.core.slugs import ARTICLE_SLUG_RE, slugify

TEMPLATE = """---
title: {title}
date: {date}
category: {category}
source: {source}
slug: {slug}
tags: []
# 以下为可选字段，需要时去掉行首的“# ”再填写：
# summary: 一两句话的摘要
# author: 作者姓名
# doc_no: 滨政规〔2021〕6号
# attachments:
#   - file: files/{year}/附件.pdf
#     title: 附件标题
---

{body}

"""


def _quoted(text: str) -> str:
    """The title as YAML reads it back unchanged (quotes only when needed)."""
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    return dumped.removesuffix("\n...").removesuffix("...").strip()


def new_article(content: Path, title: str, category: str | None, slug: str | None, now: dt.datetime) -> Path:
    settings, _found = load_settings(content)
    if settings is None:
        raise ValueError("网站设置 content/site.yml 有错误，请先运行 site-builder check。")
    title = title.strip()
    if not title:
        raise ValueError("标题不能为空。")
    names = [c.name for c in settings.categories]
    chosen = category or names[0]
    if chosen not in names:
        raise ValueError(f"栏目“{chosen}”不存在，可选：{'、'.join(names)}。")
    base = slug or "-".join(slugify(title).split("-")[:8]) or f"article-{now:%Y%m%d}"
    if not ARTICLE_SLUG_RE.match(base):
        raise ValueError(f"slug “{base}”格式不对：只能用小写字母、数字、“-”和“_”。")
    taken = {p.stem for p in (content / "news").rglob("*.md")}
    final, n = base, 2
    while final in taken:
        final, n = f"{base}-{n}", n + 1
    path = content / "news" / str(now.year) / f"{final}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(
        title=_quoted(title),
        date=f"{now:%Y-%m-%d %H:%M}",
        category=chosen,
        source=_quoted(settings.sponsor),
        slug=final,
        year=now.year,
        body=TEMPLATE_BODY,
    )
    with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
        handle.write(text)
    return path
