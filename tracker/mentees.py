"""What a mentor sees: the overview of their mentees (progress, schedule, last
activity, verdict, the review queue) and the page about one mentee. Reads only; the
views check that the viewer mentors them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import NamedTuple

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import router
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from roadmap import content
from roadmap.models import Dimension, Phase

from .assessment import DISCUSS_GAP, score_gap
from .cache import ASSESSMENT, FRAGMENT_TIMEOUT, LOG, PRACTICE, PROGRESS, per_learner
from .models import (
    Answer,
    AnswerComment,
    Assessment,
    ItemProgress,
    ItemStatus,
    Mentorship,
    Plan,
    Quality,
    Rating,
    Recording,
    Review,
    Score,
    StudyLog,
    Submission,
    User,
)
from .prepared import Prepared, columns
from .progress import compute_progress, progress_items
from .reversing import url_of
from .schedule import today_for, zone_for
from .trust import trusted_verdict

# A submission waiting longer than this is flagged in the mentor's queue.
WAITING_TOO_LONG = timedelta(days=7)
# Mentees a page of the mentor's home lists, and the queue's longest shown part.
MENTEES_PAGE = 50
QUEUE_SHOWN = 50


def _newest(role: str) -> Subquery:
    """The pk of the learner's (`OuterRef("pk")`, a user) latest assessment in `role`."""
    return Subquery(
        Assessment.objects.filter(learner=OuterRef("pk"), role=role)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )


def _scores_of(assessments: dict[int, tuple[int | None, int | None]]) -> dict[int, tuple]:
    """learner id -> (their own scores, a mentor's), each dimension id -> score, from
    their latest self- and mentor assessments' pks (learner id -> (self, mentor)): the
    verdict's input (tracker.trust), one plain query."""
    owner = {}
    for learner_id, (own, theirs) in assessments.items():
        owner.update({own: (learner_id, 0), theirs: (learner_id, 1)})
    owner.pop(None, None)
    found: dict[int, tuple] = {}
    if owner:
        rows = Score.objects.filter(assessment__in=list(owner)).values_list(
            "assessment_id", "dimension_id", "score"
        )
        for assessment_id, dimension_id, score in rows.order_by():
            learner_id, side = owner[assessment_id]
            found.setdefault(learner_id, ({}, {}))[side][dimension_id] = score
    return found


@dataclass(frozen=True)
class Mentee:
    """A mentee as the mentor's home lists them: only the columns it shows, read as
    tuples (a mentor may have hundreds)."""

    mentorship_id: int
    id: int
    username: str
    display_name: str
    time_zone: str

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username


def mentees_of(user: User) -> list[Mentee]:
    """`user`'s active mentees: one query."""
    return [
        Mentee(*row)
        for row in Mentorship.objects.active()
        .mentored_by(user)
        .values_list(
            "pk", "learner_id", "learner__username", "learner__display_name", "learner__time_zone"
        )
    ]


def mentor_overview(mentees: list[Mentee], *, page: int | str | None = 1) -> dict:
    """The review queue across all mentees, oldest first, and one page of mentees (those
    with something waiting first, then by name), each row with progress, schedule, last
    activity and verdict: a fixed number of queries however many mentees, and on a warm
    cache none beyond the queue (rows are cached per mentee: `mentee_rows`)."""
    now = timezone.now()
    by_id = {m.id: m for m in mentees}
    # One query, never cached, so what waits is always exact: only the columns shown.
    waiting = list(
        Submission.objects.filter(learner__in=by_id, state=Submission.State.SUBMITTED)
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
        .values_list(
            "pk", "learner_id", "submitted_at", "milestone__phase__order", "milestone__phase__title"
        )
    )
    first_wait: dict[int, int] = {}
    for n, (_, learner_id, *_) in enumerate(waiting):
        first_wait.setdefault(learner_id, n)
    ordered = sorted(mentees, key=lambda m: (first_wait.get(m.id, len(waiting)), m.username))
    shown = Paginator(ordered, MENTEES_PAGE).get_page(page)
    rows = mentee_rows(list(shown))
    return {
        "page": shown,
        "rows": [{"learner": m, **rows[m.id]} for m in shown],
        "waiting": len(waiting),
        "more": max(0, len(waiting) - QUEUE_SHOWN),
        "shown": min(len(waiting), QUEUE_SHOWN),
        "queue": _queue_items(waiting[:QUEUE_SHOWN], by_id, now),
    }


