"""The fuzz campaign: hostile and broken input for every entry point, counted.

One command per target::

    python fuzz/fuzz.py load_json [-n 100000] [--seed 0]
    python fuzz/fuzz.py read_text | read_html | read_docx
    python fuzz/fuzz.py render_text | render_html | render_docx | render_json
    python fuzz/fuzz.py render          # the four renderers on the same reports
    python fuzz/fuzz.py cli
    python fuzz/fuzz.py roundtrip [--any-text]
    python fuzz/fuzz.py all -n 1000

Readers and ``load_json`` get inputs made from rendered reports by mutation (bytes
flipped, slices cut, repeated and spliced, tokens that parsers dwell on put in:
long digit runs, deep nesting, entities, odd charsets, controls, bidi marks) and
grammar-free garbage. Renderers and round trips get reports from the project's
Hypothesis strategies (``--any-text``: every text field drawn from
``st.text()``). ``cli`` writes mutated files under each suffix and runs
``gipreport check`` on them in this process.

Printed: inputs tried, outcomes by class (the library's own errors by name),
non-library exceptions (must be 0: each is printed with its input's number), slow
inputs (over ``--slow`` seconds of CPU time, default 5), and the peak resident memory. The
exit status is 1 if any input raised a non-library exception, took too long, or
(``roundtrip``) did not read back as itself. ``--progress K`` prints a line to
stderr every K inputs; SIGTERM stops a run and prints what it found so far,
marked incomplete.

Making an input again: a reader's (and ``cli``'s) input ``i`` is made again by
``--seed`` and ``i`` alone. A report is drawn by Hypothesis, in batches of 1,000
seeded by ``--seed`` plus the batch's start; the same report comes back only from a
run of the same length, with the same ``--seed``, on the same source code (the
strategies' search depends on both). So ``--save DIR`` writes every input that
escaped, was slow or was lost to ``DIR`` as it happens: a reader's input as the
bytes it was (``input-<i>.<suffix>``), a report as its JSON (``report-<i>.json``,
to ``gipreport.load_json``).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import importlib
import io
import json
import pkgutil
import random
import resource
import signal
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import gipreport
import gipreport.strategies as gs
from gipreport import GipReportError, InputFormat
from gipreport._cli.app import main as cli_main

TOKENS: tuple[bytes, ...] = (
    b"9" * 5000,
    b"0" * 300 + b"1",
    b"9007199254740992",
    b"-1",
    b"1e400",
    b"NaN",
    b"[" * 3000,
    b"{" * 3000,
    b'"\\ud800"',
    b"&#99999999999;",
    b"&#x0;",
    b'<meta charset="punycode">',
    b'<meta charset="utf-7">',
    b'<meta charset="gbk">',
    b"<table>" * 200,
    b"<td colspan=999999 rowspan=999999>",
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
    "\u202e\u2066\u200f".encode(),
    b"\x00\x01\x7f\x85",
    b"\r\n\r\r\n",
    b"\t" * 100,
    "（1） 一、二、（一）".encode(),
    "某某县人民政府2023年政府信息公开工作年度报告".encode(),
    ("某" * 20000 + "局").encode(),
    b"\xff\xfe\x00\x00",
    b"\xef\xbb\xbf",
    b"PK\x03\x04",
)
"""Bytes parsers dwell on, put into mutated inputs."""


@functools.cache
def _import_everything() -> None:
    """Import every module of gipreport, once, before Hypothesis draws anything.

    Hypothesis draws some strings and numbers from the constants of the modules
    loaded so far; gipreport imports its modules lazily, so without this a draw
    would depend on what ran before it, and a seed would not make its input again.
    """
    for module in pkgutil.walk_packages(gipreport.__path__, "gipreport."):
        with contextlib.suppress(ImportError):  # a module of an extra not installed
            importlib.import_module(module.name)


def _seeds() -> dict[str, list[bytes]]:
    """Return the rendered reports mutations start from, by input format."""
    _import_everything()
    reports = [gipreport.examples.mingan_2023()]

    @settings(
        max_examples=6, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(gs.reports(blanks=True) | gs.reports(text=st.text(max_size=20)))
    def collect(report: gipreport.Report) -> None:
        reports.append(report)

    collect()
    seeds: dict[str, list[bytes]] = {"json": [], "text": [], "html": [], "docx": []}
    for report in reports:
        seeds["json"].append(gipreport.dump_json(report).encode())
        for fmt in ("text", "html"):
            rendered = gipreport.render(report, fmt)
            assert isinstance(rendered, str)
            seeds[fmt].append(rendered.encode("utf-8", "surrogatepass"))
        with contextlib.suppress(GipReportError):
            docx = gipreport.render(report, "docx")
            assert isinstance(docx, bytes)
            seeds["docx"].append(docx)
    return seeds


def mutate(data: bytes, rnd: random.Random, pool: list[bytes]) -> bytes:
    """Return ``data`` changed in one to eight random ways."""
    buffer = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        kind = rnd.randrange(8)
        at = rnd.randrange(len(buffer) + 1)
        if kind == 0 and buffer:  # flip a byte
            buffer[min(at, len(buffer) - 1)] = rnd.randrange(256)
        elif kind == 1:  # cut a slice
            del buffer[at : at + rnd.randint(1, 4096)]
        elif kind == 2:  # repeat a slice
            piece = bytes(buffer[at : at + rnd.randint(1, 256)])
            buffer[at:at] = piece * rnd.randint(1, 200)
        elif kind == 3:  # put in a token
            buffer[at:at] = rnd.choice(TOKENS)
        elif kind == 4:  # splice in part of another seed
            other = rnd.choice(pool)
            start = rnd.randrange(len(other) + 1)
            buffer[at:at] = other[start : start + rnd.randint(1, 2048)]
        elif kind == 5:  # truncate
            del buffer[at:]
        elif kind == 6:  # a run of random bytes
            buffer[at:at] = rnd.randbytes(rnd.randint(1, 64))
        else:  # swap two slices
            other_at = rnd.randrange(len(buffer) + 1)
            size = rnd.randint(1, 512)
            a, b = bytes(buffer[at : at + size]), bytes(buffer[other_at : other_at + size])
            buffer[at : at + size], buffer[other_at : other_at + size] = b, a
    return bytes(buffer)


def garbage(rnd: random.Random) -> bytes:
    """Return grammar-free input: random bytes, random text, or one token repeated."""
    kind = rnd.randrange(3)
    if kind == 0:
        return rnd.randbytes(rnd.randint(0, 4096))
    if kind == 1:
        text = "".join(chr(rnd.randrange(0x110000)) for _ in range(rnd.randint(0, 512)))
        return text.encode("utf-8", "surrogatepass")
    return rnd.choice(TOKENS) * rnd.randint(1, 50)


def _docx_mutations(seed: bytes, rnd: random.Random) -> bytes:
    """Return a docx whose parts are mutated (a mutated zip is mostly refused whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as source, zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        chosen = rnd.choice(names)
        for name in names:
            data = source.read(name)
            if name == chosen or rnd.random() < 0.1:
                data = mutate(data, rnd, [data])
            # Now and then a part compressed as Word never does (refused unread).
            methods = (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2)
            method = rnd.choices(methods, weights=(60, 38, 2))[0]
            target.writestr(name, data, compress_type=method)
    return out.getvalue()


def inputs(fmt: str, count: int, seed: int) -> Iterator[tuple[int, bytes]]:
    """Yield ``count`` inputs (each with the seed that makes it again) for format ``fmt``."""
    seeds = _seeds()[fmt]
    for index in range(count):
        rnd = random.Random(seed * 1_000_003 + index)
        roll = rnd.random()
        if roll < 0.1:
            yield index, garbage(rnd)
        elif fmt == "docx" and roll < 0.6:
            yield index, _docx_mutations(rnd.choice(seeds), rnd)
        else:
            yield index, mutate(rnd.choice(seeds), rnd, seeds)


class Tally:
    """What a run found: outcomes by class, non-library exceptions, slow inputs."""

    def __init__(self, slow: float, progress: int = 0, save: Path | None = None) -> None:
        self.slow_after = slow
        self.progress = progress
        self.save = save
        """Where each input that escaped, was slow or was lost is written (``--save``)."""
        self.current: tuple[str, bytes | gipreport.Report] | None = None
        """The input being tried, as a target hands it: its file suffix and its bytes or report."""
        self.tried = 0
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.escaped: list[tuple[int, str]] = []
        self.slow: list[tuple[int, float]] = []
        self.failed: list[tuple[int, str]] = []
        self.reports: int | None = None
        """Round trips: the reports rendered and read back (``None``: not a round trip)."""
        self.started = time.monotonic()
        self.slowest = 0.0

    def run(self, index: int, call: Callable[[], object], label: str = "") -> None:
        """Call ``call`` for input ``index``, and count how it ended and how long it took.

        ``label`` (``render``: the format) goes before each outcome's name.

        The time is CPU time: on a shared machine (or at ``nice``) the wall clock
        counts other processes' work, and an input that made the library work long
        is what "slow" means. The inputs are in memory, so nothing here waits.
        """
        if _STOPPING:
            raise Stopped
        prefix = f"{label}: " if label else ""
        start = time.process_time()
        try:
            call()
        except GipReportError as error:
            self.outcomes[prefix + type(error).__name__] += 1
        except (RecursionError, MemoryError, Exception) as error:  # noqa: BLE001 - counted
            self.outcomes[prefix + "NON-LIBRARY " + type(error).__name__] += 1
            self.escaped.append((index, f"{prefix}{type(error).__name__}: {str(error)[:200]}"))
            self.keep(index)
        else:
            self.outcomes[prefix + "ok"] += 1
        self.tried += 1  # not before: an input SIGTERM cut short is not counted
        took = time.process_time() - start
        self.slowest = max(self.slowest, took)
        if took > self.slow_after:
            self.slow.append((index, took))
            self.keep(index)
        if self.progress and self.tried % self.progress == 0:
            self.line()

    def keep(self, index: int) -> None:
        """Write input ``index`` (:attr:`current`) under :attr:`save`, if saving."""
        if self.save is None or self.current is None:
            return
        suffix, data = self.current
        self.save.mkdir(parents=True, exist_ok=True)
        if isinstance(data, gipreport.Report):
            Path(self.save, f"report-{index}.json").write_bytes(gipreport.dump_json(data).encode())
        else:
            Path(self.save, f"input-{index}{suffix}").write_bytes(data)

    def line(self) -> None:
        """Print one line to stderr: the inputs so far, what escaped, what was slow."""
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"  ... {self.tried:,} inputs, {time.monotonic() - self.started:.0f} s,"
            f" non-library {len(self.escaped)},"
            f" slow {len(self.slow)} (slowest {self.slowest:.1f} s),"
            f" lost {len(self.failed)}, peak {peak} MiB",
            file=sys.stderr,
            flush=True,
        )

    def report(self, target: str) -> bool:
        """Print what was found; return whether the target held (nothing escaped or slow)."""
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        elapsed = time.monotonic() - self.started
        print(f"target {target}: {self.tried:,} inputs in {elapsed:.0f} s")
        for outcome, count in sorted(self.outcomes.items()):
            print(f"  {outcome}: {count:,}")
        print(f"  non-library exceptions: {len(self.escaped)}")
        for index, what in self.escaped[:20]:
            print(f"    input {index}: {what}")
        print(
            f"  slow inputs (> {self.slow_after:g} s): {len(self.slow)};"
            f" slowest {self.slowest:.2f} s"
        )
        for index, took in self.slow[:20]:
            print(f"    input {index}: {took:.1f} s")
        if self.reports is not None:
            print(f"  round trips: {self.reports:,} reports; lost something: {len(self.failed)}")
        for index, what in self.failed[:10]:
            print(f"    report {index}: {what}")
        print(f"  peak memory (max RSS): {peak} MiB")
        return not (self.escaped or self.slow or self.failed)


