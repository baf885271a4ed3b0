"""The national format, written once as data.

Everything else in gipreport reads this module: the model's structure is checked
against it, the JSON keys and schema, the checks' arithmetic, the renderers'
layout and the Hypothesis strategies all come from here. Nothing below re-types a
label or a sum elsewhere.

A format (:class:`FormSpec`) has header fields, six sections and three tables.
Each table is a tree of :class:`Row` objects whose leaves carry value columns
(:class:`Column`); a cell's path is the dotted path of keys from the report root,
for example ``requests.results.withheld.state_secret.total`` (the paths of the JSON
document, JSON.md). The sum relations of RULES.md are generated from two
declarative marks: a column that is the total of its siblings
(:attr:`Column.total_of`) and a row that is the total of its siblings' leaves
(:attr:`Row.is_total`), plus the balance of table 3 (:attr:`TableSpec.balance`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final, Literal, TypeVar

import attrs

from gipreport._core.values import Value

__all__ = [
    "FORMATS",
    "FORM_2019",
    "FORM_2019_LABELS",
    "FORM_2021",
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

Unit = Literal["件", "项", "万元"]
SubheadingStyle = Literal["chinese", "arabic", "arabic-spaced", "arabic-dot", "arabic-comma"]
"""How second-level headings (the subsections of a prose section) are numbered
(:data:`gipreport.layout.SUBHEADING_STYLES`): here, so that a reading can say how
its source numbered them without importing a renderer."""
ValueKind = Literal["count", "signed", "amount"]
"""A whole number ≥ 0, a whole number of either sign (2019: 本年增/减), or an amount."""
EquationKind = Literal["total", "balance"]


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Column(Value):
    """A value column of a table row.

    ``total_of`` names the sibling columns this column is the total of (the 总计
    column); it is empty for a detail column. ``kind`` is ``"count"`` (a whole
    number ≥ 0), ``"signed"`` (a whole number of either sign: the 2019 format's
    本年增/减) or ``"amount"`` (a decimal in 万元).
    """

    key: str
    label: str
    unit: Unit = "件"
    kind: ValueKind = "count"
    total_of: tuple[str, ...] = ()

    @property
    def is_total(self) -> bool:
        """Return whether this column is the sum of other columns."""
        return bool(self.total_of)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Row(Value):
    """A row of a table, or a group of rows (a row label spanning its children).

    A leaf row has ``columns``; a group has ``children``. ``is_total`` marks a row
    that is the total of every leaf row among its siblings (（七）总计).
    ``layout_only`` marks a group that exists only in the printed layout (the
    article blocks of table 2): its key is not part of cell paths.

    A block of table 2 also says how it is printed on the table's grid
    (:attr:`TableSpec.width` columns, the first for the row labels):
    ``header_spans`` are the column spans of its value headers, ``value_spans``
    those of the values in its data rows, one per value column. They may differ:
    the 2019 format prints a value spanning 2 grid columns under a 1-column header.
    """

    key: str
    label: str
    columns: tuple[Column, ...] = ()
    children: tuple[Row, ...] = ()
    is_total: bool = False
    layout_only: bool = False
    header_spans: tuple[int, ...] = ()
    value_spans: tuple[int, ...] = ()

    @property
    def is_leaf(self) -> bool:
        """Return whether this row holds values itself."""
        return not self.children

    def leaves(self) -> Iterator[tuple[tuple[Row, ...], Row]]:
        """Yield ``(ancestors, leaf)`` for every leaf at or below this row."""
        if self.is_leaf:
            yield (), self
            return
        for child in self.children:
            for ancestors, leaf in child.leaves():
                yield (self, *ancestors), leaf

    def span(self) -> int:
        """Return how many printed rows this row occupies (its leaves)."""
        return sum(1 for _ in self.leaves())


@attrs.frozen(kw_only=True, repr=False, eq=False)
class HeaderCell(Value):
    """One printed header cell: its text and how many rows and columns it spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@attrs.frozen(kw_only=True, repr=False, eq=False)
