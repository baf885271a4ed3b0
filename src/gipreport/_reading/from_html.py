"""Reading a web page: HTML → :class:`~gipreport._reading.source.SourceDocument`.

Reports are published on government websites whose pages are old, hand-edited
or exported from Word: unclosed ``<p>`` and ``<td>``, stray end tags, upper-case
tags, GB2312 bytes, and layout tables that wrap the whole page. A browser shows
such a page correctly, so a reader has to take it the way a browser does, and
never fail on it. This module therefore does three plain things, each tolerant:

1. decode the bytes (byte order mark, then the page's ``<meta>`` charset, then
   UTF-8, then GB18030), noting any encoding other than UTF-8;
2. build a small tree from the tokens :mod:`html.parser` would give
   (:mod:`~gipreport._reading.html_tokens`, in linear time), closing elements the
   way a browser does (a block closes an open ``<p>``, a ``<td>`` closes the cell
   before it, an end tag with nothing to close is ignored) — in one loop over the
   page's pieces that takes a repeated tag's common events its own short way
   (:func:`_build`), the same tree as the tree builder's methods make of the events;
3. walk the tree into blocks in reading order — paragraphs, tables resolved to a
   rectangular grid by the HTML table algorithm, and images.

It does not decide what a block means; :mod:`gipreport._reading.assemble` does, for every
input format. Text is kept as written, except whitespace that is only source
formatting (a run holding a line break), so that a page gipreport wrote reads
back to the report it came from. Both the tree and the walk are iterative: a
page nested thousands of levels deep reads like any other. Whatever the input,
the only exception that leaves :func:`html_source` is
:class:`~gipreport._core.errors.ParseError`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from html import unescape
from typing import Any, Final, Literal, NoReturn, cast

from gipreport._core import limits
from gipreport._core.errors import ParseError
from gipreport._core.values import draft_class
from gipreport._reading.html_tokens import (
    END,
    MAX_QUOTED,
    RAW,
    REMEMBERED_TAGS,
    STARTEND,
    Known,
    Scanner,
    quoted_shape,
)
from gipreport._reading.source import (
    Mark,
    ParseNote,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceImage,
    SourceParagraph,
    SourceTable,
    Where,
    capped,
    new_cell,
    new_where,
    positions_if_few,
)

__all__ = ["MAX_INPUT", "MAX_NODES", "MAX_TABLE_SLOTS", "html_source"]

MAX_INPUT: Final = limits.MAX_HTML_CHARACTERS
"""The largest page read, in bytes (or characters, for text): 20 MiB."""

MAX_TABLE_SLOTS: Final = limits.MAX_TABLE_SLOTS
"""The most grid slots (rows × columns) one table may have."""

MAX_NODES: Final = limits.MAX_HTML_NODES
"""The most tags (start and end) and runs of text a page may have."""

_MAX_COLSPAN: Final = limits.MAX_SPAN
_MAX_ROWSPAN: Final = 65534
_SNIFF_BYTES: Final = 4096

_VOID: Final = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
        "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip
"""Elements that never have content: a start tag is the whole element."""

_IGNORED: Final = frozenset(
    {
        "head", "iframe", "math", "noscript", "object", "script", "style", "svg", "template",
        "title",
    }
)  # fmt: skip
"""Elements whose content is not the page's text."""

_HEADINGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

_TABLE_PARTS: Final = frozenset(
    {"caption", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"}
)

_CLOSES_P: Final = _HEADINGS | frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "header", "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p",
        "plaintext", "pre", "search", "section", "summary", "table", "ul", "xmp",
    }
)  # fmt: skip
"""Start tags that close an open ``<p>``, as in a browser."""

_BLOCKS: Final = (
    _CLOSES_P
    | _TABLE_PARTS
    | frozenset({"body", "frameset", "html", "legend", "optgroup", "option", "select"})
)
"""Elements that begin and end a paragraph; every other element is inline."""

_PREFORMATTED: Final = frozenset({"listing", "plaintext", "pre", "xmp"})

_HEAD_CONTENT: Final = frozenset(
    {"base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style", "template",
     "title"}
)  # fmt: skip
"""Elements that may stand in ``<head>``; any other start tag closes it."""

_FOSTER_FROM: Final = frozenset({"table", "tbody", "tfoot", "thead", "tr"})
"""Open elements whose text and elements (other than table parts) go before the table."""
_STAYS_IN_TABLE: Final = _TABLE_PARTS | _IGNORED | frozenset({"col", "form", "input", "table"})
_P_SCOPE: Final = frozenset({"caption", "html", "table", "td", "th", "template"})
_CELL_SCOPE: Final = frozenset({"caption", "table", "td", "th"})
_LIST_SCOPE: Final = frozenset({"caption", "dir", "menu", "ol", "table", "td", "th", "ul"})
_DL_SCOPE: Final = frozenset({"caption", "dl", "table", "td", "th"})
_ROW_GROUPS: Final = frozenset({"tbody", "tfoot", "thead"})
_TABLE_ONLY: Final = frozenset({"table"})
_ROW_OR_TABLE: Final = _ROW_GROUPS | frozenset({"tr", "table"})
_CELL_ROW_OR_TABLE: Final = _ROW_OR_TABLE | frozenset({"td", "th"})
_TABLE_OR_CELL: Final = frozenset({"table", "td", "th", "caption"})
_DD_DT: Final = frozenset({"dd", "dt"})
_CLOSED_IN_TABLE: Final = _ROW_GROUPS | frozenset({"td", "th", "tr", "caption", "colgroup"})
_CELLS: Final = frozenset({"td", "th"})
_IGNORED_OR_TABLE: Final = _IGNORED | {"table"}
_ROW_PARENTS: Final = _ROW_GROUPS | _TABLE_ONLY
"""Where a ``<tr>`` starts with nothing to close: a table or a row group is the open element."""
_CLOSING_START: Final = _CLOSES_P | _CLOSED_IN_TABLE | frozenset({"body", "dd", "dt", "li"})
"""Start tags that close open elements (other than ``<head>``): see ``_close_before``."""

