"""Every cap on what gipreport reads and holds, in one place (``docs/limits.md``).

Hostile or broken input must cost bounded memory and time: each reader, the
JSON loader, the docx template reader and the command line take their caps
from here, and ``docs/limits.md`` lists them (a test checks that it lists every
one with its value). Past a cap, the input is refused with a clear gipreport
error (:class:`~gipreport.ParseError`, :class:`~gipreport.LoadError`,
:class:`~gipreport.RenderError`), or, for one cell, read as blank with a note.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Final

__all__ = [
    "MAX_COUNT",
    "MAX_COUNT_DIGITS",
    "MAX_HTML_ATTRIBUTES",
    "MAX_HTML_CHARACTERS",
    "MAX_HTML_NODES",
    "MAX_INPUT_BYTES",
    "MAX_MEMBERS",
    "MAX_PARAGRAPHS",
    "MAX_PART_BYTES",
    "MAX_PART_TAGS",
    "MAX_SHEET_BYTES",
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_ROWS",
    "MAX_SPAN",
    "MAX_TABLES",
    "MAX_TABLE_SLOTS",
    "MAX_TEXT_CELLS",
    "MAX_TEXT_CHARACTERS",
    "MAX_UNPACKED_BYTES",
    "ZIP_METHODS",
    "read_file",
]

MAX_INPUT_BYTES: Final = 200 * 2**20
"""The largest file read, in bytes (a path given to :func:`gipreport.read`, a file
on the command line, a docx's bytes): far above any report, even a docx with photos."""

MAX_UNPACKED_BYTES: Final = 200 * 2**20
"""The most bytes all the parts read from one docx package (or template) may unpack to."""

MAX_PART_BYTES: Final = 64 * 2**20
"""The most bytes one part of a docx package (``word/document.xml``, …) may unpack to."""

MAX_PART_TAGS: Final = 2_000_000
"""The most tags (``<``) one XML part of a docx or xlsx package may hold: a report's
``word/document.xml`` has some tens of thousands. Each element costs about a hundred
bytes in the parsed tree, so that 64 MiB of ``<w:p/>`` (a zip of 86 KB) would take a
gigabyte before its paragraphs were counted."""

MAX_MEMBERS: Final = 10_000
"""The most members a docx package (or template) may have; Word writes a few dozen."""

ZIP_METHODS: Final = frozenset({0, 8})  # zipfile.ZIP_STORED, ZIP_DEFLATED: not imported for them
"""The zip compression methods a docx part may use: stored and deflate, what Word,
WPS and LibreOffice write. bzip2 and LZMA are refused: :mod:`zipfile` unpacks them
with no limit on the output, so a few kilobytes could unpack to gigabytes."""

MAX_HTML_CHARACTERS: Final = 20 * 2**20
"""The longest HTML page read, in characters (or in bytes, before decoding)."""

MAX_HTML_NODES: Final = 500_000
"""The most tags (start and end tags) and runs of text an HTML page may have: a report's
page has a few thousand, one saved from Word some tens of thousands. Each costs a few
microseconds to read, so that a page of nothing but tags ends in seconds."""

MAX_HTML_ATTRIBUTES: Final = 10_000
"""The most attributes one HTML tag may have: a report's tags have a few (Word's a dozen).
A tag of millions would cost gigabytes to hold before its element was built."""

MAX_TEXT_CHARACTERS: Final = 20 * 2**20
"""The longest plain text read, in characters (or in bytes, before decoding)."""

MAX_TEXT_CELLS: Final = 500_000
"""The most cell separators (tabs, ``|``, runs of two or more spaces) a plain-text or
markdown source may have: a report's text has a few thousand. Each table cell costs a
few hundred bytes to hold, so that a text of nothing but cells (``\t1\t1…``) would take
gigabytes and a minute before it was found to be no report."""

MAX_PARAGRAPHS: Final = 20_000
"""The most paragraphs one source may have; a report has a few hundred."""

MAX_TABLES: Final = 1_000
"""The most tables one source may have; a report has three (or a dozen, split)."""

MAX_TABLE_SLOTS: Final = 200_000
"""The most grid slots (rows × columns) one table may have."""

MAX_SPAN: Final = 1000
"""The widest column span (docx ``gridSpan``, HTML ``colspan``) taken; a wider one is cut to it."""

MAX_SHEET_BYTES: Final = 4 * 2**20
"""The most bytes one sheet of a spreadsheet (``xl/worksheets/sheet1.xml``) may unpack to:
a sheet of the form is some 30 KB, and each of its cells is held while it is read."""

MAX_SHEET_ROWS: Final = 1000
"""The last row a spreadsheet's sheet may use (a cell or a merge): the form's tables have
about 30 rows, its prose a few hundred paragraphs."""

MAX_SHEET_COLUMNS: Final = 100
"""The last column a spreadsheet's sheet may use (CV): the form's widest table has 10."""

MAX_COUNT: Final = 2**53 - 1
"""The largest count (9,007,199,254,740,991): the largest integer every JSON reader holds
exactly (RFC 7493, I-JSON; JavaScript's ``Number.MAX_SAFE_INTEGER``), and billions of
times any real count. A larger one is refused by the model and by :func:`gipreport.load_json`;
a reader reads a larger printed number as blank, with a ``not-a-number`` note."""

MAX_COUNT_DIGITS: Final = len(str(MAX_COUNT))
"""The most digits a count has (16), leading zeros aside: a cell with more is never parsed as
a number (Python refuses to parse integers of over 4,300 digits)."""


def read_file(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Return the bytes of the regular file at ``path``; at most ``limit`` bytes are read.

    Raises :class:`OSError` (with ``filename`` set) for a file that cannot be
    opened, that is not a regular file (a FIFO, a device such as ``/dev/zero``, a
    directory: reading one could block or never end), or that is larger than
    ``limit``. The file is opened without blocking, so a FIFO is refused at once.
    """
    name = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(name, flags)
    try:
        status = os.fstat(descriptor)
        kind = status.st_mode
        if not stat.S_ISREG(kind):
            what = "a directory" if stat.S_ISDIR(kind) else "a pipe or device"
            raise OSError(errno.EINVAL, f"not a regular file ({what})", name)
        # Read with the descriptor itself: a batch reads thousands of small files, and a
        # buffered file object costs more system calls than the reading (O_NONBLOCK does
        # nothing to a regular file's reads). A read of n bytes first makes a buffer of n:
        # the first is of the file's size and one byte more, not of the limit (200 MiB for
        # each file of a batch). Where it gives the size exactly, the file ends there; one
        # longer than its size says (one growing, one of /proc, whose size is 0) or a read
        # cut short is read on, to its end or the limit.
        size = status.st_size
        chunks: list[bytes] = []
        total = 0
        wanted = min(size, limit) + 1
        while total <= limit:
            chunk = os.read(descriptor, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total == size:
                break
            wanted = min(limit + 1 - total, max(total, 1 << 16))
    finally:
        os.close(descriptor)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(data) > limit:
        most = f"{limit // 2**20} MiB" if limit % 2**20 == 0 else f"{limit:,} bytes"
        raise OSError(errno.EFBIG, f"larger than {most}: not a report", name)
    return data
