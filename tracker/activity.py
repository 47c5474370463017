"""Streak and recent activity, read mostly from rows the progress computation already holds."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, F, Q, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from . import schedule
from .models import ItemProgress, ItemStatus, StudyLog, Submission, User
from .prepared import Prepared, shaped
from .progress import COUNTED, LearnerProgress

STREAK_LOOKBACK_DAYS = 400


@dataclass(frozen=True)
class Activity:
    when: datetime
    text: str
    link: object = ""  # a URL, or an object with get_absolute_url(), resolved only if shown

    @property
    def url(self) -> str:
        return self.link if isinstance(self.link, str) else self.link.get_absolute_url()


@dataclass(frozen=True)
class _ItemLink:
    phase: object
    anchor: str

    def get_absolute_url(self) -> str:
        return f"{self.phase.get_absolute_url()}#{self.anchor}"


@dataclass
class LearnerActivity:
    streak: int
    recent: list[Activity]


def _completed(progress: LearnerProgress):
    for pp in progress.phases:
        for item, p in (*pp.goals, *pp.resources):
            if p and p.status in COUNTED and p.completed_at:
                yield item, p, pp.phase


def _recent_logs_query(limit: int):
    """The builder of the learner's logs since a day, newest first: the date of each,
    and the minutes, what and when of the newest `limit` only (a year of daily rows is
    cheap that way)."""

    def build(user_id: int, since: date):
        newest = Q(n__lte=limit)
        return (
            StudyLog.objects.filter(learner=user_id, date__gte=since)
            .annotate(n=Window(RowNumber(), order_by=[F("date").desc(), F("pk").desc()]))
            .annotate(
                shown_minutes=Case(When(newest, then=F("minutes"))),
                shown_what=Case(When(newest, then=F("what"))),
                shown_at=Case(When(newest, then=F("created_at"))),
            )
            .order_by("-date", "-pk")
            .values_list("date", "shown_minutes", "shown_what", "shown_at")
        )

    return build


def _recent_logs(user: User, today: date, limit: int) -> list[tuple]:
    """(date, minutes, what, created_at) for the last STREAK_LOOKBACK_DAYS, newest first,
    the last three None after the first `limit`: one bounded query, compiled once."""
    since = today - timedelta(days=STREAK_LOOKBACK_DAYS)
    query = shaped(("recent-logs", limit), _recent_logs_query(limit), ("id", "day"))
    return query.rows(StudyLog, user.pk, since)


# The learner's logged days and completion times from a day on: compiled once.
_LOGGED_DAYS = Prepared(
    lambda user_id, since: (
        StudyLog.objects.filter(learner=user_id, date__gte=since)
        .order_by()
        .values_list("date", flat=True)
        .distinct()
    ),
    ("id", "day"),
)
_COMPLETED_SINCE = Prepared(
    lambda user_id, start: ItemProgress.objects.filter(
        learner=user_id, status=ItemStatus.DONE, completed_at__gte=start
    ).values_list("completed_at"),
    ("id", "instant"),
)


def streak_for(user: User, today: date, *, logged_days: Iterable[date] | None = None) -> int:
    """Consecutive days, in the learner's time zone, with logged study or a completed item.

    Credited items are what the learner knew before: crediting them is not a day of study.
    `logged_days`: the days with a log since STREAK_LOOKBACK_DAYS before `today` (or from
    earlier), when the caller has read them already.
    """
    since = today - timedelta(days=STREAK_LOOKBACK_DAYS)
    if logged_days is None:
        days = {day for (day,) in _LOGGED_DAYS.rows(StudyLog, user.pk, since)}
    else:
        days = set(logged_days)
    zone = schedule.zone_for(user.time_zone)
    start = datetime.combine(since, time.min, tzinfo=zone)
    completed = _COMPLETED_SINCE.rows(ItemProgress, user.pk, start)
    days |= {when.astimezone(zone).date() for (when,) in completed}
    return schedule.streak(days, today)


def streak_with(user: User, progress: LearnerProgress | None, today: date) -> int:
    """`streak_for`, taking the completed items from `progress` (already read): one query."""
    if progress is None:
        return streak_for(user, today)
    since = today - timedelta(days=STREAK_LOOKBACK_DAYS)
    days = set(
        StudyLog.objects.filter(learner=user, date__gte=since)
        .values_list("date", flat=True)
        .distinct()
    )
    zone = schedule.zone_for(user.time_zone)
    days |= {
        p.completed_at.astimezone(zone).date()
        for _, p, _ in _completed(progress)
        if p.status == ItemStatus.DONE
    }
    return schedule.streak(days, today)


def learner_activity(
    user: User, progress: LearnerProgress, today: date, limit: int = 8
) -> LearnerActivity:
    """Streak and recent activity for the dashboard: one query beyond `progress`."""
    zone = schedule.zone_for(user.time_zone)
    logs = _recent_logs(user, today, limit)
    completed = list(_completed(progress))
    # As in streak_for: a credit is not a day of study.
    days = {day for day, *_ in logs} | {
        p.completed_at.astimezone(zone).date()
        for _, p, _ in completed
        if p.status == ItemStatus.DONE
    }
    # The newest completed items only: a long history holds hundreds, eight are shown.
    newest = heapq.nlargest(limit, completed, key=lambda c: c[1].completed_at)
    items = [
        Activity(
            p.completed_at,
            f"{p.get_status_display()}: {item}",
            _ItemLink(phase, f"{p.kind}-{item.pk}"),
        )
        for item, p, phase in newest
    ]
    log_url = reverse("log")
    for day, minutes, what, created_at in logs[:limit]:
        same_day = created_at.astimezone(zone).date() == day
        when = created_at if same_day else datetime.combine(day, time(12), tzinfo=zone)
        items.append(Activity(when, f"Studied {minutes} min: {what}", log_url))
    for pp in progress.phases:
        s = pp.submission
        if s is None:
            continue
        label = f"Milestone {pp.phase.order}"
        if s.state == Submission.State.APPROVED and s.approved_at:
            items.append(Activity(s.approved_at, f"{label} {s.state_label.lower()}", s))
        if s.submitted_at:
            items.append(Activity(s.submitted_at, f"{label} submitted", s))
    items.sort(key=lambda a: a.when, reverse=True)
    return LearnerActivity(streak=schedule.streak(days, today), recent=items[:limit])
