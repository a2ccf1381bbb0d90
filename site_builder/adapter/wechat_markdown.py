"""One article's Markdown rendered as the site build renders it, without MkDocs.

For ``site-builder wechat PATH``: the caller passes the Markdown extensions it read
from mkdocs.yml, and links to other Markdown files resolve to their canonical URLs
(images and attachments to their published address), so the copy needs no build.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from site_builder.core import sanitize
from site_builder.core.body import doc_numbers, finish_body
from site_builder.core.model import Article, Site
from site_builder.outputs.wechat import copy as wechat


def canonical(site: Site, article: Article, target: str) -> str:
    """The published address of ``target`` written in ``article`` (a path relative to its file)."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith(("#", "/")) or not parts.path:
        return target
    path = posixpath.normpath(posixpath.join(posixpath.dirname(article.src), parts.path))
    anchor = f"#{parts.fragment}" if parts.fragment else ""
    if path.endswith(".md"):
        linked = next((a for a in site.articles if a.src == path), None)
        if linked is not None:
            return site.settings.url + linked.url + anchor
        page = path.removesuffix(".md")
        page = page[: -len("index")] if page == "index" or page.endswith("/index") else page + "/"
        return site.settings.url + page + anchor
    return site.settings.url + path + anchor


class _Canonical(Treeprocessor):
    def __init__(self, md, site: Site, article: Article) -> None:
        super().__init__(md)
        self.site, self.article = site, article

    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None:
                    element.set(attribute, canonical(self.site, self.article, value))


class _CanonicalLinks(Extension):
    def __init__(self, site: Site, article: Article) -> None:
        super().__init__()
        self.site, self.article = site, article

    def extendMarkdown(self, md) -> None:  # Python-Markdown's name
        md.treeprocessors.register(_Canonical(md, self.site, self.article), "sb_canonical", 0)


def render_body(article: Article, site: Site, extensions: list, configs: dict) -> str:
    md = markdown.Markdown(extensions=[*extensions, _CanonicalLinks(site, article)], extension_configs=configs)
    return md.convert(article.body)


def make_copy(article: Article, site: Site, extensions: list, configs: dict) -> wechat.WechatCopy:
    """The same 公众号 copy the site build makes for ``article``: from the same finished body."""
    body = finish_body(render_body(article, site, extensions, configs), article, doc_numbers(site))
    body = sanitize.clean(body)  # as the build publishes it
    return wechat.make_copy(article, body, site.settings)
