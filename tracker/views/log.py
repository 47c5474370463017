"""The study log: what the learner did, when and for how long; weekly totals; streak."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST

from roadmap import content

from ..activity import streak_for
from ..cache import LOG, PROGRESS, fragment_key
from ..forms import StudyLogForm
from ..models import StudyLog
from ..plans import studylog_add
from .common import HtmxHttpRequest, get_plan, learner_today

RECENT = 20
WEEKS_SHOWN = 8


@require_http_methods(["GET", "POST"])
@login_required
def log_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = learner_today(user)
    phases = content.phases()
    form = StudyLogForm(request.POST or None, initial={"date": today}, today=today, phases=phases)
    if request.method == "POST" and form.is_valid():
        studylog_add(
            learner=user,
            day=form.cleaned_data["date"],
            minutes=form.cleaned_data["minutes"],
            phase=form.cleaned_data["phase"],
            what=form.cleaned_data["what"],
        )
        messages.success(request, "Logged. Keep it up.")
        return redirect("log")
    plan = get_plan(user)

    def derived() -> dict:
        logs = StudyLog.objects.owned_by(user)
        week_start = today - timedelta(days=today.weekday())
        first_week = week_start - timedelta(weeks=WEEKS_SHOWN - 1)
        minutes_by_day = dict(
            logs.filter(date__gte=first_week)
            .values("date")
            .annotate(total=Sum("minutes"))
            .values_list("date", "total")
        )
        target = plan.weekly_hours * 60 if plan else None
        weeks = []
        for i in range(WEEKS_SHOWN):
            start = first_week + timedelta(weeks=i)
            total = sum(minutes_by_day.get(start + timedelta(days=d), 0) for d in range(7))
            weeks.append(
                {
                    "start": start,
                    "minutes": total,
                    "hours": round(total / 60, 1),
                    "percent": min(100, round(100 * total / target)) if target else None,
                }
            )
        return {
            "logs": list(
                logs.annotate(phase_order=F("phase__order")).only("pk", "date", "minutes", "what")[
                    :RECENT
                ]
            ),
            "weeks": weeks,
            "streak": streak_for(user, today),
        }

    ctx = {
        "form": form,
        "plan": plan,
        "target_hours": plan.weekly_hours if plan else None,
        # Entries, weekly totals and streak are a cached fragment (lazy on a hit).
        "d": SimpleLazyObject(derived),
        "log_key": fragment_key(today, learners=[request.user.pk], areas=(LOG, PROGRESS)),
    }
    return render(request, "tracker/log.html", ctx)


@require_POST
@login_required
def log_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(StudyLog.objects.owned_by(request.user), pk=pk)
    entry.delete()
    messages.success(request, "Entry removed.")
    return redirect("log")
