"""Read notes as rows: the ``notes`` tidy table (:data:`gipreport._core.tidy.TABLES`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gipreport._core.tidy import NoteRow
from gipreport._reading.source import ParseNote

__all__ = ["note_rows"]


def note_rows(notes: Iterable[ParseNote], *, source: str) -> Iterator[NoteRow]:
    """Yield one :class:`NoteRow` for each note, with its place in ``source`` and its raw text.

    ``page`` is filled for a source that has pages (a reader whose
    :class:`~gipreport.Where` carries one); it is ``None`` for docx, HTML and text.
    """
    for index, note in enumerate(notes):
        where = note.where
        yield NoteRow(
            source,
            index,
            note.code,
            note.severity,
            note.message,
            note.path,
            note.text,
            where.line,
            where.paragraph,
            where.table,
            where.row,
            where.column,
            getattr(where, "page", None),
        )
