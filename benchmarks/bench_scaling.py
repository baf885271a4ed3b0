"""Whether loading, checking, rendering and reading stay linear, and how much memory they take.

Run from the repository root::

    python benchmarks/bench_scaling.py [--sizes KB,KB,…] [--counts N,N,…] [--read-counts N,N,…]

Two series, each measurement in a fresh process (so that its peak RSS,
``resource.getrusage(...).ru_maxrss``, is its own):

- **prose size**: the bundled example with its prose grown to each size (default
  16, 64, 256 and 1,024 KB of UTF-8), then ``load_json``, ``check``,
  ``dump_json``, ``render`` (html, text, docx) and ``read`` (html, text, docx) of
  it: CPU time per call (median) and peak RSS;
- **report count**: N distinct reports (default 100, 1,000 and 10,000) loaded
  and checked one after another, and ``gipreport check DIR`` on N files
  (``--jobs 1`` and ``--jobs 2``); rendering and reading N reports (default up
  to 1,000: reading 10,000 HTML pages takes minutes here; ``--read-counts``).

For each operation it prints the log-log slope of time against size or count
(a least-squares fit), and that of the top step alone (between the two largest,
where a fixed cost weighs least): about 1 is linear, 2 quadratic, below 1 a
fixed cost (the tables, starting Python) not yet outweighed. A slope above
:data:`SUPERLINEAR` is flagged. Peak RSS is printed beside each time, and the
RSS of a process that only imported gipreport, to subtract. Not a test: the
times depend on the machine and its load (printed).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import attrs
from _bytecode import compile_package

import gipreport

SUPERLINEAR = 1.25
"""A slope above this is flagged: more than noise on a shared machine."""

SIZE_OPERATIONS = (
    "load_json",
    "check",
    "dump_json",
    "render html",
    "render text",
    "render docx",
    "read html",
    "read text",
    "read docx",
)
COUNT_OPERATIONS = ("load+check", "render html", "read html")


def grown(size: int) -> gipreport.Report:
    """Return the example with about ``size`` bytes of prose (UTF-8), in its sections."""
    report = gipreport.examples.mingan_2023()
    paragraphs = [text for _, text in report.texts() if len(text) > 40]
    unit = sum(len(text.encode()) for text in paragraphs)
    copies = max(1, size // unit)
    subsections = [
        gipreport.Subsection(heading=f"第{index + 1}部分", paragraphs=tuple(paragraphs))
        for index in range(copies)
    ]
    overview = attrs.evolve(report.overview, subsections=tuple(subsections))
    return attrs.evolve(report, overview=overview)


def _cpu_per_call(work: Callable[[], object], least: float = 0.3, calls: int = 3) -> float:
    """Median CPU seconds per call: at least ``calls`` calls and ``least`` seconds."""
    work()  # warm
    times: list[float] = []
    start = time.process_time()
    while len(times) < calls or time.process_time() - start < least:
        before = time.process_time()
        work()
        times.append(time.process_time() - before)
    return statistics.median(times)


def _size_work(operation: str, size: int) -> Callable[[], object]:
    report = grown(size)
    if operation == "load_json":
        data = gipreport.dump_json(report).encode()
        return lambda: gipreport.load_json(data)
    if operation == "check":
        return lambda: gipreport.check(report)
    if operation == "dump_json":
        return lambda: gipreport.dump_json(report)
    kind, fmt = operation.split()
    if kind == "render":
        return lambda: gipreport.render(report, fmt)
    page = gipreport.render(report, fmt)
    source = page.encode() if isinstance(page, str) else page
    return lambda: gipreport.read(source)


def _reports(count: int) -> list[gipreport.Report]:
    base = gipreport.examples.mingan_2023()
    return [attrs.evolve(base, organ=f"某某县第{index}镇人民政府") for index in range(count)]


def _count_work(operation: str, count: int) -> Callable[[], object]:
    reports = _reports(count)
    if operation == "load+check":
        documents = [gipreport.dump_json(report).encode() for report in reports]
        return lambda: [gipreport.check(gipreport.load_json(data)) for data in documents]
    if operation == "render html":
        return lambda: [gipreport.render(report, "html") for report in reports]
    pages = [gipreport.render(report, "html") for report in reports]
    return lambda: [gipreport.read(page) for page in pages]


def child(argv: list[str]) -> None:
    """Measure one operation at one size or count; print its figures as JSON."""
    series, operation, amount = argv[0], argv[1], int(argv[2])
    if series == "idle":
        seconds = 0.0
    elif series == "size":
        seconds = _cpu_per_call(_size_work(operation, amount))
    else:
        seconds = _cpu_per_call(_count_work(operation, amount), least=0.0, calls=1)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "rss_kb": rss}))


def measure(series: str, operation: str, amount: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", series, operation, str(amount)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure_cli(directory: Path, count: int, jobs: int) -> dict[str, float]:
    """``gipreport check`` on the first ``count`` files in ``directory``, in a fresh process."""
    driver = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from gipreport._cli import main\n"
        "files = sorted(str(p) for p in Path(sys.argv[1]).iterdir())[: int(sys.argv[2])]\n"
        "start = time.perf_counter()\n"
        "main(['check', *files, '--quiet', '--jobs', sys.argv[3]])\n"
        "wall = time.perf_counter() - start\n"
        "me = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(json.dumps({'seconds': wall, 'rss_kb': me.ru_maxrss}), file=sys.stderr)\n"
    )
    command = [sys.executable, "-c", driver, str(directory), str(count), str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    figures: dict[str, float] = json.loads(done.stderr.strip().splitlines()[-1])
    return figures


def slope(points: list[tuple[float, float]]) -> float:
    """Return the least-squares slope of log(time) against log(amount)."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(max(y, 1e-9)) for _, y in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return numerator / sum((x - mean_x) ** 2 for x in xs)


