"""Reading PDFs: real published PDFs to their expected cells, positions, and refusals.

The real reports are in ``tests/data/real/`` (the corpus, with the cells each
prints); ``tests/data/pdf/`` holds a LibreOffice PDF of the bundled example and
a scanned and an encrypted copy of it (``make_pdfs.py``); the bombs and the
unmapped font are made here, object by object (``pdf_support``).
"""

from __future__ import annotations

import builtins
import json
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import gipreport
from gipreport import ParseError, Where
from gipreport._reading.from_pdf import (
    MAX_PAGE_CONTENT_BYTES,
    MAX_PAGE_OBJECTS,
    MAX_PDF_PAGES,
    MAX_PDF_SECONDS,
)
from gipreport._reading.labels import squash
from gipreport._reading.source import SourceCell
from pdf_support import ROW_CUT, UNMAPPED, many_pages_pdf, pages_pdf, row_cut_report, text

REAL = Path(__file__).parent / "data" / "real"
PDF = Path(__file__).parent / "data" / "pdf"
REAL_PDFS = sorted(folder.name for folder in REAL.iterdir() if (folder / "source.pdf").exists())


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REAL / name / "expected.json").read_text("utf-8"))
    return data


def _value(cell: object) -> object:
    return Decimal(cell) if isinstance(cell, str) else cell


# --- the real corpus ---------------------------------------------------------------------


def test_the_corpus_has_pdfs() -> None:
    assert REAL_PDFS == ["govnianbao-huaian-shi-2024", "kiro-hongze-qu-2024"]


@pytest.mark.parametrize("name", REAL_PDFS)
def test_a_real_pdf_reads_to_its_expected_cells(name: str) -> None:
    expected = _expected(name)
    result = gipreport.read(REAL / name / "source.pdf")
    assert result.format == "pdf"
    values = result.report.values()
    wrong = {
        path: (values.get(path), cell)
        for path, cell in expected["cells"].items()
        if values.get(path) != _value(cell) or type(values.get(path)) is not type(_value(cell))
    }
    assert wrong == {}
    assert len(expected["cells"]) == len(values)
    report = result.report
    assert (report.organ, report.year, report.format) == (
        expected["organ"],
        expected["year"],
        expected["format"],
    )
    # The title printed on two lines is one: the form's, so it is not stored.
    assert report.title is None
    title = f"{expected['organ']}{expected['year']}年政府信息公开工作年度报告"
    assert report.display_title == title
    codes = {note.code for note in result.notes}
    assert not codes & {"section-missing", "table-missing", "title-missing", "font-unmapped"}
    # Every section has its prose: the PDF's paragraphs, not its page numbers.
    for section in (report.overview, report.problems, report.other_matters):
        assert section.paragraphs or section.subsections
    assert report.preamble[0].startswith("本报告由")
    texts = squash("".join(text for _path, text in report.texts()))
    assert "-1-" not in texts
    assert "-2-" not in texts


def test_page_numbers_are_removed_and_noted_with_their_page() -> None:
    result = gipreport.read(REAL / "kiro-hongze-qu-2024" / "source.pdf")
    furniture = result.notes_for("page-furniture")
    assert [(note.where.page, note.text) for note in furniture] == [
        (page, f"- {page} -") for page in range(1, 6)
    ]
    assert all(note.where.bbox is not None for note in furniture)
    assert str(furniture[2].where) == "page 3"


def _lines_at(rows: list[tuple[float, str]]) -> list[Any]:
    """Return PDF lines of 16-point characters (each a full width), one row each."""
    from gipreport._reading import from_pdf  # noqa: PLC0415 - the private line

    lines = []
    for row, (x, line) in enumerate(rows):
        top = 100.0 + 20 * row
        chars = tuple(
            from_pdf._Char(
                text=char, x0=x + 16 * k, top=top, x1=x + 16 * (k + 1), bottom=top + 16,
                size=16.0, bold=False,
            )
            for k, char in enumerate(line)
        )  # fmt: skip
        lines.append(from_pdf._Line(chars, page=1))
    return lines


