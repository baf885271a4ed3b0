"""sum_reports: several organs' reports added cell by cell."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

import gipreport
from gipreport import Report, sum_reports


def example() -> Report:
    return gipreport.examples.mingan_2023()


def test_cells_add_up_and_blank_wins() -> None:
    a = example().with_cells({"appeals.review.upheld": 2, "proactive.fees.amount": Decimal("1.50")})
    b = example().with_cells(
        {
            "appeals.review.upheld": 3,
            "proactive.fees.amount": Decimal("0.255"),
            "appeals.review.total": None,
        }
    )
    total = sum_reports([a, b], organ="乌拉特前旗人民政府")
    assert total.appeals.review.upheld == 5
    assert total.appeals.review.total is None
    assert total.cell("proactive.fees.amount") == Decimal("1.755")
    assert total.organ == "乌拉特前旗人民政府"
    assert total.year == 2023
    assert total.overview == gipreport.Prose()
    assert total.published_on is None


def test_one_report_sums_to_its_own_tables() -> None:
    report = example()
    assert sum_reports([report], organ=report.organ).values() == report.values()


def test_several_years_need_an_explicit_year() -> None:
    other = attrs.evolve(example(), year=2024)
    with pytest.raises(ValueError, match="several years"):
        sum_reports([example(), other], organ="合计")
    assert sum_reports([example(), other], organ="合计", year=2024).year == 2024


def test_nothing_to_add_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        sum_reports([], organ="合计")


def test_generators_are_accepted() -> None:
    total = sum_reports((example() for _ in range(3)), organ="合计")
    assert total.cell("requests.results.total.total") == 0
