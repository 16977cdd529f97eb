"""Plain text out of the files offices actually have: text files, web pages, Word files.

Each reader turns a file's bytes into text with one paragraph per line and says what
it did (a legacy encoding converted, a page with no article element). Readers are
registered by file extension; a file with any other extension is read as text, and
formats that cannot be read at all (PDF, old .doc) are refused with what to do instead.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator

from .encodings import (MIN_SHARE, Decoded, bom_encoding, conversion_notice, decode, from_legacy, reading,
                        repair_text)
from .errors import InputError
from .htmlcharset import declared_charset
from .text import nfc

Reader = Callable[[bytes, str], Decoded]

# Extensions that are never text and what to do instead (a renamed file is caught by
# its first bytes in encodings.decode).
REFUSED = {
    ".doc": "old Word .doc files cannot be read: save it as .docx or plain text",
    ".pdf": "PDF files cannot be read: export the text (or save it as .docx) first",
    ".rtf": "RTF files cannot be read: save it as .docx or plain text",
    ".odt": "OpenDocument files cannot be read: save it as .docx or plain text",
}


def _need(module: str, package: str, label: str):
    """Import an optional dependency, or say which package reading ``label`` needs."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"{label}: reading this format needs the {package} package "
                         f"(pip install {package})") from None


def read_plain(data: bytes, label: str) -> Decoded:
    """A text file in any encoding :func:`vnsum.encodings.decode` recognises."""
    return decode(data, label)


# --- HTML ------------------------------------------------------------------------------

# Never article text.
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "form",
              "button", "select", "input", "textarea", "nav", "aside", "menu", "dialog")
# Page furniture outside the article (inside <article> a <header> holds the title).
_DROP_OUTSIDE_ARTICLE = ("header", "footer")
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
_DROP_CLASS = re.compile(
    r"(?:^|[-_])(?:menu|nav|navbar|navigation|breadcrumbs?|sidebar|share|sharing|social|comments?|related|"
    r"advert\w*|ads?|banner|cookies?|subscribe|newsletter|pagination|popup|modal|tags?)(?:$|[-_])", re.I)
# Elements whose text is a line of its own, and those that end a line.
_BLOCKS = frozenset(("p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5",
                     "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "table", "tr",
                     "td", "th", "pre", "address"))
_BREAKS = ("br", "hr")
_SPACES = re.compile(r"\s+")


def html_text(data: bytes, label: str) -> Decoded:
    """Decode a page by its byte-order mark, else its declared charset, else like text.

    A declaration is followed unless the bytes read better as Vietnamese another way
    (a page saved as UTF-8 that kept its old windows-1258 <meta>); a label browsers do
    not know is no declaration (see :mod:`vnsum.htmlcharset`). When the declaration is
    set aside, a notice says so: no page is turned into mojibake silently.
    """
    declared = None if bom_encoding(data) else declared_charset(data)
    if declared is None:
        return decode(data, label)
    name, codec = declared
    if codec is None:
        return _noticed(decode(data, label), f"the page declares charset {name!r}, which web browsers do not "
                                             "know: read by its bytes instead")
    if codec == "utf-8":
        return decode(data, label)
    try:
        text, legacy = repair_text(nfc(data.decode(codec)))
    except UnicodeDecodeError as exc:
        return _noticed(decode(data, label), f"not valid {name} as the page declares (byte offset {exc.start}): "
                                             "read by its bytes instead")
    as_declared = Decoded(text, legacy or name, (conversion_notice(legacy),) if legacy else ())
    share = reading(text).share
    if share >= MIN_SHARE:
        return as_declared
    try:
        by_bytes = decode(data, label)
    except InputError:  # the bytes read as nothing better: keep the page's word
        return as_declared
    if reading(by_bytes.text).share <= share:
        return as_declared
    return _noticed(by_bytes, f"the page declares charset {name!r}, but its text reads as Vietnamese only as "
                              f"{by_bytes.encoding}: read as {by_bytes.encoding}")


