"""Anonymous uploads cannot fill the disk (issue 27): a quota per client address and one
in all, over the time uploaded files are kept. Before, twenty 10 MB uploads from one
client stored 200 MB."""

from __future__ import annotations

import httpx
import pytest

from fakes import CopyBackend
from vnsum import Translator
from vnsum.web import Limits, ServerConfig
from vnsum.web.guards import UPLOAD_PATH, UploadLedger
from vnsum.web.server import background, create_app

KB = 1024


def test_the_ledger_caps_each_client_and_everyone_over_its_window():
    ledger = UploadLedger(per_client=100, total=150, window_s=60)
    assert ledger.charge("a", 60, now=0) is None
    assert ledger.charge("a", 50, now=10) == 50  # over a's quota until its first upload expires
    assert ledger.charge("b", 100, now=20) == 40  # over the total until a's expires
    assert ledger.charge("b", 100, now=60) is None  # a's upload has expired
    assert ledger.charge("a", 50, now=61) is None and ledger.charge("a", 1, now=62) == 58


@pytest.fixture(scope="module")
def small_quotas():
    limits = Limits(max_upload_bytes=100 * KB, max_upload_bytes_per_client=400 * KB,
                    max_upload_bytes_total=600 * KB)
    app = create_app(ServerConfig(model="m", glossary=None, limits=limits),
                     {"m": Translator(backend=CopyBackend(), glossary=None)})
    with background(app) as url:
        yield url
    app.state.service.gate.close()


def upload(url: str, source: str) -> httpx.Response:
    with httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=30) as client:
        return client.post(url + UPLOAD_PATH, files={"files": ("a.txt", b"x" * 90 * KB)})


def test_uploads_past_a_quota_are_refused_with_retry_after(small_quotas):
    first = [upload(small_quotas, "127.0.0.1").status_code for _ in range(6)]
    assert first == [200, 200, 200, 200, 429, 429]  # 4 x 90 KB (and framing) fit in 400 KB
    refused = upload(small_quotas, "127.0.0.1")
    assert refused.json()["error"].startswith("Uploads are limited to 0.391 MB per address and 0.586 MB in all "
                                              "over 90 minutes")
    assert int(refused.headers["retry-after"]) > 0
    second = [upload(small_quotas, "127.0.0.2").status_code for _ in range(4)]
    assert second == [200, 200, 429, 429]  # the 600 KB in all is reached first
