"""The REST API on a live server: LibreTranslate's shapes, batches, errors and limits."""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest

from vnsum.degenerate import RETRY

TERM = {"source": "Bộ Công an", "target": "Ministry of Public Security", "kind": "org", "status": "applied"}


def post(live, path: str, **kw) -> httpx.Response:
    return httpx.post(live.url + path, timeout=30, **kw)


def test_languages(copy_live):
    r = httpx.get(copy_live.url + "/languages")
    assert r.status_code == 200
    models = list(copy_live.service.translators)  # the default, which answers without a `model`, first
    assert r.json() == [{"code": "vi", "name": "Vietnamese", "targets": ["en"], "models": models},
                        {"code": "en", "name": "English", "targets": ["vi"], "models": models}]
    assert models[0] == copy_live.service.default_model


def test_translate_one_text(copy_live):
    r = post(copy_live, "/translate", json={"q": "Bộ Công an tổ chức hội nghị.", "source": "vi", "target": "en"})
    assert r.status_code == 200
    assert r.json() == {"translatedText": "The Ministry of Public Security tổ chức hội nghị.", "terms": [TERM],
                        "model": "test-model", "toCheck": 0, "segments": [
                            {"source": "Bộ Công an tổ chức hội nghị.", "target": "The Ministry of Public Security tổ "
                             "chức hội nghị.", "level": "unscored", "flags": []}]}  # a copy has no scores


def test_a_list_in_gives_a_list_out_in_order(copy_live):
    q = ["Bộ Công an tổ chức hội nghị.", "Hội nghị kết thúc.", "Đại tướng Tô Lâm phát biểu."]
    r = post(copy_live, "/translate", json={"q": q, "source": "vi", "target": "en"})
    body = r.json()
    assert body["translatedText"] == ["The Ministry of Public Security tổ chức hội nghị.", "The conference kết thúc.",
                                      "General To Lam phát biểu."]
    assert [len(t) for t in body["terms"]] == [1, 1, 2]


def test_a_batch_of_50_is_one_model_call(copy_live):
    q = [f"Bộ Công an tổ chức hội nghị lần thứ {i}." for i in range(50)]
    r = post(copy_live, "/translate", json={"q": q, "source": "vi", "target": "en"})
    assert r.status_code == 200
    assert r.json()["translatedText"] == [f"The Ministry of Public Security tổ chức hội nghị lần thứ {i}."
                                          for i in range(50)]
    assert len(copy_live.backend.calls) == 1 and len(copy_live.backend.calls[0]) == 50


