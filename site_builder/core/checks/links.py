"""Links and images in bodies: alt text, targets that resolve, where outbound links go.

`check` must refuse every link the build refuses, and say so in the same words, so
Markdown links are read with Python-Markdown's own link parser (spaces, nested
brackets, titles and escapes as the build reads them) and resolved the way MkDocs
resolves them: the path unquoted, joined to the file's folder, then looked up
exactly (case, full-width characters and extensions included) among the files the
site publishes. A draft or a scheduled article is not published, so a link to it
is an error too (MkDocs would publish it as a link to a missing page).

Links written as site addresses (``/articles/slug/``, ``https://<own domain>/…``)
and the links of raw HTML (which MkDocs leaves as they are) are resolved as the
browser will: against the site's addresses.
"""

from __future__ import annotations

import datetime as dt
import html
import ipaddress
import itertools
import posixpath
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
from markdown.blockprocessors import ReferenceProcessor
from markdown.inlinepatterns import LINK_RE, LinkInlineProcessor
from pymdownx.slugs import slugify

from site_builder.core.checks.html import unsafe_url
from site_builder.core.checks.text import Document
from site_builder.core.model import PUBLISHED
from site_builder.core.problems import Problem, problem

GENERATED = frozenset({"archive", "tags", "search", "wechat", "feeds", "cleanups", "xxgk"})  # made by pages.plan()
SITE_FILES = frozenset({"sitemap.xml", "robots.txt", "404.html"})  # written by every build
DATA_SUFFIXES = (".yml", ".yaml")  # site data: never published (plugin.py removes them)

