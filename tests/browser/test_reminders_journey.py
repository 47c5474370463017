"""A learner tunes their reminders, subscribes to the calendar and rotates its address;
a mentor mutes one mentee from the notification list."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import log_in
from tests.conftest import make_plan, make_user
from tracker.mentoring import notify
from tracker.models import EmailKind, NotificationMute, ReminderSettings

pytestmark = pytest.mark.browser


def test_reminders_and_the_calendar_from_settings(live_server, browser: Browser):
    learner = make_user("rhea", display_name="Rhea")
    make_plan(learner)
    base = live_server.url
    page = browser.new_context().new_page()
    log_in(page, base, "rhea")
    page.goto(base + "/settings/")
    page.get_by_label("My study streak is about to break").uncheck()
    page.get_by_label("Remind me at").fill("07:30")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("Reminder settings")
    expect(page.get_by_label("My study streak is about to break")).not_to_be_checked()
    expect(page.get_by_label("A weekly digest (Mondays)")).to_be_checked()
    row = ReminderSettings.objects.get(user=learner)
    assert row.muted == [EmailKind.STREAK] and row.remind_at.strftime("%H:%M") == "07:30"

    feed = page.get_by_label("Private feed address").input_value()
    calendar = browser.new_context()  # a calendar app: no session at all
    response = calendar.request.get(feed)
    assert response.status == 200 and "BEGIN:VCALENDAR" in response.text()
    page.get_by_role("button", name="Get a new address").click()
    new = page.get_by_label("Private feed address").input_value()
    assert new != feed
    assert calendar.request.get(feed).status == 404
    assert calendar.request.get(new).status == 200


def test_a_mentor_mutes_one_mentee(live_server, browser: Browser):
    mentor = make_user("milo", display_name="Milo")
    make_plan(mentor)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    notify(mentor, "comment", "Ana commented.", "/mentor/", about=ana)
    notify(mentor, "comment", "Ben commented.", "/mentor/", about=ben)
    base = live_server.url
    page = browser.new_context().new_page()
    log_in(page, base, "milo")
    page.goto(base + "/notifications/")
    expect(page.locator(".day-heading").first).to_have_text("Today")
    page.get_by_role("button", name="Mute Ana").click()
    expect(page.get_by_text("No more notifications about Ana.")).to_be_visible()
    assert list(NotificationMute.objects.values_list("about__username", flat=True)) == ["ana"]
    assert notify(mentor, "comment", "Ana again.", "/mentor/", about=ana) is None
    page.get_by_role("button", name="Unmute").click()
    assert not NotificationMute.objects.exists()