def _wraps_on(heading_x: float) -> bool:
    """Return whether a full line goes on at a "（二）" at the margin after it.

    The page's numbered headings (after a short line) start at ``heading_x``; its
    lines at 80, and a full line is 26 characters.
    """
    from gipreport._reading import from_pdf  # noqa: PLC0415 - the private metrics

    full = "本机关依法主动公开政府信息并接受社会公众的监督做到应公开尽公开"[:26]
    rows = [
        (80.0, "概述。"),
        (heading_x, "（一）主动公开情况"),
        *[(80.0, full)] * 12,
        (80.0, "（二）依申请公开" + full[8:]),  # a full line, wrapped right before （二）
        (80.0, "完。"),
        (heading_x, "（三）政府信息管理情况"),
        (80.0, "完。"),
    ]
    lines = _lines_at(rows)
    page = from_pdf._Page(number=1, width=595, height=842, chars=(), grids=(), pictures=())
    metrics = from_pdf._Metrics([page], lines)
    assert not metrics.continues(lines[0], lines[1])  # a heading after a short line
    return metrics.continues(lines[13], lines[14])


def test_a_line_wrapped_before_numbering_the_text_holds_goes_on_its_paragraph() -> None:
    # The document's numbered headings are indented: a （二） at the margin right after
    # a full line is the paragraph's own text, wrapped there (a LibreOffice PDF of a
    # paragraph holding "（一）" can wrap right before it).
    assert _wraps_on(112.0)


def test_a_numbered_line_at_the_margin_starts_a_paragraph_where_headings_start_there() -> None:
    assert not _wraps_on(80.0)


def test_a_read_cell_says_its_page_and_box() -> None:
    # Hongze prints "2.其他法律行政止公开" (法规禁 missing): read as item 2 of
    # （三）不予公开, with a note pointing at the cell on page 3.
    result = gipreport.read(REAL / "kiro-hongze-qu-2024" / "source.pdf")
    (variant,) = result.notes_for("label-variant")
    assert variant.path == "requests.results.withheld.prohibited_by_law"
    assert variant.text == "2.其他法律行政止公开"
    assert variant.where.page == 3
    assert variant.where.table is not None
    assert variant.where.row is not None
    assert variant.where.bbox is not None
    x0, top, x1, bottom = variant.where.bbox
    assert 0 < x0 < x1 < 595
    assert 0 < top < bottom < 842
    assert str(variant.where).endswith(", page 3")
    assert result.report.values()["requests.results.withheld.prohibited_by_law.total"] == 0


def test_a_table_continued_on_the_next_page_is_one_table() -> None:
    # Hongze's table 3 runs from page 3 onto page 4: the rows on page 4 are read
    # under the merged labels of page 3 (三、本年度办理结果 / （四）无法提供).
    result = gipreport.read(REAL / "kiro-hongze-qu-2024" / "source.pdf")
    values = result.report.values()
    assert values["requests.results.unavailable.needs_creation.natural_person"] == 1
    assert values["requests.results.total.natural_person"] == 95
    assert values["requests.carried_forward.total"] == 0


def test_the_where_of_other_readers_has_no_page() -> None:
    result = gipreport.read(gipreport.render(gipreport.examples.mingan_2023(), "html"))
    assert all(note.where.page is None and note.where.bbox is None for note in result.notes)
    assert (
        str(Where(table=2, form_table=3, row=4, column=3, page=3))
        == "table 3, row 5, column 4, page 3"
    )
    assert str(Where(page=2)) == "page 2"


# --- gipreport's own docx, as LibreOffice prints it --------------------------------------


def test_the_example_as_a_libreoffice_pdf_reads_back() -> None:
    example = gipreport.examples.mingan_2023()
    result = gipreport.read(PDF / "mingan_2023.pdf")
    assert result.report.values() == example.values()
    assert (result.report.organ, result.report.year, result.report.published_on) == (
        example.organ,
        example.year,
        example.published_on,
    )
    assert result.report.title == example.title
    for key in ("overview", "problems", "other_matters"):
        got, want = getattr(result.report, key), getattr(example, key)
        assert [squash(p) for p in got.paragraphs] == [squash(p) for p in want.paragraphs]
        assert [squash(s.heading) for s in got.subsections] == [
            squash(s.heading) for s in want.subsections
        ]
    # Only the page numbers ("— 1 —" …) are noted.
    assert {note.code for note in result.notes} == {"page-furniture"}
    assert [note.text for note in result.notes] == [f"— {n} —" for n in range(1, 7)]


def test_read_pdf_takes_a_path_or_bytes() -> None:
    data = (PDF / "mingan_2023.pdf").read_bytes()
    assert gipreport.read_pdf(data).report == gipreport.read_pdf(PDF / "mingan_2023.pdf").report
    assert gipreport.detect_format(data) == "pdf"
    with pytest.raises(TypeError, match="bytes or a path"):
        gipreport.read_pdf("%PDF-1.7")  # type: ignore[arg-type]


