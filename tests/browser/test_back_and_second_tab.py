"""Back and a second tab, in real Chromium, on the lab, the take-home worksheet and the
job search: text typed and left before it was saved comes back after Back; a stale tab
never overwrites what another tab saved, and says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from hiring.services import attempt_start
from jobs.models import Application, Stage
from labs.models import LabAttempt
from roadmap.models import HiringRound
from tests.browser.conftest import log_in, wait_for_htmx
from tests.conftest import make_plan, make_user
from tests.labs.conftest import make_attempt

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark"}


def _tab(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(**PHONE).new_page()
    log_in(page, base, username)
    return page


def _leave_and_come_back(page: Page, url: str) -> None:
    """Away at once (before any autosave fires), then Back."""
    page.goto(url.rsplit("/", 2)[0] + "/")
    page.go_back()
    page.wait_for_load_state("load")


def test_lab_notes_typed_then_left_come_back_and_are_saved(live_server, browser: Browser):
    attempt = make_attempt(make_user("operator"), seed=5)
    page = _tab(browser, live_server.url, "operator")
    url = live_server.url + attempt.get_absolute_url()
    page.goto(url)
    wait_for_htmx(page)
    page.get_by_label("Hypotheses").press_sequentially("NVLink on one node?", delay=5)
    _leave_and_come_back(page, url)
    wait_for_htmx(page)
    expect(page.get_by_label("Hypotheses")).to_have_value("NVLink on one node?")
    expect(page.locator(".draft-notice")).to_contain_text("Restored what you typed")
    expect(page.locator("#notes-status")).to_contain_text("Saved")  # and now saved
    attempt.refresh_from_db()
    assert attempt.hypotheses == "NVLink on one node?"


def test_a_stale_lab_tab_does_not_overwrite_the_newer_notebook(live_server, browser: Browser):
    attempt = make_attempt(make_user("operator"), seed=5)
    url = live_server.url + attempt.get_absolute_url()
    one = _tab(browser, live_server.url, "operator")
    two = one.context.new_page()  # the same browser, a second tab
    for tab in (one, two):
        tab.goto(url)
        wait_for_htmx(tab)
    one.get_by_label("Hypotheses").fill("Thermal throttling on gpu-03")
    expect(one.locator("#notes-status")).to_contain_text("Saved")
    two.get_by_label("Hypotheses").fill("Stale guess")
    expect(two.locator("#notes-status")).to_contain_text("changed in another tab")
    expect(two.get_by_label("Hypotheses")).to_have_value("Stale guess")  # kept on screen
    # The stale tab submits its diagnosis anyway: refused with a message, nothing lost.
    two.get_by_label("Remediation").fill("Reboot it", timeout=5000)
    two.locator("#cause-field input").first.check()
    two.get_by_role("button", name="Submit diagnosis").click()
    expect(two.locator(".message-error")).to_contain_text("another tab")
    expect(two.get_by_label("Remediation")).to_have_value("Reboot it")
    attempt = LabAttempt.objects.get(pk=attempt.pk)
    assert attempt.is_open and attempt.hypotheses == "Thermal throttling on gpu-03"
    # Tab one goes on typing: saved, no false alarm.
    one.get_by_label("Hypotheses").fill("Thermal throttling on gpu-03, clocks down")
    expect(one.locator("#notes-status")).to_contain_text("Saved")


def test_the_worksheet_keeps_what_was_typed_through_back_and_refuses_a_stale_tab(
    live_server, browser: Browser
):
    learner = make_user("planner")
    make_plan(learner)
    rnd = HiringRound.objects.current().get(key="infrastructure-design-take-home")
    attempt = attempt_start(learner=learner, round=rnd)
    url = live_server.url + attempt.get_absolute_url()
    one = _tab(browser, live_server.url, "planner")
    one.goto(url)
    wait_for_htmx(one)
    one.get_by_label("Your document (markdown)").fill("Batching first.")
    _leave_and_come_back(one, url)
    wait_for_htmx(one)
    expect(one.get_by_label("Your document (markdown)")).to_have_value("Batching first.")
    expect(one.locator("#saved")).to_contain_text("Saved")
    two = one.context.new_page()
    two.goto(url)
    wait_for_htmx(two)
    one.get_by_label("Concurrent users (users)").fill("60000")
    expect(one.locator("#saved")).to_contain_text("Saved")
    one.wait_for_timeout(300)
    two.get_by_label("Your document (markdown)").fill("Stale plan")
    expect(two.locator("#saved")).to_contain_text("changed in another tab")
    attempt.refresh_from_db()
    assert attempt.document == "Batching first." and attempt.worksheet["users"] == 60000


def test_the_job_board_and_an_application_in_two_tabs(live_server, browser: Browser):
    learner = make_user("seeker")
    make_plan(learner)
    app = Application.objects.create(learner=learner, company="Lunit", region="Korea")
    one = _tab(browser, live_server.url, "seeker")
    two = one.context.new_page()
    for tab in (one, two):
        tab.goto(live_server.url + "/jobs/")
        wait_for_htmx(tab)
    one.get_by_role("button", name="To resume screen (Lunit)").click()
    expect(one.locator("#col-resume_screen").locator("xpath=..")).to_contain_text("Lunit")
    # The stale board still shows Lunit as applied: its Withdraw must not go through.
    two.get_by_role("button", name="Withdraw (Lunit)").click()
    expect(two.locator("#board-status")).to_contain_text("already moved to resume screen")
    expect(two.locator("#col-resume_screen").locator("xpath=..")).to_contain_text("Lunit")
    app.refresh_from_db()
    assert app.stage == Stage.RESUME_SCREEN

    # The application's notes: typed, left, Back: still there, then saved.
    url = f"{live_server.url}/jobs/{app.pk}/"
    one.goto(url)
    one.get_by_label("Notes").fill("Referral from Ana")
    _leave_and_come_back(one, url)
    expect(one.get_by_label("Notes")).to_have_value("Referral from Ana")
    expect(one.locator(".draft-notice")).to_contain_text("Press Save")
    # Another device saves first; the first tab's Save comes back instead of overwriting.
    # (A tab of this browser would offer the kept text too: they share its storage.)
    two = _tab(browser, live_server.url, "seeker")
    two.goto(url)
    two.get_by_label("Contacts").fill("Ana (recruiter)")
    two.get_by_role("button", name="Save").click()
    expect(two).to_have_url(live_server.url + "/jobs/")
    one.get_by_role("button", name="Save").click()
    expect(one.locator(".error-summary")).to_contain_text("another tab")
    expect(one.get_by_label("Notes")).to_have_value("Referral from Ana")
    app.refresh_from_db()
    assert app.contacts == "Ana (recruiter)" and app.notes == ""
    one.get_by_role("button", name="Save").click()  # now knowingly
    expect(one).to_have_url(live_server.url + "/jobs/")
    app.refresh_from_db()
    assert app.notes == "Referral from Ana"
