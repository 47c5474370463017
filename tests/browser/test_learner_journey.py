"""A new learner's first evening, in real Chromium: plan, progress, note, milestone."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from roadmap.models import Background
from tests.browser.conftest import wait_for_htmx
from tracker.models import ItemProgress, Submission

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 200), "navy").save(buf, "PNG")
    return buf.getvalue()


def test_new_learner_plans_tracks_proves_and_sees_the_dashboard(live_server, page: Page):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Username").fill("devops-dana")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase-9")
    page.get_by_label("Password confirmation").fill("a-long-passphrase-9")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.get_by_role("link", name="Create your plan").click()
    wait_for_htmx(page)

    # The DevOps/SRE preset comes in with htmx: a proposed length and goals to credit.
    devops = Background.objects.get(key="devops-sre")
    page.get_by_label("Background").select_option(label=devops.name)
    expect(page.get_by_role("group", name="Goals you may already know")).to_be_visible()
    expect(page.get_by_label("Plan length (months)")).to_have_value(str(devops.ramp_up_max_months))
    rows = page.locator(".credit-row")
    for i in range(2):
        rows.nth(i).locator("input[type=checkbox]").check()
        rows.nth(i).locator("input[type=text]").fill("Ran it in production for years")
    page.get_by_role("button", name="Create my plan").click()
    expect(page.get_by_text("2 goals credited")).to_be_visible()
    before = page.get_by_label("Overall progress").get_attribute("value")
    status_before = page.locator(".status-panel .big").nth(1).inner_text()

    # Phase 1: two goals done without a full page reload.
    page.goto(live_server.url + "/roadmap/foundations/")
    wait_for_htmx(page)
    page.evaluate("document.body.dataset.marker = 'kept'")
    items = page.locator("ol.item-list > li.item")
    done = 0
    for i in range(items.count()):
        row = items.nth(i)
        if row.locator("button[value=done][aria-pressed=true]").count() == 0 and done < 2:
            row.locator("button[value=done]").click()
            expect(row.locator("button[value=done]")).to_have_attribute("aria-pressed", "true")
            done += 1
    assert page.evaluate("document.body.dataset.marker") == "kept"
    assert ItemProgress.objects.filter(status="done").count() == 2

    # A note, saved in place.
    first = page.locator("ol.item-list > li.item").first
    first.locator("summary").click()
    first.get_by_label("Your note (markdown)").fill("Practised **systemd** units")
    first.get_by_role("button", name="Save note").click()
    expect(page.locator("ol.item-list > li.item").first.locator(".note strong")).to_have_text(
        "systemd"
    )
    assert page.evaluate("document.body.dataset.marker") == "kept"

    # The milestone: evidence with an image, submitted, then self-approved.
    page.get_by_role("button", name="Start your evidence").click()
    page.get_by_label("Evidence (markdown)").fill("I provisioned a VM with **Terraform**.")
    page.get_by_label("Add images").set_input_files(
        files=[{"name": "vm.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator(".gallery img")).to_have_count(1)
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("button", name="Self-approve").click()
    expect(page.locator(".badge-large")).to_have_text("Self-approved")
    assert Submission.objects.get().state == "approved"

    page.get_by_role("link", name="Dashboard").first.click()
    after = page.get_by_label("Overall progress").get_attribute("value")
    assert int(after) > int(before)
    status_after = page.locator(".status-panel .big").nth(1).inner_text()
    assert re.fullmatch(r"On track|Ahead by \d+ days?|Behind by \d+ days?", status_after)
    assert status_after != status_before
    expect(page.locator("svg .chart-actual")).to_have_count(1)