def report_series(title: str, unit: str, rows: dict[str, dict[int, dict[str, float]]]) -> bool:
    """Print each operation's times, RSS and slope; return whether all are linear."""
    linear = True
    print(f"\n{title}")
    for operation, by_amount in rows.items():
        points = [(float(amount), figures["seconds"]) for amount, figures in by_amount.items()]
        fitted = slope(points)
        last = slope(points[-2:])  # the top step: a fixed cost weighs least there
        flag = "  SUPERLINEAR" if max(fitted, last) > SUPERLINEAR else ""
        linear = linear and not flag
        cells = ", ".join(
            f"{amount:,}{unit}: {figures['seconds'] * 1000:,.1f} ms"
            f" ({figures['rss_kb'] / 1024:.0f} MB)"
            for amount, figures in by_amount.items()
        )
        print(f"  {operation:<16} slope {fitted:4.2f}, top step {last:4.2f}{flag}   {cells}")
    return linear


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(argv[1:])
        return 0
    compile_package()  # the children are new processes
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_numbers, default=[16, 64, 256, 1024], help="KB")
    parser.add_argument("--counts", type=_numbers, default=[100, 1_000, 10_000])
    parser.add_argument("--read-counts", type=_numbers, default=[100, 300, 1_000])
    options = parser.parse_args(argv)
    print(f"gipreport {gipreport.__version__}, Python {sys.version.split()[0]}")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    idle = measure("idle", "-", 0)
    print(f"peak RSS of a process that imported gipreport: {idle['rss_kb'] / 1024:.0f} MB")
    sizes = [kb * 1024 for kb in options.sizes]
    by_size = {
        operation: {size // 1024: measure("size", operation, size) for size in sizes}
        for operation in SIZE_OPERATIONS
    }
    linear = report_series("time per call against prose size (KB):", " KB", by_size)
    by_count = {
        operation: {
            count: measure("count", operation, count)
            for count in (options.counts if operation == "load+check" else options.read_counts)
        }
        for operation in COUNT_OPERATIONS
    }
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        text = gipreport.examples.mingan_2023_json()
        for index in range(max(options.counts)):
            (directory / f"r{index:05}.json").write_text(text, encoding="utf-8")
        for jobs in (1, 2):
            by_count[f"cli check -j{jobs}"] = {
                count: measure_cli(directory, count, jobs) for count in options.counts
            }
    linear = report_series("time for N reports (wall for the CLI):", "", by_count) and linear
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    print("all linear" if linear else f"some slope above {SUPERLINEAR}: see above")
    return 0 if linear else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
