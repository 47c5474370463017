"""Export: everything a user owns, as one JSON-ready document (see schema.SCHEMA_DOC).

The export names roadmap content by its stable *keys*, never by database ids: ids
differ between sites and between reloads of the seeds, keys never change once
published (see roadmap.models). That is what makes a file portable.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Question

from ..models import (
    Answer,
    Assessment,
    Card,
    ItemLink,
    ItemProgress,
    Mentorship,
    MockInterview,
    Notification,
    NotificationMute,
    Plan,
    Recording,
    ReminderSettings,
    Review,
    Score,
    ScreenAnswer,
    StudyLog,
    Submission,
    SubmissionEvent,
    SubmissionLink,
    User,
)
from . import sections
from .schema import EXPORT_VERSION, SCHEMA

# The profile fields a user may carry to another account (never username, email or
# password: those identify and secure the account, they are not its data).
PROFILE_FIELDS = (
    "display_name",
    "time_zone",
    "daily_new_cap",
    "daily_review_cap",
    "desired_retention",
    "mentor_capacity",
    "portfolio_public",
    "portfolio_hidden",
    "portfolio_hide_self_scores",
    "portfolio_headline",
    "portfolio_pitch",
)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _links(links: Iterable[ItemLink | SubmissionLink]) -> list[dict[str, str]]:
    return [{"title": link.title, "url": link.url} for link in links]


# --- export ----------------------------------------------------------------------------


def export_user(user: User, *, base_url: str) -> dict[str, Any]:
    """Everything `user` owns, as JSON-ready data (see SCHEMA_DOC).

    Only rows the user owns are read, always by `learner=user` / `user=user`, never via
    `visible_to`: a mentor's export must not carry their mentees' data. Lists come in a
    stable order (content order, or oldest first), so two exports of the same data are
    equal and an import recreates rows in the order they were made.
    """
    base = base_url.rstrip("/")
    interviews = list(MockInterview.objects.filter(learner=user).order_by("started_at", "pk"))
    # Interviews hold question ids; a key is what survives a move to another site.
    ids = {pk for interview in interviews for pk in interview.questions}
    keys = dict(Question.objects.filter(pk__in=ids).values_list("pk", "key"))
    return {
        "schema": SCHEMA,
        "version": EXPORT_VERSION,
        "exported_at": _iso(timezone.now()),
        "user": {
            "username": user.username,
            "email": user.email,
            **{name: getattr(user, name) for name in PROFILE_FIELDS},
        },
        "plan": _export_plan(user),
        "progress": _export_progress(user),
        "submissions": _export_submissions(user, base),
        "assessments": _export_assessments(user),
        "screen_answers": _export_screen_answers(user),
        "practice": {
            "cards": _export_cards(user),
            "answers": _export_answers(user, interviews),
            "reviews": _export_reviews(user),
            "interviews": [_export_interview(i, keys) for i in interviews],
            "recordings": _export_recordings(user, base),
        },
        "study_log": [
            {
                "date": _iso(log.date),
                "minutes": log.minutes,
                "phase": log.phase.key if log.phase else None,
                "what": log.what,
            }
            for log in StudyLog.objects.filter(learner=user)
            .select_related("phase")
            .order_by("date", "pk")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "text": n.text,
                "url": n.url,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
            }
            for n in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "reminders": _export_reminders(user),
        "mentorships": [
            {
                "mentor": m.mentor.username,
                "started_at": _iso(m.started_at),
                "ended_at": _iso(m.ended_at),
            }
            for m in Mentorship.objects.filter(learner=user)
            .select_related("mentor")
            .order_by("started_at", "pk")
        ],
        # Other apps' sections (tracker.portability.sections): hiring, labs, jobs.
        **{section.key: section.export(user) for section in sections.registered()},
    }


def _export_reminders(user: User) -> dict[str, Any] | None:
    row = ReminderSettings.objects.filter(user=user).first()
    kinds = list(
        NotificationMute.objects.filter(user=user, about=None)
        .order_by("kind")
        .values_list("kind", flat=True)
    )
    if row is None and not kinds:
        return None
    return {
        "emails_off": row.muted if row else [],
        "remind_at": (row.remind_at if row else time(18)).strftime("%H:%M"),
        "muted_notification_kinds": kinds,
    }


def _export_plan(user: User) -> dict[str, Any] | None:
    plan = Plan.objects.filter(learner=user).select_related("roadmap", "background").first()
    if plan is None:
        return None
    return {
        "roadmap": plan.roadmap.key,
        "start_date": _iso(plan.start_date),
        "months": plan.months,
        "background": plan.background.key if plan.background else None,
        "weekly_hours": plan.weekly_hours,
    }


def _export_progress(user: User) -> list[dict[str, Any]]:
    rows = list(
        ItemProgress.objects.filter(learner=user)
        .select_related("goal__phase", "resource__phase")
        .prefetch_related("links")
    )
    rows.sort(key=lambda p: (p.kind != "goal", p.item.phase.order, p.item.order, p.item.key))
    return [
        {
            "kind": p.kind,
            "phase": p.item.phase.key,
            "item": p.item.key,
            "status": p.status,
            "note": p.note,
            "credit_evidence": p.credit_evidence,
            "completed_at": _iso(p.completed_at),
            "links": _links(p.links.all()),
            "credit_review": p.credit_review,
        }
        for p in rows
    ]


def _export_submissions(user: User, base: str) -> list[dict[str, Any]]:
    rows = list(
        Submission.objects.filter(learner=user)
        .select_related("milestone__phase")
        .prefetch_related(
            "links",
            "images",
            models.Prefetch(
                "events",
                SubmissionEvent.objects.select_related("actor").order_by("created_at", "pk"),
            ),
        )
    )
    rows.sort(key=lambda s: (s.milestone.phase.order, s.milestone.key))
    return [
        {
            "phase": s.milestone.phase.key,
            "milestone": s.milestone.key,
            "state": s.state,
            "evidence": s.evidence,
            "self_approved": s.self_approved,
            "submitted_at": _iso(s.submitted_at),
            "approved_at": _iso(s.approved_at),
            "links": _links(s.links.all()),
            "images": [
                {
                    "url": base + reverse("milestone_image", args=[s.pk, image.pk, "full"]),
                    "width": image.width,
                    "height": image.height,
                    "caption": image.caption,
                }
                for image in s.images.all()
            ],
            "events": [
                {
                    "actor": e.actor.username if e.actor else None,
                    "from_state": e.from_state,
                    "to_state": e.to_state,
                    "comment": e.comment,
                    "created_at": _iso(e.created_at),
                }
                for e in s.events.all()
            ],
        }
        for s in rows
    ]


def _export_assessments(user: User) -> list[dict[str, Any]]:
    rows = (
        Assessment.objects.filter(learner=user)
        .select_related("rater")
        .prefetch_related(
            models.Prefetch(
                "scores",
                Score.objects.select_related("dimension__rubric").order_by(
                    "dimension__order", "dimension__key"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "role": a.role,
            "rater": a.rater.username if a.rater else None,
            "created_at": _iso(a.created_at),
            "scores": [
                {
                    "rubric": s.dimension.rubric.key,
                    "dimension": s.dimension.key,
                    "score": s.score,
                    "evidence": s.evidence,
                }
                for s in a.scores.all()
            ],
        }
        for a in rows
    ]


def _export_screen_answers(user: User) -> list[dict[str, Any]]:
    rows = list(ScreenAnswer.objects.filter(learner=user).select_related("item__rubric"))
    rows.sort(key=lambda a: (a.item.rubric.key, a.item.kind, a.item.order, a.item.key))
    return [
        {
            "rubric": a.item.rubric.key,
            "kind": a.item.kind,
            "item": a.item.key,
            "applies": a.applies,
            "evidence": a.evidence,
        }
        for a in rows
    ]


def _export_cards(user: User) -> list[dict[str, Any]]:
    rows = list(Card.objects.filter(learner=user).select_related("question__phase"))
    rows.sort(key=lambda c: (c.question.phase.order, c.question.order, c.question.key))
    return [
        {
            "question": c.question.key,
            "state": c.state,
            "step": c.step,
            "stability": c.stability,
            "difficulty": c.difficulty,
            "due": _iso(c.due),
            "last_review": _iso(c.last_review),
            "reps": c.reps,
            "lapses": c.lapses,
            "last_rating": c.last_rating,
        }
        for c in rows
    ]


def _export_answers(user: User, interviews: list[MockInterview]) -> list[dict[str, Any]]:
    index = {interview.pk: i for i, interview in enumerate(interviews)}
    rows = (
        Answer.objects.filter(learner=user).select_related("question").order_by("started_at", "pk")
    )
    return [
        {
            "question": a.question.key,
            "status": a.status,
            "body": a.body,
            "covered_points": list(a.covered_points),
            "qualities": list(a.qualities),
            "rating": a.rating,
            "late": a.late,
            "started_at": _iso(a.started_at),
            "submitted_at": _iso(a.submitted_at),
            "revealed_at": _iso(a.revealed_at),
            "rated_at": _iso(a.rated_at),
            "interview": index.get(a.interview_id) if a.interview_id else None,
        }
        for a in rows
    ]


def _export_reviews(user: User) -> list[dict[str, Any]]:
    rows = (
        Review.objects.filter(learner=user)
        .select_related("card__question")
        .order_by("reviewed_at", "pk")
    )
    return [
        {
            "question": r.card.question.key,
            "rating": r.rating,
            "qualities": list(r.qualities),
            "reviewed_at": _iso(r.reviewed_at),
            "was_new": r.was_new,
            "due_before": _iso(r.due_before),
            "due_after": _iso(r.due_after),
        }
        for r in rows
    ]


def _export_interview(interview: MockInterview, keys: dict[int, str]) -> dict[str, Any]:
    return {
        "kind": interview.kind,
        "title": interview.title,
        "minutes": interview.minutes,
        "questions": [keys[pk] for pk in interview.questions if pk in keys],
        "started_at": _iso(interview.started_at),
        "deadline": _iso(interview.deadline),
        "finished_at": _iso(interview.finished_at),
    }


def _export_recordings(user: User, base: str) -> list[dict[str, Any]]:
    """What each spoken take is (the audio itself stays on the site: its url serves it
    to the signed-in owner), and which answer it belongs to (an index into `answers`)."""
    order = Answer.objects.filter(learner=user).order_by("started_at", "pk")
    index = {pk: i for i, pk in enumerate(order.values_list("pk", flat=True))}
    return [
        {
            "answer": index[r.answer_id],
            "url": base + reverse("recording", args=[r.pk]),
            "content_type": r.content_type,
            "size": r.size,
            "duration": r.duration,
            "created_at": _iso(r.created_at),
        }
        for r in Recording.objects.filter(learner=user).order_by("created_at", "pk")
    ]
