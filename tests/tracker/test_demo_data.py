"""`manage.py make_demo_data`: realistic, deterministic benchmark data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from roadmap.models import Goal, Resource
from tracker import schedule
from tracker.models import (
    ItemLink,
    ItemProgress,
    ItemStatus,
    Plan,
    StudyLog,
    Submission,
    SubmissionEvent,
    User,
)
from tracker.progress import learner_progress

pytestmark = pytest.mark.django_db

DEMO_USERS = (
    Q(username__startswith="demo-bulk-")
    | Q(username__startswith="mentor-")
    | Q(username="showcase")
)


def make(**options) -> str:
    out = StringIO()
    call_command("make_demo_data", learners=20, mentors=2, seed=7, stdout=out, **options)
    return out.getvalue()


def snapshot() -> tuple[list, dict]:
    """What must not change between two runs with the same seed."""
    today = schedule.today_for("UTC")
    plans = sorted(
        (p.learner.username, (today - p.start_date).days, p.months, p.weekly_hours)
        for p in Plan.objects.filter(learner__in=User.objects.filter(DEMO_USERS)).select_related(
            "learner"
        )
    )
    items = dict(
        User.objects.filter(DEMO_USERS)
        .annotate(n=Count("item_progress"))
        .values_list("username", "n")
    )
    return plans, items


def test_counts_and_showcase():
    before = User.objects.count()
    output = make()
    assert User.objects.count() == before + 23
    assert "Demo data created in" in output

    bulk = User.objects.filter(username__startswith="demo-bulk-")
    assert bulk.count() == 20
    assert Plan.objects.filter(learner__in=bulk).count() == 20  # every bulk learner has one
    assert not Plan.objects.filter(learner__username__startswith="mentor-").exists()
    assert Plan.objects.filter(learner__in=User.objects.filter(DEMO_USERS)).count() == 21

    sam = User.objects.get(username="showcase")
    assert sam.display_name == "Sam Showcase"
    assert sam.check_password("rampup-demo")
    rows = ItemProgress.objects.filter(learner=sam)
    assert set(rows.exclude(goal=None).values_list("goal", flat=True)) == set(
        Goal.objects.current().values_list("pk", flat=True)
    )
    assert set(rows.exclude(resource=None).values_list("resource", flat=True)) == set(
        Resource.objects.current().values_list("pk", flat=True)
    )
    assert rows.filter(status=ItemStatus.CREDITED).exclude(credit_evidence="").count() == 2
    assert not rows.filter(status=ItemStatus.DONE, completed_at=None).exists()
    assert ItemLink.objects.filter(progress__learner=sam, url__startswith="https://").exists()

    submissions = Submission.objects.filter(learner=sam)
    assert submissions.count() == 5
    states = sorted(submissions.values_list("state", flat=True))
    assert states == ["approved"] * 3 + ["changes_requested", "submitted"]
    assert (
        submissions.filter(state="approved", self_approved=True).exclude(approved_at=None).count()
        == 3
    )
    for submission in submissions:
        assert submission.evidence_html
        assert 1 <= submission.links.count() <= 3
        events = list(submission.events.all())
        assert len(events) >= 3
        assert events[-1].to_state == submission.state or not events[-1].to_state
        times = [e.created_at for e in events]
        assert times == sorted(times) and times[0] < times[-1]

    assert StudyLog.objects.filter(learner=sam).count() >= 300
    today = schedule.today_for("UTC")
    progress = learner_progress(sam.plan, today=today)
    assert 50 <= progress.percent <= 100

    # Bulk learners: progress in phase order, study logs capped, timestamps in the past.
    assert ItemProgress.objects.filter(learner__in=bulk).exists()
    assert not ItemProgress.objects.filter(
        learner__in=bulk, status=ItemStatus.DONE, completed_at=None
    ).exists()
    per_learner = (
        StudyLog.objects.filter(learner__in=bulk).values("learner").annotate(n=Count("pk"))
    )
    assert max(row["n"] for row in per_learner) <= 120
    assert not SubmissionEvent.objects.filter(
        submission__learner__in=bulk, created_at__date__gte=today
    ).exists()


def test_deterministic_for_a_seed():
    make()
    first = snapshot()
    User.objects.filter(DEMO_USERS).delete()
    make()
    assert snapshot() == first
    assert len(first[0]) == 21


def test_refuses_twice_and_reset_starts_over():
    make()
    with pytest.raises(CommandError, match="fresh database"):
        make()
    make(reset=True)
    assert User.objects.filter(username__startswith="demo-bulk-").count() == 20
    assert User.objects.filter(username="showcase").count() == 1


def test_needs_the_roadmap(settings):
    settings.ROADMAP_KEY = "missing"
    with pytest.raises(CommandError, match="Load the roadmap first"):
        make()
    assert not User.objects.filter(username="showcase").exists()


def test_years_and_mentees_make_the_heaviest_learner_and_mentor_of_the_growth_bench():
    from tracker.models import Assessment, Mentorship, Review

    make(years=3, mentees=12)
    sam = User.objects.get(username="showcase")
    today = schedule.today_for("UTC")
    assert sam.plan.months == 24
    assert (today - sam.plan.start_date).days == 3 * 365
    assert StudyLog.objects.filter(learner=sam).count() == 990
    assert Assessment.objects.filter(learner=sam).count() == 36
    longest = max(Submission.objects.filter(learner=sam), key=lambda s: s.events.count())
    events = list(longest.events.order_by("pk"))
    assert len(events) > 200
    times = [e.created_at for e in events]
    assert times == sorted(times)
    oldest = Review.objects.filter(learner=sam).order_by("reviewed_at").first().reviewed_at
    assert (today - oldest.date()).days > 365  # practice spans the years, not one
    mentor = User.objects.get(username="mentor-01")
    assert Mentorship.objects.filter(mentor=mentor).count() == 13  # the showcase and 12


def test_bulk_learners_are_the_same_however_they_are_chunked(monkeypatch):
    from tracker.management.commands import make_demo_data

    make()
    first = snapshot()
    User.objects.filter(DEMO_USERS).delete()
    monkeypatch.setattr(make_demo_data, "CHUNK", 3)
    make()
    assert snapshot() == first


def test_the_growth_bench_swaps_the_showcase_and_the_mentees_in_place():
    from tracker.management.commands.make_demo_data import replace_showcase, set_mentees
    from tracker.models import Mentorship

    make()
    bulk = set(User.objects.filter(username__startswith="demo-bulk-").values_list("pk", flat=True))
    assert User.objects.get(username="showcase").plan.months == 12
    replace_showcase(years=3)
    set_mentees(4)
    sam = User.objects.get(username="showcase")
    assert sam.plan.months == 24 and sam.portfolio_public
    mentees = Mentorship.objects.filter(mentor__username="mentor-01")
    assert mentees.count() == 5 and mentees.filter(learner=sam).exists()
    assert (
        set(User.objects.filter(username__startswith="demo-bulk-").values_list("pk", flat=True))
        == bulk
    )
