"""The learner's calendar: phase windows, weekly study targets, milestone due dates,
practice review days with their due counts, and job-search follow-ups.

`/plan/calendar.ics` (logged in) offers the phases as a download; the private feed at
`/calendar/<token>.ics` carries everything, for calendar apps that subscribe to it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from django.http import HttpRequest
from django.urls import reverse
from icalendar import Calendar, Event

from . import schedule
from .models import Card, Plan, Submission, User
from .progress import plan_schedule
from .reminders import follow_ups

REVIEW_DAYS_AHEAD = 60  # review days this far ahead are in the feed


def new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Rampup//plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _all_day(uid: str, summary: str, start, stamp, end=None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", (end or start) + schedule.ONE_DAY)  # all-day events end exclusive
    event.add("dtstamp", stamp)
    return event


def phase_events(plan: Plan, request: HttpRequest, windows=None) -> list[Event]:
    """One all-day event per phase window (`plan_schedule(plan)` unless given), with its
    milestone."""
    host = request.get_host()
    events = []
    for phase, window in windows or plan_schedule(plan):
        event = _all_day(
            f"rampup-{plan.pk}-{phase.key}@{host}",
            f"Phase {phase.order}: {phase.short_title}",
            window.start,
            plan.updated_at,
            end=window.end,
        )
        milestone = next(iter(phase.milestones.all()), None)
        if milestone:
            event.add("description", f"Milestone: {milestone.text}")
        event.add("url", request.build_absolute_uri(phase.get_absolute_url()))
        events.append(event)
    return events


def feed_ics(user: User, request: HttpRequest) -> bytes:
    cal = new_calendar("Rampup")
    host = request.get_host()
    plan = Plan.objects.filter(learner=user).first()
    today = schedule.today_for(user.time_zone)
    stamp = plan.updated_at if plan else user.date_joined
    if plan:
        windows = plan_schedule(plan)
        for event in phase_events(plan, request, windows):
            cal.add_component(event)
        # Milestone due dates: the last day of each phase, with where it stands.
        states = {
            s.milestone_id: s.state_label
            for s in Submission.objects.owned_by(user).exclude(state=Submission.State.DRAFT)
        }
        for phase, window in windows:
            for milestone in phase.milestones.all():
                state = states.get(milestone.pk)
                event = _all_day(
                    f"rampup-{plan.pk}-milestone-{milestone.pk}@{host}",
                    f"Milestone {phase.order} due" + (f" ({state.lower()})" if state else ""),
                    window.end,
                    stamp,
                )
                event.add("description", milestone.text)
                event.add("url", request.build_absolute_uri(phase.get_absolute_url()))
                cal.add_component(event)
        # The weekly study target: one event repeating every week of the plan.
        if windows:
            first, last = windows[0][1].start, windows[-1][1].end
            event = _all_day(
                f"rampup-{plan.pk}-weekly@{host}",
                f"Study target: {plan.weekly_hours} h this week",
                first,
                stamp,
            )
            event.add("rrule", {"freq": "weekly", "until": last})
            event.add("url", request.build_absolute_uri(reverse("log")))
            cal.add_component(event)
    # Practice review days, with how many questions fall due that day.
    zone = schedule.zone_for(user.time_zone)
    dues = Card.objects.owned_by(user).filter(
        question__is_active=True,
        due__lt=datetime.combine(today + timedelta(days=REVIEW_DAYS_AHEAD), time.min, tzinfo=zone),
    )
    # An overdue review is due today.
    per_day = Counter(
        max(today, due.astimezone(zone).date()) for due in dues.values_list("due", flat=True)
    )
    for day, count in sorted(per_day.items()):
        event = _all_day(
            f"rampup-{user.pk}-reviews-{day:%Y%m%d}@{host}",
            f"Practice: {count} review{'s' if count != 1 else ''} due",
            day,
            stamp,
        )
        event.add("url", request.build_absolute_uri(reverse("practice")))
        cal.add_component(event)
    horizon = today + timedelta(days=REVIEW_DAYS_AHEAD)
    for item in follow_ups(user, today - timedelta(days=30), horizon):
        event = _all_day(
            f"rampup-{user.pk}-follow-up-{item.uid or item.day}@{host}", item.title, item.day, stamp
        )
        if item.url:
            event.add("url", request.build_absolute_uri(item.url))
        cal.add_component(event)
    return cal.to_ical()
