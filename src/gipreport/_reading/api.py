"""Reading published reports: :func:`read` and one reader per input format.

A source is a path (:class:`os.PathLike`), the file's ``bytes``, or a ``str``
holding the document itself (HTML, text or gipreport JSON; a ``str`` is never
taken as a file name). A docx or PDF is a path or bytes. Each reader turns the source into blocks
(:mod:`gipreport._reading.source`), and :mod:`gipreport._reading.assemble` reads the report out
of them, the same way for every format.
"""

from __future__ import annotations

import codecs
import errno
import functools
import gc
import itertools
import operator
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final, ParamSpec, TypedDict, TypeVar, get_args

import attrs

from gipreport._core.errors import LoadError, ParseError
from gipreport._core.form import FORM_2021
from gipreport._core.limits import MAX_INPUT_BYTES, MAX_TEXT_CHARACTERS, read_file
from gipreport._core.model import NONCHARACTERS
from gipreport._reading.assemble import Header, assemble
from gipreport._reading.from_markdown import looks_like_markdown
from gipreport._reading.source import (
    InputFormat,
    ParseNote,
    ParseResult,
    PartialReadError,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceKind,
    SourceParagraph,
    SourceTable,
    Where,
)

__all__ = [
    "detect_format",
    "read",
    "read_docx",
    "read_html",
    "read_markdown",
    "read_pdf",
    "read_text",
    "read_xlsx",
    "text_kind",
]

Source = str | bytes | os.PathLike[str]


