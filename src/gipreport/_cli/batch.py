"""Files in bulk: finding report files, reading them, working in parallel, writing safely.

The command line (:mod:`gipreport._cli.app`) is built on these; none of them prints
anything but the progress bar, and none knows what a command does with a report.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import os
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, BinaryIO, Final, TextIO, TypeAlias, TypeVar

import attrs

from gipreport._core.errors import LoadError, ParseError, Problem
from gipreport._core.jsonio import load_json
from gipreport._core.limits import read_file
from gipreport._core.values import Value
from gipreport._reading.source import InputFormat, ParseResult, PartialReadError

if TYPE_CHECKING:
    # Imported where used: a check of one file starts no workers and writes no file.
    from concurrent.futures import ProcessPoolExecutor

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
    # The readers are imported for the first published report: not for a batch of JSON.
    from gipreport._reading.api import detect_format, read  # noqa: PLC0415

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

PARALLEL_DEFAULT_FROM: Final = 200
"""Without ``--jobs``, fewer files than this are worked on in this process.

A forked worker starts in a few milliseconds with everything this process
imported (:func:`start_method`); a JSON report takes about a millisecond to
read, load and check, so from a couple of hundred files two processes win.
Measured with ``benchmarks/bench_cli_check.py`` (docs/cli.md)."""

PARALLEL_DEFAULT_FROM_STARTED: Final = 2_000
"""As :data:`PARALLEL_DEFAULT_FROM` where workers cannot be forked (``forkserver``,
``spawn``): each then imports gipreport first (about half a second)."""

_T = TypeVar("_T")
_R = TypeVar("_R")


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Source(Value):
    """A file to work on: where it is, how to name it, where it sits in its argument.

    ``name`` is the path as the user wrote it (the argument, or the argument joined
    with the file's place below it); ``parts`` are the parts of its path below the
    directory given (its name alone for a file given by itself), where a batch
    writes its output. ``problem`` is set for an argument that yields no file.

    A batch may hold a million files, and the parent process of a parallel one
    lists them all before any worker starts: a source is plain strings, and its
    :attr:`path` and :attr:`relative` are made when asked for (in the worker).
    """

    name: str
    parts: tuple[str, ...]
    problem: str | None = None
    organ: str | None = None
    year: int | None = None
    """The organ and year given for a published report (``--organ``, ``--year``)."""
    data: bytes | None = attrs.field(default=None, repr=False)
    """The content, when it is not in a file (standard input, read once by :func:`collect`)."""
    input_format: InputFormat | None = None
    """The format to read it as (``--input-format``); by default told by suffix and content."""

    @property
    def path(self) -> Path:
        """The file's path (``-`` for standard input)."""
        return Path(self.name)

    @property
    def relative(self) -> PurePath:
        """The file's path below the directory given (its name alone for a file given by itself)."""
        return PurePath(*self.parts)

    @property
    def suffix(self) -> str:
        """The file's suffix, as :attr:`path`'s ``suffix`` (``""`` for standard input).

        A listed file's last part is its name: its suffix is told without the whole path.
        """
        if self.data is not None or not self.parts:
            return self.path.suffix
        return PurePath(self.parts[-1]).suffix


def _is_hidden(name: str) -> bool:
    # Dot files include the temporary files of write_atomic; "~$" files are the lock
    # files Word leaves beside an open document. Neither is ever a report.
    return name.startswith((".", "~$"))


def _walk(root: str) -> Iterator[tuple[str, ...]]:
    """Yield the parts below ``root`` of each report file in it (strings: a batch may be huge)."""
    suffixes = tuple(READERS)
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if not _is_hidden(name)]
        below = os.path.relpath(directory, root)
        parts = () if below == os.curdir else tuple(below.split(os.sep))
        for name in files:
            # Not hidden, so the suffix follows a name: it is the file's suffix.
            if not _is_hidden(name) and name.lower().endswith(suffixes):
                yield (*parts, name)


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
    seen: set[str] = set()
    several = len(arguments) > 1  # else no file can be named twice: a walk lists each once

    def add(source: Source) -> None:
        key = os.path.abspath(source.name)
        if key not in seen:
            seen.add(key)
            sources.append(source)

    for argument in arguments:
        if argument == STDIN:
            if any(source.name == STDIN for source in sources):
                continue
            stream = sys.stdin.buffer if stdin is None else stdin
            sources.append(
                Source(name=STDIN, parts=("stdin",), data=stream.read(), input_format=input_format)
            )
            continue
        root = Path(argument)
        if not root.is_dir():
            add(Source(name=argument, parts=(root.name,), input_format=input_format))
            continue
        found = sorted(_walk(argument))
        if not found:
            suffixes = ", ".join(sorted(READERS))
            problem = f"no report files ({suffixes}) in this directory"
            add(Source(name=argument, parts=(), problem=problem))
        # The names as str(root.joinpath(*parts)) gives them, without a Path for each.
        prefix = str(root)
        prefix = "" if prefix == os.curdir else prefix.rstrip(os.sep) or prefix
        prefix += "" if not prefix or prefix.endswith(os.sep) else os.sep
        for parts in found:
            source = Source(
                name=prefix + os.sep.join(parts), parts=parts, input_format=input_format
            )
            if several:
                add(source)
            else:
                sources.append(source)
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
    source = Source(name=str(path), parts=(path.name,), organ=organ, year=year)
    return read_source(source)


