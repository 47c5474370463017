"""What a mentor sees: the overview of their mentees (progress, schedule, last
activity, verdict, the review queue) and the page about one mentee. Reads only; the
views check that the viewer mentors them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from roadmap import content
from roadmap.models import Dimension, Phase

from .assessment import DISCUSS_GAP, score_gap
from .cache import ASSESSMENT, LOG, PRACTICE, PROGRESS, per_learner
from .models import (
    Answer,
    Assessment,
    ItemProgress,
    ItemStatus,
    Mentorship,
    Plan,
    Review,
    Score,
    StudyLog,
    Submission,
    User,
)
from .progress import compute_progress, learner_progress
from .schedule import today_for, zone_for
from .trust import trusted_verdict

# A submission waiting longer than this is flagged in the mentor's queue.
WAITING_TOO_LONG = timedelta(days=7)
# Mentees a page of the mentor's home lists, and the queue's longest shown part.
MENTEES_PAGE = 50
QUEUE_SHOWN = 50


def latest_scores(learner_ids: list[int], role: str) -> dict[int, dict[int, int]]:
    """learner id -> {dimension id: score} of their latest assessment by `role`: two queries."""
    newest = (
        Assessment.objects.filter(learner=OuterRef("learner"), role=role)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    ids = Assessment.objects.filter(learner__in=learner_ids, role=role, pk=Subquery(newest)).values(
        "pk"
    )
    found: dict[int, dict[int, int]] = {}
    for learner_id, dimension_id, score in Score.objects.filter(assessment__in=ids).values_list(
        "assessment__learner_id", "dimension_id", "score"
    ):
        found.setdefault(learner_id, {})[dimension_id] = score
    return found


@dataclass(frozen=True)
class Mentee:
    """A mentee as the mentor's home lists them: only the columns it shows, read as
    tuples (a mentor may have hundreds)."""

    mentorship_id: int
    id: int
    username: str
    display_name: str
    time_zone: str

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username


def mentees_of(user: User) -> list[Mentee]:
    """`user`'s active mentees: one query."""
    return [
        Mentee(*row)
        for row in Mentorship.objects.active()
        .mentored_by(user)
        .values_list(
            "pk", "learner_id", "learner__username", "learner__display_name", "learner__time_zone"
        )
    ]


def _url(name: str) -> Callable[[object], str]:
    """`reverse(name, args=[x])` for many x at the cost of one reverse."""
    marker = "0123456789"
    pattern = reverse(name, args=[marker])
    return lambda arg: pattern.replace(marker, str(arg))


def mentor_overview(mentees: list[Mentee], *, page: int | str | None = 1) -> dict:
    """The review queue across all mentees, oldest first, and one page of mentees (those
    with something waiting first, then by name), each row with progress, schedule, last
    activity and verdict: a fixed number of queries however many mentees, and on a warm
    cache none beyond the queue (rows are cached per mentee: `mentee_rows`)."""
    now = timezone.now()
    by_id = {m.id: m for m in mentees}
    # One query, never cached, so what waits is always exact: only the columns shown.
    waiting = list(
        Submission.objects.filter(learner__in=by_id, state=Submission.State.SUBMITTED)
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
        .values_list(
            "pk", "learner_id", "submitted_at", "milestone__phase__order", "milestone__phase__title"
        )
    )
    first_wait: dict[int, int] = {}
    for n, (_, learner_id, *_) in enumerate(waiting):
        first_wait.setdefault(learner_id, n)
    ordered = sorted(mentees, key=lambda m: (first_wait.get(m.id, len(waiting)), m.username))
    shown = Paginator(ordered, MENTEES_PAGE).get_page(page)
    rows = mentee_rows(list(shown))
    mentee_url, end_url, milestone_url = _url("mentee"), _url("mentorship_end"), _url("milestone")
    return {
        "page": shown,
        "rows": [
            {
                "learner": m,
                "url": mentee_url(m.username),
                "end_url": end_url(m.mentorship_id),
                **rows[m.id],
            }
            for m in shown
        ],
        "waiting": len(waiting),
        "more": max(0, len(waiting) - QUEUE_SHOWN),
        "queue": [
            {
                "learner": by_id[learner_id],
                "url": milestone_url(pk),
                "phase": Phase(order=order, title=title),  # for its short title
                "waited": now - submitted_at if submitted_at else timedelta(0),
                "late": submitted_at and now - submitted_at > WAITING_TOO_LONG,
            }
            for pk, learner_id, submitted_at, order, title in waiting[:QUEUE_SHOWN]
        ],
    }


# The row areas: progress and schedule; last activity (also the log and practice);
# verdict (assessment). The name comes fresh from the mentorships query.
ROW_AREAS = (PROGRESS, LOG, PRACTICE, ASSESSMENT)


def mentee_rows(learners: list[Mentee]) -> dict[int, dict]:
    """learner id -> what the mentor's table shows of them, cached per mentee under their
    own versions, the content version and their today: one mentee's write rebuilds their
    row only, and concurrent requests do not all rebuild it (`cache.per_learner`)."""
    from roadmap import content

    return per_learner(
        "mentee-row",
        [m.id for m in learners],
        areas=ROW_AREAS,
        stamps={m.id: (content.version(), today_for(m.time_zone)) for m in learners},
        build=lambda ids: _build_rows([m for m in learners if m.id in ids]),
    )


