"""The learner's dashboard: next actions, schedule status, burn-up, streak, activity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roadmap import content

from .. import charts
from ..activity import learner_activity
from ..assessment import LatestScores, latest_scores_pair
from ..cache import ASSESSMENT, LOG, PRACTICE, PROGRESS, Lazy, fragment_keys
from ..practice import practice_glance
from ..progress import learner_progress
from ..trust import trusted_verdict
from .common import HtmxHttpRequest, get_plan, learner_today


def _verdict(found: LatestScores):
    """The verdict (on the mentor's score where they gave one, tracker.trust) and the
    dimension to work on next, from the latest scores (`latest_scores_pair`)."""
    rubric = content.rubric()
    if rubric is None or not found.own:
        return None
    trusted = trusted_verdict(rubric, found.own, found.mentor)
    scores, result = trusted.scores, trusted.verdict
    weakest = result.holding_back or sorted(
        rubric.dimensions.all(), key=lambda d: (scores.get(d.pk, 0), d.order)
    )
    return {
        "result": result,
        "next": weakest[0] if weakest else None,
        "at": found.own_at,
        "by_mentor": trusted.by_mentor,
    }


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = learner_today(user)
    plan = get_plan(user)

    ctx = {"plan": plan, "today": today}
    if plan is not None:
        # Each part of the body is a cached fragment under the areas it shows (a
        # practice rating leaves the progress parts cached); a part is computed only on
        # its fragment's miss.
        ctx["d"] = Lazy(
            progress=lambda d: learner_progress(plan, today=today),
            burnup=lambda d: charts.burnup_svg(
                start=plan.start_date,
                end_exclusive=d["progress"].end,
                planned=d["progress"].planned_series(),
                actual=d["progress"].actual_series(),
                today=today,
            ),
            activity=lambda d: learner_activity(user, d["progress"], today),
            practice=lambda d: practice_glance(user, today),
            # One query, shared by the verdict and the readiness panel (hiring).
            scores=lambda d: latest_scores_pair(user),
            verdict=lambda d: _verdict(d["scores"]),
        )
        ctx["keys"] = fragment_keys(
            today,
            learners=[user.pk],
            groups={
                "progress": (PROGRESS,),
                "verdict": (ASSESSMENT,),
                "practice": (PRACTICE,),
                "activity": (LOG, PROGRESS),
            },
        )
    return render(request, "tracker/dashboard.html", ctx)
