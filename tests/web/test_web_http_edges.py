"""The REST API at the edges of HTTP (issue 27): limits checked before any language
detection, a broken chunked body, multipart errors and encodings, a body over the limit
that its client must still be able to read the 413 of."""

from __future__ import annotations

import logging
import socket
from contextlib import contextmanager
from urllib.parse import urlparse

import httpx
import pytest

import vnsum.web.api

MULTIPART = {"content-type": "multipart/form-data; boundary=B"}


@pytest.fixture
def detections(monkeypatch) -> list[str]:
    """Every text the API runs language detection on."""
    seen: list[str] = []
    real = vnsum.web.api.detect
    monkeypatch.setattr(vnsum.web.api, "detect", lambda text: seen.append(text) or real(text))
    return seen


def connect(url: str) -> socket.socket:
    address = urlparse(url)
    return socket.create_connection((address.hostname, address.port), timeout=30)


@contextmanager
def server_log():
    """Records of uvicorn's error log, which does not reach the root logger (nor caplog)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def test_limits_are_checked_before_detecting_languages(copy_server, detections):
    """Before, 350,000 texts with source auto were each detected (3.5 s of the event loop,
    /health waiting) before the 413 for too many texts."""
    answer = httpx.post(copy_server.url + "/translate", json={"q": ["Bộ"] * 1_000, "source": "auto"}, timeout=30)
    assert answer.status_code == 413 and "1000 texts in one request" in answer.json()["error"]
    answer = httpx.post(copy_server.url + "/process", json={"q": "Bộ " * 5_000, "source": "auto"}, timeout=30)
    assert answer.status_code == 413
    assert detections == []
    answer = httpx.post(copy_server.url + "/translate", json={"q": ["Bộ Công an họp."], "source": "auto"}, timeout=30)
    assert [d["language"] for d in answer.json()["detectedLanguage"]] == ["vi"]
    assert detections == ["Bộ Công an họp."]


def test_an_empty_list_with_source_auto_is_an_empty_answer(copy_server):
    answer = httpx.post(copy_server.url + "/translate", json={"q": [], "source": "auto", "target": "en"}, timeout=30)
    assert answer.status_code == 200  # was "unsupported direction auto->en"
    assert answer.json()["translatedText"] == []


def test_a_broken_chunked_body_is_a_400_without_a_traceback(copy_server, caplog):
    with server_log() as records, connect(copy_server.url) as sock:
        sock.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert not [r for r in (*records, *caplog.records) if r.exc_info], "a traceback was logged"


@pytest.mark.parametrize("body, message", [
    (b'--B\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--B--\r\n', 'field "name" must be provided'),
    (b'--B\r\nContent-Disposition: form-data; name="q"\r\n\r\nH\xe0 N\xf4i\r\n--B--\r\n',
     "the form field 'q' is not UTF-8 (invalid byte at offset 1)"),
    (b'--B\r\nContent-Disposition: form-data; name="q"; filename="a.txt"\r\n\r\nx\r\n--B--\r\n',
     "q.str: Input should be a valid string"),
])
def test_multipart_problems_are_error_bodies(copy_server, body, message):
    answer = httpx.post(copy_server.url + "/translate", content=body, headers=MULTIPART, timeout=30)
    assert answer.status_code == 400 and message in answer.json()["error"]


def test_a_multipart_form_in_utf8_is_read(copy_server):
    body = ('--B\r\nContent-Disposition: form-data; name="q"\r\n\r\nTrời mưa to.\r\n'
            '--B\r\nContent-Disposition: form-data; name="source"\r\n\r\nvi\r\n--B--\r\n').encode()
    answer = httpx.post(copy_server.url + "/translate", content=body, headers=MULTIPART, timeout=30)
    assert answer.status_code == 200 and answer.json()["translatedText"] == "Trời mưa to."


def test_a_urlencoded_form_not_in_utf8_is_refused(copy_server):
    answer = httpx.post(copy_server.url + "/translate", content=b"q=H%E0+N%F4i&source=vi",
                        headers={"content-type": "application/x-www-form-urlencoded"}, timeout=30)
    assert answer.status_code == 400 and "the form is not UTF-8" in answer.json()["error"]


@pytest.mark.parametrize("expect", [False, True])
def test_the_413_of_a_body_over_the_limit_can_be_read(copy_server, expect):
    """The client sends its whole 3 MB body before it reads: the server reads and drops it
    first (before, it closed with unread bytes, and the client got a reset mid-send).
    A client that waits for 100 Continue is answered at once, having sent nothing."""
    size = 3 * 1024 * 1024
    with connect(copy_server.url) as sock:
        sock.sendall(f"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {size}\r\n{'Expect: 100-continue' if expect else 'X: y'}\r\n\r\n".encode())
        if not expect:
            for _ in range(size // 65536):
                sock.sendall(b" " * 65536)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 ")
