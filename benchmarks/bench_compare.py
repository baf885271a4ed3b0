"""gipreport beside a strict pydantic v2 model of the same JSON document (issue #17).

Run from the repository root, with the ``bench`` dependency group installed
(``pip install -e . --group bench``)::

    python benchmarks/bench_compare.py [--rounds N] [--batch N] [--skip-batch] [--only-startup]

Inputs: the bundled example (``gipreport.examples.mingan_2023()``) and two real
published reports, read from their sources and dumped to JSON: the issue's 17 KB
county report (``tests/data/real/kiro-shuyang-xian-2025``, every cell printed) and a
department's web page with 160 blank cells (``kiro-shuyang-fgj-2023``, whose check
makes 160 findings). For each operation it prints the median CPU time per call in
microseconds, taken over interleaved rounds (every case runs once per round, so a
slow moment of a shared machine falls on all of them alike), and the ratio to the
strict pydantic model where one is meaningful: the median over the rounds of the
ratio within each round, the two run one after the other (the machine's speed
drifts, and a ratio of medians taken apart drifts with it). msgspec (decoding into frozen
structs) and ``orjson.loads`` are the floors. ``load_json`` parses with orjson
where it is installed (the ``fast`` extra); the rows "no orjson" are its fast path
with the standard library's parser, as without the extra. "read html" reads the
report as gipreport renders it, beside lxml's parse and the text of every cell;
"parse to cells" is the part of it that does what lxml does there (gipreport's
tree, paragraphs and gridded tables, ``html_source``), without matching them to the
form. The reader remembers the tags it has read across pages (gipreport's own pages
share theirs: a value cell's ``data-path`` is the form's), so "read html" is a page
read after others of the same markup, as in a batch; "read, tags new" reads it with
that memo emptied first, as the first page of a batch or one of markup never met;
then the department's own page is read, these ways. It ends with the import time
and a batch check of N JSON reports with ``--jobs 1`` and
``--jobs 2`` (wall time), and the machine's load average. Not a test.

The pydantic and msgspec models are generated from the JSON document of each
format (its keys, as gipreport dumps them): counts are strict non-negative
integers or null, amounts are decimal strings or null, texts strings, dates
``YYYY-MM-DD`` strings or null, unknown keys forbidden, the models frozen. This
is what a user would write by hand instead of gipreport, with less checking
(no sums, no duplicate keys, no lone surrogates).

The start-up figures are the CPU time of a fresh interpreter (the children's
``getrusage``), median of interleaved rounds: ``import gipreport`` with the names
``load_json`` and ``check`` looked up (which imports their modules), the first
``load_json`` + ``check`` of a small report after it, and ``gipreport check
FILE`` from start to exit, beside ``python -c pass``. They are measured with
bytecode cached, as an installed package is (the benchmark compiles the package
first: see ``_bytecode.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import lxml.html
import msgspec
import orjson
import pydantic
from _bytecode import compile_package

import gipreport
from gipreport._cli.app import main as cli_main
from gipreport._core import jsonio
from gipreport._reading import from_html
from gipreport._reading.from_html import html_source

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "real"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
AMOUNT_PATTERN = r"^[0-9]{1,14}(\.[0-9]{1,4})?$"

Count = Annotated[int, pydantic.Field(strict=True, ge=0)] | None
Amount = Annotated[str, pydantic.Field(pattern=AMOUNT_PATTERN)] | None
Date = Annotated[str, pydantic.Field(pattern=DATE_PATTERN)] | None
STRICT = pydantic.ConfigDict(strict=True, extra="forbid", frozen=True)
PROSE = ("paragraphs", "subsections")


class PSubsection(pydantic.BaseModel):
    model_config = STRICT
    heading: str
    paragraphs: tuple[str, ...]


class PProse(pydantic.BaseModel):
    model_config = STRICT
    paragraphs: tuple[str, ...]
    subsections: tuple[PSubsection, ...]


def _pydantic_table(name: str, shape: dict[str, Any]) -> type[pydantic.BaseModel]:
    fields: dict[str, Any] = {}
    for key, value in shape.items():
        if isinstance(value, dict):
            fields[key] = (_pydantic_table(f"{name}_{key}", value), ...)
        else:
            fields[key] = (Amount if key == "amount" else Count, ...)
    return pydantic.create_model(name, __config__=STRICT, **fields)


def pydantic_model(document: dict[str, Any]) -> type[pydantic.BaseModel]:
    """A strict pydantic model of the JSON document of ``document``'s format."""
    fields: dict[str, Any] = {
        "schema_": (Literal["gipreport/1"], pydantic.Field(alias="schema")),
        "format": (Literal[document["format"]], ...),
        "organ": (str, ...),
        "year": (Annotated[int, pydantic.Field(strict=True, ge=2008, le=2100)], ...),
        "title": (str | None, ...),
        "published_on": (Date, ...),
        "preamble": (tuple[str, ...], ...),
    }
    for key, value in document.items():
        if key in fields or key == "schema":
            continue
        if isinstance(value, dict) and set(value) == set(PROSE):
            fields[key] = (PProse, ...)
        else:
            fields[key] = (_pydantic_table(f"P_{key}", value), ...)
    config = pydantic.ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)
    return pydantic.create_model(f"PReport{document['format']}", __config__=config, **fields)