class TableSpec(Value):
    """One statistical table of the form.

    ``key`` is the JSON key of the table (``proactive``, ``requests``, ``appeals``).
    ``rows`` is its row tree. ``header`` is the printed header as rows of merged
    cells in reading order (left to right, top to bottom, a cell listed once at
    its top-left corner), for the tables whose header is one block (3 and 4).
    ``label_columns`` is how many label columns the body has before the values.
    ``width`` is the number of grid columns of a table of stacked blocks (table
    2), over which each block's spans are laid. ``balance`` holds the row paths
    of the balance equation (left rows, right rows), checked per column, where
    the form prints one.
    """

    key: str
    number: str
    title: str
    rows: tuple[Row, ...]
    header: tuple[tuple[HeaderCell, ...], ...] = ()
    label_columns: int = 1
    width: int = 0
    balance: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    balance_note: str = ""

    @property
    def arabic_number(self) -> int:
        """Return the table's number as the form counts: its section's, 2, 3 or 4 (二、三、四).

        Messages, notes and the documentation call the tables "table 2" to "table 4".
        """
        return "一二三四五六七八九".index(self.number) + 1

    def leaf_rows(self) -> Iterator[tuple[str, tuple[Row, ...], Row]]:
        """Yield ``(row path, ancestors, leaf)`` for every leaf row, in printed order."""
        for top in self.rows:
            for ancestors, leaf in top.leaves():
                yield _join(self.key, (*ancestors, leaf)), ancestors, leaf


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CellSpec(Value):
    """One value cell of the form: where it is, what it is called, what it holds."""

    path: str
    table: str
    row_path: str
    row_labels: tuple[str, ...]
    column: Column

    @property
    def label(self) -> str:
        """Return the cell's full Chinese label.

        For example ``三、本年度办理结果（七）总计 · 商业企业``.
        """
        return f"{''.join(self.row_labels)} · {self.column.label}"

    @property
    def unit(self) -> Unit:
        """Return the unit of the value (件 or 万元)."""
        return self.column.unit

    @property
    def kind(self) -> ValueKind:
        """Return ``"count"``, ``"signed"`` (本年增/减) or ``"amount"`` (万元)."""
        return self.column.kind


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Equation(Value):
    """One instance of a sum relation: ``sum(left) == sum(right)``.

    For ``kind == "total"`` the left side is the single total cell and the right
    side its parts, so the total can be derived. ``instance`` names the instance
    (the column key or row path) for messages and rule counts.
    """

    rule: str
    kind: EquationKind
    instance: str
    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        """Return every cell path the equation reads, left then right."""
        return (*self.left, *self.right)

    @property
    def total(self) -> str:
        """Return the total cell of a ``total`` equation."""
        if self.kind != "total":
            msg = f"{self.rule} [{self.instance}] is a balance, it has no single total"
            raise ValueError(msg)
        return self.left[0]


@attrs.frozen(kw_only=True, repr=False, eq=False)
class FieldSpec(Value):
    """A non-table field of the report (header or prose section), for labels and docs."""

    key: str
    label: str
    description: str


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SectionSpec(Value):
    """One of the six numbered sections, with its official heading.

    ``key`` is the JSON key of its content: a prose field or a table.
    ``subheadings`` are the sub-headings a prose section customarily has (without
    numbering), for a blank report to fill in; empty where the format names none.
    """

    key: str
    number: str
    title: str
    kind: Literal["prose", "table"]
    subheadings: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """Return the heading as printed, e.g. ``一、总体情况``."""
        return f"{self.number}、{self.title}"


_Spec = TypeVar("_Spec", "TableSpec", "SectionSpec", "FieldSpec")


def _keyed(specs: tuple[_Spec, ...], key: str, what: str) -> _Spec:
    """Return the one of ``specs`` whose key is ``key``; raise :class:`KeyError` "no ``what``"."""
    for spec in specs:
        if spec.key == key:
            return spec
    msg = f"no {what}"
    raise KeyError(msg)


