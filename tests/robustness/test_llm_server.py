"""An LLM server that cannot be trusted (issue 27): one that repeats the API key in its
errors, trickles its answer, sends far more than max_tokens allows, writes replies
built to make a regex backtrack, or answers in odd JSON shapes. Against the scripted
server of tests/llmserver.py; no model anywhere."""

from __future__ import annotations

import json
import re
import logging
import time

import pytest

from vnsum import Translator
from vnsum.backends.llm import numbered, without_thinking
from vnsum.backends.openai import LLMOptions, ServerError
from vnsum.cli import main

from llmserver import FakeLLM, completion

KEY, PASSWORD = "sk-test-0123456789abcdef", "hunter22"
SECRETS = (KEY, PASSWORD, "dXNlcjpodW50ZXIyMg")  # the last: user:hunter22 as a Basic header carries it


@pytest.fixture
def server():
    with FakeLLM() as fake:
        yield fake


def translator(server: FakeLLM, **options) -> Translator:
    return Translator("openai:fake-llm", glossary=None,
                      llm=LLMOptions(**{"api_base": server.url, "backoff": 0.01, "timeout": 5.0, **options}))


def reply(content=None, usage=None) -> bytes:
    """A chat completion answering one line, with its content or usage replaced."""
    data = completion("fake-llm", "[1] Họp.")
    if content is not None:
        data["choices"][0]["message"]["content"] = content
    if usage is not None:
        data["usage"] = usage
    return json.dumps(data).encode()


@pytest.mark.parametrize("credentials", ["key", "url"])
def test_a_key_or_password_the_server_echoes_is_in_no_message_or_file(server, credentials, tmp_path, monkeypatch,
                                                                      capsys, caplog):
    monkeypatch.setenv("VNSUM_API_KEY", KEY)
    url = server.url if credentials == "key" else server.url.replace("http://", f"http://user:{PASSWORD}@")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Bộ Công an họp.", encoding="utf-8")
    server.faults = ["echo"] * 4  # a 500 repeating the request's headers, Authorization included
    caplog.set_level(logging.INFO)
    code = main(["translate", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--model", "openai:fake-llm",
                 "--api-base", url, "--llm-retries", "1", "--tm", str(tmp_path / "tm.sqlite"), "-q"])
    assert code == 1
    assert ("Bearer " + KEY if credentials == "key" else "Basic ") in server.headers[-1]["Authorization"]
    stderr, manifest = capsys.readouterr().err, (tmp_path / "out" / "vnsum-manifest.jsonl").read_text()
    assert "request headers" in stderr and "Authorization" in manifest  # the echo came through, redacted
    backend = Translator("openai:fake-llm", llm=LLMOptions(api_base=url)).backend("vi", "en")
    for text in (stderr, manifest, caplog.text, backend.name, backend.memory_key):
        assert not [secret for secret in SECRETS if secret in text], text


def test_a_trickling_answer_is_cut_at_the_timeout(server):
    """One byte every half second, headers included: each read is quick, so only a bound on
    the whole answer stops it (it took about three minutes before)."""
    server.faults, server.trickle_s = ["trickle"], 0.5
    started = time.monotonic()
    with pytest.raises(ServerError, match=r"failed 1 time; last: no whole answer within 1 s"):
        translator(server, timeout=1.0, retries=0).translate("Họp.")
    assert time.monotonic() - started < 60


def test_an_answer_longer_than_max_tokens_allows_is_not_read(server):
    server.faults, server.huge_chars = ["huge"] * 2, 20_000_000
    with pytest.raises(ServerError, match=r"failed 2 times; last: an answer over [\d,]+ bytes, more than "
                                          r"max_tokens allows"):
        translator(server).translate("Họp.")
    assert len(server.requests) == 2  # asked once more, not as many times as a timeout would be


def test_replies_built_to_backtrack_parse_in_linear_time():
    """Runs of spaces before no line number, and unclosed <think> tags: each took minutes
    at this size with the former regexes (40,000 spaces: 37 s; 200 KB of <think>: 110 s)."""
    started = time.monotonic()
    assert numbered("[1] x" + " " * 400_000 + "y", 1) == ["x" + " " * 400_000 + "y"]
    assert numbered("[1] x" + "<think>" * 60_000, 1) == ["x" + "<think>" * 60_000]
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("answer, kept", [
    ("<think>a</think>b", "b"),
    ("<think>a<think>b</think>c</think>d", "c</think>d"),
    ("x<think>a</think>y<think>b", "xy<think>b"),
    ("<think>unclosed", "<think>unclosed"),
])
def test_thinking_is_dropped_as_before(answer, kept):
    assert without_thinking(answer) == kept


@pytest.mark.parametrize("payload, problem", [
    (reply(content=5), "its content is a number, not text"),
    (reply(content=["[1] Họp."]), "its content is an array, not text"),
    (b'{"choices": []}', "no choices[0].message.content"),
    (b'{"choices": "many"}', "no choices[0].message.content"),
    (b"<html>Bad gateway</html>", "not JSON"),
    (b"[" * 50_000, "not JSON"),  # nested past the recursion limit
])
def test_an_odd_answer_is_asked_again_once_then_a_clear_error(server, payload, problem):
    server.faults = [payload] * 5
    with pytest.raises(ServerError, match=r"failed 2 times; last: an answer that is not a chat completion: .*"
                                          + re.escape(problem)):
        translator(server, retries=4).translate("Họp.")
    assert len(server.requests) == 2


@pytest.mark.parametrize("usage", [
    b'"lots"', b'{"prompt_tokens": "many"}', b'{"prompt_tokens": 1e400}', b'{"prompt_tokens": -3}',
    b'{"completion_tokens": true}', b'[1, 2]',
])
def test_odd_token_counts_are_not_counted(server, usage):
    server.faults = [reply().replace(b'{"prompt_tokens": 0, "completion_tokens": 2, "total_tokens": 2}', usage)]
    assert usage in server.faults[0]
    tr = translator(server)
    assert tr.translate("Họp.") == "Họp."
    assert tr.backend("vi", "en").usage.prompt_tokens == 0


@pytest.mark.parametrize("placeholders", [False, True])
def test_thousands_of_digits_in_a_reply_are_text(server, placeholders):
    """``int`` refuses strings of over 4,300 digits: "[1111…]" or "ZZ9999…" in a reply is
    text (or a placeholder the model invented), not a crash (it was a ValueError)."""
    digits = "9" * 5_000
    assert numbered(f"[{digits}] Họp.", 1) is None
    server.faults = [reply(content=f"[{digits}] Họp."), reply(content=f"[1] ZZ{digits} họp.")] * 3
    result = Translator("openai:fake-llm", llm=LLMOptions(api_base=server.url, backoff=0.01, placeholders=placeholders)
                        ).translate_document("Bộ Công an họp.")
    assert [term.source for term in result.terms] == ["Bộ Công an"]