def _reader_target(fmt: str) -> Callable[[bytes], object]:
    readers: dict[str, Callable[[bytes], object]] = {
        "json": gipreport.load_json,
        "text": lambda data: gipreport.read(data, format="text"),
        "html": lambda data: gipreport.read(data, format="html"),
        "docx": gipreport.read_docx,
    }
    return readers[fmt]


def fuzz_reader(fmt: str, count: int, seed: int, tally: Tally) -> None:
    """Feed mutated and garbage inputs of ``fmt`` to its reader (``json``: load_json)."""
    target = _reader_target(fmt)
    kind: InputFormat = "html" if fmt == "html" else "text"
    suffix = {"json": ".json", "text": ".txt", "html": ".html", "docx": ".docx"}[fmt]
    for index, data in inputs(fmt, count, seed):
        tally.current = (suffix, data)
        tally.run(index, functools.partial(target, data))
        if fmt in ("text", "html") and index % 4 == 0:  # the same as a str, surrogates too
            text = data.decode("utf-8", "surrogateescape")
            tally.run(index, functools.partial(gipreport.read, text, format=kind))


def _reports(count: int, seed: int, *, any_text: bool) -> Iterator[gipreport.Report]:
    _import_everything()
    drawn: list[gipreport.Report] = []
    strategy = gs.reports(blanks=True, text=st.text() if any_text else None)
    # Hypothesis draws the reports (its search favours odd ones); they are used
    # after it is done, so that time spent in the target is not its time.
    batch = min(count, 1000)
    done = 0
    while done < count:
        size = min(batch, count - done)

        @settings(
            max_examples=size,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def collect(report: gipreport.Report) -> None:
            drawn.append(report)

        collect._hypothesis_internal_use_seed = seed + done  # type: ignore[attr-defined]
        collect()
        yield from drawn[:size]
        done += len(drawn[:size]) or size
        drawn.clear()


def fuzz_renderer(fmt: str, count: int, seed: int, tally: Tally) -> None:
    """Render generated reports (any text in them) to ``fmt``."""
    for index, report in enumerate(_reports(count, seed, any_text=True)):
        tally.current = (".json", report)
        tally.run(index, functools.partial(gipreport.render, report, fmt))


def fuzz_render_all(count: int, seed: int, tally: Tally) -> None:
    """Render each generated report in every format, drawn once.

    The inputs are those of the four ``render_*`` targets with the same seed;
    drawing them is most of those targets' time.
    """
    for index, report in enumerate(_reports(count, seed, any_text=True)):
        tally.current = (".json", report)
        for fmt in ("json", "text", "html", "docx"):
            tally.run(index, functools.partial(gipreport.render, report, fmt), label=fmt)


def differences(first: object, second: object, path: str = "") -> Iterator[str]:
    """Yield where two reports differ: each path, with both values cut short."""
    if attrs.has(type(first)) and type(first) is type(second):
        for field in attrs.fields(type(first)):  # type: ignore[arg-type]
            yield from differences(
                getattr(first, field.name), getattr(second, field.name), f"{path}.{field.name}"
            )
    elif isinstance(first, tuple) and isinstance(second, tuple) and len(first) == len(second):
        for at, (one, other) in enumerate(zip(first, second, strict=True)):
            yield from differences(one, other, f"{path}[{at}]")
    elif isinstance(first, tuple) and isinstance(second, tuple):
        # Items lost or gained: the count, then the first place they differ.
        yield f"{path.lstrip('.')}: {len(first)} items -> {len(second)}"
        pairs = enumerate(zip(first, second, strict=False))
        at = next((at for at, (one, other) in pairs if one != other), min(len(first), len(second)))
        yield from differences(
            first[at] if at < len(first) else None,
            second[at] if at < len(second) else None,
            f"{path}[{at}]",
        )
    elif first != second:
        yield f"{path.lstrip('.')}: {first!r:.120} -> {second!r:.120}"


def fuzz_roundtrip(count: int, seed: int, tally: Tally, *, any_text: bool) -> None:
    """Render generated reports in every format and read them back; count what is lost."""
    tally.reports = 0
    for index, report in enumerate(_reports(count, seed, any_text=any_text)):
        tally.reports += 1
        tally.current = (".json", report)
        for fmt in ("json", "text", "html", "docx"):

            def one(report: gipreport.Report = report, fmt: str = fmt, index: int = index) -> None:
                try:
                    back = gipreport.read(gipreport.render(report, fmt), format=fmt).report  # type: ignore[arg-type]
                except GipReportError as error:  # a valid report that does not read back
                    what = f"{fmt}: {type(error).__name__}: {str(error)[:200]}"
                    tally.failed.append((index, what))
                    tally.keep(index)
                    print(f"  lost, report {index}: {what}", file=sys.stderr, flush=True)
                    raise
                if back != report:
                    what = f"{fmt}: {'; '.join(differences(report, back))}"
                    tally.failed.append((index, what))
                    tally.keep(index)
                    print(f"  lost, report {index}: {what}", file=sys.stderr, flush=True)

            tally.run(index, one)


def fuzz_cli(count: int, seed: int, tally: Tally) -> None:
    """Run ``gipreport check`` on mutated files of every suffix, in this process."""
    suffixes = {"json": ".json", "text": ".txt", "html": ".html", "docx": ".docx"}
    streams = {fmt: inputs(fmt, count, seed) for fmt in suffixes}
    with tempfile.TemporaryDirectory() as folder:
        for index in range(count):
            fmt = list(suffixes)[index % len(suffixes)]
            _, data = next(streams[fmt])
            path = Path(folder, f"input{suffixes[fmt]}")
            path.write_bytes(data)
            tally.current = (suffixes[fmt], data)

            def one(path: Path = path) -> None:
                out, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    status = cli_main(["check", str(path), "--format", "json"])
                if status not in (0, 1, 2):
                    raise AssertionError(f"exit status {status}")
                json.loads(out.getvalue())  # the report printed is JSON

            tally.run(index, one)


TARGETS: dict[str, Callable[[int, int, Tally, argparse.Namespace], None]] = {
    "load_json": lambda n, s, t, a: fuzz_reader("json", n, s, t),
    "read_text": lambda n, s, t, a: fuzz_reader("text", n, s, t),
    "read_html": lambda n, s, t, a: fuzz_reader("html", n, s, t),
    "read_docx": lambda n, s, t, a: fuzz_reader("docx", n, s, t),
    "render_text": lambda n, s, t, a: fuzz_renderer("text", n, s, t),
    "render_html": lambda n, s, t, a: fuzz_renderer("html", n, s, t),
    "render_docx": lambda n, s, t, a: fuzz_renderer("docx", n, s, t),
    "render_json": lambda n, s, t, a: fuzz_renderer("json", n, s, t),
    "cli": lambda n, s, t, a: fuzz_cli(n, s, t),
    "roundtrip": lambda n, s, t, a: fuzz_roundtrip(n, s, t, any_text=a.any_text),
}

COMBINED: dict[str, Callable[[int, int, Tally, argparse.Namespace], None]] = {
    "render": lambda n, s, t, a: fuzz_render_all(n, s, t),
}
"""Targets that repeat others' inputs, run together (not part of ``all``)."""


def main(argv: list[str] | None = None) -> int:
    """Run the targets named on the command line; return 1 if any did not hold."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=[*TARGETS, *COMBINED, "all"])
    parser.add_argument("-n", "--inputs", type=int, default=100_000, help="default 100,000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=5.0, help="CPU seconds; default 5")
    parser.add_argument("--any-text", action="store_true", help="roundtrip: st.text() texts")
    parser.add_argument(
        "--progress", type=int, default=0, metavar="K", help="a line to stderr every K inputs"
    )
    parser.add_argument(
        "--save",
        type=Path,
        metavar="DIR",
        help="write each input that escaped, was slow or was lost to DIR",
    )
    args = parser.parse_args(argv)
    targets = list(TARGETS) if args.target == "all" else [args.target]
    sound = True
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        for name in targets:
            tally = Tally(args.slow, args.progress, args.save)
            try:
                {**TARGETS, **COMBINED}[name](args.inputs, args.seed, tally, args)
            except Stopped:
                tally.report(name)
                print(f"  STOPPED (SIGTERM) after {tally.tried:,} inputs: the run is incomplete")
                return 1
            sound = tally.report(name) and sound
            sys.stdout.flush()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0 if sound else 1


class Stopped(BaseException):
    """SIGTERM came: the run stops, and prints what it found so far (no library error)."""


_STOPPING: list[bool] = []
"""Non-empty once SIGTERM came (an exception raised where Python ignores it, such
as inside a garbage-collector callback, would be lost: the next input stops)."""


def _stop(signum: int, frame: object) -> None:
    _STOPPING.append(True)
    raise Stopped


if __name__ == "__main__":
    sys.exit(main())