_WHITESPACE_RUN: Final = re.compile(r"[ \t\n\r\f]+")
_RIGHT_ALIGNED: Final = re.compile(r"text-align\s*:\s*right\b", re.IGNORECASE)
_SPAN: Final = re.compile(r"[ \t\n\f\r]*\+?([0-9]+)")
_HUGE_CHARREF: Final = re.compile(r"&#[0-9]{100,}")
_NEWLINES: Final = re.compile(r"\r\n?")
_META_CHARSET: Final = re.compile(
    rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE
)
_WHATWG_LABELS: Final = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8 "
    # ASCII is UTF-8 (browsers read it as windows-1252, but a page that says ASCII
    # and is not is far likelier UTF-8). A page whose <meta> could be read as
    # ASCII is not UTF-16 (as browsers reason).
    "ansi_x3.4-1968 ascii us-ascii unicodefffe utf-16be csunicode iso-10646-ucs-2 ucs-2 "
    "unicode unicodefeff utf-16 utf-16le",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859_2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 "
    "iso_8859-2:1987 l2 latin2",
    "iso8859_3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 "
    "iso_8859-3:1988 l3 latin3",
    "iso8859_4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 "
    "iso_8859-4:1988 l4 latin4",
    "iso8859_5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 "
    "iso_8859-5 iso_8859-5:1988",
    "iso8859_6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 "
    "iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 "
    "iso_8859-6:1987",
    "iso8859_7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 "
    "iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso8859_8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 "
    "iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859_10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859_13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859_14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859_15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859_16": "iso-8859-16",
    "koi8_r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8_u": "koi8-ru koi8-u",
    "mac_roman": "csmacintosh mac macintosh x-mac-roman",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": "cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 "
    "iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 "
    "iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "mac_cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk "
    "gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 "
    "ksc5601 ksc_5601 windows-949",
}
"""The encodings a browser reads a page in (the WHATWG Encoding Standard), by the Python
codec that decodes each, with every label that names it. GBK and GB2312 are read as
GB18030, which holds them; "latin1" means windows-1252, as in a browser."""

_CHARSETS: Final = {
    label: codec for codec, labels in _WHATWG_LABELS.items() for label in labels.split()
}
"""Label (lower case) → Python codec, for a page's ``<meta>`` charset. Any other label (a
Python-only codec such as ``punycode``, ``rot13`` or ``utf-7``) is not an encoding a
browser knows: the page is decoded as if it declared none, with a note."""

_BOMS: Final = (  # UTF-32 LE's mark starts with UTF-16 LE's: it is looked for first
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)


def html_source(source: str | bytes, *, decoded: str | None = None) -> SourceDocument:
    r"""Return the blocks of an HTML page in reading order, with notes on its encoding.

    ``source`` is the page as text, or as bytes in any encoding a browser would
    take from its byte order mark or ``<meta>`` charset (GB2312, GBK and GB18030
    are all read as GB18030), else UTF-8, else GB18030. Paragraphs keep their
    text as written except whitespace that only formats the source; a table
    becomes a rectangular grid where a merged cell fills every slot it covers;
    a table that holds another table only lays out the page, and its content
    flows as blocks. Raises :class:`~gipreport._core.errors.ParseError` for bytes no
    encoding reads, for input over 20 MiB and for a table over 200,000 slots.
    ``decoded`` is the bytes decoded as UTF-8 already, if the caller did
    (:func:`gipreport.read`'s detection of the format): it is taken where the
    page is read as UTF-8.

    >>> doc = html_source("<h1>年度报告</h1><p>正文<br>第二行</p><table><tr><td>1</td></table>")
    >>> [type(block).__name__ for block in doc.blocks]
    ['SourceParagraph', 'SourceParagraph', 'SourceTable']
    >>> doc.blocks[1].text
    '正文\n第二行'
    """
    value: object = source
    notes: tuple[ParseNote, ...] = ()
    if isinstance(value, str):
        if len(value) > MAX_INPUT:
            raise ParseError(
                f"the page has {len(value):,} characters; at most {MAX_INPUT:,} are read"
            )
        text = value.removeprefix("\ufeff")
    elif isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        if len(data) > MAX_INPUT:
            raise ParseError(f"the page has {len(data):,} bytes; at most {MAX_INPUT:,} are read")
        text, notes = _decode(data, decoded)
    else:
        raise ParseError(f"an HTML page is str or bytes, not {type(value).__name__}")
    root = _parse(text)
    return SourceDocument(format="html", blocks=capped(_Flow().run(root)), notes=notes)


# --- decoding ------------------------------------------------------------------------------


def _decode(data: bytes, decoded: str | None = None) -> tuple[str, tuple[ParseNote, ...]]:
    """Return ``data`` as text, and an ``encoding`` note if it was not UTF-8.

    ``decoded`` is ``data`` decoded as UTF-8 already, if it was: taken as it.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                where = f"byte {error.start + len(bom)}"
                reason = f"cannot decode the page as {label}, which its byte order mark declares"
                raise ParseError(reason, where) from None
            if codec == "utf-8":
                return text, ()
            return text, (_note(f"decoded as {label}, from the page's byte order mark"),)
    declared = _declared_codec(data)
    ignored: tuple[ParseNote, ...] = ()
    if isinstance(declared, str):
        ignored = (
            _note(
                f"the page's <meta> declares the charset {declared!r}, which is not an "
                "encoding browsers read: decoded as if none were declared"
            ),
        )
        declared = None
    candidates = [("utf-8", "UTF-8"), ("gb18030", "GB18030")]
    if declared is not None:
        candidates = [declared, *(pair for pair in candidates if pair != declared)]
    failed: dict[str, int] = {}  # label → the byte decoding failed at
    for codec, label in candidates:
        try:
            text = decoded if codec == "utf-8" and decoded is not None else data.decode(codec)
        except ValueError as error:  # UnicodeDecodeError; idna and a few others raise their own
            failed[label] = error.start if isinstance(error, UnicodeDecodeError) else 0
            continue
        if codec == "utf-8":
            return text, ignored
        if declared is not None and codec == declared[0]:
            message = f"decoded as {label}, which the page's <meta> declares"
        else:
            message = f"not UTF-8 (invalid at byte {failed['UTF-8']}): decoded as {label}"
            if declared is not None:
                message += f"; the page's <meta> declares {declared[1]}"
        return text, (*ignored, _note(message))
    first = next(iter(failed.values()))
    raise ParseError(f"cannot decode the page as {' or '.join(failed)}", f"byte {first}")


def _note(message: str) -> ParseNote:
    return ParseNote(code="encoding", message=message)


def _declared_codec(data: bytes) -> tuple[str, str] | str | None:
    """Return the codec and label a ``<meta>`` in the first 4 KiB declares.

    ``None`` when there is no ``<meta>`` charset; the declared name alone when it is
    none of the labels browsers know (:data:`_CHARSETS`).
    """
    match = _META_CHARSET.search(data, 0, _SNIFF_BYTES)
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    codec = _CHARSETS.get(name)
    if codec is None:
        return name
    return codec, _LABELS.get(codec, codec.upper())


_LABELS: Final = {"utf-8": "UTF-8", "gb18030": "GB18030", "cp1252": "WINDOWS-1252"}


# --- the tree ------------------------------------------------------------------------------


_Text = tuple[str, int]
"""A run of text, and the line it starts on: a plain tuple, not an object, because a page has
thousands and a tuple is made (and collected) several times faster."""


_NOT_FOUND: Final = "?"
"""An element's mark, not yet found."""
_MaybeMark = Mark | Literal["?"] | None


