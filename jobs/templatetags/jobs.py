from __future__ import annotations

from datetime import timedelta

from django import template
from django.core.cache import cache

from tracker.cache import FRAGMENT_TIMEOUT, PROGRESS, fragment_key
from tracker.schedule import today_for

from ..models import Application

register = template.Library()
AHEAD_DAYS = 3  # follow-ups due within this many days show already
SHOWN = 8


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
        due = Application.objects.owned_by(user).follow_ups(today + timedelta(days=AHEAD_DAYS))
        found = list(due[:SHOWN])
        cache.set(key, found, FRAGMENT_TIMEOUT)
    return found
