"""Burn-up SVG: valid standalone markup, correct geometry, nothing executable, text escaped."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.charts import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    RADAR_CX,
    RADAR_CY,
    RADAR_RADIUS,
    burnup_svg,
    heatmap_svg,
    radar_svg,
    score_lines_svg,
)

NS = "http://www.w3.org/2000/svg"
SVG = f"{{{NS}}}"
START = date(2026, 1, 1)
END = START + timedelta(days=100)
PLANNED = [(START, 0.0), (END, 1.0)]
ACTUAL = [(START, 0.0), (START + timedelta(days=20), 0.15), (START + timedelta(days=40), 0.38)]
TODAY = START + timedelta(days=45)


def _render(**overrides) -> ET.Element:
    args = {
        "start": START,
        "end_exclusive": END,
        "planned": PLANNED,
        "actual": ACTUAL,
        "today": TODAY,
    }
    args.update(overrides)
    return ET.fromstring(burnup_svg(**args))


def _by_class(root: ET.Element, css: str) -> list[ET.Element]:
    return [el for el in root.iter() if css in el.get("class", "").split()]


def _points(polyline: ET.Element) -> list[tuple[float, float]]:
    pairs = polyline.get("points", "").split()
    for pair in pairs:
        assert re.fullmatch(r"-?\d+(\.\d)?,-?\d+(\.\d)?", pair), pair
    return [(float(x), float(y)) for x, y in (p.split(",") for p in pairs)]


def test_root_is_an_accessible_svg_with_the_right_viewbox():
    root = _render(width=500, height=200)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 500 200"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Planned vs actual progress"
    assert root.get("aria-labelledby") == title.get("id")
    assert desc is not None and root.get("aria-describedby") == desc.get("id")
    assert list(root)[0] is title  # first child, as SVG accessibility expects


def test_desc_summarises_planned_and_actual_at_today():
    desc = _render().find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == "Planned 45% by today; actual 38%."


def test_planned_runs_from_left_bottom_to_right_top():
    width, height = 640, 240
    root = _render(width=width, height=height)
    (planned,) = _by_class(root, "chart-planned")
    assert planned.tag == f"{SVG}polyline"
    points = _points(planned)
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM
    assert points[0] == (left, bottom)
    assert points[-1] == (right, top)


def test_actual_has_one_point_per_sample_inside_the_plot():
    root = _render()
    (actual,) = _by_class(root, "chart-actual")
    assert actual.tag == f"{SVG}polyline"
    points = _points(actual)
    assert len(points) == len(ACTUAL)
    assert points[0] == (MARGIN_LEFT, 240 - MARGIN_BOTTOM)
    xs = [x for x, _ in points]
    assert xs == sorted(xs)
    # 38% of a 200px plot above the bottom at 212 -> 136.
    assert points[-1][1] == pytest.approx(212 - 0.38 * 200, abs=0.05)


def test_today_line_sits_between_the_plot_edges():
    root = _render()
    (line,) = _by_class(root, "chart-today")
    x1, x2 = float(line.get("x1")), float(line.get("x2"))
    assert x1 == x2
    assert MARGIN_LEFT < x1 < 640 - MARGIN_RIGHT
    assert x1 == pytest.approx(
        MARGIN_LEFT + (640 - MARGIN_LEFT - MARGIN_RIGHT) * 45 / 100, abs=0.05
    )


def test_no_today_line_outside_the_plan_or_without_today():
    assert not _by_class(_render(today=START - timedelta(days=3)), "chart-today")
    assert not _by_class(_render(today=END + timedelta(days=3)), "chart-today")
    assert not _by_class(_render(today=None), "chart-today")


def test_empty_actual_draws_no_line_but_is_still_valid():
    root = _render(actual=[])
    assert root.tag == f"{SVG}svg"
    assert not _by_class(root, "chart-actual")
    assert _by_class(root, "chart-planned")
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "no progress recorded yet" in (desc.text or "")


def test_y_axis_has_gridlines_and_percent_labels():
    root = _render()
    grid = _by_class(root, "chart-grid")[0]
    ys = sorted(float(line.get("y1")) for line in grid.iter(f"{SVG}line"))
    assert ys == [12, 62, 112, 162, 212]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for label in ("0%", "25%", "50%", "75%", "100%"):
        assert label in texts


def test_x_axis_labels_start_and_end_dates_and_months_when_roomy():
    root = _render(start=date(2026, 1, 1), end_exclusive=date(2026, 7, 1), planned=[])
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2026-01-01" in texts
    assert "2026-06-30" in texts  # the plan's last day
    assert "Mar" in texts
    axis = _by_class(root, "chart-axis")[0]
    assert len(list(axis.iter(f"{SVG}line"))) == 2 + 5  # two axes, ticks for Feb..Jun


def test_fractions_are_clamped_into_the_plot():
    root = _render(actual=[(START, -0.5), (TODAY, 1.7), (END + timedelta(days=9), 0.5)])
    points = _points(_by_class(root, "chart-actual")[0])
    for x, y in points:
        assert MARGIN_LEFT <= x <= 640 - MARGIN_RIGHT
        assert MARGIN_TOP <= y <= 240 - MARGIN_BOTTOM
    assert points[0][1] == 240 - MARGIN_BOTTOM
    assert points[1][1] == MARGIN_TOP


def _assert_inert(root: ET.Element) -> None:
    for el in root.iter():
        assert el.tag.startswith(SVG), el.tag
        assert el.tag != f"{SVG}script"
        assert el.tag != f"{SVG}foreignObject"
        for name in el.attrib:
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), name
            assert local not in {"style", "href"}, name


def test_nothing_executable_or_inline_styled():
    _assert_inert(_render())
    svg = burnup_svg(start=START, end_exclusive=END, planned=PLANNED, actual=ACTUAL, today=TODAY)
    assert "<script" not in svg.lower()
    assert not svg.startswith("<?xml")
    assert svg.startswith("<svg ")


@pytest.mark.parametrize("title", ["<&>", "\"quoted\" & 'single'", "</title><script>x</script>"])
def test_title_text_is_escaped(title):
    root = _render(title=title)
    node = root.find(f"{SVG}title")
    assert node is not None and node.text == title
    _assert_inert(root)


def test_bad_ranges_and_sizes_are_refused():
    with pytest.raises(ValueError):
        burnup_svg(start=START, end_exclusive=START, planned=[], actual=[])
    with pytest.raises(ValueError):
        burnup_svg(start=START, end_exclusive=END, planned=[], actual=[], width=60)


series = st.lists(
    st.tuples(
        st.dates(min_value=date(2025, 6, 1), max_value=date(2028, 6, 1)),
        st.floats(allow_nan=True, allow_infinity=True),
    ),
    max_size=30,
)


@given(
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
    days=st.integers(min_value=1, max_value=800),
    planned=series,
    actual=series,
    today=st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2103, 1, 1)),
    width=st.integers(min_value=120, max_value=1600),
    height=st.integers(min_value=90, max_value=800),
)
def test_any_input_gives_parseable_inert_svg_inside_its_box(
    start, days, planned, actual, today, width, height
):
    end = start + timedelta(days=days)
    root = ET.fromstring(
        burnup_svg(
            start=start,
            end_exclusive=end,
            planned=planned,
            actual=actual,
            today=today,
            width=width,
            height=height,
        )
    )
    _assert_inert(root)
    assert root.get("viewBox") == f"0 0 {width} {height}"
    for css, data in (("chart-planned", planned), ("chart-actual", actual)):
        lines = _by_class(root, css)
        assert len(lines) == (1 if data else 0)
        for polyline in lines:
            points = _points(polyline)
            assert len(points) == len(data)
            for x, y in points:
                assert MARGIN_LEFT <= x <= width - MARGIN_RIGHT
                assert MARGIN_TOP <= y <= height - MARGIN_BOTTOM


# --- Activity heatmap -----------------------------------------------------------------------

WED = date(2026, 11, 4)  # a Wednesday
MON = date(2026, 11, 2)


def _heat(**overrides) -> ET.Element:
    args = {"counts": {}, "today": WED}
    args.update(overrides)
    return ET.fromstring(heatmap_svg(**args))


def _cells(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}rect"))


def _cell_on(root: ET.Element, day: date) -> ET.Element:
    suffix = f"on {day.strftime('%a')} {day.day} {day.strftime('%b')} {day.year}"
    (cell,) = [c for c in _cells(root) if (c.findtext(f"{SVG}title") or "").endswith(suffix)]
    return cell


def _level(cell: ET.Element) -> str:
    classes = cell.get("class", "").split()
    assert "heat" in classes
    (level,) = [c for c in classes if c.startswith("heat-")]
    return level


def test_heatmap_is_an_accessible_svg_sized_to_its_grid():
    root = _heat()
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert list(root)[0] is title
    assert title is not None and title.text == "Practice activity, last 12 weeks"
    assert root.get("aria-labelledby") == title.get("id")
    assert desc is not None and root.get("aria-describedby") == desc.get("id")
    _, _, width, height = (int(v) for v in root.get("viewBox", "").split())
    assert (root.get("width"), root.get("height")) == (str(width), str(height))
    for cell in _cells(root):
        x, y = int(cell.get("x")), int(cell.get("y"))
        assert cell.get("width") == cell.get("height") == "12"
        assert 0 <= x <= width - 12
        assert 0 <= y <= height - 12


def test_heatmap_ids_differ_between_charts():
    a, b = _heat(), _heat(title="Other")
    assert a.get("aria-labelledby") != b.get("aria-labelledby")


@pytest.mark.parametrize(
    ("today", "expected"),
    [(WED, 11 * 7 + 3), (MON, 11 * 7 + 1), (date(2026, 11, 8), 12 * 7)],
)
def test_heatmap_draws_every_day_up_to_today(today, expected):
    root = _heat(today=today)
    cells = _cells(root)
    assert len(cells) == expected
    assert _cell_on(root, today) is cells[-1]
    if today.weekday() < 6:  # the rest of this week is left out
        with pytest.raises(ValueError):
            _cell_on(root, today + timedelta(days=1))


def test_heatmap_columns_are_weeks_and_rows_are_weekdays():
    root = _heat()
    cells = _cells(root)
    first_monday = date(2026, 8, 17)  # Monday of the week 11 weeks before WED's
    first, today = _cell_on(root, first_monday), _cell_on(root, WED)
    assert first is cells[0]
    assert int(today.get("x")) - int(first.get("x")) == 11 * 15
    assert int(today.get("y")) - int(first.get("y")) == 2 * 15
    sunday = _cell_on(root, first_monday + timedelta(days=6))
    assert int(sunday.get("x")) == int(first.get("x"))
    assert int(sunday.get("y")) - int(first.get("y")) == 6 * 15


@pytest.mark.parametrize(
    ("count", "level"),
    [
        (0, "heat-0"),
        (1, "heat-1"),
        (2, "heat-2"),
        (3, "heat-2"),
        (4, "heat-3"),
        (5, "heat-3"),
        (6, "heat-3"),
        (7, "heat-4"),
        (40, "heat-4"),
        (-2, "heat-0"),
    ],
)
def test_heatmap_levels_use_fixed_thresholds(count, level):
    root = _heat(counts={MON: count})
    assert _level(_cell_on(root, MON)) == level


def test_heatmap_day_without_reviews_is_heat_0_and_counts_outside_window_ignored():
    counts = {MON: 5, WED + timedelta(days=1): 9, date(2026, 8, 16): 9}
    root = _heat(counts=counts)
    assert _level(_cell_on(root, MON)) == "heat-3"
    assert _level(_cell_on(root, WED)) == "heat-0"
    assert [_level(c) for c in _cells(root)].count("heat-0") == len(_cells(root)) - 1


def test_heatmap_cell_titles():
    root = _heat(counts={MON: 3, MON + timedelta(days=1): 1})
    assert _cell_on(root, MON).findtext(f"{SVG}title") == "3 reviews on Mon 2 Nov 2026"
    assert _cell_on(root, date(2026, 11, 3)).findtext(f"{SVG}title") == "1 review on Tue 3 Nov 2026"
    assert _cell_on(root, WED).findtext(f"{SVG}title") == "No reviews on Wed 4 Nov 2026"


def test_heatmap_labels_months_and_weekdays():
    root = _heat()
    labels = _by_class(root, "chart-label")[0]
    texts = [t.text for t in labels.iter(f"{SVG}text")]
    assert texts == ["Aug", "Sep", "Oct", "Nov", "Mon", "Wed", "Fri"]
    by_text = {t.text: t for t in labels.iter(f"{SVG}text")}
    # Sep starts in the column of Mon 7 Sep, the first Monday in September.
    assert by_text["Sep"].get("x") == _cell_on(root, date(2026, 9, 7)).get("x")
    assert by_text["Nov"].get("x") == _cell_on(root, MON).get("x")
    _, _, width, _ = (int(v) for v in root.get("viewBox", "").split())
    assert int(by_text["Nov"].get("x")) + 20 <= width


def test_heatmap_first_month_label_dropped_when_crowded():
    # The first column's Monday is 31 Aug; the next column starts September.
    root = _heat(today=date(2026, 11, 18))
    texts = [t.text for t in _by_class(root, "chart-label")[0].iter(f"{SVG}text")]
    assert texts[:3] == ["Sep", "Oct", "Nov"]
    assert "Aug" not in texts


def test_heatmap_desc_when_empty():
    assert _heat().findtext(f"{SVG}desc") == "No reviews in the last 12 weeks."
    assert _heat(weeks=4).findtext(f"{SVG}desc") == "No reviews in the last 4 weeks."
    assert _heat(counts={WED: 0}).findtext(f"{SVG}desc") == "No reviews in the last 12 weeks."


def test_heatmap_desc_summarises_totals_and_busiest_day():
    root = _heat(counts={MON: 3, date(2026, 9, 20): 8, WED: 1})
    assert root.findtext(f"{SVG}desc") == (
        "12 reviews on 3 days in the last 12 weeks; busiest day: Sun 20 Sep 2026 (8 reviews)."
    )
    root = _heat(counts={WED: 1})
    assert root.findtext(f"{SVG}desc") == (
        "1 review on 1 day in the last 12 weeks; busiest day: Wed 4 Nov 2026 (1 review)."
    )
    # Ties go to the most recent day.
    root = _heat(counts={MON: 4, date(2026, 10, 1): 4})
    assert "busiest day: Mon 2 Nov 2026 (4 reviews)" in (root.findtext(f"{SVG}desc") or "")


def test_heatmap_is_inert():
    root = _heat(counts={MON: 3})
    _assert_inert(root)
    svg = heatmap_svg(counts={MON: 3}, today=WED)
    assert svg.startswith("<svg ")
    assert "<script" not in svg.lower()


@pytest.mark.parametrize("title", ["<&>", "\"quoted\" & 'single'", "</title><script>x</script>"])
def test_heatmap_title_text_is_escaped(title):
    root = _heat(title=title)
    node = root.find(f"{SVG}title")
    assert node is not None and node.text == title
    _assert_inert(root)


def test_heatmap_needs_a_week():
    with pytest.raises(ValueError):
        heatmap_svg(counts={}, today=WED, weeks=0)


@given(
    today=st.dates(),
    weeks=st.integers(min_value=1, max_value=60),
    counts=st.dictionaries(st.dates(), st.integers(min_value=-5, max_value=10_000), max_size=40),
)
def test_heatmap_any_input_gives_parseable_inert_svg_inside_its_box(today, weeks, counts):
    root = ET.fromstring(heatmap_svg(counts=counts, today=today, weeks=weeks))
    _assert_inert(root)
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    cells = _cells(root)
    first_monday = today.toordinal() - today.weekday() - 7 * (weeks - 1)
    assert len(cells) == today.toordinal() - max(first_monday, 1) + 1
    for el in root.iter():
        for name in ("x", "y", "width", "height"):
            if name in el.attrib and el.tag != f"{SVG}svg":
                assert re.fullmatch(r"-?\d+(\.\d)?", el.get(name)), el.get(name)
    for cell in cells:
        x, y = float(cell.get("x")), float(cell.get("y"))
        assert 0 <= x <= width - 12
        assert 0 <= y <= height - 12
        assert _level(cell) in {f"heat-{n}" for n in range(5)}


# --- Rubric radar ---------------------------------------------------------------------------

AXES = ["Systems Python", "Production ML", "Infrastructure", "Orchestration", "Startup Fit"]
SELF = ("Self", [3, 4, 2, 3, 5])
MENTOR = ("Mentor", [2, 4, 2, 3, 4])


def _radar(**overrides) -> ET.Element:
    args = {"axes": AXES, "series": [SELF, MENTOR]}
    args.update(overrides)
    return ET.fromstring(radar_svg(**args))


def _polygon_points(polygon: ET.Element) -> list[tuple[float, float]]:
    return _points(polygon)  # same "x,y x,y" format and one-decimal rule as polylines


def _box(root: ET.Element) -> tuple[float, float]:
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    return width, height


def test_radar_is_an_accessible_svg():
    root = _radar()
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert list(root)[0] is title
    assert title is not None and title.text == "Rubric scores"
    assert root.get("aria-labelledby") == title.get("id")
    assert desc is not None and root.get("aria-describedby") == desc.get("id")
    width, height = _box(root)
    assert (root.get("width"), root.get("height")) == (f"{width:g}", f"{height:g}")
    other = _radar(series=[SELF])
    assert other.get("aria-labelledby") != root.get("aria-labelledby")


def test_radar_draws_one_polygon_per_series_with_its_label():
    root = _radar()
    polygons = _by_class(root, "radar-series")
    assert len(polygons) == 2
    assert [p.tag for p in polygons] == [f"{SVG}polygon"] * 2
    assert [p.findtext(f"{SVG}title") for p in polygons] == ["Self", "Mentor"]
    assert "radar-series-0" in polygons[0].get("class").split()
    assert "radar-series-1" in polygons[1].get("class").split()
    assert all(len(_polygon_points(p)) == 5 for p in polygons)
    assert len(_by_class(_radar(series=[SELF]), "radar-series")) == 1


def test_radar_vertices_first_axis_up_then_clockwise():
    root = _radar(series=[("Top", [5, 0, None, 5, 5])])
    (polygon,) = _by_class(root, "radar-series")
    points = _polygon_points(polygon)
    # Score 5 of 5 on the first axis: straight up at the outer ring's radius.
    assert points[0] == (RADAR_CX, RADAR_CY - RADAR_RADIUS)
    # 0 and None sit at the centre.
    assert points[1] == (RADAR_CX, RADAR_CY)
    assert points[2] == (RADAR_CX, RADAR_CY)
    # Clockwise: the fourth axis (216 degrees) is down and to the left, the fifth up-left.
    x4, y4 = points[3]
    x5, y5 = points[4]
    assert x4 < RADAR_CX and y4 > RADAR_CY
    assert x5 < RADAR_CX and y5 < RADAR_CY
    assert math.hypot(x4 - RADAR_CX, y4 - RADAR_CY) == pytest.approx(RADAR_RADIUS, abs=0.1)


def test_radar_scores_scale_with_levels_and_clamp():
    root = _radar(series=[("S", [3, 9, -2, 1, 5])])
    (polygon,) = _by_class(root, "radar-series")
    points = _polygon_points(polygon)
    assert points[0] == (RADAR_CX, RADAR_CY - RADAR_RADIUS * 3 / 5)
    assert math.hypot(points[1][0] - RADAR_CX, points[1][1] - RADAR_CY) == pytest.approx(
        RADAR_RADIUS, abs=0.1
    )
    assert points[2] == (RADAR_CX, RADAR_CY)
    root = _radar(series=[("S", [2, 2, 2, 2, 2])], levels=4)
    assert _polygon_points(_by_class(root, "radar-series")[0])[0] == (
        RADAR_CX,
        RADAR_CY - RADAR_RADIUS / 2,
    )


def test_radar_grid_has_a_ring_per_level_and_a_spoke_per_axis():
    root = _radar()
    (grid,) = _by_class(root, "chart-grid")
    rings = list(grid.iter(f"{SVG}polygon"))
    assert len(rings) == 5
    tops = [_polygon_points(r)[0] for r in rings]
    assert tops == [(RADAR_CX, RADAR_CY - RADAR_RADIUS * k / 5) for k in range(1, 6)]
    assert all(len(_polygon_points(r)) == 5 for r in rings)
    (axis,) = _by_class(root, "chart-axis")
    assert len(list(axis.iter(f"{SVG}line"))) == 5
    assert len(list(_by_class(_radar(levels=3), "chart-grid")[0].iter(f"{SVG}polygon"))) == 3


def _label_lines(root: ET.Element) -> list[str]:
    return [
        "".join(t.itertext())
        for group in _by_class(root, "chart-label")
        for t in group.iter(f"{SVG}tspan")
    ]


def test_radar_labels_axes_and_levels_inside_the_box():
    root = _radar()
    texts = [t.text for t in root.iter(f"{SVG}text") if t.text]
    for level in "12345":
        assert level in texts
    assert set(_label_lines(root)) == set(AXES)
    width, height = _box(root)
    for tspan in root.iter(f"{SVG}tspan"):
        x, y = float(tspan.get("x")), float(tspan.get("y"))
        assert y - 8 > 0 and y + 3 < height
        text_w = len(tspan.text) * 6
        anchor = next(t.get("text-anchor") for t in root.iter(f"{SVG}text") if tspan in list(t))
        lo = {"start": x, "middle": x - text_w / 2, "end": x - text_w}[anchor]
        assert lo >= 0 and lo + text_w <= width, (tspan.text, lo, text_w)


def test_radar_long_axis_names_wrap_or_shorten_and_stay_inside():
    long_axes = [
        "Distributed systems debugging under pressure",
        "Supercalifragilisticexpialidocious",
        "A",
        "Very long name on the left side indeed",
        "Orchestration",
    ]
    root = _radar(axes=long_axes, series=[("S", [1, 2, 3, 4, 5])])
    lines = _label_lines(root)
    assert all(len(line) <= 14 for line in lines)
    assert "Distributed" in lines
    assert any(line.endswith("\u2026") for line in lines)
    width, height = _box(root)
    for tspan in root.iter(f"{SVG}tspan"):
        assert 0 <= float(tspan.get("x")) <= width
        assert 0 <= float(tspan.get("y")) <= height


def test_radar_desc_lists_scores_and_not_scored():
    assert _radar().findtext(f"{SVG}desc") == (
        "Self: Systems Python 3, Production ML 4, Infrastructure 2, Orchestration 3, "
        "Startup Fit 5; Mentor: Systems Python 2, Production ML 4, Infrastructure 2, "
        "Orchestration 3, Startup Fit 4."
    )
    root = _radar(series=[("Self", [3, None, 2, 3, 5])])
    assert "Production ML not scored" in (root.findtext(f"{SVG}desc") or "")


def test_radar_without_series_is_grid_only():
    root = _radar(series=[])
    assert root.findtext(f"{SVG}desc") == "No scores yet."
    assert not _by_class(root, "radar-series")
    assert not _by_class(root, "chart-legend")
    assert len(list(_by_class(root, "chart-grid")[0].iter(f"{SVG}polygon"))) == 5


def test_radar_legend_only_with_several_series():
    assert not _by_class(_radar(series=[SELF]), "chart-legend")
    (legend,) = _by_class(_radar(), "chart-legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["Self", "Mentor"]
    swatches = _by_class(legend, "legend-swatch")
    assert [s.get("class") for s in swatches] == [
        "radar-series-0 legend-swatch",
        "radar-series-1 legend-swatch",
    ]
    width, height = _box(_radar())
    for swatch in swatches:
        assert float(swatch.get("y")) + 10 <= height


EVIL = "</title><script>alert(1)</script> & \"q\" 'a' <b>"


def test_radar_escapes_every_text():
    root = _radar(title=EVIL, axes=[EVIL, *AXES[1:]], series=[(EVIL, [1, 2, 3, 4, 5]), SELF])
    assert root.findtext(f"{SVG}title") == EVIL
    assert _by_class(root, "radar-series")[0].findtext(f"{SVG}title") == EVIL
    assert (root.findtext(f"{SVG}desc") or "").startswith(EVIL + ": " + EVIL + " 1")
    _assert_inert(root)
    assert "<script" not in radar_svg(axes=AXES, series=[(EVIL, [1] * 5)], title=EVIL)


def test_radar_is_inert_and_standalone():
    svg = radar_svg(axes=AXES, series=[SELF, MENTOR])
    assert svg.startswith("<svg ")
    _assert_inert(ET.fromstring(svg))


def test_radar_refuses_bad_input():
    with pytest.raises(ValueError):
        radar_svg(axes=AXES[:2], series=[])
    with pytest.raises(ValueError):
        radar_svg(axes=AXES, series=[("Short", [1, 2])])
    with pytest.raises(ValueError):
        radar_svg(axes=AXES, series=[], levels=0)


@given(
    n=st.integers(min_value=3, max_value=9),
    levels=st.integers(min_value=1, max_value=10),
    names=st.lists(st.text(max_size=40), min_size=9, max_size=9),
    scores=st.lists(
        st.lists(st.none() | st.integers(min_value=-3, max_value=12), min_size=9, max_size=9),
        max_size=4,
    ),
)
def test_radar_any_input_gives_parseable_inert_svg_inside_its_box(n, levels, names, scores):
    series = [(names[i % 9], s[:n]) for i, s in enumerate(scores)]
    root = ET.fromstring(radar_svg(axes=names[:n], series=series, levels=levels))
    _assert_inert(root)
    width, height = _box(root)
    polygons = _by_class(root, "radar-series")
    assert len(polygons) == len(series)
    for polygon in polygons:
        for x, y in _polygon_points(polygon):
            assert math.hypot(x - RADAR_CX, y - RADAR_CY) <= RADAR_RADIUS + 0.2
    for tspan in root.iter(f"{SVG}tspan"):
        assert 0 <= float(tspan.get("x")) <= width
        assert 0 <= float(tspan.get("y")) <= height


# --- Scores over time -----------------------------------------------------------------------

D0, D1, D2, D3 = date(2026, 3, 3), date(2026, 5, 1), date(2026, 7, 1), date(2026, 11, 9)
DATES = [D0, D1, D2, D3]
LINES = [
    ("Systems Python", [2, 3, 3, 4]),
    ("Production ML", [3, None, 4, 4]),
    ("Infrastructure", [None, None, None, None]),
]


def _lines(**overrides) -> ET.Element:
    args = {"dates": DATES, "series": LINES}
    args.update(overrides)
    return ET.fromstring(score_lines_svg(**args))


def _polylines(root: ET.Element, index: int) -> list[ET.Element]:
    return [el for el in _by_class(root, f"score-line-{index}") if el.tag == f"{SVG}polyline"]


def _dots(root: ET.Element, index: int) -> list[ET.Element]:
    return [el for el in _by_class(root, f"score-line-{index}") if el.tag == f"{SVG}circle"]


def test_score_lines_is_an_accessible_svg():
    root = _lines(width=500, height=260)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 500 260"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert list(root)[0] is title
    assert title is not None and title.text == "Scores over time"
    assert root.get("aria-labelledby") == title.get("id")
    assert desc is not None and root.get("aria-describedby") == desc.get("id")
    assert _lines(title="Other").get("aria-labelledby") != root.get("aria-labelledby")


def test_score_lines_one_polyline_per_unbroken_run():
    root = _lines()
    (first,) = _polylines(root, 0)
    assert "score-line" in first.get("class").split()
    assert first.get("fill") == "none"
    assert first.findtext(f"{SVG}title") == "Systems Python"
    assert len(_points(first)) == 4
    assert len(_dots(root, 0)) == 4
    # None splits Production ML into two runs with the same classes.
    runs = _polylines(root, 1)
    assert [len(_points(r)) for r in runs] == [1, 2]
    assert all(r.get("class") == "score-line score-line-1" for r in runs)
    assert all(r.findtext(f"{SVG}title") == "Production ML" for r in runs)
    assert len(_dots(root, 1)) == 3
    # Never scored: no line, no points.
    assert not _polylines(root, 2) and not _dots(root, 2)


def test_score_lines_points_are_small_circles_with_titles():
    root = _lines()
    dots = _dots(root, 0)
    assert all(d.get("r") == "3" and "score-point" in d.get("class").split() for d in dots)
    assert dots[0].findtext(f"{SVG}title") == "Systems Python: 2 on 3 Mar 2026"
    line = _points(_polylines(root, 0)[0])
    assert [(float(d.get("cx")), float(d.get("cy"))) for d in dots] == line


def test_score_lines_y_runs_from_1_at_the_bottom_to_levels_at_the_top():
    root = _lines(series=[("S", [1, 5, 3, 1])], height=300)
    points = _points(_polylines(root, 0)[0])
    (grid,) = _by_class(root, "chart-grid")
    ys = sorted(float(line.get("y1")) for line in grid.iter(f"{SVG}line"))
    assert len(ys) == 5
    top, bottom = ys[0], ys[-1]
    assert top == MARGIN_TOP
    assert points[0][1] == bottom == points[3][1]
    assert points[1][1] == top
    assert points[2][1] == pytest.approx((top + bottom) / 2, abs=0.05)
    (axis,) = _by_class(root, "chart-axis")
    assert float(next(axis.iter(f"{SVG}line")).get("y1")) == bottom
    labels = [t.text for t in _by_class(root, "chart-label")[0].iter(f"{SVG}text")]
    assert labels[:5] == ["1", "2", "3", "4", "5"]
    # Other level counts, and values outside 1..levels are clamped.
    root = _lines(series=[("S", [0, 7, 2, 3])], levels=3)
    points = _points(_polylines(root, 0)[0])
    ys = sorted(float(line.get("y1")) for line in _by_class(root, "chart-grid")[0])
    assert len(ys) == 3
    assert [y for _, y in points] == [ys[2], ys[0], ys[1], ys[0]]


def test_score_lines_x_is_linear_in_date():
    width = 640
    root = _lines(series=[("S", [1, 2, 3, 4])], width=width)
    xs = [x for x, _ in _points(_polylines(root, 0)[0])]
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    assert xs[0] == left and xs[-1] == right
    span = (D3 - D0).days
    assert xs[1] == pytest.approx(left + (right - left) * (D1 - D0).days / span, abs=0.05)
    # Unsorted dates are put in order, values travelling with their dates.
    root = _lines(dates=[D3, D0, D2, D1], series=[("S", [4, 1, 3, 2])])
    points = _points(_polylines(root, 0)[0])
    assert points == _points(_polylines(_lines(series=[("S", [1, 2, 3, 4])]), 0)[0])


def test_score_lines_single_date_is_centred():
    root = _lines(dates=[D1], series=[("S", [3]), ("T", [None])], width=600)
    (dot,) = _dots(root, 0)
    assert float(dot.get("cx")) == pytest.approx(
        MARGIN_LEFT + (600 - MARGIN_LEFT - MARGIN_RIGHT) / 2, abs=0.05
    )
    dates = [t for t in _by_class(root, "chart-label")[0].iter(f"{SVG}text") if "2026" in t.text]
    assert [(t.text, t.get("text-anchor")) for t in dates] == [("1 May 2026", "middle")]
    assert root.findtext(f"{SVG}desc") == "On 1 May 2026: S 3, T not scored."


def test_score_lines_label_first_and_last_dates():
    root = _lines()
    texts = [t.text for t in _by_class(root, "chart-label")[0].iter(f"{SVG}text")]
    assert texts[-2:] == ["3 Mar 2026", "9 Nov 2026"]


def test_score_lines_desc_gives_first_and_last_scores():
    assert _lines().findtext(f"{SVG}desc") == (
        "From 3 Mar 2026 to 9 Nov 2026: Systems Python 2 \u2192 4, "
        "Production ML 3 \u2192 4, Infrastructure not scored."
    )
    root = _lines(series=[("S", [None, 3, None, None])])
    assert root.findtext(f"{SVG}desc") == "From 3 Mar 2026 to 9 Nov 2026: S 3."
    assert _lines(series=[]).findtext(f"{SVG}desc") == "No scores yet."
    assert _lines(dates=[], series=[("S", [])]).findtext(f"{SVG}desc") == "No scores yet."


def test_score_lines_legend_lists_every_series():
    root = _lines()
    (legend,) = _by_class(root, "chart-legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == [label for label, _ in LINES]
    swatches = list(legend.iter(f"{SVG}rect"))
    assert [s.get("class") for s in swatches] == [f"score-line-{i} legend-swatch" for i in range(3)]
    _, height = _box(root)
    assert all(float(s.get("y")) + 10 <= height for s in swatches)
    assert not _by_class(_lines(series=[]), "chart-legend")


def test_score_lines_legend_wraps_in_a_narrow_chart():
    many = [(f"Dimension number {i}", [1, 2, 3, 4]) for i in range(5)]
    root = _lines(series=many, width=300, height=320)
    width, height = _box(root)
    swatches = _by_class(root, "legend-swatch")
    assert len({s.get("y") for s in swatches}) > 1
    for swatch in swatches:
        assert float(swatch.get("x")) >= 0 and float(swatch.get("y")) + 10 <= height


def test_score_lines_escape_every_text():
    root = _lines(title=EVIL, series=[(EVIL, [1, 2, 3, 4])])
    assert root.findtext(f"{SVG}title") == EVIL
    assert _polylines(root, 0)[0].findtext(f"{SVG}title") == EVIL
    assert EVIL in (root.findtext(f"{SVG}desc") or "")
    _assert_inert(root)


def test_control_characters_xml_cannot_carry_are_dropped():
    root = _radar(title="A\x00B", axes=["Sys\x1bPy", *AXES[1:]], series=[("S\x07", [1] * 5)])
    assert root.findtext(f"{SVG}title") == "AB"
    assert "SysPy" in _label_lines(root)
    assert _by_class(root, "radar-series")[0].findtext(f"{SVG}title") == "S"
    root = _lines(title="\x0cT", series=[("L\x01", [1, 2, 3, 4])])
    assert root.findtext(f"{SVG}title") == "T"
    assert root.findtext(f"{SVG}desc") == "From 3 Mar 2026 to 9 Nov 2026: L 1 \u2192 4."


def test_score_lines_is_inert_and_standalone():
    svg = score_lines_svg(dates=DATES, series=LINES)
    assert svg.startswith("<svg ")
    assert "<script" not in svg.lower()
    _assert_inert(ET.fromstring(svg))


def test_score_lines_refuse_bad_input():
    with pytest.raises(ValueError):
        score_lines_svg(dates=DATES, series=[("S", [1, 2])])
    with pytest.raises(ValueError):
        score_lines_svg(dates=DATES, series=[], levels=1)
    with pytest.raises(ValueError):
        score_lines_svg(dates=DATES, series=LINES, height=60)


@given(
    dates=st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), max_size=12),
    data=st.data(),
    levels=st.integers(min_value=2, max_value=10),
    width=st.integers(min_value=200, max_value=1600),
    height=st.integers(min_value=200, max_value=800),
)
def test_score_lines_any_input_gives_parseable_inert_svg_inside_its_plot(
    dates, data, levels, width, height
):
    values = st.lists(
        st.none() | st.integers(min_value=-2, max_value=12),
        min_size=len(dates),
        max_size=len(dates),
    )
    series = data.draw(st.lists(st.tuples(st.text(max_size=30), values), max_size=5))
    root = ET.fromstring(
        score_lines_svg(dates=dates, series=series, levels=levels, width=width, height=height)
    )
    _assert_inert(root)
    (grid,) = _by_class(root, "chart-grid")
    ys = [float(line.get("y1")) for line in grid]
    top, bottom = min(ys), max(ys)
    for index, (_, vals) in enumerate(series):
        runs = _polylines(root, index)
        assert sum(len(_points(r)) for r in runs) == sum(v is not None for v in vals)
        assert len(_dots(root, index)) == sum(v is not None for v in vals)
        for run in runs:
            for x, y in _points(run):
                assert MARGIN_LEFT <= x <= width - MARGIN_RIGHT
                assert top <= y <= bottom
