"""Server-rendered SVG charts: no JavaScript, safe to drop inline into a page.

Longer than 400 lines on purpose: four charts that share one frame, grid, axes and
legend helpers; split apart, each would import most of the others.

Output is a standalone <svg> string built only from fixed element names, numbers and
XML-escaped text. There are no scripts, event handlers or style attributes: elements
carry CSS classes (chart-grid, chart-axis, chart-label, chart-planned, chart-actual,
chart-today) and the site's stylesheet colours them, so light and dark themes both work
and the strict CSP needs no exceptions.
"""

from __future__ import annotations

import hashlib
import math
import re
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

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
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


def _svg(
    kind: str, key: str, *, width: int, height: int, title: str, summary: str, body: Sequence[str]
) -> str:
    """The frame every chart shares: an <svg class="chart chart-`kind`"> named by its <title>
    and described by its <desc> (first children, as SVG accessibility expects), then `body`.

    The ids are derived from `key` (the chart's inputs) so two different charts on one page
    don't clash."""
    uid = f"{kind}-" + hashlib.sha256(key.encode()).hexdigest()[:10]
    return "\n".join(
        [
            f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" class="chart chart-{kind}" role="img" '
            f'aria-labelledby="{uid}-title" aria-describedby="{uid}-desc">',
            f'<title id="{uid}-title">{escape(title)}</title>',
            f'<desc id="{uid}-desc">{escape(summary)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _group(css: str, children: Sequence[str], attrs: str = "") -> list[str]:
    """`children` inside one <g class="`css`">; `attrs` are extra attributes, space first."""
    return [f'<g class="{css}"{attrs}>', *children, "</g>"]


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}"/>'


def _text(x: float, y: float, anchor: str, text: str) -> str:
    return f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}">{escape(text)}</text>'


