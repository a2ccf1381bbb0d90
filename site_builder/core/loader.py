"""Load and validate everything under content/, reporting every problem in one run."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from site_builder.core import checks, frontmatter
from site_builder.core.cleanups.load import load_batches
from site_builder.core.memo import derived, fingerprint
from site_builder.core.model import Article, Site
from site_builder.core.news import redirects
from site_builder.core.news.articles import build_article, unique_keys
from site_builder.core.problems import ContentError, Problem, Problems, problem
from site_builder.core.settings import load_settings
from site_builder.core.textfile import TextFile, read_text

NEWS_DIR = "news"
PAGE_FIELDS = ("title", "summary", "description", "hide", "search", "template")  # MkDocs page fields


def display_root(content: Path) -> str:
    """How paths are shown to authors: relative to where they run the command."""
    try:
        return Path(os.path.relpath(content.resolve(), Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        return content.resolve().as_posix()


def markdown_files(content: Path) -> tuple[list[Path], str]:
    """Every Markdown file, in a stable order, skipping hidden and temporary files; and a
    fingerprint of every file's path (whether a linked image or attachment exists)."""
    found, every = [], []
    for root, dirs, files in os.walk(content):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            every.append(f"{root}/{name}")
            if name.endswith(".md") and not name.startswith((".", "~$")):
                found.append(Path(root) / name)
    return found, fingerprint(every)


# path -> (mtime, size, rel, parsed): ``site-builder serve`` reloads everything on each edit,
# and re-parsing two thousand unchanged headers would take most of its one-second budget.
_PARSED: dict[Path, tuple[int, int, str, tuple]] = {}


def _read_and_parse(path: Path, rel: str) -> tuple[TextFile | None, frontmatter.FrontMatter | None, list[Problem]]:
    try:
        stat = path.stat()
    except OSError:
        stat = None
    cached = _PARSED.get(path)
    if stat is not None and cached and cached[:3] == (stat.st_mtime_ns, stat.st_size, rel):
        file, front, found = cached[3]
        return file, front, list(found)
    file = read_text(path, rel)
    if isinstance(file, Problem):
        return None, None, [file]
    front, found = frontmatter.parse(file.text, rel)
    if stat is not None:
        _PARSED[path] = (stat.st_mtime_ns, stat.st_size, rel, (file, front, tuple(found)))
    return file, front, found


def load_site(content: Path, now: dt.datetime) -> tuple[Site | None, list[Problem]]:
    """Read content/; the Site is None when any error was found."""
    content = content.resolve()
    root = display_root(content)
    problems = Problems()
    settings, found = load_settings(content, root)
    problems.extend(found)
    articles: list[Article] = []
    keys: dict[str, dict[str, tuple[str, int]]] = {}  # article src -> slug / index_no with their lines
    paths, listing = markdown_files(content)
    shared = (fingerprint(settings), listing)  # what every article's header also depends on
    for path in paths:
        src = path.relative_to(content).as_posix()
        rel = f"{root}/{src}"
        file, front, found = _read_and_parse(path, rel)
        if file is None:
            problems.extend(found)
            continue
        if not src.startswith(NEWS_DIR + "/"):
            problems.extend(_page_problems(found, front, rel))
            continue
        problems.extend(found)
        if front is None:
            continue
        if not front.fields and any(p.is_error for p in found):
            continue  # the header could not be read at all: "title missing" etc. would only be noise
        keys[src] = unique_keys(front, src)
        if settings is None:
            continue
        article, found = derived(
            "article", src, (front, rel, content, *shared), build_article, front, src, rel, content, settings
        )
        found = list(found)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    problems.extend(_duplicates(keys, root))
    problems.extend(_claimed_twice(articles, content, root))
    slugs = {key["slug"][0] for key in keys.values() if "slug" in key}
    batches, found = load_batches(content, root, slugs)  # content/cleanups/*.yml
    problems.extend(found)
    xxgk, found = _xxgk(content, root, settings, batches, now)  # 政府信息公开 (site_builder/xxgk)
    problems.extend(found)
    # Content checks (issue 6): one call, so `check` and `build` refuse the same things.
    aliases = {alias: a.src for a in articles for alias in a.aliases}
    problems.extend(
        checks.run(
            content, root, settings, articles, now, complete=not problems.errors, listing=listing, aliases=aliases
        )
    )
    if problems.errors or settings is None:
        return None, problems.sorted()
    return Site(settings=settings, articles=articles, now=now, cleanups=batches, xxgk=xxgk), problems.sorted()


def _xxgk(content: Path, root: str, settings, batches, now: dt.datetime):
    if settings is None:
        return None, []
    from site_builder.core.checks.levels import apply
    from site_builder.core.xxgk.load import load_section

    section, found = load_section(content, root, tuple(c.name for c in settings.categories), batches, now)
    return section, apply(found, dict(settings.check_levels), {})


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
    for attribute, code in (("slug", "E306"), ("index_no", "E307")):
        seen: dict[str, tuple[str, int]] = {}
        for src in sorted(keys):
            if attribute not in keys[src]:
                continue
            key, line = keys[src][attribute]
            if key in seen:
                first, first_line = seen[key]
                found.append(problem(code, f"{root}/{src}", line, value=key, other=f"{root}/{first}:{first_line}"))
            else:
                seen[key] = (src, line)
    return found


def _claimed_twice(articles: list[Article], content: Path, root: str) -> list[Problem]:
    """An old address (aliases) names one article only, is no article's own address and no file."""
    found = []
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


def load_or_raise(content: Path, now: dt.datetime) -> tuple[Site, list[Problem]]:
    site, found = load_site(content, now)
    if site is None:
        raise ContentError(found)
    return site, found
