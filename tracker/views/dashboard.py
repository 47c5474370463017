"""The learner's dashboard: next actions, schedule status, burn-up, streak, activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from roadmap import content
from roadmap.models import Question

from .. import charts
from ..activity import learner_activity
from ..assessment import latest, verdict
from ..cache import FRAGMENT_TIMEOUT, learner_version
from ..models import Assessment, Card, Review, User
from ..practice import day_end, day_start
from ..progress import learner_progress
from .common import HtmxHttpRequest, get_plan, learner_today


def _verdict(user):
    """The latest self-assessment's verdict and the dimension to work on next."""
    rubric = content.rubric()
    own = latest(user, Assessment.Role.SELF)
    if rubric is None or own is None:
        return None
    scores = {s.dimension_id: s.score for s in own.scores.all()}
    result = verdict(rubric, scores)
    weakest = result.holding_back or sorted(
        rubric.dimensions.all(), key=lambda d: (scores.get(d.pk, 0), d.order)
    )
    return {"result": result, "next": weakest[0] if weakest else None, "at": own.created_at}


@dataclass
class PracticeTile:
    due: int  # reviews due by the end of today, as /practice/ counts them
    new: int  # new questions /practice/ offers today, within the daily cap
    next_question: Question | None


def _practice_tile(user: User, today: date) -> PracticeTile:
    """The practice queue at a glance, counted as `practice.build_queue` does, for less:
    one query for the counts, one for the first due card (only when one is due), one for
    today's new questions (only when the cap leaves room)."""
    cards = Card.objects.filter(learner=user)
    started_today = Review.objects.filter(
        card=OuterRef("pk"), was_new=True, reviewed_at__gte=day_start(user, today)
    )
    due_filter = Q(question__is_active=True, due__lt=day_end(user, today))
    counts = cards.aggregate(
        due=Count("pk", filter=due_filter), new_done=Count("pk", filter=Exists(started_today))
    )
    first = None
    if counts["due"]:
        first = cards.filter(due_filter).select_related("question").order_by("due").first()
    room = max(0, user.daily_new_cap - counts["new_done"])
    new = []
    if room:
        new = list(
            Question.objects.current()
            .exclude(pk__in=cards.values("question_id"))
            .order_by("phase__order", "order")[:room]
        )
    nxt = first.question if first else (new[0] if new else None)
    return PracticeTile(due=counts["due"], new=len(new), next_question=nxt)


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
            "practice": _practice_tile(user, today),
            "verdict": _verdict(user),
        }

    ctx = {"plan": plan, "today": today}
    if plan is not None:
        # The body is a cached fragment: on a hit none of this is computed.
        ctx["d"] = SimpleLazyObject(derived)
        ctx["cache_key"] = f"{learner_version(user.pk)}:{content.version()}:{today}"
        ctx["cache_timeout"] = FRAGMENT_TIMEOUT
    return render(request, "tracker/dashboard.html", ctx)
