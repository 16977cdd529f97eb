"""Hostile clients (issue 13): half-open connections, JSON built to crash the parser,
HTML in a file's font names, and uploads that must wait their turn like translations."""

from __future__ import annotations

import io
import socket
import threading
import time
from urllib.parse import urlparse

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from fakes import CopyBackend
from vnsum import Translator
from vnsum.web import Limits, ServerConfig
from vnsum.web.server import background, create_app

VI_EN = "Vietnamese → English"


@pytest.fixture(scope="module")
def strict_server():
    """A server with a one-second header deadline and room for eight connections."""
    app = create_app(ServerConfig(model="test-model", limits=Limits(header_timeout_s=1, max_connections=8)),
                     {"test-model": Translator(backend=CopyBackend(), glossary=None)})
    with background(app) as url:
        yield url
    app.state.service.gate.close()


def half_open(url: str) -> socket.socket:
    """A connection that starts a request and never finishes its headers."""
    address = urlparse(url)
    sock = socket.create_connection((address.hostname, address.port), timeout=5)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    return sock


def closed_by_server(sock: socket.socket, wait_s: float | None = None) -> bool:
    """Whether the server closed it (a reset: it had unread bytes) within ``wait_s`` (default:
    the socket's own timeout)."""
    if wait_s is not None:
        sock.settimeout(wait_s)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_half_open_connections_are_closed_and_health_answers(strict_server):
    held = [half_open(strict_server) for _ in range(20)]
    time.sleep(0.3)
    started = time.monotonic()
    assert all(closed_by_server(sock) for sock in held)  # over the cap at once, the others at the deadline
    assert time.monotonic() - started < 3
    for sock in held:
        sock.close()
    assert httpx.get(strict_server + "/health", timeout=5).status_code == 200


def test_a_finished_request_on_a_kept_connection_is_answered(strict_server):
    with httpx.Client(base_url=strict_server, timeout=5) as client:
        assert [client.get("/languages").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.parametrize("body, message", [
    ("[" * 30_000 + "]" * 30_000, "the JSON is nested too deeply"),
    ('{"q": "B\\ud800 họp", "source": "vi", "target": "en"}', "a text holds a lone surrogate (U+D800 at position 1)"),
    ('{"q": ["ok", "\\udfff"], "source": "vi", "target": "en"}', "lone surrogate (U+DFFF at position 0)"),
])
def test_json_built_to_crash_is_a_400(copy_server, body, message, caplog):
    answer = httpx.post(copy_server.url + "/translate", content=body.encode(), timeout=10,
                        headers={"content-type": "application/json"})
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert "Traceback" not in caplog.text


def _docx_with_font(font: str) -> bytes:
    docx = pytest.importorskip("docx")
    from vnsum.encodings import encode_legacy

    document = docx.Document()
    document.add_paragraph().add_run(encode_legacy("Bộ Công an họp.", "TCVN3").decode("cp1252")).font.name = font
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_html_in_a_font_name_is_shown_escaped(copy_server, tmp_path):
    path = tmp_path / "cu.docx"
    path.write_bytes(_docx_with_font('.VnTime<img src=x onerror="alert(1)">'))
    text, notice = Client(copy_server.url, verbose=False).predict(handle_file(str(path)), VI_EN,
                                                                  api_name="/read_file")
    assert text == "Bộ Công an họp.\n"
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in notice and "<img" not in notice


def test_upload_reading_and_glossary_checks_wait_in_the_gate(copy_server, tmp_path):
    (tmp_path / "a.txt").write_text("Bộ Công an họp.", encoding="utf-8")
    (tmp_path / "g.tsv").write_text("vi\ten\tkind\tvariants\tsource\nBộ\tMinistry\torg\n", encoding="utf-8")
    client = Client(copy_server.url, verbose=False)
    gate, release = copy_server.service.gate, threading.Event()
    held = [gate.submit(lambda: release.wait(30)) for _ in range(gate.capacity)]
    try:
        for call in (lambda: client.predict(handle_file(str(tmp_path / "a.txt")), VI_EN, api_name="/read_file"),
                     lambda: client.predict(handle_file(str(tmp_path / "g.tsv")), api_name="/check_glossary")):
            with pytest.raises(AppError, match="The server is busy"):
                call()
    finally:
        release.set()
        for future in held:
            future.result(10)
    assert client.predict(handle_file(str(tmp_path / "a.txt")), VI_EN, api_name="/read_file")[0] == \
        "Bộ Công an họp."
