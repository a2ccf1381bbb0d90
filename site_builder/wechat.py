"""A paste-ready 公众号 copy of an article: one HTML fragment the WeChat editor keeps as it is.

The rules are what the WeChat editor accepts, as doocs/md and mdnice learnt them:
no ``<style>``/``<script>``/``<link>``/``<iframe>``; every style inline (inlined by
css-inline, variables resolved) with allowed properties only; no link except to
mp.weixin.qq.com, so other links become numbered references listed once per URL;
absolute https images with a caption; tables in a scroll container; lists at most
two levels deep; preformatted text keeps its spaces; a 来源 line and the canonical
URL close the copy. Input is the article body as rendered HTML, so the site build
and ``site-builder wechat`` share everything from here on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import css_inline
from bs4 import BeautifulSoup, NavigableString, Tag

from site_builder.model import Article, Settings
from site_builder.wechat_style import ALLOWED_PROPERTIES, stylesheet

OUTPUT_DIR = "wechat"
TITLE_LIMIT = 32  # draft API: 标题不超过 32 个字
SUMMARY_LIMIT = 120  # 摘要
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
_SOFT_BREAK = re.compile(rf"(?<={CJK})\n(?={CJK})")

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
    summary = article.summary or made.body_text
    if len(summary) > SUMMARY_LIMIT:
        summary = summary[: SUMMARY_LIMIT - 1] + "…"
        if article.summary:
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
    """The fragment for ``body_html``, whose relative links and images resolve against ``base_url``."""
    soup = BeautifulSoup(body_html, "html.parser")
    _drop_unsafe(soup)
    _drop_anchors(soup)
    body_text = _body_text(soup)
    _footnotes(soup)
    refs = _References()
    _links(soup, base_url, refs)
    insecure = _images(soup, base_url)
    _tables(soup)
    _lists(soup)
    _preformatted(soup)
    _special_blocks(soup)
    root = soup.new_tag("section", attrs={"class": "wx"})
    root.extend(list(soup.contents))
    _soft_breaks(root)
    if refs.numbers:
        root.append(_reference_list(soup, refs))
    root.append(_source(soup, article, base_url))
    inlined = _INLINER.inline_fragment(str(root), stylesheet(settings.wechat))
    final = BeautifulSoup(inlined, "html.parser")
    _finish(final)
    return Fragment(final.decode(formatter="minimal"), body_text, insecure)


# --- steps, in order --------------------------------------------------------------------------


def _drop_unsafe(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: type(s).__name__ in {"Comment", "Doctype", "ProcessingInstruction"}):
        comment.extract()


def _drop_anchors(soup: BeautifulSoup) -> None:
    """Heading permalinks and the table of contents only point inside the page."""
    for tag in soup.select("a.headerlink, div.toc, a.footnote-backref"):
        tag.decompose()


def _body_text(soup: BeautifulSoup) -> str:
    """The article's own words, without footnote markers and notes: for a default 摘要."""
    words = (
        str(s)
        for s in soup.find_all(string=True)
        if s.find_parent("sup") is None and s.find_parent(class_="footnote") is None
    )
    return re.sub(r"\s+", " ", _SOFT_BREAK.sub("", "".join(words))).strip()


def _footnotes(soup: BeautifulSoup) -> None:
    """Python-Markdown footnotes: markers become [注n], the list a plain 注释 section."""
    for ref in soup.select("sup > a.footnote-ref"):
        marker, number = ref.parent, ref.get_text()
        marker.clear()
        marker.append(f"[注{number}]")
        marker.attrs = {}
    for block in soup.select("div.footnote"):
        notes = soup.new_tag("section", attrs={"class": "wx-notes"})
        heading = soup.new_tag("p", attrs={"class": "wx-heading"})
        heading.string = "注释"
        notes.append(heading)
        for number, item in enumerate(block.select("ol > li"), start=1):
            line = soup.new_tag("p")
            line.append(f"[注{number}] ")
            for child in list(item.children):
                if isinstance(child, Tag) and child.name == "p":
                    line.extend(list(child.contents))
                elif not (isinstance(child, NavigableString) and not child.strip()):
                    line.append(child)
            notes.append(line)
        block.replace_with(notes)


def _links(soup: BeautifulSoup, base_url: str, refs: _References) -> None:
    """Only mp.weixin.qq.com links survive; others keep their text and get a reference number."""
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
        text = link.get_text().strip()
        if href.startswith("#") or not href:
            link.unwrap()
            continue
        url = urljoin(base_url, href)
        if WECHAT_LINK.match(url):
            link.attrs = {"href": url}
            continue
        shown = url.removeprefix("mailto:")
        if not text or text in {url, shown, href}:
            link.replace_with(shown)  # a bare address is printed, not numbered
            continue
        number = refs.number(url, text)
        marker = soup.new_tag("sup")
        marker.string = f"[{number}]"
        link.insert_after(marker)
        link.unwrap()


