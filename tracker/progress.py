"""Progress and schedule, computed in one place and shown the same everywhere.

Weights: within a phase a goal counts 3, a resource 1 and the milestone 4 (the
milestone is the proof, a goal is the substance, a resource is a means to it).
Done and credited items count in full; a submitted milestone counts half, an
approved one in full; skipped items leave the sum altogether.

Credits (what the learner already knew, e.g. from a background preset) count as
progress but not as work done in time: they are the learner's from the plan's
start, never count towards the pace (the forecast), and shorten their phase in
the calendar (`schedule.phase_windows`), so the rest of the plan gets the time. A phase's share
of the whole is its length in weeks, so overall progress and the plan's
calendar use the same yardstick: on a 12-month plan, finishing phase 1 (4 of
32 weeks) is 12.5% of the way.

`learner_progress()` costs two queries whatever the data size — the learner's
item progress and submissions — on top of the cached content (roadmap.content).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Q
from django.utils.dateformat import format as format_date

from roadmap import content
from roadmap.models import Goal, Milestone, Phase, Resource

from . import schedule
from .models import ItemProgress, ItemStatus, Plan, Submission
from .prepared import Prepared, columns

WEIGHT_GOAL = 3
WEIGHT_RESOURCE = 1
WEIGHT_MILESTONE = 4
COUNTED = {ItemStatus.DONE, ItemStatus.CREDITED}
MILESTONE_CREDIT = {Submission.State.SUBMITTED: 0.5, Submission.State.APPROVED: 1.0}


@dataclass
class PhaseProgress:
    phase: Phase
    goals: list[tuple[Goal, ItemProgress | ItemState | None]]
    resources: list[tuple[Resource, ItemProgress | ItemState | None]]
    milestone: Milestone | None
    submission: Submission | None
    done_weight: float = 0.0
    total_weight: float = 0.0
    credited_weight: int = 0
    # Set once every phase's credit is known (the windows depend on all of them).
    window: schedule.PhaseWindow | None = None

    @property
    def credited_share(self) -> Fraction:
        """The share of this phase's weight that was credited, exactly."""
        return (
            Fraction(self.credited_weight, int(self.total_weight))
            if self.total_weight
            else (Fraction(0))
        )

    @property
    def fraction(self) -> float:
        return self.done_weight / self.total_weight if self.total_weight else 1.0

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)

    @property
    def goals_done(self) -> int:
        return sum(1 for _, p in self.goals if p and p.status in COUNTED)

    @property
    def next_goals(self) -> list[Goal]:
        return [g for g, p in self.goals if not p or p.status in {"todo", "doing"}]


@dataclass
class LearnerProgress:
    plan: Plan
    today: date
    phases: list[PhaseProgress]
    fraction: float
    status: schedule.ScheduleStatus
    forecast: date | None
    end: date
    # (date, cumulative fraction) each time progress was made, oldest first.
    history: list[tuple[date, float]] = field(default_factory=list)
    credited: float = 0.0  # share of the whole credited: given from the start
    pace: float = 0.0  # share of the whole done a week over the last `pace_days`, credits aside
    pace_days: int = schedule.PACE_WINDOW_DAYS
    needed: float | None = None  # share a week that still finishes on time

    @property
    def last_day(self) -> date:
        """The plan's last day (`end` is the day after it)."""
        return self.end - schedule.ONE_DAY

    @property
    def credited_percent(self) -> int:
        return int(self.credited * 100)

    @property
    def pace_percent(self) -> str:
        return _percent(self.pace)

    @property
    def needed_percent(self) -> str:
        return _percent(self.needed or 0.0)

    @property
    def forecast_explained(self) -> str:
        """One line that says where the forecast comes from and what on time takes."""
        end = format_date(self.last_day, "j M Y")
        if self.status.state == "finished":
            return "You have finished the roadmap."
        if self.forecast is None:
            since = (
                "since your plan started"
                if self.pace_days < schedule.PACE_WINDOW_DAYS
                else f"in the last {self.pace_days} days"
            )
            pace = f"No progress {since}, so there is no forecast yet"
        else:
            pace = (
                f"At your pace of the last {_days(self.pace_days)} ({self.pace_percent} a "
                f"week) you would finish on {format_date(self.forecast, 'j M Y')}"
            )
        if self.needed is None:
            return f"{pace}; your plan ended on {end}."
        if self.today < self.plan.start_date:
            return f"Your plan starts on {format_date(self.plan.start_date, 'j M Y')}; to finish by {end} you will need {self.needed_percent} a week."  # noqa: E501
        return f"{pace}; to finish on time ({end}) you need {self.needed_percent} a week."

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)

    @property
    def current(self) -> PhaseProgress | None:
        """The phase to work on: the first one not finished, else the last."""
        return next(
            (p for p in self.phases if p.fraction < 1), self.phases[-1] if self.phases else None
        )

    def planned_series(self) -> list[tuple[date, float]]:
        # Credits are given from the start; the rest is planned evenly (see schedule).
        return [(self.plan.start_date, self.credited), (self.end, 1.0)]

    def actual_series(self) -> list[tuple[date, float]]:
        points = [(self.plan.start_date, 0.0)]
        points += [(d, f) for d, f in self.history if d >= self.plan.start_date]
        points.append((min(self.today, self.end), self.fraction))
        return points


