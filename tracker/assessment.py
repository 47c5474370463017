"""Assessment on the recruiters' rubric: the verdict, what holds it back, and what the
learner's own work says beside each self-score.

The verdict rule is data (Rubric.strong_min_score / strong_min_dimensions), never a
constant here. A dimension is *built* by what the rubric's data lists for it
(`Dimension.builds`) or, without such a list, by the phases that teach its skills and
by the practice questions filed under it; the evidence signals read the learner's progress
in those phases, their approved milestones there, and their practice ratings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q

from roadmap import content
from roadmap.models import Dimension, Phase, Question, Resource, Rubric, RubricItem, Skill

from .evidence import Evidence, for_learner
from .mentoring import on_mentor_score
from .models import Assessment, Card, Score, ScreenAnswer, Submission, User
from .prepared import Prepared
from .progress import COUNTED, LearnerProgress


@dataclass
class Signals:
    goals_done: int = 0
    goals_total: int = 0
    approved: list[int] = field(default_factory=list)  # phase orders with an approved milestone
    building_phases: int = 0
    good_questions: int = 0  # questions of the dimension last rated Good or Easy
    questions_total: int = 0
    # Hiring rounds passed, labs solved, contributions merged (tracker.evidence providers).
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def verified_evidence(self) -> int:
        return sum(1 for e in self.evidence if e.verified)

    def flag(self, score: int | None) -> str:
        """A warning when a self-score runs far ahead of the evidence."""
        if score is None:
            return ""
        if score >= 4 and not self.approved:
            return f"Rated {score}, but no approved milestone in the phases that build this."
        if score >= 3 and self.questions_total and not self.good_questions:
            return f"Rated {score}, but no question in this dimension rated Good or Easy yet."
        if score >= 3 and self.goals_total and not self.goals_done:
            return f"Rated {score}, but no goal done yet in the phases that build this."
        return ""


@dataclass
class Builds:
    """What builds a dimension: phases (with the learner's progress), skills, resources,
    practice questions."""

    phases: list[tuple[Phase, int | None]]
    skills: list[Skill]
    resources: list[Resource]
    questions: list[Question]
    # Hiring rounds that show it: {"key": "process/round", "title", "anchor"} (rubric data).
    rounds: list[dict] = field(default_factory=list)


@dataclass
class DimensionView:
    dimension: Dimension
    self_score: Score | None
    mentor_score: Score | None
    signals: Signals
    builds: Builds

    @property
    def flag(self) -> str:
        return self.signals.flag(self.self_score.score if self.self_score else None)

    @property
    def gap(self) -> int | None:
        return score_gap(self.self_score, self.mentor_score)


# Self and mentor this many points apart: worth a conversation.
DISCUSS_GAP = 2


def score_gap(self_score: Score | None, mentor_score: Score | None) -> int | None:
    """How far the learner's own score sits above (+) or below (−) their mentor's."""
    if self_score and mentor_score:
        return self_score.score - mentor_score.score
    return None


@dataclass
class Verdict:
    strong: bool
    label: str
    holding_back: list[Dimension]
    scored: bool


def verdict(rubric: Rubric, scores: dict[int, int]) -> Verdict:
    """The rule from the rubric's data; `scores` maps dimension id to score."""
    dimensions = list(rubric.dimensions.all())
    values = [scores[d.pk] for d in dimensions if d.pk in scores]
    strong = bool(values) and rubric.verdict(values)
    below = sorted(
        (d for d in dimensions if scores.get(d.pk, 0) < rubric.strong_min_score),
        key=lambda d: (scores.get(d.pk, 0), d.order),
    )
    return Verdict(
        strong=strong,
        label=rubric.strong_label if strong else rubric.weak_label,
        holding_back=[] if strong else below,
        scored=bool(values),
    )


def latest(user: User, role: str) -> Assessment | None:
    return (
        Assessment.objects.filter(learner=user, role=role)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.all()))
        .first()
    )


# Assessments the history shows.
HISTORY_LIMIT = 24


def history(user: User, limit: int = HISTORY_LIMIT) -> list[Assessment]:
    """Newest first, each with its scores: two queries."""
    return list(Assessment.objects.filter(learner=user).prefetch_related("scores")[:limit])


@dataclass
class Latest:
    own: Assessment | None  # the latest self-assessment
    mentor: Assessment | None  # the latest by a mentor (any: scores outlive mentorships)


