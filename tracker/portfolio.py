"""The public portfolio and the progress card: what a recruiter sees of a learner.

Both are derived from the learner's data and cached under their data version
(tracker.cache), so a recruiter's visit costs nothing until the learner changes
something; the card PNG is drawn with Pillow only then.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from PIL import Image, ImageDraw, ImageFont, ImageOps

from roadmap import content

from .activity import streak_with
from .assessment import Verdict, latest_scores_pair
from .cache import FRAGMENT_TIMEOUT, SHOWN_TO_ALL, fragment_key
from .evidence import Evidence, for_learner
from .models import ItemProgress, ItemStatus, Plan, Submission, User
from .models.core import CONTROL_CHARACTERS
from .practice import practice_summary
from .progress import LearnerProgress, compute_progress
from .schedule import today_for
from .trust import mentor_confirmed, trusted_verdict

CARD_SIZE = (1200, 630)
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


def build_portfolio(learner: User) -> Portfolio:
    """What the portfolio and the card show: a fixed number of queries, each on the
    learner's own rows, however big the site."""
    today = today_for(learner.time_zone)
    shown = shown_sections(learner)
    plan = Plan.objects.filter(learner=learner).select_related("background").first()
    # Progress from rows read here, so the approved submissions come with it.
    submissions = list(
        Submission.objects.filter(learner=learner).select_related("milestone__phase")
    )
    progress = (
        compute_progress(
            plan, list(ItemProgress.objects.filter(learner=learner)), submissions, today=today
        )
        if plan
        else None
    )
    approved = sorted(  # mentor-approved (verified) first
        (s for s in submissions if s.state == Submission.State.APPROVED),
        key=lambda s: (s.self_approved, s.milestone.phase.order),
    )
    prefetch_related_objects(approved, "links", "images")
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
    earned = [e for items in for_learner(learner).values() for e in items]
    return Portfolio(
        learner=learner,
        plan=plan,
        progress=progress,
        approved=approved,
        levels=levels,
        verdict=trusted.verdict if trusted else None,
        by_mentor=trusted.by_mentor if trusted else [],
        stats=practice_summary(learner),
        streak=streak_with(learner, progress, today),
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


def card_png(learner: User) -> bytes:
    """The card, drawn once per change of the learner's data (cached by version)."""
    key = "card:" + fragment_key(learners=[learner.pk], areas=SHOWN_TO_ALL)
    png = cache.get(key)
    if png is None:
        png = draw_card(build_portfolio(learner))
        cache.set(key, png, FRAGMENT_TIMEOUT * 6)
    return png


def square_avatar(image_bytes: bytes) -> bytes:
    """A clean image (tracker.images) cropped to a centred square of 256 px, as PNG."""
    with Image.open(io.BytesIO(image_bytes)) as img:
        img = ImageOps.fit(img.convert("RGB"), (AVATAR_SIZE, AVATAR_SIZE))
        out = io.BytesIO()
        img.save(out, "PNG")  # optimize=True cost 70 ms a card for a few KB
        return out.getvalue()
