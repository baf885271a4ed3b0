"""How long rendering one report takes: the layout, HTML (page and fragment) and text.

Run ``python benchmarks/bench_render.py`` (optionally a number of rounds); it
prints the best and median milliseconds per report of each. The aim is about a
millisecond for HTML; no test asserts a time.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import gipreport
from gipreport.layout import layout


def per_call_ms(work: Callable[[], object], *, rounds: int, calls: int = 50) -> list[float]:
    work()  # warm up: imports, the layout's cache of each table's labels
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            work()
        times.append((time.perf_counter() - start) * 1000 / calls)
    return times


def main(argv: list[str]) -> int:
    rounds = int(argv[1]) if len(argv) > 1 else 20
    report = gipreport.examples.mingan_2023()
    cases: dict[str, Callable[[], object]] = {
        "layout": lambda: layout(report),
        "html page": lambda: gipreport.render(report, "html"),
        "html fragment": lambda: gipreport.render(report, "html", fragment=True),
        "text": lambda: gipreport.render(report, "text"),
    }
    print(f"{'case':<14} {'best ms':>8} {'median ms':>10}")
    for name, work in cases.items():
        times = per_call_ms(work, rounds=rounds)
        print(f"{name:<14} {min(times):8.3f} {statistics.median(times):10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
