"""Progress computed in one place: weights, skipped items, milestone credit, schedule, pace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from roadmap.models import Background, Phase, Roadmap
from tests.conftest import make_plan, make_user
from tracker import schedule
from tracker.mentoring import invite_accept, invite_create
from tracker.plans import item_set_status, plan_save
from tracker.progress import (
    WEIGHT_GOAL,
    WEIGHT_MILESTONE,
    WEIGHT_RESOURCE,
    learner_progress,
    plan_schedule,
)
from tracker.submissions import submission_save_evidence, submission_start, submission_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(db) -> Phase:
    return Phase.objects.current().first()


def _phase_weight(phase: Phase) -> int:
    return (
        phase.goals.count() * WEIGHT_GOAL
        + phase.resources.count() * WEIGHT_RESOURCE
        + WEIGHT_MILESTONE
    )


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


# --- credits: progress, never pace; they shorten their phases (issue 12, item 8) ------------


def _devops_plan(learner, *, days_ago: int = 0, months: int = 12):
    devops = Background.objects.get(key="devops-sre")
    return plan_save(
        learner=learner,
        roadmap=Roadmap.objects.get(key=settings.ROADMAP_KEY),
        start_date=schedule.today_for(learner.time_zone) - timedelta(days=days_ago),
        months=months,
        background=devops,
        weekly_hours=10,
        credits={g: "Five years as an SRE" for g in devops.credit_goals.all()},
    )


def test_credits_count_as_progress_but_never_as_pace(learner):
    plan = _devops_plan(learner)
    progress = learner_progress(plan, today=plan.start_date)
    assert progress.fraction > 0
    assert progress.forecast is None
    # Credited on day one is where the plan starts, not "ahead by N days".
    assert progress.status.state == "on-track"
    assert progress.credited == pytest.approx(progress.fraction)
    assert progress.pace == 0
    assert progress.planned_series()[0] == (plan.start_date, progress.credited)
    assert progress.forecast_explained.startswith("No progress since your plan started")


def test_work_done_still_counts_as_pace_beside_credits(learner, first):
    plan = _devops_plan(learner, days_ago=10)
    resource = first.resources.first()
    item_set_status(learner=learner, item=resource, status="done")
    progress = learner_progress(plan, today=schedule.today_for(learner.time_zone))
    gained = WEIGHT_RESOURCE / _phase_weight(first) * first.weeks / 32
    # An 11-day-old plan: the pace is over its 11 days, not diluted over four weeks.
    assert progress.pace_days == 11
    assert progress.pace == pytest.approx(gained * 7 / 11)
    assert progress.forecast is not None
    assert progress.forecast_explained.startswith(
        f"At your pace of the last 11 days ({progress.pace_percent} a week)"
    )


def test_crediting_phases_shortens_them_and_later_phases_get_the_time(learner):
    plain = make_plan(learner, days_ago=0, months=6)
    before = [pp.window for pp in learner_progress(plain, today=plain.start_date).phases]
    plan = _devops_plan(learner, months=6)
    progress = learner_progress(plan, today=plan.start_date)
    after = [pp.window for pp in progress.phases]
    assert after[0].days < before[0].days and after[1].days < before[1].days
    assert all(a.days > b.days for a, b in zip(after[2:], before[2:], strict=True))
    credited = [pp.credited_share for pp in progress.phases]
    assert credited[0] > 0 and credited[1] > 0 and credited[2:] == [0, 0, 0]
    assert after[0].start == plan.start_date and after[-1].end == before[-1].end
    # Each credited phase shrinks by its credited weight: phase 1 keeps what is not credited.
    total = (progress.end - plan.start_date).days
    left = [pp.phase.weeks * (1 - float(pp.credited_share)) for pp in progress.phases]
    assert abs(after[0].days - total * left[0] / sum(left)) <= 1


def test_every_page_shows_the_same_credited_schedule(client, learner):
    plan = _devops_plan(learner, days_ago=20, months=6)
    mentor = make_user("mia", email="mia@example.com")
    invite_accept(invite=invite_create(learner=learner), user=mentor)
    today = schedule.today_for(learner.time_zone)
    progress = learner_progress(plan, today=today)
    windows = [pp.window for pp in progress.phases]
    assert windows == [w for _, w in plan_schedule(plan)]
    client.force_login(learner)
    dashboard = client.get("/dashboard/").content.decode()
    plan_page = client.get("/plan/").content.decode()
    ics = client.get("/plan/calendar.ics").content.decode()
    for w in windows:
        assert f"{w.start:%-d %b} – {w.end:%-d %b %y}" in dashboard
        assert f"{w.start:%-d %b %Y} – {w.end:%-d %b %Y} ({w.days} days)" in plan_page
        assert f"DTSTART;VALUE=DATE:{w.start:%Y%m%d}" in ics
    assert progress.status.label in dashboard
    assert "What you were credited for takes no calendar time" in plan_page
    client.force_login(mentor)
    mentee = client.get(f"/mentor/{learner.username}/").content.decode()
    assert progress.status.label in mentee and f"{progress.percent}%" in mentee
