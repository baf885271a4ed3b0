"""The exception hierarchy: one root, each error also a built-in."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, cast

import attrs

from gipreport._core.findings import Finding
from gipreport._core.values import Value

__all__ = [
    "PROBLEM_TYPES",
    "FindingError",
    "GipReportError",
    "InvalidReportError",
    "InvalidValueError",
    "LoadError",
    "ParseError",
    "Problem",
]

PROBLEM_TYPES: Final[Mapping[str, str]] = {
    # the document as a whole
    "json_invalid": "not valid JSON (a syntax error, with its line and column; NaN or "
    "Infinity; nesting too deep)",
    "utf8_invalid": "bytes that are not UTF-8",
    "schema_unknown": 'the "schema" key is not "gipreport/1"',
    "format_unknown": 'the "format" is none of the formats gipreport knows',
    "format_tables": 'the tables are those of another format than the "format" says'
    " (nothing is converted between the formats)",
    # keys
    "object_type": "an object expected (the document, a table, a row, a prose section)",
    "key_missing": "a key the document must have is missing",
    "key_unknown": "a key the document cannot have (a misspelt key, a row of another format)",
    "key_duplicate": "a key given more than once in one object",
    # values
    "count_type": "a count that is not a JSON integer (a string, 3.0, a boolean)",
    "count_negative": "a count below 0",
    "change_type": "a 2019 本年增/减 that is not a JSON integer (negative allowed), or null",
    "count_too_large": "a count above the largest one a report can hold (2**53 - 1)",
    "amount_type": "an amount (the fee) that is neither a string, a number nor null",
    "amount_text": 'an amount given as a string that is no decimal number ("1,5")',
    "amount_negative": "an amount below 0",
    "amount_too_large": "an amount in 万元 at or above the largest one a report can hold",
    "amount_places": "an amount with more decimal places than a report keeps",
    "text_type": "a string expected",
    "text_empty": "a text that must not be empty or only spaces (and zero-width characters)",
    "text_surrogate": "a string with a lone surrogate, which is not a character",
    "text_control": "a text holding a control character (U+0000–U+001F, U+007F–U+009F other "
    "than a line break), which no published format can carry",
    "text_noncharacter": "a text holding a noncharacter (U+FDD0–U+FDEF, U+xxFFFE, U+xxFFFF)",
    "text_line_break": "a text holding a line break: one paragraph is one line of text",
    "text_whitespace": "a text starting or ending with whitespace (renderers indent "
    "paragraphs themselves)",
    "array_type": "an array expected (paragraphs, subsections, the preamble)",
    "date_type": 'a date that is not a string "YYYY-MM-DD" (or null)',
    "date_invalid": "a date that the calendar does not have (2023-02-30)",
    "year_type": "a year that is not an integer",
    "year_range": "a year outside the years a report can be about",
    # files (the command line, gipreport.read on a path)
    "file_unreadable": "a file that cannot be read (missing, a directory, no permission)",
    "file_type_unknown": "a file of a kind gipreport does not read (by its suffix)",
    "source_invalid": "a published report that cannot be read as one (gipreport.ParseError)",
    "header_missing": "a published report that does not state its organ or year "
    "(gipreport.PartialReadError): give them with --organ and --year",
    "directory_empty": "a directory with no report file in it",
    "render_failed": "a report the output format cannot hold",
    "write_failed": "an output that cannot be written",
    "value_invalid": "any other value a report cannot hold",
}
"""Every :attr:`Problem.type`, with what it means: stable codes a program can branch on."""

INPUT_SHOWN: Final = 60
"""How many characters of the offending input a :class:`Problem` echoes."""


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


def _echo(value: object) -> str:
    """Return ``value`` as JSON text, cut to :data:`INPUT_SHOWN` characters."""
    try:
        text = (
            str(value)
            if isinstance(value, Decimal)
            else json.dumps(value, ensure_ascii=False, default=str)
        )
    except (TypeError, ValueError, RecursionError):  # pragma: no cover - parsed JSON dumps
        text = repr(value)
    return text if len(text) <= INPUT_SHOWN else text[: INPUT_SHOWN - 1] + "…"


def _known_type(instance: Problem, attribute: attrs.Attribute[str], value: str) -> None:
    del instance, attribute
    if value not in PROBLEM_TYPES:
        msg = f"unknown problem type {value!r}; see gipreport.PROBLEM_TYPES"
        raise ValueError(msg)


@attrs.frozen(repr=False, eq=False)
class Problem(Value):
    """One problem in a loaded document: where it is, what is wrong, and its kind.

    ``path`` is the dotted JSON path (``requests.results.total.commercial``,
    ``overview.subsections[2].paragraphs[0]``); the empty string is the document
    itself. ``type`` is a stable code to branch on (``count_negative``,
    ``key_unknown``, ``json_invalid``…; every one is in :data:`PROBLEM_TYPES`).
    ``input`` is the offending value as JSON text, cut to
    :data:`INPUT_SHOWN` characters (``None`` where there is none, as for a
    missing key). ``line`` and ``column`` (1-based) are where a JSON syntax
    error is.
    """

    path: str
    message: str
    type: str = attrs.field(default="value_invalid", kw_only=True, validator=_known_type)
    input: str | None = attrs.field(default=None, kw_only=True)
    line: int | None = attrs.field(default=None, kw_only=True)
    column: int | None = attrs.field(default=None, kw_only=True)

    @classmethod
    def about(cls, path: str, message: str, type: str, value: object) -> Problem:
        """Return the problem of ``value``, echoed as :attr:`input`."""
        return cls(path, message, type=type, input=_echo(value))

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as JSON-ready data: type, path, message, input, line, column."""
        return {
            "type": self.type,
            "path": self.path,
            "message": self.message,
            "input": self.input,
            "line": self.line,
            "column": self.column,
        }


class LoadError(GipReportError, ValueError):
    """A document could not be loaded; ``problems`` lists every problem found in it.

    ``errors`` is the same tuple (its first name). :meth:`to_dict` and
    :meth:`to_json` give the problems as data, for a program or a web API.
    """

    def __init__(self, errors: Sequence[Problem]) -> None:
        self.errors: tuple[Problem, ...] = tuple(errors)
        count = len(self.errors)
        lines = "\n".join(f"  - {problem}" for problem in self.errors)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the document:\n{lines}")

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Return every problem found, in document order."""
        return self.errors

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"error": "load_error", "count": n, "problems": [...]}``."""
        return {
            "error": "load_error",
            "count": len(self.errors),
            "problems": [problem.to_dict() for problem in self.errors],
        }

    def to_json(self) -> str:
        """Return :meth:`to_dict` as JSON text (non-ASCII characters as themselves)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def __reduce__(self) -> tuple[type[LoadError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.errors,))


class ParseError(GipReportError, ValueError):
    """A source cannot be read as a report at all (not a docx, no year, …).

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
