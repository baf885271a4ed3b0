"""JSON document version 1: round trips, strictness, every problem at once, schema parity."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from typing import Any

import jsonschema
import pytest

import gipreport
from gipreport import LoadError, Problem, Report, dump_json, json_schema, load_json
from gipreport.form import FORM_2021

EXAMPLE_TEXT = (resources.files("gipreport._core") / "data" / "mingan_2023.json").read_text("utf-8")

Doc = dict[str, Any]

# The document's keys in the order of JSON.md.
TOP_KEYS = [
    "schema",
    "format",
    "organ",
    "year",
    "title",
    "published_on",
    "preamble",
    "overview",
    "proactive",
    "requests",
    "appeals",
    "problems",
    "other_matters",
]


def example_doc() -> Doc:
    doc: Doc = json.loads(EXAMPLE_TEXT)
    return doc


def set_path(doc: Doc, path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node: Any = doc
    for key in parents:
        node = node[key]
    node[leaf] = value


def del_path(doc: Doc, path: str) -> None:
    *parents, leaf = path.split(".")
    node: Any = doc
    for key in parents:
        node = node[key]
    del node[leaf]


def problems_of(document: str | bytes) -> list[Problem]:
    with pytest.raises(LoadError) as info:
        load_json(document)
    return list(info.value.errors)


def paths_of(document: str | bytes) -> list[str]:
    return [problem.path for problem in problems_of(document)]


# --- round trips ---------------------------------------------------------------------


def test_example_round_trips_both_ways() -> None:
    report = load_json(EXAMPLE_TEXT)
    assert load_json(dump_json(report)) == report
    assert dump_json(load_json(EXAMPLE_TEXT)) == EXAMPLE_TEXT


def test_bytes_and_bom_are_accepted() -> None:
    report = load_json(EXAMPLE_TEXT)
    assert load_json(EXAMPLE_TEXT.encode()) == report
    assert load_json("\ufeff" + EXAMPLE_TEXT) == report


def test_dump_layout() -> None:
    text = dump_json(load_json(EXAMPLE_TEXT))
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert "\\u" not in text  # non-ASCII as itself
    assert '\n  "schema": "gipreport/1",\n  "format": "2021",' in text
    top_keys = list(json.loads(text))
    assert top_keys == TOP_KEYS


def test_dump_key_order_follows_the_form() -> None:
    doc = json.loads(dump_json(load_json(EXAMPLE_TEXT)))

    def leaf_paths(node: Any, prefix: str) -> list[str]:
        if isinstance(node, dict):
            return [p for key, sub in node.items() for p in leaf_paths(sub, f"{prefix}.{key}")]
        return [prefix]

    dumped = [
        path[1:]
        for table in ("proactive", "requests", "appeals")
        for path in leaf_paths(doc[table], f".{table}")
    ]
    assert dumped == [cell.path for cell in FORM_2021.cells]


def test_fee_keeps_its_digits() -> None:
    report = load_json(EXAMPLE_TEXT)
    for text in ("18.8710", "4068.208", "0.000000", "0", "517645", "0.123456789012"):
        changed = report.with_cell("proactive.fees.amount", Decimal(text))
        dumped = dump_json(changed)
        assert f'"amount": "{text}"' in dumped
        again = load_json(dumped)
        assert again.cell("proactive.fees.amount") == Decimal(text)
        assert str(again.cell("proactive.fees.amount")) == text


def test_fee_as_json_number_keeps_its_digits() -> None:
    doc = example_doc()
    text = EXAMPLE_TEXT.replace('"amount": "0"', '"amount": 18.8710')
    assert text != EXAMPLE_TEXT
    report = load_json(text)
    assert str(report.cell("proactive.fees.amount")) == "18.8710"
    assert '"amount": "18.8710"' in dump_json(report)
    set_path(doc, "proactive.fees.amount", 12)
    assert load_json(json.dumps(doc)).cell("proactive.fees.amount") == Decimal(12)


def test_fee_with_exponent_is_written_plainly() -> None:
    report = load_json(EXAMPLE_TEXT.replace('"amount": "0"', '"amount": 1.5e3'))
    assert report.cell("proactive.fees.amount") == Decimal(1500)
    assert '"amount": "1500"' in dump_json(report)


def test_null_is_blank_not_zero() -> None:
    doc = example_doc()
    set_path(doc, "requests.carried_forward.total", None)
    set_path(doc, "proactive.fees.amount", None)
    set_path(doc, "published_on", None)
    report = load_json(json.dumps(doc))
    assert report.cell("requests.carried_forward.total") is None
    assert report.cell("proactive.fees.amount") is None
    assert report.published_on is None
    assert load_json(dump_json(report)) == report


def test_title_null_means_the_standard_title() -> None:
    report = load_json(EXAMPLE_TEXT)
    assert report.title is None
    assert report.display_title == "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"


def test_dump_is_deterministic_and_rejects_non_reports() -> None:
    report = load_json(EXAMPLE_TEXT)
    assert dump_json(report) == dump_json(copy.deepcopy(report))
    with pytest.raises(TypeError, match=r"gipreport\.Report"):
        dump_json({"organ": "x"})  # type: ignore[arg-type]


def test_load_rejects_a_non_document_type() -> None:
    with pytest.raises(TypeError, match="str, bytes, a path or an open file"):
        load_json(123)  # type: ignore[arg-type]


# --- every problem, with its path ---------------------------------------------------


def test_five_mistakes_give_one_error_listing_all_five() -> None:
    doc = example_doc()
    set_path(doc, "requests.results.total.commercial", -3)
    set_path(doc, "requests.new_received.natural_person", 3.0)
    set_path(doc, "appeals.review.upheld", True)
    doc["overview"]["subsections"][2]["paragraphs"][0] = 7
    doc["proactive"]["rules"]["issud"] = 1
    problems = problems_of(json.dumps(doc))
    assert sorted(p.path for p in problems) == sorted(
        [
            "requests.results.total.commercial",
            "requests.new_received.natural_person",
            "appeals.review.upheld",
            "overview.subsections[2].paragraphs[0]",
            "proactive.rules.issud",
        ]
    )
    with pytest.raises(LoadError) as info:
        load_json(json.dumps(doc))
    text = str(info.value)
    assert text.startswith("5 problems in the document:")
    for problem in problems:
        assert problem.path in text
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, gipreport.GipReportError)


Mutation = Callable[[Doc], None]

REJECTED: list[tuple[str, Mutation, str, str]] = [
    (
        "negative count",
        lambda d: set_path(d, "appeals.review.total", -1),
        "appeals.review.total",
        "negative",
    ),
    (
        "float count",
        lambda d: set_path(d, "appeals.review.total", 1.5),
        "appeals.review.total",
        "integer",
    ),
    (
        "whole float count",
        lambda d: set_path(d, "requests.carried_over.research", 3.0),
        "requests.carried_over.research",
        "integer",
    ),
    (
        "bool count",
        lambda d: set_path(d, "proactive.penalty.decisions", False),
        "proactive.penalty.decisions",
        "boolean",
    ),
    (
        "numeric string count",
        lambda d: set_path(d, "proactive.licensing.decisions", "3"),
        "proactive.licensing.decisions",
        "string",
    ),
    (
        "unknown key",
        lambda d: set_path(d, "requests.results.withheld.bogus", {}),
        "requests.results.withheld.bogus",
        "unknown key",
    ),
    ("unknown top key", lambda d: set_path(d, "extra", 1), "extra", "unknown key"),
    (
        "missing key",
        lambda d: del_path(d, "requests.results.other.unpaid_fee"),
        "requests.results.other.unpaid_fee",
        "missing key",
    ),
    (
        "missing cell",
        lambda d: del_path(d, "appeals.litigation_direct.pending"),
        "appeals.litigation_direct.pending",
        "missing key",
    ),
    (
        "row not an object",
        lambda d: set_path(d, "requests.carried_over", [0] * 7),
        "requests.carried_over",
        "object",
    ),
    (
        "negative fee",
        lambda d: set_path(d, "proactive.fees.amount", "-1.5"),
        "proactive.fees.amount",
        "decimal",
    ),
    (
        "negative fee number",
        lambda d: set_path(d, "proactive.fees.amount", -1),
        "proactive.fees.amount",
        "negative",
    ),
    (
        "fee with exponent text",
        lambda d: set_path(d, "proactive.fees.amount", "1e3"),
        "proactive.fees.amount",
        "decimal",
    ),
    (
        "fee NaN text",
        lambda d: set_path(d, "proactive.fees.amount", "NaN"),
        "proactive.fees.amount",
        "decimal",
    ),
    (
        "fee bool",
        lambda d: set_path(d, "proactive.fees.amount", True),
        "proactive.fees.amount",
        "boolean",
    ),
    (
        "fee too many places",
        lambda d: set_path(d, "proactive.fees.amount", "0.1234567890123"),
        "proactive.fees.amount",
        "decimal",
    ),
    (
        "fee too large",
        lambda d: set_path(d, "proactive.fees.amount", 10**12),
        "proactive.fees.amount",
        "below",
    ),
    ("empty organ", lambda d: set_path(d, "organ", "  "), "organ", "empty"),
    ("organ not text", lambda d: set_path(d, "organ", None), "organ", "string"),
    ("year before 2008", lambda d: set_path(d, "year", 2007), "year", "2008"),
    ("year as text", lambda d: set_path(d, "year", "2023"), "year", "integer"),
    ("bad date", lambda d: set_path(d, "published_on", "2024-02-30"), "published_on", "calendar"),
    (
        "date not ISO",
        lambda d: set_path(d, "published_on", "2024年1月10日"),
        "published_on",
        "YYYY-MM-DD",
    ),
    (
        "compact date",
        lambda d: set_path(d, "published_on", "20240110"),
        "published_on",
        "YYYY-MM-DD",
    ),
    ("wrong schema", lambda d: set_path(d, "schema", "gipreport/2"), "schema", "version 1"),
    # A 2021 document that says it is in the 2019 format: one problem, at "format".
    ("2021 tables as 2019", lambda d: set_path(d, "format", "2019"), "format", "laid out as in"),
    ("unknown format", lambda d: set_path(d, "format", "2020"), "format", "unknown"),
    ("empty title", lambda d: set_path(d, "title", ""), "title", "empty"),
    ("preamble a string", lambda d: set_path(d, "preamble", "x"), "preamble", "array"),
    (
        "paragraph not text",
        lambda d: d["problems"]["paragraphs"].append(None),
        "problems.paragraphs[4]",
        "string",
    ),
    (
        "subsections not a list",
        lambda d: set_path(d, "other_matters.subsections", {}),
        "other_matters.subsections",
        "array",
    ),
    (
        "subsection without heading",
        lambda d: set_path(d, "overview.subsections", [{"paragraphs": []}]),
        "overview.subsections[0].heading",
        "missing",
    ),
    ("lone surrogate", lambda d: set_path(d, "organ", "\ud800镇"), "organ", "surrogate"),
    (
        "empty heading",
        lambda d: set_path(
            d, "problems", {"paragraphs": [], "subsections": [{"heading": "", "paragraphs": []}]}
        ),
        "problems.subsections[0].heading",
        "must not be empty",
    ),
    (
        "blank paragraph",
        lambda d: set_path(d, "overview.paragraphs", ["一段。", "\u3000\u3000"]),
        "overview.paragraphs[1]",
        "must not be empty",
    ),
    (
        "control character",
        lambda d: set_path(d, "other_matters.paragraphs", ["无\x85。"]),
        "other_matters.paragraphs[0]",
        "U+0085) at character 1",
    ),
    (
        "a C1 control",
        lambda d: set_path(d, "overview.paragraphs", ["无\x9f。"]),
        "overview.paragraphs[0]",
        "control character (U+009F) at character 1",
    ),
    (
        "line break",
        lambda d: set_path(d, "preamble", ["第一行\n第二行"]),
        "preamble[0]",
        "start a new paragraph",
    ),
    (
        "paragraph separator",
        lambda d: set_path(d, "preamble", ["第一行\u2029第二行"]),
        "preamble[0]",
        "U+2029",
    ),
    (
        "indented paragraph",
        lambda d: set_path(d, "overview.paragraphs", ["\u3000\u3000本机关……"]),
        "overview.paragraphs[0]",
        "renderers indent paragraphs themselves",
    ),
    ("trailing space", lambda d: set_path(d, "organ", "某镇 "), "organ", "ends with whitespace"),
    (
        "noncharacter",
        lambda d: set_path(d, "title", "某某\ufdd0报告"),
        "title",
        "noncharacter (U+FDD0)",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [pytest.param(m, p, w, id=name) for name, m, p, w in REJECTED],
)
def test_each_mistake_is_named_with_its_path(mutate: Mutation, path: str, words: str) -> None:
    doc = example_doc()
    mutate(doc)
    problems = problems_of(json.dumps(doc, ensure_ascii=False))
    assert [p.path for p in problems] == [path]
    assert words in problems[0].message


def test_duplicate_key_is_an_error_not_a_silent_overwrite() -> None:
    text = EXAMPLE_TEXT.replace('"upheld": 0,', '"upheld": 0, "upheld": 5,', 1)
    assert text != EXAMPLE_TEXT
    problems = problems_of(text)
    assert [p.path for p in problems] == ["appeals.review.upheld"]
    assert "more than once" in problems[0].message


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ("", "not valid JSON"),
        ("{", "not valid JSON"),
        ("[1, 2]", "object"),
        ("null", "object"),
        ('{"a": NaN}', "NaN"),
        ('{"a": Infinity}', "Infinity"),
        (b"\xff\xfe", "UTF-8"),
        ("1" * 5000, "not valid JSON"),
    ],
)
def test_unreadable_documents(document: str | bytes, words: str) -> None:
    problems = problems_of(document)
    assert len(problems) == 1
    assert problems[0].path == ""
    assert words in problems[0].message


def test_empty_object_lists_every_missing_key() -> None:
    problems = problems_of("{}")
    assert [p.path for p in problems] == TOP_KEYS
    assert all(p.message == "missing key" for p in problems)


def test_load_error_pickles() -> None:
    with pytest.raises(LoadError) as info:
        load_json("{}")
    again = pickle.loads(pickle.dumps(info.value))
    assert again.errors == info.value.errors
    assert str(again) == str(info.value)
    # Nothing unpicklable rides along: Dask's workers pickle an exception with its
    # context and traceback (tblib), and cattrs's errors do not unpickle.
    assert info.value.__context__ is None
    assert info.value.__cause__ is None


def test_converter_is_a_fresh_object_each_time() -> None:
    first, second = gipreport.make_converter(), gipreport.make_converter()
    assert first is not second
    report = load_json(EXAMPLE_TEXT)
    unstructured = first.unstructure(report)
    assert unstructured["schema"] == "gipreport/1"
    assert unstructured["published_on"] == "2024-01-10"
    assert first.structure(unstructured, Report) == report


# --- the schema: generated from the form, accepts exactly what load accepts ------------


def validator() -> jsonschema.protocols.Validator:
    # JSON.md: a count is never a float, even 3.0; JSON Schema's "integer" admits
    # 3.0, so the parity tests use a type checker that follows the JSON text.
    checker = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    cls: type[jsonschema.protocols.Validator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]  # jsonschema's stubs leave extend() untyped
        jsonschema.Draft202012Validator, type_checker=checker
    )
    return cls(json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def schema_accepts(text: str) -> bool:
    instance = json.loads(text, parse_float=Decimal)
    return bool(validator().is_valid(instance))


def loads(text: str) -> bool:
    try:
        load_json(text)
    except LoadError:
        return False
    return True


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_titles_are_the_chinese_labels() -> None:
    schema = json_schema()
    requests = schema["properties"]["requests"]
    assert requests["title"] == "三、收到和处理政府信息公开申请情况"
    withheld = requests["properties"]["results"]["properties"]["withheld"]
    assert withheld["title"] == "（三）不予公开"
    secret = withheld["properties"]["state_secret"]
    assert secret["title"] == "1.属于国家秘密"
    assert secret["properties"]["commercial"]["title"] == "商业企业（件）"
    fees = schema["properties"]["proactive"]["properties"]["fees"]
    assert fees["properties"]["amount"]["title"] == "本年收费金额（单位：万元）（万元）"
    assert schema["properties"]["organ"]["title"] == "发布机关"


def test_schema_has_a_title_on_every_property() -> None:
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                assert "title" in sub, f"{where}.{key} has no title"
            for key, sub in node.items():
                walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                walk(sub, f"{where}[{index}]")

    walk(json_schema(), "$")


def test_schema_covers_every_cell() -> None:
    schema = json_schema()
    for cell in FORM_2021.cells:
        node = schema
        for key in cell.path.split("."):
            node = node["properties"][key]
        assert node["title"].startswith(cell.column.label)


def test_example_validates() -> None:
    assert schema_accepts(EXAMPLE_TEXT)
    validator().validate(json.loads(EXAMPLE_TEXT))


@pytest.mark.parametrize("mutate", [pytest.param(m, id=name) for name, m, _p, _w in REJECTED])
def test_schema_rejects_what_load_rejects(mutate: Mutation) -> None:
    doc = example_doc()
    mutate(doc)
    text = json.dumps(doc, ensure_ascii=False)
    if "surrogate" in text or "\ud800" in text:
        # JSON Schema has no notion of a lone surrogate; load names it (documented).
        assert not loads(text)
        return
    assert not loads(text)
    assert not schema_accepts(text)


ACCEPTED: list[tuple[str, Mutation]] = [
    ("blank cells", lambda d: set_path(d, "requests.carried_forward.total", None)),
    ("big counts", lambda d: set_path(d, "proactive.licensing.decisions", 517645)),
    ("fee text", lambda d: set_path(d, "proactive.fees.amount", "18.8710")),
    ("fee number", lambda d: set_path(d, "proactive.fees.amount", Decimal("4068.208"))),
    ("fee integer", lambda d: set_path(d, "proactive.fees.amount", 3)),
    ("fee leading zeros", lambda d: set_path(d, "proactive.fees.amount", "007.50")),
    ("fee null", lambda d: set_path(d, "proactive.fees.amount", None)),
    ("title text", lambda d: set_path(d, "title", "某某报告")),
    ("no date", lambda d: set_path(d, "published_on", None)),
    ("leap day", lambda d: set_path(d, "published_on", "2024-02-29")),
    ("empty prose", lambda d: set_path(d, "problems", {"paragraphs": [], "subsections": []})),
    ("a title with no 报告", lambda d: set_path(d, "title", "某某镇情况说明")),
    ("a paragraph numbered as a heading", lambda d: set_path(d, "preamble", ["（一）加强领导"])),
    ("astral and rare scripts", lambda d: set_path(d, "preamble", ["\U00020000 ꦲ \u3000中"])),
    ("year 2008", lambda d: set_path(d, "year", 2008)),
    ("wrong sums", lambda d: set_path(d, "requests.results.total.total", 99)),
]


@pytest.mark.parametrize("mutate", [pytest.param(m, id=name) for name, m in ACCEPTED])
def test_schema_and_load_accept_the_same_valid_documents(mutate: Mutation) -> None:
    doc = example_doc()
    mutate(doc)
    text = json.dumps(doc, ensure_ascii=False, default=str)
    if isinstance(doc["proactive"]["fees"]["amount"], Decimal):
        text = text.replace('"4068.208"', "4068.208")
    assert loads(text)
    assert schema_accepts(text)


def test_documented_gaps_of_json_schema() -> None:
    # 3.0 as a count and a fee number with 13 places: JSON Schema cannot say
    # either, the schema's $comment says so, and load rejects both.
    assert "3.0" in json_schema()["$comment"]
    whole_float = EXAMPLE_TEXT.replace('"upheld": 0', '"upheld": 3.0', 1)
    assert not loads(whole_float)
    plain = jsonschema.Draft202012Validator(json_schema())
    assert plain.is_valid(json.loads(whole_float))  # the gap, as documented
    many_places = EXAMPLE_TEXT.replace('"amount": "0"', '"amount": 0.1234567890123')
    assert not loads(many_places)


def test_published_on_is_a_date() -> None:
    report = load_json(EXAMPLE_TEXT)
    assert report.published_on == dt.date(2024, 1, 10)
