"""The exception hierarchy: one root, each error also a built-in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import attrs

from gipreport._core.findings import Finding

__all__ = [
    "FindingError",
    "GipReportError",
    "InvalidReportError",
    "InvalidValueError",
    "LoadError",
    "ParseError",
    "Problem",
]


class GipReportError(Exception):
    """Root of every error gipreport raises on purpose."""


class InvalidValueError(GipReportError, ValueError):
    """A model was given a value no report can contain (a negative count, …).

    ``field`` names the offending field as ``Class.attribute``; ``value`` is what
    was given.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")


@attrs.frozen
class Problem:
    """One problem in a loaded document: where it is and what is wrong.

    ``path`` is the dotted JSON path (``requests.results.total.commercial``,
    ``overview.subsections[2].paragraphs[0]``); the empty string is the document
    itself.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message}"


class LoadError(GipReportError, ValueError):
    """A document could not be loaded; ``errors`` lists every problem found in it."""

    def __init__(self, errors: Sequence[Problem]) -> None:
        self.errors: tuple[Problem, ...] = tuple(errors)
        count = len(self.errors)
        lines = "\n".join(f"  - {problem}" for problem in self.errors)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the document:\n{lines}")

    def __reduce__(self) -> tuple[type[LoadError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.errors,))


class ParseError(GipReportError, ValueError):
    """A source cannot be read as a report at all (not a docx, no year, a 2019 layout, …).

    ``reason`` says why; ``where`` says where in the source, as text ("table 2,
    row 1", "line 30", "word/document.xml"), or is empty when it is the whole
    source. Anything less than this is a note in the result, not an error.
    """

    def __init__(self, reason: str, where: str = "") -> None:
        self.reason = reason
        self.where = where
        super().__init__(f"{where}: {reason}" if where else reason)

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, str]]:
        return (type(self), (self.reason, self.where))


class FindingError(GipReportError, ValueError):
    """One failed error finding, as an exception: a member of :class:`InvalidReportError`."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(f"{finding.rule} ({finding.year}): {finding.message_en}")

    def __reduce__(self) -> tuple[type[FindingError], tuple[Finding]]:
        return (type(self), (self.finding,))


class InvalidReportError(GipReportError, ExceptionGroup[FindingError]):
    """A checked report breaks rules of error severity: an exception group of them.

    Raised by :meth:`CheckResult.raise_for_errors`. It carries every problem at
    once: ``findings`` lists each failed error finding (rule, year, cells, both
    sides and messages), ``exceptions`` holds one :class:`FindingError` per
    finding, and the message has one line per finding. As an
    :class:`ExceptionGroup`, it works with ``except*``.
    """

    findings: tuple[Finding, ...]

    def __new__(cls, findings: Sequence[Finding]) -> InvalidReportError:
        findings = tuple(findings)
        count = len(findings)
        noun = "error" if count == 1 else "errors"
        lines = "\n".join(
            f"  - {finding.rule} ({finding.year}): {finding.message_en}" for finding in findings
        )
        message = f"{count} {noun} in the report:\n{lines}"
        self = super().__new__(cls, message, [FindingError(f) for f in findings])
        self.findings = findings
        return self

    def __init__(self, findings: Sequence[Finding]) -> None:
        del findings  # taken by __new__, which made the group
        super().__init__(self.message, cast("list[FindingError]", list(self.exceptions)))

    def derive(self, excs: Sequence[FindingError]) -> InvalidReportError:  # type: ignore[override]  # members are FindingErrors
        """Return the group of some of the findings (used by ``except*``)."""
        return InvalidReportError([exc.finding for exc in excs])

    def __reduce__(self) -> tuple[type[InvalidReportError], tuple[tuple[Finding, ...]]]:
        return (type(self), (self.findings,))


# The public exceptions show as ``gipreport.ParseError`` (not the private module
# that defines them) in tracebacks and reprs; pickling finds them there too.
for _error in (
    FindingError,
    GipReportError,
    InvalidReportError,
    InvalidValueError,
    LoadError,
    ParseError,
):
    _error.__module__ = "gipreport"
del _error
