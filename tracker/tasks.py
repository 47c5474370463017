"""Background work on Django's Tasks API (the django-tasks backport; Django 6 has it
built in as `django.tasks`, so only the import changes then).

Tasks: `deliver_email` (every email) and `draw_progress_card` (the public card).

The API has no retries of its own, so a task that should be tried again calls
`retry_later` when it fails: the next attempt is a new task (deferred on the database
queue) and this one still ends FAILED with its traceback, so every failed try is visible
in the admin (Django tasks db › Task results). A task that has used up its tries logs the
failure and stays FAILED.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from . import mail

logger = logging.getLogger(__name__)


def retry_later(work: Task, *, attempt: int, **kwargs: Any) -> bool:
    """Queue attempt `attempt + 1` of `work`, after the delay settings.TASK_RETRY_DELAYS
    gives; False when no tries are left."""
    delays = settings.TASK_RETRY_DELAYS
    if attempt > len(delays):
        return False
    delay = delays[attempt - 1]
    if delay and work.get_backend().supports_defer:
        work = work.using(run_after=timezone.now() + timedelta(seconds=delay))
    work.enqueue(attempt=attempt + 1, **kwargs)
    return True


@task()
def deliver_email(
    *, to: str, subject: str, body: str, headers: dict[str, str], attempt: int = 1
) -> None:
    """Send one queued email. Its only side effect is the send, so a retry after a failed
    send can never deliver it twice."""
    try:
        mail.deliver(to=to, subject=subject, body=body, headers=headers)
    except Exception:
        message = dict(to=to, subject=subject, body=body, headers=headers)
        if not retry_later(deliver_email, attempt=attempt, **message):
            logger.exception(
                "Email not sent to %s (subject %r) after %d tries", to, subject, attempt
            )
        raise


@task()
def draw_progress_card(*, learner_id: int, attempt: int = 1) -> None:
    """Draw a learner's progress card and store it (tracker.portfolio.store_card), queued
    by a visit to a stale card. A learner who stopped sharing (or left) gets none: their
    stored card goes instead. Tried again like an email when drawing fails."""
    from .models import ProgressCard, User
    from .portfolio import store_card

    learner = (
        User.objects.filter(pk=learner_id, portfolio_public=True, is_active=True)
        .select_related("plan__background")
        .first()
    )
    if learner is None:
        ProgressCard.objects.filter(learner_id=learner_id).delete()
        return
    try:
        store_card(learner)
    except Exception:
        if not retry_later(draw_progress_card, attempt=attempt, learner_id=learner_id):
            logger.exception("Progress card of %s not drawn after %d tries", learner_id, attempt)
        raise
