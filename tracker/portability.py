"""The user's data, out and back in, and account deletion.

A learner owns their plan, progress, evidence, scores and practice history: they can
take all of it away as one JSON file (`export_user`), bring it into a fresh account on
this or another Rampup site (`import_user`), and delete their account with every row
and file that is theirs (`delete_account`).

The export names roadmap content by its stable *keys*, never by database ids: ids
differ between sites and between reloads of the seeds, keys never change once
published (see roadmap.models). That is what makes a file portable.
"""

from __future__ import annotations

import copy
import logging
import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from roadmap.models import (
    Background,
    Dimension,
    Goal,
    Milestone,
    Phase,
    Question,
    Resource,
    Roadmap,
    RubricItem,
)

from .cache import bump_learner
from .markdown import render_markdown
from .models import (
    Answer,
    Assessment,
    Card,
    ItemLink,
    ItemProgress,
    Mentorship,
    MockInterview,
    Notification,
    Plan,
    Quality,
    Review,
    Score,
    ScreenAnswer,
    StudyLog,
    Submission,
    SubmissionEvent,
    SubmissionImage,
    SubmissionLink,
    User,
)

logger = logging.getLogger(__name__)

SCHEMA = "rampup-export"
EXPORT_VERSION = 1

# The profile fields a user may carry to another account (never username, email or
# password: those identify and secure the account, they are not its data).
PROFILE_FIELDS = (
    "display_name",
    "time_zone",
    "daily_new_cap",
    "daily_review_cap",
    "mentor_capacity",
    "portfolio_public",
)

SCHEMA_DOC = """\
Rampup export format, version 1
===============================

One JSON object. Dates are ISO 8601 (`2025-03-01`), times are ISO 8601 with their UTC
offset (`2025-03-01T09:30:00.123456+00:00`); absent values are `null`. Roadmap content
(phases, goals, resources, milestones, rubric dimensions and items, questions,
backgrounds) is named by its stable key, never by a database id, so a file can be
imported on any Rampup site that serves the same roadmap.

- `schema`: always "rampup-export"; `version`: 1; `exported_at`: when the file was made.
- `user`: username, email, display_name, time_zone, daily_new_cap, daily_review_cap,
  mentor_capacity, portfolio_public. An import restores all but username and email.
- `plan`: roadmap (key), start_date, months, background (key or null), weekly_hours;
  or null when there is no plan.
- `progress`: one entry per goal or resource touched: kind ("goal" or "resource"),
  phase (key), item (key), status (todo, doing, done, skipped, credited), note
  (markdown), credit_evidence, completed_at, links [{title, url}].
- `submissions`: one per milestone: phase and milestone (keys), state (draft,
  submitted, changes_requested, approved), evidence (markdown), self_approved,
  submitted_at, approved_at, links [{title, url}], images [{url, width, height,
  caption}] (the url serves the full image to the signed-in owner; images are not
  carried by an import), events [{actor, from_state, to_state, comment, created_at}]:
  the review thread, oldest first; actor is a username, or null for a deleted user.
- `assessments`: oldest first: role ("self" or "mentor"), rater (username or null),
  created_at, scores [{rubric, dimension, score (1-5), evidence}].
- `screen_answers`: rubric, kind ("screen_check" or "red_flag"), item (key), applies,
  evidence.
- `practice`:
  - `cards`: the spaced-repetition state per question: question (key), state, step,
    stability, difficulty, due, last_review, reps, lapses, last_rating (1-4 or null).
  - `answers`: oldest first: question, status (draft, submitted, rated), body
    (markdown), covered_points (indexes into the question's key points), qualities,
    rating, late, started_at, submitted_at, rated_at, interview (index into
    `interviews`, or null).
  - `reviews`: oldest first: question, rating, reviewed_at, was_new, due_before,
    due_after.
  - `interviews`: oldest first: kind, title, minutes, questions (keys, in order),
    started_at, deadline, finished_at.
- `study_log`: oldest first: date, minutes, phase (key or null), what.
- `notifications`: oldest first: kind, text, url (a path on the site that made the
  file), created_at, read_at.
- `mentorships`: the user's mentors, for information only (never imported): mentor
  (username), started_at, ended_at.
"""

SELF = "<you>"  # what `normalise` calls the exporting user


