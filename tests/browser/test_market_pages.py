"""The roles, landscape, hiring and career pages on a 390 px phone, light and dark: the
page never scrolls sideways; wide tables scroll inside their own region."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_market_pages_fit_a_phone(live_server, page: Page, scheme):
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="How it differs from MLOps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Three roles that get confused")
    assert not page.evaluate(OVERFLOW)
    for url, heading in [
        ("/landscape/", "The technology landscape"),
        ("/hiring/", "How you will be hired"),
        ("/career/", "Where this career takes you"),
    ]:
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert not page.evaluate(OVERFLOW), url
    # The salary bands are wider than the phone: they scroll in their region.
    region = page.get_by_role("region", name="Salary bands by region")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
