"""Headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright."""

import os
import shutil
from contextlib import contextmanager

CHROMIUM = os.environ.get("SMARTSPEC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@contextmanager
def chromium_page(**context):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(**context)
            yield page
        finally:
            browser.close()
