"""Back and Forward after a change show the data as it is now, in real Chromium; the
phone menu reaches every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, wait_for_htmx
from tests.conftest import make_plan, make_user

pytestmark = pytest.mark.browser


def test_back_and_forward_after_marking_goals_done_show_fresh_pages(live_server, page: Page):
    make_plan(make_user("fresh"))
    log_in(page, live_server.url, "fresh")
    progress = page.get_by_label("Overall progress")
    before = progress.get_attribute("value")

    page.goto(live_server.url + "/roadmap/foundations/")
    wait_for_htmx(page)
    row = page.locator("ol.item-list > li.item").first
    row.locator("button[value=done]").click()
    expect(row.locator("button[value=done]")).to_have_attribute("aria-pressed", "true")

    page.go_back()  # the dashboard, as it is now
    expect(page.get_by_label("Overall progress")).not_to_have_attribute("value", before)
    page.go_forward()  # the phase page: the goal is done, not "To do"
    wait_for_htmx(page)
    first = page.locator("ol.item-list > li.item").first
    expect(first.locator("button[value=done]")).to_have_attribute("aria-pressed", "true")


def test_the_phone_menu_reaches_every_page(live_server, page: Page):
    make_plan(make_user("phone"))
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, live_server.url, "phone")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Practice")).to_be_hidden()
    nav.locator(".nav-menu > summary").click()
    nav.get_by_role("link", name="Practice").click()
    expect(page).to_have_url(live_server.url + "/practice/")
    nav.locator(".nav-menu > summary").click()
    nav.get_by_role("link", name="Career").click()
    expect(page).to_have_url(live_server.url + "/career/")
    # Nothing in the bar is cut off at this width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_back_after_filtering_questions_restores_the_whole_page(live_server, page: Page):
    """htmx restores history by asking the server again: it must get the page, not the
    list partial (which would leave a page without header or heading)."""
    page.goto(live_server.url + "/questions/")
    wait_for_htmx(page)
    page.get_by_label("Level").select_option("advanced")
    expect(page).to_have_url(re.compile(r"level=advanced"))
    page.get_by_label("Level").select_option("fundamentals")
    expect(page).to_have_url(re.compile(r"level=fundamentals"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"level=advanced"))
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def test_a_typed_note_survives_a_status_change_in_the_same_row(live_server, page: Page):
    make_plan(make_user("noted"))
    log_in(page, live_server.url, "noted")
    page.goto(live_server.url + "/roadmap/foundations/")
    wait_for_htmx(page)
    row = page.locator("ol.item-list > li.item").first
    row.locator("summary").click()
    row.get_by_label("Your note (markdown)").fill("Half-written thoughts on systemd")
    row.locator("button[value=doing]").click()
    row = page.locator("ol.item-list > li.item").first
    expect(row.locator("button[value=doing]")).to_have_attribute("aria-pressed", "true")
    expect(row.get_by_label("Your note (markdown)")).to_have_value(
        "Half-written thoughts on systemd"
    )


def test_without_javascript_nothing_script_only_shows(live_server, browser):
    """[hidden] holds even where a component sets its own display (the Copy button)."""
    learner = make_user("nojs")
    make_plan(learner)
    from tracker.mentoring import invite_create

    invite_create(learner=learner)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "nojs")
    page.goto(live_server.url + "/mentors/")
    expect(page.locator("input[readonly]").first).to_be_visible()  # the link, to select
    expect(page.get_by_role("button", name="Copy")).to_have_count(0)  # hidden: not in the a11y tree
    context.close()
