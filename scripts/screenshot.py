"""Take docs/screenshot.png (1280 px) and docs/screenshot-400.png (a phone): the page
after translating one of its example articles with the bundled vnsum-mini model.

It runs offline: the server uses `--model auto`, which is the bundled model on a
machine with no better one. Needs the playwright package and Debian's chromium
(/usr/bin/chromium).

    .venv/bin/python scripts/screenshot.py [OUT_DIR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "web")]

from chromium import launch  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from vnsum.web import ServerConfig  # noqa: E402
from vnsum.web.server import background, create_app  # noqa: E402

SHOTS = {1280: "screenshot.png", 400: "screenshot-400.png"}


def main(out: Path) -> None:
    app = create_app(ServerConfig(model="auto"))
    with background(app) as url, sync_playwright() as pw:
        browser = launch(pw)
        for width, name in SHOTS.items():
            page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
            page.goto(url)
            page.get_by_text("Công an tỉnh Quảng Ninh ra quân").first.click()
            expect(page.locator("#article textarea")).to_have_value(re.compile("Quảng Ninh"))
            page.locator("#run").click()
            expect(page.locator("#timings")).to_contain_text("applied", timeout=120_000)
            page.wait_for_timeout(1_000)  # the smooth scroll to the results
            page.screenshot(path=str(out / name), full_page=True)
            page.close()
            print(f"wrote {out / name}")
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
