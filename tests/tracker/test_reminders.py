"""Learner reminders and the weekly digest: at the local time the learner chose, in
their time zone (UTC−10 and UTC+13 here), once per period, never for a muted kind; and
the one-click unsubscribe (RFC 8058) that works without login for one user and kind.

Time is frozen with time-machine; tasks run at once (the immediate backend), so a
queued email is in `mailoutbox` straight away.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from roadmap.models import Milestone, Question
from tests.conftest import make_plan, make_user
from tracker import reminders
from tracker.models import (
    Card,
    EmailKind,
    ReminderLog,
    ReminderSettings,
    StudyLog,
    Submission,
)
from tracker.reminders import (
    FollowUp,
    register_follow_ups,
    send_learner_reminders,
    unsubscribe_url,
)
from tracker.submissions import submission_start

HONOLULU = ZoneInfo("Pacific/Honolulu")  # UTC−10, no daylight saving
TONGA = ZoneInfo("Pacific/Tongatapu")  # UTC+13, no daylight saving


def local(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)


def make_learner(db, zone: ZoneInfo, remind_at: time = time(19), muted=()):
    user = make_user(f"kai{zone.key[-4:].lower()}", email="kai@example.com", time_zone=zone.key)
    ReminderSettings.objects.create(user=user, remind_at=remind_at, muted=list(muted))
    return user


def due_cards(user, count: int, when: datetime) -> None:
    for question in Question.objects.current()[:count]:
        Card.objects.create(learner=user, question=question, due=when, reps=1, last_review=when)


def kinds(user) -> list[str]:
    return sorted(ReminderLog.objects.filter(user=user).values_list("kind", flat=True))


@pytest.mark.parametrize("zone", [HONOLULU, TONGA], ids=["UTC-10", "UTC+13"])
def test_practice_due_goes_once_at_the_chosen_local_time(db, zone, mailoutbox):
    # A Wednesday: no digest. Nothing to do but practice (the plan starts today).
    with time_machine.travel(local(zone, 2026, 3, 4, 9), tick=False):
        user = make_learner(db, zone)
        make_plan(user, days_ago=0)
        due_cards(user, 3, datetime.now(UTC) - timedelta(hours=1))
    with time_machine.travel(local(zone, 2026, 3, 4, 18, 59), tick=False):
        assert send_learner_reminders() == 0  # a minute early, in the learner's zone
    with time_machine.travel(local(zone, 2026, 3, 4, 19, 0), tick=False):
        assert send_learner_reminders() == 1
        assert send_learner_reminders() == 0  # cron again within the hour
    with time_machine.travel(local(zone, 2026, 3, 4, 23, 30), tick=False):
        assert send_learner_reminders() == 0  # later the same local day
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "Rampup: 3 practice questions due today"
    assert mail.to == ["kai@example.com"]
    assert "/practice/" in mail.body
    # The next local day brings the next one, at the same local time.
    with time_machine.travel(local(zone, 2026, 3, 5, 18), tick=False):
        assert send_learner_reminders() == 0
    with time_machine.travel(local(zone, 2026, 3, 5, 19, 30), tick=False):
        assert send_learner_reminders() == 1
    assert kinds(user) == ["practice_due", "practice_due"]


@pytest.mark.parametrize("zone", [HONOLULU, TONGA], ids=["UTC-10", "UTC+13"])
def test_a_muted_kind_is_never_sent(db, zone, mailoutbox):
    with time_machine.travel(local(zone, 2026, 3, 4, 9), tick=False):
        user = make_learner(db, zone, muted=[EmailKind.PRACTICE_DUE])
        make_plan(user, days_ago=0)
        due_cards(user, 3, datetime.now(UTC))
    for hour in range(19, 24):
        with time_machine.travel(local(zone, 2026, 3, 4, hour), tick=False):
            assert send_learner_reminders() == 0
    assert mailoutbox == [] and kinds(user) == []


@pytest.mark.parametrize("zone", [HONOLULU, TONGA], ids=["UTC-10", "UTC+13"])
def test_a_streak_about_to_break_is_reminded_before_the_local_day_ends(db, zone, mailoutbox):
    with time_machine.travel(local(zone, 2026, 3, 4, 9), tick=False):
        user = make_learner(db, zone, remind_at=time(20))
        make_plan(user, days_ago=0)
        today = datetime.now(zone).date()
        for days in (1, 2, 3):
            StudyLog.objects.create(
                learner=user, date=today - timedelta(days=days), minutes=30, what="CUDA"
            )
    with time_machine.travel(local(zone, 2026, 3, 4, 20, 15), tick=False):
        assert send_learner_reminders() == 1
    assert mailoutbox[0].subject == "Rampup: Keep your 3 days streak"
    # Studied today: tomorrow's check finds the streak safe until the evening.
    StudyLog.objects.create(learner=user, date=today + timedelta(days=1), minutes=20, what="x")
    with time_machine.travel(local(zone, 2026, 3, 5, 21), tick=False):
        assert send_learner_reminders() == 0


def test_behind_by_more_than_a_week_is_reminded_once_a_week(db, mailoutbox):
    with time_machine.travel(local(HONOLULU, 2026, 3, 4, 9), tick=False):
        user = make_learner(db, HONOLULU)
        make_plan(user, days_ago=60)  # nothing done in two months
    with time_machine.travel(local(HONOLULU, 2026, 3, 4, 19), tick=False):
        assert send_learner_reminders() == 1
    assert mailoutbox[0].subject.startswith("Rampup: Your plan: behind by ")
    with time_machine.travel(local(HONOLULU, 2026, 3, 6, 19), tick=False):
        assert send_learner_reminders() == 0  # the same ISO week
    with time_machine.travel(local(HONOLULU, 2026, 3, 10, 19), tick=False):
        assert send_learner_reminders() == 1  # the next week (a Tuesday)


def test_a_review_waiting_for_the_learners_reply_is_reminded_once(db, mailoutbox):
    with time_machine.travel(local(TONGA, 2026, 3, 4, 9), tick=False):
        user = make_learner(db, TONGA)
        make_plan(user, days_ago=0)
        submission = submission_start(learner=user, milestone=Milestone.objects.first())
        Submission.objects.filter(pk=submission.pk).update(state=Submission.State.CHANGES_REQUESTED)
    with time_machine.travel(local(TONGA, 2026, 3, 4, 19), tick=False):
        assert send_learner_reminders() == 1
    assert "waiting for your reply" in mailoutbox[0].subject
    with time_machine.travel(local(TONGA, 2026, 3, 5, 19), tick=False):
        submission.evidence = "Revised, still working on it"
        submission.save()  # editing meanwhile is no new request
        assert send_learner_reminders() == 0


def test_job_search_follow_ups_come_from_a_registered_source(db, mailoutbox, monkeypatch):
    monkeypatch.setattr(reminders, "_follow_up_sources", [])
    with time_machine.travel(local(HONOLULU, 2026, 3, 4, 9), tick=False):
        user = make_learner(db, HONOLULU)
        make_plan(user, days_ago=0)
    with time_machine.travel(local(HONOLULU, 2026, 3, 4, 19), tick=False):
        assert send_learner_reminders() == 0  # no jobs app: no follow-ups

        @register_follow_ups
        def jobs(learner, first, last):
            day = datetime(2026, 3, 4).date()
            return (
                [FollowUp(day, "Write back to Acme", "/jobs/1/", "acme")]
                if first <= day <= last
                else []
            )

        assert send_learner_reminders() == 1
    assert "Write back to Acme" in mailoutbox[0].body


def test_the_weekly_digest_goes_on_monday(db, mailoutbox):
    with time_machine.travel(local(TONGA, 2026, 3, 4, 9), tick=False):
        user = make_learner(db, TONGA, muted=[EmailKind.BEHIND])
        make_plan(user, days_ago=30)
        for day in (3, 4, 5):  # Tue–Thu
            StudyLog.objects.create(
                learner=user, date=datetime(2026, 3, day).date(), minutes=90, what="NCCL"
            )
    with time_machine.travel(local(TONGA, 2026, 3, 9, 18), tick=False):  # Monday, early
        assert send_learner_reminders() == 0
    with time_machine.travel(local(TONGA, 2026, 3, 9, 19), tick=False):
        assert send_learner_reminders() == 1
        assert send_learner_reminders() == 0
    digest = mailoutbox[0]
    assert digest.subject == "Rampup: Your week in review"
    assert "Your week of 02 Mar to 08 Mar" in digest.body
    assert "Study: 4 h 30 min of the 10 h your plan asks for." in digest.body
    assert "Practice: 0 reviews done." in digest.body
    assert "What's next: phase 1" in digest.body


def test_the_command_sends_learner_reminders(db, capsys):
    with time_machine.travel(local(HONOLULU, 2026, 3, 4, 20), tick=False):
        user = make_learner(db, HONOLULU)
        make_plan(user, days_ago=0)
        due_cards(user, 1, datetime.now(UTC))
        call_command("send_reminders")
    assert "1 to learners" in capsys.readouterr().out


# --- unsubscribe ---------------------------------------------------------------------


@pytest.fixture
def reminded(db, mailoutbox):
    """A learner who just got a practice reminder, and that email."""
    with time_machine.travel(local(HONOLULU, 2026, 3, 4, 9), tick=False):
        user = make_learner(db, HONOLULU)
        make_plan(user, days_ago=0)
        due_cards(user, 2, datetime.now(UTC))
    with time_machine.travel(local(HONOLULU, 2026, 3, 4, 19), tick=False):
        send_learner_reminders()
    return user, mailoutbox[0]


def _link(mail) -> str:
    header = mail.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(">")
    return urlsplit(header[1:-1]).path


def test_every_reminder_carries_rfc_8058_headers_and_the_link(reminded):
    user, mail = reminded
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.extra_headers["List-Unsubscribe"][1:-1] in mail.body


def test_one_click_unsubscribe_works_without_login_for_that_user_and_kind(reminded):
    user, mail = reminded
    client = Client(enforce_csrf_checks=True)  # a mail app has no session and no token
    url = _link(mail)
    page = client.get(url)
    assert page.status_code == 200 and "practice questions are due" in page.content.decode()
    assert ReminderSettings.objects.get(user=user).muted == []  # GET changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ReminderSettings.objects.get(user=user).muted == [EmailKind.PRACTICE_DUE]
    assert client.post(url).status_code == 200  # twice is harmless
    assert ReminderSettings.objects.get(user=user).muted == [EmailKind.PRACTICE_DUE]


def test_an_unsubscribe_link_touches_only_its_own_user_and_kind(reminded, other_learner):
    user, mail = reminded
    ReminderSettings.objects.create(user=other_learner)
    Client().post(_link(mail))
    # Another user's link for another kind is another token.
    assert urlsplit(unsubscribe_url(other_learner, EmailKind.PRACTICE_DUE)).path != _link(mail)
    assert urlsplit(unsubscribe_url(user, EmailKind.DIGEST)).path != _link(mail)
    assert ReminderSettings.objects.get(user=other_learner).muted == []
    assert ReminderSettings.objects.get(user=user).wants(EmailKind.DIGEST)


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        # Signed with another salt: a token from elsewhere in the app does not work here.
        "eyJ1IjoxLCJrIjoiZGlnZXN0In0:1vQmJp:abc",
    ],
)
def test_a_forged_unsubscribe_link_is_404(db, client, token):
    assert client.get(f"/unsubscribe/{token}/").status_code == 404
    assert client.post(f"/unsubscribe/{token}/").status_code == 404


def test_a_token_for_an_unknown_kind_is_404(db, client, learner):
    from django.core import signing

    token = signing.dumps({"u": learner.pk, "k": "everything"}, salt=reminders.UNSUBSCRIBE_SALT)
    assert client.post(f"/unsubscribe/{token}/").status_code == 404


# --- settings --------------------------------------------------------------------------


def test_settings_turn_kinds_off_and_set_the_time(learner_client, learner):
    page = learner_client.get("/settings/").content.decode()
    assert 'name="reminders-emails"' in page and 'name="reminders-remind_at"' in page
    keep = [k for k in EmailKind.values if k != EmailKind.STREAK]
    response = learner_client.post(
        "/settings/reminders/", {"reminders-emails": keep, "reminders-remind_at": "07:30"}
    )
    assert response.status_code == 302
    row = ReminderSettings.objects.get(user=learner)
    assert row.muted == [EmailKind.STREAK] and row.remind_at == time(7, 30)


def test_a_bad_time_keeps_what_was_typed(learner_client, learner):
    response = learner_client.post(
        "/settings/reminders/",
        {"reminders-emails": [EmailKind.DIGEST], "reminders-remind_at": "25:99"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="25:99"' in page and "Enter a valid time" in page
    assert page.count("checked") == 1 and 'value="digest"' in page
    assert not ReminderSettings.objects.filter(user=learner, remind_at=time(0)).exists()


def test_the_reminder_form_posts_with_csrf(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get("/settings/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/settings/reminders/",
        {"reminders-emails": [], "reminders-remind_at": "08:00", "csrfmiddlewaretoken": token},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 302
    assert set(ReminderSettings.objects.get(user=learner).muted) == set(EmailKind.values)


def test_notification_emails_carry_the_link_and_stop_when_turned_off(
    db, learner, mentor, mailoutbox, django_capture_on_commit_callbacks
):
    from tracker.mentoring import notify

    learner.email = "lena@example.com"
    learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(learner, "comment", "Mia commented.", "/dashboard/")
    assert mailoutbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    Client().post(urlsplit(mailoutbox[0].extra_headers["List-Unsubscribe"][1:-1]).path)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(learner, "comment", "Mia commented again.", "/dashboard/")  # in-app still
    assert len(mailoutbox) == 1
