"""A learner's attempts at the GPU-debugging lab: the scenario and seed (which fix the
simulated cluster), every command run in order, the hypotheses notebook, the diagnosis
and its outcome, and the review thread with their mentor.

Access goes through the one gate (tracker.models.OwnedQuerySet): `owned_by(user)` for
what the learner changes, `visible_to(user)` for what they and their active mentors see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from roadmap.markdown import RendersMarkdown
from roadmap.models import LabScenario
from tracker.models import OwnedQuerySet

NOTES_MAX = 20_000  # characters of hypotheses or remediation: a notebook, not a book
RUNS_MAX = 200  # commands per attempt: a 60-minute round runs a few dozen


class LabAttemptQuerySet(OwnedQuerySet):
    def newest_first(self) -> LabAttemptQuerySet:
        """With the scenario (every list shows its title), newest first."""
        return self.select_related("scenario").order_by("-started_at", "-pk")


class LabAttempt(models.Model):
    class Outcome(models.TextChoices):
        PASSED = "passed", "Passed: right cause, sound method"
        WEAK = "weak-method", "Right cause, method to work on"
        LUCKY = "lucky", "Right cause, but no evidence seen"
        WRONG = "wrong", "Wrong cause"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_attempts"
    )
    scenario = models.ForeignKey(LabScenario, on_delete=models.PROTECT, related_name="attempts")
    seed = models.PositiveIntegerField()  # fixes the simulated cluster (labs.telemetry)
    started_at = models.DateTimeField(default=timezone.now)
    hypotheses = models.TextField(blank=True, max_length=NOTES_MAX)
    cause = models.CharField(max_length=80, blank=True)  # the chosen cause's key
    remediation = models.TextField(blank=True, max_length=NOTES_MAX)
    submitted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    objects = LabAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["learner", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.scenario} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("labs:attempt", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    @property
    def passed(self) -> bool:
        return self.outcome == self.Outcome.PASSED


class LabRunQuerySet(OwnedQuerySet):
    owner = "attempt__learner"


class LabRun(models.Model):
    """One command the learner ran, in order: the method is read from this sequence."""

    attempt = models.ForeignKey(LabAttempt, on_delete=models.CASCADE, related_name="runs")
    order = models.PositiveSmallIntegerField()
    command = models.CharField(max_length=40)  # a roadmap.lab_schema.COMMANDS key
    node = models.PositiveSmallIntegerField(null=True, blank=True)  # for a node command
    ran_at = models.DateTimeField(default=timezone.now)

    objects = LabRunQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "order"], name="labrun_order_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.order} {self.command}"


class LabCommentQuerySet(OwnedQuerySet):
    owner = "attempt__learner"


class LabComment(RendersMarkdown, models.Model):
    """The review thread: the mentor's comments on an attempt, and the learner's replies."""

    markdown_fields = {"body": "body_html"}

    attempt = models.ForeignKey(LabAttempt, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=10_000)
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)

    objects = LabCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.attempt_id}"
