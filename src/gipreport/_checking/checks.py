"""Checking reports: run the rules, collect every finding, name the suspect cells."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeVar

import attrs

from gipreport._checking.arithmetic import ARITHMETIC_RULES, suspects
from gipreport._checking.organs import ORGAN_KINDS, OrganKind
from gipreport._checking.organs import organ_kind as judge_organ_kind
from gipreport._checking.rules import (
    CATALOGUE,
    DIRECT,
    QUICK,
    Quick,
    Rule,
    RuleContext,
    _Evaluation,
    select_rules,
)
from gipreport._core.errors import InvalidReportError
from gipreport._core.findings import Finding, Passed, RuleCounts, Severity, Suspect
from gipreport._core.model import Report
from gipreport._core.values import Value, draft_class

__all__ = ["RESULT_SCHEMA", "CheckResult", "check", "check_series"]

RESULT_SCHEMA: Final = "gipreport-check/1"
"""The ``schema`` of :meth:`CheckResult.to_dict`, version 1 of the check result document."""


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CheckResult(Value):
    """Everything the checks found in a report (or a series of reports).

    ``findings`` holds every finding, failed or not assessable, in the order of the
    catalogue and, within a rule, of the form; for a series, year by year.
    ``rule_counts`` holds, for every rule run, how many instances passed, failed
    and were not assessable. ``suspects`` names the cells that alone explain
    every failing arithmetic instance, with the value that would fix them;
    ``unexplained`` lists the years whose failing arithmetic no single cell
    explains (two or more cells are wrong).
    """

    findings: tuple[Finding, ...]
    # (rule, severity, passed, failed, not assessable) per rule: RuleCounts are made
    # only when asked for, as most callers look at the findings alone.
    _tallies: tuple[tuple[str, Severity, int, int, int], ...] = attrs.field(alias="tallies")
    suspects: tuple[Suspect, ...] = ()
    unexplained: tuple[int, ...] = ()

    @property
    def rule_counts(self) -> tuple[RuleCounts, ...]:
        """Return the counts of every rule run, in catalogue order."""
        return tuple(
            RuleCounts(
                rule=rule, severity=severity, passed=passed, failed=failed, not_assessable=na
            )
            for rule, severity, passed, failed, na in self._tallies
        )

    @property
    def ok(self) -> bool:
        """Return whether no rule of error severity failed (warnings do not count)."""
        return not any(finding.is_error for finding in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Return the failed findings of error severity."""
        return tuple(finding for finding in self.findings if finding.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Return the failed findings of warning severity."""
        return tuple(
            finding
            for finding in self.findings
            if finding.status == "failed" and finding.severity == "warning"
        )

    @property
    def not_assessable(self) -> tuple[Finding, ...]:
        """Return the findings of instances that could not be assessed (a blank cell)."""
        return tuple(finding for finding in self.findings if finding.status == "not_assessable")

    @property
    def counts(self) -> Mapping[str, RuleCounts]:
        """Return the counts of every rule run, by rule ID, in catalogue order.

        Each :class:`RuleCounts` says how many instances of the rule passed, failed
        and were not assessable (summed over the years of a series).
        """
        return {counts.rule: counts for counts in self.rule_counts}

    @property
    def no_single_suspect(self) -> bool:
        """Return whether some failing arithmetic needs two or more cells changed."""
        return bool(self.unexplained)

    def by_rule(self, rule_id: str) -> tuple[Finding, ...]:
        """Return the findings of one rule."""
        return tuple(finding for finding in self.findings if finding.rule == rule_id)

    def raise_for_errors(self) -> None:
        """Raise :class:`gipreport.InvalidReportError` carrying the errors, if there are any."""
        errors = self.errors
        if errors:
            raise InvalidReportError(errors)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict (document ``gipreport-check/1``).

        Keys: ``schema``, ``ok``, ``counts`` (rule ID → severity and the three
        counts), ``findings``, ``suspects``, ``unexplained_years``.
        """
        return {
            "schema": RESULT_SCHEMA,
            "ok": self.ok,
            "counts": {counts.rule: counts.to_dict() for counts in self.rule_counts},
            "findings": [finding.to_dict() for finding in self.findings],
            "suspects": [suspect.to_dict() for suspect in self.suspects],
            "unexplained_years": list(self.unexplained),
        }

    def to_json(self) -> str:
        """Return :meth:`to_dict` as JSON text: two-space indent, UTF-8 characters as themselves."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


# --- running the rules ---------------------------------------------------------------------


_RESULT_FIELDS: Final = ("findings", "_tallies", "suspects", "unexplained")
assert tuple(field.name for field in attrs.fields(CheckResult)) == _RESULT_FIELDS
assert not any(field.validator or field.converter for field in attrs.fields(CheckResult))
_new: Final = object.__new__
_DRAFT_RESULT: Final = draft_class(CheckResult)

_Tallies = tuple[tuple[str, Severity, int, int, int], ...]


def _result(
    findings: tuple[Finding, ...],
    tallies: _Tallies,
    suspects: tuple[Suspect, ...] = (),
    unexplained: tuple[int, ...] = (),
) -> CheckResult:
    """Return ``CheckResult(findings=findings, ...)``, made as a draft (``draft_class``).

    The same object as the class's ``__init__`` makes (its fields have neither
    validators nor converters), made on every check.
    """
    result: Any = _new(_DRAFT_RESULT)
    result.findings = findings
    result._tallies = tallies
    result.suspects = suspects
    result.unexplained = unexplained
    result.__class__ = CheckResult
    return result  # type: ignore[no-any-return]


class _Run:
    """What a check collects while it runs: counts, findings, suspects.

    A plain class (not attrs), as the classes made at import are a cost of every
    ``import gipreport``. The counts are kept per rule of ``chosen``, by its
    place there (its slot; the IDs of the rules chosen are unique).
    """

    __slots__ = (
        "chosen",
        "failed",
        "findings",
        "not_assessable",
        "passed",
        "quick",
        "suspects",
        "unexplained",
    )

    def __init__(
        self, chosen: tuple[Rule, ...], passed: list[int] | None = None, *, quick: bool = True
    ) -> None:
        self.chosen = chosen
        # Per slot: how many instances passed, failed and were not assessable.
        self.passed = [0] * len(chosen) if passed is None else passed
        self.failed = [0] * len(chosen)
        self.not_assessable = [0] * len(chosen)
        self.findings: list[Finding] = []
        self.suspects: list[Suspect] = []
        self.unexplained: list[int] = []
        # Whether the quick passes (rules.QUICK) and direct checks (rules.DIRECT)
        # are taken; off, every check runs.
        self.quick = quick

    @classmethod
    def of(cls, chosen: tuple[Rule, ...], *, quick: bool = True) -> _Run:
        return cls(chosen, quick=quick)

    def run(self, ctx: RuleContext, slot: int) -> None:
        rule = ctx.rule
        if not rule.runs_on(ctx.report.format):
            return  # the rule reads cells this format does not have
        # A check is the caller's code: whatever it yields is looked at, not trusted.
        outcomes: Iterable[object] = rule.check(ctx)
        rule_id, append = rule.id, self.findings.append
        passed = failed = not_assessable = 0
        for outcome in outcomes:
            if isinstance(outcome, Finding):
                if outcome.rule != rule_id:
                    msg = (
                        f"rule {rule.id} yielded a finding of rule {outcome.rule}; use ctx.failed()"
                    )
                    raise ValueError(msg)
                if outcome.status == "failed":
                    failed += 1
                else:
                    not_assessable += 1
                append(outcome)
            elif isinstance(outcome, Passed):
                passed += outcome.count
            else:
                _bad_outcome(rule, outcome)
        self.passed[slot] += passed
        self.failed[slot] += failed
        self.not_assessable[slot] += not_assessable

    def check_report(
        self,
        report: Report,
        kind: OrganKind | None,
        evaluation: _Evaluation | None = None,
        start: int = 0,
    ) -> _Evaluation:
        """Run the report rules on ``report``, from step ``start`` of its plan on.

        The steps before ``start`` are quick passes :func:`check` took already,
        their counts in :attr:`passed`.
        """
        if evaluation is None:
            evaluation = _Evaluation.of(report)
        organ = kind or judge_organ_kind(report.organ)
        plan = _report_plan(self.chosen, report.format)
        passed, failed, not_assessable = self.passed, self.failed, self.not_assessable
        # Every equation holds: no arithmetic instance can fail, and no suspect be named.
        balanced = evaluation.balanced
        arithmetic = plan.arithmetic
        if not balanced:
            failed_before = sum(failed[slot] for slot in arithmetic)
        ctx: RuleContext | None = None
        fast = self.quick
        for slot, rule, quick, direct in plan.steps[start:] if start else plan.steps:
            if fast:
                if quick is not None:
                    count = quick(evaluation, organ)
                    if count is not None:
                        passed[slot] += count
                        continue
                if direct is not None:
                    found, count, failures, unknown = direct(rule, evaluation)
                    passed[slot] += count
                    failed[slot] += failures
                    not_assessable[slot] += unknown
                    if found:
                        self.findings += found
                    continue
            # One context for the report, its rule set before each check: a check
            # runs to its end before the next starts, and only reads the context.
            if ctx is None:
                ctx = RuleContext(rule, report, organ, None, evaluation)
            ctx.rule = rule
            self.run(ctx, slot)
        # The counts add up over a series: look for suspects if this report failed.
        if not balanced and sum(failed[slot] for slot in arithmetic) > failed_before:
            self._name_suspects(evaluation, [self.chosen[slot].id for slot in arithmetic])
        return evaluation

    def _name_suspects(self, evaluation: _Evaluation, arithmetic: list[str]) -> None:
        index = evaluation.index
        considered = [n for rule_id in arithmetic for n in index.by_rule.get(rule_id, ())]
        cells = suspects(index, evaluation.values, evaluation.diffs, considered)
        year = evaluation.report.year
        if cells == ():
            self.unexplained.append(year)
        for position, value, fix in cells or ():
            spec = index.specs[position]
            self.suspects.append(
                Suspect(year=year, cell=spec.path, label=spec.label, value=value, fix=fix)
            )

    def result(self) -> CheckResult:
        ids, severities = _heads(self.chosen)
        return _result(
            tuple(self.findings),
            tuple(zip(ids, severities, self.passed, self.failed, self.not_assessable, strict=True)),
            tuple(self.suspects),
            tuple(self.unexplained),
        )


class _ReportPlan:
    """The report rules of a chosen set run on one format, compiled once (:func:`_report_plan`).

    ``steps`` are, in catalogue order, each rule's slot in the chosen set, the
    rule, its quick pass and its direct check (``None`` where it has none);
    ``quick`` the slots and quick passes of the steps up to the first without one;
    ``arithmetic`` the slots of the arithmetic rules chosen.
    """

    __slots__ = ("arithmetic", "quick", "steps")

    def __init__(self, chosen: tuple[Rule, ...], format_id: str) -> None:
        self.steps: Final = tuple(
            (slot, rule, QUICK.get(rule.check), DIRECT.get(rule.check))
            for slot, rule in enumerate(chosen)
            if rule.scope == "report" and rule.runs_on(format_id)
        )
        quick: list[tuple[int, Quick]] = []
        for slot, _rule, quick_pass, _direct in self.steps:
            if quick_pass is None:
                break
            quick.append((slot, quick_pass))
        self.quick: Final = tuple(quick)
        slots = {rule.id: slot for slot, rule in enumerate(chosen)}
        self.arithmetic: Final = tuple(
            slots[rule_id] for rule_id in ARITHMETIC_RULES if rule_id in slots
        )


_REPORT_RULES: dict[tuple[int, str], tuple[tuple[Rule, ...], Any]] = {}


def _report_plan(chosen: tuple[Rule, ...], format_id: str) -> _ReportPlan:
    """Return the plan of the report rules of ``chosen`` on ``format_id``.

    Compiled once per chosen set (the cached :func:`_choose` returns the same
    tuple for the same ``select`` and ``skip``) and per format.
    """
    return _cached(chosen, format_id, lambda: _ReportPlan(chosen, format_id))


def _cached(chosen: tuple[Rule, ...], key: str, compute: Callable[[], _T]) -> _T:
    # Keyed by identity: hashing the rules on every check would cost more than
    # filtering them. The entry holds ``chosen``, so its id is not reused meanwhile.
    found = _REPORT_RULES.get((id(chosen), key))
    if found is not None and found[0] is chosen:
        cached: _T = found[1]
        return cached
    computed = compute()
    if len(_REPORT_RULES) >= _CACHED_CHOICES:
        _REPORT_RULES.clear()
    _REPORT_RULES[id(chosen), key] = (chosen, computed)
    return computed


_T = TypeVar("_T")


def _heads(chosen: tuple[Rule, ...]) -> tuple[tuple[str, ...], tuple[Severity, ...]]:
    return _cached(
        chosen,
        " heads",
        lambda: (tuple(rule.id for rule in chosen), tuple(rule.severity for rule in chosen)),
    )


_CACHED_CHOICES: Final = 128


def _bad_outcome(rule: Rule, outcome: object) -> None:
    msg = (
        f"rule {rule.id} yielded {outcome!r}; a check yields ctx.passed(),"
        " ctx.failed(...) or ctx.not_assessable(...)"
    )
    raise TypeError(msg)


def _require_report(value: object, where: str) -> None:
    if not isinstance(value, Report):
        msg = f"{where} takes gipreport.Report objects, not {type(value).__name__}"
        raise TypeError(msg)


def _validate_kind(kind: object) -> OrganKind | None:
    if kind is None:
        return None
    for known in ORGAN_KINDS:
        if kind == known:
            return known
    msg = f"organ_kind is one of {', '.join(ORGAN_KINDS)} or None, not {kind!r}"
    raise ValueError(msg)


def _choose(
    extra_rules: Iterable[object],
    select: str | Iterable[str] | None,
    skip: str | Iterable[str] | None,
) -> tuple[Rule, ...]:
    if select is None and skip is None and extra_rules == ():
        return _choose_from_catalogue(None, None)  # the default, the usual call
    extra: list[Rule] = []
    for item in extra_rules:
        if not isinstance(item, Rule):
            msg = f"extra_rules takes gipreport.Rule objects, not {item!r}"
            raise TypeError(msg)
        extra.append(item)
    if extra:
        return select_rules((*CATALOGUE, *extra), select=select, skip=skip)
    if _is_plain(select) and _is_plain(skip):
        return _choose_from_catalogue(_plain(select), _plain(skip))
    return select_rules(CATALOGUE, select=select, skip=skip)


def _is_plain(selectors: object) -> bool:
    return (
        selectors is None
        or isinstance(selectors, str)
        or (
            isinstance(selectors, list | tuple)
            and all(isinstance(selector, str) for selector in selectors)
        )
    )


def _plain(selectors: str | Iterable[str] | None) -> str | tuple[str, ...] | None:
    if selectors is None or isinstance(selectors, str):
        return selectors
    return tuple(selectors)


@functools.lru_cache(maxsize=_CACHED_CHOICES)
def _choose_from_catalogue(
    select: str | tuple[str, ...] | None, skip: str | tuple[str, ...] | None
) -> tuple[Rule, ...]:
    return select_rules(CATALOGUE, select=select, skip=skip)


def check(
    report: Report,
    *,
    select: str | Iterable[str] | None = None,
    skip: str | Iterable[str] | None = None,
    extra_rules: Iterable[Rule] = (),
    organ_kind: OrganKind | None = None,
) -> CheckResult:
    """Return every finding of every rule about ``report``; never stop at the first.

    ``select`` and ``skip`` choose the rules run, each a rule ID
    (``"requests.balance"``), a group of IDs (``"requests"``, ``"report"``) or a
    severity (``"error"``, ``"warning"``); by default every rule of
    :func:`gipreport.rules` with scope ``"report"`` runs. ``extra_rules`` adds rules
    of your own (:class:`gipreport.Rule`). ``organ_kind`` says what kind of organ
    published the report (:data:`gipreport.OrganKind`); by default it is judged
    from the organ's name (:func:`gipreport.organ_kind`).

    >>> import gipreport
    >>> result = gipreport.check(gipreport.examples.mingan_2023())
    >>> result.ok, result.errors
    (True, ())
    >>> result.counts["requests.row-total"].passed
    25
    """
    _require_report(report, "check")
    kind = _validate_kind(organ_kind)
    chosen = _report_scope(_choose(extra_rules, select, skip))
    evaluation = _Evaluation.of(report)
    organ = kind or judge_organ_kind(report.organ)
    # The quick passes first: a report every rule passes (the usual case) is
    # checked without a run. The first rule that may fail, and those after it, run.
    passed = [0] * len(chosen)
    plan = _report_plan(chosen, report.format)
    for step, (slot, quick) in enumerate(plan.quick):
        count = quick(evaluation, organ)
        if count is None:
            return _run_from(step, chosen, passed, evaluation, organ)
        passed[slot] = count
    if len(plan.quick) < len(plan.steps):  # a rule without a quick pass (one of yours)
        return _run_from(len(plan.quick), chosen, passed, evaluation, organ)
    return _result((), _clean_tallies(chosen, plan, passed))


def _run_from(
    step: int,
    chosen: tuple[Rule, ...],
    passed: list[int],
    evaluation: _Evaluation,
    organ: OrganKind,
) -> CheckResult:
    """Return the result of the report rules from ``step`` of the plan on, ``passed`` before."""
    run = _Run(chosen, passed)
    run.check_report(evaluation.report, organ, evaluation, step)
    return run.result()


def _clean_tallies(chosen: tuple[Rule, ...], plan: _ReportPlan, passed: list[int]) -> _Tallies:
    """Return the counts of a report every rule passes, ``passed[slot]`` instances each.

    Clean reports of a format mostly pass the same counts: their tallies are made
    once (they are immutable), keyed by the plan and the counts.
    """
    key = (id(plan), *passed)
    found = _CLEAN_TALLIES.get(key)
    if found is not None and found[0] is plan:
        return found[1]
    ids, severities = _heads(chosen)
    zeros = (0,) * len(ids)
    tallies = tuple(zip(ids, severities, passed, zeros, zeros, strict=True))
    if len(_CLEAN_TALLIES) >= _CACHED_CHOICES:
        _CLEAN_TALLIES.clear()
    _CLEAN_TALLIES[key] = (plan, tallies)
    return tallies


_CLEAN_TALLIES: dict[tuple[int, ...], tuple[_ReportPlan, _Tallies]] = {}


def _report_scope(chosen: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return _cached(
        chosen, " report", lambda: tuple(rule for rule in chosen if rule.scope == "report")
    )


def check_series(
    reports: Iterable[Report],
    *,
    select: str | Iterable[str] | None = None,
    skip: str | Iterable[str] | None = None,
    extra_rules: Iterable[Rule] = (),
    organ_kind: OrganKind | None = None,
) -> CheckResult:
    """Return every finding about one organ's reports of consecutive years.

    The reports are taken in year order (the order given does not matter). Each
    report is checked as by :func:`check`, then the series rules compare each
    report with the one before it: ``series.carry-over`` and ``series.in-force``
    for consecutive years (a missing year is a gap nothing is compared across),
    and ``series.organ``. Every finding's ``year`` says which report it is about;
    the counts add up over the reports. The options are those of :func:`check`.
    """
    ordered = list(reports)
    if not ordered:
        msg = "check_series needs at least one report"
        raise ValueError(msg)
    for report in ordered:
        _require_report(report, "check_series")
    ordered.sort(key=lambda report: report.year)
    kind = _validate_kind(organ_kind)
    run = _Run.of(_choose(extra_rules, select, skip))
    series_rules = [(slot, rule) for slot, rule in enumerate(run.chosen) if rule.scope == "series"]
    previous: Report | None = None
    for report in ordered:
        evaluation = run.check_report(report, kind)
        organ = kind or judge_organ_kind(report.organ)
        for slot, rule in series_rules:
            run.run(RuleContext(rule, report, organ, previous, evaluation), slot)
        previous = report
    return run.result()
