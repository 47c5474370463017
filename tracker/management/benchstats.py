"""What `bench` and `bench_load` share: the percentiles and the Markdown table."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p95(values: Sequence[float]) -> float | None:
    """Nearest-rank 95th percentile: a value that was actually measured."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def write_table(
    write: Callable[[str], None],
    columns: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[object]],
) -> None:
    """A Markdown table (pasteable into a note): `columns` are (title, width); the first
    column is left-aligned, the others right-aligned."""

    def line(cells: Sequence[object]) -> str:
        return (
            "| "
            + " | ".join(
                f"{cell!s:<{width}}" if i == 0 else f"{cell!s:>{width}}"
                for i, (cell, (_, width)) in enumerate(zip(cells, columns, strict=True))
            )
            + " |"
        )

    header = line([title for title, _ in columns])
    write(header)
    write("|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|")
    for row in rows:
        write(line(row))
