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
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import gipreport
from gipreport import Report
from gipreport import strategies as gs
from test_read_pdf_libreoffice import SOFFICE
from test_read_pdf_libreoffice import test_a_printed_report_reads_back as _reads_back

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer-nogui",
)

EXAMPLES = int(os.environ.get("GIPREPORT_PDF_EXAMPLES_2019", "4"))


def _drawn(count: int) -> list[Report]:
    drawn: list[Report] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(gs.reports(format="2019", blanks=True, max_count=9_999_999))
    def collect(report: Report) -> None:
        drawn.append(report)

    collect()
    return drawn[-count:]


@pytest.fixture(scope="module")
def printed_2019(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Report, Path]]:
    assert SOFFICE is not None
    work = tmp_path_factory.mktemp("pdf-law-2019")
    reports = [gipreport.examples.made_up_2020(), *_drawn(EXAMPLES)]
    assert {report.format for report in reports} == {"2019"}
    sources = []
    for number, report in enumerate(reports):
        source = work / f"r{number:04}.docx"
        data = gipreport.render(report, "docx")
        assert isinstance(data, bytes)
        source.write_bytes(data)
        sources.append(str(source))
    profile = (work / "profile").as_uri()
    result = subprocess.run(
        [
            *(SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore"),
            *("--convert-to", "pdf", "--outdir", str(work), *sources),
        ],
        capture_output=True,
        text=True,
        timeout=60 + 20 * len(sources),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [(report, work / f"r{number:04}.pdf") for number, report in enumerate(reports)]


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
