"""Practice in real Chromium: answer, reveal, tick, rate; then a 3-question mock interview."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, wait_for_htmx
from tests.conftest import make_user
from tracker.models import Answer, Card, MockInterview, Review

pytestmark = pytest.mark.browser


def test_answer_reveal_tick_rate_and_leave_the_queue(live_server, page: Page):
    make_user("practiser")
    log_in(page, live_server.url, "practiser")
    page.goto(live_server.url + "/practice/")
    first = page.locator("#new-heading + ol a").first
    title = first.inner_text()
    first.click()
    wait_for_htmx(page)

    box = page.get_by_label("Your answer (markdown)")
    box.fill("GPUs run thousands of threads: **matrix multiplies** parallelise.")
    expect(page.locator("#draft-status")).to_contain_text("Draft saved")  # autosaved, htmx
    assert Answer.objects.get().status == "draft"
    page.get_by_role("button", name="Hand in").click()

    expect(page.get_by_role("heading", name="Check yourself")).to_be_visible()
    expect(page.locator("input[name=covered]")).to_have_count(0)  # not before the reveal
    wait_for_htmx(page)
    page.get_by_role("button", name="Show key points and model answer").click()
    expect(page.get_by_role("heading", name="Model answer")).to_be_visible()
    wait_for_htmx(page)
    points = page.locator("input[name=covered]")
    points.nth(0).check()
    points.nth(1).check()
    page.get_by_label("Specificity").check()
    page.get_by_label("Systems thinking").check()
    expect(page.locator(".rating-buttons legend")).to_contain_text("Your ticks suggest")
    good = page.locator("button[data-rate='3']")
    expect(good).to_have_text(re.compile(r"^Good · \d+ d$"))
    good.click()

    # On to the next question of the queue.
    expect(page.locator(".messages")).to_contain_text("Rated Good — back in")
    expect(page.locator(".messages")).to_contain_text("still due in this session")
    page.goto(live_server.url + "/practice/")
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
    log_in(page, live_server.url, "interviewee")
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
    # (Was "Time is up.": finishing early now says so.)
    expect(page.locator(".interview-summary")).to_contain_text("You finished early")

    for _ in range(3):
        page.get_by_role("button", name="Show key points and model answer").first.click()
        form = page.locator("form.rate-form").first
        form.locator("input[name=covered]").first.check()
        form.locator("button[data-rate='3']").click()
    summary = page.get_by_role("heading", name="Summary")
    expect(summary).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Good")
    expect(rows.first).to_contain_text(re.compile(r"\d+ s"))
    assert Review.objects.count() == 3


def _start_custom(page: Page, base: str, count: int) -> None:
    page.goto(base + "/interview/")
    custom = page.locator("form:has(input[name=kind][value=custom])")
    custom.get_by_label("Number of questions").fill(str(count))
    custom.get_by_label("Minutes").fill("15")
    custom.get_by_role("button", name="Start").click()
    wait_for_htmx(page)


def test_saving_one_answer_keeps_the_others_and_finishing_early_shows_the_summary(
    live_server, page: Page
):
    make_user("typist")
    log_in(page, live_server.url, "typist")
    _start_custom(page, live_server.url, 4)
    boxes = page.locator("section.interview-q textarea")
    expect(boxes).to_have_count(4)
    texts = [f"Typed answer {i + 1}: measure first, then change one thing." for i in range(3)]
    for i, text in enumerate(texts):
        boxes.nth(i).fill(text)
    # Each box autosaves on its own, like the practice page (one request at a time).
    for i in range(3):
        status = page.locator("section.interview-q").nth(i).get_by_role("status")
        expect(status).to_contain_text("Draft saved")
    page.locator("section.interview-q").first.get_by_role("button", name="Save answer").click()
    expect(page.locator(".messages")).to_contain_text("Answer saved")

    page.reload()
    wait_for_htmx(page)
    for i, text in enumerate(texts):
        expect(boxes.nth(i)).to_have_value(text)
    expect(boxes.nth(3)).to_have_value("")
    expect(page.locator("section.interview-q").first.get_by_role("button")).to_have_text(
        "Update answer"
    )

    page.get_by_role("button", name="Finish and review").click()
    summary = page.locator(".interview-summary")
    expect(summary.get_by_role("heading", name="Summary")).to_be_visible()
    expect(summary).to_contain_text("You finished early")
    expect(summary).to_contain_text("3 of 4 questions answered, 1 unanswered")
    expect(summary.locator("tbody tr")).to_have_count(4)
    expect(summary.locator("tbody tr").nth(3)).to_contain_text("Unanswered")
    expect(page.get_by_role("button", name="Show key points and model answer")).to_have_count(3)
    for text in texts:
        expect(page.get_by_text(text)).to_be_visible()
    assert sorted(Answer.objects.values_list("status", flat=True)) == ["submitted"] * 3


def test_when_the_countdown_runs_out_what_was_typed_goes_to_the_summary(live_server, page: Page):
    make_user("slowpoke")
    log_in(page, live_server.url, "slowpoke")
    _start_custom(page, live_server.url, 2)
    MockInterview.objects.update(deadline=timezone.now() + timedelta(seconds=4))
    page.reload()
    wait_for_htmx(page)
    page.locator("section.interview-q textarea").first.fill("Half a thought")
    summary = page.locator(".interview-summary")
    expect(summary).to_contain_text("Time ran out", timeout=15_000)
    expect(summary).to_contain_text("1 of 2 questions answered, 1 unanswered")
    expect(page.get_by_text("Half a thought")).to_be_visible()
    interview = MockInterview.objects.get()
    assert interview.finished_at == interview.deadline


def test_offline_or_signed_out_autosave_says_not_saved_and_keeps_the_text(live_server, page: Page):
    make_user("commuter")
    log_in(page, live_server.url, "commuter")
    _start_custom(page, live_server.url, 2)
    first, second = (
        page.locator("section.interview-q").nth(0),
        page.locator("section.interview-q").nth(1),
    )
    first.locator("textarea").fill("Saved while online")
    expect(first.get_by_role("status")).to_contain_text("Draft saved")

    page.context.set_offline(True)
    first.locator("textarea").fill("Saved while online, then typed in a tunnel")
    expect(first.get_by_role("status")).to_contain_text("Not saved")
    expect(first.get_by_role("status")).not_to_contain_text("Draft saved")
    expect(first.locator("textarea")).to_have_value("Saved while online, then typed in a tunnel")
    second.locator("textarea").fill("Only ever typed offline")
    expect(second.get_by_role("status")).to_contain_text("Not saved")

    # Back online: the next keystroke saves, and the status says so again.
    page.context.set_offline(False)
    first.locator("textarea").press("End")
    first.locator("textarea").type(".")
    expect(first.get_by_role("status")).to_contain_text("Draft saved")
    assert Answer.objects.get().body == "Saved while online, then typed in a tunnel."
    # The box never saved comes back from this browser's copy after a reload.
    page.reload()
    wait_for_htmx(page)
    expect(second.locator("textarea")).to_have_value("Only ever typed offline")
    expect(second).to_contain_text("Restored from this browser")
    expect(first.locator("textarea")).to_have_value("Saved while online, then typed in a tunnel.")

    # Signed out (the session ended): the autosave is refused with 401 and says so,
    # instead of pasting the login page into the form.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    first.locator("textarea").press("End")
    first.locator("textarea").type(" More.")
    expect(first.get_by_role("status")).to_contain_text("signed out")
    expect(page.locator("#interview-form input[name=password]")).to_have_count(0)
    expect(first.locator("textarea")).to_have_value(
        "Saved while online, then typed in a tunnel. More."
    )
