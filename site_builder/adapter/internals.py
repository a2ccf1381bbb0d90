"""Where the adapter leans on MkDocs and Material beyond their public plugin API, and why.

Each of these breaks silently when MkDocs or Material change their insides, so both are pinned
exactly in pyproject.toml and tests/test_mkdocs_internals.py records the shape of each (the
versions, and a hash of every piece of their code we copied or replaced): an upgrade fails that
test by name, and the list below says what to look at again.

In this module:

- ``TrackedFile``, ``KeptStaticFile``: subclasses of ``mkdocs.structure.files.File`` made by
  copying an existing file's ``__dict__`` (``File`` has no copy constructor), so that
  ``is_modified`` answers from our page keys (incremental.py) and from site/ beside a staged build.
- ``PageFiles``: a ``Files`` whose ``documentation_pages`` finds the pages among the files once
  per build, not on each of MkDocs' five calls.
- ``ShownFiles``: the preview's files after an edit, without the pages it keeps unchanged; links to
  those resolve through ``Files.get_file_from_path``, the one lookup MkDocs' link handling makes
  (``_RelativePathTreeprocessor.path_to_url``), and ``Page.validate_anchor_links`` skips a page
  without a page object, as it does for the unread pages of any dirty build.
- ``render_page``: renders one page after MkDocs' build as the build renders each, calling
  ``mkdocs.commands.build._populate_page`` and ``_build_page`` by name with the build's files,
  navigation and Jinja environment (the preview's later list pages, adapter/build.py).
- ``generated_page``: a page the core planned, as ``File.generated`` makes it, copied from the
  ``__dict__`` of the one made for the same address in an earlier build of the process (``File``'s
  constructor and its ``dest_uri``/``url`` cost 10 µs a page: 0.15 s of each preview edit at
  20,000 articles).
- ``CompiledTemplates``: replaces the Jinja environment's ``bytecode_cache`` MkDocs made, so
  the preview does not compile every template again on each edit, nor a build after a merge
  (kept in the content cache); its key reads the environment's settings and ``jinja2.utils._PassArg``.
- ``list_theme_files_once``: replaces ``Files.add_files_from_theme`` in the preview's process and
  a build's (it calls the original once per theme setup and replays what it added; a build keeps
  that in the content cache), so Material's thousands of theme files are not listed and
  pattern-matched again on every edit nor on every build after a merge.
- ``reuse_content_files``: replaces ``get_files`` as ``mkdocs.commands.build`` imported it, in the
  preview's process: a copy of ``mkdocs.structure.files.get_files`` (and its private
  ``_file_sort_key``) that makes each file from the address worked out for the same path in the
  previous build instead of working it out again.
- ``read_build_date_once_per_build``: replaces ``get_build_date`` as ``mkdocs.structure.pages`` imported
  it (``Page.__init__`` sets every page's ``update_date`` from it) in the preview's process, so the
  date is read once per build rather than once per page.
- ``skip_sitemap``: removes ``sitemap.xml`` from ``theme.static_templates`` (a preview is never
  crawled; rendering it lists every page on each edit).
- ``BackgroundWrites``: replaces ``mkdocs.utils.write_file`` while a build renders its pages (the
  name ``_build_page`` calls), so each page is written by a thread while the next one renders.
- ``LinkWarnings``: reads the text of MkDocs' English link warnings (``mkdocs.structure.pages``)
  to say them again as coded Chinese problems; ``WarningCount`` uses ``mkdocs.utils.CountHandler``.

Elsewhere in adapter/ (each module's docstring says more):

- markdown_pages.py copies ``mkdocs.structure.pages.Page.render`` and uses five private names of
  that module (``_RelativePathTreeprocessor``, ``_RawHTMLPreprocessor``,
  ``_ExtractAnchorsTreeprocessor``, ``_ExtractTitleTreeprocessor``, ``Page._title_from_render``, and
  each processor's ``_register``): one Markdown converter per build instead of one per page; its
  ``ConvertedPage`` runs ``Page._set_canonical_url`` when ``canonical_url``/``abs_url`` are first read,
  and drops the page's Markdown once converted (``Page.title`` then answers from ``meta``).
- build.py empties the core's pages' content when MkDocs makes it and fills it in ``on_page_context``,
  dropping it (and the headings' ``toc``) in ``on_post_page``: ``mkdocs.commands.build._build_page``
  reads a page's content only in between.
- page_chrome.py replaces the Jinja ``url`` filter MkDocs installs, wrapping the original, so
  header, tabs, menu and footer render once per folder.
- preview.py follows ``mkdocs.commands.serve.serve`` and replaces the live-reload server's
  ``observer`` with one fed by native file events.
- staging.py and cli/commands.py run ``mkdocs.commands.build.build`` themselves (with
  ``on_startup``/``on_shutdown``) to build beside site/ and swap it in.
- theme/base.html is a documented copy of Material's ``base.html`` (its comment lists the changes).
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import queue
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath

import jinja2
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.utils import _PassArg
from mkdocs import utils as mkdocs_utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure import files as mkdocs_files
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from site_builder.adapter.markdown_pages import take_over
from site_builder.adapter.project import THEME
from site_builder.core import memo
from site_builder.core.checks.links import from_mkdocs
from site_builder.core.loader import display_root
from site_builder.core.memo import Memo, cached


class TrackedFile(File):
    """A page whose "modified" answer comes from its key (see incremental.py), for dirty builds."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed

    @classmethod
    def of(cls, file: File, changed: bool) -> TrackedFile:
        tracked = cls.__new__(cls)
        tracked.__dict__.update(file.__dict__)
        tracked.changed = changed
        return tracked


