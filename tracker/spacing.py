"""Spaced repetition: the FSRS scheduler for a learner, what each rating would do, and
how many reviews a day a desired retention costs.

Learning and relearning steps: a new card rated Again (or Hard), and a known card
rated Again, come back later the same day, after the other cards due now (the queue
orders by due time). Good or Easy on a new card, and Good on a relearning card, move it
to days.

Fuzz (spreading cards that would bunch up on one day) is ours, not the library's: it is
seeded by the card and its review count, so the interval a rating button shows is
exactly the interval that rating then gives.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs
from django.conf import settings

from .models import Card, Rating, User

LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)
DEFAULT_RETENTION = 0.9
FUZZ_MIN_DAYS = 3  # shorter intervals are never spread
FUZZ_SHARE = 0.05  # longer ones move by up to this share either way


def scheduler(retention: float = DEFAULT_RETENTION) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        desired_retention=retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        enable_fuzzing=False,
    )


def _fuzz(card: Card, moved: fsrs.Card, now: datetime) -> None:
    """Spread a long interval by a few percent, the same way every time for this card
    at this review (tests turn it off with PRACTICE_FUZZ)."""
    interval = moved.due - now
    if not settings.PRACTICE_FUZZ or interval < timedelta(days=FUZZ_MIN_DAYS):
        return
    seed = hashlib.sha256(f"{card.learner_id}:{card.question_id}:{card.reps}".encode()).digest()
    share = (int.from_bytes(seed[:4]) / 0xFFFFFFFF * 2 - 1) * FUZZ_SHARE
    moved.due = now + timedelta(days=round(interval.days * (1 + share)))


def next_states(card: Card, now: datetime, retention: float) -> dict[int, fsrs.Card]:
    """What each rating (1–4) would make of `card` if given at `now`."""
    sched = scheduler(retention)
    now = now.astimezone(UTC)
    current = card.to_fsrs()
    out = {}
    for rating in Rating.values:
        moved, _ = sched.review_card(current, fsrs.Rating(rating), review_datetime=now)
        _fuzz(card, moved, now)
        out[rating] = moved
    return out


def interval_text(interval: timedelta) -> str:
    """Anki's short form: "10 min", "3 h", "4 d", "2.5 mo", "1.2 y"."""
    minutes = interval.total_seconds() / 60
    if minutes < 60:
        return f"{max(1, round(minutes))} min"
    if minutes < 60 * 24:
        return f"{round(minutes / 60)} h"
    days = minutes / (60 * 24)
    if days < 30:
        return f"{round(days)} d"
    if days < 365:
        return f"{days / 30:.1f} mo".replace(".0 ", " ")
    return f"{days / 365:.1f} y".replace(".0 ", " ")


@dataclass(frozen=True)
class Preview:
    rating: int
    label: str
    interval: timedelta

    @property
    def text(self) -> str:
        return interval_text(self.interval)


def previews(card: Card, now: datetime, retention: float) -> list[Preview]:
    """The four rating buttons' intervals for `card` (a new card: an unsaved Card)."""
    return [
        Preview(rating, Rating(rating).label, moved.due - now)
        for rating, moved in next_states(card, now, retention).items()
    ]


def learner_card(user: User, question_id: int, now: datetime) -> Card:
    """The learner's card for a question, or the fresh one a first rating would create."""
    card = Card.objects.filter(learner=user, question_id=question_id).first()
    return card or Card(learner=user, question_id=question_id, due=now)


def previews_for(user: User, question_ids: list[int], now: datetime) -> dict[int, list[Preview]]:
    """The rating buttons of several questions at once (one query)."""
    cards = {c.question_id: c for c in Card.objects.filter(learner=user, question__in=question_ids)}
    return {
        qid: previews(
            cards.get(qid) or Card(learner=user, question_id=qid, due=now),
            now,
            user.desired_retention,
        )
        for qid in question_ids
    }


def reviews_per_day(stabilities: list[float], retention: float) -> float:
    """About how many reviews a day the learner's known cards need at `retention`: each
    card comes back once per interval, and FSRS sets the interval from its stability."""
    decay = -scheduler(retention).parameters[20]
    factor = 0.9 ** (1 / decay) - 1  # FSRS's interval formula, as fsrs.Scheduler has it
    per_stability = (retention ** (1 / decay) - 1) / factor
    return sum(1 / max(1, round(s * per_stability)) for s in stabilities)


def card_stabilities(user: User) -> list[float]:
    """The memory stability of each card the learner has rated (one query)."""
    return list(
        Card.objects.filter(learner=user, stability__isnull=False).values_list(
            "stability", flat=True
        )
    )


def retention_estimate(user: User, retention: float) -> int | None:
    """Reviews a day at `retention`, from the learner's cards; None before any card has
    been rated."""
    stabilities = card_stabilities(user)
    if not stabilities:
        return None
    return round(reviews_per_day(stabilities, retention))
