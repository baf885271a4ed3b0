"""Files in bulk: finding report files, reading them, working in parallel, writing safely.

The command line (:mod:`gipreport._cli.app`) is built on these; none of them prints
anything but the progress bar, and none knows what a command does with a report.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePath
from typing import BinaryIO, Final, TextIO, TypeVar

import attrs

from gipreport._core.errors import LoadError, ParseError, Problem
from gipreport._core.jsonio import load_json
from gipreport._core.limits import read_file
from gipreport._reading.api import detect_format, read
from gipreport._reading.source import InputFormat, ParseResult, PartialReadError

__all__ = [
    "HEADER_OPTIONS",
    "READERS",
    "Progress",
    "Source",
    "atomic_file",
    "collect",
    "default_jobs",
    "read_json",
    "read_published",
    "read_report",
    "read_source",
    "run",
    "write_atomic",
]


def read_json(data: bytes) -> ParseResult:
    """Return the report in a gipreport JSON document; raise :class:`LoadError` if invalid.

    A JSON document is data, not a published page: it reads with no notes.
    """
    return ParseResult(report=load_json(data), notes=(), format="json")


def read_published(
    data: bytes, *, organ: str | None = None, year: int | None = None
) -> ParseResult:
    """Return the report in a published docx, PDF, HTML page, text or spreadsheet, with its notes.

    The format is told by the content (:func:`gipreport.detect_format`), not by
    the suffix: a page saved as ``.txt`` is still read as HTML. A gipreport JSON
    document under another suffix is read as JSON, with every problem in it.
    Raises :class:`ParseError` for a file that is no report.
    """
    kind = detect_format(data)
    if kind == "json":
        return read_json(data)
    return read(data, format=kind, organ=organ, year=year)


READERS: Final[Mapping[str, Callable[[bytes], ParseResult]]] = {
    ".docx": read_published,
    ".htm": read_published,
    ".html": read_published,
    ".json": read_json,
    ".pdf": read_published,
    ".txt": read_published,
    ".xlsx": read_published,
}
"""How each kind of input file is read, by suffix (lower case)."""

ADVICE: Final[Mapping[str, str]] = {
    ".doc": "a Word 97–2003 document: open it in Word or WPS and save it as .docx",
    ".wps": "a WPS Writer document: open it in WPS and save it as .docx (文件 › 另存为)",
    ".xls": "an Excel 97–2003 workbook: save it as .xlsx (or its tables in a .docx)",
    ".et": "a WPS spreadsheet: save it as .xlsx (or its tables in a .docx)",
}
"""What to do with a file of a kind gipreport does not read but a user is likely to have."""

STDIN: Final = "-"
"""The argument that means standard input."""

PARALLEL_FROM: Final = 16
"""Fewer files than this are worked on in this process: starting workers costs more."""

PARALLEL_DEFAULT_FROM: Final = 10_000
"""Without ``--jobs``, fewer files than this are worked on in this process.

