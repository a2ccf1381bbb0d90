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

from site_builder import dates, feeds, manifest, search, sitemap, wechat, wechat_page
from site_builder.cleanups.links import link_doc_numbers
from site_builder.loader import load_site
from site_builder.pages import Page, SitePlan, plan
from site_builder.problems import format_report

# Outside the "mkdocs" logger tree on purpose: content warnings must be shown, but must
# not abort a strict build the way MkDocs' own warnings do (only errors stop a build).
log = logging.getLogger("site_builder")

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
        self.index: search.BackgroundIndex | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    @event_priority(100)  # before other plugins see the config: the site's name and nav come from content/
    def on_config(self, config):
        self.bodies = {}
        self.copies: list[wechat.WechatCopy] = []
        site, found = load_site(Path(config.docs_dir), dates.build_now())
        if site is None:
            raise PluginError("内容检查未通过，未生成网站：\n" + format_report(found))
        for warning in found:  # one record each, so the CLI can count them
            log.warning(warning.format())
        self.plan = plan(site, include_unpublished=self.serving)
        self.site = site
        self.by_src = {page.src_uri: page for page in self.plan.pages} | self.plan.articles
        config.site_name = site.settings.name
        config.site_url = site.settings.url
        config.nav = [{title: src} for title, src in self.plan.nav]
        config.extra["sb_settings"] = site.settings
        config.extra["sb_feeds"] = feeds.site_links(site.settings)  # <link rel="alternate"> on every page
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
        for path, data in self.plan.files.items():  # cleanup downloads (CSV, .xlsx)
            files.append(File.generated(config, path, content=data))
        return files

    def on_pre_build(self, *, config) -> None:
        if self.config.search:
            self.index = _searching(lambda: search.BackgroundIndex(Path(config.site_dir)))

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
            if spec.kind in {"home", "list", "index", "search", "wechat"}:
                page.meta["hide"] = ["toc"] + (["navigation"] if spec.kind == "home" else [])
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        spec = self.by_src.get(page.file.src_uri)
        if spec is None:
            return html
        if spec.article is None:
            return spec.html
        article = spec.article
        html = link_doc_numbers(html, article.url, self.plan.doc_numbers)  # 文号 -> its library entry
        self.bodies[article.src] = html
        return (
            f'<div class="sb-article" data-pagefind-body data-pagefind-filter="栏目:{escape(article.category.name)}"'
            f' data-pagefind-sort="date:{article.date:%Y-%m-%dT%H:%M}">'
            f'{spec.before}<div class="sb-article__body">{html}</div>'
            f'<div data-pagefind-ignore="all">{spec.after}</div></div>'
        )

    def on_page_context(self, context, *, page, config, nav):
        """A 公众号 staff page needs its article's rendered body: every body exists by now."""
        spec = self.by_src.get(page.file.src_uri)
        if spec is not None and spec.copy_of is not None:
            copy = wechat.make_copy(spec.copy_of, self.bodies[spec.copy_of.src], self.site.settings)
            self.copies.append(copy)
            page.content = wechat_page.render(copy, spec.url, spec.copy_of.url)
        return context

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.index is not None:  # indexed in Pagefind's own process while the next pages render
            self.index.add(output, "/" + page.url)
        return output

    def on_build_error(self, *, error) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None

    def on_post_build(self, *, config) -> None:
        site_dir = Path(config.site_dir)
        wechat.write_fragments(site_dir, self.copies)
        feeds.write_feeds(site_dir, self.site, self.bodies)
        sitemap.write_robots(site_dir, self.site.settings.url)
        sitemap.make_reproducible(site_dir)
        if self.index is not None:
            _searching(self.index.finish)
            self.index = None
        manifest.write_manifest(site_dir, self.site, Path(config.docs_dir))  # last: hashes every file above


def _searching(step):
    """Run a search step; its failure is a build error, never a site without search."""
    try:
        return step()
    except search.SearchError as exc:
        raise PluginError(str(exc)) from exc