def _queue_items(waiting: list[tuple], by_id: dict[int, Mentee], now) -> SafeString:
    """The review queue's items, oldest wait first: who, which milestone, how long it
    has waited (late past WAITING_TOO_LONG). Written here, not by a template loop: fifty
    items of ten nodes were most of the mentor's home (200 mentees). Escaped."""
    milestone_url = url_of("milestone")
    items = []
    for pk, learner_id, submitted_at, order, title in waiting:
        waited = (now - submitted_at if submitted_at else timedelta(0)).days
        late = bool(submitted_at) and now - submitted_at > WAITING_TOO_LONG
        if late:
            tag = f'<span class="tag level-advanced">waiting {waited} days</span>'
        elif waited:
            tag = f'<span class="tag">waiting {waited} day{pluralize(waited)}</span>'
        else:
            tag = '<span class="tag">waiting since today</span>'
        short_title = Phase(order=order, title=title).short_title
        items.append(
            f'    <li class="{"waiting-late" if late else ""}">\n'
            f'      <a href="{milestone_url(pk)}">{escape(by_id[learner_id].shown_name)} — '
            f"milestone {order}: {escape(short_title)}</a>\n"
            f'      <span class="meta">{tag}</span>\n    </li>\n'
        )
    return mark_safe("".join(items))  # noqa: S308 - numbers, a URL and escaped text only


# The row areas: progress and schedule; last activity (also the log and practice);
# verdict (assessment). The name comes fresh from the mentorships query.
ROW_AREAS = (PROGRESS, LOG, PRACTICE, ASSESSMENT)
# A mentee writing continuously (a study session's ticks) rebuilds their row at most once
# a second, however many times their mentor's page is loaded meanwhile (issue 15: their
# writes must cost the mentor's page under 20% of its throughput); the row lags a second.
ROW_REBUILD_SECONDS = 1


def mentee_rows(learners: list[Mentee]) -> dict[int, dict]:
    """learner id -> what the mentor's table shows of them, cached per mentee under their
    own versions, the content version and their today: one mentee's write rebuilds their
    row only, and concurrent requests do not all rebuild it (`cache.per_learner`)."""
    from roadmap import content

    # Read once, not once a mentee: the content version is a cache round trip.
    version, now = content.version(), timezone.now()
    return per_learner(
        "mentee-row",
        [m.id for m in learners],
        areas=ROW_AREAS,
        # The row shows their name and links too: a rename or a new mentorship rebuilds it.
        stamps={
            m.id: (
                version,
                today_for(m.time_zone, now),
                m.mentorship_id,
                m.username,
                m.shown_name,
            )
            for m in learners
        },
        build=lambda ids: _build_rows([m for m in learners if m.id in ids]),
        rebuild_every=ROW_REBUILD_SECONDS,
    )


class ItemRow(NamedTuple):
    """The columns of an item's progress the mentor's row needs (`compute_progress`)."""

    learner_id: int
    goal_id: int | None
    resource_id: int | None
    status: str
    completed_at: datetime | None
    updated_at: datetime


class SubmissionRow(NamedTuple):
    learner_id: int
    milestone_id: int
    state: str
    submitted_at: datetime | None
    approved_at: datetime | None
    updated_at: datetime


