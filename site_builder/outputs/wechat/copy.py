"""A paste-ready 公众号 copy of an article: one HTML fragment the WeChat editor keeps as it is.

The rules are what the WeChat editor accepts, as doocs/md and mdnice learnt them:
no ``<style>``/``<script>``/``<link>``/``<iframe>``; every style inline (inlined by
css-inline, variables resolved) with allowed properties only; no link except to
mp.weixin.qq.com, so other links become numbered references listed once per URL;
absolute https images with a caption; tables in a scroll container; lists at most
two levels deep; preformatted text keeps its spaces; a 来源 line and the canonical
URL close the copy. Input is the article body as rendered HTML, so the site build
and ``site-builder wechat`` share everything from here on.

Every build makes a copy of each recent article (core/wechat_settings.py: dated within
``wechat.recent_days`` of the newest one), so the work is one lxml parse, edits in place, one
serialization for the inliner and one pass over its output (wechat_tree.py).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
from collections.abc import Container, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import css_inline
from lxml import etree

from site_builder.core.model import Article, Settings
from site_builder.core.wechat_settings import SUMMARY_LIMIT, TITLE_LIMIT
from site_builder.outputs.built import Built
from site_builder.outputs.summary import article_summary
from site_builder.outputs.wechat import tree
from site_builder.outputs.wechat.style import ALLOWED_PROPERTIES, stylesheet

OUTPUT_DIR = "wechat"
TEXT_LIMIT = 20_000  # 正文不超过 2 万字
HTML_LIMIT = 1024 * 1024  # and under 1 MB of HTML
MAX_LIST_DEPTH = 2  # the editor shows two list levels (mdnice#163)

ALLOWED_TAGS = frozenset(
    {
        "section", "p", "span", "br", "hr", "strong", "b", "em", "i", "u", "s", "del", "sup", "sub",
        "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "table", "thead", "tbody",
        "tr", "th", "td", "figure", "figcaption", "img", "pre", "code", "a",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"img": {"src", "alt"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "a": {"href"}}
DROPPED_TAGS = frozenset(
    {"script", "style", "link", "iframe", "object", "embed", "form", "input", "button", "noscript"}
)
RENAMED_TAGS = {"div": "section", "article": "section", "aside": "section", "main": "section", "nav": "section"}
BLOCK_PARENTS = frozenset({"section", "table", "thead", "tbody", "tr", "ul", "ol", "figure", "blockquote", "li"})
WECHAT_LINK = re.compile(r"^https?://mp\.weixin\.qq\.com/")
CJK = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]"
# A newline between two CJK characters; starting with the literal "\n" lets re skip ahead to each one.
_SOFT_BREAK = re.compile(rf"\n(?<={CJK}\n)(?={CJK})")
_SPACES = re.compile(r"\s+")

_INLINER = css_inline.CSSInliner(
    inline_style_tags=False, load_remote_stylesheets=False, resolve_css_variables=True, minify_css=True
)


@dataclass
class WechatCopy:
    """What the WeChat editor needs for one article: the fragment and the 公众号 metadata."""

    slug: str
    title: str
    author: str  # 作者 = 发布机构
    summary: str
    url: str  # 原文链接: the canonical address
    html: str  # the fragment
    warnings: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.slug}.html"


@dataclass
class _References:
    """One number per distinct URL, in order of first use."""

    numbers: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    def number(self, url: str, title: str) -> int:
        if url not in self.numbers:
            self.numbers[url] = len(self.numbers) + 1
            self.titles[url] = title
        return self.numbers[url]


def make_copy(article: Article, body_html: str, settings: Settings) -> WechatCopy:
    """The 公众号 copy of ``article`` from its rendered body (links relative to its URL)."""
    canonical = settings.url + article.url
    made = fragment(body_html, article, settings, canonical)
    warnings = []
    if len(article.title) > TITLE_LIMIT:
        warnings.append(
            f"标题有 {len(article.title)} 个字，公众号标题最多 {TITLE_LIMIT} 个字：请在公众号后台粘贴标题后删减。"
        )
    summary = article_summary(article, body_html, SUMMARY_LIMIT)
    if len(summary) > SUMMARY_LIMIT:  # only a summary: written in the header is ever longer
        summary = summary[: SUMMARY_LIMIT - 1] + "…"
        warnings.append(f"摘要超过 {SUMMARY_LIMIT} 个字，已截短；可在文件头 summary 中写一段更短的摘要。")
    if len(made.body_text) >= TEXT_LIMIT:
        warnings.append(f"正文约 {len(made.body_text)} 个字，超过公众号单篇 {TEXT_LIMIT} 字的上限：请分成几篇发布。")
    if len(made.html.encode("utf-8")) >= HTML_LIMIT:
        warnings.append("正文 HTML 超过 1 MB，公众号编辑器可能无法保存：请减少表格或分篇发布。")
    for src in made.insecure_images:
        warnings.append(f"图片地址不是 https，公众号可能无法转存：{src}")
    return WechatCopy(
        slug=article.slug,
        title=article.title,
        author=article.source,
        summary=summary,
        url=canonical,
        html=made.html,
        warnings=warnings,
    )


@dataclass
class Fragment:
    html: str
    body_text: str  # the article's own text, whitespace collapsed: for the summary and the length limit
    insecure_images: list[str]


def fragment(body_html: str, article: Article, settings: Settings, base_url: str) -> Fragment:
    """The fragment for ``body_html``, whose relative links and images resolve against ``base_url``.

    One lxml parse, edits in place, one serialization for the inliner, and its output read
    back once to keep only what the editor accepts.
    """
    root = tree.parse(body_html)
    root.tag = "section"
    _drop_unsafe(root)
    body_text = _body_text(root)
    _footnotes(root)
    refs = _References()
    _links(root, base_url, refs)
    insecure = _images(root, base_url)
    _tables(root)
    _lists(root)
    _preformatted(root)
    _special_blocks(root)
    root.attrib.clear()
    root.set("class", "wx")
    _soft_breaks(root)
    if article.attachments:
        root.append(_attachments(article))
    if refs.numbers:
        root.append(_reference_list(refs))
    root.append(_source(article, base_url))
    root.tail = None
    out: list[str] = []
    tree.serialize(root, out)
    inlined = tree.parse(_INLINER.inline_fragment("".join(out), stylesheet(settings.wechat)))
    final: list[str] = [tree.escape_text(inlined.text or "")]
    for child in inlined:
        _finish(child, final)
    return Fragment("".join(final), body_text, insecure)


# --- steps, in order --------------------------------------------------------------------------


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Unsafe nodes, and heading permalinks and the table of contents (they only point inside the page).
_DROPPED = etree.XPath(
    "descendant::comment() | descendant::processing-instruction()"
    f" | descendant::*[{' or '.join(f'self::{tag}' for tag in sorted(DROPPED_TAGS))}]"
    f" | descendant::a[{_has_class('headerlink')} or {_has_class('footnote-backref')}]"
    f" | descendant::div[{_has_class('toc')}]"
)
_WORDS = etree.XPath(
    f"descendant::text()[not(ancestor::sup) and not(ancestor::*[{_has_class('footnote')}])]", smart_strings=False
)


def _drop_unsafe(root) -> None:
    for node in _DROPPED(root):
        tree.remove(node)


def _body_text(root) -> str:
    """The article's own words, without footnote markers and notes: for a default 摘要."""
    text = "".join(_WORDS(root)).replace(tree.JOIN, "")
    return _SPACES.sub(" ", _SOFT_BREAK.sub("", text)).strip()


