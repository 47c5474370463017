"""A mentor comments; the learner sees the bell say 1, opens it, and the bell is quiet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from roadmap.models import Milestone
from tests.browser.conftest import log_in
from tests.conftest import make_plan, make_user
from tracker.models import Mentorship
from tracker.submissions import submission_save_evidence, submission_start, submission_transition

pytestmark = pytest.mark.browser


def test_a_mentor_comment_lights_the_bell_until_the_learner_opens_it(live_server, browser: Browser):
    learner = make_user("leah", display_name="Leah")
    make_plan(learner)
    Mentorship.objects.create(learner=learner, mentor=make_user("marco", display_name="Marco"))
    s = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    submission_save_evidence(submission=s, evidence="A VM with a VPC.", links=[])
    submission_transition(submission=s, actor=learner, to_state="submitted")
    base = live_server.url
    lp = browser.new_context().new_page()
    mp = browser.new_context().new_page()

    log_in(lp, base, "leah")
    expect(lp.locator(".nav-bell .count-badge")).to_have_count(0)

    log_in(mp, base, "marco")
    mp.goto(base + s.get_absolute_url())
    mp.get_by_label("Add a comment (markdown)").fill("Which region did you use?")
    mp.get_by_role("button", name="Comment", exact=True).click()
    expect(mp.locator(".thread")).to_contain_text("Which region")

    lp.reload()
    bell = lp.locator(".nav-bell")
    expect(bell.locator(".count-badge")).to_have_text("1 unread")
    bell.click()
    expect(lp).to_have_url(re.compile(r"/notifications/$"))
    item = lp.locator(".notifications li.unread")
    expect(item).to_contain_text("Marco commented on your Milestone 1")
    expect(item.locator(".badge")).to_have_text("New")
    expect(bell.locator(".count-badge")).to_have_count(0)  # seeing the list read it
    item.get_by_role("link").click()
    expect(lp).to_have_url(re.compile(rf"/milestones/{s.pk}/$"))
    expect(lp.locator(".thread")).to_contain_text("Which region")
    expect(bell.locator(".count-badge")).to_have_count(0)
    lp.goto(base + "/notifications/")
    expect(lp.locator(".notifications li")).to_have_count(1)
    expect(lp.locator(".notifications li.unread")).to_have_count(0)