# --- what cannot be read ----------------------------------------------------------------


def test_a_scanned_pdf_is_refused_as_needing_ocr() -> None:
    with pytest.raises(ParseError, match="images and need OCR") as caught:
        gipreport.read(PDF / "scanned.pdf")
    assert "scanned" in caught.value.reason


def test_an_encrypted_pdf_is_refused() -> None:
    with pytest.raises(ParseError, match="encrypted PDF: it needs a password"):
        gipreport.read(PDF / "encrypted.pdf")


@pytest.mark.parametrize("fraction", [0.0, 0.05, 0.3, 0.6, 0.95, 0.999])
def test_a_truncated_pdf_is_refused(fraction: float) -> None:
    data = (PDF / "mingan_2023.pdf").read_bytes()
    cut = data[: max(int(len(data) * fraction), 6)]
    with pytest.raises(ParseError) as caught:
        gipreport.read(cut)
    assert caught.value.reason


def test_a_pdf_with_unmapped_fonts_is_refused() -> None:
    data = pages_pdf([b"BT /F1 12 Tf 72 770 Td <0102030405060708090a> Tj ET"], font=UNMAPPED)
    with pytest.raises(ParseError, match="fonts do not map its text to Unicode"):
        gipreport.read(data)


def test_some_unmapped_characters_are_noted_with_their_page() -> None:
    data = (PDF / "mingan_2023.pdf").read_bytes()
    result = gipreport.read(data)
    assert not result.notes_for("font-unmapped")
    from gipreport._reading import from_pdf  # noqa: PLC0415 - the private builder

    pages = list(from_pdf._pages(from_pdf._open(data)))
    first = pages[0]
    char = first.chars[0]
    odd = from_pdf._Char(
        text="(cid:12)",
        x0=char.x0,
        top=char.top,
        x1=char.x1,
        bottom=char.bottom,
        size=char.size,
        bold=False,
    )
    pages[0] = from_pdf._Page(
        number=1,
        width=first.width,
        height=first.height,
        chars=(odd, *first.chars[1:]),
        grids=first.grids,
        pictures=first.pictures,
    )
    doc = from_pdf._Builder(pages).build()
    (note,) = [n for n in doc.notes if n.code == "font-unmapped"]
    assert note.where.page == 1
    assert note.text == "(cid:12)"


def test_a_pdf_with_text_but_no_report_is_not_a_report() -> None:
    with pytest.raises(ParseError, match="not a report"):
        gipreport.read(pages_pdf([text("Hello, world")]))


