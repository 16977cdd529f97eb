"""Take docs/screenshot.png: the page after translating one of its example articles.

It runs offline, without model weights: the server uses the tests' copy backend, which
returns each sentence unchanged with the glossary renderings put in. So the picture
shows the page, the highlighting and the term report, not a model's translation.
Needs the playwright package and Debian's chromium (/usr/bin/chromium).

    .venv/bin/python scripts/screenshot.py [OUT.png]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "web")]

from chromium import launch  # noqa: E402
from fakes import CopyBackend  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from vnsum import Translator  # noqa: E402
from vnsum.web import ServerConfig  # noqa: E402
from vnsum.web.server import background, create_app  # noqa: E402


def main(out: Path) -> None:
    label = "copy backend (no model: sentences stay untranslated)"
    app = create_app(ServerConfig(model=label), {label: Translator(backend=CopyBackend(), glossary=None)})
    with background(app) as url, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        page.goto(url)
        page.get_by_text("Công an tỉnh Quảng Ninh ra quân").first.click()
        expect(page.locator("#article textarea")).to_have_value(re.compile("Quảng Ninh"))
        page.locator("#run").click()
        expect(page.locator("#terms")).to_contain_text("applied", timeout=30_000)
        page.screenshot(path=str(out), full_page=True)
        browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
