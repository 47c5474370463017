"""Self-assessment in real Chromium: low scores, the gap list, then strong on the dashboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from roadmap.models import Dimension
from tests.conftest import PASSWORD, make_plan, make_user

pytestmark = pytest.mark.browser


def _score_all(page: Page, value: int, evidence: str = "") -> None:
    for fieldset in page.locator("fieldset.dimension-row").all():
        fieldset.locator(f"input[type=radio][value='{value}']").check()
        if evidence:
            fieldset.locator("textarea").fill(evidence)
    page.get_by_role("button", name="Save this assessment").click()


def test_low_scores_show_the_gaps_then_strong_on_the_dashboard(live_server, page: Page):
    learner = make_user("assessed")
    make_plan(learner)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("assessed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Assess", exact=True).click()
    _score_all(page, 2)
    expect(page.locator("#verdict-heading")).to_have_text("Not yet")
    gaps = page.locator("article.gap")
    expect(gaps).to_have_count(Dimension.objects.current().count())
    first_gap = gaps.first
    expect(first_gap.locator("a[href^='/roadmap/']").first).to_be_visible()
    expect(first_gap.locator("a[href^='/practice/']").first).to_be_visible()
    # A gap's phase link leads to the phase page.
    first_gap.locator("a[href^='/roadmap/']").first.click()
    expect(page).to_have_url(re.compile(r"/roadmap/[a-z0-9-]+/$"))
    page.go_back()

    _score_all(page, 4, evidence="Shipped the **model-serving platform** at work.")
    expect(page.locator("#verdict-heading")).to_have_text("Strong candidate")
    expect(page.locator(".evidence-flag").first).to_contain_text("no approved milestone")
    expect(page.locator("table").last.locator("tbody tr")).to_have_count(2)  # history

    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.locator(".status-panel")).to_contain_text("Strong candidate")
