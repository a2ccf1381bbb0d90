"""The staff page for one 公众号 copy: metadata, warnings, a phone-width preview and the copy button.

The preview is an ``<iframe srcdoc>`` so the site's own CSS cannot leak into it: what
staff see is what the WeChat editor gets. wechat.js copies the preview's HTML.
"""

from __future__ import annotations

from html import escape

from site_builder.fragments import rel
from site_builder.wechat import OUTPUT_DIR, SUMMARY_LIMIT, TITLE_LIMIT, WechatCopy

PREVIEW = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>公众号文章预览</title>'
    "<style>body{{margin:0;padding:20px 16px;background:#fff}}</style></head><body>{fragment}</body></html>"
)


def render(copy: WechatCopy, page_url: str, article_url: str) -> str:
    """Body HTML of the staff page at ``page_url``."""
    warnings = ""
    if copy.warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in copy.warnings)
        warnings = f'<div class="sb-wx-warnings" role="note"><p>请注意：</p><ul>{items}</ul></div>'
    title_note = f"（{len(copy.title)} 字"
    title_note += f"，超过 {TITLE_LIMIT} 字）" if len(copy.title) > TITLE_LIMIT else "）"
    rows = [
        ("标题", escape(copy.title) + f'<span class="sb-wx-count">{title_note}</span>'),
        ("作者", escape(copy.author)),
        (
            "摘要",
            escape(copy.summary) + f'<span class="sb-wx-count">（{len(copy.summary)} 字，上限 {SUMMARY_LIMIT}）</span>',
        ),
        ("原文链接", f'<span class="sb-wx-url">{escape(copy.url)}</span>'),
    ]
    meta = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in rows)
    fragment_url = rel(page_url, f"{OUTPUT_DIR}/{copy.filename}")
    return (
        f'<link rel="stylesheet" href="{rel(page_url, "assets/sb/wechat.css")}">'
        f"<h1>公众号版本：{escape(copy.title)}</h1>"
        '<p class="sb-wx-intro">本页供编辑人员使用，不在网站导航和搜索中出现。点击“复制到公众号”，'
        "再到公众号编辑器的正文处粘贴（Ctrl+V）。标题、作者、摘要和原文链接请分别填入编辑器对应的位置。"
        "粘贴前请确认网站已经发布：公众号会从网站地址下载文中的图片。</p>"
        f"{warnings}"
        f'<dl class="sb-wx-meta">{meta}</dl>'
        '<div class="sb-wx-actions">'
        '<button type="button" class="sb-wx-copy" data-sb-wx-copy hidden>复制到公众号</button>'
        f'<a class="sb-wx-download" href="{fragment_url}" download="{escape(copy.filename)}">下载 HTML 片段</a>'
        f'<a href="{rel(page_url, article_url)}">返回文章页面</a></div>'
        '<p class="sb-wx-status" role="status" aria-live="polite" data-sb-wx-status></p>'
        "<noscript><p>“复制到公众号”需要启用浏览器的 JavaScript；也可以下载 HTML 片段。</p></noscript>"
        '<div class="sb-wx-phone">'
        f'<iframe class="sb-wx-frame" title="公众号文章预览（手机宽度）" data-sb-wx-frame'
        f' srcdoc="{escape(PREVIEW.format(fragment=copy.html), quote=True)}"></iframe></div>'
        f'<script src="{rel(page_url, "assets/sb/wechat.js")}" defer></script>'
    )
