"""Hand-made published reports read back to the reports they show, with the expected notes.

- ``county_bureau_2023.html``: a page in the style of a government website — site
  navigation and breadcrumbs, a "发布时间" line, headings as bold paragraphs, the
  official ``rowspan``/``colspan`` tables with "/", "&nbsp;" and "—" blanks, a
  thousands separator, labels broken by ``<br>`` and spaced out, half-width
  brackets and quotes, print links and a site footer after the signature.
- ``city_bureau_2022.docx``: a report in another template than gipreport's (built
  by ``make_city_docx.py``): 宋体/黑体, no heading styles, merges made by hand,
  labels broken by line breaks, an extra empty row in table 3, a title of its own.

The expected reports are the JSON files beside them, checked by hand against the
source; the notes are listed here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gipreport

DATA = Path(__file__).parent / "data" / "read"


def _notes(result: gipreport.ParseResult) -> list[tuple[str, str | None, str]]:
    return [(note.code, note.path, str(note.where)) for note in result.notes]


def test_a_government_web_page() -> None:
    result = gipreport.read(DATA / "county_bureau_2023.html")
    assert result.format == "html"
    expected = gipreport.load_json((DATA / "county_bureau_2023.json").read_bytes())
    assert result.report == expected
    assert _notes(result) == [
        ("extra-text", None, "paragraph 1, line 12"),
        ("extra-text", None, "paragraph 2, line 13"),
        ("extra-text", None, "paragraph 4, line 16"),
        ("blank-cell", "proactive.rules.issued", "table 2, row 3, column 2, line 37"),
        ("blank-cell", "proactive.rules.repealed", "table 2, row 3, column 3, line 37"),
        ("blank-cell", "proactive.rules.in_force", "table 2, row 3, column 4, line 37"),
        (
            "blank-cell",
            "requests.results.withheld.administrative_query.research",
            "table 3, row 15, column 6, line 82",
        ),
        ("blank-cell", "appeals.litigation_direct.other", "table 4, row 4, column 8, line 111"),
        ("extra-text", None, "paragraph 21, line 122"),
        ("extra-text", None, "paragraph 22, line 125"),
    ]
    # The page's blanks are blanks: the checks cannot assess what they read.
    assert gipreport.check(result.report).ok


def test_a_web_page_in_gb2312_reads_the_same() -> None:
    page = (DATA / "county_bureau_2023.html").read_text("utf-8")
    data = page.replace("charset=utf-8", "charset=gb2312").encode("gb18030")
    result = gipreport.read(data)
    assert result.report == gipreport.read(DATA / "county_bureau_2023.html").report
    assert "encoding" in [note.code for note in result.notes]


def test_a_docx_in_another_template() -> None:
    result = gipreport.read(DATA / "city_bureau_2022.docx")
    assert result.format == "docx"
    expected = gipreport.load_json((DATA / "city_bureau_2022.json").read_bytes())
    assert result.report == expected
    assert _notes(result) == [
        ("blank-cell", "proactive.coercion.decisions", "table 2, row 11, column 2"),
    ]
    assert result.report.title == "某某市生态环境局2022年度政府信息公开工作年度报告"
    assert gipreport.check(result.report).errors == ()


@pytest.mark.parametrize("name", ["county_bureau_2023.html", "city_bureau_2022.docx"])
def test_each_fixture_renders_and_reads_back_unchanged(name: str) -> None:
    report = gipreport.read(DATA / name).report
    for fmt in ("html", "text", "docx"):
        assert gipreport.read(gipreport.render(report, fmt)).report == report, fmt
