"""The PDF law on the 2019 format: a 2019 docx, printed to PDF by LibreOffice, reads back.

As :mod:`test_read_pdf_libreoffice` for 2021, on the bundled 2019 example and a
few generated 2019-format reports (its 5-column table 2, 上一年项目数量's value
spanning two columns under a one-column header, signed 本年增/减, 采购总金额 in
万元): every cell exactly, the organ, year, title, date of issue and prose (the
example: its cells). A
few examples keep the added time small (one ``soffice`` call);
``GIPREPORT_PDF_EXAMPLES_2019`` sets how many.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import gipreport
from gipreport import Report
from pdf_support import SOFFICE, drawn_for_pdf, print_to_pdf
from test_read_pdf_libreoffice import test_a_printed_report_reads_back as _reads_back

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer-nogui",
)

EXAMPLES = int(os.environ.get("GIPREPORT_PDF_EXAMPLES_2019", "4"))


@pytest.fixture(scope="module")
def printed_2019(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Report, Path]]:
    assert SOFFICE is not None
    work = tmp_path_factory.mktemp("pdf-law-2019")
    reports = [gipreport.examples.made_up_2020(), *drawn_for_pdf(EXAMPLES, format="2019")]
    assert {report.format for report in reports} == {"2019"}
    sources = []
    for number, report in enumerate(reports):
        source = work / f"r{number:04}.docx"
        data = gipreport.render(report, "docx")
        assert isinstance(data, bytes)
        source.write_bytes(data)
        sources.append(source)
    return list(zip(reports, print_to_pdf(sources, work), strict=True))


def test_a_printed_2019_report_reads_back(printed_2019: list[tuple[Report, Path]]) -> None:
    _reads_back(printed_2019[1:])


def test_the_printed_2019_example_reads_its_cells(printed_2019: list[tuple[Report, Path]]) -> None:
    # Its cells exactly; its prose is not compared: the PDF reader runs its
    # sub-heading "（2）依申请公开情况" on into the paragraph before it.
    report, pdf = printed_2019[0]
    read = gipreport.read(pdf).report
    assert read.format == "2019"
    assert read.values() == report.values()
    assert read.cell("proactive.licensing.change") == -2  # signed, under its header
