"""Server-rendered SVG charts: no JavaScript, safe to drop inline into a page.

Output is a standalone <svg> string built only from fixed element names, numbers and
XML-escaped text. There are no scripts, event handlers or style attributes: elements
carry CSS classes (chart-grid, chart-axis, chart-label, chart-planned, chart-actual,
chart-today) and the site's stylesheet colours them, so light and dark themes both work
and the strict CSP needs no exceptions.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from datetime import date
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"

MARGIN_LEFT = 44
MARGIN_RIGHT = 16
MARGIN_TOP = 12
MARGIN_BOTTOM = 28
MIN_PLOT = 40
"""Smallest plot area in px either way; anything less cannot show a trend."""

Y_GRID = (0, 25, 50, 75, 100)
MONTH_TICK_MIN_PX = 6
"""Month ticks are drawn only if they are at least this far apart."""
MONTH_LABEL_MIN_PX = 36
"""Month names are drawn only if they are at least this far apart (about "Mar" at 10px)."""
END_LABEL_CLEAR_PX = 80
"""Month names this close to either end would collide with the ISO start/end date labels."""

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # fmt: skip
"""Fixed English names: locale-dependent strftime would vary between servers."""


def _num(value: float) -> str:
    """A coordinate with at most one decimal and no trailing '.0', to keep the markup small."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _clamp01(value: float) -> float:
    """Fractions outside 0..1 (or NaN) are drawn at the nearest edge, never outside the plot."""
    if math.isnan(value):
        return 0.0
    return min(1.0, max(0.0, value))


def _pct(value: float) -> str:
    """A fraction as a whole percentage for the text summary."""
    return f"{round(_clamp01(value) * 100)}%"


def _planned_at(points: Sequence[tuple[date, float]], day: date) -> float:
    """The planned series at `day`, interpolated linearly between its points."""
    if day <= points[0][0]:
        return points[0][1]
    for (d0, f0), (d1, f1) in zip(points, points[1:], strict=False):
        if d0 <= day <= d1:
            span = (d1 - d0).days
            return f1 if span == 0 else f0 + (f1 - f0) * (day - d0).days / span
    return points[-1][1]


def _actual_at(points: Sequence[tuple[date, float]], day: date) -> float:
    """The actual series as of `day`: the latest recorded value on or before it."""
    value = 0.0
    for d, f in points:
        if d > day:
            break
        value = f
    return value


def _months_between(start: date, end_exclusive: date) -> list[date]:
    """First days of the months strictly inside the plan, where month ticks go."""
    months = []
    year, month = start.year, start.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if year > 9999:
            break
        first = date(year, month, 1)
        if first >= end_exclusive:
            break
        months.append(first)
    return months


