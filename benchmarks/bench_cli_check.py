"""How fast ``gipreport check DIR`` goes through a directory of reports, in reports per second.

Run from the repository root::

    python benchmarks/bench_cli_check.py [COUNT] [JOBS …]

Writes COUNT report files (default 10,000: the bundled example under a different
organ name each, one in fifty with a wrong cell) into a temporary directory, then
runs ``gipreport check DIR --quiet`` through the command line's entry function
with each ``--jobs`` (default 1 and 2), and prints the reports checked per second
— reading, loading and checking each file, and printing the findings. Not a test:
timing depends on the machine (and ``--jobs`` on its free CPUs).
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

import gipreport
from gipreport._cli.app import main

ORGAN = '"organ": "乌拉特前旗明安镇人民政府"'
WRONG_CELL = '"commercial": 0,'  # the first is 一、本年新收 · 商业企业


def write_reports(directory: Path, count: int) -> None:
    text = gipreport.examples.mingan_2023_json()
    assert ORGAN in text
    assert WRONG_CELL in text
    for number in range(count):
        document = text.replace(ORGAN, f'"organ": "某某县第{number}镇人民政府"')
        if number % 50 == 49:
            document = document.replace(WRONG_CELL, '"commercial": 3,', 1)
        # A hundred files a directory, as a province's reports would be filed.
        folder = directory / f"county{number // 100:03}"
        folder.mkdir(exist_ok=True)
        (folder / f"report{number:05}.json").write_text(document, encoding="utf-8")


def check_seconds(directory: Path, jobs: int) -> tuple[float, int]:
    output = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(output):
        status = main(["check", str(directory), "--quiet", "--jobs", str(jobs)])
    return time.perf_counter() - start, status


def run_benchmark(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 10_000
    all_jobs = [int(jobs) for jobs in argv[1:]] or [1, 2]
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        start = time.perf_counter()
        write_reports(directory, count)
        print(f"wrote {count} reports in {time.perf_counter() - start:.1f} s")
        for jobs in all_jobs:
            seconds, status = check_seconds(directory, jobs)
            print(
                f"gipreport check --jobs {jobs}: {count} reports in {seconds:.1f} s,"
                f" {count / seconds:,.0f} reports/s (exit status {status})"
            )


if __name__ == "__main__":
    run_benchmark(sys.argv[1:])