def _plot_box(width: int, height: int, legend_h: int = 0) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the plot area of a chart with x and y axes inside the
    margins, leaving `legend_h` px below for a legend; refuses sizes too small to plot."""
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM - legend_h
    if plot_w < MIN_PLOT or plot_h < MIN_PLOT:
        raise ValueError(f"a {width}x{height} chart leaves no room to plot")
    return MARGIN_LEFT, MARGIN_TOP, MARGIN_LEFT + plot_w, MARGIN_TOP + plot_h


def _grid_and_axes(
    left: int, top: int, right: int, bottom: int, ys: Sequence[float], ticks: Sequence[str] = ()
) -> list[str]:
    """Horizontal gridlines at `ys`, then the x and y axes along the plot's bottom and left
    edges followed by `ticks` (already drawn lines)."""
    return [
        *_group("chart-grid", [_line(left, y, right, y) for y in ys]),
        *_group(
            "chart-axis",
            [_line(left, bottom, right, bottom), _line(left, top, left, bottom), *ticks],
        ),
    ]


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
    left, top, right, bottom = _plot_box(width, height)
    plot_w, plot_h = right - left, bottom - top

    def x_of(day: date) -> float:
        offset = min(max((day - start).days, 0), total)
        return left + plot_w * offset / total

    def y_of(fraction: float) -> float:
        return bottom - plot_h * _clamp01(fraction)

    def points_attr(series: Sequence[tuple[date, float]]) -> str:
        return " ".join(f"{_num(x_of(d))},{_num(y_of(f))}" for d, f in series)

    planned = sorted(planned, key=lambda p: p[0])
    actual = sorted(actual, key=lambda p: p[0])
    last_day = date.fromordinal(end_exclusive.toordinal() - 1)

    months = _months_between(start, end_exclusive)
    spacing = plot_w * 28 / total  # the shortest month sets the tightest spacing
    ticks = []
    if months and spacing >= MONTH_TICK_MIN_PX:
        ticks = [_line(x_of(first), bottom, x_of(first), bottom + 4) for first in months]
    out = _grid_and_axes(left, top, right, bottom, [y_of(pct / 100) for pct in Y_GRID], ticks)

    labels = [_text(left - 6, y_of(pct / 100) + 3, "end", f"{pct}%") for pct in Y_GRID]
    label_y = bottom + 16
    labels.append(_text(left, label_y, "start", start.isoformat()))
    labels.append(_text(right, label_y, "end", last_day.isoformat()))
    if months and spacing >= MONTH_LABEL_MIN_PX:
        for first in months:
            x = x_of(first)
            if x - left < END_LABEL_CLEAR_PX or right - x < END_LABEL_CLEAR_PX:
                continue
            name = str(first.year) if first.month == 1 else MONTH_ABBR[first.month - 1]
            labels.append(_text(x, label_y, "middle", name))
    out += _group("chart-label", labels, ' font-size="10"')

    for css, series in (("chart-planned", planned), ("chart-actual", actual)):
        if series:
            points = quoteattr(points_attr(series))
            out.append(f'<polyline class="{css}" fill="none" points={points}/>')
    if today is not None and start <= today <= end_exclusive:
        x = _num(x_of(today))
        out.append(f'<line class="chart-today" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"/>')
    return _svg(
        "burnup",
        f"{title}|{start}|{end_exclusive}|{width}|{height}",
        width=width,
        height=height,
        title=title,
        summary=_summary(start, end_exclusive, planned, actual, today),
        body=out,
    )


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
    text = [
        _text(x_of(column), HEAT_MARGIN_TOP - 5, "start", MONTH_ABBR[month - 1])
        for column, month in labels
    ]
    text += [
        _text(HEAT_MARGIN_LEFT - 4, y_of(row) + HEAT_CELL / 2 + 3.5, "end", WEEKDAY_ABBR[row])
        for row in HEAT_WEEKDAY_LABELS
    ]
    cells = []
    for column, day, n in days:
        tip = f"{_reviews(n)} on {_long_day(day)}" if n else f"No reviews on {_long_day(day)}"
        cells.append(
            f'<rect class="heat heat-{_heat_level(n)}" x="{x_of(column)}" '
            f'y="{y_of(day.weekday())}" width="{HEAT_CELL}" height="{HEAT_CELL}" rx="2">'
            f"<title>{escape(tip)}</title></rect>"
        )
    return _svg(
        "heatmap",
        f"{title}|{today}|{weeks}",
        width=width,
        height=height,
        title=title,
        summary=summary,
        body=[*_group("chart-label", text, ' font-size="10"'), *_group("chart-heat", cells)],
    )


CHAR_PX = 6
"""Rough width of one character at 10px, to keep wrapped or truncated text inside the box."""
LEGEND_SWATCH = 10
LEGEND_ROW = 16
LEGEND_LABEL_CHARS = 24
"""Legend labels longer than this are cut with an ellipsis."""


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    """`text` without the control characters (and lone surrogates) XML 1.0 cannot carry at all,
    so a stray one in a label cannot make the whole SVG unparseable; escape() still follows."""
    return _NOT_XML.sub("", str(text))


def _checked_series(
    series: Sequence[tuple[str, Sequence[int | None]]], count: int, noun: str, per: str
) -> list[tuple[str, Sequence[int | None]]]:
    """`series` with XML-safe labels, refused unless each has one value per `per` (`count`)."""
    safe = [(_xml_safe(label), values) for label, values in series]
    for label, values in safe:
        if len(values) != count:
            raise ValueError(f"series {label!r} has {len(values)} {noun} for {count} {per}")
    return safe


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "\u2026"


def _wrap(text: str, limit: int, max_lines: int = 2) -> list[str]:
    """Greedy word wrap to lines of at most `limit` characters; overlong words and lines
    beyond `max_lines` are cut with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        word = _truncate(word, limit)
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _truncate(lines[-1] + "\u2026", limit)
    return lines


