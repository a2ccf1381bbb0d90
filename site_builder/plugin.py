"""The MkDocs adapter: hands MkDocs' events to the core and nothing more.

The core decides what is published and what every generated page says; this
module only maps that onto MkDocs files, pages and template context.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from site_builder import dates, search, sitemap
from site_builder.loader import load_site
from site_builder.pages import Page, SitePlan, plan
from site_builder.problems import format_report

log = logging.getLogger("mkdocs.plugins.site_builder")

DATA_SUFFIXES = (".yml", ".yaml")


class SiteBuilderConfig(Config):
    search = c.Type(bool, default=True)  # Pagefind index; off only for quick experiments


class SiteBuilderPlugin(BasePlugin[SiteBuilderConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.plan: SitePlan | None = None
        self.by_src: dict[str, Page] = {}
        # Article bodies as MkDocs rendered them (links relative to the article's URL),
        # for the outputs written after the build: feeds, WeChat copies.
        self.bodies: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    @event_priority(100)  # before other plugins see the config: the site's name and nav come from content/
    def on_config(self, config):
        self.bodies = {}
        site, found = load_site(Path(config.docs_dir), dates.build_now())
        if site is None:
            raise PluginError("内容检查未通过，未生成网站：\n" + format_report(found))
        if found:
            log.warning(format_report(found))
        self.plan = plan(site, include_unpublished=self.serving)
        self.site = site
        self.by_src = {page.src_uri: page for page in self.plan.pages} | self.plan.articles
        config.site_name = site.settings.name
        config.site_url = site.settings.url
        config.nav = [{title: src} for title, src in self.plan.nav]
        config.extra["sb_settings"] = site.settings
        return config

    def on_files(self, files: Files, *, config) -> Files:
        assert self.plan is not None
        for file in list(files):
            if file.src_uri.endswith(DATA_SUFFIXES) and file.src_dir == config.docs_dir:
                files.remove(file)
            elif file.src_uri in self.plan.articles:
                page = self.plan.articles[file.src_uri]
                file.dest_uri = f"{page.url}index.html"
                file.url = page.url
                file.abs_dest_path = str(Path(config.site_dir) / file.dest_uri)
                file.inclusion = InclusionLevel.NOT_IN_NAV
            elif file.src_uri.startswith("news/") and file.is_documentation_page():
                file.inclusion = InclusionLevel.EXCLUDED  # a draft or not yet due
        for page in self.plan.pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(
                    f"content/{page.src_uri} 与自动生成的页面重名：这个地址由网站自动生成，请把该文件改名或移到其他目录。"
                )
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content="", inclusion=inclusion))
        return files

    def on_page_read_source(self, *, page, config) -> str | None:
        spec = self.by_src.get(page.file.src_uri)
        if spec is None:
            return None
        return spec.article.body if spec.article else ""

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        spec = self.by_src.get(page.file.src_uri)
        if spec is not None:
            page.meta["title"] = spec.title
            page.meta["sb"] = spec
            if spec.kind in {"home", "list", "index", "search"}:
                page.meta["hide"] = ["toc"] + (["navigation"] if spec.kind == "home" else [])
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        spec = self.by_src.get(page.file.src_uri)
        if spec is None:
            return html
        if spec.article is None:
            return spec.html
        article = spec.article
        self.bodies[article.src] = html
        return (
            f'<div class="sb-article" data-pagefind-body data-pagefind-filter="栏目:{escape(article.category.name)}"'
            f' data-pagefind-sort="date:{article.date:%Y-%m-%dT%H:%M}">'
            f'{spec.before}<div class="sb-article__body">{html}</div>'
            f'<div data-pagefind-ignore="all">{spec.after}</div></div>'
        )

    def on_post_build(self, *, config) -> None:
        site_dir = Path(config.site_dir)
        sitemap.make_reproducible(site_dir)
        if self.config.search:
            search.index(site_dir)
