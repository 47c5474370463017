"""Writes to applications (services) and the reads the board and the funnel share."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.db import transaction
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tracker.models import User

from .models import CLOSED_STAGES, OPEN_STAGES, Application, Stage

# The hiring round (hiring.toml) each stage is rehearsed by on /hiring/.
REHEARSAL_ROUNDS = {
    Stage.RESUME_SCREEN: "resume-screen",
    Stage.TECHNICAL_SCREEN: "technical-screen",
    Stage.TAKE_HOME: "infrastructure-design-take-home",
    Stage.DEBUGGING: "live-gpu-debugging",
    Stage.ARCHITECTURE: "scale-architecture-discussion",
    Stage.TRIAL: "trial-project",
}


def rehearsal_url(stage: str) -> str | None:
    """Where to rehearse a stage: the hiring app's round when that app is installed
    (another app, which may be absent), else the round on the public /hiring/ guide."""
    key = REHEARSAL_ROUNDS.get(stage)
    if key is None:
        return None
    for name in ("hiring:index", "roadmap:hiring"):
        try:
            return f"{reverse(name)}#round-{key}"
        except NoReverseMatch:
            continue
    return None


@transaction.atomic
def application_save(*, application: Application) -> Application:
    application.full_clean(exclude=["learner"])
    if application.stage not in CLOSED_STAGES:
        application.furthest = _further(application.furthest, application.stage)
    application.save()
    return application


def _further(a: str, b: str) -> str:
    order = list(OPEN_STAGES)
    ia = order.index(a) if a in order else 0
    ib = order.index(b) if b in order else 0
    return order[max(ia, ib)]


@transaction.atomic
def application_move(*, application: Application, stage: str) -> Application:
    """Move to any stage (the board moves forward, to an end, or back after a mistake)."""
    stage = Stage(stage)  # ValueError for anything else
    application.stage = stage
    if stage == Stage.ACCEPTED:
        application.furthest = Stage.OFFER
    elif stage not in CLOSED_STAGES:
        application.furthest = _further(application.furthest, stage)
    application.stage_changed_at = timezone.now()
    application.save(update_fields=["stage", "furthest", "stage_changed_at", "updated_at"])
    return application


@dataclass
class Card:
    """An application on the board: what its cached card is keyed by, and the card."""

    pk: int
    updated_at: object
    html: str = ""


@dataclass
class Column:
    stage: Stage
    applications: list[Card]
    rehearse_url: str | None


def board(user: User) -> list[Column]:
    """Every stage as a column, the learner's applications in it, as the keys of their
    cards (one query of three columns: a board of hundreds builds no model instances;
    `jobs.views` renders the cards it has not cached from `Application` rows)."""
    by_stage: dict[str, list[Card]] = {s: [] for s in Stage}
    rows = Application.objects.owned_by(user).order_by("follow_up_on", "-pk")
    for pk, stage, updated_at in rows.values_list("pk", "stage", "updated_at"):
        by_stage[stage].append(Card(pk, updated_at))
    return [Column(stage, by_stage[stage], rehearsal_url(stage)) for stage in Stage]


@dataclass
class FunnelRow:
    stage: Stage
    reached: int
    percent: int  # of all applications


def funnel(user: User) -> list[FunnelRow]:
    """How many applications reached each stage of the process (one query): an
    application rejected after the technical screen counts for every stage up to it."""
    counts = dict(
        Application.objects.owned_by(user)
        .values("furthest")
        .annotate(n=Count("pk"))
        .values_list("furthest", "n")
    )
    accepted = Application.objects.owned_by(user).filter(stage=Stage.ACCEPTED).count()
    total = sum(counts.values())
    rows, remaining = [], total
    for stage in OPEN_STAGES:
        rows.append(FunnelRow(stage, remaining, round(100 * remaining / total) if total else 0))
        remaining -= counts.get(stage, 0)
    rows.append(FunnelRow(Stage.ACCEPTED, accepted, round(100 * accepted / total) if total else 0))
    return rows


def funnel_svg(rows: list[FunnelRow]) -> str:
    """Horizontal bars, one per stage: no script, classes coloured by the stylesheet."""
    width, bar_h, gap, label_w = 640, 22, 8, 170
    height = len(rows) * (bar_h + gap) + gap
    top = max((r.reached for r in rows), default=0) or 1
    body = []
    for i, row in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = round((width - label_w - 60) * row.reached / top)
        body.append(
            f'<text class="chart-label" x="{label_w - 8}" y="{y + 16}" text-anchor="end">'
            f"{escape(row.stage.label)}</text>"
        )
        body.append(
            f'<rect class="chart-bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}" rx="3"/>'
        )
        body.append(
            f'<text class="chart-label" x="{label_w + w + 6}" y="{y + 16}">{row.reached}</text>'
        )
    summary = ", ".join(f"{r.stage.label}: {r.reached}" for r in rows)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="chart chart-funnel" role="img" '
        f"aria-label={quoteattr(f'Applications reaching each stage: {summary}')}>"
        + "".join(body)
        + "</svg>"
    )