def _score_text(score: float | None) -> str:
    """A score as the summary says it: '3', '2.5', or 'not scored' for None."""
    if score is None:
        return "not scored"
    return f"{score:g}" if isinstance(score, float) else str(score)


def _short_day(day: date) -> str:
    """'3 Mar 2026', with fixed English names like MONTH_ABBR."""
    return f"{day.day} {MONTH_ABBR[day.month - 1]} {day.year}"


def _legend_layout(labels: Sequence[str], left: float, right: float) -> list[tuple[float, int]]:
    """(x, row) for each legend entry, flowing left to right and wrapping before `right`."""
    placed: list[tuple[float, int]] = []
    x, row = left, 0
    for label in labels:
        entry_w = LEGEND_SWATCH + 4 + len(_truncate(label, LEGEND_LABEL_CHARS)) * CHAR_PX
        if x > left and x + entry_w > right:
            x, row = left, row + 1
        placed.append((x, row))
        x += entry_w + 12
    return placed


def _legend(
    entries: Sequence[tuple[str, str]], layout: Sequence[tuple[float, int]], top: float
) -> list[str]:
    """A <g class="chart-legend"> of swatch + label per (css class, label) entry."""
    out = []
    for (css, label), (x, row) in zip(entries, layout, strict=True):
        y = top + row * LEGEND_ROW
        out.append(
            f'<rect class="{css} legend-swatch" x="{_num(x)}" y="{_num(y)}" '
            f'width="{LEGEND_SWATCH}" height="{LEGEND_SWATCH}" rx="2"/>'
        )
        out.append(
            _text(x + LEGEND_SWATCH + 4, y + 9, "start", _truncate(label, LEGEND_LABEL_CHARS))
        )
    return _group("chart-legend", out, ' font-size="10"')


RADAR_WIDTH = 360
RADAR_CX = 180
RADAR_CY = 128
RADAR_RADIUS = 90
"""Radius of the outer ring (the top level)."""
RADAR_LABEL_GAP = 10
"""Distance from the outer ring to an axis label's anchor."""
RADAR_LABEL_CHARS = 14
"""Axis labels wrap at this many characters, over at most two lines."""
RADAR_LINE = 12
RADAR_PAD = 4
RADAR_PLOT_HEIGHT = 256
"""Height of the radar and its labels; the legend, if any, goes below."""


