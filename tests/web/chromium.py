"""Launching Debian's chromium through Playwright, for the page tests and the screenshot script.

Playwright's own browser download is never used: CI installs ``chromium`` with apt.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
# No sandbox (CI containers run as root), no GPU, and nothing that phones home.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def launch(pw):
    """A headless chromium browser from a ``sync_playwright()`` handle."""
    return pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
