"""Spacing: the interval each rating button shows is the interval the rating gives;
Again comes back the same day; desired retention moves intervals the expected way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from roadmap.models import Question
from tracker import schedule, spacing
from tracker.models import Card, Review
from tracker.practice import answer_rate, answer_save, build_queue

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def rate(user, question, rating, when, retention=None):
    if retention is not None:
        user.desired_retention = retention
        user.save(update_fields=["desired_retention"])
    answer = answer_save(user=user, question=question, body="x", submit=True, reveal=True, now=when)
    return answer_rate(answer=answer, covered=[], qualities=[], rating=rating, now=when)


card_states = st.one_of(
    st.just((fsrs.State.Learning, None, None)),  # never rated
    st.tuples(
        st.sampled_from([fsrs.State.Learning, fsrs.State.Relearning]),
        st.floats(0.1, 50),
        st.floats(1, 10),
    ),
    st.tuples(st.just(fsrs.State.Review), st.floats(0.1, 3000), st.floats(1, 10)),
)


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    state=card_states,
    since=st.integers(0, 400 * 24 * 60),  # minutes since the last review
    reps=st.integers(0, 40),
    rating=st.sampled_from([1, 2, 3, 4]),
    retention=st.sampled_from([0.8, 0.85, 0.9, 0.95]),
    fuzz=st.booleans(),
)
def test_the_interval_a_button_shows_is_the_interval_the_rating_gives(
    learner, state, since, reps, rating, retention, fuzz
):
    question = Question.objects.current().first()
    kind, stability, difficulty = state
    last = NOW - timedelta(minutes=since) if stability is not None else None
    Card.objects.filter(learner=learner, question=question).delete()
    card = Card.objects.create(
        learner=learner,
        question=question,
        state=kind.value,
        step=0 if kind != fsrs.State.Review else None,
        stability=stability,
        difficulty=difficulty,
        due=NOW,
        last_review=last,
        reps=reps if stability is not None else 0,
    )
    learner.desired_retention = retention
    with override_settings(PRACTICE_FUZZ=fuzz):
        shown = {p.rating: p.interval for p in spacing.previews(card, NOW, retention)}
        review = rate(learner, question, rating, NOW, retention)
    assert review.due_after - NOW == shown[rating]
    card.refresh_from_db()
    assert card.due == NOW + shown[rating]


def test_buttons_read_like_ankis(learner):
    card = Card(learner=learner, question=Question.objects.current().first(), due=NOW)
    texts = [p.text for p in spacing.previews(card, NOW, 0.9)]
    assert texts[0] == "10 min"  # Again: later today
    assert texts[2].endswith(" d")  # Good: days
    assert [spacing.interval_text(timedelta(**kw)) for kw in ({"hours": 5}, {"days": 75})] == [
        "5 h",
        "2.5 mo",
    ]


def test_a_relearning_card_comes_back_the_same_day_after_the_cards_due_now(learner):
    first, second, third = Question.objects.current()[:3]
    rate(learner, first, 3, NOW - timedelta(days=20))
    when = Card.objects.get(question=first).due  # due now: a review card
    for q in (second, third):
        Card.objects.create(learner=learner, question=q, due=when - timedelta(hours=1), reps=1)
    review = rate(learner, first, 1, when)
    card = Card.objects.get(question=first)
    assert card.state == fsrs.State.Relearning.value
    assert timedelta(0) < review.due_after - when <= timedelta(minutes=10)
    today = when.astimezone(schedule.zone_for(learner.time_zone)).date()
    queue = build_queue(learner, today)
    # Still in today's queue, after the two that were due before it.
    assert [c.question_id for c in queue.reviews] == [second.pk, third.pk, first.pk]
    # Good on its return graduates it to days.
    back = rate(learner, first, 3, review.due_after)
    assert back.due_after - review.due_after >= timedelta(days=1)
    assert Review.objects.filter(card=card).count() == 3


def test_again_on_a_new_card_brings_it_back_today(learner):
    question = Question.objects.current().first()
    review = rate(learner, question, 1, NOW)
    assert review.due_after - NOW == timedelta(minutes=10)


@pytest.mark.parametrize("rating", [2, 3, 4])
def test_higher_desired_retention_gives_shorter_intervals(learner, rating):
    question = Question.objects.current().first()
    card = Card(
        learner=learner,
        question=question,
        state=fsrs.State.Review.value,
        stability=20.0,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - timedelta(days=20),
        reps=4,
    )
    intervals = [
        {p.rating: p.interval for p in spacing.previews(card, NOW, r)}[rating]
        for r in (0.8, 0.9, 0.95)
    ]
    assert intervals[0] > intervals[1] > intervals[2]


def test_reviews_a_day_grow_with_desired_retention(learner):
    questions = Question.objects.current()[:20]
    Card.objects.bulk_create(
        Card(learner=learner, question=q, stability=5.0 + i, difficulty=5.0, due=NOW, reps=2)
        for i, q in enumerate(questions)
    )
    low, mid, high = (spacing.retention_estimate(learner, r) for r in (0.8, 0.9, 0.95))
    assert low < mid < high
    assert spacing.retention_estimate(learner.__class__(pk=0), 0.9) is None


def test_the_queue_says_how_many_are_left_in_this_session(learner_client, learner):
    from django.utils import timezone

    question = Question.objects.current().first()
    rate(learner, question, 1, timezone.now())
    body = learner_client.get("/practice/").content.decode()
    # The card rated Again plus the new questions still within today's cap.
    assert (
        "<strong>5</strong> still due in this session, 1 of them coming back after a rating" in body
    )
    assert "Again · back" in body


def test_desired_retention_is_set_in_settings_with_its_cost_shown(learner_client, learner):
    assert learner.desired_retention == 0.9
    body = learner_client.get("/settings/").content.decode()
    assert "Desired retention" in body and "higher means shorter intervals" in body
    assert '<option value="0.9" selected>90%</option>' in body
    Card.objects.bulk_create(
        Card(learner=learner, question=q, stability=3.0, difficulty=5.0, due=NOW, reps=1)
        for q in Question.objects.current()[:30]
    )
    body = learner_client.get("/settings/").content.decode()
    estimate = spacing.retention_estimate(learner, 0.95)
    assert f"95% · about {estimate} reviews a day" in body
    data = {"time_zone": "UTC", "daily_new_cap": 5, "daily_review_cap": 30}
    learner_client.post("/settings/", {**data, "desired_retention": "0.85"})
    learner.refresh_from_db()
    assert learner.desired_retention == 0.85
    # Out of range: refused at the field, and every other value typed is kept.
    response = learner_client.post(
        "/settings/", {**data, "display_name": "Lena K", "desired_retention": "0.99"}
    )
    body = response.content.decode()
    assert "0.99" in body and "not one of the available choices" in body
    assert 'value="Lena K"' in body
    learner.refresh_from_db()
    assert learner.desired_retention == 0.85
    # An older form without the field keeps the setting.
    learner_client.post("/settings/", data)
    learner.refresh_from_db()
    assert learner.desired_retention == 0.85