# --- helpers ---------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: str | None) -> datetime | None:
    """An exported time back to an aware datetime (a naive one is taken as UTC)."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def _date(value: str) -> date:
    return date.fromisoformat(value)


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


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
            **{name: getattr(user, name, False) for name in PROFILE_FIELDS},
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


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    """An export with what an import cannot or need not carry taken out, for comparing
    the export of an account with the export of its imported copy.

    Dropped: `exported_at`, the username and email, the images (their files are not
    re-imported), the mentorships (never imported). Ids in notification urls become
    `<id>`. People become what an import makes of them: the exporting user is `<you>`,
    anyone else is null (an import cannot attribute a comment to another account), and
    a self-assessment's rater is `<you>`, a mentor's null.
    """
    out = copy.deepcopy(data)
    out.pop("exported_at", None)
    out.pop("mentorships", None)
    me = out["user"].pop("username", None)
    out["user"].pop("email", None)
    for submission in out["submissions"]:
        submission.pop("images", None)
        for event in submission["events"]:
            event["actor"] = SELF if me is not None and event["actor"] == me else None
    for assessment in out["assessments"]:
        assessment["rater"] = SELF if assessment["role"] == Assessment.Role.SELF else None
    for note in out["notifications"]:
        note["url"] = re.sub(r"\d+", "<id>", note["url"])
    return out


# --- import ----------------------------------------------------------------------------


class _Content:
    """The site's roadmap content by key, read once: a big export references hundreds of
    rows, and every missing key must be reported together, not one per attempt."""

    def __init__(self, roadmap: Roadmap) -> None:
        self.roadmap = roadmap
        self.phases = {p.key: p for p in Phase.objects.filter(roadmap=roadmap)}
        self.backgrounds = {b.key: b for b in Background.objects.filter(roadmap=roadmap)}
        self.goals = {
            (g.phase.key, g.key): g
            for g in Goal.objects.filter(phase__roadmap=roadmap).select_related("phase")
        }
        self.resources = {
            (r.phase.key, r.key): r
            for r in Resource.objects.filter(phase__roadmap=roadmap).select_related("phase")
        }
        self.milestones = {
            (m.phase.key, m.key): m
            for m in Milestone.objects.filter(phase__roadmap=roadmap).select_related("phase")
        }
        self.dimensions = {
            (d.rubric.key, d.key): d
            for d in Dimension.objects.filter(rubric__roadmap=roadmap).select_related("rubric")
        }
        self.rubric_items = {
            (i.rubric.key, i.kind, i.key): i
            for i in RubricItem.objects.filter(rubric__roadmap=roadmap).select_related("rubric")
        }
        self.questions = {q.key: q for q in Question.objects.filter(roadmap=roadmap)}
        self.missing: list[str] = []

    def get(self, table: dict, key: Any, label: str) -> Any:
        """The row for `key`, or None with `label` noted as missing."""
        found = table.get(key)
        if found is None and label not in self.missing:
            self.missing.append(label)
        return found


class _Reader:
    """Reads an export into unsaved rows, checking every key and value first, so that
    nothing is written unless the whole file can be."""

    def __init__(self, user: User, data: dict[str, Any], content: _Content) -> None:
        self.user = user
        self.data = data
        self.content = content
        self.problems: list[str] = []
        self.me = data["user"].get("username")

    def check(self, obj: models.Model, label: str) -> None:
        """Run the model's field validation (choices, lengths, ranges). Relations are set
        by us from resolved keys and JSON lists are checked by hand, so both are skipped."""
        skip = [
            f.name
            for f in obj._meta.concrete_fields
            if f.is_relation or isinstance(f, models.JSONField)
        ]
        try:
            obj.clean_fields(exclude=skip)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.problems.append(f"{label}: {field}: {' '.join(messages)}")

    # Each reader returns unsaved rows (with their children), or None for a missing key.

    def profile(self) -> dict[str, Any]:
        block = self.data["user"]
        fields = [n for n in PROFILE_FIELDS if n in block and _has_field(User, n)]
        values = {name: block[name] for name in fields}
        probe = User(**values)
        skip = [f.name for f in User._meta.concrete_fields if f.name not in fields]
        try:
            probe.clean_fields(exclude=skip)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.problems.append(f"user: {field}: {' '.join(messages)}")
        return values

    def plan(self) -> Plan | None:
        block = self.data["plan"]
        if block is None:
            return None
        background = None
        if block["background"] is not None:
            background = self.content.get(
                self.content.backgrounds, block["background"], f"background {block['background']}"
            )
        plan = Plan(
            learner=self.user,
            roadmap=self.content.roadmap,
            background=background,
            start_date=_date(block["start_date"]),
            months=block["months"],
            weekly_hours=block["weekly_hours"],
        )
        self.check(plan, "plan")
        return plan

    def progress(self) -> list[tuple[ItemProgress, list[ItemLink]]]:
        rows = []
        for n, entry in enumerate(self.data["progress"], 1):
            key = (entry["phase"], entry["item"])
            label = f"{entry['kind']} {entry['phase']}/{entry['item']}"
            if entry["kind"] == "goal":
                field, item = "goal", self.content.get(self.content.goals, key, label)
            elif entry["kind"] == "resource":
                field, item = "resource", self.content.get(self.content.resources, key, label)
            else:
                self.problems.append(f"progress #{n}: unknown kind “{entry['kind']}”.")
                continue
            progress = ItemProgress(
                learner=self.user,
                **{field: item},
                status=entry["status"],
                note=entry["note"],
                note_html=render_markdown(entry["note"]),
                credit_evidence=entry["credit_evidence"],
                completed_at=_datetime(entry["completed_at"]),
            )
            self.check(progress, f"progress {label}")
            links = [ItemLink(title=link["title"], url=link["url"]) for link in entry["links"]]
            for link in links:
                self.check(link, f"progress {label} link")
            rows.append((progress, links))
        return rows

    def submissions(self) -> tuple[list[tuple], int]:
        rows, images = [], 0
        for entry in self.data["submissions"]:
            label = f"milestone {entry['phase']}/{entry['milestone']}"
            milestone = self.content.get(
                self.content.milestones, (entry["phase"], entry["milestone"]), label
            )
            submission = Submission(
                learner=self.user,
                milestone=milestone,
                state=entry["state"],
                evidence=entry["evidence"],
                evidence_html=render_markdown(entry["evidence"]),
                self_approved=entry["self_approved"],
                submitted_at=_datetime(entry["submitted_at"]),
                approved_at=_datetime(entry["approved_at"]),
            )
            self.check(submission, label)
            links = [SubmissionLink(title=x["title"], url=x["url"]) for x in entry["links"]]
            for link in links:
                self.check(link, f"{label} link")
            events = []
            for e in entry["events"]:
                # Only the user's own entries can be attributed: other people's accounts
                # on this site are not theirs to claim ("deleted user", as after deletion).
                mine = e["actor"] is not None and e["actor"] == self.me
                event = SubmissionEvent(
                    actor=self.user if mine else None,
                    from_state=e["from_state"],
                    to_state=e["to_state"],
                    comment=e["comment"],
                    comment_html=render_markdown(e["comment"]),
                )
                self.check(event, f"{label} event")
                for name in ("from_state", "to_state"):
                    value = getattr(event, name)
                    if value and value not in Submission.State.values:
                        self.problems.append(f"{label} event: unknown state “{value}”.")
                events.append((event, _datetime(e["created_at"])))
            images += len(entry.get("images", []))
            rows.append((submission, links, events))
        return rows, images

    def assessments(self) -> list[tuple[Assessment, list[Score]]]:
        rows = []
        for entry in self.data["assessments"]:
            role = entry["role"]
            # A mentor's scores cannot be tied to the mentor's account here: rater unknown.
            assessment = Assessment(
                learner=self.user,
                role=role,
                rater=self.user if role == Assessment.Role.SELF else None,
                created_at=_datetime(entry["created_at"]),
            )
            label = f"assessment of {entry['created_at']}"
            self.check(assessment, label)
            scores = []
            for s in entry["scores"]:
                dimension = self.content.get(
                    self.content.dimensions,
                    (s["rubric"], s["dimension"]),
                    f"dimension {s['rubric']}/{s['dimension']}",
                )
                score = Score(
                    dimension=dimension,
                    score=s["score"],
                    evidence=s["evidence"],
                    evidence_html=render_markdown(s["evidence"]),
                )
                self.check(score, f"{label} score")
                scores.append(score)
            rows.append((assessment, scores))
        return rows

    def screen_answers(self) -> list[ScreenAnswer]:
        rows = []
        for entry in self.data["screen_answers"]:
            key = (entry["rubric"], entry["kind"], entry["item"])
            item = self.content.get(
                self.content.rubric_items, key, f"{entry['kind']} {entry['rubric']}/{entry['item']}"
            )
            answer = ScreenAnswer(
                learner=self.user, item=item, applies=entry["applies"], evidence=entry["evidence"]
            )
            self.check(answer, f"screen answer {entry['item']}")
            rows.append(answer)
        return rows

    def question(self, key: str) -> Question | None:
        return self.content.get(self.content.questions, key, f"question {key}")

    def cards(self) -> list[Card]:
        rows = []
        for c in self.data["practice"]["cards"]:
            card = Card(
                learner=self.user,
                question=self.question(c["question"]),
                state=c["state"],
                step=c["step"],
                stability=c["stability"],
                difficulty=c["difficulty"],
                due=_datetime(c["due"]),
                last_review=_datetime(c["last_review"]),
                reps=c["reps"],
                lapses=c["lapses"],
                last_rating=c["last_rating"],
            )
            self.check(card, f"card {c['question']}")
            rows.append(card)
        return rows

    def interviews(self) -> list[MockInterview]:
        rows = []
        for i in self.data["practice"]["interviews"]:
            questions = [self.question(key) for key in i["questions"]]
            interview = MockInterview(
                learner=self.user,
                kind=i["kind"],
                title=i["title"],
                minutes=i["minutes"],
                questions=[q.pk for q in questions if q is not None],
                started_at=_datetime(i["started_at"]),
                deadline=_datetime(i["deadline"]),
                finished_at=_datetime(i["finished_at"]),
            )
            self.check(interview, f"interview {i['title']}")
            rows.append(interview)
        return rows

    def answers(self, interviews: int) -> list[tuple[Answer, int | None]]:
        rows = []
        for a in self.data["practice"]["answers"]:
            label = f"answer to {a['question']}"
            answer = Answer(
                learner=self.user,
                question=self.question(a["question"]),
                status=a["status"],
                body=a["body"],
                body_html=render_markdown(a["body"]),
                covered_points=list(a["covered_points"]),
                qualities=list(a["qualities"]),
                rating=a["rating"],
                late=a["late"],
                started_at=_datetime(a["started_at"]),
                submitted_at=_datetime(a["submitted_at"]),
                rated_at=_datetime(a["rated_at"]),
            )
            self.check(answer, label)
            if not all(isinstance(p, int) and p >= 0 for p in answer.covered_points):
                self.problems.append(f"{label}: covered_points must be indexes.")
            if not set(answer.qualities) <= set(Quality.values):
                self.problems.append(f"{label}: unknown qualities {answer.qualities}.")
            index = a["interview"]
            if index is not None and not (isinstance(index, int) and 0 <= index < interviews):
                self.problems.append(f"{label}: no interview #{index} in the file.")
            rows.append((answer, index))
        return rows

    def reviews(self) -> list[tuple[Review, str]]:
        carded = {c["question"] for c in self.data["practice"]["cards"]}
        rows = []
        for r in self.data["practice"]["reviews"]:
            label = f"review of {r['question']}"
            question = self.question(r["question"])
            if question is not None and r["question"] not in carded:
                self.problems.append(f"{label}: the file has no card for this question.")
            review = Review(
                learner=self.user,
                rating=r["rating"],
                reviewed_at=_datetime(r["reviewed_at"]),
                was_new=r["was_new"],
                due_before=_datetime(r["due_before"]),
                due_after=_datetime(r["due_after"]),
            )
            self.check(review, label)
            rows.append((review, r["question"]))
        return rows

    def study_log(self) -> list[StudyLog]:
        rows = []
        for entry in self.data["study_log"]:
            phase = None
            if entry["phase"] is not None:
                phase = self.content.get(
                    self.content.phases, entry["phase"], f"phase {entry['phase']}"
                )
            log = StudyLog(
                learner=self.user,
                date=_date(entry["date"]),
                minutes=entry["minutes"],
                phase=phase,
                what=entry["what"],
            )
            self.check(log, f"study log {entry['date']}")
            rows.append(log)
        return rows

    def notifications(self) -> list[Notification]:
        rows = []
        for n in self.data["notifications"]:
            note = Notification(
                user=self.user,
                kind=n["kind"],
                text=n["text"],
                url=n["url"],
                created_at=_datetime(n["created_at"]),
                read_at=_datetime(n["read_at"]),
            )
            self.check(note, "notification")
            rows.append(note)
        return rows


def _owned_rows(user: User) -> list[str]:
    """What the account already holds that an import would mix with or collide with."""
    found = {
        "a plan": Plan.objects.filter(learner=user),
        "progress": ItemProgress.objects.filter(learner=user),
        "submissions": Submission.objects.filter(learner=user),
        "practice answers": Answer.objects.filter(learner=user),
        "practice cards": Card.objects.filter(learner=user),
        "practice reviews": Review.objects.filter(learner=user),
        "mock interviews": MockInterview.objects.filter(learner=user),
        "assessments": Assessment.objects.filter(learner=user),
        "resume-screen answers": ScreenAnswer.objects.filter(learner=user),
        "a study log": StudyLog.objects.filter(learner=user),
    }
    return [name for name, rows in found.items() if rows.exists()]


def import_user(user: User, data: dict[str, Any]) -> dict[str, int]:
    """Restore an export (see SCHEMA_DOC) into `user`'s account, which must be empty.

    All or nothing: the whole file is read and checked first (every unknown content key
    reported in one message), then written in one transaction. Merging into an account
    with data is refused: two histories of the same items cannot be merged faithfully.
    Images are not carried (the file holds only their urls, valid on the old site, for
    the old account); their number is returned as `images_skipped`.
    """
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValidationError("This is not a Rampup export file.")
    if data.get("version") != EXPORT_VERSION:
        raise ValidationError(
            f"This export is version {data.get('version')!r}; this site reads version "
            f"{EXPORT_VERSION} only."
        )
    roadmap = Roadmap.objects.filter(key=settings.ROADMAP_KEY).first()
    if roadmap is None:
        raise ValidationError("This site has no roadmap loaded yet: import later.")
    with transaction.atomic():
        # Lock the account: a double-clicked import must not run twice side by side.
        User.objects.select_for_update().get(pk=user.pk)
        existing = _owned_rows(user)
        if existing:
            raise ValidationError(
                "An export can only be imported into an empty account; this one already has "
                f"{', '.join(existing)}."
            )
        try:
            return _import(user, data, _Content(roadmap))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValidationError(
                f"This export file is damaged or incomplete (at {error!s})."
            ) from error
        except IntegrityError as error:
            raise ValidationError(
                "This export file lists the same item, milestone or question twice."
            ) from error


def _import(user: User, data: dict[str, Any], content: _Content) -> dict[str, int]:
    reader = _Reader(user, data, content)
    profile = reader.profile()
    plan = reader.plan()
    progress = reader.progress()
    submissions, images_skipped = reader.submissions()
    assessments = reader.assessments()
    screen_answers = reader.screen_answers()
    cards = reader.cards()
    interviews = reader.interviews()
    answers = reader.answers(len(interviews))
    reviews = reader.reviews()
    study_log = reader.study_log()
    notifications = reader.notifications()
    problems = list(reader.problems)
    if content.missing:
        problems.insert(
            0,
            f"These items are not in this site's roadmap ({content.roadmap.key}): "
            f"{', '.join(content.missing)}.",
        )
    if problems:
        raise ValidationError(problems)

    counts: Counter[str] = Counter()
    # Nothing below can fail on the file's content any more: it has all been checked.
    if plan is not None:
        plan.save()
        counts["plan"] = 1
    for row, links in progress:
        row.save()
        for link in links:
            link.progress = row
        ItemLink.objects.bulk_create(links)
        counts["progress"] += 1
        counts["item_links"] += len(links)
    for submission, links, events in submissions:
        submission.save()
        for link in links:
            link.submission = submission
        SubmissionLink.objects.bulk_create(links)
        for event, created_at in events:
            event.submission = submission
            event.save()
            # created_at is auto_now_add: the thread's times are set after the insert.
            SubmissionEvent.objects.filter(pk=event.pk).update(created_at=created_at)
        counts["submissions"] += 1
        counts["submission_links"] += len(links)
        counts["submission_events"] += len(events)
    counts["images_skipped"] = images_skipped
    for assessment, scores in assessments:
        assessment.save()
        for score in scores:
            score.assessment = assessment
        Score.objects.bulk_create(scores)
        counts["assessments"] += 1
        counts["scores"] += len(scores)
    counts["screen_answers"] = len(ScreenAnswer.objects.bulk_create(screen_answers))
    counts["cards"] = len(Card.objects.bulk_create(cards))
    for interview in interviews:  # one by one: answers need their ids
        interview.save()
    counts["interviews"] = len(interviews)
    for answer, index in answers:
        answer.interview = interviews[index] if index is not None else None
    counts["answers"] = len(Answer.objects.bulk_create([answer for answer, _ in answers]))
    card_ids = dict(Card.objects.filter(learner=user).values_list("question__key", "pk"))
    for review, question_key in reviews:
        review.card_id = card_ids[question_key]
    counts["reviews"] = len(Review.objects.bulk_create([review for review, _ in reviews]))
    counts["study_log"] = len(StudyLog.objects.bulk_create(study_log))
    counts["notifications"] = len(Notification.objects.bulk_create(notifications))
    if profile:
        User.objects.filter(pk=user.pk).update(**profile)
        for name, value in profile.items():
            setattr(user, name, value)
    counts["profile"] = 1
    # bulk_create and update send no signals: bump the cached fragments by hand.
    bump_learner(user.pk)
    transaction.on_commit(lambda: bump_learner(user.pk))
    return dict(counts)


# --- deletion --------------------------------------------------------------------------


def _files_of(user: User) -> list[tuple[Any, str]]:
    """(storage, name) of every file the user owns: evidence images, thumbnails, avatar."""
    files = []
    for image in SubmissionImage.objects.filter(submission__learner=user):
        for field in (image.image, image.thumbnail):
            if field.name:
                files.append((field.storage, field.name))
    # An avatar field may be added to User later; whatever file field it is, delete it.
    avatar = getattr(user, "avatar", None)
    name, storage = getattr(avatar, "name", None), getattr(avatar, "storage", None)
    if name and storage is not None:
        files.append((storage, name))
    return files


def _delete_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # the rows are gone already: an orphan file is logged, not fatal
            logger.exception("Could not delete %s of a deleted account", name)


def delete_account(user: User) -> dict[str, int]:
    """Delete the account, every row it owns and its files; return counts per model.

    Comments left on other people's work stay, shown as from a deleted user: the
    foreign keys to the author (SubmissionEvent.actor, AnswerComment.author,
    Assessment.rater, Invite.used_by, Mentorship.ended_by) are SET_NULL. Mentorships
    where the user is mentor or learner cascade, so access ends at once. Files are
    deleted only after the commit: were the transaction rolled back, the rows would
    still point at them. `files` in the result counts the files scheduled for deletion.
    """
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # no image added meanwhile
        files = _files_of(user)
        touched = _learners_touched_by(user)
        from .accounts import account_forget  # accounts imports this module

        account_forget(user)  # login attempts, sessions, others' links to the account
        _, per_model = user.delete()
        transaction.on_commit(lambda: _delete_files(files))
        # Their comments now read "deleted user": the pages that show them, cached
        # under those learners' versions, must render again (update() sends no signal).
        transaction.on_commit(lambda: [bump_learner(pk) for pk in touched])
    return {**per_model, "files": len(files)}


def _learners_touched_by(user: User) -> set[int]:
    """Other learners whose pages show this user: as mentor, commenter or rater."""
    from .models import AnswerComment, Mentorship, SubmissionEvent

    ids = set(Mentorship.objects.filter(mentor=user).values_list("learner_id", flat=True))
    ids |= set(SubmissionEvent.objects.filter(actor=user).values_list("submission__learner_id",
                                                                      flat=True))  # fmt: skip
    ids |= set(AnswerComment.objects.filter(author=user).values_list("answer__learner_id",
                                                                     flat=True))  # fmt: skip
    ids |= set(Assessment.objects.filter(rater=user).values_list("learner_id", flat=True))
    ids.discard(user.pk)
    return ids
