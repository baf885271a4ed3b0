"""How fast ``gipreport check DIR`` goes through a directory of reports, and what limits it.

Run from the repository root::

    python benchmarks/bench_cli_check.py [COUNT] [JOBS …] [--rounds N]

Writes COUNT report files (default 10,000: the bundled example under a different
organ name each, one in fifty with a wrong cell) into a temporary directory, then
runs ``python -m gipreport check DIR --quiet --jobs J`` in a fresh process for
each ``--jobs`` (default 1 and 2), ``--rounds`` times (default 3), interleaved so
that a change in the machine's load falls on every setting alike. Prints, per
setting, the median wall time, reports per second, the CPU time of the command's
own process and of its workers, and the peak RSS of each; then the speed-up of
each setting over the first. Not a test: timing depends on the machine (and
``--jobs`` on its free CPUs; the load average is printed beside the figures).

The CPU figures say what limits the speed-up: the parent's CPU (starting up,
finding the files, printing) is not shared out, and with ``--jobs N`` the wall
time cannot fall below it nor below the workers' CPU divided by N.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _bytecode import compile_package

import gipreport

ORGAN = '"organ": "乌拉特前旗明安镇人民政府"'
WRONG_CELL = '"commercial": 0,'  # the first is 一、本年新收 · 商业企业

DRIVER = """
import json, resource, sys, time
start = time.perf_counter()
from gipreport._cli import main
status = main(sys.argv[1:])
wall = time.perf_counter() - start
me = resource.getrusage(resource.RUSAGE_SELF)
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "status": status, "wall": wall,
    "parent_cpu": me.ru_utime + me.ru_stime, "parent_rss_kb": me.ru_maxrss,
    "workers_cpu": workers.ru_utime + workers.ru_stime, "worker_rss_kb": workers.ru_maxrss,
}), file=sys.stderr)
"""
"""Runs the command in a fresh process and says its times: CPU and RSS of it and its workers."""


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


def measure(directory: Path, jobs: int) -> dict[str, float]:
    """Run ``gipreport check DIR --quiet --jobs JOBS`` in a fresh process; return its figures."""
    command = [
        sys.executable,
        "-c",
        DRIVER,
        "check",
        str(directory),
        "--quiet",
        "--jobs",
        str(jobs),
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    outside = time.perf_counter() - start
    figures: dict[str, float] = json.loads(done.stderr.strip().splitlines()[-1])
    figures["outside"] = outside  # with the interpreter's start
    return figures


def run_benchmark(argv: list[str]) -> None:
    rounds = 3
    if "--rounds" in argv:
        at = argv.index("--rounds")
        rounds = int(argv[at + 1])
        del argv[at : at + 2]
    count = int(argv[0]) if argv else 10_000
    all_jobs = [int(jobs) for jobs in argv[1:]] or [1, 2]
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        start = time.perf_counter()
        write_reports(directory, count)
        print(f"wrote {count} reports in {time.perf_counter() - start:.1f} s")
        samples: dict[int, list[dict[str, float]]] = {jobs: [] for jobs in all_jobs}
        loads = []
        for _ in range(rounds):
            for jobs in all_jobs:
                samples[jobs].append(measure(directory, jobs))
                loads.append(os.getloadavg()[0])
        print(f"{rounds} interleaved rounds; load average {min(loads):.1f}–{max(loads):.1f}")
        medians = {}
        for jobs in all_jobs:
            runs = samples[jobs]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            medians[jobs] = median
            print(
                f"check --jobs {jobs}: {median['outside']:.2f} s wall"
                f" ({count / median['outside']:,.0f} reports/s,"
                f" exit status {median['status']:.0f});"
                f" CPU: parent {median['parent_cpu']:.2f} s, workers {median['workers_cpu']:.2f} s;"
                f" peak RSS: parent {median['parent_rss_kb'] / 1024:.0f} MB,"
                f" a worker {median['worker_rss_kb'] / 1024:.0f} MB"
            )
        first = all_jobs[0]
        for jobs in all_jobs[1:]:
            ratio = medians[first]["outside"] / medians[jobs]["outside"]
            print(f"--jobs {jobs} is {ratio:.2f}x as fast as --jobs {first}")


if __name__ == "__main__":
    compile_package()  # the workers and the command are new processes
    run_benchmark(sys.argv[1:])