_MARKDOWN = markdown.Markdown()
_MARKDOWN.treeprocessors["inline"].stashed_nodes = {}  # nothing stashed: unescape() leaves text alone
_PARSER = LinkInlineProcessor(LINK_RE, _MARKDOWN)  # Python-Markdown's own `[text](url "title")`
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!])")
_BLOCK = re.compile(r"\n[ \t]*\n")
_OPEN = re.compile(r"!?\[")
# mkdocs.yml's toc slugify (tests/test_parity_links.py keeps the two the same): heading ids.
_TOC_SLUG = slugify(case="lower")
_ATX = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_UNDERLINE = re.compile(r"\n[ ]{0,3}(?:=+|-+)[ \t]*$", re.M)  # a setext heading's second line
_HEADING_ATTRS = re.compile(r"[ \t]*\{:?([^{}\n]*)\}[ \t]*$")
_ID_ATTR = re.compile(r"#([^\s#.{}]+)")
_ANY_ATTRS = re.compile(r"\{:?[^{}\n]*?#([^\s#.{}]+)[^{}\n]*\}")
_HTML_ID = re.compile(r"""<[A-Za-z][^<>]*?\s(?:id|name)\s*=\s*["']?([^"'\s>]+)""")
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_INLINE_MARK = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|<[^<>]+>|[*_`~]")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])([^<>]*)>?")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")


@dataclass(frozen=True)
class Target:
    """An article as a link target: its address and whether it is on the site yet."""

    src: str
    slug: str
    status: str  # published | scheduled | draft (model.Article.status)
    date: dt.datetime


@dataclass(frozen=True)
class Known:
    """What an internal link may point at: files, articles, generated pages, old addresses."""

    content: Path
    category_slugs: frozenset[str]
    article_slugs: frozenset[str]
    own_domain: str
    files: frozenset[str] = frozenset()  # every file the site publishes as it is (content-relative)
    articles: Mapping[str, Target] = field(default_factory=dict)  # by src
    aliases: Mapping[str, str] = field(default_factory=dict)  # old site path (no leading /) -> article src
    base: str = "/"  # the path of the site's URL
    # derived from the above by make_known(), once per check run
    by_slug: Mapping[str, Target] = field(default_factory=dict)
    pages: frozenset[str] = frozenset()  # site paths of plain pages (about/x/)
    near: Mapping[str, str] = field(default_factory=dict)  # loose form of each file -> the file


def make_known(**values) -> Known:
    known = Known(**values)
    pages = frozenset(_page_url(f, known) for f in known.files if f.endswith(".md") and f not in known.articles)
    near: dict[str, str] = {}
    for name in sorted(known.files):
        near.setdefault(loose(name), name)
    by_slug = {t.slug: t for t in known.articles.values()}
    return Known(**values, by_slug=by_slug, pages=pages, near=near)


def loose(path: str) -> str:
    """What a hand-typed path may differ in: case, full-width forms (NFKC), spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", path)).casefold()


def published_files(content: Path, every: list[str]) -> frozenset[str]:
    """The files MkDocs publishes from content/ (``every``: all paths, content-relative):
    not hidden ones (MkDocs' default exclude_docs) nor site data."""
    return frozenset(
        p for p in every if not any(part.startswith(".") for part in p.split("/")) and not p.endswith(DATA_SUFFIXES)
    )


# --- reading links as Python-Markdown reads them --------------------------------------


def _escaped(text: str, at: int) -> bool:
    backslashes = 0
    while at > backslashes and text[at - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _markdown_links(doc: Document) -> list[tuple[int, str, bool, str]]:
    """markdown_links of a document, read once for both the link and the anchor checks."""
    cached = doc.__dict__.get("_markdown_links")
    if cached is None:
        cached = doc.__dict__["_markdown_links"] = list(markdown_links(doc.masked))
    return cached


def markdown_links(masked: str) -> Iterator[tuple[int, str, bool, str]]:
    """(offset, url, is_image, text) of every inline link and image, as Python-Markdown
    parses them (one block at a time, as it does), and every reference definition."""
    bounds = [0] + [m.end() for m in _BLOCK.finditer(masked)] + [len(masked) + 1]
    for offset, end in itertools.pairwise(bounds):
        block = masked[offset : end - 1]
        if "](" not in block:
            continue  # no inline link in this block (most paragraphs): nothing to parse
        for opened in _OPEN.finditer(block):
            at = opened.start()
            if _escaped(block, at):
                continue
            image = opened[0] == "!["
            text, index, handled = _PARSER.getText(block, opened.end())
            if not handled or index >= len(block) or block[index] != "(":
                continue
            url, _title, _end, handled = _PARSER.getLink(block, index)
            if handled:
                yield offset + at, _ESCAPED.sub(r"\1", url), image, text
    for match in ReferenceProcessor.RE.finditer(masked):
        if not match[1].startswith("^"):  # [^1]: … is a footnote (its extension reads it first)
            yield match.start(), match[2].lstrip("<").rstrip(">"), False, None


def html_links(masked: str) -> Iterator[tuple[int, str, bool, str | None]]:
    """(offset, url, is_image, alt) of raw ``<a href>`` and ``<img src>``."""
    for match in _TAG.finditer(masked):
        tag = match[2].lower()
        if match[1] or tag not in {"a", "img"}:
            continue
        attrs = {a[1].lower(): _attr_value(a[2]) for a in _ATTR.finditer(match[3])}
        key = "src" if tag == "img" else "href"
        yield match.start(), attrs.get(key), tag == "img", attrs.get("alt", "") if tag == "img" else None


def _attr_value(raw: str | None) -> str:
    if raw is None:
        return ""
    return raw[1:-1] if raw[:1] in "\"'" and raw[-1:] == raw[:1] and len(raw) > 1 else raw


def _short(value: str, limit: int = 80) -> str:
    value = re.sub(r"[ \t\r\n]+", " ", value)  # a full-width space stays visible
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- resolving ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Miss:
    """Why a link does not lead to a published page: a problem code and its values."""

    code: str
    values: dict


def _page_url(src: str, known: Known) -> str:
    """The site path (no leading /) of the page made from ``src``."""
    target = known.articles.get(src)
    if target is not None:
        return f"articles/{target.slug}/"
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _unpublished(target: Target, doc: Document, value: str) -> Miss | None:
    """A link to an article that is not on the site when the linking page is."""
    source = doc.article
    if source is not None and source.draft:
        return None  # a draft is checked again when it is published
    if target.status == PUBLISHED:
        return None
    if target.status == "scheduled" and source is not None and not source.draft and target.date <= source.date:
        return None  # both scheduled: the target is out by the time this one is
    state = "草稿" if target.status == "draft" else f"定时发布，{target.date:%Y-%m-%d %H:%M} 才发布"
    return Miss("E330", {"value": value, "state": state})


def _suggest(doc: Document, missing: str, known: Known) -> tuple[str, str] | None:
    """A published file the author probably meant, and how the link differs from it."""
    for guess, why in (
        (missing, None),
        (missing + ".md", "少了扩展名 .md"),
        (missing.rstrip("/") + ".md", "写成了网址，不是文件"),
        (missing.rstrip("/") + "/index.md", "写成了网址，不是文件"),
    ):
        found = known.near.get(loose(guess))
        if found is None or found == missing:
            continue
        if why is None:
            if found.casefold() == missing.casefold():
                why = "大小写不同"
            elif unicodedata.normalize("NFKC", found) == unicodedata.normalize("NFKC", missing):
                why = "全角、半角字符不同（例如全角空格“　”）"
            else:
                why = "空格或大小写不同"
        return found, why
    return None


def _relative(url: str, path: str, doc: Document, known: Known, image: bool) -> Miss | None:
    """A Markdown link: MkDocs looks the joined path up among the site's files, exactly."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.src), path).lstrip("/"))
    value = _short(url)
    if target == ".." or target.startswith("../"):
        return Miss("E711", {"what": "位置（在 content/ 之外）", "value": value})
    if target in known.files:
        article = known.articles.get(target)
        if article is not None:
            return _unpublished(article, doc, value)
        if target.startswith("news/") and target.endswith(".md"):
            return Miss("E330", {"value": value, "state": "这个文件不会作为文章发布"})
        return None
    parts = target.split("/")
    generated = parts[0] in GENERATED or (parts[0] == "news" and len(parts) > 1 and parts[1] in known.category_slugs)
    if (generated or target in {"index.md", "news/index.md"}) and target.endswith(".md"):
        return None  # a page the site makes (its MkDocs name ends in index.md)
    guess = _suggest(doc, target, known)
    if guess is None and parts[0] == "articles" and len(parts) > 1 and parts[1] in known.by_slug:
        guess = known.by_slug[parts[1]].src, "写成了网址，不是文件"
    if guess is None and (generated or target in {".", "news"}):
        guess = (target.rstrip("/") + "/index.md").removeprefix("./"), "写成了网址，不是文件"
    if guess is not None:
        found, why = guess
        suggested = posixpath.relpath(found, posixpath.dirname(doc.src) or ".")
        return Miss("E331", {"value": value, "found": found, "why": why, "suggested": suggested})
    if image:
        return Miss("E310", {"value": url})
    return Miss("E711", {"what": "文章或文件" if target.endswith(".md") else "文件", "value": value})


def _site(url: str, path: str, doc: Document, known: Known) -> Miss | None:
    """A site address (``/articles/x/``, own-domain URL, raw HTML): what the browser will open."""
    value = _short(url)
    path = unquote(path)
    if not path.startswith(known.base):
        return Miss("E332", {"value": value, "hint": f"本网站的网址都以 {known.base} 开头。"})
    rest = path[len(known.base) :]
    page = rest.removesuffix("index.html")
    if page == "" or rest in SITE_FILES or (rest in known.files and not rest.endswith(".md")):
        return None
    if page and not page.endswith("/") and "." not in page.rsplit("/", 1)[-1]:
        page += "/"  # /articles/x: servers answer with a redirect to /articles/x/
    parts = page.rstrip("/").split("/")
    if parts[0] == "articles" and len(parts) == 2 and page.endswith("/"):
        target = known.by_slug.get(parts[1])
        if target is not None:
            return _unpublished(target, doc, value)
    moved = known.aliases.get(page) or known.aliases.get(page.rstrip("/")) or known.aliases.get(page + "index.html")
    if moved is not None:  # an old address: its redirect page is published with the article
        return _unpublished(known.articles[moved], doc, value) if moved in known.articles else None
    generated = parts[0] in GENERATED or (parts[0] == "news" and len(parts) > 1 and parts[1] in known.category_slugs)
    if (generated or page == "news/") and page.endswith("/"):
        return None
    if page in known.pages:
        return None
    source = next((f for f in (rest, page.rstrip("/") + ".md", page + "index.md") if f in known.articles), None)
    if source is not None:
        address = known.base + f"articles/{known.articles[source].slug}/"
        hint = f"这篇文章在网站上的网址是 {address}；也可以写文章文件的相对路径。"
        return Miss("E332", {"value": value, "hint": hint})
    return Miss(
        "E332", {"value": value, "hint": "核对网址；链接站内文章时写文章文件的相对路径，例如 ../2020/tuijinhui.md。"}
    )


def _internal(url: str, doc: Document, known: Known, image: bool, raw_html: bool) -> Miss | None:
    parts = urlsplit(url)
    if not parts.path:
        return None  # an anchor or query on the same page
    if url.startswith(("/", "\\")):
        return _site(url, parts.path, doc, known)
    if raw_html:  # MkDocs leaves raw HTML alone: the browser resolves it from the page's address
        here = known.base + _page_url(doc.src, known)
        return _site(
            url,
            posixpath.normpath(posixpath.join(here, unquote(parts.path))) + "/" * parts.path.endswith("/"),
            doc,
            known,
        )
    return _relative(url, unquote(parts.path), doc, known, image)


def _outbound(url: str, known: Known) -> str | None:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host or host == known.own_domain:
        return None
    try:
        ipaddress.ip_address(host)
        return "W713"
    except ValueError:
        pass
    if host == "gov.cn" or host.endswith(".gov.cn"):
        return None
    return "W712"


def _target(
    doc: Document, line: int, target: str, image: bool, alt: str | None, known: Known, raw_html: bool = False
) -> list[Problem]:
    found = []
    if image and alt is not None and not alt.strip():
        found.append(problem("E710", doc.rel, line, value=_short(target)))
    if unsafe_url(target, image=image):
        return found  # what the sanitiser removes is reported by checks.rendered
    lowered = target.lower()
    if lowered.startswith(("http://", "https://", "//")):
        absolute = target if not target.startswith("//") else "https:" + target
        code = _outbound(absolute, known)
        if code:
            found.append(problem(code, doc.rel, line, value=_short(target)))
        elif known.own_domain and (urlsplit(absolute).hostname or "").lower().rstrip(".") == known.own_domain:
            miss = _site(target, urlsplit(absolute).path or "/", doc, known)
            if miss:
                found.append(problem(miss.code, doc.rel, line, **miss.values))
    elif not re.match(r"^[a-z][a-z0-9+.-]*:|^#", lowered):
        miss = _internal(target, doc, known, image, raw_html)
        if miss:
            found.append(problem(miss.code, doc.rel, line, **miss.values))
    return found


def has_links(doc: Document) -> bool:
    """Whether ``check`` and ``anchor_links`` have anything to look at in ``doc``."""
    return bool(_markdown_links(doc)) or next(html_links(doc.masked), None) is not None


def check(doc: Document, known: Known) -> list[Problem]:
    found = []
    for offset, target, image, text in _markdown_links(doc):
        found += _target(doc, doc.line(offset), target, image, text if image else None, known)
    for offset, target, image, alt in html_links(doc.masked):
        line = doc.line(offset)
        if target is None:
            if image:
                found.append(problem("E710", doc.rel, line, value="<img>"))
            continue
        if unsafe_url(target, image=image):
            continue  # reported by checks.rendered
        found += _target(doc, line, target, image, alt, known, raw_html=True)
    return found


# --- anchors (#…) as the build finds them -------------------------------------------------


def _heading_text(raw: str) -> str:
    text = _INLINE_MARK.sub(lambda m: m[1] if m[1] is not None else "", raw)
    return html.unescape(text).strip()


def anchor_ids(masked: str) -> frozenset[str]:
    """The ids a page's rendered body has: headings (toc, made unique as toc does), attribute
    lists ``{#id}``, raw HTML ``id=``/``name=``, footnotes."""
    ids: set[str] = set(_ANY_ATTRS.findall(masked)) | set(_HTML_ID.findall(masked))
    for label in _FOOTNOTE.findall(masked):
        ids |= {f"fn:{label}", f"fnref:{label}"}
    headings = [(m.start(), m[1]) for m in _ATX.finditer(masked)]
    for m in _UNDERLINE.finditer(masked):
        above = masked[masked.rfind("\n", 0, m.start()) + 1 : m.start()]
        if above.strip() and not above.lstrip().startswith(("#", "-", "=")):
            headings.append((m.start() - len(above), above))
    for _at, raw in sorted(headings):
        attrs = _HEADING_ATTRS.search(raw)
        given = _ID_ATTR.search(attrs[1]) if attrs else None
        if given:
            continue  # already among the attribute-list ids
        base = _TOC_SLUG(_heading_text(raw[: attrs.start()] if attrs else raw), "-")
        unique = base
        while unique in ids or not unique:
            numbered = re.match(r"^(.*)_([0-9]+)$", unique)
            unique = f"{numbered[1]}_{int(numbered[2]) + 1}" if numbered else f"{unique}_1"
        ids.add(unique)
    return frozenset(ids)


def anchor_links(doc: Document, known: Known | None = None) -> list[tuple[int, str, str, str]]:
    """(line, target src, anchor, as written) of Markdown links with an anchor, to be checked
    once every page's ids are known: relative links, as MkDocs checks them, and an article's
    site address (``/articles/x/#…``, the site's own https URL), as the built site's check does."""
    found = []
    for offset, url, image, _text in _markdown_links(doc):
        parts = urlsplit(url)
        if image or not parts.fragment:
            continue
        if re.match(r"^[a-z][a-z0-9+.-]*:|^/|^\\", url.lower()):
            target = _article_at(url, parts, known)
            if target is not None:
                found.append((doc.line(offset), target, unquote(parts.fragment), _short(url)))
            continue
        path = unquote(parts.path)
        target = doc.src if not path else posixpath.normpath(posixpath.join(posixpath.dirname(doc.src), path))
        found.append((doc.line(offset), target, unquote(parts.fragment), _short(url)))
    for offset, url, image, _alt in html_links(doc.masked):  # raw <a href>: an address, as the browser reads it
        parts = urlsplit(url or "")
        if image or not parts.fragment:
            continue
        if not parts.path:
            target = doc.src
        elif re.match(r"^[a-z][a-z0-9+.-]*:|^/", url.lower()):
            target = _article_at(url, parts, known)
        elif known is not None and doc.article is not None:  # relative to the article's own address
            address = posixpath.normpath(posixpath.join(f"{known.base}articles/{doc.article.slug}/", parts.path))
            target = _article_at(address + "/", urlsplit(address + "/"), known)
        else:
            target = None
        if target is not None:
            found.append((doc.line(offset), target, unquote(parts.fragment), _short(url)))
    return found


def _article_at(url: str, parts, known: Known | None) -> str | None:
    """The source of the article a site address (``/articles/<slug>/``) opens, if it is one."""
    if known is None:
        return None
    if parts.scheme in ("http", "https"):
        if not known.own_domain or (parts.hostname or "").lower().rstrip(".") != known.own_domain:
            return None
    elif not url.startswith("/"):
        return None
    path = unquote(parts.path)
    if not path.startswith(known.base):
        return None
    pieces = path[len(known.base) :].removesuffix("index.html").rstrip("/").split("/")
    if len(pieces) != 2 or pieces[0] != "articles":
        return None
    target = known.by_slug.get(pieces[1])
    return target.src if target is not None else None


def check_anchors(links: list[tuple[str, int, str, str, str]], ids: Mapping[str, frozenset[str]]) -> list[Problem]:
    """``links``: (shown file, line, target src, anchor, as written); ``ids``: each page's anchors."""
    found = []
    for rel, line, target, anchor, value in links:
        present = ids.get(target)
        if present is None or anchor in present:
            continue  # not a page of ours (reported elsewhere if missing) or the anchor is there
        near = sorted(present, key=lambda i: (not i.startswith(anchor[:2]), i))[:5]
        choices = "、".join(f"#{i}" for i in near) or "（这一页没有小标题）"
        found.append(problem("E337", rel, line, value=value, anchor=anchor, choices=choices))
    return found


# --- the build's own link warnings, in our words ------------------------------------------

_MKDOCS_LINK = re.compile(
    r"^Doc file '(?P<src>.+?)' contains (?:a link|an unrecognized relative link) '(?P<url>.+?)'"
    r"(?:, but the doc '.+?' does not contain an anchor '(?P<anchor>.+?)')?"
)


def from_mkdocs(message: str, content: Path, root: str) -> Problem | None:
    """MkDocs' English link warning as a located, coded Chinese problem (its text kept as detail).

    `check` is meant to find these first; this is the net under it, so a staff member
    never reads MkDocs' English alone."""
    match = _MKDOCS_LINK.match(message)
    if match is None:
        return None
    src, url = match["src"], match["url"]
    line = 0
    try:
        text = (content / src).read_text(encoding="utf-8-sig")
        at = text.find(url)
        line = text.count("\n", 0, at) + 1 if at >= 0 else 0
    except (OSError, UnicodeDecodeError):
        pass
    what = f"锚点 {match['anchor']}" if match["anchor"] else "目标"
    return problem("E333", f"{root}/{src}", line, value=_short(url), what=what, detail=message)
