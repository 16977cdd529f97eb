"""Summarizers on articles written for these tests."""

import pytest

from vnsum.summarize import get_summarizer
from vnsum.summarize.abstractive import AbstractiveSummarizer

LEAD = "Bộ Công an tổ chức hội nghị tổng kết công tác bảo đảm an ninh trật tự năm 2025 tại Hà Nội."
ARTICLE = f"""Tiêu đề bài viết về hội nghị

20/01/2026
Lượt xem: 3518
{LEAD} Hội nghị tổng kết công tác bảo đảm an ninh trật tự do Bộ trưởng Bộ Công an chủ trì.

Toàn cảnh Hội nghị.

Năm 2025, công tác bảo đảm an ninh trật tự đạt nhiều kết quả quan trọng trên cả nước. Thời tiết hôm đó có nắng nhẹ và gió thổi từ phía đông nam.
Lực lượng Công an đã triệt phá nhiều đường dây tội phạm ma túy, bảo đảm an ninh trật tự tại địa phương.

Các đại biểu chụp ảnh lưu niệm.

Hồng Dũng
Tìm kiếm
Tin tức - Sự kiện
"""


@pytest.fixture
def extractive():
    return get_summarizer("extractive")


def test_junk_lines_never_chosen(extractive):
    summary = extractive.summarize(ARTICLE, "vi", sentences=10)
    text = " ".join(summary.sentences)
    for junk in ("Tiêu đề", "20/01/2026", "Lượt xem", "Toàn cảnh", "chụp ảnh", "Hồng Dũng", "Tìm kiếm", "Tin tức"):
        assert junk not in text
    assert len(summary.sentences) == 5  # every real sentence, and nothing else


def test_lead_sentence_is_chosen_and_order_is_the_documents(extractive):
    summary = extractive.summarize(ARTICLE, "vi", sentences=2)
    assert summary.sentences[0] == LEAD
    assert summary.indices == sorted(summary.indices)


def test_off_topic_sentence_loses_to_central_ones(extractive):
    summary = extractive.summarize(ARTICLE, "vi", sentences=3)
    assert not any("Thời tiết" in s for s in summary.sentences)


def test_redundant_sentences_are_not_both_chosen(extractive):
    dup = "Bộ Công an phát động phong trào thi đua bảo vệ an ninh Tổ quốc trong toàn lực lượng năm 2026."
    text = (f"{dup}\n{dup.replace('năm 2026', 'trong năm 2026')}\n"
            "Các địa phương báo cáo kết quả triển khai phong trào tại cơ sở trong năm qua.\n"
            "Lực lượng Công an tăng cường tuần tra kiểm soát bảo đảm trật tự an toàn giao thông.\n")
    summary = extractive.summarize(text, "vi", sentences=2)
    assert sum("phát động" in s for s in summary.sentences) == 1


def test_length_targets(extractive):
    assert len(extractive.summarize(ARTICLE, "vi", sentences=1).sentences) == 1
    summary = extractive.summarize(ARTICLE, "vi", words=40)
    assert 0 < sum(len(s.split()) for s in summary.sentences) <= 40


def test_deterministic(extractive):
    runs = {tuple(get_summarizer("extractive").summarize(ARTICLE, "vi", sentences=3).indices) for _ in range(3)}
    assert len(runs) == 1


def test_lead_baseline_and_english(extractive):
    lead = get_summarizer("lead").summarize(ARTICLE, "vi", sentences=2)
    assert lead.sentences[0] == LEAD and len(lead.sentences) == 2
    english = ("The Ministry of Public Security held a conference in Ha Noi on security work in 2025. "
               "The Minister chaired the conference on security work. Mr. Smith said the weather was fine.")
    summary = extractive.summarize(english, "en", sentences=3)
    assert summary.sentences[-1] == "Mr. Smith said the weather was fine."  # "Mr." did not end a sentence
    assert len(summary.sentences) == 3


def test_empty_article_gives_an_empty_summary_with_a_note(extractive):
    summary = extractive.summarize("Tiêu đề\n\n20/01/2026\n", "vi")
    assert summary.sentences == [] and summary.notes


def test_abstractive_goes_through_real_loading_and_chunks_long_input(with_models):
    summarizer = get_summarizer("vit5", device="cpu", beam_size=1, max_summary_tokens=8)
    assert isinstance(summarizer, AbstractiveSummarizer)
    backend = summarizer.backend("vi")
    assert backend.adapter.source_text("x", "vi", "vi") == "x"  # vit5 takes plain text
    long_article = "\n".join(f"Câu thứ {i} nói về công tác bảo đảm an ninh trật tự tại địa phương." for i in range(120))
    chunks = summarizer.chunks(long_article, "vi", backend)
    assert len(chunks) > 1 and all(backend.count_tokens(c) <= backend.max_input_tokens for c in chunks)
    assert sum(c.count("Câu thứ") for c in chunks) == 120  # nothing dropped
    summary = summarizer.summarize(long_article, "vi", sentences=2)
    assert any(f"{len(chunks)} parts" in note for note in summary.notes)
    assert len(summary.sentences) <= 2


def test_abstractive_missing_weights_is_a_clear_error(monkeypatch, tmp_path):
    from vnsum.errors import ModelNotFoundError

    monkeypatch.setenv("VNSUM_MODELS", str(tmp_path))
    with pytest.raises(ModelNotFoundError, match="VietAI/vit5-base-vietnews-summarization"):
        get_summarizer("vit5").summarize(ARTICLE, "vi")
    with pytest.raises(ModelNotFoundError, match="does not translate en->en"):
        get_summarizer("vit5").summarize("An English text here.", "en")
