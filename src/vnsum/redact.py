"""Secrets kept out of every message, log line, file and response.

An LLM server's address may carry credentials (``http://user:pass@host/v1``), and the
API key travels in the ``Authorization`` header, which some servers and proxies repeat
in their error messages. Those messages reach stderr, the batch manifest, the server
log and anonymous visitors of the page, so every text vnsum shows that may hold one
goes through :func:`redact`: the key in ``$VNSUM_API_KEY`` wherever it appears, any
bearer or basic credential, anything shaped like an ``sk-`` key, and the user and
password of a URL all become ``***``. Each pattern starts only where its run of
characters starts, so redacting is linear in the text's length whatever it holds.
"""

from __future__ import annotations

import os
import re

API_KEY_ENV = "VNSUM_API_KEY"
HIDDEN = "***"
# A key shorter than this is not looked for as such: it would blank ordinary words.
_MIN_KEY_CHARS = 4
_PATTERNS = (
    (re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*://)[^\s/@?#]+@"), rf"\1{HIDDEN}@"),
    (re.compile(r"(?i)(?<![A-Za-z0-9])(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]+"), rf"\1\2{HIDDEN}"),
    (re.compile(r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{8,}"), HIDDEN),
)


def redact(text: str) -> str:
    """``text`` with the API key and any credentials in it replaced by ``***``."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    if len(key) >= _MIN_KEY_CHARS:
        text = text.replace(key, HIDDEN)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
