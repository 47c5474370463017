"""Deleting an account also removes what names it without a foreign key."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client

from roadmap.models import Milestone
from tests.conftest import PASSWORD, make_plan, make_user
from tracker.mentoring import invite_accept, invite_create
from tracker.models import Notification
from tracker.submissions import submission_save_evidence, submission_start, submission_transition


def _sessions_of(user) -> int:
    return sum(s.get_decoded().get("_auth_user_id") == str(user.pk) for s in Session.objects.all())


def test_deleting_an_account_removes_its_logins_sessions_and_others_links_to_it(
    client, learner, django_capture_on_commit_callbacks
):
    mentor = make_user("mia")
    invite_accept(invite=invite_create(learner=learner), user=mentor)
    make_plan(learner)
    s = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    submission_save_evidence(submission=s, evidence="My cluster", links=[])
    submission_transition(submission=s, actor=learner, to_state="submitted")
    Notification.objects.create(
        user=mentor, kind="comment", text="See Lena's page", url="/mentor/lena/"
    )
    unrelated = Notification.objects.create(user=mentor, kind="comment", text="x", url="/mentor/")
    # Failed logins for Lena and for someone else; a session on another device; Mia's.
    client.post("/accounts/login/", {"username": "lena", "password": "wrong"})
    client.post("/accounts/login/", {"username": "mia", "password": "wrong"})
    Client().force_login(learner)
    Client().force_login(mentor)
    client.force_login(learner)
    assert AccessAttempt.objects.filter(username="lena").exists()
    assert _sessions_of(learner) == 2
    links = Notification.objects.filter(user=mentor).exclude(pk=unrelated.pk)
    assert sorted(links.values_list("url", flat=True)) == sorted(
        ["/mentor/lena/", s.get_absolute_url()]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/settings/delete/", {"password": PASSWORD})
    assert response.status_code == 302

    assert not AccessAttempt.objects.filter(username="lena").exists()
    assert AccessAttempt.objects.filter(username="mia").exists()
    assert _sessions_of(learner) == 0
    assert _sessions_of(mentor) == 1
    # Mia keeps what happened, without links into an account that is gone.
    assert sorted(links.values_list("text", "url")) == [
        (
            "Lena Learner submitted Milestone 1 (Foundations: Linux, Networking, and Cloud Basics) "
            "for review.",
            "",
        ),
        ("See Lena's page", ""),
    ]
    unrelated.refresh_from_db()
    assert unrelated.url == "/mentor/"
