"""The plan: start date, length, background preset with credits, and its calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from roadmap import content
from roadmap.models import Background, Goal

from ..calendar_feed import new_calendar, phase_events
from ..forms import CreditForm, PlanForm
from ..models import ItemProgress, ItemStatus
from ..plans import plan_save
from ..progress import plan_schedule_from
from .common import HtmxHttpRequest, get_plan, learner_today, require


def _background(key: str | None) -> Background | None:
    return next((b for b in content.backgrounds() if b.key == key), None) if key else None


def _credit_goals(rows: list[ItemProgress], background: Background | None) -> list[Goal]:
    """The goals a background offers to credit, minus those already done or credited."""
    if background is None:
        return []
    finished = {
        p.goal_id for p in rows if p.goal_id and p.status in {ItemStatus.DONE, ItemStatus.CREDITED}
    }
    return [g for g in background.credit_goals.all() if g.pk not in finished]


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def plan_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = learner_today(user)
    roadmap = content.roadmap()
    if roadmap is None:
        raise Http404
    plan = get_plan(user)
    # One query serves the credits offered and the (credit-shortened) phase dates.
    rows = list(ItemProgress.objects.owned_by(user))
    initial = {"start_date": today, "months": roadmap.plan_months, "weekly_hours": 10}
    if plan:
        initial = {
            "start_date": plan.start_date,
            "months": plan.months,
            "background": plan.background.key if plan.background else None,
            "weekly_hours": plan.weekly_hours,
        }
    preset = None
    if request.method == "POST":
        form = PlanForm(request.POST, today=today)
        background = Background.objects.current().filter(key=request.POST.get("background")).first()
        credit_form = CreditForm(request.POST, goals=_credit_goals(rows, background))
        if form.is_valid() and credit_form.is_valid():
            plan_save(
                learner=user,
                roadmap=roadmap,
                start_date=form.cleaned_data["start_date"],
                months=form.cleaned_data["months"],
                background=form.cleaned_data["background"],
                weekly_hours=form.cleaned_data["weekly_hours"],
                credits=credit_form.credits(),
            )
            credited = len(credit_form.credits())
            messages.success(
                request,
                "Your plan is saved."
                + (f" {credited} goal{'s' if credited != 1 else ''} credited." if credited else ""),
            )
            return redirect("dashboard")
    else:
        # A background chosen here (htmx on change, or the "Apply" button without
        # JavaScript) fills in its preset: a proposed length and goals to credit.
        data = {**initial, **request.GET.dict()} if "background" in request.GET else None
        background = None
        if data:
            background = _background(data["background"])
            if background:
                preset = background
                data["months"] = min(max(background.ramp_up_max_months, 3), 24)
        form = (
            PlanForm(data, initial=initial, today=today)
            if data
            else PlanForm(initial=initial, today=today)
        )
        if data is None and plan and plan.background:
            background = _background(plan.background.key)
        credit_form = CreditForm(goals=_credit_goals(rows, background))
    windows = plan_schedule_from(plan, rows) if plan else []
    ctx = {
        "form": form,
        "credit_form": credit_form,
        "plan": plan,
        "preset": preset,
        "windows": windows,
        "credited": any(p.status == ItemStatus.CREDITED for p in rows),
        "roadmap": roadmap,
    }
    template = "tracker/plan.html"
    if request.htmx and request.method == "GET":
        template += "#plan-form"
    return render(request, template, ctx)


@require_GET
@login_required
def plan_calendar(request: HtmxHttpRequest) -> HttpResponse:
    """The phase schedule as iCalendar, for the learner's calendar app."""
    plan = require(get_plan(request.user))
    cal = new_calendar("Rampup plan")
    for event in phase_events(plan, request):
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rampup-plan.ics"'
    return response
