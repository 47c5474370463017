"""The lab's telemetry as server-rendered SVG (the frame and helpers of tracker.charts):
per-GPU heat strips, per-rank step times and per-link bandwidths. Each chart comes with
its data as a table (`Chart.table`) that the page puts behind it for screen readers and
for anyone who wants the numbers.

Cells and bars that look wrong carry the class `lab-alert` (outlined in the stylesheet's
"bad" colour); the colour scale uses the heatmap's levels, so light and dark themes work.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from tracker.charts import _group, _num, _svg, _text

from . import telemetry as tel

LABEL_W = 64  # row labels (node names)
HEAD_H = 18  # column labels


@dataclass(frozen=True)
class Chart:
    svg: str
    caption: str  # the title and unit, naming the table behind the chart
    headers: list[str]
    rows: list[list[str]]
    summary: str = ""  # what to look for: shown under the chart


def _level(value: float, low: float, high: float) -> int:
    if high <= low:
        return 0
    return max(0, min(4, int((value - low) / (high - low) * 4.999)))


def heat_strip(
    *,
    key: str,
    title: str,
    summary: str,
    rows: Sequence[str],
    cols: Sequence[str],
    values: Sequence[Sequence[float]],
    low: float,
    high: float,
    alert: Callable[[float], bool],
    unit: str,
    cell: int = 22,
) -> Chart:
    """A grid of cells, one row per `rows` label, coloured by value between low and high."""
    row_h = 14
    width = LABEL_W + len(cols) * cell + 4
    height = HEAD_H + len(rows) * row_h + 4
    body = []
    labels = [_text(LABEL_W + (i + 0.5) * cell, 12, "middle", c) for i, c in enumerate(cols)]
    labels += [
        _text(LABEL_W - 6, HEAD_H + (r + 0.75) * row_h, "end", n) for r, n in enumerate(rows)
    ]
    body += _group("chart-label lab-small", labels)
    cells = []
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            css = f"heat heat-{_level(value, low, high)}" + (" lab-alert" if alert(value) else "")
            cells.append(
                f'<rect class="{css}" x="{_num(LABEL_W + c * cell + 1)}" '
                f'y="{_num(HEAD_H + r * row_h + 1)}" width="{cell - 2}" height="{row_h - 2}">'
                f"<title>{escape(rows[r])} {escape(cols[c])}: {_num(value)} {unit}</title></rect>"
            )
    body += _group("lab-cells", cells)
    svg = _svg(
        "lab-heat",
        f"{key}:{title}",
        width=width,
        height=height,
        title=title,
        summary=summary,
        body=body,
    )
    table_rows = [[rows[r], *(_num(v) for v in row)] for r, row in enumerate(values)]
    return Chart(svg, f"{title} ({unit})", ["", *cols], table_rows, summary)


def rank_bars(t: tel.Telemetry) -> Chart:
    """Per-rank compute time per step, with the median as a line; stragglers outlined."""
    ranks = t.ranks
    values = [r.compute_ms for r in ranks]
    median = statistics.median(values)
    top = max(values) * 1.1
    bar = max(2, min(8, 400 // len(ranks)))
    left, plot_h, bottom_pad = 44, 150, 26
    width = left + bar * len(ranks) + 12
    height = plot_h + bottom_pad + 12
    y = lambda v: 8 + plot_h * (1 - v / top)  # noqa: E731
    bars = []
    slow = set(tel.stragglers(t))
    for i, v in enumerate(values):
        css = "lab-bar" + (" lab-alert" if i in slow else "")
        node = t.nodes[i // t.gpus_per_node]
        bars.append(
            f'<rect class="{css}" x="{left + i * bar}" y="{_num(y(v))}" width="{max(1, bar - 1)}" '
            f'height="{_num(8 + plot_h - y(v))}">'
            f"<title>rank {i} ({escape(node)}): {v:.0f} ms</title></rect>"
        )
    ticks = [_text(left - 4, y(v) + 4, "end", f"{v:.0f}") for v in (0, median, top / 1.1)]
    nodes = [
        _text(
            left + (n * t.gpus_per_node + t.gpus_per_node / 2) * bar,
            plot_h + 24,
            "middle",
            name[-2:],
        )
        for n, name in enumerate(t.nodes)
        if len(t.nodes) <= 16 or n % 2 == 0
    ]
    body = [
        *_group("chart-label lab-small", [*ticks, *nodes]),
        *_group("lab-bars", bars),
        *_group(
            "chart-planned",
            [f'<line x1="{left}" y1="{_num(y(median))}" x2="{width - 8}" y2="{_num(y(median))}"/>'],
        ),
    ]
    names = sorted({t.nodes[i // t.gpus_per_node] for i in slow})
    summary = f"Median compute {median:.0f} ms per step over {len(ranks)} ranks; " + (
        f"stragglers on {', '.join(names)}." if names else "no straggler."
    )
    svg = _svg(
        "lab-bars",
        f"ranks:{t.seed}:{t.spec['key']}",
        width=width,
        height=height,
        title="Compute time per step, by rank",
        summary=summary,
        body=body,
    )
    per = t.gpus_per_node
    rows = [
        [
            str(i),
            t.nodes[i // per],
            str(i % per),
            f"{r.compute_ms:.0f}",
            f"{r.allreduce_ms:.0f}",
            f"{r.data_wait_ms:.0f}",
        ]
        for i, r in enumerate(ranks)
    ]
    return Chart(
        svg,
        "Per-rank step times (ms)",
        ["rank", "node", "GPU", "compute", "AllReduce", "data wait"],
        rows,
        summary + " The dashed line is the median.",
    )


def fleet_strips(t: tel.Telemetry) -> list[Chart]:
    """DCGM across the fleet: utilisation, temperature and SM clock per GPU."""
    top = max(g.sm_clock for row in t.gpus for g in row)
    return [
        _fleet_strip(
            t,
            "util",
            "GPU utilisation",
            "DCGM GPU utilisation per GPU; outlined cells are below 50%.",
            "%",
            0,
            100,
            lambda v: v < 50,
        ),
        _fleet_strip(
            t,
            "temp",
            "GPU temperature",
            "Temperature per GPU; outlined cells are at or above 85 °C.",
            "°C",
            40,
            95,
            lambda v: v >= 85,
        ),
        _fleet_strip(
            t,
            "sm_clock",
            "SM clock",
            "SM clock per GPU; outlined cells run more than 10% below the top clock.",
            "MHz",
            top * 0.5,
            top,
            lambda v: v < top * 0.9,
        ),
    ]


def _fleet_strip(t, field, name, summary, unit, low, high, alert) -> Chart:
    """One DCGM field of every GPU as a heat strip: a row per node, a cell per GPU."""
    return heat_strip(
        key=f"{field.removeprefix('sm_')}:{t.seed}",
        title=f"{name} by node and GPU",
        summary=summary,
        rows=t.nodes,
        cols=[f"G{g}" for g in range(t.gpus_per_node)],
        values=[[getattr(g, field) for g in row] for row in t.gpus],
        low=low,
        high=high,
        alert=alert,
        unit=unit,
    )


def link_strip(t: tel.Telemetry, node: int) -> Chart:
    """NVLink bandwidth per link of each GPU on one node."""
    links = t.nvlink[node]
    n_links = len(links[0]) if links else 0
    top = max((bw for row in links for bw in row), default=1) or 1
    return heat_strip(
        key=f"nvlink:{t.seed}:{node}",
        title=f"NVLink bandwidth per link on {t.nodes[node]}",
        summary="Bandwidth per NVLink link and GPU; outlined cells are inactive links.",
        rows=[f"GPU {g}" for g in range(len(links))],
        cols=[str(i) for i in range(n_links)],
        values=links,
        low=0,
        high=top,
        alert=lambda v: v < top * 0.5,
        unit="GB/s",
        cell=16,
    )


def memory_bars(t: tel.Telemetry) -> Chart:
    """Allocated memory by hour against the GPU's capacity."""
    cap = t.spec["cluster"]["gpu_memory_gb"]
    return heat_strip(
        key=f"mem:{t.seed}",
        title="Allocated GPU memory by hour",
        summary=f"Allocated GiB on the worst rank by hour, of {cap} GiB; outlined: above 90%.",
        rows=["allocated"],
        cols=[f"{h}h" for h in range(len(t.memory_gib))],
        values=[t.memory_gib],
        low=0,
        high=cap,
        alert=lambda v: v > cap * 0.9,
        unit="GiB",
        cell=40,
    )


def for_run(t: tel.Telemetry, command: str, node: int | None) -> list[Chart]:
    """The charts a command's output comes with (most come with none)."""
    if command == "stragglers":
        return [rank_bars(t)]
    if command == "dcgmi-dmon":
        return fleet_strips(t)
    if command == "nvidia-smi-nvlink" and t.spec["cluster"]["nvlinks_per_gpu"]:
        return [link_strip(t, node or 0)]
    if command == "memory":
        return [memory_bars(t)]
    return []
