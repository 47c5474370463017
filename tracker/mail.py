"""Every email Rampup sends goes through `send_email`.

Two promises: a subject is one line whatever text it quotes (a display name with a line
break once made Django refuse the whole message), and a message that cannot be sent is
logged with its recipient and subject, never dropped in silence.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail

from .models.core import CONTROL_CHARACTERS

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "Rampup: "
SUBJECT_LENGTH = 80


def subject_line(text: str) -> str:
    """`text` as a single-line subject: breaks become spaces, long text is shortened."""
    flat = " ".join(CONTROL_CHARACTERS.sub(" ", text).split())
    if len(flat) > SUBJECT_LENGTH:
        flat = flat[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return SUBJECT_PREFIX + flat


def send_email(*, to: str, subject: str, body: str) -> bool:
    """Send one message; on failure log it and return False (the caller carries on)."""
    line = subject_line(subject)
    try:
        send_mail(subject=line, message=body, from_email=None, recipient_list=[to])
    except Exception:  # SMTP, DNS, TLS, a bad address: the request must not fail for it
        logger.exception("Email not sent to %s (subject %r)", to, line)
        return False
    return True
