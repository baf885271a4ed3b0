"""The arithmetic of a form, indexed once: equations by position, and suspect cells.

Every sum relation of a format (:attr:`FormSpec.equations`) is an equation
``sum(left) == sum(right)`` whose cells have coefficients +1 (left) and −1 (right).
:func:`form_index` turns them, once per format, into positions in the tuple of a
report's cell values, so evaluating all 42 instances of the 2021 format is a few
tuple look-ups each; and :func:`suspects` finds, from the instances that failed,
the single cells that explain them all.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal

from gipreport._core.form import (
    APPEALS_TOTAL,
    BALANCE,
    RESULTS_TOTAL,
    ROW_TOTAL,
    CellSpec,
    Equation,
    FormSpec,
    TableSpec,
)
from gipreport._core.model import CellValue, Report, cell_reader

__all__ = [
    "ARITHMETIC_RULES",
    "LOWER_BOUND_EN",
    "LOWER_BOUND_ZH",
    "Bound",
    "FormIndex",
    "IndexedEquation",
    "blank_labels",
    "bound",
    "describe",
    "differences",
    "evaluate",
    "form_index",
    "instance_label",
    "suspects",
]

ARITHMETIC_RULES: Final = (BALANCE, RESULTS_TOTAL, ROW_TOTAL, APPEALS_TOTAL)
"""The IDs of the rules that are sum relations of the form, in catalogue order."""

Values = Sequence[CellValue]

Bound = Literal["holds", "fails", "open"]
"""What the printed cells say of a relation: it holds, it fails whatever the
blanks hold (each blank a count ≥ 0), or it is open (not assessable)."""

LOWER_BOUND_ZH: Final = "（空白单元格按不小于0计）"
LOWER_BOUND_EN: Final = " (blank cells taken as counts ≥ 0)"


def bound(
    terms: Iterable[tuple[int, CellValue, bool]], relation: Literal["=", ">="] = "="
) -> Bound:
    """Return whether ``Σ coefficient × value`` (relation) 0 can hold, blanks being unknown.

    Each term is ``(coefficient, value, signed)``. A blank (``None``) count is
    some whole number ≥ 0 (the lower bound of RULES.md); a blank signed value
    (本年增/减) is any whole number. With no blank the relation holds or fails;
    with blanks it fails only when no values of the blanks could make it hold,
    and is ``"open"`` otherwise.

    >>> bound([(1, 5, False), (-1, 3, False), (-1, None, False)])  # 5 = 3 + ?
    'open'
    >>> bound([(1, 5, False), (-1, 7, False), (-1, None, False)])  # 5 = 7 + ?
    'fails'
    """
    known = 0
    up = down = blank = False
    for coefficient, value, signed in terms:
        if value is None:
            blank = True
            if signed:
                up = down = True
            elif coefficient > 0:
                up = True
            elif coefficient < 0:
                down = True
        else:
            known += coefficient * int(value)  # counts only: an amount is never in a relation
    if not blank:
        holds = known == 0 if relation == "=" else known >= 0
        return "holds" if holds else "fails"
    if relation == "=":
        possible = known == 0 or (known < 0 and up) or (known > 0 and down)
    else:
        possible = known >= 0 or up
    return "open" if possible else "fails"


Getter = Callable[[Values], tuple[CellValue, ...]]
_ReadDifferences = Callable[[Report], tuple[tuple[CellValue, ...], tuple[int, ...] | None]]


def _getter(positions: tuple[int, ...]) -> Getter:
    if not positions:
        return lambda values: ()
    if len(positions) == 1:
        (position,) = positions
        return lambda values: (values[position],)
    getter: Getter = operator.itemgetter(*positions)
    return getter


# IndexedEquation and FormIndex are plain classes, not attrs: made once per
# format, read by every check, and the classes attrs makes at import are a cost
# of every ``import gipreport``. Read-only by convention, compared by identity.


class IndexedEquation:
    """An :class:`Equation` with its cells as positions in a report's value tuple."""

    __slots__ = ("equation", "get_left", "get_right", "left", "right")

    def __init__(
        self,
        *,
        equation: Equation,
        left: tuple[int, ...],
        right: tuple[int, ...],
        get_left: Getter,
        get_right: Getter,
    ) -> None:
        self.equation: Final = equation
        self.left: Final = left
        self.right: Final = right
        self.get_left: Final = get_left
        self.get_right: Final = get_right

    def __repr__(self) -> str:
        return f"IndexedEquation(equation={self.equation!r}, left={self.left}, right={self.right})"


