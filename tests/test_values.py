"""Value's repr, == and hash give what attrs' own methods would (issue #17).

The model's classes take them from :class:`gipreport._core.values.Value` instead
of attrs compiling three methods per class at import. The oracle: for every
object in a drawn report, a twin class that attrs makes with its own methods
(same name, same fields, same values) prints the same text and compares alike.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples
from gipreport import strategies as gst
from gipreport._core import errors, findings, form, indicators, model
from gipreport._core.values import Value
from gipreport._reading import source

MODEL_CLASSES = [
    value
    for value in vars(model).values()
    if isinstance(value, type) and value.__module__ == model.__name__ and attrs.has(value)
]

_TWINS: dict[type, type] = {}


def _twin(cls: type) -> type:
    """Return a class attrs makes with its own repr, == and hash, named and shaped as ``cls``."""
    twin = _TWINS.get(cls)
    if twin is None:
        fields = {field.name: attrs.field() for field in attrs.fields(cls)}
        twin = _TWINS[cls] = attrs.make_class(cls.__name__, fields, frozen=True, kw_only=True)
    return twin


def _as_twin(obj: Any) -> Any:
    fields = attrs.fields(type(obj))
    return _twin(type(obj))(**{field.name: getattr(obj, field.name) for field in fields})


def _objects(obj: Any) -> Iterator[Any]:
    """Yield ``obj`` and every model object below it."""
    yield obj
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        children = value if isinstance(value, tuple) else (value,)
        for child in children:
            if isinstance(child, Value):
                yield from _objects(child)


VALUE_MODULES = (model, form, findings, errors, indicators, source)
"""The modules whose frozen classes take Value's methods (all but FormSpec, a singleton)."""


def test_every_value_class_takes_values_methods() -> None:
    classes = [
        value
        for module in VALUE_MODULES
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__ and attrs.has(value)
    ]
    assert len(classes) > 40
    for cls in classes:
        if cls is form.FormSpec:  # compared and hashed by identity
            assert cls.__eq__ is object.__eq__
            continue
        assert issubclass(cls, Value), cls
        for method in ("__repr__", "__eq__", "__hash__"):
            assert getattr(cls, method) is getattr(Value, method), (cls, method)


@settings(max_examples=examples(40), deadline=None)
@given(st.one_of(gst.reports(), gst.reports(format="2019")))
def test_repr_and_equality_are_attrs_own(report: gipreport.Report) -> None:
    for obj in _objects(report):
        assert repr(obj) == repr(_as_twin(obj))
    # Text that evaluates back to an equal report, with an equal hash.
    namespace = {cls.__name__: cls for cls in MODEL_CLASSES}
    again = eval(repr(report), {**namespace, "Decimal": Decimal, "datetime": dt})
    assert again == report
    assert hash(again) == hash(report)
    assert pickle.loads(pickle.dumps(report)) == report


@settings(max_examples=examples(40), deadline=None)
@given(gst.reports(), gst.reports())
def test_equality_agrees_with_attrs(first: gipreport.Report, second: gipreport.Report) -> None:
    assert (first == second) == (_as_twin(first) == _as_twin(second))
    assert (first != second) == (_as_twin(first) != _as_twin(second))
    if first == second:
        assert hash(first) == hash(second)


def test_form_findings_problems_and_notes_print_and_compare_as_attrs_would() -> None:
    wrong = gipreport.examples.mingan_2023().with_cell("requests.new_received.total", 10**6)
    objects: list[Any] = [
        *form.FORM_2021.cells,
        *form.FORM_2019.equations,
        *form.FORM_2021.sections,
        *form.FORM_2019.header_fields,
        *gipreport.check(wrong).findings,
        *gipreport.check(wrong).rule_counts,
        *gipreport.check(wrong).suspects,
        *wrong.indicators().values(),
        gipreport.Problem("organ", "must be a str", type="text_type"),
        gipreport.ParseNote(code="table-missing", message="no table 3", where=gipreport.Where()),
    ]
    for obj in objects:
        assert repr(obj) == repr(_as_twin(obj))
        assert attrs.evolve(obj) == obj
        assert hash(attrs.evolve(obj)) == hash(obj)


def test_a_changed_cell_is_unequal_and_classes_never_equal() -> None:
    report = gipreport.examples.mingan_2023()
    path = "requests.results.withheld.state_secret.natural_person"
    changed = report.with_cell(path, (report.cell(path) or 0) + 1)
    assert changed != report
    assert changed.with_cell(path, report.cell(path)) == report
    # Two all-blank objects of different classes are different values.
    assert model.Columns() != model.Outcomes()
    assert model.Columns().__eq__(model.Outcomes()) is NotImplemented
    assert model.Columns() != None  # noqa: E711 - the comparison is what is tested
    assert len({model.Columns(), model.Columns(), model.Outcomes()}) == 2


def test_unsupported_field_options_are_refused() -> None:
    @attrs.frozen(repr=False, eq=False)
    class Keyed(Value):
        name: str = attrs.field(eq=str.lower)

    with pytest.raises(TypeError, match="eq keys"):
        repr(Keyed(name="A"))


def test_fields_left_out_of_eq_and_hash_are_left_out() -> None:
    @attrs.frozen(repr=False, eq=False)
    class Partial(Value):
        kept: int
        ignored: int = attrs.field(eq=False, repr=False)
        unhashed: int = attrs.field(default=0, hash=False)

    assert repr(Partial(1, 2, 3)) == "Partial(kept=1, unhashed=3)"
    assert Partial(1, 2) == Partial(1, 5)
    assert Partial(1, 2, 3) != Partial(1, 2, 4)
    assert hash(Partial(1, 2, 3)) == hash(Partial(1, 9, 4))
