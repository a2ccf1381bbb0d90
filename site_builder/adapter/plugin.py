"""The MkDocs adapter: hands MkDocs' events to the core and nothing more.

The core decides what is published and what every generated page says; this
module only maps that onto MkDocs files, pages and template context.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from html import escape, unescape
from importlib import metadata
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from site_builder.adapter import incremental, project, staging
from site_builder.adapter.markdown_pages import SharedConverter, shared_pages_enabled, take_over
from site_builder.adapter.page_chrome import PageChrome
from site_builder.core import content_files, dates, docno, sanitize
from site_builder.core import feeds as feed_channels
from site_builder.core.body import finish_body
from site_builder.core.checks.links import from_mkdocs
from site_builder.core.fragments import fill_summaries
from site_builder.core.loader import display_root, load_site
from site_builder.core.memo import derived, fingerprint
from site_builder.core.pages import Page, SitePlan, plan
from site_builder.core.problems import format_report
from site_builder.core.xxgk.index_numbers import read_ledger
from site_builder.outputs import manifest, sitelinks, sitemap
from site_builder.outputs.feeds import write as feeds
from site_builder.outputs.search import index as search
from site_builder.outputs.summary import article_summary
from site_builder.outputs.wechat import copy as wechat

# Outside the "mkdocs" logger tree on purpose: content warnings must be shown, but must
# not abort a strict build the way MkDocs' own warnings do (only errors stop a build).
log = logging.getLogger("site_builder")

DATA_SUFFIXES = (".yml", ".yaml")


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory between the builds of one process (keyed by source)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class _TrackedFile(File):
    """A page whose "modified" answer comes from its key (see incremental.py), for dirty builds."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed

    @classmethod
    def of(cls, file: File, changed: bool) -> _TrackedFile:
        tracked = cls.__new__(cls)
        tracked.__dict__.update(file.__dict__)
        tracked.changed = changed
        return tracked


class _KeptStaticFile(File):
    """A static file of a staged rebuild: unmodified when site/ already has it, as in a dirty build
    into site/ itself; the staging folder gets it as a link afterwards (staging.keep_unchanged)."""

    kept_in = ""

    def is_modified(self) -> bool:
        if self._content is not None:
            return True
        kept = os.path.join(self.kept_in, self.dest_uri)
        return not os.path.isfile(kept) or os.path.getmtime(kept) < os.path.getmtime(self.abs_src_path)

    @classmethod
    def of(cls, file: File, kept_in: Path) -> _KeptStaticFile:
        kept = cls.__new__(cls)
        kept.__dict__.update(file.__dict__)
        kept.kept_in = str(kept_in)
        return kept


@dataclass
class BuildSummary:
    """What the CLI's closing line reports."""

    pages: int = 0
    rendered: int = 0
    feeds: int = 0


class _LinkWarnings(logging.Filter):
    """MkDocs' English link warnings reworded as coded, located Chinese problems (E333)."""

    def __init__(self, content: Path) -> None:
        super().__init__()
        self.content = content.resolve()
        self.root = display_root(self.content)

    @classmethod
    def install(cls, content: Path) -> None:
        logger = logging.getLogger("mkdocs.structure.pages")
        for old in [f for f in logger.filters if isinstance(f, cls)]:
            logger.removeFilter(old)
        logger.addFilter(cls(content))

    def filter(self, record: logging.LogRecord) -> bool:
        found = from_mkdocs(record.getMessage(), self.content, self.root)
        if found is not None:
            record.msg, record.args = found.format(), ()
            record.name = "site_builder.links"  # ours now: printed without the "MkDocs：" prefix
        return True


class SiteBuilderConfig(Config):
    search = c.Type(bool, default=True)  # Pagefind index; off only for quick experiments


