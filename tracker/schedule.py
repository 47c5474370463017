"""Plan calendar arithmetic: phase windows, the learner's today, pace and streaks.

Pure functions over `date`s so views, the dashboard and the charts agree on one
definition of "on track" and can be tested without a database. Day counts are
exact integers wherever possible; floats only appear for progress fractions.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.dates import MONTHS_3
from django.utils.html import escape

ROADMAP_WEEKS: tuple[int, ...] = (4, 6, 6, 8, 8)
"""The roadmap's phase lengths in weeks (32 in all); plans scale these to their length."""

MIN_MONTHS = 1
MAX_MONTHS = 120
PACE_WINDOW_DAYS = 28
MIN_PACE_WINDOW_DAYS = 7

ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """Move by calendar months, clamping the day so Jan 31 + 1 month is the end of February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_end(start: date, months: int) -> date:
    """The first day after the plan (exclusive end), so plan length is `end - start` days."""
    return add_months(start, months)


@dataclass(frozen=True)
class PhaseWindow:
    """The dates one roadmap phase is scheduled for; `end` is inclusive."""

    index: int
    start: date
    end: date

    @property
    def days(self) -> int:
        """Length in days, counting both ends."""
        return (self.end - self.start).days + 1


def phase_windows(
    start: date, months: int, weeks: Sequence[int], credited: Sequence[Fraction] | None = None
) -> list[PhaseWindow]:
    """Split the plan into contiguous phase windows proportional to the work left in each.

    Without credits the work of phase i is weeks[i]: window i starts at
    start + round(total_days * sum(weeks[:i]) / sum(weeks)) days (halves round up) and ends
    the day before the next starts; the last ends on plan_end - 1 day. Each boundary is
    within half a day of its exact share, so every length is within one day of exact.

    `credited[i]` (0..1) is the share of phase i's weight the learner was credited for. The
    credited part needs no calendar time, so phase i's work becomes weeks[i] * (1 - credited[i])
    and the days it frees go to the rest of the plan in proportion: the uncredited work is
    spread evenly over the plan, which is what makes `schedule_status(credited=...)` a straight
    line. A phase whose share rounds to nothing (fully credited) still gets one day, so every
    phase keeps a window; the days come from its neighbours.

    Raises ValueError for months outside 1..120, no phases, a week <= 0, a credit outside
    0..1, or a plan too short to give every phase at least one day.
    """
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise ValueError(f"months must be in {MIN_MONTHS}..{MAX_MONTHS}, got {months}")
    if not weeks:
        raise ValueError("at least one phase is needed")
    if any(w <= 0 for w in weeks):
        raise ValueError(f"phase weeks must be positive, got {list(weeks)}")
    total_days = (plan_end(start, months) - start).days
    work: list[Fraction] = [Fraction(w) for w in weeks]
    if credited is not None and any(credited):
        if len(credited) != len(weeks) or not all(0 <= c <= 1 for c in credited):
            raise ValueError(f"credits must be one share in 0..1 per phase, got {credited}")
        left = [w * (1 - Fraction(c)) for w, c in zip(work, credited, strict=True)]
        # Everything credited: nothing is left to spread, keep the roadmap's proportions.
        work = left if any(left) else work
    else:
        credited = None
    total_work = sum(work)
    offsets = [0]
    running = Fraction(0)
    for phase_work in work[:-1]:
        running += phase_work
        share = total_days * running / total_work
        # round half up, exactly (no float error, no banker's rounding)
        offsets.append(math.floor(share + Fraction(1, 2)))
    offsets.append(total_days)
    if credited is not None:
        # One day at least for each phase: push boundaries forward, then back from the end.
        for i in range(1, len(offsets) - 1):
            offsets[i] = max(offsets[i], offsets[i - 1] + 1)
        for i in range(len(offsets) - 2, 0, -1):
            offsets[i] = min(offsets[i], offsets[i + 1] - 1)
    if any(b <= a for a, b in zip(offsets, offsets[1:], strict=False)):
        raise ValueError(
            f"a {months}-month plan ({total_days} days) is too short for phases {list(weeks)}"
        )
    return [
        PhaseWindow(
            index=i,
            start=start + timedelta(days=offsets[i]),
            end=start + timedelta(days=offsets[i + 1] - 1),
        )
        for i in range(len(weeks))
    ]


def today_for(tz_name: str, now: datetime | None = None) -> date:
    """The learner's calendar date in their IANA zone, so days roll over at their midnight.

    `now` defaults to the current UTC time; a naive `now` is taken as UTC. An unknown or
    malformed zone name falls back to UTC rather than failing a page render.
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(zone_for(tz_name)).date()


def zone_for(tz_name: str) -> ZoneInfo:
    """The learner's IANA zone; an unknown or malformed name is UTC rather than a failed
    page. The one place a stored zone name becomes a zone."""
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        return ZoneInfo("UTC")


def _total_days(start: date, end_exclusive: date) -> int:
    """Plan length in days; an empty or inverted plan is a caller bug."""
    total = (end_exclusive - start).days
    if total <= 0:
        raise ValueError(f"plan end {end_exclusive} must be after start {start}")
    return total


