"""Trust signals: the verdict takes a mentor's score, "mentor-confirmed" only where the
mentor scored at least as high, and a mentor's word on each credited goal."""

from __future__ import annotations

import pytest

from roadmap.models import Dimension, Goal
from tests.conftest import make_plan
from tracker.assessment import assessment_create
from tracker.models import ItemProgress
from tracker.plans import item_set_status
from tracker.trust import mentor_confirmed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("own", "mentor", "confirmed"),
    [(4, 3, False), (1, 5, True), (3, 3, True), (None, 4, False), (4, None, False)],
)
def test_a_mentor_confirms_only_by_scoring_at_least_as_high(own, mentor, confirmed):
    assert mentor_confirmed(own, mentor) is confirmed


def _self_scores(learner, score):
    dims = list(Dimension.objects.current())
    assessment_create(
        learner=learner, rater=learner, role="self", scores={d: (score, "") for d in dims}
    )
    return dims


def test_the_verdict_changes_when_a_mentor_scores(learner_client, learner, mentor):
    make_plan(learner)
    dims = _self_scores(learner, 3)
    page = learner_client.get("/assessment/").content.decode()
    assert "Strong candidate" in page.split('id="verdict-heading"')[1][:80]
    assert "Strong candidate" in learner_client.get("/dashboard/").content.decode()
    assessment_create(
        learner=learner, rater=mentor, role="mentor", scores={dims[0]: (2, ""), dims[1]: (2, "")}
    )
    page = learner_client.get("/assessment/").content.decode()
    assert "Not yet" in page.split('id="verdict-heading"')[1][:80]
    assert "mentor’s latest score stands in for yours on" in page and dims[0].name in page
    dashboard = learner_client.get("/dashboard/").content.decode()
    assert "Not yet" in dashboard and "with your mentor’s scores" in dashboard


def test_a_mentor_score_lower_than_self_never_shows_mentor_confirmed(client, learner, mentor):
    learner.portfolio_public = True
    learner.save()
    dims = _self_scores(learner, 5)
    assessment_create(
        learner=learner, rater=mentor, role="mentor", scores={d: (4, "") for d in dims}
    )
    body = client.get("/u/lena/").content.decode()
    assert "mentor-confirmed" not in body
    assert "The verdict uses the mentor’s score" in body


def _credit(learner) -> ItemProgress:
    make_plan(learner)
    goal = Goal.objects.current().first()
    return item_set_status(
        learner=learner, item=goal, status="credited", evidence="Ran K8s at work for 3 years"
    )


def test_a_mentor_confirms_a_credit_and_the_portfolio_says_so(client, learner, mentor):
    row = _credit(learner)
    learner.portfolio_public = True
    learner.save()
    assert "self-declared, not confirmed" in client.get("/u/lena/").content.decode()
    client.force_login(mentor)
    page = client.get("/mentor/lena/").content.decode()
    assert "Ran K8s at work for 3 years" in page and "Confirm" in page
    response = client.post(f"/mentor/lena/credits/{row.pk}/", {"decision": "confirmed"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.credit_review, row.credit_reviewed_by) == ("confirmed", mentor)
    client.logout()
    body = client.get("/u/lena/").content.decode()
    assert "mentor-confirmed" in body and "not confirmed" not in body


def test_a_changed_credit_needs_a_new_review(learner, mentor):
    row = _credit(learner)
    ItemProgress.objects.filter(pk=row.pk).update(credit_review="confirmed")
    row = item_set_status(
        learner=learner, item=row.goal, status="credited", evidence="Something else now"
    )
    row.refresh_from_db()
    assert row.credit_review == "" and row.credit_reviewed_by is None


def test_a_mentor_can_question_a_credit_but_not_invent_a_decision(client, learner, mentor):
    row = _credit(learner)
    client.force_login(mentor)
    client.post(f"/mentor/lena/credits/{row.pk}/", {"decision": "approved-forever"})
    row.refresh_from_db()
    assert row.credit_review == ""
    client.post(f"/mentor/lena/credits/{row.pk}/", {"decision": "questioned"})
    row.refresh_from_db()
    assert row.credit_review == "questioned"


@pytest.mark.parametrize("persona", ["learner", "other_mentor", "former_mentor", "other_learner"])
def test_only_the_active_mentor_reviews_credits(request, client, learner, persona):
    row = _credit(learner)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/mentor/lena/credits/{row.pk}/", {"decision": "confirmed"})
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.credit_review == ""


def test_the_mentor_home_verdict_takes_the_mentors_scores(client, learner, mentor):
    make_plan(learner)
    dims = _self_scores(learner, 3)
    client.force_login(mentor)
    assert "Strong candidate" in client.get("/mentor/").content.decode()
    assessment_create(
        learner=learner, rater=mentor, role="mentor", scores={dims[0]: (1, ""), dims[1]: (1, "")}
    )
    page = client.get("/mentor/").content.decode()
    assert "Strong candidate" not in page and "Not yet" in page


def test_the_mentee_page_has_no_credits_section_without_credits(client, learner, mentor):
    make_plan(learner)
    client.force_login(mentor)
    assert "Credits for prior experience" not in client.get("/mentor/lena/").content.decode()
