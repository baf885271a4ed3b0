"""gipreport: China's 政府信息公开工作年度报告 as data.

Immutable models of the annual report on government information disclosure,
its national format as data (:mod:`gipreport.form`), derived totals, and the JSON
interchange format (document version 1).

>>> import gipreport
>>> report = gipreport.examples.mingan_2023()
>>> report.organ
'乌拉特前旗明安镇人民政府'
>>> gipreport.load_json(gipreport.dump_json(report)) == report
True
"""

from typing import Any

from gipreport import examples, form, layout
from gipreport._checking.checks import CheckResult, check, check_series
from gipreport._checking.organs import OrganKind, organ_kind
from gipreport._checking.rules import Rule, RuleContext, rules
from gipreport._core.aggregate import sum_reports
from gipreport._core.errors import (
    FindingError,
    GipReportError,
    InvalidReportError,
    InvalidValueError,
    LoadError,
    ParseError,
    Problem,
)
from gipreport._core.findings import Finding, Passed, RuleCounts, Severity, Status, Suspect
from gipreport._core.jsonio import dump_json, json_schema, load_json, make_converter
from gipreport._core.model import (
    Appeals,
    Cell,
    CellValue,
    Columns,
    Decisions,
    DocumentCounts,
    Fees,
    NotProcessed,
    OtherResults,
    Outcomes,
    Proactive,
    Prose,
    Report,
    Requests,
    Results,
    Subsection,
    Unavailable,
    Withheld,
)
from gipreport._core.template import blank_report
from gipreport._core.tidy import EXPORT_COLUMNS, export_rows
from gipreport._core.totals import derive_totals
from gipreport._reading.api import (
    detect_format,
    read,
    read_docx,
    read_html,
    read_markdown,
    read_text,
)
from gipreport._reading.source import (
    NOTE_CODES,
    NOTE_SEVERITIES,
    InputFormat,
    NoteCode,
    NoteSeverity,
    ParseNote,
    ParseResult,
    PartialReadError,
    PartialReading,
    SourceKind,
    Where,
)
from gipreport._rendering.docx_options import BadTextError, DocxOptions
from gipreport._rendering.registry import (
    FunctionRenderer,
    Renderer,
    RenderError,
    register_renderer,
    render,
    renderers,
    unregister_renderer,
)
from gipreport._rendering.to_html import HtmlOptions
from gipreport._rendering.to_text import TextOptions

# The public exceptions show as ``gipreport.ParseError`` (not the private module
# that defines them) in tracebacks and reprs; pickling finds them there too.
for _error in (
    BadTextError,
    FindingError,
    GipReportError,
    InvalidReportError,
    InvalidValueError,
    LoadError,
    ParseError,
    PartialReadError,
    RenderError,
):
    _error.__module__ = __name__
del _error


def __getattr__(name: str) -> Any:
    # __version__ is read from the installed metadata only when asked for:
    # importlib.metadata costs more to import than the rest of gipreport.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            return version("gipreport")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0+unknown"
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


__all__ = [
    "EXPORT_COLUMNS",
    "NOTE_CODES",
    "NOTE_SEVERITIES",
    "Appeals",
    "BadTextError",
    "Cell",
    "CellValue",
    "CheckResult",
    "Columns",
    "Decisions",
    "DocumentCounts",
    "DocxOptions",
    "Fees",
    "Finding",
    "FindingError",
    "FunctionRenderer",
    "GipReportError",
    "HtmlOptions",
    "InputFormat",
    "InvalidReportError",
    "InvalidValueError",
    "LoadError",
    "NotProcessed",
    "NoteCode",
    "NoteSeverity",
    "OrganKind",
    "OtherResults",
    "Outcomes",
    "ParseError",
    "ParseNote",
    "ParseResult",
    "PartialReadError",
    "PartialReading",
    "Passed",
    "Proactive",
    "Problem",
    "Prose",
    "RenderError",
    "Renderer",
    "Report",
    "Requests",
    "Results",
    "Rule",
    "RuleContext",
    "RuleCounts",
    "Severity",
    "SourceKind",
    "Status",
    "Subsection",
    "Suspect",
    "TextOptions",
    "Unavailable",
    "Where",
    "Withheld",
    "__version__",
    "blank_report",
    "check",
    "check_series",
    "derive_totals",
    "detect_format",
    "dump_json",
    "examples",
    "export_rows",
    "form",
    "json_schema",
    "layout",
    "load_json",
    "make_converter",
    "organ_kind",
    "read",
    "read_docx",
    "read_html",
    "read_markdown",
    "read_text",
    "register_renderer",
    "render",
    "renderers",
    "rules",
    "sum_reports",
    "unregister_renderer",
]