def test_without_the_pdf_extra_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pdfplumber(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pdfplumber" or name.startswith("pdfplumber."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pdfplumber)
    monkeypatch.delitem(sys.modules, "pdfplumber", raising=False)
    with pytest.raises(ParseError, match=r"pip install 'gipreport\[pdf\]'"):
        gipreport.read(b"%PDF-1.7\n%%EOF\n")


# --- bounded ------------------------------------------------------------------------------


def _refused_in_bounds(data: bytes, match: str, seconds: float) -> None:
    tracemalloc.start()
    start = time.process_time()  # CPU: another process on the machine does not count
    try:
        with pytest.raises(ParseError, match=match):
            gipreport.read(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.process_time() - start < seconds
    assert peak < 200 * 1024 * 1024


def test_a_huge_page_count_is_refused_at_once() -> None:
    _refused_in_bounds(many_pages_pdf(MAX_PDF_PAGES * 10), "pages", 10)


def test_more_pages_than_the_limit_are_refused() -> None:
    _refused_in_bounds(pages_pdf([text("page")] * (MAX_PDF_PAGES + 1)), "pages", 20)


def test_a_huge_content_stream_is_refused_before_it_is_inflated() -> None:
    # 32 MiB of drawing instructions in a 32 KiB stream: refused without inflating it all.
    bomb = pages_pdf([b"0 0 m\n" * (MAX_PAGE_CONTENT_BYTES * 16 // 6)], compress=True)
    assert len(bomb) < MAX_PAGE_CONTENT_BYTES
    _refused_in_bounds(bomb, "drawing instructions", 5)


@pytest.mark.parametrize(
    "content",
    [
        b"0 0 m 1 1 l " * (MAX_PAGE_OBJECTS + 1) + b"S",  # one path of too many lines
        b"BT /F1 1 Tf 72 770 Td "
        + (b"(" + b"x" * (MAX_PAGE_OBJECTS // 2 + 1) + b") Tj ") * 2
        + b"ET",
    ],
    ids=["segments", "characters"],
)
def test_a_page_of_too_many_lines_or_characters_is_refused(content: bytes) -> None:
    # Under the limit on bytes, over the limit on what a page holds: refused, not read.
    bomb = pages_pdf([content], compress=True)
    assert len(content) < MAX_PAGE_CONTENT_BYTES
    _refused_in_bounds(bomb, "objects: not a report", 5)


def test_deep_nesting_ends_in_a_parse_error() -> None:
    nested = b"[" * 50_000 + b"]" * 50_000
    _refused_in_bounds(pages_pdf([nested]), "text layer", MAX_PDF_SECONDS)


def test_the_time_limit_is_documented() -> None:
    howto = (Path(__file__).parents[1] / "docs" / "howto-read.md").read_text("utf-8")
    for limit in ("MAX_PDF_PAGES", "MAX_PAGE_CONTENT_BYTES", "MAX_PDF_SECONDS"):
        assert limit in howto


def test_a_page_that_is_a_picture_is_noted_and_its_tables_are_missing() -> None:
    # The example's page 4 (tables 2's end and table 3's start) as a scanned page.
    from gipreport._core.form import FORM_2021  # noqa: PLC0415
    from gipreport._reading import from_pdf  # noqa: PLC0415 - the private builder
    from gipreport._reading.assemble import assemble  # noqa: PLC0415

    data = (PDF / "mingan_2023.pdf").read_bytes()
    pages = list(from_pdf._pages(from_pdf._open(data)))
    page = pages[4]
    picture = (80.0, 100.0, 520.0, 740.0)
    pages[4] = from_pdf._Page(
        number=page.number,
        width=page.width,
        height=page.height,
        chars=(),
        grids=(),
        pictures=(picture,),
    )
    result = assemble(from_pdf._Builder(pages).build(), FORM_2021)
    (scanned,) = [n for n in result.notes if n.code == "table-image" and n.path is None]
    assert scanned.where.page == 5
    assert "need OCR" in scanned.message
    # Table 4 was on page 5 only: it is missing, and said to be a picture.
    # Table 4 and section 四 were on page 5 only; table 3's rows there are missing.
    assert [n.path for n in result.notes_for("table-missing")] == ["appeals"]
    missing = {n.path for n in result.notes_for("row-missing")}
    assert "requests.results.total" in missing
    assert result.report.values()["appeals.review.total"] is None
    assert result.report.values()["requests.results.total.total"] is None


@pytest.mark.parametrize(
    ("name", "at_least"), [("kiro-hongze-qu-2024", 160), ("govnianbao-huaian-shi-2024", 120)]
)
def test_tables_without_ruling_lines_are_read_by_alignment(name: str, at_least: int) -> None:
    # The real PDFs with their ruling lines taken away: read by the columns their
    # text stands in. Not every cell can be placed so; those are blank, with
    # notes, and none is read wrong.
    from gipreport._core.form import FORM_2021  # noqa: PLC0415
    from gipreport._reading import from_pdf  # noqa: PLC0415 - the private builder
    from gipreport._reading.assemble import assemble  # noqa: PLC0415

    data = (REAL / name / "source.pdf").read_bytes()
    pages = [attrs.evolve(page, grids=()) for page in from_pdf._pages(from_pdf._open(data))]
    result = assemble(from_pdf._Builder(pages).build(), FORM_2021)
    assert result.notes_for("table-unruled")
    expected = _expected(name)
    values = result.report.values()
    read = {path for path, value in values.items() if value is not None}
    wrong = {
        path: (values[path], cell)
        for path, cell in expected["cells"].items()
        if path in read and values[path] != _value(cell)
    }
    assert wrong == {}
    right = [path for path, cell in expected["cells"].items() if values.get(path) == _value(cell)]
    assert len(right) >= at_least
    assert (result.report.organ, result.report.year) == (expected["organ"], expected["year"])
    # Its notes and cells are placed on their pages, not at lines of that text.
    assert all(note.where.line is None for note in result.notes)
    assert all(n.where.page is not None for n in result.notes if n.where.table is not None)
    assert all(w.page is not None and w.bbox is not None for w in result.places.values())


def test_a_row_printed_for_three_is_noted_with_its_printed_values() -> None:
    # Hongze prints （六）其他处理 as one row of zeros: its three rows stay blank,
    # with a rows-merged note carrying what is printed (the shared table reader).
    result = gipreport.read(REAL / "kiro-hongze-qu-2024" / "source.pdf")
    (merged,) = result.notes_for("rows-merged")
    assert merged.path == "requests.results.other"
    assert merged.text.endswith("（六）其他处理 / 0 / 0 / 0 / 0 / 0 / 0 / 0")
    assert merged.where.page == 3
    values = result.report.values()
    assert all(
        values[f"requests.results.other.{row}.{column}"] is None
        for row in ("no_correction", "unpaid_fee", "other")
        for column in ("natural_person", "total")
    )


# --- a row cut by a page break ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ROW_CUT))
def test_a_row_cut_by_the_page_break_is_read_as_one_row(name: str) -> None:
    # LibreOffice breaks a row of table 3 across two pages (its label's lines on
    # both, its values on the first), with the header rows repeated on the next
    # page or not: the two parts are one row, read as the form's row.
    sentences, _header = ROW_CUT[name]
    result = gipreport.read(PDF / f"{name}.pdf")
    assert result.report.values() == row_cut_report(sentences).values()
    assert {note.code for note in result.notes} == {"page-furniture"}


def test_the_place_of_a_cut_row_is_the_page_of_its_values() -> None:
    # row_cut.pdf cuts "1.本机关不掌握相关 | 政府信息" between pages 4 and 5; its
    # values are printed on page 4.
    result = gipreport.read(PDF / "row_cut.pdf")
    where = result.place("requests.results.unavailable.not_held.natural_person")
    assert where is not None
    assert (where.form_table, where.page) == (3, 4)
    after = result.place("requests.results.unavailable.needs_creation.natural_person")
    assert after is not None
    assert after.page == 5
    assert after.row is not None
    assert where.row is not None
    assert after.row == where.row + 1  # the row cut is one row: the next is the next


def _cell(text: str, row: int, column: int, page: int) -> SourceCell:
    return SourceCell(text=text, row=row, column=column, page=page, bbox=(0.0, 0.0, 1.0, 1.0))


def _cut(above: list[str], below: list[str]) -> list[list[str]]:
    """Return the texts of two rows as the joiner leaves them (one row if it joins them)."""
    from gipreport._reading.from_pdf import _join_cut_row  # noqa: PLC0415 - the private joiner

    rows = [
        [_cell(text, 0, j, 1) for j, text in enumerate(above)],
        [_cell(text, 1, j, 2) for j, text in enumerate(below)],
    ]
    joined = _join_cut_row(rows, 1)
    assert all(cell.row == r for r, row in enumerate(joined) for cell in row)
    return [[cell.text for cell in row] for row in joined]


def test_a_label_on_one_page_and_its_values_on_the_next_are_one_row() -> None:
    assert _cut(["（三）不予公开 1.属于国家秘密", "", ""], ["", "3", "0"]) == [
        ["（三）不予公开 1.属于国家秘密", "3", "0"]
    ]
    assert _cut(["1.本机关不掌握相关", "", ""], ["政府信息", "1", "2"]) == [
        ["1.本机关不掌握相关\n政府信息", "1", "2"]
    ]


def test_two_rows_at_a_page_break_are_left_two_rows() -> None:
    # Values on both sides, a row number, or a label of the form: rows of their own.
    for above, below in (
        (["1.属于国家秘密", "1", "2"], ["2.其他法律行政法规禁止公开", "3", "4"]),
        (["行政处罚", "5"], ["行政强制", ""]),
        (["1.属于国家秘密", "1", "2"], ["2.其他法律行政法规禁止公开", "", ""]),
        (["（四）无法提供", "1", "2"], ["（五）不予处理", "", ""]),
    ):
        assert _cut(above, below) == [above, below]


# --- where each cell was read -------------------------------------------------------------


def test_every_cell_read_from_a_pdf_says_its_page_and_box() -> None:
    result = gipreport.read(PDF / "mingan_2023.pdf")
    assert set(result.places) == set(result.report.values())
    for path, where in result.places.items():
        assert where.page is not None, path
        assert where.bbox is not None, path
        assert where.form_table is not None, path
    table_2 = result.place("proactive.rules.issued")
    table_4 = result.place("appeals.review.total")
    assert table_2 is not None
    assert table_4 is not None
    assert (table_2.form_table, table_4.form_table) == (2, 4)
    assert table_2.page is not None
    assert table_4.page is not None
    assert table_2.page < table_4.page
    assert result.place("overview") is None


_READ_PDFS = [
    *(REAL / name / "source.pdf" for name in REAL_PDFS),
    *(PDF / name for name in ("mingan_2023.pdf", "wrong_sum.pdf", "row_cut.pdf")),
]


@pytest.mark.parametrize("path", _READ_PDFS, ids=lambda path: path.parent.name + "/" + path.name)
def test_every_note_with_a_place_in_a_pdf_says_its_page_and_box(path: Path) -> None:
    # A note about something in the PDF (a table, a row, a cell, a line, a paragraph,
    # a page number removed) says its page and box; only what the PDF lacks (a
    # signature, a section) or what was given has no place.
    result = gipreport.read(path)
    placed = 0
    for note in result.notes:
        where = attrs.evolve(note.where, form_table=None)
        if where == Where():
            assert note.code in {"signature-missing", "section-missing"}, note
            continue
        placed += 1
        assert where.page is not None, note
        assert where.bbox is not None, note
    assert placed


def test_a_cell_the_source_does_not_have_has_no_place() -> None:
    result = gipreport.read(REAL / "kiro-hongze-qu-2024" / "source.pdf")
    assert result.place("requests.results.other.no_correction.total") is None  # not printed
    where = result.place("requests.results.withheld.prohibited_by_law.total")
    assert where is not None
    assert where.page == 3


def test_other_readers_say_the_line_or_the_table_slot_of_a_cell() -> None:
    example = gipreport.examples.mingan_2023()
    html = gipreport.read(gipreport.render(example, "html"))
    where = html.place("requests.results.total.natural_person")
    assert where is not None
    assert where.line is not None
    assert (where.form_table, where.page) == (3, None)
    docx = gipreport.read(gipreport.render(example, "docx"))
    where = docx.place("requests.results.total.natural_person")
    assert where is not None
    assert where.form_table == 3
    assert where.row is not None
    assert where.column is not None
    text = gipreport.read(gipreport.render(example, "text"))
    where = text.place("proactive.rules.issued")
    assert where is not None
    assert where.line is not None
    sheet = gipreport.read(gipreport.render(example, "xlsx"))
    where = sheet.place("requests.results.total.natural_person")
    assert where is not None
    assert (where.form_table, where.sheet) == (3, "表三")
    assert where.cell is not None


# --- some tables ruled, some not ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ruled", "at_least"),
    [
        ("kiro-hongze-qu-2024", {(2, 0), (3, 0)}, 165),
        ("govnianbao-huaian-shi-2024", {(3, 0), (4, 0)}, 120),
    ],
)
def test_a_table_without_ruling_lines_beside_ruled_ones_is_read_by_alignment(
    name: str, ruled: set[tuple[int, int]], at_least: int
) -> None:
    # The real PDFs with the ruling lines of tables 3 and 4 taken away (table 2's
    # kept, as (page, grid) pairs): tables 3 and 4 are read by the columns their
    # text stands in, each cell placed on its page; none is read wrong.
    from gipreport._core.form import FORM_2021  # noqa: PLC0415
    from gipreport._reading import from_pdf  # noqa: PLC0415 - the private builder
    from gipreport._reading.assemble import assemble  # noqa: PLC0415

    data = (REAL / name / "source.pdf").read_bytes()
    pages = [
        attrs.evolve(
            page,
            grids=tuple(g for k, g in enumerate(page.grids) if (page.number, k) in ruled),
        )
        for page in from_pdf._pages(from_pdf._open(data))
    ]
    result = assemble(from_pdf._Builder(pages).build(), FORM_2021)
    unruled = result.notes_for("table-unruled")
    assert len(unruled) == 2  # tables 3 and 4
    assert all(note.where.page is not None for note in unruled)
    expected = _expected(name)
    values = result.report.values()
    wrong = {
        path: (values[path], cell)
        for path, cell in expected["cells"].items()
        if values[path] is not None and values[path] != _value(cell)
    }
    assert wrong == {}
    right = [path for path, cell in expected["cells"].items() if values.get(path) == _value(cell)]
    assert len(right) >= at_least
    for path in ("proactive.rules.issued", "requests.results.total.total", "appeals.review.total"):
        where = result.place(path)
        assert where is not None, path
        assert where.page is not None, path
        assert where.bbox is not None, path
    assert not result.notes_for("table-missing")
