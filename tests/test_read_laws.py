"""Laws of reading: every renderer's output reads back to the report, and any input
gives a result or a ParseError — nothing else, no file or network access, bounded memory.
"""

from __future__ import annotations

import io
import sys
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gipreport
import pdf_support
from budget_support import examples, reports
from gipreport import ParseError, ParseResult, Report
from gipreport import strategies as gs
from gipreport._rendering.to_docx import render_docx
from gipreport._rendering.to_html import render_html
from gipreport._rendering.to_text import render_text
from gipreport.layout import SUBHEADING_STYLES

# A whole report rendered and read is costly: these laws run fewer examples than
# the profile's (every other law keeps the profile's count).
WHOLE_REPORTS = settings(max_examples=examples(50))

READERS: dict[str, Callable[[Any], ParseResult]] = {
    "text": gipreport.read_text,
    "html": gipreport.read_html,
    "docx": gipreport.read_docx,
}

# --- round trips ------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["2021", "2019"])
@pytest.mark.parametrize("fmt", sorted(READERS))
@WHOLE_REPORTS
@given(data=st.data())
def test_a_rendered_report_reads_back_as_itself(fmt: str, form: str, data: st.DataObject) -> None:
    # Both national formats: a 2019 report reads back in the 2019 tables, signs and all.
    report = data.draw(reports(format=form, blanks=True))
    rendered = gipreport.render(report, fmt)
    result = READERS[fmt](rendered)
    assert result.report == report
    # What is noted is only what the report itself lacks: its blank cells, and
    # the date of issue under the signature if it has none.
    blanks = {path for path, value in report.values().items() if value is None}
    assert {n.path for n in result.notes if n.code == "blank-cell"} == blanks
    undated = [n for n in result.notes if n.code == "signature-missing"]
    assert len(undated) == (report.published_on is None)
    assert {n.code for n in result.notes} <= {"blank-cell", "signature-missing"}
    # read() finds the format by itself.
    assert gipreport.read(rendered).report == report


@pytest.mark.parametrize("fmt", sorted(READERS))
@WHOLE_REPORTS
@given(report=gs.reports(max_count=10**12))
def test_large_numbers_read_back_exactly(fmt: str, report: Report) -> None:
    assert READERS[fmt](gipreport.render(report, fmt)).report == report


# Each style costs a whole report a format: fewer examples each (15 laws in all).
EACH_STYLE = settings(max_examples=examples(15))


@pytest.mark.parametrize("style", list(SUBHEADING_STYLES))
@pytest.mark.parametrize("fmt", sorted(READERS))
@EACH_STYLE
@given(data=st.data())
def test_every_subheading_style_reads_back(fmt: str, style: str, data: st.DataObject) -> None:
    report = data.draw(reports(format=data.draw(st.sampled_from(["2021", "2019"])), blanks=True))
    rendered = gipreport.render(report, fmt, subheading_style=style)
    result = READERS[fmt](rendered)
    assert result.report == report
    assert {n.code for n in result.notes} <= {"blank-cell", "signature-missing"}
    numbered = any(
        report.overview.subsections + report.problems.subsections + report.other_matters.subsections
    )
    assert result.subheading_style == (style if numbered else None)


@pytest.mark.parametrize("fmt", sorted(READERS))
@WHOLE_REPORTS
@given(report=gs.reports(text=st.text(), blanks=True))
def test_a_report_of_any_text_reads_back_as_itself(fmt: str, report: Report) -> None:
    rendered = gipreport.render(report, fmt)
    try:
        result = READERS[fmt](rendered)
    except gipreport.PartialReadError as error:
        # What no rendering can state: the year, when the report's own title does not
        # state it and there is no date of issue. Given, the rest reads back.
        missing, partial = error.missing, error.partial
        result = partial.complete(year=report.year)
        assert missing == ("year",)
        assert report.title is not None
        assert report.published_on is None
    assert result.report == report


_ANY_PROSE = gs.prose(text=gs.chinese_text(min_size=1, max_size=80).filter(str.strip))


