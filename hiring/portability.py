"""The hiring rounds in the account's JSON export, and back in an import: the `hiring`
section of the file (tracker.portability.sections), registered by HiringConfig.ready.

Export: every attempt with what the learner wrote (resume text, document, worksheet,
weekly updates), its diagrams (described: their urls serve them to the signed-in owner)
and its outcome, saying whether a mentor judged it. Import obeys the forms' rules and
never claims what only another person grants: a mentor's judgement comes back as an
open attempt (counted with the other people's words left out); a resume is screened
again by the rules; a self-judged outcome is judged again through the judging form, so
its reasons are the site's, not the file's. Diagrams are not carried (the file holds no
image data), as with milestone evidence images.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.urls import reverse
from pydantic import Field

from roadmap.models import HiringRound
from tracker.models import User
from tracker.portability.schema import Ahead, Key, Line, Past, Strict, Text
from tracker.portability.sections import Reading, Section

from . import resume as screen
from . import rounds
from .forms import JudgeForm, ResumeForm, WorkForm, criteria_for
from .models import Attempt, AttemptImage, TrialUpdate
from .services import judgement_reasons


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_hiring(user: User, base: str = "") -> dict[str, Any]:
    attempts = (
        Attempt.objects.filter(learner=user)
        .select_related("round")
        .prefetch_related("updates", "images")
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
                "images": [
                    {
                        "url": base + reverse("hiring:diagram", args=[a.pk, i.pk, "full"]),
                        "width": i.width,
                        "height": i.height,
                    }
                    for i in a.images.all()
                ],
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


class UpdateEntry(Strict):
    body: Annotated[Text(TrialUpdate, "body"), Field(min_length=1)]
    created_at: Past


class DiagramEntry(Strict):
    """Described, never imported: the file holds no image data."""

    url: Annotated[str, Field(max_length=2000)]
    width: Annotated[int, Field(ge=1, le=100_000)]
    height: Annotated[int, Field(ge=1, le=100_000)]


class AttemptEntry(Strict):
    round: Key
    started_at: Past
    deadline: Ahead | None = None
    resume: Text(Attempt, "resume") = ""
    resume_file: Line(Attempt, "resume_file") = ""
    document: Text(Attempt, "document") = ""
    worksheet: Annotated[dict[str, Any], Field(max_length=40)] = {}
    images: Annotated[list[DiagramEntry], Field(max_length=AttemptImage.MAX_PER_ATTEMPT)] = []
    qualities: Annotated[list[Key], Field(max_length=10)] = []
    ratings: Annotated[dict[str, int], Field(max_length=10)] = {}
    outcome: Literal["open", "pass", "not-yet"]
    # Described, never imported: the site gives the reasons again from the judgement.
    reasons: Annotated[list[Annotated[str, Field(max_length=500)]], Field(max_length=20)] = []
    comment: Text(Attempt, "comment") = ""
    judged_by_mentor: bool
    judged_at: Past | None = None
    updates: Annotated[list[UpdateEntry], Field(max_length=200)] = []


class HiringBlock(Strict):
    attempts: Annotated[list[AttemptEntry], Field(max_length=2000)] = []


Rows = list[tuple[Attempt, list[TrialUpdate]]]


def _first_error(form) -> str:
    field, errors = next(iter(form.errors.items()))
    return f"{field}: {errors[0]}"


def read_hiring(user: User, block: HiringBlock | None, reading: Reading) -> tuple[Rows, list[str]]:
    """Unsaved attempts and updates for every entry, and every problem found: each entry
    goes through the form the site would have used to make it."""
    if block is None or not block.attempts:
        return [], []
    by_key = {r.key: r for r in HiringRound.objects.filter(is_active=True)}
    companies = None
    rows: Rows = []
    problems: list[str] = []
    for n, entry in enumerate(block.attempts):
        where = f"hiring.attempts[{n}]"
        found = by_key.get(entry.round)
        if found is None:
            if f"hiring round {entry.round}" not in reading.missing:
                reading.missing.append(f"hiring round {entry.round}")
            continue
        key = found.key
        attempt = Attempt(
            learner=user, round=found, started_at=entry.started_at, deadline=entry.deadline
        )
        reading.counts["images_skipped"] += len(entry.images)
        if key == rounds.RESUME:
            form = ResumeForm({"text": entry.resume})
            if not form.is_valid():
                problems.append(f"{where}.{_first_error(form)}")
                continue
            if companies is None:
                from .services import target_companies

                companies = target_companies()
            findings = screen.screen(form.cleaned_data["text"], companies=companies)
            attempt.resume, attempt.resume_file = form.cleaned_data["text"], entry.resume_file
            attempt.checks = screen.as_data(findings)
            attempt.outcome = (
                Attempt.Outcome.PASS if screen.passes(findings) else Attempt.Outcome.NOT_YET
            )
            attempt.reasons = [f.why for f in findings if not f.ok]
            attempt.judged_at = entry.judged_at or entry.started_at
            # A mentor's word on a resume is theirs: the rules judge it again.
            reading.counts["others_events_dropped"] += entry.judged_by_mentor
        else:
            form = WorkForm(
                {"document": entry.document, **WorkForm.worksheet_initial(entry.worksheet)},
                with_worksheet=key == rounds.TAKE_HOME,
            )
            if not form.is_valid():
                problems.append(f"{where}.{_first_error(form)}")
                continue
            attempt.document = form.cleaned_data["document"]
            attempt.worksheet = form.worksheet_data() or {}
            if entry.outcome != "open" and entry.judged_by_mentor:
                # Only the mentor can vouch for their judgement: the attempt comes back open.
                reading.counts["others_events_dropped"] += 1
            elif entry.outcome != "open":
                criteria = criteria_for(key)
                judge = JudgeForm(
                    {
                        "outcome": entry.outcome,
                        "ticked": entry.qualities,
                        "comment": entry.comment,
                        **entry.ratings,
                    },
                    criteria=criteria,
                    trial=key == rounds.TRIAL,
                )
                if not judge.is_valid():
                    problems.append(f"{where}.{_first_error(judge)}")
                    continue
                ticked, ratings = judge.cleaned_data.get("ticked", []), judge.ratings()
                attempt.outcome = judge.cleaned_data["outcome"]
                attempt.qualities = [k for k, _ in criteria if k in ticked]
                attempt.ratings = ratings
                attempt.reasons = judgement_reasons(criteria, ticked, ratings)
                attempt.comment, attempt.judged_by = judge.cleaned_data["comment"], user
                attempt.judged_at = entry.judged_at or entry.started_at
        if entry.updates and key != rounds.TRIAL:
            problems.append(f"{where}.updates: only a trial project has weekly updates.")
            continue
        updates = [TrialUpdate(body=u.body, created_at=u.created_at) for u in entry.updates]
        rows.append((attempt, updates))
    return rows, problems


def write_hiring(rows: Rows) -> dict[str, int]:
    """Write the attempts and their updates (each renders its markdown on save)."""
    if not rows:
        return {}
    for attempt, updates in rows:
        attempt.save()
        for update in updates:
            update.attempt = attempt
            update.save()
    return {
        "hiring_attempts": len(rows),
        "hiring_updates": sum(len(updates) for _, updates in rows),
    }


HIRING = Section(
    key="hiring",
    label="hiring rounds",
    entry=HiringBlock,
    many=False,
    with_reading=True,
    doc="`attempts` at the recruiters' rounds, oldest first: round (key), started_at, "
    "deadline, resume, resume_file, document (markdown), worksheet (the capacity "
    "inputs), images [{url, width, height}] (the take-home's diagrams: the url serves "
    "the image to the signed-in owner; images are not carried by an import), qualities, "
    "ratings, outcome (open / pass / not-yet), reasons, comment, judged_by_mentor, "
    "judged_at, updates [{body, created_at}] (a trial project's weekly updates). A "
    "resume is screened again on import; an outcome a mentor gave comes back open; the "
    "reasons are given again from the judgement.",
    export=lambda user: export_hiring(user, _base()),
    owned=lambda user: Attempt.objects.filter(learner=user),
    read=read_hiring,
    write=write_hiring,
)


def _base() -> str:
    """The site's address, for the diagrams' urls (a section's export is given only the
    user; SITE_URL is the address the site's emails use)."""
    return settings.SITE_URL