class FormIndex:
    """What the checks precompute for one format.

    ``paths`` are the cell paths in reading order and ``read`` returns a report's
    values in that order; ``read_differences`` returns them with their
    differences (``None`` where a cell of an equation is blank). Those two are
    written out when first used: a report :func:`gipreport.load_json` read comes
    with its values and needs neither. ``equations`` are the format's sum relations;
    ``by_rule`` gives, per rule ID, the positions of its equations in
    ``equations``; ``incidence`` gives, per cell position, the ``(equation
    position, coefficient)`` pairs of the equations that read the cell.
    ``all_differences`` returns the difference of every equation of a report
    without blanks (it raises :class:`TypeError` on a blank); ``read_unsummed``
    returns the values of the cells no equation reads. ``table_cells`` gives, per
    table of the form, the positions of its cells. ``labels`` holds the Chinese
    label of each cell (:attr:`CellSpec.label`, made once).
    """

    __slots__ = (
        "_read",
        "_read_differences",
        "all_differences",
        "by_rule",
        "equations",
        "form",
        "incidence",
        "labels",
        "paths",
        "position",
        "read_unsummed",
        "specs",
        "table_cells",
    )

    def __init__(
        self,
        *,
        form: FormSpec,
        paths: tuple[str, ...],
        specs: tuple[CellSpec, ...],
        labels: tuple[str, ...],
        position: Mapping[str, int],
        equations: tuple[IndexedEquation, ...],
        all_differences: Callable[[Values], tuple[int, ...]],
        read_unsummed: Getter,
        by_rule: Mapping[str, tuple[int, ...]],
        incidence: tuple[tuple[tuple[int, int], ...], ...],
        table_cells: tuple[tuple[TableSpec, tuple[int, ...]], ...],
    ) -> None:
        self.form: Final = form
        self.paths: Final = paths
        self.specs: Final = specs
        self.labels: Final = labels
        self.position: Final = position
        self.equations: Final = equations
        self.all_differences: Final = all_differences
        self.read_unsummed: Final = read_unsummed
        self.by_rule: Final = by_rule
        self.incidence: Final = incidence
        self.table_cells: Final = table_cells
        self._read: Callable[[Report], tuple[CellValue, ...]] | None = None
        self._read_differences: _ReadDifferences | None = None

    @property
    def read(self) -> Callable[[Report], tuple[CellValue, ...]]:
        """Return the function giving a report's values, in the order of ``paths``."""
        if self._read is None:
            self._read = cell_reader(self.form)
        return self._read

    @property
    def read_differences(self) -> _ReadDifferences:
        """Return the function giving a report's values and their differences at once."""
        if self._read_differences is None:
            self._read_differences = _compile_read_differences(self.paths, self.equations)
        return self._read_differences

    def __repr__(self) -> str:
        return f"FormIndex(form={self.form.id!r}, {len(self.paths)} cells)"


@functools.cache
def form_index(form: FormSpec) -> FormIndex:
    """Return the precomputed index of ``form`` (computed once per format)."""
    specs = form.cells
    paths = tuple(spec.path for spec in specs)
    position = {path: index for index, path in enumerate(paths)}
    equations = tuple(
        IndexedEquation(
            equation=eq,
            left=(left := tuple(position[p] for p in eq.left)),
            right=(right := tuple(position[p] for p in eq.right)),
            get_left=_getter(left),
            get_right=_getter(right),
        )
        for eq in form.equations
    )
    by_rule: dict[str, list[int]] = {rule: [] for rule in ARITHMETIC_RULES}
    incidence: list[list[tuple[int, int]]] = [[] for _ in paths]
    for number, indexed in enumerate(equations):
        by_rule.setdefault(indexed.equation.rule, []).append(number)
        for cell in indexed.left:
            incidence[cell].append((number, 1))
        for cell in indexed.right:
            incidence[cell].append((number, -1))
    return FormIndex(
        form=form,
        paths=paths,
        specs=specs,
        labels=tuple(spec.label for spec in specs),
        position=MappingProxyType(position),
        equations=equations,
        all_differences=_compile_differences(equations, len(paths)),
        read_unsummed=_getter(tuple(n for n, found in enumerate(incidence) if not found)),
        by_rule=MappingProxyType({rule: tuple(found) for rule, found in by_rule.items()}),
        incidence=tuple(tuple(found) for found in incidence),
        table_cells=tuple(
            (table, tuple(n for n, path in enumerate(paths) if path.startswith(f"{table.key}.")))
            for table in form.tables
        ),
    )


