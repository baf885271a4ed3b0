"""Problems a program can branch on: a stable ``type`` for each, the input echoed, as data."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import gipreport
from gipreport import PROBLEM_TYPES, LoadError, Problem, from_dict, load_json, to_dict
from gipreport.form import FORM_2021
from test_jsonio import EXAMPLE_TEXT, Doc, example_doc, set_path

CELL = "requests.results.total.commercial"


def _with(path: str, value: Any) -> Callable[[], str]:
    def make() -> str:
        doc = example_doc()
        set_path(doc, path, value)
        return json.dumps(doc, ensure_ascii=False)

    return make


def _edit(change: Callable[[Doc], None]) -> Callable[[], str]:
    def make() -> str:
        doc = example_doc()
        change(doc)
        return json.dumps(doc, ensure_ascii=False)

    return make


def _text(text: str) -> Callable[[], str | bytes]:
    return lambda: text


def _misspelt(doc: Doc) -> None:
    doc["orgn"] = doc.pop("organ")


# type -> (a document with that problem, the path of the problem, its echoed input)
CASES: dict[str, tuple[Callable[[], str | bytes], str, str | None]] = {
    "json_invalid": (_text('{"schema": "gipreport/1",\n  "year": }'), "", None),
    "utf8_invalid": (lambda: b'{"organ": "\xff"}', "", None),
    "schema_unknown": (_with("schema", "gipreport/9"), "schema", '"gipreport/9"'),
    "format_unknown": (_with("format", "2030"), "format", '"2030"'),
    "format_tables": (_with("format", "2019"), "format", '"2019"'),
    "object_type": (_with("requests.results", [1]), "requests.results", "[1]"),
    "key_missing": (_edit(lambda doc: doc.pop("title")), "title", None),
    "key_unknown": (_edit(_misspelt), "orgn", '"乌拉特前旗明安镇人民政府"'),
    "key_duplicate": (
        lambda: EXAMPLE_TEXT.replace('"year": 2023,', '"year": 2023, "year": 2023,'),
        "year",
        None,
    ),
    "count_type": (_with(CELL, "3"), CELL, '"3"'),
    "count_negative": (_with(CELL, -1), CELL, "-1"),
    "change_type": (
        lambda: gipreport.examples.made_up_2020_json().replace('"change": -2', '"change": "-2"', 1),
        "proactive.licensing.change",
        '"-2"',
    ),
    "count_too_large": (_with(CELL, 2**53), CELL, "9007199254740992"),
    "amount_type": (_with("proactive.fees.amount", True), "proactive.fees.amount", "true"),
    "amount_text": (_with("proactive.fees.amount", "1,5"), "proactive.fees.amount", '"1,5"'),
    "amount_negative": (_with("proactive.fees.amount", -2), "proactive.fees.amount", "-2"),
    "amount_too_large": (
        _with("proactive.fees.amount", 10**12),
        "proactive.fees.amount",
        "1000000000000",
    ),
    "amount_places": (
        _with("proactive.fees.amount", 0.1234567890123),
        "proactive.fees.amount",
        "0.1234567890123",
    ),
    "text_type": (_with("organ", 5), "organ", "5"),
    "text_empty": (_with("organ", "  "), "organ", '"  "'),
    "text_surrogate": (
        lambda: EXAMPLE_TEXT.replace('"乌拉特前旗明安镇人民政府"', '"乌拉特\\ud800"', 1),
        "organ",
        None,
    ),
    "text_control": (_with("preamble", ["无\x07"]), "preamble[0]", None),
    "text_noncharacter": (_with("preamble", ["无\U0010ffff"]), "preamble[0]", None),
    "text_line_break": (_with("preamble", ["一\r二"]), "preamble[0]", None),
    "text_whitespace": (_with("organ", "\u3000某镇"), "organ", None),
    "array_type": (_with("preamble", "text"), "preamble", '"text"'),
    "date_type": (_with("published_on", 20240101), "published_on", "20240101"),
    "date_invalid": (_with("published_on", "2023-02-30"), "published_on", '"2023-02-30"'),
    "year_type": (_with("year", "2023"), "year", '"2023"'),
    "year_range": (_with("year", 1999), "year", "1999"),
}

# Codes the command line gives for files (tested in tests/test_cli_conventions.py), and
# the default of a Problem made by hand.
NOT_FROM_DOCUMENTS = {
    "file_unreadable",
    "file_type_unknown",
    "source_invalid",
    "header_missing",
    "directory_empty",
    "render_failed",
    "write_failed",
    "value_invalid",
}


def test_every_type_has_a_case() -> None:
    assert set(CASES) | NOT_FROM_DOCUMENTS == set(PROBLEM_TYPES)
    assert not set(CASES) & NOT_FROM_DOCUMENTS


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_problem_type(code: str) -> None:
    make, path, echoed = CASES[code]
    with pytest.raises(LoadError) as caught:
        load_json(make())
    found = [problem for problem in caught.value.problems if problem.type == code]
    assert found, caught.value.problems
    assert found[0].path == path
    if echoed is not None:
        assert found[0].input == echoed


def test_a_syntax_error_has_its_line_and_column() -> None:
    with pytest.raises(LoadError) as caught:
        load_json('{"schema": "gipreport/1",\n  "year": }')
    (problem,) = caught.value.problems
    assert (problem.type, problem.line, problem.column) == ("json_invalid", 2, 11)
    assert problem.input is not None
    assert '"year": }' in problem.input


def test_the_input_is_echoed_cut_short() -> None:
    with pytest.raises(LoadError) as caught:
        load_json(_with("organ", "长" * 500)().replace('"organ"', '"organ_name"'))
    (unknown,) = [p for p in caught.value.problems if p.type == "key_unknown"]
    assert unknown.input is not None
    assert len(unknown.input) == gipreport._core.errors.INPUT_SHOWN
    assert unknown.input.endswith("…")
    assert "did you mean 'organ'?" in unknown.message


def test_load_error_as_data() -> None:
    with pytest.raises(LoadError) as caught:
        load_json(_with(CELL, -1)())
    error = caught.value
    assert error.problems is error.errors
    data = error.to_dict()
    assert data == {
        "error": "load_error",
        "count": 1,
        "problems": [
            {
                "type": "count_negative",
                "path": CELL,
                "message": "a count cannot be negative, got -1",
                "input": "-1",
                "line": None,
                "column": None,
            }
        ],
    }
    assert json.loads(error.to_json()) == data


def test_a_problem_made_by_hand() -> None:
    assert Problem("organ", "wrong").type == "value_invalid"
    with pytest.raises(ValueError, match="unknown problem type 'no_such_type'"):
        Problem("", "x", type="no_such_type")


def test_an_unknown_cell_path_suggests_the_closest() -> None:
    with pytest.raises(KeyError, match=r"did you mean 'requests\.results\.total\.commercial'"):
        FORM_2021.cell("requests.results.total.comercial")
    report = gipreport.examples.mingan_2023()
    with pytest.raises(KeyError, match=r"did you mean 'proactive\.rules\.issued'"):
        report.cell("proactive.rule.issued")
    with pytest.raises(KeyError) as caught:
        FORM_2021.cell("nothing.like.it")
    assert "did you mean" not in str(caught.value)


# --- what load_json reads, and the dict pair --------------------------------------------------


def test_load_json_reads_text_bytes_a_path_and_files(tmp_path: Path) -> None:
    expected = load_json(EXAMPLE_TEXT)
    path = tmp_path / "report.json"
    path.write_text(EXAMPLE_TEXT, encoding="utf-8")
    assert load_json(EXAMPLE_TEXT.encode("utf-8")) == expected
    assert load_json(bytearray(EXAMPLE_TEXT.encode("utf-8"))) == expected
    assert load_json(path) == expected
    with path.open("rb") as binary:
        assert load_json(binary) == expected
    assert load_json(io.StringIO(EXAMPLE_TEXT)) == expected


def test_load_json_of_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        load_json(tmp_path / "nothing.json")
    (problem,) = caught.value.problems
    assert problem.type == "file_unreadable"
    assert "nothing.json" in problem.message


def test_from_dict_and_to_dict_round_trip() -> None:
    report = gipreport.examples.mingan_2023()
    data = to_dict(report)
    assert data == json.loads(gipreport.dump_json(report))
    assert from_dict(data) == report
    assert from_dict(json.loads(EXAMPLE_TEXT)) == report  # the fee a float, as json.loads gives
    assert isinstance(json.loads(EXAMPLE_TEXT)["proactive"]["fees"]["amount"], str | float)


def test_from_dict_is_as_strict_as_load_json() -> None:
    doc = example_doc()
    set_path(doc, CELL, 3.0)
    set_path(doc, "proactive.fees.amount", Decimal("-1"))
    doc["extra"] = 1
    with pytest.raises(LoadError) as from_data:
        from_dict(doc)
    with pytest.raises(LoadError) as from_text:
        load_json(json.dumps(doc, default=str).replace('"-1"', "-1"))
    assert from_data.value.problems == from_text.value.problems
    assert [p.type for p in from_data.value.problems] == [
        "key_unknown",
        "amount_negative",
        "count_type",
    ]


def test_from_dict_rejects_what_json_cannot_hold() -> None:
    doc: dict[Any, Any] = example_doc()
    set_path(doc, CELL, float("nan"))
    doc[1] = "x"
    with pytest.raises(LoadError) as caught:
        from_dict(doc)
    assert [(p.type, p.path) for p in caught.value.problems] == [
        ("json_invalid", CELL),
        ("object_type", ""),
    ]
    with pytest.raises(TypeError, match=r"gipreport\.Report"):
        to_dict(doc)  # type: ignore[arg-type]
