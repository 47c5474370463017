"""Progress computed in one place: weights, skipped items, milestone credit, schedule, pace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from roadmap.models import Phase
from tests.conftest import make_plan
from tracker.progress import (
    WEIGHT_GOAL,
    WEIGHT_MILESTONE,
    WEIGHT_RESOURCE,
    learner_progress,
)
from tracker.services import (
    item_set_status,
    submission_save_evidence,
    submission_start,
    submission_transition,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(db) -> Phase:
    return Phase.objects.current().first()


def _phase_weight(phase: Phase) -> int:
    return (phase.goals.count() * WEIGHT_GOAL + phase.resources.count() * WEIGHT_RESOURCE
            + WEIGHT_MILESTONE)  # fmt: skip


def test_a_new_plan_has_no_progress(plan):
    progress = learner_progress(plan, today=plan.start_date + timedelta(days=60))
    assert progress.fraction == 0
    assert [p.percent for p in progress.phases] == [0] * 5
    assert progress.forecast is None


def test_done_and_credited_goals_count_by_weight_and_phase_length(learner, plan, first):
    goals = list(first.goals.all())
    item_set_status(learner=learner, item=goals[0], status="done")
    item_set_status(learner=learner, item=goals[1], status="credited", evidence="3 years of it")
    item_set_status(learner=learner, item=goals[2], status="doing")
    progress = learner_progress(plan, today=plan.start_date)
    expected_phase = 2 * WEIGHT_GOAL / _phase_weight(first)
    assert progress.phases[0].fraction == pytest.approx(expected_phase)
    total_weeks = sum(p.weeks for p in Phase.objects.current())
    assert progress.fraction == pytest.approx(expected_phase * first.weeks / total_weeks)


def test_skipped_items_leave_the_sum(learner, plan, first):
    resources = list(first.resources.all())
    for r in resources:
        item_set_status(learner=learner, item=r, status="skipped")
    for g in first.goals.all():
        item_set_status(learner=learner, item=g, status="done")
    progress = learner_progress(plan, today=plan.start_date)
    done = first.goals.count() * WEIGHT_GOAL
    assert progress.phases[0].fraction == pytest.approx(done / (done + WEIGHT_MILESTONE))


def test_a_submitted_milestone_counts_half_and_an_approved_one_in_full(learner, plan, first):
    submission = submission_start(learner=learner, milestone=first.milestones.get())
    submission_save_evidence(submission=submission, evidence="My cluster.", links=[])
    submission_transition(submission=submission, actor=learner, to_state="submitted")
    half = learner_progress(plan, today=plan.start_date).phases[0].fraction
    assert half == pytest.approx(WEIGHT_MILESTONE * 0.5 / _phase_weight(first))
    submission_transition(submission=submission, actor=learner, to_state="approved")
    full = learner_progress(plan, today=plan.start_date).phases[0].fraction
    assert full == pytest.approx(WEIGHT_MILESTONE / _phase_weight(first))


def test_everything_done_is_100_percent_and_finished(learner, plan):
    for phase in Phase.objects.current():
        for item in (*phase.goals.all(), *phase.resources.all()):
            item_set_status(learner=learner, item=item, status="done")
        submission = submission_start(learner=learner, milestone=phase.milestones.get())
        submission_save_evidence(submission=submission, evidence="Done.", links=[])
        submission_transition(submission=submission, actor=learner, to_state="submitted")
        submission_transition(submission=submission, actor=learner, to_state="approved")
    progress = learner_progress(plan, today=plan.start_date + timedelta(days=10))
    assert progress.percent == 100
    assert progress.status.state == "finished"


def test_schedule_says_behind_when_progress_lags_the_calendar(learner):
    plan = make_plan(learner, days_ago=90, months=12)
    progress = learner_progress(plan, today=plan.start_date + timedelta(days=90))
    assert progress.status.state == "behind"
    assert progress.status.label == f"Behind by {progress.status.days} days"
    assert 85 <= progress.status.days <= 95


def test_schedule_says_ahead_when_progress_outruns_the_calendar(learner, first):
    plan = make_plan(learner, days_ago=1, months=12)
    for item in (*first.goals.all(), *first.resources.all()):
        item_set_status(learner=learner, item=item, status="done")
    progress = learner_progress(plan, today=plan.start_date + timedelta(days=1))
    assert progress.status.state == "ahead"


def test_forecast_uses_the_pace_of_the_last_four_weeks(learner, plan, first):
    goal = first.goals.first()
    row = item_set_status(learner=learner, item=goal, status="done")
    today = plan.start_date + timedelta(days=60)
    progress = learner_progress(plan, today=today)
    assert progress.forecast is not None and progress.forecast > today
    # The same completion two months ago is outside the window: no pace, no forecast.
    row.completed_at = timezone.now() - timedelta(days=60)
    row.save()
    assert learner_progress(plan, today=today).forecast is None


def test_progress_costs_a_fixed_number_of_queries(learner, plan, first, django_assert_num_queries):
    for goal in first.goals.all():
        item_set_status(learner=learner, item=goal, status="done")
    learner_progress(plan, today=plan.start_date)  # warms the content cache
    # item progress; submissions
    with django_assert_num_queries(2):
        learner_progress(plan, today=plan.start_date)
