"""The OpenAI-compatible backend through the Python API, against a real local HTTP server
with scripted answers (tests/llmserver.py): prompts, windows, glossary verification,
retries, limits and errors. No model anywhere."""

from __future__ import annotations

import re

import pytest

from vnsum import Translator
from vnsum.backends.llm import numbered
from vnsum.backends.openai import LLMOptions, ServerError
from vnsum.errors import ModelNotFoundError, UsageError

from llmserver import FakeLLM, ignores_renderings

SENTENCES = ["Bộ Công an tổ chức hội nghị.", "Đại tướng Tô Lâm phát biểu.", "Buổi lễ kết thúc lúc 17 giờ."]


@pytest.fixture
def server():
    with FakeLLM() as fake:
        yield fake


def translator(server: FakeLLM, **options) -> Translator:
    return Translator("openai:fake-llm", llm=LLMOptions(**{"api_base": server.url, "backoff": 0.01, "timeout": 1.0,
                                                           **options}))


def test_article_keeps_its_lines_and_every_term_is_applied(server, article):
    result = translator(server).translate_document(article)
    assert result.text.count("\n") == article.count("\n")
    assert result.terms and {t.status for t in result.terms} == {"applied"}
    assert "Ministry of Public Security" in result.text and "Bộ Công an" not in result.text
    assert result.model == f"openai:fake-llm ({server.url})"
    requests = server.translation_requests()  # in the order they arrived: windows are sent concurrently
    prompts = [r["messages"][-1]["content"] for r in requests]
    # the first pass's first window has no context; so do the windows of a retry pass
    # (the scripted half-translations leave words out: vnsum.omissions)
    first = [p for p in prompts if not p.startswith("Context")]
    assert "Required renderings:\n- Bộ Công an → Ministry of Public Security" in first[0]
    assert not any("ZZ0" in p for p in prompts)  # terms stay in the text by default
    # windows of 8 sentences: every later one shows the two sentences before it as context
    assert len(prompts) > 1 and all(re.search(r"Context \(.*\):\n.+\n.+\n\nRequired", p) for p in prompts
                                    if p not in first)
    assert all(r["temperature"] == 0 and r["model"] == "fake-llm" for r in requests)


def test_usage_is_counted(server):
    tr = translator(server, window=2)
    tr.translate(SENTENCES)
    usage = tr.backend("vi", "en").usage
    assert usage.requests == 2 == len(server.requests)
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0 and usage.retries == 0


def test_a_term_the_model_missed_is_asked_again_behind_a_placeholder(server):
    server.translate_line = ignores_renderings
    result = translator(server).translate_document(SENTENCES[0])
    assert result.text == "The Ministry of Public Security tổ chức hội nghị."
    assert [t.status for t in result.terms] == ["repaired"]
    retry = server.translation_requests()[-1]["messages"]
    assert "[1] ZZ0 tổ chức hội nghị." in retry[-1]["content"] and "ZZ0, ZZ1" in retry[0]["content"]


def test_a_variant_is_rewritten_and_reported_repaired(server):
    server.translate_line = lambda line, renderings: line.replace("Chủ tịch nước", "State President")
    result = translator(server).translate_document("Chủ tịch nước tiếp khách.")
    assert result.text == "President tiếp khách." and [t.status for t in result.terms] == ["repaired"]
    assert len(server.translation_requests()) == 1  # found in the first answer: no retry


def test_renderings_come_from_each_translators_glossary(server):
    """One backend shared by Translators with different glossaries (eval terms modes, the
    web server) lists each one's renderings, and none without a glossary."""
    backend = translator(server).backend("vi", "en")
    assert Translator(glossary=None, backend=backend).translate(SENTENCES[0]) == SENTENCES[0]
    assert "Required renderings" not in server.translation_requests()[-1]["messages"][-1]["content"]
    assert Translator(backend=backend).translate(SENTENCES[0]).startswith("The Ministry of Public Security")


def test_placeholders_mode_masks_terms_on_the_first_pass(server):
    result = translator(server, placeholders=True).translate_document(SENTENCES[0])
    assert result.text == "The Ministry of Public Security tổ chức hội nghị."
    assert [t.status for t in result.terms] == ["applied"]
    first = server.translation_requests()[0]["messages"]
    assert "[1] ZZ0 tổ chức hội nghị." in first[-1]["content"] and "Required renderings" not in first[-1]["content"]


def test_placeholders_lost_are_retried_with_the_term_named(server):
    server.translate_line = lambda line, renderings: re.sub(r"ZZ\d+ ", "", line) if not renderings else \
        line.replace("Bộ Công an", renderings["Bộ Công an"])
    result = translator(server, placeholders=True).translate_document(SENTENCES[0])
    assert [t.status for t in result.terms] == ["repaired"] and result.text.startswith("The Ministry of Public Security")


