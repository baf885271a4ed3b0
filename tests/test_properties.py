"""Laws of gipreport, checked on reports from its own strategies."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

import gipreport
import gipreport._checking.rules as rules_module
from budget_support import examples, invalid_reports, reports
from gipreport import LoadError, Report, check, derive_totals, dump_json, load_json, sum_reports
from gipreport import strategies as gs
from gipreport._checking.arithmetic import form_index
from gipreport.form import FORM_2021, FORMATS, Equation, FormSpec
from gipreport.strategies import (
    amounts,
    arithmetic_rules,
    chinese_text,
    columns,
    outcomes,
    prose,
)

FORMAT_IDS = list(FORMATS)

SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(
    gipreport.json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def error_rules(report: Report) -> set[str]:
    return {f.rule for f in check(report).errors}


# --- JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMAT_IDS)
@given(data=st.data())
def test_json_round_trip(fmt: str, data: st.DataObject) -> None:
    report = data.draw(reports(format=fmt, blanks=True))
    text = dump_json(report)
    assert load_json(text) == report
    assert dump_json(load_json(text)) == text  # and deterministic


@pytest.mark.parametrize("fmt", FORMAT_IDS)
@given(data=st.data())
def test_every_dumped_report_validates_against_the_schema(fmt: str, data: st.DataObject) -> None:
    report = data.draw(reports(format=fmt, blanks=True))
    SCHEMA_VALIDATOR.validate(json.loads(dump_json(report), parse_float=Decimal))


@given(reports(text=chinese_text(max_size=30)))
def test_json_round_trip_with_drawn_text(report: Report) -> None:
    assert load_json(dump_json(report)) == report


# --- values ----------------------------------------------------------------------------


@given(reports(blanks=True))
def test_pickle_round_trip(report: Report) -> None:
    assert pickle.loads(pickle.dumps(report)) == report


@given(reports(), reports())
def test_equal_reports_hash_equal(a: Report, b: Report) -> None:
    copy = load_json(dump_json(a))
    assert copy == a
    assert hash(copy) == hash(a)
    if a == b:
        assert hash(a) == hash(b)


@given(reports(), st.integers(min_value=2008, max_value=2100))
def test_evolve_round_trip(report: Report, year: int) -> None:
    changed = attrs.evolve(report, year=year)
    assert changed.year == year
    assert attrs.evolve(changed, year=report.year) == report


# --- checks ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMAT_IDS)
@given(data=st.data())
def test_every_valid_report_passes_every_error_rule(fmt: str, data: st.DataObject) -> None:
    report = data.draw(reports(format=fmt, blanks=True))
    result = check(report)
    assert result.ok, [f.message_en for f in result.errors]


@pytest.mark.parametrize(
    ("fmt", "rule"),
    [
        (fmt, rule)
        for fmt in FORMAT_IDS
        for rule in (*arithmetic_rules(fmt), "report.format", "tables.missing")
    ],
)
@given(data=st.data())
def test_invalid_reports_break_exactly_the_named_rule(
    fmt: str, rule: str, data: st.DataObject
) -> None:
    report = data.draw(invalid_reports(rule=rule, format=fmt, blanks=True))
    result = check(report)
    assert error_rules(report) == {rule}
    assert any(f.status == "failed" for f in result.errors)


@pytest.mark.parametrize("fmt", FORMAT_IDS)
@given(data=st.data())
def test_deriving_totals_is_idempotent_and_changes_nothing_on_a_valid_report(
    fmt: str, data: st.DataObject
) -> None:
    report = data.draw(reports(format=fmt, blanks=True))
    assert derive_totals(report) == report
    assert derive_totals(derive_totals(report)) == derive_totals(report)


@pytest.mark.parametrize(
    ("fmt", "rule"), [(fmt, rule) for fmt in FORMAT_IDS for rule in arithmetic_rules(fmt)]
)
@given(data=st.data())
def test_deriving_totals_is_idempotent_on_broken_reports(
    fmt: str, rule: str, data: st.DataObject
) -> None:
    report = data.draw(invalid_reports(rule=rule, format=fmt))
    once = derive_totals(report)
    assert derive_totals(once) == once


@pytest.mark.parametrize("fmt", FORMAT_IDS)
@given(data=st.data())
def test_checks_are_linear(fmt: str, data: st.DataObject) -> None:
    a = data.draw(reports(format=fmt, blanks=True))
    b = data.draw(reports(format=fmt, blanks=True))
    total = sum_reports([a, b], organ="合计", year=FORMATS[fmt].first_year, allow_duplicates=True)
    assert check(total).ok
    for path, value in total.values().items():
        x, y = a.cell(path), b.cell(path)
        assert value == (None if x is None or y is None else x + y)


# --- strategies for parts ------------------------------------------------------------------


@given(columns(blanks=True), outcomes(blanks=True))
def test_part_strategies_derive_their_totals(
    row: gipreport.Columns, group: gipreport.Outcomes
) -> None:
    details = [
        row.natural_person,
        row.commercial,
        row.research,
        row.social_welfare,
        row.legal_services,
        row.other_org,
    ]
    assert row.total == (None if None in details else sum(d for d in details if d is not None))
    parts = [group.upheld, group.corrected, group.other, group.pending]
    assert group.total == (None if None in parts else sum(p for p in parts if p is not None))


@given(amounts())
def test_amounts_have_at_most_six_places(amount: Decimal | None) -> None:
    assert amount is not None
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    assert -6 <= exponent <= 0


@given(prose())
def test_prose_strategy_builds_prose(section: gipreport.Prose) -> None:
    assert isinstance(section, gipreport.Prose)


def test_from_type_works_through_the_entry_point() -> None:
    @settings(max_examples=examples(5))
    @given(st.from_type(Report))
    def inner(report: Report) -> None:
        assert isinstance(report, Report)

    inner()


# The phases of a search that needs one example, not the least: shrinking one is most
# of find()'s time (a report that fails a check, shrunk: 14 s of 500 checks; found: 6).
_NO_SHRINKING = (Phase.explicit, Phase.reuse, Phase.generate)

# find() as it is (2,000 examples at most, the profile's other settings), but without
# shrinking: a test that a strategy reaches a value needs one such value, not the least.
_REACHES = settings(max_examples=2000, phases=_NO_SHRINKING, deadline=None)


def test_strategies_reach_the_corners() -> None:
    # All-zero tables (like the seed), a large count, a fee with decimals, and
    # empty and long prose are all reachable.
    zero = find(
        reports(),
        lambda r: all(v == 0 for v in r.values().values() if isinstance(v, int)),
        settings=_REACHES,
    )
    assert zero.requests.results.total.total == 0
    big = find(
        reports(),
        lambda r: (r.count("requests.results.total.total") or 0) > 100_000,
        settings=_REACHES,
    )
    assert (big.count("requests.results.total.total") or 0) > 100_000
    places = find(
        amounts(),
        lambda a: a is not None and a.as_tuple().exponent == -6,
        settings=_REACHES,
    )
    assert places is not None
    long = find(prose(), lambda p: any(len(t) >= 1000 for t in p.texts()), settings=_REACHES)
    assert any(len(t) >= 1000 for t in long.texts())


def test_invalid_reports_rejects_an_unknown_rule() -> None:
    with pytest.raises(ValueError, match="can break"):
        gs.invalid_reports(rule="cells.blank")


def test_reports_rejects_an_unknown_format() -> None:
    with pytest.raises(KeyError, match="2021"):
        gs.reports(format="2020")


# --- load_json never raises anything but LoadError ------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def load_or_error(text: str) -> None:
    # Either a report, or a LoadError with problems; any other exception fails.
    error: LoadError | None = None
    try:
        load_json(text)
    except LoadError as raised:
        error = raised
    if error is not None:
        assert error.errors
        for problem in error.errors:
            assert isinstance(problem.path, str)
            assert problem.message


@given(json_values)
def test_load_json_on_arbitrary_json(value: Any) -> None:
    load_or_error(json.dumps(value))


@given(st.text(max_size=50))
def test_load_json_on_arbitrary_text(text: str) -> None:
    load_or_error(text)


def _mutations() -> st.SearchStrategy[Callable[[Any], Any]]:
    replacement = json_values

    @st.composite
    def mutate(draw: st.DrawFn) -> Callable[[Any], Any]:
        steps = draw(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=6))
        new = draw(replacement)
        delete = draw(st.booleans())

        def apply(doc: Any) -> Any:
            node = doc
            for step in steps[:-1]:
                if isinstance(node, dict) and node:
                    node = node[sorted(node)[step % len(node)]]
                elif isinstance(node, list) and node:
                    node = node[step % len(node)]
            last = steps[-1]
            if isinstance(node, dict) and node:
                key = sorted(node)[last % len(node)]
                if delete:
                    del node[key]
                else:
                    node[key] = new
            elif isinstance(node, list) and node:
                node[last % len(node)] = new
            return doc

        return apply

    return mutate()


@given(reports(), _mutations())
def test_load_json_on_mutated_documents(report: Report, mutate: Callable[[Any], Any]) -> None:
    doc = mutate(json.loads(dump_json(report)))
    load_or_error(json.dumps(doc, ensure_ascii=False))


# --- the properties catch a planted bug ------------------------------------------------------


class _MistakenForm:
    """The 2021 form as a buggy checker would see it: one equation replaced."""

    def __init__(self, form: FormSpec, original: Equation, mistaken: Equation) -> None:
        self._form = form
        self.equations = tuple(mistaken if eq == original else eq for eq in form.equations)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._form, name)


def test_the_properties_catch_a_single_cell_mistake_in_the_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Plant a bug in the check logic only (the strategies still derive totals
    # from the true form): （七）总计 · 商业企业 is checked against every result
    # row but one, 3.其他 of （六）其他处理.
    (original,) = [
        eq
        for eq in FORM_2021.equations
        if eq.rule == "requests.results-total" and eq.instance == "commercial"
    ]
    forgotten = "requests.results.other.other.commercial"
    assert original.right[-1] == forgotten
    mistaken = attrs.evolve(original, right=original.right[:-1])
    broken_form = _MistakenForm(FORM_2021, original, mistaken)
    broken_index = form_index.__wrapped__(broken_form)

    # 200 in every profile, not examples(200): the claim is that so many derandomized
    # examples find the planted mistake (and no valid report fails), whatever the profile.
    quick = settings(max_examples=200, database=None, deadline=None, derandomize=True)
    with pytest.raises(NoSuchExample):  # the real checks: no valid report fails
        find(reports(), lambda r: not check(r).ok, settings=quick)

    monkeypatch.setattr(rules_module, "form_index", lambda form: broken_index)
    found = settings(quick, phases=_NO_SHRINKING)  # the first report the checks fail
    counterexample = find(reports(), lambda r: not check(r).ok, settings=found)
    # The report is valid; the mistake is the forgotten cell, which is not 0 (in any
    # report the mistaken checks fail, shrunk or not).
    assert counterexample.cell(forgotten) != 0
    assert {f.rule for f in check(counterexample).errors} == {"requests.results-total"}
