"""gipreport.check_series: one organ's consecutive years."""

from __future__ import annotations

import attrs
import pytest

import gipreport
from checks_support import valid_series
from gipreport import Report

YEARS = (2021, 2022, 2023)


@pytest.fixture
def series() -> list[Report]:
    return valid_series(5, YEARS)


def test_a_valid_series_passes(series: list[Report]) -> None:
    result = gipreport.check_series(series)
    assert result.findings == ()
    counts = result.counts
    assert counts["series.carry-over"].passed == 7 * 2
    assert counts["series.in-force"].passed == 2 * 2
    assert counts["series.organ"].passed == 2
    assert counts["requests.balance"].passed == 7 * 3  # each report's own checks too


def test_order_given_does_not_matter(series: list[Report]) -> None:
    assert gipreport.check_series(reversed(series)) == gipreport.check_series(series)


def test_carry_over(series: list[Report]) -> None:
    path = "requests.carried_over.research"
    value = series[2].count(path)
    assert value is not None
    series[2] = series[2].with_cells({path: value + 1})
    result = gipreport.check_series(series, select="series")
    (finding,) = result.findings
    assert finding.rule == "series.carry-over"
    assert finding.severity == "warning"
    assert finding.year == 2023
    assert finding.instance == "research"
    assert finding.cells == (path, "requests.carried_forward.research")
    assert (finding.left, finding.right, finding.difference) == (value + 1, value, 1)
    assert finding.message_zh == (
        f"2023年 二、上年结转政府信息公开申请数量 · 科研机构 = {value + 1}"
        f" ≠ 2022年 四、结转下年度继续办理 · 科研机构 = {value}"
    )
    assert result.ok


def test_carry_over_blank_is_not_assessable(series: list[Report]) -> None:
    series[0] = series[0].with_cells({"requests.carried_forward.other_org": None})
    result = gipreport.check_series(series, select="series.carry-over")
    (finding,) = result.findings
    assert (finding.status, finding.year, finding.instance) == ("not_assessable", 2022, "other_org")


def test_in_force(series: list[Report]) -> None:
    path = "proactive.normative_documents.in_force"
    value = series[1].count(path)
    assert value is not None
    series[1] = series[1].with_cells({path: value + 3})
    result = gipreport.check_series(series, select="series.in-force")
    # 2022 is 3 more than 2021 allows; 2023 then follows from a 2022 that is 3 too many.
    assert [(f.year, f.instance, f.difference) for f in result.findings] == [
        (2022, "normative_documents", 3),
        (2023, "normative_documents", -3),
    ]
    assert "现行有效" in result.findings[0].message_zh


def test_organ(series: list[Report]) -> None:
    series[1] = attrs.evolve(series[1], organ="另一个市人民政府")
    result = gipreport.check_series(series, select="series.organ")
    assert [(f.year, f.severity) for f in result.errors] == [(2022, "error"), (2023, "error")]
    assert not result.ok
    with pytest.raises(gipreport.InvalidReportError):
        result.raise_for_errors()


def test_organ_ignores_spaces(series: list[Report]) -> None:
    # Spaces inside a name (a text has none at its ends): "某某 县人民政府".
    organ = series[1].organ
    series[1] = attrs.evolve(series[1], organ=f"{organ[:2]} {organ[2:]}")
    assert gipreport.check_series(series, select="series.organ").findings == ()


def test_a_year_twice(series: list[Report]) -> None:
    result = gipreport.check_series([*series, series[1]], select="series")
    organ = [f for f in result.findings if f.rule == "series.organ"]
    assert [(f.year, f.instance) for f in organ] == [(2022, "2022")]
    assert "2022年出现不止一次" in organ[0].message_zh


def test_a_gap_is_not_compared_across() -> None:
    series = valid_series(6, (2021, 2023))
    result = gipreport.check_series(series)
    assert result.counts["series.carry-over"].instances == 0
    assert result.counts["series.in-force"].instances == 0
    assert result.counts["series.organ"].passed == 1


def test_findings_of_each_report_say_which_year(series: list[Report]) -> None:
    value = series[1].count("appeals.review.total")
    assert value is not None
    series[1] = series[1].with_cells({"appeals.review.total": value + 1})
    result = gipreport.check_series(series)
    assert [(f.rule, f.year) for f in result.errors] == [("appeals.total", 2022)]
    assert {s.year for s in result.suspects} == {2022}


def test_one_report_is_a_series() -> None:
    (report,) = valid_series(7, (2023,))
    result = gipreport.check_series([report])
    assert result.findings == ()
    assert result.counts["series.organ"].instances == 0


def test_arguments_are_checked(series: list[Report]) -> None:
    with pytest.raises(ValueError, match="at least one report"):
        gipreport.check_series([])
    with pytest.raises(TypeError, match="Report"):
        gipreport.check_series([series[0], "2022"])  # type: ignore[list-item]


def test_in_force_blank_is_not_assessable(series: list[Report]) -> None:
    series[0] = series[0].with_cells({"proactive.rules.in_force": None})
    result = gipreport.check_series(series, select="series.in-force")
    (finding,) = result.findings
    assert (finding.status, finding.year, finding.instance) == ("not_assessable", 2022, "rules")
    assert "规章: 无法核对" in finding.message_zh
