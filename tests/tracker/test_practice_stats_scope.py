"""Practice stats read only the learner's own cards and reviews, and are cached: their
cost does not grow with other learners' data, nor does the public portfolio's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roadmap.models import Question
from tests.conftest import make_user
from tracker.cache import bump_learner
from tracker.models import Card, Review
from tracker.practice import practice_stats
from tracker.schedule import today_for

pytestmark = pytest.mark.django_db


def practise(user, questions: int, reviews: int) -> None:
    """`reviews` reviews on each of `questions` cards of `user` (bulk: no signals)."""
    now = timezone.now()
    cards = Card.objects.bulk_create(
        Card(learner=user, question=q) for q in Question.objects.current()[:questions]
    )
    Review.objects.bulk_create(
        Review(
            learner=user,
            card=c,
            rating=1 + i % 4,
            reviewed_at=now,
            due_before=now,
            due_after=now,
        )
        for c in cards
        for i in range(reviews)
    )


def plans(queries) -> list[str]:
    """SQLite's plan for each query: SEARCH … USING INDEX reads only matching rows, SCAN
    reads the whole table. (PostgreSQL picks a sequential scan for tables this small
    whatever the indexes, so there the plans are not compared.)"""
    if connection.vendor != "sqlite":
        return []
    found = []
    with connection.cursor() as cursor:
        for q in queries:
            cursor.execute("EXPLAIN QUERY PLAN " + q["sql"])
            found += [row[-1] for row in cursor.fetchall()]
    return found


def measure(learner):
    practice_stats(learner, today_for(learner.time_zone))  # the content caches
    with CaptureQueriesContext(connection) as ctx:
        stats = practice_stats(learner, today_for(learner.time_zone))
    return stats, [q["sql"] for q in ctx.captured_queries], plans(ctx.captured_queries)


def test_the_stats_read_only_the_learners_own_rows(learner):
    practise(learner, questions=5, reviews=3)
    before, sql, plan = measure(learner)
    assert (before.reviews, before.answered) == (15, 5)
    # No full scan of the tables every learner writes to: only index searches.
    assert not [p for p in plan if p.startswith("SCAN") and ("review" in p or "card" in p)], plan
    for i in range(30):  # other learners practise a lot
        practise(make_user(f"busy{i}"), questions=20, reviews=10)
    after, sql_after, plan_after = measure(learner)
    assert (after.reviews, after.answered, after.by) == (before.reviews, before.answered, before.by)
    assert sql_after == sql and plan_after == plan  # the same queries, the same plans


def test_the_stats_page_is_cached_until_the_learner_practises(
    learner_client, learner, django_assert_num_queries
):
    practise(learner, questions=2, reviews=2)
    learner_client.get("/practice/stats/")  # content and badge caches
    bump_learner(learner.pk)
    # session; user (+plan); reviews counted by question (through the cards, with the
    # questions' facets); the last 12 weeks' reviews; the ratings' qualities by week (the
    # qualities chart); unread notifications (the badge); the dimensions from the content
    # cache
    with django_assert_num_queries(6):
        assert "4" in learner_client.get("/practice/stats/").content.decode()
    with django_assert_num_queries(2):  # session; user (+plan): the stats from the cache
        learner_client.get("/practice/stats/")
    Card.objects.filter(learner=learner).first().save()  # a practice write…
    with django_assert_num_queries(5):  # …builds them again (the badge stays cached)
        learner_client.get("/practice/stats/")


def test_the_portfolio_costs_the_same_however_big_the_site(client, learner, plan):
    learner.portfolio_public = True
    learner.save()
    practise(learner, questions=3, reviews=2)

    def cold() -> int:
        bump_learner(learner.pk)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/u/{learner.username}/").status_code == 200
        return len(ctx)

    client.get(f"/u/{learner.username}/")  # content caches
    small = cold()
    for i in range(20):
        practise(make_user(f"busy{i}"), questions=10, reviews=5)
    assert cold() == small