def _footnotes(root) -> None:
    """Python-Markdown footnotes: markers become [注n], the list a plain 注释 section."""
    for ref in list(root.iter("a")):
        marker = ref.getparent()
        if marker is not None and marker.tag == "sup" and "footnote-ref" in tree.classes(ref):
            number = tree.text_of(ref)
            marker.clear(keep_tail=True)
            marker.text = f"[注{number}]"
    for block in list(root.iter("div")):
        if "footnote" not in tree.classes(block):
            continue
        notes = tree.element("section", {"class": "wx-notes"})
        notes.append(tree.element("p", {"class": "wx-heading"}, "注释"))
        items = [li for li in block.iter("li") if li.getparent().tag == "ol"]
        for number, item in enumerate(items, start=1):
            line = tree.element("p", text=f"[注{number}] ")
            for text in tree.nodes(item.text):
                if text.strip():
                    tree.append_text(line, text)
            for child in list(item):
                tail, child.tail = child.tail, None
                if child.tag == "p":
                    tree.move_contents(child, line)
                else:
                    line.append(child)
                for text in tree.nodes(tail):
                    if text.strip():
                        tree.append_text(line, text)
            notes.append(line)
        tree.replace(block, notes)


def _links(root, base_url: str, refs: _References) -> None:
    """Only mp.weixin.qq.com links survive; others keep their text and get a reference number."""
    for link in list(root.iter("a")):
        href = (link.get("href") or "").strip()
        text = tree.text_of(link).strip()
        if href.startswith("#") or not href:
            tree.unwrap(link)
            continue
        url = urljoin(base_url, href)
        if WECHAT_LINK.match(url):
            link.attrib.clear()
            link.set("href", url)
            continue
        shown = url.removeprefix("mailto:")
        if not text or text in {url, shown, href}:
            tree.replace_with_text(link, shown)  # a bare address is printed, not numbered
            continue
        number = refs.number(url, text)
        tree.insert_after(link, tree.element("sup", text=f"[{number}]"))
        tree.unwrap(link)


