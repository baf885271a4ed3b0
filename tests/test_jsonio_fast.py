"""The fast path of load_json and the cattrs converter agree on every document.

load_json first tries straight-line code generated per format; on any doubt
(an error, a duplicate key, anything unexpected) it takes the converter's path,
which names every problem. The law: whatever the fast path accepts, the
converter accepts too and gives the same report; and load_json's result or
error is the converter's, on valid documents and on invalid ones made by
mutating valid ones. Each law runs on both of the fast path's parsers: orjson
(the ``fast`` extra, taken where it is installed) and the standard library's.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any, Final

import attrs
import hypothesis.strategies as st
import orjson
import pytest
from hypothesis import HealthCheck, given, settings

import gipreport
from budget_support import examples, reports
from gipreport import LoadError, Report, dump_json, load_json
from gipreport._core import jsonio
from gipreport._core.model import MAX_COUNT

Path = tuple[str | int, ...]

# The fast path's parsers: the law must hold whichever is installed.
PARSERS = pytest.mark.parametrize(
    "parse", [orjson.loads, jsonio._stdlib_parse], ids=["orjson", "stdlib"]
)

ODD_VALUES: tuple[Any, ...] = (
    None,
    -1,
    0,
    7,
    1.5,
    2.0,
    True,
    "3",
    "",
    " ",
    "\ud800",
    "18.8710",
    "1e3",
    "-0",
    10**20,
    MAX_COUNT,
    MAX_COUNT + 1,
    [],
    ["a"],
    [1],
    {},
    {"heading": "x", "paragraphs": []},
    "2024-02-30",
    "2024-01-10",
    2023,
    "2021",
    "2019",
)


def _paths(value: Any, path: Path = ()) -> list[Path]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _parent(document: Any, path: Path) -> Any:
    for key in path[:-1]:
        document = document[key]
    return document


def _outcome(text: str) -> tuple[str, Any]:
    try:
        report = jsonio._structure(jsonio._parse(text))
    except LoadError as error:
        return "error", error.problems
    return "report", dump_json(report)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A valid document, or one mutated from a valid one (as text)."""
    report = draw(st.sampled_from(("2021", "2019")).flatmap(lambda fmt: reports(format=fmt)))
    document = json.loads(dump_json(report))
    for _ in range(draw(st.integers(0, 3))):
        paths = [path for path in _paths(document) if path]
        path = draw(st.sampled_from(paths))
        parent = _parent(document, path)
        action = draw(st.sampled_from(("replace", "delete", "add")))
        if action == "replace":
            parent[path[-1]] = draw(st.sampled_from(ODD_VALUES))
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(("extra", "schema", "format", "total")))] = 0
        else:
            parent.append(draw(st.sampled_from(ODD_VALUES)))
    text = json.dumps(
        document, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from((None, 2)))
    )
    if draw(st.booleans()) and '{"' in text.replace("{\n  ", "{"):
        # A duplicate key, which only the text can hold.
        compact = text.replace("{\n  ", "{")
        at = compact.index(
            '{"', draw(st.integers(0, len(compact) - 2)) % max(1, compact.rindex('{"'))
        )
        end = compact.index('":', at)
        key = compact[at + 1 : end + 1]
        text = compact[: at + 1] + f"{key}: null, " + compact[at + 1 :]
    return text


@PARSERS
@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_fast_path_and_the_converter_agree(parse: jsonio.Parser, text: str) -> None:
    kind, expected = _outcome(text)
    fast = jsonio._load_fast(text, parse)
    if fast is not None:
        assert kind == "report", expected
        assert dump_json(fast) == expected
        assert fast == load_json(text)
    got: tuple[str, Any]
    try:
        got = ("report", dump_json(load_json(text)))
    except LoadError as error:
        got = ("error", error.problems)
    assert got == (kind, expected)


@PARSERS
def test_the_fast_path_reads_valid_documents_of_both_formats(parse: jsonio.Parser) -> None:
    # It must not give up on what it is for: a valid document, as text or bytes.
    example = gipreport.examples.mingan_2023()
    old = gipreport.blank_report("某县人民政府", 2020, format_id="2019")
    for report in (example, old, example.with_cells({"proactive.fees.amount": None})):
        text = dump_json(report)
        for document in (text, text.encode(), "\ufeff" + text):
            fast = jsonio._load_fast(document, parse)
            assert isinstance(fast, Report)
            assert fast == report
            assert dump_json(fast) == text


