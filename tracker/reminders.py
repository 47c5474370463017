"""Learner reminders and the weekly digest, the one-click unsubscribe, and the hook
other apps register job-search follow-ups into.

`send_learner_reminders(now)` runs from `manage.py send_reminders` (cron, hourly) or its
`--every` loop. For each learner it works in their own time zone: nothing goes out
before the time of day they chose; from then on, each reminder is sent once for its
period (a local day, an ISO week, one wait of one submission), recorded in ReminderLog,
so a rerun, a missed hour or a second machine never sends it twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils import timezone

from . import schedule
from .activity import streak_for
from .mail import send_email
from .models import (
    Card,
    EmailKind,
    NotificationMute,
    Plan,
    ReminderLog,
    ReminderSettings,
    Review,
    StudyLog,
    Submission,
    User,
)
from .practice import day_end, day_start
from .progress import learner_progress

BEHIND_DAYS = 7  # behind by more than this many days: a weekly nudge
UNSUBSCRIBE_SALT = "tracker.reminders.unsubscribe"


def reminder_settings(user: User) -> ReminderSettings:
    """The user's reminder settings, made with the defaults on first use."""
    try:
        return user.reminder_settings
    except ReminderSettings.DoesNotExist:
        row, _ = ReminderSettings.objects.get_or_create(user=user)
        user.reminder_settings = row
        return row


def wants_email(user: User, kind: str) -> bool:
    """Whether `user` gets emails of `kind`, read now (not from a cached row)."""
    muted = ReminderSettings.objects.filter(user=user).values_list("muted", flat=True).first()
    return kind not in (muted or [])


# --- unsubscribe -----------------------------------------------------------------------


def unsubscribe_token(user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user: User, kind: str) -> str:
    return settings.SITE_URL + reverse("unsubscribe", args=[unsubscribe_token(user, kind)])


def unsubscribe_target(token: str) -> tuple[User, str] | None:
    """The user and kind a token was signed for, or None for anything forged or stale."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in EmailKind.values:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    return (user, data["k"]) if user else None


def email_mute(*, user: User, kind: str) -> bool:
    """Turn one kind of email off; False if it was off already."""
    with transaction.atomic():
        row = ReminderSettings.objects.select_for_update().get(pk=reminder_settings(user).pk)
        if kind in row.muted:
            return False
        row.muted = [*row.muted, kind]
        row.save(update_fields=["muted"])
    user.reminder_settings = row
    return True


# --- in-app mutes ----------------------------------------------------------------------


def _mutes_key(user_id: int) -> str:
    return f"notification-mutes:{user_id}"


def _mutes(user: User) -> list[tuple[str, int | None]]:
    """`user`'s mutes as (kind, about id): from the cache, which a mute's write clears
    (`forget_mutes`), so a notification costs no query for them once read."""
    found = cache.get(_mutes_key(user.pk))
    if found is None:
        found = list(NotificationMute.objects.owned_by(user).values_list("kind", "about_id"))
        cache.set(_mutes_key(user.pk), found, None)
    return found


def forget_mutes(sender, instance, **kwargs) -> None:
    """Signal receiver: a mute was added or lifted (a form, an import, a deletion)."""
    cache.delete(_mutes_key(instance.user_id))
    transaction.on_commit(lambda: cache.delete(_mutes_key(instance.user_id)))


def notification_muted(user: User, *, kind: str, about: User | None) -> bool:
    """Whether `user` muted notifications of `kind`, or everything about `about`."""
    about_id = about.pk if about is not None else None
    return any(
        (k == kind and a is None) or (k == "" and about_id is not None and a == about_id)
        for k, a in _mutes(user)
    )


@transaction.atomic
def notification_mute(*, user: User, kind: str = "", about: User | None = None) -> None:
    """Mute a kind of notification, or everything about one mentee. Idempotent."""
    NotificationMute.objects.get_or_create(user=user, kind=kind, about=about)


def notification_unmute(*, user: User, pk: int) -> bool:
    """Lift one of `user`'s mutes; False if they have none with this id."""
    deleted, _ = NotificationMute.objects.owned_by(user).filter(pk=pk).delete()
    return bool(deleted)


