"""Suspect cells: the one cell that explains every failing arithmetic instance."""

from __future__ import annotations

import pytest

import gipreport
from checks_support import ARITHMETIC_RULES, valid_report
from gipreport import CheckResult, Report
from gipreport.form import FORM_2021

ARITHMETIC_CELLS = tuple(dict.fromkeys(path for eq in FORM_2021.equations for path in eq.cells))


def arithmetic_holds(result: CheckResult) -> bool:
    return not any(result.counts[rule].failed for rule in ARITHMETIC_RULES)


@pytest.fixture(scope="module")
def report() -> Report:
    return valid_report(11)


def test_every_cell_of_an_equation_is_an_arithmetic_cell() -> None:
    assert len(ARITHMETIC_CELLS) == 25 * 7 + 15


@pytest.mark.parametrize("delta", [1, -1, 7])
def test_every_single_cell_perturbation_names_the_cell(report: Report, delta: int) -> None:
    for path in ARITHMETIC_CELLS:
        value = report.count(path)
        assert value is not None
        if value + delta < 0:
            continue
        result = gipreport.check(report.with_cells({path: value + delta}))
        assert not result.ok, path
        assert not result.no_single_suspect, path
        named = {suspect.cell: suspect for suspect in result.suspects}
        assert path in named, path
        assert (named[path].value, named[path].fix) == (value + delta, value)
        # Every suspect named, changed alone, makes all the arithmetic hold.
        for suspect in result.suspects:
            fixed = report.with_cells({path: value + delta, suspect.cell: suspect.fix})
            assert arithmetic_holds(gipreport.check(fixed, select="error")), (path, suspect)


def test_a_table_3_cell_is_named_alone(report: Report) -> None:
    path = "requests.results.withheld.state_secret.legal_services"
    value = report.count(path)
    assert value is not None
    result = gipreport.check(report.with_cells({path: value + 4}))
    (suspect,) = result.suspects
    assert suspect.cell == path
    assert suspect.label == "三、本年度办理结果（三）不予公开1.属于国家秘密 · 法律服务机构"
    assert (suspect.value, suspect.fix, suspect.year) == (value + 4, value, 2023)
    assert suspect.message_zh == (
        f"2023年 {suspect.label}: 现为{value + 4}，改为{value}即可使全部不成立的勾稽关系成立"
    )
    assert str(value) in suspect.message_en


def test_the_cells_of_one_equation_are_indistinguishable(report: Report) -> None:
    # A 行政复议 cell is read by one equation only: any of its five cells could be
    # the wrong one, and each is named with the value that would fix it.
    group = [spec.path for spec in FORM_2021.cells if spec.row_path == "appeals.review"]
    value = report.count("appeals.review.pending")
    assert value is not None
    result = gipreport.check(report.with_cells({"appeals.review.pending": value + 100}))
    names = [suspect.cell for suspect in result.suspects]
    assert "appeals.review.pending" in names
    assert "appeals.review.total" in names
    assert set(names) <= set(group)
    # A part cannot go below 0, so the parts smaller than 100 are not suspects.
    for path in group[:-1]:
        count = report.count(path)
        assert count is not None
        if path != "appeals.review.pending":
            assert (path in names) == (count >= 100)


def test_two_wrong_cells_give_no_single_suspect(report: Report) -> None:
    changes = {}
    for path in ("requests.new_received.commercial", "appeals.review.upheld"):
        value = report.count(path)
        assert value is not None
        changes[path] = value + 1
    result = gipreport.check(report.with_cells(changes))
    assert result.suspects == ()
    assert result.no_single_suspect
    assert result.unexplained == (2023,)
    assert result.to_dict()["unexplained_years"] == [2023]


def test_two_changes_that_need_different_amounts(report: Report) -> None:
    changes = {}
    for path, delta in (
        ("requests.new_received.commercial", 1),
        ("requests.new_received.research", 2),
    ):
        value = report.count(path)
        assert value is not None
        changes[path] = value + delta
    result = gipreport.check(report.with_cells(changes))
    assert result.no_single_suspect


def test_no_failure_no_suspect(report: Report) -> None:
    result = gipreport.check(report)
    assert result.suspects == ()
    assert not result.no_single_suspect


def test_a_fix_below_zero_is_not_a_suspect() -> None:
    report = valid_report(11).with_cells({"appeals.review.upheld": 0})
    report = gipreport.derive_totals(report)
    total = report.count("appeals.review.total")
    assert total is not None
    result = gipreport.check(report.with_cells({"appeals.review.total": total + 1}))
    names = {suspect.cell for suspect in result.suspects}
    assert "appeals.review.total" in names
    assert "appeals.review.upheld" in names  # 0 → 1 makes the total right
    broken = report.with_cells({"appeals.review.total": total - 1}) if total else None
    if broken is not None:
        names = {suspect.cell for suspect in gipreport.check(broken).suspects}
        assert "appeals.review.upheld" not in names  # 0 → −1 is not a count


def test_blank_cells_stay_out(report: Report) -> None:
    path = "requests.carried_forward.total"
    value = report.count("requests.carried_forward.commercial")
    assert value is not None
    result = gipreport.check(
        report.with_cells({path: None, "requests.carried_forward.commercial": value + 1})
    )
    # The row total and the balance of 总计 read the blank: they are left out,
    # and the balance of 商业企业 alone fails.
    names = {suspect.cell for suspect in result.suspects}
    assert "requests.carried_forward.commercial" in names
    assert path not in names


def test_only_the_rules_run_are_considered(report: Report) -> None:
    path = "requests.new_received.commercial"
    value = report.count(path)
    assert value is not None
    broken = report.with_cells({path: value + 1})
    (suspect,) = gipreport.check(broken).suspects
    assert suspect.cell == path
    # Without the row totals, the balance alone fails: every cell it reads could be wrong.
    only_balance = gipreport.check(broken, select="requests.balance")
    names = [suspect.cell for suspect in only_balance.suspects]
    assert path in names
    assert len(names) > 1
    assert gipreport.check(broken, select="warning").suspects == ()