def _build_rows(learners: list[Mentee]) -> dict[int, dict]:
    """The rows of `learners`, from only the columns they need, read as tuples (model
    instances with deferred fields cost more to build than the query): four queries."""
    ids = [m.id for m in learners]
    last_log = StudyLog.objects.filter(learner=OuterRef("pk")).order_by("-date", "-created_at")
    last_review = Review.objects.filter(learner=OuterRef("pk")).order_by("-reviewed_at")
    users = (
        User.objects.filter(pk__in=ids)
        .annotate(
            last_log=Subquery(last_log.values("created_at")[:1]),
            last_review=Subquery(last_review.values("reviewed_at")[:1]),
            # The latest self- and mentor assessments, whose scores make the verdict.
            own=_newest(Assessment.Role.SELF),
            theirs=_newest(Assessment.Role.MENTOR),
        )
        .values_list(
            "pk", "plan__start_date", "plan__months", "last_log", "last_review", "own", "theirs"
        )
    )
    found, assessments = {}, {}
    for pk, start, months, log, review, own, theirs in users:
        found[pk] = SimpleNamespace(
            plan=Plan(start_date=start, months=months) if start else None,
            last_log=log,
            last_review=review,
        )
        assessments[pk] = (own, theirs)
    items: dict[int, list] = defaultdict(list)
    for row in ItemProgress.objects.filter(learner__in=ids).values_list(*ItemRow._fields):
        items[row[0]].append(ItemRow(*row))
    subs: dict[int, list] = defaultdict(list)
    for row in Submission.objects.filter(learner__in=ids).values_list(*SubmissionRow._fields):
        subs[row[0]].append(SubmissionRow(*row))
    rubric = content.rubric()
    mentee_url, end_url = url_of("mentee"), url_of("mentorship_end")
    # The verdict takes a mentor's score where one was given (tracker.trust).
    scores = _scores_of(assessments)
    rows = {}
    for learner in learners:
        user = found.get(learner.id)
        plan = getattr(user, "plan", None) if user else None
        progress = (
            compute_progress(
                plan, items[learner.id], subs[learner.id], today=today_for(learner.time_zone)
            )
            if plan
            else None
        )
        stamps = [
            getattr(user, "last_log", None),
            getattr(user, "last_review", None),
            *(r.updated_at for r in items[learner.id]),
            *(s.updated_at for s in subs[learner.id]),
        ]
        own, theirs = scores.get(learner.id, ({}, {}))
        result = trusted_verdict(rubric, own, theirs).verdict if own or theirs else None
        cells = {
            "percent": progress.percent if progress else None,
            "state": progress.status.state if progress else "",
            "label": progress.status.label if progress else "",
            "last": max((s for s in stamps if s), default=None),
            "verdict": result.label if result else None,
        }
        # Rendered here, once per change, so a warm page only joins the rows' HTML.
        shown = {
            **cells,
            "learner": learner,
            "url": mentee_url(learner.username),
            "end_url": end_url(learner.mentorship_id),
        }
        with timezone.override(zone_for(learner.time_zone)):
            rows[learner.id] = {
                **cells,
                "html": render_to_string("tracker/mentor_home.html#mentee-row", shown),
            }
    return rows


@dataclass(frozen=True)
class ShownScore:
    """A score as the mentee page shows it (and pre-fills this mentor's form with)."""

    dimension_id: int
    score: int
    evidence: str


@dataclass(frozen=True)
class ShownAssessment:
    pk: int
    created_at: datetime


# What the mentee page's progress reads of a milestone's submission: what
# `compute_progress` needs, its state and link; not the evidence (its markdown costs most
# to load); the other fields stay deferred.
_SUBMISSION_FIELDS = columns(
    Submission, only={"id", "milestone_id", "state", "self_approved", "submitted_at", "approved_at"}
)
# Compiled once (tracker.prepared): plain, but built on every cold page all the same.
_SUBMISSIONS = Prepared(
    lambda learner_id: Submission.objects.filter(learner=learner_id).values_list(
        *_SUBMISSION_FIELDS
    ),
    ("id",),
)


def mentee_progress(learner: User) -> dict:
    """The progress part of a mentor's page about one mentee: plan, progress and the
    credited goals to confirm (`learner.plan` read by the view's access check)."""
    try:
        plan = learner.plan
    except Plan.DoesNotExist:
        plan = None
    progress = None
    if plan:
        # `learner_progress`, from only the columns the page shows.
        progress = compute_progress(
            plan,
            progress_items(learner.pk),
            _SUBMISSIONS.instances(Submission, learner.pk),
            today=today_for(learner.time_zone),
        )
    return {
        "plan": plan,
        "progress": progress,
        # Credited goals, for the mentor to confirm or question (tracker.trust).
        "credits": [
            (pp.phase, goal, row)
            for pp in (progress.phases if progress else [])
            for goal, row in pp.goals
            if row and row.status == ItemStatus.CREDITED
        ],
    }