# --- the job-search hook ---------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """Something the job search wants done on a day (write back to a recruiter...)."""

    day: date
    title: str
    url: str = ""  # a path on this site
    uid: str = ""  # stable across runs, for the calendar


FollowUpSource = Callable[[User, date, date], list[FollowUp]]
_follow_up_sources: list[FollowUpSource] = []


def register_follow_ups(source: FollowUpSource) -> FollowUpSource:
    """Register `source(user, first_day, last_day)` -> the user's follow-ups in those
    days. The jobs app calls this from its AppConfig.ready(); reminders and the calendar
    feed then carry its follow-ups. Usable as a decorator."""
    if source not in _follow_up_sources:
        _follow_up_sources.append(source)
    return source


def follow_ups(user: User, first: date, last: date) -> list[FollowUp]:
    found = [f for source in _follow_up_sources for f in source(user, first, last)]
    return sorted(found, key=lambda f: (f.day, f.title))


# --- what each reminder says -----------------------------------------------------------


@dataclass
class Reminder:
    kind: str
    period: str
    subject: str
    body: str


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _practice_due(user: User, today: date) -> Reminder | None:
    due = Card.objects.filter(
        learner=user, question__is_active=True, due__lt=day_end(user, today)
    ).count()
    if not due:
        return None
    return Reminder(
        EmailKind.PRACTICE_DUE,
        today.isoformat(),
        f"{_plural(due, 'practice question')} due today",
        f"You have {_plural(due, 'practice question')} due for review today.\n\n"
        f"{settings.SITE_URL}{reverse('practice')}",
    )


def _behind(plan: Plan, today: date) -> Reminder | None:
    status = learner_progress(plan, today=today).status
    if status.state != "behind" or status.days <= BEHIND_DAYS:
        return None
    return Reminder(
        EmailKind.BEHIND,
        _week(today),
        f"Your plan: {status.label.lower()}",
        f"Your plan says: {status.label.lower()}. An hour today closes part of the gap; or "
        f"move your plan's dates if life changed.\n\n{settings.SITE_URL}{reverse('plan')}",
    )


def _streak(user: User, today: date) -> Reminder | None:
    # A streak counts up to yesterday while today is still quiet; tomorrow it is gone.
    # streak_for(tomorrow) is 0 exactly when today has no study yet.
    run = streak_for(user, today)
    if not run or streak_for(user, today + schedule.ONE_DAY):
        return None
    return Reminder(
        EmailKind.STREAK,
        today.isoformat(),
        f"Keep your {_plural(run, 'day')} streak",
        f"You have studied {_plural(run, 'day')} in a row. Log some study today to keep "
        f"the streak going.\n\n{settings.SITE_URL}{reverse('log')}",
    )


def _review_replies(user: User) -> list[Reminder]:
    """A mentor asked for changes and the learner has not answered: once per request (the
    request's time names it, so editing the evidence meanwhile reminds no one again)."""
    asked = Max("events__created_at", filter=Q(events__to_state=Submission.State.CHANGES_REQUESTED))
    waiting = (
        Submission.objects.filter(learner=user, state=Submission.State.CHANGES_REQUESTED)
        .annotate(asked_at=asked)
        .select_related("milestone__phase")
    )
    return [
        Reminder(
            EmailKind.REVIEW_REPLY,
            f"{s.pk}:{(s.asked_at or s.submitted_at or s.created_at):%Y%m%dT%H%M%S}",
            f"Your mentor is waiting for your reply on milestone {s.milestone.phase.order}",
            f"Your mentor asked for changes on milestone {s.milestone.phase.order} "
            f"({s.milestone.phase.title}). Revise it and submit it again, or answer in "
            f"the thread.\n\n{settings.SITE_URL}{s.get_absolute_url()}",
        )
        for s in waiting
    ]


