"""The page's notice about ``auto``'s first-use download, for every state /health reports
(the browser test, test_web_browser.py, shows it on the page while a download runs)."""

from __future__ import annotations

import html
import re

import pytest

from vnsum.web.modelnotice import notice_html


def _status(state: str, **fields) -> dict:
    return {"state": state, "model": "opus-mt", "repo": None, "done_bytes": 0, "total_bytes": 0,
            "error": None} | fields


@pytest.mark.parametrize("status, running, expected", [
    (None, "opus-mt", None),
    (_status("offline", model=None), "vnsum-mini", None),
    (_status("not needed", model=None), "opus-mt", None),
    (_status("downloading"), "vnsum-mini",
     "Translating with vnsum-mini, the small bundled demonstration model, while opus-mt downloads. "
     "Asking the model hub for opus-mt… The page switches to opus-mt when it is ready."),
    (_status("downloading", repo="Helsinki-NLP/opus-mt-en-vi", done_bytes=120_000_000, total_bytes=300_000_000),
     "vnsum-mini", "Translating with vnsum-mini, the small bundled demonstration model, while opus-mt downloads. "
     "Downloading opus-mt-en-vi: 120.0 MB of 300.0 MB (40%). The page switches to opus-mt when it is ready."),
    (_status("ready", repo="Helsinki-NLP/opus-mt-en-vi"), "opus-mt",
     "Translating with opus-mt, downloaded on first use; it replaced the demonstration model vnsum-mini."),
    (_status("failed", error="the model hub <http://10.0.0.1> did not answer within 2 s"), "vnsum-mini",
     "Translating with vnsum-mini, the small bundled demonstration model, because opus-mt could not be "
     "downloaded: the model hub <http://10.0.0.1> did not answer within 2 s. The server tries again when it "
     "restarts."),
])
def test_the_notice_says_which_model_translates(status, running, expected):
    shown = notice_html(status, running)
    text = html.unescape(re.sub(r"<[^>]+>", "", shown.replace("</p><p>", " ")))  # as the page reads
    assert (text or None) == expected
    assert "<http" not in shown  # the error is text, not markup
