"""Derived indicators: rates computed from a report's cells, described as data like the rules.

An :class:`Indicator` is a ratio of two sums of cells. Each side is a tuple of
selectors ``(row, column)``: the cells of column ``column`` in row ``row`` and in
every leaf row below it, looked up in the report's own format, so an indicator
serves every format that has those rows. Neither the 条例, the formats nor
RULES.md defines these rates; the formulas here are gipreport's, written from the
form's cells and documented in ``docs/form.md``.

>>> import gipreport
>>> report = gipreport.examples.mingan_2023().with_cells(
...     {"requests.results.disclosed.total": 2, "requests.results.total.total": 3}
... )
>>> rate = report.indicators()["requests.disclosure_rate"]
>>> rate.status, rate.numerator, rate.denominator, rate.value
('assessed', 2, 3, Decimal('0.666667'))
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

import attrs

from gipreport._core.form import FormSpec
from gipreport._core.values import Value

if TYPE_CHECKING:
    from gipreport._core.model import Report

__all__ = ["INDICATORS", "Indicator", "IndicatorStatus", "IndicatorValue", "indicator_values"]

IndicatorStatus: TypeAlias = Literal["assessed", "not_assessable", "undefined"]
"""``assessed``: a value; ``not_assessable``: a cell it reads is blank; ``undefined``: 0 / 0
or n / 0 (nothing to take a share of)."""

PLACES: Final = Decimal("0.000001")
"""Rates are rounded half-even to six decimal places (a ten-thousandth of a percent)."""

Selector: TypeAlias = tuple[str, str]


def _matches(row_path: str, row: str) -> bool:
    return row_path == row or row_path.startswith(f"{row}.")


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Indicator(Value):
    """A derived rate: ``sum(numerator cells) / sum(denominator cells)``.

    ``numerator`` and ``denominator`` are selectors ``(row path, column key)``;
    a selector reads that column of the row and of every leaf row below it.
    ``formula`` says the same in the form's words.
    """

    id: str
    label: str
    label_en: str
    formula: str
    numerator: tuple[Selector, ...]
    denominator: tuple[Selector, ...]

    def _select(self, form: FormSpec, selectors: tuple[Selector, ...]) -> tuple[str, ...]:
        paths: list[str] = []
        for row, column in selectors:
            found = [
                spec.path
                for spec in form.cells
                if spec.column.key == column and _matches(spec.row_path, row)
            ]
            if not found:
                msg = f"indicator {self.id}: format {form.id} has no cell {row}.…{column}"
                raise KeyError(msg)
            paths += found
        return tuple(paths)

    def numerator_cells(self, form: FormSpec) -> tuple[str, ...]:
        """Return the paths the numerator adds up in ``form``."""
        return _cells(self, form)[0]

    def denominator_cells(self, form: FormSpec) -> tuple[str, ...]:
        """Return the paths the denominator adds up in ``form``."""
        return _cells(self, form)[1]

    def cells_for(self, form: FormSpec) -> tuple[str, ...]:
        """Return every path the indicator reads in ``form``: numerator, then denominator."""
        top, bottom = _cells(self, form)
        return (*top, *bottom)

    def available_in(self, form: FormSpec) -> bool:
        """Return whether ``form`` has every row and column the indicator reads."""
        try:
            _cells(self, form)
        except KeyError:
            return False
        return True

    def evaluate(
        self, report: Report, *, values: Mapping[str, int | Decimal | None] | None = None
    ) -> IndicatorValue:
        """Return the indicator's value for ``report`` (whose ``values()`` may be given)."""
        top, bottom = _cells(self, report.form)
        if values is None:
            values = report.values()
        parts = [values[path] for path in (*top, *bottom)]
        if any(value is None for value in parts):
            return IndicatorValue(indicator=self, status="not_assessable")
        numerator = sum(int(values[path] or 0) for path in top)
        denominator = sum(int(values[path] or 0) for path in bottom)
        if denominator == 0:
            return IndicatorValue(
                indicator=self, status="undefined", numerator=numerator, denominator=0
            )
        rate = (Decimal(numerator) / Decimal(denominator)).quantize(PLACES)
        return IndicatorValue(
            indicator=self,
            status="assessed",
            numerator=numerator,
            denominator=denominator,
            value=rate,
        )


