"""Content checks: publishing mistakes and unsafe input, found before the public does.

The loader calls :func:`run` once per load, so `site-builder check` and the build
always agree. Each family of checks is a small module; this one gathers their
problems and applies the site's levels (site.yml ``checks:``) and each article's
``allow:`` waivers. Every check is one pass over each file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

from site_builder.core import content_files, frontmatter
from site_builder.core.checks import (
    dates,
    docnos,
    freshness,
    levels,
    limits,
    links,
    placeholders,
    rendered,
    titles,
    wording,
)
from site_builder.core.checks.text import Document
from site_builder.core.memo import Keyed, cached, listed
from site_builder.core.model import Article, Settings
from site_builder.core.problems import Problem
from site_builder.core.textfile import read_text
from site_builder.core.xxgk.check_links import check_page as section_links
from site_builder.core.xxgk.load import SECTION_DIR

NEWS_DIR = "news/"


def _pages(content: Path, root: str) -> list[Document]:
    """Plain pages (everything but news/): few, so read again here."""
    docs = []
    for folder, dirs, files in os.walk(content):
        # news/ is the articles' (thousands of files, checked from the loaded articles): not walked
        top = folder == os.fspath(content)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")) and not (top and f"{d}/" == NEWS_DIR))
        for name in sorted(files):
            if not name.endswith(".md") or name.startswith((".", "~$")):
                continue
            path = Path(folder) / name
            src = path.relative_to(content).as_posix()
            file = read_text(path, f"{root}/{src}")
            if isinstance(file, Problem):
                continue  # the loader reports it
            parts = frontmatter.split(file.text, file.rel)
            body, line = (file.text, 1) if isinstance(parts, Problem) else (parts[2], parts[3])
            docs.append(Document(src=src, rel=file.rel, body=body, body_line=line))
    return docs


def _published_files(content: Path) -> frozenset[str]:
    return links.published_files(content, _every_file(content))


def _every_file(content: Path) -> list[str]:
    """Every file under content/ (content-relative, posix), as MkDocs lists them."""
    found = []
    for folder, dirs, files in os.walk(content):
        dirs.sort()
        base = Path(folder).relative_to(content).as_posix()
        found += [name if base == "." else f"{base}/{name}" for name in files]
    return found


def run(
    content: Path,
    root: str,
    settings: Settings | None,
    articles: list[Article],
    now: dt.datetime,
    complete: bool,
    listing: str,
    aliases: dict[str, str] | None = None,
    section=None,
) -> list[Problem]:
    """Every check over the loaded content. ``complete`` is False when the load already
    failed: then an article missing from ``articles`` may just be broken, so the
    site-wide checks (empty 栏目, duplicate titles) would only add noise."""
    content = content.resolve()
    # A Markdown file over the size limit is refused by the loader as it reads it (E723, textfile.read_bytes).
    # What exists under content/ is listed again only when a file came, went or moved (memo.listed).
    found = list(listed("escaping-links", content, limits.escaping_links, content, root))
    found += content_files.check(content, root)  # what MkDocs would copy to the site as it is
    lists, problems = wording.load(content, root)
    found += problems
    shown = {a.src: f"{root}/{a.src}" for a in articles}
    targets = {a.src: links.Target(a.src, a.slug, a.status(now), a.date) for a in articles}
    # What links may point at, and its hash: made again only when one of its inputs changed (an
    # article's address, date or status, a file, a setting), not on an edit of a body or a title.
    keyed_known = cached(
        "checks-known",
        "link targets",
        _link_targets,
        content,
        frozenset(c.slug for c in settings.categories) if settings else frozenset(),
        frozenset(a.slug for a in articles),
        settings.domain if settings else "",
        listed("published-files", content, _published_files, content),
        targets,
        aliases or {},
        urlsplit(settings.url).path or "/" if settings else "/",
    )
    known = keyed_known.value
    # An article's own checks read only the article and the word lists; its links also the site's
    # slugs, what exists on disk (``listing``: every file's path) and which articles are published
    # yet. Two steps, so that a new article (new slugs, a new file) checks every other article's
    # links again, not all of its text. With their inputs unchanged they are reused.
    # Hashed once, not compared per article; and not hashed again on the preview's next load when
    # equal to the last ones (comparing is far cheaper than hashing).
    keyed_lists = cached("checks-keyed", "word lists", Keyed, lists)
    ids: dict[str, frozenset[str]] = {}  # every page's anchors, and the links to them: checked once all are known
    anchored: list[tuple[str, int, str, str, str]] = []
    for article in articles:
        rel = shown[article.src]
        first, rest, ids[article.src], wild, linking = cached(
            "checks", article.src, _check_text, article, rel, keyed_lists, durable=True
        )
        if wild:
            found += first
            continue
        # An article without a link looks nothing up: its (empty) outcome is kept whatever the
        # site's targets are, so a new article checks again only the articles that link somewhere.
        around = (keyed_known, listing) if linking else (None, None)
        linked, links_out = cached("links", article.src, _check_links, article, rel, *around, durable=True)
        found += first + linked + rest  # in _check_document's order
        anchored += [(rel, *link) for link in links_out]
    for page in _pages(content, root):
        wild = limits.pathological(page.rel, page.body, page.body_line)
        # 政府信息公开 pages are rendered by the section (site_builder/xxgk), which resolves their
        # links itself (``catalogue/``, ``../cleanups/``): checked by its own rules (xxgk/check_links.py).
        section_page = page.src.startswith(f"{SECTION_DIR}/")
        found += wild or _check_document(page, lists, known, check_links=not section_page)
        if section_page and section is not None and not wild:
            found += section_links(page, known, section)
        if not wild and not section_page:
            ids[page.src] = links.anchor_ids(page.masked)
            anchored += [(page.rel, *link) for link in links.anchor_links(page, known)]
    found += links.check_anchors(anchored, ids)
    # A missing image or a broken link (E3xx, reported here as the build resolves them) leaves the
    # article as unfinished as a bad header does: the site-wide checks would only add noise.
    complete = complete and not any(p.code.startswith("E3") for p in found)
    if complete and settings is not None:
        found += titles.duplicates(articles, shown)
        site_yml = content / "site.yml"
        text = site_yml.read_text(encoding="utf-8-sig") if site_yml.is_file() else ""
        found += freshness.check(settings, articles, now, f"{root}/site.yml", text)
    site_levels = dict(settings.check_levels) if settings else {}
    allow = {shown[a.src]: a.allow for a in articles if a.allow}
    return levels.apply(found, site_levels, allow)


def _link_targets(
    content, category_slugs, article_slugs, own_domain, files, articles, aliases, base
) -> Keyed[links.Known]:
    """What links may point at (``links.make_known``), with its hash for the articles' link checks."""
    known = links.make_known(
        content=content,
        category_slugs=category_slugs,
        article_slugs=article_slugs,
        own_domain=own_domain,
        files=files,
        articles=articles,
        aliases=aliases,
        base=base,
    )
    return Keyed(known)


