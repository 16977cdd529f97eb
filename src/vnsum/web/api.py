"""The REST API, in LibreTranslate's shape so existing clients work unchanged.

``POST /translate {q, source, target, format}`` -> ``{translatedText}`` (a list of texts
in gives a list out, translated in one batched model call; ``source: "auto"`` detects
each text's language, adds ``detectedLanguage`` and refuses a text already in the
target language with 400), ``POST /detect``, ``GET /languages``, ``GET /frontend/settings``,
and two of our own: ``POST /summarize`` and ``POST /process`` (a whole article:
translation, both summaries, the term report). Bodies are JSON or form data, as
LibreTranslate accepts. Every error is ``{"error": "..."}`` with a 4xx/5xx status.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from pydantic import BaseModel, ConfigDict, Field

from ..errors import UsageError, VnsumError
from ..glossary import LANGS
from ..language import AUTO, detect, language_notice, other
from ..presets import PRESETS
from .bodies import URLENCODED, payload
from .errors import RETRY_AFTER_S, ServerBusy, public, status_for
from .service import Service

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {"vi": "Vietnamese", "en": "English"}
REST_PATHS = ("/translate", "/detect", "/languages", "/frontend/settings", "/summarize", "/process", "/health")


class _Request(BaseModel):
    model_config = ConfigDict(extra="ignore")  # LibreTranslate clients also send api_key…


class TranslateRequest(_Request):
    q: str | list[str] = Field(description="a text, or a list of texts translated in one batch")
    source: str = Field("auto", description="vi, en, or auto: each text's language is detected (the answer's "
                                            "detectedLanguage) and the texts are translated into target; a text "
                                            "detected in the target language itself is refused with 400, its error "
                                            "naming the language (send source to translate it anyway)")
    target: str = Field("en", description="vi or en")
    format: Literal["text", "html"] = Field("text", description="html: translate text nodes, keep the markup")
    glossary: str | list[str] | None = Field(
        None, description="a glossary name from /health, or 'none', or a list of names stacked in order (later "
                          "ones win where two render a term); default: the server's")
    model: str | None = Field(None, description="a model name from /health; default: the server's")
    alternatives: int = Field(0, description="accepted for LibreTranslate clients; vnsum gives one translation "
                                             "(the answer's alternatives list is empty)")


class DetectRequest(_Request):
    q: str


class Detected(BaseModel):
    language: str
    confidence: float = Field(description="0 to 100")


class Term(BaseModel):
    source: str
    target: str
    kind: str
    status: Literal["applied", "repaired", "missed"]


class Checked(BaseModel):
    source: str
    target: str
    confidence: float | None = Field(description="the model's mean log-probability per token (none: by rule, "
                                                 "or a model without scores)")
    level: Literal["ok", "check", "doubtful", "unscored"]
    flags: list[str] = Field(description='why to check it: missing: "1.200", missing: clause 2, …')


class TranslateResponse(BaseModel):
    translatedText: str | list[str]
    terms: list[Term] | list[list[Term]] | None = Field(
        None, description="what happened to each glossary term (a list per text for a list of texts)")
    model: str | None = Field(None, description="the model that translated (none for an empty list)")
    modelNote: str | None = Field(None, description="its class, when a reader must know it ('demonstration "
                                                    "model: check every sentence')")
    segments: list[Checked] | list[list[Checked]] = Field(
        description="each sentence with its confidence, level and flags (a list per text for a list of texts)")
    toCheck: int | list[int] = Field(description="sentences at level check or doubtful (per text for a list)")
    detectedLanguage: Detected | list[Detected] | None = Field(None, description="with source auto")
    alternatives: list[str] | list[list[str]] | None = Field(None, description="when asked for: empty")


class SummarizeRequest(_Request):
    q: str
    lang: Literal["vi", "en"] = "vi"
    sentences: int | None = Field(None, description="this many whole sentences (default: about 60 words)")
    words: int | None = Field(None, description="about this many words (default 60, a news lead's length)")


class SummarizeResponse(BaseModel):
    summary: str
    sentences: list[str]
    lang: str
    method: str
    notes: list[str]


class ProcessRequest(_Request):
    q: str = Field(description="the article, its title on the first line")
    source: Literal["vi", "en", "auto"] = "vi"
    sentences: int | None = Field(None, description="this many whole sentences (default: about 60 words)")
    words: int | None = Field(None, description="about this many words (default 60, a news lead's length)")
    glossary: str | list[str] | None = Field(None, description="as for /translate: a name or a list of names")
    model: str | None = None


class Language(BaseModel):
    code: str
    name: str
    targets: list[str]
    models: list[str] = Field(description="models that translate from this language on this server, "
                                          "the default (the one that answers without a `model`) first")


class ErrorResponse(BaseModel):
    error: str


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI request body of a route that parses JSON or form data itself."""
    schema = {"schema": model.model_json_schema()}
    return {"requestBody": {"required": True, "content": {"application/json": schema, URLENCODED: schema}}}


