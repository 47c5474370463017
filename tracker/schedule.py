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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROADMAP_WEEKS: tuple[int, ...] = (4, 6, 6, 8, 8)
"""The roadmap's phase lengths in weeks (32 in all); plans scale these to their length."""

MIN_MONTHS = 1
MAX_MONTHS = 120
PACE_WINDOW_DAYS = 28

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


def _round_half_up(numerator: int, denominator: int) -> int:
    """round(numerator / denominator) with halves rounded up, in exact integer arithmetic.

    Avoids float error and banker's rounding so window boundaries never depend on either.
    """
    return (2 * numerator + denominator) // (2 * denominator)


def phase_windows(start: date, months: int, weeks: Sequence[int]) -> list[PhaseWindow]:
    """Split the plan into contiguous phase windows proportional to `weeks`.

    Window i starts at start + round(total_days * sum(weeks[:i]) / sum(weeks)) days (halves
    round up) and ends the day before the next starts; the last ends on plan_end - 1 day.
    Each boundary is within half a day of its exact share, so every length is within one
    day of exact. Raises ValueError for months outside 1..120, no phases, a week <= 0, or a
    plan too short to give every phase at least one day.
    """
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise ValueError(f"months must be in {MIN_MONTHS}..{MAX_MONTHS}, got {months}")
    if not weeks:
        raise ValueError("at least one phase is needed")
    if any(w <= 0 for w in weeks):
        raise ValueError(f"phase weeks must be positive, got {list(weeks)}")
    total_days = (plan_end(start, months) - start).days
    total_weeks = sum(weeks)
    offsets = [0]
    running = 0
    for w in weeks[:-1]:
        running += w
        offsets.append(_round_half_up(total_days * running, total_weeks))
    offsets.append(total_days)
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
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        zone = UTC
    return now.astimezone(zone).date()


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
    tolerance_days: int = 3,
) -> ScheduleStatus:
    """Compare progress (0..1) with the plan, forgiving a few days either way.

    Finished wins over everything (all the work is done, even if early); before the start
    date the learner has not started. Otherwise days = round((actual - expected) * total
    days) and |days| <= tolerance_days counts as on track.
    """
    total = _total_days(start, end_exclusive)
    if actual >= 1:
        return ScheduleStatus("finished", 0, "Finished")
    if today < start:
        wait = (start - today).days
        return ScheduleStatus("not-started", wait, f"Starts in {_days(wait)}")
    progress = max(0.0, actual) if not math.isnan(actual) else 0.0
    diff = round((progress - expected_fraction(start, end_exclusive, today)) * total)
    if abs(diff) <= tolerance_days:
        return ScheduleStatus("on-track", 0, "On track")
    if diff > 0:
        return ScheduleStatus("ahead", diff, f"Ahead by {_days(diff)}")
    return ScheduleStatus("behind", -diff, f"Behind by {_days(-diff)}")


def forecast_finish(*, actual: float, gained_last_28_days: float, today: date) -> date | None:
    """When the learner will finish at their pace over the last four weeks.

    today + ceil((1 - actual) / (gained / 28)) days. None when there is no pace yet
    (gained <= 0) or the pace is so slow the date would fall off the calendar; today when
    already finished. A hair of float error is forgiven so exact cases don't gain a day.
    """
    if actual >= 1:
        return today
    if not gained_last_28_days > 0:  # also catches NaN
        return None
    remaining = 1.0 - max(0.0, actual)
    raw = remaining * PACE_WINDOW_DAYS / gained_last_28_days
    if not math.isfinite(raw) or raw > (date.max - today).days:
        return None
    return today + timedelta(days=max(0, math.ceil(raw - 1e-9)))


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
