"""The four qualities recruiters listen for, over time: for each of the last weeks, the
share of the learner's ratings that ticked each quality."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import schedule
from .models import Quality, Review, User
from .practice import day_start
from .prepared import Prepared

WEEKS = 12


@dataclass
class QualityWeeks:
    weeks: list[date]  # the Monday of each week, oldest first
    reviews: list[int]  # ratings in each week
    rates: list[tuple[str, list[float | None]]]  # (quality label, share per week or None)


# The time and qualities of the learner's ratings since an instant: compiled once.
_RATINGS_SINCE = Prepared(
    lambda learner_id, since: Review.objects.filter(
        learner_id=learner_id, reviewed_at__gte=since
    ).values_list("reviewed_at", "qualities"),
    ("id", "instant"),
)


def quality_weeks(user: User, today: date, weeks: int = WEEKS) -> QualityWeeks:
    """One query: the time and qualities of every rating in the last `weeks` weeks."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    starts = [first + timedelta(weeks=i) for i in range(weeks)]
    zone = schedule.zone_for(user.time_zone)
    counts = [0] * weeks
    ticked = {q: [0] * weeks for q in Quality.values}
    for when, qualities in _RATINGS_SINCE.rows(Review, user.pk, day_start(user, first)):
        k = (when.astimezone(zone).date() - first).days // 7
        if not 0 <= k < weeks:
            continue
        counts[k] += 1
        for q in set(qualities or ()) & ticked.keys():
            ticked[q][k] += 1
    rates = [
        (label, [ticked[value][k] / counts[k] if counts[k] else None for k in range(weeks)])
        for value, label in Quality.choices
    ]
    return QualityWeeks(starts, counts, rates)