class PageFiles(Files):
    """The build's files, which find their documentation pages once: MkDocs asks for them five
    times per build (``Files.documentation_pages``, its code here as it is but for that), testing
    every file's name each time: 35,000 files on each of the preview's edits at 20,000 articles.
    Which files are pages depends on their names only; their inclusion is asked on every call
    (``set_exclusions`` may set it after ``on_files``). Adding or removing a file finds them again."""

    def __init__(self, files: Iterable[File], pages: list[File] | None = None) -> None:
        """``pages``: which of ``files`` are pages, in their order, when the caller knows already."""
        super().__init__(files)
        self._pages = pages

    def append(self, file: File) -> None:
        self._pages = None
        super().append(file)

    def remove(self, file: File) -> None:
        self._pages = None
        super().remove(file)

    def documentation_pages(self, *, inclusion=InclusionLevel.is_included) -> Sequence[File]:
        if self._pages is None:
            self._pages = [file for file in self if file.is_documentation_page()]
        return [file for file in self._pages if inclusion(file.inclusion)]


class ShownFiles(PageFiles):
    """The preview's files after an edit: every file but the pages kept unchanged from its previous
    build, which MkDocs would otherwise make a page object of, and loop over while reading, rendering
    and checking anchors, on every edit (35,000 pages at 20,000 articles, for the handful it renders).
    A link of a rendered page to one of them resolves as before (``get_file_from_path``, the one
    lookup MkDocs' link handling makes); such a page has no page object, as an unrendered page of a
    dirty build has none of its anchors, so its anchors are not checked in either."""

    def __init__(self, files: Iterable[File], pages: list[File], unshown: dict[str, File]) -> None:
        super().__init__(files, pages)
        self.unshown = unshown

    def get_file_from_path(self, path: str) -> File | None:
        found = super().get_file_from_path(path)
        return found if found is not None else self.unshown.get(PurePath(path).as_posix())


def render_page(file: File, config, files: Files, nav, env, converter) -> None:
    """Render and write one page after MkDocs' build, as its build renders each: a page object
    (``markdown_pages.take_over``, or MkDocs' own without a shared converter), then
    ``_populate_page`` and ``_build_page`` with the build's files, navigation and environment."""
    if converter is not None:
        take_over(file, None, config, converter)
    else:
        mkdocs_pages.Page(None, file, config)
    mkdocs_build._populate_page(file.page, config, files, dirty=True)
    pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    mkdocs_build._build_page(file.page, config, pages, nav, env, dirty=True)


def generated_page(config, src_uri: str, inclusion) -> File:
    """``File.generated(config, src_uri, content="", inclusion=inclusion)``, its address worked out once."""

    def fields(*_same_address) -> dict:
        file = File.generated(config, src_uri, content="", inclusion=inclusion)
        file.dest_uri, file.url, file.abs_dest_path  # noqa: B018 (worked out now, kept with the rest)
        return dict(file.__dict__)

    made = cached("generated-page", src_uri, fields, config.site_dir, config.use_directory_urls, inclusion)
    file = File.__new__(File)
    file.__dict__.update(made)
    return file


