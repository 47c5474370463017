"""The learner's dashboard: next actions, schedule status, burn-up, streak, activity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import charts
from ..activity import learner_activity
from ..progress import learner_progress
from .common import HtmxHttpRequest, get_plan, learner_today


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = learner_today(user)
    plan = get_plan(user)
    ctx: dict = {"plan": plan, "today": today}
    if plan is not None:
        progress = learner_progress(plan, today=today)
        ctx.update(
            progress=progress,
            current=progress.current,
            burnup=charts.burnup_svg(
                start=plan.start_date,
                end_exclusive=progress.end,
                planned=progress.planned_series(),
                actual=progress.actual_series(),
                today=today,
            ),
            activity=learner_activity(user, progress, today),
        )
    return render(request, "tracker/dashboard.html", ctx)
