"""The corpus on Dask: a LocalCluster of two processes gives exactly what ``gipreport check`` does.

Runs on a generated corpus of 2,000 report files (about 40 s on two cores: the
corpus is checked twice, by the cluster and by ``gipreport check --jobs 2``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import gipreport
from cli_support import Gip, runner
from corpus_support import cell_row, write_corpus

distributed = pytest.importorskip("distributed")

CORPUS_SIZE = 2_000

gip = pytest.fixture(runner)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"), CORPUS_SIZE)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


def _number(value: Any) -> Decimal | None:
    # The CLI's JSON has ints and decimal strings; the frames exact Decimals.
    return None if value is None else Decimal(str(value))


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["file"],
        row["rule"],
        row["instance"],
        row["severity"],
        row["status"],
        tuple(row["cells"]),
        _number(row["left"]),
        _number(row["right"]),
        _number(row["difference"]),
        row["message_zh"],
    )


def _cli_findings(gip: Gip, corpus: list[Path]) -> list[tuple[Any, ...]]:
    run = gip("check", corpus[0].parent.parent, "--jobs", "2", "--format", "json")
    document = json.loads(run.out)
    assert len(document["files"]) == CORPUS_SIZE
    return sorted(
        _key({"file": checked["file"], **finding})
        for checked in document["files"]
        for finding in checked["result"]["findings"]
    )


def test_dask_finds_what_the_cli_finds(gip: Gip, corpus: list[Path], client: Any) -> None:
    frames = gipreport.dask_tables(corpus, tables=["findings", "indicators"])
    findings = frames["findings"].compute()
    assert len(frames["indicators"].compute()) == 5 * CORPUS_SIZE
    ours = sorted(
        _key(
            {
                "file": row["source"],
                "rule": row["rule"],
                "instance": row["instance"],
                "severity": row["severity"],
                "status": row["status"],
                "cells": row["cells"],
                "left": row["left"],
                "right": row["right"],
                "difference": row["difference"],
                "message_zh": row["message_zh"],
            }
        )
        for row in findings.to_dict("records")
    )
    expected = _cli_findings(gip, corpus)
    assert len(expected) > CORPUS_SIZE // 10  # the corpus has something to find
    assert ours == expected


def test_dask_writes_the_tables_as_parquet(corpus: list[Path], client: Any, tmp_path: Path) -> None:
    written = gipreport.dask_write_parquet(corpus, tmp_path, tables=["cells", "reports"])
    assert written[-1] == tmp_path / "datapackage.json"
    cells = pq.read_table(tmp_path / "cells")
    assert cells.num_rows == CORPUS_SIZE * len(gipreport.form.FORM_2021.cells)
    reports = pq.read_table(tmp_path / "reports").to_pandas()
    assert sorted(reports["source"]) == sorted(str(path) for path in corpus)
    # Every report's cells come back exactly (the round-trip law, on the cluster's output).
    sample = {str(path) for path in corpus[:: CORPUS_SIZE // 20]}
    frame = cells.to_pandas()
    frame = frame[frame["source"].isin(sample)]
    rows = [cell_row(record) for record in frame.to_dict("records")]
    rebuilt = dict(gipreport.rebuild_reports(rows))
    assert set(rebuilt) == sample
    for source, report in rebuilt.items():
        assert report.values() == gipreport.load_json(Path(source).read_bytes()).values()


def test_a_file_that_does_not_load_is_a_load_error_from_the_cluster(
    corpus: list[Path], client: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    frames = gipreport.dask_tables([corpus[0], bad], tables=["cells"])
    with pytest.raises(gipreport.LoadError, match=r"organ: missing key \(in .*bad\.json\)"):
        frames["cells"].compute()
    with pytest.raises(ValueError, match="no paths"):
        gipreport.dask_tables([])
