"""A visitor's first visit, in real Chromium: browse, filter, reveal, sign up, log out, log in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from roadmap.models import Question
from tests.browser.conftest import wait_for_htmx

pytestmark = pytest.mark.browser


def test_anonymous_visitor_browses_filters_reveals_and_signs_up(live_server, page: Page):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("AI Infrastructure Engineer")

    page.get_by_role("link", name="See the roadmap").click()
    expect(page).to_have_url(re.compile(r"/roadmap/$"))
    page.get_by_role("link", name=re.compile("Open phase 3")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ML Fundamentals and GPU")
    expect(page.get_by_role("heading", name="Milestone")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Questions").click()
    wait_for_htmx(page)
    total = Question.objects.current().count()
    advanced = Question.objects.current().filter(level="advanced").count()
    # The bank pages by 50: the count says which part of it shows.
    shown = f" · 1–{min(total, 50)} shown" if total > 50 else ""
    expect(page.locator(".count")).to_have_text(f"{total} questions{shown}")
    # Mark the document: a full reload would lose the mark, an htmx swap keeps it.
    page.evaluate("document.body.dataset.marker = 'kept'")
    page.get_by_label("Level").select_option("advanced")
    shown = " · 1–50 shown" if advanced > 50 else ""
    expect(page.locator(".count")).to_have_text(f"{advanced} questions{shown}")
    assert page.evaluate("document.body.dataset.marker") == "kept"
    expect(page).to_have_url(re.compile(r"level=advanced"))

    page.locator("#question-list a").first.click()
    reveal = page.locator("details.reveal")
    expect(reveal.get_by_role("heading", name="Model answer")).to_be_hidden()
    reveal.locator("summary").click()
    expect(reveal.get_by_role("heading", name="Model answer")).to_be_visible()

    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill("browser-user")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase-9")
    page.get_by_label("Password confirmation").fill("a-long-passphrase-9")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".nav-user")).to_have_text("browser-user")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("browser-user")
    page.get_by_label("Password").fill("a-long-passphrase-9")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".nav-user")).to_have_text("browser-user")
