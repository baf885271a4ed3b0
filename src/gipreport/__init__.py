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

from importlib.metadata import PackageNotFoundError, version

from gipreport import examples, form, layout
from gipreport._errors import GipReportError, InvalidValueError, LoadError, Problem
from gipreport._jsonio import dump_json, json_schema, load_json, make_converter
from gipreport._model import (
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
from gipreport._render import (
    Renderer,
    RenderError,
    register_renderer,
    render,
    renderers,
    unregister_renderer,
)
from gipreport._totals import derive_totals

try:
    __version__ = version("gipreport")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Appeals",
    "Cell",
    "CellValue",
    "Columns",
    "Decisions",
    "DocumentCounts",
    "Fees",
    "GipReportError",
    "InvalidValueError",
    "LoadError",
    "NotProcessed",
    "OtherResults",
    "Outcomes",
    "Proactive",
    "Problem",
    "Prose",
    "RenderError",
    "Renderer",
    "Report",
    "Requests",
    "Results",
    "Subsection",
    "Unavailable",
    "Withheld",
    "__version__",
    "derive_totals",
    "dump_json",
    "examples",
    "form",
    "json_schema",
    "layout",
    "load_json",
    "make_converter",
    "register_renderer",
    "render",
    "renderers",
    "unregister_renderer",
]
