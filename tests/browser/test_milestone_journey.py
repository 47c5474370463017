"""The milestone page in real Chromium: one form, so nothing typed is ever dropped."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from roadmap.models import Milestone
from tests.conftest import PASSWORD, make_plan, make_user
from tracker.models import Submission
from tracker.submissions import submission_start

pytestmark = pytest.mark.browser


@pytest.fixture
def milestone_page(live_server, page: Page) -> tuple[Page, Submission]:
    learner = make_user("sam", display_name="Sam")
    make_plan(learner)
    submission = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto(live_server.url + submission.get_absolute_url())
    return page, submission


def test_submit_for_review_with_unsaved_evidence_saves_and_submits_it(milestone_page):
    page, submission = milestone_page
    page.get_by_label("Evidence (markdown)").fill("Typed and **never saved** on its own.")
    page.get_by_label("Link 1 title").fill("Repo")
    page.get_by_label("Link 1 URL").fill("https://github.com/sam/vm")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".badge-large")).to_have_text("Submitted")
    expect(page.locator(".prose strong").first).to_have_text("never saved")
    expect(page.get_by_role("link", name="Repo")).to_be_visible()
    expect(page.get_by_text("waiting less than a day for review")).to_have_count(0)  # no mentor
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert submission.evidence == "Typed and **never saved** on its own."


def test_a_bad_link_keeps_title_url_and_evidence_and_focuses_the_summary(milestone_page):
    page, submission = milestone_page
    page.set_viewport_size({"width": 390, "height": 800})
    page.get_by_label("Evidence (markdown)").fill("My evidence")
    page.get_by_label("Link 1 title").fill("Runbook")
    page.get_by_label("Link 1 URL").fill("runbook.example/oncall")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_label("Link 1 title")).to_have_value("Runbook")
    expect(page.get_by_label("Link 1 URL")).to_have_value("runbook.example/oncall")
    expect(page.get_by_label("Evidence (markdown)")).to_have_value("My evidence")
    # The summary takes focus (so a phone shows it), and its link leads to the field.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    url_field = page.get_by_label("Link 1 URL")
    expect(url_field).to_have_attribute("aria-invalid", "true")
    message = page.locator("#" + url_field.get_attribute("aria-describedby"))
    expect(message).to_contain_text("starting with http:// or https://")
    summary.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"#id_link_url_0$"))
    submission.refresh_from_db()
    assert (submission.state, submission.evidence) == ("draft", "")
