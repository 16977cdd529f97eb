"""Bad and unusual documents through the Python API (``read_document``, ``Translator``) and
the command line: each gets a clear refusal, or is read and translated with a notice."""

import pytest

from fakes import CopyBackend
from vnsum import Translator
from vnsum.cli import main
from vnsum.documents import parse_document, read_document
from vnsum.encodings import encode_legacy
from vnsum.errors import InputError
from vnsum.segment import MAX_SENTENCE_CHARS, is_verbatim, split_document

from .test_encodings import cp1258

VI = "Đại tướng Tô Lâm dự họp với Bộ Công an tại Hà Nội.\n"
VI_COPIED = "General To Lam dự họp với Ministry of Public Security tại Ha Noi.\n"  # CopyBackend + glossary


@pytest.mark.parametrize("data, message", [
    (b"", "the document is empty"),
    (b" \n\t\r\n  ", "the document is empty (only whitespace)"),
    (b"\x01\x02\x03 \x04", "looks like a binary file"),
    (b"\x00\x01\x02\x03garbage\x00", "looks like a binary file (it contains NUL bytes)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text document: it is a PNG image"),
    (b"Ok \xff\xfe broken", "not valid UTF-8 (byte offset 3)"),
])
def test_unreadable_documents_are_refused_clearly(tmp_path, data, message):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)


