"""A corpus on Dask: a bag of paths read, checked and tabulated on a cluster.

The same tidy tables as :mod:`.corpus`, computed partition by partition on
whatever Dask scheduler is current: the threads of one process, a
``LocalCluster`` of processes, or a distributed cluster (dask-jobqueue,
Kubernetes). Each task reads its files, checks them and makes their rows; only
rows travel. Needs ``pip install 'gipreport[dask]'``; Dask is imported when
these functions are called, not with :mod:`gipreport`.
"""

from __future__ import annotations

import json
import operator
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from gipreport._checking.corpus import _check_tables, _frame, tidy_tables
from gipreport._core.tablefiles import data_package, open_writer

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["dask_tables", "dask_write_parquet"]

PARTITION_SIZE: Final = 200
"""Files per task: enough that a task's overhead (≈ 1 ms) is small beside its work."""


def _partition_rows(
    paths: Sequence[str],
    tables: tuple[str, ...],
    select: Sequence[str] | None,
    skip: Sequence[str] | None,
) -> dict[str, list[Any]]:
    collected: dict[str, list[Any]] = {table: [] for table in tables}
    items = [Path(path) for path in paths]
    for per_report in tidy_tables(items, tables=tables, select=select, skip=skip):
        for table, rows in per_report.items():
            collected[table] += rows
    return collected


def _partition_frames(
    paths: Sequence[str],
    tables: tuple[str, ...],
    select: Sequence[str] | None,
    skip: Sequence[str] | None,
) -> dict[str, pd.DataFrame]:
    rows = _partition_rows(paths, tables, select, skip)
    return {table: _frame(table, rows[table]) for table in tables}


def _parts(paths: Iterable[str | os.PathLike[str]], partition_size: int) -> list[Any]:
    import dask.bag as db  # noqa: PLC0415 - optional, and heavy

    names = [os.fspath(path) for path in paths]
    if not names:
        msg = "no paths: a corpus needs at least one report file"
        raise ValueError(msg)
    bag = db.from_sequence(names, partition_size=partition_size)
    return list(bag.to_delayed())


def dask_tables(
    paths: Iterable[str | os.PathLike[str]],
    *,
    tables: Sequence[str] | None = None,
    partition_size: int = PARTITION_SIZE,
    select: Sequence[str] | None = None,
    skip: Sequence[str] | None = None,
) -> Mapping[str, dd.DataFrame]:
    """Return the tidy tables of the report files ``paths`` as Dask DataFrames, by name.

    Nothing is read until a frame is computed; computing several frames in one
    ``dask.compute(...)`` reads and checks each file once. A file that cannot
    be read raises :class:`gipreport.LoadError` naming it when computed. The
    columns and dtypes are those of :func:`gipreport.frames`.
    """
    import dask  # noqa: PLC0415
    import dask.dataframe as dd  # noqa: PLC0415

    chosen = _check_tables(tables)
    parts = [
        dask.delayed(_partition_frames)(part, chosen, select, skip)
        for part in _parts(paths, partition_size)
    ]
    # Dask would turn object columns into strings: the lists of cell paths and the
    # exact decimals are objects on purpose.
    with dask.config.set({"dataframe.convert-string": False}):
        return {
            table: dd.from_delayed(
                [dask.delayed(operator.getitem)(part, table) for part in parts],
                meta=_frame(table, []),
                verify_meta=False,
            )
            for table in chosen
        }


def _write_partition(
    paths: Sequence[str],
    number: int,
    directory: str,
    tables: tuple[str, ...],
    selection: tuple[Sequence[str] | None, Sequence[str] | None],
) -> dict[str, str]:
    select, skip = selection
    rows = _partition_rows(paths, tables, select, skip)
    written: dict[str, str] = {}
    for table in tables:
        folder = Path(directory) / table
        folder.mkdir(parents=True, exist_ok=True)
        writer = open_writer(folder, table, to="parquet", name=f"part-{number:05d}")
        for row in rows[table]:
            writer.write(row)
        writer.close()
        written[table] = writer.path.relative_to(directory).as_posix()
    return written


def dask_write_parquet(
    paths: Iterable[str | os.PathLike[str]],
    directory: str | os.PathLike[str],
    *,
    tables: Sequence[str] | None = None,
    partition_size: int = PARTITION_SIZE,
    select: Sequence[str] | None = None,
    skip: Sequence[str] | None = None,
    package: bool = True,
) -> list[Path]:
    """Read, check and tabulate ``paths`` on the current Dask scheduler into Parquet.

    Each task writes its part of every table, ``<table>/part-NNNNN.parquet``,
    with the schema of :func:`gipreport.write_tables` (Decimal128 amounts,
    nullable ints, dictionary-encoded labels); ``datapackage.json`` lists every
    part. ``directory`` must be reachable by every worker (a shared file
    system or an object store mounted as one). Returns the files written.
    """
    import dask  # noqa: PLC0415

    chosen = _check_tables(tables)
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    tasks = [
        dask.delayed(_write_partition)(part, number, os.fspath(root), chosen, (select, skip))
        for number, part in enumerate(_parts(paths, partition_size))
    ]
    (results,) = dask.compute(tasks)
    listed = [(table, [result[table] for result in results]) for table in chosen]
    written = [root / part for _table, parts in listed for part in parts]
    if package:
        target = root / "datapackage.json"
        descriptor = data_package(listed, to="parquet")
        target.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", "utf-8")
        written.append(target)
    return written
