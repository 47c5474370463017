"""The study log: what the learner did, when and for how long; weekly totals; streak."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from roadmap import content

from ..activity import STREAK_LOOKBACK_DAYS, streak_for
from ..cache import LOG, PROGRESS, fragment_key
from ..forms import StudyLogForm
from ..models import StudyLog, User
from ..plans import studylog_add
from ..prepared import Prepared
from ..schedule import month_abbreviations
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
        week_start = today - timedelta(days=today.weekday())
        first_week = week_start - timedelta(weeks=WEEKS_SHOWN - 1)
        # One read of the days logged: the weekly totals' and the streak's.
        since = min(first_week, today - timedelta(days=STREAK_LOOKBACK_DAYS))
        minutes_by_day = dict(_MINUTES_BY_DAY.rows(StudyLog, user.pk, since))
        target = plan.weekly_hours * 60 if plan else None
        weeks = []
        for i in range(WEEKS_SHOWN):
            start = first_week + timedelta(weeks=i)
            total = sum(minutes_by_day.get(start + timedelta(days=d), 0) for d in range(7))
            weeks.append(
                {
                    "start": start,
                    "day": f"{start.day} {MONTHS_3[start.month].title()}",  # |date:"j M"
                    "minutes": total,
                    "hours": round(total / 60, 1),
                    "percent": min(100, round(100 * total / target)) if target else None,
                }
            )
        return {
            "log_items": _log_items(_RECENT_LOGS.rows(StudyLog, user.pk)),
            "weeks": weeks,
            "streak": streak_for(user, today, logged_days=minutes_by_day),
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


# The learner's minutes a day from a day on, and their latest entries: compiled once,
# through the one owner rule (a user of the stand-in id).
_MINUTES_BY_DAY = Prepared(
    lambda learner_id, since: (
        StudyLog.objects.owned_by(User(pk=learner_id))
        .filter(date__gte=since)
        .order_by()
        .values("date")
        .annotate(total=Sum("minutes"))
        .values_list("date", "total")
    ),
    ("id", "day"),
)
_RECENT_LOGS = Prepared(
    lambda learner_id: StudyLog.objects.owned_by(User(pk=learner_id)).values_list(
        "pk", "date", "minutes", "what", "phase__order"
    )[:RECENT],
    ("id",),
)


def _log_items(rows: list[tuple]) -> SafeString:
    """The latest entries (pk, date, minutes, what, phase order), newest first, as the
    items of the list: the day, the minutes, the phase, what was done (escaped) and a
    delete button. Written here, not by a template loop of twenty entries (a fifth of
    the page's cold time)."""
    months = month_abbreviations()
    items = []
    for pk, day, minutes, what, phase_order in rows:
        phase = f' · <span class="tag">Phase {phase_order}</span>' if phase_order else ""
        items.append(
            "    <li>\n"
            f"      <div><strong>{escape(WEEKDAYS_ABBR[day.weekday()])} {day.day}"
            f" {months[day.month]}</strong> · {minutes} min{phase}<br>{escape(what)}</div>\n"
            f'      <button type="submit" formaction="{pk}/delete/" class="link-button small">'
            f'Delete<span class="visually-hidden"> entry of {day.day} {months[day.month]}'
            f" {day.year}</span>"
            "</button>\n    </li>\n"
        )
    return mark_safe("".join(items))  # noqa: S308 - numbers and escaped text only


@require_POST
@login_required
def log_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(StudyLog.objects.owned_by(request.user), pk=pk)
    entry.delete()
    messages.success(request, "Entry removed.")
    return redirect("log")
