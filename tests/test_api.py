"""The public front door: a pinned __all__, a light import, typed package."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import gipreport


def _isort_style(name: str) -> tuple[int, str]:
    if name.isupper():
        return 0, name
    return (1 if name[0].isupper() else 2), name


EXPECTED_ALL = [
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


def test_all_is_pinned_and_sorted() -> None:
    assert gipreport.__all__ == EXPECTED_ALL
    # Sorted as ruff's RUF022 sorts (isort style): constants, then classes, then the rest.
    assert gipreport.__all__ == sorted(gipreport.__all__, key=_isort_style)


def test_every_public_name_exists() -> None:
    for name in gipreport.__all__:
        assert hasattr(gipreport, name), name


def test_import_is_light() -> None:
    code = (
        "import sys, gipreport; "
        "heavy = [m for m in ('docx', 'hypothesis', 'lxml', 'jsonschema') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == ""


def test_package_is_typed() -> None:
    assert (resources.files("gipreport") / "py.typed").is_file()


def test_errors_share_one_root_and_a_builtin() -> None:
    assert issubclass(gipreport.LoadError, gipreport.GipReportError)
    assert issubclass(gipreport.LoadError, ValueError)
    assert issubclass(gipreport.InvalidValueError, gipreport.GipReportError)
    assert issubclass(gipreport.InvalidValueError, ValueError)
    assert issubclass(gipreport.InvalidReportError, gipreport.GipReportError)
    assert issubclass(gipreport.InvalidReportError, ExceptionGroup)
    assert issubclass(gipreport.FindingError, gipreport.GipReportError)
    assert issubclass(gipreport.FindingError, ValueError)


def test_version_is_a_string() -> None:
    assert isinstance(gipreport.__version__, str)
    assert gipreport.__version__
