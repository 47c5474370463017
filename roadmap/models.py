"""The roadmap's content, loaded from `seeds/` by `manage.py load_roadmap`.

Longer than 400 lines on purpose: every content model shares the `Content` base and
the loader's key/retire rules; one file mirrors the one seeds folder.

Every row has a stable `key` (a slug from the seeds files), unique within its
parent. The loader upserts by key; learners' progress points at rows, so a key
never changes once published. An item removed from the files is retired
(`is_active=False`): hidden from new plans, still shown in history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from .markdown import RendersMarkdown

# How long a plan may run, in months: a roadmap's suggested length (seeds), a learner's
# plan (the plan form, the import, the database) and a background's ramp-up all hold to it.
PLAN_MONTHS_MIN, PLAN_MONTHS_MAX = 3, 24


class ContentQuerySet(models.QuerySet):
    #: The lookup path from this model to its Roadmap ("" for Roadmap itself).
    roadmap_path = "roadmap"

    def active(self) -> ContentQuerySet:
        """Rows still in the seeds files (retired rows stay for history)."""
        return self.filter(is_active=True)

    def current(self) -> ContentQuerySet:
        """Active rows of the roadmap this site shows (settings.ROADMAP_KEY)."""
        prefix = f"{self.roadmap_path}__" if self.roadmap_path else ""
        return self.filter(is_active=True, **{f"{prefix}key": settings.ROADMAP_KEY})


# One named class per path to the roadmap (named, so cached rows pickle).
class RoadmapQuerySet(ContentQuerySet):
    roadmap_path = ""


class RoadmapChildQuerySet(ContentQuerySet):
    roadmap_path = "roadmap"


class PhaseChildQuerySet(ContentQuerySet):
    roadmap_path = "phase__roadmap"


class RubricChildQuerySet(ContentQuerySet):
    roadmap_path = "rubric__roadmap"


class Content(models.Model):
    key = models.SlugField(max_length=80)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # Most content has a title; the rest names itself below, or by its key.
        return getattr(self, "title", "") or self.key


class Roadmap(RendersMarkdown, Content):
    markdown_fields = {"summary": "summary_html", "description": "description_html"}

    title = models.CharField(max_length=200)
    summary = models.TextField()
    summary_html = models.TextField(editable=False, default="")
    description = models.TextField(blank=True)
    description_html = models.TextField(editable=False, default="")
    plan_months = models.PositiveSmallIntegerField(default=12)
    difficulty = models.CharField(max_length=40)
    entry_barrier = models.CharField(max_length=40)
    coding = models.CharField(max_length=200, blank=True)
    fit = models.JSONField(default=list)
    not_fit = models.JSONField(default=list)
    role_is = models.JSONField(default=list)
    role_is_not = models.JSONField(default=list)
    typical_day = models.JSONField(default=list)
    areas = models.JSONField(default=list)
    source = models.CharField(max_length=80)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key"], name="roadmap_key_unique")]


class Phase(RendersMarkdown, Content):
    markdown_fields = {"summary": "summary_html"}

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="phases")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    weeks = models.PositiveSmallIntegerField()
    summary = models.TextField(blank=True)
    summary_html = models.TextField(editable=False, default="")

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "key"], name="phase_key_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("roadmap:phase", args=[self.key])

    @property
    def short_title(self) -> str:
        """The part of the title before the colon: "Foundations"."""
        return self.title.split(":")[0]

    @property
    def label(self) -> str:
        """How lists and tables name a phase: "2. Containers, Kubernetes …"."""
        return f"{self.order}. {self.short_title}"


class Goal(Content):
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="goals")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    objects = PhaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["phase__order", "order"]
        constraints = [models.UniqueConstraint(fields=["phase", "key"], name="goal_key_unique")]


class Resource(Content):
    class Kind(models.TextChoices):
        COURSE = "course"
        BOOK = "book"
        DOCS = "docs"
        CERTIFICATION = "certification"
        REPO = "repo"
        ARTICLE = "article"
        VIDEO = "video"

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="resources")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(blank=True)

    objects = PhaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["phase__order", "order"]
        constraints = [models.UniqueConstraint(fields=["phase", "key"], name="resource_key_unique")]


class Milestone(Content):
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="milestones")
    text = models.CharField(max_length=400)
    evidence_hint = models.TextField(blank=True)

    objects = PhaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["phase__order"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "key"], name="milestone_key_unique")
        ]

    def __str__(self) -> str:
        return self.text


class Rubric(Content):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="rubrics")
    title = models.CharField(max_length=200)
    # The verdict rule, as data: a score of at least `strong_min_score` on at
    # least `strong_min_dimensions` dimensions makes a strong candidate.
    strong_min_score = models.PositiveSmallIntegerField()
    strong_min_dimensions = models.PositiveSmallIntegerField()
    strong_label = models.CharField(max_length=80)
    weak_label = models.CharField(max_length=80)
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["roadmap", "key"], name="rubric_key_unique")]

    def verdict(self, scores: list[int]) -> bool:
        """True when `scores` meet the rule: strong candidate."""
        return sum(score >= self.strong_min_score for score in scores) >= (
            self.strong_min_dimensions
        )


class Dimension(Content):
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="dimensions")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    summary = models.TextField(blank=True)
    # {"1": "…", "3": "…", "5": "…"}: levels 2 and 4 sit between.
    descriptors = models.JSONField(default=dict)
    # What builds it, as content keys: {"goals": ["phase/goal"], "resources":
    # ["phase/resource"], "skills": [...], "questions": [...]}; empty: derived.
    builds = models.JSONField(default=dict, blank=True)

    objects = RubricChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "key"], name="dimension_key_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def descriptor(self, level: int) -> str:
        return self.descriptors.get(str(level), "")


class RubricItem(Content):
    """A line of the recruiter's guide that is not a dimension."""

    class Kind(models.TextChoices):
        SCREEN_CHECK = "screen_check", "Resume-screen check"
        RED_FLAG = "red_flag", "Red flag"
        LISTEN_FOR = "listen_for", "What to listen for"
        STRONG_MARKER = "strong_marker", "Marker of a strong candidate"

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()

    objects = RubricChildQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "kind", "key"], name="rubricitem_key_unique")
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60]


