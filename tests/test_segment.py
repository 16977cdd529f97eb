import pytest

from vnsum.segment import split_document, split_long, split_sentences


@pytest.mark.parametrize("text, expected", [
    ("Hội nghị diễn ra tại TP.HCM. Sau đó đoàn về Hà Nội.",
     ["Hội nghị diễn ra tại TP.HCM.", "Sau đó đoàn về Hà Nội."]),
    ("PGS.TS. Nguyễn Văn A phát biểu. Th.S Lê Thị B trình bày.",
     ["PGS.TS. Nguyễn Văn A phát biểu.", "Th.S Lê Thị B trình bày."]),
    ("Đoàn đến TP. Hồ Chí Minh ngày 14/4/2022. Hội nghị bắt đầu.",
     ["Đoàn đến TP. Hồ Chí Minh ngày 14/4/2022.", "Hội nghị bắt đầu."]),
    ("Thu giữ 1.000.000 viên ma túy. Sau 05 năm, kết quả rõ rệt.",
     ["Thu giữ 1.000.000 viên ma túy.", "Sau 05 năm, kết quả rõ rệt."]),
    ("Bộ trưởng nêu rõ: “Phải gần dân. Phải hiểu dân.” Hội nghị kết thúc.",
     ["Bộ trưởng nêu rõ: “Phải gần dân. Phải hiểu dân.”", "Hội nghị kết thúc."]),
    ("Đại diện các đơn vị… Hội nghị bế mạc.", ["Đại diện các đơn vị…", "Hội nghị bế mạc."]),
    ("các đơn vị… và địa phương.", ["các đơn vị… và địa phương."]),
    ("Ông Nguyễn Văn A. Sau đó ông về.", ["Ông Nguyễn Văn A.", "Sau đó ông về."]),
    ("Tăng 12,5%. Giảm 3%!", ["Tăng 12,5%.", "Giảm 3%!"]),
])
def test_vietnamese_sentences(text, expected):
    assert split_sentences(text, "vi") == expected


@pytest.mark.parametrize("text, expected", [
    ("Mr. To Lam met Dr. Smith. They talked.", ["Mr. To Lam met Dr. Smith.", "They talked."]),
    ("J. Smith arrived in the U.S. on Monday.", ["J. Smith arrived in the U.S. on Monday."]),
    ('He said: "We will act." Then he left.', ['He said: "We will act."', "Then he left."]),
])
def test_english_sentences(text, expected):
    assert split_sentences(text, "en") == expected


def test_document_round_trip_keeps_every_byte(article):
    doc = split_document(article, "vi")
    assert doc.render(doc.sentences) == article


def test_lines_blank_lines_and_byline(article):
    doc = split_document(article, "vi")
    kinds = [line.kind for line in doc.lines]
    assert kinds[1] == "blank" and kinds[-1] == "byline"
    assert doc.lines[-1].sentences == ["Hồng Dũng"]
    caption = next(line for line in doc.lines if line.raw == "Toàn cảnh Hội nghị.")
    assert caption.sentences == ["Toàn cảnh Hội nghị."]


def test_crlf_and_spacing_survive():
    text = "  Câu một.   Câu hai.\r\n\r\n\tTiêu đề\r\n"
    doc = split_document(text, "vi")
    assert doc.sentences == ["Câu một.", "Câu hai.", "Tiêu đề"]
    assert doc.render(["A.", "B.", "C"]) == "  A.   B.\r\n\r\n\tC\r\n"


def words(s):
    return len(s.split())


def test_split_long_prefers_clause_boundaries():
    sentence = "Bộ Công an đề nghị các đơn vị tăng cường phối hợp; Ban Dân vận hướng dẫn triển khai, kiểm tra"
    pieces = split_long(sentence, lambda p: words(p) <= 12)
    assert "".join(pieces) == sentence
    assert pieces[0].endswith("; ")
    assert all(words(p) <= 12 for p in pieces)


def test_split_long_never_drops_text_even_without_boundaries():
    blob = "x" * 5000
    pieces = split_long(blob, lambda p: len(p) <= 300)
    assert "".join(pieces) == blob and all(len(p) <= 300 for p in pieces)
    unpunctuated = " ".join(["từ"] * 2000)
    pieces = split_long(unpunctuated, lambda p: words(p) <= 50)
    assert "".join(pieces) == unpunctuated and all(words(p) <= 50 for p in pieces)