def _noticed(decoded: Decoded, notice: str) -> Decoded:
    return dataclasses.replace(decoded, notices=(notice, *decoded.notices))


def _furniture(tag, in_article: bool) -> bool:
    if tag.name in _DROP_OUTSIDE_ARTICLE and not in_article:
        return True
    if (tag.get("role") or "").lower() in _DROP_ROLES:
        return True
    names = [*tag.get("class", []), tag.get("id") or ""]
    return any(_DROP_CLASS.search(name) for name in names if name)


def _prune(soup) -> list:
    """Decompose the page furniture; return the outermost <article> elements left.

    Whether a tag lies inside an <article> is carried down from its parent in one pass
    in document order, so a page nested thousands of elements deep costs no more than
    a flat one (no walk to the root per tag, no text measured once per nesting level).
    """
    in_article: dict[int, bool] = {}
    furniture, articles = [], []
    for tag in soup.find_all(True):
        inside = in_article.get(id(tag.parent), False)
        in_article[id(tag)] = inside or tag.name == "article"
        if _furniture(tag, inside):
            furniture.append(tag)
        elif tag.name == "article" and not inside:
            articles.append(tag)
    for tag in furniture:
        if not tag.decomposed:
            tag.decompose()
    return [tag for tag in articles if not tag.decomposed]


def _article_root(soup, articles: list):
    """The element holding the article: marked as such, or the one with the most paragraph text."""
    for candidate in (soup.find(attrs={"itemprop": "articleBody"}), _largest(articles),
                      soup.find("main"), soup.find(attrs={"role": "main"})):
        if candidate is not None and candidate.get_text(strip=True):
            return candidate, None
    parents, text = {}, Counter()
    for p in soup.find_all("p"):
        block = _unwrapped(p.parent)
        parents[id(block)] = block
        text[id(block)] += len(p.get_text(strip=True))
    if not text:
        return soup.body or soup, None
    return parents[text.most_common(1)[0][0]], "no <article> element: took the block with the most paragraphs"


def _unwrapped(tag):
    """``tag``, or the nearest ancestor that holds more than one element: a page that puts
    each <p> in a <div> of its own has its paragraphs side by side one level up, and
    counting each <div> as a block kept the longest paragraph only."""
    while tag.name != "body" and tag.parent is not None and _wraps_one_element(tag):
        tag = tag.parent
    return tag


def _wraps_one_element(tag) -> bool:
    """Whether ``tag`` holds one element and no text of its own (stops at a second child,
    so a block of 300,000 paragraphs is not counted once per paragraph)."""
    from bs4 import Tag
    from bs4.element import PreformattedString  # comments: not text

    elements = 0
    for child in tag.children:
        if isinstance(child, Tag):
            elements += 1
            if elements > 1:
                return False
        elif not isinstance(child, PreformattedString) and child.strip():
            return False
    return elements == 1


def _largest(tags):
    return max(tags, key=lambda t: len(t.get_text(strip=True)), default=None)


def _lines(root) -> list[str]:
    """Text of ``root``, one line per block element, whitespace collapsed.

    One pass over the strings in document order (no recursion, no tree edits, so a page
    nested thousands of elements deep reads like any other): a string starts a new line
    when its nearest block ancestor differs from the previous string's, or after <br>.
    """
    from bs4 import Tag
    from bs4.element import PreformattedString  # comments, CDATA, doctype: not text

    lines: list[str] = []
    current: list[str] = []
    block_of: dict[int, object] = {}  # id(parent) -> nearest block element
    last = None

    def nearest_block(parent):
        path, node = [], parent
        while id(node) not in block_of and node is not root and node.name not in _BLOCKS:
            path.append(node)  # inline elements: they share the answer found above them
            node = node.parent
        block = block_of.get(id(node), node)
        for inline in (*path, node):
            block_of[id(inline)] = block
        return block

    def flush():
        line = _SPACES.sub(" ", "".join(current)).strip()
        current.clear()
        if line:
            lines.append(line)

    for node in root.descendants:
        if isinstance(node, Tag):
            if node.name in _BREAKS:
                flush()
                last = None
        elif not isinstance(node, PreformattedString):
            block = nearest_block(node.parent)
            if block is not last:
                flush()
                last = block
            current.append(str(node))
    flush()
    return lines