def test_broken_lines_are_asked_again_in_halves(server):
    server.merge_lines = True  # a model that joins the first two sentences of every window
    tr = translator(server, window=4)
    texts = [f"Câu số {i} nói về thời tiết hôm nay." for i in range(4)]
    assert tr.translate(texts) == texts  # each sentence still gets its own translation
    assert tr.backend("vi", "en").usage.split == 3  # 4 -> 2 + 2 -> 1 + 1 + 1 + 1


@pytest.mark.parametrize("fault", ["429", "500", "slow", "drop"])
def test_a_failed_request_is_retried(server, fault):
    server.faults = [fault]
    server.slow_s = 1.5
    tr = translator(server, timeout=0.5)
    assert tr.translate(SENTENCES) == [SENTENCES[0].replace("Bộ Công an", "The Ministry of Public Security"),
                                       SENTENCES[1].replace("Đại tướng Tô Lâm", "General To Lam"), SENTENCES[2]]
    assert tr.backend("vi", "en").usage.retries == 1


def test_a_server_that_keeps_failing_is_named_in_the_error(server):
    server.faults = ["500"] * 10
    with pytest.raises(ServerError, match=rf"{re.escape(server.url)} \(model fake-llm\) failed 3 times; "
                                          r"last: HTTP 500: internal error"):
        translator(server, retries=2).translate(SENTENCES)


def test_server_down_and_unknown_model_are_clear_errors(server):
    with pytest.raises(ModelNotFoundError, match=r"has no model 'nope'; it serves fake-llm"):
        Translator("openai:nope", llm=LLMOptions(api_base=server.url)).translate("Câu.")
    url = server.url
    server.crash()
    with pytest.raises(ServerError, match=rf"cannot reach the LLM server at {re.escape(url)} \(model fake-llm\)"):
        Translator("openai:fake-llm", llm=LLMOptions(api_base=url)).translate("Câu.")


def test_no_address_is_a_usage_error(monkeypatch):
    monkeypatch.delenv("VNSUM_API_BASE", raising=False)
    with pytest.raises(UsageError, match="--api-base URL or VNSUM_API_BASE"):
        Translator("openai:fake-llm").translate("Câu.")


def test_address_and_key_from_the_environment(server, monkeypatch):
    monkeypatch.setenv("VNSUM_API_BASE", server.url)
    monkeypatch.setenv("VNSUM_API_KEY", "sk-secret-123")
    tr = Translator("openai:fake-llm")
    tr.translate("Câu.")
    assert server.headers[-1]["Authorization"] == "Bearer sk-secret-123"
    assert "sk-secret" not in tr.backend("vi", "en").name + tr.backend("vi", "en").memory_key


def test_requests_in_flight_are_bounded(server):
    server.delay_s = 0.05
    tr = translator(server, window=1, concurrency=3)
    tr.translate([f"Câu số {i}." for i in range(12)])
    assert server.max_in_flight == 3


def test_translation_memory_serves_the_second_run(server, tmp_path):
    options = LLMOptions(api_base=server.url)
    Translator("openai:fake-llm", llm=options, memory=tmp_path / "tm.sqlite").translate(SENTENCES)
    before = len(server.requests)
    again = Translator("openai:fake-llm", llm=options, memory=tmp_path / "tm.sqlite")
    again.translate(SENTENCES)
    assert len(server.requests) == before and again.stats.hits == 3


@pytest.mark.parametrize("answer, expected", [
    ("[1] One.\n[2] Two.", ["One.", "Two."]),
    ("Sure! Here it is:\n[1] One.\n[2] Two.", ["One.", "Two."]),
    ("<think>hmm\n[1] no</think>\n[1] One\ncontinued.\n[2] Two.", ["One continued.", "Two."]),
    ("[1] One. Two.", None),
    ("[1] One.\n[1] Again.\n[2] Two.", None),
    ("[1] One.\n[3] Two.", None),
    ("[1] One. [2] Two.", ["One.", "Two."]),  # one line
    ("[1] One.\n[2] Two.\n[3] Invented\nby the model.\n[4] More.", ["One.", "Two."]),  # ran on past n
    ("[1] One. [3] Invented. [2] Two.", ["One.", "Two."]),
])
def test_numbered_answers(answer, expected):
    assert numbered(answer, 2) == expected


def test_a_model_that_echoes_the_prompt_is_cut_and_asked_again(server):
    """Seen with a small base model on llama.cpp: the answer goes on with the prompt's own
    sections. What precedes them is kept; an answer that is only an echo counts as empty,
    so the Translator asks again and flags the sentence."""
    def answer(body):  # by what is asked, not by arrival order: the two windows go out together
        if "Buổi lễ kết thúc" in body["messages"][-1]["content"]:
            return "Text to translate into English:\n[2] Bộ Công an họp."
        return "Ministry of Public Security met. Required renderings:\n- Bộ Công an → x"

    server.answer = answer
    tr = Translator("openai:fake-llm", llm=LLMOptions(api_base=server.url, window=1))
    first, second = tr.translate_documents(["Bộ Công an họp.", "Buổi lễ kết thúc."])
    assert first.text == "The Ministry of Public Security met."
    assert second.text == "" and second.segments[0].flags[0] == "degenerate"
