"""Batches in parallel: how workers start, how the work is cut, the same results every way."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import attrs
import pytest

import gipreport
from gipreport._cli import batch as _batch
from gipreport._cli import check as cli_check
from gipreport._cli.app import main as cli_main
from proc_support import PROC, children, needs_proc

START_METHOD = _batch.start_method
"""How a batch starts its workers, as it is (the tests here fork theirs: :func:`_forking`)."""


@pytest.fixture(autouse=True)
def _forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork the workers of the batches here, as the command line does.

    An earlier test in this process may have left a thread running (Dask's offload
    thread does), which would make them a process pool's instead.
    """
    monkeypatch.setattr(_batch, "start_method", lambda: "fork")


def test_workers_are_forked_only_from_a_process_with_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert START_METHOD() == "forkserver"
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # whatever others left
    assert START_METHOD() == "fork"


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_every_start_method_gives_the_results_in_order(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_batch, "start_method", lambda: method)
    tasks = ["x" * (index % 7) + str(index) for index in range(_batch.PARALLEL_FROM * 5)]
    progress = _batch.Progress(len(tasks), stream=None, enabled=False)  # type: ignore[arg-type]
    assert list(_batch.run(len, tasks, jobs=2, progress=progress)) == [len(t) for t in tasks]
    assert progress.done == len(tasks)


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_a_parallel_check_gives_what_one_process_gives(
    method: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = gipreport.examples.mingan_2023_json()
    for index in range(40):
        wrong = text.replace('"commercial": 0,', '"commercial": 3,', 1) if index % 9 == 0 else text
        (tmp_path / f"r{index:02}.json").write_text(wrong, encoding="utf-8")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    tasks = [cli_check._CheckTask(s, None, None) for s in _batch.collect([str(tmp_path)])]
    monkeypatch.setattr(_batch, "start_method", lambda: method)
    parallel = list(_batch.run(cli_check._check_one, tasks, jobs=2))
    assert parallel == [cli_check._check_one(task) for task in tasks]
    assert sum(not checked.ok for checked in parallel) == 6  # 5 wrong cells, 1 bad file


@pytest.mark.parametrize("most", [_batch.CHUNK_MAX, _batch.CHUNK_MAX_CHEAP])
def test_chunks_even_out_the_work_and_stay_small(most: int) -> None:
    assert _batch.chunk_size(10_000, 2, most) == most
    for tasks in (16, 100, 1_000, 10_000, 100_000):
        for workers in (2, 3, 8):
            size = _batch.chunk_size(tasks, workers, most)
            assert 1 <= size <= most
            chunks = -(-tasks // size)
            assert chunks >= min(tasks, workers * _batch.CHUNKS_PER_WORKER)


@pytest.mark.parametrize("most", [_batch.CHUNK_MAX, _batch.CHUNK_MAX_CHEAP])
def test_the_chunks_cover_the_tasks_and_the_last_are_small(most: int) -> None:
    for tasks in (16, 17, 100, 1_000, 10_000, 100_001):
        for workers in (2, 3, 8):
            bounds = _batch.chunk_bounds(tasks, workers, most)
            starts = [start for start, _ in bounds]
            assert starts == [0] + [stop for _, stop in bounds[:-1]]  # in order, no gap
            assert bounds[-1][1] == tasks
            sizes = [stop - start for start, stop in bounds]
            size = _batch.chunk_size(tasks, workers, most)
            assert max(sizes) == size
            small = max(1, size // _batch.TAIL_SPLIT)
            # What the workers do last, a worker's chunk each, is in small chunks.
            tail = 0
            for chunk in reversed(sizes):
                if tail >= workers * size:
                    break
                assert chunk <= small
                tail += chunk


def _frozen_in_worker(task: int) -> int:
    return gc.get_freeze_count()


def _freeze_counts(tasks: list[int]) -> tuple[list[int], list[int], int]:
    """The freeze counts in the workers, in this process while the batch runs, and after."""
    in_workers, during = [], []
    for count in _batch.run(_frozen_in_worker, tasks, jobs=2, cheap=True):
        in_workers.append(count)
        during.append(gc.get_freeze_count())
    return in_workers, during, gc.get_freeze_count()


def test_what_a_forked_worker_inherits_is_kept_from_its_collector() -> None:
    # The workers' collector does not walk (and copy, page by page) what they inherit;
    # this process's own objects are the collector's again as soon as they are forked.
    assert gc.get_freeze_count() == 0
    in_workers, during, after = _freeze_counts(list(range(100)))
    assert min(in_workers) > 1000
    assert (set(during), after) == ({0}, 0)


def test_a_program_that_froze_objects_itself_keeps_them_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()  # less as frozen objects are freed, never more
        in_workers, during, after = _freeze_counts(list(range(100)))
        assert max(in_workers + during) <= frozen  # the batch froze nothing more
        assert after > 0  # nor unfroze the program's
    finally:
        gc.unfreeze()


def _exit_at_7(task: int) -> int:
    if task == 7:
        os._exit(3)
    return task


def _killed_at_7(task: int) -> int:
    if task == 7:
        os.kill(os.getpid(), signal.SIGKILL)
    return task


def test_a_forked_worker_that_dies_is_an_error_that_says_how() -> None:
    with pytest.raises(_batch.WorkerError, match=r"pid \d+\) exited with status 3 before"):
        list(_batch.run(_exit_at_7, list(range(100)), jobs=2))
    with pytest.raises(_batch.WorkerError, match="was killed by signal 9"):
        list(_batch.run(_killed_at_7, list(range(100)), jobs=2))


class _OddError(Exception):
    def __reduce__(self) -> Any:
        raise TypeError("no pickling")  # as an exception holding a file or a lock


def _raises_at_7(task: int) -> int:
    if task == 7:
        raise ValueError(f"task {task} is bad")
    if task == 8:
        raise _OddError("odd")
    return task


def test_an_exception_in_a_forked_worker_is_raised_with_its_traceback() -> None:
    with pytest.raises(ValueError, match="task 7 is bad") as raised:
        list(_batch.run(_raises_at_7, list(range(100)), jobs=2))
    assert "in a worker process of the batch" in raised.value.__notes__[0]
    assert "_raises_at_7" in raised.value.__notes__[0]  # where, in the worker
    # One that does not pickle is told by name, message and traceback.
    with pytest.raises(RuntimeError, match="_OddError: odd"):
        list(_batch.run(_raises_at_7, [t for t in range(100) if t != 7], jobs=2))


def _siblings() -> list[int]:
    # The other workers: forked from the same process, so with the same command line.
    command = (PROC / "self" / "cmdline").read_bytes()
    others = set(children(os.getppid(), running=True)) - {os.getpid()}
    return [pid for pid in others if _command_line(pid) == command]


def _command_line(pid: int) -> bytes | None:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None


def _kills_the_idle_worker(task: int) -> int:
    if task == 1:  # the first of the second worker's chunk: the first worker is done
        time.sleep(0.2)  # its results are back
        for pid in _siblings():
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)  # its end is seen while this chunk is owed
    return task


@needs_proc
def test_a_worker_that_ends_with_its_work_done_is_no_error() -> None:
    # The first worker has one task, the second the rest: the first is killed idle.
    done = list(_batch._forked(_kills_the_idle_worker, range(100), [(0, 1), (1, 100)], 2))
    assert done == [[0], list(range(1, 100))]


def _big(task: int) -> bytes:
    return bytes([task % 251]) * 50_000  # a chunk's results many times a pipe's buffer


def test_results_bigger_than_a_pipe_come_back_whole() -> None:
    tasks = list(range(200))
    assert list(_batch.run(_big, tasks, jobs=3)) == [_big(t) for t in tasks]


def _slow(task: int) -> int:
    time.sleep(0.02)  # a chunk of 64: 1.3 s
    return task


@needs_proc
def test_a_batch_stopped_early_does_not_wait_and_its_workers_end() -> None:
    before = set(children(os.getpid(), running=True))
    stopped = _batch.run(_slow, list(range(2_000)), jobs=2)
    assert isinstance(stopped, Generator)
    assert next(stopped) == 0
    started = time.monotonic()
    stopped.close()  # as Ctrl-C in the consumer would
    assert time.monotonic() - started < 1  # not even the chunk a worker is on
    deadline = time.monotonic() + 30
    while set(children(os.getpid(), running=True)) - before:  # each ends after the chunk it is on
        assert time.monotonic() < deadline, "the workers of a stopped batch did not end"
        time.sleep(0.05)
    assert _batch._UNREAPED  # ended, not yet reaped: the next batch reaps them
    assert list(_batch.run(_square, list(range(100)), jobs=2)) == [t * t for t in range(100)]
    assert not _batch._UNREAPED


def test_check_says_in_one_line_that_a_worker_died(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for index in range(40):
        (tmp_path / f"r{index:02}.json").write_text(gipreport.examples.mingan_2023_json())
    check_one = cli_check._check_one

    def dies_on_r07(task: cli_check._CheckTask) -> cli_check._Checked:
        if task.source.name.endswith("r07.json"):
            os.kill(os.getpid(), signal.SIGKILL)  # as the system does, out of memory
        return check_one(task)

    monkeypatch.setattr(cli_check, "_check_one", dies_on_r07)
    assert cli_main(["check", str(tmp_path), "--quiet", "--jobs", "2"]) == 70
    err = capsys.readouterr().err
    assert err.startswith("gipreport check: error: a worker process of the batch (pid ")
    assert "was killed by signal 9" in err
    assert err.count("\n") == 1


def _in_a_fresh_process(code: str, timeout: float = 20) -> str:
    """Run ``code`` in a fresh interpreter (a hang fails the test, not the suite).

    Its output is buffered, as in a shell (the environment may ask for it unbuffered).
    """
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
        env=env,
    )
    return done.stdout


def test_two_batches_at_once_each_end() -> None:
    # A worker of the second batch holds no pipe of the first's: its workers see their end.
    code = (
        "import itertools\n"
        "from gipreport._cli import batch\n"
        "def square(task):\n"
        "    return task * task\n"
        "one, two = (batch.run(square, range(100), jobs=2) for _ in range(2))\n"
        "pairs = list(itertools.zip_longest(one, two))\n"
        "print(pairs == [(t * t, t * t) for t in range(100)])\n"
        "print(batch._PARENT_ENDS, batch._UNREAPED)\n"
    )
    assert _in_a_fresh_process(code).split() == ["True", "set()", "set()"]


def _raises_at_200(task: int) -> int:
    if task == 0:
        time.sleep(0.3)  # the first chunk is back last
    if task == 200:
        raise ValueError("task 200")
    return task


def test_an_exception_in_a_worker_comes_after_the_results_before_its_chunk() -> None:
    got: list[int] = []
    results = _batch.run(_raises_at_200, range(1_000), jobs=2)
    with pytest.raises(ValueError, match="task 200"):
        got.extend(results)
    start = next(start for start, stop in _batch.chunk_bounds(1_000, 2) if start <= 200 < stop)
    assert got == list(range(start))  # every chunk before the one that raised, in order


def _exits(task: int) -> int:
    if task == 30:
        sys.exit(5)
    return task


def test_system_exit_in_a_worker_is_raised_here() -> None:
    with pytest.raises(SystemExit) as raised:
        list(_batch.run(_exits, range(100), jobs=2))
    assert raised.value.args == (5,)  # (its code too, unless a library's pickling hook,
    # as tblib's that Dask installs, makes it anew without it)


def test_what_a_worker_prints_is_not_lost() -> None:
    # Into a pipe, as a shell gives it (pytest's own capture, a file each forked worker
    # holds a copy of the position of, would not say).
    code = (
        "from gipreport._cli import batch\n"
        "def prints(task):\n"
        "    if task % 25 == 0:\n"
        "        print(f'task {task} done')\n"
        "    return task\n"
        "assert list(batch.run(prints, range(100), jobs=2)) == list(range(100))\n"
    )
    printed = sorted(_in_a_fresh_process(code).splitlines())
    assert printed == [f"task {task} done" for task in (0, 25, 50, 75)]


class _NoLoading:
    def __reduce__(self) -> Any:
        return (_refuse, ())


def _refuse() -> None:
    raise TypeError("cannot be made again")


def _unloadable(task: int) -> object:
    return _NoLoading() if task == 50 else task


def test_results_that_cannot_be_read_back_are_a_worker_error() -> None:
    told = r"sent cannot be read: TypeError\('cannot be made"
    with pytest.raises(_batch.WorkerError, match=told):
        list(_batch.run(_unloadable, range(100), jobs=2))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads /proc")
def test_batches_leave_no_file_open() -> None:
    before = len(list(Path("/proc/self/fd").iterdir()))
    gc.disable()  # nothing left to a collection to close
    try:
        for _ in range(10):
            list(_batch.run(_square, range(100), jobs=2))
            with pytest.raises(ValueError, match="task 200"):
                list(_batch.run(_raises_at_200, range(1_000), jobs=2))
            stopped = _batch.run(_square, range(100), jobs=2)
            next(iter(stopped))
            stopped.close()  # type: ignore[attr-defined]
    finally:
        gc.enable()
    assert len(list(Path("/proc/self/fd").iterdir())) == before
    assert not _batch._PARENT_ENDS


def test_a_program_that_reaps_its_children_itself_still_gets_a_worker_error() -> None:
    def reap_all(signum: int, frame: object) -> None:
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass

    previous = signal.signal(signal.SIGCHLD, reap_all)
    try:
        assert list(_batch.run(_square, range(100), jobs=2)) == [t * t for t in range(100)]
        with pytest.raises(_batch.WorkerError, match="before it had done"):
            list(_batch.run(_killed_at_7, list(range(100)), jobs=2))
    finally:
        signal.signal(signal.SIGCHLD, previous)


def test_a_batch_after_one_stopped_early_does_not_wait_for_its_workers() -> None:
    stopped = _batch.run(_slow, list(range(2_000)), jobs=2)
    assert isinstance(stopped, Generator)
    next(stopped)
    stopped.close()  # its workers end their chunk (1.3 s) in the background
    started = time.monotonic()
    assert list(_batch.run(_square, range(100), jobs=2)) == [t * t for t in range(100)]
    assert time.monotonic() - started < 1
    deadline = time.monotonic() + 30
    while _batch._UNREAPED:  # reaped by a batch after they end
        assert time.monotonic() < deadline
        time.sleep(0.1)
        list(_batch.run(_square, range(100), jobs=2))


def test_a_batch_of_json_files_alone_is_cut_in_chunks_of_cheap_tasks(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "b.JSON").write_text("{}", encoding="utf-8")
    json_only = _batch.collect([str(tmp_path)])
    assert cli_check._all_json(json_only)
    (tmp_path / "c.html").write_text("<p>", encoding="utf-8")
    assert not cli_check._all_json(_batch.collect([str(tmp_path)]))
    as_html = [attrs.evolve(source, input_format="html") for source in json_only]
    assert not cli_check._all_json(as_html)
    assert not cli_check._all_json([attrs.evolve(json_only[0], data=b"{}")])


_ODD_NAMES = ["a.json", "A.JSON", ".json", "..json", "a.", "a..json", "a.json.", "x.b.Json", "json"]


@pytest.mark.parametrize("name", _ODD_NAMES)
def test_a_source_tells_its_suffix_and_json_as_its_path_does(name: str) -> None:
    source = _batch.Source(name=f"d/{name}", parts=(name,))
    assert source.suffix == Path("d", name).suffix
    assert cli_check._all_json([source]) == (Path(name).suffix.lower() == ".json")


def test_check_hands_a_batch_of_json_reports_out_as_cheap_tasks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(gipreport.examples.mingan_2023_json(), encoding="utf-8")
    seen: list[bool] = []
    run = _batch.run

    def spy(*arguments: Any, cheap: bool = False, **options: Any) -> Any:
        seen.append(cheap)
        return run(*arguments, cheap=cheap, **options)

    monkeypatch.setattr(_batch, "run", spy)
    assert cli_main(["check", str(tmp_path), "--quiet"]) == 0
    (tmp_path / "c.html").write_text(gipreport.render(gipreport.examples.mingan_2023(), "html"))
    assert cli_main(["check", str(tmp_path), "--quiet"]) == 0
    assert seen == [True, False]
    capsys.readouterr()


def _square(task: int) -> int:
    return task * task


def test_a_parallel_batch_of_cheap_tasks_gives_what_one_process_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_batch, "CHUNK_MAX_CHEAP", 3)  # several chunks of a small batch
    tasks = list(range(200))
    assert list(_batch.run(_square, tasks, jobs=2, cheap=True)) == [t * t for t in tasks]


def test_the_default_is_parallel_sooner_where_workers_are_forked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_batch, "cpus", lambda: 2)
    assert _batch.default_jobs(_batch.PARALLEL_DEFAULT_FROM - 1) == 1
    assert _batch.default_jobs(_batch.PARALLEL_DEFAULT_FROM) == 2
    assert _batch.default_jobs(None) == 2
    monkeypatch.setattr(_batch, "start_method", lambda: "spawn")
    assert _batch.default_jobs(_batch.PARALLEL_DEFAULT_FROM) == 1
    assert _batch.default_jobs(_batch.PARALLEL_DEFAULT_FROM_STARTED) == 2


