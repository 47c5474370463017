"""The four qualities: stored with every rating, charted by week, shown in the mock
interview summary and to the mentor, who can add a rating of their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from roadmap.models import Question
from tracker import schedule
from tracker.models import Answer, MockInterview, Notification, Review
from tracker.practice import answer_rate, answer_reveal, answer_save, interview_finish
from tracker.qualities import quality_weeks

pytestmark = pytest.mark.django_db


def rated(learner, question, qualities, when=None, rating=3):
    when = when or timezone.now()
    answer = answer_save(
        user=learner, question=question, body="Mine", submit=True, reveal=True, now=when
    )
    answer_rate(answer=answer, covered=[0], qualities=qualities, rating=rating, now=when)
    return answer


def test_every_rating_stores_its_qualities(learner):
    q = Question.objects.current().first()
    rated(learner, q, ["systems-thinking", "specificity", "nonsense"])
    assert Review.objects.get().qualities == ["specificity", "systems-thinking"]


def test_rates_by_week_and_the_stats_chart(learner_client, learner):
    today = schedule.today_for(learner.time_zone)
    q1, q2, q3 = Question.objects.current()[:3]
    now = timezone.now()
    rated(learner, q1, ["specificity", "debugging-stories"], now - timedelta(weeks=3))
    rated(learner, q2, ["specificity"], now)
    rated(learner, q3, [], now)
    weeks = quality_weeks(learner, today)
    rates = dict(weeks.rates)
    assert len(weeks.weeks) == 12 and weeks.weeks[-1] <= today
    assert weeks.reviews[-1] == 2 and sum(weeks.reviews) == 3
    assert rates["Specificity"][-1] == 0.5 and rates["Debugging stories"][-1] == 0
    assert rates["Systems thinking"][0] is None  # no ratings that week: a gap, not 0%
    body = learner_client.get("/practice/stats/").content.decode()
    assert "What recruiters listen for" in body and 'class="chart chart-rates"' in body
    assert "Specificity 50%" in body  # the chart's description, read by screen readers
    assert '<th scope="col">Trade-off awareness</th>' in body  # …and the table


def test_the_interview_summary_shows_the_qualities_per_answer(learner_client, learner):
    learner_client.post("/interview/", {"kind": "technical-screen"})
    interview = MockInterview.objects.get()
    qid = interview.questions[0]
    learner_client.post(f"/interview/{interview.pk}/answer/{qid}/", {"body": "Walkthrough"})
    interview_finish(interview)
    answer = Answer.objects.get()
    answer_reveal(answer=answer)
    answer_rate(answer=answer, covered=[0], qualities=["trade-off-awareness"], rating=3)
    body = learner_client.get(f"/interview/{interview.pk}/").content.decode()
    assert '<th scope="col">Qualities</th>' in body
    assert '<span class="tag quality">Trade-off awareness</span>' in body


def test_the_mentor_sees_the_qualities_and_rates_next_to_the_learner(learner, mentor, other_mentor):
    q = Question.objects.current().first()
    answer = rated(learner, q, ["specificity"])
    client = Client()
    client.force_login(mentor)
    body = client.get(f"/mentor/{learner.username}/").content.decode()
    assert "They heard:" in body and '<span class="tag quality">Specificity</span>' in body
    url = f"/mentor/{learner.username}/answers/{answer.pk}/rate/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"rating": 2, "qualities": ["systems-thinking"]})
    assert response["Location"] == f"/mentor/{learner.username}/#answer-{answer.pk}"
    answer.refresh_from_db()
    assert (answer.rating, answer.mentor_rating) == (3, 2)  # the learner's own is untouched
    assert answer.mentor_qualities == ["systems-thinking"] and answer.mentor_rated_by == mentor
    assert Notification.objects.filter(user=learner, text__contains="rated your answer").exists()
    body = client.get(f"/mentor/{learner.username}/").content.decode()
    assert "mentor’s rating: <strong>Hard</strong>" in body and "The mentor heard:" in body
    # The learner sees it beside their own on the question page.
    own = Client()
    own.force_login(learner)
    assert "your mentor: <strong>Hard</strong>" in own.get(f"/practice/{q.key}/").content.decode()
    # A bad rating is refused with a message; another mentor gets 404.
    client.post(url, {"rating": 9})
    answer.refresh_from_db()
    assert answer.mentor_rating == 2
    outsider = Client()
    outsider.force_login(other_mentor)
    assert outsider.post(url, {"rating": 4}).status_code == 404