class KeptStaticFile(File):
    """A static file of a staged rebuild: unmodified when site/ already has it, as in a dirty build
    into site/ itself; the staging folder gets it as a link afterwards (staging.Stage.keep_unchanged)."""

    kept_in = ""

    def is_modified(self) -> bool:
        if self._content is not None:
            return True
        kept = os.path.join(self.kept_in, self.dest_uri)
        return not os.path.isfile(kept) or os.path.getmtime(kept) < os.path.getmtime(self.abs_src_path)

    @classmethod
    def of(cls, file: File, kept_in: Path) -> KeptStaticFile:
        kept = cls.__new__(cls)
        kept.__dict__.update(file.__dict__)
        kept.kept_in = str(kept_in)
        return kept


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory between the builds of one process (keyed by source), and
    between processes in the content cache (core/memo.py) when a build lends its memo: a build after
    a merge compiles no template again. Jinja's own on-disk cache keys a template by its name and
    source only; here the key also holds what the environment compiles it with (its syntax,
    extensions, and the filters and tests a template may name: :func:`_compiling`)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.memo: Memo | None = None  # the build's, lent for its duration (keep_compiled_templates)

    def get_bucket(self, environment, name: str, filename: str | None, source: str) -> Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        if bucket.code is None and self.memo is not None and self.memo.store is not None:

            def compiled(_compiling: object, name: str, filename: str | None, source: str) -> bytes:
                return marshal.dumps(environment.compile(source, name, filename))

            code = self.memo.cached(
                "template", name, compiled, _compiling(environment), name, filename, source, durable=True
            )
            bucket.code = marshal.loads(code)
            self.dump_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def _compiling(environment) -> tuple:
    """What besides its source makes Jinja compile a template into other code (jinja2.compiler)."""

    def named(value: object) -> str:
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"

    def passes(functions: dict) -> list[tuple[str, str]]:
        return sorted((key, str(_PassArg.from_obj(function))) for key, function in functions.items())

    e = environment
    return (
        jinja2.__version__,
        [e.block_start_string, e.block_end_string, e.variable_start_string, e.variable_end_string],
        [e.comment_start_string, e.comment_end_string, e.line_statement_prefix, e.line_comment_prefix],
        [e.trim_blocks, e.lstrip_blocks, e.newline_sequence, e.keep_trailing_newline],
        [e.optimized, e.is_async, named(e.code_generator_class), named(e.context_class)],
        e.autoescape if isinstance(e.autoescape, bool) else named(e.autoescape),
        None if e.finalize is None else str(_PassArg.from_obj(e.finalize)),
        sorted(named(extension) for extension in e.extensions.values()),
        passes(e.filters),
        passes(e.tests),
    )


COMPILED = CompiledTemplates()  # one per process: the preview makes a new environment on every edit


def keep_compiled_templates(env, memo: Memo | None = None) -> None:
    COMPILED.memo = memo
    env.bytecode_cache = COMPILED


class BackgroundWrites:
    """Pages written by a thread while MkDocs renders the next ones (a full build).

    ``_build_page`` renders a page and writes it with ``mkdocs.utils.write_file`` (folders, open,
    write: half a second of a 2,000-article build, spent in the kernel, the GIL released). While
    installed, that name queues the bytes for a thread that calls the original, in the same order;
    ``finish`` puts the original back, waits for the last page and raises the first failure (a
    page that could not be written fails the build, as before, at the latest when it ends).
    """

    QUEUED = 64  # pages waiting at most (a few MB)

    def __init__(self) -> None:
        self._original = mkdocs_utils.write_file
        self._queue: queue.Queue[tuple[bytes, str] | None] = queue.Queue(maxsize=self.QUEUED)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="page-writes", daemon=True)
        self._thread.start()
        mkdocs_utils.write_file = self.write

    def write(self, content: bytes, output_path: str) -> None:
        if self._failure is not None:
            raise self._failure
        self._queue.put((content, output_path))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._failure is None:
                try:
                    self._original(*item)
                except BaseException as exc:  # raised in the build's thread: write or finish
                    self._failure = exc

    def finish(self) -> None:
        if mkdocs_utils.write_file == self.write:
            mkdocs_utils.write_file = self._original
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure


_BUILD_DATE: dict[str, str] = {}  # the preview's build date, read by its first page


