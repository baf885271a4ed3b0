"""The types a user's script sees: ``mypy --strict`` on ``tests/typing/user_script.py``."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from gipreport import DocxOptions, HtmlOptions, TextOptions
from gipreport._rendering.options import DocxKeywords, HtmlKeywords, JsonKeywords, TextKeywords
from gipreport._rendering.registry import JsonOptions

mypy_api = pytest.importorskip("mypy.api")  # a dev tool: always there in CI

SCRIPT = Path(__file__).parent / "typing" / "user_script.py"
ROOT = Path(__file__).parent.parent


def _mypy(path: Path, cache: Path) -> tuple[int, str]:
    out, err, status = mypy_api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(cache), str(path)]
    )
    return status, out + err


def test_the_user_script_passes_strict_mypy(tmp_path: Path) -> None:
    # Its expected errors are "type: ignore[code]" comments, which --strict checks are needed.
    status, out = _mypy(SCRIPT, tmp_path / "cache")
    assert (status, out) == (0, "")


def test_without_its_ignores_the_script_has_exactly_the_expected_errors(tmp_path: Path) -> None:
    bare = tmp_path / "user_script.py"
    source = SCRIPT.read_text("utf-8")
    expected = len(re.findall(r"  # type: ignore\[[a-z-]+\]$", source, flags=re.MULTILINE))
    bare.write_text(re.sub(r"  # type: ignore\[[a-z-]+\]$", "", source, flags=re.MULTILINE))
    status, out = _mypy(bare, tmp_path / "cache")
    assert status == 1
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == expected == 4
    assert (
        'Unexpected keyword argument "fragmant" for "render_html"; did you mean "fragment"?' in out
    )
    assert 'variable has type "str"' in out  # bytes from "docx" is not a str


@pytest.mark.parametrize(
    ("keywords", "options"),
    [
        (HtmlKeywords, HtmlOptions),
        (TextKeywords, TextOptions),
        (DocxKeywords, DocxOptions),
        (JsonKeywords, JsonOptions),
    ],
)
def test_the_typed_keywords_are_the_options_fields(keywords: type, options: type) -> None:
    # One TypedDict per built-in format, field for field its attrs options class, with
    # the type its __init__ takes (a converter's input), or else the attribute's.
    annotations = {
        name: getattr(hint, "__forward_arg__", hint)
        for name, hint in keywords.__annotations__.items()
    }
    fields = attrs.fields_dict(options)
    assert list(annotations) == list(fields)
    init = vars(options)["__init__"].__annotations__
    for name, annotation in annotations.items():
        assert annotation in {init[name], fields[name].type}, name