def _follow_ups_due(user: User, today: date) -> Reminder | None:
    due = follow_ups(user, today - timedelta(days=6), today)
    if not due:
        return None
    lines = "\n".join(
        f"- {f.day:%a %d %b}: {f.title}" + (f" ({settings.SITE_URL}{f.url})" if f.url else "")
        for f in due
    )
    return Reminder(
        EmailKind.FOLLOW_UPS,
        today.isoformat(),
        f"{_plural(len(due), 'job-search follow-up')} due",
        f"Due in your job search:\n\n{lines}",
    )


def weekly_digest(user: User, plan: Plan | None, today: date) -> Reminder:
    """Last week (Monday to Sunday before `today`'s week): study against the plan,
    progress, reviews done, and what comes next."""
    monday = today - timedelta(days=today.weekday())
    first, last = monday - timedelta(days=7), monday - schedule.ONE_DAY
    minutes = (
        StudyLog.objects.filter(learner=user, date__range=(first, last)).aggregate(
            total=Sum("minutes")
        )["total"]
        or 0
    )
    reviews = Review.objects.filter(
        learner=user,
        reviewed_at__gte=day_start(user, first),
        reviewed_at__lt=day_start(user, monday),
    ).count()
    lines = [f"Your week of {first:%d %b} to {last:%d %b}:", ""]
    planned = f" of the {plan.weekly_hours} h your plan asks for" if plan else ""
    lines.append(f"- Study: {minutes // 60} h {minutes % 60:02d} min{planned}.")
    lines.append(f"- Practice: {_plural(reviews, 'review')} done.")
    if plan:
        progress = learner_progress(plan, today=today)
        lines.append(f"- Roadmap: {progress.percent}% done, {progress.status.label.lower()}.")
        current = progress.current
        if current:
            todo = next(
                (goal for goal, p in current.goals if p is None or p.status in {"todo", "doing"}),
                None,
            )
            nxt = f"phase {current.phase.order}, {current.phase.title}"
            lines += ["", f"What's next: {nxt}" + (f": {todo}." if todo else ".")]
    lines += ["", f"{settings.SITE_URL}{reverse('dashboard')}"]
    return Reminder(EmailKind.DIGEST, _week(first), "Your week in review", "\n".join(lines))


# --- sending ---------------------------------------------------------------------------


def reminders_for(user: User, now: datetime) -> list[Reminder]:
    """What `user` should get at `now`, before muting and what was sent already."""
    prefs = reminder_settings(user)
    local = now.astimezone(schedule.zone_for(user.time_zone))
    if local.time() < prefs.remind_at:
        return []
    today = local.date()
    plan = Plan.objects.filter(learner=user).select_related("learner").first()
    found: list[Reminder | None] = []
    wants = prefs.wants
    if wants(EmailKind.PRACTICE_DUE):
        found.append(_practice_due(user, today))
    if plan and wants(EmailKind.BEHIND):
        found.append(_behind(plan, today))
    if wants(EmailKind.STREAK):
        found.append(_streak(user, today))
    if wants(EmailKind.REVIEW_REPLY):
        found += _review_replies(user)
    if _follow_up_sources and wants(EmailKind.FOLLOW_UPS):
        found.append(_follow_ups_due(user, today))
    if wants(EmailKind.DIGEST) and today.weekday() == 0:
        found.append(weekly_digest(user, plan, today))
    return [r for r in found if r is not None]


def _send_once(user: User, reminder: Reminder) -> bool:
    """Record and queue one reminder in one transaction; False if it was sent before."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(user=user, kind=reminder.kind, period=reminder.period)
            # On the database queue the email task commits with the log row, or neither.
            send_email(
                to=user.email,
                subject=reminder.subject,
                body=f"Hello {user.shown_name},\n\n{reminder.body}",
                user=user,
                kind=reminder.kind,
            )
    except IntegrityError:  # sent before (or by another machine just now)
        return False
    return True


def send_learner_reminders(now: datetime | None = None) -> int:
    """Every learner's due reminders and digest, each once; how many were queued."""
    now = now or timezone.now()
    sent = 0
    learners = (
        User.objects.filter(is_active=True, plan__isnull=False)
        .exclude(email="")
        .select_related("reminder_settings")
    )
    for user in learners.iterator(chunk_size=500):
        for reminder in reminders_for(user, now):
            sent += _send_once(user, reminder)
    return sent
