"""Links in the section's Markdown pages (content/xxgk/*.md), checked by `site-builder check` with file:line.

The section renders these pages itself (pages.relink): a link is relative to the
Markdown file, as anywhere else, but it may name a page of the site by its
address (``catalogue/``, ``../cleanups/library/``) as well as a file
(``../news/2021/a.md``). Files are checked as every page's links are
(checks.links); addresses are checked against what the build makes, the
section's own parts exactly, so a mistyped ``catalog/`` is found before the
build instead of by the built-site check (E771) without a line number.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from site_builder.core.checks import links
from site_builder.core.checks.html import unsafe_url
from site_builder.core.checks.text import Document
from site_builder.core.problems import Problem, problem
from site_builder.core.xxgk.load import SECTION_DIR, Section

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^//")


def section_urls(section: Section) -> frozenset[str]:
    """Every page address the section makes (site paths, no leading /)."""
    urls = {f"{SECTION_DIR}/", *(p.url for p in section.parts)}
    if section.part("annual") is not None:
        urls |= {r.url for r in section.reports.values()}
    return frozenset(urls)


def check_page(doc: Document, known: links.Known, section: Section) -> list[Problem]:
    found: list[Problem] = []
    every = [(o, t, image, text if image else None, False) for o, t, image, text in links._markdown_links(doc)]
    every += [(o, t, image, alt, True) for o, t, image, alt in links.html_links(doc.masked) if t is not None]
    for offset, target, image, alt, raw in sorted(every, key=lambda x: x[0]):
        line = doc.line(offset)
        path = unquote(urlsplit(target).path)
        if _SCHEME.match(target) or target.startswith(("/", "\\")) or not path or unsafe_url(target, image=image):
            found += links._target(doc, line, target, image, alt, known, raw_html=raw)  # as on every page
            continue
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(doc.src), path))
        if path.endswith(".md") or joined in known.files or joined.startswith("../") or joined == "..":
            found += links._target(doc, line, target, image, alt, known)  # a file: as on every page
            continue
        page = joined.rstrip("/") + "/" if joined != "." else ""  # "." is the home page
        if page.startswith(f"{SECTION_DIR}/"):
            if page not in section_urls(section):
                shown = "、".join(u.removeprefix(f"{SECTION_DIR}/") or "./" for u in sorted(section_urls(section)))
                hint = f"本专栏的页面有：{shown}（相对于 {SECTION_DIR}/ 中的文件）；链接文章时写文章文件的相对路径。"
                found.append(problem("E332", doc.rel, line, value=links._short(target), hint=hint))
            continue
        miss = links._site(target, known.base + page, doc, known)
        if miss:
            found.append(problem(miss.code, doc.rel, line, **miss.values))
    return found
