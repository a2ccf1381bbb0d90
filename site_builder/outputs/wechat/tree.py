"""The HTML tree of a 公众号 copy: lxml parsing, edits that keep text nodes apart, serialization.

lxml keeps text as ``.text``/``.tail`` strings, so two text nodes side by side become one
string. The copy's line-break rules look at each text node on its own (a node that is only
whitespace between blocks goes, a newline at a node's edge turns into a space), so where an
edit would join two nodes it puts :data:`JOIN` between them and the rules split on it.
Serialization writes what BeautifulSoup's "minimal" formatter wrote before lxml replaced it,
so the fragments stayed byte for byte the same.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

JOIN = "\ufdd0"  # a Unicode noncharacter: never in content, marks where two text nodes meet

# lxml's plain HTML parser: lxml.html's element classes cost a Python lookup per node and add nothing here.
_PARSER = etree.HTMLParser(remove_blank_text=False, remove_comments=False, remove_pis=False)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


def parse(html: str) -> etree._Element:
    """``html`` (a fragment) as the children of one element, the ``<body>`` it was parsed in."""
    return etree.fromstring(f"<html><body>{html}</body></html>", _PARSER).find("body")


def element(tag: str, attrib: dict[str, str] | None = None, text: str | None = None) -> etree._Element:
    made = _PARSER.makeelement(tag, attrib or {})
    made.text = text
    return made


def join(first: str | None, second: str | None) -> str | None:
    """Two adjacent text nodes in one string, still told apart."""
    if not first:
        return second
    if not second:
        return first
    return first + JOIN + second


def nodes(text: str | None) -> list[str]:
    """The text nodes a ``.text``/``.tail`` string holds."""
    return [part for part in text.split(JOIN) if part] if text else []


def text_of(el) -> str:
    return "".join(el.itertext()).replace(JOIN, "")


def classes(el) -> list[str]:
    return (el.get("class") or "").split()


def add_text_before(el, text: str | None) -> None:
    """``text`` as a node right before ``el``."""
    previous = el.getprevious()
    if previous is not None:
        previous.tail = join(previous.tail, text)
    else:
        parent = el.getparent()
        parent.text = join(parent.text, text)


def append_text(el, text: str | None) -> None:
    """``text`` as the last node inside ``el``."""
    if len(el):
        el[-1].tail = join(el[-1].tail, text)
    else:
        el.text = join(el.text, text)


def remove(el) -> None:
    """Take ``el`` out of the tree; the text after it stays where it was."""
    if el.getparent() is None:
        return
    add_text_before(el, el.tail)
    el.tail = None
    el.getparent().remove(el)


def replace_with_text(el, text: str) -> None:
    add_text_before(el, text)
    remove(el)


def replace(el, new) -> None:
    """``new`` where ``el`` was (``el`` leaves without the text after it)."""
    new.tail, el.tail = el.tail, None
    el.getparent().replace(el, new)


def insert_after(anchor, el) -> None:
    """``el`` right after ``anchor``, before the text that followed ``anchor``."""
    el.tail, anchor.tail = anchor.tail, None
    anchor.addnext(el)


def move_contents(source, target) -> None:
    """Every node inside ``source`` appended to ``target``."""
    append_text(target, source.text)
    source.text = None
    for child in list(source):
        target.append(child)  # with its tail


def unwrap(el) -> None:
    """Replace ``el`` by what it holds."""
    parent = el.getparent()
    if parent is None:
        return
    add_text_before(el, el.text)
    children = list(el)
    if children:
        children[-1].tail = join(children[-1].tail, el.tail)
        el.tail = None
        index = parent.index(el)
        parent[index : index + 1] = children
    else:
        add_text_before(el, el.tail)
        el.tail = None
        parent.remove(el)


def text_slots(el) -> Iterator[tuple[object, str]]:
    """(element, "text" | "tail") for every text position inside ``el``, in document order."""
    yield el, "text"
    for child in el:
        yield from text_slots(child)
        yield child, "tail"


def is_element(el) -> bool:
    return isinstance(el.tag, str)


# --- serialization: BeautifulSoup's formatter="minimal", byte for byte ----------------------------


def escape_text(text: str) -> str:
    return text.replace(JOIN, "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(value: str) -> str:
    value = escape_text(value)
    if '"' in value:
        if "'" in value:
            return '"' + value.replace('"', "&quot;") + '"'
        return "'" + value + "'"
    return '"' + value + '"'


def start_tag(tag: str, attributes) -> str:
    """Attributes sorted by name, as BeautifulSoup wrote them."""
    return "<" + tag + "".join(f" {name}={quote(value)}" for name, value in sorted(attributes)) + ">"


_STARTS: dict[tuple, str] = {}  # most tags repeat the same few attribute sets: write each once


def _start(tag: str, attributes: tuple, void: bool) -> str:
    key = (tag, attributes, void)
    made = _STARTS.get(key)
    if made is None:
        if len(_STARTS) > 20_000:
            _STARTS.clear()
        made = start_tag(tag, attributes)
        made = _STARTS[key] = made[:-1] + "/>" if void else made
    return made


def serialize(el, out: list[str]) -> None:
    """``el``, its contents and its tail appended to ``out``."""
    tag = el.tag
    if tag in VOID and not len(el) and not el.text:
        out.append(_start(tag, tuple(el.attrib.items()), True))
    else:
        out.append(_start(tag, tuple(el.attrib.items()), False))
        if el.text:
            out.append(escape_text(el.text))
        for child in el:
            serialize(child, out)
        out.append(f"</{tag}>")
    if el.tail:
        out.append(escape_text(el.tail))
