"""Old addresses that lead to an article (``aliases:``): an office moving from another CMS
keeps every link and bookmark to its old pages working.

Each old address gets a static page that sends the reader on (meta refresh, a visible
link, canonical, noindex: works on any server), and a line in ``redirects.map``, which
the example nginx configuration reads to answer with a real 301.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import unquote, urlsplit

from site_builder.core.model import Article, Settings

MAP_FILE = "redirects.map"
# First segments of addresses the site makes itself: an old address there would hide a page.
RESERVED = frozenset(
    {"archive", "tags", "search", "wechat", "feeds", "cleanups", "assets", "pagefind", "build.json", MAP_FILE}
)
_UNSAFE = re.compile(r"[\s\"'`;{}\\<>\x00-\x1f\x7f]")


def normalise(typed: str, settings: Settings) -> tuple[str | None, str]:
    """The site path (no leading /, decoded) of an old address, or None and why not."""
    parts = urlsplit(typed.strip())
    if parts.scheme or parts.netloc:
        host = (parts.hostname or "").lower().rstrip(".")
        if parts.scheme not in ("http", "https") or host != settings.domain.split(":")[0].lower():
            return None, f"不是本网站（{settings.domain}）的网址，其他网站的旧网址只能在那个网站上设置跳转"
    if parts.query or parts.fragment:
        return None, "带有“?”或“#”，只能写网址的路径部分"
    path = unquote(parts.path)
    if not path.startswith("/"):
        return None, "要以 / 开头（网站中的路径），例如 /news/2019/t20190102_123456.html"
    base = urlsplit(settings.url).path or "/"
    if not path.startswith(base):
        return None, f"本网站的网址都以 {base} 开头"
    rest = path[len(base) :]
    segments = rest.rstrip("/").split("/")
    if not rest or rest == "index.html":
        return None, "是网站首页"
    if _UNSAFE.search(rest) or any(s in ("", ".", "..") for s in segments):
        return None, "含有空格、引号或其他不能用在网址中的字符，或有空的、“.”“..”这样的路径段"
    if segments[0] in RESERVED or (segments[0] == "articles" and (len(segments) != 2 or rest.endswith(".html"))):
        return None, "是本网站自动生成的网址"
    return rest, ""


def claim(alias: str) -> str:
    """One key per address however it is written: news/x, news/x/ and news/x/index.html are one."""
    if alias.endswith((".html", ".htm")) and not alias.endswith("/index.html"):
        return alias
    return alias.removesuffix("index.html").rstrip("/")


def page_path(alias: str) -> str:
    """Where the static redirect page is written in site/."""
    if alias.endswith((".html", ".htm")):
        return alias
    return alias.rstrip("/") + "/index.html"


def _map_keys(base: str, alias: str) -> list[str]:
    if alias.endswith((".html", ".htm")) and not alias.endswith("/index.html"):
        return [base + alias]
    stem = base + claim(alias)
    return [stem, stem + "/", stem + "/index.html"]


def _page(settings: Settings, article: Article) -> str:
    """Canonical: the article's full address; the reader is sent to its path on this server."""
    canonical = settings.url + article.url
    target = (urlsplit(settings.url).path or "/") + article.url
    title = escape(article.title)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>页面已迁移：{title} - {escape(settings.name)}</title>\n"
        f'<link rel="canonical" href="{escape(canonical)}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={escape(target)}">\n'
        "</head>\n<body>\n"
        f'<p>本页面已迁移，新的地址是：<a href="{escape(target)}">{title}</a></p>\n'
        "</body>\n</html>\n"
    )


def files(settings: Settings, articles: list[Article]) -> dict[str, bytes]:
    """Redirect pages and the nginx map, by site path (the map is there even when empty:
    the example nginx configuration includes it)."""
    base = urlsplit(settings.url).path or "/"
    result: dict[str, bytes] = {}
    lines = [
        "# 旧网址 → 文章的新网址（文件头 aliases）：由 site-builder 生成，",
        "# deploy/nginx/site_builder.conf 的 map 读取后回答 301。发布新版本后 nginx reload 才读到新增的旧网址；",
        "# 在那之前旧网址由同名的跳转页面转到新网址。",
    ]
    for article in sorted((a for a in articles if a.aliases), key=lambda a: a.src):
        target = base + article.url
        for alias in article.aliases:
            result[page_path(alias)] = _page(settings, article).encode("utf-8")
            lines += [f'"{key}" "{target}";' for key in _map_keys(base, alias)]
    result[MAP_FILE] = ("\n".join(lines) + "\n").encode("utf-8")
    return result
