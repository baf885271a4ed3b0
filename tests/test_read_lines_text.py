"""Reading text with each table cell on a line of its own (other PDF extractors, crawlers).

Generated reports printed the way such text comes — no tabs, a cell a line,
paragraphs hard-wrapped, page numbers and a running title between the lines —
read back to their cells, with 0 wrong: a row whose values between two labels
do not number its columns is blank with a note, never shifted. The real
excerpt printed this way (a 2019-format page) reads what it prints.
"""

from __future__ import annotations

import html.parser
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples
from gipreport import Prose, Report, Subsection
from gipreport import strategies as gs
from gipreport._core.form import FORM_2021
from gipreport._reading.api import text_kind
from gipreport._reading.text_flow import SENTENCE_END
from gipreport._rendering.layout import Covered, TableLayout, format_value, layout

REAL = Path(__file__).parent / "data" / "real"
# A paragraph is sentences ending with 。; inside it no other character that ends
# one (a line broken right after "；" cannot be told from a paragraph's end).
_INNER_END = str.maketrans(dict.fromkeys(SENTENCE_END, "，"))
SENTENCES = gs.chinese_text(min_size=1, max_size=90).map(
    lambda text: text.translate(_INNER_END) + "。"
)
WHOLE_REPORTS = settings(max_examples=examples(30), deadline=None)
PAGE_NUMBERS = ("— {} —", "-{}-", "第 {} 页 共 9 页")


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def to_lines_text(
    report: Report,
    *,
    width: int = 34,
    blank: str | None = "/",
    page_every: int = 45,
    page_number: str = "— {} —",
    spaced: bool = False,
) -> str:
    """Return ``report`` as other extractors give its text: a cell a line, no tabs.

    Paragraphs are hard-wrapped at ``width`` characters; a blank cell is printed
    as ``blank`` (``None``: not printed at all); a page number and the running
    title stand about every ``page_every`` lines; ``spaced`` puts an empty line
    after every line (as some crawlers do).
    """
    # Headings are sentences here (SENTENCES): only （1） with its space says that
    # whatever follows is the heading, in a text that marks none.
    doc = layout(report, subheading_style="arabic-spaced")
    lines = [doc.title, *[w for p in doc.preamble for w in _wrap(p, width)]]
    for section in doc.sections:
        lines.append(section.heading)
        if section.prose is not None:
            lines += [w for p in section.prose.paragraphs for w in _wrap(p, width)]
            for number, heading, paragraphs in section.prose.subsections:
                lines.append(number + heading)
                lines += [w for p in paragraphs for w in _wrap(p, width)]
        if section.table is not None:
            lines += _table_lines(section.table, blank)
    lines += [doc.signature_organ, doc.signature_date or ""]
    out: list[str] = []
    page = 1
    for count, line in enumerate(lines, start=1):
        out.append(line)
        if count % page_every == 0:
            out += ["", page_number.format(page), "", doc.title]
            page += 1
    if spaced:
        out = [part for line in out for part in (line, "")]
    return "\n".join(out) + "\n"


def _table_lines(table: TableLayout, blank: str | None) -> list[str]:
    """Return a table as a cell a line: header names, labels and values, row by row."""
    lines: list[str] = []
    for slots in table.grid():
        for slot in slots:
            if isinstance(slot, Covered):
                continue
            if slot.path is None:
                lines += [part for part in slot.text.split("\n") if part]
            elif slot.value is not None:
                lines.append(format_value(slot.value))
            elif blank is not None:
                lines.append(blank)
    return lines


def _standard(report: Report) -> Report:
    # A title of the report's own need not name the year; the form's does.
    return attrs.evolve(report, title=None)


def _texts(report: Report) -> list[tuple[str, str]]:
    """Return every text of ``report``, without spaces (those where a line broke are lost)."""
    return [(path, "".join(text.split())) for path, text in report.texts()]


def _check(report: Report, result: gipreport.ParseResult, *, all_printed: bool) -> None:
    """0 wrong cells, every blank blank; a value lost is on a row a note names."""
    wrong, lost = [], []
    for cell in FORM_2021.cells:
        got, want = result.report.cell(cell.path), report.cell(cell.path)
        if got != want and got is not None:
            wrong.append((cell.path, got, want))
        elif got is None and want is not None:
            lost.append(cell.path)
    assert wrong == []
    if all_printed:
        assert lost == []
    noted = [
        n.path or "appeals" for n in result.notes if n.code in ("missing-cells", "excess-values")
    ]
    assert [p for p in lost if not any(p.startswith(f"{path}.") for path in noted)] == []