@pytest.mark.parametrize("style", list(SUBHEADING_STYLES))
@pytest.mark.parametrize("fmt", sorted(READERS))
@EACH_STYLE
@given(report=gs.reports(), data=st.data())
def test_every_format_keeps_any_prose(
    fmt: str, style: str, report: Report, data: st.DataObject
) -> None:
    # HTML and docx mark headings up and the text layout indents paragraphs, so even
    # paragraphs that look like numbered headings stay paragraphs, and headings of
    # any text stay headings, in every sub-heading style.
    overview, problems, other = (data.draw(_ANY_PROSE) for _ in range(3))
    report = attrs.evolve(report, overview=overview, problems=problems, other_matters=other)
    rendered = gipreport.render(report, fmt, subheading_style=style)
    assert READERS[fmt](rendered).report == report


@pytest.mark.parametrize("style", list(SUBHEADING_STYLES))
def test_the_seed_report_reads_back_through_every_format(style: str) -> None:
    report = gipreport.examples.mingan_2023()
    for fmt, reader in READERS.items():
        result = reader(gipreport.render(report, fmt, subheading_style=style))
        assert result.report == report, fmt
        assert result.notes == (), fmt
        assert result.subheading_style == style, fmt


# --- robustness ---------------------------------------------------------------------------

_WATCHING: list[list[tuple[str, tuple[Any, ...]]]] = []
_WARM: list[bool] = []
_FORBIDDEN = ("open", "socket.", "urllib.", "subprocess.", "os.system", "os.exec", "ctypes.")


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _WATCHING and event.startswith(_FORBIDDEN) and not _importing(event, args):
        _WATCHING[-1].append((event, args))


def _importing(event: str, args: tuple[Any, ...]) -> bool:
    # Python opening its own modules (a codec imported on first use) is not the reader.
    return event == "open" and isinstance(args[0], str) and args[0].endswith(_MODULES)


_MODULES = (".py", ".pyc", ".so")


sys.addaudithook(_audit)


@contextmanager
def no_outside_access() -> Iterator[None]:
    """Fail if the code inside opens a file, a socket or a process (Python audit events)."""
    # Run every reader once first: importing a module opens its file.
    if not _WARM:
        for fmt, reader in READERS.items():
            reader(gipreport.render(gipreport.examples.mingan_2023(), fmt))
        gipreport.read_pdf(_PDF)
        _WARM.append(True)
    events: list[tuple[str, tuple[Any, ...]]] = []
    _WATCHING.append(events)
    try:
        yield
    finally:
        _WATCHING.pop()
    assert events == []


def _read_any(data: bytes | str, fmt: str | None = None) -> None:
    try:
        result = gipreport.read(data, format=fmt)  # type: ignore[arg-type]
    except ParseError as error:
        reason = error.reason
        assert reason
    else:
        assert isinstance(result, ParseResult)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_any_text_gives_a_result_or_a_parse_error(text: str) -> None:
    with no_outside_access():
        for fmt in ("text", "html", None):
            _read_any(text, fmt)


_PDF = (Path(__file__).parent / "data" / "pdf" / "mingan_2023.pdf").read_bytes()
_TEXT = render_text(gipreport.examples.mingan_2023())
_HTML = render_html(gipreport.examples.mingan_2023())
_DOCX = render_docx(gipreport.examples.mingan_2023())


def _mutated_lines(text: str) -> st.SearchStrategy[str]:
    lines = text.split("\n")
    edit = st.tuples(
        st.sampled_from(["delete", "duplicate", "replace", "swap"]),
        st.integers(min_value=0, max_value=len(lines) - 1),
        st.integers(min_value=0, max_value=len(lines) - 1),
        st.text(max_size=30),
    )

    def apply(edits: list[tuple[str, int, int, str]]) -> str:
        out = list(lines)
        for kind, first, second, new in edits:
            i, j = first % len(out), second % len(out)
            if kind == "delete" and len(out) > 1:
                del out[i]
            elif kind == "duplicate":
                out.insert(j, out[i])
            elif kind == "replace":
                out[i] = new
            else:
                out[i], out[j] = out[j], out[i]
        return "\n".join(out)

    return st.lists(edit, min_size=1, max_size=8).map(apply)


@given(_mutated_lines(_TEXT))
def test_damaged_text_gives_a_result_or_a_parse_error(text: str) -> None:
    with no_outside_access():
        _read_any(text, "text")


