"""The page and the REST API with an LLM server as the model (``vnsum serve --model
openai:NAME --summarizer openai:NAME``), against the scripted local server of
tests/llmserver.py: the same glossary enforcement and term report as for MT models, the
usage in /health, and clear answers while the LLM server is down or lacks the model."""

from __future__ import annotations

import httpx
import pytest

from vnsum.cli import main
from vnsum.web.server import background, create_app

from llmserver import FakeLLM, ignores_renderings, obedient

ARTICLE = ("Bộ Công an tổng kết công tác năm 2025\n"
           "Ngày 20/12/2025, Bộ Công an tổ chức hội nghị tổng kết tại Hà Nội. "
           "Đại tướng Lương Tam Quang phát biểu.\n")


def served(monkeypatch, *args: str):
    """The app `vnsum serve` would run with ``args`` (the options go through the real parser)."""
    configs = []
    monkeypatch.setattr("vnsum.web.server.serve", lambda config, **_: configs.append(config))
    assert main(["serve", "--no-tm", *args]) == 0
    return create_app(configs[0])


@pytest.fixture(scope="module")
def fake():
    with FakeLLM() as server:
        yield server


@pytest.fixture
def llm_live(fake, monkeypatch):
    fake.requests.clear()
    fake.translate_line = obedient
    app = served(monkeypatch, "--model", "openai:fake-llm", "--summarizer", "openai:fake-llm",
                  "--api-base", fake.url, "--llm-retries", "1", "--llm-timeout", "5")
    with background(app) as url:
        yield url
    app.state.service.gate.close()


def test_translate_over_rest_keeps_the_glossary_and_reports_usage(fake, llm_live):
    r = httpx.post(llm_live + "/translate", json={"q": ARTICLE, "source": "vi", "target": "en"}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["translatedText"].startswith("Ministry of Public Security tổng kết")  # a headline: no article
    terms = {(t["source"], t["status"]) for t in r.json()["terms"]}
    assert ("Bộ Công an", "applied") in terms and ("Đại tướng", "applied") in terms
    prompt = fake.translation_requests()[0]["messages"][-1]["content"]
    assert "- Bộ Công an → Ministry of Public Security" in prompt  # the renderings reach the model
    health = httpx.get(llm_live + "/health").json()
    assert health["models"][0] == health["default_model"] == "openai:fake-llm" and health["status"] == "ok"
    assert health["usage"]["translation"]["openai:fake-llm"]["requests"] == len(fake.requests)


def test_a_term_the_model_ignores_is_asked_again_and_repaired(fake, llm_live):
    fake.translate_line = ignores_renderings  # a model that keeps "Bộ Công an" as it is
    r = httpx.post(llm_live + "/translate", json={"q": "Bộ Công an họp.", "source": "vi", "target": "en"},
                   timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["translatedText"] == "The Ministry of Public Security họp."
    assert [(t["source"], t["status"]) for t in r.json()["terms"]] == [("Bộ Công an", "repaired")]
    assert "ZZ0" in fake.translation_requests()[-1]["messages"][-1]["content"]  # the retry masked it


def test_process_gives_the_llm_summary_checked_against_the_article(fake, llm_live):
    fake.summary = "Bộ Công an tổ chức hội nghị ngày 20/12/2025 với 500 đại biểu."
    r = httpx.post(llm_live + "/process", json={"q": ARTICLE, "source": "vi"}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["summary_vi"]["text"] == fake.summary
    assert body["summary_vi"]["unsupported"] == ["500"]  # a number the article does not have
    assert body["summary_en"]["text"].startswith("The Ministry of Public Security")
    usage = httpx.get(llm_live + "/health").json()["usage"]
    assert usage["summarizer"]["requests"] >= 1
    assert usage["summarizer"]["requests"] + usage["translation"]["openai:fake-llm"]["requests"] \
        == len(fake.requests)


def test_an_llm_server_that_is_down_is_named_and_health_recovers(monkeypatch):
    with FakeLLM(models=("another-model",)) as wrong:
        app = served(monkeypatch, "--model", "openai:fake-llm", "--api-base", wrong.url, "--llm-retries", "0")
        with background(app) as url:
            health = httpx.get(url + "/health", timeout=30)
            translated = httpx.post(url + "/translate", json={"q": "Câu.", "source": "vi", "target": "en"}, timeout=30)
            wrong.models.append("fake-llm")  # the operator loads the model on the LLM server
            recovered = httpx.get(url + "/health", timeout=30)
            works = httpx.post(url + "/translate", json={"q": "Bộ Công an.", "source": "vi", "target": "en"}, timeout=30)
        app.state.service.gate.close()
    assert health.status_code == 503 and "no model 'fake-llm'" in health.json()["problem"]
    assert wrong.url in health.json()["problem"]  # the operator sees which server was asked
    assert translated.status_code == 503 and "another-model" in translated.json()["error"]
    assert recovered.status_code == 200 and recovered.json()["problem"] is None
    assert works.json()["translatedText"] == "The Ministry of Public Security."


def test_an_llm_server_that_dies_gives_502_naming_it(monkeypatch):
    with FakeLLM() as server:
        app = served(monkeypatch, "--model", "openai:fake-llm", "--api-base", server.url, "--llm-retries", "0")
        server.crash()
        with background(app) as url:
            r = httpx.post(url + "/translate", json={"q": "Câu.", "source": "vi", "target": "en"}, timeout=30)
        app.state.service.gate.close()
    assert r.status_code == 502
    assert f"the LLM server at {server.url} (model fake-llm) failed" in r.json()["error"]