_FILE_NAME: Final = re.compile(
    r"[^\n]{1,4096}\.(?:docx|xlsx|html?|txt|json|pdf)\s*\Z", re.IGNORECASE
)
_ZIP: Final = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML: Final = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|tr|td|span|article|section|"
    r"h[1-6]|br|font|center|strong)\b",
    re.IGNORECASE,
)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _uncollected(reader: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``reader`` with Python's cyclic garbage collector paused (as it was, after).

    A reader of gipreport's own code makes thousands of objects that live until it
    returns — a page's tree, its cells, their places — and none of them in a cycle
    (``tests/test_read_caches.py`` reads every kind of source with the collector off and
    finds nothing for it to collect): refcounting frees them all. The collector would
    still walk them, every 700 of them made, and the whole heap now and then (about 5 %
    of reading a web page here, more in a process that holds more). So the readers of
    HTML, text, markdown and docx pause it, as Mercurial's ``util.nogc`` does when it
    builds its large structures; not the PDF and xlsx readers, whose libraries make
    cycles. The collector is on again as soon as the reader returns or raises, unless
    it was off before. Its on/off state is the process's: a thread that turns it off
    while another is reading may find it on again when that read ends.
    """

    @functools.wraps(reader)
    def uncollected(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return reader(*args, **kwargs)
        gc.disable()
        try:
            return reader(*args, **kwargs)
        finally:
            gc.enable()

    return uncollected


def _bytes_of(source: Source, what: str) -> bytes | str:
    if isinstance(source, bytes | str):
        return source
    try:
        path = Path(os.fspath(source))
    except TypeError:
        msg = f"{what}: expected a path (os.PathLike), bytes or str, got {type(source).__name__}"
        raise TypeError(msg) from None
    try:
        return read_file(path, limit=MAX_INPUT_BYTES)
    except OSError as error:
        if error.errno == errno.EFBIG:
            raise ParseError(str(error.strerror), str(path)) from error
        reason = f"cannot read the file: {error.strerror or error}"
        raise ParseError(reason, str(path)) from error


def _decode(data: bytes, decoded: str | None = None) -> tuple[str, tuple[ParseNote, ...]]:
    """Return text bytes as str: UTF-8 (with or without BOM), UTF-16 by BOM, else GB18030.

    ``decoded`` is ``data`` decoded as UTF-8 already, if it was (see :func:`_detect`).
    """
    # UTF-32 LE's mark starts with UTF-16 LE's: it is looked for first.
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), ()
            except UnicodeDecodeError as error:
                raise ParseError(
                    f"not {codec} text after its byte-order mark", f"byte {error.start + len(bom)}"
                ) from error
    try:
        return (data.decode("utf-8") if decoded is None else decoded), ()
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            msg = "cannot decode the text as UTF-8 or GB18030"
            raise ParseError(msg, f"byte {utf8_error.start}") from utf8_error
    note = ParseNote(
        code="encoding",
        message="not UTF-8: decoded as GB18030",
        where=Where(),
    )
    return text, (note,)


def detect_format(source: bytes | str) -> InputFormat:
    r"""Return the input format of a document from its content.

    A zip file is a spreadsheet (``"xlsx"``) when it holds a workbook, a docx
    otherwise; bytes that start with ``%PDF-`` are a PDF; text that
    starts with ``{`` is gipreport JSON; text with HTML tags near its start is
    HTML; any other text is plain text. Raises :class:`ParseError` for formats
    gipreport cannot read (a Word 97–2003 ``.doc``).

    Markdown (pipe tables, ``#`` headings) is ``"markdown"``, even with HTML
    tags inside it.

    >>> detect_format("<p>一、总体情况</p>"), detect_format("一、总体情况")
    ('html', 'text')
    >>> detect_format("## 一、总体情况\n\n## 二、主动公开政府信息情况")
    'markdown'
    >>> detect_format(b"PK\x03\x04"), detect_format(b"%PDF-1.7")
    ('docx', 'pdf')
    """
    return _detect(source)[0]


def _detect(source: bytes | str) -> tuple[InputFormat, str | None]:
    """Return :func:`detect_format` of ``source``, and the whole of it as text if that was read.

    The format is told by the text of the first 64 KiB. Bytes of no more that are
    UTF-8 are decoded whole for it, and the text is returned with the format (a
    reader that decodes them as UTF-8 takes it, rather than decode them again);
    otherwise the text is ``None``.
    """
    decoded: str | None = None
    if isinstance(source, bytes):
        if source.startswith(_ZIP):
            from gipreport._reading.from_xlsx import is_xlsx  # noqa: PLC0415 - zip only

            return ("xlsx" if is_xlsx(source) else "docx"), None
        if source.startswith(_OLE):
            msg = "a Word 97–2003 .doc file, not a .docx: save it as .docx to read it"
            raise ParseError(msg)
        if source[:1024].lstrip().startswith(b"%PDF-"):
            return "pdf", None
        first = source[:65536]
        try:
            head = first.decode("utf-8")
        except UnicodeDecodeError:
            head = first.decode("utf-8", errors="ignore")
        else:
            if len(first) == len(source):
                decoded = head
        head = head.lstrip("\ufeff \t\r\n")
    else:
        head = source[:65536].lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return "json", decoded
    if _HTML.search(head) and not looks_like_markdown(head):
        return "html", decoded
    if looks_like_markdown(head):
        return "markdown", decoded
    return "text", decoded


def text_kind(text: str) -> SourceKind:
    r"""Return how a text source is laid out, from its content.

    ``"layout-text"`` where table rows have their columns as runs of spaces
    (``pdftotext -layout``); ``"lines-text"`` where a table is printed a cell a
    line, without tabs (a row label, then its values alone on their lines: other
    PDF extractors, crawlers); ``"text"`` otherwise (gipreport's own text, a
    docx's text, tab-separated tables).

    >>> text_kind("规章      0     0    0\n行政规范性文件   3   0   8\n行政许可   9  9  9")
    'layout-text'
    >>> text_kind("规章\n0\n0\n0\n行政规范性文件\n3\n0\n8")
    'lines-text'
    >>> text_kind("规章\t0\t0\t0")
    'text'
    """
    from gipreport._reading.from_layout import looks_like_layout  # noqa: PLC0415 - text only
    from gipreport._reading.from_lines import looks_like_lines  # noqa: PLC0415 - text only

    if looks_like_layout(text):
        return "layout-text"
    if looks_like_lines(text):
        return "lines-text"
    return "text"


def read(
    source: Source,
    *,
    format: InputFormat | None = None,
    organ: str | None = None,
    year: int | None = None,
) -> ParseResult:
    """Return the report in a published source, and notes on what was odd in it.

    ``source`` is a path, the file's bytes, or a ``str`` holding the document.
    ``format`` (``"docx"``, ``"xlsx"``, ``"pdf"``, ``"html"``, ``"text"``, ``"markdown"``
    or ``"json"``) is detected from the content when not given (:func:`detect_format`).
    ``organ`` and ``year`` give the report's organ and year: they are used
    whatever the source states (a note says where it states otherwise).

    Raises :class:`ParseError` when the source cannot be read as a report at
    all, and only then; everything else odd in it is a note. A source whose
    tables and text are read but which states no organ or no year raises
    :class:`PartialReadError`, a :class:`ParseError` that carries the reading:
    ``error.partial.complete(organ=…)`` gives it, as ``read(…, organ=…)`` does.

    >>> import gipreport
    >>> text = gipreport.render(gipreport.examples.mingan_2023(), "text")
    >>> result = gipreport.read(text)
    >>> result.format, result.report == gipreport.examples.mingan_2023(), result.notes
    ('text', True, ())
    """
    if format is not None and format not in get_args(InputFormat):
        msg = f"format: must be one of {', '.join(get_args(InputFormat))}, got {format!r}"
        raise ValueError(msg)
    given = _given(organ, year)
    data = _bytes_of(source, "source")
    kind, decoded = (format, None) if format is not None else _detect(data)
    try:
        if kind == "docx":
            return read_docx(data if isinstance(data, bytes) else data.encode(), **given)
        if kind == "xlsx":
            return read_xlsx(data if isinstance(data, bytes) else data.encode(), **given)
        if kind == "html":
            return _read_html(data, given, decoded)
        if kind == "json":
            return _read_json(data)
        if kind == "markdown":
            return _read_markdown(data, given, decoded)
        if kind == "pdf":
            return read_pdf(data if isinstance(data, bytes) else data.encode(), **given)
        return _read_text(data, given, decoded)
    except PartialReadError:
        raise
    except ParseError as error:
        if isinstance(source, str) and _FILE_NAME.match(source):
            hint = (
                f"{error.reason} (a str is read as the document itself: pass a Path to read a file)"
            )
            raise ParseError(hint, error.where) from error
        raise


class _Given(TypedDict):
    organ: str | None
    year: int | None


def _given(organ: str | None, year: int | None) -> _Given:
    if organ is not None and (not isinstance(organ, str) or not organ.strip()):
        msg = f"organ: a non-empty str, got {organ!r}"
        raise ValueError(msg)
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        msg = f"year: an int, got {year!r}"
        raise ValueError(msg)
    return {"organ": organ.strip() if organ is not None else None, "year": year}


@_uncollected
def read_docx(
    source: bytes | os.PathLike[str], *, organ: str | None = None, year: int | None = None
) -> ParseResult:
    """Return the report in a .docx file (a path or its bytes); see :func:`read`."""
    from gipreport._reading.from_docx import docx_source  # noqa: PLC0415 - only docx needs it

    data = _bytes_of(source, "source")
    if isinstance(data, str):
        msg = "source: a docx is bytes or a path, not str"
        raise TypeError(msg)
    return _assemble(docx_source(data), _given(organ, year))


def read_xlsx(
    source: bytes | os.PathLike[str], *, organ: str | None = None, year: int | None = None
) -> ParseResult:
    """Return the report in a spreadsheet (``.xlsx``, a path or its bytes); see :func:`read`.

    The workbook ``gipreport new --to xlsx`` writes, filled in with Excel, WPS or
    LibreOffice: a value is the number in its cell, a formula's the value saved
    with it; a formula saved without one is blank, with a ``formula-uncached``
    note. Every note names its sheet and cell (``note.where.sheet``, ``.cell``).
    Needs no extra.
    """
    from gipreport._reading.from_xlsx import (  # noqa: PLC0415 - xlsx only
        locate_where,
        located,
        xlsx_source,
    )

    data = _bytes_of(source, "source")
    if isinstance(data, str):
        msg = "source: a spreadsheet is bytes or a path, not str"
        raise TypeError(msg)
    doc, origins = xlsx_source(data)
    try:
        result = _assemble(doc, _given(organ, year))
    except PartialReadError as error:
        partial = error.partial
        places = {path: locate_where(w, origins) for path, w in partial.places.items()}
        error.partial = attrs.evolve(partial, notes=located(partial.notes, origins), places=places)
        raise
    places = {path: locate_where(where, origins) for path, where in result.places.items()}
    return attrs.evolve(result, notes=located(result.notes, origins), places=places)


def read_pdf(
    source: bytes | os.PathLike[str], *, organ: str | None = None, year: int | None = None
) -> ParseResult:
    """Return the report in a PDF's text layer (a path or its bytes); see :func:`read`.

    Needs the ``pdf`` extra (``pip install 'gipreport[pdf]'``). A scanned PDF
    (pages that are pictures) has no text to read and is refused.
    """
    from gipreport._reading.from_pdf import pdf_source  # noqa: PLC0415 - only PDF needs it

    data = _bytes_of(source, "source")
    if isinstance(data, str):
        msg = "source: a PDF is bytes or a path, not str"
        raise TypeError(msg)
    return _assemble(pdf_source(data), _given(organ, year))


def read_html(source: Source, *, organ: str | None = None, year: int | None = None) -> ParseResult:
    """Return the report in an HTML page (a path, its bytes or its text); see :func:`read`."""
    data = _bytes_of(source, "source")
    return _read_html(data, _Given(organ=organ, year=year), None)


@_uncollected
def _read_html(data: bytes | str, given: _Given, decoded: str | None) -> ParseResult:
    """:func:`read_html` of the page's bytes or text (``decoded``: see :func:`_detect`)."""
    from gipreport._reading.from_html import html_source  # noqa: PLC0415 - only HTML needs it

    notes: tuple[ParseNote, ...] = ()
    if isinstance(data, str):
        data, notes = _without_surrogates(data)
    doc = html_source(data, decoded=decoded)
    return _assemble(_with_notes(doc, notes), _given(given["organ"], given["year"]))


def read_text(source: Source, *, organ: str | None = None, year: int | None = None) -> ParseResult:
    """Return the report in plain text (a path, its bytes or the text); see :func:`read`.

    The text is laid out as :func:`gipreport.render` writes it with ``"text"``,
    or as text extraction from a docx gives it: one paragraph a line, each
    table cell a line starting with a tab, an empty line after each table row.
    A PDF's text with its columns as spaces (``"layout-text"``) and text with
    each table cell on a line of its own, without tabs (``"lines-text"``) are
    told apart from it by :func:`text_kind` and read as such.
    """
    return _read_text(source, _Given(organ=organ, year=year), None)


@_uncollected
def _read_text(source: Source, given: _Given, decoded: str | None) -> ParseResult:
    """:func:`read_text` of ``source`` (``decoded``: see :func:`_detect`)."""
    from gipreport._reading.from_layout import layout_source  # noqa: PLC0415 - text only
    from gipreport._reading.from_lines import lines_source  # noqa: PLC0415 - text only
    from gipreport._reading.from_text import text_source  # noqa: PLC0415 - only text needs it

    text, notes = _text_of(source, decoded)
    kind = text_kind(text)
    if kind == "layout-text":
        doc = layout_source(text)
    elif kind == "lines-text":
        doc = lines_source(text)
    else:
        doc = text_source(text)
    return _assemble(_with_notes(doc, notes), _given(given["organ"], given["year"]))


def read_markdown(
    source: Source, *, organ: str | None = None, year: int | None = None
) -> ParseResult:
    """Return the report in a markdown conversion (a path, its bytes or the text); see :func:`read`.

    Headings are ``#`` lines, tables are pipe tables; emphasis, lists and HTML
    tags are read as their text.
    """
    return _read_markdown(source, _Given(organ=organ, year=year), None)


@_uncollected
def _read_markdown(source: Source, given: _Given, decoded: str | None) -> ParseResult:
    """:func:`read_markdown` of ``source`` (``decoded``: see :func:`_detect`)."""
    from gipreport._reading.from_markdown import markdown_source  # noqa: PLC0415 - markdown only

    text, notes = _text_of(source, decoded)
    doc = markdown_source(text)
    return _assemble(_with_notes(doc, notes), _given(given["organ"], given["year"]))


def _text_of(source: Source, decoded: str | None = None) -> tuple[str, tuple[ParseNote, ...]]:
    data = _bytes_of(source, "source")
    if len(data) > MAX_TEXT_CHARACTERS:
        unit = "bytes" if isinstance(data, bytes) else "characters"
        msg = f"the text has {len(data):,} {unit}; at most {MAX_TEXT_CHARACTERS:,} are read"
        raise ParseError(msg)
    if isinstance(data, bytes):
        return _decode(data, decoded)
    return _without_surrogates(data)


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _without_surrogates(text: str) -> tuple[str, tuple[ParseNote, ...]]:
    """Return ``text`` with each lone surrogate replaced by U+FFFD, and a note if there was one.

    A ``str`` can hold lone surrogates (halves of a UTF-16 pair), which are no
    characters: a report holding one could not be encoded, dumped or rendered.
    :func:`gipreport.load_json` refuses them; a published page keeps its text.
    """
    first = _SURROGATE.search(text)
    if first is None:
        return text, ()
    count = len(_SURROGATE.findall(text))
    line = text.count("\n", 0, first.start()) + 1
    note = ParseNote(
        code="encoding",
        message=f"{count:,} lone surrogate(s), which are not characters: replaced by U+FFFD",
        where=Where(line=line),
        text=f"\\u{ord(first.group()):04x}",
    )
    return _SURROGATE.sub("\ufffd", text), (note,)


def _with_notes(doc: SourceDocument, notes: tuple[ParseNote, ...]) -> SourceDocument:
    if not notes:
        return doc
    return attrs.evolve(doc, notes=(*notes, *doc.notes))


_NOT_TEXT: Final = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff" + NONCHARACTERS + "]"
)
"""What no text of a report holds but line breaks and tabs (which are layout: a line
break starts a new paragraph, a tab is a space or a table's cell separator)."""


def _without_controls(doc: SourceDocument, *, controls: bool = True) -> SourceDocument:
    """Return ``doc`` with control characters and noncharacters removed, noting each text.

    No text of a report holds them (:data:`gipreport._core.model.UNPUBLISHABLE`); in a
    source they are artefacts of how it was made (a PDF's text, a broken conversion).
    Line breaks stay (a paragraph's line breaks start new paragraphs) and a tab in a
    paragraph is a space. ``controls=False`` says no text holds one
    (:func:`_may_hold_odd_text`): only the tabs are looked for.
    """
    if not controls and not any(
        "\t" in block.text for block in doc.blocks if isinstance(block, SourceParagraph)
    ):
        return doc  # nothing to clean: the common case
    notes: list[ParseNote] = []

    def clean(text: str, where: Where) -> str:
        if not controls:
            return text
        found = _NOT_TEXT.search(text)
        if found is None:
            return text
        code = f"U+{ord(found.group()):04X}"
        message = f"a control character or noncharacter ({code}), which is no text: removed"
        notes.append(ParseNote(code="artefact", message=message, where=where, text=text))
        return _NOT_TEXT.sub("", text)

    blocks: list[SourceBlock] = []
    changed = False
    for block in doc.blocks:
        if isinstance(block, SourceParagraph):
            text = clean(block.text, block.where).replace("\t", " ")
            if text != block.text:
                changed = True
                block = attrs.evolve(block, text=text)  # noqa: PLW2901 - the cleaned block
        elif (
            controls
            and isinstance(block, SourceTable)
            and _NOT_TEXT.search(
                # each cell once (a merged cell is one object in every slot it fills),
                # the table's text searched at once: "\n" is no control it looks for
                "\n".join(
                    cell.text
                    for cell in {id(cell): cell for row in block.rows for cell in row}.values()
                )
            )
        ):
            cleaned: dict[int, SourceCell] = {}  # a merged cell is one object in every slot
            rows = []
            for row in block.rows:
                cells = []
                for cell in row:
                    if id(cell) not in cleaned:
                        where = Where(
                            table=block.index, row=cell.row, column=cell.column, line=cell.line
                        )
                        text = clean(cell.text, where)
                        cleaned[id(cell)] = (
                            cell if text == cell.text else attrs.evolve(cell, text=text)
                        )
                    cells.append(cleaned[id(cell)])
                rows.append(tuple(cells))
            changed = True
            block = attrs.evolve(block, rows=tuple(rows))  # noqa: PLW2901 - the cleaned block
        blocks.append(block)
    if not changed:
        return doc
    return attrs.evolve(doc, blocks=tuple(blocks), notes=(*doc.notes, *notes))


def _assemble(doc: SourceDocument, given: _Given) -> ParseResult:
    # Most sources hold no control, noncharacter or bidirectional control: one
    # search of all their text says so, and neither pass need look at each text.
    texts: dict[int, tuple[SourceTable, set[str]]] = {}
    odd = _may_hold_odd_text(doc, texts)
    doc = _without_controls(doc, controls=odd)
    header = Header(organ=given["organ"], year=given["year"])
    result = assemble(doc, FORM_2021, header, table_texts=texts)
    bidi = tuple(_bidi_notes(doc)) if odd else ()
    if not bidi:
        return result
    return attrs.evolve(result, notes=(*bidi, *result.notes))


_TEXT: Final = operator.attrgetter("text")
_MAY_BE_ODD: Final = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\U00010000-\U0010ffff]"
)
"""Every character of :data:`_NOT_TEXT` and of :data:`BIDI_CONTROLS`, and every astral one
(a class of ranges, searched fast: :data:`_NOT_TEXT`'s astral noncharacters, each tried
at every character, make it slow)."""


