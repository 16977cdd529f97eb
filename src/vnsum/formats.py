"""Plain text out of the files offices actually have: text files, web pages, Word files.

Each reader turns a file's bytes into text with one paragraph per line and says what
it did (a legacy encoding converted, a page with no article element). Readers are
registered by file extension; a file with any other extension is read as text, and
formats that cannot be read at all (PDF, old .doc) are refused with what to do instead.
"""

from __future__ import annotations

import functools
import importlib
import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator

from .encodings import Decoded, bom_encoding, conversion_notice, decode, from_legacy, repair_text
from .errors import InputError
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
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_SPACES = re.compile(r"\s+")


def _html_text(data: bytes, label: str) -> Decoded:
    """Decode a page by its byte-order mark, else its declared charset, else like text."""
    declared = _META_CHARSET.search(data[:4096])
    if bom_encoding(data) is None and declared:
        charset = declared.group(1).decode("ascii").lower()
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return decode(data, label)  # a wrong declaration is common; judge the bytes
        fixed, legacy = repair_text(nfc(text))
        return Decoded(fixed, legacy or charset, (conversion_notice(legacy),) if legacy else ())
    return decode(data, label)


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
        parents[id(p.parent)] = p.parent
        text[id(p.parent)] += len(p.get_text(strip=True))
    if not text:
        return soup.body or soup, None
    return parents[text.most_common(1)[0][0]], "no <article> element: took the block with the most paragraphs"


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
    decoded = _html_text(data, label)
    soup = bs4.BeautifulSoup(decoded.text, _parser())
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


def _parser() -> str:
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


def _legacy_font(name: str | None) -> tuple[str, bool] | None:
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


class _StyleFonts:
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
        """The font of ``style_id`` or the nearest base style that sets one (a loop ends it)."""
        if style_id not in self._resolved:
            font, seen, current = None, set(), style_id
            while current is not None and current not in seen and font is None:
                seen.add(current)
                font, current = self._own.get(current), self._base.get(current)
            self._resolved[style_id] = font
        return self._resolved[style_id]

    def paragraph_font(self, p) -> str | None:
        """A paragraph's style font: the style it names, else the default paragraph style."""
        ppr = p.pPr
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        return self.font(style_id if style_id in self._own else self.paragraph_default)


def _paragraphs(container) -> Iterator:
    """Paragraphs in reading order, descending into tables (each merged cell once)."""
    from docx.table import Table

    for item in container.iter_inner_content():
        if isinstance(item, Table):
            seen = set()  # the cell elements themselves: ids of lxml proxies get reused
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        yield from _paragraphs(cell)
        else:
            yield item


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


def _run_font(r, paragraph_font: str | None, styles: _StyleFonts) -> str | None:
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
        why = "damaged compressed data" if isinstance(exc, zlib.error) else type(exc).__name__
        raise InputError(f"{label}: not a valid Word .docx file ({why}); save it again "
                         "as .docx (Word 2007 or later) or as plain text") from None


# A Word file's parts unpacked, and its paragraphs: ten times what a 500-page report
# holds. A few kilobytes of zip can unpack to gigabytes of empty paragraphs.
MAX_DOCX_UNPACKED = 64_000_000
MAX_DOCX_PARAGRAPHS = 100_000
_PARAGRAPH_TAG = re.compile(rb"<w:p[\s/>]")


def _check_docx_size(data: bytes, label: str) -> None:
    """Refuse a .docx that would unpack to more than the limits, before parsing it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > MAX_DOCX_UNPACKED:
            raise InputError(f"{label}: this Word file unpacks to {unpacked / 1e6:,.0f} MB, more than the "
                             f"{MAX_DOCX_UNPACKED / 1e6:,.0f} MB vnsum reads; split it or save its text as .txt")
        names = archive.namelist()
        body = archive.read("word/document.xml") if "word/document.xml" in names else b""
    paragraphs = len(_PARAGRAPH_TAG.findall(body))
    if paragraphs > MAX_DOCX_PARAGRAPHS:
        raise InputError(f"{label}: this Word file has {paragraphs:,} paragraphs, more than the "
                         f"{MAX_DOCX_PARAGRAPHS:,} vnsum reads; split it or save its text as .txt")


def _docx_text(data: bytes, label: str) -> Decoded:
    import docx

    _check_docx_size(data, label)
    document = docx.Document(io.BytesIO(data))
    styles = _StyleFonts(document.styles.element)
    converted: Counter[tuple[str, str]] = Counter()
    lines = []
    for paragraph in _paragraphs(document):
        paragraph_font = styles.paragraph_font(paragraph._p)
        parts = []
        for r in _runs(paragraph._p):
            font = _run_font(r, paragraph_font, styles)
            legacy = _legacy_font(font)
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