@WHOLE_REPORTS
@given(_mutated_lines(_HTML))
def test_damaged_html_gives_a_result_or_a_parse_error(html: str) -> None:
    with no_outside_access():
        _read_any(html, "html")


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(_DOCX) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=6,
    )
)
def test_damaged_docx_bytes_give_a_result_or_a_parse_error(
    edits: list[tuple[int, int]],
) -> None:
    data = bytearray(_DOCX)
    for position, value in edits:
        data[position] = value
    with no_outside_access():
        _read_any(bytes(data))


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_truncated_files_give_a_parse_error(fraction: float) -> None:
    with no_outside_access():
        for data in (_DOCX, _HTML.encode(), _TEXT.encode(), _PDF):
            _read_any(data[: int(len(data) * fraction)])


@WHOLE_REPORTS
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(_PDF) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=6,
    )
)
def test_damaged_pdf_bytes_give_a_result_or_a_parse_error(edits: list[tuple[int, int]]) -> None:
    data = bytearray(_PDF)
    for position, value in edits:
        data[position] = value
    with no_outside_access():
        _read_any(bytes(data))


def _docx_with(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_DOCX)) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info)
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_a_docx_with_an_external_entity_reads_no_file(tmp_path: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("一、总体情况 SECRET", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file://{secret}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    with no_outside_access(), pytest.raises(ParseError, match="DTD"):
        gipreport.read(_docx_with(body))


def test_a_zip_bomb_is_refused_in_bounded_memory() -> None:
    # 256 MiB of zeros as word/document.xml (four times the limit), 250 KiB compressed.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        with zipfile.ZipFile(io.BytesIO(_DOCX)) as source:
            for info in source.infolist():
                if info.filename != "word/document.xml":
                    bomb.writestr(info.filename, source.read(info))
        with bomb.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(256):
                member.write(chunk)
    tracemalloc.start()
    try:
        with no_outside_access(), pytest.raises(ParseError):
            gipreport.read(buffer.getvalue())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".doc"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "damaged or truncated PDF"),
        (b"PK\x03\x04 not really a zip", "zip"),
    ],
)
def test_files_of_other_kinds_are_named(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        gipreport.read(data)


def test_a_gipreport_json_document_reads_as_json() -> None:
    report = gipreport.examples.mingan_2023()
    result = gipreport.read(gipreport.dump_json(report))
    assert (result.format, result.report, result.notes) == ("json", report, ())
    with pytest.raises(ParseError, match="JSON"):
        gipreport.read('{"schema": "gipreport/1"}')


def test_a_file_name_given_as_str_gets_a_hint() -> None:
    with pytest.raises(ParseError, match="pass a Path"):
        gipreport.read("报告.docx")


@pytest.mark.parametrize(
    "data",
    [
        "一" * 2_000_000,  # one line of 2 million characters
        "\t0\n" * 50_000,  # a table of 50,000 cells
        "<div>" * 20_000 + "一、总体情况",  # deep nesting
        "<table><tr>" + '<td rowspan="65534" colspan="1000">x</td>' * 5 + "</tr></table>",
        "<table>" + "<tr><td>1</td></tr>" * 5_000 + "</table>",
        "（1） 主动公开情况\n" * 10_000,
    ],
    ids=["long-line", "many-cells", "deep-html", "huge-spans", "many-rows", "many-headings"],
)
def test_pathological_inputs_end_with_a_result_or_a_parse_error(data: str) -> None:
    tracemalloc.start()
    try:
        with no_outside_access():
            _read_any(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 500 * 1024 * 1024


@pytest.mark.parametrize(
    "data",
    [
        pdf_support.many_pages_pdf(10_000),
        pdf_support.pages_pdf([b"0 0 m\n" * (8 << 20)], compress=True),
        pdf_support.pages_pdf([b"[" * 20_000 + b"]" * 20_000]),
        pdf_support.pages_pdf([b"BT /F1 12 Tf (x) Tj ET"], font=pdf_support.UNMAPPED),
    ],
    ids=["many-pages", "content-bomb", "deep-nesting", "unmapped-font"],
)
def test_hostile_pdfs_end_in_a_parse_error_reading_nothing_else(data: bytes) -> None:
    tracemalloc.start()
    try:
        with no_outside_access(), pytest.raises(ParseError):
            gipreport.read(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024
