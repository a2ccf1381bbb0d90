"""The MkDocs plugin: MkDocs' events, routed to one build (build.py) and nothing more.

What this object keeps lives as long as the process: the preview builds again on every edit.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files

from site_builder.adapter import internals, project, staging
from site_builder.adapter.build import SiteBuild
from site_builder.adapter.page_chrome import PageChrome
from site_builder.core import dates
from site_builder.core.loader import load_site
from site_builder.core.memo import Memo, using
from site_builder.core.problems import format_report

NO_TOC = {"home", "list", "index", "search", "wechat"}  # generated pages without a table of contents


class SiteBuilderConfig(Config):
    search = c.Type(bool, default=True)  # Pagefind index; off only for quick experiments


class SiteBuilderPlugin(BasePlugin[SiteBuilderConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.dirty = False  # a rebuild that keeps unchanged pages (site-builder build, serve)
        self.builds = 0  # in this process (the preview builds again on every edit)
        self.build: SiteBuild | None = None
        self.stage: staging.Stage | None = None  # set by `site-builder build`: it renders beside site/
        self.problems: list = []  # the content problems that stopped the last build (preview page)
        self.failure: Exception | None = None  # what stopped the last build
        self.warnings = internals.WarningCount()
        self.memo = Memo()  # what each content file made, reused by the preview's next build (core/memo.py)
        self.sections: dict = {}  # navigation entries by URL, for the active tab
        self.section = None  # the entry made active for the page being rendered
        self.nav = None  # this build's navigation (the preview renders pages after the build with it)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving, self.dirty = command == "serve", dirty

    @event_priority(100)  # before other plugins see the config: the site's name and nav come from content/
    def on_config(self, config):
        self.problems, self.failure = [], None
        self.warnings.start()
        self.builds += 1
        project.add_theme(config)  # the tool's theme, under the site's own custom_dir
        internals.LinkWarnings.install(Path(config.docs_dir))
        with using(self.memo):
            site, found = load_site(Path(config.docs_dir), dates.build_now())
            if site is None:
                self.problems = [p for p in found if p.is_error]
                raise PluginError("内容检查未通过，未生成网站：\n" + format_report(found))
            self.build = SiteBuild(config, site, found, serving=self.serving, dirty=self.dirty, stage=self.stage)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        with using(self.memo):
            files = self.build.files(files, config)
        if not self.serving:  # every durable step has run: the content cache is written now, not held
            self.memo.settle()
        return files

    def on_pre_build(self, *, config) -> None:
        self.build.start(Path(config.site_dir), search=self.config.search)

    def on_env(self, env, *, config, files):
        """Pages a dirty build does not read again still need their data (sitemap.xml; the preview
        renders none, and a page it renders gets its data in on_page_markdown)."""
        # Every page's content is made (and sent to Pagefind) before any is rendered: Pagefind
        # writes its bundle on the other core while MkDocs renders the pages.
        self.build.indexing.write_bundle()
        PageChrome(env.filters["url"]).install(env)
        internals.keep_compiled_templates(env, self.memo)
        if self.serving:
            self.build.rendering(config, files, self.nav, env)
            return env
        for file in files.documentation_pages():
            spec = self.build.by_src.get(file.src_uri)
            if spec is not None and file.page is not None:
                file.page.meta.setdefault("sb", spec)
        return env

    def on_page_read_source(self, *, page, config) -> str | None:
        spec = self.build.by_src.get(page.file.src_uri)
        return None if spec is None else spec.article.body if spec.article else ""

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        spec = self.build.by_src.get(page.file.src_uri)
        if spec is not None:
            page.meta["title"] = Markup.escape(spec.title)  # see SiteBuild: Material prints it unescaped
            page.meta["sb"] = spec
            if spec.kind in NO_TOC:
                page.meta["hide"] = ["toc"] + (["navigation"] if spec.kind == "home" else [])
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        return self.build.content(html, page)

    def on_nav(self, nav, *, config, files):
        self.sections = {item.url: item for item in nav.items if getattr(item, "url", None) is not None}
        self.nav = nav
        return nav

    def on_page_context(self, context, *, page, config, nav):
        """A page outside the navigation (an article, a batch) shows its 栏目's tab as the active one."""
        self.build.rendered_content(page)
        spec = self.build.by_src.get(page.file.src_uri)
        self.section = None
        for _label, url in spec.crumbs[1:-1] if spec is not None else ():
            section = self.sections.get(url)
            if section is not None:
                if not section.active:
                    section.active = True  # MkDocs deactivates the page itself after rendering; we do this one
                    self.section = section
                break
        return context

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.section is not None:
            self.section.active = False
            self.section = None
        self.build.written(page)
        return output

    def on_build_error(self, *, error) -> None:
        self.failure = error
        self.warnings.stop()
        if self.build is not None:
            self.build.failed()

    def on_post_build(self, *, config) -> None:
        site_dir = Path(config.site_dir)
        self.build.write_outputs(site_dir, search=self.config.search)
        # MkDocs aborts a strict build with warnings after this event: build.json then says so.
        complete = not (config.strict and self.warnings.stop())
        self.build.finish(site_dir, Path(config.docs_dir), complete)

    def on_shutdown(self) -> None:
        if self.build is not None:
            self.build.ended()
