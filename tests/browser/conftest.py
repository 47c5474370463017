from __future__ import annotations

from playwright.sync_api import Page


def wait_for_htmx(page: Page) -> None:
    """Wait until the page has loaded and htmx has processed it: before that, a change
    event finds no htmx handler and nothing is requested."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
