"""The learner's data version: bumped by what pages show, not by bookkeeping saves."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, make_user
from tracker.cache import learner_version
from tracker.mentoring import invite_accept, invite_create

pytestmark = pytest.mark.django_db


def test_a_login_keeps_the_cached_pages_of_the_user_and_their_mentees(client, learner):
    mentor = make_user("mia")
    invite_accept(invite=invite_create(learner=learner), user=mentor)
    before = (learner_version(mentor.pk), learner_version(learner.pk))
    response = client.post("/accounts/login/", {"username": "mia", "password": PASSWORD})
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.last_login is not None  # the login did save last_login…
    # …and that changes nothing any page shows.
    assert (learner_version(mentor.pk), learner_version(learner.pk)) == before


def test_a_password_change_keeps_the_cached_pages(learner):
    before = learner_version(learner.pk)
    learner.set_password("another-long-passphrase")
    learner.save(update_fields=["password"])
    assert learner_version(learner.pk) == before


def test_a_name_change_still_renders_the_user_and_their_mentees_again(learner):
    mentor = make_user("mia")
    invite_accept(invite=invite_create(learner=learner), user=mentor)
    before = (learner_version(mentor.pk), learner_version(learner.pk))
    mentor.display_name = "Mia Mentor"
    mentor.save(update_fields=["display_name"])
    after = (learner_version(mentor.pk), learner_version(learner.pk))
    assert after[0] != before[0] and after[1] != before[1]


# --- versions per area -------------------------------------------------------------------


def test_a_write_bumps_only_its_own_area(learner):
    from roadmap.models import Question
    from tracker.cache import AREAS, PRACTICE
    from tracker.models import Card

    before = {a: learner_version(learner.pk, (a,)) for a in AREAS}
    Card.objects.create(learner=learner, question=Question.objects.current().first())
    after = {a: learner_version(learner.pk, (a,)) for a in AREAS}
    assert [a for a in AREAS if before[a] != after[a]] == [PRACTICE]


def test_a_practice_rating_leaves_the_dashboards_progress_cached(
    learner_client, learner, plan, monkeypatch
):
    from roadmap.models import Question
    from tracker.models import Card
    from tracker.views import dashboard

    learner_client.get("/dashboard/")  # every fragment cached
    computed = []
    real = dashboard.learner_progress
    monkeypatch.setattr(
        dashboard, "learner_progress", lambda *a, **k: computed.append(1) or real(*a, **k)
    )
    monkeypatch.setattr(
        dashboard, "practice_glance", lambda *a, **k: {"due": 7, "new": 0, "next_question": None}
    )
    Card.objects.create(learner=learner, question=Question.objects.current().first())
    body = learner_client.get("/dashboard/").content.decode()
    assert "7 due" in body  # the practice part was built again…
    assert computed == []  # …and progress, streak and activity came from the cache


def test_a_value_cached_by_its_inputs_is_built_again_only_when_they_change():
    from datetime import date

    from tracker.cache import by_inputs

    built = []

    def draw(inputs):
        def build():
            built.append(inputs)
            return f"chart of {inputs!r}"

        return build

    scores = (["Infrastructure", "Serving"], [("Self", [3, 4])])
    first = by_inputs("test-chart", scores, draw(scores))
    # The same inputs, rebuilt anew (as after a write that bumped every version): cached.
    same = (["Infrastructure", "Serving"], [("Self", [3, 4])])
    assert by_inputs("test-chart", same, draw(same)) == first
    changed = (["Infrastructure", "Serving"], [("Self", [3, 5])])
    assert by_inputs("test-chart", changed, draw(changed)) == f"chart of {changed!r}"
    dated = ([date(2026, 1, 5)], scores)
    by_inputs("test-chart", dated, draw(dated))
    assert built == [scores, changed, dated]
