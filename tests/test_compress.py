"""Sentence compression for short summaries, on sentences and articles written for these tests."""

import json
from pathlib import Path

import pytest

from vnsum import Translator
from vnsum.glossary import Glossary
from vnsum.pipeline import Pipeline
from vnsum.summarize import get_summarizer
from vnsum.summarize.compress import ENUMERATION, TITLE_CHAIN, Compressor

from fakes import CopyBackend

SEED = Path(__file__).resolve().parents[2] / "shared" / "examples" / "mps-dan-van-2022.vi.txt"

CO_CHAIRS = ("Thượng tướng Lương Văn Tâm, Ủy viên Trung ương Đảng, Thứ trưởng Bộ Công an; đồng chí Phạm Thị Hoa, "
             "Bí thư Trung ương Đảng, Trưởng Ban Dân vận Trung ương đồng chủ trì buổi làm việc.")
ARTICLE = f"""Bộ Công an và Ban Dân vận Trung ương làm việc về công tác dân vận năm 2026

15/01/2026
Lượt xem: 1024
Ngày 15/1/2026, tại Hà Nội, Bộ Công an phối hợp với Ban Dân vận Trung ương tổ chức buổi làm việc về kết quả thực hiện Chương trình số 12-CTr/BDVTW-BCA ngày 10/3/2022 giữa hai cơ quan về công tác dân vận. {CO_CHAIRS}

Dự buổi làm việc có các đồng chí: Trần Văn Quyết, Phó trưởng Ban Dân vận Trung ương; Đỗ Minh Khang, Cục trưởng Cục Xây dựng phong trào; Hoàng Thị Lan, Chánh Văn phòng Bộ Công an và đại diện lãnh đạo các đơn vị.

Báo cáo tại buổi làm việc nêu rõ, công tác phối hợp đã góp phần giữ vững an ninh chính trị, bảo đảm trật tự an toàn xã hội ở các địa bàn trọng điểm, vùng đồng bào dân tộc thiểu số và vùng biên giới.

Hai bên thống nhất tăng cường phối hợp tuyên truyền, vận động Nhân dân tham gia phong trào Toàn dân bảo vệ an ninh Tổ quốc trong thời gian tới.
"""


@pytest.fixture(scope="module")
def compressor():
    return Compressor(Glossary.load("vn-gov"))


def _rebuilt(result) -> str:
    """The source again, from the compressed text and the cuts: proof that only deletions happened."""
    out, pos = [], 0
    for cut in result.cuts:
        kept = result.source[pos:cut.start]
        out.append(kept)
        pos = cut.end
    return "".join(out) + result.source[pos:]


def test_title_chain_keeps_rank_name_and_main_title(compressor):
    result = compressor.compress("Thượng tướng Nguyễn Văn Minh, Ủy viên Trung ương Đảng, Bí thư Đảng ủy Công an "
                                 "Trung ương, Thứ trưởng Bộ Công an chủ trì hội nghị tại Hà Nội.")
    assert result.text == "Thượng tướng Nguyễn Văn Minh, Thứ trưởng Bộ Công an chủ trì hội nghị tại Hà Nội."
    assert [(c.text, c.reason) for c in result.cuts] == [
        (", Ủy viên Trung ương Đảng, Bí thư Đảng ủy Công an Trung ương", TITLE_CHAIN)]
    assert _rebuilt(result) == result.text


def test_two_people_each_keep_their_post_and_the_shared_verb(compressor):
    result = compressor.compress(CO_CHAIRS)
    assert result.text == ("Thượng tướng Lương Văn Tâm, Thứ trưởng Bộ Công an; đồng chí Phạm Thị Hoa, "
                           "Trưởng Ban Dân vận Trung ương đồng chủ trì buổi làm việc.")
    assert all(c.reason == TITLE_CHAIN for c in result.cuts)


@pytest.mark.parametrize("sentence, expected", [
    ("Hội nghị đề ra ba nhiệm vụ: nâng cao năng lực cán bộ; đẩy mạnh chuyển đổi số; "
     "tăng cường phối hợp với các địa phương.", "Hội nghị đề ra ba nhiệm vụ: nâng cao năng lực cán bộ."),
    ("Đoàn công tác gồm Vụ Pháp chế, Cục Cảnh sát giao thông, Văn phòng Bộ và Thanh tra Bộ.",
     "Đoàn công tác gồm Vụ Pháp chế."),
    ("Công an quận Ba Đình (Hà Nội) đã bắt giữ hai đối tượng trộm cắp tài sản.",
     "Công an quận Ba Đình đã bắt giữ hai đối tượng trộm cắp tài sản."),
    ("The People’s Police of Ba Dinh District (Ha Noi) arrested two suspects.",
     "The People’s Police of Ba Dinh District arrested two suspects."),  # an apostrophe is not a quote
    ("Bộ Công an ban hành Thông tư số 12/2025/TT-BCA ngày 10/3/2025 hướng dẫn cấp căn cước cho công dân.",
     "Bộ Công an ban hành Thông tư hướng dẫn cấp căn cước cho công dân."),
])
def test_lists_parentheticals_and_document_numbers(compressor, sentence, expected):
    result = compressor.compress(sentence)
    assert result.text == expected and _rebuilt(result) == expected


