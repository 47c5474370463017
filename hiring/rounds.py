"""The hiring process as a path: each round (content), the dimensions it tests (rubric
data), the learner's attempts, and the evidence a passed round gives.

Which dimensions a round tests is the rubric's data: a dimension's `builds.rounds` in
rubric.toml names the rounds that show it ("recruiter-screen/trial-project"). Read from
the cached rubric, so it costs no query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.apps import apps
from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Q, Value
from django.urls import NoReverseMatch, reverse

from roadmap import content
from roadmap.models import Dimension, HiringRound
from tracker.evidence import Evidence, Row, Source, columns
from tracker.models import User
from tracker.prepared import Prepared

from .models import Attempt

# What each round is rehearsed with here. Rounds not listed are shown, not rehearsed.
RESUME = "resume-screen"
TECHNICAL = "technical-screen"
GPU = "gpu-infrastructure-screening"
TAKE_HOME = "infrastructure-design-take-home"
DEBUGGING = "live-gpu-debugging"
SCALE = "scale-architecture-discussion"
TRIAL = "trial-project"
TIMED = {TECHNICAL: 30, GPU: 30, SCALE: 45}
REHEARSED = (RESUME, TECHNICAL, GPU, TAKE_HOME, SCALE, TRIAL)
# The order a learner rehearses them in: the recruiter's first.
PATH = (RESUME, TECHNICAL, GPU, TAKE_HOME, DEBUGGING, SCALE, TRIAL)


def dimensions_by_round() -> dict[str, list[Dimension]]:
    """round key -> the rubric dimensions it tests, in rubric order."""
    rubric = content.rubric()
    found: dict[str, list[Dimension]] = defaultdict(list)
    for dimension in rubric.dimensions.all() if rubric else []:
        for ref in dimension.builds.get("rounds", []):
            key = ref["key"] if isinstance(ref, dict) else ref
            found[key.rsplit("/", 1)[-1]].append(dimension)
    return dict(found)


def labs_url() -> str | None:
    """The GPU-debugging lab, once its app is installed (another app, maybe absent)."""
    try:
        return reverse("labs:index")
    except NoReverseMatch:
        return None


def lab_passed(user: User) -> bool:
    """Whether the learner solved a GPU-debugging lab with a sound method: the live
    debugging round, passed (the labs app, maybe absent). One query."""
    if not user.is_authenticated or not apps.is_installed("labs"):
        return False
    from labs.models import LabAttempt

    return LabAttempt.objects.owned_by(user).filter(outcome=LabAttempt.Outcome.PASSED).exists()


def _passed_query(user_id: int):
    """The builder of `passed_round_keys`' query: the learner's own rows (`owned_by`, by
    id so that it compiles once)."""
    rounds = (
        Attempt.objects.filter(learner=user_id, outcome=Attempt.Outcome.PASS)
        .order_by()
        .values_list("round__key", flat=True)
    )
    if not apps.is_installed("labs"):
        return rounds
    from labs.models import LabAttempt

    labs = (
        LabAttempt.objects.filter(learner=user_id, outcome=LabAttempt.Outcome.PASSED)
        .order_by()
        .annotate(round_key=Value(DEBUGGING, output_field=CharField()))
        .values_list("round_key", flat=True)
    )
    return rounds.union(labs)


# Compiled once: building the union cost the dashboard more than running it.
_PASSED = Prepared(_passed_query, ("id",))


def passed_round_keys(user: User) -> set[str]:
    """The keys of the rounds passed, the live debugging round for a solved lab
    (`lab_passed`) among them: what `readiness` reads, in one query."""
    if not user.is_authenticated:
        return set()
    return {key for (key,) in _PASSED.rows(Attempt, user.pk)}


@dataclass
class Step:
    round: HiringRound
    dimensions: list[Dimension]
    attempts: list[Attempt] = field(default_factory=list)
    rehearse_url: str | None = None
    solved_in_lab: bool = False  # the debugging round: a lab solved (labs app)

    @property
    def passed(self) -> bool:
        return self.solved_in_lab or any(a.outcome == Attempt.Outcome.PASS for a in self.attempts)

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[0] if self.attempts else None


def rehearse_url(key: str) -> str | None:
    if key == RESUME:
        return reverse("hiring:resume")
    if key == DEBUGGING:
        return labs_url()
    if key in REHEARSED:
        return reverse("hiring:start", args=[key])
    return None


def path_for(user: User) -> list[tuple[object, list[Step]]]:
    """Every process with its rounds as steps; the user's attempts on each, and whether
    they solved a lab (two queries, none for an anonymous visitor)."""
    market = content.market()
    dims = dimensions_by_round()
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    if user.is_authenticated:
        for a in Attempt.objects.owned_by(user).only(
            "pk",
            "round_id",
            "outcome",
            "reasons",
            "started_at",
            "judged_by_id",
            "learner_id",
            "judged_at",
        ):
            attempts[a.round_id].append(a)
    solved = lab_passed(user)
    return [
        (
            process,
            [
                Step(
                    r,
                    dims.get(r.key, []),
                    attempts.get(r.pk, []),
                    rehearse_url(r.key),
                    solved_in_lab=solved and r.key == DEBUGGING,
                )
                for r in process.rounds.all()
            ],
        )
        for process in market["processes"]
    ]


def _passed_rows(user: User):
    return columns(
        Attempt.objects.owned_by(user).filter(outcome=Attempt.Outcome.PASS),
        "round",
        key=F("round__key"),
        title=F("round__title"),
        # As Attempt.verified: judged by someone other than the learner.
        flag=ExpressionWrapper(
            Q(judged_by__isnull=False) & ~Q(judged_by=F("learner")), output_field=BooleanField()
        ),
        at=F("judged_at"),
        at2=F("started_at"),
    )


def _passed_build(rows: list[Row]) -> list[Evidence]:
    """Each passed round, once per dimension it tests, the latest judged first. A
    mentor's pass is verified; a self-judged one is not."""
    dims = dimensions_by_round()
    out = []
    seen: set[tuple[str, int]] = set()
    never = datetime.min.replace(tzinfo=UTC)
    for row in sorted(rows, key=lambda r: (r.at or never, r.pk), reverse=True):
        for dimension in dims.get(row.key, []):
            if (row.key, dimension.pk) in seen and not row.flag:
                continue
            seen.add((row.key, dimension.pk))
            who = "a mentor" if row.flag else "self-judged"
            out.append(
                Evidence(
                    dimension=dimension.key,
                    title=f"Passed the {row.title.lower()} ({who})",
                    url=reverse("hiring:attempt", args=[row.pk]),
                    kind="round",
                    verified=bool(row.flag),
                    on=(row.at or row.at2).date(),
                )
            )
    return out


