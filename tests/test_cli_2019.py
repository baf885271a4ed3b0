"""The command line on 2019-format reports: new, schema, rules, check, render, sum, export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import gipreport
from cli_support import Gip, runner
from gipreport.form import FORM_2019


@pytest.fixture
def gip(capsys: pytest.CaptureFixture[str]) -> Gip:
    return runner(capsys)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "made_up_2020.json"
    path.write_text(gipreport.examples.made_up_2020_json(), encoding="utf-8")
    return path


def test_new_format_2019(gip: Gip) -> None:
    run = gip("new", "--organ", "某某县人民政府", "--year", "2020", "--format", "2019")
    assert run.status == 0
    report = gipreport.load_json(run.out)
    assert report.format == "2019"
    assert len(report.values()) == len(FORM_2019.cells)
    assert report.cell("proactive.procurement.amount") == 0
    assert gipreport.check(report).ok
    assert gip("new", "--organ", "x", "--year", "2020", "--format", "2020").status == 2


def test_schema_format(gip: Gip) -> None:
    assert json.loads(gip("schema").out) == gipreport.json_schema()
    for format_id in ("2019", "2021"):
        run = gip("schema", "--format", format_id)
        assert run.status == 0
        assert json.loads(run.out) == gipreport.json_schema(format_id)


def test_rules_format(gip: Gip) -> None:
    run = gip("rules", "--format", "2019")
    ids = [line.split()[0] for line in run.out.splitlines() if not line.startswith(" ")]
    assert ids == [rule.id for rule in gipreport.rules(format="2019")]
    assert "proactive.items" in ids
    assert "proactive.in-force" not in ids
    listed = json.loads(gip("rules", "--format", "json", "--format", "2021").out)
    assert [entry["id"] for entry in listed] == [r.id for r in gipreport.rules(format="2021")]
    assert all("2021" in entry["formats"] for entry in listed)
    twice = gip("rules", "--format", "2019", "--format", "2021")
    assert twice.status == 2
    assert "at most one" in twice.err


def test_check_render_sum_export_on_2019(gip: Gip, example: Path, tmp_path: Path) -> None:
    run = gip("check", example, "--format", "json")
    assert run.status == 0, run.out
    for fmt in ("html", "text", "docx"):
        out = tmp_path / f"out.{fmt}"
        assert gip("render", example, "--to", fmt, "-o", out).status == 0
        assert out.stat().st_size > 0
    total = tmp_path / "sum.json"
    copy = tmp_path / "copy" / "made_up_2020.json"
    copy.parent.mkdir()
    copy.write_bytes(example.read_bytes())
    assert (
        gip(
            "sum", example, copy, "--organ", "某某市人民政府", "-o", total, "--allow-duplicates"
        ).status
        == 0
    )
    summed = gipreport.load_json(total.read_text("utf-8"))
    assert summed.cell("proactive.licensing.change") == -4
    mixed = tmp_path / "mingan.json"
    mixed.write_text(gipreport.examples.mingan_2023_json(), encoding="utf-8")
    run = gip("sum", example, mixed, "--organ", "x", "--year", "2020")
    assert run.status == 2
    assert "different formats" in run.err
    csv_path = tmp_path / "cells.csv"
    assert gip("export", example, mixed, "--csv", csv_path).status == 0
    with csv_path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    formats = {row["file"]: row["format"] for row in rows}
    assert formats == {str(example): "2019", str(mixed): "2021"}
    change = next(
        row
        for row in rows
        if row["row_path"] == "proactive.licensing" and row["column"] == "change"
    )
    assert (change["value"], change["column_label"], change["unit"]) == ("-2", "本年增/减", "项")
