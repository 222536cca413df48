"""Headless Chromium from Debian's packages (``apt-get install chromium``), for Playwright.

Used by the page test and ``scripts/screenshot_page.py``. A browser is never downloaded
(no ``playwright install``): Playwright drives the system's Chromium with these flags.

>>> "--headless" in CHROMIUM_FLAGS and "--disable-background-networking" in CHROMIUM_FLAGS
True
"""

from __future__ import annotations

import shutil

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless, no GPU, and no traffic of the browser's own (updates, sync)."""


def find_chromium() -> str | None:
    """Return the path of the system's Chromium, or None where it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright, executable: str | None = None):
    """Launch the system's Chromium through a started ``sync_playwright()``."""
    path = executable or find_chromium()
    if path is None:
        raise FileNotFoundError("no Chromium: apt-get install chromium")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