class MSubsection(msgspec.Struct, frozen=True, forbid_unknown_fields=True):  # type: ignore[call-arg,unused-ignore]
    heading: str
    paragraphs: tuple[str, ...]


class MProse(msgspec.Struct, frozen=True, forbid_unknown_fields=True):  # type: ignore[call-arg,unused-ignore]
    paragraphs: tuple[str, ...]
    subsections: tuple[MSubsection, ...]


MCount = Annotated[int, msgspec.Meta(ge=0)] | None
MAmount = Annotated[str, msgspec.Meta(pattern=AMOUNT_PATTERN)] | None
MDate = Annotated[str, msgspec.Meta(pattern=DATE_PATTERN)] | None


def _msgspec_table(name: str, shape: dict[str, Any]) -> type:
    fields: list[tuple[str, Any]] = []
    for key, value in shape.items():
        if isinstance(value, dict):
            fields.append((key, _msgspec_table(f"{name}_{key}", value)))
        else:
            fields.append((key, MAmount if key == "amount" else MCount))
    return msgspec.defstruct(name, fields, frozen=True, forbid_unknown_fields=True)


def msgspec_type(document: dict[str, Any]) -> type:
    """A frozen msgspec struct of the JSON document of ``document``'s format."""
    fields: list[tuple[str, Any]] = [
        ("schema", Literal["gipreport/1"]),
        ("format", Literal[document["format"]]),
        ("organ", str),
        ("year", Annotated[int, msgspec.Meta(ge=2008, le=2100)]),
        ("title", str | None),
        ("published_on", MDate),
        ("preamble", tuple[str, ...]),
    ]
    known = {name for name, _ in fields}
    for key, value in document.items():
        if key in known:
            continue
        if isinstance(value, dict) and set(value) == set(PROSE):
            fields.append((key, MProse))
        else:
            fields.append((key, _msgspec_table(f"M_{key}", value)))
    return msgspec.defstruct(
        f"MReport{document['format']}", fields, frozen=True, forbid_unknown_fields=True
    )