@pytest.mark.slow
def test_generated_model_batch_of_50_is_one_model_call(tiny_server):
    tiny_server.backend.calls.clear()
    q = [f"Hội nghị tổng kết công tác năm {2000 + i}." for i in range(50)]
    r = post(tiny_server, "/translate", json={"q": q, "source": "vi", "target": "en", "glossary": "none"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"translatedText", "model", "segments", "toCheck"}  # no glossary, no term report
    assert len(body["translatedText"]) == 50 and all(isinstance(t, str) for t in body["translatedText"])
    # one call for the batch; a random model's looping outputs get one more, with the retry settings
    assert len(tiny_server.backend.calls[0]) == 50 and tiny_server.backend.decodings[0] is None
    assert tiny_server.backend.decodings[1:] in ([], [RETRY])


@pytest.mark.slow
def test_generated_model_every_endpoint(tiny_server, article):
    r = post(tiny_server, "/translate", json={"q": "Bộ Công an tổ chức hội nghị.", "target": "en"})
    assert r.status_code == 200 and isinstance(r.json()["translatedText"], str)
    assert [t["source"] for t in r.json()["terms"]] == ["Bộ Công an"]
    r = post(tiny_server, "/summarize", json={"q": article, "lang": "vi", "sentences": 2})
    assert r.status_code == 200 and len(r.json()["sentences"]) == 2
    r = post(tiny_server, "/process", json={"q": article, "source": "vi", "sentences": 2})
    assert r.status_code == 200
    result = r.json()
    assert result["title"] == article.splitlines()[0] and result["tgt"] == "en"
    assert len(result["summary_vi"]["sentences"]) == len(result["summary_en"]["sentences"]) == 2
    assert {"translate_s", "summarize_s"} <= set(result["timings"])


def test_libretranslate_client_style_form_body_and_auto_source(copy_live):
    form = {"q": "Bộ Công an tổ chức hội nghị.", "source": "auto", "target": "en", "format": "text", "api_key": ""}
    r = post(copy_live, "/translate", data=form)
    assert r.status_code == 200
    assert r.json()["translatedText"] == "The Ministry of Public Security tổ chức hội nghị."
    r = post(copy_live, "/translate", data=form, files={"note": ("note.txt", b"")})  # multipart, as browsers send
    assert r.json()["translatedText"] == "The Ministry of Public Security tổ chức hội nghị."
    raw = "q=Bộ Công an họp.&q=Hội nghị.&target=en".encode()  # as `curl -d` sends it: UTF-8, not %-encoded
    r = post(copy_live, "/translate", content=raw, headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.json()["translatedText"] == ["The Ministry of Public Security họp.", "The conference."]


def test_html_format_translates_text_and_keeps_markup(copy_live):
    page = '<p class="lead">Bộ Công an <b>tổ chức</b> hội nghị.</p><script>var x = "Bộ Công an";</script>'
    r = post(copy_live, "/translate", json={"q": [page, "<h1>Bộ Công an</h1>"], "source": "vi", "target": "en",
                                            "format": "html"})
    assert r.json()["translatedText"] == [
        '<p class="lead">Ministry of Public Security <b>tổ chức</b> hội nghị.</p>'
        '<script>var x = "Bộ Công an";</script>',
        "<h1>Ministry of Public Security</h1>"]
    assert r.json()["terms"] == [[TERM], [TERM]]
    assert len(copy_live.backend.calls) == 1


def test_summarize(copy_live, article):
    r = post(copy_live, "/summarize", json={"q": article, "lang": "vi", "sentences": 2})
    body = r.json()
    assert r.status_code == 200 and body["lang"] == "vi" and body["method"] == "extractive"
    assert len(body["sentences"]) == 2 and body["summary"] == " ".join(body["sentences"])
    assert copy_live.backend.calls == []  # summaries need no translation model


def test_process_is_the_article_result(copy_live, article):
    r = post(copy_live, "/process", json={"q": article, "source": "vi", "sentences": 2})
    result = r.json()
    assert result["title"] == article.splitlines()[0]
    assert result["title_translation"].startswith("Ministry of Public Security")  # a headline: no article
    assert "Ministry of Public Security" in result["summary_en"]["text"]
    assert result["models"]["glossary"] == "vn-gov" and result["notices"] == []
    assert {t["status"] for t in result["translation"]["terms"]} == {"applied"}


def test_process_warns_when_the_text_is_not_in_the_source_language(copy_live):
    english = ("Ministry of Public Security holds conference\n\nOn 20 January 2026, the Ministry of Public "
               "Security held a conference in Ha Noi on security work. General To Lam chaired it and praised "
               "the People's Public Security Force for its work in the year.\n")
    r = post(copy_live, "/process", json={"q": english, "source": "vi"})
    assert r.status_code == 200
    assert r.json()["notices"] == [
        "this does not look like Vietnamese (only 0% of its words have Vietnamese letters); is the source "
        "language right? It is treated as Vietnamese anyway"]


@pytest.mark.parametrize("path, body, status, message", [
    ("/translate", {"q": "Câu.", "source": "fr", "target": "en"}, 400, "unsupported direction fr->en"),
    ("/translate", {"source": "vi", "target": "en"}, 400, "Invalid request: q: Field required"),
    ("/translate", {"q": "Câu.", "format": "pdf"}, 400, "Invalid request: format"),
    ("/translate", {"q": "Câu.", "glossary": "../../etc/passwd"}, 400,
     "unknown glossary '../../etc/passwd'; this server has: vn-gov, none"),
    ("/translate", {"q": "Câu.", "model": "/etc/passwd"}, 400, "unknown model '…/passwd'; this server has: test-"),
    ("/translate", {"q": ["Câu."] * 61}, 413, "61 texts in one request; this server takes at most 60"),
    ("/translate", {"q": "x" * 5_001}, 413, "5,001 characters in one request"),
    ("/process", {"q": "Tiêu đề\nBài.", "source": "vi", "sentences": 0}, 400, "sentences must be between 1"),
    ("/process", {"q": "   ", "source": "vi"}, 400, "the article is empty"),
    ("/summarize", {"q": "Bài.", "lang": "fr"}, 400, "Invalid request: lang"),
])
def test_errors_are_json_with_a_status(copy_live, path, body, status, message):
    r = post(copy_live, path, json=body)
    assert r.status_code == status
    assert set(r.json()) == {"error"} and message in r.json()["error"]
    assert copy_live.backend.calls == []


def test_wrong_method(copy_live):
    r = httpx.get(copy_live.url + "/translate?q=x")
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert r.json() == {"error": "GET /translate is not allowed; use POST"}


def test_body_that_is_not_json(copy_live):
    r = post(copy_live, "/translate", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]


def test_body_over_the_byte_limit_is_refused_unread(copy_live):
    r = post(copy_live, "/translate", json={"q": "x" * 70_000})
    assert r.status_code == 413 and "larger than this server's limit of 65,536 bytes" in r.json()["error"]
    chunks = iter([b'{"q": "', b"x" * 40_000, b"x" * 40_000, b'"}'])  # no Content-Length: counted as it comes
    r = post(copy_live, "/translate", content=chunks, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "error" in r.json()


def test_openapi_schema_and_health(copy_live):
    schema = httpx.get(copy_live.url + "/openapi.json").json()
    assert {"/translate", "/languages", "/summarize", "/process"} <= set(schema["paths"])
    body = schema["paths"]["/translate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"q", "source", "target", "format", "glossary"} <= set(body["properties"])
    r = httpx.get(copy_live.url + "/health")
    health = r.json()
    assert r.status_code == 200 and health["status"] == "ok" and health["models"] == ["test-model"]
    assert health["glossaries"] == ["vn-gov", "none"] and health["limits"]["max_batch"] == 60


def test_busy_server_answers_429_and_503_then_recovers(busy_server):
    answers: dict[int, httpx.Response] = {}

    def call(i: int) -> None:
        answers[i] = post(busy_server, "/translate", json={"q": f"Câu số {i}.", "source": "vi", "target": "en"})

    threads = [threading.Thread(target=call, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while busy_server.service.gate.pending < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    refused = post(busy_server, "/translate", json={"q": "Câu thừa.", "source": "vi", "target": "en"})
    assert refused.status_code == 429 and refused.headers["retry-after"] == "5"
    assert "The server is busy" in refused.json()["error"]
    for t in threads:
        t.join(10)
    assert [answers[i].status_code for i in range(2)] == [503, 503]
    errors = sorted(answers[i].json()["error"] for i in range(2))
    assert all("longer than this server's limit of 1 s" in e for e in errors)
    assert "cancelled" in errors[1] and "still running" in errors[0]
    busy_server.backend.gate.set()
    while busy_server.service.gate.pending and time.monotonic() < deadline:
        time.sleep(0.01)
    ok = post(busy_server, "/translate", json={"q": "Câu cuối.", "source": "vi", "target": "en"})
    assert ok.status_code == 200 and ok.json()["translatedText"] == "Câu cuối."


VI = "Bộ Công an tổ chức hội nghị tổng kết công tác năm 2025 tại Hà Nội với sự tham dự của lãnh đạo các đơn vị."
EN = "The Ministry of Public Security held a conference in Ha Noi to review the work of the year with its leaders."


def test_libretranslatepy_translate_detect_and_languages(copy_live):
    from libretranslatepy import LibreTranslateAPI

    client = LibreTranslateAPI(copy_live.url + "/")
    assert client.translate("Bộ Công an tổ chức hội nghị.", "vi", "en") == "The Ministry of Public Security tổ chức hội nghị."
    assert [d["language"] for d in client.detect(VI)] == ["vi"] and client.detect(EN)[0]["language"] == "en"
    assert 50 < client.detect(VI)[0]["confidence"] <= 100
    assert [lang["code"] for lang in client.languages()] == ["vi", "en"]


@pytest.mark.parametrize("q, target, detected, rendering", [
    ("Bộ Công an tổ chức hội nghị. Đại tướng Tô Lâm phát biểu.", "en", "vi", "Ministry of Public Security"),
    (EN, "vi", "en", "Bộ Công an")])
def test_auto_source_translates_from_the_detected_language(copy_live, q, target, detected, rendering):
    r = post(copy_live, "/translate", json={"q": q, "source": "auto", "target": target})
    assert r.status_code == 200 and r.json()["detectedLanguage"]["language"] == detected
    assert rendering in r.json()["translatedText"] and r.json()["terms"][0]["target"] == rendering


@pytest.mark.parametrize("q, target, message", [
    # issue #25: this was answered 200 with the text "translated" into its own language
    ("Bộ Công an tổ chức hội nghị. Đại tướng Tô Lâm phát biểu.", "vi",
     r'^the text reads as Vietnamese \(detected with confidence \d+/100\), the target language: nothing to '
     r'translate. Send source "en" if it is English, or target "en" to translate it into English.$'),
    (EN, "en", r"^the text reads as English .* Send source \"vi\" if it is Vietnamese"),
    ([VI, EN], "en", r"^text 2 of 2 reads as English \(detected with confidence")])
def test_auto_source_refuses_a_text_already_in_the_target_language(copy_live, q, target, message):
    r = post(copy_live, "/translate", json={"q": q, "source": "auto", "target": target})
    assert r.status_code == 400 and re.search(message, r.json()["error"])
    assert copy_live.backend.calls == []


def test_the_openapi_description_says_what_auto_does(copy_live):
    body = httpx.get(copy_live.url + "/openapi.json").json()["paths"]["/translate"]["post"]["requestBody"]
    source = body["content"]["application/json"]["schema"]["properties"]["source"]["description"]
    assert "each text's language is detected" in source and "refused with 400" in source


def test_auto_source_says_what_it_detected_and_alternatives_are_accepted(copy_live):
    r = post(copy_live, "/translate", json={"q": VI, "source": "auto", "target": "en", "alternatives": 3})
    body = r.json()
    assert r.status_code == 200 and body["detectedLanguage"]["language"] == "vi" and body["alternatives"] == []
    many = post(copy_live, "/translate", json={"q": [VI, "12/2025"], "source": "auto", "target": "en"}).json()
    assert [d["language"] for d in many["detectedLanguage"]] == ["vi", "en"] and "alternatives" not in many
    assert many["translatedText"][1] == "12/2025"  # no word to tell its language by: not refused
    assert "detectedLanguage" not in post(copy_live, "/translate", json={"q": VI, "source": "vi"}).json()
    article = post(copy_live, "/process", json={"q": "Ministry of Public Security meets\n" + EN, "source": "auto"})
    assert article.status_code == 200 and article.json()["src"] == "en"
    assert article.json()["detectedLanguage"]["language"] == "en"


def test_frontend_settings_and_unknown_paths(copy_live):
    settings = httpx.get(copy_live.url + "/frontend/settings").json()
    assert settings["charLimit"] == 5_000 and settings["language"]["source"]["code"] == "vi"
    for path in ("/translat", "/api/v1/translate", "/nothing/here"):
        r = httpx.get(copy_live.url + path)
        assert r.status_code == 404 and r.json() == {
            "error": f"Not found: GET {path}. The API's endpoints are listed at /docs and /openapi.json."}
    assert httpx.get(copy_live.url + "/").status_code == 200  # the page itself is still served


def test_docs_work_offline(copy_live):
    page = httpx.get(copy_live.url + "/docs").text
    assets = [a for a in ("swagger-ui-bundle.js", "swagger-ui.css") if a in page]
    assert assets and "cdn" not in page.lower()
    for asset in assets:
        assert httpx.get(f"{copy_live.url}/static-offline-docs/{asset}").status_code == 200


def test_summary_length_is_sentences_or_words_not_both(copy_live):
    r = post(copy_live, "/summarize", json={"q": "Tiêu đề\nBộ Công an họp.", "sentences": 2, "words": 30})
    assert r.status_code == 400 and r.json() == {"error": "Invalid request: give sentences or words, not both"}
    words = post(copy_live, "/summarize", json={"q": "Tiêu đề\n" + VI, "words": 30}).json()
    assert words["sentences"] == [VI]


def test_health_fails_while_no_model_can_translate(monkeypatch, tmp_path):
    from vnsum.web import ServerConfig
    from vnsum.web.server import background, create_app

    monkeypatch.setenv("VNSUM_MODELS", str(tmp_path / "srv-models"))
    app = create_app(ServerConfig(model="opus-mt"))
    with background(app) as url:
        r = httpx.get(url + "/health")
        translated = httpx.post(url + "/translate", json={"q": "Câu.", "source": "vi", "target": "en"})
    app.state.service.gate.close()
    assert r.status_code == 503 and r.json()["status"] == "unavailable"
    assert "vnsum models pull opus-mt" in r.json()["problem"] and str(tmp_path) not in r.json()["problem"]
    assert translated.status_code == 503 and str(tmp_path) not in translated.json()["error"]


def test_translate_stacks_a_list_of_glossaries(copy_live):
    from vnsum.glossary import Entry, Glossary

    copy_live.service.glossaries["mine"] = Glossary([Entry("hội nghị", "conference", "term")], name="mine")
    try:
        r = post(copy_live, "/translate", json={"q": "Bộ Công an tổ chức hội nghị.", "source": "vi", "target": "en",
                                                "glossary": ["vn-gov", "mine"]})
    finally:
        del copy_live.service.glossaries["mine"]
    assert r.status_code == 200
    assert r.json()["translatedText"] == "The Ministry of Public Security tổ chức conference."


def test_each_sentence_comes_with_its_level_and_flags_which_libretranslate_clients_ignore():
    from libretranslatepy import LibreTranslateAPI

    from conftest import _live
    from fakes import Scoring

    text = "Câu một.\nCâu hai có 320 người dự."
    with _live(Scoring(scores={"hai": -1.6}, drops={"320": "320 "}, longer_than=0)) as live:
        assert LibreTranslateAPI(live.url + "/").translate(text, "vi", "en") == "Câu một.\nCâu hai có người dự."
        body = post(live, "/translate", json={"q": text, "source": "vi", "target": "en"}).json()
        many = post(live, "/translate", json={"q": [text, "Câu một."], "source": "vi", "target": "en"}).json()
        health = httpx.get(live.url + "/health").json()
    assert body["model"] == "test-model" and "modelNote" not in body and body["toCheck"] == 1
    assert body["segments"] == [
        {"source": "Câu một.", "target": "Câu một.", "confidence": -0.1, "level": "ok", "flags": []},
        {"source": "Câu hai có 320 người dự.", "target": "Câu hai có người dự.", "confidence": -1.6,
         "level": "doubtful", "flags": ['missing: "320"']}]
    assert many["toCheck"] == [1, 0] and [len(s) for s in many["segments"]] == [2, 1]
    assert "model_notes" in health and health["default_model"] == "test-model"
