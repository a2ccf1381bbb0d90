"""One build, from the loaded site to the last output: what the plugin's events hand over to.

The core has loaded and checked content/ and planned every page; here that plan becomes MkDocs
files and page content, each article's body is finished once (core/body.py) and kept for the
outputs, every page gets its incremental key, and after MkDocs has written the pages the
outputs of outputs/all.py are written, stale files removed, links checked and build.json made.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from html import escape, unescape
from importlib import metadata
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from site_builder.adapter import incremental, internals, project, staging
from site_builder.adapter.indexing import Indexing, has_bundle
from site_builder.adapter.markdown_pages import EMPTY_TOC, SharedConverter, shared_pages_enabled, take_over
from site_builder.core import content_files, docno, sanitize
from site_builder.core import feeds as feed_channels
from site_builder.core.body import finish_body
from site_builder.core.fragments import fill_summaries
from site_builder.core.memo import Keyed, cached, fingerprint, listed
from site_builder.core.model import Site
from site_builder.core.pages import Page, plan
from site_builder.core.problems import format_report
from site_builder.core.xxgk.index_numbers import read_ledger
from site_builder.outputs import manifest, sitelinks
from site_builder.outputs.all import OUTPUTS
from site_builder.outputs.built import Built
from site_builder.outputs.feeds import write as feeds
from site_builder.outputs.helper import helper_process
from site_builder.outputs.search import index as search
from site_builder.outputs.summary import article_summary
from site_builder.outputs.wechat import copy as wechat

# Outside the "mkdocs" logger tree on purpose: content warnings must be shown, but must
# not abort a strict build the way MkDocs' own warnings do (only errors stop a build).
log = logging.getLogger("site_builder")

DATA_SUFFIXES = (".yml", ".yaml")
LINKS_SHOWN = 50

# A second process costs a Python start and its imports: about 0.2 s of CPU each, more than the work
# it takes over in a small site (a one-article build went from 0.60 to 0.13 s of CPU without them, the
# sample site's 348 pages from 3.7 to 3.4 s). Below these sizes that work stays in the build's process,
# where outputs/helper.py and outputs/wechat/copy.py put it when no process can be started; the files
# are the same either way (tests/test_build_processes.py).
HELPER_MIN_PAGES = 1000  # pages Pagefind indexes and the link check reads
COPIES_WORKER_MIN = 300  # WeChat copies this build makes


class SiteBuild:
    def __init__(
        self, config, site: Site, found: list, *, serving: bool, dirty: bool, stage: staging.Stage | None
    ) -> None:
        self.serving, self.stage = serving, stage
        self.live = stage.live if stage is not None else None  # site/, when this build is staged beside it
        self.content_dir = Path(config.docs_dir)
        for warning in found:  # one record each, so the CLI can count them
            log.warning(warning.format())
        published = len(site.published())  # sorted once for the plan and the outputs too
        log.info(f"读取内容：{len(site.articles)} 篇文章（发布 {published} 篇），{len(site.cleanups)} 批清理结果")
        if site.xxgk is not None:  # 索引号 already published stay as they were (core/xxgk)
            site.xxgk.ledger = read_ledger(self.kept_in(Path(config.site_dir)))  # the live site/, when staged
        self.site = site
        self.plan = plan(site, include_unpublished=serving)
        self.by_src = {page.src_uri: page for page in self.plan.pages} | self.plan.articles
        # canonical 文号 -> library URL, hashed once (not again on the preview's edit when equal to the last)
        self.numbers = cached("doc-numbers", "keyed", Keyed, self.plan.doc_numbers)
        # Article bodies as published (links relative to the article's URL), for the outputs.
        self.bodies: dict[str, str] = {}
        self.summaries: dict[str, str] = {}
        self.search_keys: dict[str, str | None] = {}  # page src -> _search_key
        self.pages = self.rendered = self.feeds = 0  # what the CLI's closing line reports
        # Material's own templates print these without escaping: they are handed over escaped
        # (Markup, so a template's `| e` leaves them as they are).
        config.site_name = Markup.escape(site.settings.name)
        config.site_url = site.settings.url
        config.nav = [{Markup.escape(title): src} for title, src in self.plan.nav]
        config.extra["sb_settings"] = site.settings
        config.extra["sb_feeds"] = feed_channels.site_links(site.settings)  # <link rel="alternate"> on every page
        if serving:  # a preview is never crawled; rendering sitemap.xml lists every page on each edit
            internals.skip_sitemap(config)
        self._start_tracking(config, dirty)
        self.indexing = Indexing(self._searchable)
        self.copies: wechat.BackgroundCopies | None = None
        self.helper: ProcessPoolExecutor | None = None  # a full build's second process (outputs/helper.py)
        self.writes: internals.BackgroundWrites | None = None  # pages written by a thread while others render
        self.later: Built | None = None  # the preview's outputs, written after its pages are shown
        self.later_pages: list[tuple[File, str]] = []  # (page, its key): the preview's, written after them too

    @property
    def full(self) -> bool:
        """A build for publishing with nothing kept from an earlier one: every page is indexed, and a large
        site's build starts its second processes."""
        return self.previous is None and not self.serving

    def kept_in(self, site_dir: Path) -> Path:
        """Where the previous build's files are: site/ itself, or site/ beside a staged build."""
        return self.live if self.live is not None else site_dir

    def _start_tracking(self, config, dirty: bool) -> None:
        """The site-wide key, and what the previous build made (only read for a dirty build; the
        preview's previous build is in this process: its record is kept in memory)."""
        config_dir = Path(config.config_file_path or ".").resolve().parent
        content = Path(config.docs_dir)
        # Cleanup data (content/cleanups/) is not site-wide: its pages carry it in their own keys, and
        # articles the 文号 they cite (_cited); a new batch renders what it changes, not every page.
        data = listed("data-files", content, _site_data, content)  # listed again when a file comes or goes
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
        # What shapes a page's search entry besides its text: our code (the page as Pagefind gets
        # it, its settings) and Pagefind. Not the site's theme/ or mkdocs.yml: they shape the
        # templates around a page, not its text; a change of theirs must not index pages again.
        self.search_global = fingerprint(incremental.code_fingerprint(), metadata.version("pagefind"))
        self.state_file = incremental.state_path(config_dir, self.live or Path(config.site_dir))
        self.previous = incremental.load(self.state_file, in_memory=self.serving) if dirty else None
        if self.previous is None and self.stage is not None:  # an unreadable record: nothing is kept from site/
            self.stage.drop_mirror()
        self.state = incremental.BuildState()
        self.current_articles: set[str] = set()  # articles whose page and WeChat copy are up to date
        self.search_replaced: set[str] = set()  # search bundles made again or dropped (not kept from site/)
        self.kept: set[str] = set()  # files of a staged rebuild brought unchanged from site/

    def files(self, files: Files, config) -> Files:
        """content/'s files placed as the plan says, the generated pages and downloads added."""
        docs_dir, site_dir, articles = config.docs_dir, config.site_dir, self.plan.articles  # once, not per file
        for file in list(files):
            src = file.src_uri
            page = articles.get(src)
            if page is not None:  # (the loader reads no skipped file: an article never is one)
                file.dest_uri = dest = f"{page.url}index.html"
                file.url = page.url
                file.abs_dest_path = _abs_dest(site_dir, dest)
                file.inclusion = InclusionLevel.NOT_IN_NAV
            elif file.src_dir == docs_dir and (src.endswith(DATA_SUFFIXES) or content_files.skipped(src)):
                files.remove(file)  # data, and what no check reads (_folders, Word's ~$ lock files)
            elif src.startswith(("news/", "xxgk/")) and file.is_documentation_page():
                # news/: a draft or not yet due; xxgk/: the section's sources, shown in its own pages
                file.inclusion = InclusionLevel.EXCLUDED
        # The preview's edit: a generated page planned as the same object under the same site-wide key
        # as when last written has that page's key; it is neither made into a file again nor keyed.
        last = _GENERATED if self.serving and self.previous is not None else {}
        self.nav_srcs = nav = {src for _title, src in self.plan.nav}  # always handed to MkDocs
        self.unchanged: list[tuple[Page, str, str, File]] = []  # (page, site-wide key, page key, file)
        for page in self.plan.pages:
            if page.src_uri in files.src_uris:  # the core's addresses are posix already
                raise PluginError(
                    f"content/{page.src_uri} 与自动生成的页面重名：这个地址由网站自动生成，请把该文件改名或移到其他目录。"
                )
            seen = last.get(page.src_uri)
            if (
                seen is not None
                and seen[0] is page
                and seen[1] == self.global_key
                and self.previous.pages.get(seen[3].dest_uri) == seen[2]
                and page.src_uri not in nav
            ):
                self.unchanged.append(seen)
                continue
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(internals.generated_page(config, page.src_uri, inclusion))
        for path, data in self.plan.files.items():  # cleanup downloads (CSV, .xlsx)
            files.append(File.generated(config, path, content=data))
        files = self._track(files, Path(config.site_dir))
        self._theme_templates(files, config)
        self.converter = None
        if shared_pages_enabled():
            self.converter = converter = SharedConverter(config)
            titles = {src: Markup.escape(title) for title, src in self.plan.nav}  # as MkDocs names pages
            for file in files.documentation_pages():
                if file.src_uri in self.by_src:
                    take_over(file, titles.get(file.src_uri), config, converter)
        self.pages = len(self.state.pages)
        log.info(f"生成页面：共 {self.pages} 个")
        return files

    def _track(self, files: Files, site_dir: Path) -> Files:
        """Key every page; in a dirty build, unchanged pages are neither read nor rendered again."""
        tracked, found = [], []  # every file; the pages among them
        self.dest_src: dict[str, str] = {}
        kept_in = self.kept_in(site_dir)
        previous, pages, outputs, by_src = self.previous, self.state.pages, self.state.outputs, self.by_src
        staged = kept_in != site_dir and previous is not None
        on_disk = None if self.serving else kept_in  # the preview's folder: only it writes and removes there
        # The preview's edit: MkDocs is handed the pages it renders and the navigation's, not the
        # thousands it keeps (internals.ShownFiles); those stay reachable for links.
        unshown: dict[str, File] | None = {} if self.serving and previous is not None else None
        self.later_pages = []
        nav = self.nav_srcs
        generated = {}  # the generated pages' (page, site-wide key, key, file), for the preview's next edit
        for seen in self.unchanged:
            _spec, _global, key, file = seen
            pages[file.dest_uri] = key
            self.dest_src[file.dest_uri] = file.src_uri
            outputs.append(file.dest_uri)
            unshown[file.src_uri] = file
            generated[file.src_uri] = seen
        for file in files:  # once per page on each of the preview's edits: no work twice in here
            included = file.inclusion.is_included()
            if file.is_documentation_page():
                if included:
                    dest = file.dest_uri
                    spec = by_src.get(file.src_uri)
                    article = spec.article if spec is not None else None
                    if article is not None:  # its spec comes from a durable step: keyed by that step's key
                        site_wide = (self.global_key, self._cited(article))
                        key = cached("page", dest, _page_key, site_wide, spec, durable=True)
                    else:
                        key = cached("page", dest, _page_key, self.global_key, spec or file.content_bytes)
                        if spec is not None:
                            generated[file.src_uri] = (spec, self.global_key, key, file)
                    pages[dest] = key
                    self.dest_src[dest] = file.src_uri
                    changed = previous is None or previous.changed(dest, key, on_disk)
                    if not changed and article is not None:
                        kept = previous.bodies.get(article.src)
                        changed = kept is None or kept[0] != key
                        if not changed:
                            self.bodies[article.src] = kept[1]
                            self.state.bodies[article.src] = kept
                            self.current_articles.add(article.src)
                    if unshown is not None and file.src_uri not in nav and (not changed or (spec and spec.number > 1)):
                        if changed:  # a list's later page: rendered once the edit is shown (render_later)
                            self.later_pages.append((internals.TrackedFile.of(file, True), key))
                            _keep_previous_key(pages, previous, dest)  # until it is written
                        outputs.append(dest)
                        unshown[file.src_uri] = file
                        continue
                    file = internals.TrackedFile.of(file, changed)
                found.append(file)
            elif staged:
                file = internals.KeptStaticFile.of(file, kept_in)
            if included:
                outputs.append(file.dest_uri)
            tracked.append(file)
        if self.serving:
            _GENERATED.clear()
            _GENERATED.update(generated)
        if unshown is not None:
            return internals.ShownFiles(tracked, found, unshown)
        return internals.PageFiles(tracked, found)

    def _theme_templates(self, files: Files, config) -> None:
        """404.html and sitemap.xml, which MkDocs renders on every build, keyed like the pages: a
        build after a merge keeps them when nothing they show changed (site-wide settings,
        navigation and templates; the sitemap also each page's address and content date). The preview
        renders no sitemap and keeps no 404.html of an earlier build (its folder is new)."""
        if self.serving:
            return
        sitemap = [
            (file.url, self.state.pages.get(file.dest_uri) if spec is None else (spec.kind == "wechat", spec.modified))
            for file in files.documentation_pages()
            for spec in [self.by_src.get(file.src_uri)]
        ]
        keys = {
            "404.html": fingerprint(self.global_key, config.site_url),
            "sitemap.xml": fingerprint(self.global_key, config.site_url, sitemap),
        }
        kept_in = self.kept_in(Path(config.site_dir))
        for name, key in keys.items():
            if name not in config.theme.static_templates:
                continue
            self.state.themed[name] = key
            if self.previous is not None and self.previous.themed.get(name) == key and (kept_in / name).is_file():
                config.theme.static_templates.discard(name)  # the file of site/ is this build's

    def _cited(self, article) -> list[tuple[str, str]]:
        """The library entries an article's body links its 文号 to (body.finish_body), from its text."""
        # The same article and library: the same answer (the preview asks for every article on each edit).
        return cached("cited", article.src, _cited_entries, article, self.numbers)

    def start(self, site_dir: Path, search: bool) -> None:
        """A full build indexes while rendering, and makes the WeChat copies meanwhile."""
        # From here on site/ is being changed: until this build saves its own state, the next one
        # must start clean, whatever happens to this one (killed, failed).
        if self.live is None:  # a staged build leaves site/ and its record alone until the swap
            incremental.discard(self.state_file)
        if not self.serving:  # the preview writes a few pages an edit: they are served as soon as written
            self.writes = internals.BackgroundWrites()
        if self.full and len(self.by_src) >= HELPER_MIN_PAGES:
            self.helper = helper_process()  # Pagefind's requests, then half the link check
        if search and self.previous is None:
            self.indexing.start(site_dir, self.helper)
        if self.full and len(self.plan.wechat) >= COPIES_WORKER_MIN:
            self.copies = wechat.background_copies(site_dir, self.site.settings)

    def content(self, html: str, page) -> str:
        """What MkDocs keeps as a page's content until it renders the page: an article's body finished
        once for every output (kept in ``bodies``), each page sent to Pagefind meanwhile.

        The content of the core's pages (generated, and articles around their body) is not kept here:
        MkDocs makes every page's content before it renders the first, and at 20,000 articles holding
        it all took hundreds of MB. ``rendered_content`` makes it when MkDocs renders that page, and
        ``written`` lets it go once the page is written."""
        spec = self.by_src.get(page.file.src_uri)
        if spec is None:  # a page of content/ other than an article: what staff wrote, sanitised too
            return sanitize.clean(html)
        if spec.article is None:
            self.indexing.add(spec, "/" + page.url)
            return ""
        article = spec.article
        html = finish_body(html, article, self.plan.doc_numbers)  # as published: page, feeds, copies
        self.bodies[article.src] = html
        page.meta["description"] = self.summary(article.src)  # <meta name="description">
        self.state.bodies[article.src] = [self.state.pages[page.file.dest_uri], html]
        if self.copies is not None and article.src in self.plan.wechat:  # a recent article's copy
            self.copies.add(article, html)
        self.indexing.add(spec, "/" + page.url)  # in Pagefind's own process, meanwhile
        return ""

    def rendered_content(self, page) -> None:
        """A page of the core gets its content just before MkDocs renders it into the template (a
        list's summaries read its articles' bodies: by then every one is made)."""
        spec = self.by_src.get(page.file.src_uri)
        if spec is None:
            return
        if spec.article is not None:
            page.content = _article_html(spec, self.bodies[spec.article.src])
        else:
            page.content = fill_summaries(spec.html, self.summary) if spec.summarised else spec.html

    def written(self, page) -> None:
        """Once its file is written nothing reads a page's content again (outputs read ``bodies``);
        a long build says how far it is every thousand pages."""
        spec = self.by_src.get(page.file.src_uri)
        if spec is not None:
            page.content, page.toc = None, EMPTY_TOC  # its headings too (anchors stay: MkDocs checks them)
            if self.full:
                # A full build reads the core's HTML of a written page once more, for its search key
                # (_finish_search): taken now, and the HTML let go (a rebuild may index it again; the
                # preview reuses the plan's pages). At 20,000 articles the lists' and cleanup pages'
                # HTML is a hundred MB the build's last steps then have.
                self._search_key(spec)
                if spec.article is None:
                    spec.html = ""
                else:  # its heading block and its attachments, previous/next (the key is taken)
                    spec.before = spec.after = ""
        self.rendered += 1
        if self.rendered % 1000 == 0:
            log.info(f"生成页面：{self.rendered}/{self.pages}")

    def summary(self, src: str) -> str:
        """The article's summary (summary.py), made once per build from its rendered body.

        Lists are rendered after the articles they show (MkDocs reads content files first,
        then the pages ``files`` added), so every listed article's body is known here.
        """
        if src not in self.summaries:
            body = self.bodies.get(src)
            article = self.plan.articles[src].article
            self.summaries[src] = article_summary(article, body) if body is not None else article.summary
        return self.summaries[src]

    def _searchable(self, spec: Page) -> str | None:
        """What Pagefind reads of a page: an article without its attachments and previous/next
        links (data-pagefind-ignore), so a neighbour's new title leaves its search bundle alone."""
        if spec.article is not None:
            return _article_html(spec, self.bodies[spec.article.src], searchable_only=True)
        return spec.html if "data-pagefind-body" in spec.html else None

    def _search_key(self, spec: Page) -> str | None:
        """A hash of what Pagefind reads of the page (not the links around it: a neighbour's new
        title changes none), or None when it is not searched; made once per page and build."""
        if spec.src_uri not in self.search_keys:
            text = self._searchable(spec)
            self.search_keys[spec.src_uri] = None if text is None else fingerprint(self.search_global, text)
        return self.search_keys[spec.src_uri]

    def _pages_written(self) -> None:
        """Every page is on disk (MkDocs writes itself from here on), or what stopped one is raised."""
        writes, self.writes = self.writes, None
        if writes is not None:
            writes.finish()

    def shutdown(self) -> None:
        """The end of the command, also after a build stopped in between (Ctrl+C)."""
        with contextlib.suppress(Exception):  # the build has failed already: that error is the one told
            self._pages_written()

    def ended(self) -> None:
        """The command ends (on_shutdown): every page written, and the preview's folder, temporary, forgotten."""
        self.shutdown()
        if self.serving:
            incremental.discard(self.state_file)

    def failed(self) -> None:
        self.shutdown()
        self.indexing.close()
        if self.copies is not None:
            self.copies.close()
            self.copies = None
        self._stop_helper()

    def _stop_helper(self) -> None:
        helper, self.helper = self.helper, None
        if helper is not None:
            helper.shutdown(wait=True, cancel_futures=True)

    def write_outputs(self, site_dir: Path, search: bool) -> None:
        """Everything after MkDocs has written the pages, up to the link check."""
        self._pages_written()
        self.indexing.write_bundle()
        made = set()
        if self.copies is not None:
            made, self.copies = self.copies.finish(), None
        built = Built(
            site_dir,
            self.site,
            self.plan,
            self.bodies,
            self.current_articles | made,
            self.kept_in(site_dir),
            content_dir=self.content_dir,
            serving=self.serving,
        )
        if self.serving and self.previous is not None:
            # The preview's edit: its pages are shown before the outputs are made (``write_later``).
            if search:
                self._finish_search(site_dir)
            self.later = built
            return
        self._write_outputs(built)
        # A full build's link check reads no file of the search index (sitelinks.SKIPPED_DIRS): it runs
        # while Pagefind writes its bundle on the other core, not after it. A rebuild's waits for the
        # files it keeps from site/ and those it removes, which the search index decides.
        if self.full:
            try:
                self._link_check(site_dir, writing=sitelinks.SKIPPED_DIRS if search else ())
            except PluginError:
                with contextlib.suppress(Exception):  # Pagefind is done with site/ before the build fails
                    self.indexing.wait()
                raise
        self.indexing.wait()
        if search:
            self._finish_search(site_dir)
        if self.previous is not None and self.stage is not None:  # staged: bring what is unchanged
            stale = set(self.previous.outputs) - set(self.state.outputs)
            self.kept = self.stage.keep_unchanged(skip=stale | {manifest.NAME}, replaced=self.search_replaced)
        if self.previous is not None:
            incremental.remove_stale(site_dir, self.previous, self.state)
        if not self.serving and not self.full:
            self._link_check(site_dir)
        self._stop_helper()

    def _link_check(self, site_dir: Path, writing: Iterable[str] = ()) -> None:
        """Every internal link of site/ resolves, or the build fails; ``writing``: folders still being
        written by another process (sitelinks.check_site)."""
        links = self.previous.links if self.previous is not None else None
        previous = sitelinks.LinkRecord(**links) if links else None
        record = sitelinks.LinkRecord()
        url = self.site.settings.url
        broken = sitelinks.check_site(site_dir, url, record, self.kept, previous, self.helper, writing)
        if broken:
            shown = sitelinks.problems(broken[:LINKS_SHOWN], self.kept_in(site_dir).name)  # named as site/
            more = f"\n……另有 {len(broken) - LINKS_SHOWN} 处" if len(broken) > LINKS_SHOWN else ""
            raise PluginError(f"生成的网站中有 {len(broken)} 处链接无法打开：\n" + format_report(shown) + more)
        self.state.links = record.__dict__

    def _write_outputs(self, built: Built) -> None:
        for output in OUTPUTS:
            written = output.write(built)
            self.state.outputs += written
            if output is feeds:
                self.feeds = sum(1 for path in written if not path.endswith("/sitemap.xml"))
                log.info(f"订阅源：{self.feeds} 个")

    def write_later(self) -> None:
        """The preview after an edit: feeds, WeChat copies and the other outputs of outputs/all.py,
        written once the changed pages are being served (preview.py), then what the edit made stale
        removed. Staff see the edited page a few tenths of a second sooner; a feed or WeChat copy
        opened in that moment is the one from before the edit."""
        built, self.later = self.later, None
        if built is not None:
            self._render_later_pages()
            self._write_outputs(built)
            incremental.remove_stale(built.site_dir, self.previous, self.state)
            incremental.save(self.state_file, self.state, in_memory=True)  # the next edit renders what it changes

    def later_dests(self) -> frozenset[str]:
        """The files of the pages the preview's edit renders after its pages are shown."""
        return frozenset(file.dest_uri for file, _key in self.later_pages)

    def rendering(self, config, files: Files, nav, env) -> None:
        """What MkDocs renders this build's pages with (on_env): the preview renders its later pages with it."""
        self._rendering = (config, files, nav, env)

    def _render_later_pages(self) -> None:
        """A preview edit that moves an article in a long list changes every later page of that list
        (hundreds at 20,000 articles: a tag added is a tag list's every page): they are rendered here,
        after the article and the lists' first pages are shown; the preview holds a request for one
        of them until it is written (preview_errors.PreviewServer.hold)."""
        pages, self.later_pages = self.later_pages, []
        if not pages:
            return
        config, files, nav, env = self._rendering
        for file, key in pages:
            internals.render_page(file, config, files, nav, env, self.converter)
            self.state.pages[file.dest_uri] = key

    def finish(self, site_dir: Path, content: Path, complete: bool) -> None:
        if not self.serving:  # a preview is never published
            manifest.write_manifest(  # last: hashes all (but those kept)
                site_dir, self.site, content, complete=complete, kept=self.kept, live=self.live
            )
        if self.live is None and self.later is None:  # else once the preview's outputs are written
            incremental.save(self.state_file, self.state, in_memory=self.serving)

    def _finish_search(self, site_dir: Path) -> None:
        """The search index after this build: see outputs/search/index.py for its base and delta bundles."""
        if self.serving and self.previous is not None:
            self._preview_search()
            return
        indexed = {
            dest: spec
            for dest in self.state.pages
            if (spec := self.by_src.get(self.dest_src[dest])) is not None and self._search_key(spec) is not None
        }
        hashes = {dest: self._search_key(spec) for dest, spec in indexed.items()}
        output, kept = site_dir / search.OUTPUT_SUBDIR, self.kept_in(site_dir) / search.OUTPUT_SUBDIR
        previous = self.previous.search if self.previous is not None else {}
        if self.previous is None:  # a full build streamed every page into the base bundle
            plan = search.IndexPlan(base=hashes, ids=search.page_ids(self.indexing.written[search.BASE], _dest_of))
        else:
            plan = search.IndexPlan.from_record(previous).after(hashes, has_base=has_bundle(kept / search.BASE))
            if plan.rebuild:
                self.indexing.reindex(site_dir, indexed, plan, _dest_of)
        replaced = set(plan.rebuild)
        if previous.get("delta") and not plan.delta:  # folded into the base, or every change undone
            shutil.rmtree(output / search.DELTA, ignore_errors=True)  # (a non-staged build's old one)
            replaced.add(search.DELTA)
        self.search_replaced = {f"{search.OUTPUT_SUBDIR}/{name}/" for name in replaced}
        self.state.search = plan.record()
        bundles = [search.BASE] + ([search.DELTA] if plan.delta else [])
        folders = {name: output / name if (output / name).is_dir() else kept / name for name in bundles}
        search.write_bundle_list(output, folders, plan.hidden())

    def _preview_search(self) -> None:
        """The preview keeps the index of its first build: re-indexing would hold every edit up for
        seconds. Staff are told once the index is behind; no page's search text is hashed for that,
        a page whose key changed since the first build is enough to say so."""
        previous = self.previous.search
        behind = previous.get(PREVIEW_BEHIND) or self.previous.pages != self.state.pages
        if behind:
            log.info("预览中搜索索引不随修改更新；重新启动预览即可更新。")
        self.state.search = {**previous, PREVIEW_BEHIND: True} if behind else previous


