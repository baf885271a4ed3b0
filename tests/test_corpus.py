"""Corpus data: the tidy tables, their files and data package, pandas, and the indicators."""

from __future__ import annotations

import csv
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples, reports
from cli_support import Gip, runner
from corpus_support import cell_row
from gipreport import TABLES, Report, tidy_rows, tidy_tables, write_tables
from gipreport._core.tablefiles import arrow_schema
from gipreport.form import FORMATS

READ = Path(__file__).parent / "data" / "read"


def example() -> Report:
    return gipreport.examples.mingan_2023()


# --- the tables, described once ----------------------------------------------------------


def test_every_row_type_has_its_tables_fields() -> None:
    rows: dict[str, Any] = {
        "cells": gipreport.CellRow,
        "findings": gipreport.FindingRow,
        "notes": gipreport.NoteRow,
        "indicators": gipreport.IndicatorRow,
    }
    for name, row in rows.items():
        assert row._fields == TABLES[name].names, name
    wide = TABLES["reports"].names
    assert gipreport.ReportRow._fields[:-1] == wide[: len(gipreport.ReportRow._fields) - 1]
    for table in TABLES.values():
        assert set(table.primary_key) <= set(table.names)
        for field in table.fields:
            assert field.title, (table.name, field.name)


def test_the_wide_table_has_a_column_per_cell_of_every_format() -> None:
    columns = TABLES["reports"].names
    for form in FORMATS.values():
        for spec in form.cells:
            field = TABLES["reports"].field(spec.path)
            assert spec.label in field.title
            assert field.type == ("amount" if spec.kind == "amount" else "count")
    assert len(columns) == len(set(columns))


# --- the round-trip law --------------------------------------------------------------------


@pytest.mark.parametrize("form", sorted(FORMATS))
@settings(max_examples=examples(25), deadline=None)
@given(data=st.data())
def test_a_corpus_is_rebuilt_exactly_from_its_cells_table(form: str, data: st.DataObject) -> None:
    corpus = data.draw(st.lists(reports(format=form, blanks=True), min_size=1, max_size=4))
    items = [(f"r{i}.json", report) for i, report in enumerate(corpus)]
    rows = list(tidy_rows(items, "cells"))
    assert len(rows) == sum(len(report.form.cells) for report in corpus)
    for row in rows:  # a blank is blank, never 0
        assert row.blank == (row.value is None)
        assert row.count is None or row.amount is None
        assert (row.count is None) if row.kind == "amount" else (row.amount is None)
    rebuilt = list(gipreport.rebuild_reports(rows))
    assert [source for source, _ in rebuilt] == [source for source, _ in items]
    for (_, again), original in zip(rebuilt, corpus, strict=True):
        assert again.values() == original.values()
        assert (again.organ, again.year, again.format) == (
            original.organ,
            original.year,
            original.format,
        )