class _Element(list["_Element | _Text"]):
    """An element: its content (the list itself), tag, attributes, line, mark and tables.

    It is its own list of content, and is made by :func:`_element` (or as it does, inline):
    a page has thousands, and one object without an ``__init__`` of its own is made (and
    collected) at half the cost of an object and its list. It is equal to another as lists
    are (by content): elements are told apart by identity (``is``), never by ``==``.
    """

    __slots__ = ("attributes", "has_table", "line", "mark", "tag")

    tag: str
    attributes: dict[str, str | None]
    """The value of each attribute (None where it has none), the first of a repeated one.
    Elements of one remembered tag share the dict (see _build): it is never changed."""
    line: int
    mark: _MaybeMark
    """_own_mark(tag, attributes), or _NOT_FOUND until the flow needs it (most cells' it
    never needs); found once for all the elements of a remembered tag."""
    has_table: bool
    """Whether a <table> (outside ignored content) is nested in this table."""

    @property
    def children(self) -> _Element:
        """The element's content: the element itself."""
        return self


def _element(tag: str, attributes: dict[str, str | None], line: int, mark: _MaybeMark) -> _Element:
    """Return a new element, with no content yet."""
    element = _Element()
    element.tag = tag
    element.attributes = attributes
    element.line = line
    element.mark = mark
    element.has_table = False
    return element


