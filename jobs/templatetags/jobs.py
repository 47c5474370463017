from __future__ import annotations

from datetime import timedelta

from django import template
from django.core.cache import cache

from tracker.cache import FRAGMENT_TIMEOUT, PROGRESS, fragment_key
from tracker.prepared import Prepared, columns
from tracker.schedule import today_for

from ..models import Application

register = template.Library()
AHEAD_DAYS = 3  # follow-ups due within this many days show already
SHOWN = 8


def _follow_ups_query(user_id: int, until):
    """The learner's own applications (`owned_by`, by id so that it compiles once)."""
    due = Application.objects.filter(learner=user_id).follow_ups(until)
    return due.values_list(*columns(Application))[:SHOWN]


# Compiled once: building it cost more than running it.
_FOLLOW_UPS = Prepared(_follow_ups_query, ("id", "day"))


@register.simple_tag(takes_context=True)
def follow_ups(context, user) -> list[Application]:
    """Open applications to chase soon, soonest first: one query whatever their number,
    then none until the learner's data (or their today) changes."""
    if not user.is_authenticated:
        return []
    today = today_for(user.time_zone)
    context["today"] = today
    key = "jobs:follow-ups:" + fragment_key(today, learners=[user.pk], areas=(PROGRESS,))
    found = cache.get(key)
    if found is None:
        found = _FOLLOW_UPS.instances(Application, user.pk, today + timedelta(days=AHEAD_DAYS))
        cache.set(key, found, FRAGMENT_TIMEOUT)
    return found