def test_collect_walks_a_tree_in_the_order_of_its_paths(tmp_path: Path) -> None:
    for name in ["b/2.json", "a/z.JSON", "a/b/c.html", "a.txt", ".hidden/x.json", "a/.x.json"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "a" / "notes.md").write_text("", encoding="utf-8")
    (tmp_path / "a" / "~$lock.docx").write_text("", encoding="utf-8")
    sources = _batch.collect([str(tmp_path), str(tmp_path / "a.txt")])
    assert [str(s.relative) for s in sources] == ["a/b/c.html", "a/z.JSON", "a.txt", "b/2.json"]
    assert [s.name for s in sources] == [str(tmp_path / s.relative) for s in sources]
    assert all(s.path == tmp_path / s.relative for s in sources)


@pytest.mark.parametrize("root", [".", "./", "d", "d/", "./d", "d//", "d/./e", "d/../d"])
def test_collect_names_a_file_as_its_path_joined_to_the_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: str
) -> None:
    # The names are joined as strings, not as Paths: they must read as the Path would.
    (tmp_path / "d" / "e" / "f").mkdir(parents=True)
    for name in ["d/a.json", "d/e/b.json", "d/e/f/c.json", "top.json"]:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sources = _batch.collect([root])
    assert sources
    for source in sources:
        assert source.name == str(Path(root).joinpath(*source.parts))
        assert source.path == Path(root).joinpath(*source.parts)
        assert source.suffix == source.path.suffix == ".json"


