"""The learner's dashboard: next actions, schedule status, burn-up, streak, activity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from roadmap import content

from .. import charts
from ..activity import learner_activity
from ..assessment import latest
from ..cache import fragment_key
from ..models import Assessment
from ..practice import practice_glance
from ..progress import learner_progress
from ..trust import scores_of, trusted_verdict
from .common import HtmxHttpRequest, get_plan, learner_today


def _verdict(user):
    """The latest self-assessment's verdict and the dimension to work on next."""
    rubric = content.rubric()
    own = latest(user, Assessment.Role.SELF)
    if rubric is None or own is None:
        return None
    # The mentor's score stands in where they gave one (tracker.trust).
    trusted = trusted_verdict(rubric, scores_of(own), scores_of(latest(user, "mentor")))
    scores, result = trusted.scores, trusted.verdict
    weakest = result.holding_back or sorted(
        rubric.dimensions.all(), key=lambda d: (scores.get(d.pk, 0), d.order)
    )
    return {
        "result": result,
        "next": weakest[0] if weakest else None,
        "at": own.created_at,
        "by_mentor": trusted.by_mentor,
    }


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = learner_today(user)
    plan = get_plan(user)

    def derived() -> dict:
        progress = learner_progress(plan, today=today)
        return {
            "progress": progress,
            "current": progress.current,
            "burnup": charts.burnup_svg(
                start=plan.start_date,
                end_exclusive=progress.end,
                planned=progress.planned_series(),
                actual=progress.actual_series(),
                today=today,
            ),
            "activity": learner_activity(user, progress, today),
            "practice": practice_glance(user, today),
            "verdict": _verdict(user),
        }

    ctx = {"plan": plan, "today": today}
    if plan is not None:
        # The body is a cached fragment: on a hit none of this is computed.
        ctx["d"] = SimpleLazyObject(derived)
        ctx["cache_key"] = fragment_key(today, learners=[user.pk])
    return render(request, "tracker/dashboard.html", ctx)