def expected_fraction(start: date, end_exclusive: date, today: date) -> float:
    """Share of the plan due by the end of `today`, clamped to 0..1.

    Counting today itself means the last day of the plan expects 100%.
    """
    total = _total_days(start, end_exclusive)
    done = (today - start).days + 1
    return min(1.0, max(0.0, done / total))


@dataclass(frozen=True)
class ScheduleStatus:
    """Where the learner stands against the plan, ready to show.

    `state` is "not-started", "on-track", "ahead", "behind" or "finished". `days` is a
    magnitude: days ahead or behind, days until the start for not-started, else 0.
    """

    state: str
    days: int
    label: str


def _days(n: int) -> str:
    """'1 day' / 'N days'."""
    return f"{n} day" if n == 1 else f"{n} days"


def schedule_status(
    *,
    actual: float,
    start: date,
    end_exclusive: date,
    today: date,
    credited: float = 0.0,
    tolerance_days: int = 3,
) -> ScheduleStatus:
    """Compare progress (0..1) with the plan, forgiving a few days either way.

    Finished wins over everything (all the work is done, even if early); before the start
    date the learner has not started. `credited` (0..1) is the share of the whole the
    learner was credited for: it is theirs from day one, and the rest is due evenly over
    the plan (as `phase_windows` lays it out), so the plan expects
    credited + (1 - credited) * expected_fraction. days = round((actual - expected) / rate)
    with rate = (1 - credited) / total days, the share the plan expects a day; |days| <=
    tolerance_days counts as on track.
    """
    total = _total_days(start, end_exclusive)
    if actual >= 1:
        return ScheduleStatus("finished", 0, "Finished")
    if today < start:
        wait = (start - today).days
        return ScheduleStatus("not-started", wait, f"Starts in {_days(wait)}")
    progress = max(0.0, actual) if not math.isnan(actual) else 0.0
    given = min(1.0, max(0.0, credited)) if not math.isnan(credited) else 0.0
    if given >= 1:  # nothing left to schedule: only unfinished milestones can be missing
        given = 0.0
    expected = given + (1 - given) * expected_fraction(start, end_exclusive, today)
    diff = round((progress - expected) / (1 - given) * total)
    if abs(diff) <= tolerance_days:
        return ScheduleStatus("on-track", 0, "On track")
    if diff > 0:
        return ScheduleStatus("ahead", diff, f"Ahead by {_days(diff)}")
    return ScheduleStatus("behind", -diff, f"Behind by {_days(-diff)}")


def pace_window(start: date, today: date) -> int:
    """Days the pace is measured over: the last four weeks, or the plan's days so far when
    it is younger (a week at least), so a new plan's pace is not diluted by days before it."""
    return max(MIN_PACE_WINDOW_DAYS, min(PACE_WINDOW_DAYS, (today - start).days + 1))


def forecast_finish(
    *, actual: float, gained_last_28_days: float, today: date, window_days: int = PACE_WINDOW_DAYS
) -> date | None:
    """When the learner will finish at their pace over the last `window_days` (four weeks).

    today + ceil((1 - actual) / (gained / window_days)) days. None when there is no pace yet
    (gained <= 0) or the pace is so slow the date would fall off the calendar; today when
    already finished. A hair of float error is forgiven so exact cases don't gain a day.
    """
    if actual >= 1:
        return today
    if not gained_last_28_days > 0:  # also catches NaN
        return None
    remaining = 1.0 - max(0.0, actual)
    raw = remaining * window_days / gained_last_28_days
    if not math.isfinite(raw) or raw > (date.max - today).days:
        return None
    return today + timedelta(days=max(0, math.ceil(raw - 1e-9)))


def weekly_pace(gained: float, window_days: int = PACE_WINDOW_DAYS) -> float:
    """The share of the whole gained a week, on average over the last `window_days`."""
    return max(0.0, gained) * 7 / window_days


def needed_pace(*, actual: float, start: date, end_exclusive: date, today: date) -> float | None:
    """The share of the whole a week that finishes the plan on time, from today on.

    Counted from today (or the start, if later) to the plan's last day inclusive: today's
    work still helps. None when the plan is over or the work is done.
    """
    days_left = (end_exclusive - max(today, start)).days
    if actual >= 1 or days_left <= 0:
        return None
    return (1.0 - max(0.0, actual)) * 7 / days_left


def streak(active_days: Iterable[date], today: date) -> int:
    """Consecutive active days ending today, or yesterday if today has no activity yet.

    A streak is not broken until the day is over, so a quiet morning keeps yesterday's run.
    """
    days = set(active_days)
    if today not in days:
        if today == date.min:
            return 0
        today -= ONE_DAY
    count = 0
    while today in days:
        count += 1
        if today == date.min:
            break
        today -= ONE_DAY
    return count


def month_abbreviations() -> dict[int, str]:
    """Month number -> its abbreviation as Django's "M" date format writes it (in the
    active language), HTML-escaped: for dates in rows written in Python."""
    return {m: escape(str(name).title()) for m, name in MONTHS_3.items()}
