"""A learner's rehearsals of the recruiters' rounds (roadmap.HiringRound).

One `Attempt` per go at a round. What the round needs lives on the attempt: the resume
for the resume screen, the mock interview for a timed screen, the design document and
the capacity worksheet for the take-home, the structured answer for the scale
discussion, the deliverable (and `TrialUpdate`s) for the trial project. The outcome is
*pass* or *not yet* with the reasons, decided by the learner (self) or a mentor, who
acts as the recruiter or the client.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from roadmap.markdown import RendersMarkdown
from roadmap.models import HiringRound
from tracker.models import MockInterview, OwnedQuerySet, User

RESUME_MAX_CHARS = 30_000  # a long resume is ~8K characters
DOCUMENT_MAX_CHARS = 60_000  # a take-home design document


class Attempt(RendersMarkdown, models.Model):
    markdown_fields = {"document": "document_html"}

    class Outcome(models.TextChoices):
        OPEN = "open", "In progress"
        PASS = "pass", "Pass"
        NOT_YET = "not-yet", "Not yet"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hiring_attempts")
    round = models.ForeignKey(HiringRound, on_delete=models.PROTECT, related_name="attempts")
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)  # timed rounds only
    # Resume screen: the text as pasted or extracted, and the automatic checks' results.
    resume = models.TextField(blank=True, max_length=RESUME_MAX_CHARS)
    resume_file = models.CharField(max_length=200, blank=True)  # the uploaded PDF's name
    checks = models.JSONField(default=list, blank=True)
    # Technical and GPU screens: the timed mock interview the learner answers in.
    interview = models.OneToOneField(
        MockInterview, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempt"
    )
    # Take-home, scale discussion, trial project: markdown, rendered on save.
    document = models.TextField(blank=True, max_length=DOCUMENT_MAX_CHARS)
    document_html = models.TextField(blank=True, editable=False)
    worksheet = models.JSONField(default=dict, blank=True)  # capacity and cost inputs
    # The judgement: qualities shown (rubric listen_for keys) or ratings (trial project).
    qualities = models.JSONField(default=list, blank=True)
    ratings = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    reasons = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True, max_length=4000)
    judged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    judged_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["learner", "round"])]

    def __str__(self) -> str:
        return f"{self.learner}: {self.round_id} {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("hiring:attempt", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN

    @property
    def verified(self) -> bool:
        """Judged by someone other than the learner (a mentor acting as recruiter)."""
        return self.judged_by_id is not None and self.judged_by_id != self.learner_id


class TrialUpdate(RendersMarkdown, models.Model):
    """A weekly update the learner posts during a trial project."""

    markdown_fields = {"body": "body_html"}

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="updates")
    body = models.TextField(max_length=8000)
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class UpdateQuerySet(OwnedQuerySet):
        owner = "attempt__learner"

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Update {self.created_at:%Y-%m-%d} on {self.attempt}"


def _diagram_path(instance: AttemptImage, filename: str) -> str:
    return f"hiring/{instance.attempt.learner_id}/{filename}"


class AttemptImage(models.Model):
    """A diagram of a take-home design, already decoded, size-checked and re-encoded
    (tracker.images), as milestone evidence images are."""

    MAX_PER_ATTEMPT = 6

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to=_diagram_path, max_length=300)
    thumbnail = models.FileField(upload_to=_diagram_path, max_length=300)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class ImageQuerySet(OwnedQuerySet):
        owner = "attempt__learner"

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name

    def url(self, size: str = "full") -> str:
        return reverse("hiring:diagram", args=[self.attempt_id, self.pk, size])