class SiteBuilderPlugin(BasePlugin[SiteBuilderConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.builds = 0  # in this process (the preview builds again on every edit)
        self.plan: SitePlan | None = None
        self.by_src: dict[str, Page] = {}
        # Article bodies as MkDocs rendered them (links relative to the article's URL),
        # for the outputs written after the build: feeds, WeChat copies.
        self.bodies: dict[str, str] = {}
        self.index: search.BackgroundIndex | None = None
        self.copies: wechat.BackgroundCopies | None = None
        self.writing: Future | None = None  # Pagefind writing its bundle
        self.dirty = False  # a rebuild that keeps unchanged pages (site-builder build, serve)
        self.summary = BuildSummary()
        # Set by `site-builder build` (staging.py): the build renders elsewhere and the CLI swaps
        # it in and saves the incremental record, which describes this live folder.
        self.live_site_dir: Path | None = None
        self.problems: list = []  # the content problems that stopped the last build (preview page)
        self.failure: Exception | None = None  # what stopped the last build
        self._warnings: CountHandler | None = None
        self.sections: dict = {}  # navigation entries by URL, for the active tab
        self.section = None  # the entry made active for the page being rendered

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty

    @event_priority(100)  # before other plugins see the config: the site's name and nav come from content/
    def on_config(self, config):
        self.bodies = {}
        self.summaries: dict[str, str] = {}
        self.problems, self.failure = [], None
        self._count_warnings()
        self.builds += 1
        project.add_theme(config)  # the tool's theme, under the site's own custom_dir
        if self.serving and self.builds == 2:
            # The preview's first edit: what the first build left in memory (content, caches) lives
            # on; frozen, Python's collector stops walking it, a 0.1-0.3 s pause on every few edits.
            gc.collect()
            gc.freeze()
        _LinkWarnings.install(Path(config.docs_dir))
        site, found = load_site(Path(config.docs_dir), dates.build_now())
        if site is None:
            self.problems = [p for p in found if p.is_error]
            raise PluginError("内容检查未通过，未生成网站：\n" + format_report(found))
        for warning in found:  # one record each, so the CLI can count them
            log.warning(warning.format())
        published = site.published()
        log.info(f"读取内容：{len(site.articles)} 篇文章（发布 {len(published)} 篇），{len(site.cleanups)} 批清理结果")
        if site.xxgk is not None:  # 索引号 already published stay as they were (site_builder/xxgk)
            site.xxgk.ledger = read_ledger(self._kept_in(Path(config.site_dir)))  # the live site/, when staged
        self.plan = plan(site, include_unpublished=self.serving)
        self.site = site
        self.by_src = {page.src_uri: page for page in self.plan.pages} | self.plan.articles
        # Material's own templates print these without escaping: they are handed over escaped
        # (Markup, so a template's `| e` leaves them as they are).
        config.site_name = Markup.escape(site.settings.name)
        config.site_url = site.settings.url
        config.nav = [{Markup.escape(title): src} for title, src in self.plan.nav]
        config.extra["sb_settings"] = site.settings
        config.extra["sb_feeds"] = feed_channels.site_links(site.settings)  # <link rel="alternate"> on every page
        if self.serving:  # a preview is never crawled; rendering sitemap.xml lists every page on each edit
            config.theme.static_templates.discard("sitemap.xml")
        self._start_tracking(config)
        return config

    def _start_tracking(self, config) -> None:
        """The site-wide key, and what the previous build made (only read for a dirty build)."""
        config_dir = Path(config.config_file_path or ".").resolve().parent
        content = Path(config.docs_dir)
        # Cleanup data (content/cleanups/) is not site-wide: its pages carry it in their own keys, and
        # articles the 文号 they cite (_cited); a new batch renders what it changes, not every page.
        cleanups = content / "cleanups"
        data = sorted(
            p for p in content.rglob("*") if p.suffix in DATA_SUFFIXES and p.is_file() and cleanups not in p.parents
        )
        theme = project.theme_dirs(config)  # Material is pinned by version
        self.global_key = fingerprint(
            incremental.code_fingerprint(*theme, Path(config.config_file_path or project.DEFAULT_CONFIG)),
            incremental.tree_fingerprint(*data) if data else "",
            self.serving,
            self.plan.nav,
            repr(self.site.settings),
            metadata.version("mkdocs"),
            metadata.version("mkdocs-material"),
        )
        self.state_file = incremental.state_path(config_dir, self.live_site_dir or Path(config.site_dir))
        self.previous = incremental.load(self.state_file) if self.dirty else None
        self.state = incremental.BuildState()
        self.current_articles: set[str] = set()  # articles whose page and WeChat copy are up to date
        self.search_replaced: set[str] = set()  # search bundles made again or dropped (not kept from site/)

    def on_files(self, files: Files, *, config) -> Files:
        assert self.plan is not None
        for file in list(files):
            if file.src_dir == config.docs_dir and (
                file.src_uri.endswith(DATA_SUFFIXES) or content_files.skipped(file.src_uri)
            ):
                files.remove(file)  # data, and what no check reads (_folders, Word's ~$ lock files)
            elif file.src_uri in self.plan.articles:
                page = self.plan.articles[file.src_uri]
                file.dest_uri = f"{page.url}index.html"
                file.url = page.url
                file.abs_dest_path = str(Path(config.site_dir) / file.dest_uri)
                file.inclusion = InclusionLevel.NOT_IN_NAV
            elif file.src_uri.startswith("news/") and file.is_documentation_page():
                file.inclusion = InclusionLevel.EXCLUDED  # a draft or not yet due
            elif file.src_uri.startswith("xxgk/") and file.is_documentation_page():
                file.inclusion = InclusionLevel.EXCLUDED  # the 政府信息公开 section's sources, shown in its own pages
        for page in self.plan.pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(
                    f"content/{page.src_uri} 与自动生成的页面重名：这个地址由网站自动生成，请把该文件改名或移到其他目录。"
                )
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content="", inclusion=inclusion))
        for path, data in self.plan.files.items():  # cleanup downloads (CSV, .xlsx)
            files.append(File.generated(config, path, content=data))
        files = self._track(files, Path(config.site_dir))
        if shared_pages_enabled():
            converter = SharedConverter(config)
            titles = {
                src: Markup.escape(title) for title, src in self.plan.nav
            }  # as MkDocs names pages from config.nav
            for file in files.documentation_pages():
                if file.src_uri in self.by_src:
                    take_over(file, titles.get(file.src_uri), config, converter)
        self.summary = BuildSummary(pages=len(self.state.pages))
        log.info(f"生成页面：共 {self.summary.pages} 个")
        return files

    def _track(self, files: Files, site_dir: Path) -> Files:
        """Key every page; in a dirty build, unchanged pages are neither read nor rendered again."""
        tracked = []
        self.dest_src: dict[str, str] = {}
        kept_in = self._kept_in(site_dir)
        for file in files:
            if file.is_documentation_page() and file.inclusion.is_included():
                spec = self.by_src.get(file.src_uri)
                source = spec if spec else file.content_bytes
                site_wide = (self.global_key, self._cited(spec.article)) if spec and spec.article else self.global_key
                key = derived("page", file.dest_uri, (site_wide, source), _page_key, site_wide, source)
                self.state.pages[file.dest_uri] = key
                self.dest_src[file.dest_uri] = file.src_uri
                changed = self.previous is None or self.previous.changed(file.dest_uri, key, kept_in)
                if not changed and spec is not None and spec.article is not None:
                    cached = self.previous.bodies.get(spec.article.src)
                    changed = cached is None or cached[0] != key
                    if not changed:
                        self.bodies[spec.article.src] = cached[1]
                        self.state.bodies[spec.article.src] = cached
                        self.current_articles.add(spec.article.src)
                file = _TrackedFile.of(file, changed)
            elif kept_in != site_dir and self.previous is not None and not file.is_documentation_page():
                file = _KeptStaticFile.of(file, kept_in)
            if file.inclusion.is_included():
                self.state.outputs.append(file.dest_uri)
            tracked.append(file)
        return Files(tracked)

    def _cited(self, article) -> list[tuple[str, str]]:
        """The library entries an article's body links its 文号 to (body.finish_body), from its text."""
        numbers = self.plan.doc_numbers
        if not numbers:
            return []
        return sorted({(f.number, numbers[f.number]) for f in docno.find(unescape(article.body), numbers)})

    def _kept_in(self, site_dir: Path) -> Path:
        """Where the previous build's files are: site/ itself, or site/ beside a staged build."""
        return self.live_site_dir if self.live_site_dir is not None else site_dir

    def on_pre_build(self, *, config) -> None:
        # From here on site/ is being changed: until this build saves its own state, the next one
        # must start clean, whatever happens to this one (killed, failed).
        if self.live_site_dir is None:  # a staged build leaves site/ and its record alone until the swap
            incremental.discard(self.state_file)
        if self.config.search and self.previous is None:  # a full build: index while rendering
            self.index = _searching(lambda: search.BackgroundIndex(Path(config.site_dir)))
        if self.previous is None and not self.serving:  # and make the WeChat copies meanwhile
            self.copies = wechat.background_copies(Path(config.site_dir), self.site.settings)

    def on_env(self, env, *, config, files):
        """Pages a dirty build does not read again still need their data (sitemap.xml)."""
        # Every page's content is made (and sent to Pagefind) before any is rendered: Pagefind
        # writes its bundle on the other core while MkDocs renders the pages.
        self._write_search_bundle()
        self.chrome = PageChrome(env.filters["url"])
        self.chrome.install(env)
        env.bytecode_cache = _COMPILED  # the preview makes a new environment on every edit
        for file in files.documentation_pages():
            spec = self.by_src.get(file.src_uri)
            if spec is not None and file.page is not None:
                file.page.meta.setdefault("sb", spec)
        return env

    def on_page_read_source(self, *, page, config) -> str | None:
        spec = self.by_src.get(page.file.src_uri)
        if spec is None:
            return None
        return spec.article.body if spec.article else ""

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        spec = self.by_src.get(page.file.src_uri)
        if spec is not None:
            page.meta["title"] = Markup.escape(spec.title)  # see on_config
            page.meta["sb"] = spec
            if spec.kind in {"home", "list", "index", "search", "wechat"}:
                page.meta["hide"] = ["toc"] + (["navigation"] if spec.kind == "home" else [])
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        spec = self.by_src.get(page.file.src_uri)
        if spec is None:  # a page of content/ other than an article: what staff wrote, sanitised too
            return sanitize.clean(html)
        if spec.article is None:
            self._index_page(self.index, spec, "/" + page.url)
            return fill_summaries(spec.html, self._summary) if spec.summarised else spec.html
        article = spec.article
        html = finish_body(html, article, self.plan.doc_numbers)
        html = sanitize.clean(html)  # the body as published, in the page, feeds and WeChat copy
        self.bodies[article.src] = html
        page.meta["description"] = self._summary(article.src)  # <meta name="description">
        self.state.bodies[article.src] = [self.state.pages[page.file.dest_uri], html]
        if self.copies is not None:
            self.copies.add(article, html)
        self._index_page(self.index, spec, "/" + page.url)  # in Pagefind's own process, meanwhile
        return _article_html(spec, html)

    def _summary(self, src: str) -> str:
        """The article's summary (summary.py), made once per build from its rendered body.

        Lists are rendered after the articles they show (MkDocs reads content files first,
        then the pages on_files added), so every listed article's body is known here.
        """
        if src not in self.summaries:
            body = self.bodies.get(src)
            article = self.plan.articles[src].article
            self.summaries[src] = article_summary(article, body) if body is not None else article.summary
        return self.summaries[src]

    def on_nav(self, nav, *, config, files):
        self.sections = {item.url: item for item in nav.items if getattr(item, "url", None) is not None}
        return nav

    def on_page_context(self, context, *, page, config, nav):
        """A page outside the navigation (an article, a batch) shows its 栏目's tab as the active one."""
        spec = self.by_src.get(page.file.src_uri)
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
        self.summary.rendered += 1
        if self.summary.rendered % 1000 == 0:
            log.info(f"生成页面：{self.summary.rendered}/{self.summary.pages}")
        return output

    def _write_search_bundle(self) -> None:
        """Every page is sent: Pagefind writes its bundle while the build goes on."""
        if self.index is not None:
            writer = ThreadPoolExecutor(1, thread_name_prefix="pagefind")
            self.writing = writer.submit(_searching, self.index.finish)
            writer.shutdown(wait=False)
            self.index = None

    def on_build_error(self, *, error) -> None:
        self.failure = error
        self._count_warnings(stop=True)
        if self.index is not None:
            self.index.close()
            self.index = None
        if self.copies is not None:
            self.copies.close()
            self.copies = None
        self.writing = None  # Pagefind finishes (or fails) on its own; this build has failed anyway

    def on_post_build(self, *, config) -> None:
        site_dir = Path(config.site_dir)
        self._write_search_bundle()
        made = set()
        if self.copies is not None:
            made, self.copies = self.copies.finish(), None
        articles = [spec.article for spec in self.plan.articles.values()]  # one staff page loads these
        current = self.current_articles | made
        copies = wechat.write_copies(
            site_dir, articles, self.bodies, self.site.settings, current, kept_in=self._kept_in(site_dir)
        )
        written = feeds.write_feeds(site_dir, self.site, self.bodies, self.plan.files)
        self.state.outputs += copies + [path.relative_to(site_dir).as_posix() for path in written]
        self.summary.feeds = sum(1 for path in written if path.name != "sitemap.xml")
        log.info(f"订阅源：{self.summary.feeds} 个")
        sitemap.write_robots(site_dir, self.site.settings.url)
        sitemap.make_reproducible(site_dir)
        if self.writing is not None:
            self.writing, writing = None, self.writing
            writing.result()
        self._finish_search(site_dir)
        kept: set[str] = set()
        if self.previous is not None and self.live_site_dir is not None:  # staged: bring what is unchanged
            stale = set(self.previous.outputs) - set(self.state.outputs)
            kept = staging.keep_unchanged(
                self.live_site_dir, site_dir, skip=stale | {manifest.NAME}, replaced=self.search_replaced
            )
        if self.previous is not None:
            incremental.remove_stale(site_dir, self.previous, self.state)
        if not self.serving:  # every internal link of site/ resolves, or the build fails
            previous = sitelinks.LinkRecord(**self.previous.links) if self.previous and self.previous.links else None
            record = sitelinks.LinkRecord()
            _check_links(site_dir, self.site.settings.url, self._kept_in(site_dir).name, record, kept, previous)
            self.state.links = record.__dict__
        # MkDocs aborts a strict build with warnings after this event: build.json then says so.
        complete = not (config.strict and self._count_warnings(stop=True))
        if not self.serving:  # a preview is never published
            manifest.write_manifest(  # last: hashes all (but those kept)
                site_dir, self.site, Path(config.docs_dir), complete=complete, kept=kept, live=self.live_site_dir
            )
        if self.live_site_dir is None:
            incremental.save(self.state_file, self.state)

    def _count_warnings(self, stop: bool = False) -> int:
        """MkDocs' own warnings of this build (under strict they abort it after on_post_build)."""
        logger = logging.getLogger("mkdocs")
        counted = 0
        if self._warnings is not None:
            counted = sum(count for _, count in self._warnings.get_counts())
            logger.removeHandler(self._warnings)
            self._warnings = None
        if not stop:
            self._warnings = CountHandler()
            self._warnings.setLevel(logging.WARNING)
            logger.addHandler(self._warnings)
        return counted

    def on_shutdown(self) -> None:
        if self.serving and getattr(self, "state_file", None):  # the preview's folder is temporary
            incremental.discard(self.state_file)

    def _finish_search(self, site_dir: Path) -> None:
        """The search index after this build: see search.py for its base and delta bundles."""
        if not self.config.search:
            return
        indexed = {
            dest: spec
            for dest in self.state.pages
            if (spec := self.by_src.get(self.dest_src[dest])) is not None and _searchable(spec)
        }
        # keyed by what Pagefind reads (not the links around it: a neighbour's new title changes none)
        hashes = {dest: fingerprint(self.global_key, self._indexed_html(spec)) for dest, spec in indexed.items()}
        output, kept = site_dir / search.OUTPUT_SUBDIR, self._kept_in(site_dir) / search.OUTPUT_SUBDIR
        previous = self.previous.search if self.previous is not None else {}
        if self.previous is None:  # a full build streamed every page into the base bundle
            plan = search.IndexPlan(base=hashes, ids=search.page_ids(output / search.BASE, _dest_of))
        elif self.serving:
            if previous.get("base") != hashes:
                log.info("预览中搜索索引不随修改更新；重新启动预览即可更新。")
            self.state.search = previous  # the bundles on disk are the previous build's
            return
        else:
            plan = search.IndexPlan(**previous).after(hashes, has_base=_has_bundle(kept / search.BASE))
            if plan.rebuild:
                self._reindex(site_dir, indexed, plan)
        replaced = set(plan.rebuild)
        if previous.get("delta") and not plan.delta:  # folded into the base, or every change undone
            shutil.rmtree(output / search.DELTA, ignore_errors=True)  # (a non-staged build's old one)
            replaced.add(search.DELTA)
        self.search_replaced = {f"{search.OUTPUT_SUBDIR}/{name}/" for name in replaced}
        self.state.search = plan.record()
        bundles = [search.BASE] + ([search.DELTA] if plan.delta else [])
        folders = {name: output / name if (output / name).is_dir() else kept / name for name in bundles}
        search.write_bundle_list(output, folders, plan.hidden(), plan.same)

    def _reindex(self, site_dir: Path, indexed: dict[str, Page], plan: search.IndexPlan) -> None:
        """Index the delta again, or every page into the base when the plan folds the delta in."""
        while True:
            bundle = plan.rebuild[0]
            index = _searching(lambda: search.BackgroundIndex(site_dir))
            for dest in plan.base if bundle == search.BASE else plan.delta:  # in the order of a full build
                self._index_page(index, indexed[dest], "/" + _url_of(dest), bundle)
            _searching(index.finish)
            ids = search.page_ids(site_dir / search.OUTPUT_SUBDIR / bundle, _dest_of)
            if bundle == search.BASE:
                plan.ids = ids
                return
            if plan.indexed_delta(ids):
                return
            shutil.rmtree(site_dir / search.OUTPUT_SUBDIR / search.DELTA)  # a page of the delta has the id of a
            plan.fold()  # hidden one (about 1 build in 10,000): one bundle again

    def _index_page(
        self, index: search.BackgroundIndex | None, spec: Page | None, url: str, bundle: str = search.BASE
    ) -> None:
        """Only what a reader searches: articles and pages marked data-pagefind-body, that part only."""
        if index is None or spec is None or not _searchable(spec):
            return
        index.add(search.document(self._indexed_html(spec)), url, bundle)

    def _indexed_html(self, spec: Page) -> str:
        """What Pagefind reads of a page: an article without its attachments and previous/next
        links (data-pagefind-ignore), so a neighbour's new title leaves its search bundle alone."""
        if spec.article is None:
            return spec.html
        return _article_html(spec, self.bodies[spec.article.src], searchable_only=True)