_INLINE = frozenset({"p", "span", "strong", "em", "a"})


def _images(root, base_url: str) -> list[str]:
    """Absolute image URLs, sizes as styles, each image in a figure captioned from its alt text."""
    insecure = []
    for img in list(root.iter("img")):
        src = urljoin(base_url, (img.get("src") or "").strip())
        if urlsplit(src).scheme != "https":
            insecure.append(src)
        caption = (img.get("alt") or img.get("title") or "").strip()
        width = (img.get("width") or "").removesuffix("px")
        img.attrib.clear()
        img.set("src", src)
        img.set("alt", caption)
        if width.isdigit():
            img.set("style", f"width:{width}px")  # the editor drops width/height attributes
        figure = tree.element("figure")
        parent = img.getparent()
        alone = (
            parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() and not (img.tail or "").strip()
        )
        if alone:
            tree.replace(parent, figure)
            img.tail = None
            figure.append(img)
        elif parent.tag in _INLINE:
            block = parent
            while block.getparent() is not None and block.getparent().tag in _INLINE:
                block = block.getparent()
            tree.insert_after(block, figure)  # a figure cannot sit inside a paragraph
            tree.remove(img)
            figure.append(img)
        else:
            tree.replace(img, figure)
            figure.append(img)
        if caption:
            figure.append(tree.element("figcaption", text=caption))
    return insecure


def _tables(root) -> None:
    for table in list(root.iter("table")):
        box = tree.element("section", {"class": "wx-table"})
        tree.replace(table, box)
        box.append(table)


def _lists(root) -> None:
    """No list inside an <li> (moved after its item), at most two levels, item text in <section>."""
    for item in list(root.iter("li")):
        depth = sum(1 for p in item.iterancestors("ul", "ol"))
        nested = [c for c in item if c.tag in {"ul", "ol"}]
        anchor = item
        for sub in nested:
            tree.remove(sub)
            if depth >= MAX_LIST_DEPTH:  # a third level joins the second
                for child in [c for c in sub if c.tag == "li"]:
                    tree.insert_after(anchor, child)
                    anchor = child
            else:
                tree.insert_after(anchor, sub)
                anchor = sub
    for item in list(root.iter("li")):
        if not any(c.tag in {"p", "section"} for c in item):
            box = tree.element("section")
            tree.move_contents(item, box)
            item.append(box)


def _preformatted(root) -> None:
    """Spaces → no-break spaces, newlines → <br>, tabs → four spaces: the editor collapses the rest."""
    for pre in list(root.iter("pre")):
        slots = [(el, side, tree.nodes(getattr(el, side))) for el, side in tree.text_slots(pre)]
        last = next((texts for _, _, texts in reversed(slots) if texts), None)
        if last is not None and last[-1].endswith("\n"):
            last[-1] = last[-1][:-1]  # the newline that ends every code block
        for el, side, texts in slots:
            runs = [""]  # text, then the text after each <br>
            for text in texts:
                lines = text.replace("\t", "    ").replace(" ", "\u00a0").split("\n")
                runs[-1] += lines[0]
                runs += lines[1:]
            setattr(el, side, runs[0] or None)
            breaks = [tree.element("br") for _ in runs[1:]]
            for br, text in zip(breaks, runs[1:], strict=True):
                br.tail = text or None
            if side == "text":
                el[0:0] = breaks
            else:
                for br in reversed(breaks):
                    el.addnext(br)  # after el and its tail


def _special_blocks(root) -> None:
    """Admonitions, definition lists and abbreviations in plain tags the editor knows."""
    for note in list(root.iter("div")):
        if "admonition" in tree.classes(note):
            note.tag = "section"
            note.set("class", "wx-note")
            for title in note.iter("p"):
                if "admonition-title" in tree.classes(title):
                    title.set("class", "wx-note-title")
    for dl in list(root.iter("dl")):
        dl.tag = "section"
        for dt_tag in list(dl.iter("dt")):
            dt_tag.tag = "p"
            dt_tag.attrib.clear()
            dt_tag.set("class", "wx-term")
        for dd in list(dl.iter("dd")):
            dd.tag = "p"
            dd.attrib.clear()
    for abbr in list(root.iter("abbr")):
        tree.unwrap(abbr)


