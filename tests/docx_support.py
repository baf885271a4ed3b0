"""Reports and helpers shared by the docx tests."""

from __future__ import annotations

from decimal import Decimal

import attrs

import gipreport

PARAGRAPH = ("政府信息公开工作年度报告，" * 100)[:1000]
"""A 1,000-character paragraph."""


def example() -> gipreport.Report:
    """Return the bundled example report."""
    return gipreport.examples.mingan_2023()


def maximal_report() -> gipreport.Report:
    """Return a report with 1,000-character texts and six-digit counts in every cell."""
    prose = gipreport.Prose(
        paragraphs=(PARAGRAPH,) * 2,
        subsections=(gipreport.Subsection(heading=PARAGRAPH, paragraphs=(PARAGRAPH,)),) * 2,
    )
    report = attrs.evolve(
        example(),
        organ="某某省某某市某某县某某乡镇人民政府某某办公室政府信息公开与政务服务管理中心",
        preamble=(PARAGRAPH,),
        overview=prose,
        problems=prose,
        other_matters=prose,
    )
    return report.with_cells(
        {
            cell.path: Decimal("999999.999999") if cell.spec.kind == "amount" else 999999
            for cell in report.cells()
        }
    )


LONG_VALUE_PATH = "requests.new_received.other_org"
"""The cell :func:`long_value_report` fills with a seven-digit count."""


def long_value_report() -> gipreport.Report:
    """Return the bundled example with one seven-digit count in table 3."""
    return example().with_cell(LONG_VALUE_PATH, 1_234_567)
