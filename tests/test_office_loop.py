"""The office's loop: a blank form in Word, numbers typed in as Word types them, check, fill.

``gipreport new --to docx`` writes the official form with its value cells empty;
staff type numbers into it in Word or WPS; ``gipreport check`` reads it and
``gipreport fill`` writes it again with the totals computed. The edits here are
made with python-docx the way Word leaves them: a number split over two runs (as
Word does when the formatting or the revision id changes mid-number), a cell's
text replaced whole, a digit Word's input method left full-width (１２).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from docx.table import _Cell

import gipreport
from cli_support import Gip, runner
from gipreport._cli.fill import fill_totals
from gipreport._core.totals import derived_values
from gipreport.layout import SUBHEADING_STYLES, LayoutCell, layout

ORGAN = "某某县人民政府"
YEAR = 2024


@pytest.fixture
def gip(capsys: pytest.CaptureFixture[str]) -> Gip:
    return runner(capsys)


def _positions(report: gipreport.Report) -> dict[str, tuple[int, int, int]]:
    """Return ``{path: (table, row, column)}`` of every value cell in the docx tables."""
    where: dict[str, tuple[int, int, int]] = {}
    for t, table in enumerate(layout(report).tables):
        for r, row in enumerate(table.grid()):
            for c, slot in enumerate(row):
                if isinstance(slot, LayoutCell) and slot.path is not None:
                    where[slot.path] = (t, r, c)
    return where


def _split_runs(cell: _Cell, text: str) -> None:
    """Type ``text`` as two runs, the second bold (Word splits runs on any change)."""
    (paragraph,) = cell.paragraphs
    half = len(text) // 2 or 1
    paragraph.add_run(text[:half])
    paragraph.add_run(text[half:]).bold = True


def _replace(cell: _Cell, text: str) -> None:
    """Type a wrong number, then replace the cell's text whole (select the cell, type)."""
    cell.paragraphs[0].add_run("999")
    cell.text = text


def _full_width(cell: _Cell, text: str) -> None:
    full = text.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    cell.paragraphs[0].add_run(full)


_EDITS: tuple[Callable[[_Cell, str], None], ...] = (_split_runs, _replace, _full_width)


def _typed(report: gipreport.Report, *, skip_total: bool) -> dict[str, int]:
    """Return the numbers staff type: every detail cell but one, a few totals typed too.

    One part of ``requests.carried_over`` is left blank, so its total cannot be
    filled; with ``skip_total`` no total is typed, else the 总计 of the first row is.
    """
    totals = set(derived_values(report.form, report.values()))
    typed: dict[str, int] = {}
    for n, cell in enumerate(report.cells()):
        if cell.spec.kind == "amount" or cell.path.endswith("carried_over.research"):
            continue  # the fee is left blank (no fee was charged is not typed as 0 here)
        if cell.path in totals:
            continue
        typed[cell.path] = n % 13
    if not skip_total:
        typed["requests.new_received.total"] = sum(
            value for path, value in typed.items() if path.startswith("requests.new_received.")
        )
    return typed


def _edited(blank_docx: bytes, report: gipreport.Report, typed: dict[str, int]) -> bytes:
    document = docx.Document(io.BytesIO(blank_docx))
    where = _positions(report)
    for n, (path, value) in enumerate(typed.items()):
        t, r, c = where[path]
        _EDITS[n % len(_EDITS)](document.tables[t].cell(r, c), str(value))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _read(path: Path) -> gipreport.Report:
    result = gipreport.read(path)
    assert isinstance(result, gipreport.ParseResult)
    return result.report


def _all_edits_used(typed: dict[str, int]) -> Iterator[str]:
    # The full-width edit must have met a number of two digits (１２), not only 0-9.
    for n, value in enumerate(typed.values()):
        if n % len(_EDITS) == 2 and value >= 10:
            yield "full-width"
            return


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("skip_total", [True, False])
def test_blank_form_edited_in_word_is_read_checked_and_filled(
    gip: Gip, tmp_path: Path, fmt: str, *, skip_total: bool
) -> None:
    blank_path = tmp_path / "2024.docx"
    assert gip("new", "--organ", ORGAN, "--year", YEAR, "--format", fmt, "--to", "docx",
               "-o", blank_path).status == 0  # fmt: skip
    blank = gipreport.blank_report(ORGAN, YEAR, blank=True, format_id=fmt)
    assert _read(blank_path) == blank, "the blank form reads back as the blank report"
    assert all(value is None for value in _read(blank_path).values().values())

    typed = _typed(blank, skip_total=skip_total)
    assert list(_all_edits_used(typed)) == ["full-width"]
    edited_path = tmp_path / "2024-edited.docx"
    edited_path.write_bytes(_edited(blank_path.read_bytes(), blank, typed))
    expected = blank.with_cells(typed)
    assert _read(edited_path) == expected, "every typed number read exactly, blanks blank"

    checked = gip("check", edited_path)
    assert checked.status in {0, 1}, checked.err
    assert str(edited_path) in checked.out

    filled_path = tmp_path / "2024-filled.docx"
    run = gip("fill", edited_path, "-o", filled_path)
    assert run.status == 0, run.err
    filled = _read(filled_path)
    assert filled == fill_totals(expected).report
    # Every typed number is kept; every total whose parts were all typed is their sum;
    # the blanks left are those a blank part keeps blank.
    values = filled.values()
    assert all(values[path] == value for path, value in typed.items())
    derived = derived_values(filled.form, values)
    for path, value in derived.items():
        assert values[path] == value, path
    left = [path for path, value in values.items() if value is None]
    assert left, "the blank part and the totals over it stay blank"
    assert all(
        path.endswith(("research", "total", "amount")) or path in derived for path in left
    ), left
    assert "totals filled in" in run.out
    # Filling what is filled changes nothing, and it reads back the same.
    again_path = tmp_path / "2024-again.docx"
    assert gip("fill", filled_path, "-o", again_path).status == 0
    assert _read(again_path) == filled


