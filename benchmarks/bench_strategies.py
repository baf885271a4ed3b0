"""How long gipreport's Hypothesis strategies take to generate 200 examples.

Run: ``python benchmarks/bench_strategies.py``. Prints, for each strategy, the
best and median wall time of generating 200 examples with a test that does
nothing, and for comparison a strategy of 35 plain integers (Hypothesis's own
cost per example on this machine).
"""

from __future__ import annotations

import statistics
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from gipreport.strategies import invalid_reports, prose, reports

EXAMPLES = 200
REPEATS = 5


def seconds_for(strategy: st.SearchStrategy[object]) -> list[float]:
    times = []
    for _ in range(REPEATS):

        @settings(max_examples=EXAMPLES, database=None, deadline=None)
        @given(strategy)
        def generate(_example: object) -> None:
            pass

        start = time.perf_counter()
        generate()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    cases: list[tuple[str, st.SearchStrategy[object]]] = [
        ("35 integers (Hypothesis's floor)", st.tuples(*[st.integers(0, 10)] * 35)),
        ("prose()", prose()),
        ("reports()", reports()),
        ("reports(blanks=True)", reports(blanks=True)),
        ('invalid_reports(rule="requests.balance")', invalid_reports(rule="requests.balance")),
    ]
    seconds_for(st.integers())  # warm Hypothesis up
    print(f"{'strategy':44} {'best s':>8} {'median s':>9}  ({EXAMPLES} examples)")
    for name, strategy in cases:
        times = seconds_for(strategy)
        print(f"{name:44} {min(times):8.3f} {statistics.median(times):9.3f}")


if __name__ == "__main__":
    main()