def _may_hold_odd_text(
    doc: SourceDocument, table_texts: dict[int, tuple[SourceTable, set[str]]] | None = None
) -> bool:
    r"""Return whether a text of ``doc`` may hold a control, noncharacter or bidi control.

    ``False`` says that none does: :func:`_without_controls` would change nothing but
    a paragraph's tabs, and :func:`_bidi_notes` yield nothing. All the texts are
    searched at once (joined by a space, which is none of those characters).

    ``table_texts``, if given, is filled with each table's texts by its id (with the
    table): the assembly tells the tables by them (``TableState.printed_keys``),
    and need not gather them again.
    """
    texts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, SourceParagraph):
            texts.append(block.text)
        elif isinstance(block, SourceTable):
            # Each text once: a merged cell is one text in every slot it fills (a
            # page may merge one over thousands of slots).
            printed = set(map(_TEXT, itertools.chain.from_iterable(block.rows)))
            texts.extend(printed)
            if table_texts is not None:
                table_texts[id(block)] = (block, printed)
    # Every character looked for is unprintable (Cc, Cf, Cs, Cn): a printable text
    # holds none, told at once (the texts joined by a space, which is printable).
    joined = " ".join(texts)
    return not joined.isprintable() and _MAY_BE_ODD.search(joined) is not None


