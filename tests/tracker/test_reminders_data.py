"""Reminder settings and mutes travel with the export, and go with the account."""

from __future__ import annotations

import json
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from tests.conftest import make_user
from tracker.account_deletion import delete_account
from tracker.mail import send_email
from tracker.models import NotificationMute, ReminderLog, ReminderSettings
from tracker.portability import export_user, import_user

pytestmark = pytest.mark.django_db


def test_reminder_settings_and_kind_mutes_round_trip(learner, mentor):
    ReminderSettings.objects.create(user=learner, muted=["digest", "streak"], remind_at=time(7))
    NotificationMute.objects.create(user=learner, kind="approved")
    NotificationMute.objects.create(user=learner, about=mentor)  # not carried
    data = json.loads(json.dumps(export_user(learner, base_url="https://r.example")))
    assert data["reminders"] == {
        "emails_off": ["digest", "streak"],
        "remind_at": "07:00",
        "muted_notification_kinds": ["approved"],
    }
    assert "calendar_token" not in json.dumps(data)  # the feed's secret stays behind
    bea = make_user("bea")
    import_user(bea, data)
    row = ReminderSettings.objects.get(user=bea)
    assert row.muted == ["digest", "streak"] and row.remind_at == time(7)
    assert row.calendar_token != ReminderSettings.objects.get(user=learner).calendar_token
    assert list(NotificationMute.objects.filter(user=bea).values_list("kind", "about")) == [
        ("approved", None)
    ]
    assert export_user(bea, base_url="https://r.example")["reminders"] == data["reminders"]


def test_an_export_without_reminders_still_imports(learner):
    data = json.loads(json.dumps(export_user(learner, base_url="https://r.example")))
    assert data["reminders"] is None
    del data["reminders"]  # a file from before reminders existed
    import_user(make_user("bea"), data)


@pytest.mark.parametrize(
    "reminders",
    [
        {"emails_off": ["everything"]},
        {"remind_at": "25:00"},
        {"muted_notification_kinds": ["comment"] * 100},
        {"emails_off": [], "surprise": 1},
    ],
)
def test_hostile_reminder_entries_are_refused_with_their_path(learner, reminders):
    data = json.loads(json.dumps(export_user(learner, base_url="https://r.example")))
    data["reminders"] = reminders
    bea = make_user("bea")
    with pytest.raises(ValidationError) as refused:
        import_user(bea, data)
    assert any(m.startswith("reminders.") for m in refused.value.messages)
    assert not ReminderSettings.objects.filter(user=bea).exists()


def test_deleting_the_account_removes_its_reminders_mutes_and_queued_mail(
    learner, other_learner, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    learner.email, other_learner.email = "lena@example.com", "otto@example.com"
    ReminderSettings.objects.create(user=learner)
    ReminderLog.objects.create(user=learner, kind="digest", period="2026-W10")
    NotificationMute.objects.create(user=learner, kind="approved")
    NotificationMute.objects.create(user=other_learner, about=learner)
    send_email(to=learner.email, subject="Hi", body="Queued")
    send_email(to=other_learner.email, subject="Hi", body="Queued")
    assert DBTaskResult.objects.count() == 2
    delete_account(learner)
    assert not ReminderSettings.objects.exists() and not ReminderLog.objects.exists()
    assert not NotificationMute.objects.exists()  # nobody mutes a user who is gone
    assert list(DBTaskResult.objects.values_list("args_kwargs__kwargs__to", flat=True)) == [
        "otto@example.com"
    ]
