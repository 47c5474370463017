"""The notification list by day, and "mute this mentee / this kind"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from tests.conftest import make_plan, make_user
from tracker.mentoring import invite_accept, invite_create, notify
from tracker.models import Notification, NotificationMute

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor(learner):
    """Mentors the learner and one more mentee."""
    mentor = make_user("mia", display_name="Mia Mentor")
    invite_accept(invite=invite_create(learner=learner), user=mentor)
    return mentor


def test_the_list_groups_by_day_in_the_readers_time_zone(client, learner):
    learner.time_zone = "Pacific/Tongatapu"  # UTC+13
    learner.save()
    # 10:30 and 11:30 UTC on 3 March are the 3rd and the 4th in Tonga.
    for hour, text in ((10, "Late on the 3rd"), (11, "Early on the 4th")):
        with time_machine.travel(datetime(2026, 3, 3, hour, 30, tzinfo=UTC), tick=False):
            notify(learner, "comment", text, "/dashboard/")
    client.force_login(learner)
    with time_machine.travel(datetime(2026, 3, 10, tzinfo=UTC), tick=False):
        page = client.get("/notifications/").content.decode()
    fourth, third = page.index("Wednesday 4 March"), page.index("Tuesday 3 March")
    assert fourth < page.index("Early on the 4th") < third < page.index("Late on the 3rd")


def test_muting_a_mentee_stops_what_they_cause_and_nothing_else(client, learner, mentor):
    other = make_user("ola")
    invite_accept(invite=invite_create(learner=other), user=mentor)
    note = notify(mentor, "comment", "Lena commented.", "/mentor/", about=learner)
    client.force_login(mentor)
    page = client.get("/notifications/").content.decode()
    assert "Mute Lena Learner" in page
    response = client.post(f"/notifications/{note.pk}/mute/", {"what": "about"})
    assert response.status_code == 302
    assert notify(mentor, "comment", "Lena again.", "/mentor/", about=learner) is None
    assert notify(mentor, "comment", "Ola commented.", "/mentor/", about=other)
    assert list(Notification.objects.filter(user=mentor).values_list("text", flat=True)) == [
        "Ola commented.",
        "Lena commented.",
    ]
    assert "About Lena Learner" in client.get("/notifications/").content.decode()


def test_muting_a_kind_stops_that_kind_only(client, learner):
    note = notify(learner, "approved", "Approved!", "/dashboard/")
    client.force_login(learner)
    client.post(f"/notifications/{note.pk}/mute/", {"what": "kind"})
    assert notify(learner, "approved", "Approved again", "/dashboard/") is None
    assert notify(learner, "comment", "A comment", "/dashboard/")
    mute = NotificationMute.objects.get(user=learner)
    assert mute.kind == "approved" and mute.about is None
    client.post(f"/notifications/{note.pk}/mute/", {"what": "kind"})  # twice: still one
    assert NotificationMute.objects.filter(user=learner).count() == 1
    # Unmuting brings them back.
    assert client.post(f"/notifications/mutes/{mute.pk}/delete/").status_code == 302
    assert notify(learner, "approved", "Approved once more", "/dashboard/")


def test_nobody_mutes_or_unmutes_through_someone_elses_notification(client, learner, other_learner):
    note = notify(learner, "comment", "Mine", "/dashboard/")
    mute = NotificationMute.objects.create(user=learner, kind="approved")
    make_plan(other_learner)
    client.force_login(other_learner)
    assert client.post(f"/notifications/{note.pk}/mute/", {"what": "kind"}).status_code == 404
    assert client.post(f"/notifications/mutes/{mute.pk}/delete/").status_code == 404
    assert list(NotificationMute.objects.values_list("user", flat=True)) == [learner.pk]


def test_mute_posts_with_csrf_and_htmx(learner):
    note = notify(learner, "comment", "Mine", "/dashboard/")
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get("/notifications/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/notifications/{note.pk}/mute/",
        {"what": "kind", "csrfmiddlewaretoken": token},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 302
    assert NotificationMute.objects.filter(user=learner, kind="comment").exists()
