"""Practice: the daily queue, answering and rating, FSRS scheduling, mock interviews, stats.

Longer than 400 lines for now: the queue, the answer and the interview share the
draft and scheduling helpers; the next change here should split it by those three.

Scheduling is FSRS (the `fsrs` library, set up in tracker/spacing.py) with a
learning step: a card rated Again comes back later the same day, after the other
cards due now.
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from roadmap import content
from roadmap.models import HiringRound, Question

from . import schedule, spacing
from .models import (
    LEECH_LAPSES,
    Answer,
    Card,
    MockInterview,
    Quality,
    Rating,
    Recording,
    Review,
    User,
)
from .prepared import Prepared, columns, shaped

BREAK_DAYS = 7  # away longer than this with a big backlog: restart gently


def day_end(user: User, day: date) -> datetime:
    """The first instant after `day` in the learner's time zone."""
    return datetime.combine(
        day + timedelta(days=1), time.min, tzinfo=schedule.zone_for(user.time_zone)
    )


def day_start(user: User, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=schedule.zone_for(user.time_zone))


# --- the queue -----------------------------------------------------------------------


@dataclass
class Queue:
    reviews: list[Card]  # due today, most overdue first, within the daily cap
    new: list[Question]  # never seen, within the daily cap
    due_today: int
    due_tomorrow: int
    due_week: int
    reviews_done_today: int
    new_done_today: int
    leeches: list[Card] = field(default_factory=list)
    # Gentle restart: (days away, backlog size, days it is spread over), else None.
    restart: tuple[int, int, int] | None = None

    now: datetime | None = None  # when the queue was built

    @property
    def next_question(self) -> Question | None:
        """Reviews due now, then new questions, then cards rated Again that come back
        later today (shown early once nothing else is left, as Anki's learn-ahead)."""
        now = self.now or timezone.now()
        ready = [card for card in self.reviews if card.due <= now]
        if ready:
            return ready[0].question
        if self.new:
            return self.new[0]
        return self.reviews[0].question if self.reviews else None

    @property
    def total(self) -> int:
        return len(self.reviews) + len(self.new)

    @property
    def relearning(self) -> int:
        """Cards rated Again (or Hard while new) today that come back in this session."""
        return sum(card.reps > 0 and card.step is not None for card in self.reviews)


def _filtered_questions(filters: dict[str, str]):
    return Question.objects.current().filter(**filters)


def _queue_cards(learner, filters: dict[str, str]):
    card_filters = {f"question__{k}": v for k, v in filters.items()}
    return Card.objects.filter(learner=learner, question__is_active=True, **card_filters)


def _queue_counts(names: tuple[str, ...]):
    """The builder of the queue's counts and today's reviews, in one row, for the filters
    `names` (their values are the last arguments)."""

    def build(user_id, end_today, end_tomorrow, end_week, start_today, *values):
        theirs = _queue_cards(OuterRef("pk"), dict(zip(names, values, strict=True)))
        reviewed = Review.objects.filter(learner=OuterRef("pk"), reviewed_at__gte=start_today)
        return (
            User.objects.filter(pk=user_id)
            .annotate(
                today=_count(theirs.filter(due__lt=end_today)),
                tomorrow=_count(theirs.filter(due__gte=end_today, due__lt=end_tomorrow)),
                week=_count(theirs.filter(due__lt=end_week)),
                last=Subquery(
                    theirs.filter(last_review__isnull=False)
                    .order_by("-last_review")
                    .values("last_review")[:1]
                ),
                new=_count(reviewed.filter(was_new=True)),
                old=_count(reviewed.filter(was_new=False)),
            )
            .values_list("today", "tomorrow", "week", "last", "new", "old")
        )

    return build


def _queue_reviews(names: tuple[str, ...], limit: int):
    """The builder of the cards due before the end of today, most overdue first."""

    def build(user_id, end_today, *values):
        cards = _queue_cards(user_id, dict(zip(names, values, strict=True)))
        return (
            cards.filter(due__lt=end_today)
            .order_by("due", "pk")
            .values_list(*columns(Card))[:limit]
        )

    return build


