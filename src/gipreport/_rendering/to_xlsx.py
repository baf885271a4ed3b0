"""The spreadsheet renderer: a report as the official form in an ``.xlsx`` workbook.

One sheet for the prose (正文: the title, preamble, the six headings, the prose
and the signature) and one per table (表二, 表三, 表四), each table drawn from the
shared layout (:mod:`gipreport.layout`) with the form's labels and merges. It is
a form to type into: the label cells are locked (the sheets are protected, with
no password), the value cells are unlocked and validated — a whole number ≥ 0
for a count, any whole number for a change (the 2019 format's 本年增/减), a
decimal ≥ 0 for an amount in 万元.

A total cell left blank holds a formula: its parts' sum once every part is a
number, empty otherwise (``=IF(COUNT(B5,C5)=2,SUM(B5,C5),"")``), so that a
blank part never counts as zero. A total given in the report is written as the
number it is, like any other value: a report's numbers are kept as they are.
The formulas carry no cached value (the workbook asks to be recalculated when it
is opened); :func:`gipreport.read` reads a formula without one as blank, with a
note, and ``gipreport fill`` writes the totals.

The workbook is written by openpyxl (``gipreport[xlsx]``) and zipped again with
fixed timestamps and member order, so the same report gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from gipreport._core.form import FormSpec
from gipreport._core.limits import MAX_COUNT
from gipreport._core.model import CellValue, Report
from gipreport._core.totals import total_equations
from gipreport._rendering.layout import Covered, TableLayout, layout
from gipreport._rendering.registry import FunctionRenderer, RenderError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["MEDIA_TYPE", "PROSE_SHEET", "XLSX_RENDERER", "XlsxOptions", "render_xlsx", "sheet_name"]

_Mark = Literal["title", "heading", "signature"]
"""What a row of the prose sheet is, as its style shows it (as the reader reads it back)."""

MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PROSE_SHEET: Final = "正文"
"""The name of the sheet holding the prose; the tables' sheets are :func:`sheet_name`."""

_FIXED_TIME: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC).replace(tzinfo=None)
_ZIP_DATE: Final = (1980, 1, 1, 0, 0, 0)
_MODIFIED: Final = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_PROSE_WIDTH: Final = 100
_LABEL_WIDTH: Final = 14
_VALUE_WIDTH: Final = 10

INSTALL_HINT: Final = "install openpyxl, the xlsx extra: pip install 'gipreport[xlsx]'"


@attrs.frozen(kw_only=True)
class XlsxOptions:
    """The spreadsheet renderer has no options."""


def sheet_name(number: str) -> str:
    """Return the sheet name of the table numbered ``number`` (二 → ``表二``)."""
    return f"表{number}"


def render_xlsx(report: Report, options: XlsxOptions | None = None) -> bytes:
    """Return ``report`` as an ``.xlsx`` workbook (bytes); needs openpyxl."""
    del options  # no options
    try:
        from openpyxl import Workbook  # noqa: PLC0415 - only the xlsx format needs it
    except ImportError:  # pragma: no cover - the registry checks first
        raise RenderError(f"the xlsx format needs openpyxl: {INSTALL_HINT}") from None
    book = Workbook()
    prose = book.active
    assert prose is not None
    prose.title = PROSE_SHEET
    doc = layout(report)
    places = _places(report)
    for table in doc.tables:
        spec = report.form.table(table.key)
        _table_sheet(book.create_sheet(sheet_name(spec.number)), table, report.form)
    _prose_sheet(prose, report)
    _formulas(book, report, places)
    book.properties.creator = "gipreport"
    book.properties.created = book.properties.modified = _FIXED_TIME
    book.calculation.fullCalcOnLoad = True
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


def _places(report: Report) -> dict[str, tuple[str, str]]:
    """Return ``{path: (sheet, cell)}`` for every value cell of the report's tables."""
    places: dict[str, tuple[str, str]] = {}
    for table in layout(report).tables:
        sheet = sheet_name(report.form.table(table.key).number)
        for r, row in enumerate(table.grid()):
            for c, slot in enumerate(row):
                if not isinstance(slot, Covered) and slot.path is not None:
                    places[slot.path] = (sheet, _ref(r, c))
    return places


