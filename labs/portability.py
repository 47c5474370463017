"""Lab attempts in the account's JSON export and import: the `labs` section of the file
(tracker.portability.sections), registered by LabsConfig.ready.

An attempt travels with its scenario's key, its seed (which fixes the simulated cluster
on any site with the same scenario), the notebook, the diagnosis and every command in
order. The outcome is never taken from the file: the import scores the diagnosis again
from the runs, exactly as the site would have, so a file cannot claim a pass. Comments
come back only where the account's owner wrote them.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from pydantic import Field

from roadmap.lab_schema import COMMANDS
from roadmap.models import LabScenario
from tracker.models import User
from tracker.portability.schema import Key, Line, Past, Strict, Text, Username, _choices
from tracker.portability.sections import Reading, Section

from . import scoring
from . import telemetry as tel
from .models import RUNS_MAX, LabAttempt, LabComment, LabRun


class LabRunEntry(Strict):
    command: _choices(list(COMMANDS))
    node: Annotated[int, Field(ge=0, le=63)] | None
    ran_at: Past


class LabCommentEntry(Strict):
    author: Username | None
    body: Text(LabComment, "body")
    created_at: Past


class LabAttemptEntry(Strict):
    scenario: Key
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)]
    started_at: Past
    hypotheses: Text(LabAttempt, "hypotheses")
    remediation: Text(LabAttempt, "remediation")
    cause: Line(LabAttempt, "cause")
    submitted_at: Past | None
    outcome: _choices(["", *LabAttempt.Outcome.values]) = ""  # described, never imported
    runs: Annotated[list[LabRunEntry], Field(max_length=RUNS_MAX)]
    comments: Annotated[list[LabCommentEntry], Field(max_length=1000)] = []


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_attempts(user: User) -> list[dict[str, Any]]:
    """Every attempt of `user`'s, oldest first, with runs and the review thread."""
    attempts = (
        LabAttempt.objects.filter(learner=user)
        .select_related("scenario")
        .prefetch_related("runs", "comments__author")
        .order_by("started_at", "pk")
    )
    return [
        {
            "scenario": a.scenario.key,
            "seed": a.seed,
            "started_at": _iso(a.started_at),
            "hypotheses": a.hypotheses,
            "remediation": a.remediation,
            "cause": a.cause,
            "submitted_at": _iso(a.submitted_at),
            "outcome": a.outcome,
            "runs": [
                {"command": r.command, "node": r.node, "ran_at": _iso(r.ran_at)}
                for r in a.runs.all()
            ],
            "comments": [
                {
                    "author": c.author.username if c.author else None,
                    "body": c.body,
                    "created_at": _iso(c.created_at),
                }
                for c in a.comments.all()
            ],
        }
        for a in attempts
    ]


Rows = list[tuple[LabAttempt, list[LabRun], list[LabComment]]]


def read_attempts(
    user: User, entries: list[LabAttemptEntry], reading: Reading
) -> tuple[Rows, list[str]]:
    """Unsaved rows for every entry, and every problem found (nothing written here)."""
    if not entries:
        return [], []
    scenarios = {s.key: s for s in LabScenario.objects.filter(roadmap=reading.roadmap)}
    me, missing, counts = reading.username, reading.missing, reading.counts
    rows: Rows = []
    problems: list[str] = []
    for n, entry in enumerate(entries):
        where = f"labs[{n}]"
        scenario = scenarios.get(entry.scenario)
        if scenario is None:
            label = f"lab scenario {entry.scenario}"
            if label not in missing:
                missing.append(label)
            continue
        spec = scenario.spec
        runs = []
        for i, run in enumerate(entry.runs):
            if run.command not in spec["commands"]:
                problems.append(f"{where}.runs[{i}].command: {scenario.key} has no {run.command}.")
            node = run.node if COMMANDS.get(run.command, ("", "cluster"))[1] == "node" else None
            if COMMANDS.get(run.command, ("", ""))[1] == "node" and (
                node is None or node >= spec["cluster"]["nodes"]
            ):
                problems.append(f"{where}.runs[{i}].node: not a node of {scenario.key}.")
            runs.append(LabRun(order=i + 1, command=run.command, node=node, ran_at=run.ran_at))
        keys = {c["key"] for c in scoring.choices(spec)}
        if entry.submitted_at is not None and entry.cause not in keys:
            problems.append(f"{where}.cause: {entry.cause!r} is not a cause in {scenario.key}.")
        attempt = LabAttempt(
            learner=user,
            scenario=scenario,
            seed=entry.seed,
            started_at=entry.started_at,
            hypotheses=entry.hypotheses,
            remediation=entry.remediation,
            cause=entry.cause if entry.submitted_at is not None else "",
            submitted_at=entry.submitted_at,
        )
        comments = []
        for c in entry.comments:
            if me is None or c.author != me:
                counts["others_events_dropped"] += 1
                continue
            comment = LabComment(author=user, body=c.body, created_at=c.created_at)
            comment.render_html()
            comments.append(comment)
        rows.append((attempt, runs, comments))
    return rows, problems


@transaction.atomic
def write_attempts(rows: Rows) -> dict[str, int]:
    """Score each submitted diagnosis again from its runs, exactly as the site would have
    (the file's outcome is never taken), then write the rows; counts of what was
    written (none for a file without labs). Called only once the whole file is sound."""
    if not rows:
        return {}
    for attempt, runs, comments in rows:
        if attempt.submitted_at is not None:
            t = tel.generate(attempt.scenario.spec, attempt.seed)
            done = [scoring.Run(r.command, r.node) for r in runs]
            attempt.outcome = scoring.assess(attempt.scenario.spec, t, done, attempt.cause).outcome
        attempt.save()
        for row in (*runs, *comments):
            row.attempt = attempt
        LabRun.objects.bulk_create(runs)
        LabComment.objects.bulk_create(comments)
    return {
        "lab_attempts": len(rows),
        "lab_runs": sum(len(r) for _, r, _ in rows),
        "lab_comments": sum(len(c) for _, _, c in rows),
    }


LABS = Section(
    key="labs",
    label="lab attempts",
    entry=LabAttemptEntry,
    doc="GPU-debugging lab attempts, oldest first: scenario (key), seed (fixes the "
    "simulated cluster), started_at, hypotheses, remediation, cause (key), submitted_at, "
    "outcome (for information: an import scores the diagnosis again), runs [{command, "
    "node (index, or null for a cluster command), ran_at}] in the order run, comments "
    "[{author, body, created_at}] (only the owner's come back).",
    export=export_attempts,
    owned=lambda user: LabAttempt.objects.filter(learner=user),
    read=read_attempts,
    write=write_attempts,
    with_reading=True,
)