def _summary(
    start: date,
    end_exclusive: date,
    planned: Sequence[tuple[date, float]],
    actual: Sequence[tuple[date, float]],
    today: date | None,
) -> str:
    """The chart in one sentence, for screen readers: what was due and what is done."""
    if today is not None:
        ref, when = min(max(today, start), end_exclusive), "by today"
    elif actual:
        ref = actual[-1][0]
        when = f"by {ref.isoformat()}"
    else:
        ref, when = end_exclusive, "by the end"
    parts = []
    if planned:
        parts.append(f"Planned {_pct(_planned_at(planned, ref))} {when}")
    if actual:
        parts.append(f"actual {_pct(_actual_at(actual, ref))}")
    else:
        parts.append("no progress recorded yet")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def burnup_svg(
    *,
    start: date,
    end_exclusive: date,
    planned: Sequence[tuple[date, float]],
    actual: Sequence[tuple[date, float]],
    today: date | None = None,
    width: int = 640,
    height: int = 240,
    title: str = "Planned vs actual progress",
) -> str:
    """Planned vs actual progress over the plan as an inline-safe SVG string.

    x is linear in date from `start` (left edge of the plot) to `end_exclusive` (right
    edge); y is the fraction 0..1 (clamped) from the bottom to the top of the plot. Points
    are sorted by date and drawn one polyline per series; an empty series draws no line.
    A vertical chart-today line marks `today` when it falls within the plan.
    """
    total = (end_exclusive - start).days
    if total <= 0:
        raise ValueError(f"plan end {end_exclusive} must be after start {start}")
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    if plot_w < MIN_PLOT or plot_h < MIN_PLOT:
        raise ValueError(f"a {width}x{height} chart leaves no room to plot")
    left, right = MARGIN_LEFT, MARGIN_LEFT + plot_w
    top, bottom = MARGIN_TOP, MARGIN_TOP + plot_h

    def x_of(day: date) -> float:
        offset = min(max((day - start).days, 0), total)
        return left + plot_w * offset / total

    def y_of(fraction: float) -> float:
        return bottom - plot_h * _clamp01(fraction)

    def points_attr(series: Sequence[tuple[date, float]]) -> str:
        return " ".join(f"{_num(x_of(d))},{_num(y_of(f))}" for d, f in series)

    planned = sorted(planned, key=lambda p: p[0])
    actual = sorted(actual, key=lambda p: p[0])
    # Ids are derived from the chart's inputs so two different charts on a page don't clash.
    key = f"{title}|{start}|{end_exclusive}|{width}|{height}".encode()
    uid = "burnup-" + hashlib.sha256(key).hexdigest()[:10]
    title_id, desc_id = f"{uid}-title", f"{uid}-desc"
    last_day = date.fromordinal(end_exclusive.toordinal() - 1)

    out = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" class="chart chart-burnup" role="img" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">'
        f"{escape(_summary(start, end_exclusive, planned, actual, today))}</desc>",
        '<g class="chart-grid">',
    ]
    for pct in Y_GRID:
        y = _num(y_of(pct / 100))
        out.append(f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}"/>')
    out.append("</g>")

    out.append('<g class="chart-axis">')
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"/>')
    months = _months_between(start, end_exclusive)
    spacing = plot_w * 28 / total  # the shortest month sets the tightest spacing
    if months and spacing >= MONTH_TICK_MIN_PX:
        for first in months:
            x = _num(x_of(first))
            out.append(f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 4}"/>')
    out.append("</g>")

    out.append('<g class="chart-label" font-size="10">')
    for pct in Y_GRID:
        y = _num(y_of(pct / 100) + 3)
        out.append(f'<text x="{left - 6}" y="{y}" text-anchor="end">{pct}%</text>')
    label_y = bottom + 16
    out.append(
        f'<text x="{left}" y="{label_y}" text-anchor="start">{escape(start.isoformat())}</text>'
    )
    out.append(
        f'<text x="{right}" y="{label_y}" text-anchor="end">{escape(last_day.isoformat())}</text>'
    )
    if months and spacing >= MONTH_LABEL_MIN_PX:
        for first in months:
            x = x_of(first)
            if x - left < END_LABEL_CLEAR_PX or right - x < END_LABEL_CLEAR_PX:
                continue
            name = str(first.year) if first.month == 1 else MONTH_ABBR[first.month - 1]
            out.append(f'<text x="{_num(x)}" y="{label_y}" text-anchor="middle">{name}</text>')
    out.append("</g>")

    for css, series in (("chart-planned", planned), ("chart-actual", actual)):
        if series:
            points = quoteattr(points_attr(series))
            out.append(f'<polyline class="{css}" fill="none" points={points}/>')
    if today is not None and start <= today <= end_exclusive:
        x = _num(x_of(today))
        out.append(f'<line class="chart-today" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"/>')
    out.append("</svg>")
    return "\n".join(out)


HEAT_CELL = 12
HEAT_GAP = 3
HEAT_STEP = HEAT_CELL + HEAT_GAP
HEAT_MARGIN_LEFT = 30
"""Room for the Mon/Wed/Fri labels left of the grid."""
HEAT_MARGIN_TOP = 16
"""Room for the month labels above the grid."""
HEAT_MARGIN_RIGHT = 8
"""Room for a month name over the last column ("May" at 10px is about 20px wide)."""
HEAT_MARGIN_BOTTOM = 2
HEAT_MONTH_LABEL_MIN_COLS = 2
"""A month name needs this many columns (30px) before the next one, or it is dropped."""
HEAT_THRESHOLDS = (1, 2, 4, 7)
"""Lowest count for levels 1..4: 1 -> heat-1, 2-3 -> heat-2, 4-6 -> heat-3, 7+ -> heat-4.

Fixed rather than relative to the window's counts, so a colour means the same every week."""

WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HEAT_WEEKDAY_LABELS = (0, 2, 4)
"""Rows (0 = Monday) that get a weekday label, as on GitHub."""


def _heat_level(count: int) -> int:
    """0 for no reviews, else 1..4 by HEAT_THRESHOLDS."""
    return sum(1 for low in HEAT_THRESHOLDS if count >= low)


def _long_day(day: date) -> str:
    """'Mon 2 Nov 2026', with fixed English names like MONTH_ABBR."""
    return f"{WEEKDAY_ABBR[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]} {day.year}"


def _reviews(count: int) -> str:
    return f"{count} review" if count == 1 else f"{count} reviews"


