"""Mentoring: invites, mentorships, notifications, reminders and comments on practice.

A learner invites a mentor with a single-use, expiring link. A mentor sees a mentee's
data only while the mentorship is active: ending it revokes access at once, because
every view reads through `visible_to(user)` (see `core.OwnedQuerySet`), which joins on
`Mentorship.objects.active().mentored_by(user)`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from roadmap.markdown import RendersMarkdown

from .core import OwnedQuerySet, User
from .practice import Answer

INVITE_DAYS = 14


def _token() -> str:
    return secrets.token_urlsafe(24)


def _expiry():
    return timezone.now() + timedelta(days=INVITE_DAYS)


class Invite(models.Model):
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.learner} invite {self.token[:6]}…"

    def get_absolute_url(self) -> str:
        return reverse("invite", args=[self.token])

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class MentorshipQuerySet(models.QuerySet):
    def active(self) -> MentorshipQuerySet:
        """Mentorships not ended: the only ones that grant access."""
        return self.filter(ended_at__isnull=True)

    def owned_by(self, user) -> MentorshipQuerySet:
        """The learner's own mentorships (their mentors page lists them)."""
        return self.filter(learner=user) if user.is_authenticated else self.none()

    def mentored_by(self, user) -> MentorshipQuerySet:
        """Those in which `user` is the mentor: with `active()`, whose data they may see."""
        return self.filter(mentor=user) if user.is_authenticated else self.none()

    def involving(self, user) -> MentorshipQuerySet:
        """Those in which `user` is either side: each side may see and end them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(learner=user) | Q(mentor=user))

    visible_to = involving


class Mentorship(models.Model):
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentors_as_learner")
    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentees_as_mentor")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "mentor"],
                condition=Q(ended_at=None),
                name="one_active_mentorship_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(learner=models.F("mentor")), name="no_self_mentoring"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.learner}"


class NotificationQuerySet(OwnedQuerySet):
    owner = "user"

    def visible_to(self, user) -> NotificationQuerySet:
        """A user's own notifications, nobody else's (not even their mentor's)."""
        return self.owned_by(user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        REVIEW_WAITING = "review_waiting", "A submission is waiting for review"
        RESUBMITTED = "resubmitted", "Resubmitted after changes"
        WITHDRAWN = "withdrawn", "Withdrawn from review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        COMMENT = "comment", "New comment"
        SCORED = "scored", "Rubric scores from your mentor"
        ANSWER_COMMENT = "answer_comment", "Comment on a practice answer"
        INVITE_ACCEPTED = "invite_accepted", "Invite accepted"
        MENTORSHIP_ENDED = "mentorship_ended", "Mentorship ended"
        REMINDER = "reminder", "Review reminder"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # The learner it is about when that is not `user` (a mentee): "mute this mentee".
    about = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.text}"

    def get_absolute_url(self) -> str:
        """Opening it here marks it read, then goes on to `target`."""
        return reverse("notification", args=[self.pk])

    @property
    def target(self) -> str:
        """Where it leads: a path on this site, or nothing. An imported export may carry
        any string here, so an outside or scripted address is never followed."""
        url = self.url
        if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
            return url
        return ""


class ReminderSent(models.Model):
    """That a mentor was nudged about one wait of one submission, so cron can rerun."""

    submission = models.ForeignKey("tracker.Submission", on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField()  # the wait it is about (a resubmission starts anew)
    days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "submitted_at", "days"], name="reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} +{self.days}d"


class AnswerCommentQuerySet(OwnedQuerySet):
    owner = "answer__learner"


class AnswerComment(RendersMarkdown, models.Model):
    """A mentor's (or the learner's own) comment on a practice answer."""

    markdown_fields = {"body": "body_html"}

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=10_000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AnswerCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.answer_id}"