def _images(soup: BeautifulSoup, base_url: str) -> list[str]:
    """Absolute image URLs, sizes as styles, each image in a figure captioned from its alt text."""
    insecure = []
    for img in soup.find_all("img"):
        src = urljoin(base_url, (img.get("src") or "").strip())
        if urlsplit(src).scheme != "https":
            insecure.append(src)
        caption = (img.get("alt") or img.get("title") or "").strip()
        width = str(img.get("width", "")).removesuffix("px")
        img.attrs = {"src": src, "alt": caption}
        if width.isdigit():
            img["style"] = f"width:{width}px"  # the editor drops width/height attributes
        figure = soup.new_tag("figure")
        parent = img.parent
        alone = (
            isinstance(parent, Tag)
            and parent.name == "p"
            and all(c is img or (isinstance(c, NavigableString) and not c.strip()) for c in parent.contents)
        )
        if alone:
            parent.replace_with(figure)
        elif isinstance(parent, Tag) and parent.name in {"p", "span", "strong", "em", "a"}:
            block = parent
            while isinstance(block.parent, Tag) and block.parent.name in {"p", "span", "strong", "em", "a"}:
                block = block.parent
            block.insert_after(figure)  # a figure cannot sit inside a paragraph
        else:
            img.insert_before(figure)
        figure.append(img.extract())
        if caption:
            text = soup.new_tag("figcaption")
            text.string = caption
            figure.append(text)
    return insecure


def _tables(soup: BeautifulSoup) -> None:
    for table in soup.find_all("table"):
        box = soup.new_tag("section", attrs={"class": "wx-table"})
        table.wrap(box)


def _lists(soup: BeautifulSoup) -> None:
    """No list inside an <li> (moved after its item), at most two levels, item text in <section>."""
    for item in soup.find_all("li"):
        depth = len([p for p in item.parents if isinstance(p, Tag) and p.name in {"ul", "ol"}])
        nested = [c for c in item.children if isinstance(c, Tag) and c.name in {"ul", "ol"}]
        anchor = item
        for sub in nested:
            sub.extract()
            if depth >= MAX_LIST_DEPTH:  # a third level joins the second
                for child in list(sub.find_all("li", recursive=False)):
                    anchor.insert_after(child)
                    anchor = child
            else:
                anchor.insert_after(sub)
                anchor = sub
    for item in soup.find_all("li"):
        if not any(isinstance(c, Tag) and c.name in {"p", "section"} for c in item.children):
            box = soup.new_tag("section")
            box.extend(list(item.contents))
            item.append(box)


def _preformatted(soup: BeautifulSoup) -> None:
    """Spaces → no-break spaces, newlines → <br>, tabs → four spaces: the editor collapses the rest."""
    for pre in soup.find_all("pre"):
        strings = list(pre.find_all(string=True))
        if strings and strings[-1].endswith("\n"):
            strings[-1].replace_with(strings[-1][:-1])  # the newline that ends every code block
            strings = list(pre.find_all(string=True))
        for text in strings:
            lines = str(text).replace("\t", "    ").replace(" ", "\u00a0").split("\n")
            for index, line in enumerate(lines):
                if index:
                    text.insert_before(soup.new_tag("br"))
                if line:
                    text.insert_before(NavigableString(line))
            text.extract()


def _special_blocks(soup: BeautifulSoup) -> None:
    """Admonitions, definition lists and abbreviations in plain tags the editor knows."""
    for note in soup.select("div.admonition"):
        note.name = "section"
        note["class"] = "wx-note"
        for title in note.select("p.admonition-title"):
            title["class"] = "wx-note-title"
    for dl in soup.find_all("dl"):
        dl.name = "section"
        for dt_tag in dl.find_all("dt"):
            dt_tag.name, dt_tag.attrs = "p", {"class": "wx-term"}
        for dd in dl.find_all("dd"):
            dd.name, dd.attrs = "p", {}
    for abbr in soup.find_all("abbr"):
        abbr.unwrap()


def _soft_breaks(root: Tag) -> None:
    """A line break between two Chinese characters would show as a space; outside <pre> drop it."""
    for text in list(root.find_all(string=True)):
        if text.find_parent("pre") is not None:
            continue
        if isinstance(text.parent, Tag) and text.parent.name in BLOCK_PARENTS and not text.strip():
            text.extract()  # whitespace between blocks: the editor turns it into empty lines
            continue
        if "\n" in text:
            text.replace_with(_SOFT_BREAK.sub("", str(text)).replace("\n", " "))


def _reference_list(soup: BeautifulSoup, refs: _References) -> Tag:
    box = soup.new_tag("section", attrs={"class": "wx-refs"})
    heading = soup.new_tag("p", attrs={"class": "wx-heading"})
    heading.string = "参考资料"
    box.append(heading)
    for url, number in refs.numbers.items():
        line = soup.new_tag("p")
        line.append(f"[{number}] {refs.titles[url]}：")
        address = soup.new_tag("span", attrs={"class": "wx-url"})
        address.string = url.removeprefix("mailto:")
        line.append(address)
        box.append(line)
    return box


def _source(soup: BeautifulSoup, article: Article, canonical: str) -> Tag:
    box = soup.new_tag("section", attrs={"class": "wx-source"})
    for text in (f"来源：{article.source}", f"原文链接：{canonical}"):
        line = soup.new_tag("p")
        line.string = text
        box.append(line)
    return box


def _finish(soup: BeautifulSoup) -> None:
    """After inlining: allowed tags and attributes only, no class or id, allowed style properties."""
    for tag in soup.find_all(True):
        if tag.name in RENAMED_TAGS:
            tag.name = RENAMED_TAGS[tag.name]
        if tag.name not in ALLOWED_TAGS:
            tag.unwrap()
            continue
        style = clean_style(tag.get("style", ""))
        keep = ALLOWED_ATTRIBUTES.get(tag.name, set())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in keep}
        if style:
            tag["style"] = style


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


def write_fragments(site_dir: Path, copies: list[WechatCopy]) -> None:
    """site/wechat/<slug>.html for every copy: the file staff download or hand on."""
    for copy in copies:
        write_fragment(site_dir / OUTPUT_DIR / copy.filename, copy)


def write_fragment(path: Path, copy: WechatCopy) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(copy.html + "\n", encoding="utf-8", newline="\n")