@pytest.mark.parametrize("form", sorted(FORMATS))
@settings(max_examples=examples(10), deadline=None)
@given(data=st.data())
def test_the_round_trip_holds_through_every_file_format(
    form: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    corpus = data.draw(st.lists(reports(format=form, blanks=True), min_size=1, max_size=3))
    items = [(f"r{i}", report) for i, report in enumerate(corpus)]
    directory = tmp_path_factory.mktemp("tables")
    write_tables(items, directory, to="parquet", tables=["cells"])
    frame = pq.read_table(directory / "cells.parquet").to_pandas()
    rows = [cell_row(record) for record in frame.to_dict("records")]
    rebuilt = dict(gipreport.rebuild_reports(rows))
    for source, original in items:
        assert rebuilt[source].values() == original.values()


def test_rebuilding_needs_one_format_per_report() -> None:
    rows = list(tidy_rows([example()], "cells"))
    with pytest.raises(ValueError, match="2 formats"):
        list(gipreport.rebuild_reports([rows[0], rows[1]._replace(format="2019")]))


# --- each table ---------------------------------------------------------------------------


def test_cell_rows_keep_the_fee_exact_and_blanks_blank() -> None:
    report = example().with_cells(
        {"proactive.fees.amount": Decimal("1.250"), "appeals.review.upheld": None}
    )
    rows = {row.path: row for row in tidy_rows([("a.json", report)], "cells")}
    fee = rows["proactive.fees.amount"]
    assert (fee.amount, fee.count, fee.unit, fee.kind, fee.blank) == (
        Decimal("1.250"),
        None,
        "万元",
        "amount",
        False,
    )
    blank = rows["appeals.review.upheld"]
    assert (blank.count, blank.amount, blank.blank, blank.value) == (None, None, True, None)
    zero = rows["appeals.review.corrected"]
    assert (zero.count, zero.blank) == (0, False)
    assert zero.row_label == "行政复议"
    assert zero.column_label == "结果纠正"
    assert zero.source == "a.json"


def test_finding_rows_are_the_checks_findings_with_their_suspects() -> None:
    report = example().with_cell("requests.new_received.commercial", 1)  # a typo: 1 for 0
    result = gipreport.check(report)
    rows = list(tidy_rows([report], "findings"))
    assert [(r.rule, r.instance, r.status, r.left, r.right, r.difference) for r in rows] == [
        (f.rule, f.instance, f.status, f.left, f.right, f.difference) for f in result.findings
    ]
    assert [r.index for r in rows] == list(range(len(rows)))
    assert {r.source for r in rows} == {"[0]"}
    suspected = {cell for r in rows for cell in r.suspects}
    assert suspected == {s.cell for s in result.suspects} & {c for r in rows for c in r.cells}
    assert "requests.new_received.commercial" in suspected
    only = list(tidy_rows([report], "findings", select=["requests.balance"]))
    assert {r.rule for r in only} == {"requests.balance"}


def test_note_rows_say_where_and_keep_the_raw_text() -> None:
    result = gipreport.read(READ / "city_bureau_2022.docx")
    (row,) = tidy_rows([("city.docx", result)], "notes")
    (note,) = result.notes
    assert (row.source, row.index, row.code, row.severity, row.text, row.path) == (
        "city.docx",
        0,
        note.code,
        note.severity,
        note.text,
        note.path,
    )
    assert (row.table_index, row.row, row.column) == (
        note.where.table,
        note.where.row,
        note.where.column,
    )
    assert row.page is None
    html = gipreport.read(READ / "county_bureau_2023.html")
    lines = [row.line for row in tidy_rows([html], "notes")]
    assert lines == [note.where.line for note in html.notes]
    assert not list(tidy_rows([example()], "notes"))  # a report has no notes


def test_paths_are_read_and_bad_items_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(gipreport.dump_json(example()), encoding="utf-8")
    (row,) = tidy_rows([path], "reports")
    assert row.source == str(path)
    with pytest.raises(TypeError, match="item 0: expected a Report"):
        list(tidy_rows(["a.json"], "cells"))  # type: ignore[list-item]
    with pytest.raises(ValueError, match="unknown table 'cell'"):
        list(tidy_rows([example()], "cell"))
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(gipreport.LoadError, match=r"\(in .*bad\.json\)"):
        list(tidy_rows([bad], "cells"))


def test_one_pass_gives_every_table() -> None:
    (tables,) = tidy_tables([example()])
    assert set(tables) == set(TABLES)
    assert len(tables["reports"]) == 1
    assert len(tables["cells"]) == len(example().form.cells)


# --- indicators -----------------------------------------------------------------------------


def _requests(report: Report, values: dict[str, int]) -> Report:
    return gipreport.derive_totals(report.with_cells(values))


def test_indicators_follow_their_formulas() -> None:
    report = _requests(
        example(),
        {
            "requests.results.disclosed.natural_person": 5,
            "requests.results.partially_disclosed.commercial": 1,
            "requests.results.withheld.state_secret.natural_person": 2,
            "requests.results.withheld.third_party_rights.research": 1,
            "requests.results.unavailable.not_held.natural_person": 3,
            "appeals.review.upheld": 3,
            "appeals.review.corrected": 1,
            "appeals.review.pending": 5,
            "appeals.litigation_direct.corrected": 1,
            "appeals.litigation_after_review.other": 1,
        },
    )
    total = 5 + 1 + 2 + 1 + 3
    assert report.cell("requests.results.total.total") == total
    got = {
        key: (v.status, v.numerator, v.denominator, v.value)
        for key, v in report.indicators().items()
    }
    assert got == {
        "requests.disclosure_rate": ("assessed", 6, total, Decimal("0.500000")),
        "requests.withheld_rate": ("assessed", 3, total, Decimal("0.250000")),
        "requests.unavailable_rate": ("assessed", 3, total, Decimal("0.250000")),
        # 尚未审结 is not a decision: 1 corrected of 4 decided.
        "appeals.review_correction_rate": ("assessed", 1, 4, Decimal("0.250000")),
        "appeals.litigation_correction_rate": ("assessed", 1, 2, Decimal("0.500000")),
    }
    rows = {row.indicator: row for row in tidy_rows([report], "indicators")}
    assert rows["requests.withheld_rate"].label == "不予公开率"
    assert rows["requests.withheld_rate"].value == Decimal("0.250000")
    assert len(rows["requests.withheld_rate"].cells) == 8 + 1


def test_an_indicator_is_not_assessable_on_a_blank_and_undefined_on_zero() -> None:
    report = example().with_cell("requests.results.withheld.state_secret.total", None)
    values = report.indicators()
    assert values["requests.withheld_rate"].status == "not_assessable"
    assert values["requests.withheld_rate"].value is None
    assert values["requests.disclosure_rate"].status == "undefined"  # no request at all
    assert values["requests.disclosure_rate"].denominator == 0


@pytest.mark.parametrize("form_id", sorted(FORMATS))
def test_indicators_are_data_with_cells_in_every_form(form_id: str) -> None:
    form = FORMATS[form_id]
    for indicator in gipreport.INDICATORS:
        assert indicator.available_in(form)
        assert indicator.formula
        assert indicator.label.endswith("率")
        for path in indicator.cells_for(form):
            assert form.has_cell(path)
    odd = attrs.evolve(gipreport.INDICATORS[0], id="x", numerator=(("requests.nothing", "total"),))
    assert not odd.available_in(form)


def test_a_2019_report_has_the_same_indicators() -> None:
    report = gipreport.examples.made_up_2020()
    (row, *_) = tidy_rows([report], "indicators")
    assert (row.format, row.indicator, row.status) == (
        "2019",
        "requests.disclosure_rate",
        "assessed",
    )
    parts = [
        report.count(f"requests.results.{k}.total") for k in ("disclosed", "partially_disclosed")
    ]
    assert row.numerator == sum(part or 0 for part in parts)


# --- files ----------------------------------------------------------------------------------


def corpus() -> list[tuple[str, Any]]:
    base = example()
    return [
        ("mingan.json", base.with_cell("proactive.fees.amount", Decimal("0.125"))),
        ("=cmd.json", attrs.evolve(base, organ="=HYPERLINK(1)", year=2022)),
        ("city.docx", gipreport.read(READ / "city_bureau_2022.docx")),
    ]


def test_csv_is_utf8_with_a_bom_and_guards_formulas(tmp_path: Path) -> None:
    write_tables(corpus(), tmp_path, to="csv")
    raw = (tmp_path / "cells.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsource,organ,year,format,table,path")
    with (tmp_path / "cells.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert {row["source"] for row in rows} == {"mingan.json", "'=cmd.json", "city.docx"}
    assert "'=HYPERLINK(1)" in {row["organ"] for row in rows}
    fee = next(r for r in rows if r["source"] == "mingan.json" and r["kind"] == "amount")
    assert (fee["amount"], fee["count"], fee["blank"]) == ("0.125", "", "false")
    write_tables(corpus(), tmp_path / "raw", to="csv", formula_guard=False, tables=["reports"])
    text = (tmp_path / "raw" / "reports.csv").read_text("utf-8-sig")
    assert "=HYPERLINK(1)" in text
    assert "'=" not in text
    assert gipreport.guard_formula("+A1") == "'+A1"
    for safe in ("某县", "1=1", "", "-1", "+2.5", "-"):
        assert gipreport.guard_formula(safe) == safe


def test_jsonl_keeps_types(tmp_path: Path) -> None:
    write_tables(corpus(), tmp_path, to="jsonl", tables=["cells", "findings"])
    lines = (tmp_path / "cells.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    fee = next(r for r in records if r["kind"] == "amount" and r["source"] == "mingan.json")
    assert (fee["amount"], fee["count"], fee["blank"]) == ("0.125", None, False)
    count = next(r for r in records if r["kind"] == "count")
    assert isinstance(count["count"], int)
    assert isinstance(count["year"], int)
    lines = (tmp_path / "findings.jsonl").read_text("utf-8").splitlines()
    findings = [json.loads(line) for line in lines]
    assert all(isinstance(f["cells"], list) for f in findings)


def test_parquet_has_the_documented_schema_in_pyarrow_and_pandas(tmp_path: Path) -> None:
    write_tables(corpus(), tmp_path, to="parquet")
    for name, table in TABLES.items():
        read = pq.read_table(tmp_path / f"{name}.parquet")
        assert read.schema.equals(arrow_schema(table), check_metadata=True), name
    cells = pq.read_table(tmp_path / "cells.parquet")
    assert cells.schema.field("amount").type == pa.decimal128(24, 12)
    assert pa.types.is_dictionary(cells.schema.field("row_label").type)
    assert cells.schema.field("count").nullable
    assert cells.schema.field("count").metadata[b"title"].decode() == "件数"
    frame = pd.read_parquet(tmp_path / "cells.parquet", dtype_backend="numpy_nullable")
    assert str(frame["count"].dtype) == "Int64"
    fee = frame[(frame["source"] == "mingan.json") & (frame["kind"] == "amount")]
    assert fee["amount"].iloc[0] == Decimal("0.125")
    blank = frame[frame["blank"]]
    assert blank["count"].isna().all()
    assert len(frame) == 3 * len(example().form.cells)


def test_parquet_partitioned_by_year(tmp_path: Path) -> None:
    written = write_tables(corpus(), tmp_path, to="parquet", partition_by_year=True)
    assert tmp_path / "cells" / "year=2023" / "part-0.parquet" in written
    assert tmp_path / "cells" / "year=2022" / "part-0.parquet" in written
    assert tmp_path / "notes.parquet" in written  # no year: one file
    dataset = pads.dataset(
        tmp_path / "cells",
        partitioning=pads.partitioning(pa.schema([("year", pa.int64())]), flavor="hive"),
    )
    table = dataset.to_table()
    assert sorted(set(table.column("year").to_pylist())) == [2022, 2023]
    assert table.num_rows == 3 * len(example().form.cells)


def test_an_error_leaves_no_half_written_file(tmp_path: Path) -> None:
    def items() -> Any:
        yield example()
        msg = "the corpus went away"
        raise OSError(msg)

    with pytest.raises(OSError, match="went away"):
        write_tables(items(), tmp_path, to="parquet")
    assert list(tmp_path.iterdir()) == []


# --- the data package -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "partition"), [("csv", False), ("jsonl", False), ("parquet", False), ("parquet", True)]
)
def test_the_data_package_validates(tmp_path: Path, to: Any, partition: bool) -> None:
    frictionless = pytest.importorskip("frictionless")
    write_tables(corpus(), tmp_path, to=to, partition_by_year=partition)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    names = [resource["name"] for resource in descriptor["resources"]]
    assert names[:4] == ["cells", "findings", "notes", "indicators"]
    cells = descriptor["resources"][0]["schema"]
    assert cells["primaryKey"] == ["source", "path"]
    assert cells["foreignKeys"] == [
        {"fields": ["source"], "reference": {"resource": "reports", "fields": ["source"]}}
    ]
    assert cells["missingValues"] == [""]
    assert {f["name"]: f["title"] for f in cells["fields"]}["row_label"] == "行标签"
    # The descriptor against the Data Package and Table Schema profiles (JSON Schema).
    checked = frictionless.Package.validate_descriptor(str(tmp_path / "datapackage.json"))
    assert checked.valid, checked.flatten(["type", "note"])
    for resource in descriptor["resources"]:
        paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
        assert all((tmp_path / path).is_file() for path in paths)
    if to == "parquet":
        return  # frictionless reads Parquet only with an extra of its own
    # The data against the schemas: types, required fields, primary and foreign keys.
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_broken_package_is_caught(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    write_tables(corpus(), tmp_path, to="csv", tables=["cells", "reports"])
    path = tmp_path / "cells.csv"
    text = path.read_text("utf-8-sig").replace("\nmingan.json,", "\nnobody.json,", 1)
    assert "nobody.json" in text
    path.write_text(text, encoding="utf-8-sig")  # a cell of no report: a foreign key broken
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid


# --- gipreport export --to ---------------------------------------------------------------

gip = pytest.fixture(runner)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    for name, item in corpus():
        report = item.report if isinstance(item, gipreport.ParseResult) else item
        (root / f"{name}.json").write_text(gipreport.dump_json(report), encoding="utf-8")
    (root / "city.docx").write_bytes((READ / "city_bureau_2022.docx").read_bytes())
    return root


@pytest.mark.parametrize("to", ["csv", "jsonl", "parquet"])
def test_export_to_each_format(gip: Gip, files: Path, tmp_path: Path, to: str) -> None:
    out = tmp_path / "out"
    run = gip("export", files, "--to", to, "-o", out, "--jobs", "1")
    assert run.status == 0, run.err
    assert run.out == f"wrote 6 files in {out} (4 reports)\n"
    assert "read note" in run.err  # the docx's blank cell, as for every command
    suffix = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}[to]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(f"{name}{suffix}" for name in TABLES), "datapackage.json"]
    )
    expected = write_tables(
        [(str(files / name), gipreport.read(files / name)) for name in sorted(os.listdir(files))],
        tmp_path / "library",
        to=to,  # type: ignore[arg-type]
    )
    for path in expected[:-1]:  # the same bytes as the library writes
        if to != "parquet":
            assert (out / path.name).read_bytes() == path.read_bytes(), path.name
        else:
            assert pq.read_table(out / path.name).equals(pq.read_table(path)), path.name


