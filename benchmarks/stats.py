"""The one statistic the benchmarks report: the median of several runs."""

from __future__ import annotations

import statistics
from collections.abc import Iterable


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))
