"""The public portfolio and the progress card: what a recruiter sees of a learner.

Both are derived from the learner's data. The page's body is cached under their data
versions (tracker.cache), so a recruiter's visit costs nothing until the learner changes
something. The card PNG is drawn with Pillow by a task (tracker.tasks.draw_progress_card)
and stored (ProgressCard); a visit after a change serves the stored card and queues one
redraw (`served_card`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, router, transaction
from django.db.models import CharField, F, Q, QuerySet, Value
from django.utils import timezone
from django_tasks import TaskResultStatus
from PIL import Image, ImageDraw, ImageFont, ImageOps

from roadmap import content
from roadmap.models import Milestone, Phase

from .activity import streak_with
from .assessment import Verdict, latest_scores_pair
from .cache import SHOWN_TO_ALL, fragment_key
from .evidence import Evidence, for_learner
from .models import (
    ItemStatus,
    Plan,
    ProgressCard,
    Submission,
    SubmissionImage,
    SubmissionLink,
    User,
)
from .models.core import CONTROL_CHARACTERS
from .practice import practice_summary
from .prepared import Prepared, from_columns
from .progress import LearnerProgress, compute_progress, progress_items
from .schedule import today_for
from .trust import mentor_confirmed, trusted_verdict

logger = logging.getLogger(__name__)

CARD_SIZE = (1200, 630)
# How long a queued redraw of a stale card may take before a visit queues another.
REDRAW_PATIENCE = timedelta(minutes=10)
AVATAR_SIZE = 256


# The sections a learner may show or hide (settings), in page order.
SECTIONS = {
    "progress": "Progress by phase",
    "milestones": "Approved milestones",
    "rubric": "Rubric levels",
    "practice": "Interview practice",
    "rounds": "Hiring rounds passed",
    "contributions": "Open-source contributions",
}


@dataclass
class Portfolio:
    learner: User
    plan: Plan | None
    progress: LearnerProgress | None
    approved: list[Submission]  # mentor-approved first, self-approved last
    levels: list[dict]  # per dimension: self score (None when hidden), mentor score, confirmed
    verdict: Verdict | None  # on the mentor's score where they gave one; None: not assessed
    by_mentor: list  # the dimensions where the mentor's score stood in
    stats: object
    streak: int
    shown: set[str]  # the sections the learner chose to show
    credits: list[dict]  # credited goals with the mentor's word on each
    rounds: list[Evidence]  # hiring rounds passed (tracker.evidence), verified first
    contributions: list[Evidence]  # merged contributions (tracker.evidence)


def shown_sections(learner: User) -> set[str]:
    hidden = learner.portfolio_hidden if isinstance(learner.portfolio_hidden, list) else []
    return set(SECTIONS) - set(hidden)


def _distinct(items: list[Evidence]) -> list[Evidence]:
    """One entry per piece of evidence (a provider lists it under each dimension)."""
    seen, out = set(), []
    for item in sorted(items, key=lambda e: (not e.verified, -e.on.toordinal(), e.title)):
        if (item.url, item.title) not in seen:
            seen.add((item.url, item.title))
            out.append(item)
    return out


def _plan(learner: User) -> Plan | None:
    """The learner's plan (+background): read with the learner where the caller joined it
    (`select_related("plan__background")`), else one query."""
    if "plan" in learner._state.fields_cache:
        return learner._state.fields_cache["plan"]
    return Plan.objects.filter(learner=learner).select_related("background").first()


# What the portfolio reads of a submission: what `compute_progress` needs, an approved
# one's evidence as shown, its milestone's text and phase; not the evidence's source.
_SUBMISSION_COLUMNS = (
    "id",
    "milestone_id",
    "state",
    "self_approved",
    "submitted_at",
    "approved_at",
    "evidence_html",
    "milestone__phase_id",
    "milestone__text",
    "milestone__phase__order",
)
# Compiled once (tracker.prepared), as the evidence below: built on every cold page else.
_SUBMISSIONS = Prepared(
    lambda learner_id: Submission.objects.filter(learner=learner_id).values_list(
        *_SUBMISSION_COLUMNS
    ),
    ("id",),
)


def _submissions(learner_id: int) -> list[Submission]:
    """The learner's submissions, each with its milestone and phase, only the columns the
    portfolio shows (the others deferred): one query."""
    db = router.db_for_read(Submission)
    found = []
    for row in _SUBMISSIONS.rows(Submission, learner_id):
        columns = dict(zip(_SUBMISSION_COLUMNS, row, strict=True))
        phase_id, text, order = (
            columns.pop(c)
            for c in ("milestone__phase_id", "milestone__text", "milestone__phase__order")
        )
        submission = from_columns(Submission, db, columns)
        milestone = from_columns(
            Milestone, db, {"id": submission.milestone_id, "phase_id": phase_id, "text": text}
        )
        milestone.phase = from_columns(Phase, db, {"id": phase_id, "order": order})
        submission.milestone = milestone
        found.append(submission)
    return found


def _evidence_query(learner_id: int) -> QuerySet:
    """The links and images of the learner's approved submissions, as (kind, submission
    id, id, title, address) rows."""
    approved = {"submission__learner": learner_id, "submission__state": Submission.State.APPROVED}
    columns = ("kind", "sid", "id", "t", "u")
    links = (
        SubmissionLink.objects.filter(**approved)
        .annotate(kind=Value("link"), sid=F("submission_id"), t=F("title"), u=F("url"))
        .order_by()
        .values_list(*columns)
    )
    images = (
        SubmissionImage.objects.filter(**approved)
        .annotate(
            kind=Value("image"),
            sid=F("submission_id"),
            t=Value("", output_field=CharField()),
            u=Value("", output_field=CharField()),
        )
        .order_by()
        .values_list(*columns)
    )
    return links.union(images, all=True).order_by("kind", "id")


_EVIDENCE = Prepared(_evidence_query, ("id",))


def _attach_evidence(learner: User, approved: list[Submission]) -> None:
    """Each approved submission's links and images as `link_rows` and `image_ids`, in one
    query for both (what the portfolio shows of them: a link's title and address, an
    image's id for its URL)."""
    for s in approved:
        s.link_rows, s.image_ids = [], []
    if not approved:
        return
    by_id = {s.pk: s for s in approved}
    for kind, sid, pk, title, url in _EVIDENCE.rows(SubmissionLink, learner.pk):
        if sid not in by_id:
            continue
        if kind == "link":
            by_id[sid].link_rows.append({"title": title, "url": url})
        else:
            by_id[sid].image_ids.append(pk)


def build_portfolio(learner: User, *, card: bool = False) -> Portfolio:
    """What the portfolio (or, with `card`, only what the card) shows: a fixed number of
    queries, each on the learner's own rows, however big the site; sections the learner
    hides cost none."""
    today = today_for(learner.time_zone)
    shown = shown_sections(learner)
    plan = _plan(learner)
    # Progress from rows read here, so the approved submissions come with it.
    submissions = _submissions(learner.pk)
    progress = (
        compute_progress(plan, progress_items(learner.pk), submissions, today=today)
        if plan
        else None
    )
    approved = sorted(  # mentor-approved (verified) first
        (s for s in submissions if s.state == Submission.State.APPROVED),
        key=lambda s: (s.self_approved, s.milestone.phase.order),
    )
    if not card and "milestones" in shown:
        _attach_evidence(learner, approved)
    rubric = content.rubric()
    found = latest_scores_pair(learner)
    own_scores, mentor_scores = found.own, found.mentor
    hide_self = learner.portfolio_hide_self_scores
    levels = [
        {
            "dimension": d,
            "self": None if hide_self else own_scores.get(d.pk),
            "mentor": mentor_scores.get(d.pk),
            "confirmed": mentor_confirmed(own_scores.get(d.pk), mentor_scores.get(d.pk)),
        }
        for d in (rubric.dimensions.all() if rubric else [])
    ]
    trusted = (
        trusted_verdict(rubric, own_scores, mentor_scores)
        if rubric and (own_scores or mentor_scores)
        else None
    )
    credits = [
        {"goal": goal, "phase": pp.phase, "progress": row}
        for pp in (progress.phases if progress else [])
        for goal, row in pp.goals
        if row and row.status == ItemStatus.CREDITED
    ]
    wants_evidence = not card and {"rounds", "contributions"} & shown
    earned = [e for items in for_learner(learner).values() for e in items] if wants_evidence else []
    return Portfolio(
        learner=learner,
        plan=plan,
        progress=progress,
        approved=approved,
        levels=levels,
        verdict=trusted.verdict if trusted else None,
        by_mentor=trusted.by_mentor if trusted else [],
        stats=practice_summary(learner) if not card and "practice" in shown else None,
        streak=streak_with(learner, progress, today) if "practice" in shown else 0,
        shown=shown,
        credits=credits,
        rounds=_distinct([e for e in earned if e.kind == "round" and e.verified]),
        contributions=_distinct([e for e in earned if e.kind == "contribution"]),
    )


# --- the progress card ----------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    """`text`, shortened with an ellipsis until it fits in `width` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _one_line(text: str) -> str:
    """Any stored text as one drawable line: Pillow refuses to measure a line break, and
    names stored before control characters were refused (or imported) may hold one."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def draw_card(portfolio: Portfolio) -> bytes:
    """A 1200×630 PNG (the Open Graph size): name, a bar per phase, verdict, streak."""
    w, h = CARD_SIZE
    img = Image.new("RGB", CARD_SIZE, "#0b1120")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w, 10], fill="#3b82f6")
    d.text((60, 50), "Rampup · AI Infrastructure Engineer", font=_font(28), fill="#93c5fd")
    name = _fit(d, _one_line(portfolio.learner.shown_name), _font(64), w - 120)
    d.text((60, 95), name, font=_font(64), fill="#f8fafc")
    overall = portfolio.progress.percent if portfolio.progress else 0
    show_progress = "progress" in portfolio.shown
    subtitle = f"{overall}% of the roadmap" if portfolio.plan else "No plan yet"
    if portfolio.learner.portfolio_headline or not show_progress:
        subtitle = portfolio.learner.portfolio_headline
    subtitle = _fit(d, _one_line(subtitle), _font(30), w - 120)
    d.text((60, 180), subtitle, font=_font(30), fill="#cbd5e1")
    y = 240
    phases = portfolio.progress.phases if portfolio.progress and show_progress else []
    label_font = _font(24)
    for pp in phases or []:
        label = _fit(d, pp.phase.label, label_font, 420)
        d.text((60, y + 4), label, font=label_font, fill="#e2e8f0")
        d.rounded_rectangle([500, y, 1000, y + 30], radius=15, fill="#1e293b")
        if pp.percent:
            d.rounded_rectangle([500, y, 500 + 5 * pp.percent, y + 30], radius=15, fill="#3b82f6")
        d.text((1020, y + 2), f"{pp.percent}%", font=label_font, fill="#e2e8f0")
        y += 50
    if not phases and show_progress:
        d.text(
            (60, y), "Progress appears here once a plan is made.", font=label_font, fill="#94a3b8"
        )
    footer = _font(30)
    result = portfolio.verdict
    if "rubric" in portfolio.shown:
        verdict_text = f"Rubric: {result.label}" if result else "Rubric: not assessed yet"
        d.text(
            (60, h - 70),
            verdict_text,
            font=footer,
            fill="#86efac" if result and result.strong else "#fcd34d",
        )
    if "practice" in portfolio.shown:
        streak = f"Streak: {portfolio.streak} day{'s' if portfolio.streak != 1 else ''}"
        d.text(
            (w - 60 - d.textlength(streak, font=footer), h - 70),
            streak,
            font=footer,
            fill="#f8fafc",
        )
    out = io.BytesIO()
    img.save(out, "PNG")  # optimize=True cost 70 ms a card for a few KB
    return out.getvalue()


def card_version(learner: User) -> str:
    """What the stored card must have been drawn for to be served as current: the
    versions of the learner's public data (and profile: name, headline, shown sections),
    the content version and the learner's today (the streak), hashed to a fixed length."""
    key = fragment_key(today_for(learner.time_zone), learners=[learner.pk], areas=SHOWN_TO_ALL)
    return hashlib.sha256(key.encode()).hexdigest()


def store_card(learner: User, *, first: bool = False) -> ProgressCard | None:
    """Draw the learner's card now and store it; the stored card, or None when a newer
    one was stored while this one was drawn (a slower, older draw never replaces it).
    `first`: no card was stored yet (saves a query). Queries: build_portfolio's for the
    card, then one write."""
    version = card_version(learner)
    png = draw_card(build_portfolio(learner, card=True))
    fields = {"version": version, "png": png, "drawn_at": timezone.now()}
    if first:
        try:
            with transaction.atomic():
                return ProgressCard.objects.create(learner=learner, **fields)
        except IntegrityError:  # another request or worker stored the first one meanwhile
            pass
    current = card_version(learner)
    rows = ProgressCard.objects.filter(learner=learner)
    if current != version:  # the data changed while drawing: keep a card already current
        rows = rows.exclude(version=current)
    if rows.update(**fields):
        return ProgressCard(learner=learner, **fields)
    if current != version or ProgressCard.objects.filter(learner=learner).exists():
        return None
    return ProgressCard.objects.create(learner=learner, **fields)


def claim_redraw(stored: ProgressCard, version: str) -> bool:
    """True for the one request that should queue the redraw of the stale card `stored`
    for `version`: one conditional UPDATE, atomic across servers (none when the row read
    shows the claim already). The others see the claim and serve the stale card. A claim
    older than REDRAW_PATIENCE (a lost or failed task) can be taken again."""
    now = timezone.now()
    if stored.pending == version and stored.pending_since > now - REDRAW_PATIENCE:
        return False
    learner = stored.learner
    return bool(
        ProgressCard.objects.filter(learner=learner)
        .filter(~Q(pending=version) | Q(pending_since__lt=now - REDRAW_PATIENCE))
        .update(pending=version, pending_since=now)
    )


def forget_card(learner: User) -> None:
    """The learner stopped sharing: their stored card goes (the URL 404s anyway)."""
    ProgressCard.objects.filter(learner=learner).delete()


@dataclass
class ServedCard:
    png: bytes
    version: str  # what it was drawn for: the ETag; "" for the neutral card
    current: bool  # False: a redraw is queued, this one is stale (or neutral)


def served_card(learner: User) -> ServedCard:
    """The card to answer a visit with. The stored card when it is current; a stale one
    while one redraw is queued for the current version; drawn here only when none was
    ever drawn (the first visitor is often a link preview, which keeps what it gets), or
    when the queue cannot take the task. A card that cannot be drawn at all is the
    neutral card, never an error. Queries: the learner and card were read by the caller
    (`learner.progress_card`, joined); a stale card adds the claim and the task row."""
    from .tasks import draw_progress_card

    version = card_version(learner)
    stored = getattr(learner, "progress_card", None)  # None when never drawn
    if stored is not None and stored.version == version:
        return ServedCard(bytes(stored.png), stored.version, True)
    if stored is not None:
        if claim_redraw(stored, version):
            try:
                result = draw_progress_card.enqueue(learner_id=learner.pk)
            except Exception:
                logger.exception("Could not queue the card of %s: drawing it now", learner.pk)
            else:
                if result.status != TaskResultStatus.SUCCESSFUL:  # queued (or failed)
                    return ServedCard(bytes(stored.png), stored.version, False)
                fresh = ProgressCard.objects.filter(learner=learner).first()  # drawn already
                if fresh is not None:
                    return ServedCard(bytes(fresh.png), fresh.version, fresh.version == version)
        else:
            return ServedCard(bytes(stored.png), stored.version, False)
    try:
        drawn = store_card(learner, first=stored is None)
    except Exception:
        logger.exception("Could not draw the card of %s", learner.pk)
        drawn = None
    if drawn is not None:
        return ServedCard(bytes(drawn.png), drawn.version, drawn.version == version)
    if stored is not None:
        return ServedCard(bytes(stored.png), stored.version, False)
    return ServedCard(neutral_card(), "", False)


@functools.cache
def neutral_card() -> bytes:
    """A card with no learner data, for when a learner's card cannot be drawn at all."""
    img = Image.new("RGB", CARD_SIZE, "#0b1120")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, CARD_SIZE[0], 10], fill="#3b82f6")
    d.text((60, 50), "Rampup · AI Infrastructure Engineer", font=_font(28), fill="#93c5fd")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def square_avatar(image_bytes: bytes) -> bytes:
    """A clean image (tracker.images) cropped to a centred square of 256 px, as PNG."""
    with Image.open(io.BytesIO(image_bytes)) as img:
        img = ImageOps.fit(img.convert("RGB"), (AVATAR_SIZE, AVATAR_SIZE))
        out = io.BytesIO()
        img.save(out, "PNG")  # optimize=True cost 70 ms a card for a few KB
        return out.getvalue()
