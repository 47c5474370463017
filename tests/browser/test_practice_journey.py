"""Practice in real Chromium: answer, reveal, tick, rate; then a 3-question mock interview."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_for_htmx
from tests.conftest import PASSWORD, make_user
from tracker.models import Answer, Card, Review

pytestmark = pytest.mark.browser


def _login(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_answer_reveal_tick_rate_and_leave_the_queue(live_server, page: Page):
    make_user("practiser")
    _login(page, live_server.url, "practiser")
    page.goto(live_server.url + "/practice/")
    first = page.locator("#new-heading + ol a").first
    title = first.inner_text()
    first.click()
    wait_for_htmx(page)

    box = page.get_by_label("Your answer (markdown)")
    box.fill("GPUs run thousands of threads: **matrix multiplies** parallelise.")
    expect(page.locator("#draft-status")).to_contain_text("Draft saved")  # autosaved, htmx
    assert Answer.objects.get().status == "draft"
    page.get_by_role("button", name="Submit and reveal").click()

    expect(page.get_by_role("heading", name="Check yourself")).to_be_visible()
    wait_for_htmx(page)
    points = page.locator("input[name=covered]")
    points.nth(0).check()
    points.nth(1).check()
    page.get_by_label("Specificity").check()
    page.get_by_label("Systems thinking").check()
    expect(page.locator(".rating-buttons legend")).to_contain_text("Your ticks suggest")
    page.get_by_role("button", name="Good", exact=True).click()

    expect(page).to_have_url(re.compile(r"/practice/$"))
    expect(page.locator(".messages")).to_contain_text("Rated Good")
    expect(page.locator("#reviews-heading + ol")).not_to_contain_text(title)
    expect(page.locator("#new-heading + ol")).not_to_contain_text(title)
    review = Review.objects.get()
    assert review.rating == 3
    assert Card.objects.get().due > review.reviewed_at
    answer = Answer.objects.get()
    assert (answer.covered_points, answer.qualities) == (
        [0, 1],
        ["specificity", "systems-thinking"],
    )


def test_three_question_mock_interview_to_its_summary(live_server, page: Page):
    make_user("interviewee")
    _login(page, live_server.url, "interviewee")
    page.goto(live_server.url + "/interview/")
    custom = page.locator("form:has(input[name=kind][value=custom])")
    custom.get_by_label("Number of questions").fill("3")
    custom.get_by_label("Minutes").fill("15")
    custom.get_by_role("button", name="Start").click()
    expect(page.locator("time.countdown")).to_have_text(re.compile(r"^1[45]:\d\d$"))

    questions = page.locator("section.interview-q")
    expect(questions).to_have_count(3)
    for i in range(3):
        q = page.locator("section.interview-q").nth(i)
        q.locator("textarea").fill(f"Answer number {i + 1}, with a trade-off.")
        q.get_by_role("button", name="Save answer").click()
        expect(page.locator(".messages")).to_contain_text("Answer saved")
    page.get_by_role("button", name="Finish and review").click()
    expect(page.get_by_text("Time is up.")).to_be_visible()

    for _ in range(3):
        form = page.locator("form.rate-form").first
        form.locator("input[name=covered]").first.check()
        form.get_by_role("button", name="Good", exact=True).click()
    summary = page.get_by_role("heading", name="Summary")
    expect(summary).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Good")
    expect(rows.first).to_contain_text(re.compile(r"\d+ s"))
    assert Review.objects.count() == 3
