"""derive_totals: every total from its parts, blanks stay blank, nothing else moves."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples
from gipreport import CellValue, Prose, Report, Subsection, derive_totals
from gipreport.form import FORM_2021, Equation

TOTAL_EQUATIONS: list[Equation] = [eq for eq in FORM_2021.equations if eq.kind == "total"]
TOTAL_PATHS: set[str] = {eq.total for eq in TOTAL_EQUATIONS}
FEE = "proactive.fees.amount"
DETAIL_PATHS: list[str] = [
    cell.path for cell in FORM_2021.cells if cell.path not in TOTAL_PATHS and cell.kind == "count"
]
TOTAL_LIST: list[str] = [cell.path for cell in FORM_2021.cells if cell.path in TOTAL_PATHS]

COUNTS = st.integers(min_value=0, max_value=10**9)
MAYBE_COUNTS = st.none() | COUNTS


def base_report() -> Report:
    return Report(
        organ="某县人民政府",
        year=2023,
        published_on=dt.date(2024, 1, 20),
        preamble=("根据《条例》…",),
        overview=Prose(
            paragraphs=("总体",),
            subsections=(Subsection(heading="主动公开情况", paragraphs=("1.积极利用…",)),),
        ),
        problems=Prose(paragraphs=("问题",)),
    )


def details(*, blanks: bool) -> st.SearchStrategy[dict[str, int | None]]:
    values = MAYBE_COUNTS if blanks else COUNTS
    return st.fixed_dictionaries(dict.fromkeys(DETAIL_PATHS, values))


def totals() -> st.SearchStrategy[dict[str, int | None]]:
    """Return whatever the totals held before deriving: right, wrong or blank."""
    return st.fixed_dictionaries(dict.fromkeys(TOTAL_LIST, MAYBE_COUNTS))


def fees() -> st.SearchStrategy[Decimal | None]:
    return st.none() | st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    """Return a report with random details (sometimes blank), random totals and fee."""
    blanks = draw(st.booleans())
    values: dict[str, CellValue] = {**draw(details(blanks=blanks)), **draw(totals())}
    values[FEE] = draw(fees())
    return base_report().with_cells(values)


def expected_total(report: Report, equation: Equation) -> int | None:
    parts = [report.count(path) for path in equation.right]
    if any(part is None for part in parts):
        return None
    return sum(part for part in parts if part is not None)


def hand_sum(values: dict[str, CellValue], paths: list[str]) -> int | None:
    total = 0
    for path in paths:
        value = values[path]
        if value is None:
            return None
        assert isinstance(value, int)
        total += value
    return total


# --- laws -------------------------------------------------------------------------------


@settings(max_examples=examples(50), deadline=None)
@given(report=reports())
def test_every_total_equation_holds_afterwards(report: Report) -> None:
    derived = derive_totals(report)
    for eq in TOTAL_EQUATIONS:
        assert derived.cell(eq.total) == expected_total(derived, eq), f"{eq.rule} [{eq.instance}]"


@settings(max_examples=examples(50), deadline=None)
@given(values=details(blanks=False))
def test_without_blanks_every_total_is_filled(values: dict[str, int | None]) -> None:
    derived = derive_totals(base_report().with_cells(values))
    for path in TOTAL_LIST:
        assert isinstance(derived.cell(path), int), path
    for eq in TOTAL_EQUATIONS:
        total = derived.count(eq.total)
        parts = [derived.count(path) for path in eq.right]
        assert total == sum(part or 0 for part in parts)


@settings(max_examples=examples(50), deadline=None)
@given(report=reports())
def test_detail_cells_never_change(report: Report) -> None:
    before = report.values()
    after = derive_totals(report).values()
    assert list(after) == list(before)
    changed = {path for path in before if before[path] != after[path]}
    assert changed <= TOTAL_PATHS
    for path in DETAIL_PATHS:
        assert after[path] == before[path]


@settings(max_examples=examples(50), deadline=None)
@given(report=reports())
def test_fee_and_everything_outside_the_tables_is_untouched(report: Report) -> None:
    derived = derive_totals(report)
    assert derived.cell(FEE) == report.cell(FEE)
    assert str(derived.cell(FEE)) == str(report.cell(FEE))
    assert derived.proactive == report.proactive
    # put the tables back and the reports are equal: nothing else moved
    assert attrs.evolve(derived, requests=report.requests, appeals=report.appeals) == report


@settings(max_examples=examples(50), deadline=None)
@given(report=reports())
def test_idempotent(report: Report) -> None:
    once = derive_totals(report)
    assert derive_totals(once) == once


@settings(max_examples=examples(50), deadline=None)
@given(report=reports())
def test_does_not_mutate_its_argument(report: Report) -> None:
    before = report.values()
    derive_totals(report)
    assert report.values() == before


@settings(max_examples=examples(50), deadline=None)
@given(values=details(blanks=True))
def test_a_total_with_a_blank_part_is_blank(values: dict[str, int | None]) -> None:
    report = base_report().with_cells({**values, **dict.fromkeys(TOTAL_LIST, 7)})
    derived = derive_totals(report).values()
    merged: dict[str, CellValue] = {**values, **derived}
    for eq in TOTAL_EQUATIONS:
        has_blank = any(merged[path] is None for path in eq.right)
        assert (derived[eq.total] is None) == has_blank, f"{eq.rule} [{eq.instance}]"


@pytest.mark.parametrize("seed", range(8))
def test_random_details_seeded(seed: int) -> None:
    rng = random.Random(seed)
    values: dict[str, CellValue] = {}
    for path in DETAIL_PATHS:
        values[path] = None if rng.random() < 0.02 else rng.randrange(0, 1000)
    for path in TOTAL_LIST:
        values[path] = rng.choice([None, 0, rng.randrange(0, 10**6)])
    derived = derive_totals(base_report().with_cells(values)).values()
    merged = {**values, **derived}
    columns = [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_services",
        "other_org",
    ]
    result_rows = [
        cell.row_path
        for cell in FORM_2021.cells
        if cell.row_path.startswith("requests.results.")
        and cell.row_path != "requests.results.total"
        and cell.column.key == "total"
    ]
    assert len(result_rows) == 21
    # computed here by hand from the form's shape, not from its equations
    for row_path in {cell.row_path for cell in FORM_2021.cells if cell.table == "requests"}:
        if row_path != "requests.results.total":
            paths = [f"{row_path}.{column}" for column in columns]
            assert derived[f"{row_path}.total"] == hand_sum(merged, paths), row_path
    for column in [*columns, "total"]:
        paths = [f"{row}.{column}" for row in result_rows]
        assert derived[f"requests.results.total.{column}"] == hand_sum(merged, paths), column
    grand = hand_sum(merged, [f"requests.results.total.{column}" for column in columns])
    assert derived["requests.results.total.total"] == grand
    for group in ["review", "litigation_direct", "litigation_after_review"]:
        paths = [f"appeals.{group}.{key}" for key in ["upheld", "corrected", "other", "pending"]]
        assert derived[f"appeals.{group}.total"] == hand_sum(merged, paths)


# --- cases ------------------------------------------------------------------------------


def zero_details() -> dict[str, CellValue]:
    return dict.fromkeys(DETAIL_PATHS, 0)


def test_hand_computed_example() -> None:
    report = base_report().with_cells(
        {
            **zero_details(),
            "requests.new_received.natural_person": 5,
            "requests.new_received.commercial": 2,
            "requests.carried_over.legal_services": 1,
            "requests.results.disclosed.natural_person": 3,
            "requests.results.withheld.state_secret.commercial": 1,
            "requests.results.other.other.natural_person": 2,
            "requests.results.not_processed.duplicate.commercial": 1,
            "requests.carried_forward.legal_services": 1,
            "appeals.review.upheld": 2,
            "appeals.review.pending": 1,
            "appeals.litigation_after_review.corrected": 4,
        }
    )
    derived = derive_totals(report)
    assert derived.cell("requests.new_received.total") == 7
    assert derived.cell("requests.carried_over.total") == 1
    assert derived.cell("requests.results.disclosed.total") == 3
    assert derived.cell("requests.results.withheld.state_secret.total") == 1
    assert derived.cell("requests.results.other.other.total") == 2
    assert derived.cell("requests.results.total.natural_person") == 5
    assert derived.cell("requests.results.total.commercial") == 2
    assert derived.cell("requests.results.total.legal_services") == 0
    assert derived.cell("requests.results.total.total") == 7
    assert derived.cell("requests.carried_forward.total") == 1
    assert derived.cell("appeals.review.total") == 3
    assert derived.cell("appeals.litigation_direct.total") == 0
    assert derived.cell("appeals.litigation_after_review.total") == 4
    # the balance of the corner note holds for this report, column by column
    values = derived.values()
    for eq in FORM_2021.equations_for("requests.balance"):
        assert hand_sum(values, list(eq.left)) == hand_sum(values, list(eq.right)), eq.instance


def test_a_blank_detail_blanks_its_row_its_column_and_the_grand_total() -> None:
    values = zero_details()
    values["requests.results.withheld.state_secret.commercial"] = None
    values["requests.results.disclosed.natural_person"] = 4
    derived = derive_totals(base_report().with_cells(values))
    assert derived.cell("requests.results.withheld.state_secret.total") is None
    assert derived.cell("requests.results.total.commercial") is None
    assert derived.cell("requests.results.total.total") is None
    # the rest of （七）总计 and the other rows are still derived
    assert derived.cell("requests.results.total.natural_person") == 4
    assert derived.cell("requests.results.total.research") == 0
    assert derived.cell("requests.results.disclosed.total") == 4
    assert derived.cell("requests.new_received.total") == 0
    assert derived.cell("appeals.review.total") == 0
    # and the blank detail is still blank, not 0
    assert derived.cell("requests.results.withheld.state_secret.commercial") is None


def test_a_blank_outside_the_results_does_not_reach_the_results_total() -> None:
    values = zero_details()
    values["requests.new_received.research"] = None
    values["appeals.review.other"] = None
    derived = derive_totals(base_report().with_cells(values))
    assert derived.cell("requests.new_received.total") is None
    assert derived.cell("requests.results.total.research") == 0
    assert derived.cell("requests.results.total.total") == 0
    assert derived.cell("appeals.review.total") is None
    assert derived.cell("appeals.litigation_direct.total") == 0


def test_all_blank_report_stays_blank() -> None:
    report = base_report()
    derived = derive_totals(report)
    assert derived == report
    assert all(value is None for value in derived.values().values())


def test_wrong_totals_are_overwritten() -> None:
    values: dict[str, CellValue] = {**zero_details(), **dict.fromkeys(TOTAL_LIST, 999_999)}
    values["requests.results.disclosed.research"] = 2
    derived = derive_totals(base_report().with_cells(values))
    expected: dict[str, CellValue] = dict.fromkeys(TOTAL_LIST, 0)
    expected["requests.results.disclosed.total"] = 2
    expected["requests.results.total.research"] = 2
    expected["requests.results.total.total"] = 2
    assert {path: derived.cell(path) for path in TOTAL_LIST} == expected


def test_a_total_with_a_blank_part_is_blanked_even_if_it_was_filled() -> None:
    values: dict[str, CellValue] = {**zero_details(), **dict.fromkeys(TOTAL_LIST, 0)}
    values["appeals.litigation_direct.pending"] = None
    derived = derive_totals(base_report().with_cells(values))
    assert derived.cell("appeals.litigation_direct.total") is None


def test_correct_totals_are_left_as_they_are() -> None:
    values: dict[str, CellValue] = dict.fromkeys(DETAIL_PATHS, 1)
    for path in TOTAL_LIST:
        values[path] = 6 if path.startswith("requests.") else 4
    # （七）总计 is 21 rows of 1 per detail column, 21 × 6 in its 总计
    for column in ["natural_person", "commercial", "research"]:
        values[f"requests.results.total.{column}"] = 21
    for column in ["social_welfare", "legal_services", "other_org"]:
        values[f"requests.results.total.{column}"] = 21
    values["requests.results.total.total"] = 21 * 6
    values[FEE] = Decimal("18.8710")
    report = base_report().with_cells(values)
    derived = derive_totals(report)
    assert derived == report
    assert derived.values() == report.values()


def test_bundled_example_is_unchanged() -> None:
    report = gipreport.examples.mingan_2023()
    assert derive_totals(report) == report
    assert derive_totals(report).values() == report.values()


def test_derive_totals_is_exported() -> None:
    assert gipreport.derive_totals is derive_totals


def test_every_total_cell_is_covered_by_an_equation() -> None:
    # a guard on the test data itself: the totals strategy covers every derived cell
    assert set(TOTAL_LIST) == TOTAL_PATHS
    assert len(TOTAL_LIST) == 25 + 6 + 3
    assert len(DETAIL_PATHS) == 200 - 1 - len(TOTAL_LIST)