def latest_pair(learner: User) -> Latest:
    """The latest self and mentor assessments with their scores: two queries."""
    mine = Assessment.objects.filter(learner=learner)
    rows = mine.filter(
        Q(pk__in=mine.filter(role=Assessment.Role.SELF).values("pk")[:1])
        | Q(pk__in=mine.filter(role=Assessment.Role.MENTOR).values("pk")[:1])
    ).prefetch_related("scores")
    found = {a.role: a for a in rows}
    return Latest(own=found.get(Assessment.Role.SELF), mentor=found.get(Assessment.Role.MENTOR))


@dataclass
class LatestScores:
    own: dict[int, int]  # dimension id -> score of the latest self-assessment
    mentor: dict[int, int]  # …of the latest mentor assessment
    own_at: object  # when the learner last assessed themselves (None: never)


def _latest_scores_query(learner_id: int):
    mine = Assessment.objects.filter(learner=learner_id)
    return Score.objects.filter(
        Q(assessment__in=mine.filter(role=Assessment.Role.SELF).values("pk")[:1])
        | Q(assessment__in=mine.filter(role=Assessment.Role.MENTOR).values("pk")[:1])
    ).values_list("assessment__role", "assessment__created_at", "dimension_id", "score")


# Compiled once: building its two subqueries cost the dashboard more than running it.
_LATEST_SCORES = Prepared(_latest_scores_query, ("id",))


def latest_scores_pair(learner: User) -> LatestScores:
    """The scores of the latest self and mentor assessments: one query."""
    found = LatestScores(own={}, mentor={}, own_at=None)
    for role, at, dimension_id, score in _LATEST_SCORES.rows(Score, learner.pk):
        if role == Assessment.Role.SELF:
            found.own[dimension_id], found.own_at = score, at
        else:
            found.mentor[dimension_id] = score
    return found


@dataclass
class History:
    past: list[Assessment]  # the newest `HISTORY_LIMIT`, newest first
    own: Assessment | None  # the latest self-assessment
    mentor: Assessment | None  # the latest by a mentor


def history_and_latest(user: User, limit: int = HISTORY_LIMIT) -> History:
    """The history, and the latest self and mentor assessments even when older than all
    of it, each with its scores: two queries, however long the history."""
    mine = Assessment.objects.filter(learner=user)
    newest = mine.values("pk")[:limit]
    last_self = mine.filter(role=Assessment.Role.SELF).values("pk")[:1]
    last_mentor = mine.filter(role=Assessment.Role.MENTOR).values("pk")[:1]
    rows = list(
        mine.filter(
            Q(pk__in=newest) | Q(pk__in=last_self) | Q(pk__in=last_mentor)
        ).prefetch_related("scores")
    )
    # An older latest sorts after the newest `limit`: the history is the first of them.
    return History(
        past=rows[:limit],
        own=next((a for a in rows if a.role == Assessment.Role.SELF), None),
        mentor=next((a for a in rows if a.role == Assessment.Role.MENTOR), None),
    )


def building(
    dimension: Dimension, phases: list[Phase]
) -> tuple[list[Phase], list[Skill], list[Question]]:
    skills = [s for p in phases for s in p.skills.all() if s.dimension_id == dimension.pk]
    skills = list({s.pk: s for s in skills}.values())
    questions = [q for p in phases for q in p.questions.all() if q.dimension_id == dimension.pk]
    # A phase builds a dimension when it teaches one of its skills or holds its questions.
    teaching = {p.pk for p in phases if any(s.dimension_id == dimension.pk for s in p.skills.all())}
    teaching |= {q.phase_id for q in questions}
    return [p for p in phases if p.pk in teaching], skills, questions


def content_index(phases: list[Phase]) -> tuple[dict, dict, dict, dict]:
    """The content by the keys `Dimension.builds` lists: goals, resources, skills and
    questions (built once for every dimension of a page)."""
    return (
        {f"{p.key}/{g.key}": p for p in phases for g in p.goals.all()},
        {f"{p.key}/{r.key}": (p, r) for p in phases for r in p.resources.all()},
        {s.key: s for p in phases for s in p.skills.all()},
        {q.key: (p, q) for p in phases for q in p.questions.all()},
    )


