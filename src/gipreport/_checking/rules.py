"""The rule catalogue: every check as data, and the protocol for adding one.

A :class:`Rule` has a stable ID (a public contract, RULES.md), a severity, a
one-line description in Chinese and in English, its formula in words, its basis,
and the function that checks it. The four arithmetic rules are not written out
cell by cell: their check runs over the sum relations of the report's format
(:attr:`gipreport.form.FormSpec.equations`), and their formula is worded from the
2021 format's relations.

Adding a rule
-------------

A rule's ``check`` is a function of one argument, a :class:`RuleContext`, that
yields one outcome per instance it assesses: ``ctx.failed(...)`` for an instance
that does not hold, ``ctx.not_assessable(...)`` for one it cannot tell (a blank
cell), and ``ctx.passed()`` for one that holds (``ctx.passed(n)`` for ``n`` of
them at once). Pass the rule to :func:`gipreport.check` as ``extra_rules``::

    def licensing_recorded(ctx):
        decisions = ctx.cell("proactive.licensing.decisions")
        if decisions is None:
            yield ctx.not_assessable(cells=("proactive.licensing.decisions",))
        elif decisions == 0:
            yield ctx.failed(cells=("proactive.licensing.decisions",),
                             message_zh="行政许可 本年处理决定数量为0",
                             message_en="no 行政许可 decision was recorded")
        else:
            yield ctx.passed()

A ``series`` rule is called once for each report of a series, in year order,
with ``ctx.previous`` the report before it (``None`` for the first).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias

import attrs

from gipreport._checking.arithmetic import (
    LOWER_BOUND_EN,
    LOWER_BOUND_ZH,
    Bound,
    FormIndex,
    IndexedEquation,
    blank_labels,
    bound,
    describe,
    evaluate,
    evaluate_report,
    form_index,
    instance_label,
)
from gipreport._checking.narrative import (
    COUNT_PHRASES,
    FEE_NOTICE_PHRASES,
    count_of,
    phrases,
    placed_matches,
    says_no_fee_notice,
)
from gipreport._checking.organs import NAME_PATTERNS, OrganKind
from gipreport._core.findings import (
    PASSED_ONE,
    SEVERITIES,
    Finding,
    Number,
    Outcome,
    Passed,
    Severity,
    make_finding,
)
from gipreport._core.form import (
    APPEALS_TOTAL,
    BALANCE,
    FORM_2019,
    FORM_2021,
    FORMATS,
    RESULTS_TOTAL,
    ROW_TOTAL,
    FormSpec,
)
from gipreport._core.jsonio import loaded_cells
from gipreport._core.model import CellValue, Prose, Report
from gipreport._core.values import Value

__all__ = [
    "CheckFunction",
    "Rule",
    "RuleContext",
    "Scope",
    "catalogue_markdown",
    "rules",
    "select_rules",
]

Scope: TypeAlias = Literal["report", "series"]
"""What a rule reads: one report, or a report and the one of the year before."""

CheckFunction: TypeAlias = Callable[["RuleContext"], Iterable[Outcome]]
"""A rule's check: called with a :class:`RuleContext`, yields one outcome per instance."""

_RULE_ID: Final = re.compile(r"[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+")