def read_build_date_once_per_build() -> None:
    """MkDocs makes every page object again on each build and each reads the build date (the
    clock, or SOURCE_DATE_EPOCH): a third of a second of every edit at 35,000 pages. In the
    preview the first page of a build reads it; ``new_build`` forgets it before the next."""
    if getattr(mkdocs_pages.get_build_date, "once_per_build", False):
        return
    original = mkdocs_pages.get_build_date

    def get_build_date() -> str:
        if "date" not in _BUILD_DATE:
            _BUILD_DATE["date"] = original()
        return _BUILD_DATE["date"]

    get_build_date.once_per_build = True
    get_build_date.original = original
    mkdocs_pages.get_build_date = get_build_date


def new_build() -> None:
    _BUILD_DATE.clear()


def skip_sitemap(config) -> None:
    config.theme.static_templates.discard("sitemap.xml")


class LinkWarnings(logging.Filter):
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


class WarningCount:
    """MkDocs' own warnings of one build (under strict they abort it after on_post_build)."""

    def __init__(self) -> None:
        self.handler: CountHandler | None = None

    def start(self) -> None:
        self.stop()
        self.handler = CountHandler()
        self.handler.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self.handler)

    def stop(self) -> int:
        counted = 0
        if self.handler is not None:
            counted = sum(count for _, count in self.handler.get_counts())
            logging.getLogger("mkdocs").removeHandler(self.handler)
            self.handler = None
        return counted


# What Files.add_files_from_theme found, per theme setup: (theme file path, the theme dir it is in).
_THEME_FILES: dict[tuple, list[tuple[str, str]]] = {}


def list_theme_files_once() -> None:
    """Make ``Files.add_files_from_theme`` list the installed themes' folders once per process.

    MkDocs lists and pattern-matches every file of every theme folder on each build: Material's
    thousands of icons cost the preview a quarter of a second per edit. Material and our own
    theme are installed code (pinned, and the preview does not watch them); a site's own theme
    folder is small and is listed again on every build (its listing is part of the key).
    ``site-builder build`` builds once per process: there the listing is kept in the content cache
    (core/memo.py), whose version names this package's code and every installed distribution's.
    """
    if getattr(Files.add_files_from_theme, "listed_once", False):
        return
    original = Files.add_files_from_theme

    def add_files_from_theme(self, env, config) -> None:
        dirs = tuple(config.theme.dirs)
        key = (
            dirs,
            tuple(sorted(config.theme.static_templates)),
            config.use_directory_urls,
            tuple(_listing(d) for d in dirs if not _installed(d)),
        )
        if key not in _THEME_FILES:

            def listed(*_key) -> list[tuple[str, str]]:
                found = Files([])
                original(found, env, config)
                return [(file.src_uri, file.src_dir) for file in found]

            memo = getattr(config.plugins.get("site-builder"), "memo", None)
            if memo is not None and memo.store is not None:  # `site-builder build`: kept in the content cache
                _THEME_FILES[key] = memo.cached("theme files", "", listed, *key, durable=True)
            else:
                _THEME_FILES[key] = listed()
        for path, folder in _THEME_FILES[key]:
            if self.get_file_from_path(path) is None:  # as MkDocs: theme files do not override docs_dir files
                self.append(File(path, folder, config.site_dir, config.use_directory_urls))

    add_files_from_theme.listed_once = True
    add_files_from_theme.original = original
    Files.add_files_from_theme = add_files_from_theme


def _installed(folder: str) -> bool:
    """Material's templates or ours (installed packages), not a site's own theme folder."""
    path = Path(folder).resolve()
    return path == THEME.resolve() or "site-packages" in path.parts


def _listing(folder: str) -> tuple[str, ...]:
    return tuple(sorted(os.path.join(d, name) for d, _dirs, names in os.walk(folder) for name in names))