@WHOLE_REPORTS
@given(
    gs.reports(blanks=True, text=SENTENCES),
    st.integers(min_value=24, max_value=40),
    st.sampled_from(PAGE_NUMBERS),
    st.booleans(),
)
def test_generated_reports_read_back_from_a_value_a_line(
    report: Report, width: int, page_number: str, spaced: bool
) -> None:
    report = _standard(report)
    text = to_lines_text(report, width=width, page_number=page_number, spaced=spaced)
    result = gipreport.read(text)
    assert result.kind == "lines-text"
    assert result.report.organ == report.organ
    assert result.report.year == report.year
    _check(report, result, all_printed=True)
    # Every text read back, its spaces aside (a paragraph's indent, a space at a break).
    assert _texts(result.report) == _texts(report)
    assert all(note.where.line for note in result.notes_for("page-furniture"))


@WHOLE_REPORTS
@given(gs.reports(blanks=True, text=SENTENCES), st.sampled_from(["", None, "—"]))
def test_blank_cells_printed_as_nothing_are_blank_never_shifted(
    report: Report, blank: str | None
) -> None:
    report = _standard(report)
    result = gipreport.read(to_lines_text(report, blank=blank))
    assert result.kind == "lines-text"
    _check(report, result, all_printed=blank == "—")


def test_the_seed_as_a_value_a_line_reads_exactly() -> None:
    report = gipreport.examples.mingan_2023()
    result = gipreport.read(to_lines_text(report))
    assert result.kind == "lines-text"
    assert [cell.path for cell in FORM_2021.cells if result.report.cell(cell.path) is None] == []
    assert result.report.values() == report.values()
    assert _texts(result.report) == _texts(report)


# --- real reports -----------------------------------------------------------------------


class _Crawler(html.parser.HTMLParser):
    """A web crawler's text of a page: each block's and each table cell's text on a line.

    ``empty_cells``: an empty table cell is an empty line (else it is not printed).
    """

    CELLS = frozenset({"td", "th"})
    BLOCKS = frozenset({"p", "div", "tr", "br", "li", "table", "title", "h1", "h2", "h3", "h4"})

    def __init__(self, *, empty_cells: bool) -> None:
        super().__init__()
        self.empty_cells = empty_cells
        self.lines: list[str] = []
        self.text = ""
        self.hidden = 0
        self.in_cell = False

    def end_line(self, *, cell: bool) -> None:
        if self.text.strip() or (cell and self.empty_cells):
            self.lines.append(self.text.strip())
        self.text = ""

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.hidden += tag in ("script", "style")
        if tag in self.CELLS:
            self.end_line(cell=False)
            self.in_cell = True
        elif tag in self.BLOCKS and not self.in_cell:
            self.end_line(cell=False)

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")
        if tag in self.CELLS:
            self.end_line(cell=True)
            self.in_cell = False
        elif tag in self.BLOCKS and not self.in_cell:
            self.end_line(cell=False)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text += data


def crawled(page: Path, *, empty_cells: bool) -> str:
    crawler = _Crawler(empty_cells=empty_cells)
    crawler.feed(page.read_text("utf-8"))
    crawler.end_line(cell=False)
    return "\n".join(crawler.lines) + "\n"


@pytest.mark.parametrize(
    ("page", "empty_cells", "printed"),
    [
        ("pingtan-2024/page-article.html", False, 200),
        # Its blank cells are empty <td>: not printed, a row with one is blank
        # (noted); printed as empty lines, they are blank cells where they stand.
        ("kiro-shuyang-fgj-2023/source.html", False, 25),
        ("kiro-shuyang-fgj-2023/source.html", True, 75),
    ],
)
def test_a_real_page_as_a_crawler_gives_its_text_reads_to_its_cells(
    page: str, empty_cells: bool, printed: int
) -> None:
    path = REAL / page
    expected = json.loads((path.parent / "expected.json").read_text("utf-8"))
    result = gipreport.read(crawled(path, empty_cells=empty_cells))
    assert result.kind == "lines-text"
    assert (result.report.organ, result.report.year) == (expected["organ"], expected["year"])
    cells = expected["cells"]
    right = [p for p, v in cells.items() if v is not None and str(result.report.cell(p)) == str(v)]
    wrong = [
        p
        for p, v in cells.items()
        if result.report.cell(p) is not None and str(result.report.cell(p)) != str(v)
    ]
    assert wrong == []
    assert len(right) == printed
    lost = {p for p, v in cells.items() if v is not None and result.report.cell(p) is None}
    noted = {n.path for n in result.notes if n.path}
    assert all(any(p.startswith(f"{path_}.") for path_ in noted) for p in lost)


def test_a_real_2019_page_printed_a_value_a_line_reads_what_it_prints() -> None:
    # Cut off in table 2: its 规章 row is read, the rest is blank with error notes.
    folder = REAL / "excerpts-2019"
    path = folder / "wulong-tongjiju_2020.txt"
    (excerpt,) = [
        e
        for e in json.loads((folder / "expected.json").read_text("utf-8"))["excerpts"]
        if e["file"] == path.name
    ]
    assert text_kind(path.read_text("utf-8")) == "lines-text"
    result = gipreport.read(path)
    report = result.report
    assert (report.format, report.organ, report.year) == ("2019", excerpt["organ"], 2020)
    printed = {p: v for p, v in report.values().items() if v is not None}
    assert printed == excerpt["expected_cells"]
    assert {n.path for n in result.errors} == {"requests", "appeals"}
    assert not result.notes_for("row-unknown")  # its header's names are a header


