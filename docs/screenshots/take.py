"""Retake the README's screenshots with Debian's Chromium: python docs/screenshots/take.py [BASE_URL].

Run against `make run` (http://127.0.0.1:8000, the seed corpus); the pages are reached the way a
reader would (search, then a result) so no database id is written here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent
WIDTH = 1280
# name: (path, height of the shot in CSS pixels; None = the whole page)
SHOTS = {
    "home": ("/", 1400),
    "search": ("/measures/?q=跨境电商", 1100),
    "compare": ("/compare/?theme=talent&region=深圳市&region=广州市&region=广东省", 1100),
    "themes": ("/themes/", 900),
}


def main(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(base_url=base, locale="zh-CN", viewport={"width": WIDTH, "height": 900})
        for name, (path, height) in SHOTS.items():
            page.goto(path)
            page.screenshot(
                path=OUT / f"{name}.png", clip={"x": 0, "y": 0, "width": WIDTH, "height": height}, full_page=True
            )
        page.goto("/measures/?q=海外仓")
        page.locator(".measure-card h3 a").first.click()
        page.screenshot(path=OUT / "measure.png")
        page.locator("article.measure .meta a").first.click()
        page.screenshot(path=OUT / "document.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
