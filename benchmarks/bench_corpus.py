"""Exporting a corpus to Parquet: its peak memory (constant in the corpus's size) and its time
beside ``gipreport check``; and the same corpus on Dask (a LocalCluster of processes).

Run from the repository root::

    python benchmarks/bench_corpus.py [COUNT …] [--jobs N] [--dask]

For each COUNT (default 2,000, 5,000 and 10,000) writes COUNT report files
(the bundled example under a different organ name each, one in fifty with a
wrong cell; ``bench_cli_check.write_reports``), then runs, each as its own
process, ``gipreport check DIR --quiet`` and ``gipreport export DIR --to parquet
-o OUT`` with ``--jobs N`` (default 1), and prints each one's wall time and peak
resident memory (the process's own, from ``wait4``), and the ratio of the two
times. With ``--dask`` it also times :func:`gipreport.dask_write_parquet` on a
LocalCluster of two worker processes. Not a test: timing depends on the machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _bytecode import compile_package

sys.path.insert(0, str(Path(__file__).parent))
from bench_cli_check import write_reports


def run(argv: list[str]) -> tuple[float, float]:
    """Return the wall seconds and the peak RSS (MiB) of ``python -m gipreport ARGV``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "gipreport", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode in (0, 1), (argv, process.returncode)
    return seconds, usage.ru_maxrss / 1024


def dask_seconds(directory: Path, out: Path) -> float:
    import distributed  # noqa: PLC0415

    import gipreport  # noqa: PLC0415

    paths = sorted(directory.rglob("*.json"))
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster):
        start = time.perf_counter()
        gipreport.dask_write_parquet(paths, out)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("counts", type=int, nargs="*", default=[2_000, 5_000, 10_000])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--dask", action="store_true")
    args = parser.parse_args()
    compile_package()  # the command and its workers are new processes
    print(f"jobs {args.jobs}; peak memory is the process's own resident set")
    for count in args.counts:
        with tempfile.TemporaryDirectory() as temporary:
            directory = Path(temporary) / "corpus"
            directory.mkdir()
            write_reports(directory, count)
            jobs = ["--jobs", str(args.jobs)]
            check, check_mib = run(["check", str(directory), "--quiet", *jobs])
            out = Path(temporary) / "tables"
            export, export_mib = run(
                ["export", str(directory), "--to", "parquet", "-o", str(out), "--quiet", *jobs]
            )
            line = (
                f"{count:>6} reports: check {check:6.1f} s ({count / check:5.0f}/s,"
                f" {check_mib:4.0f} MiB); export --to parquet {export:6.1f} s"
                f" ({count / export:5.0f}/s, {export_mib:4.0f} MiB); export/check"
                f" {export / check:.2f}"
            )
            if args.dask:
                seconds = dask_seconds(directory, Path(temporary) / "dask")
                line += f"; dask 2 processes {seconds:6.1f} s ({count / seconds:5.0f}/s)"
            print(line, flush=True)


if __name__ == "__main__":
    main()
