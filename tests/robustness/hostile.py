"""Hostile inputs generated in code (issue 13): Word files and pages built to hang,
exhaust memory or crash a reader. Nothing here is stored on disk."""

from __future__ import annotations

import io
import zipfile

import pytest

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def plain_docx() -> bytes:
    """A valid one-paragraph .docx made by python-docx: the package the others modify."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Bộ Công an họp.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of :func:`plain_docx` with some of its parts (``word/document.xml``…) replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain_docx())) as source, zipfile.ZipFile(buffer, "w", compression) as out:
        for item in source.infolist():
            out.writestr(item.filename, parts.get(item.filename, source.read(item.filename)))
    return buffer.getvalue()


def body(inner: str) -> bytes:
    """A word/document.xml whose body is ``inner``."""
    return f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{inner}</w:body></w:document>'.encode()


def self_based_styles() -> bytes:
    """A paragraph style based on itself, set as the default: a naive base-style walk never ends."""
    return (f'<?xml version="1.0"?><w:styles xmlns:w="{W}">'
            '<w:style w:type="paragraph" w:default="1" w:styleId="Loop"><w:name w:val="Loop"/>'
            '<w:basedOn w:val="Loop"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/></w:style>'
            '</w:styles>').encode()


def nested_tables(depth: int) -> str:
    return "<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth


def billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "ha">{entities}]>'
            f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>'
            ).encode()


def bad_deflate() -> bytes:
    """A .docx whose document part's compressed bytes are damaged (its header is intact)."""
    data = bytearray(docx_with({}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 5:start + 40] = b"\xff" * 35
    return bytes(data)


def nested_html(tag: str, depth: int) -> bytes:
    """``depth`` elements ``tag`` one inside the other, around one paragraph."""
    return (f"<html><body>{f'<{tag}>' * depth}<p>Bộ Công an họp.</p>{f'</{tag}>' * depth}</body></html>").encode()


def merged_column(rows: int, chain: int) -> str:
    """A two-column table whose first column is merged down in chains of ``chain`` cells
    (a continued cell holds no paragraph, as Word allows); the second column numbers the rows."""
    cells = [
        (f'<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Gộp {i}</w:t></w:r></w:p></w:tc>'
         if i % chain == 0 else '<w:tc><w:tcPr><w:vMerge/></w:tcPr></w:tc>')
        + f"<w:tc><w:p><w:r><w:t>{i}</w:t></w:r></w:p></w:tc>" for i in range(rows)]
    return "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>" + "".join(f"<w:tr>{c}</w:tr>" for c in cells) + "</w:tbl>"


def styles(inner: str) -> bytes:
    """A word/styles.xml holding ``inner``."""
    return f'<?xml version="1.0"?><w:styles xmlns:w="{W}">{inner}</w:styles>'.encode()


def based_on_chain(length: int, font: str) -> bytes:
    """Paragraph styles s0 based on s1, … on s{length-1}, which alone sets ``font``."""
    chain = "".join(f'<w:style w:type="paragraph" w:styleId="s{i}"><w:basedOn w:val="s{i + 1}"/></w:style>'
                    for i in range(length - 1))
    last = (f'<w:style w:type="paragraph" w:styleId="s{length - 1}"><w:rPr>'
            f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr></w:style>')
    return styles(chain + last)


def styled_paragraphs(style_ids) -> str:
    """One paragraph of text for each style id."""
    return "".join(f'<w:p><w:pPr><w:pStyle w:val="{s}"/></w:pPr><w:r><w:t>Hä</w:t></w:r></w:p>' for s in style_ids)
