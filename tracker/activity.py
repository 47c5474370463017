"""Streak and recent activity, read mostly from rows the progress computation already holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.urls import reverse

from . import schedule
from .models import ItemProgress, StudyLog, SubmissionEvent, User
from .progress import COUNTED, LearnerProgress

STREAK_LOOKBACK_DAYS = 400


@dataclass(frozen=True)
class Activity:
    when: datetime
    text: str
    url: str = ""


def _zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _completed(progress: LearnerProgress | None):
    if progress is None:
        return
    for pp in progress.phases:
        for item, p in (*pp.goals, *pp.resources):
            if p and p.status in COUNTED and p.completed_at:
                yield item, p, pp.phase


def streak_for(user: User, today: date, progress: LearnerProgress | None) -> int:
    """Consecutive days, in the learner's time zone, with logged study or a completed item."""
    since = today - timedelta(days=STREAK_LOOKBACK_DAYS)
    days = set(
        StudyLog.objects.filter(learner=user, date__gte=since).values_list("date", flat=True)
    )
    zone = _zone(user)
    if progress is None:
        completed = ItemProgress.objects.filter(
            learner=user, status__in=COUNTED, completed_at__date__gte=since
        ).values_list("completed_at", flat=True)
    else:
        completed = [p.completed_at for _, p, _ in _completed(progress)]
    days |= {when.astimezone(zone).date() for when in completed}
    return schedule.streak(days, today)


def recent_activity(user: User, progress: LearnerProgress | None, limit: int = 8) -> list[Activity]:
    items = [
        Activity(
            p.completed_at,
            f"{p.get_status_display()}: {item}",
            f"{phase.get_absolute_url()}#{p.kind}-{item.pk}",
        )  # fmt: skip
        for item, p, phase in _completed(progress)
    ]
    zone = _zone(user)
    for log in StudyLog.objects.filter(learner=user).select_related("phase")[:limit]:
        when = log.created_at if log.created_at.astimezone(zone).date() == log.date else (
            datetime.combine(log.date, datetime.min.time(), tzinfo=zone))  # fmt: skip
        items.append(Activity(when, f"Studied {log.minutes} min: {log.what}", reverse("log")))
    events = (
        SubmissionEvent.objects.filter(submission__learner=user)
        .exclude(to_state="draft", from_state="")
        .select_related("submission__milestone__phase", "actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    for event in events:
        milestone = event.submission.milestone
        label = event.submission.state_label if event.to_state == "approved" else event.to_label
        text = f"Milestone {milestone.phase.order} {label.lower() or 'commented'}"
        items.append(Activity(event.created_at, text, event.submission.get_absolute_url()))
    items.sort(key=lambda a: a.when, reverse=True)
    return items[:limit]
