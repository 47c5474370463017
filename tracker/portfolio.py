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
from .assessment import Verdict, latest_pair, verdict
from .cache import FRAGMENT_TIMEOUT, SHOWN_TO_ALL, fragment_key
from .models import ItemProgress, Plan, Submission, User
from .models.core import CONTROL_CHARACTERS
from .practice import practice_summary
from .progress import LearnerProgress, compute_progress
from .schedule import today_for

CARD_SIZE = (1200, 630)
AVATAR_SIZE = 256


@dataclass
class Portfolio:
    learner: User
    plan: Plan | None
    progress: LearnerProgress | None
    approved: list[Submission]
    levels: list[dict]  # per dimension: self score, mentor score
    verdict: Verdict | None  # from the learner's own latest scores; None: not assessed
    stats: object
    streak: int


def build_portfolio(learner: User) -> Portfolio:
    """What the portfolio and the card show: a fixed number of queries, each on the
    learner's own rows, however big the site."""
    today = today_for(learner.time_zone)
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
    approved = sorted(
        (s for s in submissions if s.state == Submission.State.APPROVED),
        key=lambda s: s.milestone.phase.order,
    )
    prefetch_related_objects(approved, "links", "images")
    rubric = content.rubric()
    found = latest_pair(learner)
    own_scores = {s.dimension_id: s.score for s in found.own.scores.all()} if found.own else {}
    mentor_scores = (
        {s.dimension_id: s.score for s in found.mentor.scores.all()} if found.mentor else {}
    )
    levels = [
        {"dimension": d, "self": own_scores.get(d.pk), "mentor": mentor_scores.get(d.pk)}
        for d in (rubric.dimensions.all() if rubric else [])
    ]
    result = verdict(rubric, own_scores) if rubric and own_scores else None
    return Portfolio(
        learner=learner,
        plan=plan,
        progress=progress,
        approved=approved,
        levels=levels,
        verdict=result,
        stats=practice_summary(learner),
        streak=streak_with(learner, progress, today),
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
    subtitle = f"{overall}% of the roadmap" if portfolio.plan else "No plan yet"
    d.text((60, 180), subtitle, font=_font(30), fill="#cbd5e1")
    y = 240
    phases = portfolio.progress.phases if portfolio.progress else []
    label_font = _font(24)
    for pp in phases or []:
        label = _fit(d, pp.phase.label, label_font, 420)
        d.text((60, y + 4), label, font=label_font, fill="#e2e8f0")
        d.rounded_rectangle([500, y, 1000, y + 30], radius=15, fill="#1e293b")
        if pp.percent:
            d.rounded_rectangle([500, y, 500 + 5 * pp.percent, y + 30], radius=15, fill="#3b82f6")
        d.text((1020, y + 2), f"{pp.percent}%", font=label_font, fill="#e2e8f0")
        y += 50
    if not phases:
        d.text(
            (60, y), "Progress appears here once a plan is made.", font=label_font, fill="#94a3b8"
        )
    footer = _font(30)
    result = portfolio.verdict
    verdict_text = f"Rubric: {result.label}" if result else "Rubric: not assessed yet"
    d.text(
        (60, h - 70),
        verdict_text,
        font=footer,
        fill="#86efac" if result and result.strong else "#fcd34d",
    )
    streak = f"Streak: {portfolio.streak} day{'s' if portfolio.streak != 1 else ''}"
    d.text(
        (w - 60 - d.textlength(streak, font=footer), h - 70), streak, font=footer, fill="#f8fafc"
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