@pytest.mark.parametrize("sentence", [
    "Bộ trưởng nhấn mạnh: “Đại tướng Trần Văn Quang, Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an (khi đó) "
    "đã chỉ đạo sát sao công tác này”.",
    "\"Chúng tôi gồm Vụ Pháp chế, Cục Cảnh sát giao thông, Văn phòng Bộ và Thanh tra Bộ\", ông Hải nói.",
    "Nhiệm vụ đặt ra là “nâng cao năng lực cán bộ; đẩy mạnh chuyển đổi số; tăng cường phối hợp”.",
])
def test_nothing_inside_a_quote_is_cut(compressor, sentence):
    assert compressor.compress(sentence).text == sentence


@pytest.mark.parametrize("sentence", [
    "Bộ Công an tổ chức hội nghị tổng kết công tác năm 2025 tại Hà Nội.",
    "Đại tướng Tô Lâm, Bộ trưởng Bộ Công an chủ trì hội nghị.",
    "Dự hội nghị có Trung tướng Lê Văn Hải, Thứ trưởng Bộ Công an, Thiếu tướng Trần Quốc Bình.",
    "Ngày 14/4/2022, Bộ Công an và Ban Dân vận Trung ương ký kết chương trình phối hợp giai đoạn 2022 – 2026.",
    "Các tỉnh như Hà Nội, Hải Phòng và Quảng Ninh đã triển khai mô hình này từ đầu năm nay với nhiều kết quả tốt.",
    "Lực lượng Công an đã triệt phá nhiều đường dây tội phạm, bảo đảm an ninh trật tự tại địa phương.",
])
def test_nothing_is_dropped_from_a_sentence_without_such_spans(compressor, sentence):
    result = compressor.compress(sentence)
    assert result.text == sentence and result.cuts == ()


def test_default_summary_is_short_and_shows_its_cuts():
    summary = get_summarizer("extractive").summarize(ARTICLE, "vi")
    assert 0 < len(summary.text.split()) <= 80
    assert len(summary.cuts) == len(summary.sentences)
    assert any(cut.reason == TITLE_CHAIN for cuts in summary.cuts for cut in cuts)
    whole = get_summarizer("extractive").summarize(ARTICLE, "vi", sentences=2)
    assert whole.cuts == [[], []]  # asked for sentences: the article's sentences as written


def test_lists_of_attendees_are_cut_to_their_head():
    summary = get_summarizer("extractive").summarize(ARTICLE, "vi", words=200)
    attendees = next(s for s in summary.sentences if s.startswith("Dự buổi làm việc"))
    assert attendees == "Dự buổi làm việc có các đồng chí: Trần Văn Quyết, Phó trưởng Ban Dân vận Trung ương."
    assert any(cut.reason == ENUMERATION for cuts in summary.cuts for cut in cuts)


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/examples is not on this machine")
def test_seed_example_default_summary_is_at_most_80_words():
    summary = get_summarizer("extractive").summarize(SEED.read_text(encoding="utf-8"), "vi")
    assert 0 < len(summary.text.split()) <= 80


def test_english_summary_translates_the_shortened_sentences():
    backend = CopyBackend()
    result = Pipeline(Translator(backend=backend)).process(ARTICLE, words=200)
    vi, en = result.summary_vi, result.summary_en
    assert len(vi.sentences) == len(en.sentences) and any(vi.cuts)
    segments = result.translation.segments
    for index, sentence, english, cuts in zip(vi.indices, vi.sentences, en.sentences, vi.cuts):
        assert english == (Translator(backend=CopyBackend()).translate(sentence) if cuts else segments[index].target)
    assert "member of the Party Central Committee" in result.translation.text
    assert "member of the Party Central Committee" not in en.text  # dropped from both summaries alike
    assert "Ủy viên Trung ương Đảng" not in vi.text
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    dropped = [c["text"] for cuts in data["summary_vi"]["cuts"] for c in cuts]
    assert ", Ủy viên Trung ương Đảng" in dropped
