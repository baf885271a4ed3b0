"""The report model: its structure is the form's, it holds values, it rejects non-values."""

from __future__ import annotations

import datetime as dt
import functools
import pickle
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from attrs.exceptions import FrozenInstanceError
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples
from gipreport import (
    Appeals,
    Cell,
    Columns,
    Decisions,
    DocumentCounts,
    Fees,
    GipReportError,
    InvalidValueError,
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
from gipreport._core import jsonio, model
from gipreport._core.model import UNPUBLISHABLE, find_unpublishable, text_problem
from gipreport.form import FORM_2021, FORMATS, FormSpec, Row

KIND = "gipreport.kind"
"""The field metadata key the model uses to say what a field holds."""

MODEL_CLASSES: list[type[Any]] = [
    Appeals,
    Cell,
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
]

CELL_PATHS = [cell.path for cell in FORM_2021.cells]
COUNT_PATHS = [cell.path for cell in FORM_2021.cells if cell.kind == "count"]
FEE = "proactive.fees.amount"


def blank_report(**changes: Any) -> Report:
    return Report(organ="某镇人民政府", year=2023, **changes)


def owner_field(path: str) -> str:
    """Return ``Class.attribute`` of the model field holding the cell at ``path``."""
    *parents, leaf = path.split(".")
    obj: Any = blank_report()
    for key in parents:
        obj = getattr(obj, key)
    return f"{type(obj).__name__}.{leaf}"


# --- (a) the consistency law: the model's tree is the form's tree ----------------------


def form_keys(rows: tuple[Row, ...]) -> list[Row]:
    """Return the rows whose keys are path segments at this level (layout-only groups flattened)."""
    keyed: list[Row] = []
    for row in rows:
        if row.layout_only:
            keyed.extend(form_keys(row.children))
        else:
            keyed.append(row)
    return keyed


def field_names(obj: Any) -> list[str]:
    return [field.name for field in attrs.fields(type(obj))]


def assert_same_tree(obj: Any, rows: tuple[Row, ...], where: str) -> None:
    keyed = form_keys(rows)
    assert field_names(obj) == [row.key for row in keyed], where
    for row in keyed:
        child = getattr(obj, row.key)
        child_where = f"{where}.{row.key}"
        assert attrs.has(type(child)), child_where
        if row.is_leaf:
            assert field_names(child) == [column.key for column in row.columns], child_where
            for field, column in zip(attrs.fields(type(child)), row.columns, strict=True):
                assert field.metadata[KIND] == column.kind, f"{child_where}.{column.key}"
        else:
            assert_same_tree(child, row.children, child_where)


def test_model_tree_equals_form_tree() -> None:
    report = blank_report()
    for table in FORM_2021.tables:
        assert_same_tree(getattr(report, table.key), table.rows, table.key)


def test_report_fields_are_header_fields_then_sections() -> None:
    expected = [field.key for field in FORM_2021.header_fields]
    expected += [section.key for section in FORM_2021.sections]
    assert field_names(blank_report()) == expected
    assert [
        f.name for f in attrs.fields(Report) if f.name in {"proactive", "requests", "appeals"}
    ] == [table.key for table in FORM_2021.tables]


def model_leaves(obj: Any, prefix: str) -> Iterator[tuple[str, str]]:
    """Yield ``(path, kind)`` for every value leaf of a table's model (count or amount)."""
    for field in attrs.fields(type(obj)):
        path = f"{prefix}.{field.name}"
        value = getattr(obj, field.name)
        if attrs.has(type(value)):
            yield from model_leaves(value, path)
        else:
            yield path, field.metadata[KIND]


def test_model_leaves_are_exactly_the_form_cells() -> None:
    report = blank_report()
    leaves = [
        leaf
        for table in FORM_2021.tables
        for leaf in model_leaves(getattr(report, table.key), table.key)
    ]
    assert [path for path, _kind in leaves] == CELL_PATHS
    assert [kind for _path, kind in leaves] == [cell.kind for cell in FORM_2021.cells]


def test_every_form_cell_resolves_on_a_report() -> None:
    report = derived_example()
    for spec in FORM_2021.cells:
        value = report.cell(spec.path)
        expected_type = Decimal if spec.kind == "amount" else int
        assert isinstance(value, expected_type), spec.path
    blank = blank_report()
    assert all(blank.cell(path) is None for path in CELL_PATHS)


def derived_example() -> Report:
    """Return a report with a distinct non-blank value in every cell."""
    values: dict[str, Any] = {path: index for index, path in enumerate(COUNT_PATHS)}
    values[FEE] = Decimal("18.8710")
    return blank_report().with_cells(values)


def test_distinct_values_land_in_their_own_cells() -> None:
    report = derived_example()
    assert report.values() == {
        **{path: index for index, path in enumerate(COUNT_PATHS)},
        FEE: Decimal("18.8710"),
    }
    assert report.requests.results.withheld.state_secret.commercial == report.cell(
        "requests.results.withheld.state_secret.commercial"
    )
    assert report.appeals.litigation_after_review.total == len(COUNT_PATHS) - 1


# --- (b) construction rejects what no report can contain -------------------------------


def test_invalid_value_error_is_a_value_error() -> None:
    assert issubclass(InvalidValueError, ValueError)
    assert issubclass(InvalidValueError, GipReportError)
    assert gipreport.InvalidValueError is InvalidValueError


@pytest.mark.parametrize(
    "bad",
    [-1, -(10**9), True, False, 1.0, 2.5, float("nan"), "1", "", Decimal(1), Decimal("1.5"), [1]],
    ids=repr,
)
def test_columns_rejects_a_non_count(bad: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        Columns(commercial=bad)  # type: ignore[arg-type]
    assert info.value.field == "Columns.commercial"
    assert "Columns.commercial" in str(info.value)
    assert info.value.value is bad
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", [-1, True, 1.0, "3", Decimal(3)], ids=repr)
def test_every_count_cell_rejects_a_non_count_naming_its_field(bad: object) -> None:
    report = blank_report()
    for path in COUNT_PATHS:
        with pytest.raises(InvalidValueError) as info:
            report.with_cell(path, bad)  # type: ignore[arg-type]
        field = owner_field(path)
        assert info.value.field == field, path
        assert field in str(info.value)


@pytest.mark.parametrize(
    ("cls", "key"),
    [
        (DocumentCounts, "issued"),
        (DocumentCounts, "repealed"),
        (DocumentCounts, "in_force"),
        (Decisions, "decisions"),
        (Outcomes, "upheld"),
        (Outcomes, "total"),
        (Columns, "natural_person"),
        (Columns, "total"),
    ],
)
def test_count_classes_reject_negative_naming_the_field(cls: type[Any], key: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        cls(**{key: -1})
    assert info.value.field == f"{cls.__name__}.{key}"
    assert "negative" in info.value.reason


@pytest.mark.parametrize("good", [None, 0, 1, 517645, 2**53 - 1])
def test_counts_accept_none_and_non_negative_ints(good: int | None) -> None:
    assert Columns(natural_person=good).natural_person == good
    assert Outcomes(pending=good).pending == good


@pytest.mark.parametrize(
    "bad",
    [
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        Decimal("-1"),
        Decimal("-0.0001"),
        1.5,
        0.0,
        1,
        "18.8710",
        True,
        Decimal("0.0000000000001"),
        Decimal("1E-13"),
        Decimal("1.0000000000000"),
        Decimal(10**12),
        Decimal("1E+12"),
        Decimal("1000000000000.000"),
        Decimal("99999999999999"),
    ],
    ids=repr,
)
def test_fee_rejects_a_non_amount(bad: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        Fees(amount=bad)  # type: ignore[arg-type]
    assert info.value.field == "Fees.amount"
    assert "Fees.amount" in str(info.value)
    with pytest.raises(InvalidValueError) as info:
        blank_report().with_cell(FEE, bad)  # type: ignore[arg-type]
    assert info.value.field == "Fees.amount"


@pytest.mark.parametrize(
    "good",
    [
        None,
        Decimal(0),
        Decimal("18.8710"),
        Decimal("4068.208"),
        Decimal("0.000000000001"),
        Decimal("1.000000000000"),
        Decimal("999999999999.999999999999"),
        Decimal("1E+3"),
    ],
    ids=repr,
)
def test_fee_accepts_an_amount_keeping_its_digits(good: Decimal | None) -> None:
    fees = Fees(amount=good)
    assert fees.amount == good
    assert str(fees.amount) == str(good)


@pytest.mark.parametrize(("given", "stored"), [("-0", "0"), ("-0.00", "0.00"), ("-0E+3", "0E+3")])
def test_negative_zero_fee_is_stored_unsigned(given: str, stored: str) -> None:
    fees = Fees(amount=Decimal(given))
    assert fees.amount is not None
    assert not fees.amount.is_signed()
    assert str(fees.amount) == stored
    assert fees == Fees(amount=Decimal(stored))
    report = blank_report().with_cell(FEE, Decimal(given))
    assert str(report.cell(FEE)) == stored


@pytest.mark.parametrize("organ", ["", " ", "\t\n", "\u3000", "\u3000 \u3000"], ids=repr)
def test_report_rejects_empty_organ(organ: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Report(organ=organ, year=2023)
    assert info.value.field == "Report.organ"
    assert "Report.organ" in str(info.value)


@pytest.mark.parametrize("organ", [None, 1, b"x"], ids=repr)
def test_report_rejects_a_non_str_organ(organ: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        Report(organ=organ, year=2023)  # type: ignore[arg-type]
    assert info.value.field == "Report.organ"


@pytest.mark.parametrize(
    "year", [2007, 0, -2023, 10000, True, False, 2023.0, "2023", None], ids=repr
)
def test_report_rejects_a_bad_year(year: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        Report(organ="某县人民政府", year=year)  # type: ignore[arg-type]
    assert info.value.field == "Report.year"
    assert "Report.year" in str(info.value)


@pytest.mark.parametrize("year", [2008, 2019, 2023, 9999])
def test_report_accepts_a_year_from_2008(year: int) -> None:
    assert Report(organ="某县人民政府", year=year).year == year


@pytest.mark.parametrize("format_id", ["2022", "", "2021 ", 2021, 2019, None], ids=repr)
def test_report_rejects_an_unknown_format(format_id: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        Report(format=format_id, organ="某县人民政府", year=2023)  # type: ignore[arg-type]
    assert info.value.field == "Report.format"
    assert "2021" in str(info.value)  # names the formats that exist


@pytest.mark.parametrize(
    "published_on", [dt.datetime(2024, 1, 10, 9, 0), "2024-01-10", 20240110], ids=repr
)
def test_report_rejects_a_non_date(published_on: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        blank_report(published_on=published_on)
    assert info.value.field == "Report.published_on"


@pytest.mark.parametrize("published_on", [None, dt.date(2024, 1, 10)])
def test_report_accepts_a_date(published_on: dt.date | None) -> None:
    assert blank_report(published_on=published_on).published_on == published_on


@pytest.mark.parametrize("title", ["", "  ", 5], ids=repr)
def test_report_rejects_a_bad_title(title: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        blank_report(title=title)
    assert info.value.field == "Report.title"


@pytest.mark.parametrize("bad", [1, None, b"text", ("nested",)], ids=repr)
def test_paragraphs_reject_a_non_str_naming_the_index(bad: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        Prose(paragraphs=["fine", bad])  # type: ignore[list-item]
    assert info.value.field == "Prose.paragraphs[1]"
    with pytest.raises(InvalidValueError) as info:
        Subsection(heading="主动公开情况", paragraphs=[bad])  # type: ignore[list-item]
    assert info.value.field == "Subsection.paragraphs[0]"
    with pytest.raises(InvalidValueError) as info:
        blank_report(preamble=["a", "b", bad])
    assert info.value.field == "Report.preamble[2]"


def test_subsection_heading_must_be_a_str() -> None:
    with pytest.raises(InvalidValueError) as info:
        Subsection(heading=None)  # type: ignore[arg-type]
    assert info.value.field == "Subsection.heading"


def test_nested_parts_must_be_model_instances() -> None:
    with pytest.raises(TypeError):
        Prose(subsections=["主动公开情况"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        blank_report(overview="text")
    with pytest.raises(TypeError):
        Requests(new_received=Outcomes())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        blank_report(appeals=Requests())


def test_report_with_wrong_sums_is_accepted() -> None:
    wrong = Requests(
        new_received=Columns(natural_person=1, commercial=1, total=5),
        results=Results(total=Columns(total=99)),
        carried_forward=Columns(total=0),
    )
    report = blank_report(requests=wrong, appeals=Appeals(review=Outcomes(upheld=3, total=1)))
    assert report.cell("requests.new_received.total") == 5
    assert report.cell("requests.results.total.total") == 99
    assert report.cell("appeals.review.total") == 1


# --- (c) reports are values ------------------------------------------------------------


def rich_report() -> Report:
    return attrs.evolve(
        derived_example(),
        title="某镇2023年报告",
        published_on=dt.date(2024, 1, 10),
        preamble=("根据《条例》…",),
        overview=Prose(
            paragraphs=("总体",),
            subsections=(Subsection(heading="主动公开情况", paragraphs=("1.积极利用…",)),),
        ),
    )


def test_reports_are_hashable_and_equal_reports_hash_equal() -> None:
    a = gipreport.examples.mingan_2023()
    b = gipreport.examples.mingan_2023()
    assert a is not b
    assert a == b
    assert hash(a) == hash(b)
    assert rich_report() == rich_report()
    assert hash(rich_report()) == hash(rich_report())
    assert len({a, b, rich_report(), rich_report(), blank_report()}) == 3


def test_equal_fees_with_different_digits_hash_equal() -> None:
    a = blank_report().with_cell(FEE, Decimal("4.5"))
    b = blank_report().with_cell(FEE, Decimal("4.50"))
    assert a == b
    assert hash(a) == hash(b)


def test_different_cells_make_different_reports() -> None:
    report = derived_example()
    for path in CELL_PATHS:
        assert report.with_cell(path, None) != report, path


@pytest.mark.parametrize("make", [rich_report, blank_report, gipreport.examples.mingan_2023])
def test_pickle_round_trip(make: Any) -> None:
    report: Report = make()
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(report, protocol=protocol))
        assert copy == report
        assert copy.values() == report.values()
        assert hash(copy) == hash(report)


def test_evolve() -> None:
    report = rich_report()
    changed = attrs.evolve(report, organ="另一镇人民政府", year=2024)
    assert (changed.organ, changed.year) == ("另一镇人民政府", 2024)
    assert changed.values() == report.values()
    assert report.organ == "某镇人民政府"
    with pytest.raises(InvalidValueError):
        attrs.evolve(report, year=2007)


def test_reports_are_frozen() -> None:
    report = rich_report()
    with pytest.raises(FrozenInstanceError):
        report.organ = "x"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        report.requests.new_received.total = 1  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        report.proactive.fees.amount = Decimal(1)  # type: ignore[misc,union-attr]
    with pytest.raises(FrozenInstanceError):
        report.overview.paragraphs = ()  # type: ignore[misc]


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_model_classes_are_frozen_slotted_keyword_only(cls: type[Any]) -> None:
    assert attrs.has(cls)
    assert "__dict__" not in dir(cls)
    assert "__slots__" in vars(cls)
    assert all(field.kw_only for field in attrs.fields(cls))


@pytest.mark.parametrize(
    "instance",
    [blank_report(), Columns(), Outcomes(), Fees(), Prose(), Subsection(heading="h"), Proactive()],
    ids=lambda obj: type(obj).__name__,
)
def test_instances_have_no_dict(instance: object) -> None:
    assert not hasattr(instance, "__dict__")
    with pytest.raises((FrozenInstanceError, AttributeError)):
        instance.not_a_field = 1  # type: ignore[attr-defined]


def test_positional_arguments_are_refused() -> None:
    with pytest.raises(TypeError):
        Columns(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Report("某镇人民政府", 2023)  # type: ignore[call-arg, arg-type]
    with pytest.raises(TypeError):
        Subsection("主动公开情况")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fees(Decimal(1))  # type: ignore[call-arg]


def test_sequences_become_tuples() -> None:
    prose = Prose(
        paragraphs=["a", "b"],
        subsections=[Subsection(heading="h", paragraphs=["c"])],
    )
    assert prose.paragraphs == ("a", "b")
    assert type(prose.paragraphs) is tuple
    assert type(prose.subsections) is tuple
    assert type(prose.subsections[0].paragraphs) is tuple
    assert prose == Prose(
        paragraphs=("a", "b"), subsections=(Subsection(heading="h", paragraphs=("c",)),)
    )
    hash(prose)
    report = blank_report(preamble=["p"])
    assert report.preamble == ("p",)
    assert type(report.preamble) is tuple
    generated = Prose(paragraphs=(t for t in ["x", "y"]))
    assert generated.paragraphs == ("x", "y")


def test_a_lone_string_is_one_paragraph_not_its_characters() -> None:
    assert Prose(paragraphs="abc").paragraphs == ("abc",)
    assert Subsection(heading="h", paragraphs="段落").paragraphs == ("段落",)
    assert blank_report(preamble="引言").preamble == ("引言",)


# --- (d) cells ---------------------------------------------------------------------------


def test_cell_and_count() -> None:
    report = blank_report(requests=Requests(new_received=Columns(natural_person=3)))
    assert report.cell("requests.new_received.natural_person") == 3
    assert report.count("requests.new_received.natural_person") == 3
    assert report.count("requests.new_received.commercial") is None
    assert report.cell(FEE) is None


@pytest.mark.parametrize("fee", [Decimal("18.8710"), Decimal(0), None], ids=repr)
def test_count_of_the_fee_raises_type_error(fee: Decimal | None) -> None:
    # The fee is an amount whether or not it is filled in.
    report = blank_report(proactive=Proactive(fees=Fees(amount=fee)))
    assert report.cell(FEE) == fee
    with pytest.raises(TypeError, match=FEE):
        report.count(FEE)


def test_count_of_every_count_cell() -> None:
    report = derived_example()
    for index, path in enumerate(COUNT_PATHS):
        assert report.count(path) == index


@pytest.mark.parametrize(
    "path",
    [
        "",
        "organ",
        "year",
        "requests",
        "requests.results",
        "requests.results.total",
        "requests.results.total.grand",
        "proactive.article_20_1.rules.issued",
        "proactive.fees",
        "appeals.review.total.x",
        "Requests.new_received.total",
    ],
)
def test_unknown_path_raises_key_error_naming_it(path: str) -> None:
    report = blank_report()
    for access in (report.cell, report.count):
        with pytest.raises(KeyError) as info:
            access(path)
        assert repr(path) in info.value.args[0]
    with pytest.raises(KeyError) as info:
        report.with_cell(path, 1)
    assert repr(path) in info.value.args[0]
    with pytest.raises(KeyError) as info:
        report.with_cells({"appeals.review.upheld": 1, path: 1})
    assert repr(path) in info.value.args[0]


def test_cells_yields_200_cells_in_form_order() -> None:
    report = derived_example()
    cells = list(report.cells())
    assert len(cells) == 200
    assert all(isinstance(cell, Cell) for cell in cells)
    assert [cell.path for cell in cells] == CELL_PATHS
    assert [cell.spec for cell in cells] == list(FORM_2021.cells)
    assert [cell.label for cell in cells] == [spec.label for spec in FORM_2021.cells]
    assert {cell.path: cell.value for cell in cells} == report.values()
    first = cells[report_index("requests.results.total.commercial")]
    assert first.label == "三、本年度办理结果（七）总计 · 商业企业"


def report_index(path: str) -> int:
    return CELL_PATHS.index(path)


def test_values_in_form_order() -> None:
    report = derived_example()
    values = report.values()
    assert list(values) == CELL_PATHS
    assert values == {path: report.cell(path) for path in CELL_PATHS}
    assert blank_report().values() == dict.fromkeys(CELL_PATHS)


def cell_value() -> st.SearchStrategy[Any]:
    return st.none() | st.integers(min_value=0, max_value=10**12)


@st.composite
def cell_changes(draw: st.DrawFn) -> dict[str, Any]:
    paths = draw(st.lists(st.sampled_from(COUNT_PATHS), unique=True, max_size=30))
    changes: dict[str, Any] = {path: draw(cell_value()) for path in paths}
    if draw(st.booleans()):
        changes[FEE] = draw(
            st.none() | st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False)
        )
    return changes


@settings(max_examples=examples(75), deadline=None)
@given(changes=cell_changes())
def test_with_cells_changes_exactly_the_named_cells(changes: dict[str, Any]) -> None:
    original = rich_report()
    before = original.values()
    changed = original.with_cells(changes)
    assert changed.values() == {**before, **changes}
    # the original is untouched
    assert original.values() == before
    assert original == rich_report()
    # nothing outside the tables changes
    restored = attrs.evolve(
        changed, proactive=original.proactive, requests=original.requests, appeals=original.appeals
    )
    assert restored == original


@settings(max_examples=examples(50), deadline=None)
@given(path=st.sampled_from(COUNT_PATHS), value=cell_value())
def test_with_cell_is_with_cells_of_one(path: str, value: int | None) -> None:
    report = derived_example()
    changed = report.with_cell(path, value)
    assert changed == report.with_cells({path: value})
    assert changed.cell(path) == value
    assert {p for p, v in changed.values().items() if report.cell(p) != v} <= {path}


def test_with_cells_of_nothing_is_equal() -> None:
    report = rich_report()
    assert report.with_cells({}) == report


def test_with_cells_rejects_invalid_values_and_leaves_the_original() -> None:
    report = derived_example()
    before = report.values()
    with pytest.raises(InvalidValueError) as info:
        report.with_cells({"appeals.review.upheld": 1, "requests.carried_over.research": -1})
    assert info.value.field == "Columns.research"
    assert report.values() == before


class _Count(int):
    """An ``int`` subclass: a valid count the trusted build leaves to the classes."""


_ODD_VALUES: list[object] = [
    True,
    False,
    -1,
    model.MAX_COUNT + 1,
    _Count(3),
    3.0,
    "3",
    Decimal(3),
    Decimal("-0"),
    Decimal("-1.5"),
    Decimal("1e-13"),
    Decimal("NaN"),
    10**12,
]


# A cell's value by its kind: blank, or a valid value (a count 0-5 or the largest).
_BUILT_VALUE: dict[str, st.SearchStrategy[Any]] = {
    "amount": st.none() | st.decimals(0, 10**6, places=4, allow_nan=False),
    "signed": st.none() | st.integers(-(10**6), 10**6),
    "count": st.none() | st.integers(0, 5) | st.just(model.MAX_COUNT),
}
_ODD_VALUE = st.sampled_from(_ODD_VALUES)


@st.composite
def built_values(draw: st.DrawFn, form: FormSpec) -> dict[str, Any]:
    """Draw a value for every cell of ``form``: mostly valid, at times one odd one."""
    values: dict[str, Any] = {}
    for cell in form.cells:
        values[cell.path] = draw(_BUILT_VALUE[cell.kind])
    if draw(st.booleans()):
        values[draw(st.sampled_from(list(values)))] = draw(_ODD_VALUE)
    return values


@functools.cache
def _builders(form: FormSpec) -> tuple[Callable[[Any], dict[str, Any]], ...]:
    """The trusted and the checked table builds of ``form``, each written out once."""
    return model._table_builder(form), model._checked_table_builder(form)


def _built(build: Callable[[Any], dict[str, Any]], values: dict[str, Any]) -> Any:
    try:
        return build(values)
    except (InvalidValueError, TypeError) as error:
        return type(error), str(error)


def _tree(obj: Any) -> Any:
    """Return ``obj`` as its classes and values, all the way down (types compared too)."""
    if attrs.has(type(obj)):
        return type(obj), tuple(
            (f.name, _tree(getattr(obj, f.name))) for f in attrs.fields(type(obj))
        )
    return type(obj), repr(obj)


@pytest.mark.parametrize("form", list(FORMATS.values()), ids=list(FORMATS))
@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_the_trusted_table_build_is_the_checked_one(form: FormSpec, data: st.DataObject) -> None:
    # The tables made through their slots are those the classes make, and a value
    # the classes refuse is refused with their own error.
    values = data.draw(built_values(form))
    trusted_build, checked_build = _builders(form)
    trusted = _built(trusted_build, values)
    checked = _built(checked_build, values)
    if isinstance(checked, tuple):
        assert trusted == checked
        return
    assert {key: _tree(table) for key, table in trusted.items()} == {
        key: _tree(table) for key, table in checked.items()
    }
    assert trusted == checked
    assert hash(tuple(trusted.values())) == hash(tuple(checked.values()))
    report = Report(format=form.id, organ="某镇人民政府", year=2023, **trusted)
    assert report.values() == {path: report.cell(path) for path in values}
    assert pickle.loads(pickle.dumps(report)) == report


def test_display_title() -> None:
    report = blank_report()
    assert report.title is None
    assert report.display_title == "某镇人民政府2023年政府信息公开工作年度报告"
    assert (
        attrs.evolve(report, organ="某县", year=2021).display_title
        == "某县2021年政府信息公开工作年度报告"
    )
    titled = attrs.evolve(report, title="自定义标题")
    assert titled.display_title == "自定义标题"


def test_form_of_report() -> None:
    assert blank_report().form is FORM_2021
    assert blank_report().format == "2021"


def test_defaults_are_blank() -> None:
    report = blank_report()
    assert report.published_on is None
    assert report.preamble == ()
    for prose in (report.overview, report.problems, report.other_matters):
        assert prose == Prose()
        assert prose.is_empty


def test_prose_is_empty() -> None:
    assert Prose().is_empty
    assert not Prose(paragraphs=("x",)).is_empty
    assert not Prose(subsections=(Subsection(heading="主动公开情况"),)).is_empty
    assert not Prose(subsections=(Subsection(heading="一", paragraphs=("无",)),)).is_empty


UNPUBLISHABLE_TEXTS = [
    ("", "must not be empty"),
    ("\u3000\u3000", "must not be empty"),
    (" 前有空格", "starts with whitespace (U+0020): renderers indent paragraphs themselves"),
    ("后有全角空格\u3000", "ends with whitespace (U+3000)"),
    ("一行\n二行", "line break (U+000A) at character 2: one paragraph is one line of text"),
    ("一行\r\n二行", "line break (U+000D) at character 2"),
    ("一行\u2028二行", "line break (U+2028)"),
    ("响铃\x07", "control character (U+0007) at character 2"),
    ("删除\x7f", "control character (U+007F)"),
    ("C1\x85", "line break (U+0085)"),
    ("C1\x9b", "control character (U+009B)"),
    ("非字符\ufdd5", "noncharacter (U+FDD5) at character 3"),
    ("非字符\U0010fffe", "noncharacter (U+10FFFE)"),
    ("半个\ud800", "lone surrogate \\ud800 (U+D800) at character 2"),
]


@pytest.mark.parametrize(("text", "words"), UNPUBLISHABLE_TEXTS)
def test_every_text_field_rejects_unpublishable_text(text: str, words: str) -> None:
    # No published format can carry these, so no report holds them (issue 16, bug 13).
    makers: dict[str, Callable[[str], object]] = {
        "Report.organ": lambda t: Report(organ=t, year=2023),
        "Report.title": lambda t: Report(organ="某镇", year=2023, title=t),
        "Report.preamble[1]": lambda t: Report(organ="某镇", year=2023, preamble=("一", t)),
        "Prose.paragraphs[0]": lambda t: Prose(paragraphs=(t,)),
        "Subsection.heading": lambda t: Subsection(heading=t),
        "Subsection.paragraphs[0]": lambda t: Subsection(heading="一", paragraphs=(t,)),
    }
    for where, make in makers.items():
        with pytest.raises(InvalidValueError) as caught:
            make(text)
        assert caught.value.field == where
        assert words in caught.value.reason


@pytest.mark.parametrize(
    "text",
    [
        "某某镇情况说明",
        "（一）加强领导",
        "第一条 总则",
        "中\u3000间有全角空格",
        "\U00020000𝒜",
        "ꦲꦤ",
        "\u200b零宽",
    ],
)
def test_odd_but_publishable_text_is_accepted(text: str) -> None:
    report = Report(organ=text, year=2023, title=text, preamble=(text,))
    assert Prose(subsections=(Subsection(heading=text, paragraphs=(text,)),)).texts()
    assert report.title == text


def test_prose_texts_in_reading_order() -> None:
    prose = Prose(
        paragraphs=("p1", "p2"),
        subsections=(
            Subsection(heading="h1", paragraphs=("a", "b")),
            Subsection(heading="h2"),
            Subsection(heading="h3", paragraphs=("c",)),
        ),
    )
    assert list(prose.texts()) == ["p1", "p2", "h1", "a", "b", "h2", "h3", "c"]
    assert list(Prose().texts()) == []


def test_example_is_a_report_of_the_form() -> None:
    report = gipreport.examples.mingan_2023()
    assert report.organ == "乌拉特前旗明安镇人民政府"
    assert report.display_title == "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"
    assert list(report.values()) == CELL_PATHS
    assert all(value == 0 for value in report.values().values())
    assert [s.heading for s in report.overview.subsections] == [
        "主动公开情况",
        "依申请公开情况",
        "政府信息管理情况",
        "政府信息公开平台建设情况",
        "监督保障情况",
    ]


# Characters at the edges of UNPUBLISHABLE and of printability: controls, line
# breaks, surrogates, noncharacters of the BMP and the astral planes, spaces that
# are not printable (U+00A0, U+3000), format characters (U+200B) and private use.
_EDGE_CHARACTERS = st.sampled_from(
    "\x00\x1f\x20\x7e\x7f\x85\x9f\xa0\u200b\u2028\u2029\u3000\ud800\udfff\ue000"
    "\ufdcf\ufdd0\ufdef\ufdf0\ufffd\ufffe\uffff\U00010000\U0001f600\U0001fffd"
    "\U0001fffe\U0001ffff\U00020000\U0010fffe\U0010ffffa中"
)


@settings(max_examples=examples(400))
@given(st.lists(_EDGE_CHARACTERS | st.characters(), max_size=12).map("".join))
def test_find_unpublishable_finds_what_the_pattern_finds(text: str) -> None:
    expected = UNPUBLISHABLE.search(text)
    found = find_unpublishable(text)
    assert (found and (found.start(), found.group())) == (
        expected and (expected.start(), expected.group())
    )


@settings(max_examples=examples(300))
@given(st.lists(st.lists(_EDGE_CHARACTERS | st.characters(), max_size=6).map("".join), max_size=5))
def test_the_fast_path_judges_texts_as_text_problem_does(texts: list[str]) -> None:
    assert jsonio._publishable(texts) == all(text_problem(text) is None for text in texts)


@settings(max_examples=examples(300))
@given(st.lists(st.text(st.sampled_from(" a中\u3000\xa0"), max_size=4), max_size=4))
def test_the_fast_path_judges_printable_texts_with_spaces_as_text_problem_does(
    texts: list[str],
) -> None:
    # Printable texts holding U+0020 take their own short way (only that space is
    # printable whitespace); U+3000 and U+00A0 are whitespace, not printable.
    assert jsonio._publishable(texts) == all(text_problem(text) is None for text in texts)


@pytest.mark.parametrize(
    ("texts", "publishable"),
    [
        (["中 文", "a"], True),
        (["中文 ", "a"], False),
        (["中文", " a"], False),
        (["中文", " "], False),
        (["中文", ""], False),
        (["a b c"], True),
    ],
)
def test_a_space_at_either_end_of_a_printable_text_is_refused(
    texts: list[str], publishable: bool
) -> None:
    assert jsonio._publishable(texts) is publishable
