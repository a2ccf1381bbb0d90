"""The MkDocs and Material insides the adapter leans on (site_builder/adapter/internals.py lists them)
are still the ones it was written against.

MkDocs 1.6.1 and Material 9.8.2 are pinned exactly; this test says, by name, what to look at
again when either is upgraded: each piece of their code we copied or replaced is pinned by a
hash of its source, each private name by its presence. After checking our copy against theirs,
update the hash here.
"""

from __future__ import annotations

import hashlib
import inspect
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

import material
import pytest
from mkdocs import utils as mkdocs_utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.commands import serve
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure import files, pages
from mkdocs.utils import templates

from site_builder.adapter import internals
from site_builder.core import memo

VERSIONS = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.2"}

# (what, the object, hash of its source, which of our files follows it)
COPIED = [
    ("mkdocs.structure.pages.Page.render", pages.Page.render, "320529348f7a8af1", "adapter/markdown_pages.py"),
    (
        "mkdocs.structure.pages.Page._set_canonical_url",
        pages.Page._set_canonical_url,
        "291dbe84a45243b7",
        "adapter/markdown_pages.py",
    ),
    # relied on, not copied: Page.title answers from meta when markdown is not None (the converted
    # page's Markdown is dropped to ""); _build_page reads content only between page_context and
    # post_page (the core's pages get theirs there and drop it after: adapter/build.py)
    (
        "mkdocs.structure.pages.Page.title",
        pages.Page.__dict__["title"].func,
        "0b79ceaa40829423",
        "adapter/markdown_pages.py",
    ),
    # called by name (internals.render_page): the preview renders a list's later pages after its build
    ("mkdocs.commands.build._populate_page", mkdocs_build._populate_page, "31a70ea4caef1e12", "adapter/internals.py"),
    ("mkdocs.commands.build._build_page", mkdocs_build._build_page, "adcdbd14b2361126", "adapter/build.py"),
    ("mkdocs.structure.files.File.__init__", files.File.__init__, "c2efeb0d53ef00d3", "adapter/internals.py"),
    # relied on, not copied: a generated page's File is its __dict__ (internals.generated_page copies it)
    ("mkdocs.structure.files.File.generated", files.File.generated, "8699762cdd2d37a4", "adapter/internals.py"),
    (
        "mkdocs.structure.files.Files.add_files_from_theme",
        getattr(files.Files.add_files_from_theme, "original", files.Files.add_files_from_theme),  # once replaced
        "0169dd2b1c22ca13",
        "adapter/internals.py",
    ),
    # PageFiles: the same answer, the pages found once; every way MkDocs changes the files is one of these
    (
        "mkdocs.structure.files.Files.documentation_pages",
        files.Files.documentation_pages,
        "a18f043c1697f93a",
        "adapter/internals.py",
    ),
    ("mkdocs.structure.files.Files.__init__", files.Files.__init__, "95494193a3fe08b8", "adapter/internals.py"),
    ("mkdocs.structure.files.Files.append", files.Files.append, "b528f1d5d0a77aa9", "adapter/internals.py"),
    ("mkdocs.structure.files.Files.remove", files.Files.remove, "70d48ab4ab01702b", "adapter/internals.py"),
    # ShownFiles: an edit's rendered pages link to the pages it leaves out through this one lookup,
    # and a page without a page object has its anchors left unchecked (as a dirty build's unread page)
    (
        "mkdocs.structure.files.Files.get_file_from_path",
        files.Files.get_file_from_path,
        "1fdc876f5dc031b3",
        "adapter/internals.py",
    ),
    (
        "mkdocs.structure.pages._RelativePathTreeprocessor.path_to_url",
        pages._RelativePathTreeprocessor.path_to_url,
        "e70ebc9605514fab",
        "adapter/internals.py",
    ),
    (
        "mkdocs.structure.pages.Page.validate_anchor_links",
        pages.Page.validate_anchor_links,
        "874bc52fc630d5e8",
        "adapter/internals.py",
    ),
    # copied (the preview's get_files, made from the previous build's files) and called by name
    ("mkdocs.structure.files.get_files", files.get_files, "8d8cc69e4d7dc5be", "adapter/internals.py"),
    ("mkdocs.structure.files._file_sort_key", files._file_sort_key, "10a420fe979c610e", "adapter/internals.py"),
    (
        "mkdocs.utils.get_build_date",
        getattr(pages.get_build_date, "original", pages.get_build_date),  # once replaced
        "468c896dc2e25715",
        "adapter/internals.py",
    ),
    ("mkdocs.commands.serve.serve", serve.serve, "518c785249cd4e9d", "adapter/preview.py"),
    ("mkdocs.utils.templates.url_filter", templates.url_filter, "aa52bb2422f2048e", "adapter/page_chrome.py"),
    # replaced while pages are rendered (called by _build_page, pinned above): written by a thread
    ("mkdocs.utils.write_file", mkdocs_utils.write_file, "7ca9477c4bda00c8", "adapter/internals.py"),
    (
        "mkdocs.livereload.LiveReloadServer.__init__",
        LiveReloadServer.__init__,
        "e79efeb939bfe4b4",
        "adapter/preview.py",
    ),
]
MATERIAL_BASE = ("a919e32d2225e09e", "theme/base.html")
PRIVATE_PAGE_NAMES = [
    "_RelativePathTreeprocessor",
    "_RawHTMLPreprocessor",
    "_ExtractAnchorsTreeprocessor",
    "_ExtractTitleTreeprocessor",
]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@pytest.mark.parametrize("package", sorted(VERSIONS))
def test_the_pinned_versions_are_installed(package):
    installed = metadata.version(package)
    assert installed == VERSIONS[package], (
        f"{package} {installed} is installed, the adapter was written against {VERSIONS[package]}: "
        "check each item of site_builder/adapter/internals.py's docstring, then update VERSIONS here"
    )


