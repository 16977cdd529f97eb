"""What a visitor must never read (issue 27): the LLM server's API key or the password in
its address, echoed back by a failing server, and the server's own paths in Gradio's
error messages."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from vnsum.backends.openai import LLMOptions
from vnsum.web import ServerConfig
from vnsum.web.server import background, create_app

from llmserver import FakeLLM

KEY, PASSWORD = "sk-test-0123456789abcdef", "hunter22"
SECRETS = (KEY, PASSWORD, "dXNlcjpodW50ZXIyMg")  # the last: user:hunter22 in a Basic header
VI_EN = "Vietnamese → English"


@pytest.fixture
def leaky(monkeypatch):
    """A server whose model is on an LLM server reached with a key and a password."""
    monkeypatch.setenv("VNSUM_API_KEY", KEY)
    with FakeLLM() as fake:
        url = fake.url.replace("http://", f"http://user:{PASSWORD}@")
        app = create_app(ServerConfig(model="openai:fake-llm", glossary=None,
                                      translator_options={"llm": LLMOptions(api_base=url, retries=0)}))
        with background(app) as base:
            yield fake, base
        app.state.service.gate.close()


def no_secret(text: str) -> bool:
    return not any(secret in text for secret in SECRETS)


def test_an_echoed_key_or_password_reaches_no_visitor_and_no_log(leaky, caplog):
    fake, base = leaky
    caplog.set_level(logging.INFO)
    fake.faults = ["echo"] * 3  # a 500 whose message repeats the request's headers
    answer = httpx.post(base + "/translate", json={"q": "Bộ Công an họp.", "source": "vi", "target": "en"},
                        timeout=30)
    assert answer.status_code == 502 and "request headers" in answer.json()["error"]
    with pytest.raises(AppError, match="request headers") as page_error:
        Client(base, verbose=False).predict("Bộ Công an họp.", VI_EN, "none", None, "openai:fake-llm", 60, False,
                                            api_name="/process")
    fake.crash()
    health = httpx.get(base + "/health", timeout=30)
    assert health.status_code == 200  # loaded at start; still answers while the LLM server is down
    for text in (answer.text, str(page_error.value), health.text, caplog.text):
        assert no_secret(text), text


def test_a_server_down_at_start_is_reported_without_the_password(monkeypatch):
    with FakeLLM() as fake:
        url = fake.url.replace("http://", f"http://user:{PASSWORD}@")
        fake.crash()
        app = create_app(ServerConfig(model="openai:fake-llm", glossary=None,
                                      translator_options={"llm": LLMOptions(api_base=url, retries=0)}))
    with background(app) as base:
        health = httpx.get(base + "/health", timeout=30)
    app.state.service.gate.close()
    assert health.status_code == 503 and "cannot reach the LLM server at http://127.0.0.1:" in health.json()["problem"]
    assert no_secret(health.text)


@pytest.mark.parametrize("api, data", [
    ("read_file", [{"path": "/srv/secret/s.txt", "meta": {"_type": "gradio.FileData"}}, VI_EN]),
    ("check_glossary", [{"path": "/srv/secret/g.tsv", "meta": {"_type": "gradio.FileData"}}]),
])
def test_a_file_that_was_not_uploaded_is_refused_without_its_path(copy_server, api, data):
    """Gradio refuses it before any handler runs, with "Cannot move /srv/secret/… to the cache"."""
    event = httpx.post(f"{copy_server.url}/gradio_api/call/{api}", json={"data": data}, timeout=30).json()
    stream = httpx.get(f"{copy_server.url}/gradio_api/call/{api}/{event['event_id']}", timeout=30).text
    assert "event: error" in stream and "secret" not in stream


def test_the_page_still_shows_its_own_errors(copy_server):
    event = httpx.post(f"{copy_server.url}/gradio_api/call/read_file", json={"data": [None, VI_EN]},
                       timeout=30).json()
    stream = httpx.get(f"{copy_server.url}/gradio_api/call/read_file/{event['event_id']}", timeout=30).text
    data = json.loads(stream.split("data: ", 1)[1].splitlines()[0])
    assert data["error"] == "Choose a file to upload."
