"""The format-neutral layout every renderer draws: the public view of the layout.

A third-party renderer builds on this, so it prints exactly what the built-in
HTML, text and docx renderers print::

    >>> import gipreport
    >>> from gipreport.layout import layout
    >>> tables = layout(gipreport.examples.mingan_2023()).tables
    >>> [(t.key, t.width, len(t.rows)) for t in tables]
    [('proactive', 4, 14), ('requests', 10, 28), ('appeals', 15, 4)]
"""

from gipreport._rendering.layout import (
    SUBHEADING_STYLES,
    CellRole,
    Covered,
    LayoutCell,
    LayoutRow,
    ProseBlock,
    ReportLayout,
    SectionLayout,
    Slot,
    SubheadingStyle,
    TableLayout,
    chinese_numeral,
    format_date,
    format_value,
    layout,
    subsection_number,
    table_layout,
)

__all__ = [
    "SUBHEADING_STYLES",
    "CellRole",
    "Covered",
    "LayoutCell",
    "LayoutRow",
    "ProseBlock",
    "ReportLayout",
    "SectionLayout",
    "Slot",
    "SubheadingStyle",
    "TableLayout",
    "chinese_numeral",
    "format_date",
    "format_value",
    "layout",
    "subsection_number",
    "table_layout",
]
