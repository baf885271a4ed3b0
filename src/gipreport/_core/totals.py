"""Totals derived from their parts, for scripts that fill only the detail cells."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from gipreport._core.form import Equation, FormSpec
from gipreport._core.model import CellValue, Report

__all__ = ["derive_totals", "derived_values", "total_equations"]


def derive_totals(report: Report) -> Report:
    """Return a copy of ``report`` with every total cell computed from its parts.

    The total cells are those the form defines as sums: the 总计 column of every
    row of table 3, the （七）总计 row, and the 总计 of each group of table 4. A
    total whose parts include a blank (``None``) is blank: a blank is not a zero.
    Detail cells are never changed, so deriving twice changes nothing more.

    >>> from gipreport import Report, Columns, Requests
    >>> r = Report(organ="某县人民政府", year=2023, requests=Requests(
    ...     new_received=Columns(natural_person=2, commercial=1, research=0,
    ...                          social_welfare=0, legal_services=0, other_org=0)))
    >>> derive_totals(r).requests.new_received.total
    3
    """
    values = report.values()
    derived = derived_values(report.form, values)
    changed = {path: value for path, value in derived.items() if values[path] != value}
    return report.with_cells(changed) if changed else report


def derived_values(form: FormSpec, values: Mapping[str, CellValue]) -> dict[str, CellValue]:
    """Return ``{path: value}`` of every total cell, computed from ``values`` by path.

    ``values`` maps every cell path of ``form`` to its value (as
    :meth:`Report.values` gives); the result holds only the total cells.
    """
    return _deriver(form)(values)


@functools.cache
def _deriver(form: FormSpec) -> Callable[[Mapping[str, CellValue]], dict[str, CellValue]]:
    # Written out once per format, as the cell reader is: one line per total,
    # in derivation order, each total blank when any of its parts is blank.
    lines = ["def derive(values):", "    v = dict(values)", "    out = {}"]
    for equation in _derivation_order(form):
        parts = ", ".join(f"v[{path!r}]" for path in equation.right)
        lines.append(f"    parts = ({parts},)")
        lines.append(
            f"    out[{equation.total!r}] = v[{equation.total!r}] = "
            "None if None in parts else sum(parts)"
        )
    lines.append("    return out")
    namespace: dict[str, Any] = {}
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<gipreport totals {form.id}>", "exec"), namespace)
    function: Callable[[Mapping[str, CellValue]], dict[str, CellValue]] = namespace["derive"]
    return function


def total_equations(form: FormSpec) -> tuple[Equation, ...]:
    """Return one sum relation per total cell of ``form``, each after the totals among its parts.

    A cell that is the total of two relations (（七）总计 · 总计) is listed once,
    with the first relation whose parts are ready.
    """
    return _derivation_order(form)


@functools.cache
def _derivation_order(form: FormSpec) -> tuple[Equation, ...]:
    # Each total cell is computed once, after every total among its parts. A
    # cell may be the total of two relations (（七）总计 · 总计 is both the sum of
    # its row and of its column); the two agree once their parts are derived, so
    # the first one that is ready is used.
    pending = [eq for eq in form.equations if eq.kind == "total"]
    undetermined = {eq.total for eq in pending}
    order: list[Equation] = []
    while pending:
        ready = [eq for eq in pending if not undetermined.intersection(eq.right)]
        if not ready:  # pragma: no cover - the form's relations are acyclic
            msg = f"sum relations of format {form.id} are cyclic"
            raise AssertionError(msg)
        for eq in ready:
            if eq.total in undetermined:
                order.append(eq)
                undetermined.discard(eq.total)
        pending = [eq for eq in pending if eq not in ready]
    return tuple(order)