def read_html(data: bytes, label: str) -> Decoded:
    """The article of a web page: title and paragraphs, without scripts, menus or navigation."""
    bs4 = _need("bs4", "beautifulsoup4", label)
    decoded = html_text(data, label)
    soup = bs4.BeautifulSoup(decoded.text, html_parser())
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    root, how = _article_root(soup, _prune(soup))
    lines = _lines(root)
    title = soup.find("h1")
    if title is not None and title is not root and not any(p is root for p in title.parents):
        lines = [*_lines(title), *lines]
    if not lines:
        raise InputError(f"{label}: no article text found in this web page")
    notices = decoded.notices + ((how,) if how else ())
    return Decoded("\n\n".join(lines) + "\n", decoded.encoding, notices)


def html_parser() -> str:
    try:
        import lxml  # noqa: F401 - only to choose the faster parser when it is there
    except ImportError:
        return "html.parser"
    return "lxml"


# --- Word .docx -------------------------------------------------------------------------

# Fonts whose text is stored in a legacy encoding: ".VnTime", ".VnArialH" (TCVN3) and
# "VNI-Times", "VNI-Helve" (VNI). A font name ending in "H" is all capitals (.VnTimeH):
# its lower-case code positions show capital letters.
_LEGACY_FONTS = {".vn": "TCVN3", "vni-": "VNI", "vni ": "VNI"}


def legacy_font(name: str | None) -> tuple[str, bool] | None:
    """(encoding, all capitals) for a legacy Vietnamese font name."""
    if not name:
        return None
    for prefix, encoding in _LEGACY_FONTS.items():
        if name.lower().startswith(prefix):
            return encoding, encoding == "TCVN3" and name.endswith("H")
    return None


def _rfonts(element) -> str | None:
    """The font an rPr element sets for non-ASCII text (w:hAnsi), else for ASCII."""
    from docx.oxml.ns import qn

    fonts = element.find(qn("w:rFonts")) if element is not None else None
    if fonts is None:
        return None
    return fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))


class StyleFonts:
    """The font each style of a document sets, through its chain of base styles.

    Read once from the styles part: python-docx finds a paragraph's style by scanning
    every style, for every paragraph (3 ms each: minutes for a file of empty
    paragraphs), and follows ``basedOn`` with no end when a style is based on itself.
    """

    def __init__(self, styles_element):
        from docx.oxml.ns import qn

        self._own: dict[str, str | None] = {}
        self._base: dict[str, str | None] = {}
        self._resolved: dict[str | None, str | None] = {}
        self.paragraph_default: str | None = None
        for style in styles_element.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            based = style.find(qn("w:basedOn"))
            self._own[style_id] = _rfonts(style.find(qn("w:rPr")))
            self._base[style_id] = based.get(qn("w:val")) if based is not None else None
            if (self.paragraph_default is None and style.get(qn("w:type")) == "paragraph"
                    and style.get(qn("w:default")) in ("1", "true", "on")):
                self.paragraph_default = style_id
        defaults = styles_element.find(qn("w:docDefaults"))
        self.document_default = _rfonts(defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
                                         if defaults is not None else None)

    def font(self, style_id: str | None) -> str | None:
        """The font of ``style_id`` or the nearest base style that sets one (a loop ends it).

        Every style walked through gets the answer too, and a walk stops at a style
        already answered: each style is walked once, so a chain of 20,000 styles each
        used by a paragraph costs 20,000 steps, not 200 million (57 s).
        """
        path: dict[str, None] = {}  # the styles walked, in order (a dict: loops found at once)
        current = style_id
        while current is not None and current not in self._resolved and current not in path:
            path[current] = None
            if self._own.get(current) is not None:
                break
            current = self._base.get(current)
        last = next(reversed(path), None)
        if self._own.get(last) is not None:
            font = self._own[last]
        else:  # the chain ended, met a loop, or reached a style already answered
            font = self._resolved.get(current)
        for walked in path:
            self._resolved[walked] = font
        return font

    def paragraph_font(self, p) -> str | None:
        """A paragraph's style font: the style it names, else the default paragraph style."""
        ppr = p.pPr
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        return self.font(style_id if style_id in self._own else self.paragraph_default)


