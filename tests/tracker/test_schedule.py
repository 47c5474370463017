"""Schedule arithmetic: month maths, phase windows, the learner's today, status, pace, streaks."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.schedule import (
    ROADMAP_WEEKS,
    PhaseWindow,
    ScheduleStatus,
    add_months,
    expected_fraction,
    forecast_finish,
    phase_windows,
    plan_end,
    schedule_status,
    streak,
    today_for,
)

DAY = timedelta(days=1)
starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
plan_months = st.integers(min_value=3, max_value=24)


# --- add_months / plan_end -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
        (date(2026, 1, 1), 24, date(2028, 1, 1)),
    ],
)
def test_add_months_moves_calendar_months_and_clamps_the_day(day, months, expected):
    assert add_months(day, months) == expected


@given(day=starts, months=st.integers(min_value=-240, max_value=240))
def test_add_months_lands_in_the_right_month_on_the_clamped_day(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])


def test_plan_end_is_exclusive():
    assert plan_end(date(2026, 1, 1), 8) == date(2026, 9, 1)
    assert plan_end(date(2028, 2, 29), 12) == date(2029, 2, 28)


# --- phase_windows -------------------------------------------------------------------------


def test_phase_windows_known_example():
    # 243 days split 4:6:6:8:8 -> boundaries round(30.375, 75.94, 121.5, 182.25) = 30, 76, 122, 182.
    windows = phase_windows(date(2026, 1, 1), 8, ROADMAP_WEEKS)
    assert windows == [
        PhaseWindow(0, date(2026, 1, 1), date(2026, 1, 30)),
        PhaseWindow(1, date(2026, 1, 31), date(2026, 3, 17)),
        PhaseWindow(2, date(2026, 3, 18), date(2026, 5, 2)),
        PhaseWindow(3, date(2026, 5, 3), date(2026, 7, 1)),
        PhaseWindow(4, date(2026, 7, 2), date(2026, 8, 31)),
    ]
    assert [w.days for w in windows] == [30, 46, 46, 60, 61]


def _check_windows(start: date, months: int, weeks: list[int], windows: list[PhaseWindow]):
    """Every invariant the dashboard relies on."""
    end = plan_end(start, months)
    total = (end - start).days
    assert [w.index for w in windows] == list(range(len(weeks)))
    assert windows[0].start == start
    assert windows[-1].end == end - DAY
    for prev, nxt in zip(windows, windows[1:], strict=False):
        assert nxt.start == prev.end + DAY
        assert prev.start < nxt.start
    assert sum(w.days for w in windows) == total
    for w, weight in zip(windows, weeks, strict=True):
        assert w.days >= 1
        assert w.end >= w.start
        assert abs(w.days - total * weight / sum(weeks)) <= 1


@given(start=starts, months=plan_months)
def test_roadmap_windows_cover_the_plan_exactly(start, months):
    weeks = list(ROADMAP_WEEKS)
    _check_windows(start, months, weeks, phase_windows(start, months, weeks))


@given(months=plan_months)
def test_leap_day_plans_cover_the_plan_exactly(months):
    start = date(2028, 2, 29)
    weeks = list(ROADMAP_WEEKS)
    _check_windows(start, months, weeks, phase_windows(start, months, weeks))


@given(
    start=starts,
    months=plan_months,
    weeks=st.lists(st.integers(min_value=1, max_value=52), min_size=1, max_size=8),
)
def test_any_feasible_week_list_gives_proportional_contiguous_windows(start, months, weeks):
    total = (plan_end(start, months) - start).days
    feasible = all(total * w / sum(weeks) >= 1 for w in weeks)
    try:
        windows = phase_windows(start, months, weeks)
    except ValueError:
        # Only refuse when some phase's exact share is under a day.
        assert not feasible
        return
    _check_windows(start, months, weeks, windows)


def test_phase_windows_rejects_bad_input():
    start = date(2026, 1, 1)
    with pytest.raises(ValueError, match="months"):
        phase_windows(start, 0, ROADMAP_WEEKS)
    with pytest.raises(ValueError, match="months"):
        phase_windows(start, 121, ROADMAP_WEEKS)
    with pytest.raises(ValueError, match="positive"):
        phase_windows(start, 6, [4, 0, 6])
    with pytest.raises(ValueError, match="positive"):
        phase_windows(start, 6, [4, -2, 6])
    with pytest.raises(ValueError, match="at least one"):
        phase_windows(start, 6, [])
    with pytest.raises(ValueError, match="too short"):
        phase_windows(start, 1, [1] * 40)  # 31 days, 40 phases
    with pytest.raises(ValueError, match="too short"):
        phase_windows(start, 1, [1, 1000])  # the first phase's share is well under a day


def test_phase_windows_accept_the_extremes():
    assert len(phase_windows(date(2026, 1, 1), 1, ROADMAP_WEEKS)) == 5
    assert phase_windows(date(2026, 1, 1), 120, [1])[0].end == date(2035, 12, 31)


# --- today_for -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        ("Pacific/Honolulu", datetime(2026, 3, 1, 9, 30, tzinfo=UTC), date(2026, 2, 28)),
        ("Pacific/Tongatapu", datetime(2026, 3, 1, 9, 30, tzinfo=UTC), date(2026, 3, 1)),
        ("Pacific/Kiritimati", datetime(2026, 3, 1, 9, 30, tzinfo=UTC), date(2026, 3, 1)),
        ("Pacific/Tongatapu", datetime(2026, 3, 1, 11, 30, tzinfo=UTC), date(2026, 3, 2)),
        ("Pacific/Kiritimati", datetime(2026, 3, 1, 10, 30, tzinfo=UTC), date(2026, 3, 2)),
        ("Pacific/Honolulu", datetime(2026, 3, 1, 10, 30, tzinfo=UTC), date(2026, 3, 1)),
        ("UTC", datetime(2026, 3, 1, 23, 59, tzinfo=UTC), date(2026, 3, 1)),
    ],
)
def test_today_for_uses_the_learners_zone(zone, now, expected):
    assert today_for(zone, now) == expected


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "America", "../etc/passwd", "UTC "])
def test_today_for_unknown_zone_falls_back_to_utc(zone):
    assert today_for(zone, datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == date(2026, 3, 1)
    assert today_for(zone, datetime(2026, 3, 2, 0, 30, tzinfo=UTC)) == date(2026, 3, 2)


def test_today_for_treats_naive_now_as_utc_and_defaults_to_the_clock():
    assert today_for("Pacific/Honolulu", datetime(2026, 3, 1, 9, 30)) == date(2026, 2, 28)
    before = datetime.now(UTC).date()
    assert today_for("UTC") in {before, datetime.now(UTC).date()}


# --- expected_fraction / schedule_status --------------------------------------------------

START = date(2026, 1, 1)
END = START + timedelta(days=100)  # a 100-day plan keeps the arithmetic readable
MIDDLE = START + timedelta(days=49)  # end of day 50 -> 50% expected


def test_expected_fraction_counts_today_and_clamps():
    assert expected_fraction(START, END, START - DAY) == 0.0
    assert expected_fraction(START, END, START - 10 * DAY) == 0.0
    assert expected_fraction(START, END, START) == 0.01
    assert expected_fraction(START, END, MIDDLE) == 0.5
    assert expected_fraction(START, END, END - DAY) == 1.0
    assert expected_fraction(START, END, END + 30 * DAY) == 1.0
    with pytest.raises(ValueError):
        expected_fraction(START, START, START)


def _status(actual: float, today: date = MIDDLE, tolerance: int = 3) -> ScheduleStatus:
    return schedule_status(
        actual=actual, start=START, end_exclusive=END, today=today, tolerance_days=tolerance
    )


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (0.50, ScheduleStatus("on-track", 0, "On track")),
        (0.53, ScheduleStatus("on-track", 0, "On track")),  # exactly the tolerance
        (0.47, ScheduleStatus("on-track", 0, "On track")),
        (0.54, ScheduleStatus("ahead", 4, "Ahead by 4 days")),  # tolerance + 1
        (0.46, ScheduleStatus("behind", 4, "Behind by 4 days")),
        (0.70, ScheduleStatus("ahead", 20, "Ahead by 20 days")),
        (0.0, ScheduleStatus("behind", 50, "Behind by 50 days")),
    ],
)
def test_schedule_status_tolerance_boundaries(actual, expected):
    assert _status(actual) == expected


def test_schedule_status_singular_day():
    assert _status(0.51, tolerance=0) == ScheduleStatus("ahead", 1, "Ahead by 1 day")
    assert _status(0.49, tolerance=0) == ScheduleStatus("behind", 1, "Behind by 1 day")
    assert _status(0.52, tolerance=0) == ScheduleStatus("ahead", 2, "Ahead by 2 days")
    assert _status(0.50, tolerance=0) == ScheduleStatus("on-track", 0, "On track")


def test_schedule_status_not_started_and_finished():
    assert _status(0.0, today=START - 5 * DAY) == ScheduleStatus(
        "not-started", 5, "Starts in 5 days"
    )
    assert _status(0.0, today=START - DAY) == ScheduleStatus("not-started", 1, "Starts in 1 day")
    assert _status(0.0, today=START) == ScheduleStatus("on-track", 0, "On track")
    assert _status(1.0) == ScheduleStatus("finished", 0, "Finished")
    assert _status(1.0, today=END + 40 * DAY).state == "finished"
    # Work done before the start date still counts as finished.
    assert _status(1.0, today=START - 5 * DAY).state == "finished"


def test_schedule_status_after_the_end_expects_everything():
    assert _status(0.9, today=END + 10 * DAY) == ScheduleStatus("behind", 10, "Behind by 10 days")


# --- forecast_finish -----------------------------------------------------------------------

TODAY = date(2026, 3, 1)


def test_forecast_without_pace_is_none():
    assert forecast_finish(actual=0.4, gained_last_28_days=0.0, today=TODAY) is None
    assert forecast_finish(actual=0.4, gained_last_28_days=-0.1, today=TODAY) is None
    assert forecast_finish(actual=0.4, gained_last_28_days=float("nan"), today=TODAY) is None


def test_forecast_exact_arithmetic():
    # 0.14 in 28 days is 0.005 a day; 0.5 left -> exactly 100 days, not 101.
    assert forecast_finish(actual=0.5, gained_last_28_days=0.14, today=TODAY) == TODAY + 100 * DAY
    # 0.25 left at 0.1 per 28 days -> 70 days.
    assert forecast_finish(actual=0.75, gained_last_28_days=0.1, today=TODAY) == TODAY + 70 * DAY
    # 0.1 left at 0.03 per 28 days -> 93.3 days, rounded up to 94.
    assert forecast_finish(actual=0.9, gained_last_28_days=0.03, today=TODAY) == TODAY + 94 * DAY


def test_forecast_when_finished_or_hopelessly_slow():
    assert forecast_finish(actual=1.0, gained_last_28_days=0.0, today=TODAY) == TODAY
    assert forecast_finish(actual=1.2, gained_last_28_days=0.3, today=TODAY) == TODAY
    assert forecast_finish(actual=0.0, gained_last_28_days=1e-300, today=TODAY) is None


# --- streak --------------------------------------------------------------------------------


def test_streak_counts_back_from_today():
    assert streak([TODAY, TODAY - DAY, TODAY - 2 * DAY], TODAY) == 3


def test_streak_survives_a_quiet_today():
    assert streak([TODAY - DAY, TODAY - 2 * DAY], TODAY) == 2


def test_streak_gap_breaks_it():
    assert streak([TODAY, TODAY - 2 * DAY, TODAY - 3 * DAY], TODAY) == 1
    assert streak([TODAY - 2 * DAY, TODAY - 3 * DAY], TODAY) == 0


def test_streak_empty_duplicates_and_future():
    assert streak([], TODAY) == 0
    assert streak(iter([TODAY, TODAY, TODAY - DAY]), TODAY) == 2
    assert streak([TODAY + DAY], TODAY) == 0
    assert streak([date.min], date.min) == 1
    assert streak([], date.min) == 0
