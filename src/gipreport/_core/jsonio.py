"""JSON document version 1: load, dump and its JSON Schema.

The document layout is the form description's (``gipreport.form``) plus the
header fields and prose sections of the model; see ``shared/spec/JSON.md``.
Structuring goes through a cattrs converter built by :func:`make_converter`,
with one hook per kind of value (count, amount, text, date, …) taken from the
model's field metadata, and detailed validation so that every problem in a
document is reported at once with its dotted path.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import math
import os
import re
import weakref
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any, Final, cast

import attrs

from gipreport._core.errors import INPUT_SHOWN, InvalidValueError, LoadError, Problem
from gipreport._core.form import FORM_2021, FORMATS, Column, FormSpec, Row, TableSpec, form_for
from gipreport._core.model import (
    COUNT_TEXTS,
    FIRST_YEAR,
    KIND,
    LAST_YEAR,
    MAX_AMOUNT,
    MAX_AMOUNT_PLACES,
    MAX_COUNT,
    NON_BLANK,
    TABLE_CLASSES,
    Prose,
    Report,
    Subsection,
    find_unpublishable,
    text_problem,
)
from gipreport._core.values import draft_class

if TYPE_CHECKING:
    # cattrs is imported where a converter is made (make_converter, the error path of
    # load_json, to_dict): loading and dumping a valid document never needs it.
    import cattrs

__all__ = [
    "SCHEMA_ID",
    "Document",
    "dump_json",
    "from_dict",
    "json_schema",
    "load_json",
    "make_converter",
    "to_dict",
]

SCHEMA_ID: Final = "gipreport/1"
"""The value of the document's ``schema`` key for document version 1."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AMOUNT_TEXT = re.compile(
    rf"0*[0-9]{{1,{len(str(MAX_AMOUNT)) - 1}}}(\.[0-9]{{1,{MAX_AMOUNT_PLACES}}})?"
)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

Document = str | bytes | bytearray | os.PathLike[str] | IO[bytes] | IO[str]
"""What :func:`load_json` reads: the JSON text, its bytes, a path, or an open file."""


_NO_INPUT: Final = object()


