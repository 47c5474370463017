"""What a mentor sees: the overview of their mentees (progress, schedule, last
activity, verdict, the review queue) and the page about one mentee. Reads only; the
views check that the viewer mentors them."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from roadmap import content
from roadmap.models import Dimension

from .assessment import DISCUSS_GAP, latest, score_gap
from .models import (
    Answer,
    Assessment,
    ItemStatus,
    Mentorship,
    Plan,
    Review,
    Score,
    StudyLog,
    Submission,
    User,
)
from .progress import learner_progress, progress_for_many
from .schedule import today_for
from .trust import trusted_verdict

# A submission waiting longer than this is flagged in the mentor's queue.
WAITING_TOO_LONG = timedelta(days=7)


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


def mentor_overview(user: User, mentorships: list[Mentorship]) -> dict:
    """Each mentee's progress, schedule, last activity and verdict, and the review queue
    across them, oldest first: a fixed number of queries however many mentees."""
    now = timezone.now()
    today = today_for(user.time_zone)
    ids = [m.learner_id for m in mentorships]
    plans = list(Plan.objects.filter(learner__in=ids).select_related("roadmap"))
    progress = progress_for_many(plans, today=today)
    last_log = dict(
        StudyLog.objects.filter(learner__in=ids)
        .values("learner")
        .annotate(m=Max("created_at"))
        .values_list("learner", "m")
    )
    last_review = dict(
        Review.objects.filter(learner__in=ids)
        .values("learner")
        .annotate(m=Max("reviewed_at"))
        .values_list("learner", "m")
    )
    rubric = content.rubric()
    scores = latest_scores(ids, Assessment.Role.SELF)
    # The verdict takes a mentor's score where one was given (tracker.trust).
    mentor_scores = latest_scores(ids, Assessment.Role.MENTOR)
    rows, queue = [], []
    for mentorship in mentorships:
        mentee_progress = progress.get(mentorship.learner_id)
        stamps = [last_log.get(mentorship.learner_id), last_review.get(mentorship.learner_id)]
        if mentee_progress:
            for pp in mentee_progress.phases:
                stamps += [row.updated_at for _, row in (*pp.goals, *pp.resources) if row]
                if pp.submission:
                    stamps.append(pp.submission.updated_at)
                    if pp.submission.state == Submission.State.SUBMITTED:
                        queue.append((mentorship.learner, pp.submission, pp.phase))
        own, theirs = (
            scores.get(mentorship.learner_id, {}),
            mentor_scores.get(mentorship.learner_id, {}),
        )
        result = trusted_verdict(rubric, own, theirs).verdict if own or theirs else None
        rows.append(
            {
                "mentorship": mentorship,
                "learner": mentorship.learner,
                "progress": mentee_progress,
                "verdict": result,
                "last": max((s for s in stamps if s), default=None),
            }
        )
    queue.sort(key=lambda item: item[1].submitted_at or now)
    return {
        "rows": rows,
        "queue": [
            {
                "learner": learner,
                "submission": s,
                "phase": phase,
                "waited": now - s.submitted_at if s.submitted_at else timedelta(0),
                "late": s.submitted_at and now - s.submitted_at > WAITING_TOO_LONG,
            }
            for learner, s, phase in queue
        ],
    }


def mentee_page(user: User, learner: User, dimensions: list[Dimension]) -> dict:
    """What a mentor's page about one mentee shows: plan, progress, the self-vs-mentor
    table and rated answers. `user` must be their active mentor (the view checks)."""
    plan = Plan.objects.visible_to(user).filter(learner=learner).select_related("roadmap").first()
    progress = learner_progress(plan, today=today_for(learner.time_zone)) if plan else None
    own = latest(learner, Assessment.Role.SELF)
    # "You": this mentor's own last scores, never another (or a former) mentor's.
    mine = (
        Assessment.objects.visible_to(user)
        .filter(learner=learner, role=Assessment.Role.MENTOR, rater=user)
        .prefetch_related("scores")
        .first()
    )
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