def _queue_new(names: tuple[str, ...], limit: int):
    """The builder of the ids of the questions never seen, in the roadmap's order."""

    def build(user_id, *values):
        return (
            _filtered_questions(dict(zip(names, values, strict=True)))
            .exclude(pk__in=Card.objects.filter(learner=user_id).values("question_id"))
            .order_by("phase__order", "order")
            .values_list("pk")[:limit]
        )

    return build


def _queue_leeches(names: tuple[str, ...]):
    """The builder of the ten cards rated Again most often (`LEECH_LAPSES` or more)."""

    def build(user_id, *values):
        cards = _queue_cards(user_id, dict(zip(names, values, strict=True)))
        return (
            cards.filter(lapses__gte=LEECH_LAPSES)
            .order_by("-lapses")
            .values_list(*columns(Card))[:10]
        )

    return build


def _with_questions(cards: list[Card], questions: dict[int, Question]) -> list[Card]:
    for card in cards:
        card.question = questions[card.question_id]
    return cards


def build_queue(
    user: User, today: date, filters: dict[str, str] | None = None, *, leeches: bool = True
) -> Queue:
    """Today's queue, for /practice/. Four queries, whatever the number of cards: counts
    with today's reviews, reviews, new questions, leeches (skipped with `leeches=False`).
    Each is compiled once per shape (`prepared.shaped`: the filters given, the room left
    under the caps); the questions, with their phase and dimension, come from the cached
    content."""
    filters = filters or {}
    names = tuple(sorted(filters))
    values = [filters[name] for name in names]
    texts = ("text",) * len(names)
    end_today = day_end(user, today)
    counts = shaped(
        ("queue-counts", names),
        _queue_counts(names),
        ("id", "instant", "instant", "instant", "instant", *texts),
    ).row(
        User,
        user.pk,
        end_today,
        end_today + timedelta(days=1),
        end_today + timedelta(days=6),
        day_start(user, today),
        *values,
    )
    if counts is None:
        raise User.DoesNotExist
    due_today, due_tomorrow, due_week, last, new_done, old_done = counts
    review_room = max(0, user.daily_review_cap - old_done)
    new_room = max(0, user.daily_new_cap - new_done)
    reviews: list[Card] = []
    leech_cards: list[Card] = []
    new_ids: list[int] = []
    if review_room:
        reviews = shaped(
            ("queue-reviews", names, review_room),
            _queue_reviews(names, review_room),
            ("id", "instant", *texts),
        ).instances(Card, user.pk, end_today, *values)
    if new_room:
        new_ids = [
            pk
            for (pk,) in shaped(
                ("queue-new", names, new_room), _queue_new(names, new_room), ("id", *texts)
            ).rows(Question, user.pk, *values)
        ]
    if leeches:
        leech_cards = shaped(
            ("queue-leeches", names), _queue_leeches(names), ("id", *texts)
        ).instances(Card, user.pk, *values)
    questions = _questions({c.question_id for c in (*reviews, *leech_cards)} | set(new_ids))
    restart = None
    away = (today - last.astimezone(schedule.zone_for(user.time_zone)).date()).days if last else 0
    if away > BREAK_DAYS and due_today > 2 * user.daily_review_cap:
        restart = (away, due_today, math.ceil(due_today / user.daily_review_cap))
    return Queue(
        reviews=_with_questions(reviews, questions),
        new=[questions[pk] for pk in new_ids],
        due_today=due_today,
        due_tomorrow=due_tomorrow,
        due_week=due_week,
        reviews_done_today=old_done,
        new_done_today=new_done,
        leeches=_with_questions(leech_cards, questions),
        restart=restart,
        now=timezone.now(),
    )


def _questions(ids: set[int]) -> dict[int, Question]:
    """Questions by id with their phase and dimension, from the cached content (copies:
    its rows are shared); one query for any outside it (a retired phase's)."""
    if not ids:
        return {}
    rubric = content.rubric()
    dimensions = {d.pk: d for d in rubric.dimensions.all()} if rubric else {}
    shown = {q.pk: q for p in content.phases() for q in p.questions.all() if q.pk in ids}
    found = {}
    for pk, question in shown.items():
        if question.dimension_id in dimensions:
            found[pk] = copy.copy(question)
            found[pk].dimension = dimensions[question.dimension_id]
    if len(found) < len(ids):
        rest = Question.objects.select_related("phase", "dimension")
        found.update(rest.in_bulk(ids - found.keys()))
    return found


