"""Query counts of the queue and the stats page stay the same at 1 and 500 reviews."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roadmap.models import Question
from tests.conftest import extra_questions
from tracker.cache import bump_learner
from tracker.models import Card, Review

pytestmark = pytest.mark.django_db


def _reviews(learner, n):
    """`n` cards, each with one review in the last weeks (none today), due now."""
    extra_questions(f"perf-{n}", n, order=2000, key_points=("a", "b"))
    now = timezone.now()
    cards = Card.objects.bulk_create(
        Card(
            learner=learner,
            question=q,
            due=now - timedelta(hours=1),
            reps=1,
            stability=3.0,
            difficulty=5.0,
            state=2,
            last_review=now - timedelta(days=3),
        )
        for q in Question.objects.filter(key__startswith=f"perf-{n}-")
    )
    Review.objects.bulk_create(
        Review(
            learner=learner,
            card=c,
            rating=1 + i % 4,
            qualities=["specificity"][: i % 2],
            reviewed_at=now - timedelta(days=1 + i % 80),
            was_new=True,
            due_before=now,
            due_after=now,
        )
        for i, c in enumerate(cards)
    )


@pytest.mark.parametrize("n", [1, 500])
def test_queue_query_count_at_1_and_500_reviews(
    learner_client, learner, n, django_assert_num_queries
):
    _reviews(learner, n)
    learner_client.get("/practice/")  # warms the content cache
    bump_learner(learner.pk)  # …and forgets the rendered queue
    # session; user (+plan); counts with today's reviews, one row; due cards (+question,
    # phase, dimension); new questions; leeches; unread notifications (the filter form's
    # phases and dimensions come from the content cache)
    with django_assert_num_queries(7):
        assert learner_client.get("/practice/").status_code == 200
    with django_assert_num_queries(2):  # warm: session; user (+plan)
        assert learner_client.get("/practice/").status_code == 200


@pytest.mark.parametrize("n", [1, 500])
def test_stats_query_count_at_1_and_500_reviews(
    learner_client, learner, n, django_assert_num_queries
):
    _reviews(learner, n)
    learner_client.get("/practice/stats/")  # warms the content cache
    bump_learner(learner.pk)  # …and forgets the learner's stats: cold, as after a rating
    # session; user (+plan); practice_stats' two queries on the learner's own reviews
    # (counted by question through their cards; the last 12 weeks' times); ratings with
    # their qualities (the qualities chart); unread notifications (phases and dimensions
    # come from the content cache)
    with django_assert_num_queries(6):
        response = learner_client.get("/practice/stats/")
    assert response.status_code == 200
    assert f'<p class="big">{n}</p>' in response.content.decode()
    # Warm: session; user (+plan); the stats from the cache
    with django_assert_num_queries(2):
        assert f'<p class="big">{n}</p>' in learner_client.get("/practice/stats/").content.decode()


def test_stats_read_only_the_learners_own_rows(learner_client, learner, other_learner):
    """Another learner's 500 reviews change neither the queries nor the rows read: every
    query on cards and reviews is bounded by this learner's id, and the figures match."""
    _reviews(learner, 3)

    def cold():
        learner_client.get("/practice/stats/")
        bump_learner(learner.pk)
        with CaptureQueriesContext(connection) as ctx:
            body = learner_client.get("/practice/stats/").content.decode()
        return [q["sql"] for q in ctx.captured_queries], body

    alone, body = cold()
    _reviews(other_learner, 500)
    crowded, crowded_body = cold()
    assert len(crowded) == len(alone)
    assert crowded_body.count('<p class="big">3</p>') == body.count('<p class="big">3</p>') >= 1
    on_practice = [q for q in crowded if "tracker_review" in q or "tracker_card" in q]
    assert on_practice
    for sql in on_practice:
        assert f'"learner_id" = {learner.pk}' in sql, sql
