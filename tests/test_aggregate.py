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
    b = attrs.evolve(b, organ="乌拉特前旗乌拉山镇人民政府")
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
    total = sum_reports(
        (attrs.evolve(example(), organ=f"第{i}镇人民政府") for i in range(3)), organ="合计"
    )
    assert total.cell("requests.results.total.total") == 0


def test_the_same_organ_and_year_twice_is_refused() -> None:
    one = example()
    with pytest.raises(
        ValueError, match=r"乌拉特前旗明安镇人民政府 2023 is given twice \(\[0\], \[2\]\)"
    ):
        sum_reports([one, attrs.evolve(one, organ="某镇"), one], organ="合计")
    with pytest.raises(ValueError, match=r"the same report is given twice, as a/x\.json and"):
        sum_reports([one, one], organ="合计", names=["a/x.json", "a/x.docx"])
    with pytest.raises(ValueError, match=r"given twice \(a.json, b.json\)"):
        sum_reports([one, one], organ="合计", names=["a.json", "b.json"])
    with pytest.raises(ValueError, match="2 names for 1 reports"):
        sum_reports([one], organ="合计", names=["a.json", "b.json"])
    # Deliberately: the same report twice is twice its cells.
    total = sum_reports([one, one], organ="合计", allow_duplicates=True)
    assert total.cell("proactive.rules.in_force") == 2 * one.cell("proactive.rules.in_force")  # type: ignore[operator]
    # Another year of the same organ is not a duplicate.
    assert sum_reports([one, attrs.evolve(one, year=2024)], organ="合计", year=2024).year == 2024