def radar_svg(
    *,
    axes: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    levels: int = 5,
    title: str = "Rubric scores",
) -> str:
    """Scores 1..`levels` on each of `axes` as a radar (spider) chart, an inline-safe SVG string.

    The first axis points straight up and the rest follow clockwise. A score s sits at
    s/levels of the outer ring's radius from the centre (clamped to 0..levels); None means
    not scored and is drawn at the centre. Each (label, scores) in `series` is one
    <polygon class="radar-series radar-series-N"> with a <title> of its label, N counting
    from 0; a chart-legend lists the series when there is more than one. Grid rings
    (chart-grid) at every level, spokes (chart-axis), wrapped axis labels and level
    numbers along the first spoke (chart-label). Every series needs one score per axis.
    """
    title = _xml_safe(title)
    axes = [_xml_safe(axis) for axis in axes]
    n = len(axes)
    if n < 3:
        raise ValueError(f"a radar chart needs at least three axes, not {n}")
    if levels < 1:
        raise ValueError(f"a radar chart needs at least one level, not {levels}")
    series = _checked_series(series, n, "scores", "axes")

    def unit(i: int) -> tuple[float, float]:
        angle = 2 * math.pi * i / n
        return math.sin(angle), -math.cos(angle)

    def xy(i: int, radius: float) -> tuple[float, float]:
        dx, dy = unit(i)
        return RADAR_CX + radius * dx, RADAR_CY + radius * dy

    def point(i: int, radius: float) -> str:
        x, y = xy(i, radius)
        return f"{_num(x)},{_num(y)}"

    def radius_of(score: float | None) -> float:
        if score is None:
            return 0.0
        return RADAR_RADIUS * _clamp01(score / levels)

    legend_labels = [label for label, _ in series] if len(series) > 1 else []
    layout = _legend_layout(legend_labels, RADAR_PAD * 2, RADAR_WIDTH - RADAR_PAD * 2)
    rows = (layout[-1][1] + 1) if layout else 0
    height = RADAR_PLOT_HEIGHT + (rows * LEGEND_ROW + RADAR_PAD if rows else 0)

    parts = []
    for label, scores in series:
        pairs = zip(axes, scores, strict=True)
        parts.append(f"{label}: " + ", ".join(f"{axis} {_score_text(s)}" for axis, s in pairs))
    summary = "; ".join(parts) + "." if parts else "No scores yet."

    rings = [
        " ".join(point(i, RADAR_RADIUS * level / levels) for i in range(n))
        for level in range(1, levels + 1)
    ]
    out = _group("chart-grid", [f'<polygon points="{ring}"/>' for ring in rings], ' fill="none"')
    spokes = [_line(RADAR_CX, RADAR_CY, *xy(i, RADAR_RADIUS)) for i in range(n)]
    out += _group("chart-axis", spokes)

    text = []
    for i, axis in enumerate(axes):
        lines = _wrap(axis, RADAR_LABEL_CHARS)
        if not lines:
            continue
        dx, dy = unit(i)
        x = RADAR_CX + (RADAR_RADIUS + RADAR_LABEL_GAP) * dx
        y = RADAR_CY + (RADAR_RADIUS + RADAR_LABEL_GAP) * dy
        text_w = max(len(line) for line in lines) * CHAR_PX
        if dx > 0.7:
            anchor, x = "start", min(x, RADAR_WIDTH - RADAR_PAD - text_w)
        elif dx < -0.7:
            anchor, x = "end", max(x, RADAR_PAD + text_w)
        else:
            half = text_w / 2
            anchor, x = "middle", min(max(x, RADAR_PAD + half), RADAR_WIDTH - RADAR_PAD - half)
        span = RADAR_LINE * (len(lines) - 1)
        if dy < -0.5:  # above the centre: the last line sits on the anchor
            first = y - span
        elif dy > 0.5:  # below: the first line hangs from it
            first = y + 8
        else:  # beside: centred on it
            first = y + 3.5 - span / 2
        first = min(max(first, RADAR_PAD + 8), RADAR_PLOT_HEIGHT - RADAR_PAD - span)
        tspans = "".join(
            f'<tspan x="{_num(x)}" y="{_num(first + j * RADAR_LINE)}">{escape(line)}</tspan>'
            for j, line in enumerate(lines)
        )
        text.append(f'<text text-anchor="{anchor}">{tspans}</text>')
    out += _group("chart-label", text, ' font-size="10"')
    numbers = [
        _text(RADAR_CX + 3, RADAR_CY - RADAR_RADIUS * level / levels + 9, "start", str(level))
        for level in range(1, levels + 1)
    ]
    out += _group("chart-label", numbers, ' font-size="9"')

    for index, (label, scores) in enumerate(series):
        vertices = " ".join(point(i, radius_of(s)) for i, s in enumerate(scores))
        out.append(
            f'<polygon class="radar-series radar-series-{index}" fill-opacity="0.25" '
            f'points="{vertices}"><title>{escape(label)}</title></polygon>'
        )

    if legend_labels:
        entries = [(f"radar-series-{i}", label) for i, label in enumerate(legend_labels)]
        out.extend(_legend(entries, layout, RADAR_PLOT_HEIGHT))
    return _svg(
        "radar",
        repr((title, list(axes), levels, [(label, list(s)) for label, s in series])),
        width=RADAR_WIDTH,
        height=height,
        title=title,
        summary=summary,
        body=out,
    )


