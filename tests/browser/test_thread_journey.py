"""A long milestone thread in real Chromium: the latest events, then earlier ones
swapped in above them, page by page, without leaving the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from roadmap.models import Milestone
from tests.browser.conftest import log_in, wait_for_htmx
from tests.conftest import make_plan, make_user
from tracker.models import SubmissionEvent
from tracker.submissions import THREAD_PAGE, submission_start

pytestmark = pytest.mark.browser


def test_earlier_events_come_in_above_the_latest(live_server, page: Page):
    learner = make_user("sam", display_name="Sam")
    make_plan(learner)
    submission = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    SubmissionEvent.objects.bulk_create(
        SubmissionEvent(
            submission=submission, actor=learner, comment=f"c{i}", comment_html=f"<p>note {i}</p>"
        )
        for i in range(1, 45)
    )
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + submission.get_absolute_url())
    wait_for_htmx(page)
    thread = page.locator("ol.thread > li")
    expect(thread).to_have_count(THREAD_PAGE + 1)  # the latest, and the "earlier" link
    expect(thread.nth(1)).to_contain_text(f"note {45 - THREAD_PAGE}")
    page.get_by_role("link", name="Show earlier events").click()
    expect(thread).to_have_count(2 * THREAD_PAGE + 1)
    expect(thread.nth(1)).to_contain_text("note 5")
    page.get_by_role("link", name="Show earlier events").click()
    expect(thread).to_have_count(45)  # everything, from the draft's start; no link left
    expect(thread.first).to_contain_text("started the draft")
    expect(page.get_by_role("link", name="Show earlier events")).to_have_count(0)
    assert page.url.endswith(submission.get_absolute_url())  # swapped in, not navigated
