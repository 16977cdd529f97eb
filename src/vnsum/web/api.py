"""The REST API, in LibreTranslate's shape so existing clients work unchanged.

``POST /translate {q, source, target, format}`` -> ``{translatedText}`` (a list of texts
in gives a list out, translated in one batched model call), ``GET /languages``, and two
of our own: ``POST /summarize`` and ``POST /process`` (a whole article: translation,
both summaries, the term report). Bodies are JSON or form data, as LibreTranslate
accepts. Every error is ``{"error": "..."}`` with a 4xx/5xx status.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import UsageError, VnsumError
from ..glossary import LANGS
from ..language import language_notice
from .errors import RETRY_AFTER_S, ServerBusy, status_for
from .service import Service

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {"vi": "Vietnamese", "en": "English"}
REST_PATHS = ("/translate", "/languages", "/summarize", "/process", "/health")
_URLENCODED, _MULTIPART = "application/x-www-form-urlencoded", "multipart/form-data"
M = TypeVar("M", bound=BaseModel)


class _Request(BaseModel):
    model_config = ConfigDict(extra="ignore")  # LibreTranslate clients also send api_key, alternatives…


class TranslateRequest(_Request):
    q: str | list[str] = Field(description="a text, or a list of texts translated in one batch")
    source: str = Field("auto", description="vi, en, or auto (the other language of target)")
    target: str = Field("en", description="vi or en")
    format: Literal["text", "html"] = Field("text", description="html: translate text nodes, keep the markup")
    glossary: str | None = Field(None, description="a glossary name from /health, or 'none'; default: the "
                                                    "server's")
    model: str | None = Field(None, description="a model name from /health; default: the server's")


class Term(BaseModel):
    source: str
    target: str
    kind: str
    status: Literal["applied", "repaired", "missed"]


class TranslateResponse(BaseModel):
    translatedText: str | list[str]
    terms: list[Term] | list[list[Term]] | None = Field(
        None, description="what happened to each glossary term (a list per text for a list of texts)")


class SummarizeRequest(_Request):
    q: str
    lang: Literal["vi", "en"] = "vi"
    sentences: int | None = 3
    words: int | None = Field(None, description="about this many words instead of a number of sentences")


class SummarizeResponse(BaseModel):
    summary: str
    sentences: list[str]
    lang: str
    method: str
    notes: list[str]


class ProcessRequest(_Request):
    q: str = Field(description="the article, its title on the first line")
    source: Literal["vi", "en"] = "vi"
    sentences: int | None = 3
    words: int | None = None
    glossary: str | None = None
    model: str | None = None


class Language(BaseModel):
    code: str
    name: str
    targets: list[str]


class ErrorResponse(BaseModel):
    error: str


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI request body of a route that parses JSON or form data itself."""
    schema = {"schema": model.model_json_schema()}
    return {"requestBody": {"required": True, "content": {"application/json": schema, _URLENCODED: schema}}}


async def _payload(request: Request, model: type[M]) -> M:
    """The request body as ``model``: JSON, or form fields (a repeated ``q`` is a list).

    URL-encoded forms are decoded as UTF-8 whether or not the client percent-encoded
    them (``curl -d q=Bộ…`` does not; Starlette's own parser would read Latin-1).
    """
    kind = request.headers.get("content-type", "")
    if kind.startswith((_URLENCODED, _MULTIPART)):
        if kind.startswith(_URLENCODED):
            fields = parse_qs((await request.body()).decode("utf-8", errors="replace"), keep_blank_values=True)
        else:
            form = await request.form()
            fields = {key: form.getlist(key) for key in form.keys()}
        data: Any = {key: values if len(values) > 1 else values[0] for key, values in fields.items()}
    else:
        try:
            data = json.loads(await request.body() or b"null")
        except ValueError as exc:
            raise UsageError(f"Invalid request: the body is not valid JSON ({exc})") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"Invalid request: {problems}") from None


def _terms(terms) -> list[dict]:
    return [{"source": t.source, "target": t.target, "kind": t.kind, "status": t.status} for t in terms]