def heatmap_svg(
    *,
    counts: Mapping[date, int],
    today: date,
    weeks: int = 12,
    title: str = "Practice activity, last 12 weeks",
) -> str:
    """Reviews per day over the last `weeks` weeks as a GitHub-style inline-safe SVG string.

    Columns are Monday-to-Sunday weeks, oldest on the left, the last one being the week of
    `today`; rows are Mon (top) to Sun. Every day up to and including `today` is one
    <rect class="heat heat-N"> (days after `today` are not drawn), with a <title> such as
    "3 reviews on Mon 2 Nov 2026". N is 0 for no reviews, then 1, 2-3, 4-6 and 7+ reviews
    give 1..4 (HEAT_THRESHOLDS). `counts` is looked up by date; missing days, days outside
    the window and counts below 1 are no reviews. Month names sit above the first column
    whose Monday is in that month, and Mon/Wed/Fri label the rows. The viewBox fits the grid:
    12px cells with 3px gaps.
    """
    if weeks < 1:
        raise ValueError(f"a heatmap needs at least one week, not {weeks}")
    this_monday = today.toordinal() - today.weekday()
    first_monday = this_monday - 7 * (weeks - 1)
    width = HEAT_MARGIN_LEFT + weeks * HEAT_STEP - HEAT_GAP + HEAT_MARGIN_RIGHT
    height = HEAT_MARGIN_TOP + 7 * HEAT_STEP - HEAT_GAP + HEAT_MARGIN_BOTTOM

    # Days in the window, oldest first; before 0001-01-01 there is nothing to draw.
    days: list[tuple[int, date, int]] = []  # (column, day, count)
    for ordinal in range(max(first_monday, 1), today.toordinal() + 1):
        day = date.fromordinal(ordinal)
        raw = counts.get(day, 0)
        days.append(((ordinal - first_monday) // 7, day, max(int(raw or 0), 0)))

    active = [(day, n) for _, day, n in days if n > 0]
    span = "the last week" if weeks == 1 else f"the last {weeks} weeks"
    if active:
        total = sum(n for _, n in active)
        # Ties go to the most recent day: the one a learner is most likely to remember.
        best_day, best = max(active, key=lambda item: (item[1], item[0]))
        day_word = "day" if len(active) == 1 else "days"
        summary = (
            f"{_reviews(total)} on {len(active)} {day_word} in {span}; "
            f"busiest day: {_long_day(best_day)} ({_reviews(best)})."
        )
    else:
        summary = f"No reviews in {span}."

    key = f"{title}|{today}|{weeks}".encode()
    uid = "heatmap-" + hashlib.sha256(key).hexdigest()[:10]
    title_id, desc_id = f"{uid}-title", f"{uid}-desc"

    out = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" class="chart chart-heatmap" role="img" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(summary)}</desc>',
    ]

    def x_of(column: int) -> int:
        return HEAT_MARGIN_LEFT + column * HEAT_STEP

    def y_of(row: int) -> int:
        return HEAT_MARGIN_TOP + row * HEAT_STEP

    # Month labels: a column starts a month when its Monday's month differs from the
    # previous column's; the first column is labelled only if the next label is not too close.
    starts: list[tuple[int, int]] = []  # (column, month)
    previous = None
    for column in range(weeks):
        ordinal = first_monday + 7 * column
        if ordinal < 1:
            continue
        month = date.fromordinal(ordinal).month
        if month != previous:
            starts.append((column, month))
        previous = month
    labels = [
        (column, month)
        for i, (column, month) in enumerate(starts)
        if i + 1 == len(starts) or starts[i + 1][0] - column >= HEAT_MONTH_LABEL_MIN_COLS
    ]
    out.append('<g class="chart-label" font-size="10">')
    for column, month in labels:
        out.append(
            f'<text x="{x_of(column)}" y="{HEAT_MARGIN_TOP - 5}" '
            f'text-anchor="start">{MONTH_ABBR[month - 1]}</text>'
        )
    for row in HEAT_WEEKDAY_LABELS:
        y = _num(y_of(row) + HEAT_CELL / 2 + 3.5)
        out.append(
            f'<text x="{HEAT_MARGIN_LEFT - 4}" y="{y}" text-anchor="end">{WEEKDAY_ABBR[row]}</text>'
        )
    out.append("</g>")

    out.append('<g class="chart-heat">')
    for column, day, n in days:
        tip = f"{_reviews(n)} on {_long_day(day)}" if n else f"No reviews on {_long_day(day)}"
        out.append(
            f'<rect class="heat heat-{_heat_level(n)}" x="{x_of(column)}" '
            f'y="{y_of(day.weekday())}" width="{HEAT_CELL}" height="{HEAT_CELL}" rx="2">'
            f"<title>{escape(tip)}</title></rect>"
        )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