def _compile_differences(
    equations: tuple[IndexedEquation, ...], cell_count: int
) -> Callable[[Values], tuple[int, ...]]:
    # The equations are fixed per format, so their sums are written out once as one
    # expression with constant indexes (as attrs writes its __init__): evaluating
    # all 42 of the 2021 format is then a single call with no loop in Python.
    # The values are unpacked into locals first (one instruction), as reading a
    # local is cheaper than indexing the tuple once per term.
    def side(positions: tuple[int, ...]) -> str:
        return "(" + " + ".join(f"c{p}" for p in positions) + ")"

    terms = ", ".join(f"{side(eq.left)} - {side(eq.right)}" for eq in equations)
    names = ", ".join(f"c{n}" for n in range(cell_count))
    source = f"def all_differences(v):\n    {names}, = v\n    return ({terms},)\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<gipreport differences>", "exec"), namespace)
    function: Callable[[Values], tuple[int, ...]] = namespace["all_differences"]
    return function


def _compile_read_differences(
    paths: tuple[str, ...], equations: tuple[IndexedEquation, ...]
) -> _ReadDifferences:
    # read and all_differences as one function: each cell read once into a local,
    # the sums taken from the locals; ``None`` for the differences where a cell of
    # an equation is blank.
    lines = ["def read_differences(r):"]
    rows: dict[str, str] = {}
    for number, path in enumerate(paths):
        row, _, key = path.rpartition(".")
        if row not in rows:
            rows[row] = f"o{len(rows)}"
            lines.append(f"    {rows[row]} = r.{row}")
        lines.append(f"    c{number} = {rows[row]}.{key}")
    lines.append(f"    v = ({', '.join(f'c{n}' for n in range(len(paths)))},)")

    def side(positions: tuple[int, ...]) -> str:
        return "(" + " + ".join(f"c{p}" for p in positions) + ")"

    terms = ", ".join(f"{side(eq.left)} - {side(eq.right)}" for eq in equations)
    lines += [
        "    try:",
        f"        d = ({terms},)",
        "    except TypeError:",
        "        return v, None",
        "    return v, d",
    ]
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines) + "\n", "<gipreport read differences>", "exec"), namespace)
    function: _ReadDifferences = namespace["read_differences"]
    return function


def evaluate_report(
    report: Report, index: FormIndex
) -> tuple[tuple[CellValue, ...], tuple[int | None, ...], bool]:
    """Return the cell values of ``report``, and :func:`evaluate` of them, in one pass."""
    values, found = index.read_differences(report)
    if found is None:  # a blank (None) in some equation
        return values, differences(index, values), True
    return values, found, None in index.read_unsummed(values)


def evaluate(index: FormIndex, values: Values) -> tuple[tuple[int | None, ...], bool]:
    """Return ``sum(left) - sum(right)`` of every equation, and whether a cell is blank.

    A difference is ``None`` where the equation reads a blank cell.
    """
    if None in values:  # looked for in C: the sums without blanks would raise, and cost more
        return differences(index, values), True
    try:
        found = index.all_differences(values)
    except TypeError:  # pragma: no cover - every cell of an equation is a count or None
        return differences(index, values), True
    return found, False


def differences(index: FormIndex, values: Values) -> tuple[int | None, ...]:
    """Return ``sum(left) - sum(right)`` of every equation, ``None`` where a cell is blank."""
    return _compile_blank_differences(index)(values)


@functools.cache
def _compile_blank_differences(index: FormIndex) -> Callable[[Values], tuple[int | None, ...]]:
    # As _compile_differences, each difference ``None`` where one of its cells is.
    def side(positions: tuple[int, ...]) -> str:
        return "(" + " + ".join(f"c{p}" for p in positions) + ")"

    terms = ", ".join(
        f"None if {' or '.join(f'c{p} is None' for p in (*eq.left, *eq.right))}"
        f" else {side(eq.left)} - {side(eq.right)}"
        for eq in index.equations
    )
    names = ", ".join(f"c{n}" for n in range(len(index.paths)))
    source = f"def blank_differences(v):\n    {names}, = v\n    return ({terms},)\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<gipreport blank differences>", "exec"), namespace)
    function: Callable[[Values], tuple[int | None, ...]] = namespace["blank_differences"]
    return function


