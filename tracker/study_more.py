""" "Study more": practice beyond today's caps, in a session the learner chooses.

A session is a filter (phase, level, dimension or the learner's weakest dimension) and
a choice of cards: those already seen (soonest due first, due or not), new questions
only (extra new questions today), or both. Only the questions the learner rates move:
every other card keeps its schedule. The session lives in the learner's browser
session (it is a way of browsing, not data), from its start until they end it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from roadmap.models import Dimension, Question

from .models import Card, Rating, Review, User

SESSION_SIZE = 20
WEAKEST = "weakest"


class Kind:
    SEEN = "seen"
    NEW = "new"
    BOTH = "both"
    choices = [
        (BOTH, "Seen and new questions"),
        (SEEN, "Questions I have seen, soonest due first"),
        (NEW, "Extra new questions"),
    ]


def weakest_dimension(user: User) -> Dimension | None:
    """The dimension whose practice reviews were least often rated Good or Easy (ties:
    the fewer reviews, then rubric order). One query; None before any review."""
    rows = (
        Review.objects.filter(learner=user, card__question__dimension__is_active=True)
        .values("card__question__dimension")
        .annotate(n=Count("pk"), good=Count("pk", filter=Q(rating__gte=Rating.GOOD)))
    )
    ranked = sorted(rows, key=lambda r: (r["good"] / r["n"], r["n"]))
    if not ranked:
        return None
    return Dimension.objects.current().get(pk=ranked[0]["card__question__dimension"])


@dataclass
class Session:
    filters: dict[str, str]  # Question lookups, as QuestionFilterForm.filters gives them
    kind: str
    started_at: datetime

    def to_json(self) -> dict:
        return {"filters": self.filters, "kind": self.kind, "started": self.started_at.isoformat()}

    @classmethod
    def from_json(cls, data) -> Session | None:
        try:
            return cls(
                filters={str(k): str(v) for k, v in dict(data["filters"]).items()},
                kind=data["kind"] if data["kind"] in dict(Kind.choices) else Kind.BOTH,
                started_at=datetime.fromisoformat(data["started"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


ALLOWED_FILTERS = {"level", "phase__key", "dimension__key"}


def session_questions(user: User, session: Session) -> list[Question]:
    """The session's questions still to do: cards not rated since it started, soonest
    due first, then new questions in roadmap order; at most SESSION_SIZE. Two queries."""
    filters = {k: v for k, v in session.filters.items() if k in ALLOWED_FILTERS}
    out: list[Question] = []
    if session.kind in (Kind.SEEN, Kind.BOTH):
        cards = (
            Card.objects.filter(
                learner=user,
                question__is_active=True,
                **{f"question__{k}": v for k, v in filters.items()},
            )
            .filter(Q(last_review__isnull=True) | Q(last_review__lt=session.started_at))
            .select_related("question__phase", "question__dimension")
            .order_by("due")[:SESSION_SIZE]
        )
        out = [card.question for card in cards]
    if session.kind in (Kind.NEW, Kind.BOTH) and len(out) < SESSION_SIZE:
        out += list(
            Question.objects.current()
            .filter(**filters)
            .exclude(pk__in=Card.objects.filter(learner=user).values("question_id"))
            .select_related("phase", "dimension")
            .order_by("phase__order", "order")[: SESSION_SIZE - len(out)]
        )
    return out
