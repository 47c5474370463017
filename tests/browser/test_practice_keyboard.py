"""A review session by keyboard alone, in real Chromium: type, Ctrl+Enter hands in,
Space reveals, a digit rates; a card rated Again comes back after the others."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, wait_for_htmx
from tests.conftest import make_user
from tracker.models import Answer, Card, Review

pytestmark = pytest.mark.browser


def _answer_by_keyboard(page: Page, text: str, key: str) -> str:
    """Answer the question on screen, reveal and rate it with keys only; its heading."""
    wait_for_htmx(page)
    title = page.locator("h1").inner_text()
    box = page.get_by_label("Your answer (markdown)")
    expect(box).to_be_focused()  # the page starts in the answer box
    page.keyboard.type(text)  # spaces and digits go into the box, nothing else
    expect(box).to_have_value(text)
    expect(page.locator("input[name=covered]")).to_have_count(0)
    page.keyboard.press("Control+Enter")
    reveal = page.get_by_role("button", name="Show key points and model answer")
    expect(reveal).to_be_focused()
    expect(reveal).to_have_attribute("aria-keyshortcuts", "Space Enter")
    wait_for_htmx(page)
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", name="Model answer")).to_be_visible()
    expect(page.locator("#check")).to_be_focused()  # a screen reader reads what opened
    expect(page.locator(f"button[data-rate='{key}']")).to_have_attribute("aria-keyshortcuts", key)
    page.keyboard.press(key)
    expect(page.locator(".messages")).to_contain_text("Rated")
    return title


def test_a_keyboard_only_session_of_five_cards_with_one_again(live_server, page: Page):
    user = make_user("keys")
    log_in(page, live_server.url, "keys")
    page.goto(live_server.url + "/practice/")
    expect(page.locator("#session-left")).to_contain_text("5 still due in this session")
    first = page.locator("#new-heading + ol a").first
    page.goto(first.get_attribute("href") and live_server.url + first.get_attribute("href"))
    expect(page.locator("details.shortcuts summary")).to_have_text("Keyboard shortcuts")

    titles = [_answer_by_keyboard(page, "Measure 1 thing, then 2: the trade-off.", "1")]
    expect(page.locator(".messages")).to_contain_text("Rated Again — back in 10 min")
    expect(page.locator(".messages")).to_contain_text("5 still due in this session")
    for _ in range(4):
        titles.append(_answer_by_keyboard(page, "Profile first; one change at a time.", "3"))
    assert len(set(titles)) == 5  # five different cards, the Again one not yet back
    # Then the card rated Again comes back, after the four others.
    expect(page.locator("h1")).to_have_text(titles[0])
    _answer_by_keyboard(page, "Second try: measure, then fix.", "3")
    expect(page).to_have_url(re.compile(r"/practice/$"))
    expect(page.locator(".messages")).to_contain_text("Nothing else due today")

    assert Review.objects.filter(learner=user).count() == 6
    assert list(
        Review.objects.filter(learner=user).order_by("pk").values_list("rating", flat=True)
    ) == [1, 3, 3, 3, 3, 3]
    assert Card.objects.filter(learner=user).count() == 5
    assert Answer.objects.filter(learner=user, revealed_at__isnull=True).count() == 0