@PARSERS
def test_the_fast_path_gives_up_on_what_it_does_not_check(parse: jsonio.Parser) -> None:
    text = dump_json(gipreport.examples.mingan_2023())
    duplicate = text.replace('"issued": 0,', '"issued": 0, "issued": 1,', 1)
    for document in (
        duplicate,
        text.replace('"issued": 0', '"issued": 0.0', 1),
        text.replace('"issued": 0', '"issued": -1', 1),
        text.replace('"issued": 0', '"issued": true', 1),
        text.replace('"format": "2021"', '"format": "2019"', 1),
        text.replace('"schema": "gipreport/1"', '"schema": "gipreport/2"', 1),
        text.replace('"title": null,', '"title": null, "extra": 1,', 1),
        text.replace('"title": null,', "", 1),
        "[]",
        "{",
    ):
        assert jsonio._load_fast(document, parse) is None
        assert jsonio._load_fast(document.encode(), parse) is None


@PARSERS
def test_every_value_replaced_by_every_odd_value(parse: jsonio.Parser) -> None:
    # Exhaustive where the law samples: each value of a document of each format
    # replaced by each odd value; whatever the fast path accepts, the converter
    # gives the same report for.
    accepted = 0
    for report in (
        gipreport.examples.mingan_2023(),
        gipreport.blank_report("某县人民政府", 2020, format_id="2019"),
    ):
        document = json.loads(dump_json(report))
        for path in _paths(document):
            if not path:
                continue
            parent = _parent(document, path)
            kept = parent[path[-1]]
            odd: tuple[Any, ...] = (
                *(None, -1, 7, 1.5, True, "3", "", "\ud800", 10**20, [], {}),
                *(MAX_COUNT, MAX_COUNT + 1, -MAX_COUNT - 1),
            )
            for value in odd:
                parent[path[-1]] = value
                text = json.dumps(document)
                fast = jsonio._load_fast(text, parse)
                if fast is not None:
                    accepted += 1
                    assert _outcome(text) == ("report", dump_json(fast)), (path, value)
            parent[path[-1]] = kept
    assert accepted > 100  # the valid replacements (0 and 7 in a count, …) are read fast


def _converter_text(report: Report) -> str:
    data = jsonio._converter().unstructure(report)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(("2021", "2019")).flatmap(
        lambda fmt: st.booleans().flatmap(lambda blanks: reports(format=fmt, blanks=blanks))
    ),
    st.sampled_from((None, "某某县2023年政府信息公开工作年度报告", '引号"与\\反斜杠')),
)
def test_dump_json_writes_what_the_converter_and_json_dumps_write(
    report: Report, title: str | None
) -> None:
    report = attrs.evolve(report, title=title)
    assert dump_json(report) == _converter_text(report)


def test_dump_json_of_the_bundled_and_blank_reports() -> None:
    for report in (
        gipreport.examples.mingan_2023(),
        gipreport.blank_report("某县人民政府", 2020, format_id="2019"),
        gipreport.blank_report("某县人民政府", 2023, blank=True),
        gipreport.examples.mingan_2023().with_cells({"proactive.fees.amount": Decimal("-0")}),
    ):
        assert dump_json(report) == _converter_text(report)


@pytest.mark.parametrize("count", [0, 1, 9, 10, 999, 1000, 1001, 65536, MAX_COUNT])
def test_dump_json_writes_counts_looked_up_and_made_alike(count: int) -> None:
    # Counts under 1,000 are looked up (model.COUNT_TEXTS), larger ones made.
    report = gipreport.examples.mingan_2023().with_cells(
        {"requests.new_received.commercial": count, "proactive.rules.issued": count}
    )
    assert dump_json(report) == _converter_text(report)
    assert f'"commercial": {count},' in dump_json(report)


# The fast path checks two facts on the whole text, not per value: a duplicate key
# (one colon per key, plus those in the texts) and a lone surrogate. The texts
# below put colons, escaped colons and surrogates where those checks must see them.

_TRICKY_TEXTS: tuple[str, ...] = (
    "网址http://www.example.gov.cn，电话：0478-2651040",
    "时间10:30:00",
    ":",
    "\\u003a",
    "😀",
    "a\ud800b",
    "\udc00",
    '引号"与\\反斜杠',
)


