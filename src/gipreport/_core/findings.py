"""Findings: what a check says about a report, as values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final, Literal, TypeAlias

import attrs

from gipreport._core.values import Value, draft_class

__all__ = [
    "Finding",
    "Outcome",
    "Passed",
    "RuleCounts",
    "Severity",
    "Status",
    "Suspect",
    "json_number",
]

Severity: TypeAlias = Literal["error", "warning"]
"""How serious a failed rule is: an ``"error"`` breaks the form, a ``"warning"`` is implausible."""

SEVERITIES: Final[tuple[Severity, ...]] = ("error", "warning")

Status: TypeAlias = Literal["failed", "not_assessable"]
"""What a finding says about its instance: it does not hold, or it cannot be told."""

Number: TypeAlias = int | Decimal


def json_number(value: Number | None) -> int | str | None:
    """Return ``value`` as JSON would hold it: an int, a decimal string, or ``None``."""
    if isinstance(value, Decimal):
        return str(value)
    return value


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Finding(Value):
    """One instance of a rule that failed, or that could not be assessed.

    ``rule`` is the rule's ID (``requests.balance``) and ``instance`` names which of
    its instances (a column key such as ``commercial``, a row path such as
    ``new_received``, a group such as ``review``, or a paragraph path); the rule
    and instance together are stable for a given report. ``cells`` are the paths
    the instance read, in the order of its formula. ``year`` is the year of the
    report the finding is about.

    For an equation, ``left`` and ``right`` are the sums of its two sides and
    ``difference`` is ``left - right``; they are ``None`` for a rule that compares
    no numbers, and for an instance that is not assessable. ``message_zh`` and
    ``message_en`` say what is wrong, naming cells by their Chinese labels::

        三、本年度办理结果（七）总计 · 商业企业: 3 ≠ 0+1+…+1 = 2
    """

    rule: str
    severity: Severity
    status: Status
    year: int
    instance: str
    cells: tuple[str, ...]
    message_zh: str
    message_en: str
    left: Number | None = None
    right: Number | None = None
    difference: Number | None = None

    @property
    def is_error(self) -> bool:
        """Return whether this is a failed error (what :attr:`CheckResult.ok` counts)."""
        return self.status == "failed" and self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dict (decimals as strings)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "status": self.status,
            "year": self.year,
            "instance": self.instance,
            "cells": list(self.cells),
            "left": json_number(self.left),
            "right": json_number(self.right),
            "difference": json_number(self.difference),
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


_FINDING_FIELDS: Final = (
    "rule",
    "severity",
    "status",
    "year",
    "instance",
    "cells",
    "message_zh",
    "message_en",
    "left",
    "right",
    "difference",
)
assert tuple(field.name for field in attrs.fields(Finding)) == _FINDING_FIELDS
assert not any(field.validator or field.converter for field in attrs.fields(Finding))
_new: Final = object.__new__
_DRAFT_FINDING: Final = draft_class(Finding)


def make_finding(  # noqa: PLR0917 - positional: made per blank cell, kept cheap
    rule: str,
    severity: Severity,
    status: Status,
    year: int,
    instance: str,
    cells: tuple[str, ...],
    message_zh: str,
    message_en: str,
    left: Number | None = None,
    right: Number | None = None,
    difference: Number | None = None,
) -> Finding:
    """Return ``Finding(rule=rule, ...)``, made as a draft (:func:`draft_class`).

    The same object as the class's ``__init__`` makes (its fields have neither
    validators nor converters), five times as fast: a check of a report with
    many blanks makes a finding per blank.
    """
    finding: Any = _new(_DRAFT_FINDING)
    finding.rule = rule
    finding.severity = severity
    finding.status = status
    finding.year = year
    finding.instance = instance
    finding.cells = cells
    finding.message_zh = message_zh
    finding.message_en = message_en
    finding.left = left
    finding.right = right
    finding.difference = difference
    finding.__class__ = Finding
    return finding  # type: ignore[no-any-return]


@attrs.frozen(repr=False, eq=False)
class Passed(Value):
    """``count`` instances of a rule that hold; made by :meth:`RuleContext.passed`."""

    count: int = 1


PASSED_ONE: Final = Passed()

Outcome: TypeAlias = Finding | Passed
"""What a rule's check yields for its instances: a :class:`Finding`, or :class:`Passed`."""


@attrs.frozen(kw_only=True, repr=False, eq=False)
class RuleCounts(Value):
    """How many instances of one rule passed, failed and were not assessable."""

    rule: str
    severity: Severity
    passed: int = 0
    failed: int = 0
    not_assessable: int = 0

    @property
    def instances(self) -> int:
        """Return the number of instances the rule had in the reports checked."""
        return self.passed + self.failed + self.not_assessable

    def to_dict(self) -> dict[str, Any]:
        """Return the counts as a JSON-ready dict."""
        return {
            "severity": self.severity,
            "passed": self.passed,
            "failed": self.failed,
            "not_assessable": self.not_assessable,
        }


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Suspect(Value):
    """A cell that, changed alone, would make every failing arithmetic instance hold.

    ``value`` is what the cell holds, ``fix`` the value that would make every
    failing instance of the four arithmetic rules hold without breaking one that
    held. ``label`` is the cell's Chinese label; ``year`` the report's year.
    """

    year: int
    cell: str
    label: str
    value: int
    fix: int

    @property
    def message_zh(self) -> str:
        """Return what the suspect means, in Chinese."""
        return (
            f"{self.year}年 {self.label}: 现为{self.value}，"
            f"改为{self.fix}即可使全部不成立的勾稽关系成立"
        )

    @property
    def message_en(self) -> str:
        """Return what the suspect means, in English."""
        return (
            f"{self.year} {self.label}: is {self.value}; {self.fix} would make every"
            " failing arithmetic instance hold"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the suspect as a JSON-ready dict."""
        return {
            "year": self.year,
            "cell": self.cell,
            "label": self.label,
            "value": self.value,
            "fix": self.fix,
        }