def listed(
    dimension: Dimension, phases: list[Phase], index: tuple[dict, dict, dict, dict] | None = None
) -> tuple[list[Phase], list[Skill], list[Resource], list[Question]]:
    """What the rubric's data says builds a dimension (`Dimension.builds`), resolved
    through the cached content so no query is added. Phases are those of the listed
    goals, resources and questions, in roadmap order; the rest keep the data's order."""
    builds = dimension.builds
    goals, resources, skills, questions = index or content_index(phases)
    # A key retired since the data was loaded is skipped rather than an error.
    found_resources = [resources[k] for k in builds.get("resources", []) if k in resources]
    found_questions = [questions[k] for k in builds.get("questions", []) if k in questions]
    used = {goals[k].pk for k in builds.get("goals", []) if k in goals}
    used |= {p.pk for p, _ in found_resources} | {p.pk for p, _ in found_questions}
    return (
        [p for p in phases if p.pk in used],
        [skills[k] for k in builds.get("skills", []) if k in skills],
        [r for _, r in found_resources],
        [q for _, q in found_questions],
    )


def dimension_views(
    user: User,
    rubric: Rubric,
    progress: LearnerProgress | None,
    self_assessment: Assessment | None,
    mentor_assessment: Assessment | None,
) -> list[DimensionView]:
    """Everything the page says per dimension. One query (practice ratings by dimension),
    and one per evidence provider, on top of the progress the caller already has."""
    phases = content.phases()
    earned = for_learner(user)
    by_phase = {pp.phase.pk: pp for pp in progress.phases} if progress else {}
    good = dict(
        Card.objects.filter(learner=user, last_rating__gte=3, question__is_active=True)
        .values("question__dimension_id")
        .annotate(n=Count("pk"))
        .values_list("question__dimension_id", "n")
    )
    own = {s.dimension_id: s for s in self_assessment.scores.all()} if self_assessment else {}
    theirs = (
        {s.dimension_id: s for s in mentor_assessment.scores.all()} if mentor_assessment else {}
    )
    index = content_index(phases)
    filed = Counter(q.dimension_id for p in phases for q in p.questions.all())
    views = []
    for dimension in rubric.dimensions.all():
        if dimension.builds:
            teaching, skills, resources, questions = listed(dimension, phases, index)
        else:
            teaching, skills, questions = building(dimension, phases)
            resources = [r for phase in teaching for r in phase.resources.all()]
        signals = Signals(
            building_phases=len(teaching),
            # Of every question filed under the dimension, as the Good/Easy count is.
            questions_total=filed[dimension.pk],
            good_questions=good.get(dimension.pk, 0),
            evidence=earned.get(dimension.key, []),
        )
        phase_rows = []
        for phase in teaching:
            pp = by_phase.get(phase.pk)
            phase_rows.append((phase, pp.percent if pp else None))
            if pp is None:
                signals.goals_total += len(phase.goals.all())
                continue
            signals.goals_total += len(pp.goals)
            signals.goals_done += sum(1 for _, p in pp.goals if p and p.status in COUNTED)
            if pp.submission and pp.submission.state == Submission.State.APPROVED:
                signals.approved.append(phase.order)
        views.append(
            DimensionView(
                dimension,
                own.get(dimension.pk),
                theirs.get(dimension.pk),
                signals,
                Builds(
                    phase_rows, skills, resources, questions, dimension.builds.get("rounds", [])
                ),
            )
        )
    return views


@transaction.atomic
def assessment_create(
    *, learner: User, rater: User, role: str, scores: dict[Dimension, tuple[int, str]]
) -> Assessment:
    """A new dated assessment; earlier ones are never touched."""
    if not scores:
        raise ValidationError("Score at least one dimension.")
    for dimension, (score, _) in scores.items():
        if not 1 <= score <= 5:
            raise ValidationError(f"{dimension.name}: a score is 1 to 5.")
    assessment = Assessment.objects.create(learner=learner, rater=rater, role=role)
    rows = [
        Score(assessment=assessment, dimension=d, score=score, evidence=evidence)
        for d, (score, evidence) in scores.items()
    ]
    Score.render_rows(rows)  # bulk_create skips save(), which renders the HTML
    Score.objects.bulk_create(rows)
    if role == Assessment.Role.MENTOR:
        on_mentor_score(assessment)
    return assessment


def screen_items(rubric: Rubric) -> tuple[list[RubricItem], list[RubricItem]]:
    items = list(rubric.items.all())
    return (
        [i for i in items if i.kind == RubricItem.Kind.SCREEN_CHECK],
        [i for i in items if i.kind == RubricItem.Kind.RED_FLAG],
    )


@transaction.atomic
def screen_save(*, learner: User, answers: dict[RubricItem, tuple[bool, str]]) -> None:
    for item, (applies, evidence) in answers.items():
        ScreenAnswer.objects.update_or_create(
            learner=learner, item=item, defaults={"applies": applies, "evidence": evidence}
        )
