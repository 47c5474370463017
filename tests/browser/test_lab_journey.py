"""The GPU-debugging lab in real Chromium at 390 px: from the symptom to a correct
diagnosis, reading the straggler node off the terminal as a person would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from labs.models import LabAttempt
from tests.browser.conftest import log_in, wait_for_htmx
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def _run(page: Page, typed: str) -> None:
    count = page.locator(".lab-run").count()
    page.locator("button.lab-command", has_text=typed).first.click()
    expect(page.locator(".lab-run")).to_have_count(count + 1)  # swapped in by htmx


def _no_page_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px): only a terminal may"


def test_a_learner_diagnoses_a_degraded_nvlink_at_390px(live_server, page: Page):
    make_user("operator")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "operator")
    page.goto(live_server.url + "/hiring/labs/")
    expect(page.get_by_role("heading", name="GPU-debugging labs")).to_be_visible()
    page.locator("form.lab-scenario", has_text="degraded NVLink").get_by_role(
        "button", name="Start this lab"
    ).click()

    expect(page.get_by_role("heading", name="The incident")).to_be_visible()
    expect(page.locator(".lab-symptom")).to_contain_text("40% slower than expected")
    wait_for_htmx(page)
    _no_page_scroll(page)

    # Topology first, then the straggler view: it names the node.
    _run(page, "nvidia-smi topo -m")
    _run(page, "straggler-report")
    latest = page.locator("#run-latest pre")
    expect(latest).to_contain_text("Nodes with stragglers: gpu-")
    node = re.search(r"Nodes with stragglers: (gpu-\d+)", latest.inner_text()).group(1)
    expect(page.locator("#run-latest svg")).to_be_visible()  # the per-rank chart
    page.get_by_label("Hypotheses").fill(f"Everything on {node} straggles. NVLink or heat?")
    expect(page.locator("#notes-status")).to_contain_text("Saved")  # autosaved by htmx

    page.get_by_label("Node (for node commands)").select_option(label=node)
    _run(page, "NCCL_DEBUG=INFO")
    _run(page, "ibstat")
    _run(page, "nvidia-smi nvlink -s")
    expect(page.locator("#run-latest pre")).to_contain_text("<inactive>")
    _run(page, "dmesg")
    expect(page.locator("#run-latest pre")).to_contain_text("NVLink: fatal error")
    _no_page_scroll(page)
    # The terminal scrolls inside itself, not the page.
    terminal = page.locator("#run-latest pre")
    assert terminal.evaluate("e => e.scrollWidth > e.clientWidth")

    page.get_by_label("Degraded NVLink on one GPU of one node").check()
    page.get_by_label("Remediation").fill(f"Drain {node}, replace the NVLink bridge, rerun dcgmi.")
    page.get_by_role("button", name="Submit diagnosis").click()

    expect(page.get_by_role("heading", name="Feedback")).to_be_visible()
    expect(page.locator(".lab-verdict")).to_contain_text("Passed")
    expect(page.locator(".lab-trail")).to_contain_text("seen in run #2")
    _no_page_scroll(page)
    attempt = LabAttempt.objects.get()
    assert attempt.outcome == "passed" and node in attempt.hypotheses
    assert list(attempt.runs.values_list("command", flat=True)) == [
        "nvidia-smi-topo",
        "stragglers",
        "nccl-log",
        "ibstat",
        "nvidia-smi-nvlink",
        "dmesg",
    ]