def _days(n: int) -> str:
    return "day" if n == 1 else f"{n} days"


def _percent(share: float) -> str:
    """A share of the whole as a percentage people can compare: one decimal below 10%."""
    value = share * 100
    if 0 < value < 0.1:
        return "under 0.1%"
    if value >= 10:
        return f"{value:.0f}%"
    return f"{value:.1f}%".replace(".0%", "%")


class ItemState(NamedTuple):
    """What progress reads of one item's progress row (all `compute_progress` and the
    pages showing a learner's progress use): no note, no credit, no model instance."""

    goal_id: int | None
    resource_id: int | None
    status: str
    completed_at: datetime | None

    @property
    def kind(self) -> str:  # as ItemProgress.kind
        return "goal" if self.goal_id else "resource"

    def get_status_display(self) -> str:  # as ItemProgress's
        return ItemStatus(self.status).label


# The learner's item states and submissions, compiled once (their ORM construction cost
# the dashboard about as much as reading them); whole submissions, which pages link to.
_ITEM_STATES = Prepared(
    lambda learner_id: ItemProgress.objects.filter(learner=learner_id).values_list(
        *ItemState._fields
    ),
    ("id",),
)
_SUBMISSION_ROWS = Prepared(
    lambda learner_id: Submission.objects.filter(learner=learner_id).values_list(
        *columns(Submission)
    ),
    ("id",),
)


def learner_progress(plan: Plan, *, today: date) -> LearnerProgress:
    rows = [ItemState(*row) for row in _ITEM_STATES.rows(ItemProgress, plan.learner_id)]
    submissions = _SUBMISSION_ROWS.instances(Submission, plan.learner_id)
    return compute_progress(plan, rows, submissions, today=today)


# What progress and a credit's review read of an item's progress: not the note (its
# markdown costs most to load of all); the other fields stay deferred.
SHOWN_ITEM_FIELDS = columns(
    ItemProgress,
    only={
        "id",
        "goal_id",
        "resource_id",
        "status",
        "credit_evidence",
        "credit_review",
        "completed_at",
    },
)
# Compiled once (tracker.prepared): plain, but built on every cold page all the same.
_SHOWN_ITEMS = Prepared(
    lambda learner_id: ItemProgress.objects.filter(learner=learner_id).values_list(
        *SHOWN_ITEM_FIELDS
    ),
    ("id",),
)


def progress_items(learner_id: int) -> list[ItemProgress]:
    """The learner's item progress for `compute_progress` and the credits a page shows,
    with only those columns (`SHOWN_ITEM_FIELDS`; the rest deferred): one query."""
    return _SHOWN_ITEMS.instances(ItemProgress, learner_id)


def progress_for_many(plans: list[Plan], *, today: date) -> dict[int, LearnerProgress]:
    """Progress of many learners at once (a mentor's mentees): two queries in all."""
    ids = [p.learner_id for p in plans]
    rows: dict[int, list] = defaultdict(list)
    for row in ItemProgress.objects.filter(learner__in=ids):
        rows[row.learner_id].append(row)
    subs: dict[int, list] = defaultdict(list)
    for sub in Submission.objects.filter(learner__in=ids).select_related("milestone__phase"):
        subs[sub.learner_id].append(sub)
    return {
        p.learner_id: compute_progress(p, rows[p.learner_id], subs[p.learner_id], today=today)
        for p in plans
    }