@pytest.mark.parametrize(("name", "obj", "pinned", "ours"), COPIED, ids=[c[0] for c in COPIED])
def test_copied_or_replaced_code_is_unchanged(name, obj, pinned, ours):
    found = _digest(inspect.getsource(obj).encode())
    assert found == pinned, (
        f"{name} changed (source hash {found}, pinned {pinned}): site_builder/{ours} copies or replaces it; "
        "compare the two, update ours, then the hash in tests/test_mkdocs_internals.py"
    )


def test_materials_base_template_is_the_one_ours_copies():
    base = Path(material.__file__).parent / "templates" / "base.html"
    found = _digest(base.read_bytes())
    assert found == MATERIAL_BASE[0], (
        f"Material's templates/base.html changed (hash {found}): site_builder/{MATERIAL_BASE[1]} is a copy of it; "
        "carry their changes over, then update MATERIAL_BASE"
    )


@pytest.mark.parametrize("name", PRIVATE_PAGE_NAMES)
def test_private_page_processors_are_there(name):
    processor = getattr(pages, name, None)
    assert processor is not None and hasattr(processor, "_register"), (
        f"mkdocs.structure.pages.{name} (with _register) is gone: adapter/markdown_pages.py uses it"
    )
    assert name in inspect.getsource(pages.Page.render), f"Page.render no longer uses {name}"


def test_page_render_sets_what_our_copy_sets():
    source = inspect.getsource(pages.Page.render)
    for attribute in ("_title_from_render", "present_anchor_ids", "links_to_anchors", "toc"):
        assert f"self.{attribute}" in source, f"Page.render no longer sets {attribute}: see adapter/markdown_pages.py"


def test_file_copies_keep_every_attribute(tmp_path):
    """TrackedFile.of copies a File through __dict__: the copy answers as the original does."""
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    original = files.File("a.md", str(tmp_path), str(tmp_path / "site"), use_directory_urls=True)
    copy = internals.TrackedFile.of(original, changed=False)
    for attribute in ("src_uri", "dest_uri", "url", "abs_src_path", "abs_dest_path", "inclusion"):
        assert getattr(copy, attribute) == getattr(original, attribute), attribute
    assert copy.is_documentation_page() and not copy.is_modified()


def test_a_generated_page_made_again_answers_as_file_generated_makes_it(tmp_path):
    """generated_page copies the fields of the page made for the same address before: the copy
    answers as File.generated's own does, and is a new object each time (MkDocs gives it a page)."""
    from types import SimpleNamespace

    from site_builder.core.memo import Memo, using

    config = SimpleNamespace(
        site_dir=str(tmp_path / "site"),
        use_directory_urls=True,
        plugins=SimpleNamespace(_current_plugin="site-builder"),
    )
    level = files.InclusionLevel.NOT_IN_NAV
    with using(Memo()):
        first = internals.generated_page(config, "tags/a/page/2/index.md", level)
        again = internals.generated_page(config, "tags/a/page/2/index.md", level)
        moved = internals.generated_page(
            SimpleNamespace(**{**vars(config), "use_directory_urls": False}), "x.md", level
        )
    made = files.File.generated(config, "tags/a/page/2/index.md", content="", inclusion=level)
    assert again is not first
    for attribute in ("src_uri", "dest_uri", "url", "abs_dest_path", "inclusion", "generated_by", "content_string"):
        assert getattr(again, attribute) == getattr(made, attribute), attribute
    assert again.is_documentation_page() and again.page is None
    assert moved.dest_uri == "x.html"  # another setting, another address