def spread_backlog(backlog: int, cap: int) -> list[int]:
    """How a backlog is worked off at `cap` reviews a day: the count for each day."""
    days = math.ceil(backlog / cap) if backlog else 0
    return [min(cap, backlog - i * cap) for i in range(days)]


# --- answering and rating -------------------------------------------------------------


def _open_answers(user: User, question: Question, interview: MockInterview | None):
    return Answer.objects.filter(learner=user, question=question, interview=interview).exclude(
        status=Answer.Status.RATED
    )


def open_answer(user: User, question: Question, interview: MockInterview | None = None):
    """The learner's answer in progress for `question` (draft or submitted, not rated)."""
    return _open_answers(user, question, interview).order_by("-started_at").first()


def _draft_create(
    user: User, question: Question, interview: MockInterview | None, now: datetime
) -> Answer:
    try:
        with transaction.atomic():
            return Answer.objects.create(
                learner=user, question=question, interview=interview, started_at=now
            )
    except IntegrityError:
        # A concurrent save inserted the draft between our read and this insert (the
        # unique constraint refused a second one): carry on with theirs.
        answer = _open_answers(user, question, interview).select_for_update().first()
        if answer is None:
            raise
        return answer


def answer_save(
    *,
    user: User,
    question: Question,
    body: str,
    submit: bool,
    reveal: bool = False,
    interview: MockInterview | None = None,
    now: datetime | None = None,
) -> Answer:
    """Save the draft; with `submit`, hand it in; with `reveal` too, show the key points
    and the model answer (the rating buttons come with them).

    Read, insert and update happen under a row lock (and the draft constraint), so fifty
    concurrent autosaves of one answer leave one row."""
    now = now or timezone.now()
    spoken = Recording.objects.filter(answer__in=_open_answers(user, question, interview))
    if submit and not body.strip() and not spoken.exists():
        raise ValidationError("Write an answer before you submit it.")
    with transaction.atomic():
        answer = (
            _open_answers(user, question, interview)
            .select_for_update()
            .order_by("-started_at")
            .first()
        )
        if answer is None:
            answer = _draft_create(user, question, interview, now)
        if answer.status == Answer.Status.SUBMITTED and not interview:
            # Submitted answers are final: a late autosave must not undo that.
            if reveal and answer.revealed_at is None:
                answer.revealed_at = now
                answer.save(update_fields=["revealed_at", "updated_at"])
            return answer
        answer.body = body
        if submit:
            answer.status = Answer.Status.SUBMITTED
            answer.submitted_at = now
            if interview is not None:
                answer.late = now > interview.deadline
        if submit and reveal:
            answer.revealed_at = now
        answer.save()
    return answer


def answer_reveal(*, answer: Answer, now: datetime | None = None) -> Answer:
    """Show the key points and the model answer of a handed-in answer (once; the first
    time is kept)."""
    now = now or timezone.now()
    interview = answer.interview
    if answer.status == Answer.Status.DRAFT and interview and interview.is_over(now):
        _hand_in(answer, interview)  # time ran out on a draft: what was typed is the answer
    if answer.status == Answer.Status.DRAFT:
        raise ValidationError("Hand your answer in before you look at the model answer.")
    if answer.revealed_at is None:
        answer.revealed_at = now
        answer.save(update_fields=["revealed_at", "updated_at"])
    return answer


def suggest_rating(question: Question, covered: list[int], qualities: list[str]) -> int:
    """A rating from the ticks: the share of key points covered, lifted by the qualities."""
    points = len(question.key_points) or 1
    share = len(set(covered)) / points
    if share < 1 / 3:
        return Rating.AGAIN
    if share < 2 / 3:
        return Rating.HARD
    if share == 1 and len(set(qualities)) >= 3:
        return Rating.EASY
    return Rating.GOOD


