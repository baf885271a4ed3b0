"""Where a table's cells are: named as the form numbers the table, every part kept."""

from __future__ import annotations

from typing import Literal

import attrs
import pytest

import gipreport
from gipreport._reading.source import Where
from gipreport._reading.tables import _with_form_table

PARTS = {
    "line": 3,
    "paragraph": 1,
    "table": 2,
    "row": 4,
    "column": 5,
    "form_table": None,
    "page": 6,
    "bbox": (1.0, 2.0, 3.0, 4.0),
    "sheet": "Sheet1",
    "cell": "B7",
}


def test_naming_the_form_table_keeps_every_part_of_a_place() -> None:
    assert set(PARTS) == {field.name for field in attrs.fields(Where)}
    where = Where(**PARTS)  # type: ignore[arg-type]
    named = _with_form_table(where, 3)
    assert named == attrs.evolve(where, form_table=3)
    assert _with_form_table(named, 3) is named


@pytest.mark.parametrize("fmt", ["html", "text"])
def test_every_place_and_table_note_names_the_form_table(fmt: Literal["html", "text"]) -> None:
    report = gipreport.examples.mingan_2023()
    blanked = report.with_cells({"proactive.rules.issued": None})
    result = gipreport.read(gipreport.render(blanked, fmt), format=fmt)
    assert result.places
    assert all(where.form_table in (2, 3, 4) for where in result.places.values())
    in_tables = [note for note in result.notes if note.where.table is not None]
    assert all(note.where.form_table in (2, 3, 4) for note in in_tables)
