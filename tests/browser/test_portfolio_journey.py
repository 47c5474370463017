"""Sharing in real Chromium: switch the portfolio on, open it logged out, print it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD, make_plan, make_user
from tests.tracker.test_share import approve_first_milestone

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_switch_on_open_logged_out_and_print(live_server, page: Page, browser: Browser, tmp_path):
    learner = make_user("sharer", display_name="Sasha Sharer")
    make_plan(learner)
    approve_first_milestone(learner, evidence="Provisioned a VM with **Terraform**.")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("sharer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/settings/")
    page.get_by_label("Share my portfolio publicly").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("link", name="/u/sharer/")).to_be_visible()

    stranger = browser.new_context().new_page()  # logged out
    stranger.goto(live_server.url + "/u/sharer/")
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Sasha Sharer")
    expect(stranger.locator(".milestone-evidence strong")).to_have_text("Terraform")
    card = stranger.request.get(live_server.url + "/u/sharer/card.png")
    assert card.status == 200 and card.headers["content-type"] == "image/png"

    stranger.emulate_media(media="print")
    stranger.screenshot(path=str(tmp_path / "print.png"), full_page=True)
    # In print the navigation and footer are gone and the links print their address.
    expect(stranger.locator(".site-header")).to_be_hidden()
    expect(stranger.locator(".site-footer")).to_be_hidden()
    expect(stranger.locator(".print-url").first).to_be_visible()
    pdf = stranger.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") <= 2

    # Switched off again, the page is gone.
    page.get_by_label("Share my portfolio publicly").uncheck()
    page.get_by_role("button", name="Save settings").click()
    assert stranger.goto(live_server.url + "/u/sharer/").status == 404
