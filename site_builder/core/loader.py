"""Load and validate everything under content/, reporting every problem in one run."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from site_builder.core import checks, frontmatter, kind_list
from site_builder.core.kinds import Loading
from site_builder.core.memo import FileState, Keyed, cached, file_state, fingerprint, forget, listed
from site_builder.core.model import Article, Site
from site_builder.core.news import redirects
from site_builder.core.news.articles import build_article, found_on_disk, references, unique_keys
from site_builder.core.problems import Problem, Problems, problem
from site_builder.core.settings import load_settings
from site_builder.core.textfile import read_text

NEWS_DIR = "news"
PAGE_FIELDS = ("title", "summary", "description", "hide", "search", "template")  # MkDocs page fields


def display_root(content: Path) -> str:
    """How paths are shown to authors: relative to where they run the command."""
    try:
        return Path(os.path.relpath(content.resolve(), Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        return content.resolve().as_posix()


def markdown_files(content: Path) -> tuple[list[tuple[str, str]], str]:
    """Every Markdown file as its path and its path under ``content`` (posix), in a stable order,
    skipping hidden and temporary files; and a fingerprint of every file's path (whether a linked
    image or attachment exists). Strings, not a Path per file: the preview lists 20,000 articles
    on every edit."""
    found, every = [], []
    for root, dirs, files in os.walk(content):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        folder = Path(os.path.relpath(root, content)).as_posix()
        prefix = "" if folder == "." else folder + "/"
        for name in sorted(files):
            every.append(f"{root}/{name}")
            if name.endswith(".md") and not name.startswith((".", "~$")):
                found.append((os.path.join(root, name), prefix + name))
    return found, fingerprint(every)


def _read_and_parse(
    path: str, rel: str, src: str | None
) -> tuple[bool, frontmatter.FrontMatter | None, list[Problem], Header]:
    """Whether the file could be read, its header parsed and, for an article (``src``), what its
    header says the loader needs before the article is built; ``site-builder serve`` reloads
    everything on each edit, and re-parsing two thousand unchanged headers would take most of its
    one-second budget."""
    state = file_state(path)
    if state is None:
        read, front, found, header = _parse(FileState(str(path), -1, -1), rel, src)
    else:
        read, front, found, header = cached("parsed", str(path), _parse, state, rel, src, durable=True)
        if not read:
            forget("parsed", str(path))  # unreadable now (a lock, a permission): read again next time
    return read, front, list(found), header


@dataclass(frozen=True)
class Header:
    """What an article's header says before the article is built: its slug and index_no for the
    site-wide duplicate checks (``unique_keys``), and the files it names (``references``). A
    dataclass: the build cache reads back nothing but plain data (memo.Store)."""

    keys: dict[str, tuple[str, int]]
    references: tuple[tuple[str, str | None], ...]


NO_HEADER = Header({}, ())


def _parse(
    state: FileState, rel: str, src: str | None
) -> tuple[bool, frontmatter.FrontMatter | None, tuple[Problem, ...], Header]:
    """Only the header and problems are kept: the text itself is in the header's body (and would
    double what the build cache holds of each file)."""
    file = read_text(Path(state.path), rel)
    if isinstance(file, Problem):
        return False, None, (file,), NO_HEADER
    front, found = frontmatter.parse(file.text, rel)
    if src is None or front is None:
        return True, front, tuple(found), NO_HEADER
    return True, front, tuple(found), Header(unique_keys(front, src), references(front, rel))


def _article(front, src: str, rel: str, content: Path, settings: Keyed, disk: tuple[tuple[str, int], ...]):
    """``build_article``, which also looks on disk for the cover and attachments: ``disk`` is each
    of them with its size (-1: none there), so a file appearing, going or changing runs it again."""
    return build_article(front, src, rel, content, settings.value)


def load_site(content: Path, now: dt.datetime) -> tuple[Site | None, list[Problem]]:
    """Read content/; the Site is None when any error was found."""
    content = content.resolve()
    folder = str(content)
    root = display_root(content)
    problems = Problems()
    settings, found = load_settings(content, root)
    problems.extend(found)
    articles: list[Article] = []
    keys: dict[str, dict[str, tuple[str, int]]] = {}  # article src -> slug / index_no with their lines
    paths, listing = listed("markdown-files", content, markdown_files, content)
    keyed_settings = Keyed(settings)  # read by every article: hashed once, not compared two thousand times
    for path, src in paths:
        rel = f"{root}/{src}"
        news = src.startswith(NEWS_DIR + "/")
        read, front, found, header = _read_and_parse(path, rel, src if news else None)
        if not read:
            problems.extend(found)
            continue
        if not news:
            problems.extend(_page_problems(found, front, rel))
            continue
        problems.extend(found)
        if front is None:
            continue
        if not front.fields and any(p.is_error for p in found):
            continue  # the header could not be read at all: "title missing" etc. would only be noise
        keys[src] = header.keys
        if settings is None:
            continue
        disk = found_on_disk(folder, header.references)
        article, found = cached("article", src, _article, front, src, rel, content, keyed_settings, disk, durable=True)
        found = list(found)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    problems.extend(_duplicates(keys, root))
    problems.extend(_claimed_twice(articles, content, root))
    slugs = {key["slug"][0] for key in keys.values() if "slug" in key}
    loading = Loading(content, root, settings, now, articles, slugs, loaded={})
    for kind in kind_list.KINDS:  # 规范性文件清理, 政府信息公开 …, each from its own folder
        loading.loaded[kind.name], found = kind.load(loading)
        problems.extend(found)
    # Content checks: one call, so `check` and `build` refuse the same things.
    aliases = {alias: a.src for a in articles for alias in a.aliases}
    problems.extend(
        checks.run(
            content,
            root,
            settings,
            articles,
            now,
            complete=not problems.errors,
            listing=listing,
            aliases=aliases,
            section=loading.loaded.get("xxgk"),
        )
    )
    if problems.errors or settings is None:
        return None, problems.sorted()
    return Site(settings=settings, articles=articles, now=now, sections=loading.loaded), problems.sorted()


def _page_problems(found: list[Problem], front: frontmatter.FrontMatter | None, rel: str) -> list[Problem]:
    """Plain pages (not news) may have no header; a broken one is still reported."""
    if front is None:
        return []
    result = list(found)
    for name, value in front.fields.items():
        if name not in PAGE_FIELDS:
            result.append(
                problem("E302", rel, value.line, field=name, suggestion=f"普通页面只能写 {'、'.join(PAGE_FIELDS)}。")
            )
    return result


def _duplicates(keys: dict[str, dict[str, tuple[str, int]]], root: str) -> list[Problem]:
    found = []
    seen: dict[tuple[str, str], tuple[str, int]] = {}  # (attribute, key) -> the first file with it, its line
    for src in sorted(keys):  # once: the preview checks every article on each edit
        for attribute, (key, line) in keys[src].items():
            first = seen.setdefault((attribute, key), (src, line))
            if first[0] != src:
                code = "E306" if attribute == "slug" else "E307"
                found.append(problem(code, f"{root}/{src}", line, value=key, other=f"{root}/{first[0]}:{first[1]}"))
    return found


def _claimed_twice(articles: list[Article], content: Path, root: str) -> list[Problem]:
    """An old address (aliases) names one article only, is no article's own address and no file."""
    found = []
    if not any(article.aliases for article in articles):  # most sites: nothing to look up
        return found
    owner = {f"articles/{a.slug}": f"{root}/{a.src}:{a.lines.get('slug', 1)}" for a in articles}
    for article in sorted(articles, key=lambda a: a.src):
        line = article.lines.get("aliases", 1)
        for alias in article.aliases:
            key = redirects.claim(alias)
            page = redirects.page_path(alias)
            if key in owner:
                found.append(problem("E336", f"{root}/{article.src}", line, value="/" + alias, other=owner[key]))
            elif (content / page).exists() or (content / alias).exists():
                other = f"{root}/{page if (content / page).exists() else alias}"
                found.append(problem("E336", f"{root}/{article.src}", line, value="/" + alias, other=other))
            else:
                owner[key] = f"{root}/{article.src}:{line}"
    return found
