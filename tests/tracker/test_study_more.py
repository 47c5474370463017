"""Study more: sessions beyond the caps move only the questions rated in them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from roadmap.models import Phase, Question
from tracker.models import Answer, Card
from tracker.practice import answer_rate, answer_save

pytestmark = pytest.mark.django_db


def _schedule(learner):
    return {
        c.question_id: (c.due, c.state, c.step, c.stability, c.reps, c.last_review)
        for c in Card.objects.filter(learner=learner)
    }


def _seen(learner, questions, due):
    now = timezone.now()
    Card.objects.bulk_create(
        Card(
            learner=learner,
            question=q,
            due=due,
            reps=1,
            stability=4.0,
            difficulty=5.0,
            state=2,
            last_review=now - timedelta(days=3),
        )
        for q in questions
    )


def test_a_session_by_phase_leaves_every_other_card_alone(learner_client, learner):
    first, second = Phase.objects.current().order_by("order")[:2]
    later = timezone.now() + timedelta(days=9)  # nothing due today
    _seen(learner, Question.objects.current().filter(phase=first)[:4], later)
    _seen(learner, Question.objects.current().filter(phase=second)[:4], later)
    before = _schedule(learner)
    response = learner_client.post(
        "/practice/more/", {"action": "start", "kind": "seen", "phase": first.key}
    )
    assert response["Location"] == "/practice/more/"
    body = learner_client.get("/practice/more/").content.decode()
    listed = [q for q in Question.objects.current() if f'/practice/{q.key}/?session=1"' in body]
    assert len(listed) == 4 and all(q.phase_id == first.pk for q in listed)
    assert _schedule(learner) == before  # starting a session moves nothing
    chosen = listed[0]
    url = f"/practice/{chosen.key}/?session=1"
    learner_client.post(url, {"action": "submit", "body": "Ahead of time"})
    answer = Answer.objects.get()
    learner_client.post(f"/practice/answers/{answer.pk}/reveal/", {"session": "1"})
    response = learner_client.post(
        f"/practice/answers/{answer.pk}/rate/", {"rating": 3, "next": "/practice/more/"}
    )
    # On to the session's next question, still in the session.
    assert response["Location"] == f"/practice/{listed[1].key}/?session=1"
    after = _schedule(learner)
    assert after[chosen.pk] != before[chosen.pk]
    del after[chosen.pk], before[chosen.pk]
    assert after == before  # not one other card moved, in the phase or out of it
    body = learner_client.get("/practice/more/").content.decode()
    assert f"/practice/{chosen.key}/?session=1" not in body and "3 to go" in body


def test_extra_new_questions_beyond_the_daily_cap(learner_client, learner):
    learner.daily_new_cap = 0
    learner.save(update_fields=["daily_new_cap"])
    assert "New questions (0)" in learner_client.get("/practice/").content.decode()
    learner_client.post("/practice/more/", {"action": "start", "kind": "new", "level": "advanced"})
    body = learner_client.get("/practice/more/").content.decode()
    advanced = Question.objects.current().filter(level="advanced").order_by("phase__order", "order")
    assert f"/practice/{advanced[0].key}/?session=1" in body
    basic = Question.objects.current().filter(level="fundamentals").first()
    assert f"/practice/{basic.key}/" not in body
    assert not Card.objects.exists()


def test_my_weakest_dimension(learner_client, learner):
    response = learner_client.post(
        "/practice/more/", {"action": "start", "kind": "both", "dimension": "weakest"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "No ratings yet to tell your weakest" in body
    strong, weak = (
        Question.objects.current().filter(dimension__order=1).first(),
        Question.objects.current().filter(dimension__order=2).first(),
    )
    for question, rating in ((strong, 4), (weak, 1)):
        answer = answer_save(user=learner, question=question, body="x", submit=True, reveal=True)
        answer_rate(answer=answer, covered=[], qualities=[], rating=rating)
    response = learner_client.post(
        "/practice/more/",
        {"action": "start", "kind": "both", "dimension": "weakest"},
        follow=True,
    )
    body = response.content.decode()
    assert f"Your weakest dimension: {weak.dimension.name}" in body
    assert f"/practice/{weak.key}/?session=1" in body
    assert f"/practice/{strong.key}/?session=1" not in body


def test_ending_the_session_and_bad_input(learner_client):
    response = learner_client.post("/practice/more/", {"action": "start", "kind": "bogus"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    learner_client.post("/practice/more/", {"action": "start", "kind": "new"})
    assert "Your session" in learner_client.get("/practice/more/").content.decode()
    response = learner_client.post("/practice/more/", {"action": "end"})
    assert response["Location"] == "/practice/"
    assert "Your session" not in learner_client.get("/practice/more/").content.decode()
    # A forged session value in a rating's "next" goes nowhere odd.
    assert learner_client.get("/practice/more/?kind=<script>").status_code == 200
