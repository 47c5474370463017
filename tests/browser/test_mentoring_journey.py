"""Two people in two browsers: a learner invites a mentor, the mentor reviews a milestone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from roadmap.models import Milestone
from tests.browser.conftest import log_in
from tests.conftest import make_plan, make_user
from tracker.models import Submission

pytestmark = pytest.mark.browser


def test_invite_accept_submit_request_changes_resubmit_approve(live_server, browser: Browser):
    learner = make_user("leah", display_name="Leah")
    make_plan(learner)
    make_user("marco", display_name="Marco")
    base = live_server.url
    lp = browser.new_context().new_page()
    mp = browser.new_context().new_page()

    # The learner invites…
    log_in(lp, base, "leah", lands_on=r"/dashboard/$")
    lp.get_by_role("link", name="My mentors", exact=True).click()
    lp.get_by_role("button", name="Create an invite link").click()
    link = lp.get_by_label("Your new link — send it to your mentor:").input_value()
    assert "/invite/" in link

    # …the mentor accepts.
    log_in(mp, base, "marco", lands_on=r"/dashboard/$")
    mp.goto(link)
    mp.get_by_role("button", name="Accept and become their mentor").click()
    expect(mp).to_have_url(re.compile(r"/mentor/$"))

    # The learner submits the phase 1 milestone.
    milestone = Milestone.objects.current().order_by("phase__order").first()
    lp.goto(base + milestone.phase.get_absolute_url())
    lp.get_by_role("button", name="Start your evidence").click()
    lp.get_by_label("Evidence (markdown)").fill("A VM with a VPC and a backup script.")
    lp.get_by_role("button", name="Save draft").click()
    expect(lp.get_by_text("Your mentor reviews this milestone")).to_be_visible()
    lp.get_by_role("button", name="Submit for review").click()
    expect(lp.locator(".badge-large")).to_have_text("Submitted")
    evidence_url = lp.url

    # The mentor finds it in the queue and asks for changes.
    mp.goto(base + "/mentor/")
    mp.locator(".review-queue a").first.click()
    mp.get_by_label("Comment (optional, markdown)").fill("Add the **Terraform** plan output.")
    mp.get_by_role("button", name="Request changes").click()
    expect(mp.locator(".badge-large")).to_have_text("Changes requested")

    # The learner sees the request, revises and resubmits.
    lp.goto(evidence_url)
    expect(lp.locator(".badge-large")).to_have_text("Changes requested")
    expect(lp.locator(".thread")).to_contain_text("Terraform")
    lp.get_by_label("Evidence (markdown)").fill("A VM with a VPC, the backup script, and the plan.")
    lp.get_by_role("button", name="Save draft").click()
    lp.get_by_role("button", name="Submit for review").click()

    # The mentor approves.
    mp.goto(evidence_url)
    mp.get_by_role("button", name="Approve").click()
    expect(mp.locator(".badge-large")).to_have_text("Approved")

    # The learner sees the approval, and the badge.
    lp.goto(base + "/dashboard/")
    badge = lp.locator(".count-badge")
    expect(badge).to_be_visible()
    lp.locator(".nav-bell").click()
    expect(lp.locator(".notifications")).to_contain_text("Marco approved Milestone 1")
    lp.locator(".notifications a", has_text="approved").first.click()
    expect(lp.locator(".badge-large")).to_have_text("Approved")
    submission = Submission.objects.get()
    assert (submission.state, submission.self_approved) == ("approved", False)
    assert list(submission.events.values_list("to_state", flat=True)) == [
        "draft",
        "submitted",
        "changes_requested",
        "submitted",
        "approved",
    ]