def _paragraphs(container) -> Iterator:
    """The w:p elements of a body or table cell in reading order, descending into tables.

    Walked over the XML, each cell once. python-docx's ``_Row.cells`` follows every
    vertically merged cell up its chain to the cell that holds the text, so a chain of
    n cells cost n² steps (a 37 KB file: 97 s; longer chains: RecursionError). A cell
    that continues a merge (``w:vMerge`` without "restart") shows the text of the cell
    that starts it, which is read there: it is skipped, as python-docx skipped it.
    """
    tags = _docx_tags()
    for child in container:
        if child.tag == tags["p"]:
            yield child
        elif child.tag == tags["tbl"]:
            for row in child.iterchildren(tags["tr"]):
                for cell in row.iterchildren(tags["tc"]):
                    merge = cell.find(f"{tags['tcPr']}/{tags['vMerge']}")
                    if merge is None or merge.get(tags["val"]) == "restart":
                        yield from _paragraphs(cell)


@functools.cache
def _docx_tags() -> dict[str, str]:
    """Qualified names of the WordprocessingML elements the table walk looks at."""
    from docx.oxml.ns import qn

    return {name: qn(f"w:{name}") for name in ("p", "r", "tbl", "tr", "tc", "tcPr", "vMerge", "val")}


def _runs(p) -> Iterator:
    """The w:r elements of a paragraph element, those inside hyperlinks included.

    Walked with lxml directly: python-docx's Paragraph and Run objects evaluate an
    XPath expression per call, which made each paragraph cost a tenth of a millisecond.
    """
    from docx.oxml.ns import qn

    run, link = qn("w:r"), qn("w:hyperlink")
    for child in p:
        if child.tag == run:
            yield child
        elif child.tag == link:
            yield from (r for r in child if r.tag == run)


def _run_text(r) -> str:
    """A run's text as python-docx gives it (tabs, breaks and hyphens as characters)."""
    return "".join(str(e) for e in r if e.tag in _run_text_tags())