def test_fill_keeps_a_typed_total_that_differs_and_says_so(gip: Gip, tmp_path: Path) -> None:
    blank = gipreport.blank_report(ORGAN, YEAR, blank=True)
    typed = _typed(blank, skip_total=False)
    typed["requests.new_received.total"] += 1
    edited = tmp_path / "wrong.docx"
    edited.write_bytes(_edited(gipreport.render(blank, "docx"), blank, typed))
    run = gip("fill", edited, "-o", tmp_path / "out.docx")
    assert run.status == 0
    assert "differ from their parts, left as typed" in run.out
    assert "requests.new_received.total" in run.out
    out = _read(tmp_path / "out.docx")
    assert out.values()["requests.new_received.total"] == typed["requests.new_received.total"]


def test_fill_writes_the_format_of_the_output_suffix(gip: Gip, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(gipreport.dump_json(gipreport.examples.mingan_2023()), encoding="utf-8")
    assert gip("fill", source, "-o", tmp_path / "out.json").status == 0
    assert gipreport.load_json(
        (tmp_path / "out.json").read_text(encoding="utf-8")
    ) == gipreport.derive_totals(gipreport.examples.mingan_2023())
    bad = gip("fill", source, "-o", tmp_path / "out.pdf")
    assert bad.status == 2
    assert "cannot tell the format" in bad.err
    same = gip("fill", source, "-o", source, "--force")
    assert same.status == 2
    assert "the input itself" in same.err
    exists = gip("fill", source, "-o", tmp_path / "out.json")
    assert exists.status == 2
    assert "--force" in exists.err


def test_new_to_docx_refuses_a_terminal_and_an_unknown_format(gip: Gip, tmp_path: Path) -> None:
    run = gip("new", "--organ", ORGAN, "--year", YEAR, "--to", "pdf", "-o", tmp_path / "x.pdf")
    assert run.status == 2
    assert "pdf" in run.err
    assert not (tmp_path / "x.pdf").exists()
    text = gip("new", "--organ", ORGAN, "--year", YEAR, "--to", "text")
    assert text.status == 0
    assert ORGAN in text.out


_FILL_SUFFIXES = {"text": ".txt", "html": ".html", "docx": ".docx"}
_OTHER_STYLES = [style for style in SUBHEADING_STYLES if style != "chinese"]


def _reading(path: Path) -> gipreport.ParseResult:
    result = gipreport.read(path)
    assert isinstance(result, gipreport.ParseResult)
    return result


@pytest.mark.parametrize("style", _OTHER_STYLES)
@pytest.mark.parametrize("source_fmt", sorted(_FILL_SUFFIXES))
def test_fill_numbers_the_subheadings_as_the_input_did(
    gip: Gip, tmp_path: Path, source_fmt: str, style: str
) -> None:
    # A form written in a style other than the default, filled: only the numbers change.
    blank = gipreport.blank_report(ORGAN, YEAR, blank=True)
    source = tmp_path / f"in{_FILL_SUFFIXES[source_fmt]}"
    rendered = gipreport.render(blank, source_fmt, subheading_style=style)
    source.write_bytes(rendered if isinstance(rendered, bytes) else rendered.encode())
    read = _reading(source)
    assert read.subheading_style == style
    filled = fill_totals(read.report).report
    for out_fmt, suffix in _FILL_SUFFIXES.items():
        out = tmp_path / f"out{suffix}"
        assert gip("fill", source, "-o", out, "--force").status == 0
        again = _reading(out)
        assert (again.report, again.subheading_style) == (filled, style), out_fmt
    text = tmp_path / "out.txt"
    assert text.read_text(encoding="utf-8") == gipreport.render(
        filled, "text", subheading_style=style
    )


def test_fill_takes_a_subheading_style_given_over_the_inputs(gip: Gip, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    blank = gipreport.blank_report(ORGAN, YEAR, blank=True)
    source.write_text(gipreport.render(blank, "text", subheading_style="arabic"), encoding="utf-8")
    out = tmp_path / "out.docx"
    assert gip("fill", source, "-o", out, "--subheading-style", "arabic-dot").status == 0
    assert _reading(out).subheading_style == "arabic-dot"
    # Written as the official form's cells in JSON, the numbering is not the report's.
    assert gip("fill", source, "-o", tmp_path / "out.json").status == 0
    assert gipreport.load_json((tmp_path / "out.json").read_bytes()) == _reading(out).report


def test_fill_of_a_source_with_no_style_of_gipreports_numbers_as_the_default(
    gip: Gip, tmp_path: Path
) -> None:
    # JSON holds no numbering; the workbook numbers its sub-headings in the default.
    blank = gipreport.blank_report(ORGAN, YEAR, blank=True)
    source = tmp_path / "in.json"
    source.write_text(gipreport.dump_json(blank), encoding="utf-8")
    assert _reading(source).subheading_style is None
    assert gip("fill", source, "-o", tmp_path / "out.txt").status == 0
    assert _reading(tmp_path / "out.txt").subheading_style == "chinese"
    assert "（一）" in (tmp_path / "out.txt").read_text(encoding="utf-8")
    docx_source = tmp_path / "in.docx"
    docx_source.write_bytes(gipreport.render(blank, "docx", subheading_style="arabic-comma"))
    assert gip("fill", docx_source, "-o", tmp_path / "out.xlsx").status == 0
    workbook = _reading(tmp_path / "out.xlsx")
    assert (workbook.report, workbook.subheading_style) == (blank, "chinese")