@transaction.atomic
def answer_rate(
    *,
    answer: Answer,
    covered: list[int],
    qualities: list[str],
    rating: int,
    now: datetime | None = None,
) -> Review:
    """Record the ticks and the rating; FSRS moves the card; a review row is appended."""
    now = now or timezone.now()
    interview = answer.interview
    if answer.status == Answer.Status.DRAFT and interview and interview.is_over(now):
        _hand_in(answer, interview)  # time ran out on a draft: what was typed is the answer
    if answer.status != Answer.Status.SUBMITTED:
        raise ValidationError("Submit the answer before you rate it.")
    if answer.revealed_at is None:
        raise ValidationError(
            "Not rated yet: reveal the key points and the model answer first, then compare."
        )
    if rating not in Rating.values:
        raise ValidationError("Choose Again, Hard, Good or Easy.")
    valid_points = range(len(answer.question.key_points))
    answer.covered_points = sorted({i for i in covered if i in valid_points})
    answer.qualities = [q for q in Quality.values if q in set(qualities)]
    answer.rating = rating
    answer.status = Answer.Status.RATED
    answer.rated_at = now
    answer.save()
    card, created = Card.objects.select_for_update().get_or_create(
        learner=answer.learner, question=answer.question, defaults={"due": now}
    )
    was_new = created or card.reps == 0
    before = card.due
    retention = answer.learner.desired_retention
    card.take(spacing.next_states(card, now, retention)[rating])
    card.reps += 1
    card.last_rating = rating
    if rating == Rating.AGAIN:
        card.lapses += 1
    card.save()
    return Review.objects.create(
        learner=answer.learner,
        card=card,
        answer=answer,
        rating=rating,
        qualities=answer.qualities,
        reviewed_at=now,
        was_new=was_new,
        due_before=before,
        due_after=card.due,
    )


# --- mock interviews ------------------------------------------------------------------

# The recruiters' rounds as mock interviews. "round" names the hiring round in the
# seeds (hiring.toml): its source document says which questions were quoted for it.
PRESETS = {
    MockInterview.Kind.TECHNICAL_SCREEN: {
        "title": "Technical screen — 30 min",
        "minutes": 30,
        "round": "technical-screen",  # every question quoted from its source
    },
    MockInterview.Kind.GPU_SCREENING: {
        "title": "GPU infrastructure screening — 30 min",
        "minutes": 30,
        # These questions; should their keys leave the content, the round source's advanced ones.
        "round": "gpu-infrastructure-screening",
        "keys": [
            "serving-70b-model-p99-under-500ms",
            "tensor-vs-pipeline-parallelism",
            "h100-job-at-40-percent-of-peak-flops",
            "nvlink-failure-mid-training",
        ],
    },
    MockInterview.Kind.LIVE_DEBUGGING: {
        "title": "Live debugging — 60 min",
        "minutes": 60,
        "kind": Question.Kind.TROUBLESHOOTING,
        "count": 4,
    },
}


def preset_questions(kind: str) -> list[Question]:
    preset = PRESETS[kind]
    qs = Question.objects.current()
    source = (
        HiringRound.objects.filter(key=preset["round"], is_active=True)
        .values_list("source", flat=True)
        .first()
        if "round" in preset
        else None
    )
    if "keys" not in preset and source:
        return list(qs.filter(source=source).order_by("order"))
    if "keys" in preset:
        found = {q.key: q for q in qs.filter(key__in=preset["keys"])}
        chosen = [found[k] for k in preset["keys"] if k in found]
        if chosen:
            return chosen
        # Keys changed in the content: fall back to the round's source, advanced ones.
        return list(qs.filter(source=source, level="advanced")[:4])
    # Troubleshooting scenarios, those quoted from the sources and the hardest first.
    rank = {"advanced": 0, "intermediate": 1, "fundamentals": 2}
    found = sorted(
        qs.filter(kind=preset["kind"]), key=lambda q: (q.source == "rampup", rank[q.level], q.order)
    )
    return found[: preset["count"]]


@transaction.atomic
def interview_start(
    *,
    user: User,
    kind: str,
    questions: list[Question] | None = None,
    minutes: int | None = None,
    spoken: bool = False,
    now: datetime | None = None,
) -> MockInterview:
    now = now or timezone.now()
    if kind == MockInterview.Kind.CUSTOM:
        if not questions:
            raise ValidationError("No questions match that choice. Widen it.")
        title = f"Custom — {len(questions)} questions, {minutes} min"
    else:
        questions = preset_questions(kind)
        minutes = PRESETS[kind]["minutes"]
        title = PRESETS[kind]["title"]
    return MockInterview.objects.create(
        learner=user,
        kind=kind,
        title=title,
        minutes=minutes,
        questions=[q.pk for q in questions],
        started_at=now,
        deadline=now + timedelta(minutes=minutes),
        spoken=spoken,
    )


