"""Burn-up SVG: valid standalone markup, correct geometry, nothing executable, text escaped."""

from __future__ import annotations

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
    burnup_svg,
    heatmap_svg,
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
    [(0, "heat-0"), (1, "heat-1"), (2, "heat-2"), (3, "heat-2"), (4, "heat-3"), (5, "heat-3"),
     (6, "heat-3"), (7, "heat-4"), (40, "heat-4"), (-2, "heat-0")],
)  # fmt: skip
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
