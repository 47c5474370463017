"""The job search: applications moving through the recruiters' stages, and open-source
contributions the learner shows as evidence.

Both are learner-owned: every view reads them through `owned_by(user)` (the learner's
own pipeline is private; a mentor sees neither), and a write bumps the learner's data
version (jobs.apps) so the cached portfolio and dashboard render again.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from roadmap.markdown import RendersMarkdown
from tracker.models import HISTORY_START, OwnedQuerySet, User
from tracker.models.core import validate_single_line


class Stage(models.TextChoices):
    """The recruiters' process (seed 000's three steps, seed 003's four rounds), in order."""

    APPLIED = "applied", "Applied"
    RESUME_SCREEN = "resume_screen", "Resume screen"
    TECHNICAL_SCREEN = "technical_screen", "Technical screen"
    TAKE_HOME = "take_home", "Take-home"
    DEBUGGING = "debugging", "Debugging round"
    ARCHITECTURE = "architecture", "Architecture round"
    TRIAL = "trial", "Trial project"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Where an application can still move forward; the rest are where it ended.
OPEN_STAGES = tuple(Stage)[: tuple(Stage).index(Stage.OFFER) + 1]
CLOSED_STAGES = (Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN)


class Level(models.TextChoices):
    """The seniority levels the sources' bands use (seed 001, 002, 003)."""

    JUNIOR = "junior", "Junior (0–2 years)"
    MID = "mid", "Mid-level (2–5 years)"
    SENIOR = "senior", "Senior (5–8 years)"
    STAFF = "staff", "Staff / Principal"
    HEAD = "head", "Head of AI Infra / VP"


class Source(models.TextChoices):
    REFERRAL = "referral", "Referral"
    OUTBOUND = "outbound", "Outbound"
    JOB_BOARD = "job_board", "Job board"


class ApplicationQuerySet(OwnedQuerySet):
    def follow_ups(self, until) -> ApplicationQuerySet:
        """Open applications with a follow-up date on or before `until`, soonest first."""
        return (
            self.filter(follow_up_on__isnull=False, follow_up_on__lte=until)
            .exclude(stage__in=CLOSED_STAGES)
            .order_by("follow_up_on", "pk")
        )


class Application(RendersMarkdown, models.Model):
    markdown_fields = {"notes": "notes_html"}

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="applications")
    company = models.CharField(max_length=120, validators=[validate_single_line])
    role = models.CharField(
        max_length=120, default="AI Infrastructure Engineer", validators=[validate_single_line]
    )
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.MID)
    region = models.CharField(max_length=80, blank=True, validators=[validate_single_line])
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.OUTBOUND)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    # The furthest open stage it reached (the funnel counts it after a rejection too).
    furthest = models.CharField(max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    applied_on = models.DateField(null=True, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    contacts = models.TextField(blank=True, max_length=2_000)
    notes = models.TextField(blank=True, max_length=20_000)
    notes_html = models.TextField(blank=True, editable=False)
    stage_changed_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["learner", "follow_up_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(applied_on__isnull=True) | Q(applied_on__gte=HISTORY_START),
                name="application_applied_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.role} ({self.get_stage_display()})"

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES

    @property
    def next_stage(self) -> Stage | None:
        """The stage a "move on" button leads to (None once there is an offer or an end)."""
        stages = list(OPEN_STAGES)
        if self.stage in stages and self.stage != Stage.OFFER:
            return stages[stages.index(self.stage) + 1]
        return None


# github.com/<owner>/<repo>/pull/<n> or …/issues/<n>: the only URLs a contribution takes.
GITHUB_URL = re.compile(
    r"^https://github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/"
    r"(?P<repo>[A-Za-z0-9._-]{1,100})/(?P<kind>pull|issues)/(?P<number>[1-9][0-9]{0,9})/?$"
)


def parse_github_url(url: str) -> re.Match[str]:
    found = GITHUB_URL.match(url.strip())
    if not found:
        raise ValidationError(
            "Use the address of a pull request or an issue on GitHub, like "
            "https://github.com/vllm-project/vllm/pull/1234.",
            code="github_url",
        )
    return found


class Contribution(models.Model):
    """A pull request or an issue on an open-source AI-infrastructure project."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        MERGED = "merged", "Merged"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contributions")
    url = models.URLField(max_length=300, validators=[parse_github_url])
    title = models.CharField(max_length=200, validators=[validate_single_line])
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # Content keys (roadmap.Skill, rubric Dimension): kept as keys so a reload of the
    # seeds never breaks a row, and an export names them the same way.
    skills = models.JSONField(default=list, blank=True)
    dimensions = models.JSONField(default=list, blank=True)
    # What it measured or changed, in one line: the resume helper quotes it.
    impact = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    merged_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "url"], name="contribution_unique_url")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """ "vllm-project/vllm#1234", as GitHub writes it."""
        found = GITHUB_URL.match(self.url)
        if not found:
            return self.url
        return f"{found['owner']}/{found['repo']}#{found['number']}"

    @property
    def project(self) -> str:
        found = GITHUB_URL.match(self.url)
        return found["repo"] if found else ""

    @property
    def is_pull(self) -> bool:
        found = GITHUB_URL.match(self.url)
        return bool(found and found["kind"] == "pull")