def test_cli_reports_every_bad_document_and_writes_the_rest(tmp_path, copy_cli, capsys):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "good.vi.txt").write_text(VI, encoding="utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "blank.txt").write_bytes(b"  \n\n")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (inbox / "broken.txt").write_bytes("Bộ Công an".encode() + b"\xc3\x28 kh\xf4ng")
    code = main(["translate", str(inbox), "-o", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert (tmp_path / "out" / "good.en.txt").read_text(encoding="utf-8") == VI_COPIED
    for name, reason in [("empty.txt", "the document is empty"), ("blank.txt", "only whitespace"),
                         ("binary.txt", "binary file"), ("broken.txt", "not valid UTF-8 (byte offset 13)")]:
        line = next(line for line in err.splitlines() if line.startswith(f"vnsum: failed: {inbox / name}"))
        assert reason in line
    assert "1 of 5 documents done, 4 failed" in err


@pytest.mark.parametrize("encode, notice", [
    (lambda t: t.encode("utf-16"), "decoded from UTF-16 (byte-order mark)"),
    (lambda t: b"\xef\xbb\xbf" + t.encode(), None),
    (cp1258, "converted from Windows-1258"),
    (lambda t: encode_legacy(t, "TCVN3"), "converted from TCVN3"),
    (lambda t: encode_legacy(t, "VNI"), "converted from VNI"),
])
def test_legacy_encodings_are_converted_with_a_notice_and_translated(tmp_path, copy_cli, capsys, encode, notice):
    src = tmp_path / "a.vi.txt"
    src.write_bytes(encode(VI))
    assert main(["translate", str(src), "-o", str(tmp_path / "a.en.txt")]) == 0
    assert (tmp_path / "a.en.txt").read_text(encoding="utf-8") == VI_COPIED
    err = capsys.readouterr().err
    if notice:
        assert f"vnsum: notice: {src}: " in err and notice in err
    else:
        assert "notice" not in err


def test_python_api_reads_legacy_files_with_notices(tmp_path, article_vi):
    path = tmp_path / "cu.txt"
    path.write_bytes(encode_legacy(article_vi, "TCVN3"))
    text, notices = read_document(path)
    assert text == article_vi
    assert len(notices) == 1 and "converted from TCVN3" in notices[0]


def test_control_characters_are_removed_and_emoji_kept(tmp_path, copy_cli, capsys):
    src = tmp_path / "a.txt"
    src.write_text("Bộ Công an\x07 họp 👮‍♂️🇻🇳.\x0bCâu\x1b hai\x00.\n", encoding="utf-8")
    with pytest.raises(InputError, match="NUL"):  # a NUL byte means binary, not text
        read_document(src)
    src.write_text("Bộ Công an\x07 họp 👮‍♂️🇻🇳.\x0bCâu\x1b hai\u0085.\n", encoding="utf-8")
    text, notices = read_document(src)
    assert text == "Bộ Công an họp 👮‍♂️🇻🇳.\nCâu hai.\n"
    assert notices == ("removed 3 control character(s)",)
    assert main(["translate", str(src), "--no-glossary"]) == 0
    out = capsys.readouterr()
    assert out.out == text and "removed 3 control character(s)" in out.err


def test_a_5000_character_sentence_without_punctuation_loses_nothing(article_vi):
    words = article_vi.replace(".", "").replace(",", "").split()
    sentence = " ".join(words * 30)[:5000].rstrip()
    backend = CopyBackend(max_input_tokens=64)
    result = Translator(backend=backend, glossary=None).translate_document(sentence)
    assert result.text.split() == sentence.split()
    assert all(backend.count_tokens(piece) <= 64 for call in backend.calls for piece in call)


def test_an_overlong_sentence_is_cut_at_clauses_and_rebuilt_exactly():
    clause = "lực lượng Công an nhân dân bảo đảm an ninh trật tự trên địa bàn, "
    line = "  " + clause * 300 + "kết thúc  "
    split = split_document(line + "\n")
    assert split.render(split.sentences) == line + "\n"
    assert len(split.sentences) > 1 and max(map(len, split.sentences)) <= MAX_SENTENCE_CHARS
    assert all(s.endswith(",") for s in split.sentences[:-1]) and split.sentences[-1].endswith("kết thúc")


def test_a_5000_character_sentence_on_a_real_tokenizer(with_models, article_vi):
    sentence = " ".join(article_vi.replace(".", "").split() * 10)[:5000]
    result = Translator("opus-mt", device="cpu", beam_size=1).translate_document(sentence + "\n")
    assert result.text.endswith("\n") and result.text.count("\n") == 1 and result.segments


def test_lines_of_only_numbers_are_copied():
    class Shout(CopyBackend):
        def transform(self, sentence):
            return sentence.upper() + "!"

    text = "Tin tức hôm nay.\n2024\n1.000.000 - 14/4/2022\n\n123 456 789\n"
    result = Translator(backend=Shout(), glossary=None).translate_document(text)
    assert result.text == "TIN TỨC HÔM NAY.!\n2024\n1.000.000 - 14/4/2022\n\n123 456 789\n"


@pytest.mark.parametrize("sentence, verbatim", [
    ("https://bocongan.gov.vn/tin-tuc/hoi-nghi-123.html", True),
    ("www.chinhphu.vn/?id=5", True),
    ("Liên hệ: 0243 123 456 - lienhe@bocongan.gov.vn", False),
    ("lienhe@bocongan.gov.vn; 0243 123 456", True),
    ("14/4/2022 - 1.000.000", True),
    ("Xem https://bocongan.gov.vn", False),
])
def test_links_and_numbers_are_recognised_as_verbatim(sentence, verbatim):
    assert is_verbatim(sentence) is verbatim


def test_lines_of_only_urls_are_copied():
    class Shout(CopyBackend):
        def transform(self, sentence):
            return sentence.upper()

    text = "https://bocongan.gov.vn/tin-tuc/hoi-nghi.html\nwww.chinhphu.vn\n"
    assert Translator(backend=Shout(), glossary=None).translate_document(text).text == text


def test_mixed_vietnamese_and_english_is_not_flagged(tmp_path, article_vi, article_en):
    mixed = "\n".join(f"{vi} ({en})" for vi, en in zip(article_vi.splitlines(), article_en.splitlines()))
    for lang in ("vi", "en"):
        assert parse_document(mixed.encode(), "mixed.txt", lang=lang).notices == ()


def test_text_in_the_other_language_is_translated_with_a_warning(tmp_path, copy_cli, capsys, article_en,
                                                                 article_vi):
    src = tmp_path / "wrong.txt"
    src.write_text(article_en, encoding="utf-8")
    assert main(["translate", str(src), "-s", "vi", "-t", "en", "-o", str(tmp_path / "out.txt")]) == 0
    assert (tmp_path / "out.txt").exists()
    assert "does not look like Vietnamese" in capsys.readouterr().err
    src.write_text(article_vi, encoding="utf-8")
    assert main(["translate", str(src), "-s", "en", "-t", "vi", "-o", str(tmp_path / "out.txt")]) == 0
    assert "looks like Vietnamese, not English" in capsys.readouterr().err


def test_unknown_model_name_is_one_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VNSUM_MODELS", str(tmp_path / "models"))
    src = tmp_path / "a.txt"
    src.write_text(VI, encoding="utf-8")
    assert main(["translate", str(src), "--model", "opus_mt_typo"]) == 2  # the command was wrong
    err = capsys.readouterr().err
    assert "No model 'opus_mt_typo': did you mean 'opus-mt'?" in err and "Traceback" not in err


def test_model_folder_missing_files_is_one_clear_error(tmp_path, model_root, capsys):
    import shutil

    broken = tmp_path / "broken-model"
    shutil.copytree(model_root / "opus-mt" / "vi-en", broken)
    (broken / "model.safetensors").unlink()
    src = tmp_path / "a.txt"
    src.write_text(VI, encoding="utf-8")
    assert main(["translate", str(src), "--model", str(broken)]) == 1
    assert f"Model folder {broken}: no config.json and weights file in it." in capsys.readouterr().err
    (broken / "config.json").unlink()
    shutil.copy(model_root / "opus-mt" / "vi-en" / "model.safetensors", broken)
    assert main(["translate", str(src), "--model", str(broken), "--format", "json"]) == 1
    assert "no config.json" in capsys.readouterr().err


@pytest.mark.slow
def test_a_10_mb_document_is_read_split_and_translated(article_vi):
    """Nothing in reading or splitting grows faster than the document (times are reported by
    the benchmark, not asserted here): a 10 MB file of lines, and one 10 MB line."""
    copies = 10_000_000 // len(article_vi.encode()) + 1
    lines = article_vi * copies
    doc = parse_document(lines.encode(), "big.txt", lang="vi")
    assert doc.text == lines and doc.notices == ()
    one_line = " ".join(article_vi.replace(".", " ").split()) + " "
    one_line = one_line * (10_000_000 // len(one_line.encode()) + 1)
    split = split_document(one_line)
    assert split.render(split.sentences) == one_line
    assert max(map(len, split.sentences)) <= MAX_SENTENCE_CHARS
    megabyte = one_line[:1_000_000]
    assert Translator(backend=CopyBackend(), glossary=None).translate_document(megabyte).text.split() == \
        megabyte.split()
