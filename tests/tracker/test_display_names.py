"""A display name with a line break: refused when typed, harmless when stored."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, connection, transaction
from django_tasks import TaskResultStatus
from PIL import Image

from tests.conftest import make_user
from tracker.mail import send_email, subject_line
from tracker.mentoring import notify
from tracker.models import Notification, User

NAMES_WITH_BREAKS = [
    "Eve\nEvil",
    "Eve\r\nBcc: x@example.com",
    "Eve\u2028Evil",
    "Eve\tEvil",
    "Eve\x00Evil",
    "Eve\x85Evil",
]


def _stored_here(name: str) -> bool:
    """PostgreSQL refuses a NUL in any text (the forms and the import refuse it first), so
    there such a name can never be stored: nothing to draw or mail, the write fails."""
    return not ("\x00" in name and connection.vendor == "postgresql")


def _settings_data(**overrides) -> dict:
    return {
        "display_name": "Lena",
        "time_zone": "UTC",
        "daily_new_cap": 5,
        "daily_review_cap": 30,
        "mentor_capacity": "",
        **overrides,
    }


@pytest.mark.parametrize("name", NAMES_WITH_BREAKS)
def test_settings_refuse_a_display_name_with_a_control_character(client, learner, name):
    client.force_login(learner)
    response = client.post("/settings/", _settings_data(display_name=name, daily_new_cap=7))
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]  # a NUL has Django's own message
    if "\x00" not in name:
        assert "no line breaks" in response.content.decode()
    assert response.context["form"]["daily_new_cap"].value() == "7"  # the rest is kept
    learner.refresh_from_db()
    assert learner.display_name == "Lena Learner"


def test_settings_accept_names_in_any_script(client, learner):
    client.force_login(learner)
    name = "Zoë O’Brien-李 👩‍💻"  # the emoji's zero-width joiner is not a control character
    response = client.post("/settings/", _settings_data(display_name=name))
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.display_name == name


def test_the_model_refuses_it_too_so_an_import_obeys(learner):
    learner.display_name = "Eve\nEvil"
    with pytest.raises(ValidationError) as caught:
        learner.full_clean()
    assert "display_name" in caught.value.message_dict


@pytest.mark.parametrize("name", NAMES_WITH_BREAKS)
def test_the_card_draws_any_stored_name(client, db, name):
    # Stored before the rule, or written past it: the card must still draw.
    if not _stored_here(name):
        with pytest.raises(DataError), transaction.atomic():
            make_user("eve", display_name=name)
        return
    user = make_user("eve", display_name=name)
    User.objects.filter(pk=user.pk).update(portfolio_public=True)
    response = client.get("/u/eve/card.png")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


@pytest.mark.parametrize("name", NAMES_WITH_BREAKS)
def test_a_notification_naming_it_is_still_emailed_on_one_line(
    learner, mailoutbox, django_capture_on_commit_callbacks, name
):
    learner.email = "lena@example.com"
    learner.save()
    if not _stored_here(name):
        with pytest.raises(DataError), transaction.atomic():
            notify(learner, Notification.Kind.COMMENT, f"{name} commented on Milestone 1.", "/")
        return
    with django_capture_on_commit_callbacks(execute=True):
        notify(learner, Notification.Kind.COMMENT, f"{name} commented on Milestone 1.", "/")
    assert len(mailoutbox) == 1
    subject = mailoutbox[0].subject
    assert subject.startswith("Rampup: Eve") and "commented on Milestone 1." in subject
    assert not any(c in subject for c in "\r\n\t\x00\x85\u2028")


def test_a_subject_is_one_short_line():
    assert subject_line("a\nb\r\nc\u2029d   e") == "Rampup: a b c d e"
    long = subject_line("word " * 40)
    assert len(long) == len("Rampup: ") + 80 and long.endswith("…")


def test_an_email_that_cannot_be_sent_is_logged_not_lost(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with caplog.at_level(logging.ERROR, logger="tracker.tasks"):
        result = send_email(to="lena@example.com", subject="Approved", body="Well done")
    assert result.status == TaskResultStatus.FAILED  # and so in the admin's task results
    assert "after 3 tries" in caplog.text
    assert "lena@example.com" in caplog.text
    assert "Rampup: Approved" in caplog.text
