"""A brand-new mentor from an invite link to an accepted mentorship, and the time zone a
browser brings to sign-up and settings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in
from tests.conftest import make_plan, make_user
from tracker.models import Mentorship, User

pytestmark = pytest.mark.browser


def _sign_up(page: Page, username: str, button: str = "Sign up") -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("a-long-passphrase-9")
    page.get_by_label("Password confirmation").fill("a-long-passphrase-9")
    page.get_by_role("button", name=button).click()


def test_a_new_mentor_goes_from_the_copied_link_to_the_mentor_home(live_server, browser: Browser):
    learner = make_user("leah", display_name="Leah")
    make_plan(learner)
    base = live_server.url
    lp = browser.new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    np = browser.new_context().new_page()

    # The learner creates an invite and copies the link with the button.
    log_in(lp, base, "leah", lands_on=r"/dashboard/$")
    lp.goto(base + "/mentors/")
    lp.get_by_role("button", name="Create an invite link").click()
    field = lp.get_by_label("Your new link — send it to your mentor:")
    link = field.input_value()
    assert re.fullmatch(re.escape(base) + r"/invite/[\w-]+/", link)
    lp.get_by_role("button", name="Copy the link").click()
    expect(lp.get_by_role("button", name="Copied")).to_be_visible()
    assert lp.evaluate("navigator.clipboard.readText()") == link
    expect(lp.get_by_text(re.compile(r"^Expires "))).to_be_visible()

    # A logged-out newcomer opens it: who asks, what a mentor does, and how to accept.
    np.goto(link)
    expect(np.get_by_role("heading", level=1)).to_have_text("Leah invites you to be their mentor")
    expect(np.get_by_text("You review their milestones")).to_be_visible()
    np.get_by_role("link", name="Sign up to accept").click()
    expect(np.get_by_text("back on the mentor invite")).to_be_visible()
    _sign_up(np, "marco", button="Sign up and continue")

    # Back on the invite, now as the accept step.
    expect(np).to_have_url(link)
    np.get_by_role("button", name="Accept and become their mentor").click()
    expect(np).to_have_url(re.compile(r"/mentor/$"))
    expect(np.get_by_text("You now mentor Leah.")).to_be_visible()
    expect(np.locator(".mentee-table").get_by_role("link", name="Leah")).to_be_visible()
    assert Mentorship.objects.active().filter(learner=learner, mentor__username="marco").exists()

    # The learner's open invites no longer list the used link.
    lp.goto(base + "/mentors/")
    expect(lp.locator(".activity strong")).to_have_text("marco")
    expect(lp.locator(f'input[value="{link}"]')).to_have_count(0)


def test_sign_up_saves_the_browsers_time_zone(live_server, browser: Browser):
    page = browser.new_context(timezone_id="Asia/Tokyo").new_page()
    page.goto(live_server.url + "/accounts/signup/")
    _sign_up(page, "kenji")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert User.objects.get(username="kenji").time_zone == "Asia/Tokyo"


def test_settings_offer_to_switch_to_the_browsers_time_zone(live_server, browser: Browser):
    make_user("berta")  # saved zone: UTC
    page = browser.new_context(timezone_id="Europe/Berlin").new_page()
    log_in(page, live_server.url, "berta", lands_on=r"/dashboard/$")
    page.goto(live_server.url + "/settings/")
    page.get_by_role("button", name="Switch to Europe/Berlin").click()
    expect(page.get_by_text("Your time zone is now Europe/Berlin.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Switch to"))).to_be_hidden()
    assert User.objects.get(username="berta").time_zone == "Europe/Berlin"