def _ref(row: int, column: int) -> str:
    """Return the A1 reference of the 0-based grid slot ``(row, column)``."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - with openpyxl

    return f"{get_column_letter(column + 1)}{row + 1}"


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, Protection, Side  # noqa: PLC0415

    thin = Side(style="thin")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "label": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "value": Alignment(horizontal="center", vertical="center"),
        "prose": Alignment(vertical="top", wrap_text=True),
        "signature": Alignment(horizontal="right", vertical="top"),
        "bold": Font(bold=True),
        "title": Font(bold=True, size=16),
        "heading": Font(bold=True),
        "locked": Protection(locked=True),
        "unlocked": Protection(locked=False),
    }


def _table_sheet(sheet: Worksheet, table: TableLayout, form: FormSpec) -> None:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - with openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    style = _styles()
    kinds: dict[str, list[str]] = {"count": [], "signed": [], "amount": []}
    value_columns: set[int] = set()
    for r, row in enumerate(table.grid()):
        for c, slot in enumerate(row):
            cell = sheet.cell(row=r + 1, column=c + 1)
            cell.border = style["border"]
            if isinstance(slot, Covered):
                continue
            if slot.rowspan > 1 or slot.colspan > 1:
                sheet.merge_cells(
                    start_row=r + 1,
                    start_column=c + 1,
                    end_row=r + slot.rowspan,
                    end_column=c + slot.colspan,
                )
            if slot.path is None:
                cell.value = slot.text
                cell.alignment = style["label"]
                cell.protection = style["locked"]
                if slot.role in ("column-header", "corner", "block-title"):
                    cell.font = style["bold"]
                continue
            value_columns.add(c)
            kind = form.cell(slot.path).kind
            kinds[kind].append(cell.coordinate)
            cell.alignment = style["value"]
            cell.protection = style["unlocked"]
            _set_value(cell, slot.value, kind)
    for kind_name, refs in kinds.items():
        if refs:
            validation = _validation(DataValidation, kind_name)
            sheet.add_data_validation(validation)
            for ref in refs:
                validation.add(ref)
    for c in range(table.width):
        width = _VALUE_WIDTH if c in value_columns else _LABEL_WIDTH
        sheet.column_dimensions[get_column_letter(c + 1)].width = width
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


_VALIDATIONS: Final[dict[str, dict[str, str]]] = {
    "amount": {
        "type": "decimal",
        "operator": "greaterThanOrEqual",
        "formula1": "0",
        "errorTitle": "金额",
        "error": "请填写不小于0的数（单位：万元）",
    },
    "signed": {
        "type": "whole",
        "operator": "between",
        "formula1": str(-MAX_COUNT),
        "formula2": str(MAX_COUNT),
        "errorTitle": "增减数",
        "error": "请填写整数（增加为正，减少为负）",
    },
    "count": {
        "type": "whole",
        "operator": "greaterThanOrEqual",
        "formula1": "0",
        "errorTitle": "数量",
        "error": "请填写不小于0的整数",
    },
}
"""The data validation of a value cell, by the kind of its value (blank allowed)."""


def _validation(factory: Any, kind: str) -> Any:
    rule = _VALIDATIONS.get(kind, _VALIDATIONS["count"])
    return factory(allow_blank=True, showErrorMessage=True, **rule)


def _set_value(cell: Any, value: CellValue, kind: str) -> None:
    if value is None:
        return
    if isinstance(value, Decimal):
        # An amount keeps its own digits: as a number shown with its decimal places
        # where a double holds it exactly, as text otherwise (a text cell is read
        # as the digits it holds).
        places = max(0, -int(value.as_tuple().exponent))
        as_float = float(value)
        if Decimal(repr(as_float)) == value and len(value.as_tuple().digits) <= 15:
            cell.value = as_float
            cell.number_format = "0" if places == 0 else "0." + "0" * places
        else:
            cell.value = format(value, "f")
        return
    cell.value = value
    cell.number_format = "+0;-0;0" if kind == "signed" else "0"


def _prose_sheet(sheet: Worksheet, report: Report) -> None:
    style = _styles()
    doc = layout(report)
    # Each row: its text, the sheet it points to, and its mark — the title, a heading
    # (bold), a paragraph or the signature (right-aligned), which the reader reads back.
    lines: list[tuple[str, str | None, _Mark | None]] = [(doc.title, None, "title")]
    lines += [(paragraph, None, None) for paragraph in doc.preamble]
    for section in doc.sections:
        if section.prose is None:
            pointer_to = sheet_name(report.form.section(section.key).number)
            lines.append((section.heading, pointer_to, "heading"))
            continue
        lines.append((section.heading, None, "heading"))
        lines += [(paragraph, None, None) for paragraph in section.prose.paragraphs]
        for number, heading, paragraphs in section.prose.subsections:
            lines.append((f"{number} {heading}", None, "heading"))
            lines += [(paragraph, None, None) for paragraph in paragraphs]
    lines.append((doc.signature_organ, None, "signature"))
    if doc.signature_date is not None:
        lines.append((doc.signature_date, None, "signature"))
    for r, (content, link, mark) in enumerate(lines, start=1):
        cell = sheet.cell(row=r, column=1, value=content)
        cell.alignment = style["signature" if mark == "signature" else "prose"]
        if mark in ("title", "heading"):
            cell.font = style[mark]
        if link is not None:
            pointer = sheet.cell(row=r, column=2, value=link)
            pointer.hyperlink = f"#'{link}'!A1"
    sheet.column_dimensions["A"].width = _PROSE_WIDTH
    sheet.column_dimensions["B"].width = _LABEL_WIDTH


def _formulas(book: Any, report: Report, places: dict[str, tuple[str, str]]) -> None:
    values = report.values()
    written: set[str] = set()
    for equation in total_equations(report.form):
        total = equation.total
        if values[total] is not None or total in written:
            continue
        sheet, ref = places[total]
        parts = [
            ref_ if part_sheet == sheet else f"'{part_sheet}'!{ref_}"
            for part_sheet, ref_ in (places[part] for part in equation.right)
        ]
        listed = ",".join(parts)
        book[sheet][ref].value = f'=IF(COUNT({listed})={len(parts)},SUM({listed}),"")'
        written.add(total)


def _fixed_zip(data: bytes) -> bytes:
    """Return the package ``data`` zipped again with fixed timestamps, in the same order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = source.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time it saves
                content = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()


XLSX_RENDERER: Final = FunctionRenderer(
    name="xlsx",
    media_type=MEDIA_TYPE,
    binary=True,
    options=XlsxOptions,
    function=render_xlsx,
)
"""The renderer registered as ``"xlsx"``."""