def test_export_options_and_mistakes(gip: Gip, files: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = gip(
        "export",
        files,
        "--to",
        "parquet",
        "-o",
        out,
        "--partition-by-year",
        "--tables",
        "cells,notes",
        "--no-datapackage",
        "-q",
    )
    assert (run.status, run.out) == (0, "")
    assert sorted(p.name for p in (out / "cells").iterdir()) == ["year=2022", "year=2023"]
    assert (out / "notes.parquet").is_file()
    assert not (out / "datapackage.json").exists()
    run = gip(
        "export", files, "--to", "csv", "-o", out, "--tables", "reports", "--no-formula-guard"
    )
    assert "=HYPERLINK(1)" in (out / "reports.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK" not in (out / "reports.csv").read_text("utf-8-sig")
    for argv, message in [
        (("--to", "csv"), "--to needs -o/--output DIR"),
        (("--to", "csv", "-o", out, "--partition-by-year"), "--partition-by-year is for"),
        (("--to", "csv", "-o", out, "--tables", "cell"), "unknown table 'cell'"),
        ((), "say where: --csv OUT"),
    ]:
        run = gip("export", files, *argv)
        assert run.status == 2
        assert message in run.err
    run = gip("export", files, "--csv", "x.csv", "--to", "csv")
    assert run.status == 2  # one or the other
    (files / "bad.json").write_text("{", encoding="utf-8")
    run = gip("export", files, "--to", "jsonl", "-o", out)
    assert run.status == 2
    assert run.out.endswith("(4 reports); 1 file not exported\n")
