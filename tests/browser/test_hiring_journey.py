"""The hiring rounds in real Chromium: a learner screens a resume (pasted, then a PDF)
and takes a timed technical screen to an outcome; a mentor runs a live screen from a
second browser while the learner answers; the take-home's worksheet recomputes as its
assumptions change, and a diagram goes up beside the design document."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from hiring.models import Attempt
from tests.browser.conftest import log_in, wait_for_htmx
from tests.conftest import make_plan, make_user
from tests.hiring.pdfs import make_pdf
from tests.hiring.test_resume import GOOD, KAGGLE_ONLY
from tracker.models import Mentorship

pytestmark = pytest.mark.browser


def test_a_learner_screens_a_resume_and_passes_a_timed_technical_screen(
    live_server, page: Page, tmp_path
):
    make_plan(make_user("hana", display_name="Hana"))
    base = live_server.url
    log_in(page, base, "hana", lands_on=r"/dashboard/$")
    expect(page.get_by_role("heading", name="Ready to apply?")).to_be_visible()

    page.goto(base + "/hiring/")
    page.locator("#round-resume-screen").get_by_role("link", name="Screen your resume").click()
    page.get_by_label("Paste your resume").fill(KAGGLE_ONLY)
    page.get_by_role("button", name="Screen it").click()
    expect(page.locator("h1")).to_contain_text("Not yet")
    flag = page.locator(".finding", has_text="Only notebook or Kaggle work.")
    expect(flag).to_contain_text("Red flag")
    expect(flag.locator("blockquote").first).to_have_text(
        "Kaggle Competitions Expert: top 5% in 4 competitions"
    )

    # A new version, as a PDF: only its text is kept, and it passes.
    pdf = tmp_path / "hana.pdf"
    pdf.write_bytes(make_pdf([GOOD.replace("—", "-").replace("–", "-").splitlines()]))
    page.get_by_role("link", name="Screen a new version").click()
    page.get_by_label("…or upload a PDF").set_input_files(str(pdf))
    page.get_by_role("button", name="Screen it").click()
    expect(page.locator("h1")).to_contain_text("Pass")
    expect(page.locator(".resume-text")).to_contain_text("Grab ML Platform")

    # The technical screen: 30 minutes on the clock, answered in the mock interview.
    page.goto(base + "/hiring/")
    page.locator("#round-technical-screen").get_by_role("button").click()
    expect(page.locator("time.countdown")).to_have_text(re.compile(r"^(30|29):\d\d$"))
    page.get_by_role("link", name="Answer in the timed interview").click()
    boxes = page.locator("section.interview-q textarea")
    expect(boxes).to_have_count(3)
    for i in range(3):
        boxes.nth(i).fill(f"Answer {i + 1}: the retry broke the cache; we keyed it by model hash.")
    page.get_by_role("button", name="Finish and review").click()
    expect(page.locator(".interview-summary")).to_contain_text("You finished early")

    attempt = Attempt.objects.get(round__key="technical-screen")
    page.goto(base + attempt.get_absolute_url())
    judge = page.locator("form", has=page.get_by_role("button", name="Record the outcome"))
    judge.get_by_label("Specificity").check()
    judge.get_by_label("Debugging stories").check()
    judge.get_by_label("Systems thinking").check()
    judge.get_by_label("Pass").check()
    judge.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("#outcome-heading")).to_have_text("Outcome: Pass")
    expect(page.locator("body")).to_contain_text("Not shown: Trade-off awareness")

    page.goto(base + "/hiring/")
    expect(page.locator("#round-technical-screen h3")).to_contain_text("Passed")
    page.goto(base + "/dashboard/")
    expect(page.locator("body")).to_contain_text("Rounds passed: Resume screen, Technical screen.")


def test_a_mentor_runs_a_live_technical_screen_from_a_second_browser(live_server, browser: Browser):
    learner = make_user("ines", display_name="Ines")
    make_plan(learner)
    mentor = make_user("omar", display_name="Omar")
    Mentorship.objects.create(learner=learner, mentor=mentor)
    base = live_server.url
    lp = browser.new_context().new_page()
    mp = browser.new_context().new_page()

    log_in(lp, base, "ines", lands_on=r"/dashboard/$")
    lp.goto(base + "/hiring/")
    lp.locator("#round-technical-screen").get_by_role("button").click()
    attempt = Attempt.objects.get(learner=learner)

    # The mentor follows the notification's link: the prompts, the timer, the form.
    log_in(mp, base, "omar")
    mp.goto(base + "/notifications/")
    mp.get_by_role("link", name=re.compile("Ines started a technical screen")).click()
    expect(mp).to_have_url(re.compile(rf"{attempt.get_absolute_url()}$"))
    expect(mp.locator("time.countdown")).to_be_visible()
    expect(mp.get_by_role("heading", name="Score it as the recruiter")).to_be_visible()
    expect(mp.locator("#answers")).to_contain_text("No answer yet.")

    # The learner types; the draft autosaves; the mentor's page shows it by itself.
    lp.get_by_role("link", name="Answer in the timed interview").click()
    wait_for_htmx(lp)
    lp.locator("section.interview-q textarea").first.fill("We cached results by **model hash**.")
    expect(lp.locator("section.interview-q").first.get_by_role("status")).to_contain_text(
        "Draft saved"
    )
    expect(mp.locator("#answers strong")).to_have_text("model hash", timeout=12_000)

    judge = mp.locator("form", has=mp.get_by_role("button", name="Record the outcome"))
    judge.get_by_label("Specificity").check()
    judge.get_by_label("Not yet").check()
    judge.get_by_label("Comment").fill("Walk me through what broke next time.")
    judge.get_by_role("button", name="Record the outcome").click()
    expect(mp.locator("#outcome-heading")).to_have_text("Outcome: Not yet")

    lp.goto(base + attempt.get_absolute_url())
    expect(lp.locator("body")).to_contain_text("Judged by Omar, acting as the recruiter")
    expect(lp.locator("body")).to_contain_text("Walk me through what broke next time.")


def test_the_worksheet_recomputes_as_assumptions_change(
    live_server, page: Page, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_plan(make_user("kai"))
    base = live_server.url
    log_in(page, base, "kai", lands_on=r"/dashboard/$")
    page.goto(base + "/hiring/")
    page.locator("#round-infrastructure-design-take-home").get_by_role("button").click()
    wait_for_htmx(page)
    expect(page.locator("#sheet")).to_contain_text("927")  # the defaults, before a save
    page.get_by_label("Target utilisation (0–1)").fill("0.9")
    expect(page.locator("#saved")).to_contain_text("Saved")
    # 833,333 tokens/s over 1,350 a GPU = 618 → 206 replicas of 3 = 618 GPUs.
    expect(page.locator("#sheet")).to_contain_text("618")
    with page.expect_response(lambda r: r.url.endswith("/save/")):  # the autosave
        page.get_by_label("Your document (markdown)").fill("## GPU selection\nH100s, FP8.")
    page.reload()
    expect(page.get_by_label("Your document (markdown)")).to_have_value(
        "## GPU selection\nH100s, FP8."
    )
    expect(page.get_by_label("Target utilisation (0–1)")).to_have_value("0.9")
    # A diagram goes up with the Save button, beside the document, and shows as a thumbnail.
    diagram = tmp_path / "serving.png"
    Image.new("RGB", (600, 300), "teal").save(diagram)
    page.get_by_label("Add diagrams").set_input_files(str(diagram))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("img", name="Diagram 1")).to_be_visible()
    expect(page.get_by_label("Your document (markdown)")).to_have_value(
        "## GPU selection\nH100s, FP8."
    )
