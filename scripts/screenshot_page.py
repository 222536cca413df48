"""Take the README's screenshot of the analyst's page: reports/page.png.

Usage: python scripts/screenshot_page.py [--out reports/page.png]

Serves scamtext on a free local port (shipped model, a throw-away case store), opens the
page in Debian's headless Chromium through Playwright, analyses one message and saves
the whole page. Needs `apt-get install chromium` and the test extra (playwright).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scamtext.serve import create_app, serve_in_thread  # noqa: E402
from tools.browser import launch  # noqa: E402

MESSAGE = "【公安局】你名下银行卡涉嫌洗钱，请立即将资金转入安全账户配合调查，不要告诉家人"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "reports" / "page.png"))
    parser.add_argument("--chromium", help="Chromium to drive (default: the system's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        app = create_app(registry=Path(home) / "models", store=Path(home) / "cases")
        with serve_in_thread(app) as url, sync_playwright() as playwright:
            browser = launch(playwright, args.chromium)
            page = browser.new_page(viewport={"width": 1000, "height": 900}, locale="zh-CN")
            page.goto(url + "/")
            page.wait_for_selector("body[data-ready=true]")
            page.fill("#message", MESSAGE)
            page.click("#analyse")
            page.wait_for_selector("#result:not([hidden])")
            page.screenshot(path=args.out, full_page=True)
            browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