def cpu_samples(cases: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """CPU microseconds per call of each case, one sample a round, over interleaved rounds."""
    calls: dict[str, int] = {}
    for name, work in cases.items():
        work()  # warm the caches
        start = time.process_time()
        count = 0
        while time.process_time() - start < 0.02:
            work()
            count += 1
        calls[name] = max(1, count)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, work in cases.items():
            number = calls[name]
            start = time.process_time()
            for _ in range(number):
                work()
            samples[name].append((time.process_time() - start) / number * 1e6)
    return samples


def ratio(samples: dict[str, list[float]], name: str, against: str) -> float:
    """The median over rounds of ``name``'s time over ``against``'s in the same round.

    The machine's speed drifts (a shared machine, its clock); within a round the
    two ran a few milliseconds apart, so their ratio is steadier than the ratio of
    the medians.
    """
    return statistics.median(
        mine / theirs for mine, theirs in zip(samples[name], samples[against], strict=True)
    )


def lxml_cells(page: bytes) -> list[str]:
    """The floor for reading a page: lxml's parse and the text of every cell."""
    root = lxml.html.fromstring(page)
    return [cell.text_content() for cell in root.iter("td", "th")]


def read_afresh(page: bytes) -> gipreport.ParseResult:
    """``gipreport.read`` of a page whose tags the reader has not met (its memo emptied)."""
    from_html._TAGS.clear()
    from_html._SHAPES.clear()
    return gipreport.read(page)


def read_source(rounds: int) -> None:
    """Reading a real published page (not gipreport's own) against lxml."""
    page = (REAL / "kiro-shuyang-fgj-2023" / "source.html").read_bytes()
    samples = cpu_samples(
        {
            "read": lambda: gipreport.read(page),
            "afresh": lambda: read_afresh(page),
            "parse": lambda: html_source(page),
            "lxml": lambda: lxml_cells(page),
        },
        rounds,
    )
    read, parse = statistics.median(samples["read"]), statistics.median(samples["parse"])
    lxml = statistics.median(samples["lxml"])
    print(
        f"\nread of a real page ({len(page)} bytes): {read:.0f} µs "
        f"({ratio(samples, 'read', 'lxml'):.1f}× lxml; tags new "
        f"{ratio(samples, 'afresh', 'lxml'):.1f}×), its parse to cells {parse:.0f} µs "
        f"({ratio(samples, 'parse', 'lxml'):.1f}×), lxml parse + cell text {lxml:.0f} µs"
    )


def load_without_orjson(data: bytes) -> gipreport.Report:
    """``load_json`` as it is where orjson is not installed (its fast path's other parser)."""
    report = jsonio._load_fast(data, jsonio._stdlib_parse)
    assert report is not None
    return report


def real_report(name: str, source: str) -> gipreport.Report:
    return gipreport.read((REAL / name / source).read_bytes()).report


# The published reports compared: the issue's own, a county government's (17 KB of
# JSON, every cell printed), and a department's web page with 160 blank cells,
# whose check makes 160 findings (a model with no checks makes none).
REAL_REPORTS: tuple[tuple[str, str, str], ...] = (
    ("kiro-shuyang-xian-2025", "source.txt", "county report, 17 KB"),
    ("kiro-shuyang-fgj-2023", "source.html", "160 blank cells"),
)


def compare(label: str, report: gipreport.Report, rounds: int) -> None:
    text = gipreport.dump_json(report)
    data = text.encode()
    document = json.loads(text)
    model = pydantic_model(document)
    struct = msgspec_type(document)
    decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(struct)
    instance = model.model_validate_json(data)
    html = gipreport.render(report, "html")
    html_bytes = html.encode() if isinstance(html, str) else html
    assert json.loads(instance.model_dump_json(by_alias=True)) == document
    # In the order printed; each comparison next to what is compared with it (a
    # ratio is taken within a round), the floors last.
    cases: dict[str, Callable[[], object]] = {
        "pydantic validate_json": lambda: model.model_validate_json(data),
        "load_json": lambda: gipreport.load_json(data),
        "load_json+check": lambda: gipreport.check(gipreport.load_json(data)),
        "load_json, no orjson": lambda: load_without_orjson(data),
        "  +check, no orjson": lambda: gipreport.check(load_without_orjson(data)),
        "check": lambda: gipreport.check(report),
        "pydantic dump_json": lambda: instance.model_dump_json(by_alias=True),
        "dump_json": lambda: gipreport.dump_json(report),
        "render html": lambda: gipreport.render(report, "html"),
        "render text": lambda: gipreport.render(report, "text"),
        "lxml parse + cell text": lambda: lxml_cells(html_bytes),
        "read html": lambda: gipreport.read(html_bytes),
        "  read, tags new": lambda: read_afresh(html_bytes),
        "  parse to cells": lambda: html_source(html_bytes),
        "msgspec decode": lambda: decoder.decode(data),
        "orjson.loads": lambda: orjson.loads(data),
    }
    samples = cpu_samples(cases, rounds)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    against = {
        "load_json": "pydantic validate_json",
        "load_json+check": "pydantic validate_json",
        "load_json, no orjson": "pydantic validate_json",
        "  +check, no orjson": "pydantic validate_json",
        "dump_json": "pydantic dump_json",
        "read html": "lxml parse + cell text",
        "  read, tags new": "lxml parse + cell text",
        "  parse to cells": "lxml parse + cell text",
    }
    print(f"\n{label}: {len(data)} bytes of JSON, format {report.format}")
    print(f"{'operation':<24} {'median µs':>11} {'× pydantic':>11}  (read, parse: × lxml)")
    for name, value in medians.items():
        shown = f"{ratio(samples, name, against[name]):10.2f}×" if name in against else ""
        print(f"{name:<24} {value:11.1f} {shown:>11}")


def startup_ms(commands: dict[str, list[str]], rounds: int = 9) -> dict[str, float]:
    """Median CPU milliseconds of a fresh interpreter running each command, interleaved."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, arguments in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)  # µs, not os.times' ticks
            subprocess.run([sys.executable, *arguments], check=True, stdout=subprocess.DEVNULL)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times[name].append(
                (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            )
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def startup(rounds: int) -> None:
    """Print the start-up figures: import, first load + check, ``gipreport check FILE``."""
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "report.json"
        path.write_text(gipreport.examples.mingan_2023_json(), encoding="utf-8")
        first = (
            "import gipreport; "
            f"gipreport.check(gipreport.load_json(open({str(path)!r}, 'rb').read()))"
        )
        ms = startup_ms(
            {
                "pass": ["-c", "pass"],
                "import": ["-c", "import gipreport; gipreport.load_json; gipreport.check"],
                "first": ["-c", first],
                "cli": ["-m", "gipreport", "check", str(path)],
                "pydantic": ["-c", "import pydantic; pydantic.BaseModel"],
            },
            rounds,
        )
    bare = ms["pass"]
    print(
        f"\nstart-up (CPU ms, median of {rounds}): python -c pass {bare:.0f}; "
        f"import gipreport {ms['import']:.0f} ({ms['import'] / bare:.1f}×); "
        f"then the first load_json + check {ms['first'] - ms['import']:.0f}; "
        f"`gipreport check FILE` {ms['cli']:.0f}; import pydantic {ms['pydantic']:.0f}"
    )


def batch_seconds(count: int, report: gipreport.Report) -> dict[int, float]:
    """Median wall seconds of ``gipreport check DIR --jobs J`` over ``count`` files."""
    text = gipreport.dump_json(report)
    wall: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        for index in range(count):
            (directory / f"r{index:05}.json").write_text(text, encoding="utf-8")
        for _ in range(3):
            for jobs, times in wall.items():
                start = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()):
                    cli_main(["check", str(directory), "--quiet", "--jobs", str(jobs)])
                times.append(time.perf_counter() - start)
    return {jobs: statistics.median(values) for jobs, values in wall.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=2000, help="files in the batch check")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--startup-rounds", type=int, default=9, help="rounds of start-up runs")
    parser.add_argument("--only-startup", action="store_true", help="only the start-up figures")
    options = parser.parse_args(argv)
    compile_package()  # the start-up and batch figures time new processes
    print(
        f"gipreport {gipreport.__version__}, pydantic {pydantic.VERSION}, "
        f"msgspec {msgspec.__version__}, Python {sys.version.split()[0]}"
    )
    print(f"load average before: {os.getloadavg()}")
    if options.only_startup:
        startup(options.startup_rounds)
        print(f"\nload average after: {os.getloadavg()}")
        return 0
    compare("example (mingan_2023)", gipreport.examples.mingan_2023(), options.rounds)
    for name, source, what in REAL_REPORTS:
        compare(f"real ({name}, {what})", real_report(name, source), options.rounds)
    read_source(options.rounds)
    startup(options.startup_rounds)
    if not options.skip_batch:
        seconds = batch_seconds(options.batch, gipreport.examples.mingan_2023())
        print(
            f"\nbatch check of {options.batch} JSON reports (wall s): "
            f"--jobs 1 {seconds[1]:.2f}, --jobs 2 {seconds[2]:.2f} "
            f"(speed-up {seconds[1] / seconds[2]:.2f}×)"
        )
    print(f"\nload average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