@st.composite
def tricky_documents(draw: st.DrawFn) -> str:
    """A document with colons, escapes or surrogates in its texts, maybe a duplicate key."""
    report = draw(st.sampled_from(("2021", "2019")).flatmap(lambda fmt: reports(format=fmt)))
    document = json.loads(dump_json(report))
    texts = [
        path
        for path in _paths(document)
        if path
        and isinstance(_parent(document, path)[path[-1]], str)
        and path[0] not in ("schema", "format", "published_on")
        and path[-1] != "amount"
    ]
    for path in draw(st.lists(st.sampled_from(texts), max_size=3)):
        _parent(document, path)[path[-1]] = draw(st.sampled_from(_TRICKY_TEXTS))
    text = json.dumps(document, ensure_ascii=draw(st.booleans()), indent=2)
    if draw(st.booleans()):
        text = text.replace(":", "\\u003a", 1) if draw(st.booleans()) else text
    if draw(st.booleans()):
        # A duplicate key whose dropped value holds colons (or is an object).
        dropped = draw(st.sampled_from(('"a:b"', '{"x": 1}', "null", '"\\u003a"')))
        at = text.index("\n  ", draw(st.integers(0, len(text) // 2)))
        end = text.index('":', at)
        key = text[at + 3 : end + 1]
        text = text[: at + 3] + f"{key}: {dropped},\n  " + text[at + 3 :]
    return text


@PARSERS
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tricky_documents())
def test_the_fast_path_sees_colons_escapes_and_surrogates(parse: jsonio.Parser, text: str) -> None:
    kind, expected = _outcome(text)
    documents: list[str | bytes] = [text]
    if not jsonio._LONE_SURROGATE.search(text):
        documents.append(text.encode())
    for document in documents:
        fast = jsonio._load_fast(document, parse)
        if fast is not None:
            assert kind == "report", expected
            assert dump_json(fast) == expected
    got: tuple[str, Any]
    try:
        got = ("report", dump_json(load_json(text)))
    except LoadError as error:
        got = ("error", error.problems)
    assert got == (kind, expected)


@PARSERS
def test_the_fast_path_reads_texts_with_colons_and_gives_up_on_a_duplicate(
    parse: jsonio.Parser,
) -> None:
    report = attrs.evolve(gipreport.examples.mingan_2023(), title="标题：网址http://x.gov.cn 10:30")
    text = dump_json(report)
    assert jsonio._load_fast(text, parse) == report
    assert jsonio._load_fast(text.encode(), parse) == report
    # The colons of the dropped value and the kept title balance but for the key's own.
    duplicate = text.replace('"title": ', '"title": "a:b", "title": ', 1)
    assert jsonio._load_fast(duplicate, parse) is None
    escaped = text.replace('"title": "标题：', '"title": "标题\\u003a', 1)
    assert jsonio._load_fast(escaped, parse) is None  # an escaped colon: not counted, so given up
    assert load_json(escaped).title == "标题:网址http://x.gov.cn 10:30"
    surrogate = text.replace('"title": "', '"title": "\\ud800', 1)
    assert jsonio._load_fast(surrogate, parse) is None
    pair = text.replace('"title": "', '"title": "\\ud83d\\ude00', 1)
    assert jsonio._load_fast(pair, parse) == attrs.evolve(report, title="😀" + report.title)  # type: ignore[operator]


def _objects(value: Any) -> list[Any]:
    found = [value]
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            found += _objects(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            found += _objects(item)
    return found


@PARSERS
def test_the_fast_path_makes_objects_of_the_model_classes_alone(parse: jsonio.Parser) -> None:
    # It assigns the slots of a draft subclass, then makes each object its model
    # class: none may stay a draft, frozen must hold, and each is what attrs makes.
    example = gipreport.examples.mingan_2023()
    old = gipreport.blank_report("某县人民政府", 2020, format_id="2019")
    for report in (example, old):
        fast = jsonio._load_fast(dump_json(report), parse)
        assert fast is not None
        pairs = list(zip(_objects(fast), _objects(report), strict=True))
        assert len(pairs) > 50
        for made, expected in pairs:
            assert type(made) is type(expected)
            if attrs.has(type(made)):
                assert not type(made).__name__.startswith("_Draft")
                assert made == expected
                assert hash(made) == hash(expected)
                name = attrs.fields(type(made))[0].name
                with pytest.raises(attrs.exceptions.FrozenInstanceError):
                    setattr(made, name, None)


@PARSERS
@pytest.mark.parametrize("token", ["true", "false", "1.0", "0.0", "0e0", "1E0", "-1", "-0.0"])
def test_a_count_of_another_type_equal_to_an_other_count_is_not_read(
    token: str, parse: jsonio.Parser
) -> None:
    # The range of the counts is checked on their distinct values, where True is 1
    # and 0.0 is 0: their types must be checked each (a law, not the set).
    document = json.loads(dump_json(gipreport.examples.mingan_2023()))
    rules = document["proactive"]["rules"]
    rules["issued"], rules["repealed"], rules["in_force"] = 1, 0, "@@"
    text = json.dumps(document, ensure_ascii=False).replace('"@@"', token)
    assert jsonio._load_fast(text, parse) is None
    assert jsonio._load_fast(text.encode(), parse) is None
    with pytest.raises(LoadError) as caught:
        load_json(text)
    assert _outcome(text) == ("error", caught.value.problems)
    assert [problem.path for problem in caught.value.problems] == ["proactive.rules.in_force"]


@PARSERS
def test_the_fast_path_reads_keys_in_any_order(parse: jsonio.Parser) -> None:
    # The builder takes each key by name: a document whose keys are in another
    # order than dump_json's is read fast, to the same report.
    report = gipreport.examples.mingan_2023()

    def reverse(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: reverse(value[key]) for key in reversed(value)}
        if isinstance(value, list):
            return [reverse(item) for item in value]
        return value

    text = json.dumps(reverse(json.loads(dump_json(report))), ensure_ascii=False)
    assert not text.startswith('{"schema"')
    fast = jsonio._load_fast(text, parse)
    assert fast == report
    assert _outcome(text) == ("report", dump_json(report))


def test_the_fast_parser_is_orjson_where_installed_and_the_stdlib_without(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    jsonio._fast_parser.cache_clear()
    try:
        assert jsonio._fast_parser() is orjson.loads
        jsonio._fast_parser.cache_clear()
        monkeypatch.setitem(sys.modules, "orjson", None)  # as if not installed
        assert jsonio._fast_parser() is jsonio._stdlib_parse
        text = dump_json(gipreport.examples.mingan_2023())
        assert load_json(text.encode()) == gipreport.examples.mingan_2023()
    finally:
        monkeypatch.undo()
        jsonio._fast_parser.cache_clear()
    assert jsonio._fast_parser() is orjson.loads


# Where the two parsers differ: orjson parses an integer beyond 64 bits as a float
# and refuses a byte order mark, a lone surrogate and an infinite number; the
# standard library parses them (or refuses them with its own message). The fast
# path must give the converter's result (or give up) on each, with either parser.
_PARSER_EDGES: tuple[tuple[str, str], ...] = (
    ('"issued": 0', '"issued": 18446744073709551616'),
    ('"issued": 0', '"issued": 9007199254740992'),
    ('"issued": 0', '"issued": 1e400'),
    ('"issued": 0', '"issued": -0'),
    ('"title": null', '"title": "\\ud800"'),
    ('"title": null', '"title": "\\ud83d\\ude00"'),
    ('"title": null', '"title": "a\\u0000b"'),
    ('"title": null', '"title": NaN'),
    ('"title": null', '"title": "tab\there"'),
)

_READ_FAST: Final = {'"issued": -0', '"title": "\\ud83d\\ude00"'}


@PARSERS
@pytest.mark.parametrize(("old", "new"), _PARSER_EDGES)
@pytest.mark.parametrize("bom", [False, True])
def test_where_the_parsers_differ_the_result_is_the_converters(
    old: str, new: str, bom: bool, parse: jsonio.Parser
) -> None:
    text = dump_json(gipreport.examples.mingan_2023()).replace(old, new, 1)
    assert new in text
    expected = _outcome(text)
    for document in (("\ufeff" if bom else "") + text, ("\ufeff" * bom + text).encode()):
        fast = jsonio._load_fast(document, parse)
        if fast is not None:
            assert expected == ("report", dump_json(fast)), document[:40]
    # The valid ones are read fast by both parsers, with a byte order mark or not.
    assert (expected[0] == "report") is (new in _READ_FAST)
    if new in _READ_FAST:
        for document in (("\ufeff" if bom else "") + text, ("\ufeff" * bom + text).encode()):
            assert jsonio._load_fast(document, parse) is not None
