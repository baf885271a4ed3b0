"""Check a corpus of report files on Dask and write its tidy tables as Parquet.

Usage: python examples/dask_corpus.py [CORPUS_DIR OUT_DIR] [--workers N] [--scheduler ADDRESS]

Without CORPUS_DIR, a demonstration corpus of 100 reports (the bundled one under
other names, every seventh with a typo) is written to ./dask-demo/corpus first.

Without --scheduler, a LocalCluster of N worker processes (default 2) runs on
this machine; with it, the same code runs on an existing cluster (started by
dask-jobqueue on a batch system, or by the Dask Kubernetes operator), whose
workers must see CORPUS_DIR and OUT_DIR at the same paths.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import attrs
import distributed

import gipreport

SUFFIXES = {".json", ".docx", ".html", ".htm", ".txt"}


def report_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.suffix.lower() in SUFFIXES)


def demo_corpus(root: Path, count: int = 100) -> None:
    base = gipreport.examples.mingan_2023()
    root.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        report = attrs.evolve(base, organ=f"第{index}号镇人民政府", year=2021 + index % 3)
        if index % 7 == 0:
            report = report.with_cell("requests.new_received.commercial", 1)
        (root / f"r{index:03d}.json").write_text(gipreport.dump_json(report), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("out", type=Path, nargs="?", default=Path("dask-demo/tables"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="the address of a running Dask scheduler")
    args = parser.parse_args(argv)
    if args.corpus is None:
        args.corpus = Path("dask-demo/corpus")
        demo_corpus(args.corpus)
    paths = report_files(args.corpus)
    if args.scheduler:
        client = distributed.Client(args.scheduler)
        cluster = None
    else:
        cluster = distributed.LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
    try:
        started = time.perf_counter()
        written = gipreport.dask_write_parquet(paths, args.out)
        seconds = time.perf_counter() - started
        tables = gipreport.dask_tables(paths, tables=["findings"])
        errors = tables["findings"].query("status == 'failed' and severity == 'error'")
        with_errors = errors["source"].compute().nunique()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    print(
        f"{len(paths)} reports in {seconds:.1f} s ({len(paths) / seconds:.0f} reports/s):"
        f" {len(written)} files in {args.out}; {with_errors} reports with errors"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