def compute_progress(
    plan: Plan,
    rows: Sequence[ItemProgress | ItemState],
    submission_rows: list[Submission],
    *,
    today: date,
) -> LearnerProgress:
    phases = content.phases()
    by_goal = {p.goal_id: p for p in rows if p.goal_id}
    by_resource = {p.resource_id: p for p in rows if p.resource_id}
    submissions = {s.milestone_id: s for s in submission_rows}
    total_weeks = sum(p.weeks for p in phases) or 1

    gains: dict[date, float] = defaultdict(float)  # day -> share of the whole gained
    paced: dict[date, float] = defaultdict(float)  # the same, for work done (not credits)
    result: list[PhaseProgress] = []
    for phase in phases:
        milestone = next(iter(phase.milestones.all()), None)
        pp = PhaseProgress(
            phase=phase,
            goals=[(g, by_goal.get(g.pk)) for g in phase.goals.all()],
            resources=[(r, by_resource.get(r.pk)) for r in phase.resources.all()],
            milestone=milestone,
            submission=submissions.get(milestone.pk) if milestone else None,
        )
        # (day or None for "from the start", weight, is it work done in time?)
        credits: list[tuple[date | None, float, bool]] = []
        for items, weight in ((pp.goals, WEIGHT_GOAL), (pp.resources, WEIGHT_RESOURCE)):
            for _, p in items:
                if p and p.status == ItemStatus.SKIPPED:
                    continue
                pp.total_weight += weight
                if p and p.status == ItemStatus.CREDITED:
                    # Known before the plan: the learner's from its start, not pace.
                    pp.credited_weight += weight
                    credits.append((None, weight, False))
                elif p and p.status in COUNTED:
                    credits.append(
                        (p.completed_at.date() if p.completed_at else None, weight, True)
                    )
        if milestone:
            pp.total_weight += WEIGHT_MILESTONE
            s = pp.submission
            if s and s.state in MILESTONE_CREDIT:
                when = s.approved_at if s.state == Submission.State.APPROVED else s.submitted_at
                credits.append(
                    (
                        when.date() if when else None,
                        WEIGHT_MILESTONE * MILESTONE_CREDIT[s.state],
                        True,
                    )
                )
        pp.done_weight = sum(w for _, w, _ in credits)
        share = phase.weeks / total_weeks
        for day, weight, in_time in credits:
            if pp.total_weight:
                gain = weight / pp.total_weight * share
                gains[day or plan.start_date] += gain
                if in_time and day is not None:
                    paced[day] += gain
        result.append(pp)

    windows = schedule.phase_windows(
        plan.start_date,
        plan.months,
        [p.weeks for p in phases],
        [pp.credited_share for pp in result],
    )
    for pp, window in zip(result, windows, strict=True):
        pp.window = window
    credited = min(
        1.0, sum(float(pp.credited_share) * pp.phase.weeks for pp in result) / total_weeks
    )
    fraction = min(1.0, sum(p.fraction * p.phase.weeks for p in result) / total_weeks)
    end = schedule.plan_end(plan.start_date, plan.months)
    history, running = [], 0.0
    for day in sorted(gains):
        running += gains[day]
        history.append((day, min(running, 1.0)))
    window = schedule.pace_window(plan.start_date, today)
    since = today - timedelta(days=window)
    gained = sum(v for d, v in paced.items() if since < d <= today)
    return LearnerProgress(
        plan=plan,
        today=today,
        phases=result,
        fraction=fraction,
        status=schedule.schedule_status(
            actual=fraction,
            start=plan.start_date,
            end_exclusive=end,
            today=today,
            credited=credited,
        ),
        forecast=schedule.forecast_finish(
            actual=fraction, gained_last_28_days=gained, today=today, window_days=window
        ),
        end=end,
        history=history,
        credited=credited,
        pace=schedule.weekly_pace(gained, window),
        pace_days=window,
        needed=schedule.needed_pace(
            actual=fraction, start=plan.start_date, end_exclusive=end, today=today
        ),
    )


def plan_schedule(plan: Plan) -> list[tuple[Phase, schedule.PhaseWindow]]:
    """Each phase with its dates, credits taken into account: one query (the learner's
    item progress), so the plan page and the calendar feed agree with the dashboard."""
    rows = list(ItemProgress.objects.filter(learner=plan.learner_id))
    return plan_schedule_from(plan, rows)


def plan_schedule_from(
    plan: Plan, rows: list[ItemProgress]
) -> list[tuple[Phase, schedule.PhaseWindow]]:
    """`plan_schedule` for rows already at hand (milestones never change the dates)."""
    progress = compute_progress(plan, rows, [], today=plan.start_date)
    return [(pp.phase, pp.window) for pp in progress.phases]


@dataclass
class PhaseRows:
    """What the phase page shows a learner: each item with their progress on it."""

    goals: list[dict]
    resources: list[dict]
    retired: list[dict]
    submission: Submission | None


def phase_rows(user, phase: Phase, milestone: Milestone | None) -> PhaseRows:
    """Rows for the phase page; retired items the learner touched stay in their history.

    Two queries (progress with links; the submission) on top of the phase's own.
    """
    rows = (
        ItemProgress.objects.owned_by(user)
        .filter(Q(goal__phase=phase) | Q(resource__phase=phase))
        .prefetch_related("links")
    )
    by_goal = {p.goal_id: p for p in rows if p.goal_id}
    by_resource = {p.resource_id: p for p in rows if p.resource_id}
    goals = [{"kind": "goal", "item": g, "progress": by_goal.get(g.pk)} for g in phase.goals.all()]
    resources = [
        {"kind": "resource", "item": r, "progress": by_resource.get(r.pk)}
        for r in phase.resources.all()
    ]
    active = {g.pk for g in phase.goals.all()}, {r.pk for r in phase.resources.all()}
    # Rows on items no longer in the cached (active) content: retired, fetched only then.
    retired = [
        {"kind": p.kind, "item": p.item, "progress": p, "retired": True}
        for p in rows
        if (p.goal_id and p.goal_id not in active[0])
        or (p.resource_id and p.resource_id not in active[1])
    ]
    submission = (
        Submission.objects.owned_by(user).filter(milestone=milestone).first() if milestone else None
    )
    return PhaseRows(goals, resources, retired, submission)