def _check_text(article: Article, rel: str, lists: Keyed):
    """An article's checks that read neither other pages nor the disk: problems before and after
        where _check_document puts the links', its anchors, whether its body was refused outright, and
    whether it has a link at all (what ``links.check`` and ``links.anchor_links`` would go through).
        Pathological bodies are refused before any other pattern runs over them."""
    wild = limits.pathological(rel, article.body, article.body_line)
    if wild:
        return wild, [], frozenset(), True, True
    doc = Document(article.src, rel, article.body, article.body_line, article)
    rest = placeholders.check(doc) + dates.check(doc) + docnos.check(doc) + wording.check(doc, lists.value)
    rest += titles.check_one(article, rel)
    return rendered.check(doc), rest, links.anchor_ids(doc.masked), False, links.has_links(doc)


def _check_links(article: Article, rel: str, known: Keyed | None, disk: str | None):
    """Its links' problems and its links to anchors; ``disk`` is the fingerprint of every file's path.
    None for both: the article has no link (``_check_text``), nothing to look up."""
    if known is None:
        return [], []
    doc = Document(article.src, rel, article.body, article.body_line, article)
    return links.check(doc, known.value), links.anchor_links(doc, known.value)


def _check_document(doc: Document, lists, known: links.Known, check_links: bool = True) -> list[Problem]:
    found = rendered.check(doc)  # what the sanitiser would remove from the rendered body
    if check_links:
        found += links.check(doc, known)
    found += placeholders.check(doc)
    found += dates.check(doc)
    found += docnos.check(doc)
    found += wording.check(doc, lists)
    if doc.article is not None:
        found += titles.check_one(doc.article, doc.rel)
    return found
