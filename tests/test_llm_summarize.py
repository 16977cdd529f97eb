"""Abstractive summaries through an OpenAI-compatible server (``openai:NAME``) against a real
local HTTP server with a scripted answer, and the check of names, numbers and dates."""

from __future__ import annotations

import json

import pytest

from vnsum import Pipeline, Translator
from vnsum.backends.openai import LLMOptions
from vnsum.cli import main
from vnsum.summarize import get_summarizer
from vnsum.summarize.facts import unsupported

from llmserver import FakeLLM

ARTICLE = ("Ngày 15/12/2025, tại Hà Nội, Bộ Công an tổ chức Hội nghị sơ kết. Đại tướng Lương Tam Quang "
           "phát biểu. Lực lượng đã vận động hơn 1.000.000 người dân, đạt 98,5% kế hoạch.")
INVENTED = "Ngày 15/12/2025, Bộ Công an họp với 2.000.000 người tại Đà Nẵng. Hội nghị có nhiều ý kiến."


@pytest.mark.parametrize("summary, expected", [
    (["Ngày 15/12/2025, Bộ Công an tổ chức Hội nghị sơ kết."], []),
    (["Đại tướng Lương Tam Quang nói 98,5% kế hoạch đã xong."], []),  # a lone first word is no name
    (["Theo Bộ Công an, hơn 1.000.000 người tham gia."], []),  # "Theo Bộ Công" found without "Theo"
    (["Ngày 16/12/2025, Thượng tướng Trần Văn B phát biểu tại Hà Nội."], ["16/12/2025", "Trần Văn B"]),
    ])
def test_names_numbers_and_dates_missing_from_the_article(summary, expected):
    assert unsupported(summary, ARTICLE, "vi") == expected


def test_english_names_may_be_one_word():
    assert unsupported(["On 15/12/2025 the Ministry of Public Security met in Hanoi."], ARTICLE, "en") == \
        ["Ministry", "Public Security", "Hanoi"]


@pytest.fixture
def server():
    with FakeLLM() as fake:
        fake.summary = INVENTED
        yield fake


def test_summary_is_checked_and_cut_to_the_length_asked(server):
    summarizer = get_summarizer("openai:fake-llm", llm=LLMOptions(api_base=server.url))
    summary = summarizer.summarize(ARTICLE, "vi", sentences=1, title="Bộ Công an sơ kết")
    assert summary.sentences == ["Ngày 15/12/2025, Bộ Công an họp với 2.000.000 người tại Đà Nẵng."]
    assert summary.unsupported == ["2.000.000", "Đà Nẵng"] and summary.method == "openai:fake-llm"
    assert "not in the article, check before use: 2.000.000, Đà Nẵng" in summary.notes
    prompt = server.requests[-1]["messages"]
    assert "in Vietnamese" in prompt[0]["content"] and "1 sentence." in prompt[1]["content"]
    assert "Title: Bộ Công an sơ kết" in prompt[1]["content"] and ARTICLE in prompt[1]["content"]


def test_english_summary_is_the_glossary_enforced_translation(server):
    options = LLMOptions(api_base=server.url)
    pipeline = Pipeline(Translator("openai:fake-llm", llm=options, memory=None),
                        get_summarizer("openai:fake-llm", llm=options))
    result = pipeline.process("Bộ Công an sơ kết\n" + ARTICLE, "vi", sentences=2)
    assert result.summary_vi.text == INVENTED
    assert result.summary_en.sentences[0] == "Ngày 15 December 2025, the Ministry of Public Security họp với 2,000,000 người " \
                                             "tại Da Nang."
    assert result.to_dict()["summary_vi"]["unsupported"] == ["2.000.000", "Đà Nẵng"]


def test_summarize_command_reports_unsupported_claims_and_usage(server, tmp_path, capsys):
    article = tmp_path / "a.vi.txt"
    article.write_text(ARTICLE + "\n", encoding="utf-8")
    code = main(["summarize", str(article), "--summarizer", "openai:fake-llm", "--api-base", server.url,
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["unsupported"] == ["2.000.000", "Đà Nẵng"]
    assert "the summary says what the article does not: 2.000.000, Đà Nẵng" in err
    assert "vnsum: LLM server openai:fake-llm: 1 requests" in err


def test_a_summary_request_has_a_stop_and_thinking_is_dropped(server):
    """A model that rambles is stopped (max_tokens from the length asked); a reasoning
    model's <think> block never reaches the summary."""
    server.summary = "<think>Bài viết nói về hội nghị.\nTóm tắt ngắn.</think>Bộ Công an sơ kết công tác."
    summarizer = get_summarizer("openai:fake-llm", llm=LLMOptions(api_base=server.url))
    summary = summarizer.summarize(ARTICLE, "vi", words=60)
    assert summary.sentences == ["Bộ Công an sơ kết công tác."]
    assert server.requests[-1]["max_tokens"] == 4 * 60 + 256


def test_a_summary_in_a_loop_is_not_given(server):
    server.summary = "ọn " * 80  # what a small base model on llama.cpp wrote
    summary = get_summarizer("openai:fake-llm", llm=LLMOptions(api_base=server.url)).summarize(ARTICLE, "vi")
    assert summary.sentences == [] and summary.notes == ["the model's summary was unusable (repetition): none given"]
