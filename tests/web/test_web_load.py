"""50 requests at once against `python app.py` on loopback, with a generated model.

Every request must be answered — a result, or a clear 429 (busy) / 503 (too slow) — the
server must stay up, and its memory must stay bounded.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 50
# Growth allowed over the warmed-up server: far above what 50 small requests need,
# far below what unbounded queues or copies of the model would take.
MAX_GROWTH_MB = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(model_root, tmp_path):
    port = free_port()
    env = os.environ | {"VNSUM_MODELS": str(model_root), "HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(tmp_path),
                        "GRADIO_TEMP_DIR": str(tmp_path / "gradio")}
    command = [sys.executable, "app.py", "--port", str(port), "--model", "opus-mt", "--backend", "hf", "--no-tm",
               "--device", "cpu", "--greedy", "--queue", "4", "--timeout", "10"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, proc.stdout.read()
        try:
            if httpx.get(url + "/health", timeout=2).json()["status"] == "ok":
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the server did not start in 120 s"
        time.sleep(0.25)
    yield url, proc
    proc.terminate()
    proc.wait(20)


def rss_mb(proc: subprocess.Popen) -> float:
    return psutil.Process(proc.pid).memory_info().rss / 2**20


@pytest.mark.slow
def test_fifty_concurrent_requests(server):
    url, proc = server
    warm = httpx.post(url + "/translate", json={"q": ["Hội nghị tổng kết."], "source": "vi", "target": "en"},
                      timeout=60)
    assert warm.status_code == 200
    before = rss_mb(proc)
    start = threading.Barrier(CLIENTS)

    def call(i: int) -> httpx.Response:
        q = [f"Bộ Công an tổ chức hội nghị lần thứ {i}.", "Đại tướng Tô Lâm phát biểu.", f"Năm {2000 + i}."]
        with httpx.Client(timeout=60) as client:
            start.wait(10)
            return client.post(url + "/translate", json={"q": q, "source": "vi", "target": "en"})

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(call, range(CLIENTS)))
    statuses = [a.status_code for a in answers]
    print(f"\n{CLIENTS} concurrent: " + ", ".join(f"{s}: {statuses.count(s)}" for s in sorted(set(statuses))))
    assert set(statuses) <= {200, 429, 503} and 200 in statuses
    for answer in answers:
        body = answer.json()
        if answer.status_code == 200:
            assert len(body["translatedText"]) == 3 and len(body["terms"]) == 3
        else:
            assert set(body) == {"error"} and ("busy" in body["error"] or "limit" in body["error"])
    assert proc.poll() is None
    health = httpx.get(url + "/health", timeout=10).json()
    assert health["status"] == "ok"
    after = rss_mb(proc)
    print(f"server memory: {before:.0f} MB before, {after:.0f} MB after")
    assert after - before < MAX_GROWTH_MB
