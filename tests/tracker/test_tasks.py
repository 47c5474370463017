"""Email is a task: retried when the mail server fails, delivered once, failures kept.

The suite runs tasks at once (the immediate backend); the test of the database queue
itself switches to it and runs a worker in this process.
"""

from __future__ import annotations

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tracker.mail import send_email


@pytest.fixture
def flaky_mail_server(monkeypatch):
    """The locmem mail backend, failing its first two sends."""
    calls = []
    send = EmailBackend.send_messages

    def failing_twice(self, messages):
        calls.append(messages[0].to)
        if len(calls) <= 2:
            raise ConnectionRefusedError("mail server down")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", failing_twice)
    return calls


def test_an_email_that_fails_twice_is_retried_and_delivered_once(db, flaky_mail_server, mailoutbox):
    result = send_email(to="lena@example.com", subject="Approved", body="Well done")
    assert result.status == TaskResultStatus.FAILED  # the first try, as the admin shows it
    assert len(flaky_mail_server) == 3  # two failures, then the retry that worked
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Rampup: Approved"


@pytest.mark.django_db(transaction=True)
def test_on_the_database_queue_each_try_is_a_task_row_and_the_email_goes_once(
    settings, flaky_mail_server, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_DELAYS = [0, 0]
    send_email(to="lena@example.com", subject="Approved", body="Well done")
    assert DBTaskResult.objects.ready().count() == 1 and mailoutbox == []  # queued, not sent
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    tries = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [t.status for t in tries] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert [t.args_kwargs["kwargs"].get("attempt", 1) for t in tries] == [1, 2, 3]
    assert "mail server down" in tries[0].traceback  # the failure, visible in the admin
    assert len(mailoutbox) == 1


def test_a_retry_waits_on_the_database_queue(db, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django.utils import timezone

    from tracker.tasks import deliver_email, retry_later

    before = timezone.now()
    assert retry_later(deliver_email, attempt=1, to="a@b.c", subject="s", body="b", headers={})
    retry = DBTaskResult.objects.get()
    assert retry.run_after >= before + timezone.timedelta(seconds=settings.TASK_RETRY_DELAYS[0])
    assert DBTaskResult.objects.ready().count() == 0  # not before its time
    assert not retry_later(deliver_email, attempt=3, to="a@b.c", subject="s", body="b", headers={})


def test_the_password_reset_email_is_a_task_too(client, learner, settings, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    learner.email = "lena@example.com"
    learner.save()
    client.post("/accounts/password_reset/", {"email": "lena@example.com"})
    assert mailoutbox == []  # queued for the worker, not sent inside the request
    (task,) = DBTaskResult.objects.all()
    message = task.args_kwargs["kwargs"]
    assert message["to"] == "lena@example.com" and "/accounts/reset/" in message["body"]
    assert message["subject"] == "Reset your Rampup password" and message["headers"] == {}
