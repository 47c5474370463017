"""tracker.templatetags.rampup's date formats write what Django's `date` filter writes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 3, 1, 9, 5, 7, tzinfo=UTC),
        datetime(2026, 7, 14, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2025, 12, 31, 0, 0, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4),  # naive: the default time zone, as `date` takes it
    ],
)
def test_they_write_what_the_date_filter_writes(zone, when):
    ours = Template("{{ when|iso_time }} {{ when|day_time }}")
    django = Template("{{ when|date:'Y-m-d\\TH:i:sO' }} {{ when|date:\"j M, H:i\" }}")
    with timezone.override(ZoneInfo(zone)):
        context = Context({"when": when})
        assert ours.render(context) == django.render(context)


def test_nothing_writes_nothing():
    context = Context({"when": None})
    assert Template("{{ when|iso_time }}{{ when|day_time }}").render(context) == ""