def test_content_files_made_again_answer_as_get_files_makes_them(tmp_path, monkeypatch):
    """The preview's get_files copies each file of the previous build: the files answer as MkDocs'
    own get_files makes them, also after files come and go, and each is a new object."""
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    for name in ("index.md", "README.md", "a.md", "sub/b.md", "sub/README.md", "img.png", ".hidden.md", "sub/c.txt"):
        (docs / name).write_text("x", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nnot_in_nav: a.md\nexclude_docs: sub/c.txt\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    monkeypatch.setattr(mkdocs_build, "get_files", mkdocs_build.get_files)  # put back after the test
    internals.reuse_content_files()
    assert mkdocs_build.get_files is not files.get_files

    def shape(found):
        fields = ("src_uri", "dest_uri", "url", "abs_src_path", "abs_dest_path", "inclusion", "name")
        return [tuple(getattr(file, field) for field in fields) for file in found]

    first = mkdocs_build.get_files(config)
    assert shape(first) == shape(files.get_files(config))
    assert "README.md" not in first.src_uris  # beside index.md, as MkDocs leaves it out
    (docs / "sub" / "new.md").write_text("x", encoding="utf-8")
    (docs / "a.md").unlink()
    again = mkdocs_build.get_files(config)
    assert shape(again) == shape(files.get_files(config))
    assert "sub/new.md" in again.src_uris and "a.md" not in again.src_uris
    assert not {id(file) for file in again} & {id(file) for file in first}

    # Watched (the preview): listed again only when the watcher reports a file come or go, or the
    # exclusion patterns change; each build still gets new objects.
    memo.watch(docs)
    try:
        mkdocs_build.get_files(config)
        (docs / "unreported.md").write_text("x", encoding="utf-8")
        kept = mkdocs_build.get_files(config)
        assert "unreported.md" not in kept.src_uris  # nothing reported: the listing is the last one
        assert not {id(file) for file in kept} & {id(file) for file in again}
        memo.changed(str(docs / "unreported.md"))
        memo.changes_seen()
        assert shape(mkdocs_build.get_files(config)) == shape(files.get_files(config))
        (tmp_path / "mkdocs.yml").write_text("site_name: t\nexclude_docs: sub/\n", encoding="utf-8")
        config = load_config(str(tmp_path / "mkdocs.yml"))
        excluded = mkdocs_build.get_files(config)
        assert shape(excluded) == shape(files.get_files(config))
        assert excluded.src_uris["sub/b.md"].inclusion == files.InclusionLevel.EXCLUDED
    finally:
        memo.unwatch()


def test_page_files_answer_as_files_do_after_files_come_go_and_change_inclusion(tmp_path):
    """PageFiles finds the pages among the files once: the same answer as MkDocs' own Files gives."""
    config = SimpleNamespace(
        site_dir=str(tmp_path / "site"), use_directory_urls=True, plugins=SimpleNamespace(_current_plugin="t")
    )

    def made(src: str, level) -> files.File:
        return files.File.generated(config, src, content="", inclusion=level)

    levels = files.InclusionLevel
    start = [made("a.md", levels.INCLUDED), made("b.css", levels.INCLUDED), made("c.md", levels.EXCLUDED)]
    ours, theirs = internals.PageFiles(list(start)), files.Files(list(start))

    def same() -> None:
        for inclusion in (levels.is_included, levels.is_in_serve, levels.is_in_nav):
            assert [f.src_uri for f in ours.documentation_pages(inclusion=inclusion)] == [
                f.src_uri for f in theirs.documentation_pages(inclusion=inclusion)
            ]
        assert [f.src_uri for f in ours.documentation_pages()] == [f.src_uri for f in theirs.documentation_pages()]

    same()
    extra = made("d/index.md", levels.NOT_IN_NAV)
    ours.append(extra)
    theirs.append(extra)
    same()
    ours.remove(start[0])
    theirs.remove(start[0])
    same()
    start[2].inclusion = levels.INCLUDED  # as set_exclusions does after on_files
    same()
    assert [f.src_uri for f in ours.documentation_pages()] == ["c.md", "d/index.md"]
