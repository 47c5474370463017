"""The mentor's home at 1, 50 and 200 mentees: the queue first, 50 mentees a page, rows
cached per mentee (one mentee's write rebuilds one row), no stampede of rebuilds, and
query counts that do not grow with the mentees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from roadmap import content
from roadmap.models import Goal, Milestone, Roadmap
from tests.conftest import make_user
from tracker import mentees
from tracker.cache import AREAS, PRACTICE, bump_learner, per_learner
from tracker.models import (
    Assessment,
    ItemProgress,
    Mentorship,
    Plan,
    Score,
    Submission,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor(db) -> User:
    """Mentors every learner made by `add_mentees`."""
    return make_user("mia", email="mia@example.com")


def add_mentees(mentor: User, n: int, start: int = 0) -> list[User]:
    """`n` mentees with a plan, a goal done and a milestone waiting: bulk rows (no
    signals; the tests bump versions themselves)."""
    users = User.objects.bulk_create(
        User(username=f"mentee{i:03}", display_name=f"Mentee {i:03}")
        for i in range(start, start + n)
    )
    roadmap = Roadmap.objects.get(key=settings.ROADMAP_KEY)
    today = timezone.localdate()
    Plan.objects.bulk_create(
        Plan(learner=u, roadmap=roadmap, start_date=today - timedelta(days=60), months=12)
        for u in users
    )
    goal, milestone = Goal.objects.current().first(), Milestone.objects.current().first()
    ItemProgress.objects.bulk_create(
        ItemProgress(learner=u, goal=goal, status="done", completed_at=timezone.now())
        for u in users
    )
    Submission.objects.bulk_create(
        Submission(
            learner=u,
            milestone=milestone,
            state="submitted",
            submitted_at=timezone.now() - timedelta(hours=n - k),
        )
        for k, u in enumerate(users)
    )
    Mentorship.objects.bulk_create(Mentorship(learner=u, mentor=mentor) for u in users)
    return users


def forget_rows(mentor: User) -> None:
    for learner_id in Mentorship.objects.filter(mentor=mentor).values_list("learner", flat=True):
        bump_learner(learner_id)
    bump_learner(mentor.pk)


@pytest.mark.parametrize("many", [1, 50, 200])
def test_query_counts_are_flat_cold_and_warm(client, mentor, many, django_assert_num_queries):
    first = add_mentees(mentor, many)[0]
    # One mentee self-assessed, so the verdict's scores are read.
    self_assessed = Assessment.objects.create(learner=first, rater=first, role="self")
    for dimension in content.rubric().dimensions.all():
        Score.objects.create(assessment=self_assessed, dimension=dimension, score=3)
    client.force_login(mentor)
    client.get("/mentor/")  # warms the content cache
    forget_rows(mentor)
    # session; user (+plan); mentorships (+learner); the queue (+milestone, phase);
    # the page's mentees (+plan, last log, last review, their latest self and latest
    # mentor assessments); their item progress; their submissions; those assessments'
    # scores (the verdict takes a mentor's score where one was given; none read when
    # nobody was assessed); unread notifications
    with django_assert_num_queries(9):
        assert client.get("/mentor/").status_code == 200
    # session; user (+plan); mentorships (+learner); the queue: the rows from the cache
    with django_assert_num_queries(4):
        assert client.get("/mentor/").status_code == 200


def test_fifty_mentees_a_page_those_waiting_first(client, mentor):
    waiting = add_mentees(mentor, 3)
    quiet = add_mentees(mentor, 57, start=3)
    Submission.objects.filter(learner__in=quiet).update(state="draft", submitted_at=None)
    # The oldest wait first: mentee002 has waited longest of the three.
    Submission.objects.filter(learner=waiting[2]).update(
        submitted_at=timezone.now() - timedelta(days=9)
    )
    client.force_login(mentor)
    body = client.get("/mentor/").content.decode()
    assert "Mentees 1–50 of 60" in body and 'href="?page=2" rel="next"' in body
    order = [body.index(f"/mentor/{u.username}/") for u in (waiting[2], waiting[0], waiting[1])]
    assert order == sorted(order)
    assert body.index("/mentor/mentee001/") < body.index("/mentor/mentee003/")
    assert "/mentor/mentee053/" not in body
    second = client.get("/mentor/?page=2").content.decode()
    assert "/mentor/mentee053/" in second and "/mentor/mentee059/" in second
    assert "/mentor/mentee001/" not in second and 'rel="prev"' in second
    # The queue is the same on every page, and a page past the end is the last one.
    assert f"/milestones/{Submission.objects.get(learner=waiting[2]).pk}/" in second
    assert "/mentor/mentee059/" in client.get("/mentor/?page=99").content.decode()
    assert client.get("/mentor/?page=abc").status_code == 200


def test_one_mentees_write_rebuilds_only_their_row(mentor, monkeypatch):
    add_mentees(mentor, 5)
    users = mentees.mentees_of(mentor)
    built: list[set[int]] = []
    real = mentees._build_rows

    def spy(learners):
        built.append({u.id for u in learners})
        return real(learners)

    monkeypatch.setattr(mentees, "_build_rows", spy)
    mentees.mentee_rows(users)
    assert built == [{u.id for u in users}]
    ItemProgress.objects.filter(learner=users[3].id).first().save()  # a write bumps progress
    rows = mentees.mentee_rows(users)
    assert built[1:] == [{users[3].id}]
    assert set(rows) == {u.id for u in users}
    mentees.mentee_rows(users)
    assert len(built) == 2  # all fresh again: nothing rebuilt


def test_a_stale_row_is_rebuilt_by_one_request_while_others_serve_it(db):
    calls = []

    def build(ids):
        calls.append(ids)
        return dict.fromkeys(ids, f"built {len(calls)}")

    def rows():
        return per_learner("test-row", [1], areas=AREAS, stamps={1: "x"}, build=build)

    assert rows() == {1: "built 1"}
    bump_learner(1, (PRACTICE,))
    # Another request holds the rebuild: this one serves the stale row, builds nothing.
    from django.core.cache import cache

    assert cache.add("test-row:1:lock", 1, 10)
    assert rows() == {1: "built 1"} and len(calls) == 1
    cache.delete("test-row:1:lock")
    assert rows() == {1: "built 2"}  # the lock is free: this request rebuilds…
    assert cache.get("test-row:1:lock") is None  # …and lets it go
    assert rows() == {1: "built 2"} and len(calls) == 2


def test_a_learner_writing_continuously_rebuilds_their_row_once_a_period(db):
    from django.core.cache import cache

    calls = []

    def build(ids):
        calls.append(ids)
        return dict.fromkeys(ids, f"built {len(calls)}")

    def rows():
        return per_learner(
            "test-row", [1], areas=AREAS, stamps={1: "x"}, build=build, rebuild_every=60
        )

    assert rows() == {1: "built 1"}  # never built: built at once
    bump_learner(1, (PRACTICE,))
    assert rows() == {1: "built 2"}  # stale: rebuilt, and the period starts
    bump_learner(1, (PRACTICE,))
    assert rows() == {1: "built 2"} and len(calls) == 2  # within the period: served stale
    cache.delete("test-row:1:lock")  # the period is over
    assert rows() == {1: "built 3"}


def test_a_mentees_new_name_shows_in_their_row(client, mentor):
    (mentee,) = add_mentees(mentor, 1)
    client.force_login(mentor)
    assert "Mentee 000" in client.get("/mentor/").content.decode()
    mentee.display_name = "Mentee Renamed"
    mentee.save()
    body = client.get("/mentor/").content.decode()
    assert "Mentee Renamed" in body and "Mentee 000" not in body


def test_rows_show_progress_schedule_last_activity_and_verdict(client, mentor):
    (mentee,) = add_mentees(mentor, 1)
    client.force_login(mentor)
    body = client.get("/mentor/").content.decode()
    row = body[body.index("/mentor/mentee000/") :]
    row = row[: row.index("</tr>")]
    assert "%" in row and "schedule-" in row and "not assessed" in row
    assert timezone.localdate().strftime("%-d %b") in row
