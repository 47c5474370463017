"""The hiring rounds in the account's JSON export, and back in an import.

Export: every attempt with what the learner wrote (resume text, document, worksheet,
weekly updates) and its outcome, saying whether a mentor judged it. Import obeys the
forms' rules and never claims what only another person grants: a mentor's judgement
comes back as an open attempt; a resume is screened again by the rules; a self-judged
outcome stays self-judged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from roadmap.models import HiringRound
from tracker.models import User

from . import resume as screen
from . import rounds
from .forms import WorkForm
from .models import DOCUMENT_MAX_CHARS, RESUME_MAX_CHARS, Attempt, TrialUpdate


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_hiring(user: User) -> dict[str, Any]:
    attempts = (
        Attempt.objects.filter(learner=user)
        .select_related("round")
        .prefetch_related("updates")
        .order_by("started_at", "pk")
    )
    return {
        "attempts": [
            {
                "round": a.round.key,
                "started_at": _iso(a.started_at),
                "deadline": _iso(a.deadline),
                "resume": a.resume,
                "resume_file": a.resume_file,
                "document": a.document,
                "worksheet": a.worksheet,
                "qualities": a.qualities,
                "ratings": a.ratings,
                "outcome": a.outcome,
                "reasons": a.reasons,
                "comment": a.comment,
                "judged_by_mentor": a.verified,
                "judged_at": _iso(a.judged_at),
                "updates": [
                    {"body": u.body, "created_at": _iso(u.created_at)} for u in a.updates.all()
                ],
            }
            for a in attempts
        ]
    }


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UpdateEntry(_Strict):
    body: str = Field(min_length=1, max_length=8000)
    created_at: datetime


class AttemptEntry(_Strict):
    round: str = Field(max_length=80)
    started_at: datetime
    deadline: datetime | None = None
    resume: str = Field("", max_length=RESUME_MAX_CHARS)
    resume_file: str = Field("", max_length=200)
    document: str = Field("", max_length=DOCUMENT_MAX_CHARS)
    worksheet: dict[str, Any] = {}
    qualities: list[str] = Field([], max_length=10)
    ratings: dict[str, int] = {}
    outcome: Literal["open", "pass", "not-yet"]
    reasons: list[str] = Field([], max_length=20)
    comment: str = Field("", max_length=4000)
    judged_by_mentor: bool
    judged_at: datetime | None = None
    updates: list[UpdateEntry] = Field([], max_length=200)


class HiringBlock(_Strict):
    attempts: list[AttemptEntry] = Field([], max_length=2000)


def import_hiring(user: User, data: Any) -> dict[str, int]:
    """Write the block's attempts for `user` (inside the import's transaction: a problem
    raises and nothing of the import is kept)."""
    if data is None:
        return {}
    try:
        block = HiringBlock.model_validate(data)
    except PydanticError as e:
        raise ValidationError(
            [f"hiring: {'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors()]
        ) from None
    if block.attempts and Attempt.objects.filter(learner=user).exists():
        raise ValidationError(
            "An export can only be imported into an empty account; this one has hiring rounds."
        )
    by_key = {r.key: r for r in HiringRound.objects.filter(is_active=True)}
    companies = None
    counts = {"hiring_attempts": 0, "hiring_updates": 0, "hiring_judgements_dropped": 0}
    for n, entry in enumerate(block.attempts):
        where = f"hiring.attempts.{n}"
        found = by_key.get(entry.round)
        if found is None:
            raise ValidationError(f"{where}: round {entry.round!r} is not on this site.")
        attempt = Attempt(
            learner=user, round=found, started_at=entry.started_at, deadline=entry.deadline
        )
        if found.key == rounds.RESUME:
            if companies is None:
                from .services import target_companies

                companies = target_companies()
            findings = screen.screen(entry.resume, companies=companies)
            attempt.resume, attempt.resume_file = entry.resume, entry.resume_file
            attempt.checks = screen.as_data(findings)
            ok = screen.passes(findings)
            attempt.outcome = Attempt.Outcome.PASS if ok else Attempt.Outcome.NOT_YET
            attempt.reasons = [f.why for f in findings if not f.ok]
            attempt.judged_at = entry.judged_at or entry.started_at
        else:
            form = WorkForm(
                {"document": entry.document, **WorkForm.worksheet_initial(entry.worksheet)},
                with_worksheet=found.key == rounds.TAKE_HOME,
            )
            if not form.is_valid():
                field, errors = next(iter(form.errors.items()))
                raise ValidationError(f"{where}.{field}: {errors[0]}")
            attempt.document = form.cleaned_data["document"]
            attempt.worksheet = form.worksheet_data() or {}
            if entry.outcome != "open" and not entry.judged_by_mentor:
                attempt.outcome, attempt.reasons = entry.outcome, entry.reasons
                attempt.comment, attempt.judged_by = entry.comment, user
                attempt.judged_at = entry.judged_at or entry.started_at
                attempt.qualities = entry.qualities
                attempt.ratings = {k: v for k, v in entry.ratings.items() if 1 <= v <= 5}
            else:
                counts["hiring_judgements_dropped"] += entry.outcome != "open"
        attempt.save()
        for u in entry.updates:  # one by one: each renders its markdown on save
            TrialUpdate.objects.create(attempt=attempt, body=u.body, created_at=u.created_at)
        counts["hiring_attempts"] += 1
        counts["hiring_updates"] += len(entry.updates)
    return {name: n for name, n in counts.items() if n}
