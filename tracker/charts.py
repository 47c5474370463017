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
from collections.abc import Sequence
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
