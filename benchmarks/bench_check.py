"""How long gipreport.check takes on one report, in microseconds.

Run from the repository root::

    python benchmarks/bench_check.py

Prints the time per report for the bundled example (every rule passes), for
reports with errors (findings, messages and the search for a suspect cell), and
for a report with blank cells. Not a test: timing depends on the machine.
"""

from __future__ import annotations

import timeit

import gipreport
from gipreport import Report

# Many short runs, keeping the fastest: on a shared machine the others are slowed
# by whatever else runs, never sped up.
NUMBER = 200
REPEAT = 100


def with_one_wrong_cell(report: Report) -> Report:
    return report.with_cells({"requests.results.total.commercial": 3})


def with_errors(report: Report) -> Report:
    return report.with_cells(
        {
            "requests.results.total.commercial": 3,
            "requests.new_received.natural_person": 2,
            "appeals.review.upheld": 1,
        }
    )


def with_blanks(report: Report) -> Report:
    return report.with_cells(
        {"requests.carried_forward.total": None, "proactive.rules.issued": None}
    )


def microseconds(report: Report) -> float:
    gipreport.check(report)  # warm the per-format caches
    best = min(timeit.repeat(lambda: gipreport.check(report), number=NUMBER, repeat=REPEAT))
    return best / NUMBER * 1e6


def main() -> None:
    example = gipreport.examples.mingan_2023()
    cases = {
        "bundled example (mingan_2023)": example,
        "one wrong cell (a suspect)": with_one_wrong_cell(example),
        "three wrong cells": with_errors(example),
        "report with blank cells": with_blanks(example),
    }
    for name, report in cases.items():
        result = gipreport.check(report)
        print(
            f"{name:32} {microseconds(report):8.1f} µs per report"
            f"  ({len(result.findings)} findings, {len(result.suspects)} suspects)"
        )


if __name__ == "__main__":
    main()