def score_lines_svg(
    *,
    dates: Sequence[date],
    series: Sequence[tuple[str, Sequence[int | None]]],
    levels: int = 5,
    title: str = "Scores over time",
    width: int = 640,
    height: int = 240,
) -> str:
    """Scores 1..`levels` over time, one line per (label, values) series, as an inline-safe SVG.

    x is linear in date from the earliest to the latest of `dates` (a single date is drawn
    in the middle); y runs from 1 at the bottom of the plot to `levels` at the top, with a
    gridline and label per level; values are clamped into 1..levels. `values[k]` belongs to
    `dates[k]`; None is a gap, so a series is one <polyline class="score-line score-line-N">
    per unbroken run (each with a <title> of its label) plus a
    <circle class="score-point score-line-N" r="3"> per value. The first and last dates
    label the x axis, and a chart-legend below lists the series with
    <rect class="score-line-N legend-swatch"> swatches.
    """
    title = _xml_safe(title)
    if levels < 2:
        raise ValueError(f"a score chart needs at least two levels, not {levels}")
    series = _checked_series(series, len(dates), "values", "dates")
    labels = [label for label, _ in series]
    layout = _legend_layout(labels, MARGIN_LEFT, width - MARGIN_RIGHT)
    legend_h = (layout[-1][1] + 1) * LEGEND_ROW if layout else 0
    left, top, right, bottom = _plot_box(width, height, legend_h)
    plot_w, plot_h = right - left, bottom - top

    # Put the columns in date order, carrying each series' values along.
    order = sorted(range(len(dates)), key=lambda k: dates[k])
    days = [dates[k] for k in order]
    columns = [(label, [values[k] for k in order]) for label, values in series]
    first_day, last_day = (days[0], days[-1]) if days else (None, None)
    total = (last_day - first_day).days if days else 0

    def x_of(day: date) -> float:
        if total == 0:
            return left + plot_w / 2
        return left + plot_w * (day - first_day).days / total

    def y_of(value: float) -> float:
        return bottom - plot_h * _clamp01((value - 1) / (levels - 1))

    scored = [(label, [v for v in values if v is not None]) for label, values in columns]
    if days and series:
        when = (
            f"On {_short_day(first_day)}"
            if total == 0
            else f"From {_short_day(first_day)} to {_short_day(last_day)}"
        )
        parts = []
        for label, values in scored:
            if not values:
                parts.append(f"{label} not scored")
            elif len(values) == 1:
                parts.append(f"{label} {_score_text(values[0])}")
            else:
                parts.append(f"{label} {_score_text(values[0])} \u2192 {_score_text(values[-1])}")
        summary = f"{when}: {', '.join(parts)}."
    else:
        summary = "No scores yet."

    scale = range(1, levels + 1)
    out = _grid_and_axes(left, top, right, bottom, [y_of(level) for level in scale])
    text = [_text(left - 6, y_of(level) + 3, "end", str(level)) for level in scale]
    label_y = bottom + 16
    if days and total == 0:
        text.append(_text(x_of(first_day), label_y, "middle", _short_day(first_day)))
    elif days:
        text.append(_text(left, label_y, "start", _short_day(first_day)))
        text.append(_text(right, label_y, "end", _short_day(last_day)))
    out += _group("chart-label", text, ' font-size="10"')

    # Each column's x and day, and each level's y, written once for every series.
    xs = [_num(x_of(day)) for day in days]
    day_texts = [_short_day(day) for day in days]
    ys: dict[int | None, str] = {}
    for index, (label, values) in enumerate(columns):
        css = f"score-line-{index}"
        runs: list[list[str]] = [[]]
        points_of: list[tuple[str, str, object]] = []
        for x, day_text, value in zip(xs, day_texts, values, strict=True):
            if value is None:
                if runs[-1]:
                    runs.append([])
                continue
            y = ys.get(value)
            if y is None:
                y = ys[value] = _num(y_of(value))
            runs[-1].append(f"{x},{y}")
            points_of.append((x, y, f"{label}: {_score_text(value)} on {day_text}"))
        shown_label = escape(label)
        for run in runs:
            if run:
                out.append(
                    f'<polyline class="score-line {css}" fill="none" points="{" ".join(run)}">'
                    f"<title>{shown_label}</title></polyline>"
                )
        for x, y, tip in points_of:
            out.append(
                f'<circle class="score-point {css}" cx="{x}" '
                f'cy="{y}" r="3"><title>{escape(tip)}</title></circle>'
            )

    if labels:
        entries = [(f"score-line-{i}", label) for i, label in enumerate(labels)]
        out.extend(_legend(entries, layout, bottom + 26))
    return _svg(
        "scores",
        repr((title, days, levels, columns, width, height)),
        width=width,
        height=height,
        title=title,
        summary=summary,
        body=out,
    )