def latest_assessments(user: User | int) -> dict[str, Subquery]:
    """Annotations for a mentorship query: the pks of its learner's latest
    self-assessment (`own_assessment`) and of `user`'s (a user or their id) latest scores of them
    (`my_assessment`), never another (or a former) mentor's. They key the mentee
    page's scores part, so its scores are read only when it renders."""

    def newest(**where) -> Subquery:
        return Subquery(
            Assessment.objects.filter(learner=OuterRef("learner"), **where)
            .order_by("-created_at", "-pk")
            .values("pk")[:1]
        )

    return {
        "own_assessment": newest(role=Assessment.Role.SELF),
        "my_assessment": newest(role=Assessment.Role.MENTOR, rater=user),
    }


# What the mentee page reads of the learner and their plan, in the models' field order
# (`Model.from_db` takes them so; the other fields stay deferred, read if ever used).
_LEARNER_FIELDS = ("id", "username", "display_name", "time_zone")
_PLAN_FIELDS = ("id", "learner_id", "start_date", "months")


def _mentee_query(mentor_id: int, username: str) -> QuerySet:
    """`username`'s active mentorship with `mentor_id`: the learner's and their plan's
    columns the page shows, and the pks of the two latest assessments
    (`latest_assessments`)."""
    return (
        Mentorship.objects.active()
        .filter(mentor=mentor_id, learner__username=username)
        .annotate(**latest_assessments(mentor_id))
        .values_list(
            *(f"learner__{f}" for f in _LEARNER_FIELDS),
            *(f"learner__plan__{f}" for f in ("id", "start_date", "months")),
            "own_assessment",
            "my_assessment",
        )
    )


# Compiled once (tracker.prepared): its two subqueries and joins cost the mentee page
# several times more to build than to run.
_MENTEE = Prepared(_mentee_query, ("id", "text"))


def mentee_for_page(user: User, username: str) -> User | None:
    """`username`, if `user` mentors them now (else None), with their plan and the pks of
    their latest self-assessment (`own_assessment`) and of `user`'s latest scores of them
    (`my_assessment`): one query, compiled once; only the columns the page shows."""
    row = _MENTEE.row(Mentorship, user.pk, username)
    if row is None:
        return None
    db = router.db_for_read(User)
    learner_values, (plan_id, start, months, own, mine) = row[:4], row[4:]
    learner = User.from_db(db, _LEARNER_FIELDS, learner_values)
    plan = None
    if plan_id is not None:
        plan = Plan.from_db(db, _PLAN_FIELDS, (plan_id, learner.pk, start, months))
        plan._state.fields_cache["learner"] = learner
    learner._state.fields_cache["plan"] = plan  # None: "no plan", as select_related leaves it
    learner.own_assessment, learner.my_assessment = own, mine
    return learner


def mentee_scores(own: int | None, mine: int | None, dimensions: list[Dimension]) -> dict:
    """The self-vs-mentor table from the learner's latest self-assessment (`own`) and
    "you", this mentor's latest (`mine`): their scores in one query, read as tuples."""
    self_scores: dict[int, ShownScore] = {}
    mentor_scores: dict[int, ShownScore] = {}
    mine_shown = None
    if own or mine:
        rows = Score.objects.filter(assessment__in=[pk for pk in (own, mine) if pk])
        for pk, at, dimension_id, score, evidence in rows.order_by().values_list(
            "assessment_id", "assessment__created_at", "dimension_id", "score", "evidence"
        ):
            shown = ShownScore(dimension_id, score, evidence)
            if pk == own:
                self_scores[dimension_id] = shown
            else:
                mine_shown, mentor_scores[dimension_id] = ShownAssessment(pk, at), shown
    table = []
    for dimension in dimensions:
        own_score, mentor_score = self_scores.get(dimension.pk), mentor_scores.get(dimension.pk)
        gap = score_gap(own_score, mentor_score)
        table.append(
            {
                "dimension": dimension,
                "self": own_score,
                "mentor": mentor_score,
                "gap": gap,
                "discuss": gap is not None and abs(gap) >= DISCUSS_GAP,
            }
        )
    return {
        "table": table,
        "mentor_scores": list(mentor_scores.values()),
        "mine": mine_shown,
    }