def suspects(
    index: FormIndex,
    values: Values,
    diffs: Sequence[int | None],
    considered: Iterable[int],
) -> tuple[tuple[int, int, int], ...] | None:
    """Return the cells that, changed alone, make every failing equation hold.

    ``considered`` are the positions of the equations that were checked. Each
    suspect is ``(cell position, value, fix)``, in reading order. The result is ``None`` when no
    considered equation failed, and empty when no single cell explains them all.

    A cell explains the failures when it is read by every failing equation, the
    change each needs (its difference, signed by the cell's coefficient) is the
    same for all, no equation that held reads it (the change would break it), and
    the fixed value is a count (≥ 0). Equations that are not assessable are left
    out. Only the cells of the smallest failing equation need to be tried.
    """
    checked = set(considered)
    failing = sorted(number for number in checked if diffs[number])
    if not failing:
        return None
    failing_set = set(failing)
    smallest = min(failing, key=lambda number: len(index.equations[number].equation.cells))
    eq = index.equations[smallest]
    found: list[tuple[int, int, int]] = []
    for cell in sorted((*eq.left, *eq.right)):  # in reading order
        value = values[cell]
        if not isinstance(value, int):  # pragma: no cover - a blank cell fails nothing
            continue
        delta: int | None = None
        explains = True
        covered = 0
        for number, coefficient in index.incidence[cell]:
            if number not in checked:
                continue
            difference = diffs[number]
            if difference is None:
                continue
            if number not in failing_set:
                explains = False  # it held; any change would break it
                break
            needed = -difference * coefficient
            if delta is None:
                delta = needed
            elif needed != delta:
                explains = False
                break
            covered += 1
        if explains and delta is not None and covered == len(failing) and value + delta >= 0:
            found.append((cell, value, value + delta))
    return tuple(found)


# --- messages -----------------------------------------------------------------------


def _row_label(spec: CellSpec) -> str:
    return "".join(spec.row_labels)


def instance_label(index: FormIndex, eq: IndexedEquation) -> str:
    """Return where an equation is, in Chinese: its total cell, or its column (balance)."""
    spec = index.specs[eq.left[0]]
    if eq.equation.kind == "total":
        return index.labels[eq.left[0]]
    return f"{spec.column.label}列"


def describe(index: FormIndex, eq: IndexedEquation, values: Values) -> tuple[str, str, int, int]:
    """Return the Chinese and English messages of a failed equation, and its two sums.

    A blank cell is left out of the sums (the lower bound takes it as ≥ 0); the
    messages name it as blank.
    """
    left_values = [value if isinstance(value, int) else None for value in eq.get_left(values)]
    right_values = [value if isinstance(value, int) else None for value in eq.get_right(values)]
    left = sum(value for value in left_values if value is not None)
    right = sum(value for value in right_values if value is not None)
    difference = left - right
    specs = index.specs
    label = instance_label(index, eq)
    if eq.equation.kind == "total":
        parts = "+".join(_number(value) for value in right_values)
        count = len(right_values)
        zh = f"{label}: {left} ≠ {parts} = {right}（相差{difference:+d}）"
        en = (
            f"{label}: the total is {left} but its {count} parts sum to {right}"
            f" ({parts}); difference {difference:+d}"
        )
        return zh, en, left, right

    def terms(positions: tuple[int, ...], numbers: list[int | None]) -> str:
        return " + ".join(
            f"{_row_label(specs[p])} {_number(n)}" for p, n in zip(positions, numbers, strict=True)
        )

    left_terms, right_terms = terms(eq.left, left_values), terms(eq.right, right_values)
    zh = f"{label}: {left_terms} = {left} ≠ {right_terms} = {right}（相差{difference:+d}）"
    column = specs[eq.left[0]].column.label
    en = (
        f"column {column}: {left_terms} = {left}, but {right_terms} = {right};"
        f" difference {difference:+d}"
    )
    return zh, en, left, right


def _number(value: int | None) -> str:
    return "空白" if value is None else str(value)


def blank_labels(index: FormIndex, positions: Iterable[int], values: Values) -> list[str]:
    """Return the labels of the blank cells among ``positions``."""
    labels = index.labels
    return [labels[p] for p in positions if values[p] is None]
