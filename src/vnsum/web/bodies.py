"""REST request bodies: JSON, URL-encoded or multipart form data, as LibreTranslate takes.

Every failure is a UsageError (a 400 with ``{"error": …}``), never Starlette's
``{"detail": …}``. Text is UTF-8 in all three: a form field in another encoding is
refused, not read as Latin-1 and translated as mojibake (Starlette's form parsers fall
back to Latin-1 silently), and ``curl -d q=Bộ…``, which does not percent-encode, is read
right. Decoding and checking run off the event loop: a 2 MB body of 350,000 short texts
takes about a second, and ``/health`` must not wait for it.
"""

from __future__ import annotations

import json
from contextlib import aclosing
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.formparsers import MultiPartException, MultiPartParser

from ..errors import UsageError

URLENCODED, MULTIPART = "application/x-www-form-urlencoded", "multipart/form-data"
M = TypeVar("M", bound=BaseModel)


async def payload(request: Request, model: type[M]) -> M:
    """The request body as ``model``: JSON, or form fields (a repeated ``q`` is a list)."""
    kind = request.headers.get("content-type", "")
    if kind.startswith(MULTIPART):
        return await run_in_threadpool(_validated, model, _fields(await _multipart(request)))
    return await run_in_threadpool(_decoded, model, await request.body(), kind.startswith(URLENCODED))


def _decoded(model: type[M], raw: bytes, form: bool) -> M:
    return _validated(model, _fields(_urlencoded(raw)) if form else _json(raw))


class _Utf8MultiPart(MultiPartParser):
    """Starlette's multipart parser, refusing a field that is not UTF-8."""

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is None:
            try:
                bytes(part.data).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MultiPartException(f"the form field {part.field_name!r} is not UTF-8 (invalid byte at "
                                         f"offset {exc.start}); send the text as UTF-8") from None
        super().on_part_end()


async def _multipart(request: Request) -> list[tuple[str, Any]]:
    """The form's fields; a file part (a browser's form may hold an empty one) is kept
    closed, so that only a field the request model ignores may be one."""
    try:
        async with aclosing(request.stream()) as stream:
            form = await _Utf8MultiPart(request.headers, stream).parse()
    except MultiPartException as exc:
        raise UsageError(f"Invalid request: {exc.message}") from None
    await form.close()
    return form.multi_items()


def _urlencoded(raw: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise UsageError(f"Invalid request: the form is not UTF-8 ({exc.reason} at byte {exc.start}); send the "
                         "text as UTF-8") from None


def _fields(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Form fields by name: one value, or a list when the field is repeated."""
    fields: dict[str, list[Any]] = {}
    for key, value in pairs:
        fields.setdefault(key, []).append(value)
    return {key: values if len(values) > 1 else values[0] for key, values in fields.items()}


def _json(raw: bytes) -> Any:
    try:
        data = json.loads(raw or b"null")
    except ValueError as exc:
        raise UsageError(f"Invalid request: the body is not valid JSON ({exc})") from None
    except RecursionError:
        raise UsageError("Invalid request: the JSON is nested too deeply") from None
    _check_characters(data)
    return data


def _check_characters(data: Any) -> None:
    """Refuse a string holding a lone surrogate: ``"\\ud800"`` is valid JSON but no
    character, so no text with it can be encoded, and every later step would fail."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise UsageError(f"Invalid request: a text holds a lone surrogate (U+{ord(item[exc.start]):04X} "
                                 f"at position {exc.start}), which is not a character") from None
        elif isinstance(item, dict):
            stack.extend((*item.keys(), *item.values()))
        elif isinstance(item, list):
            stack.extend(item)


def _validated(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"Invalid request: {problems}") from None