BIDI_CONTROLS: Final = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""The bidirectional controls (Unicode's Bidi_Control property): U+061C, U+200E, U+200F,
U+202A–U+202E, U+2066–U+2069. A text holding one may be shown reordered (U+202E makes
"txt.exe" look like "exe.txt")."""

_BIDI: Final = re.compile(f"[{BIDI_CONTROLS}]")


def _bidi_notes(doc: SourceDocument) -> Iterator[ParseNote]:
    """Yield a ``bidi-control`` note for each paragraph or cell of ``doc`` holding one."""
    for block in doc.blocks:
        if isinstance(block, SourceParagraph):
            if _BIDI.search(block.text):
                yield _bidi_note(block.text, block.where)
        elif isinstance(block, SourceTable):
            # Each cell once (a merged cell is one object in every slot it fills),
            # and the table's text searched at once: a control is rare.
            cells = {id(cell): cell for row in block.rows for cell in row}.values()
            if not _BIDI.search("\n".join(cell.text for cell in cells)):
                continue
            for cell in cells:
                if _BIDI.search(cell.text):
                    where = Where(
                        table=block.index, row=cell.row, column=cell.column, line=cell.line
                    )
                    yield _bidi_note(cell.text, where)


def _bidi_note(text: str, where: Where) -> ParseNote:
    found = _BIDI.search(text)
    assert found is not None
    control = f"U+{ord(found.group()):04X}"
    message = f"a bidirectional control ({control}): the text may be shown in another order"
    return ParseNote(code="bidi-control", message=message, where=where, text=text)


def _read_json(data: bytes | str) -> ParseResult:
    from gipreport._core.jsonio import load_json  # noqa: PLC0415 - the converter loads lazily

    try:
        report = load_json(data)
    except LoadError as error:
        raise ParseError(f"not a valid gipreport JSON document: {error}") from error
    return ParseResult(report=report, notes=(), format="json")
