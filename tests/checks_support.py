"""Valid, non-trivial reports for the tests of the checks, built from seeded randomness.

Details are random; every total is derived (``derive_totals``); the balance holds
because 一、本年新收 is computed from the other three rows; the prose states counts
that agree with the tables, so every rule, warnings included, passes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from gipreport import CellValue, Prose, Report, Subsection, derive_totals
from gipreport.form import FORM_2021, REQUEST_COLUMNS

TOTAL_PATHS = frozenset(eq.total for eq in FORM_2021.equations if eq.kind == "total")
DETAIL_COLUMNS = tuple(column.key for column in REQUEST_COLUMNS if not column.is_total)
RESULT_ROWS = tuple(
    path.rpartition(".")[0] for path in FORM_2021.equations_for("requests.results-total")[0].right
)
ARITHMETIC_RULES = (
    "requests.balance",
    "requests.results-total",
    "requests.row-total",
    "appeals.total",
)


def valid_report(
    seed: int = 0,
    *,
    organ: str = "某某市人民政府",
    year: int = 2023,
    carried_over: Mapping[str, int] | None = None,
    in_force_before: Mapping[str, int] | None = None,
) -> Report:
    """Return a report that passes every rule.

    ``carried_over`` fixes 二、上年结转 per detail column (to continue a series);
    ``in_force_before`` gives last year's 现行有效件数 per table 2 row, so that
    this year's follows from it.
    """
    rng = random.Random(seed)
    values: dict[str, CellValue] = {}
    for spec in FORM_2021.cells:
        if spec.path not in TOTAL_PATHS and spec.kind == "count":
            values[spec.path] = rng.randrange(0, 6)
    values["proactive.fees.amount"] = Decimal(rng.randrange(0, 10**6)) / 10000
    for column in DETAIL_COLUMNS:  # no fee notice was issued, as the prose says
        values[f"requests.results.other.unpaid_fee.{column}"] = 0
    for row in ("rules", "normative_documents"):
        issued = rng.randrange(0, 6)
        before = (in_force_before or {}).get(row, issued + rng.randrange(0, 20))
        repealed = min(rng.randrange(0, 3), before + issued)
        values[f"proactive.{row}.issued"] = issued
        values[f"proactive.{row}.repealed"] = repealed
        values[f"proactive.{row}.in_force"] = (
            before + issued - repealed if in_force_before else max(before, issued)
        )
    for column in DETAIL_COLUMNS:
        handled = sum(_count(values, f"{row}.{column}") for row in RESULT_ROWS)
        forward = _count(values, f"requests.carried_forward.{column}")
        if carried_over is None:
            over = rng.randrange(0, handled + forward + 1)
        else:
            over = carried_over[column]
            forward = max(forward, over - handled)  # keep new_received ≥ 0
        values[f"requests.carried_over.{column}"] = over
        values[f"requests.carried_forward.{column}"] = forward
        values[f"requests.new_received.{column}"] = handled + forward - over
    report = derive_totals(
        Report(organ=organ, year=year, published_on=dt.date(year + 1, 1, 20)).with_cells(values)
    )
    return with_prose(report)


def _count(values: Mapping[str, CellValue], path: str) -> int:
    value = values[path]
    assert isinstance(value, int)
    return value


def with_prose(report: Report) -> Report:
    """Return ``report`` with prose whose stated counts agree with its tables."""
    received = report.requests.new_received.total
    handled = report.requests.results.total.total
    review = report.appeals.review.total
    litigation = (report.appeals.litigation_direct.total or 0) + (
        report.appeals.litigation_after_review.total or 0
    )
    overview = Prose(
        paragraphs=(f"{report.year}年，本机关认真贯彻落实《条例》，规范性文件均已公开。",),
        subsections=(
            Subsection(heading="主动公开情况", paragraphs=("主动公开政府信息。",)),
            Subsection(
                heading="依申请公开情况",
                paragraphs=(
                    f"{report.year}年共收到政府信息公开申请{received}件，"
                    f"共办理依申请公开{handled}件。",
                ),
            ),
            Subsection(
                heading="监督保障情况",
                paragraphs=(f"本年度发生政府信息公开行政复议{review}件、行政诉讼{litigation}件。",),
            ),
        ),
    )
    return attrs.evolve(
        report,
        preamble=("根据《中华人民共和国政府信息公开条例》，编制本报告。",),
        overview=overview,
        problems=Prose(paragraphs=("公开内容更新不够及时。",)),
        other_matters=Prose(paragraphs=("本年度未向申请人发出收费通知，未收取信息处理费。",)),
    )


def valid_series(seed: int, years: Sequence[int]) -> list[Report]:
    """Return one organ's valid reports of ``years``, each continuing the one before."""
    reports: list[Report] = []
    for number, year in enumerate(years):
        previous = reports[-1] if reports else None
        carried = (
            None
            if previous is None
            else {
                column: _count(previous.values(), f"requests.carried_forward.{column}")
                for column in DETAIL_COLUMNS
            }
        )
        in_force = (
            None
            if previous is None
            else {
                row: _count(previous.values(), f"proactive.{row}.in_force")
                for row in ("rules", "normative_documents")
            }
        )
        reports.append(
            valid_report(
                seed * 100 + number, year=year, carried_over=carried, in_force_before=in_force
            )
        )
    return reports
