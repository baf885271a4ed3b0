"""gipreport: China's 政府信息公开工作年度报告 as data.

Immutable models of the annual report on government information disclosure, in
both national formats (2021 and 2019) described as data (:mod:`gipreport.form`);
derived totals, where a blank stays blank; the checks of every 勾稽关系 and of
plausibility (:func:`check`); the JSON interchange format (document version 1);
renderers to HTML, text and Word (:func:`render`); readers of published reports
in docx, HTML and text (:func:`read`); and the ``gipreport`` command line.

>>> import gipreport
>>> report = gipreport.examples.mingan_2023()
>>> report.organ
'乌拉特前旗明安镇人民政府'
>>> gipreport.load_json(gipreport.dump_json(report)) == report
True
"""

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # what a type checker sees; at run time, each name is imported when used
    from gipreport import examples, form, layout
    from gipreport._checking.checks import CheckResult, check, check_series
    from gipreport._checking.cluster import dask_tables, dask_write_parquet
    from gipreport._checking.corpus import (
        Item,
        frames,
        rebuild_reports,
        tidy_rows,
        tidy_tables,
        write_tables,
    )
    from gipreport._checking.organs import OrganKind, organ_kind
    from gipreport._checking.rules import Rule, RuleContext, rules
    from gipreport._core.aggregate import sum_reports
    from gipreport._core.errors import (
        PROBLEM_TYPES,
        FindingError,
        GipReportError,
        InvalidReportError,
        InvalidValueError,
        LoadError,
        ParseError,
        Problem,
    )
    from gipreport._core.findings import Finding, Passed, RuleCounts, Severity, Status, Suspect
    from gipreport._core.indicators import INDICATORS, Indicator, IndicatorValue
    from gipreport._core.jsonio import (
        dump_json,
        from_dict,
        json_schema,
        load_json,
        make_converter,
        to_dict,
    )
    from gipreport._core.model import (
        Appeals,
        Cell,
        CellValue,
        Columns,
        Decisions,
        DisclosedDocuments,
        DocumentCounts,
        FeeItems,
        Fees,
        ItemCounts,
        NotProcessed,
        OtherResults,
        Outcomes,
        Proactive,
        Proactive2019,
        Procurement,
        Prose,
        Report,
        Requests,
        Requests2019,
        Results,
        Results2019,
        Subsection,
        Unavailable,
        Withheld,
    )
    from gipreport._core.tablefiles import guard_formula
    from gipreport._core.template import blank_report
    from gipreport._core.tidy import (
        EXPORT_COLUMNS,
        TABLES,
        CellRow,
        FindingRow,
        IndicatorRow,
        NoteRow,
        ReportRow,
        TableField,
        TableSchema,
        export_rows,
    )
    from gipreport._core.totals import derive_totals
    from gipreport._reading.api import (
        detect_format,
        read,
        read_docx,
        read_html,
        read_markdown,
        read_pdf,
        read_text,
        read_xlsx,
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
        render_docx,
        render_html,
        render_text,
        renderers,
        unregister_renderer,
    )
    from gipreport._rendering.to_html import HtmlOptions
    from gipreport._rendering.to_text import TextOptions

__version__ = "0.1.0.dev0"
"""The version; the package's metadata takes it from here (``[tool.hatch.version]``)."""