@attrs.frozen(kw_only=True, eq=False)
class FormSpec:
    """A complete national format: header fields, sections, tables, relations.

    Formats are singletons (:data:`FORMATS`), compared and hashed by identity.
    """

    id: str
    instrument: str
    first_year: int
    last_year: int | None
    header_fields: tuple[FieldSpec, ...]
    sections: tuple[SectionSpec, ...]
    tables: tuple[TableSpec, ...]
    title_template: str
    _cells: tuple[CellSpec, ...] = attrs.field(init=False)
    _by_path: Mapping[str, CellSpec] = attrs.field(init=False)
    _equations: tuple[Equation, ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        for table in self.tables:
            _check_grid(table)
        cells = tuple(_cells_of(self.tables))
        object.__setattr__(self, "_cells", cells)
        object.__setattr__(self, "_by_path", MappingProxyType({c.path: c for c in cells}))
        object.__setattr__(self, "_equations", tuple(_equations_of(self.tables)))

    @property
    def cells(self) -> tuple[CellSpec, ...]:
        """Return every value cell of the three tables, in reading order."""
        return self._cells

    @property
    def equations(self) -> tuple[Equation, ...]:
        """Return every instance of every sum relation, grouped by rule."""
        return self._equations

    def cell(self, path: str) -> CellSpec:
        """Return the cell at ``path``; raise :class:`KeyError` naming it if there is none.

        The error suggests the form's closest paths::

            >>> FORM_2021.cell("proactive.rule.issued")  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            KeyError: "no cell ... did you mean 'proactive.rules.issued' or ...?"
        """
        try:
            return self._by_path[path]
        except KeyError:
            import difflib  # noqa: PLC0415 - only a wrong path needs it

            msg = f"no cell {path!r} in format {self.id}"
            close = difflib.get_close_matches(str(path), self._by_path, n=3, cutoff=0.75)
            if close:
                msg += f"; did you mean {' or '.join(map(repr, close))}?"
            raise KeyError(msg) from None

    def has_cell(self, path: str) -> bool:
        """Return whether ``path`` names a value cell of this format."""
        return path in self._by_path

    def has_every_cell(self, values: Mapping[str, object]) -> bool:
        """Return whether the keys of ``values`` are the paths of this format's cells, all of them.

        As ``len(values) == len(self.cells) and all(map(self.has_cell, values))``, at once.
        """
        return len(values) == len(self._cells) and values.keys() == self._by_path.keys()

    def table(self, key: str) -> TableSpec:
        """Return the table with JSON key ``key``."""
        return _keyed(self.tables, key, f"table {key!r} in format {self.id}")

    def section(self, key: str) -> SectionSpec:
        """Return the section whose content is at JSON key ``key``."""
        return _keyed(self.sections, key, f"section {key!r} in format {self.id}")

    def header_field(self, key: str) -> FieldSpec:
        """Return the header field ``key`` (organ, year, …)."""
        return _keyed(self.header_fields, key, f"header field {key!r} in format {self.id}")

    def equations_for(self, rule: str) -> tuple[Equation, ...]:
        """Return the instances of one arithmetic rule."""
        return tuple(eq for eq in self._equations if eq.rule == rule)

    def title_for(self, organ: str, year: int) -> str:
        """Return the standard title, ``{organ}{year}年政府信息公开工作年度报告``."""
        return self.title_template.format(organ=organ, year=year)


# --- generation of cells and equations from the declarative marks ---------------

ROW_TOTAL = "requests.row-total"
RESULTS_TOTAL = "requests.results-total"
BALANCE = "requests.balance"
APPEALS_TOTAL = "appeals.total"


def _cells_of(tables: tuple[TableSpec, ...]) -> Iterator[CellSpec]:
    for table in tables:
        for row_path, ancestors, leaf in table.leaf_rows():
            # Table 2's article blocks are layout: 规章 · 本年制发件数 names its cell.
            labels = tuple(row.label for row in (*ancestors, leaf) if not row.layout_only)
            for column in leaf.columns:
                yield CellSpec(
                    path=f"{row_path}.{column.key}",
                    table=table.key,
                    row_path=row_path,
                    row_labels=labels,
                    column=column,
                )


def _check_grid(table: TableSpec) -> None:
    # A table of stacked blocks says where each block's headers and values sit;
    # they must fill the grid after the label column, one span per value column.
    if table.header:
        return
    for block in table.rows:
        columns = next(block.leaves())[1].columns
        for spans in (block.header_spans, block.value_spans):
            if len(spans) != len(columns) or sum(spans) != table.width - 1:
                msg = (
                    f"{table.key}: block {block.label} spans {spans} do not lay its"
                    f" {len(columns)} columns on {table.width - 1} grid columns"
                )
                raise ValueError(msg)


def _row_total_rule(table: TableSpec) -> str:
    return APPEALS_TOTAL if table.key == "appeals" else ROW_TOTAL


def _equations_of(tables: tuple[TableSpec, ...]) -> Iterator[Equation]:
    for table in tables:
        yield from _column_totals(table)
        yield from _row_totals(table)
        yield from _balance(table)


def _column_totals(table: TableSpec) -> Iterator[Equation]:
    # A column marked total_of is the sum of the named columns of the same row.
    for row_path, _ancestors, leaf in table.leaf_rows():
        for column in leaf.columns:
            if column.is_total:
                instance = row_path.removeprefix(f"{table.key}.")
                yield Equation(
                    rule=_row_total_rule(table),
                    kind="total",
                    instance=instance,
                    left=(f"{row_path}.{column.key}",),
                    right=tuple(f"{row_path}.{key}" for key in column.total_of),
                )


def _row_totals(table: TableSpec) -> Iterator[Equation]:
    # A row marked is_total is, column by column, the sum of every leaf row among
    # its siblings: （七）总计 is the sum of the 22 result rows.
    def walk(rows: tuple[Row, ...], prefix: str) -> Iterator[Equation]:
        totals = [row for row in rows if row.is_total]
        for total in totals:
            part_paths = [
                _join(prefix, (*ancestors, leaf))
                for row in rows
                if not row.is_total
                for ancestors, leaf in row.leaves()
            ]
            for column in total.columns:
                yield Equation(
                    rule=RESULTS_TOTAL,
                    kind="total",
                    instance=column.key,
                    left=(f"{prefix}.{total.key}.{column.key}",),
                    right=tuple(f"{p}.{column.key}" for p in part_paths),
                )
        for row in rows:
            if row.children:
                yield from walk(row.children, _join(prefix, (row,)))

    yield from walk(table.rows, table.key)


def _join(prefix: str, rows: tuple[Row, ...]) -> str:
    return ".".join((prefix, *(row.key for row in rows if not row.layout_only)))


def _balance(table: TableSpec) -> Iterator[Equation]:
    if table.balance is None:
        return
    left_rows, right_rows = table.balance
    first_row = next(leaf for _path, _anc, leaf in table.leaf_rows())
    for column in first_row.columns:
        yield Equation(
            rule=BALANCE,
            kind="balance",
            instance=column.key,
            left=tuple(f"{table.key}.{row}.{column.key}" for row in left_rows),
            right=tuple(f"{table.key}.{row}.{column.key}" for row in right_rows),
        )


# --- the 2021 format ------------------------------------------------------------


def _with_total(details: tuple[Column, ...], label: str = "总计") -> tuple[Column, ...]:
    return (*details, Column(key="total", label=label, total_of=tuple(c.key for c in details)))


REQUEST_COLUMNS: tuple[Column, ...] = _with_total(
    (
        Column(key="natural_person", label="自然人"),
        Column(key="commercial", label="商业企业"),
        Column(key="research", label="科研机构"),
        Column(key="social_welfare", label="社会公益组织"),
        Column(key="legal_services", label="法律服务机构"),
        Column(key="other_org", label="其他"),
    )
)
"""The 7 value columns of table 3: 自然人, five kinds of 法人或其他组织, 总计."""

OUTCOME_COLUMNS: tuple[Column, ...] = _with_total(
    (
        Column(key="upheld", label="结果维持"),
        Column(key="corrected", label="结果纠正"),
        Column(key="other", label="其他结果"),
        Column(key="pending", label="尚未审结"),
    )
)
"""The 5 value columns of each group of table 4."""


def _rows(*pairs: tuple[str, str]) -> tuple[Row, ...]:
    return tuple(Row(key=key, label=label, columns=REQUEST_COLUMNS) for key, label in pairs)


# Rows of 三、本年度办理结果 up to （五）不予处理, the same in both formats.
_RESULTS_BEFORE_OTHER: tuple[Row, ...] = (
    *_rows(
        ("disclosed", "（一）予以公开"),
        ("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ),
    Row(
        key="withheld",
        label="（三）不予公开",
        children=_rows(
            ("state_secret", "1.属于国家秘密"),
            ("prohibited_by_law", "2.其他法律行政法规禁止公开"),
            ("security_stability", "3.危及“三安全一稳定”"),
            ("third_party_rights", "4.保护第三方合法权益"),
            ("internal_affairs", "5.属于三类内部事务信息"),
            ("process_information", "6.属于四类过程性信息"),
            ("enforcement_files", "7.属于行政执法案卷"),
            ("administrative_query", "8.属于行政查询事项"),
        ),
    ),
    Row(
        key="unavailable",
        label="（四）无法提供",
        children=_rows(
            ("not_held", "1.本机关不掌握相关政府信息"),
            ("needs_creation", "2.没有现成信息需要另行制作"),
            ("still_unclear", "3.补正后申请内容仍不明确"),
        ),
    ),
    Row(
        key="not_processed",
        label="（五）不予处理",
        children=_rows(
            ("petition", "1.信访举报投诉类申请"),
            ("duplicate", "2.重复申请"),
            ("publication", "3.要求提供公开出版物"),
            ("excessive", "4.无正当理由大量反复申请"),
            ("reconfirmation", "5.要求行政机关确认或重新出具已获取信息"),
        ),
    ),
)

_OTHER_2021 = Row(
    key="other",
    label="（六）其他处理",
    children=_rows(
        (
            "no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        (
            "unpaid_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("other", "3.其他"),
    ),
)
"""（六）其他处理 of the 2021 format: three rows."""

_OTHER_2019 = Row(key="other", label=_OTHER_2021.label, columns=REQUEST_COLUMNS)
"""（六）其他处理 of the 2019 format: one row, not split."""


def _results(other: Row) -> Row:
    return Row(
        key="results",
        label="三、本年度办理结果",
        children=(
            *_RESULTS_BEFORE_OTHER,
            other,
            Row(key="total", label="（七）总计", columns=REQUEST_COLUMNS, is_total=True),
        ),
    )


_CORNER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _requests(other: Row) -> TableSpec:
    # Table 3 of either format: the formats differ only in （六）其他处理.
    return TableSpec(
        key="requests",
        number="三",
        title="收到和处理政府信息公开申请情况",
        label_columns=3,
        rows=(
            *_rows(("new_received", "一、本年新收政府信息公开申请数量")),
            *_rows(("carried_over", "二、上年结转政府信息公开申请数量")),
            _results(other),
            *_rows(("carried_forward", "四、结转下年度继续办理")),
        ),
        header=(
            (
                HeaderCell(text=_CORNER_NOTE, rowspan=3, colspan=3),
                HeaderCell(text="申请人情况", colspan=len(REQUEST_COLUMNS)),
            ),
            (
                HeaderCell(text=REQUEST_COLUMNS[0].label, rowspan=2),
                HeaderCell(text="法人或其他组织", colspan=len(REQUEST_COLUMNS) - 2),
                HeaderCell(text=REQUEST_COLUMNS[-1].label, rowspan=2),
            ),
            tuple(HeaderCell(text=c.label) for c in REQUEST_COLUMNS[1:-1]),
        ),
        balance=(("new_received", "carried_over"), ("results.total", "carried_forward")),
        balance_note=_CORNER_NOTE,
    )


REQUESTS_2021 = _requests(_OTHER_2021)
"""Table 3 of the 2021 format: 25 data rows."""

REQUESTS_2019 = _requests(_OTHER_2019)
"""Table 3 of the 2019 format: 23 data rows (（六）其他处理 is one)."""

_APPEAL_GROUPS = (
    Row(key="review", label="行政复议", columns=OUTCOME_COLUMNS),
    Row(key="litigation_direct", label="未经复议直接起诉", columns=OUTCOME_COLUMNS),
    Row(key="litigation_after_review", label="复议后起诉", columns=OUTCOME_COLUMNS),
)

APPEALS_2021 = TableSpec(
    key="appeals",
    number="四",
    title="政府信息公开行政复议、行政诉讼情况",
    label_columns=0,
    rows=_APPEAL_GROUPS,
    header=(
        (
            HeaderCell(text=_APPEAL_GROUPS[0].label, colspan=len(OUTCOME_COLUMNS)),
            HeaderCell(text="行政诉讼", colspan=2 * len(OUTCOME_COLUMNS)),
        ),
        (
            *(HeaderCell(text=c.label, rowspan=2) for c in OUTCOME_COLUMNS),
            HeaderCell(text=_APPEAL_GROUPS[1].label, colspan=len(OUTCOME_COLUMNS)),
            HeaderCell(text=_APPEAL_GROUPS[2].label, colspan=len(OUTCOME_COLUMNS)),
        ),
        tuple(HeaderCell(text=c.label) for _ in range(2) for c in OUTCOME_COLUMNS),
    ),
)


_Block = tuple[
    str, tuple[Column, ...], tuple[tuple[str, str], ...], tuple[int, ...], tuple[int, ...]
]
"""One article block of table 2, as data: the article's item (``"1"`` for 第二十条第（一）项),
the columns of its rows, its rows as ``(key, label)``, and the grid columns its header
cells span and its value cells span."""

_ARTICLE_ITEMS: Final = {"1": "一", "5": "五", "6": "六", "8": "八", "9": "九"}


def _proactive(*, width: int, blocks: tuple[_Block, ...]) -> TableSpec:
    # Table 2 of either format: stacked blocks, not one header. Each block is a
    # group row, its label the article of the 条例, its leaves the block's data
    # rows, with where its headers and values sit on the table's grid.
    return TableSpec(
        key="proactive",
        number="二",
        title="主动公开政府信息情况",
        width=width,
        rows=tuple(
            Row(
                key=f"article_20_{item}",
                label=f"第二十条第（{_ARTICLE_ITEMS[item]}）项",
                layout_only=True,
                children=tuple(Row(key=key, label=label, columns=columns) for key, label in rows),
                header_spans=header_spans,
                value_spans=value_spans,
            )
            for item, columns, rows, header_spans, value_spans in blocks
        ),
    )


_DOCUMENT_COLUMNS = (
    Column(key="issued", label="本年制发件数"),
    Column(key="repealed", label="本年废止件数"),
    Column(key="in_force", label="现行有效件数"),
)
_DECISIONS = (Column(key="decisions", label="本年处理决定数量"),)
_FEES = (Column(key="amount", label="本年收费金额（单位：万元）", unit="万元", kind="amount"),)

PROACTIVE_2021 = _proactive(
    # Printed on 4 grid columns: 信息内容 and 3 value columns, which a block of one
    # value spans.
    width=4,
    blocks=(
        (
            "1",
            _DOCUMENT_COLUMNS,
            (("rules", "规章"), ("normative_documents", "行政规范性文件")),
            (1, 1, 1),
            (1, 1, 1),
        ),
        ("5", _DECISIONS, (("licensing", "行政许可"),), (3,), (3,)),
        ("6", _DECISIONS, (("penalty", "行政处罚"), ("coercion", "行政强制")), (3,), (3,)),
        ("8", _FEES, (("fees", "行政事业性收费"),), (3,), (3,)),
    ),
)
"""Table 2. Its article blocks are layout only: their keys are not in cell paths."""

_DISCLOSED_COLUMNS_2019 = (
    Column(key="made", label="本年新制作数量"),
    Column(key="disclosed", label="本年新公开数量"),
    Column(key="total_disclosed", label="对外公开总数量"),
)
_PREVIOUS_ITEMS = Column(key="previous_items", label="上一年项目数量", unit="项")
_CHANGE = Column(key="change", label="本年增/减", unit="项", kind="signed")
_ITEM_COLUMNS_2019 = (_PREVIOUS_ITEMS, _CHANGE, Column(key="decisions", label="处理决定数量"))
_PROCUREMENT_COLUMNS_2019 = (
    Column(key="projects", label="采购项目数量", unit="项"),
    Column(key="amount", label="采购总金额", unit="万元", kind="amount"),
)

PROACTIVE_2019 = _proactive(
    # As published (上海市人民政府办公厅's 2019 report): 5 grid columns, 信息内容
    # and 4 value columns. （一）'s header and values span 1, 2, 1; in （五）（六）
    # the header spans 1, 2, 1 but the values 2, 1, 1 (上一年项目数量's value spans
    # 2 under its 1-column header); in （八）（九） each value spans 2.
    width=5,
    blocks=(
        (
            "1",
            _DISCLOSED_COLUMNS_2019,
            (("rules", "规章"), ("normative_documents", "规范性文件")),
            (1, 2, 1),
            (1, 2, 1),
        ),
        (
            "5",
            _ITEM_COLUMNS_2019,
            (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
            (1, 2, 1),
            (2, 1, 1),
        ),
        (
            "6",
            _ITEM_COLUMNS_2019,
            (("penalty", "行政处罚"), ("coercion", "行政强制")),
            (1, 2, 1),
            (2, 1, 1),
        ),
        ("8", (_PREVIOUS_ITEMS, _CHANGE), (("fees", "行政事业性收费"),), (2, 2), (2, 2)),
        (
            "9",
            _PROCUREMENT_COLUMNS_2019,
            (("procurement", "政府集中采购"),),
            (2, 2),
            (2, 2),
        ),
    ),
)
"""Table 2 of the 2019 format: five blocks; （八） counts fee items, not an amount."""

PROACTIVE_CONTENT_LABEL = "信息内容"
"""The label over the first column of every table 2 block."""

_HEADER_FIELDS = (
    FieldSpec(
        key="format",
        label="报告格式",
        description="the national format: 2021, or 2019 (for the reports on 2019 and 2020)",
    ),
    FieldSpec(key="organ", label="发布机关", description="the organ that publishes the report"),
    FieldSpec(key="year", label="报告年度", description="the calendar year reported on"),
    FieldSpec(
        key="title",
        label="标题",
        description="the title; null means {organ}{year}年政府信息公开工作年度报告",
    ),
    FieldSpec(
        key="published_on",
        label="成文日期",
        description="the date of issue under the signature, YYYY-MM-DD",
    ),
    FieldSpec(key="preamble", label="引言", description="paragraphs before section 一"),
)

SECTIONS_2021 = (
    # The topics the 2021 format lists for 总体情况, worded as reports head them
    # (the bundled example among them).
    SectionSpec(
        key="overview",
        number="一",
        title="总体情况",
        kind="prose",
        subheadings=(
            "主动公开情况",
            "依申请公开情况",
            "政府信息管理情况",
            "政府信息公开平台建设情况",
            "监督保障情况",
        ),
    ),
    SectionSpec(key="proactive", number="二", title="主动公开政府信息情况", kind="table"),
    SectionSpec(key="requests", number="三", title="收到和处理政府信息公开申请情况", kind="table"),
    SectionSpec(
        key="appeals", number="四", title="政府信息公开行政复议、行政诉讼情况", kind="table"
    ),
    SectionSpec(key="problems", number="五", title="存在的主要问题及改进情况", kind="prose"),
    SectionSpec(key="other_matters", number="六", title="其他需要报告的事项", kind="prose"),
)

FORM_2021 = FormSpec(
    id="2021",
    instrument="国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》",
    first_year=2021,
    last_year=None,
    header_fields=_HEADER_FIELDS,
    sections=SECTIONS_2021,
    tables=(PROACTIVE_2021, REQUESTS_2021, APPEALS_2021),
    title_template="{organ}{year}年政府信息公开工作年度报告",
)
"""The 2021 national format (国办公开办函〔2021〕30号), used from the 2021 reports on."""

FORM_2019 = FormSpec(
    id="2019",
    instrument=(
        "国办公开办函〔2019〕60号《关于政府信息公开工作年度报告有关事项的通知》"
        "附《中华人民共和国政府信息公开工作年度报告格式（试行）》"
    ),
    first_year=2019,
    last_year=2020,
    header_fields=_HEADER_FIELDS,
    sections=SECTIONS_2021,
    tables=(PROACTIVE_2019, REQUESTS_2019, APPEALS_2021),
    title_template=FORM_2021.title_template,
)
"""The 2019 national format (国办公开办函〔2019〕60号), used for the 2019 and 2020 reports.

Its sections and tables 3 and 4 are those of 2021 but for （六）其他处理, one row
here; its table 2 has other blocks and columns, printed on a 5-column grid.
"""


def _table_2_labels(form: FormSpec) -> Iterator[str]:
    table = form.table("proactive")
    for block in table.rows:
        yield block.label
        for _ancestors, leaf in block.leaves():
            yield leaf.label
            yield from (column.label for column in leaf.columns)


def _only_2019() -> tuple[str, ...]:
    # A 2019 label that no 2021 label contains (规范性文件 is inside 行政规范性文件,
    # 处理决定数量 inside 本年处理决定数量: neither tells the formats apart).
    labels_2021 = tuple(_table_2_labels(FORM_2021))
    return tuple(
        dict.fromkeys(
            label
            for label in _table_2_labels(FORM_2019)
            if not any(label in other for other in labels_2021)
        )
    )


FORM_2019_LABELS: tuple[str, ...] = _only_2019()
"""Labels only the 2019 format's table 2 prints, by which a reader recognises a
report laid out in the 2019 tables (derived from :data:`FORM_2019`)."""

FORMATS: Mapping[str, FormSpec] = MappingProxyType(
    {FORM_2021.id: FORM_2021, FORM_2019.id: FORM_2019}
)
"""Every format gipreport implements, by id."""


def form_for(format_id: str) -> FormSpec:
    """Return the format with id ``format_id``; raise :class:`KeyError` listing the known ones."""
    try:
        return FORMATS[format_id]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        msg = f"unknown format {format_id!r}; gipreport implements: {known}"
        raise KeyError(msg) from None