def _hand_in(answer: Answer, interview: MockInterview) -> bool:
    """Hand in a draft as it stands, at the time it was last typed. False if it is empty."""
    if answer.status != Answer.Status.DRAFT or not answer.body.strip():
        return False
    answer.status = Answer.Status.SUBMITTED
    answer.submitted_at = answer.updated_at
    answer.late = answer.updated_at > interview.deadline
    answer.save(update_fields=["status", "submitted_at", "late"])
    return True


def body_version(body: str) -> str:
    """A short fingerprint of an answer's stored text. The interview page sends it back
    with each box, so a save from a tab that loaded an older text can be told apart."""
    return hashlib.sha256(body.encode()).hexdigest()[:16]


EMPTY_VERSION = body_version("")


@dataclass
class InterviewSaved:
    handed: Answer | None  # the answer handed in (None: its box was empty)
    answers: dict[int, Answer]  # every posted box's answer as stored now
    # Boxes not written because the stored text changed since this tab loaded it (or
    # the interview has ended): question id -> this tab's text, for the page to show.
    conflicts: dict[int, str]
    ended: bool = False


@transaction.atomic
def interview_save(
    *,
    interview: MockInterview,
    bodies: dict[int, str],
    bases: dict[int, str] | None = None,
    hand_in: int | None = None,
    now: datetime | None = None,
) -> InterviewSaved:
    """Save every answer box of a mock interview at once (its one form, or an autosave):
    each changed text as a draft, and question `hand_in` handed in. Rated answers stay as
    they are.

    `bases` holds the version (`body_version`) of the text each box was loaded with: a
    box whose stored text has changed since (saved from another tab or device) is not
    written — the stored text is kept and this tab's text comes back as a conflict, so
    neither side is lost. Once the interview has ended nothing is written."""
    now = now or timezone.now()
    interview = MockInterview.objects.select_for_update().get(pk=interview.pk)
    answers = {a.question_id: a for a in interview.answers.order_by("started_at", "pk")}
    if interview.finished_at is not None:
        conflicts = {
            pk: body
            for pk, body in bodies.items()
            if body.strip() and body != (answers[pk].body if pk in answers else "")
        }
        return InterviewSaved(None, {}, conflicts, ended=True)
    questions = Question.objects.in_bulk([pk for pk in bodies if pk in interview.questions])
    handed, conflicts = None, {}
    for pk, question in questions.items():
        body, answer = bodies[pk], answers.get(pk)
        stored = answer.body if answer else ""
        if pk == hand_in and not body.strip():
            continue  # handing in an empty box writes nothing (not even an emptied answer)
        submit = pk == hand_in
        if answer is not None and answer.status == Answer.Status.RATED:
            continue
        if bases is not None and body != stored and bases.get(pk) != body_version(stored):
            conflicts[pk] = body
            continue
        if submit and answer and answer.status == Answer.Status.SUBMITTED and body == answer.body:
            handed = answer  # handed in already: keep its time
            continue
        if not submit and body == stored:
            continue  # unchanged (or still empty): no write
        answers[pk] = answer_save(
            user=interview.learner,
            question=question,
            interview=interview,
            body=body,
            submit=submit,
            now=now,
        )
        if submit:
            handed = answers[pk]
    posted = {pk: answers[pk] for pk in questions if pk in answers}
    return InterviewSaved(handed, posted, conflicts)


@transaction.atomic
def interview_finish(interview: MockInterview, now: datetime | None = None) -> None:
    """End the interview (finishing early, or time ran out): every typed draft counts as
    the answer. It ends at the deadline at the latest, which tells the two apart."""
    now = now or timezone.now()
    for answer in interview.answers.filter(status=Answer.Status.DRAFT):
        _hand_in(answer, interview)
    if interview.finished_at is None:
        interview.finished_at = min(now, interview.deadline)
        interview.save(update_fields=["finished_at"])