class _InvalidError(ValueError):
    """A problem found by a structure hook; ``keys`` leads from the hook's value to it.

    ``type`` is its :data:`~gipreport.PROBLEM_TYPES` code; ``value`` the offending
    input (none for a missing key).
    """

    def __init__(
        self,
        message: str,
        *keys: str | int,
        type: str,
        value: object = _NO_INPUT,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.keys = keys
        self.type = type
        self.value = value


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it had more than once."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        duplicates: list[str] = []
        for key, _ in pairs:
            if key in seen:
                duplicates.append(key)
            seen.add(key)
        obj.duplicates = tuple(duplicates)
    return obj


# --- hooks for one value each -------------------------------------------------------


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, Decimal | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__  # pragma: no cover - json.loads makes nothing else


def _structure_count(value: Any, _: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        hint = " (a count is never fractional or written with an exponent)"
        extra = hint if isinstance(value, Decimal | float) else ""
        msg = f"expected an integer ≥ 0 or null, got {_type_name(value)}{extra}"
        raise _InvalidError(msg, type="count_type", value=value)
    if value < 0:
        msg = f"a count cannot be negative, got {value}"
        raise _InvalidError(msg, type="count_negative", value=value)
    if value > MAX_COUNT:
        msg = f"a count is at most {MAX_COUNT:,} (2**53 - 1), got a larger one"
        raise _InvalidError(msg, type="count_too_large", value=value)
    return value


def _structure_signed(value: Any, _: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        hint = " (a change is never fractional or written with an exponent)"
        extra = hint if isinstance(value, Decimal | float) else ""
        msg = f"expected an integer (negative allowed) or null, got {_type_name(value)}{extra}"
        raise _InvalidError(msg, type="change_type", value=value)
    return value


def _structure_amount(value: Any, _: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, str):
        if not _AMOUNT_TEXT.fullmatch(value):
            msg = (
                f'expected a decimal amount in 万元 such as "18.8710" (digits, at most '
                f"{MAX_AMOUNT_PLACES} after the point, below {MAX_AMOUNT:f}), got {value!r}"
            )
            raise _InvalidError(msg, type="amount_text", value=value)
        amount = Decimal(value)
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        msg = f"expected a decimal amount (string or number) or null, got {_type_name(value)}"
        raise _InvalidError(msg, type="amount_type", value=value)
    if amount < 0:
        msg = f"an amount cannot be negative, got {value}"
        raise _InvalidError(msg, type="amount_negative", value=value)
    if amount >= MAX_AMOUNT:
        msg = f"an amount in 万元 must be below {MAX_AMOUNT:f}, got {value}"
        raise _InvalidError(msg, type="amount_too_large", value=value)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_AMOUNT_PLACES:
        msg = f"an amount has at most {MAX_AMOUNT_PLACES} decimal places, got {value}"
        raise _InvalidError(msg, type="amount_places", value=value)
    return amount


def _check_text(value: Any) -> str:
    if not isinstance(value, str):
        msg = f"expected a string, got {_type_name(value)}"
        raise _InvalidError(msg, type="text_type", value=value)
    problem = text_problem(value)
    if problem is not None:
        raise _InvalidError(problem[1], type=problem[0], value=value)
    return value


def _structure_text(value: Any, _: Any) -> str:
    return _check_text(value)


def _structure_non_blank(value: Any, _: Any) -> str:
    return _check_text(value)


def _structure_optional_non_blank(value: Any, _: Any) -> str | None:
    return None if value is None else _structure_non_blank(value, None)


def _structure_texts(value: Any, _: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        msg = f"expected an array of strings, got {_type_name(value)}"
        raise _InvalidError(msg, type="array_type", value=value)
    problems = []
    for index, item in enumerate(value):
        try:
            _check_text(item)
        except _InvalidError as exc:
            problems.append(_InvalidError(exc.message, index, type=exc.type, value=exc.value))
    if problems:
        msg = "invalid items"
        raise ExceptionGroup(msg, problems)
    return tuple(value)


def _structure_date(value: Any, _: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        msg = f'expected a date as "YYYY-MM-DD" or null, got {_type_name(value)}'
        raise _InvalidError(msg, type="date_type", value=value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"{value!r} is not a date of the calendar"
        raise _InvalidError(msg, type="date_invalid", value=value) from None


def _structure_year(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected the year as an integer, got {_type_name(value)}"
        raise _InvalidError(msg, type="year_type", value=value)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        msg = f"a report's year is from {FIRST_YEAR} to {LAST_YEAR}, got {value}"
        raise _InvalidError(msg, type="year_range", value=value)
    return value


def _structure_format(value: Any, _: Any) -> str:
    if value not in FORMATS:
        known = ", ".join(f'"{key}"' for key in sorted(FORMATS))
        msg = f"unknown format {value!r}; expected {known}"
        raise _InvalidError(msg, type="format_unknown", value=value)
    assert isinstance(value, str)
    return value


_HOOKS: Mapping[str, Callable[[Any, Any], Any]] = {
    "count": _structure_count,
    "signed": _structure_signed,
    "amount": _structure_amount,
    "text": _structure_non_blank,
    "optional_text": _structure_optional_non_blank,
    "texts": _structure_texts,
    "date": _structure_date,
    "year": _structure_year,
    "format": _structure_format,
}

# Where an attribute's kind differs from the hook its metadata names.
_PLAIN_TEXT: Final = {(Subsection, "heading")}


def _subsections_hook(converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    from cattrs.errors import IterableValidationNote  # noqa: PLC0415 - imported with a converter

    def structure(value: Any, _: Any) -> tuple[Subsection, ...]:
        if not isinstance(value, list):
            msg = f"expected an array of subsections, got {_type_name(value)}"
            raise _InvalidError(msg, type="array_type", value=value)
        items: list[Subsection] = []
        problems: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(converter.structure(item, Subsection))
            except Exception as exc:  # noqa: BLE001 - collected, re-raised as a group
                exc.add_note(IterableValidationNote(f"index {index}", index, Subsection))
                problems.append(exc)
        if problems:
            msg = "invalid subsections"
            raise ExceptionGroup(msg, problems)
        return tuple(items)

    return structure


def _inner_hook(
    cls: type, converter: cattrs.Converter, tables: Mapping[str, type] | None = None
) -> Callable[[Any, Any], Any]:
    from cattrs.gen import make_dict_structure_fn, override  # noqa: PLC0415 - as above

    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        kind = field.metadata.get(KIND)
        if (cls, field.name) in _PLAIN_TEXT:
            overrides[field.name] = override(struct_hook=_structure_text)
        elif kind is not None:
            overrides[field.name] = override(struct_hook=_HOOKS[kind])
    if cls is Prose:
        overrides["subsections"] = override(struct_hook=_subsections_hook(converter))
    for key, table_class in (tables or {}).items():
        # A report's tables are of its format's classes (the field's type is a union).
        overrides[key] = override(struct_hook=converter.get_structure_hook(table_class))
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=False,
        _cattrs_detailed_validation=True,
        **overrides,
    )
    return inner


def _class_hook(cls: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    if cls is Report:
        by_format = {
            format_id: _inner_hook(cls, converter, tables)
            for format_id, tables in TABLE_CLASSES.items()
        }
    else:
        by_format = {"": _inner_hook(cls, converter)}
    expected = [field.name for field in attrs.fields(cls)]
    if cls is Report:
        expected = ["schema", *expected]

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):
            msg = f"expected an object with keys {', '.join(expected)}; got {_type_name(value)}"
            raise _InvalidError(msg, type="object_type", value=value)
        problems: list[Exception] = [
            _InvalidError(f"key {key!r} appears more than once", key, type="key_duplicate")
            for key in getattr(value, "duplicates", ())
        ]
        problems += [
            _InvalidError("missing key", key, type="key_missing")
            for key in expected
            if key not in value
        ]
        problems += [
            _InvalidError(_unknown_key(key, expected), key, type="key_unknown", value=value[key])
            for key in value
            if key not in expected
        ]
        if cls is Report and "schema" in value and value["schema"] != SCHEMA_ID:
            msg = f"expected {SCHEMA_ID!r} (document version 1), got {value['schema']!r}"
            problems.append(
                _InvalidError(msg, "schema", type="schema_unknown", value=value["schema"])
            )
        known = {key: item for key, item in value.items() if key in expected and key != "schema"}
        format_id = known.get("format") if cls is Report else ""
        inner = by_format.get(format_id) if isinstance(format_id, str) else None
        if inner is None:  # an unknown format, reported as such; read as the default's
            inner = by_format[FORM_2021.id]
        try:
            result = inner(known, cls)
        except ExceptionGroup as group:
            mismatch = _other_format(converter, known) if cls is Report else None
            if mismatch is None:
                problems.append(group)
            else:
                # Named once, at "format"; the rest of the document is still checked.
                problems.append(mismatch)
                try:
                    _without_tables(by_format, str(format_id), converter)(known, cls)
                except ExceptionGroup as rest:
                    problems.append(rest)
        except InvalidValueError as exc:  # pragma: no cover - the hooks check the same facts
            problems.append(
                _InvalidError(exc.reason, exc.field.rpartition(".")[2], type="value_invalid")
            )
        if problems:
            msg = f"invalid {cls.__name__}"
            raise ExceptionGroup(msg, problems)
        return result

    return structure


TABLE_KEYS: Final = frozenset(table.key for table in FORM_2021.tables)


def _structures(converter: cattrs.Converter, value: Any, cls: type) -> bool:
    try:
        converter.structure(value, cls)
    except Exception:  # noqa: BLE001 - only whether it would load is asked
        return False
    return True


def _other_format(converter: cattrs.Converter, known: Mapping[str, Any]) -> _InvalidError | None:
    # A document whose tables are wholly those of another format than it says:
    # one problem at "format", not a list of every key of the tables (nothing is
    # converted between the formats, so the document must say the right one).
    format_id = known.get("format")
    own = TABLE_CLASSES.get(format_id) if isinstance(format_id, str) else None
    if own is None:
        return None
    for other_id, other in TABLE_CLASSES.items():
        if other_id == format_id or other == own:
            continue
        differing = [key for key in own if other[key] is not own[key]]
        if differing and all(
            key in known and _structures(converter, known[key], other[key]) for key in differing
        ):
            tables = " and ".join(differing)
            msg = (
                f"the document says format {format_id!r}, but its {tables} are laid out as"
                f" in format {other_id!r} (nothing is converted between the formats:"
                f" say the format the tables are in)"
            )
            return _InvalidError(msg, "format", type="format_tables", value=format_id)
    return None


def _without_tables(
    by_format: Mapping[str, Callable[[Any, Any], Any]], format_id: str, converter: cattrs.Converter
) -> Callable[[Any, Any], Any]:
    # The tables of a document in the wrong format are not read (their problem
    # is named once, at "format"); the rest of the document is still checked.
    inner = by_format[format_id]

    def structure(value: Any, cls: Any) -> Any:
        defaults = Report(format=format_id, organ="-", year=FIRST_YEAR)
        tables = {key: converter.unstructure(getattr(defaults, key)) for key in TABLE_KEYS}
        return inner({**value, **tables}, cls)

    return structure


def make_converter() -> cattrs.Converter:
    """Return a new cattrs converter for gipreport models and JSON document version 1.

    Unstructuring gives the document as plain Python data (the fee as a string,
    dates as ISO strings); structuring is strict and raises an exception group
    whose leaves carry their location (use :func:`load_json` for a
    :class:`~gipreport.LoadError` with dotted paths).
    """
    import cattrs  # noqa: PLC0415 - only a converter needs cattrs (see the imports)

    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_unstructure_hook(Decimal, lambda value: format(value, "f"))
    converter.register_unstructure_hook(dt.date, lambda value: value.isoformat())
    converter.register_structure_hook_factory(attrs.has, lambda cls: _class_hook(cls, converter))
    base = converter.get_unstructure_hook(Report)
    converter.register_unstructure_hook(
        Report, lambda report: {"schema": SCHEMA_ID, **base(report)}
    )
    return converter


@functools.cache
def _converter() -> cattrs.Converter:
    # The module's own converter, made on first use so that importing is cheap.
    return make_converter()


# --- load and dump ------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


def _parse(document: str | bytes | bytearray) -> Any:
    if isinstance(document, bytes | bytearray):
        try:
            document = bytes(document).decode("utf-8")
        except UnicodeDecodeError as exc:
            msg = f"not UTF-8: byte {exc.start} ({document[exc.start]:#04x}) cannot be decoded"
            raise LoadError([Problem("", msg, type="utf8_invalid")]) from None
    elif not isinstance(cast(object, document), str):  # untyped callers
        msg = f"expected the document as str or bytes, got {type(document).__name__}"
        raise TypeError(msg)
    document = document.removeprefix("\ufeff")
    try:
        return json.loads(
            document,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_object_pairs,
        )
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        problem = Problem(
            "",
            f"not valid JSON: {exc.msg} at {where}",
            type="json_invalid",
            input=_excerpt(document, exc.pos),
            line=exc.lineno,
            column=exc.colno,
        )
        raise LoadError([problem]) from None
    except (ValueError, InvalidOperation, RecursionError) as exc:
        problem = Problem("", f"not valid JSON: {exc}", type="json_invalid")
        raise LoadError([problem]) from None


def _excerpt(document: str, position: int) -> str:
    """Return the text of ``document`` around ``position`` (a syntax error), on one line."""
    start = max(0, position - INPUT_SHOWN // 2)
    text = document[start : start + INPUT_SHOWN]
    return text.replace("\n", " ")


def _unknown_key(key: str, expected: list[str]) -> str:
    """Return "unknown key", with the expected key it is most likely a misspelling of."""
    import difflib  # noqa: PLC0415 - only an error needs it

    close = difflib.get_close_matches(key, expected, n=1)
    return f"unknown key; did you mean {close[0]!r}?" if close else "unknown key"


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _problems(exc: BaseException, path: str) -> Iterator[Problem]:
    # Only called on an exception from the converter: cattrs is imported.
    from cattrs.errors import AttributeValidationNote, IterableValidationNote  # noqa: PLC0415

    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            path = _join(path, note.name)
        elif isinstance(note, IterableValidationNote):
            path = _join(path, note.index)
    if isinstance(exc, BaseExceptionGroup):
        for sub in exc.exceptions:
            yield from _problems(sub, path)
    elif isinstance(exc, KeyError):
        return  # a missing key, already reported as such by the class hook
    elif isinstance(exc, _InvalidError):
        for key in exc.keys:
            path = _join(path, key)
        if exc.value is _NO_INPUT:
            yield Problem(path, exc.message, type=exc.type)
        else:
            yield Problem.about(path, exc.message, exc.type, exc.value)
    else:  # pragma: no cover - every hook raises _InvalidError; kept so nothing is lost
        yield Problem(path, f"{type(exc).__name__}: {exc}")


def _document_text(document: Document) -> str | bytes | bytearray:
    """Return the JSON text (or bytes) of ``document``: read a path or a file."""
    if isinstance(document, str | bytes | bytearray):
        return document
    if isinstance(document, os.PathLike):
        try:
            with open(document, "rb") as stream:
                return stream.read()
        except OSError as exc:
            where = os.fspath(document)
            msg = f"cannot read {where!r}: {exc.strerror or exc}"
            raise LoadError([Problem("", msg, type="file_unreadable")]) from None
    read = getattr(document, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, str | bytes | bytearray):
            return data
        msg = f"expected a file that reads str or bytes, got {type(data).__name__}"
        raise TypeError(msg)
    msg = (
        "expected the document as str, bytes, a path or an open file, "
        f"got {type(document).__name__}"
    )
    raise TypeError(msg)


def load_json(document: Document) -> Report:
    """Return the report in a JSON document (version 1), or raise :class:`LoadError`.

    ``document`` is the JSON text (``str``), its UTF-8 bytes, a path
    (:class:`os.PathLike`, such as :class:`pathlib.Path`; a ``str`` is always the
    text itself) or a file opened for reading (binary or text).

    Strict: an unknown or missing key, a wrong type, a float, boolean or
    negative number where a count belongs — each is a problem, and the error
    lists every problem in the document, each with its dotted path and
    :attr:`~gipreport.Problem.type`::

        >>> try:
        ...     load_json('{"schema": "gipreport/1", "format": "2021", "year": 2023.0}')
        ... except LoadError as error:
        ...     print(len(error.problems), "problems; first:", error.problems[0])
        ...     print(error.problems[0].type, error.problems[-1].type)
        11 problems; first: organ: missing key
        key_missing year_type

    ``null`` is a blank cell, never 0. The fee keeps its digits exactly.

    Where orjson is installed (the ``fast`` extra), a valid document is parsed with
    it, about three times as fast; the result and every error are the same
    without it.
    """
    text = _document_text(document)
    fast = _load_fast(text)
    if fast is not None:
        return fast
    # An error, or anything the fast path is not sure of: the full cattrs pass,
    # which names every problem.
    return _structure(_parse(text))


# --- the fast path: straight-line code per format, generated once from the form -------
#
# A valid document is read by one generated function per format: the parser's
# plain dicts (no hook per object), exact key sets, one validation per value
# (the same hooks as the converter's for the header; the counts all at once, at
# the end, in C loops; the texts' types by joining them), and objects
# made through their slots without running the model's validators again (the
# checks here are the same facts). Two facts are checked on the whole
# instead of per value: a duplicate key (the text has exactly one ``:`` per key
# of the result, plus those inside its strings), and the texts, joined, are
# publishable (a lone surrogate, raw or escaped, can only be in one). On
# anything else — an error, a type it does not expect — it gives up (``None``)
# and :func:`load_json` takes the converter's path, which reports every
# problem. A law of the test suite says both give the same result on every
# document.


class _DoubtError(Exception):
    """The fast path is not sure: the converter's path decides."""


_DECODER: Final = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant)
_ESCAPED_COLON: Final = re.compile(r"\\u003[aA]")
_ESCAPED_COLON_BYTES: Final = re.compile(rb"\\u003[aA]")
_BOM_BYTES: Final = "\ufeff".encode()

Parser = Callable[[str | bytes | bytearray], Any]


def _stdlib_parse(document: str | bytes | bytearray) -> Any:
    # The caller has taken off a byte order mark (as orjson needs it to).
    if not isinstance(document, str):
        document = bytes(document).decode("utf-8")
    return _DECODER.decode(document)


@functools.cache
def _fast_parser() -> Parser:
    """Return the fast path's parser: ``orjson.loads`` where orjson is installed, else the stdlib's.

    orjson (the ``fast`` extra) parses in C about three times as fast as the
    standard library. Nothing depends on which parser ran: every value the fast
    path accepts is one both parse alike (a string, an integer within 2**53, null,
    an array or an object); a number orjson parses differently (a float, an
    integer beyond 64 bits) is of a type the fast path does not accept, and
    whatever orjson refuses (a lone surrogate, a byte order mark, a constant)
    leaves the document to the converter's path, which parses with the standard
    library. The law of ``tests/test_jsonio_fast.py`` runs on both parsers.
    """
    try:
        import orjson  # noqa: PLC0415 - optional, and only needed once a document is loaded
    except ImportError:
        return _stdlib_parse
    loads: Parser = orjson.loads
    return loads


def _load_fast(document: str | bytes | bytearray, parse: Parser | None = None) -> Report | None:
    """Return the report of a valid ``document`` by the fast path, or ``None`` on any doubt.

    ``parse`` is the JSON parser (:func:`_fast_parser`'s by default).
    """
    try:
        if isinstance(document, bytes | bytearray):
            raw: bytes | bytearray | str = document
            if document.startswith(_BOM_BYTES):
                raw = document[len(_BOM_BYTES) :]
            # No byte of a UTF-8 sequence but ":" itself is 0x3A: the count is the text's.
            colons = document.count(b":")
        elif isinstance(cast(object, document), str):
            raw = document.removeprefix("\ufeff")
            colons = document.count(":")
        else:
            return None
        data = (parse or _fast_parser())(raw)
        if type(data) is not dict:
            return None
        build = _fast_builder(data.get("format"))
        if build is None:
            return None
        report, keys = build(data)
    except Exception:  # noqa: BLE001 - any doubt: the converter's path decides
        return None
    assert isinstance(report, Report)
    # A lone surrogate, raw or escaped, can only be in a text (every other string
    # is matched exactly): _publishable sees it with the other unpublishable characters.
    texts = _texts_of(report)
    if not _publishable(texts):
        return None  # the converter's path names the text and the character
    # Every colon of the text is one key's, or inside a string: a duplicate key
    # shows as a colon too many. Only the report's texts can hold a colon (the
    # other strings are a schema, a format, dates and amounts); a colon written
    # as an escape is not counted in the text, so the fast path gives up on one.
    if colons != keys and (
        colons != keys + "".join(texts).count(":") or _escapes_a_colon(document)
    ):
        return None
    return report


def _escapes_a_colon(document: str | bytes | bytearray) -> bool:
    r"""Return whether ``document`` may write a colon as an escape (``\\u003a``)."""
    if isinstance(document, str):
        return document.find("\\") >= 0 and _ESCAPED_COLON.search(document) is not None
    return document.find(b"\\") >= 0 and _ESCAPED_COLON_BYTES.search(document) is not None


def _texts_of(report: Report) -> list[str]:
    """Return every text of ``report`` (:meth:`Report.texts`): organ, title, prose."""
    texts = [report.organ, *report.preamble]
    if report.title is not None:
        texts.append(report.title)
    for key in _PROSE_KEYS:
        prose: Prose = getattr(report, key)
        texts += prose.paragraphs
        for sub in prose.subsections:
            texts.append(sub.heading)
            texts += sub.paragraphs
    return texts


def _publishable(texts: list[str]) -> bool:
    """Return whether every one of ``texts`` is a text (:func:`text_problem` finds nothing)."""
    joined = "".join(texts)
    # Every unpublishable character is unprintable (Cc, Cs, Cn, Zl, Zp), and the only
    # printable whitespace is U+0020 (the zero-width ones are Cf, unprintable too): in a
    # printable text, a text is blank or has space at an end exactly when it is empty or
    # starts or ends with U+0020, told without a search per text.
    if joined.isprintable():
        if " " not in joined:
            return all(texts)
        return all(text and text[0] != " " and text[-1] != " " for text in texts)
    if find_unpublishable(joined):
        return False
    return all(
        NON_BLANK.search(text) and not text[0].isspace() and not text[-1].isspace()
        for text in texts
    )


_PROSE_KEYS: Final = tuple(
    field.name for field in attrs.fields(Report) if getattr(field.default, "factory", None) is Prose
)


def _fast_texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise _DoubtError
    _concat(value)  # a TypeError unless every item is a string
    return tuple(value)


_concat: Final = "".join


def _class_of(field: attrs.Attribute[Any]) -> type:
    factory = getattr(field.default, "factory", None)
    assert isinstance(factory, type), field
    assert attrs.has(factory), field
    return factory


class _Source:
    """The statements of one generated builder, and the names they use."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.lines: list[str] = []
        self.namespace = namespace
        self.names = 0
        self.keys = 0  # the keys of the objects read, but those of the prose sections
        # The counts and changes read, checked together at the end (in C loops).
        self.counts: list[str] = []
        self.signed: list[str] = []
        # The local holding each value read, by its dotted path from the report.
        self.locals: dict[str, str] = {}

    def name(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def add(self, line: str) -> None:
        self.lines.append("    " + line)

    def draft(self, cls: type) -> str:
        """Return the name of :func:`~gipreport._core.values.draft_class` of ``cls`` here."""
        name = f"_Draft{cls.__name__}"
        self.namespace[name] = draft_class(cls)
        return name


def _read_value(source: _Source, cls: type, field: attrs.Attribute[Any], kind: str, v: str) -> None:
    """Add the statements that check (or convert, in place) the value in the local ``v``."""
    if kind == "count":
        source.counts.append(v)  # checked with the others, at the end
    elif kind == "signed":
        source.signed.append(v)
    elif kind == "format":
        pass  # FORMAT: checked with the schema
    elif kind == "text":
        # Judged with the report's other texts (_publishable): here only its type.
        source.add(f"if type({v}) is not str:")
        source.add("    raise _DoubtError")
    elif kind == "optional_text":
        source.add(f"if {v} is not None and type({v}) is not str:")
        source.add("    raise _DoubtError")
    elif kind == "texts":
        source.add(f"{v} = _fast_texts({v})")
    else:
        hook = f"_hook_{kind}"
        source.namespace[hook] = _HOOKS[kind]
        source.add(f"{v} = {hook}({v}, None)")
        if field.converter is not None:
            converter = f"_convert_{cls.__name__}_{field.name}"
            source.namespace[converter] = field.converter
            source.add(f"{v} = {converter}({v})")


def _read_object(
    source: _Source, cls: type, obj: str, tables: Mapping[str, type], prefix: str = ""
) -> str:
    """Add the statements that make the ``cls`` of the JSON object ``obj``; return its name.

    ``prefix`` is the dotted path of the object in the report (``""`` for the report).
    """
    fields = attrs.fields(cls)
    keys = (("schema",) if cls is Report else ()) + tuple(field.name for field in fields)
    source.keys += len(keys)
    raw = [source.name("x") for _ in keys]
    source.add(f"if type({obj}) is not dict or len({obj}) != {len(keys)}:")
    source.add("    raise _DoubtError")
    for key, item in zip(keys, raw, strict=True):
        source.add(f"{item} = {obj}[{key!r}]")
    if cls is Report:
        source.add(f"if {raw[0]} != SCHEMA_ID or {raw[1]} != FORMAT:")
        source.add("    raise _DoubtError")
        raw = raw[1:]
    values: list[str] = []
    for field, v in zip(fields, raw, strict=True):
        source.locals[prefix + field.name] = v
        kind = field.metadata.get(KIND)
        if kind is not None:
            _read_value(source, cls, field, kind, v)
        elif field.name not in tables and _class_of(field) is Prose:
            source.add(f"{v}, n = _prose({v})")
            source.add("k += n")
        else:
            part = tables.get(field.name) or _class_of(field)
            v = _read_object(source, part, v, {}, f"{prefix}{field.name}.")  # noqa: PLW2901
        values.append(v)
    o = source.name("o")
    source.namespace[cls.__name__] = cls
    source.add(f"{o} = _new({source.draft(cls)})")
    for field, v in zip(fields, values, strict=True):
        source.add(f"{o}.{field.name} = {v}")
    source.add(f"{o}.__class__ = {cls.__name__}")
    return o


def _prose_builder(namespace: dict[str, Any]) -> Callable[[Any], tuple[Prose, int]]:
    assert [field.name for field in attrs.fields(Prose)] == ["paragraphs", "subsections"]
    assert [field.name for field in attrs.fields(Subsection)] == ["heading", "paragraphs"]
    draft_prose, draft_subsection = draft_class(Prose), draft_class(Subsection)
    new = object.__new__

    def prose(value: Any) -> tuple[Prose, int]:
        # The prose object and its keys (2, and 2 per subsection).
        if type(value) is not dict or len(value) != 2:
            raise _DoubtError
        paragraphs = _fast_texts(value["paragraphs"])
        items = value["subsections"]
        if type(items) is not list:
            raise _DoubtError
        subsections = []
        for item in items:
            if type(item) is not dict or len(item) != 2:
                raise _DoubtError
            heading = item["heading"]
            if type(heading) is not str:
                raise _DoubtError
            sub: Any = new(draft_subsection)
            sub.heading = heading
            sub.paragraphs = _fast_texts(item["paragraphs"])
            sub.__class__ = Subsection
            subsections.append(sub)
        obj: Any = new(draft_prose)
        obj.paragraphs = paragraphs
        obj.subsections = tuple(subsections)
        obj.__class__ = Prose
        return obj, 2 + 2 * len(subsections)

    return prose


# The cell values of the reports the fast path made, by the report's id, held while
# the report lives (a weak reference's callback forgets them). The loader has every
# value in hand; reading them again from a report just made would touch every
# object of its tables once more.
_LOADED_CELLS: dict[int, tuple[weakref.ref[Report], tuple[Any, ...]]] = {}


def _remember_cells(report: Report, cells: tuple[Any, ...]) -> None:
    key = id(report)
    _LOADED_CELLS[key] = (weakref.ref(report, lambda _: _LOADED_CELLS.pop(key, None)), cells)


def loaded_cells(report: Report) -> tuple[Any, ...] | None:
    """Return the values of ``report``'s cells in the form's reading order, if it was loaded.

    For a report :func:`load_json` made by its fast path, the values as it read
    them (the very objects the report holds); ``None`` for any other report.
    """
    found = _LOADED_CELLS.get(id(report))
    if found is not None and found[0]() is report:
        return found[1]
    return None


def _fast_builder(format_id: object) -> Callable[[dict[str, Any]], tuple[Report, int]] | None:
    """Return ``build(d)`` of a format (the report of the parsed ``d`` and its key count).

    ``None`` for anything that is not a format's id. Each format's is generated on
    its first document: a run that loads one format compiles only its builder.
    """
    if type(format_id) is not str or format_id not in TABLE_CLASSES:
        return None
    return _fast_builder_of(format_id)


@functools.cache
def _fast_builder_of(format_id: str) -> Callable[[dict[str, Any]], tuple[Report, int]]:
    tables = TABLE_CLASSES[format_id]
    namespace: dict[str, Any] = {
        "_DoubtError": _DoubtError,
        "_new": object.__new__,
        "_fast_texts": _fast_texts,
        "MAX": MAX_COUNT,
        "_COUNT_TYPES": frozenset({int, type(None)}),
        "_remember": _remember_cells,
        "_set": set,
    }
    namespace["_prose"] = _prose_builder(namespace)
    source = _Source(namespace)
    source.add("k = 0")
    namespace.update(SCHEMA_ID=SCHEMA_ID, FORMAT=format_id)
    report = _read_object(source, Report, "d", tables)
    # Every count an integer (not a boolean) or null, from 0 to MAX_COUNT; every
    # change an integer or null. filter(None, …) leaves out the nulls (and zeros).
    source.add(f"c = ({', '.join(source.counts)},)")
    source.add("if not _COUNT_TYPES.issuperset(map(type, c)):")
    source.add("    raise _DoubtError")
    # The range on the distinct values but 0 (a few dozen of some hundreds): the
    # types are known, so no boolean or number of another type hides in the set.
    source.add("s = _set(filter(None, c))")
    source.add("if s and (min(s) < 0 or max(s) > MAX):")
    source.add("    raise _DoubtError")
    if source.signed:
        source.add(f"if not _COUNT_TYPES.issuperset(map(type, ({', '.join(source.signed)},))):")
        source.add("    raise _DoubtError")
    # The values of the form's cells, in its reading order, as the checks read
    # them (held beside the report by _remember_cells).
    cells = ", ".join(source.locals[spec.path] for spec in form_for(format_id).cells)
    source.add(f"_remember({report}, ({cells},))")
    text = (
        "def build(d):\n" + "\n".join(source.lines) + f"\n    return {report}, k + {source.keys}\n"
    )
    exec(compile(text, f"<gipreport load {format_id}>", "exec"), namespace)
    build: Callable[[dict[str, Any]], tuple[Report, int]] = namespace["build"]
    return build


def _structure(data: Any) -> Report:
    try:
        report = _converter().structure(data, Report)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a LoadError
        problems = list(_problems(exc, ""))
    else:
        assert isinstance(report, Report)
        return report
    # Raised outside the handler: no __context__ holds cattrs's error, which does not
    # pickle where the traceback is pickled with the exception (Dask's workers, tblib).
    raise LoadError(problems)


def _plain(value: Any, path: str, problems: list[Problem]) -> Any:
    """Return parsed data as :func:`load_json`'s parser gives it (floats as Decimal)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            problems.append(
                Problem.about(path, f"{value} is not a JSON number", "json_invalid", None)
            )
            return None
        return Decimal(repr(value))  # the shortest text that is this float, as JSON writes it
    if isinstance(value, Mapping):
        obj = _Object()
        for key, item in value.items():
            if not isinstance(key, str):
                msg = f"a key must be a string, got {_type_name(key)}"
                problems.append(Problem.about(path, msg, "object_type", key))
                continue
            obj[key] = _plain(item, _join(path, key), problems)
        return obj
    if isinstance(value, list | tuple):
        return [_plain(item, _join(path, index), problems) for index, item in enumerate(value)]
    return value


def from_dict(data: Mapping[str, Any]) -> Report:
    """Return the report in a document already parsed into Python data, like :func:`load_json`.

    The counterpart of :func:`to_dict` (as pydantic's ``model_validate`` is of
    ``model_dump``), for a document that came from ``json.loads``, a database or
    a web framework: just as strict, with the same :class:`LoadError`. A Python
    ``float`` counts as the JSON number it prints as (``18.871`` for the fee; a
    count is never a float), tuples as arrays.

        >>> import gipreport
        >>> report = gipreport.examples.mingan_2023()
        >>> from_dict(to_dict(report)) == report
        True
    """
    problems: list[Problem] = []
    plain = _plain(data, "", problems)
    if problems:
        raise LoadError(problems)
    return _structure(plain)


def to_dict(report: Report) -> dict[str, Any]:
    """Return ``report`` as the JSON document's data: ``json.loads(dump_json(report))``.

    Plain Python data (dicts, lists, strings, integers, ``None``; the fee as a
    string, dates as ISO strings) in the order of the specification;
    :func:`from_dict` gives the report back.
    """
    if not isinstance(cast(object, report), Report):  # untyped callers
        msg = f"expected a gipreport.Report, got {type(report).__name__}"
        raise TypeError(msg)
    data = _converter().unstructure(report)
    assert isinstance(data, dict)
    return data


def dump_json(report: Report) -> str:
    """Return ``report`` as a JSON document (version 1).

    Keys in the order of the specification, two-space indent, non-ASCII
    characters as themselves, a final newline. The same report always gives the
    same text, and :func:`load_json` gives the report back.
    """
    if not isinstance(cast(object, report), Report):  # untyped callers
        msg = f"expected a gipreport.Report, got {type(report).__name__}"
        raise TypeError(msg)
    return _fast_dumper(report.format)(report)


# The text of json.dumps(to_dict(report), ensure_ascii=False, indent=2), written by
# straight-line code generated once per format: the layout (keys, braces,
# indentation) is constant text, only the values are encoded. A test says both
# give the same text on generated reports of both formats.

_encode_string: Final = json.encoder.encode_basestring


def _json_texts(texts: tuple[str, ...], indent: str) -> list[str]:
    """Return the pieces of the JSON array of ``texts`` at ``indent``: its brackets and items.

    Pieces, not their text: the dump joins every piece of the document at once. Text
    made of text here would be copied again into the document, and at a megabyte of
    prose each copy is a fresh allocation the system maps and zeroes (``dump_json``
    of a 1 MB report took twice the time per byte of a 256 KB one).
    """
    if not texts:
        return ["[]"]
    inner = indent + "  "
    return [f"[\n{inner}", f",\n{inner}".join([_encode_string(t) for t in texts]), f"\n{indent}]"]


def _json_subsections(subsections: tuple[Subsection, ...], indent: str) -> list[str]:
    """Return the pieces of the JSON array of ``subsections`` at ``indent`` (see _json_texts)."""
    if not subsections:
        return ["[]"]
    inner = indent + "  "
    key = inner + "  "
    separator = f",\n{inner}"
    parts = [f"[\n{inner}"]
    for sub in subsections:
        paragraphs = "".join(_json_texts(sub.paragraphs, key))
        parts += (
            f'{{\n{key}"heading": {_encode_string(sub.heading)},\n'
            f'{key}"paragraphs": {paragraphs}\n{inner}}}',
            separator,
        )
    parts[-1] = f"\n{indent}]"
    return parts


def _json_count(value: int | None) -> str:
    return "null" if value is None else int.__repr__(value)


def _json_amount(value: Decimal | None) -> str:
    return "null" if value is None else '"' + format(value, "f") + '"'


def _json_optional_text(value: str | None) -> str:
    return "null" if value is None else _encode_string(value)


def _json_date(value: dt.date | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


class _Code(str):
    """A piece of generated dump code that is an expression, not text (``*call``: its pieces)."""

    __slots__ = ()


_JSON_VALUE: Final = {
    # A count inline (no call per cell), its text looked up if it is under 1,000
    # (model.COUNT_TEXTS), else made (int.__repr__, as _json_count does).
    "count": "('null' if (x := {}) is None else _SMALL[x] if x < _SMALL_END else _int_repr(x))",
    "signed": "('null' if (x := {}) is None else _int_repr(x))",
    "amount": "_json_amount({})",
    "text": "_encode_string({})",
    "optional_text": "_json_optional_text({})",
    "date": "_json_date({})",
    "year": "int.__repr__({})",
    "format": "_encode_string({})",
}


def _dump_parts(
    cls: type,
    expr: str,
    depth: int,
    tables: Mapping[str, type] | None = None,
    names: Iterator[int] | None = None,
) -> list[str]:
    """Return the pieces of the JSON text of the ``cls`` at ``expr``: text or :class:`_Code`."""
    names = itertools.count() if names is None else names
    indent = "  " * depth
    inner = indent + "  "
    fields = attrs.fields(cls)
    parts: list[str] = ["{"]
    items: list[list[str]] = []
    if cls is Report:
        items.append([f'\n{inner}"schema": ' + json.dumps(SCHEMA_ID)])
    # The object is read once: its first field's expression names it (``o3``) for
    # the others, as the pieces are evaluated in order.
    obj = f"o{next(names)}" if depth else expr
    for number, field in enumerate(fields):
        value = f"({obj} := {expr}).{field.name}" if depth and not number else f"{obj}.{field.name}"
        head = f'\n{inner}"{field.name}": '
        kind = field.metadata.get(KIND)
        if (cls, field.name) in _PLAIN_TEXT:
            kind = "text"
        if kind == "texts":
            items.append([head, _Code(f"*_json_texts({value}, {inner!r})")])
        elif kind is not None:
            items.append([head, _Code(_JSON_VALUE[kind].format(value))])
        elif cls is Prose and field.name == "subsections":
            items.append([head, _Code(f"*_json_subsections({value}, {inner!r})")])
        else:
            part = tables[field.name] if tables and field.name in tables else _class_of(field)
            items.append([head, *_dump_parts(part, value, depth + 1, names=names)])
    if not items:
        return ["{}"]
    for number, item in enumerate(items):
        if number:
            parts.append(",")
        parts += item
    parts.append(f"\n{indent}}}")
    return parts


@functools.cache
def _fast_dumper(format_id: str) -> Callable[[Report], str]:
    """Return ``dump(r)`` of a format, generated on its first report."""
    tables = TABLE_CLASSES[format_id]
    namespace: dict[str, Any] = {
        name: globals()[name]
        for name in (
            "_encode_string",
            "_json_texts",
            "_json_subsections",
            "_json_count",
            "_json_amount",
            "_json_optional_text",
            "_json_date",
        )
    }
    namespace["_int_repr"] = int.__repr__
    namespace["_SMALL"] = COUNT_TEXTS
    namespace["_SMALL_END"] = len(COUNT_TEXTS)
    # Adjacent pieces of text are joined once, here: the layout is constant text.
    merged: list[str] = []
    text = ""
    for part in [*_dump_parts(Report, "r", 0, tables), "\n"]:
        if isinstance(part, _Code):
            merged += [repr(text), part] if text else [part]
            text = ""
        else:
            text += part
    merged.append(repr(text))
    source = (
        "def dump(r):\n    return ''.join([\n"
        + "".join(f"        {part},\n" for part in merged)
        + "    ])\n"
    )
    exec(compile(source, f"<gipreport dump {format_id}>", "exec"), namespace)
    dump: Callable[[Report], str] = namespace.pop("dump")
    return dump


# --- JSON Schema --------------------------------------------------------------------


def json_schema(format_id: str | None = None) -> dict[str, Any]:
    """Return a JSON Schema (draft 2020-12) of the document, generated from the form.

    By default the schema covers every format: a document's ``format`` chooses
    the tables it must have (``if``/``then`` on ``format``), and the top-level
    ``properties`` describe the union of the formats' keys for their titles.
    ``format_id`` (``"2021"`` or ``"2019"``) gives the schema of that format alone.

    Every property has the Chinese label of its field as ``title``.
    :func:`load_json` accepts exactly the documents this schema accepts, but for
    three rules JSON Schema cannot express, stated in the schema's ``$comment``:
    a number with a fraction part (``3.0``) is never a count, a JSON number
    given as the fee has at most 12 decimal places, and no string holds a lone
    surrogate.
    Validate with format assertion on (``format: date``).
    """
    if format_id is not None:
        form = FORMATS[format_id] if format_id in FORMATS else form_for(format_id)
        return _document_schema(
            title=f"format {form.id}", properties=_properties(form), conditions=[]
        )
    forms = [FORMATS[key] for key in sorted(FORMATS, reverse=True)]  # 2021 first: the default
    merged: dict[str, Any] = {}
    for form in forms:
        merged = _merge(merged, _properties(form))
    merged["format"] = {**merged["format"], "enum": [form.id for form in forms]}
    del merged["format"]["const"]
    tables = [section.key for section in forms[0].sections if section.kind == "table"]
    conditions = [
        {
            "if": {
                "properties": {"format": {"title": merged["format"]["title"], "const": form.id}},
                "required": ["format"],
            },
            "then": {"properties": {key: _properties(form)[key] for key in tables}},
        }
        for form in forms
    ]
    listed = ", ".join(form.id for form in forms)
    return _document_schema(title=f"formats {listed}", properties=merged, conditions=conditions)


def _properties(form: FormSpec) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "schema": {"title": "文档版本", "const": SCHEMA_ID},
        "format": {"title": form.header_field("format").label, "const": form.id},
        "organ": _non_blank(form.header_field("organ").label),
        "year": {
            "title": form.header_field("year").label,
            "type": "integer",
            "minimum": FIRST_YEAR,
            "maximum": LAST_YEAR,
        },
        "title": {**_non_blank(form.header_field("title").label), "type": ["string", "null"]},
        "published_on": {
            "title": form.header_field("published_on").label,
            "type": ["string", "null"],
            "pattern": f"^{_DATE.pattern}$",
            "format": "date",
        },
        "preamble": {"title": form.header_field("preamble").label, **_texts()},
    }
    for section in form.sections:
        if section.kind == "prose":
            properties[section.key] = {"title": section.heading, "$ref": "#/$defs/prose"}
        else:
            properties[section.key] = _table_schema(form.table(section.key), section.heading)
    return properties


def _merge(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    # The properties of two formats as one, for titles: keys of both, the first's
    # where both have a key, objects merged key by key. What a document must hold
    # is said by its format's branch, so the merged objects are open.
    merged = dict(first)
    for key, schema in second.items():
        mine = merged.get(key)
        if mine is None:
            merged[key] = schema
        elif "properties" in mine and "properties" in schema and mine != schema:
            merged[key] = {
                "title": mine["title"],
                "type": "object",
                "properties": _merge(mine["properties"], schema["properties"]),
            }
    return merged


def _document_schema(
    *, title: str, properties: dict[str, Any], conditions: list[dict[str, Any]]
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gipreport.invalid/schema/gipreport-1.json",
        "title": f"政府信息公开工作年度报告 ({SCHEMA_ID}, {title})",
        "$comment": (
            "Stricter than JSON Schema can say: a count is a JSON integer written "
            "without a fraction or exponent (3.0 is an error), a fee given as a "
            f"JSON number has at most {MAX_AMOUNT_PLACES} decimal places, and no string "
            "holds a lone surrogate (an escape such as \\ud800 that is not a character) or an "
            "astral noncharacter (U+1FFFE, …)."
        ),
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if conditions:
        schema["allOf"] = conditions
    schema["$defs"] = _defs()
    return schema


_UNPUBLISHABLE_BMP: Final = (
    "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ufdd0-\\ufdef\\ufffe\\uffff"
)
TEXT_PATTERN: Final = (
    "^(?!\\s)(?=[\\s\\S]*[^\\s\\u200b\\ufeff])"
    f"[^{_UNPUBLISHABLE_BMP}]*[^\\s{_UNPUBLISHABLE_BMP}](?![\\s\\S])"
)
"""A text of a report as a JSON Schema pattern (ECMA 262 and Python ``re`` alike): one
line, not blank (nor only zero-width characters, U+200B and U+FEFF), no whitespace at
either end, no control character or BMP noncharacter
(:func:`gipreport._core.model.text_problem` says the rest: lone surrogates, astral
noncharacters)."""


def _non_blank(title: str) -> dict[str, Any]:
    return {"title": title, "type": "string", "pattern": TEXT_PATTERN}


def _texts() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "pattern": TEXT_PATTERN}}


def _defs() -> dict[str, Any]:
    return {
        "count": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_COUNT},
        "signed": {"type": ["integer", "null"]},
        "amount": {
            "anyOf": [
                {"type": "string", "pattern": f"^{_AMOUNT_TEXT.pattern}$"},
                {"type": "number", "minimum": 0, "exclusiveMaximum": int(MAX_AMOUNT)},
                {"type": "null"},
            ]
        },
        "prose": {
            "type": "object",
            "properties": {
                "paragraphs": {"title": "段落", **_texts()},
                "subsections": {
                    "title": "小标题",
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "heading": {
                                "title": "小标题文字",
                                "type": "string",
                                "pattern": TEXT_PATTERN,
                            },
                            "paragraphs": {"title": "段落", **_texts()},
                        },
                        "required": ["heading", "paragraphs"],
                        "additionalProperties": False,
                    },
                },
            },
            "required": ["paragraphs", "subsections"],
            "additionalProperties": False,
        },
    }


def _object(properties: dict[str, Any], title: str) -> dict[str, Any]:
    return {
        "title": title,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _column_schema(column: Column) -> dict[str, Any]:
    return {"title": f"{column.label}（{column.unit}）", "$ref": f"#/$defs/{column.kind}"}


def _row_schema(row: Row) -> dict[str, Any]:
    if row.is_leaf:
        properties = {column.key: _column_schema(column) for column in row.columns}
    else:
        properties = _rows_properties(row.children)
    return _object(properties, row.label)


def _rows_properties(rows: tuple[Row, ...]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for row in rows:
        if row.layout_only:
            properties.update(_rows_properties(row.children))
        else:
            properties[row.key] = _row_schema(row)
    return properties


def _table_schema(table: TableSpec, title: str) -> dict[str, Any]:
    return _object(_rows_properties(table.rows), title)
