"""Every XSS payload of the corpus, saved as a learner's note, rendered in real Chromium:
no dialog opens and no script runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from roadmap.models import Goal
from tests.conftest import PASSWORD, make_plan, make_user
from tests.security.test_xss import PAYLOADS
from tracker.plans import item_save_note

pytestmark = pytest.mark.browser


def test_no_payload_runs_in_a_learners_note(live_server, page: Page):
    learner = make_user("xss-target")
    make_plan(learner)
    goal = Goal.objects.current().first()
    note = "\n\n".join(p["payload"] for p in PAYLOADS)
    item_save_note(learner=learner, item=goal, note=note)

    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # Any payload that runs calls one of these; record it instead of trusting CSP alone.
    page.add_init_script("""
        window.__ran = [];
        for (const name of ["alert", "prompt", "confirm"]) {
            window[name] = function (...args) { window.__ran.push(name); };
        }
    """)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("xss-target")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}{goal.phase.get_absolute_url()}#goal-{goal.pk}")
    note_box = page.locator(f"#goal-{goal.pk} .note")
    expect(note_box).to_be_visible()
    # Hover and click over everything a payload might hang an event on.
    for element in note_box.locator("a, img").all()[:60]:
        if element.is_visible():
            element.hover(timeout=1000, force=True)
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.evaluate("window.__ran") == []
    assert page.evaluate("document.querySelectorAll('.note script, .note iframe').length") == 0