@functools.cache
def indicators_for(form: FormSpec) -> tuple[Indicator, ...]:
    """Return the indicators ``form`` has every cell of."""
    return tuple(indicator for indicator in INDICATORS if indicator.available_in(form))


@functools.cache
def _cells(indicator: Indicator, form: FormSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return indicator._select(form, indicator.numerator), indicator._select(
        form, indicator.denominator
    )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class IndicatorValue(Value):
    """An indicator evaluated on one report.

    ``value`` is the rate (a :class:`~decimal.Decimal` rounded to :data:`PLACES`)
    when ``status`` is ``"assessed"``; ``numerator`` and ``denominator`` are the
    two sums whenever no cell read is blank.
    """

    indicator: Indicator
    status: IndicatorStatus
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None


_RESULTS = "requests.results"
_ALL_RESULTS = ((f"{_RESULTS}.total", "total"),)


def _decided(group: str) -> tuple[Selector, ...]:
    return tuple((f"appeals.{group}", column) for column in ("upheld", "corrected", "other"))


def _share_of_requests(
    name: str, label: str, label_en: str, rows: tuple[tuple[str, str], ...]
) -> Indicator:
    # The 总计 column of some rows of 三、本年度办理结果 over that of （七）总计.
    parts = " + ".join(printed for _key, printed in rows)
    return Indicator(
        id=f"requests.{name}_rate",
        label=label,
        label_en=label_en,
        formula=f"{parts if len(rows) == 1 else f'（{parts}）'} ÷ （七）总计, 总计 column",
        numerator=tuple((f"{_RESULTS}.{key}", "total") for key, _printed in rows),
        denominator=_ALL_RESULTS,
    )


INDICATORS: Final[tuple[Indicator, ...]] = (
    _share_of_requests(
        "disclosure",
        "公开率",
        "share of requests answered with disclosure",
        (("disclosed", "（一）予以公开"), ("partially_disclosed", "（二）部分公开")),
    ),
    _share_of_requests(
        "withheld",
        "不予公开率",
        "share of requests refused (不予公开)",
        (("withheld", "（三）不予公开 (its 8 rows)"),),
    ),
    _share_of_requests(
        "unavailable",
        "无法提供率",
        "share of requests whose information could not be provided",
        (("unavailable", "（四）无法提供 (its 3 rows)"),),
    ),
    Indicator(
        id="appeals.review_correction_rate",
        label="复议纠错率",
        label_en="share of decided administrative reviews that corrected the result",
        formula="行政复议 结果纠正 ÷ （结果维持 + 结果纠正 + 其他结果）: 尚未审结 not counted",
        numerator=(("appeals.review", "corrected"),),
        denominator=_decided("review"),
    ),
    Indicator(
        id="appeals.litigation_correction_rate",
        label="诉讼纠错率",
        label_en="share of decided lawsuits (direct and after review) that corrected the result",
        formula=(
            "行政诉讼 结果纠正 ÷ （结果维持 + 结果纠正 + 其他结果）,"
            " 未经复议直接起诉 and 复议后起诉 together: 尚未审结 not counted"
        ),
        numerator=(
            ("appeals.litigation_direct", "corrected"),
            ("appeals.litigation_after_review", "corrected"),
        ),
        denominator=(*_decided("litigation_direct"), *_decided("litigation_after_review")),
    ),
)
"""The derived indicators, in the order they are reported."""


def indicator_values(report: Report) -> tuple[IndicatorValue, ...]:
    """Return every indicator of ``report``'s format evaluated on ``report``."""
    values = report.values()
    return tuple(
        indicator.evaluate(report, values=values) for indicator in indicators_for(report.form)
    )


def indicator_map(report: Report) -> Mapping[str, IndicatorValue]:
    """Return :func:`indicator_values` by indicator ID."""
    return {value.indicator.id: value for value in indicator_values(report)}