def _validate_id(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _RULE_ID.fullmatch(value):
        msg = (
            f"a rule ID is lowercase dotted words such as 'requests.balance' or"
            f" 'mine.fee-limit', not {value!r}"
        )
        raise ValueError(msg)


def _texts_tuple(value: Iterable[str]) -> tuple[str, ...]:
    # A typed converter (with a bare ``tuple`` the attrs mypy plugin rejects the calls).
    return tuple(value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Rule(Value):
    """One rule of the catalogue.

    ``id`` is stable (tools filter and count by it). ``severity`` is ``"error"``
    for what the form requires and ``"warning"`` for what is implausible.
    ``description_zh`` and ``description_en`` say in one line what the rule
    checks; ``formula`` says what must hold, in words; ``basis`` why.
    ``check`` is the function that checks it (see :class:`RuleContext`);
    ``scope`` is ``"report"``, or ``"series"`` for a rule over consecutive years.
    ``details`` is optional Markdown saying how the rule reads names or text.
    ``formats`` names the formats the rule runs on (the formats whose cells it
    reads); empty means every format. On a report of another format the rule
    is not run: it has no instances there.
    """

    id: str = attrs.field(validator=_validate_id)
    severity: Severity = attrs.field(validator=attrs.validators.in_(SEVERITIES))
    description_zh: str
    description_en: str
    formula: str
    basis: str
    check: CheckFunction = attrs.field(repr=False)
    scope: Scope = attrs.field(
        default="report", validator=attrs.validators.in_(("report", "series"))
    )
    details: str = ""
    formats: tuple[str, ...] = attrs.field(default=(), converter=_texts_tuple)

    def runs_on(self, format_id: str) -> bool:
        """Return whether the rule runs on reports of the format ``format_id``."""
        return not self.formats or format_id in self.formats


# --- the context a check reads ----------------------------------------------------------


class _Evaluation:
    """What every rule shares about one report: its values, and its equations' sums.

    A plain class (not attrs): one is made per check, and the classes made at
    import are a cost of every ``import gipreport``.
    """

    __slots__ = ("balanced", "diffs", "has_blank", "index", "pattern", "report", "values")

    def __init__(  # noqa: PLR0917 - positional, as attrs made it
        self,
        report: Report,
        index: FormIndex,
        values: tuple[CellValue, ...],
        diffs: tuple[int | None, ...],
        has_blank: bool,
        balanced: bool,  # whether every equation holds (every difference is 0)
    ) -> None:
        self.report = report
        self.index = index
        self.values = values
        self.diffs = diffs
        self.has_blank = has_blank
        self.balanced = balanced
        # Which cells are blank (a byte per cell, 1 where blank): found when a check
        # first needs it (:func:`_blank_pattern`).
        self.pattern: bytes | None = None

    @classmethod
    def of(cls, report: Report) -> _Evaluation:
        index = form_index(report.form)
        loaded = loaded_cells(report)
        if loaded is None:
            values, diffs, has_blank = evaluate_report(report, index)
        else:  # the values load_json read, in the same order: not read again
            values = loaded
            diffs, has_blank = evaluate(index, values)
        return cls(report, index, values, diffs, has_blank, diffs.count(0) == len(diffs))


# Not frozen: a context is made for every rule of every check, and a frozen
# attrs class is several times slower to make. Checks only read it.
@attrs.define(eq=False)
class RuleContext:
    """What a rule's check reads, and how it says what it found.

    ``report`` is the report checked; ``previous`` is, for a series rule, the report
    before it in the series (``None`` for the first, and for a report rule).
    ``organ_kind`` is the kind of organ, as the caller gave it or as judged from
    the name (:func:`gipreport.organ_kind`). ``rule`` is the rule being checked.

    A check is a function of one argument, the context, that yields one outcome
    per instance it assesses: :meth:`failed` for an instance that does not hold,
    :meth:`not_assessable` for one it cannot tell (a blank cell), :meth:`passed`
    for one that holds (``ctx.passed(n)`` for ``n`` at once)::

        def licensing_recorded(ctx):
            decisions = ctx.cell("proactive.licensing.decisions")
            if decisions is None:
                yield ctx.not_assessable(cells=["proactive.licensing.decisions"])
            elif decisions == 0:
                yield ctx.failed(cells=["proactive.licensing.decisions"],
                                 message_zh="行政许可 本年处理决定数量为0",
                                 message_en="no 行政许可 decision was recorded")
            else:
                yield ctx.passed()

    A report rule is called once per report; a series rule once per report of the
    series, in year order. The context is made by the check; a rule only reads it.
    """

    rule: Rule
    report: Report
    organ_kind: OrganKind
    previous: Report | None
    _evaluation: _Evaluation

    @property
    def form(self) -> FormSpec:
        """Return the description of the report's format."""
        return self._evaluation.index.form

    @property
    def year(self) -> int:
        """Return the year of the report checked."""
        return self.report.year

    def cell(self, path: str) -> CellValue:
        """Return the value of the cell at ``path`` (``None`` if blank)."""
        index = self._evaluation.index
        try:
            return self._evaluation.values[index.position[path]]
        except KeyError:
            return self.report.cell(path)  # raises a KeyError naming the path

    def label(self, path: str) -> str:
        """Return the Chinese label of the cell at ``path``."""
        return self.form.cell(path).label

    def passed(self, count: int = 1) -> Passed:
        """Return the outcome of ``count`` instances that hold."""
        return PASSED_ONE if count == 1 else Passed(count)

    def failed(
        self,
        *,
        message_zh: str,
        message_en: str,
        instance: str = "",
        cells: Iterable[str] = (),
        left: Number | None = None,
        right: Number | None = None,
    ) -> Finding:
        """Return the finding of an instance that does not hold.

        For an equation, give its two sides as ``left`` and ``right``; the
        difference is computed.
        """
        difference = None if left is None or right is None else left - right
        rule = self.rule
        return make_finding(
            rule.id,
            rule.severity,
            "failed",
            self.report.year,
            instance,
            tuple(cells),
            message_zh,
            message_en,
            left,
            right,
            difference,
        )

    def not_assessable(
        self,
        *,
        instance: str = "",
        cells: Iterable[str] = (),
        message_zh: str | None = None,
        message_en: str | None = None,
    ) -> Finding:
        """Return the finding of an instance that cannot be assessed.

        Without messages, they name the blank cells among ``cells``.
        """
        cells = tuple(cells)
        if message_zh is None or message_en is None:
            form = self.form
            blanks = [
                form.cell(path).label
                for path in cells
                if form.has_cell(path) and self.cell(path) is None
            ]
            where = f"{instance}: " if instance else ""
            message_zh = message_zh or f"{where}无法核对，空白单元格: {'；'.join(blanks)}"
            message_en = message_en or f"{where}not assessable, blank: {'; '.join(blanks)}"
        rule = self.rule
        return make_finding(
            rule.id,
            rule.severity,
            "not_assessable",
            self.report.year,
            instance,
            cells,
            message_zh,
            message_en,
        )


# --- the arithmetic rules, from the form's sum relations ---------------------------------


def _arithmetic(rule_id: str) -> CheckFunction:
    def check(ctx: RuleContext) -> Iterator[Outcome]:
        evaluation = ctx._evaluation
        index = evaluation.index
        diffs = evaluation.diffs
        values = evaluation.values
        passed = 0
        made: dict[Any, Finding] | None = None
        for number in index.by_rule.get(rule_id, ()):
            difference = diffs[number]
            if difference == 0:
                passed += 1
                continue
            eq = index.equations[number]
            if difference is None:
                blanks = blank_labels(index, (*eq.left, *eq.right), values)
                if _equation_bound(eq, values) == "fails":
                    zh, en, left, right = describe(index, eq, values)
                    yield ctx.failed(
                        instance=eq.equation.instance,
                        cells=eq.equation.cells,
                        message_zh=f"{zh}{LOWER_BOUND_ZH}: {'；'.join(blanks)}",
                        message_en=f"{en}{LOWER_BOUND_EN}: {'; '.join(blanks)}",
                        left=left,
                        right=right,
                    )
                    continue
                # ctx.not_assessable(...) of these messages, made directly, once
                # per equation and blank cells (the messages name only those).
                rule = ctx.rule
                if made is None:
                    made = _made_findings((rule.id, rule.severity, ctx.report.year, index))
                blank = (number, *blanks)
                finding = made.get(blank)
                if finding is None:
                    where = instance_label(index, eq)
                    finding = made[blank] = make_finding(
                        rule.id,
                        rule.severity,
                        "not_assessable",
                        ctx.report.year,
                        eq.equation.instance,
                        tuple(eq.equation.cells),
                        f"{where}: 无法核对，空白单元格: {'；'.join(blanks)}",
                        f"{where}: not assessable, blank: {'; '.join(blanks)}",
                    )
                yield finding
                continue
            zh, en, left, right = describe(index, eq, values)
            yield ctx.failed(
                instance=eq.equation.instance,
                cells=eq.equation.cells,
                message_zh=zh,
                message_en=en,
                left=left,
                right=right,
            )
        if passed:
            yield ctx.passed(passed)

    check.__name__ = check.__qualname__ = f"check_{rule_id.replace('.', '_').replace('-', '_')}"
    check.__doc__ = f"Check every instance of {rule_id} in the report's format."
    return check


def _equation_bound(eq: IndexedEquation, values: Sequence[CellValue]) -> Bound:
    # bound() of the terms (1, value) of the left and (-1, value) of the right side,
    # in C loops: every cell of an equation is a count.
    left: tuple[int | None, ...] = eq.get_left(values)  # type: ignore[assignment]
    right: tuple[int | None, ...] = eq.get_right(values)  # type: ignore[assignment]
    known = sum(filter(None, left)) - sum(filter(None, right))
    up, down = None in left, None in right
    if not (up or down):
        return "holds" if known == 0 else "fails"
    possible = known == 0 or (known < 0 and up) or (known > 0 and down)
    return "open" if possible else "fails"


def _formula(rule_id: str) -> str:
    # Worded from each format's relations; where the formats differ, both.
    words = {form.id: _words(form, rule_id) for form in FORMATS.values()}
    first = words[FORM_2021.id]
    others = [f"format {fid}: {text}" for fid, text in words.items() if text != first]
    return "; ".join((first, *others))


def _words(form: FormSpec, rule_id: str) -> str:
    """Return the formula of an arithmetic rule in words, from the form's equations."""
    equations = form.equations_for(rule_id)
    first = equations[0]
    count = len(equations)
    if first.kind == "balance":
        specs = [form.cell(path) for path in first.cells]
        rows = ["".join(spec.row_labels) for spec in specs]
        left = " + ".join(rows[: len(first.left)])
        right = " + ".join(rows[len(first.left) :])
        return f"{left} = {right}, in each of the {count} columns"
    total = form.cell(first.total)
    parts = [form.cell(path) for path in first.right]
    if all(part.row_path == total.row_path for part in parts):
        names = " + ".join(part.column.label for part in parts)
        return f"{total.column.label} = {names}, in each of the {count} rows"
    first_part, last_part = parts[0], parts[-1]
    return (
        f"{''.join(total.row_labels)} = the sum of the {len(parts)} rows"
        f" {''.join(first_part.row_labels[1:])} … {''.join(last_part.row_labels[1:])},"
        f" in each of the {count} columns"
    )


# --- the other rules of one report --------------------------------------------------------


def _check_format(ctx: RuleContext) -> Iterator[Outcome]:
    report, form = ctx.report, ctx.form
    year = report.year
    if form.first_year <= year and (form.last_year is None or year <= form.last_year):
        yield ctx.passed()
        return
    used = (
        f"{form.first_year}年及以后"
        if form.last_year is None
        else (f"{form.first_year}–{form.last_year}年")
    )
    expected = next(
        (fid for fid, (first, last) in FORMAT_YEARS.items() if first <= year <= (last or year)),
        None,
    )
    if expected == report.format:  # pragma: no cover - the years of a form are its own
        expected = None
    should_zh = f"，应使用{expected}格式" if expected else "，该年度没有这一全国统一格式"
    should_en = f"; it should use format {expected}" if expected else ""
    yield ctx.failed(
        instance="format",
        cells=("format", "year"),
        message_zh=f"{report.format}格式用于{used}的年度报告，本报告是{year}年度的{should_zh}",
        message_en=(
            f"format {report.format} is for the reports on {used};"
            f" this report is on {year}{should_en}"
        ),
    )


FORMAT_YEARS: Final[Mapping[str, tuple[int, int | None]]] = {
    form.id: (form.first_year, form.last_year)
    for form in sorted(FORMATS.values(), key=lambda form: form.first_year)
}
"""Which years each national format is for (FORM.md), from the formats themselves."""


def _check_blank(ctx: RuleContext) -> Iterator[Outcome]:
    evaluation = ctx._evaluation
    values = evaluation.values
    if not evaluation.has_blank:
        yield ctx.passed(len(values))
        return
    rule, year = ctx.rule, ctx.report.year
    rule_id, severity = rule.id, rule.severity
    cells = _blank_cells(evaluation.index)
    made = _made_findings((rule_id, severity, year, evaluation.index))
    position = -1
    for _ in range(values.count(None)):
        position = values.index(None, position + 1)
        finding = made.get(position)
        if finding is None:
            path, paths, message_zh, message_en = cells[position]
            finding = made[position] = make_finding(
                rule_id, severity, "failed", year, path, paths, message_zh, message_en
            )
        yield finding
    yield ctx.passed(len(values) - values.count(None))


# Findings are values: those a check makes again and again (a blank cell's, in
# the same year, format and rule) are made once and shared, per kind of finding
# (the key) and what tells them apart (the inner key). Bounded: cleared when full.
_MADE: dict[tuple[object, ...], dict[Any, Finding]] = {}
_MADE_KINDS: Final = 256
_MADE_EACH: Final = 4096


def _made_findings(key: tuple[object, ...]) -> dict[Any, Finding]:
    made = _MADE.get(key)
    if made is None or len(made) >= _MADE_EACH:
        if len(_MADE) >= _MADE_KINDS:
            _MADE.clear()
        made = _MADE[key] = {}
    return made


@functools.cache
def _blank_cells(index: FormIndex) -> tuple[tuple[str, tuple[str], str, str], ...]:
    """Return, per cell of the format, what its cells.blank finding says: once per format."""
    return tuple(
        (path, (path,), f"{label}: 空白（空白不是0）", f"{label}: blank (a blank is not 0)")
        for path, label in zip(index.paths, index.labels, strict=True)
    )


def _check_tables_missing(ctx: RuleContext) -> Iterator[Outcome]:
    # A table with every cell blank was not filled in, or not found in the
    # source it was read from (a picture, an attachment, text it could not read).
    values = ctx._evaluation.values
    for table, positions in ctx._evaluation.index.table_cells:
        if any(values[position] is not None for position in positions):
            yield ctx.passed()
            continue
        heading = f"{table.number}、{table.title}"
        yield ctx.failed(
            instance=table.key,
            cells=(table.key,),
            message_zh=f"表格“{heading}”全部空白：未填写，或未能从来源中读出",
            message_en=f"table {heading} is blank in every cell: not filled in, or not read "
            "from the source",
        )


_KIND_ZH: Final[Mapping[OrganKind, str]] = {
    "township": "乡、镇、街道",
    "county_government": "县级人民政府",
    "county_department": "县级人民政府部门",
    "government": "人民政府",
    "department": "部门",
}
_KIND_EN: Final[Mapping[OrganKind, str]] = {
    "township": "a township (乡、镇、街道)",
    "county_government": "a county-level people's government",
    "county_department": "a department of a county-level government",
    "government": "a people's government",
    "department": "a department",
}
_CANNOT_MAKE_RULES: Final = frozenset({"township", "county_government", "county_department"})


_RULES_MADE: Final[Mapping[str, tuple[str, ...]]] = {
    FORM_2021.id: ("proactive.rules.issued", "proactive.rules.in_force"),
    FORM_2019.id: (
        "proactive.rules.made",
        "proactive.rules.disclosed",
        "proactive.rules.total_disclosed",
    ),
}
"""The 规章 cells that say an organ made (or has in force) 规章, by format."""


def _check_regulation_maker(ctx: RuleContext) -> Iterator[Outcome]:
    if ctx.organ_kind not in _CANNOT_MAKE_RULES:
        yield ctx.passed()
        return
    cells = _RULES_MADE[ctx.form.id]
    values = [ctx.cell(path) for path in cells]
    if any(isinstance(value, int) and value > 0 for value in values):
        stated = [f"{ctx.label(path)} = {value}" for path, value in zip(cells, values, strict=True)]
        yield ctx.failed(
            instance="rules",
            cells=cells,
            message_zh=(
                f"{ctx.report.organ}是{_KIND_ZH[ctx.organ_kind]}，不能制定规章，"
                f"但{'；'.join(stated)}"
            ),
            message_en=(
                f"{ctx.report.organ} is {_KIND_EN[ctx.organ_kind]} and cannot make 规章,"
                f" but {'; '.join(stated)}"
            ),
        )
    elif None in values:
        yield ctx.not_assessable(instance="rules", cells=cells)
    else:
        yield ctx.passed()


_Term: TypeAlias = tuple[int, CellValue, bool]
# From a failed row's label, its cells' column labels and their values: the
# finding's left and right, and its messages in Chinese and in English.
_Failure: TypeAlias = Callable[[str, tuple[str, ...], tuple[int, ...]], tuple[int, int, str, str]]


def _row_bounds(
    ctx: RuleContext,
    rows: Iterable[tuple[str, tuple[str, ...]]],
    terms: Callable[[tuple[CellValue, ...]], list[_Term]],
    failure: _Failure,
) -> Iterator[Outcome]:
    """Yield the outcome of each ``(instance, cells)`` of ``rows``: ``bound(terms, ">=")``."""
    for instance, cells in rows:
        values = tuple(ctx.cell(path) for path in cells)
        verdict = bound(terms(values), ">=")
        if verdict == "holds":
            yield ctx.passed()
        elif verdict == "open":
            yield ctx.not_assessable(instance=instance, cells=cells)
        else:
            # With a blank these bounds never fail (a blank count may be large, or
            # 0, as the bound needs; a blank change anything): the cells are printed.
            specs = [ctx.form.cell(path) for path in cells]
            numbers = tuple(value for value in values if isinstance(value, int))
            assert len(numbers) == len(values)
            labels = tuple(spec.column.label for spec in specs)
            left, right, zh, en = failure("".join(specs[0].row_labels), labels, numbers)
            yield ctx.failed(
                instance=instance,
                cells=cells,
                left=left,
                right=right,
                message_zh=zh,
                message_en=en,
            )


def _proactive_rows(*keys: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # 规章 and 规范性文件 (2021: 行政规范性文件), with the cells ``keys`` of each.
    return tuple(
        (row, tuple(f"proactive.{row}.{key}" for key in keys))
        for row in ("rules", "normative_documents")
    )


def _in_force_failure(
    row_label: str, labels: tuple[str, ...], values: tuple[int, ...]
) -> tuple[int, int, str, str]:
    (in_force_l, issued_l, repealed_l), (in_force, issued, repealed) = labels, values
    bound_value = issued - repealed
    return (
        in_force,
        bound_value,
        f"{row_label}: {in_force_l} {in_force} < {issued_l} {issued}"
        f" − {repealed_l} {repealed} = {bound_value}",
        f"{row_label}: {in_force_l} is {in_force}, fewer than {issued_l} {issued}"
        f" − {repealed_l} {repealed} = {bound_value}",
    )


def _check_in_force(ctx: RuleContext) -> Iterator[Outcome]:
    # 2021: in_force ≥ issued − repealed, for 规章 and 行政规范性文件.
    yield from _row_bounds(
        ctx,
        _proactive_rows("in_force", "issued", "repealed"),
        lambda v: [(1, v[0], False), (-1, v[1], False), (1, v[2], False)],
        _in_force_failure,
    )


def _disclosed_failure(
    row_label: str, labels: tuple[str, ...], values: tuple[int, ...]
) -> tuple[int, int, str, str]:
    (disclosed_l, total_l), (disclosed, total) = labels, values
    return (
        disclosed,
        total,
        f"{row_label}: {disclosed_l} {disclosed} > {total_l} {total}",
        f"{row_label}: {disclosed_l} is {disclosed}, more than {total_l} {total}"
        " (what was disclosed this year is part of all that is disclosed)",
    )


def _check_disclosed_total(ctx: RuleContext) -> Iterator[Outcome]:
    # 2019: disclosed ≤ total_disclosed, for 规章 and 规范性文件.
    yield from _row_bounds(
        ctx,
        _proactive_rows("disclosed", "total_disclosed"),
        lambda v: [(1, v[1], False), (-1, v[0], False)],
        _disclosed_failure,
    )


def _item_rows(form: FormSpec) -> tuple[str, ...]:
    # The rows of 2019 table 2 that count items: those with 上一年项目数量 and 本年增/减.
    return tuple(
        spec.row_path
        for spec in form.cells
        if spec.table == "proactive" and spec.column.kind == "signed"
    )


def _items_failure(
    row_label: str, labels: tuple[str, ...], values: tuple[int, ...]
) -> tuple[int, int, str, str]:
    (previous_l, change_l), (previous, change) = labels, values
    return (
        previous + change,
        0,
        f"{row_label}: {previous_l} {previous} {change_l} {change:+d} = {previous + change} < 0",
        f"{row_label}: {previous_l} {previous} and {change_l} {change:+d}"
        f" leave {previous + change} items, fewer than none",
    )


def _check_items(ctx: RuleContext) -> Iterator[Outcome]:
    # 2019: previous_items + change ≥ 0, for each row of （五）（六）（八）.
    rows = [
        (row_path.removeprefix("proactive."), (f"{row_path}.previous_items", f"{row_path}.change"))
        for row_path in _item_rows(ctx.form)
    ]
    yield from _row_bounds(ctx, rows, lambda v: [(1, v[0], False), (1, v[1], True)], _items_failure)


_UNPAID_FEE: Final = "requests.results.other.unpaid_fee.total"


def _check_unpaid_fee_text(ctx: RuleContext) -> Iterator[Outcome]:
    said = says_no_fee_notice(ctx.report)
    if said is None:
        yield ctx.passed()
        return
    paragraph, words = said
    cells = (paragraph.path, _UNPAID_FEE)
    unpaid = ctx.cell(_UNPAID_FEE)
    if unpaid is None:
        yield ctx.not_assessable(instance="unpaid_fee", cells=cells)
    elif unpaid > 0:
        label = ctx.label(_UNPAID_FEE)
        yield ctx.failed(
            instance="unpaid_fee",
            cells=cells,
            message_zh=f"{paragraph.where}称“{words}”，但{label} = {unpaid}",
            message_en=(
                f"{paragraph.where} says “{words}” (no fee notice was issued),"
                f" but {label} = {unpaid}"
            ),
        )
    else:
        yield ctx.passed()


_NEW = "requests.new_received.total"
_CARRIED = "requests.carried_over.total"
_HANDLED = "requests.results.total.total"
_REVIEW = "appeals.review.total"
_LITIGATION = ("appeals.litigation_direct.total", "appeals.litigation_after_review.total")

# Each kind of phrase: the readings it may have, each a tuple of cells added up.
_READINGS: Final[Mapping[str, tuple[tuple[str, ...], ...]]] = {
    "handled": ((_HANDLED,), (_NEW, _CARRIED), (_NEW,)),
    "received": ((_NEW,),),
    "review": ((_REVIEW,),),
    "litigation": (_LITIGATION,),
}


def _check_text_numbers(ctx: RuleContext) -> Iterator[Outcome]:
    for phrase in phrases(ctx.report):
        readings = _READINGS[phrase.kind]
        cells = tuple(dict.fromkeys(path for reading in readings for path in reading))
        instance = f"{phrase.paragraph.path}@{phrase.start}"
        # Each reading is the stated number = the sum of its cells; with blanks
        # (counts ≥ 0) it can hold unless its printed cells already exceed it.
        verdicts: list[tuple[tuple[str, ...], int, Bound]] = []
        for reading in readings:
            values = [ctx.cell(path) for path in reading]
            terms = [(1, phrase.number, False)] + [(-1, value, False) for value in values]
            printed = sum(value for value in values if isinstance(value, int))
            verdicts.append((reading, printed, bound(terms)))
        if any(verdict == "holds" for _reading, _sum, verdict in verdicts):
            yield ctx.passed()
        elif any(verdict == "open" for _reading, _sum, verdict in verdicts):
            yield ctx.not_assessable(instance=instance, cells=(phrase.paragraph.path, *cells))
        else:
            blanks = any(ctx.cell(path) is None for path in cells)
            stated = [
                f"{' + '.join(ctx.label(path) for path in reading)}"
                f" {'≥' if any(ctx.cell(path) is None for path in reading) else '='} {total}"
                for reading, total, _verdict in verdicts
            ]
            where = phrase.paragraph.where
            first_total = verdicts[0][1]
            note_zh, note_en = (LOWER_BOUND_ZH, LOWER_BOUND_EN) if blanks else ("", "")
            yield ctx.failed(
                instance=instance,
                cells=(phrase.paragraph.path, *cells),
                left=phrase.number,
                right=first_total,
                message_zh=(
                    f"{where}: 文中“{phrase.text}”与表格不符: {'；'.join(stated)}{note_zh}"
                ),
                message_en=(
                    f"{where}: the text says “{phrase.text}” but the table has"
                    f" {'; or '.join(stated)}{note_en}"
                ),
            )


_REQUIRED_SECTIONS: Final = ("overview", "problems", "other_matters")


def _check_sections(ctx: RuleContext) -> Iterator[Outcome]:
    for key in _REQUIRED_SECTIONS:
        prose = getattr(ctx.report, key)
        if not prose.is_empty:
            yield ctx.passed()
            continue
        heading = ctx.form.section(key).heading
        yield ctx.failed(
            instance=key,
            cells=(key,),
            message_zh=f"{heading}: 没有内容",
            message_en=f"{heading}: the section is empty",
        )


_GOVERNMENT_KINDS: Final = frozenset({"county_government", "government"})
_REVISED_FROM: Final = 2019
"""The first year reported on under the 条例 as revised in 2019 (in force 2019-05-15)."""


def _deadline(year: int, kind: OrganKind) -> tuple[dt.date, str, str]:
    if year < _REVISED_FROM:
        return dt.date(year + 1, 3, 31), "各级行政机关", "every organ (条例 of 2007, article 31)"
    if kind in _GOVERNMENT_KINDS:
        return dt.date(year + 1, 3, 31), "县级以上人民政府", "a people's government's own report"
    return dt.date(year + 1, 1, 31), "县级以上人民政府部门", "a department"


def _no_date(ctx: RuleContext) -> Finding:
    return ctx.not_assessable(
        instance="published_on",
        cells=("published_on",),
        message_zh="成文日期空白，无法核对",
        message_en="the date of issue (published_on) is blank",
    )


def _check_deadline(ctx: RuleContext) -> Iterator[Outcome]:
    if ctx.organ_kind == "township":
        return  # no national deadline for a 乡、镇、街道
    published = ctx.report.published_on
    if published is None:
        yield _no_date(ctx)
        return
    deadline, who_zh, who_en = _deadline(ctx.report.year, ctx.organ_kind)
    if published <= deadline:
        yield ctx.passed()
        return
    late = (published - deadline).days
    yield ctx.failed(
        instance="published_on",
        cells=("published_on", "organ", "year"),
        message_zh=(
            f"成文日期{published.isoformat()}晚于{who_zh}的公布期限"
            f"{deadline.isoformat()}（晚{late}天）"
        ),
        message_en=(
            f"issued on {published.isoformat()}, {late} days after the deadline"
            f" {deadline.isoformat()} for {who_en}"
        ),
    )


def _check_period(ctx: RuleContext) -> Iterator[Outcome]:
    published = ctx.report.published_on
    if published is None:
        yield _no_date(ctx)
        return
    year = ctx.report.year
    if published.year > year:
        yield ctx.passed()
        return
    yield ctx.failed(
        instance="published_on",
        cells=("published_on", "year"),
        message_zh=f"成文日期{published.isoformat()}不晚于统计期末{year}-12-31",
        message_en=f"issued on {published.isoformat()}, before the year {year} it reports on ended",
    )


# --- series rules ---------------------------------------------------------------------------


def _consecutive(ctx: RuleContext) -> Report | None:
    previous = ctx.previous
    if previous is None or previous.year != ctx.report.year - 1:
        return None
    return previous


def _check_carry_over(ctx: RuleContext) -> Iterator[Outcome]:
    previous = _consecutive(ctx)
    if previous is None:
        return
    report = ctx.report
    before = form_index(previous.form)
    before_values = before.read(previous)
    for spec in ctx.form.cells:
        if spec.row_path != "requests.carried_over":
            continue
        column = spec.column.key
        forward = f"requests.carried_forward.{column}"
        now = ctx.cell(spec.path)
        then = before_values[before.position[forward]]
        cells = (spec.path, forward)
        if not isinstance(now, int) or not isinstance(then, int):
            yield ctx.not_assessable(
                instance=column,
                cells=cells,
                message_zh=(
                    f"{spec.column.label}列: 无法核对，"
                    f"{report.year}年或{previous.year}年的单元格空白"
                ),
                message_en=(
                    f"column {spec.column.label}: not assessable, a cell of {report.year}"
                    f" or {previous.year} is blank"
                ),
            )
        elif now == then:
            yield ctx.passed()
        else:
            forward_label = previous.form.cell(forward).label
            yield ctx.failed(
                instance=column,
                cells=cells,
                left=now,
                right=then,
                message_zh=(
                    f"{report.year}年 {spec.label} = {now}"
                    f" ≠ {previous.year}年 {forward_label} = {then}"
                ),
                message_en=(
                    f"{report.year} {spec.label} is {now}, but {previous.year}"
                    f" {forward_label} is {then}"
                ),
            )


def _shown(value: CellValue) -> str:
    return "blank" if value is None else str(value)


def _shown_zh(value: CellValue) -> str:
    return "空白" if value is None else str(value)


def _check_series_in_force(ctx: RuleContext) -> Iterator[Outcome]:
    previous = _consecutive(ctx)
    if previous is None or not (ctx.report.format == previous.format == FORM_2021.id):
        return
    for row in ("rules", "normative_documents"):
        paths = [f"proactive.{row}.{key}" for key in ("in_force", "issued", "repealed")]
        in_force, issued, repealed = (ctx.cell(path) for path in paths)
        before = previous.cell(paths[0])
        cells = tuple(paths)
        row_label = "".join(ctx.form.cell(paths[0]).row_labels)
        terms = [(1, in_force, False), (-1, before, False), (-1, issued, False)]
        verdict = bound([*terms, (1, repealed, False)])
        if verdict == "holds":
            yield ctx.passed()
            continue
        if verdict == "open":
            yield ctx.not_assessable(
                instance=row,
                cells=cells,
                message_zh=(
                    f"{row_label}: 无法核对，{ctx.report.year}年或{previous.year}年的单元格空白"
                ),
                message_en=(
                    f"{row_label}: not assessable,"
                    f" a cell of {ctx.report.year} or {previous.year} is blank"
                ),
            )
            continue
        blanks = None in (in_force, issued, repealed, before)
        expected = sum(v for v in (before, issued) if isinstance(v, int)) - (
            repealed if isinstance(repealed, int) else 0
        )
        zh = [_shown_zh(v) for v in (in_force, before, issued, repealed)]
        en = [_shown(v) for v in (in_force, before, issued, repealed)]
        note_zh, note_en = (LOWER_BOUND_ZH, LOWER_BOUND_EN) if blanks else ("", "")
        equals = "" if blanks else f" = {expected}"
        yield ctx.failed(
            instance=row,
            cells=cells,
            left=in_force if isinstance(in_force, int) else None,
            right=expected,
            message_zh=(
                f"{row_label}: {ctx.report.year}年现行有效 {zh[0]} ≠ {previous.year}年现行有效"
                f" {zh[1]} + 本年制发 {zh[2]} − 本年废止 {zh[3]}{equals}{note_zh}"
            ),
            message_en=(
                f"{row_label}: in force in {ctx.report.year} is {en[0]}, but in force in"
                f" {previous.year} {en[1]} + issued {en[2]} − repealed {en[3]}{equals}{note_en}"
            ),
        )


def _check_series_items(ctx: RuleContext) -> Iterator[Outcome]:
    # 2019 both years: previous_items (Y) = previous_items (Y−1) + change (Y−1).
    previous = _consecutive(ctx)
    if previous is None or not (ctx.report.format == previous.format == FORM_2019.id):
        return
    for row_path in _item_rows(ctx.form):
        now_path, change_path = f"{row_path}.previous_items", f"{row_path}.change"
        now = ctx.cell(now_path)
        then, change = previous.cell(now_path), previous.cell(change_path)
        cells = (now_path, change_path)
        instance = row_path.removeprefix("proactive.")
        verdict = bound([(1, now, False), (-1, then, False), (-1, change, True)])
        if verdict == "holds":
            yield ctx.passed()
            continue
        row_label = "".join(ctx.form.cell(now_path).row_labels)
        if verdict == "open":
            yield ctx.not_assessable(
                instance=instance,
                cells=cells,
                message_zh=(
                    f"{row_label}: 无法核对，{ctx.report.year}年或{previous.year}年的单元格空白"
                ),
                message_en=(
                    f"{row_label}: not assessable,"
                    f" a cell of {ctx.report.year} or {previous.year} is blank"
                ),
            )
            continue
        now_label = ctx.form.cell(now_path).column.label
        change_label = ctx.form.cell(change_path).column.label
        blanks = None in (now, then, change)
        note_zh, note_en = (LOWER_BOUND_ZH, LOWER_BOUND_EN) if blanks else ("", "")
        change_s = f"{change:+d}" if isinstance(change, int) else "空白"
        change_en = f"{change:+d}" if isinstance(change, int) else "blank"
        expected = (then if isinstance(then, int) else 0) + (
            change if isinstance(change, int) else 0
        )
        yield ctx.failed(
            instance=instance,
            cells=cells,
            left=now if isinstance(now, int) else None,
            right=expected,
            message_zh=(
                f"{row_label}: {ctx.report.year}年{now_label} {_shown_zh(now)}"
                f" ≠ {previous.year}年{now_label} {_shown_zh(then)}"
                f" {change_label} {change_s}{note_zh}"
            ),
            message_en=(
                f"{row_label}: {now_label} of {ctx.report.year} is {_shown(now)}, but"
                f" {previous.year}'s {_shown(then)} with {change_label} {change_en}"
                f" gives {expected}{note_en}"
            ),
        )


def _same_organ(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def _check_series_organ(ctx: RuleContext) -> Iterator[Outcome]:
    previous = ctx.previous
    if previous is None:
        return
    report = ctx.report
    problems_zh: list[str] = []
    problems_en: list[str] = []
    if not _same_organ(report.organ, previous.organ):
        problems_zh.append(f"发布机关“{report.organ}”与{previous.year}年的“{previous.organ}”不同")
        problems_en.append(
            f"the organ {report.organ} differs from {previous.organ} of {previous.year}"
        )
    if report.year == previous.year:
        problems_zh.append(f"{report.year}年出现不止一次")
        problems_en.append(f"the year {report.year} appears more than once")
    if not problems_zh:
        yield ctx.passed()
        return
    yield ctx.failed(
        instance=str(report.year),
        cells=("organ", "year"),
        message_zh="；".join(problems_zh),
        message_en="; ".join(problems_en),
    )


# --- the catalogue ---------------------------------------------------------------------------

_TABLE_3_NOTE: Final = (
    "printed in the corner cell of table 3: "
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
)

CATALOGUE: Final[tuple[Rule, ...]] = (
    Rule(
        id=BALANCE,
        severity="error",
        description_zh="每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理",
        description_en="per column of table 3, applications received and carried over are"
        " all handled or carried forward",
        formula=_formula(BALANCE),
        basis=_TABLE_3_NOTE,
        check=_arithmetic(BALANCE),
    ),
    Rule(
        id=RESULTS_TOTAL,
        severity="error",
        description_zh="每列：（七）总计 = 各项办理结果之和",
        description_en="per column of table 3, （七）总计 is the sum of the result rows",
        formula=_formula(RESULTS_TOTAL),
        basis="implied by （七）总计; every application has exactly one result"
        " (部分公开: 区分处理的，只计这一情形，不计其他情形)",
        check=_arithmetic(RESULTS_TOTAL),
    ),
    Rule(
        id=ROW_TOTAL,
        severity="error",
        description_zh="每行：总计 = 自然人与各类法人或其他组织之和",
        description_en="per row of table 3, 总计 is the sum of the six kinds of applicant",
        formula=_formula(ROW_TOTAL),
        basis="implied by the 总计 column of table 3",
        check=_arithmetic(ROW_TOTAL),
    ),
    Rule(
        id=APPEALS_TOTAL,
        severity="error",
        description_zh="行政复议、行政诉讼每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        description_en="per group of table 4, 总计 is the sum of the four outcomes",
        formula=_formula(APPEALS_TOTAL),
        basis="implied by the 总计 of each group of table 4",
        check=_arithmetic(APPEALS_TOTAL),
    ),
    Rule(
        id="report.format",
        severity="error",
        description_zh="报告格式与报告年度相符：2019–2020年用2019年格式，2021年起用2021年格式",
        description_en="the report's format matches its year",
        formula="format 2019 for the reports on 2019–2020, format 2021 for 2021 and later",
        basis="国办公开办函〔2019〕60号 (2019 format) and 国办公开办函〔2021〕30号 (2021 format)",
        check=_check_format,
    ),
    Rule(
        id="tables.missing",
        severity="error",
        description_zh="表二、表三、表四各至少有一个非空白单元格",
        description_en="each of tables 2, 3 and 4 has at least one non-blank cell",
        formula="for each of tables 2, 3 and 4: at least one of its cells is not blank",
        basis="a table with every cell blank was not filled in, or not found in the source"
        " (a picture, an attachment); a report without its tables is not a report that passes",
        check=_check_tables_missing,
    ),
    Rule(
        id="cells.blank",
        severity="warning",
        description_zh="表格中的空白单元格（空白不是0），每个空白单元格一条",
        description_en="a blank cell where the form expects a number, one finding per cell",
        formula="every value cell of tables 2, 3 and 4 holds a number",
        basis="a filled form has no blanks; blanks are not zeros, so every instance"
        " reading a blank is not assessable",
        check=_check_blank,
    ),
    Rule(
        id="proactive.regulation-maker",
        severity="warning",
        description_zh="乡镇、街道、县级人民政府及其部门不能制定规章，但报告了规章",
        description_en="规章 reported by an organ that cannot make them",
        formula="规章 本年制发件数 and 现行有效件数 (2019: 本年新制作数量, 本年新公开数量 and"
        " 对外公开总数量) are 0 for a 乡/镇/街道, a 县/区/旗/县级市 government or a department"
        " of one (judged from the organ's name)",
        basis="立法法 articles 91 and 93: only State Council departments and the governments"
        " of provinces, 设区的市 and 自治州 make 规章",
        check=_check_regulation_maker,
        details=NAME_PATTERNS,
    ),
    Rule(
        id="proactive.in-force",
        severity="warning",
        description_zh="现行有效件数不少于本年制发件数减本年废止件数",
        description_en="fewer documents in force than issued this year and not repealed",
        formula="现行有效件数 ≥ 本年制发件数 − 本年废止件数, for 规章 and 行政规范性文件",
        basis="documents issued this year and not repealed are still in force",
        check=_check_in_force,
        formats=(FORM_2021.id,),
    ),
    Rule(
        id="proactive.disclosed-total",
        severity="warning",
        description_zh="本年新公开数量多于对外公开总数量",
        description_en="more documents disclosed this year than disclosed in all",
        formula="本年新公开数量 ≤ 对外公开总数量, for 规章 and 规范性文件 (format 2019)",
        basis="what was disclosed this year is part of what is disclosed in all",
        check=_check_disclosed_total,
        formats=(FORM_2019.id,),
    ),
    Rule(
        id="proactive.items",
        severity="warning",
        description_zh="上一年项目数量加本年增/减少于0",
        description_en="a number of items falls below zero",
        formula="上一年项目数量 + 本年增/减 ≥ 0, for each row of 第二十条第（五）（六）（八）项"
        " (format 2019)",
        basis="a number of items cannot fall below zero",
        check=_check_items,
        formats=(FORM_2019.id,),
    ),
    Rule(
        id="requests.unpaid-fee-text",
        severity="warning",
        description_zh="其他需要报告的事项称未发出收费通知，但有逾期未缴费不再处理的申请",
        description_en="applications dropped for an unpaid fee while the text says no fee"
        " notice was issued",
        formula="（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用 · 总计 is 0 when"
        " 六、其他需要报告的事项 says no 收费通知 was issued",
        basis="that row counts applications dropped after a fee notice was not paid",
        check=_check_unpaid_fee_text,
        details=FEE_NOTICE_PHRASES,
        formats=(FORM_2021.id,),
    ),
    Rule(
        id="text.numbers",
        severity="warning",
        description_zh="正文中的数字与表格不符",
        description_en="a count stated in the prose contradicts the tables",
        formula="each count stated in an unambiguous phrase (共办理依申请公开N件, 收到…申请N件,"
        " 行政复议N件, 行政诉讼N件) equals its cell; other phrases are not read",
        basis="narrative and tables must agree",
        check=_check_text_numbers,
        details=COUNT_PHRASES,
    ),
    Rule(
        id="report.sections",
        severity="warning",
        description_zh="总体情况、存在的主要问题及改进情况、其他需要报告的事项不能为空",
        description_en="a required prose section is empty",
        formula="一、总体情况, 五、存在的主要问题及改进情况 and 六、其他需要报告的事项 have text",
        basis="条例 article 50 lists them as required content",
        check=_check_sections,
    ),
    Rule(
        id="report.deadline",
        severity="warning",
        description_zh="成文日期晚于法定公布期限",
        description_en="issued after the statutory deadline",
        formula="published_on ≤ 1月31日 of the next year for a 县级以上 department, ≤ 3月31日"
        " for a 县级以上 people's government's own report; not applied to 乡/镇/街道",
        basis="条例 article 49 (for the reports on 2018 and before: 3月31日 for every organ,"
        " article 31 of the 条例 of 2007)",
        check=_check_deadline,
        details="The kind of organ is read from its name as for `proactive.regulation-maker`"
        " (a name that cannot be placed counts as a department, or as a government when it"
        " ends in 人民政府); pass `organ_kind` to the check to say it.",
    ),
    Rule(
        id="report.period",
        severity="warning",
        description_zh="成文日期早于统计期结束",
        description_en="issued before the year it reports on ended",
        formula="published_on is after 12月31日 of the year reported on",
        basis="the statistical period is the calendar year",
        check=_check_period,
    ),
    Rule(
        id="series.carry-over",
        severity="warning",
        description_zh="本年上年结转 = 上一年结转下年度继续办理，每列",
        description_en="what was carried forward is what is carried over, per column",
        formula="二、上年结转政府信息公开申请数量 (year Y) = 四、结转下年度继续办理 (year Y−1),"
        " in each of the 7 columns",
        basis="the same applications; legitimate breaks (机构改革, corrections) exist,"
        " so a warning",
        check=_check_carry_over,
        scope="series",
    ),
    Rule(
        id="series.items",
        severity="warning",
        description_zh="上一年项目数量 = 上一年的上一年项目数量 + 上一年的本年增/减",
        description_en="this year's starting count of items follows from last year's and"
        " its change",
        formula="上一年项目数量 (Y) = 上一年项目数量 (Y−1) + 本年增/减 (Y−1), for each row of"
        " 第二十条第（五）（六）（八）项, format 2019 both years",
        basis="last year's count and its change give this year's starting count",
        check=_check_series_items,
        scope="series",
        formats=(FORM_2019.id,),
    ),
    Rule(
        id="series.in-force",
        severity="warning",
        description_zh="现行有效件数 = 上一年现行有效 + 本年制发 − 本年废止",
        description_en="documents in force follow from last year's, plus issued, less repealed",
        formula="现行有效件数 (Y) = 现行有效件数 (Y−1) + 本年制发件数 (Y) − 本年废止件数 (Y),"
        " for 规章 and 行政规范性文件, format 2021 both years",
        basis="stock and flow; broken legitimately by revisions counted as 制发 and by expiry",
        check=_check_series_in_force,
        scope="series",
        formats=(FORM_2021.id,),
    ),
    Rule(
        id="series.organ",
        severity="error",
        description_zh="同一系列的报告属于同一机关，且每个年度只出现一次",
        description_en="every report of a series is of the same organ, and no year appears twice",
        formula="organ is the same in every report (ignoring spaces); the years are distinct",
        basis="input sanity: a series is one organ's consecutive years",
        check=_check_series_organ,
        scope="series",
    ),
)
"""The built-in rules, in the order of RULES.md."""


def _groups(rule_id: str) -> Iterator[str]:
    parts = rule_id.split(".")
    for end in range(1, len(parts)):
        yield ".".join(parts[:end])


def _matches(rule: Rule, selector: str) -> bool:
    return selector in {rule.id, rule.severity} or selector in _groups(rule.id)


def _selectors(value: str | Iterable[str] | None, name: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    selectors: list[str] = []
    for selector in _objects(value):
        if not isinstance(selector, str):
            msg = f"{name} takes rule IDs, groups or severities as strings, not {selector!r}"
            raise TypeError(msg)
        selectors.append(selector)
    return tuple(selectors)


def _objects(value: Iterable[object]) -> Iterable[object]:
    return value


def select_rules(
    catalogue: Sequence[Rule],
    *,
    select: str | Iterable[str] | None = None,
    skip: str | Iterable[str] | None = None,
) -> tuple[Rule, ...]:
    """Return the rules of ``catalogue`` chosen by ``select`` and not by ``skip``.

    Each selector is a rule ID (``requests.balance``), a group of IDs (``requests``
    chooses every ``requests.*`` rule; ``series``), or a severity (``error``,
    ``warning``). ``select=None`` chooses every rule. A selector that chooses no
    rule of the catalogue raises :class:`ValueError`, so a typo is not silently
    ignored.
    """
    if select is None and skip is None and catalogue is CATALOGUE:
        return CATALOGUE
    chosen_select = _selectors(select, "select")
    chosen_skip = _selectors(skip, "skip")
    ids = [rule.id for rule in catalogue]
    if len(set(ids)) != len(ids):
        duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        msg = f"two rules have the same ID: {', '.join(duplicates)}"
        raise ValueError(msg)
    for selector in (*(chosen_select or ()), *(chosen_skip or ())):
        if not any(_matches(rule, selector) for rule in catalogue):
            known = ", ".join(ids)
            msg = (
                f"{selector!r} is not a rule ID, a group of IDs or a severity"
                f" (error, warning); the rules are: {known}"
            )
            raise ValueError(msg)
    return tuple(
        rule
        for rule in catalogue
        if (chosen_select is None or any(_matches(rule, s) for s in chosen_select))
        and not any(_matches(rule, s) for s in chosen_skip or ())
    )


def rules(
    *,
    select: str | Iterable[str] | None = None,
    skip: str | Iterable[str] | None = None,
    scope: Scope | None = None,
    format: str | None = None,
) -> tuple[Rule, ...]:
    """Return the built-in rule catalogue, in the order of RULES.md.

    ``select`` and ``skip`` choose rules by ID, group or severity (as for
    :func:`gipreport.check`); ``scope`` keeps the ``"report"`` or the ``"series"``
    rules only; ``format`` (``"2021"`` or ``"2019"``) keeps the rules that run on
    reports of that format.

    >>> import gipreport
    >>> [rule.id for rule in gipreport.rules(select="requests")]
    ['requests.balance', 'requests.results-total', 'requests.row-total', 'requests.unpaid-fee-text']
    >>> len(gipreport.rules(select="error"))
    7
    >>> [rule.id for rule in gipreport.rules(select="proactive", format="2019")]
    ['proactive.regulation-maker', 'proactive.disclosed-total', 'proactive.items']
    """
    if scope not in (None, "report", "series"):
        msg = f"scope is 'report', 'series' or None, not {scope!r}"
        raise ValueError(msg)
    if format is not None and format not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        msg = f"format is one of {known} or None, not {format!r}"
        raise ValueError(msg)
    chosen = select_rules(CATALOGUE, select=select, skip=skip)
    return tuple(
        rule
        for rule in chosen
        if (scope is None or rule.scope == scope) and (format is None or rule.runs_on(format))
    )


# --- the catalogue as a documentation page -------------------------------------------------

_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]<>|#!$&~])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


_SCOPE_WORDS: Final[Mapping[Scope, str]] = {
    "report": "one report",
    "series": "consecutive years of one organ",
}


def _formats_words(rule: Rule) -> str:
    return ", ".join(rule.formats) if rule.formats else "both"


def catalogue_markdown() -> str:
    """Return the rule catalogue as a Markdown (MyST) page.

    Every rule: its ID, severity, scope, formats, description in Chinese and
    English, formula and basis, from :data:`CATALOGUE` (formulas of the arithmetic
    rules are worded from each format's sum relations, with their instance counts).
    """
    lines = [
        "% Generated from gipreport._checking.rules.CATALOGUE by docs/_ext/gipreport_docs.py;"
        " do not edit.",
        "",
        "(rules)=",
        "# Rule catalogue",
        "",
        "Every rule {func}`gipreport.check` and {func}`gipreport.check_series` run, with",
        "its ID (stable: filter and count by it), severity and basis. An `error` is",
        "arithmetic the form requires; a `warning` is implausible or incomplete. A rule",
        "that reads a blank cell is *not assessable* for that instance, never passed and",
        "never failed; the blank is reported once, by `cells.blank` — except where the",
        "cells that are printed already break it (the *lower bound*: a blank count is",
        "still a count ≥ 0, so printed parts larger than a printed total fail, and the",
        "finding says the blanks were taken as ≥ 0). A rule runs on the formats whose",
        "cells it reads (`both`: the 2021 and the 2019 format).",
        "",
        "| ID | severity | scope | formats | description |",
        "|---|---|---|---|---|",
    ]
    for item in CATALOGUE:
        lines.append(
            f"| {{ref}}`{item.id} <rule-{item.id.replace('.', '-')}>` | {item.severity}"
            f" | {item.scope} | {_formats_words(item)} | {_md(item.description_en)} |"
        )
    for item in CATALOGUE:
        lines += [
            "",
            f"(rule-{item.id.replace('.', '-')})=",
            f"## `{item.id}`",
            "",
            f"- **Severity:** {item.severity}",
            f"- **Scope:** {_SCOPE_WORDS[item.scope]}",
            f"- **Formats:** {_formats_words(item)}",
            f"- **说明:** {_md(item.description_zh)}",
            f"- **Description:** {_md(item.description_en)}",
            f"- **What must hold:** {_md(item.formula)}",
            f"- **Basis:** {_md(item.basis)}",
        ]
        if item.details:
            lines += ["", item.details.rstrip("\n")]
    return "\n".join(lines) + "\n"


# --- quick passes: a clean report's outcome without a context or a generator --------------
#
# For a built-in check, a function of the report's evaluation and its organ's kind
# that returns how many instances pass when every instance of the rule passes,
# and ``None`` otherwise (or when it is not sure): then the check itself runs and
# says what failed. A passing report, the usual case, is checked without a
# context, a generator or an outcome per rule. A law of the test suite says the
# checks give the same result with and without the quick passes.

Quick: TypeAlias = Callable[[_Evaluation, OrganKind], int | None]

QUICK: Final[dict[CheckFunction, Quick]] = {}
"""The quick pass of each built-in check function."""


def _value(evaluation: _Evaluation, path: str) -> CellValue:
    return evaluation.values[evaluation.index.position[path]]


def _quick_arithmetic(rule_id: str) -> Quick:
    def quick(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
        numbers = evaluation.index.by_rule.get(rule_id, ())
        if not evaluation.balanced:
            diffs = evaluation.diffs
            for number in numbers:
                if diffs[number] != 0:
                    return None
        return len(numbers)

    return quick


def _quick_format(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    form, year = evaluation.index.form, evaluation.report.year
    if form.first_year <= year and (form.last_year is None or year <= form.last_year):
        return 1
    return None


def _quick_tables_missing(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    values = evaluation.values
    tables = evaluation.index.table_cells
    for _table, positions in tables:
        for position in positions:
            if values[position] is not None:
                break
        else:
            return None
    return len(tables)


def _quick_blank(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    return None if evaluation.has_blank else len(evaluation.values)


def _quick_regulation_maker(evaluation: _Evaluation, kind: OrganKind) -> int | None:
    if kind not in _CANNOT_MAKE_RULES:
        return 1
    for path in _RULES_MADE[evaluation.index.form.id]:
        value = _value(evaluation, path)
        if value is None or value > 0:
            return None
    return 1


@functools.cache
def _cells_of(index: FormIndex, paths: tuple[str, ...]) -> Callable[[Sequence[CellValue]], Any]:
    """Return a function giving the values at ``paths`` (two or more) from the values."""
    return operator.itemgetter(*(index.position[path] for path in paths))


_IN_FORCE_CELLS: Final = tuple(
    f"proactive.{row}.{key}"
    for row in ("rules", "normative_documents")
    for key in ("in_force", "issued", "repealed")
)
_DISCLOSED_CELLS: Final = tuple(
    f"proactive.{row}.{key}"
    for row in ("rules", "normative_documents")
    for key in ("disclosed", "total_disclosed")
)


def _quick_in_force(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    a, b, c, d, e, f = _cells_of(evaluation.index, _IN_FORCE_CELLS)(evaluation.values)
    # in_force ≥ issued − repealed, with no blank, in both rows.
    if a is None or b is None or c is None or d is None or e is None or f is None:
        return None
    return 2 if a - b + c >= 0 and d - e + f >= 0 else None


def _quick_disclosed_total(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    a, b, c, d = _cells_of(evaluation.index, _DISCLOSED_CELLS)(evaluation.values)
    # disclosed ≤ total_disclosed, with no blank, in both rows.
    if a is None or b is None or c is None or d is None:
        return None
    return 2 if a <= b and c <= d else None


def _quick_items(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    rows = _item_rows(evaluation.index.form)
    for row_path in rows:
        previous = _value(evaluation, f"{row_path}.previous_items")
        change = _value(evaluation, f"{row_path}.change")
        if previous is None or change is None or previous + change < 0:
            return None
    return len(rows)


def _quick_unpaid_fee_text(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    if says_no_fee_notice(evaluation.report) is None:
        return 1
    unpaid = _value(evaluation, _UNPAID_FEE)
    return None if unpaid is None or unpaid > 0 else 1


def _quick_text_numbers(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    count = 0
    for kind, match, _path, _text in placed_matches(evaluation.report):
        number = count_of(match)
        for reading in _READINGS[kind]:
            total = 0
            for path in reading:
                value = _value(evaluation, path)
                if value is None:
                    break
                total += int(value)
            else:
                if total == number:
                    break  # this reading holds
        else:
            return None
        count += 1
    return count


def _quick_sections(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    report = evaluation.report
    for key in _REQUIRED_SECTIONS:
        prose: Prose = getattr(report, key)
        if not any(map(str.strip, prose.paragraphs)) and not any(
            sub.heading.strip() or any(map(str.strip, sub.paragraphs)) for sub in prose.subsections
        ):
            return None
    return len(_REQUIRED_SECTIONS)


def _quick_deadline(evaluation: _Evaluation, kind: OrganKind) -> int | None:
    if kind == "township":
        return 0
    report = evaluation.report
    published = report.published_on
    if published is None or published > _deadline(report.year, kind)[0]:
        return None
    return 1


def _quick_period(evaluation: _Evaluation, _kind: OrganKind) -> int | None:
    report = evaluation.report
    published = report.published_on
    if published is None or published.year <= report.year:
        return None
    return 1


QUICK.update(
    {
        _check_format: _quick_format,
        _check_tables_missing: _quick_tables_missing,
        _check_blank: _quick_blank,
        _check_regulation_maker: _quick_regulation_maker,
        _check_in_force: _quick_in_force,
        _check_disclosed_total: _quick_disclosed_total,
        _check_items: _quick_items,
        _check_unpaid_fee_text: _quick_unpaid_fee_text,
        _check_text_numbers: _quick_text_numbers,
        _check_sections: _quick_sections,
        _check_deadline: _quick_deadline,
        _check_period: _quick_period,
    }
)
QUICK.update(
    {
        rule.check: _quick_arithmetic(rule.id)
        for rule in CATALOGUE
        if rule.id in (BALANCE, RESULTS_TOTAL, ROW_TOTAL, APPEALS_TOTAL)
    }
)


# --- direct checks: a built-in check's findings without a context or a generator ------------
#
# Where a quick pass says a rule may fail, its check runs. For the rules a report
# with blank cells fails or cannot assess by the dozen (cells.blank and the four
# arithmetic rules: a published report's blanks are the usual case), a direct
# check gives what the check would yield, as a list, with the counts of passed,
# failed and not assessable instances: no context, no generator, no outcome
# looked at per instance. The blank cells are found once per report (a bytes
# pattern); what a rule makes of a pattern is worked out once per rule, year and
# format (_Plan), and a finding about the same blanks is made once.
# The law of tests/test_checks_quick.py holds for them as for the quick passes.

Direct: TypeAlias = Callable[[Rule, _Evaluation], tuple[Sequence[Finding], int, int, int]]
"""A built-in check's ``(findings, passed, failed, not assessable)`` of one report."""

DIRECT: Final[dict[CheckFunction, Direct]] = {}
"""The direct check of each built-in check function that has one."""

_NO_FINDINGS: Final[tuple[Finding, ...]] = ()


def _blank_pattern(evaluation: _Evaluation) -> bytes:
    """Return which cells of the evaluated report are blank: a byte per cell, 1 where blank.

    Found once per report (in C), for every rule that needs it. As a key (a bytes
    object hashes once) it finds what was worked out for the same blanks before:
    the blanks of published reports come in a few shapes (a column, a table).
    """
    found = evaluation.pattern
    if found is None:
        found = evaluation.pattern = bytes(map(operator.is_, evaluation.values, _NONES))
    return found


_NONES: Final = itertools.repeat(None)


# Per (equation, its blank cells): the finding if not assessable; where the
# blanks are (0: on both sides, and the equation can always hold; 1: on the left
# only, and it fails if the printed cells' difference is > 0; -1: on the right
# only, and it fails if that is < 0); and the labels of the blanks.
_BlankEquation: TypeAlias = tuple[Finding, int, str, str]


def _blank_equation(
    rule: Rule, year: int, index: FormIndex, number: int, pattern: bytes
) -> _BlankEquation:
    eq = index.equations[number]
    labels = index.labels
    blanks = [labels[p] for p in (*eq.left, *eq.right) if pattern[p]]
    where = instance_label(index, eq)
    zh, en = "；".join(blanks), "; ".join(blanks)
    finding = make_finding(
        rule.id,
        rule.severity,
        "not_assessable",
        year,
        eq.equation.instance,
        tuple(eq.equation.cells),
        f"{where}: 无法核对，空白单元格: {zh}",
        f"{where}: not assessable, blank: {en}",
    )
    up = any(pattern[p] for p in eq.left)
    down = any(pattern[p] for p in eq.right)
    return finding, 0 if up and down else (1 if up else -1), zh, en


class _Plan:
    """What a direct arithmetic check does on the reports with the same blanks.

    Made once per rule, year, format and blank cells (:func:`_blank_pattern`).
    ``steps`` are, per equation of the rule in order, its number and ``None`` (no
    blank: its difference says) or its :data:`_BlankEquation`. ``checked`` are the
    numbers of the equations without a blank. ``quiet`` are the findings of such a
    report when those equations hold and no lower bound fails (:meth:`holds`).
    """

    __slots__ = ("checked", "downs", "quiet", "steps", "ups")

    def __init__(self, rule: Rule, year: int, index: FormIndex, rule_id: str, pattern: bytes):
        made: dict[Any, Any] = _made_findings(("equations", rule.id, rule.severity, year, index))
        steps: list[tuple[int, _BlankEquation | None]] = []
        ups: list[list[int]] = []
        downs: list[list[int]] = []
        for number in index.by_rule.get(rule_id, ()):
            eq = index.equations[number]
            blanks = tuple(p for p in (*eq.left, *eq.right) if pattern[p])
            if not blanks:
                steps.append((number, None))
                continue
            key = (number, blanks)
            entry: _BlankEquation | None = made.get(key)
            if entry is None:
                entry = made[key] = _blank_equation(rule, year, index, number, pattern)
            steps.append((number, entry))
            side = entry[1]
            if side != 0:
                left = [p for p in eq.left if not pattern[p]]
                right = [p for p in eq.right if not pattern[p]]
                ups.append(left if side > 0 else right)
                downs.append(right if side > 0 else left)
        self.steps: Final = tuple(steps)
        self.checked: Final = tuple(number for number, entry in steps if entry is None)
        self.quiet: Final = tuple(entry[0] for _, entry in steps if entry is not None)
        self.ups: Final = _Sums.of(ups, len(pattern)) if ups else None
        self.downs: Final = _Sums.of(downs, len(pattern)) if ups else None

    def holds(self, evaluation: _Evaluation) -> bool:
        """Return whether the quiet findings are those of the report: nothing fails.

        The lower bound of an equation with blanks on one side only fails when the
        printed cells of that side sum to more than those of the other.
        """
        if any(map(evaluation.diffs.__getitem__, self.checked)):
            return False
        ups, downs = self.ups, self.downs
        if ups is None or downs is None:
            return True
        padded = (*evaluation.values, 0)
        return not any(map(operator.gt, ups.sums(padded), downs.sums(padded)))


class _Sums:
    """The sums of groups of cells, in C: the running sum of the cells, group by group.

    Each getter reads the values with a 0 after them (``values + (0,)``, at
    position ``zero``), so that every getter has two places or more and gives a
    tuple; a last group, empty, sums to 0.
    """

    __slots__ = ("cells", "ends", "starts")

    def __init__(
        self,
        cells: Callable[[Sequence[CellValue]], tuple[int, ...]],
        starts: Callable[[Sequence[int]], tuple[int, ...]],
        ends: Callable[[Sequence[int]], tuple[int, ...]],
    ) -> None:
        self.cells: Final = cells
        self.starts: Final = starts
        self.ends: Final = ends

    @classmethod
    def of(cls, groups: list[list[int]], zero: int) -> _Sums:
        flat = [position for group in groups for position in group]
        ends = list(itertools.accumulate(map(len, groups)))
        starts = [0, *ends[:-1]]
        return cls(
            operator.itemgetter(*flat, zero, zero),
            operator.itemgetter(*starts, 0),
            operator.itemgetter(*ends, 0),
        )

    def sums(self, padded: tuple[CellValue, ...]) -> Iterator[int]:
        """Return the sum of each group's values in ``padded``, and a last 0."""
        running = tuple(itertools.accumulate(self.cells(padded), initial=0))
        return map(operator.sub, self.ends(running), self.starts(running))


@functools.cache
def _unblank_steps(index: FormIndex, rule_id: str) -> tuple[tuple[int, _BlankEquation | None], ...]:
    """Return the steps of a rule's equations on a report with no blank in them."""
    return tuple((number, None) for number in index.by_rule.get(rule_id, ()))


def _direct_arithmetic(rule_id: str) -> Direct:
    def direct(rule: Rule, evaluation: _Evaluation) -> tuple[Sequence[Finding], int, int, int]:
        index = evaluation.index
        if evaluation.balanced:
            return _NO_FINDINGS, len(index.by_rule.get(rule_id, ())), 0, 0
        diffs = evaluation.diffs
        year = evaluation.report.year
        if None in diffs:  # an equation reads a blank: what its blanks say is planned once
            pattern = _blank_pattern(evaluation)
            plans: dict[Any, Any] = _made_findings(("plans", rule.id, rule.severity, year, index))
            plan: _Plan | None = plans.get(pattern)
            if plan is None:
                plan = plans[pattern] = _Plan(rule, year, index, rule_id, pattern)
            if plan.holds(evaluation):
                quiet = plan.quiet
                return quiet, len(plan.checked), 0, len(quiet)
            steps = plan.steps
        else:
            steps = _unblank_steps(index, rule_id)
        values = evaluation.values
        found: list[Finding] = []
        passed = failed = 0
        for number, entry in steps:
            eq = index.equations[number]
            if entry is None:
                if diffs[number] == 0:
                    passed += 1
                    continue
                zh, en, left, right = describe(index, eq, values)
            else:
                finding, side, blanks_zh, blanks_en = entry
                if side == 0:
                    found.append(finding)
                    continue
                # The lower bound: the printed cells may break it whatever the blanks hold.
                if _equation_bound(eq, values) != "fails":
                    found.append(finding)
                    continue
                zh, en, left, right = describe(index, eq, values)
                zh = f"{zh}{LOWER_BOUND_ZH}: {blanks_zh}"
                en = f"{en}{LOWER_BOUND_EN}: {blanks_en}"
            found.append(
                make_finding(
                    rule.id,
                    rule.severity,
                    "failed",
                    year,
                    eq.equation.instance,
                    tuple(eq.equation.cells),
                    zh,
                    en,
                    left,
                    right,
                    left - right,
                )
            )
            failed += 1
        return found, passed, failed, len(found) - failed

    return direct


def _direct_blank(rule: Rule, evaluation: _Evaluation) -> tuple[Sequence[Finding], int, int, int]:
    values = evaluation.values
    if not evaluation.has_blank:
        return _NO_FINDINGS, len(values), 0, 0
    year, index = evaluation.report.year, evaluation.index
    rule_id, severity = rule.id, rule.severity
    pattern = _blank_pattern(evaluation)
    # The findings of the same blank cells (in the same year, format and rule) are
    # the same: those of a set of blanks seen before are taken whole.
    wholes: dict[Any, Any] = _made_findings(("whole", rule_id, severity, year, index))
    whole: tuple[Finding, ...] | None = wholes.get(pattern)
    if whole is None:
        made = _made_findings((rule_id, severity, year, index))
        cells = _blank_cells(index)
        found: list[Finding] = []
        for position in itertools.compress(range(len(values)), pattern):
            finding = made.get(position)
            if finding is None:
                path, paths, message_zh, message_en = cells[position]
                finding = made[position] = make_finding(
                    rule_id, severity, "failed", year, path, paths, message_zh, message_en
                )
            found.append(finding)
        whole = wholes[pattern] = tuple(found)
    return whole, len(values) - len(whole), len(whole), 0


DIRECT.update(
    {
        rule.check: _direct_arithmetic(rule.id)
        for rule in CATALOGUE
        if rule.id in (BALANCE, RESULTS_TOTAL, ROW_TOTAL, APPEALS_TOTAL)
    }
)
DIRECT[_check_blank] = _direct_blank


# --- memoised direct checks: rules whose outcomes follow from a few facts ---------------
#
# What tables.missing, report.sections and the row bounds (in_force,
# disclosed-total, items) find in a report follows from a few facts of it alone:
# which tables are wholly blank, which sections are empty, the values of the
# rows' cells; and from the rule, the year and the format. A report whose quick
# pass is not sure (a blank, mostly) is checked by running the check itself once
# per such facts; the outcomes are kept and given again to a report with the
# same facts. Nothing is worded twice, and nothing differs: the outcomes are the
# check's own. The law of tests/test_checks_quick.py holds for them as for the
# other direct checks.

_Facts: TypeAlias = Callable[[_Evaluation], object]
_Outcomes: TypeAlias = tuple[tuple[Finding, ...], int, int, int]


def _outcomes_of(rule: Rule, evaluation: _Evaluation) -> _Outcomes:
    """Return the findings and counts of running ``rule``'s check on ``evaluation``."""
    # The memoised checks read neither the organ's kind nor a previous report.
    ctx = RuleContext(rule, evaluation.report, "department", None, evaluation)
    found: list[Finding] = []
    passed = failed = 0
    for outcome in rule.check(ctx):
        if isinstance(outcome, Finding):
            found.append(outcome)
            failed += outcome.status == "failed"
        else:
            assert isinstance(outcome, Passed)
            passed += outcome.count
    return tuple(found), passed, failed, len(found) - failed


def _memoised(facts: _Facts) -> Direct:
    """Return the direct check that runs a rule's check once per ``facts`` of a report."""

    def direct(rule: Rule, evaluation: _Evaluation) -> _Outcomes:
        key = ("memo", rule.id, rule.severity, evaluation.report.year, evaluation.index)
        made: dict[Any, Any] = _made_findings(key)
        fact = facts(evaluation)
        outcomes: _Outcomes | None = made.get(fact)
        if outcomes is None:
            outcomes = made[fact] = _outcomes_of(rule, evaluation)
        return outcomes

    return direct


@functools.cache
def _table_getters(index: FormIndex) -> tuple[Callable[[Sequence[CellValue]], Any], ...]:
    # Two places or more, so that each getter gives a tuple (the last repeated).
    return tuple(
        operator.itemgetter(*positions, positions[-1]) for _table, positions in index.table_cells
    )


def _blank_tables(evaluation: _Evaluation) -> tuple[bool, ...]:
    values = evaluation.values
    return tuple(
        len(cells) == cells.count(None)
        for cells in (get(values) for get in _table_getters(evaluation.index))
    )


def _empty_sections(evaluation: _Evaluation) -> tuple[bool, ...]:
    report = evaluation.report
    return tuple(getattr(report, key).is_empty for key in _REQUIRED_SECTIONS)


def _row_facts(paths_of: Callable[[FormSpec], tuple[str, ...]]) -> _Facts:
    """Return the facts of a row bound: the values of its cells (those of ``paths_of``)."""

    def facts(evaluation: _Evaluation) -> object:
        index = evaluation.index
        return _cells_of(index, paths_of(index.form))(evaluation.values)

    return facts


@functools.cache
def _items_paths(form: FormSpec) -> tuple[str, ...]:
    return tuple(
        path
        for row_path in _item_rows(form)
        for path in (f"{row_path}.previous_items", f"{row_path}.change")
    )


DIRECT.update(
    {
        _check_tables_missing: _memoised(_blank_tables),
        _check_sections: _memoised(_empty_sections),
        _check_in_force: _memoised(_row_facts(lambda _form: _IN_FORCE_CELLS)),
        _check_disclosed_total: _memoised(_row_facts(lambda _form: _DISCLOSED_CELLS)),
        _check_items: _memoised(_row_facts(_items_paths)),
    }
)