class SkillDomain(Content):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="domains")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "key"], name="domain_key_unique")]


class Skill(Content):
    class Tier(models.TextChoices):
        NON_NEGOTIABLE = "non-negotiable", "Non-negotiable"
        HIGHLY_VALUED = "highly-valued", "Highly valued"
        EMERGING = "emerging", "Emerging"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="skills")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    tier = models.CharField(max_length=20, choices=Tier.choices, blank=True)
    domain = models.ForeignKey(
        SkillDomain, null=True, blank=True, on_delete=models.PROTECT, related_name="skills"
    )
    description = models.TextField()
    phases = models.ManyToManyField(Phase, related_name="skills")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="skills")
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "key"], name="skill_key_unique")]

    def __str__(self) -> str:
        return self.name


class Question(RendersMarkdown, Content):
    markdown_fields = {"model_answer": "model_answer_html"}

    class Level(models.TextChoices):
        FUNDAMENTALS = "fundamentals", "Fundamentals"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    class Kind(models.TextChoices):
        CONCEPT = "concept", "Concept"
        SYSTEM_DESIGN = "system-design", "System design"
        TROUBLESHOOTING = "troubleshooting", "Troubleshooting"
        SCENARIO = "scenario", "Scenario"
        BEHAVIOURAL = "behavioural", "Behavioural"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    level = models.CharField(max_length=20, choices=Level.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="questions")
    skills = models.ManyToManyField(Skill, related_name="questions")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="questions")
    key_points = models.JSONField(default=list)
    model_answer = models.TextField()
    model_answer_html = models.TextField(editable=False, default="")
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["phase__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="question_key_unique")
        ]
        indexes = [models.Index(fields=["level", "phase", "dimension"])]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("roadmap:question", args=[self.key])


class CareerLevel(Content):
    class Period(models.TextChoices):
        YEAR = "year"
        MONTH = "month"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="career_levels")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    years = models.CharField(max_length=20)
    salary_min = models.PositiveIntegerField()
    salary_max = models.PositiveIntegerField()  # 0: open-ended
    open_ended = models.BooleanField(default=False)  # "…–400,000+": a top, then "+"
    currency = models.CharField(max_length=3)
    period = models.CharField(max_length=10, choices=Period.choices)
    responsibilities = models.JSONField(default=list)
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="careerlevel_key_unique")
        ]


class SalaryBand(Content):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="salary_bands")
    order = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=80)
    seniority = models.CharField(max_length=80)
    salary_min = models.PositiveIntegerField()
    salary_max = models.PositiveIntegerField()  # 0: open-ended
    open_ended = models.BooleanField(default=False)  # "…–400,000+": a top, then "+"
    currency = models.CharField(max_length=3)
    period = models.CharField(max_length=10, choices=CareerLevel.Period.choices)
    basis = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="salaryband_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.seniority}"


class Background(Content):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="backgrounds")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    ramp_up_min_months = models.PositiveSmallIntegerField()
    ramp_up_max_months = models.PositiveSmallIntegerField()
    # True when the source gives no timeframe and the months are our own estimate.
    ramp_up_estimated = models.BooleanField(default=False)
    summary = models.TextField()
    gap = models.TextField(blank=True)
    fast_track_phases = models.ManyToManyField(Phase, related_name="+", blank=True)
    credit_goals = models.ManyToManyField(Goal, related_name="+", blank=True)
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="background_key_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ramp_up_label(self) -> str:
        months = f"{self.ramp_up_min_months}–{self.ramp_up_max_months} months"
        return f"{months} (our estimate)" if self.ramp_up_estimated else months