def _build_rows(learners: list[Mentee]) -> dict[int, dict]:
    """The rows of `learners`, from only the columns they need: five queries."""
    ids = [m.id for m in learners]
    last_log = StudyLog.objects.filter(learner=OuterRef("pk")).order_by("-date", "-created_at")
    last_review = Review.objects.filter(learner=OuterRef("pk")).order_by("-reviewed_at")
    users = (
        User.objects.filter(pk__in=ids)
        .select_related("plan")
        .only("pk", "plan__learner_id", "plan__start_date", "plan__months")
        .annotate(
            last_log=Subquery(last_log.values("created_at")[:1]),
            last_review=Subquery(last_review.values("reviewed_at")[:1]),
        )
    )
    found = {u.pk: u for u in users}
    items: dict[int, list] = defaultdict(list)
    for row in ItemProgress.objects.filter(learner__in=ids).only(
        "learner_id", "goal_id", "resource_id", "status", "completed_at", "updated_at"
    ):
        items[row.learner_id].append(row)
    subs: dict[int, list] = defaultdict(list)
    for sub in Submission.objects.filter(learner__in=ids).only(
        "learner_id", "milestone_id", "state", "submitted_at", "approved_at", "updated_at"
    ):
        subs[sub.learner_id].append(sub)
    rubric = content.rubric()
    scores = latest_scores(ids, Assessment.Role.SELF)
    # The verdict takes a mentor's score where one was given (tracker.trust).
    mentor_scores = latest_scores(ids, Assessment.Role.MENTOR)
    rows = {}
    for learner in learners:
        user = found.get(learner.id)
        plan = getattr(user, "plan", None) if user else None
        progress = (
            compute_progress(
                plan, items[learner.id], subs[learner.id], today=today_for(learner.time_zone)
            )
            if plan
            else None
        )
        stamps = [
            getattr(user, "last_log", None),
            getattr(user, "last_review", None),
            *(r.updated_at for r in items[learner.id]),
            *(s.updated_at for s in subs[learner.id]),
        ]
        own, theirs = scores.get(learner.id, {}), mentor_scores.get(learner.id, {})
        result = trusted_verdict(rubric, own, theirs).verdict if own or theirs else None
        cells = {
            "percent": progress.percent if progress else None,
            "state": progress.status.state if progress else "",
            "label": progress.status.label if progress else "",
            "last": max((s for s in stamps if s), default=None),
            "verdict": result.label if result else None,
        }
        # Rendered here, once per change, so a warm page only joins the rows' HTML.
        with timezone.override(zone_for(learner.time_zone)):
            rows[learner.id] = {
                **cells,
                "cells": render_to_string("tracker/mentor_home.html#mentee-cells", cells),
            }
    return rows


def mentee_page(user: User, learner: User, dimensions: list[Dimension]) -> dict:
    """What a mentor's page about one mentee shows: plan, progress, the self-vs-mentor
    table and rated answers. `user` must be their active mentor (the view checks)."""
    try:
        plan = learner.plan  # joined by the view's access check; a query otherwise
    except Plan.DoesNotExist:
        plan = None
    progress = learner_progress(plan, today=today_for(learner.time_zone)) if plan else None
    # The learner's latest self-assessment and "you": this mentor's own last scores,
    # never another (or a former) mentor's; both in one query, and their scores.
    theirs = Assessment.objects.visible_to(user).filter(learner=learner)
    latest_two = {
        (a.role, a.rater_id == user.pk): a
        for a in theirs.filter(
            Q(pk__in=theirs.filter(role=Assessment.Role.SELF).values("pk")[:1])
            | Q(pk__in=theirs.filter(role=Assessment.Role.MENTOR, rater=user).values("pk")[:1])
        ).prefetch_related("scores")
    }
    own = next((a for (role, _), a in latest_two.items() if role == Assessment.Role.SELF), None)
    mine = latest_two.get((Assessment.Role.MENTOR, True))
    answers = list(
        Answer.objects.visible_to(user)
        .filter(learner=learner, status=Answer.Status.RATED)
        .select_related("question")
        .prefetch_related("comments__author", "recordings")
        .order_by("-rated_at")[:20]
    )
    self_scores = {s.dimension_id: s for s in own.scores.all()} if own else {}
    mentor_scores = {s.dimension_id: s for s in mine.scores.all()} if mine else {}
    table = []
    for dimension in dimensions:
        own_score, mentor_score = self_scores.get(dimension.pk), mentor_scores.get(dimension.pk)
        gap = score_gap(own_score, mentor_score)
        table.append(
            {
                "dimension": dimension,
                "self": own_score,
                "mentor": mentor_score,
                "gap": gap,
                "discuss": gap is not None and abs(gap) >= DISCUSS_GAP,
            }
        )
    return {
        "plan": plan,
        "progress": progress,
        # Credited goals, for the mentor to confirm or question (tracker.trust).
        "credits": [
            (pp.phase, goal, row)
            for pp in (progress.phases if progress else [])
            for goal, row in pp.goals
            if row and row.status == ItemStatus.CREDITED
        ],
        "table": table,
        "answers": answers,
        "mentor_scores": list(mentor_scores.values()),
        "mine": mine,
    }
