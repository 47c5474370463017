"""Schedule arithmetic: month maths, phase windows, the learner's today, status, pace, streaks."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

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
    needed_pace,
    pace_window,
    phase_windows,
    plan_end,
    schedule_status,
    streak,
    today_for,
    weekly_pace,
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


# Credits as the progress code makes them: credited weight over a phase's total weight.
credit_shares = st.fractions(min_value=0, max_value=1, max_denominator=60)


def _check_contiguous(start: date, months: int, n: int, windows: list[PhaseWindow]) -> None:
    end = plan_end(start, months)
    assert [w.index for w in windows] == list(range(n))
    assert windows[0].start == start
    assert windows[-1].end == end - DAY
    for prev, nxt in zip(windows, windows[1:], strict=False):
        assert nxt.start == prev.end + DAY
    assert all(w.days >= 1 for w in windows)
    assert sum(w.days for w in windows) == (end - start).days


@given(start=starts, months=plan_months, credited=st.lists(credit_shares, min_size=5, max_size=5))
def test_credited_windows_stay_contiguous_and_cover_the_plan(start, months, credited):
    weeks = list(ROADMAP_WEEKS)
    _check_contiguous(start, months, 5, phase_windows(start, months, weeks, credited))


@given(start=starts, months=plan_months, credited=st.lists(credit_shares, min_size=5, max_size=5))
def test_credited_phases_are_never_longer_than_uncredited(start, months, credited):
    """A phase credited at least as much as the plan on average gives days away, never
    takes them; an uncredited phase only gains. (Boundaries round to whole days, so a
    length may differ from its exact share by a day either way, as without credits.)"""
    weeks = list(ROADMAP_WEEKS)
    plain = phase_windows(start, months, weeks)
    credited_windows = phase_windows(start, months, weeks, credited)
    average = sum(w * c for w, c in zip(weeks, credited, strict=True)) / sum(weeks)
    for c, before, after in zip(credited, plain, credited_windows, strict=True):
        if c >= average:
            assert after.days <= before.days + 1
        if c == 0:
            assert after.days >= before.days - 1
        if c == 1 and any(x < 1 for x in credited):
            assert after.days == 1  # fully credited: (almost) no time


@given(
    start=starts,
    months=plan_months,
    phase=st.integers(min_value=0, max_value=4),
    more=credit_shares,
    less=credit_shares,
)
def test_more_credit_never_lengthens_a_phase_beyond_rounding(start, months, phase, more, less):
    more, less = max(more, less), min(more, less)
    weeks = list(ROADMAP_WEEKS)
    base = [Fraction(0)] * 5
    low = phase_windows(start, months, weeks, [*base[:phase], less, *base[phase + 1 :]])
    high = phase_windows(start, months, weeks, [*base[:phase], more, *base[phase + 1 :]])
    assert high[phase].days <= low[phase].days + 1


def test_crediting_early_phases_moves_their_time_to_later_ones():
    start = date(2026, 1, 1)
    weeks = list(ROADMAP_WEEKS)
    plain = phase_windows(start, 8, weeks)
    half = Fraction(1, 2)
    windows = phase_windows(start, 8, weeks, [Fraction(1), half, 0, 0, 0])
    assert windows[0].days == 1
    # Phase 2 keeps half its work: 3 of the 25 weeks of work left in the plan (29.2 days),
    # less the day phase 1 keeps.
    assert windows[1].days == 28
    assert [w.days for w in windows[2:]] == [58, 78, 78]  # 58.3, 77.8, 77.8 exactly
    assert all(a.days > b.days for a, b in zip(windows[2:], plain[2:], strict=True))
    assert sum(w.days for w in windows) == sum(w.days for w in plain) == 243
    # No credits at all: exactly the plain windows.
    assert phase_windows(start, 8, weeks, [Fraction(0)] * 5) == plain
    # Everything credited: nothing left to spread, the roadmap's proportions stay.
    assert phase_windows(start, 8, weeks, [Fraction(1)] * 5) == plain


def test_credits_must_be_shares_one_per_phase():
    start = date(2026, 1, 1)
    with pytest.raises(ValueError):
        phase_windows(start, 8, ROADMAP_WEEKS, [Fraction(1, 2)])
    with pytest.raises(ValueError):
        phase_windows(start, 8, ROADMAP_WEEKS, [Fraction(3, 2), 0, 0, 0, 0])


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


def test_credits_are_given_from_the_start_and_the_rest_is_due_evenly():
    # 40% credited on day one, nothing done since: on track on day one, not "ahead".
    status = schedule_status(actual=0.4, start=START, end_exclusive=END, today=START, credited=0.4)
    assert status == ScheduleStatus("on-track", 0, "On track")
    # Half-way the plan expects 0.4 + 0.6 * 0.5 = 0.7; 0.4 is 0.3 short, at 0.6% a day 50 days.
    status = schedule_status(actual=0.4, start=START, end_exclusive=END, today=MIDDLE, credited=0.4)
    assert status == ScheduleStatus("behind", 50, "Behind by 50 days")


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


def test_weekly_and_needed_pace():
    assert weekly_pace(0.08) == pytest.approx(0.02)
    assert weekly_pace(0.08, 14) == pytest.approx(0.04)
    assert weekly_pace(-0.1) == 0.0
    # 60% left over 84 days (today included): 5% a week.
    assert needed_pace(
        actual=0.4, start=START, end_exclusive=TODAY + 84 * DAY, today=TODAY
    ) == pytest.approx(0.05)
    # Before the start the whole plan is ahead.
    assert needed_pace(
        actual=0.0, start=TODAY + 10 * DAY, end_exclusive=TODAY + 80 * DAY, today=TODAY
    ) == pytest.approx(0.1)
    assert needed_pace(actual=0.4, start=START, end_exclusive=TODAY, today=TODAY) is None
    assert needed_pace(actual=1.0, start=START, end_exclusive=END, today=START) is None


def test_the_pace_window_is_four_weeks_or_the_young_plans_days():
    assert pace_window(TODAY - 100 * DAY, TODAY) == 28
    assert pace_window(TODAY - 27 * DAY, TODAY) == 28
    assert pace_window(TODAY - 13 * DAY, TODAY) == 14
    assert pace_window(TODAY - 2 * DAY, TODAY) == 7  # a week at least
    assert pace_window(TODAY + 5 * DAY, TODAY) == 7
    # The forecast reads the same window: 0.1 in 14 days, 0.5 left -> 70 days.
    forecast = forecast_finish(actual=0.5, gained_last_28_days=0.1, today=TODAY, window_days=14)
    assert forecast == TODAY + 70 * DAY


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