# Evidence provider (tracker.evidence): its rows come in the one query of every source's.
passed_rounds_evidence = Source("round", _passed_rows, _passed_build)


@dataclass
class Readiness:
    passed: list[str]  # round titles passed
    next_round: HiringRound | None
    resume_passed: bool
    screen_passed: bool
    strong: bool

    @property
    def ready(self) -> bool:
        return self.resume_passed and self.screen_passed and self.strong


def readiness(user: User, *, strong: bool, passed: set[str] | None = None) -> Readiness:
    """Ready to apply = the resume screen passes, a technical screen is passed and the
    rubric verdict is strong (`strong`, from the assessment). Two queries, none when the
    keys of the rounds passed are given (`passed`, e.g. from `passed_round_keys`)."""
    rounds = {
        r.key: r
        for process in content.market()["processes"]
        for r in process.rounds.all()
        if r.key in PATH
    }
    if passed is not None:
        passed_keys = set(passed)
    else:
        passed_keys = set(
            Attempt.objects.owned_by(user)
            .filter(outcome=Attempt.Outcome.PASS)
            .values_list("round__key", flat=True)
        )
        if lab_passed(user):
            passed_keys.add(DEBUGGING)
    next_key = next((k for k in PATH if k not in passed_keys and k in rounds), None)
    return Readiness(
        passed=[rounds[k].title for k in PATH if k in passed_keys and k in rounds],
        next_round=rounds.get(next_key) if next_key else None,
        resume_passed=RESUME in passed_keys,
        screen_passed=bool({TECHNICAL, GPU} & passed_keys),
        strong=strong,
    )
