"""The caps of gipreport._core.limits, and docs/limits.md, which lists them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gipreport._core import limits
from gipreport._core.model import MAX_AMOUNT, MAX_AMOUNT_PLACES

PAGE = Path(__file__).parent.parent / "docs" / "limits.md"


def _shown(value: int) -> set[str]:
    """Return the ways the page may write ``value``."""
    shown = {f"{value:,}", str(value)}
    if value % 2**20 == 0:
        shown.add(f"{value // 2**20} MiB")
    return shown


@pytest.mark.parametrize("name", sorted(name for name in limits.__all__ if name.startswith("MAX_")))
def test_the_limits_page_lists_every_cap_with_its_value(name: str) -> None:
    row = next(
        (line for line in PAGE.read_text(encoding="utf-8").splitlines() if f"`{name}`" in line),
        None,
    )
    assert row is not None, f"docs/limits.md does not list {name}"
    value = getattr(limits, name)
    assert any(shown in row for shown in _shown(value)), (name, value, row)


def test_the_amount_caps_are_on_the_page_too() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert re.search(rf"`MAX_AMOUNT`.*10\*\*{len(str(int(MAX_AMOUNT))) - 1}", text)
    assert re.search(rf"`MAX_AMOUNT_PLACES`.*\| {MAX_AMOUNT_PLACES} \|", text)


def test_the_limits_page_is_in_the_docs_index() -> None:
    index = (PAGE.parent / "index.md").read_text(encoding="utf-8")
    assert "\nlimits\n" in index


def test_the_largest_count_is_the_largest_exact_json_integer() -> None:
    assert limits.MAX_COUNT == 2**53 - 1
    assert float(limits.MAX_COUNT) == limits.MAX_COUNT
    assert float(limits.MAX_COUNT + 2) != limits.MAX_COUNT + 2
    assert limits.MAX_COUNT_DIGITS == 16


def test_read_file_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="not a regular file"):
        limits.read_file(tmp_path)
    path = tmp_path / "a.txt"
    path.write_bytes(b"12345")
    assert limits.read_file(path) == b"12345"
    with pytest.raises(OSError, match="larger than 4 bytes"):
        limits.read_file(path, limit=4)