def _length(body: SummarizeRequest | ProcessRequest) -> tuple[int | None, int | None]:
    """(sentences, words): a length in sentences or in words, not both (neither: the
    summarizer's short default, :data:`~vnsum.summarize.base.DEFAULT_WORDS`)."""
    if body.sentences is not None and body.words is not None:
        raise UsageError("Invalid request: give sentences or words, not both")
    return body.sentences, body.words


def _detected(text: str) -> dict:
    language, confidence = detect(text)
    return {"language": language, "confidence": confidence}


def _refuse_target_language(detected: list[dict], target: str) -> None:
    """A text sent with source auto that reads as the target language has nothing to be
    translated into: a UsageError (400) naming what was detected, rather than the model
    "translating" it into its own language. A text without words (a number) says nothing
    of its language (confidence 0) and goes through."""
    for n, found in enumerate(detected, 1):
        if found["language"] == target and found["confidence"] > 0:
            which = "the text" if len(detected) == 1 else f"text {n} of {len(detected)}"
            raise UsageError(
                f"{which} reads as {LANGUAGE_NAMES[target]} (detected with confidence {found['confidence']:.0f}/100),"
                f" the target language: nothing to translate. Send source \"{other(target)}\" if it is "
                f"{LANGUAGE_NAMES[other(target)]}, or target \"{other(target)}\" to translate it into "
                f"{LANGUAGE_NAMES[other(target)]}.")


def _terms(terms) -> list[dict]:
    return [{"source": t.source, "target": t.target, "kind": t.kind, "status": t.status} for t in terms]


ERRORS = {code: {"model": ErrorResponse} for code in (400, 413, 429, 500, 503)}


def _checked(translation) -> list[dict]:
    return [{"source": s.source, "target": s.target, "confidence": s.confidence, "level": s.level,
             "flags": s.flags} for s in translation.segments]


