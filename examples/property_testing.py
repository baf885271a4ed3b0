"""Property-test your own tool with gipreport's Hypothesis strategies.

The "tool" here is a small function a platform might have: it turns a report
into rows for a spreadsheet and computes the share of applications disclosed.
Three properties are checked on generated reports — valid ones, ones with blank
cells, and ones that break one rule of the form — the way you would in your own
test suite (there, drop ``main()`` and let pytest collect the ``test_`` functions).

Run it: ``python examples/property_testing.py`` (needs ``gipreport[testing]``).
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings

import gipreport
from gipreport.strategies import invalid_reports, reports


def spreadsheet_rows(report: gipreport.Report) -> list[tuple[str, str, str]]:
    """Return ``(path, label, value)`` rows, a blank cell as an empty string."""
    return [
        (cell.path, cell.label, "" if cell.value is None else str(cell.value))
        for cell in report.cells()
    ]


def disclosed_share(report: gipreport.Report) -> Fraction | None:
    """Return the share of settled applications that were disclosed in full, if known."""
    disclosed = report.count("requests.results.disclosed.total")
    settled = report.count("requests.results.total.total")
    if disclosed is None or not settled:
        return None
    return Fraction(disclosed, settled)


@given(reports(blanks=True))
def test_one_row_per_cell_and_blanks_stay_blank(report: gipreport.Report) -> None:
    rows = spreadsheet_rows(report)
    assert len(rows) == len(report.form.cells)
    for (_path, _label, text), cell in zip(rows, report.cells(), strict=True):
        assert (text == "") == (cell.value is None)


@given(reports())
def test_share_is_a_proportion(report: gipreport.Report) -> None:
    share = disclosed_share(report)
    assert share is None or 0 <= share <= 1


@given(invalid_reports(rule="requests.results-total"))
def test_the_tool_notices_a_broken_total(report: gipreport.Report) -> None:
    # A report whose （七）总计 does not add up: gipreport names the rule, and the
    # tool should not trust its share.
    result = gipreport.check(report)
    assert {f.rule for f in result.errors} == {"requests.results-total"}


def main() -> None:
    for test in (
        test_one_row_per_cell_and_blanks_stay_blank,
        test_share_is_a_proportion,
        test_the_tool_notices_a_broken_total,
    ):
        settings(max_examples=50)(test)()
        print(f"ok  {test.__name__}")


if __name__ == "__main__":
    main()
