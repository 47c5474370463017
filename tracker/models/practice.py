"""Practice: answering interview questions, rating yourself, and when to see them again.

A `Card` holds the FSRS memory state of one question for one learner; every rating
adds a `Review` (append-only) and moves the card. An `Answer` is what the learner
wrote — a draft until submitted, then ticked against the key points and the four
qualities recruiters listen for, then rated. A `MockInterview` is a timed set of
questions; its answers are ordinary answers that feed the same schedule.
"""

from __future__ import annotations

from datetime import datetime

import fsrs
from django.db import models
from django.urls import reverse
from django.utils import timezone

from roadmap.markdown import RendersMarkdown
from roadmap.models import Question

from .core import OwnedQuerySet, User

LEECH_LAPSES = 6


class Quality(models.TextChoices):
    """The four things recruiters listen for (rubric.toml: listen_for)."""

    SPECIFICITY = "specificity", "Specificity"
    TRADE_OFF_AWARENESS = "trade-off-awareness", "Trade-off awareness"
    DEBUGGING_STORIES = "debugging-stories", "Debugging stories"
    SYSTEMS_THINKING = "systems-thinking", "Systems thinking"


class Rating(models.IntegerChoices):
    AGAIN = 1, "Again"
    HARD = 2, "Hard"
    GOOD = 3, "Good"
    EASY = 4, "Easy"


class Card(models.Model):
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="cards")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # FSRS state (fsrs.Card), stored as columns so the queue can filter on `due`.
    state = models.PositiveSmallIntegerField(default=fsrs.State.Learning.value)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(default=timezone.now)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)  # ratings of Again
    last_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "question"], name="card_unique")]
        indexes = [models.Index(fields=["learner", "due"])]

    def __str__(self) -> str:
        return f"{self.learner}: {self.question_id} due {self.due:%Y-%m-%d}"

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES

    def to_fsrs(self) -> fsrs.Card:
        return fsrs.Card(
            card_id=self.pk,
            state=fsrs.State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    def take(self, card: fsrs.Card) -> None:
        self.state = card.state.value
        self.step = card.step
        self.stability = card.stability
        self.difficulty = card.difficulty
        self.due = card.due
        self.last_review = card.last_review


class MockInterview(models.Model):
    class Kind(models.TextChoices):
        TECHNICAL_SCREEN = "technical-screen", "Technical screen"
        GPU_SCREENING = "gpu-screening", "GPU infrastructure screening"
        LIVE_DEBUGGING = "live-debugging", "Live debugging"
        CUSTOM = "custom", "Custom"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="interviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=120)
    minutes = models.PositiveSmallIntegerField()
    questions = models.JSONField(default=list)  # question ids, in order
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Spoken mode: each question is answered out loud (a Recording), as real interviews are.
    spoken = models.BooleanField(default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.learner}: {self.title} {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("interview", args=[self.pk])

    def is_over(self, now: datetime | None = None) -> bool:
        return self.finished_at is not None or (now or timezone.now()) >= self.deadline

    @property
    def ended_early(self) -> bool:
        """Finished by the learner before the deadline (otherwise time ran out)."""
        return self.finished_at is not None and self.finished_at < self.deadline


class Answer(RendersMarkdown, models.Model):
    markdown_fields = {"body": "body_html"}

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RATED = "rated", "Rated"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    interview = models.ForeignKey(
        MockInterview, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    body = models.TextField(blank=True, max_length=30_000)
    body_html = models.TextField(blank=True, editable=False)
    covered_points = models.JSONField(default=list)  # indexes into question.key_points
    qualities = models.JSONField(default=list)  # Quality values
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    late = models.BooleanField(default=False)  # submitted after the interview's deadline
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Key points and model answer shown: a rating is refused before this.
    revealed_at = models.DateTimeField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The mentor's rating of this answer, next to the learner's own. Only a mentor sets
    # it (never an import); it does not move the learner's schedule.
    mentor_rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    mentor_qualities = models.JSONField(default=list)  # Quality values
    mentor_rated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentor_rated_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["learner", "question", "status"])]
        # One draft per question (per interview): concurrent autosaves meet here, so the
        # second insert fails and `answer_save` updates the first instead. Two partial
        # constraints, because NULL interviews never collide in a unique index.
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "question"],
                condition=models.Q(status="draft", interview__isnull=True),
                name="answer_one_draft",
            ),
            models.UniqueConstraint(
                fields=["learner", "question", "interview"],
                condition=models.Q(status="draft", interview__isnull=False),
                name="answer_one_interview_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.question_id} ({self.status})"


class Review(models.Model):
    """One rating of one question: the FSRS review log, append-only."""

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reviews")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    qualities = models.JSONField(default=list)  # Quality values ticked with this rating
    reviewed_at = models.DateTimeField(default=timezone.now)
    was_new = models.BooleanField(default=False)
    due_before = models.DateTimeField()
    due_after = models.DateTimeField()

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        indexes = [models.Index(fields=["learner", "reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.learner}: {self.card_id} rated {self.rating}"


def _recording_path(instance: Recording, filename: str) -> str:
    return f"recordings/{instance.learner_id}/{filename}"


class Recording(models.Model):
    """A spoken answer, recorded in the browser: one take of an `Answer` (practice or mock
    interview), rated with it. Stored only after its container was checked
    (tracker.recordings); served to the owner and their active mentors."""

    MAX_PER_ANSWER = 5

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recordings")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="recordings")
    file = models.FileField(upload_to=_recording_path, max_length=300)
    content_type = models.CharField(max_length=40)  # "audio/webm" or "audio/ogg"
    size = models.PositiveIntegerField()  # bytes
    duration = models.FloatField()  # seconds, read from the container
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.learner}: {self.file.name} ({self.duration:.0f} s)"

    def get_absolute_url(self) -> str:
        return reverse("recording", args=[self.pk])

    @property
    def clock(self) -> str:
        """The length as a timer shows it: "1:05"."""
        seconds = round(self.duration)
        return f"{seconds // 60}:{seconds % 60:02d}"