def router(service: Service) -> APIRouter:
    """The REST routes over ``service``."""
    api = APIRouter(responses=ERRORS)

    @api.get("/languages", response_model=list[Language], summary="Languages and their targets")
    async def languages() -> list[dict]:
        models = [service.default_model, *(m for m in service.translators if m != service.default_model)]
        return [{"code": c, "name": LANGUAGE_NAMES[c], "targets": [t for t in LANGS if t != c], "models": models}
                for c in LANGS]

    @api.get("/frontend/settings", summary="LibreTranslate's settings for clients: limits and languages")
    async def frontend_settings() -> dict:
        names = {code: {"code": code, "name": name} for code, name in LANGUAGE_NAMES.items()}
        return {"charLimit": service.limits.max_chars, "frontendTimeout": int(service.limits.timeout_s * 1000),
                "apiKeys": False, "keyRequired": False, "suggestions": False, "filesTranslation": False,
                "supportedFilesFormat": [], "language": {"source": names["vi"], "target": names["en"]}}

    @api.post("/detect", response_model=list[Detected], openapi_extra=_body(DetectRequest),
              summary="Which of vi and en a text is in, with a confidence from 0 to 100")
    async def detect_language(request: Request) -> list[dict]:
        body = await payload(request, DetectRequest)
        service.check_chars(len(body.q))
        return [await run_in_threadpool(_detected, body.q)]

    @api.post("/translate", response_model=TranslateResponse, response_model_exclude_none=True,
              openapi_extra=_body(TranslateRequest), summary="Translate a text or a batch of texts")
    async def translate(request: Request) -> dict:
        body = await payload(request, TranslateRequest)
        texts = [body.q] if isinstance(body.q, str) else body.q
        auto = body.source == AUTO
        # With two languages, a text detected in a language other than the target is in
        # the other one: the job is checked against the limits before any detection.
        source = other(body.target) if auto else body.source
        job = service.translation_job(texts, source, body.target, fmt=body.format, glossary=body.glossary,
                                      model=body.model)
        detected = await run_in_threadpool(lambda: [_detected(t) for t in texts]) if auto else None
        if detected:
            _refuse_target_language(detected, body.target)
        done = await service.gate.arun(job)
        with_terms = service.glossary(body.glossary) is not None
        alternatives = [] if body.alternatives > 0 else None
        model = {"model": done[0].model, "modelNote": done[0].model_note or None} if done else {}
        if isinstance(body.q, str):
            return {"translatedText": done[0].text, "terms": _terms(done[0].terms) if with_terms else None,
                    "detectedLanguage": detected[0] if detected else None, "alternatives": alternatives,
                    "segments": _checked(done[0]), "toCheck": done[0].to_check} | model
        return {"translatedText": [d.text for d in done],
                "terms": [_terms(d.terms) for d in done] if with_terms else None, "detectedLanguage": detected,
                "alternatives": [alternatives for _ in done] if alternatives is not None else None,
                "segments": [_checked(d) for d in done], "toCheck": [d.to_check for d in done]} | model

    @api.post("/summarize", response_model=SummarizeResponse, openapi_extra=_body(SummarizeRequest),
              summary="Summarize a text in its own language")
    async def summarize(request: Request) -> dict:
        body = await payload(request, SummarizeRequest)
        sentences, words = _length(body)
        summary = await service.gate.arun(service.summary_job(body.q, body.lang, sentences=sentences, words=words))
        return {"summary": summary.text, "sentences": summary.sentences, "lang": summary.lang,
                "method": summary.method, "notes": summary.notes}

    @api.post("/process", openapi_extra=_body(ProcessRequest),
              summary="Translate an article and summarize it in both languages (vnsum process as JSON), "
                      "with notices such as a text that does not look like the source language")
    async def process(request: Request) -> dict:
        body = await payload(request, ProcessRequest)
        sentences, words = _length(body)
        service.check_chars(len(body.q))  # before detecting the language of a text too long anyway
        detected = await run_in_threadpool(_detected, body.q) if body.source == "auto" else None
        source = detected["language"] if detected else body.source
        result = await service.gate.arun(service.article_job(
            body.q, source, sentences=sentences, words=words, glossary=body.glossary, model=body.model))
        notice = language_notice(body.q, source)
        extra = {"detectedLanguage": detected} if detected else {}
        return result.to_dict() | {"notices": [notice] if notice else []} | extra

    @api.get("/health", summary="Models, glossaries, limits, whether the default model is loaded (503 while "
                                "it cannot translate, so health checks fail), and what LLM servers were asked",
             responses={503: {"description": "the same body, with status unavailable and the problem"}})
    async def health() -> JSONResponse:
        await run_in_threadpool(service.recheck)
        body = {"status": "unavailable" if service.startup_error else "ok", "problem": service.startup_error,
                "models": list(service.translators), "default_model": service.default_model,
                "model_notes": {name: PRESETS[name].note for name in service.translators
                                if name in PRESETS and PRESETS[name].note},
                "glossaries": service.glossary_names, "default_glossary": service.default_glossary,
                "limits": vars(service.limits) | {"busy": service.gate.pending}, "usage": service.usage(),
                "download": service.download_status()}
        return JSONResponse(body, status_code=503 if service.startup_error else 200)

    for path in ("/translate", "/summarize", "/process"):
        api.add_api_route(path, _post_only, methods=["GET", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    return api


async def _post_only(request: Request) -> JSONResponse:
    """Without this, another method would fall through to the page and get its 404."""
    return error_response(405, f"{request.method} {request.url.path} is not allowed; use POST", {"Allow": "POST"})


def error_response(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def install(app: FastAPI, service: Service) -> None:
    """Add the routes to ``app`` and make every error an ``{"error": ...}`` body."""
    app.include_router(router(service))

    @app.exception_handler(VnsumError)
    async def vnsum_error(_request: Request, exc: VnsumError) -> JSONResponse:
        headers = {"Retry-After": str(RETRY_AFTER_S)} if isinstance(exc, ServerBusy) else None
        return error_response(status_for(exc), public(str(exc)), headers)

    @app.exception_handler(ClientDisconnect)
    async def gone(_request: Request, _exc: ClientDisconnect) -> Response:
        """The client left before its body was read, or broke its framing (uvicorn has
        answered that 400 itself): nobody to answer, and nothing worth a traceback."""
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def crashed(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("request failed")
        return error_response(500, public(f"Internal error ({type(exc).__name__}): {exc}"))
