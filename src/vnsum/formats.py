"""Plain text out of the files offices actually have: text files, web pages, Word files.

Each reader turns a file's bytes into text with one paragraph per line and says what
it did (a legacy encoding converted, a page with no article element). Readers are
registered by file extension; a file with any other extension is read as text, and
formats that cannot be read at all (PDF, old .doc) are refused with what to do instead.
"""

from __future__ import annotations

import importlib
import io
import re
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


def _furniture(tag) -> bool:
    if tag.name in _DROP_OUTSIDE_ARTICLE and tag.find_parent("article") is None:
        return True
    if (tag.get("role") or "").lower() in _DROP_ROLES:
        return True
    names = [*tag.get("class", []), tag.get("id") or ""]
    return any(_DROP_CLASS.search(name) for name in names if name)


def _article_root(soup):
    """The element holding the article: marked as such, or the one with the most paragraph text."""
    for candidate in (soup.find(attrs={"itemprop": "articleBody"}), _largest(soup.find_all("article")),
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
        if id(parent) not in block_of:
            node = parent
            while node is not root and node.name not in _BLOCKS:
                node = node.parent
            block_of[id(parent)] = node
        return block_of[id(parent)]

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
    for tag in [t for t in soup.find_all(True) if _furniture(t)]:
        if not tag.decomposed:
            tag.decompose()
    root, how = _article_root(soup)
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


def _style_font(style) -> str | None:
    while style is not None:
        name = _rfonts(style.element.rPr) if style.element.rPr is not None else None
        if name:
            return name
        style = style.base_style
    return None


def _default_font(document) -> str | None:
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
    return _rfonts(rpr)


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


def _run_font(run, paragraph_font: str | None, default: str | None) -> str | None:
    """The font a run is shown in: its own, its character style's, its paragraph's, the default."""
    rpr = run._r.rPr
    own = _rfonts(rpr)
    if own is None and rpr is not None and rpr.rStyle is not None:
        own = _style_font(run.style)
    return own or paragraph_font or default


def read_docx(data: bytes, label: str) -> Decoded:
    """A Word file's paragraphs (tables included), one per line, empty ones kept.

    Runs set in .VnTime or VNI fonts are converted from their legacy encoding; text
    that still reads as a legacy encoding (fonts lost along the way) is converted too.
    """
    import zipfile

    docx = _need("docx", "python-docx", label)
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.hyperlink import Hyperlink

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{label}: not a valid Word .docx file ({type(exc).__name__}); save it again "
                         "as .docx (Word 2007 or later) or as plain text") from None
    default = _default_font(document)
    converted: Counter[tuple[str, str]] = Counter()
    lines = []
    for paragraph in _paragraphs(document):
        paragraph_font = _style_font(paragraph.style) if paragraph.style is not None else None
        parts = []
        for item in paragraph.iter_inner_content():
            for run in item.runs if isinstance(item, Hyperlink) else [item]:
                font = _run_font(run, paragraph_font, default)
                legacy = _legacy_font(font)
                text = run.text
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


READERS: dict[str, Reader] = {
    ".txt": read_plain, ".md": read_plain, ".html": read_html, ".htm": read_html, ".docx": read_docx,
}


def reader_for(suffix: str, label: str) -> Reader:
    """The reader for a file extension (plain text for unknown ones); refused formats raise."""
    suffix = suffix.lower()
    if suffix in REFUSED:
        raise InputError(f"{label}: {REFUSED[suffix]}")
    return READERS.get(suffix, read_plain)

