"""Streak and recent activity, read mostly from rows the progress computation already holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.urls import reverse

from . import schedule
from .models import ItemProgress, StudyLog, Submission, User
from .progress import COUNTED, LearnerProgress

STREAK_LOOKBACK_DAYS = 400


@dataclass(frozen=True)
class Activity:
    when: datetime
    text: str
    url: str = ""


@dataclass
class LearnerActivity:
    streak: int
    recent: list[Activity]


def _zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _completed(progress: LearnerProgress):
    for pp in progress.phases:
        for item, p in (*pp.goals, *pp.resources):
            if p and p.status in COUNTED and p.completed_at:
                yield item, p, pp.phase


def _recent_logs(user: User, today: date):
    """The last STREAK_LOOKBACK_DAYS of study log, newest first: one query, bounded."""
    since = today - timedelta(days=STREAK_LOOKBACK_DAYS)
    return list(
        StudyLog.objects.filter(learner=user, date__gte=since)
        .only("date", "minutes", "what", "created_at")
        .order_by("-date", "-pk")
    )


def streak_for(user: User, today: date) -> int:
    """Consecutive days, in the learner's time zone, with logged study or a completed item."""
    since = today - timedelta(days=STREAK_LOOKBACK_DAYS)
    days = {log.date for log in _recent_logs(user, today)}
    zone = _zone(user)
    completed = ItemProgress.objects.filter(
        learner=user, status__in=COUNTED, completed_at__date__gte=since
    ).values_list("completed_at", flat=True)
    days |= {when.astimezone(zone).date() for when in completed}
    return schedule.streak(days, today)


def learner_activity(
    user: User, progress: LearnerProgress, today: date, limit: int = 8
) -> LearnerActivity:
    """Streak and recent activity for the dashboard: one query beyond `progress`."""
    zone = _zone(user)
    logs = _recent_logs(user, today)
    completed = list(_completed(progress))
    days = {log.date for log in logs} | {p.completed_at.astimezone(zone).date()
                                         for _, p, _ in completed}  # fmt: skip
    items = [
        Activity(
            p.completed_at,
            f"{p.get_status_display()}: {item}",
            f"{phase.get_absolute_url()}#{p.kind}-{item.pk}",
        )  # fmt: skip
        for item, p, phase in completed
    ]
    for log in logs[:limit]:
        same_day = log.created_at.astimezone(zone).date() == log.date
        when = log.created_at if same_day else datetime.combine(log.date, time(12), tzinfo=zone)
        items.append(Activity(when, f"Studied {log.minutes} min: {log.what}", reverse("log")))
    for pp in progress.phases:
        s = pp.submission
        if s is None:
            continue
        label = f"Milestone {pp.phase.order}"
        if s.state == Submission.State.APPROVED and s.approved_at:
            items.append(Activity(s.approved_at, f"{label} {s.state_label.lower()}",
                                  s.get_absolute_url()))  # fmt: skip
        if s.submitted_at:
            items.append(Activity(s.submitted_at, f"{label} submitted",
                                  s.get_absolute_url()))  # fmt: skip
    items.sort(key=lambda a: a.when, reverse=True)
    return LearnerActivity(streak=schedule.streak(days, today), recent=items[:limit])