Each worker starts afresh (``spawn``), imports gipreport, and sends every
result back pickled. Measured with ``benchmarks/bench_cli_check.py`` on a
2-CPU machine under load: ``--jobs 2`` took 2.4 s for 50 files (0.3 s with
``--jobs 1``), 5.8 s for 1,000 (2.9 s), 28.9 s for 5,000 (14.7 s) and 37.6 s
for 10,000 (37.8 s). Below this many files the default is one process, so it
is never slower than ``--jobs 1``; ``--jobs N`` still asks for workers."""

_T = TypeVar("_T")
_R = TypeVar("_R")


@attrs.frozen(kw_only=True)
class Source:
    """A file to work on: where it is, how to name it, where it sits in its argument.

    ``name`` is the path as the user wrote it (the argument, or the argument joined
    with the file's place below it); ``relative`` is the file's path below the
    directory given (its name alone for a file given by itself), where a batch
    writes its output. ``problem`` is set for an argument that yields no file.
    """

    path: Path
    name: str
    relative: PurePath
    problem: str | None = None
    organ: str | None = None
    year: int | None = None
    """The organ and year given for a published report (``--organ``, ``--year``)."""
    data: bytes | None = attrs.field(default=None, repr=False)
    """The content, when it is not in a file (standard input, read once by :func:`collect`)."""
    input_format: InputFormat | None = None
    """The format to read it as (``--input-format``); by default told by suffix and content."""


def _is_hidden(name: str) -> bool:
    # Dot files include the temporary files of write_atomic; "~$" files are the lock
    # files Word leaves beside an open document. Neither is ever a report.
    return name.startswith((".", "~$"))


def _walk(root: Path) -> Iterator[Path]:
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if not _is_hidden(name)]
        for name in files:
            if not _is_hidden(name) and Path(name).suffix.lower() in READERS:
                yield Path(directory, name)


def collect(
    arguments: Sequence[str],
    *,
    input_format: InputFormat | None = None,
    stdin: BinaryIO | None = None,
) -> list[Source]:
    """Return the files named by ``arguments``: files as given, directories walked.

    The order is that of the arguments; a directory's files (any depth, hidden
    files and directories skipped, Word's ``~$`` lock files too, only suffixes in
    :data:`READERS`) are sorted by
    their path below it. A file named twice is listed once. A file given by name
    is listed whatever its suffix or whether it exists, so that reading it says
    what is wrong; a directory with no report file gives a :class:`Source` with a
    ``problem``. ``-`` is standard input (``stdin``, default ``sys.stdin.buffer``),
    read here, once, and named ``-`` (written as ``stdin.*`` into a batch's
    output directory). Every source is read as ``input_format`` when it is given.
    """
    sources: list[Source] = []
    seen: set[Path] = set()

    def add(source: Source) -> None:
        key = Path(os.path.abspath(source.path))
        if key not in seen:
            seen.add(key)
            sources.append(source)

    for argument in arguments:
        if argument == STDIN:
            if any(source.name == STDIN for source in sources):
                continue
            stream = sys.stdin.buffer if stdin is None else stdin
            sources.append(
                Source(
                    path=Path(STDIN),
                    name=STDIN,
                    relative=PurePath("stdin"),
                    data=stream.read(),
                    input_format=input_format,
                )
            )
            continue
        root = Path(argument)
        if not root.is_dir():
            add(
                Source(
                    path=root,
                    name=argument,
                    relative=PurePath(root.name),
                    input_format=input_format,
                )
            )
            continue
        found = sorted(_walk(root), key=lambda path: path.relative_to(root).parts)
        if not found:
            suffixes = ", ".join(sorted(READERS))
            problem = f"no report files ({suffixes}) in this directory"
            add(Source(path=root, name=argument, relative=PurePath(), problem=problem))
        for path in found:
            relative = path.relative_to(root)
            add(
                Source(
                    path=path,
                    name=str(path),
                    relative=PurePath(relative),
                    input_format=input_format,
                )
            )
    return sources


HEADER_OPTIONS: Final = {"organ": "--organ ORGAN", "year": "--year YEAR"}
"""The command-line options that give a published report's organ and year."""


def read_report(path: Path, *, organ: str | None = None, year: int | None = None) -> ParseResult:
    """Return the report in the file at ``path``, with its notes, or raise :class:`LoadError`.

    The reader is chosen by the file's suffix (:data:`READERS`). A file that
    cannot be read, whose suffix no reader knows, or that is no report
    (:class:`ParseError`) is a :class:`LoadError` with one problem about the
    whole document (path ``""``), saying where in the source when the parser
    knows; an invalid JSON document has a problem for each thing wrong in it.
    """
    source = Source(path=path, name=str(path), relative=PurePath(path.name), organ=organ, year=year)
    return read_source(source)


def _read_as(
    data: bytes, *, input_format: InputFormat, organ: str | None = None, year: int | None = None
) -> ParseResult:
    if input_format == "json":
        return read_json(data)
    return read(data, format=input_format, organ=organ, year=year)


def read_source(source: Source) -> ParseResult:
    """Return the report of ``source`` (a file, or standard input's data), as :func:`read_report`.

    Standard input and any source with an ``input_format`` are read by content
    (:func:`read_published`) or as that format, whatever the suffix.
    """
    path = source.path
    reader = READERS.get(path.suffix.lower())
    if source.input_format is not None or source.data is not None:
        reader = read_published  # by content; or as the format given, below
    if reader is None:
        suffix = path.suffix.lower()
        advice = ADVICE.get(suffix)
        if advice is not None:
            msg = f"{advice}; gipreport reads {', '.join(sorted(READERS))}"
        else:
            known = ", ".join(sorted(READERS))
            msg = f"not a file gipreport reads ({path.suffix or 'no suffix'}); it reads {known}"
        raise LoadError([Problem("", msg, type="file_type_unknown")])
    try:
        # Capped as read(Path) is, and refused at once unless a regular file: a
        # FIFO would block the batch, /dev/zero would fill memory (issue #16).
        data = read_file(path) if source.data is None else source.data
    except OSError as exc:
        problem = Problem("", f"cannot read: {exc.strerror or exc}", type="file_unreadable")
        raise LoadError([problem]) from None
    try:
        if source.input_format is not None:
            return _read_as(
                data, input_format=source.input_format, organ=source.organ, year=source.year
            )
        if reader is read_published:
            return read_published(data, organ=source.organ, year=source.year)
        return reader(data)
    except PartialReadError as exc:
        options = " and ".join(HEADER_OPTIONS[name] for name in exc.missing)
        message = f"{exc.causes}: the rest of the report was read; give it with {options}"
        raise LoadError([Problem("", message, type="header_missing")]) from exc
    except ParseError as exc:
        raise LoadError([Problem("", str(exc), type="source_invalid")]) from exc


