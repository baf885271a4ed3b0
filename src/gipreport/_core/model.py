"""The immutable report model.

Every class is a frozen, slotted, keyword-only attrs class: a value, hashable,
comparable, picklable, changed with :func:`attrs.evolve` (or
:meth:`Report.with_cells` for cells deep in a table). Their ``repr``, ``==`` and
``hash`` are :class:`~gipreport._core.values.Value`'s, written once rather than
compiled per class (the same results, a shorter import).

Construction enforces only facts about one value (a count is an ``int`` ≥ 0 or
``None``; a text is one line of printable text, :func:`text_problem`); it accepts
a report whose sums are wrong, because real reports are wrong and
:func:`gipreport.check` must be able to say so. ``None`` is a blank cell, never
read as 0.

The attribute names are the keys of the form description (:mod:`gipreport.form`);
``tests/test_model.py`` asserts the two trees are identical, so neither can drift.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs

from gipreport._core import limits
from gipreport._core.errors import InvalidValueError
from gipreport._core.form import FORMATS, CellSpec, FormSpec, form_for
from gipreport._core.values import Value, draft_class

if TYPE_CHECKING:
    from gipreport._core.indicators import IndicatorValue

__all__ = [
    "Appeals",
    "Cell",
    "CellValue",
    "Columns",
    "Decisions",
    "DisclosedDocuments",
    "DocumentCounts",
    "FeeItems",
    "Fees",
    "ItemCounts",
    "NotProcessed",
    "OtherResults",
    "Outcomes",
    "Proactive",
    "Proactive2019",
    "Procurement",
    "Prose",
    "Report",
    "Requests",
    "Requests2019",
    "Results",
    "Results2019",
    "Subsection",
    "Unavailable",
    "Withheld",
]

CellValue: TypeAlias = int | Decimal | None
"""What a table cell holds: a count (or the 2019 format's signed 本年增/减), an
amount in 万元, or ``None`` for a blank."""

FIRST_YEAR: Final = 2008
"""The first year reports exist for (the 条例 took effect on 2008-05-01)."""
LAST_YEAR: Final = 9999
ZERO_WIDTH: Final = "\u200b\ufeff"
"""Zero-width characters readers take for blank: a line of them and spaces is an empty line."""
NON_BLANK: Final = re.compile(f"[^\\s{ZERO_WIDTH}]")
"""A text that must not be empty has at least one character this matches: not only
whitespace and :data:`ZERO_WIDTH` characters, which a viewer shows as nothing."""

LINE_BREAKS: Final = "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
"""What :meth:`str.splitlines` breaks lines at: no text of a report holds one."""
NONCHARACTERS: Final = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)
)
_UNPUBLISHABLE_SOURCE: Final = f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{NONCHARACTERS}]"
UNPUBLISHABLE: re.Pattern[str]
"""The characters no text of a report holds: line breaks, the other control characters
(category Cc: U+0000–U+001F, U+007F–U+009F), lone surrogates and noncharacters
(U+FDD0–U+FDEF, U+xxFFFE and U+xxFFFF). No published format (HTML, docx's XML 1.0,
PDF) can carry them, so a report holding one could never be published as itself."""

# UNPUBLISHABLE's astral noncharacters make it slow on any text (each is tried at
# every character); a class of ranges is fast. find_unpublishable uses these two.
# The three are compiled when first used (most texts are printable and need none):
# compiling them was a millisecond of every import.


@functools.cache
def _unpublishable() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Return :data:`UNPUBLISHABLE`, its characters of the BMP, and the astral characters."""
    return (
        re.compile(_UNPUBLISHABLE_SOURCE),
        re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"),
        re.compile("[\U00010000-\U0010ffff]"),
    )


def __getattr__(name: str) -> Any:
    # UNPUBLISHABLE, compiled when first asked for (PEP 562).
    if name == "UNPUBLISHABLE":
        return _unpublishable()[0]
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def find_unpublishable(text: str) -> re.Match[str] | None:
    r"""Return ``UNPUBLISHABLE.search(text)``, found faster.

    Every character of :data:`UNPUBLISHABLE` is unprintable (categories Cc, Cs,
    Cn, Zl, Zp), so a printable text has none; otherwise the characters of the
    BMP are searched at once, and an astral character before the first of them
    is looked at alone.

    >>> find_unpublishable("本机关全年收到申请3件。") is None
    True
    >>> find_unpublishable("\u3000a\U0001f600b\U0001fffec\x00").start()
    4
    """
    if text.isprintable():
        return None
    unpublishable, bmp, astral_characters = _unpublishable()
    found = bmp.search(text)
    end = len(text) if found is None else found.start()
    for astral in astral_characters.finditer(text, 0, end):
        if ord(astral.group()) & 0xFFFE == 0xFFFE:  # U+xxFFFE or U+xxFFFF
            return unpublishable.search(text, astral.start())
    return found


def text_problem(text: str) -> tuple[str, str] | None:
    r"""Return ``(type, reason)`` if ``text`` cannot be a text of a report, else ``None``.

    A text of a report (the organ, the title, a preamble paragraph, a heading, a
    paragraph) is one line of printable text: not empty, not only whitespace, no
    whitespace at either end, and none of :data:`UNPUBLISHABLE`. ``type`` is the
    :data:`~gipreport.PROBLEM_TYPES` code :func:`gipreport.load_json` gives.

    >>> text_problem("本机关全年收到申请3件。") is None
    True
    >>> text_problem("第一行\n第二行")[1].split(":")[1]
    ' one paragraph is one line of text; start a new paragraph'
    >>> text_problem("\u3000\u3000缩进")[1]
    'starts with whitespace (U+3000): renderers indent paragraphs themselves'
    """
    if not NON_BLANK.search(text):
        # Empty, or only whitespace and zero-width characters: a text that is not
        # there is left out (``None``).
        return "text_empty", "must not be empty"
    found = find_unpublishable(text)
    if found is not None:
        char = found.group()
        at = f"(U+{ord(char):04X}) at character {found.start()}"
        if char in LINE_BREAKS:
            return "text_line_break", (
                f"holds a line break {at}: one paragraph is one line of text; start a new paragraph"
            )
        if "\ud800" <= char <= "\udfff":
            return "text_surrogate", (
                f"contains a lone surrogate \\u{ord(char):04x} {at}, which is not a character"
                " (broken text from the source?)"
            )
        if char < "\ua000":
            return "text_control", (
                f"holds a control character {at}, which no published format (HTML, docx, PDF)"
                " can carry"
            )
        return "text_noncharacter", (
            f"holds a noncharacter {at}, which no published format (HTML, docx, PDF) can carry"
        )
    for char, end in ((text[0], "starts"), (text[-1], "ends")):
        if char.isspace():
            return "text_whitespace", (
                f"{end} with whitespace (U+{ord(char):04X}): renderers indent paragraphs themselves"
            )
    return None


MAX_AMOUNT: Final = Decimal(10) ** 12
"""Amounts (万元) are below this: a trillion 万元 is more than any fee could be."""
MAX_AMOUNT_PLACES: Final = 12
"""Amounts have at most this many decimal places (分 is the 6th place of 万元)."""

# The largest count lives with the other caps (docs/limits.md); re-exported here beside
# MAX_AMOUNT, the largest amount.
MAX_COUNT: Final = limits.MAX_COUNT

COUNT_TEXTS: Final = tuple(map(str, range(1000)))
"""The text of each count under 1,000 (most of a report's): the writers of JSON, HTML and
text look it up (``COUNT_TEXTS[n]``) rather than make it (``str(n)``), at a fraction of
the cost."""

KIND: Final = "gipreport.kind"
"""Field metadata key telling serialisers what a field holds."""


# --- validators: facts about one value --------------------------------------------


def _where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def _validate_count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        reason = "a count must be an int ≥ 0 or None (blank)"
        raise InvalidValueError(_where(instance, attribute), value, reason)
    if value < 0:
        reason = "a count cannot be negative"
        raise InvalidValueError(_where(instance, attribute), value, reason)
    if value > MAX_COUNT:
        reason = f"a count is at most {MAX_COUNT:,}"
        raise InvalidValueError(_where(instance, attribute), value, reason)


def _validate_signed(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        reason = "a change must be an int (negative allowed) or None (blank)"
        raise InvalidValueError(_where(instance, attribute), value, reason)


def _unsigned_zero(value: Decimal | None) -> Decimal | None:
    # -0 equals 0; keeping the sign would only make "-0" appear in output.
    if isinstance(value, Decimal) and value.is_zero() and value.is_signed():
        return value.copy_abs()
    return value


def _validate_amount(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal):
        reason = "an amount must be a decimal.Decimal (in 万元) or None (blank)"
        raise InvalidValueError(_where(instance, attribute), value, reason)
    if not value.is_finite():
        reason = "an amount must be a finite number"
        raise InvalidValueError(_where(instance, attribute), value, reason)
    if value < 0:
        reason = "an amount cannot be negative"
        raise InvalidValueError(_where(instance, attribute), value, reason)
    if value >= MAX_AMOUNT:
        reason = f"an amount in 万元 must be below {MAX_AMOUNT:f}"
        raise InvalidValueError(_where(instance, attribute), value, reason)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if exponent < -MAX_AMOUNT_PLACES:
        reason = f"an amount has at most {MAX_AMOUNT_PLACES} decimal places"
        raise InvalidValueError(_where(instance, attribute), value, reason)


def _check_text(where: str, value: object) -> None:
    if not isinstance(value, str):
        raise InvalidValueError(where, value, "must be a str")
    problem = text_problem(value)
    if problem is not None:
        raise InvalidValueError(where, value, problem[1])


def _validate_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _check_text(_where(instance, attribute), value)


def _validate_texts(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    assert isinstance(value, tuple)  # the converter made it one
    for index, item in enumerate(value):
        _check_text(f"{_where(instance, attribute)}[{index}]", item)


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        # A lone string would otherwise become a tuple of characters.
        return (value,)
    return tuple(value)


def _count() -> Any:
    return attrs.field(default=None, validator=_validate_count, metadata={KIND: "count"})


def _signed() -> Any:
    return attrs.field(default=None, validator=_validate_signed, metadata={KIND: "signed"})


def _amount() -> Any:
    return attrs.field(
        default=None,
        converter=_unsigned_zero,
        validator=_validate_amount,
        metadata={KIND: "amount"},
    )


_TEXTS_METADATA: Final = {KIND: "texts"}


def _instances_of(cls: type) -> Any:
    return attrs.validators.instance_of(cls)


# --- prose --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Subsection(Value):
    """A sub-heading of a prose section and its paragraphs.

    The heading is stored without its numbering (``主动公开情况``, not
    ``（1） 主动公开情况``); renderers number it.
    """

    heading: str = attrs.field(validator=_validate_text, metadata={KIND: "text"})
    paragraphs: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_texts, validator=_validate_texts, metadata=_TEXTS_METADATA
    )


def _subsections(value: Iterable[Subsection]) -> tuple[Subsection, ...]:
    # A typed converter: with a bare ``tuple`` the attrs mypy plugin types the
    # argument as ``Iterable[_T_co]`` and rejects every call that passes subsections.
    return tuple(value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Prose(Value):
    """A prose section: paragraphs before any sub-heading, then subsections."""

    paragraphs: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_texts, validator=_validate_texts, metadata=_TEXTS_METADATA
    )
    subsections: tuple[Subsection, ...] = attrs.field(
        factory=tuple,
        converter=_subsections,
        validator=attrs.validators.deep_iterable(_instances_of(Subsection)),
    )

    @property
    def is_empty(self) -> bool:
        """Return whether the section has no text at all (no paragraph and no heading)."""
        return not self.paragraphs and not self.subsections

    def texts(self) -> Iterator[str]:
        """Yield every paragraph and heading, in reading order."""
        yield from self.paragraphs
        for subsection in self.subsections:
            yield subsection.heading
            yield from subsection.paragraphs


# --- table 2: 主动公开政府信息情况 ------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class DocumentCounts(Value):
    """规章 or 行政规范性文件: 本年制发件数, 本年废止件数, 现行有效件数 (件)."""

    issued: int | None = _count()
    repealed: int | None = _count()
    in_force: int | None = _count()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Decisions(Value):
    """本年处理决定数量 of 行政许可, 行政处罚 or 行政强制 (件)."""

    decisions: int | None = _count()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Fees(Value):
    """行政事业性收费: 本年收费金额 in 万元, as a :class:`~decimal.Decimal` with its own digits."""

    amount: Decimal | None = _amount()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Proactive(Value):
    """Table 2, 主动公开政府信息情况."""

    rules: DocumentCounts = attrs.field(factory=DocumentCounts)
    normative_documents: DocumentCounts = attrs.field(factory=DocumentCounts)
    licensing: Decisions = attrs.field(factory=Decisions)
    penalty: Decisions = attrs.field(factory=Decisions)
    coercion: Decisions = attrs.field(factory=Decisions)
    fees: Fees = attrs.field(factory=Fees)


# --- table 2 in the 2019 format --------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class DisclosedDocuments(Value):
    """2019 规章 or 规范性文件: 本年新制作数量, 本年新公开数量, 对外公开总数量 (件)."""

    made: int | None = _count()
    disclosed: int | None = _count()
    total_disclosed: int | None = _count()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ItemCounts(Value):
    """2019 （五）（六）: 上一年项目数量, 本年增/减 (signed), 处理决定数量.

    ``change`` is the one signed value of a report: ``+3`` is 3, ``-2`` is −2.
    """

    previous_items: int | None = _count()
    change: int | None = _signed()
    decisions: int | None = _count()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class FeeItems(Value):
    """2019 行政事业性收费: 上一年项目数量 and 本年增/减 of fee *items* (not an amount)."""

    previous_items: int | None = _count()
    change: int | None = _signed()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Procurement(Value):
    """2019 政府集中采购: 采购项目数量, and 采购总金额 in 万元 (a :class:`~decimal.Decimal`)."""

    projects: int | None = _count()
    amount: Decimal | None = _amount()


def _part(cls: type) -> Any:
    return attrs.field(factory=cls, validator=_instances_of(cls))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Proactive2019(Value):
    """Table 2 of the 2019 format, 主动公开政府信息情况: five blocks of 第二十条."""

    rules: DisclosedDocuments = _part(DisclosedDocuments)
    normative_documents: DisclosedDocuments = _part(DisclosedDocuments)
    licensing: ItemCounts = _part(ItemCounts)
    other_services: ItemCounts = _part(ItemCounts)
    penalty: ItemCounts = _part(ItemCounts)
    coercion: ItemCounts = _part(ItemCounts)
    fees: FeeItems = _part(FeeItems)
    procurement: Procurement = _part(Procurement)


# --- table 3: 收到和处理政府信息公开申请情况 ---------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Columns(Value):
    """One row of table 3: counts by kind of applicant, and their 总计 (件)."""

    natural_person: int | None = _count()
    commercial: int | None = _count()
    research: int | None = _count()
    social_welfare: int | None = _count()
    legal_services: int | None = _count()
    other_org: int | None = _count()
    total: int | None = _count()


def _columns() -> Any:
    return attrs.field(factory=Columns, validator=_instances_of(Columns))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Withheld(Value):
    """（三）不予公开: its 8 rows."""

    state_secret: Columns = _columns()
    prohibited_by_law: Columns = _columns()
    security_stability: Columns = _columns()
    third_party_rights: Columns = _columns()
    internal_affairs: Columns = _columns()
    process_information: Columns = _columns()
    enforcement_files: Columns = _columns()
    administrative_query: Columns = _columns()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Unavailable(Value):
    """（四）无法提供: its 3 rows."""

    not_held: Columns = _columns()
    needs_creation: Columns = _columns()
    still_unclear: Columns = _columns()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class NotProcessed(Value):
    """（五）不予处理: its 5 rows."""

    petition: Columns = _columns()
    duplicate: Columns = _columns()
    publication: Columns = _columns()
    excessive: Columns = _columns()
    reconfirmation: Columns = _columns()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class OtherResults(Value):
    """（六）其他处理: its 3 rows (2021 format)."""

    no_correction: Columns = _columns()
    unpaid_fee: Columns = _columns()
    other: Columns = _columns()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Results(Value):
    """三、本年度办理结果: the result rows and （七）总计."""

    disclosed: Columns = _columns()
    partially_disclosed: Columns = _columns()
    withheld: Withheld = attrs.field(factory=Withheld, validator=_instances_of(Withheld))
    unavailable: Unavailable = attrs.field(
        factory=Unavailable, validator=_instances_of(Unavailable)
    )
    not_processed: NotProcessed = attrs.field(
        factory=NotProcessed, validator=_instances_of(NotProcessed)
    )
    other: OtherResults = attrs.field(factory=OtherResults, validator=_instances_of(OtherResults))
    total: Columns = _columns()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Results2019(Value):
    """三、本年度办理结果 in the 2019 format: （六）其他处理 is one row (``other``)."""

    disclosed: Columns = _columns()
    partially_disclosed: Columns = _columns()
    withheld: Withheld = _part(Withheld)
    unavailable: Unavailable = _part(Unavailable)
    not_processed: NotProcessed = _part(NotProcessed)
    other: Columns = _columns()
    total: Columns = _columns()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Requests(Value):
    """Table 3, 收到和处理政府信息公开申请情况."""

    new_received: Columns = _columns()
    carried_over: Columns = _columns()
    results: Results = attrs.field(factory=Results, validator=_instances_of(Results))
    carried_forward: Columns = _columns()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Requests2019(Value):
    """Table 3 in the 2019 format: as :class:`Requests`, with :class:`Results2019`."""

    new_received: Columns = _columns()
    carried_over: Columns = _columns()
    results: Results2019 = _part(Results2019)
    carried_forward: Columns = _columns()


# --- table 4: 行政复议、行政诉讼 ----------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Outcomes(Value):
    """One group of table 4: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计 (件)."""

    upheld: int | None = _count()
    corrected: int | None = _count()
    other: int | None = _count()
    pending: int | None = _count()
    total: int | None = _count()


def _outcomes() -> Any:
    return attrs.field(factory=Outcomes, validator=_instances_of(Outcomes))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Appeals(Value):
    """Table 4: 行政复议, and 行政诉讼 未经复议直接起诉 / 复议后起诉."""

    review: Outcomes = _outcomes()
    litigation_direct: Outcomes = _outcomes()
    litigation_after_review: Outcomes = _outcomes()


# --- the report ------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Cell(Value):
    """A cell of a report: its description in the form and its value."""

    spec: CellSpec
    value: CellValue

    @property
    def path(self) -> str:
        """Return the cell's dotted path."""
        return self.spec.path

    @property
    def label(self) -> str:
        """Return the cell's Chinese label (row labels · column label)."""
        return self.spec.label


def _validate_format(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        reason = f"unknown or not yet implemented format; gipreport implements: {known}"
        raise InvalidValueError(_where(instance, attribute), value, reason)


def _validate_organ(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _validate_text(instance, attribute, value)


def _validate_year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError(_where(instance, attribute), value, "must be an int")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        reason = f"must be a year from {FIRST_YEAR} (reports start in {FIRST_YEAR}) to {LAST_YEAR}"
        raise InvalidValueError(_where(instance, attribute), value, reason)


def _validate_title(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    _validate_organ(instance, attribute, value)


def _validate_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        reason = "must be a datetime.date (not a datetime) or None"
        raise InvalidValueError(_where(instance, attribute), value, reason)


def _prose() -> Any:
    return attrs.field(factory=Prose, validator=_instances_of(Prose))


TABLE_CLASSES: Final[Mapping[str, Mapping[str, type]]] = {
    "2021": {"proactive": Proactive, "requests": Requests, "appeals": Appeals},
    "2019": {"proactive": Proactive2019, "requests": Requests2019, "appeals": Appeals},
}
"""The model class of each table, by format id: what each format's form tree is."""


def _table_class(format_id: str, key: str) -> type:
    return TABLE_CLASSES.get(format_id, TABLE_CLASSES["2021"])[key]


def _validate_table(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    expected = TABLE_CLASSES.get(instance.format)
    if expected is None:  # pragma: no cover - the format's own validator ran first
        return
    cls = expected[attribute.name]
    if not isinstance(value, cls):
        # A TypeError, as attrs' instance_of gives for every other part.
        msg = (
            f"{_where(instance, attribute)}: a report in format {instance.format} takes"
            f" {attribute.name}={cls.__name__}(...), not {type(value).__name__}"
            " (nothing is converted between the formats)"
        )
        raise TypeError(msg)


def _table(key: str) -> Any:
    return attrs.field(
        default=attrs.Factory(lambda self: _table_class(self.format, key)(), takes_self=True),
        validator=_validate_table,
    )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Report(Value):
    """A 政府信息公开工作年度报告 of one organ for one year.

    ``organ`` and ``year`` are required; everything else defaults to empty prose
    and blank (``None``) cells, so a script fills what it knows and
    :func:`gipreport.derive_totals` computes the totals. ``format`` is ``"2021"``
    (the default) or ``"2019"``; it chooses the classes of tables 2 and 3
    (:class:`Proactive2019` and :class:`Requests2019` for 2019)::

        >>> from gipreport import Report, Columns, Requests, derive_totals
        >>> r = Report(organ="某某县人民政府", year=2023,
        ...            requests=Requests(new_received=Columns(natural_person=3)))
        >>> r.cell("requests.new_received.natural_person")
        3
        >>> old = Report(format="2019", organ="某某县人民政府", year=2020)
        >>> old.with_cell("proactive.licensing.change", -2).cell("proactive.licensing.change")
        -2
    """

    format: str = attrs.field(default="2021", validator=_validate_format, metadata={KIND: "format"})
    organ: str = attrs.field(validator=_validate_organ, metadata={KIND: "text"})
    year: int = attrs.field(validator=_validate_year, metadata={KIND: "year"})
    title: str | None = attrs.field(
        default=None, validator=_validate_title, metadata={KIND: "optional_text"}
    )
    published_on: dt.date | None = attrs.field(
        default=None, validator=_validate_date, metadata={KIND: "date"}
    )
    preamble: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_texts, validator=_validate_texts, metadata=_TEXTS_METADATA
    )
    overview: Prose = _prose()
    proactive: Proactive | Proactive2019 = _table("proactive")
    requests: Requests | Requests2019 = _table("requests")
    appeals: Appeals = _table("appeals")
    problems: Prose = _prose()
    other_matters: Prose = _prose()

    @property
    def form(self) -> FormSpec:
        """Return the description of this report's national format."""
        return form_for(self.format)

    @property
    def display_title(self) -> str:
        """Return the title, or the standard one when ``title`` is ``None``."""
        return self.title if self.title is not None else self.form.title_for(self.organ, self.year)

    def texts(self) -> Iterator[tuple[str, str]]:
        """Yield ``(path, text)`` for every text of the report, in reading order.

        Paths are the JSON document's: ``organ``, ``title`` (when the report has
        its own), ``preamble[i]``, then each prose section's
        ``<key>.paragraphs[i]`` and ``<key>.subsections[i].heading`` /
        ``<key>.subsections[i].paragraphs[j]``. This is the one walk over a
        report's prose: the docx writer, the narrative checks and any script
        that looks at every text use it.

        >>> import gipreport
        >>> next(gipreport.examples.mingan_2023().texts())
        ('organ', '乌拉特前旗明安镇人民政府')
        """
        yield "organ", self.organ
        if self.title is not None:
            yield "title", self.title
        for index, text in enumerate(self.preamble):
            yield f"preamble[{index}]", text
        for spec in self.form.sections:
            if spec.kind != "prose":
                continue
            key = spec.key
            prose: Prose = getattr(self, key)
            for index, text in enumerate(prose.paragraphs):
                yield f"{key}.paragraphs[{index}]", text
            for index, sub in enumerate(prose.subsections):
                yield f"{key}.subsections[{index}].heading", sub.heading
                for number, text in enumerate(sub.paragraphs):
                    yield f"{key}.subsections[{index}].paragraphs[{number}]", text

    def cell(self, path: str) -> CellValue:
        """Return the value of the table cell at ``path`` (``None`` if blank).

        >>> Report(organ="某镇人民政府", year=2023).cell("appeals.review.total") is None
        True

        Raises :class:`KeyError` naming the path when it is not a cell of the form.
        """
        self.form.cell(path)  # a clear KeyError for a path that is not a cell
        value: CellValue = _get(self, path)
        return value

    def count(self, path: str) -> int | None:
        """Return the count (or change) at ``path``; raise :class:`TypeError` for an amount."""
        value = self.cell(path)
        # Decided by the form, not the value: a blank fee is still not a count.
        if self.form.cell(path).kind == "amount" or isinstance(value, Decimal):
            msg = f"{path} is an amount in 万元, not a count; use Report.cell()"
            raise TypeError(msg)
        return value

    def cells(self) -> Iterator[Cell]:
        """Yield every table cell with its path, labels and value, in reading order."""
        form = self.form
        for spec, value in zip(form.cells, cell_reader(form)(self), strict=True):
            yield Cell(spec=spec, value=value)

    def values(self) -> dict[str, CellValue]:
        """Return ``{path: value}`` for every table cell, in reading order."""
        form = self.form
        return dict(zip(_paths(form), cell_reader(form)(self), strict=True))

    def indicators(self) -> Mapping[str, IndicatorValue]:
        """Return the derived indicators of this report (公开率, …) by ID.

        Each is an :class:`gipreport.IndicatorValue`: ``not_assessable`` when a
        cell it reads is blank, ``undefined`` when its denominator is 0.
        """
        # Imported on first use: loading and checking reports never need the indicators.
        from gipreport._core.indicators import indicator_map  # noqa: PLC0415

        return indicator_map(self)

    def with_cell(self, path: str, value: CellValue) -> Report:
        """Return a copy with the cell at ``path`` set to ``value``."""
        return self.with_cells({path: value})

    def with_cells(self, values: Mapping[str, CellValue]) -> Report:
        """Return a copy with each cell ``path`` in ``values`` set to its value.

        >>> r = Report(organ="某镇人民政府", year=2023)
        >>> r.with_cells({"appeals.review.upheld": 1}).appeals.review.upheld
        1
        """
        form = self.form
        if len(values) == len(form.cells) and all(form.has_cell(path) for path in values):
            # Every cell given: build the three tables afresh, once each.
            rebuilt: Report = _replace(self, _table_builder(form)(values))
            return rebuilt
        tree: dict[str, Any] = {}
        for path, value in values.items():
            form.cell(path)
            *parents, leaf = path.split(".")
            node = tree
            for key in parents:
                node = node.setdefault(key, {})
            node[leaf] = value
        changed: Report = _evolve_tree(self, tree)
        return changed


def report_with_cells(values: Mapping[str, CellValue], **fields: Any) -> Report:
    """Return ``Report(**fields).with_cells(values)``, the tables built once.

    Where ``values`` gives every cell of the format (as a reading does), the
    tables are built from them and passed to the one report made: the report
    with the default (blank) tables that :meth:`Report.with_cells` would copy
    is never built.

    >>> r = Report(organ="某镇人民政府", year=2023)
    >>> values = {cell.path: None for cell in r.form.cells}
    >>> values["appeals.review.upheld"] = 1
    >>> report_with_cells(values, organ="某镇人民政府", year=2023) == r.with_cells(values)
    True
    """
    form = FORMATS.get(fields.get("format", "2021"))
    if form is not None and form.has_every_cell(values):
        return Report(**fields, **_table_builder(form)(values))
    return Report(**fields).with_cells(values)


@functools.cache
def _table_builder(form: FormSpec) -> Callable[[Mapping[str, CellValue]], dict[str, Any]]:
    """Return a function building every table of ``form`` from ``{path: value}``.

    Written out once per format, like the cell reader, in two ways. The checked
    way (:func:`_checked_table_builder`) calls each class, so its validators and
    converters run. The way tried first (:func:`_trusted_table_builder`) looks at
    each count and change itself, inline (an ``int`` in range, or ``None``:
    :func:`_validate_count`'s and :func:`_validate_signed`'s facts), and makes
    their objects and the tables holding them as drafts
    (:func:`~gipreport._core.values.draft_class`), as
    :func:`gipreport._reading.source.new_where` makes a place: the validators
    would only say again what was just looked at, and a table holds the objects
    it was just given (their ``instance_of``). It is a fifth of a reading's
    assembly otherwise (200 validator calls). A value that is not plainly valid
    (a bool, an ``int`` subclass, out of range) sends the whole build the checked
    way, so what the classes accept and raise is exactly what they did
    (``tests/test_model.py``); an amount's object is always made by its class
    (its converter unsigns a zero).
    """
    return _trusted_table_builder(form, _checked_table_builder(form))


def _checked_table_builder(form: FormSpec) -> Callable[[Mapping[str, CellValue]], dict[str, Any]]:
    # One constructor call per object, nested as the model nests them (the classes
    # read from a default report): every validator and converter runs.
    namespace: dict[str, Any] = {}

    def expression(node: Any, prefix: str) -> str:
        cls = type(node)
        namespace[cls.__name__] = cls
        arguments = []
        for name in _field_names(cls):
            path = f"{prefix}.{name}"
            child = getattr(node, name)
            value = expression(child, path) if attrs.has(type(child)) else f"v[{path!r}]"
            arguments.append(f"{name}={value}")
        return f"{cls.__name__}({', '.join(arguments)})"

    default = Report(format=form.id, organ="-", year=form.first_year)
    tables = ", ".join(
        f"{table.key!r}: {expression(getattr(default, table.key), table.key)}"
        for table in form.tables
    )
    source = f"def build(v):\n    return {{{tables}}}\n"
    exec(compile(source, f"<gipreport tables {form.id}>", "exec"), namespace)
    function: Callable[[Mapping[str, CellValue]], dict[str, Any]] = namespace["build"]
    return function


_PLAIN_CHECKS: Final = {
    _validate_count: "{x} is not None and (type({x}) is not int or not 0 <= {x} <= MAX_COUNT)",
    _validate_signed: "{x} is not None and type({x}) is not int",
}
"""What is not plainly valid for each validator of a value :func:`_trusted_table_builder`
looks at itself: a count is an ``int`` from 0 to :data:`MAX_COUNT`, a change any ``int``
(``type(x) is int``: no bool, no subclass that could say otherwise), each or ``None``."""


def _trusted_table_builder(
    form: FormSpec, checked: Callable[[Mapping[str, CellValue]], dict[str, Any]]
) -> Callable[[Mapping[str, CellValue]], dict[str, Any]]:
    # The objects made leaves first, each as a draft (draft_class) where every field is
    # a count, a change or an object made here; any other (an amount's) by its class.
    namespace: dict[str, Any] = {
        "checked": checked,
        "new": object.__new__,
        "MAX_COUNT": MAX_COUNT,
    }
    lines = ["def build(v):"]
    names = itertools.count()

    def made(node: Any, prefix: str) -> str:
        cls: type = type(node)
        namespace[cls.__name__] = cls
        fields = attrs.fields(cls)
        values = []
        plain = True
        for field in fields:
            path = f"{prefix}.{field.name}"
            child = getattr(node, field.name)
            if attrs.has(type(child)):
                values.append(made(child, path))
                continue
            value = f"x{next(names)}"
            lines.append(f"    {value} = v[{path!r}]")
            check = _PLAIN_CHECKS.get(field.validator) if field.converter is None else None
            if check is None:
                plain = False
            else:
                lines.append(f"    if {check.format(x=value)}:")
                lines.append("        return checked(v)")
            values.append(value)
        obj = f"o{next(names)}"
        if not plain:
            arguments = ", ".join(f"{f.name}={x}" for f, x in zip(fields, values, strict=True))
            lines.append(f"    {obj} = {cls.__name__}({arguments})")
            return obj
        draft = f"Draft{cls.__name__}"
        namespace[draft] = draft_class(cls)
        lines.append(f"    {obj} = new({draft})")
        for field, value in zip(fields, values, strict=True):
            lines.append(f"    {obj}.{field.name} = {value}")
        lines.append(f"    {obj}.__class__ = {cls.__name__}")
        return obj

    default = Report(format=form.id, organ="-", year=form.first_year)
    tables = [(table.key, made(getattr(default, table.key), table.key)) for table in form.tables]
    lines.append(f"    return {{{', '.join(f'{key!r}: {obj}' for key, obj in tables)}}}")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<gipreport trusted tables {form.id}>", "exec"), namespace)
    function: Callable[[Mapping[str, CellValue]], dict[str, Any]] = namespace["build"]
    return function


def _replace(obj: Any, changes: Mapping[str, Any]) -> Any:
    cls = type(obj)
    return cls(**{name: changes.get(name, getattr(obj, name)) for name in _field_names(cls)})


@functools.cache
def cell_reader(form: FormSpec) -> Callable[[Report], tuple[CellValue, ...]]:
    """Return a function giving a report's cell values, in the order of ``form.cells``.

    It is written out once per format: one attribute chain per row, each row
    object looked up once and its cells read from a local, so reading all 200
    cells costs a few microseconds rather than 200 walks down the tree.
    """
    lines = ["def read(r):"]
    rows: dict[str, str] = {}
    cells: list[str] = []
    for path in _paths(form):
        row, _, key = path.rpartition(".")
        if row not in rows:
            rows[row] = f"o{len(rows)}"
            lines.append(f"    {rows[row]} = r.{row}")
        cells.append(f"{rows[row]}.{key}")
    lines.append(f"    return ({', '.join(cells)},)")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines) + "\n", f"<gipreport reader {form.id}>", "exec"), namespace)
    function: Callable[[Report], tuple[CellValue, ...]] = namespace["read"]
    return function


@functools.cache
def _paths(form: FormSpec) -> tuple[str, ...]:
    return tuple(spec.path for spec in form.cells)


def _get(obj: object, path: str) -> Any:
    for key in path.split("."):
        obj = getattr(obj, key)
    return obj


def _evolve_tree(obj: Any, tree: Mapping[str, Any]) -> Any:
    # attrs.evolve, without its per-call introspection: every model field is an
    # init argument of the same name, so the class is called with all of them.
    changes = {
        key: _evolve_tree(getattr(obj, key), sub) if isinstance(sub, dict) else sub
        for key, sub in tree.items()
    }
    return _replace(obj, changes)


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in attrs.fields(cls))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


# Hypothesis's entry point registers strategies for these classes only if this
# module is imported when Hypothesis is; if Hypothesis came first, do it now.
if "hypothesis" in sys.modules:
    from gipreport._core import hypothesis_hook as _hypothesis_hook

    _hypothesis_hook.register()