_LAZY: Final[dict[str, str]] = {
    "dask_tables": "gipreport._checking.cluster",
    "dask_write_parquet": "gipreport._checking.cluster",
    "Item": "gipreport._checking.corpus",
    "frames": "gipreport._checking.corpus",
    "rebuild_reports": "gipreport._checking.corpus",
    "tidy_rows": "gipreport._checking.corpus",
    "tidy_tables": "gipreport._checking.corpus",
    "write_tables": "gipreport._checking.corpus",
    "INDICATORS": "gipreport._core.indicators",
    "Indicator": "gipreport._core.indicators",
    "IndicatorValue": "gipreport._core.indicators",
    "guard_formula": "gipreport._core.tablefiles",
    "TABLES": "gipreport._core.tidy",
    "CellRow": "gipreport._core.tidy",
    "FindingRow": "gipreport._core.tidy",
    "IndicatorRow": "gipreport._core.tidy",
    "NoteRow": "gipreport._core.tidy",
    "ReportRow": "gipreport._core.tidy",
    "TableField": "gipreport._core.tidy",
    "TableSchema": "gipreport._core.tidy",
    "CheckResult": "gipreport._checking.checks",
    "check": "gipreport._checking.checks",
    "check_series": "gipreport._checking.checks",
    "OrganKind": "gipreport._checking.organs",
    "organ_kind": "gipreport._checking.organs",
    "Rule": "gipreport._checking.rules",
    "RuleContext": "gipreport._checking.rules",
    "rules": "gipreport._checking.rules",
    "sum_reports": "gipreport._core.aggregate",
    "FindingError": "gipreport._core.errors",
    "PROBLEM_TYPES": "gipreport._core.errors",
    "GipReportError": "gipreport._core.errors",
    "InvalidReportError": "gipreport._core.errors",
    "InvalidValueError": "gipreport._core.errors",
    "LoadError": "gipreport._core.errors",
    "ParseError": "gipreport._core.errors",
    "Problem": "gipreport._core.errors",
    "Finding": "gipreport._core.findings",
    "Passed": "gipreport._core.findings",
    "RuleCounts": "gipreport._core.findings",
    "Severity": "gipreport._core.findings",
    "Status": "gipreport._core.findings",
    "Suspect": "gipreport._core.findings",
    "dump_json": "gipreport._core.jsonio",
    "from_dict": "gipreport._core.jsonio",
    "to_dict": "gipreport._core.jsonio",
    "json_schema": "gipreport._core.jsonio",
    "load_json": "gipreport._core.jsonio",
    "make_converter": "gipreport._core.jsonio",
    "Appeals": "gipreport._core.model",
    "Cell": "gipreport._core.model",
    "CellValue": "gipreport._core.model",
    "Columns": "gipreport._core.model",
    "Decisions": "gipreport._core.model",
    "DocumentCounts": "gipreport._core.model",
    "Fees": "gipreport._core.model",
    "NotProcessed": "gipreport._core.model",
    "OtherResults": "gipreport._core.model",
    "Outcomes": "gipreport._core.model",
    "Proactive": "gipreport._core.model",
    "Results2019": "gipreport._core.model",
    "Requests2019": "gipreport._core.model",
    "Procurement": "gipreport._core.model",
    "Proactive2019": "gipreport._core.model",
    "ItemCounts": "gipreport._core.model",
    "FeeItems": "gipreport._core.model",
    "DisclosedDocuments": "gipreport._core.model",
    "Prose": "gipreport._core.model",
    "Report": "gipreport._core.model",
    "Requests": "gipreport._core.model",
    "Results": "gipreport._core.model",
    "Subsection": "gipreport._core.model",
    "Unavailable": "gipreport._core.model",
    "Withheld": "gipreport._core.model",
    "blank_report": "gipreport._core.template",
    "EXPORT_COLUMNS": "gipreport._core.tidy",
    "export_rows": "gipreport._core.tidy",
    "derive_totals": "gipreport._core.totals",
    "detect_format": "gipreport._reading.api",
    "read": "gipreport._reading.api",
    "read_docx": "gipreport._reading.api",
    "read_html": "gipreport._reading.api",
    "read_markdown": "gipreport._reading.api",
    "read_pdf": "gipreport._reading.api",
    "read_text": "gipreport._reading.api",
    "read_xlsx": "gipreport._reading.api",
    "InputFormat": "gipreport._reading.source",
    "NOTE_CODES": "gipreport._reading.source",
    "NoteCode": "gipreport._reading.source",
    "ParseNote": "gipreport._reading.source",
    "ParseResult": "gipreport._reading.source",
    "NOTE_SEVERITIES": "gipreport._reading.source",
    "NoteSeverity": "gipreport._reading.source",
    "PartialReadError": "gipreport._reading.source",
    "PartialReading": "gipreport._reading.source",
    "SourceKind": "gipreport._reading.source",
    "Where": "gipreport._reading.source",
    "BadTextError": "gipreport._rendering.docx_options",
    "DocxOptions": "gipreport._rendering.docx_options",
    "FunctionRenderer": "gipreport._rendering.registry",
    "RenderError": "gipreport._rendering.registry",
    "Renderer": "gipreport._rendering.registry",
    "register_renderer": "gipreport._rendering.registry",
    "render": "gipreport._rendering.registry",
    "render_docx": "gipreport._rendering.registry",
    "render_html": "gipreport._rendering.registry",
    "render_text": "gipreport._rendering.registry",
    "renderers": "gipreport._rendering.registry",
    "unregister_renderer": "gipreport._rendering.registry",
    "HtmlOptions": "gipreport._rendering.to_html",
    "TextOptions": "gipreport._rendering.to_text",
    "examples": "gipreport.examples",
    "form": "gipreport.form",
    "layout": "gipreport.layout",
}
"""Where each public name is defined: ``import gipreport`` imports none of it.

Importing a module is deferred until one of its names is first used
(:pep:`562`), so ``import gipreport`` (and Hypothesis's entry point, which
imports ``gipreport._core.hypothesis_hook``) costs almost nothing."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        found = importlib.import_module(module)
        value = found if module == f"{__name__}.{name}" else getattr(found, name)
        globals()[name] = value  # found once; later uses do not come here
        return value
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "EXPORT_COLUMNS",
    "INDICATORS",
    "NOTE_CODES",
    "NOTE_SEVERITIES",
    "PROBLEM_TYPES",
    "TABLES",
    "Appeals",
    "BadTextError",
    "Cell",
    "CellRow",
    "CellValue",
    "CheckResult",
    "Columns",
    "Decisions",
    "DisclosedDocuments",
    "DocumentCounts",
    "DocxOptions",
    "FeeItems",
    "Fees",
    "Finding",
    "FindingError",
    "FindingRow",
    "FunctionRenderer",
    "GipReportError",
    "HtmlOptions",
    "Indicator",
    "IndicatorRow",
    "IndicatorValue",
    "InputFormat",
    "InvalidReportError",
    "InvalidValueError",
    "Item",
    "ItemCounts",
    "LoadError",
    "NotProcessed",
    "NoteCode",
    "NoteRow",
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
    "Proactive2019",
    "Problem",
    "Procurement",
    "Prose",
    "RenderError",
    "Renderer",
    "Report",
    "ReportRow",
    "Requests",
    "Requests2019",
    "Results",
    "Results2019",
    "Rule",
    "RuleContext",
    "RuleCounts",
    "Severity",
    "SourceKind",
    "Status",
    "Subsection",
    "Suspect",
    "TableField",
    "TableSchema",
    "TextOptions",
    "Unavailable",
    "Where",
    "Withheld",
    "__version__",
    "blank_report",
    "check",
    "check_series",
    "dask_tables",
    "dask_write_parquet",
    "derive_totals",
    "detect_format",
    "dump_json",
    "examples",
    "export_rows",
    "form",
    "frames",
    "from_dict",
    "guard_formula",
    "json_schema",
    "layout",
    "load_json",
    "make_converter",
    "organ_kind",
    "read",
    "read_docx",
    "read_html",
    "read_markdown",
    "read_pdf",
    "read_text",
    "read_xlsx",
    "rebuild_reports",
    "register_renderer",
    "render",
    "render_docx",
    "render_html",
    "render_text",
    "renderers",
    "rules",
    "sum_reports",
    "tidy_rows",
    "tidy_tables",
    "to_dict",
    "unregister_renderer",
    "write_tables",
]