class _TreeBuilder:
    """A tree of :class:`_Element` from the tokens, closing elements as browsers do.

    It is the sink of :func:`~gipreport._reading.html_tokens.tokens`; :func:`_build` does
    its common events itself, and calls its methods for the rest.
    """

    def __init__(self) -> None:
        self.root = _element("#root", {}, 1, None)
        self._stack: list[_Element] = [self.root]
        self._open: dict[str, int] = {}  # how many of each tag are open (a dict: no __missing__)
        self._tables: list[_Element] = []
        self._ignoring = 0
        self._line = 1
        self._nodes = 0

    def startend(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        """Open ``tag``; a browser ignores "/>" except on the elements it skips whole."""
        self.start(tag, attrs, line)
        if tag in _IGNORED and tag not in _VOID:
            self.end(tag, line)

    def start(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        """Add an element, first closing what its start tag closes in a browser."""
        self.open(tag, _attributes(attrs), line)

    def open_closed(self, tag: str, attributes: dict[str, str | None], line: int) -> None:
        """:meth:`startend`, with the attributes as :func:`_attributes` gives them."""
        self.open(tag, attributes, line)
        if tag in _IGNORED and tag not in _VOID:
            self.end(tag, line)

    def open(self, tag: str, attributes: dict[str, str | None], line: int) -> None:
        """:meth:`start`, with the attributes as :func:`_attributes` gives them."""
        self._nodes += 1
        if self._nodes > MAX_NODES:
            self._too_many(line)
        stack = self._stack
        top = stack[-1]
        above = top.tag
        if (tag in _CELLS and above == "tr") or (tag == "tr" and above in _ROW_PARENTS):
            pass  # a cell in the open row, a row in the open table (or group): nothing to close
        elif tag in _CLOSING_START or above == "head":
            self._line = line  # the line of a row the start tag implies
            self._close_before(tag)
            top = stack[-1]
            above = top.tag
            if tag == "table" and self._tables and not self._ignoring:
                self._tables[-1].has_table = True
        element = _element(tag, attributes, line, _NOT_FOUND)
        if above not in _FOSTER_FROM or tag in _STAYS_IN_TABLE:
            top.append(element)
        else:
            self._append(element)
        if tag not in _VOID:
            stack.append(element)
            open_ = self._open
            open_[tag] = open_.get(tag, 0) + 1
            if tag in _IGNORED_OR_TABLE:
                if tag == "table":
                    self._tables.append(element)
                else:
                    self._ignoring += 1

    def end(self, tag: str, line: int) -> None:
        """Close ``tag`` if it is open where it may be closed; else ignore the end tag."""
        self._nodes += 1
        if self._nodes > MAX_NODES:
            self._too_many(line)
        if tag == "br":  # </br> is a line break in every browser (counted twice)
            self.start("br", [], line)
            return
        open_ = self._open
        if not open_.get(tag) or tag in {"body", "html"}:
            return  # nothing to close (content after </body> is still the body's)
        stack = self._stack
        if stack[-1].tag == tag:  # the innermost open element: closed in any scope
            stack.pop()
            open_[tag] -= 1
            if tag in _IGNORED_OR_TABLE:
                if tag == "table":
                    self._tables.pop()
                else:
                    self._ignoring -= 1
        elif tag in _CLOSED_IN_TABLE:
            self._close(tag, _TABLE_ONLY)
        elif tag == "table":
            self._close(tag, ())
        else:
            self._close(tag, _CELL_SCOPE if tag != "head" else ())

    def _too_many(self, line: int) -> NoReturn:
        reason = f"the page has more than {MAX_NODES:,} tags and runs of text: not a report"
        raise ParseError(reason, f"line {line}")

    def data(self, data: str, line: int) -> None:
        """Add text to the open element."""
        self._nodes += 1
        if self._nodes > MAX_NODES:
            self._too_many(line)
        top = self._stack[-1]
        above = top.tag
        if above == "head" and data.strip(" \t\n\r\f"):
            self._close("head", ())
            top = self._stack[-1]
            above = top.tag
        if self._ignoring or not data:
            return
        if above in _PREFORMATTED and not top and data.startswith("\n"):
            data = data[1:]  # a newline right after <pre> is not content
            if not data:
                return
        if above in _FOSTER_FROM and data.strip(" \t\n\r\f"):
            self._append((data, line))
        else:  # layout whitespace stays where it is, even in a table
            top.append((data, line))

    # --- the stack of open elements

    def _append(self, node: _Element | _Text) -> None:
        """Add ``node`` to the open element, or before the table if that is a table's row.

        Content in a table but in no cell is shown before the table by browsers
        ("foster parenting"); so it is read there.
        """
        top = self._stack[-1]
        if top.tag in _FOSTER_FROM:
            index = self._nearest(_TABLE_ONLY)
            if index is not None:
                # The open table is the last child of the element below it on the stack.
                siblings = self._stack[index - 1]
                if siblings and siblings[-1] is self._stack[index]:
                    siblings.insert(len(siblings) - 1, node)
                    return
        top.append(node)

    def _close_before(self, tag: str) -> None:
        """Close the open elements that a start tag ``tag`` closes."""
        if (self._stack[-1].tag == "head" and tag not in _HEAD_CONTENT) or tag == "body":
            self._close("head", ())
        if tag in _CLOSES_P:
            self._close("p", _P_SCOPE)
        if tag in _HEADINGS and self._stack[-1].tag in _HEADINGS:
            self._pop_to(len(self._stack) - 1)
        if tag in {"td", "th"}:
            self._start_cell()
        elif tag == "tr":
            self._start_row()
        elif tag in _ROW_GROUPS or tag in {"caption", "colgroup"}:
            self._clear_to_table()
        elif tag == "table":
            index = self._nearest(_TABLE_OR_CELL)
            if index is not None and self._stack[index].tag == "table":
                self._pop_to(index)  # <table> directly in a table ends that table
        elif tag == "li":
            self._close("li", _LIST_SCOPE)
        elif tag in {"dd", "dt"}:
            self._close_any(_DD_DT, _DL_SCOPE)

    def _push(self, element: _Element) -> None:
        self._stack.append(element)
        self._open[element.tag] = self._open.get(element.tag, 0) + 1
        if element.tag in _IGNORED:
            self._ignoring += 1
        if element.tag == "table":
            self._tables.append(element)

    def _pop_to(self, index: int) -> None:
        """Close the elements from ``index`` up."""
        while len(self._stack) > max(index, 1):
            element = self._stack.pop()
            self._open[element.tag] -= 1
            if element.tag in _IGNORED:
                self._ignoring -= 1
            if element.tag == "table":
                self._tables.pop()

    def _nearest(self, tags: frozenset[str], scope: frozenset[str] | tuple[()] = ()) -> int | None:
        """Return the index of the innermost open element in ``tags``, not beyond ``scope``."""
        open_ = self._open
        for tag in tags:
            if open_.get(tag):
                break
        else:
            return None
        stack = self._stack
        for index in range(len(stack) - 1, 0, -1):
            tag = stack[index].tag
            if tag in tags:
                return index
            if tag in scope:
                return None
        return None

    def _close(self, tag: str, scope: frozenset[str] | tuple[()]) -> None:
        """Close the innermost open ``tag``, if one is open within ``scope``."""
        if not self._open.get(tag):
            return
        stack = self._stack
        for index in range(len(stack) - 1, 0, -1):
            found = stack[index].tag
            if found == tag:
                self._pop_to(index)
                return
            if found in scope:
                return

    def _close_any(self, tags: frozenset[str], scope: frozenset[str] | tuple[()]) -> None:
        index = self._nearest(tags, scope)
        if index is not None:
            self._pop_to(index)

    def _clear_to_table(self) -> None:
        """Close everything inside the innermost open table, if one is open."""
        index = self._nearest(_TABLE_ONLY)
        if index is not None:
            self._pop_to(index + 1)

    def _start_row(self) -> None:
        index = self._nearest(_ROW_OR_TABLE)
        if index is None:
            return
        if self._stack[index].tag == "tr":
            self._pop_to(index)
        else:
            self._pop_to(index + 1)

    def _start_cell(self) -> None:
        index = self._nearest(_CELL_ROW_OR_TABLE)
        if index is None:
            return
        if self._stack[index].tag in {"td", "th"}:
            self._pop_to(index)
            index = self._nearest(_ROW_OR_TABLE)
            if index is None:  # pragma: no cover - a cell is always inside a table
                return
        self._pop_to(index + 1)
        if self._stack[-1].tag != "tr":  # a cell outside a row: the row is implied
            row = _element("tr", {}, self._line, None)
            self._stack[-1].append(row)
            self._push(row)


def _attributes(attrs: list[tuple[str, str | None]]) -> dict[str, str | None]:
    """Return the value of each attribute (None where it has none), the first of a repeated one."""
    if not attrs:
        return {}
    return dict(reversed(attrs)) if len(attrs) > 1 else dict(attrs)


def _parse(text: str) -> _Element:
    """Return the tree of ``text``."""
    if "\r" in text:  # as a browser does; it also makes line numbers right
        text = _NEWLINES.sub("\n", text)
    # html.unescape cannot convert a decimal reference of thousands of digits (int's
    # limit); any reference of 100 digits is out of Unicode's range anyway.
    if _may_hold_charref(text):
        text = _HUGE_CHARREF.sub("&#65533", text)
    return _build(text)


def _may_hold_charref(text: str) -> bool:
    """Return whether ``text`` holds ``"&#"`` (a character reference, which may be huge).

    A page has no "&", or a few (``&nbsp;``, ``&amp;``): each is looked at
    (:func:`~gipreport._reading.source.positions_if_few`), which is 40 times as fast as
    searching a page of tens of thousands of characters for ``"&#"``, and 50 times as
    fast as :data:`_HUGE_CHARREF`'s search. Text of more is searched for it as such.
    """
    ampersands = positions_if_few(text, "&", _FEW_AMPERSANDS)
    if ampersands is None:
        return "&#" in text
    return any(text.startswith("#", at + 1) for at in ampersands)


_FEW_AMPERSANDS: Final = 64


# The tree builder's short ways, for a tag remembered (see _build): what its event does when
# the open element is an ordinary one. Anything else is the builder's own method.
_END_TAG: Final = 0  # close the open element, of this tag (or ignore the end of one not open)
_INLINE: Final = 1  # open an element that closes nothing (span, font, o:p, b, …)
_VOID_ELEMENT: Final = 2  # add an element that has no content (br, img, …)
_BLOCK: Final = 3  # open an element whose start tag closes only an open <p> (p, div, …)
_CELL: Final = 4  # open a cell: nothing to close when the open element is a row
_ROW: Final = 5  # open a row: nothing to close when the open element is a table or row group
_OPEN: Final = 6  # a start tag: _TreeBuilder.open
_OPEN_CLOSED: Final = 7  # a self-closing tag: _TreeBuilder.open_closed
_CLOSE: Final = 8  # an end tag: _TreeBuilder.end

_ORDINARY_SLOW: Final = frozenset({"head"}) | _FOSTER_FROM
"""Open elements where an inline, void or block element's start takes the builder's own way
(``<head>`` may be closed by it; a table's content may be fostered)."""
_TEXT_SLOW: Final = frozenset({"head"}) | _PREFORMATTED | _FOSTER_FROM
"""Open elements where text takes the builder's own way (unless it is only whitespace in a
table's part, which stays where it is)."""
_P_CLOSERS: Final = _CLOSES_P - _HEADINGS - _VOID - {"dd", "dt", "li", "table"}
"""Start tags whose only closing, out of ``<head>`` and a table, is of an open ``<p>``."""
_ENDS_OWN_WAY: Final = _IGNORED_OR_TABLE | frozenset({"body", "br", "html"})
"""End tags the builder's short way does not take (each does more than close the element)."""

_Tag = tuple[int, str, dict[str, str | None], int, _MaybeMark]
"""A tag remembered: its short way (``_INLINE`` …), name, attributes, line breaks and mark."""
_Remembered = tuple[int, str, dict[str, str | None], int, _MaybeMark, str | None, bool, int, int]
"""A piece of the page (a tag and the text to the next "<") remembered: the tag's
:data:`_Tag`, the text (``None`` if there is none), whether it is only whitespace, its line
breaks, and the piece's length with its "<"."""

_NO_ATTRIBUTES: Final[dict[str, str | None]] = {}

_KNOWN_PIECE: Final = 256
"""The longest piece remembered, with its "<"."""

_REMEMBERED: Final = REMEMBERED_TAGS
"""The most pieces remembered on one page: a report's page has a few thousand distinct
ones; a page of unique pieces is read without remembering the rest."""


def _short_way(seen: Known) -> _Tag | None:
    """Return how the tree builder takes a tag the scanner remembered; ``None`` for raw text's."""
    kind, tag, listed, newlines = seen
    way: int
    if kind == RAW:
        return None  # the scanner reads its raw text with it
    if kind == END:
        way = _CLOSE if tag in _ENDS_OWN_WAY else _END_TAG
        return (way, tag, _NO_ATTRIBUTES, newlines, None)
    # The attributes as _attributes gives them, shared by the elements of this tag.
    attributes = dict(reversed(listed)) if len(listed) > 1 else dict(listed)
    way = _OPEN_CLOSED if kind == STARTEND and tag in _IGNORED else _start_way(tag)
    mark = _NOT_FOUND if way == _CELL else _own_mark(tag, attributes)  # a cell's: seldom wanted
    return (way, tag, attributes, newlines, mark)


def _start_way(tag: str) -> int:
    """Return the short way of a start tag ``tag`` (of one that does not close itself)."""
    if tag in _CELLS:
        return _CELL
    if tag == "tr":
        return _ROW
    if tag in _IGNORED_OR_TABLE:
        return _OPEN
    if tag in _CLOSING_START:
        return _BLOCK if tag in _P_CLOSERS else _OPEN
    return _VOID_ELEMENT if tag in _VOID else _INLINE


_Shape = tuple[int, str, tuple[str, ...]] | None
"""The tags of one skeleton (see :func:`quoted_shape`): their short way, name and attributes'
names in reverse order; ``None`` for tags the scanner reads."""


def _quoted_tag(name: str, shapes: dict[str, _Shape]) -> _Tag | None:
    """Return :func:`_short_way` of the tag ``<name>`` if it is of quoted attributes only.

    It is what :meth:`Scanner.tag` and :func:`_short_way` give, found at a third of
    their cost: a page of unique tags (gipreport's own, whose every value cell has its own
    ``data-path``) repeats their shape, ``td class="…" data-path="…"``, which is read once
    (:func:`quoted_shape`); each tag is then split at its quotes. ``None`` for any other tag.
    ``name`` holds a quote, and is at most :data:`MAX_QUOTED` long.
    """
    parts = name.split('"')
    if not len(parts) % 2:  # an odd number of quotes: a value not closed
        return None
    skeleton = '"'.join(parts[::2])
    shape = shapes.get(skeleton, _NOT_READ)
    if shape is _NOT_READ:
        found = quoted_shape(skeleton)
        shape = None if found is None else (_start_way(found[0]), found[0], found[1][::-1])
        if len(shapes) >= _SHARED_TAGS:
            shapes.clear()
        shapes[skeleton] = shape
    if shape is None:
        return None
    way, tag, names = shape
    values = parts[-2::-2]  # in reverse order, as names: the first of a repeated name wins
    if "&" in name:
        values = [unescape(value) if "&" in value else value for value in values]
    # As many values as names (the skeleton's): strict= would cost a third of the dict.
    attributes: dict[str, str | None] = dict(zip(names, values))  # noqa: B905
    mark = _NOT_FOUND if way == _CELL else _own_mark(tag, attributes)
    return (way, tag, attributes, name.count("\n"), mark)


_NOT_READ: Final[_Shape] = (-1, "", ())
"""A skeleton not yet read (``shapes.get``'s default)."""

_SHARED_TAGS: Final = 2048
"""The most tags (and skeletons) remembered across pages; past it the memo starts afresh.
A tag remembered is under 256 characters (:meth:`Scanner.tag` looks that far for its ">"):
under ten megabytes at worst, a few hundred kilobytes for the pages of reports."""

_TAGS: Final[dict[str, _Tag]] = {}
"""The tags read whole, by their text between "<" and ">", as :func:`_build` takes them: a
tag is the same event wherever it stands (outside raw text), on any page, so pages that
share their markup (gipreport's own, whose value cells' ``data-path`` are the form's; the
pages of one site) read each tag once. A tag's attributes dict is shared by its elements
on every page: it is never changed."""

_SHAPES: Final[dict[str, _Shape]] = {}
"""The skeletons of tags of quoted attributes read (:func:`_quoted_tag`), across pages."""


_WINDOW: Final = 1 << 15
"""How much of the page is split into pieces at a time (so that a page of nothing but "<"
is not a list of millions of pieces at once)."""


def _build(text: str, window_length: int = _WINDOW) -> _Element:  # noqa: PLR0912, PLR0915
    """Return the tree :class:`_TreeBuilder` builds from :func:`tokens` of ``text``, faster.

    The page is split at each "<" into pieces, a tag and the text after it. A page
    repeats its pieces (``</span>``, ``<td class="c1">``, ``</td>`` and the line break
    after it): a tag the scanner reads whole (:meth:`Scanner.tag`) is remembered across
    pages (:data:`_TAGS`), a piece made of one on this page, and its events are done in
    this loop the tree builder's short ways where they are common (an inline element in a
    paragraph, a cell in a row, the end of the open element); any other construct is read
    by the scanner, and any other event is the builder's own method. The tree is the same,
    on any page (``tests/test_read_html_source.py`` checks it against the events of
    :func:`tokens`).
    It is one loop, on purpose: a call per event would cost as much as the event.
    """
    builder = _TreeBuilder()
    scanner = Scanner(text, builder)
    construct = scanner.construct
    read_tag = scanner.tag
    stack = builder._stack
    open_ = builder._open
    too_many = builder._too_many
    max_nodes = MAX_NODES
    new_element = _Element
    tags = _TAGS  # by the tag's text between "<" and ">", shared by the pages read
    pieces: dict[str, _Remembered] = {}
    find = text.find
    n = len(text)
    line = 1
    start = 0  # where the page is read on from: not inside a construct
    while start < n:
        window = find("<", start)
        if window < 0:
            window = n
        if start < window:  # the text to the next "<": the builder's own way
            chunk = text[start:window]
            builder.data(unescape(chunk) if "&" in chunk else chunk, line)
            line += chunk.count("\n")
            if window == n:
                break
        # The pieces from the "<" at window up to the last "<" before window + window_length.
        bound = n
        if window + window_length < n:
            bound = text.rfind("<", window + 1, window + window_length)
        if bound < 0:  # one piece longer than the window
            bound = find("<", window + 1)
            if bound < 0:
                bound = n
        start = bound
        pos = window  # where the piece's "<" is
        nodes = builder._nodes
        ignoring = builder._ignoring
        top = stack[-1]
        top_tag = top.tag
        rest = iter(text[window + 1 : bound].split("<"))
        for piece in rest:
            entry = pieces.get(piece)
            if entry is None:
                name, gt, data = piece.partition(">")
                remembered = tags.get(name) if gt else None
                if remembered is None and gt:  # a tag new on the page, perhaps one read whole
                    if '"' in name and len(name) <= MAX_QUOTED:
                        remembered = _quoted_tag(name, _SHAPES)
                    if remembered is None:
                        seen = read_tag(pos)
                        if seen is not None:
                            remembered = _short_way(seen)
                    if remembered is not None:
                        if len(tags) >= _SHARED_TAGS:
                            tags.clear()
                        tags[name] = remembered
                if remembered is None:  # the scanner reads the construct
                    builder._nodes = nodes
                    end, line = construct(pos, line)
                    if end > bound:  # past the window: read on from its end
                        nodes = builder._nodes
                        start = end
                        break
                    after = pos + 1 + len(piece)  # the next piece's "<"
                    while after < end:  # the construct goes on into the next pieces
                        pos = after
                        after = pos + 1 + len(next(rest))
                    if end < after:
                        chunk = text[end:after]
                        builder.data(unescape(chunk) if "&" in chunk else chunk, line)
                        line += chunk.count("\n")
                    pos = after
                    nodes = builder._nodes
                    ignoring = builder._ignoring
                    top = stack[-1]
                    top_tag = top.tag
                    continue
                step = len(piece) + 1
                if data:
                    unescaped = unescape(data) if "&" in data else data
                    blank = not unescaped.strip(" \t\n\r\f")
                    # A tuple's + makes one object (a starred display builds a list first).
                    entry = remembered + (unescaped, blank, data.count("\n"), step)  # noqa: RUF005
                else:
                    entry = remembered + (None, True, 0, step)  # noqa: RUF005
                # A long piece (a paragraph's text) is seldom met again.
                if step <= _KNOWN_PIECE and len(pieces) < _REMEMBERED:
                    pieces[piece] = entry
            way, tag, attributes, newlines, mark, value, blank, data_newlines, step = entry
            nodes += 1
            if nodes > max_nodes:
                too_many(line)
            if way == _END_TAG:
                if top_tag == tag:
                    stack.pop()
                    open_[tag] -= 1
                    top = stack[-1]
                    top_tag = top.tag
                elif open_.get(tag):
                    way = _CLOSE
            elif way <= _BLOCK:  # _INLINE, _VOID_ELEMENT or _BLOCK
                if top_tag in _ORDINARY_SLOW or (way == _BLOCK and open_.get("p")):
                    way = _OPEN
                else:
                    element = new_element()  # _element(tag, attributes, line, mark), inline
                    element.tag = tag
                    element.attributes = attributes
                    element.line = line
                    element.mark = mark
                    element.has_table = False
                    top.append(element)
                    if way != _VOID_ELEMENT:
                        stack.append(element)
                        open_[tag] = open_.get(tag, 0) + 1
                        top = element
                        top_tag = tag
            elif way in (_CELL, _ROW):
                # A cell in the open row, a row in the open table (or row group).
                if top_tag == "tr" if way == _CELL else top_tag in _ROW_PARENTS:
                    element = new_element()  # _element(tag, attributes, line, mark), inline
                    element.tag = tag
                    element.attributes = attributes
                    element.line = line
                    element.mark = mark
                    element.has_table = False
                    top.append(element)
                    stack.append(element)
                    open_[tag] = open_.get(tag, 0) + 1
                    top = element
                    top_tag = tag
                else:
                    way = _OPEN
            if way >= _OPEN:  # the builder's own way
                builder._nodes = nodes - 1
                if way == _OPEN:
                    builder.open(tag, attributes, line)
                elif way == _OPEN_CLOSED:
                    builder.open_closed(tag, attributes, line)
                else:
                    builder.end(tag, line)
                nodes = builder._nodes
                ignoring = builder._ignoring
                top = stack[-1]
                top_tag = top.tag
            line += newlines
            if value is not None:
                nodes += 1
                if nodes > max_nodes:
                    too_many(line)
                if top_tag in _TEXT_SLOW and not (blank and top_tag in _FOSTER_FROM):
                    builder._nodes = nodes - 1
                    builder.data(value, line)
                    nodes = builder._nodes
                    ignoring = builder._ignoring
                    top = stack[-1]
                    top_tag = top.tag
                elif value and not ignoring:
                    top.append((value, line))
                line += data_newlines
            pos += step
        builder._nodes = nodes
    return builder.root


# --- text ----------------------------------------------------------------------------------

_Piece = tuple[str, bool] | None
"""Text and whether it is preformatted (kept exactly); ``None`` is a line break."""


def _line_text(pieces: list[tuple[str, bool]]) -> str:
    """Return one line's text, with source-formatting whitespace removed.

    A run of ASCII whitespace holding a line break only formats the source: it
    is dropped at the start and end of the line and is one space inside it.
    Other runs, and preformatted text, are kept exactly.
    """
    if len(pieces) == 1:  # the common line: one run
        text, exact = pieces[0]
        if exact or ("\n" not in text and "\r" not in text):
            return text
        if not text.strip(" \t\n\r\f"):
            return ""
    merged: list[tuple[str, bool]] = []
    for text, exact in pieces:
        if merged and not exact and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        elif text:
            merged.append((text, exact))
    out: list[str] = []
    last = len(merged) - 1
    for position, (text, exact) in enumerate(merged):
        if exact or ("\n" not in text and "\r" not in text):  # no run to drop
            out.append(text)
            continue
        if not text.strip(" \t\n\r\f"):  # one run, holding a line break
            out.append("" if position in {0, last} else " ")
            continue

        def formatting(match: re.Match[str], text: str = text, position: int = position) -> str:
            run = match.group()
            if "\n" not in run and "\r" not in run:
                return run
            if (position == 0 and match.start() == 0) or (
                position == last and match.end() == len(text)
            ):
                return ""
            return " "

        out.append(_WHITESPACE_RUN.sub(formatting, text))
    return "".join(out)


def _lines(pieces: list[_Piece]) -> list[str]:
    """Return the text of each line of ``pieces`` (split at line breaks)."""
    lines: list[str] = []
    current: list[tuple[str, bool]] = []
    for piece in pieces:
        if piece is None:
            lines.append(_line_text(current))
            current = []
        else:
            current.append(piece)
    lines.append(_line_text(current))
    return lines


def _own_mark(tag: str, attributes: dict[str, str | None]) -> Mark | None:
    """Return what an element's own markup says its text is, if anything."""
    if tag == "h1":
        return "title"
    if tag in _HEADINGS:
        return "heading"
    if tag == "footer":
        return "signature"
    if not attributes:
        return None
    classes = (attributes.get("class") or "").split()
    if "gip-organ" in classes or "gip-date" in classes:
        return "signature"
    if "gip-preamble" in classes or "gip-prose" in classes:
        # gipreport's own page marks its headings: a paragraph here is never one.
        return "body"
    if tag != "table" and (attributes.get("align") or "").strip().lower() == "right":
        return "signature"
    if _RIGHT_ALIGNED.search(attributes.get("style") or ""):
        return "signature"
    return None


# --- the flow of blocks --------------------------------------------------------------------


class _Flow:
    """The walk of a tree into blocks: paragraphs, tables and images in reading order."""

    def __init__(self) -> None:
        self.blocks: list[SourceBlock] = []
        self._paragraphs = 0
        self._tables = 0
        self._pieces: list[_Piece] = []
        self._line: int | None = None
        self._mark: Mark | None = None
        self._marked = False

    def run(self, root: _Element) -> list[SourceBlock]:  # noqa: PLR0912, PLR0915 - one walk
        """Return the blocks of the tree under ``root``."""
        # The elements entered and not yet left: the rest of the content each is in, with
        # the mark and exactness of that content, and whether the element is a block.
        entered: list[tuple[Iterator[_Element | _Text], Mark | None, bool, bool]] = []
        content: Iterator[_Element | _Text] = iter(root)
        mark: Mark | None = None
        exact = False  # preformatted (kept exactly)
        block = False
        while True:
            for node in content:
                if type(node) is tuple:
                    if self._marked:  # the paragraph's mark and line are known
                        self._pieces.append((node[0], exact))
                    else:
                        self._text(node, mark, exact)
                    continue
                assert isinstance(node, _Element)
                tag = node.tag
                if tag in _IGNORED:
                    continue
                if tag == "br":
                    self._break(node.line)
                    continue
                if tag == "img":
                    self._flush()
                    self.blocks.append(SourceImage(where=Where(line=node.line)))
                    continue
                if tag == "table" and not node.has_table:
                    self._flush()
                    self.blocks.append(_table(node, self._tables))
                    self._tables += 1
                    continue
                if len(node) <= 1 and tag not in _BLOCKS:  # an inline element of one run, or none
                    if not node:
                        continue  # nothing in it (Word's <o:p></o:p>)
                    only = node[0]
                    if type(only) is tuple:  # its run read here, as if the element were entered
                        if self._marked:
                            self._pieces.append((only[0], exact))
                        else:
                            own = node.mark
                            if own == _NOT_FOUND:
                                own = node.mark = _own_mark(tag, node.attributes)
                            self._text(only, own or mark, exact)  # (an inline one is not <pre>)
                        continue
                entered.append((content, mark, exact, block))
                block = tag in _BLOCKS
                if block:
                    self._boundary(node.line)
                content = iter(node)
                own = node.mark
                if own == _NOT_FOUND:
                    own = node.mark = _own_mark(tag, node.attributes)
                mark = own or mark
                exact = exact or tag in _PREFORMATTED
                break
            else:  # the element's content is done: leave it
                if block:
                    self._boundary(None)
                if not entered:
                    break
                content, mark, exact, block = entered.pop()
        self._flush()
        return self.blocks

    def _text(self, node: _Text, mark: Mark | None, exact: bool) -> None:
        text, line = node
        if not self._marked and text.strip():
            self._mark = mark
            self._marked = True
            if self._line is None:  # the line the text starts on, not its leading whitespace
                self._line = line + text.count("\n", 0, len(text) - len(text.lstrip()))
        self._pieces.append((text, exact))

    def _break(self, line: int) -> None:
        if self._line is None:
            self._line = line
        self._pieces.append(None)

    def _boundary(self, line: int | None) -> None:
        """End the paragraph; the next one starts at ``line`` if it is known."""
        self._flush()
        self._line = line

    def _flush(self) -> None:
        pieces = self._pieces
        if pieces:
            only = pieces[0]
            if len(pieces) == 1 and only is not None:  # the common paragraph: one run
                text, exact = only  # (_line_text's first short way, without the calls)
                if not exact and ("\n" in text or "\r" in text):
                    text = _line_text([only])
            else:
                text = "\n".join(_lines(pieces))
            if text.strip():
                where = new_where(self._line, self._paragraphs, None, None, None, None)
                self.blocks.append(SourceParagraph(text=text, where=where, mark=self._mark))
                self._paragraphs += 1
        self._pieces = []
        self._line = None
        self._mark = None
        self._marked = False


# --- tables --------------------------------------------------------------------------------


def _table(table: _Element, index: int) -> SourceTable:
    """Return ``table`` (which holds no other table) as a gridded table."""
    caption = ""
    rows: list[list[_Element]] = []
    stack: list[_Element | _Text] = list(reversed(table))
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            continue  # text outside the cells is not the table's
        tag = node.tag
        if tag == "tr":
            # The common row: cells and the whitespace between them, taken at once.
            cells: list[_Element] = []
            for child in node:
                if not isinstance(child, tuple):
                    if child.tag not in _CELLS:
                        break  # anything else in the row: walked
                    cells.append(child)
            else:
                rows.append(cells)
                continue
            rows.append([])
        elif tag in _CELLS:
            if not rows:  # pragma: no cover - the tree builder puts every cell in a row
                rows.append([])
            rows[-1].append(node)
            continue
        elif tag in _IGNORED:
            continue
        elif tag == "caption":
            if not caption:
                caption = " ".join(_cell_text(node).split())
            continue
        stack.extend(reversed(node))
    return SourceTable(
        index=index,
        rows=_grid(rows, table, index),
        gridded=True,
        where=new_where(table.line, None, index, None, None, None),
        caption=caption,
    )


def _span(value: str | None) -> int | None:
    """Return a ``rowspan``/``colspan`` value as HTML parses it, or ``None`` if it is not one."""
    if value is None:
        return None
    if value.isdigit() and value.isascii() and len(value) <= 9:
        return int(value)
    match = _SPAN.match(value)
    if match is None:
        return None
    digits = match.group(1).lstrip("0") or "0"
    return int(digits) if len(digits) <= 9 else 10**9


_new: Final = object.__new__
_DRAFT_CELL: Final = draft_class(SourceCell)
"""What :func:`_grid` makes a common cell of (as :func:`~gipreport._reading.source.new_cell`)."""


def _grid(  # noqa: PLR0912, PLR0915 - the common one-slot cell takes its own short way
    rows: list[list[_Element]], table: _Element, index: int
) -> tuple[tuple[SourceCell, ...], ...]:
    """Return the cells of ``rows`` placed on a rectangular grid (the HTML table algorithm).

    A merged cell is clipped where it would overlap a cell placed before it, so
    that every slot holds exactly one cell and every cell fills its whole span.
    """
    height = len(rows)
    new, draft = _new, _DRAFT_CELL
    made: Any  # a common cell, as a draft
    grid: list[list[SourceCell | None]] = [[] for _ in rows]
    holed: set[int] = set()  # the rows a None was put in (it may have been filled since)
    width = 0
    for r, cells in enumerate(rows):
        slots = grid[r]
        c = 0
        for element in cells:
            filled = len(slots)
            while c < filled and slots[c] is not None:
                c += 1
            attributes = element.attributes
            # The common cell: one slot (told with "in", which calls no method).
            if not attributes or ("colspan" not in attributes and "rowspan" not in attributes):
                if c >= width:
                    width = c + 1
                    if height * width > MAX_TABLE_SLOTS:
                        _too_many_slots(table, index, height, width)
                children = element  # its content
                if (
                    len(children) == 1
                    and type(only := children[0]) is tuple
                    and "\n" not in only[0]
                    and "\r" not in only[0]
                ):  # _cell_text's first short way, without the call
                    text = only[0]
                else:
                    text = _cell_text(element)
                made = new(draft)  # new_cell(text, r, c, 1, 1, element.line), inline
                made.text = text
                made.row = r
                made.column = c
                made.rowspan = 1
                made.colspan = 1
                made.line = element.line
                made.page = None
                made.bbox = None
                made.__class__ = SourceCell
                cell: SourceCell = made
                if c < filled:
                    slots[c] = cell
                else:
                    if c > filled:
                        slots.extend([None] * (c - filled))
                        holed.add(r)
                    slots.append(cell)
                c += 1
                continue
            wanted_columns = min(max(_span(attributes.get("colspan")) or 1, 1), _MAX_COLSPAN)
            rowspan = _span(attributes.get("rowspan"))
            wanted_rows = height - r if rowspan == 0 else rowspan or 1
            wanted_rows = max(1, min(wanted_rows, height - r, _MAX_ROWSPAN))
            colspan = 1
            while colspan < wanted_columns:  # up to the first slot a cell holds
                if c + colspan >= filled:  # every slot past the row's end is free
                    colspan = wanted_columns
                elif slots[c + colspan] is None:
                    colspan += 1
                else:
                    break
            end = c + colspan
            width = max(width, end)
            if height * width > MAX_TABLE_SLOTS:
                _too_many_slots(table, index, height, width)
            span_rows = 1
            while span_rows < wanted_rows:  # down to the first row where a cell holds a slot
                lower = grid[r + span_rows]
                # (a row below that ends before the cell, as most do, holds none of its slots;
                # a slot holds a cell, which is true, or None: any() needs no generator)
                if len(lower) > c and any(lower[c:end]):
                    break
                span_rows += 1
            cell = new_cell(_cell_text(element), r, c, span_rows, colspan, element.line)
            for below, row in enumerate(grid[r : r + span_rows], r):
                if len(row) < end:
                    if len(row) < c:
                        holed.add(below)
                    row.extend([None] * (end - len(row)))
                row[c:end] = [cell] * colspan
            c = end
    return tuple(
        tuple(cast("list[SourceCell]", slots))  # a full row: no hole to fill
        if len(slots) == width and r not in holed  # (`None in slots` would call each cell's ==)
        else tuple(_slot(slots, r, c) for c in range(width))
        for r, slots in enumerate(grid)
    )


def _too_many_slots(table: _Element, index: int, height: int, width: int) -> NoReturn:
    where = f"source table {index + 1}, line {table.line}"
    reason = f"the table has over {MAX_TABLE_SLOTS:,} slots ({height:,} rows × {width:,} columns)"
    raise ParseError(reason, where)


def _slot(slots: list[SourceCell | None], row: int, column: int) -> SourceCell:
    """Return the cell in a slot, or an empty cell where the source has none."""
    cell = slots[column] if column < len(slots) else None
    return new_cell("", row, column, 1, 1, None) if cell is None else cell


def _cell_text(cell: _Element) -> str:
    """Return a cell's text: its non-empty lines (between blocks and ``<br>``), one per line."""
    children = cell  # its content
    if not children:
        return ""
    # The common cell: one run of text, on one line of the source; else one block between
    # runs of whitespace that only format the source (lines of none).
    only: _Element | _Text | None = children[0] if len(children) == 1 else _one_block(children)
    if only is not None:
        # ... perhaps inside elements that each hold only the next (<p><span>12</span></p>):
        # a block's line breaks around the one line are no lines of text.
        while type(only) is _Element and len(only) == 1 and only.tag not in _NOT_WRAPPING:
            only = only[0]
        if isinstance(only, tuple):
            if "\n" not in only[0] and "\r" not in only[0]:
                return only[0]
        elif only.tag not in _NOT_WRAPPING:  # several runs, perhaps: one line of them?
            text = _inline_text(only)
            if text is not None:
                return text
    elif len(children) > 1:  # several runs and inline elements: one line of them?
        text = _inline_text(cell)  # (gipreport's own header cells: 本年<wbr>新制作<wbr>数量)
        if text is not None:
            return text
    return _walked_cell_text(cell)


def _inline_text(element: _Element) -> str | None:
    """Return the text of ``element``'s content if it is one line, else ``None``.

    One line: runs of text holding no line break, in inline elements (a Word cell's
    ``<p><span>12</span><span><o:p></o:p></span></p>``); skipped content adds nothing.
    """
    texts: list[str] = []
    stack: list[_Element | _Text] = element[::-1]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if isinstance(node, tuple):
            text = node[0]
            if "\n" in text or "\r" in text:
                return None
            texts.append(text)
        elif node.tag in _NOT_INLINE:
            if node.tag not in _IGNORED:
                return None  # a break
        elif len(node) == 1:  # the common inline element: one run, or one element
            push(node[0])
        elif node:
            stack.extend(node[::-1])
    return "".join(texts)


def _one_block(children: list[_Element | _Text]) -> _Element | None:
    """Return the one block among ``children`` if the rest is whitespace holding line breaks.

    Such whitespace only formats the source: on a line of its own, it is no line of text.
    """
    found: _Element | None = None
    for child in children:
        if type(child) is _Element:
            if found is not None:  # a second element
                return None
            found = child
        else:
            assert isinstance(child, tuple)
            text = child[0]
            if ("\n" not in text and "\r" not in text) or text.strip(" \t\n\r\f"):
                return None  # text of a line
    return found if found is not None and found.tag in _BLOCKS else None


_BREAKING: Final = _BLOCKS | _PREFORMATTED | frozenset({"br"})
"""Elements that start a line or keep their text exactly: no part of one line's text."""
_NOT_INLINE: Final = _IGNORED | _BREAKING
"""Elements that are skipped or end one line's text."""
_NOT_WRAPPING: Final = _IGNORED | _PREFORMATTED | frozenset({"br"})
"""Elements whose one child is not simply their text (skipped, kept exactly, a break)."""


def _walked_cell_text(cell: _Element) -> str:
    """Return :func:`_cell_text` of ``cell``, walking all its content."""
    children = cell  # its content
    pieces: list[_Piece] = []
    append = pieces.append
    stack: list[_Element | _Text] = children[::-1]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if node is _LEFT:
            append(None)
        elif isinstance(node, tuple):
            append((node[0], False))
        elif node.tag == "br":
            append(None)
        elif node.tag not in _IGNORED:
            if node.tag in _PREFORMATTED:
                return _exact_cell_text(cell)
            if node.tag in _BLOCKS:
                append(None)
                push(_LEFT)
            grandchildren = node  # its content
            if len(grandchildren) == 1:
                push(grandchildren[0])
            elif grandchildren:
                stack.extend(grandchildren[::-1])
    return "\n".join(line for line in _lines(pieces) if line)


_LEFT: Final = _element("#left", {}, 0, None)
"""Where :func:`_cell_text` leaves a block (pushed after the block's children)."""


def _exact_cell_text(cell: _Element) -> str:
    """Return :func:`_cell_text` of a cell holding preformatted text (kept exactly)."""
    pieces: list[_Piece] = []
    stack: list[tuple[_Element | _Text, bool, bool]] = [
        (child, False, True) for child in reversed(cell)
    ]
    while stack:
        node, exact, entering = stack.pop()
        if isinstance(node, tuple):
            pieces.append((node[0], exact))
        elif not entering or node.tag == "br":
            pieces.append(None)
        elif node.tag not in _IGNORED:
            if node.tag in _BLOCKS:
                pieces.append(None)
                stack.append((node, exact, False))
            inner = exact or node.tag in _PREFORMATTED
            stack.extend((child, inner, True) for child in reversed(node))
    return "\n".join(line for line in _lines(pieces) if line)