def test_collect_names_a_file_twice_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sources = _batch.collect(["d", "./d/a.json", str(tmp_path / "d"), "d/../d/a.json"])
    assert [source.name for source in sources] == ["d/a.json"]


def test_checking_json_imports_no_reader_nor_renderer(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    report.write_text(gipreport.examples.mingan_2023_json(), encoding="utf-8")
    code = (
        "import sys\n"
        "from gipreport._cli import main\n"
        f"status = main(['check', {str(report)!r}, '--quiet'])\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('gipreport._reading.api',"
        " 'gipreport._rendering', 'gipreport._cli.render', 'gipreport._cli.data', 'zipfile',"
        # Nor what only a converter, a parallel batch or a written file needs (issue #17).
        " 'cattrs', 'multiprocessing', 'concurrent', 'secrets', 'gipreport._core.tidy',"
        # Nor the indicators, nor signal (a parallel batch's, to be deaf to Ctrl-C).
        " 'gipreport._core.indicators', 'signal')))\n"
        "print(status, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_a_forked_batch_imports_no_process_pool(tmp_path: Path) -> None:
    # Its workers are forked and handed chunks on pipes: neither multiprocessing nor
    # concurrent.futures (a fiftieth of a second before the first worker starts).
    for index in range(_batch.PARALLEL_FROM):
        (tmp_path / f"r{index:02}.json").write_text(gipreport.examples.mingan_2023_json())
    code = (
        "import sys\n"
        "from gipreport._cli import main\n"
        f"status = main(['check', {str(tmp_path)!r}, '--quiet', '--jobs', '2'])\n"
        "pool = sorted(m for m in sys.modules if m.startswith(('multiprocessing', 'concurrent')))\n"
        "print(status, pool)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "0 []"
