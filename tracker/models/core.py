"""The learner's side: account, plan, progress on goals and resources, milestone
submissions with their history, and the study log.

Access has one gate. Every learner-owned model's QuerySet (`OwnedQuerySet`, or a
subclass naming the path to the owner) has two methods: `owned_by(user)`, the rows
`user` may change (and reads of their own data), and `visible_to(user)`, the rows
they may see (their own and their active mentees'). Every view reads and writes
learner data through one of them (or through a row already fetched through them), so
an outsider's request finds nothing and gets a 404; `tests/test_access_gate.py` fails
if a view filters on the owner by hand. Two pages have rules of their own: the public
portfolio (the owner's opt-in) and an invite (whoever holds the link).
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from roadmap.markdown import RendersMarkdown
from roadmap.models import (
    PLAN_MONTHS_MAX,
    PLAN_MONTHS_MIN,
    Background,
    Goal,
    Milestone,
    Phase,
    Resource,
    Roadmap,
)

# How far from today a plan may start: the plan form and an import both hold to it.
PLAN_START_PAST_DAYS, PLAN_START_AHEAD_DAYS = 5 * 366, 366
# The earliest day a dated row may carry (an import checks it): weeks, streaks and charts
# are computed over these dates, and a year-1 or year-9999 date breaks that arithmetic.
HISTORY_START = date(2000, 1, 1)
# The latest start any plan may have, whatever wrote it (the forms allow far less).
PLAN_START_LATEST = date(2100, 12, 31)


# Control characters (line breaks and tabs among them) and the Unicode line and paragraph
# separators: none belongs in a one-line name, and each breaks an email header or a drawing.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            "Use one line of text: no line breaks, tabs or other control characters.",
            code="control_characters",
        )


def _avatar_path(instance: User, filename: str) -> str:
    return f"avatars/{instance.pk}/{filename}"


class User(AbstractUser):
    """A Rampup account: the same user may be a learner and a mentor."""

    display_name = models.CharField(max_length=80, blank=True, validators=[validate_single_line])
    time_zone = models.CharField(max_length=64, default="UTC")
    # Practice: how many new questions and reviews a day, at most.
    daily_new_cap = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(0), MaxValueValidator(50)]
    )
    daily_review_cap = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    # The chance of recalling a card when it comes due: FSRS sets every interval by it.
    desired_retention = models.FloatField(
        default=0.9, validators=[MinValueValidator(0.8), MaxValueValidator(0.95)]
    )
    # Sharing: the public portfolio at /u/<username>/ is off until the user switches it on.
    portfolio_public = models.BooleanField(default=False)
    # What the portfolio (page, print view and card) shows (tracker.portfolio.SECTIONS).
    portfolio_hidden = models.JSONField(default=list, blank=True)  # section keys left out
    portfolio_hide_self_scores = models.BooleanField(default=False)
    portfolio_headline = models.CharField(
        max_length=120, blank=True, validators=[validate_single_line]
    )
    portfolio_pitch = models.TextField(max_length=600, blank=True)  # plain text, escaped
    avatar = models.FileField(upload_to=_avatar_path, blank=True, max_length=300)
    # Mentoring: the most active mentees this user takes on (empty: no limit).
    mentor_capacity = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username


class OwnedQuerySet(models.QuerySet):
    """Rows a learner owns; `owner` is the lookup path to that learner (a child row
    names it through its parent, e.g. `submission__learner`)."""

    owner = "learner"

    def owned_by(self, user) -> OwnedQuerySet:
        """Rows `user` owns: what they may change, and their own data when a page shows
        only theirs. Nobody else's, not even a mentor's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(**{self.owner: user})

    def visible_to(self, user) -> OwnedQuerySet:
        """Rows `user` may see: their own, and their mentees' while the mentorship is
        active. The one read rule for learner data: every view reads through it or
        through `owned_by`."""
        if not user.is_authenticated:
            return self.none()
        from .mentoring import Mentorship

        mentees = Mentorship.objects.active().mentored_by(user).values("learner_id")
        return self.filter(Q(**{self.owner: user}) | Q(**{f"{self.owner}__in": mentees}))


class ProgressPartQuerySet(OwnedQuerySet):
    owner = "progress__learner"


class SubmissionPartQuerySet(OwnedQuerySet):
    owner = "submission__learner"