@dataclass
class InterviewRow:
    question: Question
    answer: Answer | None
    seconds: int | None  # time used on this question
    previews: list[spacing.Preview] = field(default_factory=list)  # its rating buttons

    @property
    def answered(self) -> bool:
        # A spoken answer (a recording) counts as much as a written one.
        return self.answer is not None and (
            bool(self.answer.body.strip()) or bool(self.answer.recordings.all())
        )

    @property
    def version(self) -> str:
        return body_version(self.answer.body) if self.answer else EMPTY_VERSION

    @property
    def points(self) -> str:
        if not self.answer or self.answer.status != Answer.Status.RATED:
            return "—"
        return f"{len(self.answer.covered_points)}/{len(self.question.key_points)}"


def interview_rows(interview: MockInterview) -> list[InterviewRow]:
    """Each question with the learner's answer and the time they spent on it (from the
    previous submission, or the start, to this one)."""
    questions = Question.objects.in_bulk(interview.questions)
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(interview=interview)
        .select_related("question")
        .prefetch_related("recordings")
        .order_by("started_at", "pk")
    }
    timeline = sorted((a.submitted_at, a.question_id) for a in answers.values() if a.submitted_at)
    seconds, previous = {}, interview.started_at
    for when, question_id in timeline:
        seconds[question_id] = max(0, int((when - previous).total_seconds()))
        previous = when
    return [
        InterviewRow(questions[pk], answers.get(pk), seconds.get(pk))
        for pk in interview.questions
        if pk in questions
    ]


# --- stats -----------------------------------------------------------------------------


@dataclass
class Stats:
    answered: int
    reviews: int
    retention: float | None  # share of reviews rated Good or Easy
    by: dict[str, list[tuple[str, int, float | None]]]  # axis -> (label, reviews, retention)
    per_day: dict[date, int]


def _stats_by_question(learner_id: int):
    good = Count("pk", filter=Q(rating__in=(Rating.GOOD, Rating.EASY)))
    return (
        # The cards' learner too (their own, as every review's card is): without it
        # PostgreSQL hashed all 117,000 cards of a 50k-learner site to join 989 reviews.
        Review.objects.filter(learner_id=learner_id, card__learner_id=learner_id)
        .order_by()
        .values_list(
            "card__question_id",
            "card__question__level",
            "card__question__phase_id",
            "card__question__dimension_id",
        )
        .annotate(n=Count("pk"), good=good)
    )


# The learner's reviews counted by question (with its level, phase and dimension) and
# the times of their reviews since a day: compiled once (building them cost more than
# running them).
_STATS_BY_QUESTION = Prepared(_stats_by_question, ("id",))
_REVIEW_TIMES = Prepared(
    lambda learner_id, since: Review.objects.filter(
        learner_id=learner_id, reviewed_at__gte=since
    ).values_list("reviewed_at"),
    ("id", "instant"),
)


def practice_stats(user: User, today: date) -> Stats:
    """Two queries, each reading only the learner's own rows through their indexes, so
    the cost never grows with other learners' data: their reviews counted by question
    and rating (through their cards, with the questions' level, phase and dimension);
    the times of the last 12 weeks' reviews (phases and dimensions' names from the
    cached content)."""
    counted = _STATS_BY_QUESTION.rows(Review, user.pk)
    phases = {p.pk: p.label for p in content.phases()}
    rubric = content.rubric()
    dimensions = {d.pk: d.name for d in rubric.dimensions.all()} if rubric else {}
    levels = dict(Question.Level.choices)
    by_level: dict = defaultdict(lambda: [0, 0])
    by_phase: dict = defaultdict(lambda: [0, 0])
    by_dimension: dict = defaultdict(lambda: [0, 0])
    total = total_good = 0
    for _question_id, level, phase_id, dimension_id, n, good in counted:
        total += n
        total_good += good
        for axis, key in ((by_level, level), (by_phase, phase_id), (by_dimension, dimension_id)):
            counts = axis[key]
            counts[0] += n
            counts[1] += good

    def rows(counted: dict, labels: dict) -> list[tuple[str, int, float | None]]:
        found = []
        for key, label in labels.items():
            n, good = counted.get(key, (0, 0))
            found.append((label, n, good / n if n else None))
        return found

    since = day_start(user, today - timedelta(weeks=12))
    zone = schedule.zone_for(user.time_zone)
    per_day = Counter(
        when.astimezone(zone).date() for (when,) in _REVIEW_TIMES.rows(Review, user.pk, since)
    )
    return Stats(
        answered=len(counted),
        reviews=total,
        retention=total_good / total if total else None,
        by={
            "level": rows(by_level, levels),
            "phase": rows(by_phase, phases),
            "dimension": rows(by_dimension, dimensions),
        },
        per_day=dict(per_day),
    )


