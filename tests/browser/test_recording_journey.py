"""Spoken answers in real Chromium, with its fake microphone (a beeping test tone): a
take is recorded, saved, listed and played back, on a practice question and in a
spoken mock interview. Without a microphone, or without JavaScript, the page says so
and the written answer still works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from roadmap.models import Question
from tests.browser.conftest import log_in, wait_for_htmx
from tests.conftest import make_user
from tracker.models import Answer, MockInterview, Recording

pytestmark = pytest.mark.browser

FAKE_MICROPHONE = [
    "--use-fake-device-for-media-stream",  # a fake microphone that plays a tone
    "--use-fake-ui-for-media-stream",  # and says yes to the permission prompt
    "--autoplay-policy=no-user-gesture-required",  # the test presses play by script
]


@pytest.fixture(scope="module")
def mic_browser(playwright, browser_type_launch_args) -> Browser:
    args = [*browser_type_launch_args.get("args", []), *FAKE_MICROPHONE]
    browser = playwright.chromium.launch(**{**browser_type_launch_args, "args": args})
    yield browser
    browser.close()


@pytest.fixture
def mic_page(mic_browser, settings, tmp_path) -> Page:
    settings.MEDIA_ROOT = tmp_path
    context = mic_browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def record(page: Page, scope, seconds: float = 2.5) -> None:
    scope.get_by_role("button", name=re.compile(r"^Record")).click()
    expect(scope.locator("[data-status]")).to_contain_text("Recording.")
    expect(scope.locator("[data-timer]")).not_to_have_text("0:00", timeout=3000)  # it counts
    page.wait_for_timeout(seconds * 1000)
    scope.get_by_role("button", name="Stop").click()
    expect(scope.locator("[data-status]")).to_contain_text("Recording saved", timeout=15000)


def plays(page: Page, audio) -> None:
    """Press play on the take and wait until its position moves: the server sent audio
    the browser could decode."""
    audio.evaluate("a => a.play()")
    page.wait_for_function("a => a.currentTime > 0.3", arg=audio.element_handle(), timeout=10000)


def test_record_a_spoken_answer_play_it_back_then_reveal_and_rate(live_server, mic_page: Page):
    make_user("speaker")
    page = mic_page
    log_in(page, live_server.url, "speaker")
    question = Question.objects.current().order_by("order").first()
    page.goto(f"{live_server.url}/practice/{question.key}/")
    wait_for_htmx(page)
    recorder = page.locator(".recorder")
    expect(recorder.locator("[data-recorder-off]")).to_be_hidden()
    expect(recorder.get_by_text("No recording yet")).to_be_visible()

    record(page, recorder)

    take = Recording.objects.get()
    assert take.content_type == "audio/webm" and 1.5 < take.duration < 10
    assert take.answer.status == "draft"
    expect(recorder.locator(".take")).to_have_count(1)
    expect(recorder.locator(".take")).to_contain_text("Take 1")
    plays(page, recorder.locator("audio").first)

    # Listed after a reload too; then handed in with no text at all, and rated.
    page.reload()
    wait_for_htmx(page)
    expect(page.locator(".take")).to_have_count(1)
    page.get_by_role("button", name="Hand in").click()
    page.get_by_role("button", name="Show key points and model answer").click()
    expect(page.get_by_role("heading", name="Check yourself")).to_be_visible()
    expect(page.locator(".take")).to_contain_text("Take 1")  # beside the key points
    page.locator("input[name=covered]").first.check()
    page.get_by_role("button", name=re.compile(r"^Good")).click()
    expect(page.locator(".messages")).to_contain_text("Rated Good")
    answer = Answer.objects.get()
    assert answer.rating == 3 and answer.recordings.get() == take


def test_a_spoken_mock_interview_records_each_question_then_reviews_it(live_server, mic_page: Page):
    make_user("orator")
    page = mic_page
    log_in(page, live_server.url, "orator")
    page.goto(live_server.url + "/interview/")
    first_card = page.locator("form.card").first
    first_card.get_by_label("Spoken mode: answer out loud").check()
    first_card.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/interview/\d+/$"))
    wait_for_htmx(page)
    interview = MockInterview.objects.get()
    assert interview.spoken
    first = page.locator(f"#q-{interview.questions[0]}")
    expect(page.locator("[data-recorder]")).to_have_count(len(interview.questions))

    record(page, first)

    expect(first.locator(".take")).to_have_count(1)
    answer = Answer.objects.get(interview=interview)
    assert answer.status == "submitted" and answer.recordings.count() == 1
    page.get_by_role("button", name="Finish and review").click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    summary = page.locator(f"#q-{interview.questions[0]}")
    expect(summary.get_by_role("heading", name="Spoken answer")).to_be_visible()
    plays(page, summary.locator("audio"))
    summary.get_by_role("button", name="Show key points and model answer").click()
    summary = page.locator(f"#q-{interview.questions[0]}")
    expect(summary.get_by_role("button", name=re.compile(r"^Good"))).to_be_visible()
    expect(page.locator(".summary-table")).to_contain_text("Not rated yet")


def test_without_a_microphone_the_page_says_so_and_writing_still_works(live_server, page: Page):
    make_user("quiet")
    log_in(page, live_server.url, "quiet")
    question = Question.objects.current().order_by("order").first()
    page.goto(f"{live_server.url}/practice/{question.key}/")
    wait_for_htmx(page)
    page.get_by_role("button", name="Record").click()  # this Chromium has no microphone
    expect(page.locator("[data-status]")).to_contain_text("Your written answer works as before")
    page.get_by_label("Your answer (markdown)").fill("Written instead.")
    page.get_by_role("button", name="Hand in").click()
    page.get_by_role("button", name="Show key points and model answer").click()
    expect(page.get_by_role("heading", name="Check yourself")).to_be_visible()
    assert not Recording.objects.exists()


def test_without_javascript_the_page_says_recording_needs_it(live_server, browser: Browser):
    make_user("plain")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "plain")
    question = Question.objects.current().order_by("order").first()
    page.goto(f"{live_server.url}/practice/{question.key}/")
    expect(page.get_by_text("Recording needs JavaScript and a microphone")).to_be_visible()
    expect(page.get_by_role("button", name="Record")).to_be_hidden()
    page.get_by_label("Your answer (markdown)").fill("Still works.")
    page.get_by_role("button", name="Hand in").click()
    page.get_by_role("button", name="Show key points and model answer").click()
    expect(page.get_by_role("heading", name="Check yourself")).to_be_visible()
    context.close()