def _soft_breaks(el) -> None:
    """A line break between two Chinese characters would show as a space; outside <pre> drop it.

    State is carried down the walk: each text node is looked at once, with its parent.
    """
    block = el.tag in BLOCK_PARENTS
    el.text = _soft_text(el.text, block)
    for child in el:
        if child.tag != "pre":
            _soft_breaks(child)
        child.tail = _soft_text(child.tail, block)


def _soft_text(text: str | None, block: bool) -> str | None:
    if not text:
        return text
    kept = []
    for node in text.split(tree.JOIN):
        if block and not node.strip():
            continue  # whitespace between blocks: the editor turns it into empty lines
        kept.append(_SOFT_BREAK.sub("", node).replace("\n", " ") if "\n" in node else node)
    return "".join(kept) or None


def _reference_list(refs: _References):
    box = tree.element("section", {"class": "wx-refs"})
    box.append(tree.element("p", {"class": "wx-heading"}, "参考资料"))
    for url, number in refs.numbers.items():
        line = tree.element("p", text=f"[{number}] {refs.titles[url]}：")
        line.append(tree.element("span", {"class": "wx-url"}, url.removeprefix("mailto:")))
        box.append(line)
    return box


def _attachments(article: Article):
    """Files cannot be attached in the editor: each is named, with type and size, to fetch from the original."""
    box = tree.element("section", {"class": "wx-source"})
    for attachment in article.attachments:
        box.append(tree.element("p", text=f"附件：{attachment.title}{attachment.size_label}，见原文链接"))
    return box


def _source(article: Article, canonical: str):
    box = tree.element("section", {"class": "wx-source"})
    for text in (f"来源：{article.source}", f"原文链接：{canonical}"):
        box.append(tree.element("p", text=text))
    return box


def _finish(el, out: list[str]) -> None:
    """After inlining: allowed tags and attributes only, no class or id, allowed style properties."""
    if not tree.is_element(el):
        if el.tail:
            out.append(tree.escape_text(el.tail))
        return
    tag = RENAMED_TAGS.get(el.tag, el.tag)
    if tag not in ALLOWED_TAGS:  # unwrapped: its contents stay
        if el.text:
            out.append(tree.escape_text(el.text))
        for child in el:
            _finish(child, out)
        if el.tail:
            out.append(tree.escape_text(el.tail))
        return
    void = tag in tree.VOID and not len(el) and not el.text
    key = (tag, tuple(el.attrib.items()), void)
    start = _FINISHED_STARTS.get(key)
    if start is None:
        start = _FINISHED_STARTS[key] = _finished_start(tag, key[1], void)
    out.append(start)
    if not void:
        if el.text:
            out.append(tree.escape_text(el.text))
        for child in el:
            _finish(child, out)
        out.append(f"</{tag}>")
    if el.tail:
        out.append(tree.escape_text(el.tail))


_FINISHED_STARTS: dict[tuple, str] = {}  # (tag, attributes, void) -> the start tag written; few distinct ones


def _finished_start(tag: str, attributes: tuple, void: bool) -> str:
    if len(_FINISHED_STARTS) > 20_000:
        _FINISHED_STARTS.clear()
    keep = ALLOWED_ATTRIBUTES.get(tag, ())
    kept = [(name, value) for name, value in attributes if name in keep]
    style = clean_style(dict(attributes).get("style", ""))
    if style:
        kept.append(("style", style))
    start = tree.start_tag(tag, kept)
    return start[:-1] + "/>" if void else start


@lru_cache(maxsize=4096)
def clean_style(style: str) -> str:
    """Keep only declarations the editor accepts; one bad one would make it drop them all."""
    kept = []
    for declaration in _declarations(style):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name in ALLOWED_PROPERTIES and value and "var(" not in value and "url(" not in value:
            kept.append(f"{name}:{value}")
    return ";".join(kept)


