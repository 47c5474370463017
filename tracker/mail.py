"""Every email Rampup sends goes through `send_email`, which queues it as a task.

Three promises: a subject is one line whatever text it quotes (a display name with a line
break once made Django refuse the whole message); a message that cannot be sent is tried
again and, when every try failed, logged with its recipient and subject and left as a
failed task in the admin, never dropped in silence; and every email a person can turn off
carries a signed one-click unsubscribe link (RFC 8058), in the body and in the headers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage

from .models.core import CONTROL_CHARACTERS

if TYPE_CHECKING:
    from django_tasks import TaskResult

    from .models import User

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "Rampup: "
SUBJECT_LENGTH = 80


def subject_line(text: str) -> str:
    """`text` as a single-line subject: breaks become spaces, long text is shortened."""
    flat = " ".join(CONTROL_CHARACTERS.sub(" ", text).split())
    if len(flat) > SUBJECT_LENGTH:
        flat = flat[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return SUBJECT_PREFIX + flat


def send_email(
    *, to: str, subject: str, body: str, user: User | None = None, kind: str = ""
) -> TaskResult:
    """Queue one message. With `user` and `kind` (an email kind of tracker.reminders) it
    carries the link that turns that kind off for that user, and the RFC 8058 headers
    that let a mail app do it in one click."""
    from .reminders import unsubscribe_url
    from .tasks import deliver_email

    headers: dict[str, str] = {}
    if user is not None and kind:
        url = unsubscribe_url(user, kind)
        headers = {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        body = f"{body}\n\n--\nStop these emails (one click, no login): {url}\n"
    return deliver_email.enqueue(to=to, subject=subject_line(subject), body=body, headers=headers)


def deliver(*, to: str, subject: str, body: str, headers: dict[str, str]) -> None:
    """Hand one message to the mail server now; raises when it cannot."""
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    ).send()
