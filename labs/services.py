"""Writes to lab attempts: start, run a command, save the notebook, submit, comment.
Each is keyword-only and atomic where it touches several rows."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from roadmap.lab_schema import COMMANDS
from roadmap.models import LabScenario
from tracker.cache import bump_learner
from tracker.mentoring import notify
from tracker.models import User

from . import scoring
from . import telemetry as tel
from .models import RUNS_MAX, LabAttempt, LabComment, LabRun

SEED_TRIES = 20


def telemetry_for(attempt: LabAttempt) -> tel.Telemetry:
    return tel.generate(attempt.scenario.spec, attempt.seed)


def runs_of(attempt: LabAttempt, runs: list[LabRun] | None = None) -> list[scoring.Run]:
    rows = runs if runs is not None else list(attempt.runs.all())
    return [scoring.Run(r.command, r.node) for r in rows]


def _fresh_seed(spec: dict, previous: int | None) -> int:
    """A seed whose node and GPU differ from the previous attempt's: a retry is a new
    puzzle, not the answer already known."""
    before = tel.draw(spec, previous) if previous is not None else None
    seed = secrets.randbelow(2**31)
    for _ in range(SEED_TRIES):
        drawn = tel.draw(spec, seed)
        if before is None or (drawn.node, drawn.gpu) != (before.node, before.gpu):
            break
        seed = secrets.randbelow(2**31)
    return seed


@transaction.atomic
def attempt_start(*, learner: User, scenario: LabScenario) -> LabAttempt:
    previous = (
        LabAttempt.objects.owned_by(learner)
        .filter(scenario=scenario)
        .order_by("-started_at", "-pk")
        .values_list("seed", flat=True)
        .first()
    )
    return LabAttempt.objects.create(
        learner=learner, scenario=scenario, seed=_fresh_seed(scenario.spec, previous)
    )


def _closed(attempt: LabAttempt) -> None:
    if not attempt.is_open:
        raise ValidationError("This attempt is finished: start a new one to run commands.")


@transaction.atomic
def attempt_run(*, attempt: LabAttempt, command: str, node: int | None) -> LabRun:
    """Record one command run, after the ones before it."""
    attempt = LabAttempt.objects.select_for_update().get(pk=attempt.pk)
    _closed(attempt)
    spec = attempt.scenario.spec
    if command not in spec["commands"]:
        raise ValidationError("This lab has no such command.")
    if COMMANDS[command][1] == "node":
        if node is None or not 0 <= node < spec["cluster"]["nodes"]:
            raise ValidationError("Choose a node to run it on.")
    else:
        node = None
    last = attempt.runs.aggregate(last=Max("order"))["last"] or 0
    if last >= RUNS_MAX:
        raise ValidationError(f"An attempt holds at most {RUNS_MAX} commands.")
    return LabRun.objects.create(attempt=attempt, order=last + 1, command=command, node=node)


def attempt_save_notes(*, attempt: LabAttempt, hypotheses: str, remediation: str) -> None:
    if not attempt.is_open:
        return
    attempt.hypotheses, attempt.remediation = hypotheses, remediation
    attempt.save(update_fields=["hypotheses", "remediation"])


@transaction.atomic
def attempt_submit(
    *, attempt: LabAttempt, cause: str, remediation: str, hypotheses: str
) -> scoring.Feedback:
    """Close the attempt with its diagnosis; the outcome is computed, never claimed."""
    attempt = LabAttempt.objects.select_for_update().select_related("scenario").get(pk=attempt.pk)
    _closed(attempt)
    spec = attempt.scenario.spec
    feedback = scoring.assess(spec, telemetry_for(attempt), runs_of(attempt), cause)
    attempt.cause, attempt.remediation, attempt.hypotheses = cause, remediation, hypotheses
    attempt.outcome = feedback.outcome
    attempt.submitted_at = timezone.now()
    attempt.save()
    # A passed lab is evidence on the assessment page, which is cached per learner version.
    bump_learner(attempt.learner_id)
    transaction.on_commit(lambda: bump_learner(attempt.learner_id))
    return feedback


def attempt_comment(*, attempt: LabAttempt, author: User, body: str) -> LabComment:
    """A comment in the review thread; the other side is notified."""
    comment = LabComment.objects.create(attempt=attempt, author=author, body=body)
    if author.pk != attempt.learner_id:
        notify(
            attempt.learner,
            "comment",
            f"{author.shown_name} commented on your lab “{attempt.scenario.title}”",
            attempt.get_absolute_url(),
        )
    return comment
