"""Assessment on the recruiters' rubric: dated, append-only score sets by a rater (the
learner themself, or their mentor), and the learner's resume-screen self-check."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from roadmap.markdown import RendersMarkdown
from roadmap.models import Dimension, RubricItem

from .core import OwnedQuerySet, User


class AssessmentPartQuerySet(OwnedQuerySet):
    owner = "assessment__learner"


class Assessment(models.Model):
    """One sitting: a score per dimension, never edited afterwards (history is append-only)."""

    class Role(models.TextChoices):
        SELF = "self", "Self"
        MENTOR = "mentor", "Mentor"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assessments")
    # SET_NULL: a mentor's scores outlive the mentor's account.
    rater = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.SELF)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["learner", "role", "created_at"])]

    def __str__(self) -> str:
        return f"{self.learner} by {self.role} on {self.created_at:%Y-%m-%d}"


class Score(RendersMarkdown, models.Model):
    markdown_fields = {"evidence": "evidence_html"}

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    evidence = models.TextField(blank=True, max_length=10_000)
    evidence_html = models.TextField(blank=True, editable=False)

    objects = AssessmentPartQuerySet.as_manager()

    class Meta:
        ordering = ["dimension__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="score_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension_id}: {self.score}"


class ScreenAnswer(models.Model):
    """The learner's answer to one resume-screen check or red flag, with evidence."""

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="screen_answers")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+")
    # For a check: "my resume shows this". For a red flag: "this describes my resume".
    applies = models.BooleanField(default=False)
    evidence = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "item"], name="screen_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.item_id} {'yes' if self.applies else 'no'}"