# --- roles, market and hiring (roles.toml, market.toml, hiring.toml) --------------------


class Money(models.Model):
    """A pay range as the sources give it. salary_max 0: open-ended ("$500K+");
    salary_min and salary_max both 0: the source names no figure."""

    salary_min = models.PositiveIntegerField(default=0)
    salary_max = models.PositiveIntegerField(default=0)
    open_ended = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, blank=True)
    period = models.CharField(max_length=10, choices=CareerLevel.Period.choices, blank=True)

    class Meta:
        abstract = True

    @property
    def has_range(self) -> bool:
        return bool(self.salary_min or self.salary_max)


class Role(Content, Money):
    """One of the three roles seed 003 sets side by side."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="roles")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    focus = models.TextField()
    builds = models.TextField()
    tools = models.JSONField(default=list)
    question = models.TextField()
    # The role this roadmap leads to (the others are shown for contrast).
    is_target = models.BooleanField(default=False)
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "key"], name="role_key_unique")]


class RolePath(Content):
    """How directly one background leads to one role."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="role_paths")
    order = models.PositiveSmallIntegerField()
    background = models.ForeignKey(Background, on_delete=models.PROTECT, related_name="+")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="paths")
    directness = models.CharField(max_length=120)
    text = models.TextField()
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="rolepath_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.background} → {self.role}"


class PayRange(Content, Money):
    """Pay by company type, and the senior paths the role leads to (seed 001)."""

    class Kind(models.TextChoices):
        COMPANY_TYPE = "company-type", "Company type"
        SENIOR_PATH = "senior-path", "Senior path"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="pay_ranges")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    basis = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="payrange_key_unique")
        ]


class MarketFact(Content):
    """One sourced fact, grouped by kind: a note on the roles, a market figure, a pay
    premium, a piece of advice, a company or a place candidates come from."""

    class Kind(models.TextChoices):
        ROLE_NOTE = "role-note", "About the roles"
        MARKET = "market", "Market"
        PREMIUM = "premium", "Pay premium"
        LANDSCAPE = "landscape", "Technology landscape"
        PROCESS = "process", "Hiring process"
        ADVICE = "advice", "Advice"
        TARGET_COMPANY = "target-company", "Target company"
        CANDIDATE_SOURCE = "candidate-source", "Where candidates come from"
        HIRING_COMPANY = "hiring-company", "Hiring now"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="facts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    figure = models.CharField(max_length=40, blank=True)  # "+25–40%", "~38%", ""
    text = models.TextField()
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="marketfact_key_unique")
        ]


class TechCategory(Content):
    """A row of seed 003's technology landscape: market leaders vs rising tools."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="tech_categories")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    leaders = models.JSONField(default=list)
    rising = models.JSONField(default=list)
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "tech categories"
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="techcategory_key_unique")
        ]


class HiringProcess(Content):
    """A hiring process as one source's recruiters run it, made of ordered rounds."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="processes")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "hiring processes"
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="hiringprocess_key_unique")
        ]


class ProcessChildQuerySet(ContentQuerySet):
    roadmap_path = "process__roadmap"


class HiringRound(Content):
    """One round (or kind of interview) of a hiring process and how it is judged."""

    process = models.ForeignKey(HiringProcess, on_delete=models.PROTECT, related_name="rounds")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    length = models.CharField(max_length=40, blank=True)  # "30 min", "2-4 weeks"; "" not given
    summary = models.TextField(blank=True)
    asks = models.JSONField(default=list)  # what the candidate is asked or given
    looks_for = models.TextField()  # what the recruiter looks for
    source = models.CharField(max_length=80)

    objects = ProcessChildQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["process", "key"], name="hiringround_key_unique")
        ]


class LabScenario(RendersMarkdown, Content):
    """A simulated GPU-cluster incident for the debugging lab (seeds/<roadmap>/labs/).

    The scenario's whole file is kept as checked data in `spec` (cluster, fault,
    commands, output templates, evidence, cause, distractors, method): the generator
    and the scoring read it as one unit, and only the columns a list shows are columns.
    """

    markdown_fields = {"symptom": "symptom_html", "remediation": "remediation_html"}

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="lab_scenarios")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    symptom = models.TextField()
    symptom_html = models.TextField(editable=False, default="")
    remediation = models.TextField()
    remediation_html = models.TextField(editable=False, default="")
    spec = models.JSONField(default=dict)
    source = models.CharField(max_length=80)

    objects = RoadmapChildQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="labscenario_key_unique")
        ]
