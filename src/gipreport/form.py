"""The national format as data: the public view of :mod:`gipreport._core.form`.

>>> from gipreport.form import FORM_2021
>>> FORM_2021.cell("requests.results.total.commercial").label
'三、本年度办理结果（七）总计 · 商业企业'
>>> len(FORM_2021.cells)
200
>>> from gipreport.form import FORM_2019
>>> FORM_2019.cell("proactive.licensing.change").label, len(FORM_2019.cells)
('行政许可 · 本年增/减', 198)
"""

from gipreport._core.form import (
    FORM_2019,
    FORM_2019_LABELS,
    FORM_2021,
    FORMATS,
    OUTCOME_COLUMNS,
    PROACTIVE_CONTENT_LABEL,
    REQUEST_COLUMNS,
    CellSpec,
    Column,
    Equation,
    FieldSpec,
    FormSpec,
    HeaderCell,
    Row,
    SectionSpec,
    TableSpec,
    form_for,
)

__all__ = [
    "FORMATS",
    "FORM_2019",
    "FORM_2019_LABELS",
    "FORM_2021",
    "OUTCOME_COLUMNS",
    "PROACTIVE_CONTENT_LABEL",
    "REQUEST_COLUMNS",
    "CellSpec",
    "Column",
    "Equation",
    "FieldSpec",
    "FormSpec",
    "HeaderCell",
    "Row",
    "SectionSpec",
    "TableSpec",
    "form_for",
]