def reuse_content_files() -> None:
    """Make ``get_files`` (as ``mkdocs.commands.build`` imported it) make each file of content/ from
    the address worked out for the same path in the preview's previous build, and list content/
    again only when the watcher saw a file there come, go or move (``memo.shape``).

    MkDocs walks the docs folder on each build, makes a ``File`` for every file, works out its
    ``dest_uri`` and ``url`` while looking for two files with one address, and matches every path
    against the exclusion patterns: 0.1 s of each preview edit at 20,000 articles. A file's fields
    depend only on its path and the config's folders and ``use_directory_urls``, all in the key; its
    inclusion only on its path and the config's three patterns, also in it. What MkDocs sets later
    (its page, a plugin's inclusion) is set on the new file: each build gets new ``File`` objects.
    Only the strings worked out are kept between edits, not a whole ``__dict__`` per file. The rest
    is ``mkdocs.structure.files.get_files`` as it is (its warning about a conflict is said again on
    each build, as MkDocs does).
    """
    if getattr(mkdocs_build.get_files, "reuses_files", False):
        return

    def get_files(config) -> Files:
        docs_dir, site_dir, use_urls = config["docs_dir"], config["site_dir"], config["use_directory_urls"]
        patterns = tuple(_patterns(config.get(name)) for name in ("exclude_docs", "draft_docs", "not_in_nav"))
        key = (docs_dir, site_dir, use_urls)
        shape = memo.shape(docs_dir)
        listed = _LISTED.get(key)
        if listed is None or listed[0] != (shape, patterns):
            listed = ((shape, patterns), *_list_files(config, key))
            _LISTED.clear()
            _LISTED[key] = listed
        _token, fields, conflicts = listed
        for warning in conflicts:
            mkdocs_files.log.warning(warning)
        return Files([_content_file(key, *worked_out, inclusion) for *worked_out, inclusion in fields])

    get_files.reuses_files = True
    mkdocs_build.get_files = get_files


def _content_file(key: tuple, src_uri: str, name: str, dest_uri: str, url: str, inclusion) -> File:
    """A file of content/ from its fields: ``File.__init__``'s, then the ones its cached properties keep."""
    docs_dir, site_dir, use_urls = key
    file = File.__new__(File)
    file.__dict__.update(
        src_uri=src_uri,
        src_dir=docs_dir,
        dest_dir=site_dir,
        use_directory_urls=use_urls,
        inclusion=inclusion,
        name=name,
        dest_uri=dest_uri,
        url=url,
    )
    return file


def _patterns(spec) -> tuple | None:
    return None if spec is None else tuple((pattern.pattern, pattern.include) for pattern in spec.patterns)


def _list_files(config, key: tuple) -> tuple[list[tuple], list[str]]:
    """``mkdocs.structure.files.get_files``: each file's fields and inclusion, and the warnings said."""
    docs_dir, site_dir, use_urls = key
    previous = _CONTENT_FILES.get(key, {})
    made: dict[str, tuple[str, str, str, str]] = {}
    files: list[File] = []
    conflicting_files: list[tuple[File, File]] = []
    for source_dir, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        relative_dir = os.path.relpath(source_dir, docs_dir)
        dirnames.sort()
        filenames.sort(key=mkdocs_files._file_sort_key)
        files_by_dest: dict[str, File] = {}
        for filename in filenames:
            path = os.path.join(relative_dir, filename)
            worked_out = previous.get(path)
            if worked_out is None:
                file = File(path, docs_dir, site_dir, use_urls)
                worked_out = (file.src_uri, file.name, file.dest_uri, file.url)
            made[path] = worked_out
            file = _content_file(key, *worked_out, InclusionLevel.UNDEFINED)
            prev_file = files_by_dest.setdefault(file.dest_uri, file)
            if prev_file is not file:
                conflicting_files.append((prev_file, file))
            files.append(file)
    _CONTENT_FILES.clear()  # a file gone from content/ is not kept
    _CONTENT_FILES[key] = made
    mkdocs_files.set_exclusions(files, config)
    warnings = []
    for a, b in conflicting_files:  # as get_files: README.md beside an index.md
        if b.inclusion.is_included():
            if a.inclusion.is_included():
                warnings.append(f"Excluding '{a.src_uri}' from the site because it conflicts with '{b.src_uri}'.")
            with contextlib.suppress(ValueError):
                files.remove(a)
        else:
            with contextlib.suppress(ValueError):
                files.remove(b)
    return [(f.src_uri, f.name, f.dest_uri, f.url, f.inclusion) for f in files], warnings


# The preview's listing of content/: (watcher's shape token, patterns), every file's fields, warnings.
_LISTED: dict[tuple, tuple] = {}
_CONTENT_FILES: dict[tuple, dict[str, tuple[str, str, str, str]]] = {}  # path -> src_uri, name, dest_uri, url
