"""The one 公众号 staff page, wechat/?a=<slug>: metadata, warnings, a phone-width preview, the copy button.

One page for every article, so a site of thousands of articles does not render thousands of
staff pages: wechat.js reads the article's slug from the address, loads wechat/<slug>.json
(title, 作者, 摘要, 原文链接, warnings) and the fragment wechat/<slug>.html, and fills in this
page. The preview is an ``<iframe srcdoc>`` so the site's own CSS cannot leak into it: what
staff see is what the WeChat editor gets.
"""

from __future__ import annotations

from html import escape

from site_builder.core.fragments import rel
from site_builder.core.slugs import SLUG_RE
from site_builder.core.wechat_settings import SUMMARY_LIMIT, TITLE_LIMIT

URL = "wechat/"
TITLE = "公众号版本"

HOW_TO_REACH = (
    "本页供编辑人员使用，不在网站导航和搜索中出现。要把一篇文章发到公众号，请打开这篇文章，"
    "点击文章末尾的“公众号版本”链接，本页就会显示这篇文章的公众号版本。"
)


def older_articles(recent_days: int) -> str:
    """What the staff page says of the articles the build makes no copy of (core/wechat_settings.py)."""
    return (
        f"网站只为最新一篇文章之前 {recent_days} 天内的文章生成公众号版本，更早的文章页面没有“公众号版本”链接。"
        "需要转发更早的文章时，在网站目录中运行 site-builder wechat 加这篇文章的文件路径"
        "（例如 site-builder wechat content/news/2020/xxx.md），生成的 HTML 片段与网站生成的完全相同。"
    )


def render(page_url: str, recent_days: int) -> str:
    """Body HTML of the staff page at ``page_url``; wechat.js fills in the article named in ``?a=``."""
    rows = "".join(
        f'<div><dt>{label}</dt><dd><span data-sb-wx-field="{name}"></span>'
        f'<span class="sb-wx-count" data-sb-wx-count="{name}"></span></dd></div>'
        for label, name in (("标题", "title"), ("作者", "author"), ("摘要", "summary"), ("原文链接", "url"))
    )
    return (
        f'<link rel="stylesheet" href="{rel(page_url, "assets/sb/wechat.css")}">'
        f'<div class="sb-wx" data-sb-wx data-title-limit="{TITLE_LIMIT}" data-summary-limit="{SUMMARY_LIMIT}"'
        f' data-slug-pattern="{escape(SLUG_RE.pattern)}">'
        f"<h1 data-sb-wx-heading>{TITLE}</h1>"
        # Shown until an article is loaded: with no ?a=, an unknown one, or without JavaScript.
        '<div class="sb-wx-notice" data-sb-wx-notice>'
        '<p class="sb-wx-problem" role="alert" data-sb-wx-problem hidden></p>'
        f'<p class="sb-wx-intro">{HOW_TO_REACH}</p>'
        f'<p class="sb-wx-intro" data-sb-wx-older>{older_articles(recent_days)}</p>'
        "<noscript><p>本页需要启用浏览器的 JavaScript 才能显示公众号版本；也可以下载文章的 HTML 片段，"
        "地址是本页地址后加“文章网址别名.html”，例如 wechat/fazhi-tuijinhui-2020.html。</p></noscript></div>"
        '<div class="sb-wx-copy-view" data-sb-wx-view hidden>'
        '<p class="sb-wx-intro">本页供编辑人员使用，不在网站导航和搜索中出现。点击“复制到公众号”，'
        "再到公众号编辑器的正文处粘贴（Ctrl+V）。标题、作者、摘要和原文链接请分别填入编辑器对应的位置。"
        "粘贴前请确认网站已经发布：公众号会从网站地址下载文中的图片。</p>"
        '<div class="sb-wx-warnings" role="note" data-sb-wx-warnings hidden><p>请注意：</p><ul></ul></div>'
        f'<dl class="sb-wx-meta">{rows}</dl>'
        '<div class="sb-wx-actions">'
        '<button type="button" class="sb-wx-copy" data-sb-wx-copy>复制到公众号</button>'
        '<a class="sb-wx-download" data-sb-wx-download href="#">下载 HTML 片段</a>'
        '<a data-sb-wx-article href="#">返回文章页面</a></div>'
        '<p class="sb-wx-status" role="status" aria-live="polite" data-sb-wx-status></p>'
        '<div class="sb-wx-phone">'
        '<iframe class="sb-wx-frame" title="公众号文章预览（手机宽度）" data-sb-wx-frame></iframe></div></div></div>'
        f'<script src="{rel(page_url, "assets/sb/wechat.js")}" defer></script>'
    )
