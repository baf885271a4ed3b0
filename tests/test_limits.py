"""The caps of gipreport._core.limits, and docs/limits.md, which lists them all."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

import gipreport
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

    assert limits.read_file(path, limit=5) == b"12345"


@pytest.mark.parametrize("told", [0, 2, 5, 9])
def test_read_file_reads_a_file_whatever_size_it_says_it_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: int
) -> None:
    # A file read from its size (not a buffer of the limit) is read on past it where it
    # says less than it holds (one growing; one of /proc, whose size is 0), to the limit.
    path = tmp_path / "a.txt"
    path.write_bytes(b"12345")
    real = os.fstat

    def fstat(descriptor: int) -> os.stat_result:
        status = list(real(descriptor))
        status[stat.ST_SIZE] = told
        return os.stat_result(status)

    monkeypatch.setattr(os, "fstat", fstat)
    assert limits.read_file(path) == b"12345"
    assert limits.read_file(path, limit=5) == b"12345"
    with pytest.raises(OSError, match="larger than 4 bytes"):
        limits.read_file(path, limit=4)


def test_read_file_reads_on_where_a_read_is_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read may give fewer bytes than asked before the end (a signal, a network file).
    path = tmp_path / "a.txt"
    path.write_bytes(b"123456789")
    real = os.read
    calls: list[int] = []

    def short_read(descriptor: int, wanted: int) -> bytes:
        calls.append(wanted)
        return real(descriptor, min(wanted, 2))

    monkeypatch.setattr(os, "read", short_read)
    assert limits.read_file(path) == b"123456789"
    assert calls[0] == 10  # the size and a byte more, not the limit
    assert max(calls) < 2**17
    with pytest.raises(OSError, match="larger than 8 bytes"):
        limits.read_file(path, limit=8)


_CELLS = {
    "tabs on one line": ("text", "\t1"),
    "a cell a line": ("text", "\t1\n"),
    "tab-separated rows": ("text", "1\t1\n"),
    "pipes": ("text", "|1"),
    "a markdown table": ("markdown", "|1|1|\n"),
    "layout columns": ("text", "行  1  1  1\n"),
}


@pytest.mark.parametrize("shape", sorted(_CELLS))
def test_a_text_of_more_cells_than_the_cap_is_refused_before_they_are_made(
    shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 20 MiB text of nothing but cells took 30-50 s and 2.5-3 GB before it was refused."""
    from gipreport._reading import text_flow  # noqa: PLC0415 - the private cap

    monkeypatch.setattr(text_flow, "_MAX_CELLS", 1000)
    fmt, unit = _CELLS[shape]
    separators = len(text_flow._CELL_SEPARATOR.findall(unit))
    page = unit * (1001 // separators + 1)
    with pytest.raises(gipreport.ParseError, match="more than 1,000 table cells") as raised:
        gipreport.read(page, format=fmt)  # type: ignore[arg-type]
    first_past = [m.start() for m in text_flow._CELL_SEPARATOR.finditer(page)][1000]
    assert raised.value.where == f"line {page.count(chr(10), 0, first_past) + 1}"


def test_a_text_under_the_cell_cap_is_read_as_before() -> None:
    """The cap is not looked for in a text shorter than it: every report's text."""
    example = gipreport.render(gipreport.examples.mingan_2023(), "text")
    assert len(example) < limits.MAX_TEXT_CELLS
    assert gipreport.read(example, format="text").report == gipreport.examples.mingan_2023()
