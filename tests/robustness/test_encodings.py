"""Encodings: UTF-8/16/32 with a byte-order mark, Windows-1258, the legacy font encodings
TCVN3 (.VnTime) and VNI, double-encoded UTF-8 — detected and converted with a notice,
or refused with a clear message; never mojibake passed on silently."""

import random
import shutil
import subprocess
import unicodedata

import pytest

from vnsum.encodings import LEGACY, TCVN3, decode, encode_legacy, reading, repair_text, windows_view
from vnsum.errors import InputError

LETTERS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
ALL_LETTERS = LETTERS + LETTERS.upper()


def cp1258(text: str) -> bytes:
    """Windows-1258 as Word writes it: precomposed where the code page has the letter,
    otherwise the base letter and a combining tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = [c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323"]
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tone))
            out += base.encode("cp1258") + "".join(tone).encode("cp1258")
    return bytes(out)


# Written by hand from the published TCVN3 and VNI tables (as shown in Windows-1252).
@pytest.mark.parametrize("view, encoding, expected", [
    ("Bé C«ng an", "TCVN3", "Bộ Công an"),
    ("§¹i t\u00adíng T« L©m", "TCVN3", "Đại tướng Tô Lâm"),
    ("Uû ban nh©n d©n thµnh phè Hµ Néi", "TCVN3", "Uỷ ban nhân dân thành phố Hà Nội"),
    ("ViÖt Nam, n¨m, ®\u00adîc, ng\u00adêi, NguyÔn", "TCVN3", "Việt Nam, năm, được, người, Nguyễn"),
    ("Boä Coâng an", "VNI", "Bộ Công an"),
    ("Ñaïi töôùng Toâ Laâm", "VNI", "Đại tướng Tô Lâm"),
    ("Vieät Nam, naêm, ñöôïc, ngöôøi, Nguyeãn, tænh, nghò, Myõ", "VNI",
     "Việt Nam, năm, được, người, Nguyễn, tỉnh, nghị, Mỹ"),
    ("VIEÄT NAM, ÑAÛNG", "VNI", "VIỆT NAM, ĐẢNG"),
])
def test_published_examples(view, encoding, expected):
    assert LEGACY[encoding].convert(view) == expected
    assert encode_legacy(expected, encoding) == view.encode("cp1252")


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_every_vietnamese_letter_round_trips(encoding, article_vi):
    for text in (ALL_LETTERS, article_vi):
        data = encode_legacy(text, encoding)
        assert LEGACY[encoding].convert(windows_view(data)) == text


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv is not installed")
def test_tcvn3_table_agrees_with_glibc():
    """An independent implementation of TCVN 5712:1993: every byte 0xA1-0xFF decodes the same."""
    probe = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=b"a", capture_output=True)
    if probe.returncode != 0:
        pytest.skip("this iconv has no TCVN5712-1")
    for byte in range(0xA1, 0x100):
        theirs = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([byte]),
                                capture_output=True, check=True).stdout.decode()
        assert TCVN3[chr(byte)] == theirs, hex(byte)


@pytest.mark.parametrize("make, encoding, notice", [
    (lambda t: t.encode("utf-8"), "UTF-8", None),
    (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "UTF-8", None),
    (lambda t: t.encode("utf-16"), "UTF-16", "decoded from UTF-16 (byte-order mark)"),
    (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "UTF-16", "decoded from UTF-16 (byte-order mark)"),
    (lambda t: t.encode("utf-32"), "UTF-32", "decoded from UTF-32 (byte-order mark)"),
    (lambda t: t.encode("utf-16-le"), "UTF-16", "decoded as UTF-16-LE (it has no byte-order mark"),
    (cp1258, "Windows-1258", "converted from Windows-1258 to Unicode"),
    (lambda t: encode_legacy(t, "TCVN3"), "TCVN3", "converted from TCVN3 (ABC, .VnTime fonts) to Unicode"),
    (lambda t: encode_legacy(t, "VNI"), "VNI", "converted from VNI (VNI-Times fonts) to Unicode"),
])
def test_each_encoding_is_detected(article_vi, make, encoding, notice):
    decoded = decode(make(article_vi), "a.txt")
    assert decoded.text == article_vi
    assert decoded.encoding == encoding
    assert (notice is None and not decoded.notices) or any(notice in n for n in decoded.notices)


def test_double_encoded_utf8_is_repaired():
    text = "Bộ Công an tổ chức hội nghị tổng kết công tác năm. Đại tướng Tô Lâm phát biểu."
    shown = windows_view(text.encode("utf-8"))  # what a Windows editor showed, saved again as UTF-8
    decoded = decode(shown.encode("utf-8"), "a.txt")
    assert decoded.text == text
    assert "double-encoded UTF-8" in decoded.notices[0]


def test_legacy_text_inside_a_unicode_file_is_repaired(article_vi):
    """TCVN3 copied out of a .VnTime Word document into a UTF-8 file: "Bé C«ng an"."""
    mojibake = windows_view(encode_legacy(article_vi, "TCVN3"))
    assert reading(mojibake).share < 0.8
    decoded = decode(mojibake.encode("utf-8"), "a.txt")
    assert decoded.text == article_vi and "converted from TCVN3" in decoded.notices[0]


def test_invalid_utf8_is_refused_with_its_byte_offset():
    with pytest.raises(InputError) as err:
        decode(b"Ok \xff\xfe broken", "bad.txt")
    assert "bad.txt: not valid UTF-8 (byte offset 3)" in str(err.value)
    assert "convert it to UTF-8" in str(err.value)


def test_a_bad_byte_after_a_utf16_mark_names_its_offset():
    with pytest.raises(InputError, match=r"not valid UTF-16 \(byte offset 4\)"):
        decode(b"\xff\xfeA\x00\x00\xdc", "a.txt")  # a lone low surrogate


@pytest.mark.parametrize("data, what", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file"),
    (b"ELF\x00\x01\x02\x00\x00\x00", "binary file (it contains NUL bytes)"),
    (bytes(range(1, 9)) * 20, "binary file (160 control bytes"),
])
def test_binary_files_are_refused_by_name(data, what):
    with pytest.raises(InputError, match="not a text document|looks like a binary file") as err:
        decode(data, "x.txt")
    assert what in str(err.value)


def test_western_text_with_smart_quotes_is_read_with_a_notice():
    decoded = decode("The \u201cnew\u201d rules \u2013 in force.".encode("cp1252"), "en.txt")
    assert decoded.text == "The \u201cnew\u201d rules \u2013 in force."
    assert "read as Windows-1258" in decoded.notices[0]


def test_unicode_text_that_is_not_vietnamese_is_left_alone(article_en):
    for text in (article_en, "Le ministère a célébré la fête à Hanoï.", "Bộ Công an 👮 họp."):
        assert repair_text(text) == (text, None)


def test_random_bytes_never_become_silent_mojibake():
    """Whatever the bytes, the result is refused or comes with a notice: never silently guessed."""
    rng = random.Random(7)
    for _ in range(200):
        junk = bytes(rng.choice(range(0x80, 0x100)) for _ in range(rng.randint(1, 12)))
        data = b"Tin tuc " + junk + b" hom nay " + junk[::-1]
        try:
            decoded = decode(data, "x.txt")
        except InputError:
            continue
        assert decoded.notices, data