def _check_links(site_dir: Path, site_url: str, shown_as: str, *incremental_args) -> None:
    broken = sitelinks.check_site(site_dir, site_url, *incremental_args)
    if broken:
        shown = sitelinks.problems(broken[:LINKS_SHOWN], shown_as)
        more = f"\n……另有 {len(broken) - LINKS_SHOWN} 处" if len(broken) > LINKS_SHOWN else ""
        raise PluginError(f"生成的网站中有 {len(broken)} 处链接无法打开：\n" + format_report(shown) + more)


LINKS_SHOWN = 50


def _page_key(global_key: object, source: Page | bytes) -> str:
    return fingerprint(global_key, source if isinstance(source, bytes) else repr(source))


def _article_html(spec: Page, body: str, searchable_only: bool = False) -> str:
    """An article page's content: the core's heading and metadata around MkDocs' body."""
    article = spec.article
    return (
        f'<div class="sb-article" data-pagefind-body data-pagefind-filter="栏目:{escape(article.category.name)}"'
        f' data-pagefind-sort="date:{article.date:%Y-%m-%dT%H:%M}">'
        f'{spec.before}<div class="sb-article__body">{body}</div>'
        f'<div data-pagefind-ignore="all">{"" if searchable_only else spec.after}</div></div>'
    )


def _searchable(spec: Page) -> bool:
    """Only what a reader searches: articles and pages marked data-pagefind-body."""
    return spec.article is not None or "data-pagefind-body" in spec.html


def _has_bundle(folder: Path) -> bool:
    entry = folder / "pagefind-entry.json"
    return entry.is_file() and entry.stat().st_size > 0


def _url_of(dest_uri: str) -> str:
    return dest_uri.removesuffix("index.html")


def _dest_of(url: str) -> str:
    """A page's file from its URL as Pagefind has it ("/articles/x/")."""
    return url.lstrip("/") + "index.html"


def _searching(step):
    """Run a search step; its failure is a build error, never a site without search."""
    try:
        return step()
    except search.SearchError as exc:
        raise PluginError(str(exc)) from exc
