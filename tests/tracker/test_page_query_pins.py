"""Query counts of the learner pages others see, cold (the learner just wrote) and warm,
the same at 1 and at 50 items: the mentee view and the public portfolio (the card's
pins: test_card_task).
(The dashboard, assessment, milestone thread and mentor home are pinned beside their
other tests.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roadmap.models import Goal, Milestone, Phase, Question
from tests.conftest import make_plan
from tracker.assessment import assessment_create
from tracker.cache import bump_learner
from tracker.models import Answer, Card, Review, StudyLog
from tracker.submissions import (
    submission_save_evidence,
    submission_start,
    submission_transition,
)

pytestmark = pytest.mark.django_db


def grow(learner, n: int) -> None:
    """`n` more of everything the pages show: goals done, study days, rated answers and
    reviews, assessments (bulk rows where signals do not matter; the test bumps)."""
    phase = Phase.objects.current().first()
    start = Goal.objects.filter(key__startswith="pin-").count()
    now = timezone.now()
    for i in range(start, start + n):
        Goal.objects.create(phase=phase, key=f"pin-{i}", order=200 + i, title=f"G{i}")
    from tracker.plans import item_set_status

    for goal in Goal.objects.filter(key__startswith="pin-", progress__isnull=True):
        item_set_status(learner=learner, item=goal, status="done")
    StudyLog.objects.bulk_create(
        StudyLog(learner=learner, date=now.date() - timedelta(days=i), minutes=20, what="w")
        for i in range(start, start + n)
    )
    questions = list(Question.objects.current().exclude(pk__in=Card.objects.values("question")))
    for q in questions[:n]:
        card = Card.objects.create(learner=learner, question=q)
        answer = Answer.objects.create(
            learner=learner, question=q, body="A", status="rated", rating=3, rated_at=now
        )
        Review.objects.create(
            learner=learner, card=card, answer=answer, rating=3, due_before=now, due_after=now
        )
    from roadmap import content

    scores = {d: (3, "") for d in content.rubric().dimensions.all()}
    for _ in range(min(n, 10)):
        assessment_create(learner=learner, rater=learner, role="self", scores=scores)
    bump_learner(learner.pk)


def approve_first_milestone(learner, mentor) -> None:
    milestone = Milestone.objects.current().order_by("phase__order").first()
    s = submission_start(learner=learner, milestone=milestone)
    submission_save_evidence(submission=s, evidence="Built", links=[("Repo", "https://x.test")])
    submission_transition(submission=s, actor=learner, to_state="submitted")
    submission_transition(submission=s, actor=mentor, to_state="approved")


def counts(client, url: str, learner) -> tuple[int, int]:
    client.get(url)  # content caches
    bump_learner(learner.pk)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(cold), len(warm)


@pytest.mark.parametrize(
    ("view", "cold", "warm"),
    [
        # session; user (+plan); the mentorship (+learner, plan, the pks of the latest
        # self-assessment and this mentor's latest: the scores part is cached under
        # them, so their scores are not read again); item progress; submissions; rated
        # answers (whether they have takes or comments: each answer's HTML is cached
        # under its own fields, so none is rendered again); the mentor's badge stays
        # cached: the learner's writes do not touch it — warm: session; user; the
        # mentorship
        ("mentee", 6, 3),
        # the learner (+plan, background); item progress; submissions (+milestone,
        # phase); the approved ones' links and images (one query); the latest self and
        # mentor scores; practice in numbers; study days (the streak); the evidence of every
        # provider (rounds passed, labs, contributions), one query between them — warm: the learner
        ("portfolio", 8, 1),
        # (the card: tests/tracker/test_card_task.py)
    ],
)
def test_pages_cost_the_same_at_1_and_50_items(client, learner, mentor, view, cold, warm):
    make_plan(learner)
    learner.portfolio_public = True
    learner.save()
    url = {
        "mentee": f"/mentor/{learner.username}/",
        "portfolio": f"/u/{learner.username}/",
    }[view]
    approve_first_milestone(learner, mentor)
    if view == "mentee":
        client.force_login(mentor)
    grow(learner, 1)
    small = counts(client, url, learner)
    grow(learner, 49)
    assert counts(client, url, learner) == small == (cold, warm)


def test_the_dashboard_with_everything_under_way_costs_10_queries_cold_and_2_warm(
    client, learner, mentor, django_assert_num_queries
):
    make_plan(learner)
    approve_first_milestone(learner, mentor)
    client.force_login(learner)
    for n in (1, 49):
        grow(learner, n)
        client.get("/dashboard/")  # content caches
        bump_learner(learner.pk)
        # session; user (+plan); unread notifications (the badge); the job search's
        # follow-ups; item progress; submissions; the latest self and mentor scores (the
        # verdict and the readiness panel alike); practice at a glance, one row of counts
        # (the next question from the cached content); the last 400 days' study log; the
        # readiness panel's rounds passed and labs solved, one query
        with django_assert_num_queries(10):
            assert client.get("/dashboard/").status_code == 200
        with django_assert_num_queries(2):  # session; user (+plan)
            client.get("/dashboard/")
