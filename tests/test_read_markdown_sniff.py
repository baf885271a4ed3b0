"""Telling markdown from HTML and text: looks_like_markdown's short ways."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gipreport._reading import from_markdown
from gipreport._reading.from_markdown import looks_like_markdown


def _hash_line_as_searched(text: str) -> bool:
    return text.startswith("#") or "\n#" in text or "\r#" in text


# Few "#" (a page's stylesheet) and more than _FEW_HASHES of them (searched as strings).
_TEXTS = st.text(alphabet="#\n\r a-|中", max_size=40) | st.lists(
    st.sampled_from(["#", "a#", "\n#", "\r", "  ", "中"]), min_size=60, max_size=160
).map("".join)


@given(_TEXTS)
def test_a_line_starting_with_a_hash_is_found_as_the_searches_find_it(text: str) -> None:
    assert from_markdown._has_hash_line(text) == _hash_line_as_searched(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("## 一、总体情况\n\n## 二、主动公开政府信息情况", True),
        ("<style>a{color:#111}</style>\n<p>一、总体情况</p>", False),
        ("a{color:#111}\r# 一\r# 二", True),
        ("#" * 100 + "\n# 一\n# 二", True),
        ("x" + "#" * 100, False),
        ("| 规章 | 0 |\n|---|---|", True),
    ],
)
def test_looks_like_markdown(text: str, expected: bool) -> None:
    assert looks_like_markdown(text) is expected


def _markdown_as_read_line_by_line(text: str) -> bool:
    """looks_like_markdown without its short ways: every line looked at."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headings = 0
    for index, line in enumerate(lines):
        separator = index and from_markdown._SEPARATOR.match(line)
        if separator and from_markdown._PIPE_ROW.match(lines[index - 1]):
            return True
        if line.startswith("#") and from_markdown._HEADING.match(line):
            headings += 1
            if headings >= 2:
                return True
    return False


# Pipe rows, separator rows and headings, whole and broken, among a page's "#" and "-".
_MARKDOWNISH = st.lists(
    st.sampled_from(
        [
            *("| 规章 | 0 |", "|---|---|", "---", "-", "|"),
            *("## 一", "#", " # 二", "a#1", "\n", "\r", " "),
        ]
    ),
    max_size=12,
).map("".join)


@given(_MARKDOWNISH | _TEXTS)
def test_the_short_ways_tell_markdown_as_a_look_at_every_line_does(text: str) -> None:
    assert looks_like_markdown(text) is _markdown_as_read_line_by_line(text)
