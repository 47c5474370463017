"""The job board in real Chromium on a 390 px phone, dark: start an application from a
target company, move it with htmx, and once more with JavaScript off (plain POST)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from jobs.models import Application
from tests.browser.conftest import log_in, wait_for_htmx
from tests.conftest import make_plan, make_user

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark"}


def test_board_on_a_phone_with_and_without_javascript(live_server, browser: Browser, tmp_path):
    make_plan(make_user("seeker"))
    page: Page = browser.new_context(**PHONE).new_page()
    log_in(page, live_server.url, "seeker")
    page.goto(live_server.url + "/jobs/companies/")
    page.get_by_role("link", name="Apply: Lunit").click()
    expect(page.get_by_label("Company")).to_have_value("Lunit")
    expect(page.get_by_label("Region")).to_have_value("Korea")
    page.get_by_label("Source").select_option("referral")
    page.get_by_role("button", name="Add to board").click()
    expect(page).to_have_url(live_server.url + "/jobs/")

    wait_for_htmx(page)
    applied = page.locator("#col-applied").locator("xpath=..")
    expect(applied.get_by_role("link", name="Lunit")).to_be_visible()
    with page.expect_response(lambda r: "/move/" in r.url) as moved:
        page.get_by_role("button", name="To resume screen (Lunit)").click()
    assert moved.value.status == 200 and moved.value.request.headers.get("hx-request")
    screen = page.locator("#col-resume_screen").locator("xpath=..")
    expect(screen.get_by_role("link", name="Lunit")).to_be_visible()
    # Nothing spills out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "board-390-dark.png"), full_page=True)

    plain = browser.new_context(**PHONE, java_script_enabled=False).new_page()
    log_in(plain, live_server.url, "seeker")
    plain.goto(live_server.url + "/jobs/")
    plain.get_by_role("button", name="To technical screen (Lunit)").click()
    expect(plain).to_have_url(live_server.url + "/jobs/")
    expect(plain.get_by_text("Lunit: now at Technical screen.")).to_be_visible()
    assert Application.objects.get().stage == "technical_screen"