@dataclass
class Summary:
    answered: int  # questions reviewed at least once
    reviews: int
    retention: float | None  # share rated Good or Easy


def practice_summary(user: User) -> Summary:
    """The three numbers the portfolio shows of practice: one query on the learner's own
    reviews (their index), whatever the site holds."""
    found = Review.objects.filter(learner=user).aggregate(
        reviews=Count("pk"),
        good=Count("pk", filter=Q(rating__in=[Rating.GOOD, Rating.EASY])),
        answered=Count("card_id", distinct=True),
    )
    total = found["reviews"]
    return Summary(
        answered=found["answered"],
        reviews=total,
        retention=found["good"] / total if total else None,
    )


@dataclass
class Glance:
    due: int  # reviews /practice/ lists for today, within the daily cap
    new: int  # new questions /practice/ offers today, within the daily cap
    next_question: Question | None


def _count(rows) -> Coalesce:
    """How many `rows` there are, as a scalar subquery (COUNT without a GROUP BY)."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _glance_query(user_id: int, end_today: datetime, start_today: datetime, now: datetime):
    """One row: the learner's due cards, today's reviews (new and old), unseen questions,
    and the first question of each kind (see `practice_glance`)."""
    cards = Card.objects.filter(learner=OuterRef("pk"), question__is_active=True)
    due = cards.filter(due__lt=end_today).order_by("due", "pk")
    done = Review.objects.filter(learner=OuterRef("pk"), reviewed_at__gte=start_today)
    # The learner's questions by id, not by the outer row: the database reads them once
    # (correlated, SQLite ran the list again for each question: 3 ms of 3.2).
    unseen = _filtered_questions({}).exclude(
        pk__in=Card.objects.filter(learner=user_id).values("question_id")
    )
    return (
        User.objects.filter(pk=user_id)
        .annotate(
            due_today=_count(due),
            done_new=_count(done.filter(was_new=True)),
            done_old=_count(done.filter(was_new=False)),
            ready=Subquery(due.filter(due__lte=now).values("question_id")[:1]),
            first_due=Subquery(due.values("question_id")[:1]),
            unseen=_count(unseen),
            first_new=Subquery(unseen.order_by("phase__order", "order").values("pk")[:1]),
        )
        .values_list(
            "due_today", "done_new", "done_old", "ready", "first_due", "unseen", "first_new"
        )
    )


# Compiled once: building its seven subqueries cost the dashboard more than running it.
_GLANCE = Prepared(_glance_query, ("id", "instant", "instant", "instant"))


def practice_glance(user: User, today: date) -> Glance:
    """The practice queue at a glance, for the dashboard: what `build_queue` would list
    (the same filters, caps and order, so the two never disagree), counted in the
    database in one query, the next question from the cached content."""
    row = _GLANCE.row(User, user.pk, day_end(user, today), day_start(user, today), timezone.now())
    if row is None:
        raise User.DoesNotExist
    due_today, done_new, done_old, ready, first_due, unseen_count, first_new = row
    reviews = min(due_today, max(0, user.daily_review_cap - done_old))
    new = min(unseen_count, max(0, user.daily_new_cap - done_new))
    # As Queue.next_question: reviews due now, then new questions, then cards due later today.
    next_id = (ready if reviews else None) or (first_new if new else None)
    next_id = next_id or (first_due if reviews else None)
    return Glance(due=reviews, new=new, next_question=_question(next_id))


def _question(pk: int | None) -> Question | None:
    """A question by id from the cached content (a query only for one outside it)."""
    if pk is None:
        return None
    found = next((q for p in content.phases() for q in p.questions.all() if q.pk == pk), None)
    return found or Question.objects.filter(pk=pk).first()
