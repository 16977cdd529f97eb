"""Word files translated in place, and new Word files built from a translation.

The text a reader sees is in the body (tables included), the headers and
the footers: their paragraphs are translated where they stand, every other part of the
file (styles, numbering, images, section settings) is written back as it was read.

A paragraph's text runs are joined into one text for the model (split into sentences
by the pipeline, like any line); the translation is put back on those runs by the rule
of :mod:`vnsum.layout.place`. A run that holds something other than text (an image, a
tab, a line break, a field code, a footnote mark) stays where it is, untouched; the text
on each side of it is translated on its own, as the reader gives it a line of its own.
So is the text of a hyperlink, which keeps its link. Text in a legacy Vietnamese font
(.VnTime, VNI-Times) is read converted and written in a Unicode font.
"""

from __future__ import annotations

import copy
import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass

from ..documents import DocumentText
from ..encodings import from_legacy, repair_text
from ..formats import StyleFonts, legacy_font, run_font
from ..text import is_blank, nfc
from ..translator import Translation
from .place import Span, place, translated_lines

# The parts that hold what a reader sees (their content types end so): the main text
# (of a document, a template, a macro-enabled one), the headers and the footers.
_PARTS = ("document.main+xml", "template.main+xml", "macroEnabled.main+xml", ".header+xml", ".footer+xml")
# A legacy font's runs are written in this one once their text is Unicode.
UNICODE_FONT = "Times New Roman"
# Line ends Python's str.splitlines sees: a run's text must stay on one line of the
# text the model is given, so each becomes a space (same length: offsets hold).
_LINE_ENDS = str.maketrans({c: " " for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


@functools.cache
def _w() -> dict[str, str]:
    """Qualified names of the WordprocessingML elements the layout looks at."""
    from docx.oxml.ns import qn

    names = ("p", "r", "t", "rPr", "pPr", "del", "moveFrom", "lang", "noProof", "lastRenderedPageBreak",
             "softHyphen", "proofErr", "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
             "permStart", "permEnd")
    return {name: qn(f"w:{name}") for name in names}


@dataclass
class _Unit:
    """Sibling runs holding only text, translated as one line; per run its text, its
    format key, and whether its font is a legacy one (all capitals or not)."""

    runs: list
    pieces: list[str]
    keys: list[bytes]
    legacy: list[tuple[str, bool] | None]

    @property
    def text(self) -> str:
        return "".join(self.pieces)


class WordLayout:
    """A .docx file read for translation in place: ``text`` holds one unit per line
    (what to translate); :meth:`write` puts a translation of ``text`` back, once."""

    def __init__(self, data: bytes, document: DocumentText):
        import docx

        self.notices = document.notices
        self._document = docx.Document(io.BytesIO(data))
        styles = StyleFonts(self._document.styles.element)
        paragraphs = [p for part in self._document.part.package.iter_parts()
                      if part.content_type.endswith(_PARTS) and hasattr(part, "element")
                      for p in part.element.iter(_w()["p"])]
        self._units = [unit for p in paragraphs for unit in _units(p, styles)]
        _repair_lost_fonts(self._units)
        self.text = "".join(unit.text + "\n" for unit in self._units)

    def write(self, result: Translation) -> bytes:
        """The file with ``result`` (a translation of :attr:`text`) in place of its text."""
        for unit, translated in zip(self._units, translated_lines(result, len(self._units))):
            _put(unit, place(unit.pieces, unit.keys, translated.line, translated.targets, translated.terms))
        out = io.BytesIO()
        self._document.save(out)
        return out.getvalue()


def _units(p, styles: StyleFonts) -> Iterator[_Unit]:
    """The units of one paragraph: each stretch of text runs that is not blank."""
    paragraph_font = styles.paragraph_font(p)
    for runs in _stretches(p):
        pieces, keys, legacy = [], [], []
        for r in runs:
            text = "".join(t.text or "" for t in r.iterchildren(_w()["t"]))
            font = legacy_font(run_font(r, paragraph_font, styles))
            if font:
                text = from_legacy(text, font[0])
                text = text.upper() if font[1] else text
            pieces.append(nfc(text).translate(_LINE_ENDS))
            keys.append(_key(r))
            legacy.append(font)
        if not is_blank("".join(pieces)):
            yield _Unit(runs, pieces, keys, legacy)


def _stretches(container) -> Iterator[list]:
    """Runs of ``container`` that hold only text and stand side by side (bookmarks and
    proofing marks between them do not part them); containers inside it (hyperlinks,
    tracked insertions, content controls, simple fields) give stretches of their own.
    Deleted text (tracked deletions) is not translated."""
    w = _w()
    markers = {w[n] for n in ("proofErr", "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                              "permStart", "permEnd")}
    stretch: list = []
    for child in list(container):
        if child.tag == w["r"]:
            for run in _split(child):
                if _text_only(run):
                    stretch.append(run)
                elif stretch:
                    yield stretch
                    stretch = []
        elif child.tag not in markers:
            if stretch:
                yield stretch
                stretch = []
            if child.tag not in (w["pPr"], w["del"], w["moveFrom"]):
                yield from _stretches(child)
    if stretch:
        yield stretch


def _unseen() -> tuple[str, str]:
    """Run content that is neither text nor something to keep in place once the text changes."""
    return _w()["lastRenderedPageBreak"], _w()["softHyphen"]


def _text_only(run) -> bool:
    w = _w()
    content = [c.tag for c in run if c.tag != w["rPr"] and c.tag not in _unseen()]
    return bool(content) and all(tag == w["t"] for tag in content)


def _split(run) -> list:
    """``run``, or when it mixes text with other content (an image, a tab, a break), one
    run per stretch of each, with the same properties, in its place."""
    w = _w()
    content = [c for c in run if c.tag != w["rPr"] and c.tag not in _unseen()]
    kinds = [c.tag == w["t"] for c in content]
    if all(kinds) or not any(kinds):
        return [run]
    parent, at = run.getparent(), run.getparent().index(run)
    parts: list = []
    for child, is_text in zip(content, kinds):
        if not parts or is_text != (parts[-1][-1].tag == w["t"]):
            parts.append(_shell(run))
        parts[-1].append(child)
    parent.remove(run)
    for k, part in enumerate(parts):
        parent.insert(at + k, part)
    return parts


def _shell(run):
    """An empty run with ``run``'s attributes and properties."""
    shell = run.makeelement(run.tag, dict(run.attrib))
    properties = run.find(_w()["rPr"])
    if properties is not None:
        shell.append(copy.deepcopy(properties))
    return shell


def _key(run) -> bytes:
    """What a run looks like: its properties without the proofing language and marks."""
    from lxml import etree

    w = _w()
    properties = run.find(w["rPr"])
    if properties is None:
        return b""
    properties = copy.deepcopy(properties)
    for child in list(properties):
        if child.tag in (w["lang"], w["noProof"]):
            properties.remove(child)
    return etree.tostring(properties)


def _repair_lost_fonts(units: list[_Unit]) -> None:
    """Convert text that reads as a legacy encoding though no legacy font says so (the
    fonts were lost along the way), as :func:`vnsum.formats.read_docx` does."""
    if any(font for unit in units for font in unit.legacy):
        return
    _, encoding = repair_text("\n".join(unit.text for unit in units))
    if encoding is None:
        return
    for unit in units:
        unit.pieces = [nfc(from_legacy(text, encoding)).translate(_LINE_ENDS) for text in unit.pieces]
        unit.legacy = [(encoding, False)] * len(unit.pieces)


def _put(unit: _Unit, spans: list[Span]) -> None:
    """Replace the unit's runs by one run per span, in order: a span's run is the piece's
    own run (its copy when that run already carries an earlier span)."""
    parent = unit.runs[0].getparent()
    at = parent.index(unit.runs[0])
    for run in unit.runs:
        parent.remove(run)
    used: set[int] = set()
    for k, span in enumerate(spans):
        source = unit.runs[span.piece]
        run = _shell(source) if span.piece in used else source
        used.add(span.piece)
        _set_text(run, span.text, unit.legacy[span.piece])
        parent.insert(at + k, run)


def _set_text(run, text: str, legacy: tuple[str, bool] | None) -> None:
    from docx.text.run import Run

    w = _w()
    for child in list(run):
        if child.tag != w["rPr"]:
            run.remove(child)
    t = run.makeelement(w["t"], {})
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    if legacy:
        font = Run(run, None).font
        font.name = UNICODE_FONT
        if legacy[1]:  # a capitals-only font (.VnTimeH): shown in capitals still
            font.all_caps = True


def build_docx(title: str, paragraphs: list[str]) -> bytes:
    """A plain Word file: ``title`` as its heading (and its title property), then the paragraphs."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