def _read_as(
    data: bytes, *, input_format: InputFormat, organ: str | None = None, year: int | None = None
) -> ParseResult:
    if input_format == "json":
        return read_json(data)
    from gipreport._reading.api import read  # noqa: PLC0415 - as in read_published

    return read(data, format=input_format, organ=organ, year=year)


def read_source(source: Source) -> ParseResult:
    """Return the report of ``source`` (a file, or standard input's data), as :func:`read_report`.

    Standard input and any source with an ``input_format`` are read by content
    (:func:`read_published`) or as that format, whatever the suffix.
    """
    suffix = source.suffix
    reader = READERS.get(suffix.lower())
    if source.input_format is not None or source.data is not None:
        reader = read_published  # by content; or as the format given, below
    if reader is None:
        advice = ADVICE.get(suffix.lower())
        if advice is not None:
            msg = f"{advice}; gipreport reads {', '.join(sorted(READERS))}"
        else:
            known = ", ".join(sorted(READERS))
            msg = f"not a file gipreport reads ({suffix or 'no suffix'}); it reads {known}"
        raise LoadError([Problem("", msg, type="file_type_unknown")])
    try:
        # Capped as read(Path) is, and refused at once unless a regular file: a
        # FIFO would block the batch, /dev/zero would fill memory (issue #16).
        data = read_file(source.name) if source.data is None else source.data
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
    files (:data:`PARALLEL_DEFAULT_FROM_STARTED` where workers are not forked),
    where starting workers would cost more than they save; the CPUs this process
    may use for a bigger one (or when the size is not known).
    """
    if files is not None and files < min(PARALLEL_DEFAULT_FROM, PARALLEL_DEFAULT_FROM_STARTED):
        return 1  # below both: how workers would start (multiprocessing) need not be asked
    least = PARALLEL_DEFAULT_FROM if start_method() == "fork" else PARALLEL_DEFAULT_FROM_STARTED
    if files is not None and files < least:
        return 1
    return cpus()


def run(
    function: Callable[[_T], _R],
    tasks: Sequence[_T],
    *,
    jobs: int,
    progress: Progress | None = None,
    cheap: bool = False,
) -> Iterator[_R]:
    """Yield ``function(task)`` for each task, in the order of ``tasks``.

    With ``jobs`` above 1 and at least :data:`PARALLEL_FROM` tasks, the tasks are
    handed in chunks (:func:`chunk_bounds`; ``cheap`` where each task is known to take
    a fraction of a millisecond, as checking a JSON report does) to that many worker
    processes; the
    results still come in order, so the output never depends on ``jobs``.

    The workers are forked from this process when that is safe (Linux, and this
    process runs no other thread: see :func:`start_method`): they start at once,
    with everything this process imported, and are sent only where each chunk
    starts and ends, on a pipe (:func:`_forked`): the tasks are already in their
    memory; what they inherit is kept out of their collector's way
    (:func:`_fork_workers`). Otherwise they are a process pool's, from a fork server
    that imported gipreport once (``forkserver``), or started afresh (``spawn``);
    then ``function`` and the tasks must be picklable (a module-level function,
    plain data). Either way each chunk's results come back as one list, so a
    worker sends what it did once. A forked worker that ends before its work is
    done is a :class:`WorkerError`; an exception of ``function`` in a worker is
    raised here.
    """
    if jobs <= 1 or len(tasks) < PARALLEL_FROM:
        for task in tasks:
            result = function(task)
            if progress is not None:
                progress.advance()
            yield result
        return
    workers = min(jobs, len(tasks))
    bounds = chunk_bounds(len(tasks), workers, CHUNK_MAX_CHEAP if cheap else CHUNK_MAX)
    method = start_method()
    if method == "fork":
        for done in _forked(function, tasks, bounds, workers):
            for result in done:
                if progress is not None:
                    progress.advance()
                yield result
        return
    import multiprocessing  # noqa: PLC0415 - needed only for a parallel batch
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 - as multiprocessing

    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(list(_PRELOAD))
    chunks: list[_Chunk[_T, _R]] = [(function, list(tasks[start:stop])) for start, stop in bounds]
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker)
    try:
        # Workers are started as the tasks are handed out: Ctrl-C is ignored meanwhile,
        # so that they start deaf to it (a worker it reached while starting up would
        # die and break the pool) and only this process answers it.
        with _deaf_to_ctrl_c():
            results = pool.map(_work_on, chunks)
        for chunk in results:
            for result in chunk:
                if progress is not None:
                    progress.advance()
                yield result
    except BaseException:
        # Ctrl-C (or the consumer stopping): no more chunks are started.
        _stop(pool)
        raise
    pool.shutdown()


CHUNKS_PER_WORKER: Final = 8
"""How many chunks each worker gets, at least: a slow chunk does not leave the others idle."""

CHUNKS_AHEAD: Final = 2
"""How many chunks a forked worker has handed to it at a time (:func:`_forked`)."""

CHUNK_MAX: Final = 64
"""The most tasks in a chunk: a worker of a batch stopped early ends the chunk it is on
(or, once the batch's process is gone, the task it is on)."""

CHUNK_MAX_CHEAP: Final = 256
"""The most tasks in a chunk of cheap tasks (a JSON report's check, about 0.1 ms): a chunk
of them is still a few hundredths of a second, and each chunk handed out and back costs
this process about 0.4 ms, which at 64 a chunk was a tenth of a 10,000-report batch."""

_Chunk: TypeAlias = tuple[Callable[[_T], _R], list[_T]]
"""A chunk of a batch for a process pool's worker: the function and its tasks (a forked
worker has them already, and is sent only where the chunk starts and ends: :func:`_forked`)."""

_PRELOAD: Final = ("gipreport._cli.check", "gipreport._cli.render", "gipreport._cli.data")
"""What a fork server imports once for all its workers: the commands' work."""


def chunk_size(tasks: int, workers: int, most: int = CHUNK_MAX) -> int:
    """Return how many tasks to hand a worker at a time, for ``tasks`` among ``workers``.

    At least :data:`CHUNKS_PER_WORKER` chunks a worker, so that the work evens out,
    and at most ``most`` tasks a chunk (:data:`CHUNK_MAX`: a chunk of published
    reports to read is a few seconds at most; :data:`CHUNK_MAX_CHEAP` for cheap tasks).

    >>> chunk_size(10_000, 2), chunk_size(100, 2), chunk_size(16, 4)
    (64, 6, 1)
    >>> chunk_size(10_000, 2, CHUNK_MAX_CHEAP), chunk_size(1_000, 2, CHUNK_MAX_CHEAP)
    (256, 62)
    """
    return max(1, min(most, tasks // (workers * CHUNKS_PER_WORKER)))


TAIL_SPLIT: Final = 4
"""How many chunks each of the last chunks is cut into (:func:`chunk_bounds`)."""


def chunk_bounds(tasks: int, workers: int, most: int = CHUNK_MAX) -> list[tuple[int, int]]:
    """Return where each chunk of ``tasks`` among ``workers`` starts and ends.

    Chunks of :func:`chunk_size`, but for the last ``workers`` of them, each of which
    is cut in :data:`TAIL_SPLIT`: the workers finish near the same time (a worker
    that takes the last chunk while the others are done leaves them idle for a
    chunk's time, at worst; for a quarter of one now).

    >>> chunk_bounds(40, 2, 2)[-6:]
    [(32, 34), (34, 36), (36, 37), (37, 38), (38, 39), (39, 40)]
    >>> [stop - start for start, stop in chunk_bounds(10_000, 2, CHUNK_MAX_CHEAP)][-11:]
    [256, 256, 64, 64, 64, 64, 64, 64, 64, 64, 16]
    """
    size = chunk_size(tasks, workers, most)
    tail = max(0, tasks - workers * size) // size * size  # where the small chunks start
    bounds = [(start, start + size) for start in range(0, tail, size)]
    small = max(1, size // TAIL_SPLIT)
    bounds += [(start, min(start + small, tasks)) for start in range(tail, tasks, small)]
    return bounds


def start_method() -> str:
    """Return how a batch starts its workers: ``fork``, ``forkserver`` or ``spawn``.

    ``fork`` on Linux when this process runs no thread but the main one: the
    workers start at once with what this process imported (forking a process
    that holds other threads may deadlock, and Python 3.12 warns of it; on macOS
    system libraries are not safe to fork). Otherwise ``forkserver`` where there
    is one (a server process imports gipreport once and forks each worker from
    itself), else ``spawn``.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"  # Linux always can: told without importing multiprocessing
    import multiprocessing  # noqa: PLC0415 - needed only for a process pool

    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


def _flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or odd stream: nothing to repeat
            stream.flush()


def _work_on(chunk: _Chunk[Any, Any]) -> list[Any]:
    """Do one chunk in a worker of a process pool: the function on each of its tasks."""
    function, tasks = chunk
    return [function(task) for task in tasks]


class WorkerError(RuntimeError):
    """A worker process of a batch ended before it had done the work handed to it."""


_CHUNK_HEAD: Final = struct.Struct("<QQ")
"""A chunk handed to a forked worker: where it starts and ends in the tasks."""

_RESULT_HEAD: Final = struct.Struct("<Q")
"""The length of the pickled results of a chunk a forked worker sends back."""

_PARENT_ENDS: Final[set[int]] = set()
"""The pipe ends this process holds of the forked workers of every batch in progress. A
new worker closes them all: one that held another's pipe open (of its own batch or of
another batch going on at once) would keep that worker from ever seeing its end."""

_UNREAPED: Final[set[int]] = set()
"""The workers of batches that ended early, still at work then: reaped by a later batch."""

_ORPHANED: Final = threading.Event()
"""Set in a forked worker whose parent has died: it ends after the task it is on."""

ORPHAN_GRACE: Final = 10.0
"""How long, in seconds, a forked worker whose parent has died may take to end its task."""


@attrs.define(eq=False)
class _Worker:
    """A forked worker, as the batch's process sees it: its pid, its pipes, its chunks."""

    pid: int
    """Its process id; 0 once it is reaped."""
    chunks_to: int
    """The write end of the pipe that hands it chunks."""
    results_from: int
    """The read end of the pipe its results come back on."""
    owed: collections.deque[int] = attrs.field(factory=collections.deque)
    """The chunks handed to it and not yet back, in the order handed."""
    received: bytearray = attrs.field(factory=bytearray)
    """What it has sent that is not yet a whole chunk's results."""


def _forked(
    function: Callable[[_T], _R],
    tasks: Sequence[_T],
    bounds: Sequence[tuple[int, int]],
    count: int,
) -> Iterator[list[_R]]:
    """Yield the results of each chunk of ``bounds``, in order, from ``count`` forked workers.

    Each worker is forked from this process with the function and the tasks in its
    memory, and is handed where a chunk starts and ends on a pipe; it sends the
    chunk's results back, pickled, on another. Each has :data:`CHUNKS_AHEAD` chunks
    handed to it at a time, and is handed the next when one comes back, so that it
    never waits for this process. No thread, no queue: a process pool's own (two
    threads, a queue per direction) cost this process a tenth of a second of CPU in a
    batch of 10,000 JSON reports, and its imports a fiftieth (issue #17).

    When the batch ends the pipes are closed: a worker reads their end and exits. If
    it ends early (Ctrl-C, an error, the consumer stopping), no more chunks are
    handed out and this process does not wait: a worker ends when it sends the chunk
    it is on (the pipe is closed), or, if this process has died, after the task it is
    on (:func:`_watch`), so that a file it writes is whole or not at all. A worker
    that ends before its work is done is a :class:`WorkerError`, at once; an
    exception the function raised in a worker is raised here, with the worker's
    traceback as a note, when the results before it have been yielded.
    """
    import pickle  # noqa: PLC0415 - needed only for a parallel batch
    import selectors  # noqa: PLC0415 - as pickle

    _flush_std_streams()  # else a worker would write this process's buffered output again
    _reap()  # the workers of a batch that ended early, if they have ended since
    workers: list[_Worker] = []
    finished = False
    try:
        _fork_workers(function, tasks, count, workers)
        with selectors.DefaultSelector() as selector:
            by_pipe = {worker.results_from: worker for worker in workers}
            for worker in workers:
                selector.register(worker.results_from, selectors.EVENT_READ)
            handed = _hand_out_first(workers, bounds)
            back: dict[int, tuple[bool, Any]] = {}
            for wanted in range(len(bounds)):
                while wanted not in back:
                    for key, _events in selector.select():
                        worker = by_pipe[key.fd]
                        data = os.read(worker.results_from, 1 << 20)
                        if not data:  # it has ended
                            if worker.owed:
                                raise _ended(worker)
                            selector.unregister(worker.results_from)  # its work was done
                            continue
                        for chunk, answer in _answers(worker, data, pickle.loads):
                            back[chunk] = answer
                            if handed < len(bounds):
                                _hand(worker, handed, bounds[handed])
                                handed += 1
                ok, results = back.pop(wanted)
                if not ok:  # the function raised, in this chunk
                    raise results
                yield results
        finished = True
    finally:
        _end_workers(workers, wait=finished)


def _fork_workers(
    function: Callable[[_T], _R], tasks: Sequence[_T], count: int, workers: list[_Worker]
) -> None:
    """Fork ``count`` workers into ``workers``, deaf to Ctrl-C, out of their collector's way.

    What this process holds is frozen (:func:`gc.freeze`) while they are forked: a
    worker's collector need not walk what it inherits, and walking it would copy each
    page it wrote a mark in (copy on write), about a thousand pages in a full
    collection. Unfrozen here at once: only the workers need it. Not where the
    program froze objects itself: unfreezing would take back its own.
    """
    parent = os.getpid()
    frozen = gc.get_freeze_count() == 0
    with _deaf_to_ctrl_c():  # only this process answers Ctrl-C
        if frozen:
            gc.freeze()
        try:
            for _ in range(count):
                workers.append(_fork_worker(function, tasks, parent))
        finally:
            if frozen:
                gc.unfreeze()


def _fork_worker(function: Callable[[_T], _R], tasks: Sequence[_T], parent: int) -> _Worker:
    """Fork a worker of ``function`` and ``tasks``; return it as this process sees it."""
    pipes: list[int] = []
    try:
        pipes += os.pipe()
        pipes += os.pipe()
        pid = os.fork()
    except OSError:  # too many files or processes: nothing half made is left open
        for fd in pipes:
            os.close(fd)
        raise
    chunks_from, chunks_to, results_from, results_to = pipes
    if pid == 0:  # pragma: no cover - the worker (coverage does not follow a fork)
        status = 0
        try:
            for fd in (chunks_to, results_from, *_PARENT_ENDS):  # not its own, nor others'
                os.close(fd)
            _PARENT_ENDS.clear()
            _UNREAPED.clear()  # not its children
            _start_worker(parent, grace=ORPHAN_GRACE)
            _serve(function, tasks, chunks_from, results_to)
        except BaseException:  # noqa: BLE001 - whatever it is, the worker ends here
            status = 1
        finally:
            _flush_std_streams()  # what the function printed
            os._exit(status)  # not this process's exit handlers
    os.close(chunks_from)
    os.close(results_to)
    _PARENT_ENDS.update((chunks_to, results_from))
    return _Worker(pid=pid, chunks_to=chunks_to, results_from=results_from)


def _serve(
    function: Callable[[_T], _R], tasks: Sequence[_T], chunks_from: int, results_to: int
) -> None:  # pragma: no cover - in the worker
    """Do each chunk handed to this worker, until the pipe it comes on is closed.

    Whatever the function raises (any exception, ``SystemExit`` too) is sent back, to
    be raised in the batch's process.
    """
    import pickle  # noqa: PLC0415 - as in _forked
    import traceback  # noqa: PLC0415 - for an error

    while True:
        head = _read_exactly(chunks_from, _CHUNK_HEAD.size)
        if head is None:
            return
        start, stop = _CHUNK_HEAD.unpack(head)
        try:
            results = []
            for task in tasks[start:stop]:
                if _ORPHANED.is_set():  # the batch's process has died: no more tasks
                    os._exit(EXIT_ORPHANED)
                results.append(function(task))
            data = pickle.dumps((True, results), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - raised again in the batch's process
            exc.add_note(f"in a worker process of the batch:\n{traceback.format_exc()}")
            try:
                data = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - an exception that does not pickle
                message = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
                data = pickle.dumps((False, RuntimeError(message)))
        view = memoryview(_RESULT_HEAD.pack(len(data)) + data)
        while view:
            view = view[os.write(results_to, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:  # pragma: no cover - in the worker
    """Return the next ``size`` bytes of ``fd``, or ``None`` at its end."""
    data = b""
    while len(data) < size:
        more = os.read(fd, size - len(data))
        if not more:
            return None
        data += more
    return data


def _hand_out_first(workers: Sequence[_Worker], bounds: Sequence[tuple[int, int]]) -> int:
    """Hand each worker its first :data:`CHUNKS_AHEAD` chunks, in turn; return how many."""
    handed = 0
    for _ in range(CHUNKS_AHEAD):
        for worker in workers:
            if handed < len(bounds):
                _hand(worker, handed, bounds[handed])
                handed += 1
    return handed


def _hand(worker: _Worker, chunk: int, bounds: tuple[int, int]) -> None:
    """Hand ``worker`` a chunk: where it starts and ends in the tasks."""
    worker.owed.append(chunk)
    try:
        os.write(worker.chunks_to, _CHUNK_HEAD.pack(*bounds))
    except OSError:  # it has ended: its pipe is closed
        raise _ended(worker) from None


def _answers(
    worker: _Worker, data: bytes, loads: Callable[[memoryview], Any]
) -> Iterator[tuple[int, tuple[bool, Any]]]:
    """Take ``data``, sent by ``worker``; yield each chunk whose answer is whole, with it.

    An answer is ``(True, results)``, or ``(False, exception)`` for an exception the
    function raised.
    """
    received = worker.received
    received += data
    head = _RESULT_HEAD.size
    while len(received) >= head:
        (size,) = _RESULT_HEAD.unpack_from(received)
        if len(received) < head + size:
            return
        try:
            with memoryview(received) as view:
                answer = loads(view[head : head + size])
        except Exception as exc:  # a result (or exception) that pickles and does not unpickle
            who = f"a worker process of the batch (pid {worker.pid})"
            raise WorkerError(f"the results {who} sent cannot be read: {exc!r}") from exc
        del received[: head + size]
        yield worker.owed.popleft(), answer


def _ended(worker: _Worker) -> WorkerError:
    """Return the error of a worker that ended with work owed; reap it."""
    pid, worker.pid = worker.pid, 0
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # a handler of SIGCHLD of the program's reaped it
        how = "ended"
    else:
        if os.WIFSIGNALED(status):
            how = f"was killed by signal {os.WTERMSIG(status)}"
        else:
            how = f"exited with status {os.waitstatus_to_exitcode(status)}"
    owed = len(worker.owed)
    work = "the chunk of work" if owed == 1 else f"the {owed} chunks of work"
    return WorkerError(
        f"a worker process of the batch (pid {pid}) {how} before it had done {work} handed to it"
    )


def _end_workers(workers: Sequence[_Worker], *, wait: bool) -> None:
    """Close the workers' pipes (each ends when it reads the end of its own); reap them.

    With ``wait`` (the batch is done: they end at once), wait for them; else (it ended
    early) do not wait for them to end the chunk they are on: a later batch reaps them.
    """
    for worker in workers:
        os.close(worker.chunks_to)
        os.close(worker.results_from)  # a worker still sending is told (EPIPE), and ends
        _PARENT_ENDS.difference_update((worker.chunks_to, worker.results_from))
    for worker in workers:
        if not worker.pid:
            continue
        if wait:
            with contextlib.suppress(ChildProcessError):  # reaped by a handler of SIGCHLD
                os.waitpid(worker.pid, 0)
        else:
            _UNREAPED.add(worker.pid)
    _reap()


def _reap() -> None:
    """Reap the workers of earlier batches that have ended since (never waiting)."""
    for pid in list(_UNREAPED):
        try:
            reaped, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped already (by a handler of SIGCHLD, say)
            reaped = pid
        if reaped:
            _UNREAPED.discard(pid)


@contextlib.contextmanager
def _deaf_to_ctrl_c() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change how signals are handled
        return
    import signal  # noqa: PLC0415 - only a parallel batch changes how signals are handled

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


WATCH_INTERVAL: Final = 0.5
"""How often, in seconds, a worker looks whether the process that started it is still there."""


def _start_worker(parent: int | None = None, *, grace: float = 0.0) -> None:
    """Set up a worker process: deaf to Ctrl-C, and gone soon after its parent is.

    Ctrl-C goes to every process of the terminal's foreground group; only the
    parent answers it (one line, exit 130), and stops the workers. A parent killed
    outright (``kill -9``) cannot stop them, so each worker watches it (``parent``,
    by default the process that started this one): when the parent is gone, the
    worker is told within :data:`WATCH_INTERVAL` seconds (:data:`_ORPHANED`), and
    exits ``grace`` seconds later at the latest. (The parent of a worker of a fork
    server is the server, which ends with the batch.)
    """
    import signal  # noqa: PLC0415 - as in _deaf_to_ctrl_c

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watched = os.getppid() if parent is None else parent
    watchdog = threading.Thread(target=_watch, args=(watched, grace), name="gipreport-watchdog")
    watchdog.daemon = True
    watchdog.start()


def _watch(parent: int, grace: float) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    _ORPHANED.set()  # a forked worker ends after the task it is on
    time.sleep(grace)  # a task that does not end
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
    import secrets  # noqa: PLC0415 - only a command that writes files needs it

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
