"""Translations that keep their document's layout: Word files out of Word files, web
pages out of web pages.

A .docx translated into .docx keeps its paragraphs and their styles (headings, lists),
tables, headers and footers, images and captions, and its runs' formatting; a web page
translated into .html keeps its tags and attributes. Any other document asked for as
.docx or .html becomes a plain new one: its first line as a heading, then its
paragraphs.

Formatting follows one rule (:mod:`vnsum.layout.place`): the runs (or inline elements)
of a paragraph are joined into one text for the model, which the pipeline splits into
sentences as usual, and the translation is put back on them: each sentence takes the
format of most of its source, and a run whose text is wholly a glossary term, a number
or a name keeps its format on that term's rendering (or that text) in the translation.
Other runs in another format give their words to the sentence's format: a translation
does not keep the source's word order, so no finer mapping would be right.

    from vnsum import Translator, translate_docx
    english = translate_docx(open("bao-cao.docx", "rb").read(), Translator(), "vi", "en")
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..documents import DocumentText, parse_document
from ..errors import UsageError
from ..translator import Translation, Translator
from .webpage import PageLayout, build_html
from .wordfile import WordLayout, build_docx

# The formats that keep a layout, with their file extension.
FORMATS = {"docx": ".docx", "html": ".html"}
# What each format is read from to be translated in place (else the text is built anew).
_SAME = {"docx": (".docx",), "html": (".html", ".htm")}
_BY_SUFFIX = {".docx": "docx", ".html": "html", ".htm": "html"}


class Layout(Protocol):
    """A document read to be written again: ``text`` is what to translate (one line per
    paragraph or part of one), :meth:`write` the file with a translation of it in place."""

    text: str
    notices: tuple[str, ...]

    def write(self, result: Translation) -> bytes: ...


@dataclass
class NewDocument:
    """Text to be written as a new Word file or page (a .txt asked for as .docx)."""

    document: DocumentText
    fmt: str

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def notices(self) -> tuple[str, ...]:
        return self.document.notices

    def write(self, result: Translation) -> bytes:
        """The translation's first line as the heading, its other lines as paragraphs."""
        title, *paragraphs = [line.strip() for line in result.text.splitlines() if line.strip()] or [""]
        if self.fmt == "docx":
            return build_docx(title, paragraphs)
        return build_html(title, paragraphs, result.tgt)


@dataclass
class TranslatedFile:
    """A translated file's bytes, the translation it holds and what reading it found."""

    data: bytes
    translation: Translation
    notices: tuple[str, ...] = field(default_factory=tuple)


def format_of(name: str | None) -> str | None:
    """The layout format a file name asks for by its extension ("docx", "html"), else None."""
    return _BY_SUFFIX.get(Path(name).suffix.lower()) if name else None


def require(fmt: str) -> None:
    """Refuse a format whose package is not installed, with what to install."""
    if fmt == "docx" and importlib.util.find_spec("docx") is None:
        raise UsageError("writing Word .docx files needs the python-docx package (pip install python-docx)")


def read_layout(data: bytes, name: str, fmt: str, *, label: str | None = None, lang: str | None = None) -> Layout:
    """Read a document (by the extension of ``name``) to be written as ``fmt`` ("docx" or
    "html"): in place when it is one already, else as a new document. Reading checks and
    notices are :func:`vnsum.documents.parse_document`'s."""
    require(fmt)
    document = parse_document(data, name, label=label, lang=lang)
    if Path(name).suffix.lower() not in _SAME[fmt]:
        return NewDocument(document, fmt)
    if fmt == "docx":
        return WordLayout(data, document)
    return PageLayout(data, label or name, document)


def translate_file(data: bytes, name: str, translator: Translator, src: str = "vi", tgt: str = "en",
                   fmt: str | None = None) -> TranslatedFile:
    """Translate a document's bytes into a ``fmt`` file (default: the format of ``name``,
    .docx or .html), keeping its layout when it is one; the web page's download."""
    fmt = fmt or format_of(name)
    if fmt not in FORMATS:
        raise UsageError(f"{name}: a file kept in its layout is .docx or .html, not {Path(name).suffix or 'text'}")
    layout = read_layout(data, name, fmt, lang=src)
    result = translator.translate_document(layout.text, src, tgt)
    return TranslatedFile(layout.write(result), result, layout.notices)


def translate_docx(data: bytes, translator: Translator, src: str = "vi", tgt: str = "en") -> bytes:
    """A .docx file's bytes translated into a .docx file's bytes, its layout kept."""
    return translate_file(data, "document.docx", translator, src, tgt).data


def translate_html(data: bytes, translator: Translator, src: str = "vi", tgt: str = "en") -> bytes:
    """A web page's bytes translated into a page's bytes (UTF-8), its markup kept."""
    return translate_file(data, "page.html", translator, src, tgt).data
