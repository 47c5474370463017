"""axe-core (the accessibility engine, shipped in axe-playwright-python) over every page
the hiring rounds, the lab, the job search, reminders, study more and the recorder added,
in real Chromium on a 390 px phone in dark mode and at 1280 px in light mode: labels,
names, landmarks, heading order, ARIA and colour contrast as each theme paints them."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.browser.conftest import log_in
from tests.conftest import make_user
from tests.test_new_pages_html import new_pages
from tracker.models import Mentorship

pytestmark = pytest.mark.browser
VIEWS = {
    "390 dark": {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark"},
    "1280 light": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"},
}


def _violations(page) -> list[str]:
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:4]
        )
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("view", VIEWS)
def test_every_new_page_passes_axe(live_server, browser: Browser, settings, tmp_path, view):
    settings.MEDIA_ROOT = tmp_path
    learner = make_user("lena", display_name="Lena Learner")
    mentor = make_user("mia", display_name="Mia Mentor")
    Mentorship.objects.create(learner=learner, mentor=mentor)
    pages = new_pages(learner, mentor)
    tabs = {}
    for who, user in (("visitor", None), ("learner", "lena"), ("mentor", "mia")):
        tabs[who] = browser.new_context(**VIEWS[view]).new_page()
        if user:
            log_in(tabs[who], live_server.url, user)
    found = {}
    for name, (who, url) in pages.items():
        page = tabs[who]
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        if problems := _violations(page):
            found[f"{name} {url}"] = problems
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(m) for p, m in found.items())
