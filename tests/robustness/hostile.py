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
