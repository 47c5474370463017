"""Mentor invites from the link's side: a logged-out newcomer learns who asks and what a
mentor does, signs up or logs in without losing the link, and accepts; the learner
keeps every open link listed, copyable and revocable."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, make_user
from tracker.mentoring import invite_create, invite_revoke
from tracker.models import Invite, Mentorship

pytestmark = pytest.mark.django_db


def _signup(client, username: str, **extra):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post("/accounts/signup/", data)


def test_logged_out_the_invite_says_who_asks_and_what_a_mentor_does(client, learner):
    invite = invite_create(learner=learner)
    response = client.get(invite.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lena Learner invites you to be their mentor" in body
    for duty in (
        "only Lena Learner’s",
        "review their milestones",
        "five-dimension rubric",
        "practice interview answers",
        "Either of you can end",
    ):
        assert duty in body
    next_ = quote(invite.get_absolute_url())
    assert f'href="/accounts/signup/?next={next_}">Sign up to accept' in body
    assert f'href="/accounts/login/?next={next_}">Log in to accept' in body
    assert "Accept and become their mentor" not in body  # that needs an account
    assert "no-store" in response["Cache-Control"]  # the page names the learner


def test_logged_out_accepting_asks_to_log_in_and_changes_nothing(client, learner):
    invite = invite_create(learner=learner)
    response = client.post(invite.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(invite.get_absolute_url())}"
    invite.refresh_from_db()
    assert invite.state == "open" and not Mentorship.objects.exists()


@pytest.mark.parametrize("kill", ["revoke", "use", "expire"])
def test_a_dead_link_says_so_and_reveals_nothing_else(client, learner, kill):
    invite = invite_create(learner=learner)
    if kill == "revoke":
        invite_revoke(invite=invite)
    elif kill == "use":
        Invite.objects.filter(pk=invite.pk).update(used_at=timezone.now())
    else:
        Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now())
    for user in (None, make_user(f"someone-{kill}")):
        if user:
            client.force_login(user)
        body = client.get(invite.get_absolute_url()).content.decode()
        assert "This invite link does not work" in body
        assert {"revoke": "withdrawn", "use": "used already", "expire": "expired"}[kill] in body
        assert "Lena" not in body and "lena" not in body
        assert "to accept" not in body and "Accept and become" not in body
    assert client.get("/invite/not-a-token/").status_code == 404


def test_a_new_mentor_signs_up_from_the_invite_and_lands_on_the_accept_step(client, learner):
    invite = invite_create(learner=learner)
    url = invite.get_absolute_url()
    page = client.get(f"/accounts/signup/?next={quote(url)}").content.decode()
    assert f'<input type="hidden" name="next" value="{url}">' in page
    assert f'href="/accounts/login/?next={quote(url)}"' in page  # and back again
    response = _signup(client, "marco", next=url)
    assert response.status_code == 302 and response["Location"] == url
    assert "Accept and become their mentor" in client.get(url).content.decode()

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/mentor/"
    assert Mentorship.objects.active().filter(learner=learner, mentor__username="marco").exists()
    invite.refresh_from_db()
    assert invite.state == "used"


def test_an_existing_mentor_logs_in_from_the_invite_and_comes_back(client, learner):
    make_user("marco")
    invite = invite_create(learner=learner)
    url = invite.get_absolute_url()
    page = client.get(f"/accounts/login/?next={quote(url)}").content.decode()
    assert f'href="/accounts/signup/?next={quote(url)}">Create an account' in page
    response = client.post(
        "/accounts/login/", {"username": "marco", "password": PASSWORD, "next": url}
    )
    assert response["Location"] == url


@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/invite/x/", "javascript:alert(1)"]
)
def test_an_off_site_next_is_ignored(client, evil):
    page = client.get("/accounts/signup/", {"next": evil}).content.decode()
    assert "evil" not in page and "javascript" not in page
    response = _signup(client, "newbie", next=evil)
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_signed_in_user_on_sign_up_goes_on_to_next(client, learner):
    invite = invite_create(learner=learner)
    client.force_login(make_user("marco"))
    response = client.get("/accounts/signup/", {"next": invite.get_absolute_url()})
    assert response["Location"] == invite.get_absolute_url()


# --- the learner's side: /mentors/ ----------------------------------------------------


def test_every_open_invite_stays_listed_with_its_link_expiry_and_withdraw(learner_client, learner):
    open_one = invite_create(learner=learner)
    # Older links that no longer work must not push the open one off the list.
    for n in range(12):
        used = invite_create(learner=learner)
        Invite.objects.filter(pk=used.pk).update(
            used_at=timezone.now(), created_at=timezone.now() + timedelta(minutes=n + 1)
        )
    revoked = invite_create(learner=learner)
    invite_revoke(invite=revoked)
    body = learner_client.get("/mentors/").content.decode()
    assert f'readonly value="http://testserver/invite/{open_one.token}/"' in body
    assert f'data-copy="invite-link-{open_one.pk}"' in body  # the copy button
    assert f"Expires {open_one.expires_at:%-d %b %Y}" in body
    assert f'action="/mentors/invites/{open_one.pk}/revoke/"' in body
    assert revoked.token not in body and body.count("/revoke/") == 1


def test_a_new_invite_is_shown_as_the_new_link(learner_client, learner):
    response = learner_client.post("/mentors/invite/", follow=True)
    invite = Invite.objects.get(learner=learner)
    body = response.content.decode()
    assert f'<label for="invite-link-{invite.pk}">Your new link' in body
    # Later visits still list it, as an open invite.
    body = learner_client.get("/mentors/").content.decode()
    assert "Your new link" not in body and f"/invite/{invite.token}/" in body


@pytest.mark.parametrize("n", [1, 20])
def test_the_mentors_page_makes_the_same_queries_for_1_or_20_invites(
    learner_client, learner, django_assert_num_queries, n
):
    for _ in range(n):
        invite_create(learner=learner)
    mentor = make_user("mia")
    Mentorship.objects.create(learner=learner, mentor=mentor)
    # session, user (with plan), open invites, mentorships with their mentors,
    # unread-notification badge
    with django_assert_num_queries(5):
        assert learner_client.get("/mentors/").status_code == 200


def test_a_sign_up_error_keeps_the_invite_and_the_time_zone(client, learner):
    url = invite_create(learner=learner).get_absolute_url()
    response = _signup(client, "lena", next=url, time_zone="Asia/Tokyo")  # name taken
    body = response.content.decode()
    assert response.status_code == 200 and "already exists" in body
    assert f'<input type="hidden" name="next" value="{url}">' in body
    assert 'name="time_zone" value="Asia/Tokyo"' in body