def test_a_crawlers_text_with_the_cells_run_together_is_not_read_as_a_value_a_line() -> None:
    # pingtan-2024/page.txt: every tag stripped with no separator ("规章000"): refused.
    path = REAL / "pingtan-2024" / "page.txt"
    assert text_kind(path.read_text("utf-8")) == "text"
    with pytest.raises(gipreport.ParseError):
        gipreport.read(path)


def test_a_row_whose_values_do_not_number_its_columns_is_blank_never_shifted() -> None:
    report = gipreport.examples.mingan_2023()
    text = to_lines_text(report)
    # An organ's own row between two of the form's, its label lost: the values
    # run on into the row before it.
    start = text.index("（二）部分公开")
    label_end = text.index("\n", start)
    text = text[: label_end + 1] + "5\n6\n" + text[label_end + 1 :]
    result = gipreport.read(text)
    row = "requests.results.partially_disclosed"
    row_cells = [c.path for c in FORM_2021.cells if c.path.startswith(f"{row}.")]
    assert len(row_cells) == 7
    assert all(result.report.cell(path) is None for path in row_cells)
    (note,) = [n for n in result.notes if n.code == "excess-values"]
    assert note.path == row
    assert note.text.startswith("5 / 6 / ")
    assert note.where.line == text[:start].count("\n") + 1
    # The rows around it are read.
    assert result.report.cell("requests.results.disclosed.total") == 0
    assert result.report.cell("requests.results.withheld.state_secret.total") == 0


def test_a_label_printed_over_two_lines_is_joined() -> None:
    report = gipreport.examples.mingan_2023()
    text = to_lines_text(report).replace(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n",
        "（二）部分公开（区分处理的，只计\n这一情形，不计其他情形）\n",
    )
    result = gipreport.read(text)
    assert result.report.values() == report.values()
    assert not result.notes_for("row-unknown")


def _blanked(path: str) -> Report:
    return gipreport.examples.mingan_2023().with_cell(path, None)


@pytest.mark.parametrize(
    ("path", "read"),
    [
        ("requests.new_received.research", True),  # an empty line among the values
        ("requests.new_received.natural_person", True),  # right after the label
        ("requests.new_received.total", False),  # after the last: the row's end?
    ],
)
def test_a_blank_printed_as_an_empty_line_is_a_blank_cell_where_it_stands_among_values(
    path: str, read: bool
) -> None:
    report = _blanked(path)
    assert report.cell(path) is None
    # (No page break: an empty line next to one is the page's, not a cell.)
    result = gipreport.read(to_lines_text(report, blank="", page_every=10_000))
    if read:
        assert result.report.values() == report.values()
        assert [n.path for n in result.notes_for("blank-cell")] == [path]
    else:
        row = path.rpartition(".")[0]
        assert all(
            result.report.cell(c.path) is None
            for c in FORM_2021.cells
            if c.path.startswith(f"{row}.")
        )
        (note,) = result.notes_for("missing-cells")
        assert (note.path, note.text) == (row, " / ".join(["0"] * 6))


def test_empty_lines_are_not_cells_where_the_text_puts_one_after_every_line() -> None:
    report = _blanked("requests.new_received.research")
    result = gipreport.read(to_lines_text(report, blank="", page_every=10_000, spaced=True))
    row = "requests.new_received"
    assert all(
        result.report.cell(c.path) is None for c in FORM_2021.cells if c.path.startswith(f"{row}.")
    )
    assert [n.path for n in result.notes_for("missing-cells")] == [row]


def test_a_paragraph_printed_by_two_page_breaks_of_many_is_not_a_running_footer() -> None:
    # Found by Hypothesis: prose of one repeated line ("0。") stood by two of eight
    # page breaks and was taken for a running footer, and two paragraphs were lost.
    prose = Prose(
        paragraphs=("0。",) * 3,
        subsections=tuple(Subsection(heading="0。", paragraphs=("0。",) * 3) for _ in range(3)),
    )
    report = attrs.evolve(
        gipreport.examples.mingan_2023(),
        title=None,
        published_on=None,
        problems=prose,
        other_matters=prose,
    )
    result = gipreport.read(to_lines_text(report, width=24, page_number="— {} —"))
    assert result.report.other_matters == prose
    assert result.report.problems == prose
    assert [n.text for n in result.notes_for("page-furniture") if "—" not in n.text] == [
        n.text for n in result.notes_for("page-furniture") if "报告" in n.text
    ]
