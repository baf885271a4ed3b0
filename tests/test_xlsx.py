"""The spreadsheet form: written by ``render(report, "xlsx")``, typed into, read, checked, filled.

``gipreport new --to xlsx`` writes the official form as a workbook (a sheet of
prose, one per table, labels locked, values validated, totals as formulas); the
edits here are made with openpyxl as a person makes them in a spreadsheet:
numbers typed into value cells, one number typed as text ("12"), the fee as a
decimal, some cells left blank. openpyxl does not calculate, so the formulas are
saved without values, as a program that writes a workbook leaves them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
import gipreport.strategies as gs
from budget_support import examples, reports
from cli_support import Gip, runner
from gipreport._cli.fill import fill_totals
from gipreport._core.limits import MAX_SHEET_BYTES, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS
from gipreport._core.totals import derived_values, total_equations
from gipreport._reading.from_xlsx import cell_ref
from gipreport.layout import LayoutCell, layout

ORGAN = "某某县人民政府"
YEAR = 2024

WHOLE_REPORTS = settings(max_examples=examples(30), deadline=None)


@pytest.fixture
def gip(capsys: pytest.CaptureFixture[str]) -> Gip:
    return runner(capsys)


def _places(report: gipreport.Report) -> dict[str, tuple[str, str]]:
    """Return ``{path: (sheet, cell)}`` of every value cell, from the printed layout."""
    where: dict[str, tuple[str, str]] = {}
    for table in layout(report).tables:
        sheet = f"表{report.form.table(table.key).number}"
        for r, row in enumerate(table.grid()):
            for c, slot in enumerate(row):
                if isinstance(slot, LayoutCell) and slot.path is not None:
                    where[slot.path] = (sheet, cell_ref(r, c))
    return where


def _typed(report: gipreport.Report) -> dict[str, int | Decimal]:
    """Return what a person types: every detail cell but one; no total; the fee a decimal."""
    totals = set(derived_values(report.form, report.values()))
    typed: dict[str, int | Decimal] = {}
    for n, cell in enumerate(report.cells()):
        if cell.path in totals or cell.path.endswith("carried_over.research"):
            continue
        if cell.spec.kind == "amount":
            typed[cell.path] = Decimal("18.871")
        elif cell.spec.kind == "signed":
            typed[cell.path] = -(n % 5)
        else:
            typed[cell.path] = n % 13
    return typed


def _edited(blank: bytes, report: gipreport.Report, typed: dict[str, int | Decimal]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(blank))
    places = _places(report)
    as_text = next(path for path, value in typed.items() if value == 12)
    for path, value in typed.items():
        sheet, ref = places[path]
        # A number typed as text (an apostrophe first, or a cell formatted as text).
        book[sheet][ref] = str(value) if path == as_text else value
        if isinstance(value, Decimal):
            book[sheet][ref] = float(value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(path: Path | bytes) -> gipreport.ParseResult:
    return gipreport.read(path)


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_blank_form_edited_in_a_spreadsheet_is_read_checked_and_filled(
    gip: Gip, tmp_path: Path, fmt: str
) -> None:
    blank_path = tmp_path / "2024.xlsx"
    assert gip("new", "--organ", ORGAN, "--year", YEAR, "--format", fmt, "--to", "xlsx",
               "-o", blank_path).status == 0  # fmt: skip
    blank = gipreport.blank_report(ORGAN, YEAR, blank=True, format_id=fmt)
    first = _read(blank_path)
    assert first.format == "xlsx"
    assert first.report == blank, "the blank form reads back as the blank report"

    typed = _typed(blank)
    edited_path = tmp_path / "2024-edited.xlsx"
    edited_path.write_bytes(_edited(blank_path.read_bytes(), blank, typed))
    expected = blank.with_cells(typed)
    edited = _read(edited_path)
    assert edited.report == expected, "every typed number read exactly, blanks blank"
    # The totals are formulas openpyxl saved without a value: blank, each noted at its cell.
    uncached = edited.notes_for("formula-uncached")
    totals = {eq.total for eq in total_equations(blank.form)}
    assert {note.path for note in uncached} == totals
    places = _places(blank)
    for note in uncached:
        assert note.path is not None
        assert (note.where.sheet, note.where.cell) == places[note.path]
        assert note.text.startswith("=IF(COUNT(")

    checked = gip("check", edited_path)
    assert checked.status in {0, 1}, checked.err
    assert str(edited_path) in checked.out

    filled_path = tmp_path / "2024-filled.xlsx"
    run = gip("fill", edited_path, "-o", filled_path)
    assert run.status == 0, run.err
    filled = _read(filled_path)
    assert filled.report == fill_totals(expected).report
    values = filled.report.values()
    assert all(values[path] == value for path, value in typed.items())
    assert values["requests.new_received.total"] is not None
    assert values["requests.carried_over.total"] is None, "a blank part keeps its total blank"
    # The totals fill could not write stay formulas; the rest are numbers now.
    still = {note.path for note in filled.notes_for("formula-uncached")}
    assert still == {path for path in totals if values[path] is None}
    again_path = tmp_path / "2024-again.xlsx"
    assert gip("fill", filled_path, "-o", again_path).status == 0
    assert _read(again_path).report == filled.report


def test_the_sheets_lock_labels_validate_values_and_merge_as_printed() -> None:
    blank = gipreport.blank_report(ORGAN, YEAR, blank=True)
    book = openpyxl.load_workbook(io.BytesIO(gipreport.render(blank, "xlsx")))
    assert book.sheetnames == ["正文", "表二", "表三", "表四"]
    prose = book["正文"]
    assert prose["A1"].value == blank.display_title
    pointers = {row[1].value for row in prose.iter_rows(min_col=1, max_col=2) if row[1].value}
    assert pointers == {"表二", "表三", "表四"}
    formulas = 0
    for table in layout(blank).tables:
        sheet = book[f"表{blank.form.table(table.key).number}"]
        assert sheet.protection.sheet, "the labels cannot be overwritten"
        merged = {str(cells) for cells in sheet.merged_cells.ranges}
        expected_merges = set()
        validated = {
            str(ref): dv.type
            for dv in sheet.data_validations.dataValidation
            for ref in dv.sqref.ranges
        }
        for r, row in enumerate(table.grid()):
            for c, slot in enumerate(row):
                if not isinstance(slot, LayoutCell):
                    continue
                cell = sheet[cell_ref(r, c)]
                if slot.rowspan > 1 or slot.colspan > 1:
                    end = cell_ref(r + slot.rowspan - 1, c + slot.colspan - 1)
                    expected_merges.add(f"{cell_ref(r, c)}:{end}")
                if slot.path is None:
                    assert cell.value == slot.text
                    assert cell.protection.locked
                    continue
                assert not cell.protection.locked
                kind = blank.form.cell(slot.path).kind
                assert validated[cell.coordinate] == ("decimal" if kind == "amount" else "whole")
                if isinstance(cell.value, str):
                    assert cell.value.startswith("=IF(COUNT(")
                    formulas += 1
                else:
                    assert cell.value is None
        assert merged == expected_merges
    assert formulas == len(total_equations(blank.form))


def test_the_bytes_are_the_same_every_time() -> None:
    report = gipreport.examples.mingan_2023()
    data = gipreport.render(report, "xlsx")
    assert data == gipreport.render(report, "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:\w+[^>]*>([^<]*)<", core) == ["2000-01-01T00:00:00Z"] * 2


def _saved_by_a_spreadsheet(data: bytes, values: dict[str, str]) -> bytes:
    """Return ``data`` with each formula given a saved value, as Excel saves one."""

    def cached(match: re.Match[str]) -> str:
        ref, attributes, formula = match.group(1), match.group(2), match.group(3)
        value = values.get(ref, "")
        kind = ' t="str"' if value == "" else ""
        return f'<c r="{ref}"{attributes}{kind}><f>{formula}</f><v>{value}</v></c>'

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = re.sub(
                    r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>',
                    cached,
                    content.decode(),
                )
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()


def test_a_formula_is_read_as_the_value_saved_with_it() -> None:
    report = gipreport.examples.mingan_2023()
    places = _places(report)
    total = "requests.new_received.total"
    blanked = report.with_cells({total: None, "requests.carried_over.total": None})
    data = gipreport.render(blanked, "xlsx")
    sheet, ref = places[total]
    assert sheet == "表三"
    saved = _saved_by_a_spreadsheet(data, {ref: "7"})
    result = gipreport.read(saved)
    # The saved value is read as it stands; an empty text result (a part blank) is blank.
    assert result.report.values()[total] == 7
    assert result.report.values()["requests.carried_over.total"] is None
    assert not result.notes_for("formula-uncached")


def test_a_cell_that_is_no_number_is_noted_at_its_sheet_and_cell() -> None:
    report = gipreport.examples.mingan_2023()
    sheet, ref = _places(report)["requests.new_received.natural_person"]
    book = openpyxl.load_workbook(io.BytesIO(gipreport.render(report, "xlsx")))
    book[sheet][ref] = "十二"
    out = io.BytesIO()
    book.save(out)
    result = gipreport.read(out.getvalue())
    (note,) = result.notes_for("not-a-number")
    assert (note.where.sheet, note.where.cell, note.where.form_table) == (sheet, ref, 3)
    assert f"sheet {sheet} cell {ref}" in str(note)
    assert result.report.values()["requests.new_received.natural_person"] is None


def test_an_amount_keeps_its_digits() -> None:
    report = gipreport.examples.mingan_2023()
    fee = next(cell.path for cell in report.cells() if cell.spec.kind == "amount")
    for amount in ("18.8710", "0", "3.5", "123456789012.123456789012", "0.000001"):
        changed = report.with_cells({fee: Decimal(amount)})
        read = gipreport.read(gipreport.render(changed, "xlsx")).report.values()[fee]
        assert isinstance(read, Decimal)
        assert str(read) == amount


# --- hostile and wrong workbooks ------------------------------------------------------------


def _package(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return out.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


_BLANK = gipreport.render(gipreport.blank_report(ORGAN, YEAR, blank=True), "xlsx")


def _with_sheet(content: bytes, sheet: str = "xl/worksheets/sheet3.xml") -> bytes:
    members = _members(_BLANK)
    members[sheet] = content
    return _package(members)


_SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def test_a_sheet_that_unpacks_too_large_is_refused() -> None:
    padding = b" " * (MAX_SHEET_BYTES + 1)
    bomb = _with_sheet(_SHEET + b"<sheetData/>" + padding + b"</worksheet>")
    assert len(bomb) < MAX_SHEET_BYTES // 100
    with pytest.raises(gipreport.ParseError, match=r"sheet3\.xml is larger than 4 MiB"):
        gipreport.read(bomb)


@pytest.mark.parametrize(
    "content",
    [
        b'<sheetData><row r="1"><c r="XFD1048576"><v>1</v></c></row></sheetData>',
        b'<sheetData/><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        f'<sheetData><row r="{MAX_SHEET_ROWS + 1}"><c><v>1</v></c></row></sheetData>'.encode(),
    ],
)
def test_a_sheet_past_the_caps_is_refused_naming_it(content: bytes) -> None:
    with pytest.raises(gipreport.ParseError, match="sheet 表三 uses cell") as raised:
        gipreport.read(_with_sheet(_SHEET + content + b"</worksheet>"))
    assert f"{MAX_SHEET_COLUMNS} columns" in str(raised.value)


def test_a_sheet_with_a_dtd_or_bzip2_parts_is_refused() -> None:
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + _SHEET + b"</worksheet>"
    with pytest.raises(gipreport.ParseError):
        gipreport.read(_with_sheet(dtd))
    bzip = _package(_members(_BLANK), zipfile.ZIP_BZIP2)
    with pytest.raises(gipreport.ParseError, match="compression method"):
        gipreport.read_xlsx(bzip)


def test_a_workbook_that_is_no_report_is_a_parse_error() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["B2"] = "预算", 12
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(gipreport.ParseError):
        gipreport.read(out.getvalue())
    members = _members(_BLANK)
    del members["xl/worksheets/sheet1.xml"], members["xl/worksheets/sheet2.xml"]
    members["xl/worksheets/sheet3.xml"] = _SHEET + b"</worksheet>"
    members["xl/worksheets/sheet4.xml"] = b"<not-closed"
    with pytest.raises(gipreport.ParseError):
        gipreport.read(_package(members))


def test_a_docx_is_not_taken_for_a_workbook() -> None:
    report = gipreport.examples.mingan_2023()
    assert gipreport.detect_format(gipreport.render(report, "docx")) == "docx"
    assert gipreport.detect_format(_BLANK) == "xlsx"
    with pytest.raises(gipreport.ParseError, match="no workbook part"):
        gipreport.read_xlsx(gipreport.render(report, "docx"))


# --- the round-trip law -----------------------------------------------------------------


@pytest.mark.parametrize("form", ["2021", "2019"])
@WHOLE_REPORTS
@given(data=st.data())
def test_a_rendered_report_reads_back_as_itself(form: str, data: st.DataObject) -> None:
    report = data.draw(reports(format=form, blanks=True))
    result = gipreport.read(gipreport.render(report, "xlsx"))
    assert result.report == report
    values = report.values()
    blanks = {path for path, value in values.items() if value is None}
    assert {n.path for n in result.notes if n.code == "blank-cell"} == blanks
    # Each blank total is a formula (no saved value): noted; a total given is its number.
    totals = {eq.total for eq in total_equations(report.form)}
    uncached = Counter(n.path for n in result.notes if n.code == "formula-uncached")
    assert uncached == Counter(blanks & totals)
    assert {n.code for n in result.notes} <= {"blank-cell", "signature-missing", "formula-uncached"}


@WHOLE_REPORTS
@given(report=gs.reports(max_count=10**12))
def test_large_numbers_read_back_exactly(report: gipreport.Report) -> None:
    assert gipreport.read_xlsx(gipreport.render(report, "xlsx")).report == report


# --- the command line and the extra ---------------------------------------------------------


def test_render_and_convert_read_a_workbook(gip: Gip, tmp_path: Path) -> None:
    source = tmp_path / "2023.xlsx"
    source.write_bytes(gipreport.render(gipreport.examples.mingan_2023(), "xlsx"))
    html = gip("render", source, "--to", "html", "-o", tmp_path / "2023.html")
    assert html.status == 0, html.err
    page = (tmp_path / "2023.html").read_text(encoding="utf-8")
    assert gipreport.read(page).report == gipreport.examples.mingan_2023()
    converted = gip("convert", source, "-o", tmp_path / "2023.json")
    assert converted.status == 0, converted.err
    json_text = (tmp_path / "2023.json").read_text(encoding="utf-8")
    assert gipreport.load_json(json_text) == gipreport.examples.mingan_2023()


def test_without_openpyxl_the_message_names_the_extra(
    gip: Gip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gipreport._rendering import registry  # noqa: PLC0415 - patched here only

    available = registry._builtin_available
    monkeypatch.setattr(
        registry, "_builtin_available", lambda name: name != "xlsx" and available(name)
    )
    assert "xlsx" not in gipreport.renderers()
    with pytest.raises(gipreport.RenderError, match=r"pip install 'gipreport\[xlsx\]'"):
        gipreport.render(gipreport.examples.mingan_2023(), "xlsx")
    run = gip("new", "--organ", ORGAN, "--year", YEAR, "--to", "xlsx", "-o", tmp_path / "x.xlsx")
    assert run.status == 2
    assert "gipreport[xlsx]" in run.err
    # Reading needs no extra.
    assert gipreport.read(_BLANK).format == "xlsx"


_ANY_PROSE = gs.prose(text=gs.chinese_text(min_size=1, max_size=80).filter(str.strip))


@WHOLE_REPORTS
@given(report=gs.reports(), overview=_ANY_PROSE, problems=_ANY_PROSE, other=_ANY_PROSE)
def test_marked_up_prose_is_kept_whatever_it_says(
    report: gipreport.Report,
    overview: gipreport.Prose,
    problems: gipreport.Prose,
    other: gipreport.Prose,
) -> None:
    # The prose sheet marks its headings (bold), title (large) and signature (right):
    # a paragraph that looks like a numbered heading stays a paragraph.
    report = attrs.evolve(report, overview=overview, problems=problems, other_matters=other)
    assert gipreport.read(gipreport.render(report, "xlsx")).report == report


def test_the_seed_report_reads_back_without_a_note() -> None:
    report = gipreport.examples.mingan_2023()
    result = gipreport.read(gipreport.render(report, "xlsx"))
    assert result.report == report
    assert result.notes == ()
