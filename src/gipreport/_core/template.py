"""A report to fill in: the blank form of a format, for ``gipreport new`` and for scripts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from gipreport._core.form import FormSpec, form_for
from gipreport._core.model import CellValue, Prose, Report, Subsection

__all__ = ["blank_report"]


def blank_report(organ: str, year: int, *, blank: bool = False, format_id: str = "2021") -> Report:
    """Return a report to fill in: every cell 0 (or blank), the customary sub-headings in place.

    Each prose section gets the sub-headings its format names for it
    (:attr:`gipreport.form.SectionSpec.subheadings`), with no paragraphs.
    """
    form: FormSpec = form_for(format_id)
    report = Report(format=format_id, organ=organ, year=year)
    sections: dict[str, Any] = {
        section.key: Prose(
            subsections=tuple(Subsection(heading=heading) for heading in section.subheadings)
        )
        for section in form.sections
        if section.kind == "prose" and section.subheadings
    }
    report = attrs.evolve(report, **sections)
    if blank:
        return report
    zeros: dict[str, CellValue] = {
        spec.path: Decimal(0) if spec.kind == "amount" else 0 for spec in form.cells
    }
    return report.with_cells(zeros)
