"""Web pages translated in place, and new pages built from a translation.

Every text a reader sees is translated where it stands, the page's furniture (menus,
footers) included, and every tag and attribute is kept. The text of a block (a <p>, an
<li>, a <td>, a heading) with the inline elements inside it (<b>, <a>, <span>…) is one
line for the model; the translation is put back by the rule of
:mod:`vnsum.layout.place`, an inline element being a piece: one whose text is a term,
a number or a name keeps its tag around the translation of that text, the others give
their text to the sentence around them (their tags are flattened). A <br>, an <img> or
a block inside a block parts its text, as the reader parts it into lines. Code, scripts,
styles and anything marked ``translate="no"`` or ``class="notranslate"`` are left as
they are. The page is written in UTF-8 (its <meta> charset says so) and its
``<html lang>`` names the language it is now in.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..documents import DocumentText
from ..formats import html_parser, html_text
from ..text import is_blank
from ..translator import Translation
from .place import Span, place, translated_lines

# Elements whose text flows inside a line; any other element parts the text around it.
_INLINE = frozenset(("a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "data", "del", "dfn", "em", "font",
                     "i", "ins", "label", "mark", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "time",
                     "tt", "u"))
# Never translated: not prose, or not shown.
_UNTOUCHED = frozenset(("script", "style", "noscript", "template", "svg", "math", "code", "kbd", "samp", "pre",
                        "textarea", "var"))
_SPACES = re.compile(r"\s+")


@dataclass
class _Unit:
    """Side-by-side children of one element (text, or inline elements holding only
    text), translated as one line; per child its text (spaces collapsed, as a browser
    shows them) and what it looks like (None: the parent's own text)."""

    nodes: list
    pieces: list[str]
    keys: list[tuple | None]

    @property
    def text(self) -> str:
        return "".join(self.pieces)


class PageLayout:
    """A web page read for translation in place: ``text`` holds one unit per line (what
    to translate); :meth:`write` puts a translation of ``text`` back, once."""

    def __init__(self, data: bytes, label: str, document: DocumentText):
        import bs4

        self.notices = document.notices
        self._soup = bs4.BeautifulSoup(html_text(data, label).text, html_parser())
        self._units = list(_units(self._soup))
        self.text = "".join(unit.text + "\n" for unit in self._units)

    def write(self, result: Translation) -> bytes:
        """The page, in UTF-8, with ``result`` (a translation of :attr:`text`) in place of its text."""
        for unit, translated in zip(self._units, translated_lines(result, len(self._units))):
            _put(unit, place(unit.pieces, unit.keys, translated.line, translated.targets, translated.terms))
        root = self._soup.find("html")
        if root is not None and root.has_attr("lang"):
            root["lang"] = result.tgt
        return self._soup.encode("utf-8")


def _units(soup) -> Iterator[_Unit]:
    """The units of the page, in document order, in one pass (no recursion: a page nested
    thousands of elements deep reads like a flat one)."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString  # comments, CDATA, doctype: not text

    tags = [soup, *soup.find_all(True)]
    untouched: set[int] = set()  # ids of elements left as they are, and of all inside them
    for tag in tags:
        if (tag.parent is not None and id(tag.parent) in untouched) or tag.name in _UNTOUCHED or _no_translate(tag):
            untouched.add(id(tag))
    parts: set[int] = set()  # ids of elements that part text: any but an inline element holding only text
    for tag in reversed(tags):  # descendants before their ancestors
        if tag.name not in _INLINE or id(tag) in untouched:
            parts.add(id(tag))
        if id(tag) in parts and tag.parent is not None:
            parts.add(id(tag.parent))
    for tag in tags:
        if id(tag) not in parts or id(tag) in untouched:
            continue
        nodes: list = []
        for child in [*tag.children, None]:
            if isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                nodes.append(child)
            elif isinstance(child, Tag) and id(child) not in parts:
                nodes.append(child)
            else:  # the end, or a child that parts the text
                pieces = [_SPACES.sub(" ", node.get_text() if isinstance(node, Tag) else str(node)) for node in nodes]
                if not is_blank("".join(pieces)):
                    yield _Unit(nodes, pieces, [_key(node) for node in nodes])
                nodes = []


def _no_translate(tag) -> bool:
    return (tag.get("translate") or "").lower() == "no" or "notranslate" in tag.get("class", [])


def _key(node) -> tuple | None:
    from bs4 import Tag

    if not isinstance(node, Tag):
        return None
    return node.name, tuple(sorted((k, " ".join(v) if isinstance(v, list) else v) for k, v in node.attrs.items()))


def _put(unit: _Unit, spans: list[Span]) -> None:
    """Replace the unit's nodes by one node per span, in order: a text, or the piece's own
    element (its copy when that element already carries an earlier span) holding the text."""
    from bs4 import NavigableString, Tag

    mark = NavigableString("")
    unit.nodes[0].insert_before(mark)
    for node in unit.nodes:
        node.extract()
    used: set[int] = set()
    for span in spans:
        source = unit.nodes[span.piece]
        if isinstance(source, Tag):
            node = copy.copy(source) if span.piece in used else source
            node.string = span.text
        else:
            node = NavigableString(span.text)
        used.add(span.piece)
        mark.insert_before(node)
    mark.extract()


def build_html(title: str, paragraphs: list[str], lang: str) -> bytes:
    """A plain page: ``title`` as its title and heading, then the paragraphs."""
    import html

    body = "".join(f"<p>{html.escape(text)}</p>\n" for text in paragraphs)
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"</head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}</body></html>\n").encode("utf-8")
