"""Glossary files as offices make them: wrong columns, duplicates, non-NFC text, a BOM, CRLF,
Excel's UTF-16 "Unicode text", a legacy encoding, 100k rows — clear errors with line
numbers, or correct loading."""

import unicodedata

import pytest

from vnsum.cli import main
from vnsum.encodings import encode_legacy
from vnsum.errors import GlossaryError
from vnsum.glossary import Glossary, check

HEADER = "vi\ten\tkind\tvariants\tsource\n"
ROWS = "Bộ Công an\tMinistry of Public Security\torg\tMPS\tgov\nĐại tướng\tGeneral\trank\t\tVNA\n"


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "g.tsv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(path):
    return [(p.line, p.level, p.message) for p in check(path)]


def test_wrong_columns_are_errors_with_line_numbers(tmp_path):
    path = write(tmp_path, HEADER + ROWS + "Hà Nội\tHa Noi\n" + "A\tB\torg\t\ts\textra\n" + "C\tD\tagency\t\ts\n")
    assert [(line, level) for line, level, _ in problems(path) if level == "error"] == [
        (4, "error"), (5, "error"), (6, "error")]
    with pytest.raises(GlossaryError) as err:
        Glossary.load(path)
    message = str(err.value)
    assert f"{path}:4: expected 3 to 5 tab-separated columns, found 2" in message
    assert f"{path}:5: expected 3 to 5 tab-separated columns, found 6" in message
    assert f"{path}:6: kind 'agency' is not one of" in message


def test_a_comma_separated_file_is_told_to_use_tabs(tmp_path):
    path = write(tmp_path, "vi,en,kind,variants,source\nBộ Công an,Ministry of Public Security,org,,gov\n")
    with pytest.raises(GlossaryError, match=f"{path}:1: header must be .*glossaries use tabs"):
        Glossary.load(path)


def test_duplicates_warn_and_conflicts_fail(tmp_path):
    dup = write(tmp_path, HEADER + ROWS + "bộ công an\tMinistry of Public Security\torg\t\tcopy\n")
    assert (4, "warning", "duplicate of line 2 ('bộ công an')") in problems(dup)
    assert len(Glossary.load(dup).entries) == 2
    conflict = write(tmp_path, HEADER + ROWS + "Bộ Công an\tPolice Ministry\torg\t\tx\n", name="c.tsv")
    with pytest.raises(GlossaryError, match=r"c.tsv:4: conflict with line 2"):
        Glossary.load(conflict)


def test_non_nfc_text_is_normalised_with_a_warning(tmp_path):
    path = write(tmp_path, unicodedata.normalize("NFD", HEADER + ROWS))
    assert (2, "warning", "vi column is not NFC; it was normalised") in problems(path)
    assert Glossary.load(path).entries[0].vi == "Bộ Công an"


@pytest.mark.parametrize("encode, note", [
    (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), None),
    (lambda t: t.replace("\n", "\r\n").encode("utf-8"), None),
    (lambda t: t.replace("\n", "\r\n").encode("utf-16"), "read as UTF-16 (byte-order mark)"),  # Excel
])
def test_bom_crlf_and_excel_unicode_text_load(tmp_path, encode, note):
    path = tmp_path / "g.tsv"
    path.write_bytes(encode(HEADER + ROWS))
    entries = Glossary.load(path).entries
    assert [(e.vi, e.en, e.variants, e.source) for e in entries] == [
        ("Bộ Công an", "Ministry of Public Security", ("MPS",), "gov"), ("Đại tướng", "General", (), "VNA")]
    assert [m for _, level, m in problems(path) if level == "info" and "byte-order" in m] == ([note] if note else [])


@pytest.mark.parametrize("encoding, hint", [("TCVN3", "it looks like TCVN3; "), ("VNI", "it looks like VNI; ")])
def test_a_legacy_encoded_glossary_is_refused_with_line_and_hint(tmp_path, encoding, hint):
    path = tmp_path / "g.tsv"
    path.write_bytes(HEADER.encode() + encode_legacy(ROWS, encoding))
    with pytest.raises(GlossaryError) as err:
        Glossary.load(path)
    assert str(err.value).startswith(f"{path}:2: not UTF-8 (byte offset ")
    assert hint + "save the glossary as UTF-8" in str(err.value)


def test_a_bad_glossary_stops_translate_with_one_clear_message(tmp_path, capsys):
    path = write(tmp_path, HEADER + "Hà Nội\tHa Noi\n")
    (tmp_path / "a.txt").write_text("Hà Nội.", encoding="utf-8")
    assert main(["translate", str(tmp_path / "a.txt"), "-g", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2: expected 3 to 5 tab-separated columns, found 2" in err and "Traceback" not in err


@pytest.mark.slow
def test_100k_rows_load_and_check(tmp_path):
    """Loading must not compare every pair of entries (it once did, for the nesting notes)."""
    syllables = "bộ công an hà nội ủy ban nhân dân tỉnh thành phố sở giao thông vận tải tài chính".split()

    def term(n: int) -> str:
        return " ".join(syllables[(n // len(syllables) ** k) % len(syllables)] for k in range(5)) + f" {n}"

    rows = [HEADER.rstrip("\n"), *(f"{term(n)}\tTerm {n}\torg\t\tgenerated" for n in range(100_000))]
    path = write(tmp_path, "\n".join(rows) + "\n")
    glossary = Glossary.load(path)
    assert len(glossary.entries) == 100_000
    assert [m.entry.en for m in glossary.find(f"Hôm nay {term(99_999).upper()} họp.", "vi", "en")] == ["Term 99999"]
    assert not [p for p in check(path) if p.level == "error"]