PREVIEW_BEHIND = "preview_behind"  # in the preview's search record: a page changed since the index was made


# The preview's generated pages as last keyed, by source: (page, site-wide key, page key, File); the
# File is the one handed to no one (MkDocs gets a copy when it renders the page).
_GENERATED: dict[str, tuple] = {}


@functools.lru_cache(maxsize=1 << 17)
def _abs_dest(site_dir: str, dest_uri: str) -> str:
    """``File.abs_dest_path`` as MkDocs makes it, once per address: the preview places 20,000 articles per edit."""
    return os.path.normpath(os.path.join(site_dir, dest_uri))


def _keep_previous_key(pages: dict[str, str], previous: incremental.BuildState, dest: str) -> None:
    """The page is not written yet: recorded with the key of what its file holds (none: not made yet)."""
    if dest in previous.pages:
        pages[dest] = previous.pages[dest]
    else:
        del pages[dest]


def _site_data(content: Path) -> list[Path]:
    """content/'s data files (site.yml …) but the cleanup batches, in a stable order."""
    cleanups = content / "cleanups"
    return sorted(
        path
        for folder, _dirs, names in os.walk(content, followlinks=True)  # no Path per file: 30,000 at 20,000 articles
        for name in names
        if os.path.splitext(name)[1] in DATA_SUFFIXES
        and cleanups not in (path := Path(folder, name)).parents
        and path.is_file()
    )


def _cited_entries(article, numbers: Keyed[dict[str, str]]) -> list[tuple[str, str]]:
    # What the body could cite is its own: a durable step, looked for again only when the article
    # changed; kept even while no cleanup data is there, so that the first batch finds it.
    candidates = cached("cites", article.src, _doc_candidates, article, durable=True)
    if not numbers.value or not candidates:
        return []
    return sorted((number, numbers.value[number]) for number in docno.cited(candidates, numbers.value))


def _doc_candidates(article) -> list[tuple[str, ...]]:
    return docno.candidates(unescape(article.body))


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


def _dest_of(url: str) -> str:
    """A page's file from its URL as Pagefind has it ("/articles/x/")."""
    return url.lstrip("/") + "index.html"
