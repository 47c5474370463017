from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def wait_for_htmx(page: Page) -> None:
    """Wait until the page has loaded and htmx has processed it: before that, a change
    event finds no htmx handler and nothing is requested."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")


def log_in(page: Page, base: str, username: str, *, lands_on: str = r"/(dashboard|mentor)/$"):
    """Log in through the real form, as a person would, and check where it lands (a
    learner on the dashboard, a mentor with no plan of their own on /mentor/)."""
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(lands_on))
