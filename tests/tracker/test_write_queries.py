"""Every write costs at most 10 queries, measured through HTTP: the view, the service,
its signals and notifications.

Transaction control is not counted: inside the test's transaction every atomic block
is a SAVEPOINT / RELEASE pair, which in production on PostgreSQL is no statement at all
(the transaction begins with the first query and commits with the connection's
commit). Every statement that reads or writes a row counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmap import content
from roadmap.models import Goal, Milestone, Question
from tests.conftest import make_plan
from tracker.mentoring import invite_create
from tracker.models import Answer, Submission
from tracker.practice import answer_save
from tracker.submissions import (
    submission_save_evidence,
    submission_start,
    submission_transition,
)

pytestmark = pytest.mark.django_db

WRITE_TARGET = 10


def count(client, url: str, data: dict | None = None, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data or {}, **kwargs)
    assert response.status_code in (200, 302), (url, response.status_code)
    return sum(
        1
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    )


@pytest.fixture
def mentored(learner, mentor):
    """A learner with a plan and a submitted milestone, and their mentor."""
    make_plan(learner)
    s = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    submission_save_evidence(submission=s, evidence="My cluster", links=[])
    submission_transition(submission=s, actor=learner, to_state="submitted")
    return s


def test_review_writes(client, learner, mentor, mentored):
    s = mentored
    client.force_login(mentor)
    counts = {
        "request changes": count(
            client,
            f"/milestones/{s.pk}/transition/",
            {"to": "changes_requested", "comment": "Add the *plan*"},
        )
    }
    client.force_login(learner)
    counts["resubmit"] = count(
        client,
        f"/milestones/{s.pk}/",
        {"evidence": "Fixed", "to": "submitted", "comment": "Added the plan"},
    )
    client.force_login(mentor)
    counts["comment"] = count(client, f"/milestones/{s.pk}/comment/", {"comment": "Nice"})
    counts["approve"] = count(client, f"/milestones/{s.pk}/transition/", {"to": "approved"})
    assert Submission.objects.get(pk=s.pk).state == "approved"
    assert max(counts.values()) <= WRITE_TARGET, counts


def test_learner_writes(learner_client, learner, plan):
    goal = Goal.objects.current().first()
    question = Question.objects.current().first()
    rubric = content.rubric()
    scores = {}
    for d in rubric.dimensions.all():
        scores[f"score_{d.pk}"] = 3
        scores[f"evidence_{d.pk}"] = "Built it"
    counts = {
        "goal status": count(
            learner_client, f"/progress/goal/{goal.pk}/status/", {"status": "done"}
        ),
        "goal status (htmx)": count(
            learner_client,
            f"/progress/goal/{goal.pk}/status/",
            {"status": "doing"},
            headers={"HX-Request": "true"},
        ),
        "note": count(learner_client, f"/progress/goal/{goal.pk}/note/", {"note": "my *note*"}),
        "link": count(
            learner_client,
            f"/progress/goal/{goal.pk}/links/",
            {"title": "Repo", "url": "https://example.com/x"},
        ),
        "log": count(
            learner_client,
            "/log/",
            {"date": date.today().isoformat(), "minutes": 25, "what": "Read"},
        ),
        "answer draft": count(
            learner_client, f"/practice/{question.key}/", {"action": "draft", "body": "A"}
        ),
        "answer submit": count(
            learner_client, f"/practice/{question.key}/", {"action": "submit", "body": "A"}
        ),
    }
    answer = Answer.objects.get(learner=learner)
    counts["rate"] = count(
        learner_client, f"/practice/answers/{answer.pk}/rate/", {"rating": 3, "covered": [0]}
    )
    counts["self-assessment"] = count(learner_client, "/assessment/", scores)
    milestone = Milestone.objects.current().first()
    counts["start milestone"] = count(learner_client, f"/milestones/start/{milestone.pk}/")
    s = Submission.objects.get(learner=learner)
    counts["evidence"] = count(learner_client, f"/milestones/{s.pk}/", {"evidence": "Built"})
    counts["submit"] = count(
        learner_client, f"/milestones/{s.pk}/", {"evidence": "Built", "to": "submitted"}
    )
    counts["self-approve"] = count(
        learner_client, f"/milestones/{s.pk}/transition/", {"to": "approved"}
    )
    counts["invite"] = count(learner_client, "/mentors/invite/")
    assert max(counts.values()) <= WRITE_TARGET, counts


def test_mentor_writes(client, learner, mentor, mentored):
    question = Question.objects.current().first()
    answer = answer_save(user=learner, question=question, body="A", submit=True)
    rubric = content.rubric()
    scores = {f"score_{d.pk}": 3 for d in rubric.dimensions.all()}
    client.force_login(mentor)
    counts = {
        "score mentee": count(client, f"/mentor/{learner.username}/", scores),
        "comment answer": count(
            client, f"/mentor/{learner.username}/answers/{answer.pk}/comment/", {"body": "Good"}
        ),
    }
    assert max(counts.values()) <= WRITE_TARGET, counts


def test_accepting_an_invite(client, learner):
    from tests.conftest import make_user

    invite = invite_create(learner=learner)
    client.force_login(make_user("newmentor"))
    assert count(client, f"/invite/{invite.token}/") <= WRITE_TARGET
