"""Pure helpers of the benchmark: percentiles and the table it prints."""

from __future__ import annotations

import math
import os


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.0f} ms"


def machine() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min)"


def table(rows: list[tuple[str, str, str]]) -> str:
    """A Markdown table of (part, figure, value) rows, ready to paste into the README."""
    lines = ["| part | figure | value |", "| --- | --- | --- |"]
    lines += [f"| {part} | {figure} | {value} |" for part, figure, value in rows]
    return "\n".join(lines)