def rate_lines_svg(
    *,
    weeks: Sequence[date],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str = "Rates by week",
    width: int = 640,
    height: int = 240,
) -> str:
    """Shares 0..1 by week, one line per (label, values) series: `values[k]` belongs to the
    week starting `weeks[k]` (in order, evenly spaced); None (no reviews that week) is a
    gap. Drawn like score_lines_svg (score-line-N classes, points with <title>s, legend),
    on a 0–100% grid."""
    title = _xml_safe(title)
    series = _checked_series(series, len(weeks), "values", "weeks")
    labels = [label for label, _ in series]
    layout = _legend_layout(labels, MARGIN_LEFT, width - MARGIN_RIGHT)
    legend_h = (layout[-1][1] + 1) * LEGEND_ROW if layout else 0
    left, top, right, bottom = _plot_box(width, height, legend_h)
    plot_w, plot_h = right - left, bottom - top
    step = plot_w / (len(weeks) - 1) if len(weeks) > 1 else 0

    def x_of(k: int) -> float:
        return left + k * step if len(weeks) > 1 else left + plot_w / 2

    def y_of(value: float) -> float:
        return bottom - plot_h * _clamp01(value)

    out = _grid_and_axes(left, top, right, bottom, [y_of(p / 100) for p in Y_GRID])
    text = [_text(left - 6, y_of(p / 100) + 3, "end", f"{p}%") for p in Y_GRID]
    if weeks:
        text.append(_text(left, bottom + 16, "start", f"week of {_short_day(weeks[0])}"))
        if len(weeks) > 1:
            text.append(_text(right, bottom + 16, "end", f"week of {_short_day(weeks[-1])}"))
    out += _group("chart-label", text, ' font-size="10"')
    parts = []
    for index, (label, values) in enumerate(series):
        css = f"score-line-{index}"
        runs: list[list[tuple[float, float]]] = [[]]
        for k, value in enumerate(values):
            if value is None:
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append((x_of(k), y_of(value)))
            tip = f"{label}: {_pct(value)} in the week of {_short_day(weeks[k])}"
            out.append(
                f'<circle class="score-point {css}" cx="{_num(x_of(k))}" '
                f'cy="{_num(y_of(value))}" r="3"><title>{escape(tip)}</title></circle>'
            )
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{_num(x)},{_num(y)}" for x, y in run)
                out.append(
                    f'<polyline class="score-line {css}" fill="none" points="{points}">'
                    f"<title>{escape(label)}</title></polyline>"
                )
        seen = [v for v in values if v is not None]
        parts.append(f"{label} {_pct(seen[-1])}" if seen else f"{label} no reviews")
    summary = f"Latest week with reviews: {', '.join(parts)}." if parts else "No reviews yet."
    if labels:
        entries = [(f"score-line-{i}", label) for i, label in enumerate(labels)]
        out.extend(_legend(entries, layout, bottom + 26))
    return _svg(
        "rates",
        repr((title, list(weeks), [(label, list(v)) for label, v in series], width, height)),
        width=width,
        height=height,
        title=title,
        summary=summary,
        body=out,
    )
