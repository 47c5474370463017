"""Helpers every learner view uses: the learner's today, plan, and the access helpers."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.urls import reverse

from roadmap.http import HtmxHttpRequest  # noqa: F401  (the views import it from here)

from .. import schedule
from ..models import Plan, User


def learner_today(user: User) -> date:
    return schedule.today_for(user.time_zone)


def get_plan(user: User) -> Plan | None:
    """The user's own plan. The auth backend loads it with the user (no query then)."""
    if not user.is_authenticated:
        return None
    try:
        return user.plan
    except Plan.DoesNotExist:
        return None


def landing_url(user: User) -> str:
    """Where a signed-in user starts: their dashboard, or, for someone who only
    mentors (no plan of their own), their mentees."""
    from ..context_processors import mentors_someone

    if get_plan(user) is None and mentors_someone(user):
        return reverse("mentor_home")
    return reverse("dashboard")


def require(obj):
    """404 for a missing object: outsiders learn nothing about what exists."""
    if obj is None:
        raise Http404
    return obj