ERRORS = {code: {"model": ErrorResponse} for code in (400, 413, 429, 500, 503)}


def router(service: Service) -> APIRouter:
    """The REST routes over ``service``."""
    api = APIRouter(responses=ERRORS)

    @api.get("/languages", response_model=list[Language], summary="Languages and their targets")
    async def languages() -> list[dict]:
        return [{"code": c, "name": LANGUAGE_NAMES[c], "targets": [t for t in LANGS if t != c]} for c in LANGS]

    @api.post("/translate", response_model=TranslateResponse, response_model_exclude_none=True,
              openapi_extra=_body(TranslateRequest), summary="Translate a text or a batch of texts")
    async def translate(request: Request) -> dict:
        body = await _payload(request, TranslateRequest)
        texts = [body.q] if isinstance(body.q, str) else body.q
        source = _source(body.source, body.target)
        job = service.translation_job(texts, source, body.target, fmt=body.format, glossary=body.glossary,
                                      model=body.model)
        done = await service.gate.arun(job)
        with_terms = service.glossary(body.glossary) is not None
        if isinstance(body.q, str):
            return {"translatedText": done[0].text, "terms": _terms(done[0].terms) if with_terms else None}
        return {"translatedText": [d.text for d in done],
                "terms": [_terms(d.terms) for d in done] if with_terms else None}

    @api.post("/summarize", response_model=SummarizeResponse, openapi_extra=_body(SummarizeRequest),
              summary="Summarize a text in its own language")
    async def summarize(request: Request) -> dict:
        body = await _payload(request, SummarizeRequest)
        summary = await service.gate.arun(
            service.summary_job(body.q, body.lang, sentences=None if body.words else body.sentences,
                                words=body.words))
        return {"summary": summary.text, "sentences": summary.sentences, "lang": summary.lang,
                "method": summary.method, "notes": summary.notes}

    @api.post("/process", openapi_extra=_body(ProcessRequest),
              summary="Translate an article and summarize it in both languages (vnsum process as JSON), "
                      "with notices such as a text that does not look like the source language")
    async def process(request: Request) -> dict:
        body = await _payload(request, ProcessRequest)
        result = await service.gate.arun(service.article_job(
            body.q, body.source, sentences=None if body.words else body.sentences, words=body.words,
            glossary=body.glossary, model=body.model))
        notice = language_notice(body.q, body.source)
        return result.to_dict() | {"notices": [notice] if notice else []}

    @api.get("/health", summary="Models, glossaries, limits, and whether the default model is loaded")
    async def health() -> dict:
        return {"status": "unavailable" if service.startup_error else "ok", "problem": service.startup_error,
                "models": list(service.translators), "default_model": service.default_model,
                "glossaries": service.glossary_names, "default_glossary": service.default_glossary,
                "limits": vars(service.limits) | {"busy": service.gate.pending}}

    for path in ("/translate", "/summarize", "/process"):
        api.add_api_route(path, _post_only, methods=["GET", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    return api


async def _post_only(request: Request) -> JSONResponse:
    """Without this, another method would fall through to the page and get its 404."""
    return error_response(405, f"{request.method} {request.url.path} is not allowed; use POST", {"Allow": "POST"})


def _source(source: str, target: str) -> str:
    """``auto`` is the other language: vnsum translates between exactly two."""
    if source != "auto":
        return source
    if target not in LANGS:
        raise UsageError(f"target must be one of {', '.join(LANGS)}, not {target!r}")
    return next(lang for lang in LANGS if lang != target)


def error_response(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def install(app: FastAPI, service: Service) -> None:
    """Add the routes to ``app`` and make every error an ``{"error": ...}`` body."""
    app.include_router(router(service))

    @app.exception_handler(VnsumError)
    async def vnsum_error(_request: Request, exc: VnsumError) -> JSONResponse:
        headers = {"Retry-After": str(RETRY_AFTER_S)} if isinstance(exc, ServerBusy) else None
        return error_response(status_for(exc), str(exc), headers)

    @app.exception_handler(Exception)
    async def crashed(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("request failed")
        return error_response(500, f"Internal error ({type(exc).__name__}): {exc}")
