"""Checking reports: run the rules, collect every finding, name the suspect cells."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeVar, cast

import attrs

from gipreport._checking.arithmetic import ARITHMETIC_RULES, suspects
from gipreport._checking.organs import ORGAN_KINDS, OrganKind
from gipreport._checking.organs import organ_kind as judge_organ_kind
from gipreport._checking.rules import (
    CATALOGUE,
    DIRECT,
    QUICK,
    Direct,
    Quick,
    Rule,
    RuleContext,
    _Evaluation,
    select_rules,
)
from gipreport._core.errors import InvalidReportError
from gipreport._core.findings import Finding, Passed, RuleCounts, Severity, Suspect
from gipreport._core.model import Report

__all__ = ["RESULT_SCHEMA", "CheckResult", "check", "check_series"]

RESULT_SCHEMA: Final = "gipreport-check/1"
"""The ``schema`` of :meth:`CheckResult.to_dict`, version 1 of the check result document."""


@attrs.frozen(kw_only=True)
class CheckResult:
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


_PASSED, _FAILED, _NOT_ASSESSABLE = 0, 1, 2


class _Run:
    """What a check collects while it runs: counts, findings, suspects.

    A plain class (not attrs), as the classes made at import are a cost of every
    ``import gipreport``.
    """

    __slots__ = ("chosen", "findings", "quick", "suspects", "tallies", "unexplained")

    def __init__(
        self, chosen: tuple[Rule, ...], tallies: dict[str, list[int]], *, quick: bool = True
    ) -> None:
        self.chosen = chosen
        # Per rule ID: [passed, failed, not assessable].
        self.tallies = tallies
        self.findings: list[Finding] = []
        self.suspects: list[Suspect] = []
        self.unexplained: list[int] = []
        # Whether the quick passes (rules.QUICK) and direct checks (rules.DIRECT)
        # are taken; off, every check runs.
        self.quick = quick

    @classmethod
    def of(cls, chosen: tuple[Rule, ...], *, quick: bool = True) -> _Run:
        return cls(chosen, {rule.id: [0, 0, 0] for rule in chosen}, quick=quick)

    def run(self, ctx: RuleContext) -> None:
        rule = ctx.rule
        if not rule.runs_on(ctx.report.format):
            return  # the rule reads cells this format does not have
        tally = self.tallies[rule.id]
        # A check is the caller's code: whatever it yields is looked at, not trusted.
        outcomes: Iterable[object] = rule.check(ctx)
        rule_id, append = rule.id, self.findings.append
        for outcome in outcomes:
            if isinstance(outcome, Finding):
                if outcome.rule != rule_id:
                    msg = (
                        f"rule {rule.id} yielded a finding of rule {outcome.rule}; use ctx.failed()"
                    )
                    raise ValueError(msg)
                tally[_FAILED if outcome.status == "failed" else _NOT_ASSESSABLE] += 1
                append(outcome)
            elif isinstance(outcome, Passed):
                tally[_PASSED] += outcome.count
            else:
                _bad_outcome(rule, outcome)

    def check_report(
        self, report: Report, kind: OrganKind | None, evaluation: _Evaluation | None = None
    ) -> _Evaluation:
        if evaluation is None:
            evaluation = _Evaluation.of(report)
        organ = kind or judge_organ_kind(report.organ)
        tallies = self.tallies
        # Every equation holds: no arithmetic instance can fail, and no suspect be named.
        balanced = evaluation.balanced
        if not balanced:
            arithmetic = [rule_id for rule_id in ARITHMETIC_RULES if rule_id in tallies]
            failed_before = sum(tallies[rule_id][_FAILED] for rule_id in arithmetic)
        ctx: RuleContext | None = None
        fast = self.quick
        for rule, quick, direct in _report_plan(self.chosen, report.format):
            if quick is not None and fast:
                passed = quick(evaluation, organ)
                if passed is not None:
                    tallies[rule.id][_PASSED] += passed
                    continue
            if direct is not None and fast:
                found, passed, failed, not_assessable = direct(rule, evaluation)
                tally = tallies[rule.id]
                tally[_PASSED] += passed
                tally[_FAILED] += failed
                tally[_NOT_ASSESSABLE] += not_assessable
                if found:
                    self.findings.extend(found)
                continue
            # One context for the report, its rule set before each check: a check
            # runs to its end before the next starts, and only reads the context.
            if ctx is None:
                ctx = RuleContext(rule, report, organ, None, evaluation)
            ctx.rule = rule
            self.run(ctx)
        # The tallies add up over a series: look for suspects if this report failed.
        if (
            not balanced
            and sum(tallies[rule_id][_FAILED] for rule_id in arithmetic) > failed_before
        ):
            self._name_suspects(evaluation, arithmetic)
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
        counts = self.tallies
        tallies = cast(
            "list[tuple[str, Severity, int, int, int]]",
            [(rule_id, severity, *counts[rule_id]) for rule_id, severity in _heads(self.chosen)],
        )
        return CheckResult(
            findings=tuple(self.findings),
            tallies=tuple(tallies),
            suspects=tuple(self.suspects),
            unexplained=tuple(self.unexplained),
        )


_REPORT_RULES: dict[tuple[int, str], tuple[tuple[Rule, ...], Any]] = {}


def _report_plan(
    chosen: tuple[Rule, ...], format_id: str
) -> tuple[tuple[Rule, Quick | None, Direct | None], ...]:
    """Return the report rules of ``chosen`` on ``format_id``, their quick passes and direct checks.

    Compiled once per chosen set and format, like :func:`_report_rules`.
    """
    return _cached(
        chosen,
        f"plan {format_id}",
        lambda: tuple(
            (rule, QUICK.get(rule.check), DIRECT.get(rule.check))
            for rule in _report_rules(chosen, format_id)
        ),
    )


def _report_rules(chosen: tuple[Rule, ...], format_id: str) -> tuple[Rule, ...]:
    """Return the report rules of ``chosen`` that run on ``format_id``, in order.

    Compiled once per chosen set (the cached :func:`_choose` returns the same
    tuple for the same ``select`` and ``skip``) and per format.
    """
    return _cached(
        chosen,
        format_id,
        lambda: tuple(
            rule for rule in chosen if rule.scope == "report" and rule.runs_on(format_id)
        ),
    )


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


def _heads(chosen: tuple[Rule, ...]) -> tuple[tuple[str, Severity], ...]:
    return _cached(chosen, "heads", lambda: tuple((rule.id, rule.severity) for rule in chosen))


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
    passing = _passing(chosen, evaluation, kind)
    if passing is not None:
        return passing
    run = _Run.of(chosen)
    run.check_report(report, kind, evaluation)
    return run.result()


def _passing(
    chosen: tuple[Rule, ...], evaluation: _Evaluation, kind: OrganKind | None
) -> CheckResult | None:
    """Return the result of a report every chosen rule passes, from the quick passes alone.

    ``None`` when a rule may fail, or has no quick pass: then the rules run
    (:class:`_Run`), and say what they found.
    """
    report = evaluation.report
    plan = _quick_plan(chosen, report.format)
    if plan is None:
        return None
    ids, severities, steps = plan
    organ = kind or judge_organ_kind(report.organ)
    passed = [0] * len(ids)
    for slot, quick in steps:
        count = quick(evaluation, organ)
        if count is None:
            return None
        passed[slot] = count
    # Clean reports of a format mostly pass the same counts: their tallies are
    # made once (they are immutable), keyed by the plan and the counts.
    key = (id(plan), *passed)
    found = _CLEAN_TALLIES.get(key)
    if found is not None and found[0] is plan:
        tallies = found[1]
    else:
        zeros = (0,) * len(ids)
        tallies = tuple(zip(ids, severities, passed, zeros, zeros, strict=True))
        if len(_CLEAN_TALLIES) >= _CACHED_CHOICES:
            _CLEAN_TALLIES.clear()
        _CLEAN_TALLIES[key] = (plan, tallies)
    return CheckResult(findings=(), tallies=tallies, suspects=())


_CLEAN_TALLIES: dict[
    tuple[int, ...], tuple[Any, tuple[tuple[str, Severity, int, int, int], ...]]
] = {}


_QuickPlan = tuple[tuple[str, ...], tuple[Severity, ...], tuple[tuple[int, Quick], ...]]


def _quick_plan(chosen: tuple[Rule, ...], format_id: str) -> _QuickPlan | None:
    """Return the rule IDs, severities and quick passes (by slot) of ``chosen`` on ``format_id``.

    ``None`` if a report rule run on the format has no quick pass. Compiled once
    per chosen set and format.
    """

    def compute() -> tuple[_QuickPlan | None]:
        slots = {rule.id: slot for slot, rule in enumerate(chosen)}
        steps: list[tuple[int, Quick]] = []
        for rule, quick, _direct in _report_plan(chosen, format_id):
            if quick is None:
                return (None,)
            steps.append((slots[rule.id], quick))
        ids = tuple(rule.id for rule in chosen)
        return ((ids, tuple(rule.severity for rule in chosen), tuple(steps)),)

    return _cached(chosen, f"quick {format_id}", compute)[0]


def _report_scope(chosen: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return _cached(chosen, "", lambda: tuple(rule for rule in chosen if rule.scope == "report"))


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
    series_rules = [rule for rule in run.chosen if rule.scope == "series"]
    previous: Report | None = None
    for report in ordered:
        evaluation = run.check_report(report, kind)
        organ = kind or judge_organ_kind(report.organ)
        for rule in series_rules:
            run.run(RuleContext(rule, report, organ, previous, evaluation))
        previous = report
    return run.result()