def cpus() -> int:
    """Return how many CPUs this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover - macOS and Windows


def default_jobs(files: int | None = None) -> int:
    """Return how many processes to use without ``--jobs`` for a batch of ``files``.

    One (this process) for a batch of fewer than :data:`PARALLEL_DEFAULT_FROM`
    files, where starting workers would make it slower than ``--jobs 1``; the
    CPUs this process may use for a bigger one (or when the size is not known).
    """
    if files is not None and files < PARALLEL_DEFAULT_FROM:
        return 1
    return cpus()


def run(
    function: Callable[[_T], _R],
    tasks: Sequence[_T],
    *,
    jobs: int,
    progress: Progress | None = None,
) -> Iterator[_R]:
    """Yield ``function(task)`` for each task, in the order of ``tasks``.

    With ``jobs`` above 1 and at least :data:`PARALLEL_FROM` tasks, the tasks are
    handed in chunks to that many worker processes; the results still come in
    order, so the output never depends on ``jobs``. ``function`` and the tasks
    must be picklable (a module-level function, plain data). Workers are
    started afresh (``spawn``): forking a process that may hold threads is unsafe.
    """
    if jobs <= 1 or len(tasks) < PARALLEL_FROM:
        for task in tasks:
            result = function(task)
            if progress is not None:
                progress.advance()
            yield result
        return
    import multiprocessing  # noqa: PLC0415 - needed only for a parallel batch

    workers = min(jobs, len(tasks))
    # Several chunks a worker, so that a slow chunk does not leave the others idle.
    chunksize = max(1, min(64, len(tasks) // (workers * 8)))
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
    try:
        # Workers are started as the tasks are handed out: Ctrl-C is ignored meanwhile,
        # so that they start deaf to it (a worker it reached while starting up would
        # die and break the pool) and only this process answers it.
        with _deaf_to_ctrl_c():
            results = pool.map(function, tasks, chunksize=chunksize)
        for result in results:
            if progress is not None:
                progress.advance()
            yield result
    except BaseException:
        # Ctrl-C (or the consumer stopping): no more chunks are started.
        _stop(pool)
        raise
    pool.shutdown()


@contextlib.contextmanager
def _deaf_to_ctrl_c() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change how signals are handled
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


WATCH_INTERVAL: Final = 0.5
"""How often, in seconds, a worker looks whether the process that started it is still there."""


def _start_worker(parent: int) -> None:
    """Set up a worker process: deaf to Ctrl-C, and gone soon after its parent is.

    Ctrl-C goes to every process of the terminal's foreground group; only the
    parent answers it (one line, exit 130), and stops the workers. A parent killed
    outright (``kill -9``) cannot stop them, so each worker watches it: when the
    parent is gone, the worker exits within :data:`WATCH_INTERVAL` seconds.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watchdog = threading.Thread(target=_watch, args=(parent,), name="gipreport-watchdog")
    watchdog.daemon = True
    watchdog.start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(EXIT_ORPHANED)


EXIT_ORPHANED: Final = 70
"""The status a worker ends with when its parent has died (EX_SOFTWARE)."""


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel every chunk not yet started; the workers end after the chunk they are on.

    (Ending the workers at once races with the pool's own thread, which then prints
    a traceback of its own; a chunk is at most 64 files.)
    """
    pool.shutdown(wait=False, cancel_futures=True)


class Progress:
    """A progress bar on a terminal: ``[#####.....] 120/200 files``.

    Drawn on ``stream`` only when ``enabled``; redrawn at most ten times a second.
    :meth:`clear` takes it off the screen (before other output, and at the end);
    the next :meth:`advance` draws it again.
    """

    WIDTH: Final = 30
    INTERVAL: Final = 0.1

    def __init__(self, total: int, *, stream: TextIO, enabled: bool, unit: str = "files") -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.enabled = enabled
        self.unit = unit
        self._drawn = 0
        self._last = 0.0

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more tasks done, and redraw if it is time to."""
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if self.done < self.total and now - self._last < self.INTERVAL:
            return
        self._last = now
        filled = self.WIDTH * self.done // max(1, self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = f"[{bar}] {self.done}/{self.total} {self.unit}"
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def clear(self) -> None:
        """Take the bar off the screen, if it is drawn."""
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Open a new file in ``path``'s directory for writing; on success it becomes ``path``.

    The data goes to a hidden temporary file beside ``path``, flushed to disk and
    then renamed over ``path`` (:func:`os.replace`, atomic on one file system): a
    reader sees the old file or the whole new one, never a part. If the block
    raises, the temporary file is removed and ``path`` is untouched.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    # 0o666 less the umask, as for any new file (mkstemp would make it 0o600).
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        descriptor = os.open(temporary, flags, 0o666)
    except OSError as exc:  # name the file asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :func:`atomic_file`)."""
    with atomic_file(path) as stream:
        stream.write(data)