@functools.cache
def _run_text_tags() -> frozenset[str]:
    from docx.oxml.ns import qn

    return frozenset(qn(f"w:{t}") for t in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def run_font(r, paragraph_font: str | None, styles: StyleFonts) -> str | None:
    """The font a run is shown in: its own, its character style's, its paragraph's, the default."""
    rpr = r.rPr
    own = _rfonts(rpr)
    if own is None and rpr is not None and rpr.rStyle is not None:
        own = styles.font(rpr.rStyle.val)
    return own or paragraph_font or styles.document_default


def read_docx(data: bytes, label: str) -> Decoded:
    """A Word file's paragraphs (tables included), one per line, empty ones kept.

    Runs set in .VnTime or VNI fonts are converted from their legacy encoding; text
    that still reads as a legacy encoding (fonts lost along the way) is converted too.
    """
    _need("docx", "python-docx", label)
    try:
        return _docx_text(data, label)
    except _damaged() as exc:
        raise _not_docx(label, "damaged compressed data" if isinstance(exc, zlib.error) else type(exc).__name__
                        ) from None


def _not_docx(label: str, why: str) -> InputError:
    return InputError(f"{label}: not a valid Word .docx file ({why}); save it again "
                      "as .docx (Word 2007 or later) or as plain text")


# A Word file's parts unpacked, its XML tags, paragraphs and runs: ten times what a
# 500-page report holds. A few kilobytes of zip can unpack to millions of empty elements.
MAX_DOCX_UNPACKED = 64_000_000
MAX_DOCX_TAGS = 2_000_000
MAX_DOCX_PARAGRAPHS = 100_000
MAX_DOCX_RUNS = 500_000
_TOO_BIG = "{label}: this Word file {has}, more than the {limit} vnsum reads; split it or save its text as .txt"


def _check_docx_size(data: bytes, label: str) -> None:
    """Refuse a .docx whose parts would unpack or parse to more than the limits, before
    parsing it. Every XML element starts with a "<", so counting them bounds the tree
    python-docx builds, whatever the elements' names or namespaces."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > MAX_DOCX_UNPACKED:
            raise InputError(_TOO_BIG.format(label=label, has=f"unpacks to {unpacked / 1e6:,.0f} MB",
                                             limit=f"{MAX_DOCX_UNPACKED / 1e6:,.0f} MB"))
        tags = sum(archive.read(item).count(b"<") for item in archive.infolist()
                   if item.filename.endswith((".xml", ".rels")))
    if tags > MAX_DOCX_TAGS:
        raise InputError(_TOO_BIG.format(label=label, has=f"has {tags:,} XML tags", limit=f"{MAX_DOCX_TAGS:,}"))


def _check_docx_content(body, label: str) -> None:
    """Refuse a document with more paragraphs or runs than the limits, before reading them.

    Counted by qualified name, so ``<p/>`` in a default namespace or under another
    prefix counts as ``<w:p/>`` does.
    """
    tags = _docx_tags()
    for name, limit, what in (("p", MAX_DOCX_PARAGRAPHS, "paragraphs"), ("r", MAX_DOCX_RUNS, "runs of text")):
        count = sum(1 for _ in body.iter(tags[name]))
        if count > limit:
            raise InputError(_TOO_BIG.format(label=label, has=f"has {count:,} {what}", limit=f"{limit:,}"))


def _docx_text(data: bytes, label: str) -> Decoded:
    import docx

    _check_docx_size(data, label)
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    if body is None:
        raise _not_docx(label, "it has no document body")
    _check_docx_content(body, label)
    styles = StyleFonts(document.styles.element)
    converted: Counter[tuple[str, str]] = Counter()
    lines = []
    for p in _paragraphs(body):
        paragraph_font = styles.paragraph_font(p)
        parts = []
        for r in _runs(p):
            font = run_font(r, paragraph_font, styles)
            legacy = legacy_font(font)
            text = _run_text(r)
            if legacy and text:
                encoding, capitals = legacy
                text = from_legacy(text, encoding)
                text = text.upper() if capitals else text
                converted[(encoding, font)] += 1
            parts.append(text)
        lines.append("".join(parts))
    text = "\n".join(lines) + "\n"
    notices = tuple(f"converted {n} run(s) in the {font} font from {encoding} to Unicode (check names and "
                    "capitals)" for (encoding, font), n in converted.items())
    if not converted:
        text, legacy = repair_text(text)
        notices = (conversion_notice(legacy),) if legacy else ()
    return Decoded(text, "docx", notices)


def _damaged() -> tuple[type[BaseException], ...]:
    """What python-docx, lxml and zipfile raise on a damaged file: malformed or
    over-deep XML, entity bombs, bad deflate data, missing parts, a cut archive."""
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    return (PackageNotFoundError, LxmlError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError,
            NotImplementedError, RecursionError)


READERS: dict[str, Reader] = {
    ".txt": read_plain, ".md": read_plain, ".html": read_html, ".htm": read_html, ".docx": read_docx,
}


def reader_for(suffix: str, label: str) -> Reader:
    """The reader for a file extension (plain text for unknown ones); refused formats raise."""
    suffix = suffix.lower()
    if suffix in REFUSED:
        raise InputError(f"{label}: {REFUSED[suffix]}")
    return READERS.get(suffix, read_plain)

