"""Repeated measurements: min / median / max of wall time, and the peak memory of a call."""

from __future__ import annotations

import gc
import resource
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Stats:
    min: float
    median: float
    max: float
    repeats: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def measure(call: Callable[[], object], *, repeats: int, warmup: int = 1) -> Stats:
    """Seconds per call; warm-up calls fill caches and are not counted."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return Stats(min(samples), statistics.median(samples), max(samples), repeats)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize()


def rss_growth_mb(call: Callable[[], object], *, interval_s: float = 0.002) -> float:
    """How far the resident set rose above its level before the call, sampled while the call runs."""
    gc.collect()
    before = _rss_bytes()
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_bytes())
            time.sleep(interval_s)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        call()
    finally:
        done.set()
        sampler.join()
    peak = max(peak, _rss_bytes())
    return (peak - before) / 2**20