def _declarations(style: str) -> list[str]:
    """Split on ``;`` outside quotes and parentheses."""
    parts, current, depth, quote = [], [], 0, ""
    for ch in style:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def write(built: Built) -> list[str]:
    """The copies of the recent articles (``plan.wechat``, see core/wechat_settings.py); the outputs
    list's entry point, see outputs/built.py. An older article has none: nothing links to one."""
    recent = built.plan.wechat
    articles = [
        page.article for src, page in built.plan.articles.items() if src in recent
    ]  # the staff page loads these
    return write_copies(built.site_dir, articles, built.bodies, built.site.settings, built.current, built.kept_in)


def write_copies(
    site_dir: Path,
    articles: Iterable[Article],
    bodies: dict[str, str],
    settings: Settings,
    current: Container[str] = (),
    kept_in: Path | None = None,
) -> list[str]:
    """site/wechat/<slug>.html and <slug>.json for each of ``articles``: what the one staff page loads.

    The fragment is the file staff download or hand on; the JSON holds the 公众号 metadata
    the staff page shows beside it. Articles in ``current`` (their copy on disk is up to date:
    kept from the previous build, see incremental.py, on disk in ``kept_in``, site/ beside a
    staged build; or made by this build's worker in ``site_dir``) are not made again.
    Returns every copy's files, site-relative.
    """
    folders = (site_dir,) if kept_in is None or kept_in == site_dir else (site_dir, kept_in)
    outputs = []
    for article in articles:
        names = (f"{OUTPUT_DIR}/{article.slug}.html", f"{OUTPUT_DIR}/{article.slug}.json")
        if article.src not in current or not any(
            all(os.path.isfile(f"{folder}/{name}") for name in names) for folder in folders
        ):
            _write_copy(site_dir, article, bodies[article.src], settings)
        outputs += names
    return outputs


def _write_copy(site_dir: Path, article: Article, body: str, settings: Settings) -> None:
    copy = make_copy(article, body, settings)
    write_fragment(site_dir / OUTPUT_DIR / copy.filename, copy)
    write_metadata(site_dir / OUTPUT_DIR / f"{copy.slug}.json", copy, article)


class BackgroundCopies:
    """Copies made in a second process while MkDocs renders the next pages (a full build).

    Making and writing 2,000 copies takes seconds of one core; the build's own process
    is the bottleneck, so they go to a worker as each article's body is rendered.
    The files are the same as ``write_copies`` makes (the same functions make them).
    """

    BATCH = 64

    def __init__(self, site_dir: Path, settings: Settings) -> None:
        self._site_dir, self._settings = site_dir, settings
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self._pending: list[tuple[Article, str]] = []
        self._batches: list[Future] = []

    def add(self, article: Article, body: str) -> None:
        self._pending.append((article, body))
        if len(self._pending) >= self.BATCH:
            self._send()

    def finish(self) -> set[str]:
        """Wait for every copy; returns the articles (src) whose copy is written.

        A worker that could not run (it died, or the program that started the build has no
        ``if __name__ == "__main__"`` guard) leaves its batches to ``write_copies``, which
        makes them in the build's process; an error inside a copy is raised there, as before.
        """
        self._send()
        made: set[str] = set()
        try:
            for batch in self._batches:
                with contextlib.suppress(BrokenProcessPool):
                    made.update(batch.result())
            return made
        finally:
            self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _send(self) -> None:
        if self._pending:
            with contextlib.suppress(BrokenProcessPool):  # left to write_copies, see finish
                self._batches.append(self._pool.submit(_write_batch, self._site_dir, self._pending, self._settings))
            self._pending = []


def background_copies(site_dir: Path, settings: Settings) -> BackgroundCopies | None:
    """None where a second process cannot be started (no semaphores in some containers):
    ``write_copies`` then makes every copy in the build's own process, as before."""
    try:
        return BackgroundCopies(site_dir, settings)
    except (OSError, NotImplementedError, ImportError):
        return None


def _write_batch(site_dir: Path, batch: list[tuple[Article, str]], settings: Settings) -> list[str]:
    for article, body in batch:
        _write_copy(site_dir, article, body, settings)
    return [article.src for article, _ in batch]


def write_fragment(path: Path, copy: WechatCopy) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(copy.html + "\n", encoding="utf-8", newline="\n")


def metadata(copy: WechatCopy, article: Article) -> dict:
    """What the staff page shows beside the preview; ``path`` is the article page, site-relative."""
    return {
        "slug": copy.slug,
        "title": copy.title,
        "author": copy.author,
        "summary": copy.summary,
        "url": copy.url,
        "path": article.url,
        "fragment": copy.filename,
        "warnings": copy.warnings,
    }


def write_metadata(path: Path, copy: WechatCopy, article: Article) -> None:
    text = json.dumps(metadata(copy, article), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")
