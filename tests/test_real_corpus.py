"""Reading real published reports: every file of tests/data/real/ against its expected.json.

The corpus (tests/data/real/README.md) is a copy of the reports organs published,
each with what reading it must give: the cells (or the whole document), the organ,
the year and the date of issue — or that it must be refused with a clear
ParseError. Every file is classified by its kind; the kinds whose readers are on
this branch are read here (``READ_KINDS``), and each kind added extends it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import gipreport
from gipreport import ParseError, ParseResult

REAL = Path(__file__).parent / "data" / "real"

READ_KINDS = frozenset({"html", "crawler-text", "2019-excerpt", "pdftotext"})
"""The kinds read here to their whole expected reading. A PDF itself is read in
test_read_pdf.py (with the pdf extra); its pdftotext text is read here. The
markdown conversion's cells are read in test_read_real_text.py; it joins this list
when the markdown reader joins a sub-heading-like line a converter made a heading
("### 三是提高解读效能。") with the paragraph it begins, as its expected document has it."""

# Hongze's "2.其他法律行政止公开" (法规禁 dropped) is read as item 2 of （三）不予公开,
# with a label-variant note: no row of the corpus is left unread.
KNOWN_UNREAD: dict[str, tuple[str, str]] = {}
"""Rows a source misprints beyond any variant: (the printed label, the row's path)."""

GIVEN = {
    # The conversion prints 沐阳 for 沭阳 throughout (an OCR slip): no place in the
    # source names the organ rightly, so the caller gives it.
    "kiro-shuyang-xian-2025/source.txt": "沐阳县人民政府",
}
"""Files whose organ the source misprints everywhere, with the misprint: read with
``organ=`` the expected organ, which a note says the source names otherwise."""

KINDS = frozenset({*READ_KINDS, "markdown", "pdf"})

REFUSALS = {
    "2019": "laid out in the 2019 format's tables",
    "run-together": "cells ran together",
}


def _kind(source: dict[str, Any]) -> str:
    if "kind" not in source:
        return "2019-excerpt"
    tool = str(source.get("from", {}).get("tool", ""))
    description = str(source.get("description", ""))
    if source["kind"] in ("html", "pdf"):
        return str(source["kind"])
    if "pdftotext" in tool:
        return "pdftotext"
    if "markdown" in description:
        return "markdown"
    if "crawler" in description:
        return "crawler-text"
    return "unknown"


def _cases() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    for expected_path in sorted(REAL.glob("*/expected.json")):
        expected = json.loads(expected_path.read_text("utf-8"))
        folder = expected_path.parent.name
        for source in expected.get("sources", []):
            yield folder, _kind(source), source, expected
        for excerpt in expected.get("excerpts", []):
            # A 2019-format excerpt is read as far as it goes: printed a value a line
            # (tests/test_read_lines_text.py) or its cells split by "|"
            # (tests/test_read_pipe_text.py).
            yield folder, "2019-excerpt", {**excerpt, "expect": "partial"}, excerpt


CASES = list(_cases())
READ = [case for case in CASES if case[1] in READ_KINDS]


def _id(case: tuple[str, str, dict[str, Any], dict[str, Any]]) -> str:
    return f"{case[0]}/{case[2]['file']}"


def test_every_file_of_the_corpus_has_a_known_kind() -> None:
    assert CASES
    assert {kind for _folder, kind, _source, _expected in CASES} <= KINDS
    files = {
        str(path.relative_to(REAL))
        for path in REAL.glob("*/*")
        if path.name not in ("expected.json", "README.md")
    }
    assert files == {f"{case[0]}/{case[2]['file']}" for case in CASES}


def _expected_cells(expected: dict[str, Any]) -> dict[str, Any]:
    if "cells" in expected:
        return dict(expected["cells"])
    report = gipreport.load_json(json.dumps(expected["document"]))
    return dict(report.values().items())


def _same(got: object, want: object) -> bool:
    if want is None or got is None:
        return got is None and want is None
    if isinstance(got, Decimal):
        return got == Decimal(str(want))
    return got == want


@pytest.mark.parametrize("case", [c for c in READ if c[2]["expect"] == "read"], ids=_id)
def test_a_real_report_reads_to_its_expected_cells(
    case: tuple[str, str, dict[str, Any], dict[str, Any]],
) -> None:
    folder, _kind, source, expected = case
    name = f"{folder}/{source['file']}"
    organ = expected["organ"] if name in GIVEN else None
    result = gipreport.read(REAL / folder / source["file"], organ=organ)
    if name in GIVEN:
        assert {n.text for n in result.notes_for("organ-differs")} == {GIVEN[name]}
    report = result.report
    want = _expected_cells(expected)
    assert len(want) == len(report.values())
    if name in KNOWN_UNREAD:
        label, row = KNOWN_UNREAD[name]
        assert any(label in n.text for n in result.notes_for("row-unknown"))
        for path in [p for p in want if p.startswith(f"{row}.")]:
            assert report.cell(path) is None
            want[path] = None
    wrong = {p: (v, report.cell(p)) for p, v in want.items() if not _same(report.cell(p), v)}
    assert wrong == {}
    assert report.organ == expected["organ"]
    assert report.year == expected["year"]
    assert report.format == expected["format"]
    published = expected.get("published_on")
    assert (report.published_on.isoformat() if report.published_on else None) == published
    # Every table was read: no error-level note.
    assert result.errors == ()
    if "document" in expected:
        _assert_document(result, expected["document"])
    _assert_notes_have_places(result)


def _assert_document(result: ParseResult, document: dict[str, Any]) -> None:
    whole = gipreport.load_json(json.dumps(document))
    report = result.report
    assert report.preamble == whole.preamble
    for key in ("overview", "problems", "other_matters"):
        assert getattr(report, key) == getattr(whole, key), key


def _assert_notes_have_places(result: ParseResult) -> None:
    for note in result.notes:
        if note.code in ("encoding", "signature-missing", "section-missing"):
            continue  # about the whole source, or about what it lacks
        if note.path in ("organ", "year") and note.code in ("organ-given", "year-given"):
            continue
        assert str(note.where) != "the document" or note.code == "year-inferred", note


@pytest.mark.parametrize("case", [c for c in READ if c[2]["expect"] == "refused"], ids=_id)
def test_a_real_report_that_cannot_be_read_is_refused_saying_why(
    case: tuple[str, str, dict[str, Any], dict[str, Any]],
) -> None:
    folder, _kind, source, expected = case
    why = REFUSALS["2019" if expected.get("format") == "2019" else "run-together"]
    with pytest.raises(ParseError, match=why) as raised:
        gipreport.read(REAL / folder / source["file"])
    assert "not a report" not in str(raised.value)
    assert raised.value.where  # it says where in the source


def test_web_pages_keep_their_chrome_out_of_the_report() -> None:
    result = gipreport.read(REAL / "pingtan-2024" / "page-article.html")
    report = result.report
    assert report.title == "平潭综合实验区2024年度政府信息公开工作年度报告"
    texts = {*report.preamble, *(text for _path, text in report.texts())}
    for chrome in ("微信 微博 QQ空间", "全真版", "文字版", "文件下载", "相关链接："):
        assert chrome not in texts
    assert not any("时间：2025-03-10" in text for text in texts)
    chrome_notes = [n.text for n in result.notes_for("extra-text")]
    assert "微信 微博 QQ空间" in chrome_notes
    assert [n.code for n in result.notes if n.path == "published_on"] == ["date-inferred"]
    # The run-in sub-headings of 总体情况 are its subsections.
    headings = [s.heading for s in report.overview.subsections]
    assert headings == [
        "主动公开方面。",
        "依申请公开方面。",
        "政府信息管理方面。",
        "信息公开平台建设方面。",
        "监督保障方面。",
    ]
    assert report.overview.subsections[0].paragraphs[0].startswith("有序推进基层政务公开")


def test_a_captured_page_reads_its_capture_header_and_metadata_table_as_notes() -> None:
    result = gipreport.read(REAL / "kiro-shuyang-fgj-2023" / "source.html")
    report = result.report
    assert report.title == "沭阳县发展和改革局2023年政府信息公开年度报告"  # not the capture's
    assert not any("采集时间" in p or "索引号" in p for p in report.preamble)
    assert len(report.preamble) == 1
    notes = {n.code for n in result.notes}
    assert "table-unknown" not in notes  # the metadata table is the page's, noted as such
    variants = [n.text for n in result.notes_for("label-variant")]
    assert variants == ["五、存在的主要问题及整改措施", "规范性文件"]
    assert [s.heading for s in report.problems.subsections] == ["存在的主要问题。", "整改措施。"]