def _answers_query(learner_id: int) -> QuerySet:
    """The 20 latest rated answers of the learner: only the columns their cache keys need
    (`_answer_parts`)."""
    return (
        Answer.objects.filter(learner=learner_id, status=Answer.Status.RATED)
        .annotate(
            takes=Subquery(_count(Recording.objects.filter(answer=OuterRef("pk")))),
            last_take=Subquery(_last(Recording.objects.filter(answer=OuterRef("pk")))),
            commented=Exists(AnswerComment.objects.filter(answer=OuterRef("pk"))),
        )
        .order_by("-rated_at")
        .values_list(
            "pk",
            "updated_at",
            "mentor_rating",
            "mentor_qualities",
            "mentor_rated_at",
            "takes",
            "last_take",
            "commented",
        )[:20]
    )


# Compiled once (tracker.prepared): its three subqueries cost more to build than to run.
_ANSWERS = Prepared(_answers_query, ("id",))


def mentee_answers(learner: User) -> list[dict]:
    """The 20 latest rated answers, each as its cached HTML (`_answer_parts`) and its
    comments: first only the columns their cache keys need, read as tuples; the whole
    rows (with their questions) only for the answers rendered anew."""
    return _answer_parts(_ANSWERS.rows(Answer, learner.pk), learner.username)


def _count(rows: QuerySet) -> QuerySet:
    """`rows` counted, as a subquery's one value."""
    return rows.order_by().values("answer").annotate(n=Count("pk")).values("n")


def _last(rows: QuerySet) -> QuerySet:
    return rows.order_by().values("answer").annotate(n=Max("pk")).values("n")


def _answer_parts(rows: list[tuple], username: str) -> list[dict]:
    """Each rated answer's HTML on the mentee page, before and after its comments: cached
    under what it shows (the answer's own fields, its takes, the content version and the
    viewer's time zone), not under the learner's versions, so the page rendered again
    after any write renders only the answers that changed (one query for their rows and
    questions, one for their takes if they have any). The comments come fresh (with
    their authors' names): one query, only when some answer has any."""
    from roadmap import content

    tz = timezone.get_current_timezone_name()
    version = content.version()
    keys = {
        pk: "mentee-answer:"
        + ":".join(
            str(part)
            for part in (
                version,
                tz,
                username,
                pk,
                updated_at.isoformat(),
                mentor_rating,
                sorted(mentor_qualities or ()),
                mentor_rated_at and mentor_rated_at.isoformat(),
                takes or 0,
                last_take,
            )
        )
        for (
            pk,
            updated_at,
            mentor_rating,
            mentor_qualities,
            mentor_rated_at,
            takes,
            last_take,
            _,
        ) in rows
    }
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    fresh = {}
    if missing:  # the whole rows only for the answers rendered anew (their rows are long)
        anew = list(Answer.objects.filter(pk__in=missing).select_related("question"))
        takes = {row[0]: row[5] for row in rows}
        with_takes = [a for a in anew if takes.get(a.pk)]
        if with_takes:
            prefetch_related_objects(with_takes, "recordings")
        for a in anew:
            ctx = {
                "a": a,
                "learner_username": username,
                "qualities": Quality.choices,
                "ratings": Rating.choices,
                "has_takes": bool(takes.get(a.pk)),
            }
            fresh[keys[a.pk]] = (
                render_to_string("tracker/mentee.html#answer-head", ctx),
                render_to_string("tracker/mentee.html#answer-tail", ctx),
            )
        cache.set_many(fresh, FRAGMENT_TIMEOUT)
    comments: dict[int, list] = defaultdict(list)
    commented = [row[0] for row in rows if row[7]]
    if commented:
        for c in AnswerComment.objects.filter(answer__in=commented).select_related("author"):
            comments[c.answer_id].append(c)
    answers = []
    for row in rows:
        head, tail = found.get(keys[row[0]]) or fresh[keys[row[0]]]
        answers.append({"pk": row[0], "head": head, "tail": tail, "comments": comments[row[0]]})
    return answers