class Plan(models.Model):
    learner = models.OneToOneField(User, on_delete=models.CASCADE, related_name="plan")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(
        validators=[MinValueValidator(HISTORY_START), MaxValueValidator(PLAN_START_LATEST)]
    )
    months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(PLAN_MONTHS_MIN), MaxValueValidator(PLAN_MONTHS_MAX)],
    )
    background = models.ForeignKey(
        Background, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    weekly_hours = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            # Whatever writes a plan (a form, the import, the admin, a script), every page
            # that dates its phases can compute with it: one learner's odd row never
            # breaks their pages or their mentor's.
            models.CheckConstraint(
                condition=Q(start_date__gte=HISTORY_START, start_date__lte=PLAN_START_LATEST),
                name="plan_start_in_range",
            ),
            models.CheckConstraint(
                condition=Q(months__gte=PLAN_MONTHS_MIN, months__lte=PLAN_MONTHS_MAX),
                name="plan_months_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.months} months from {self.start_date}"


class ItemStatus(models.TextChoices):
    TODO = "todo", "To do"
    DOING = "doing", "Doing"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"
    CREDITED = "credited", "Already known"


class ItemProgress(RendersMarkdown, models.Model):
    """A learner's status, note and links on one goal or one resource."""

    markdown_fields = {"note": "note_html"}

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="item_progress")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.PROTECT, related_name="progress"
    )
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.PROTECT, related_name="progress"
    )
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.TODO)
    note = models.TextField(blank=True, max_length=20_000)
    note_html = models.TextField(blank=True, editable=False)
    credit_evidence = models.CharField(max_length=200, blank=True)
    # A mentor's word on a credit (tracker.trust): "", "confirmed" or "questioned".
    credit_review = models.CharField(
        max_length=12,
        blank=True,
        choices=[("", "Not reviewed"), ("confirmed", "Confirmed"), ("questioned", "Questioned")],
    )
    # SET_NULL: the review outlives the mentor's account.
    credit_reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    credit_reviewed_at = models.DateTimeField(null=True, blank=True)
    # When the item last became done or credited: the pace and the burn-up read it.
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, resource__isnull=True)
                | Q(goal__isnull=True, resource__isnull=False),
                name="progress_goal_xor_resource",
            ),
            models.UniqueConstraint(
                fields=["learner", "goal"],
                condition=Q(goal__isnull=False),
                name="progress_unique_goal",
            ),
            models.UniqueConstraint(
                fields=["learner", "resource"],
                condition=Q(resource__isnull=False),
                name="progress_unique_resource",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.item} ({self.status})"

    @property
    def item(self) -> Goal | Resource:
        return self.goal or self.resource

    @property
    def kind(self) -> str:
        return "goal" if self.goal_id else "resource"


class ItemLink(models.Model):
    """A learner's own link on a goal or resource (http/https only)."""

    progress = models.ForeignKey(ItemProgress, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgressPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Submission(RendersMarkdown, models.Model):
    """A learner's evidence for one milestone, and where it stands in review."""

    markdown_fields = {"evidence": "evidence_html"}

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="submissions")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    evidence = models.TextField(blank=True, max_length=50_000)
    evidence_html = models.TextField(blank=True, editable=False)
    self_approved = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "milestone"], name="submission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.milestone} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("milestone", args=[self.pk])

    @property
    def state_label(self) -> str:
        if self.state == self.State.APPROVED and self.self_approved:
            return "Self-approved"
        return self.get_state_display()


class SubmissionLink(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=120)
    url = models.URLField(max_length=500)

    objects = SubmissionPartQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


def _image_path(instance: SubmissionImage, filename: str) -> str:
    return f"evidence/{instance.submission.learner_id}/{filename}"


class SubmissionImage(models.Model):
    """An evidence image, already decoded, size-checked and re-encoded (tracker.images)."""

    MAX_PER_SUBMISSION = 5

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to=_image_path, max_length=300)
    thumbnail = models.FileField(upload_to=_image_path, max_length=300)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubmissionPartQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class SubmissionEvent(RendersMarkdown, models.Model):
    """One entry in a submission's thread: a state change (who, when) or a comment."""

    markdown_fields = {"comment": "comment_html"}

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    # SET_NULL: a comment outlives its author's account ("deleted user").
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True, max_length=20_000)
    comment_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubmissionPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.from_state} → {self.to_state}"

    @property
    def to_label(self) -> str:
        return Submission.State(self.to_state).label if self.to_state else ""


class StudyLog(models.Model):
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="study_logs")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["learner", "date"])]

    def __str__(self) -> str:
        return f"{self.learner} {self.date}: {self.minutes} min"
