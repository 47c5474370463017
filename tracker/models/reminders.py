"""Reminders: which emails a person gets and when, what was sent (so cron can rerun),
what they muted in the app, and the secret of their calendar feed."""

from __future__ import annotations

import secrets
from datetime import time

from django.db import models
from django.utils import timezone

from .core import OwnedQuerySet, User


class EmailKind(models.TextChoices):
    """Each kind of email a person can turn off on its own (settings or one click)."""

    PRACTICE_DUE = "practice_due", "Practice questions are due"
    BEHIND = "behind", "I am behind schedule by more than a week"
    STREAK = "streak", "My study streak is about to break"
    REVIEW_REPLY = "review_reply", "A mentor's review waits for my reply"
    FOLLOW_UPS = "follow_ups", "Job-search follow-ups are due"
    DIGEST = "digest", "A weekly digest (Mondays)"
    NOTIFICATIONS = "notifications", "My notifications (reviews, comments, mentors)"


def calendar_token() -> str:
    return secrets.token_urlsafe(24)


class ReminderSettingsQuerySet(OwnedQuerySet):
    owner = "user"


class ReminderSettings(models.Model):
    """One row per user, made on first use; without it every kind is on at 18:00."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="reminder_settings"
    )
    muted = models.JSONField(default=list, blank=True)  # EmailKind values turned off
    remind_at = models.TimeField(default=time(18))  # in the user's own time zone
    # The private calendar feed's secret: shown in settings, replaced on rotation.
    calendar_token = models.CharField(max_length=64, unique=True, default=calendar_token)

    objects = ReminderSettingsQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Reminders of {self.user}"

    def wants(self, kind: str) -> bool:
        return kind not in self.muted


class ReminderLogQuerySet(OwnedQuerySet):
    owner = "user"


class ReminderLog(models.Model):
    """That `kind` was sent to `user` for `period` (a local day, an ISO week, one wait
    of one submission): the unique row makes every reminder at most once, however often
    and on however many machines `send_reminders` runs."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=EmailKind.choices)
    period = models.CharField(max_length=60)
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ReminderLogQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "period"], name="reminder_log_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.period}"


class NotificationMuteQuerySet(OwnedQuerySet):
    owner = "user"


class NotificationMute(models.Model):
    """In-app: no more notifications of `kind`, or none about `about` (a mentee)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_mutes")
    kind = models.CharField(max_length=30, blank=True)
    about = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = NotificationMuteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], condition=models.Q(about=None), name="mute_kind_once"
            ),
            models.UniqueConstraint(
                fields=["user", "about"], condition=models.Q(kind=""), name="mute_about_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="") ^ models.Q(about=None), name="mute_kind_or_about"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.kind or self.about}"
