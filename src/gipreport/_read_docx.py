"""Read a Word ``.docx`` file as a :class:`~gipreport._source.SourceDocument`.

This is the docx edge of reading: it turns the package into paragraphs, tables
and pictures in reading order, and says nothing about what they mean (that is
:mod:`gipreport._assemble`'s work). It uses the standard library only, so that
reading a report does not need python-docx.

The input is untrusted — a file downloaded from a government website, or a
fuzzer's mutation of one — so every size is capped and counted while reading,
never taken from a zip header; an XML part with a DTD is refused before any
entity is declared, so no entity is ever expanded and no file or URL is ever
opened; and every failure is a :class:`~gipreport._errors.ParseError` naming
the part concerned.

What is read, as Word shows it:

- **Paragraphs**: the text of the runs in order, also inside hyperlinks,
  insertions, smart tags, simple fields, content controls and custom XML;
  deleted text and field instructions are not text, and neither is what sits
  in a drawing or text box. Paragraphs with no visible character are layout and
  are left out. A paragraph's mark comes from its style (a ``Title`` or
  ``标题`` style, a ``heading N`` or ``标题 N`` style, an outline level) and its
  alignment (right-aligned lines are the signature).
- **Tables**: ``gridSpan``, ``vMerge``, the old ``hMerge``, ``gridBefore`` and
  ``gridAfter`` are resolved into a rectangular grid, in which a merged cell is
  one :class:`~gipreport._source.SourceCell` in every slot it covers.
- **Pictures**: a paragraph holding one gives a
  :class:`~gipreport._source.SourceImage`, since a table is sometimes
  published as a picture of one.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Final
from urllib.parse import unquote
from xml.etree.ElementTree import Element, SubElement
from xml.parsers import expat

import attrs

from gipreport._errors import ParseError
from gipreport._source import (
    Mark,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceImage,
    SourceParagraph,
    SourceTable,
    Where,
)

try:  # lzma is an optional part of a Python build; zipfile reads LZMA members with it
    from lzma import LZMAError
except ImportError:  # pragma: no cover - only on Pythons built without lzma
    LZMAError = zlib.error  # type: ignore[assignment,misc]  # an error already caught

__all__ = ["docx_source"]

MAX_INPUT_BYTES: Final = 200 * 2**20
"""The largest file read, and the most bytes all the parts read may unpack to."""
MAX_PART_BYTES: Final = 64 * 2**20
"""The most bytes one part (``word/document.xml``, …) may unpack to."""
MAX_MEMBERS: Final = 10_000
"""The most members a package may have; Word writes a few dozen."""
MAX_TABLE_SLOTS: Final = 200_000
"""The most grid slots (rows × columns) one table may have."""
MAX_SPAN: Final = 1000
"""The widest ``gridSpan``, ``gridBefore`` or ``gridAfter`` taken; a larger one is cut to it."""

_CHUNK: Final = 2**20

_DOC_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_ENCRYPTED_MARK: Final = "EncryptedPackage".encode("utf-16-le")
_MAIN_PART: Final = "word/document.xml"
_STYLES_PART: Final = "word/styles.xml"

_NAMESPACES: Final = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
    "http://purl.oclc.org/ooxml/wordprocessingml/main": "w",
    "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://purl.oclc.org/ooxml/drawingml/main": "a",
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "pic",
    "http://purl.oclc.org/ooxml/drawingml/picture": "pic",
    "urn:schemas-microsoft-com:vml": "v",
    "http://schemas.openxmlformats.org/package/2006/relationships": "rel",
}
"""Namespaces read, by the prefix their names are written with here (``w:p``).

OOXML Strict's namespaces share the prefix of their transitional twins, so a
Strict document reads like any other. Names in other namespaces are written
``{uri}local``; names in no namespace are left bare.
"""

_ZIP_ERRORS: Final = (
    zipfile.BadZipFile,
    zlib.error,
    LZMAError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    KeyError,
    UnicodeDecodeError,
    struct.error,
)
"""What :mod:`zipfile` raises on a damaged, truncated, encrypted or exotic package."""

_IGNORED_SUBTREES: Final = frozenset({"w:rPr", "w:sectPr", "w:tblPr", "w:tblGrid", "w:sdtPr"})
"""Elements whose content is never read: left out of the tree."""
_KEPT_CHILDREN: Final = {
    "w:pPr": frozenset({"w:pStyle", "w:outlineLvl", "w:jc"}),
    "w:trPr": frozenset({"w:gridBefore", "w:gridAfter"}),
    "w:tcPr": frozenset({"w:gridSpan", "w:vMerge", "w:hMerge"}),
}
"""The only children kept of these property elements; formatting is most of a part."""

_BLOCK_WRAPPERS: Final = frozenset({"w:sdt", "w:sdtContent", "w:customXml", "w:smartTag"})
"""Elements around paragraphs, tables, rows or cells that are read through."""

_TABLE_PARTS: Final = frozenset({"w:tbl", "w:tr", "w:tc"})

_INLINE_WRAPPERS: Final = frozenset(
    {
        "w:r",
        "w:hyperlink",
        "w:ins",
        "w:moveTo",
        "w:smartTag",
        "w:fldSimple",
        "w:customXml",
        "w:sdt",
        "w:sdtContent",
        "w:dir",
        "w:bdo",
        "w:ruby",
        "w:rubyBase",
    }
)
"""Elements of a paragraph whose runs are its text.

Not read: ``w:del`` and ``w:moveFrom`` (deleted text), ``w:instrText`` (a
field's code, whose result follows it), ``w:rt`` (ruby annotations), and
drawings, pictures and text boxes, whose text is not the paragraph's.
"""

_RUN_TEXT: Final = {
    "w:tab": "\t",
    "w:ptab": "\t",
    "w:cr": "\n",
    "w:noBreakHyphen": "-",
}

_PICTURE_MARKERS: Final = {
    "w:drawing": frozenset({"pic:pic", "a:blip"}),
    "w:pict": frozenset({"v:imagedata"}),
}

_TRUE: Final = frozenset({"1", "true", "on"})
_HEADING_NAME: Final = re.compile(r"(?:heading|标题)\s*[1-9１-９]", re.IGNORECASE)
_INTEGER: Final = re.compile(r"\s*([+-]?)0*(\d+)\s*", re.ASCII)


def docx_source(data: bytes) -> SourceDocument:
    """Return the blocks of a ``.docx`` file, in reading order.

    ``data`` is the whole file. Paragraphs are numbered from 0 among the
    paragraphs returned (``where.paragraph``), tables from 0 among the tables
    (``where.table``); a table or picture carries the number the next paragraph
    gets. Raises :class:`~gipreport._errors.ParseError` when ``data`` is not a
    readable ``.docx`` (a ``.doc``, a PDF, a damaged or oversized zip, XML that
    is not well-formed or has a DTD); ``where`` then names the part.
    """
    data = _require_bytes(data)
    _check_container(data)
    package = _Package(data)
    main = package.main_part()
    root = package.xml(main)
    if root.tag != "w:document":
        msg = f"{main.filename} is not a Word document (its root element is <{root.tag}>)"
        raise ParseError(msg, main.filename)
    styles_part = package.styles_part(main)
    styles = _StyleSheet(package.xml(styles_part) if styles_part is not None else None)
    body = _child(root, "w:body")
    blocks = _Reader(styles, main.filename).read(body) if body is not None else ()
    return SourceDocument(format="docx", blocks=blocks)


def _require_bytes(data: object) -> bytes:
    """Return ``data`` as bytes; a caller passing a path or text gets a clear error."""
    if not isinstance(data, bytes | bytearray | memoryview):
        msg = f"docx_source() takes the bytes of a file, not {type(data).__name__}"
        raise TypeError(msg)
    return data if isinstance(data, bytes) else bytes(data)


def _check_container(data: bytes) -> None:
    """Raise a :class:`ParseError` saying what ``data`` is when it cannot be a docx."""
    if data.startswith(_DOC_MAGIC):
        if _ENCRYPTED_MARK in data:
            msg = "a password-protected .docx; remove the password in Word and save it again"
        else:
            msg = "a Word 97–2003 .doc file, not a .docx; save it as .docx"
        raise ParseError(msg)
    if not data.startswith(b"PK"):
        if b"%PDF-" in data[:1024]:  # a PDF header may come anywhere in the first kilobyte
            raise ParseError("a PDF file, not a .docx: PDF is not supported")
        if data.startswith(b"{\\rtf"):
            raise ParseError("an RTF file, not a .docx; save it as .docx")
        raise ParseError("not a docx (not a zip file)")
    if len(data) > MAX_INPUT_BYTES:
        msg = f"the file is larger than {MAX_INPUT_BYTES // 2**20} MiB"
        raise ParseError(msg)
    # zipfile builds an object per member before anyone can count them. Each
    # member's central directory entry must start with this signature (zipfile
    # refuses the package otherwise), so counting it bounds the number of members.
    if data.count(b"PK\x01\x02") > MAX_MEMBERS:
        msg = f"not a docx: the zip file has more than {MAX_MEMBERS} members"
        raise ParseError(msg)


class _Package:
    """The zip package of a docx: its parts, read with every size capped."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except _ZIP_ERRORS as error:
            msg = f"not a docx (a damaged or truncated zip file: {error})"
            raise ParseError(msg) from None
        self._infos = {info.filename: info for info in infos}
        # Part names are case-insensitive in a package (ECMA-376 part 2, 8.1.1.2).
        self._folded = {name.casefold(): info for name, info in self._infos.items()}
        self._left = MAX_INPUT_BYTES

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """Return the member holding the part ``name``, if there is one."""
        return self._infos.get(name) or self._folded.get(name.casefold())

    def read(self, info: zipfile.ZipInfo) -> bytearray:
        """Return the unpacked bytes of a part, counting them as they come.

        The sizes in the zip headers are not believed: a part is unpacked a
        chunk at a time until it ends or passes its limit.
        """
        name = info.filename
        limit = min(MAX_PART_BYTES, self._left)
        chunks = bytearray()
        try:
            with self._zip.open(info) as member:
                while len(chunks) <= limit and (chunk := member.read(_CHUNK)):
                    chunks += chunk
        except NotImplementedError:  # a RuntimeError, so caught before the next
            msg = f"{name} uses compression method {info.compress_type}, which cannot be unpacked"
            raise ParseError(msg, name) from None
        except RuntimeError:  # what zipfile raises for a member that needs a password
            msg = f"{name} is encrypted (the file has a password)"
            raise ParseError(msg, name) from None
        except _ZIP_ERRORS as error:
            msg = f"{name} cannot be read (a damaged zip file: {error})"
            raise ParseError(msg, name) from None
        if len(chunks) > MAX_PART_BYTES:
            msg = f"{name} is larger than {MAX_PART_BYTES // 2**20} MiB when uncompressed"
            raise ParseError(msg, name)
        if len(chunks) > limit:
            msg = (
                f"the parts read are larger than {MAX_INPUT_BYTES // 2**20} MiB in all "
                "when uncompressed"
            )
            raise ParseError(msg, name)
        self._left -= len(chunks)
        return chunks

    def xml(self, info: zipfile.ZipInfo) -> Element:
        """Return a part parsed as XML."""
        return _parse_xml(self.read(info), info.filename)

    def main_part(self) -> zipfile.ZipInfo:
        """Return the main document part (``word/document.xml``)."""
        found = self._target("", "/officeDocument")
        if found is None:
            found = self.find(_MAIN_PART)
        if found is None:
            msg = f"not a docx: the package has no main document part ({_MAIN_PART})"
            raise ParseError(msg)
        return found

    def styles_part(self, main: zipfile.ZipInfo) -> zipfile.ZipInfo | None:
        """Return the styles part of the document ``main``, if it has one."""
        found = self._target(main.filename, "/styles")
        return found if found is not None else self.find(_STYLES_PART)

    def _target(self, source: str, kind: str) -> zipfile.ZipInfo | None:
        """Return the part that ``source`` (``""`` for the package) relates to as ``kind``.

        ``kind`` is the end of the relationship type, which differs between
        transitional and Strict OOXML only before it. ``None`` when there is no
        such relationship, or it points outside the package or to a missing part.
        """
        folder, base = posixpath.split(source)
        rels = self.find(posixpath.join(folder, "_rels", f"{base}.rels"))
        if rels is None:
            return None
        for relationship in _child_elements(self.xml(rels), "rel:Relationship"):
            if not relationship.get("Type", "").endswith(kind):
                continue
            if relationship.get("TargetMode", "Internal") == "External":
                continue
            target = unquote(relationship.get("Target", ""))
            if target.startswith("/"):
                name = posixpath.normpath(target).lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            if name.startswith("../") or name in (".", ".."):
                continue
            found = self.find(name)
            if found is not None:
                return found
        return None


class _TreeBuilder:
    """Builds a light tree from expat's events, and refuses any DTD.

    Tags and attribute names are written with the prefixes of
    :data:`_NAMESPACES`; only ``w:t`` keeps its text, since no other character
    data of a part is read.
    """

    def __init__(self, part: str, parser: expat.XMLParserType) -> None:
        self.part = part
        self.parser = parser
        self.root: Element | None = None
        self._stack: list[Element] = []
        self._skipping = 0
        self._text: list[str] | None = None
        self._text_owner: Element | None = None
        self._names: dict[str, str] = {}

    def name(self, raw: str) -> str:
        """Return the prefixed form of expat's ``"uri local"`` name (callers look in the cache)."""
        uri, _, local = raw.rpartition(" ")
        if not uri:
            known = local
        elif uri in _NAMESPACES:
            known = f"{_NAMESPACES[uri]}:{local}"
        else:
            known = f"{{{uri}}}{local}"
        self._names[raw] = known
        return known

    def start(self, raw: str, attributes: dict[str, str]) -> None:
        """Open an element."""
        if self._skipping:
            self._skipping += 1
            return
        tag = self._names.get(raw) or self.name(raw)
        stack = self._stack
        kept = _KEPT_CHILDREN.get(stack[-1].tag) if stack else None
        if tag in _IGNORED_SUBTREES or (kept is not None and tag not in kept):
            self._skipping = 1
            return
        names = {self._names.get(key) or self.name(key): value for key, value in attributes.items()}
        if stack:
            element = SubElement(stack[-1], tag, names)
        else:
            element = self.root = Element(tag, names)
        stack.append(element)
        if tag == "w:t" and self._text is None:
            self._text = []
            self._text_owner = element

    def end(self, raw: str) -> None:
        """Close an element."""
        del raw
        if self._skipping:
            self._skipping -= 1
            return
        element = self._stack.pop()
        if element is self._text_owner and self._text is not None:
            element.text = "".join(self._text)
            self._text = None
            self._text_owner = None

    def data(self, text: str) -> None:
        """Keep character data inside ``w:t``."""
        if self._text is not None:
            self._text.append(text)

    def refuse_dtd(self, *args: object) -> None:
        """Refuse a DTD: a docx part never has one, and an entity is an attack."""
        del args
        msg = f"{self.part} contains a DTD, which a .docx part never has"
        raise ParseError(msg, self._where())

    def refuse_entity(self, *args: object) -> int:  # pragma: no cover - its DTD is refused first
        """Refuse an external entity reference."""
        self.refuse_dtd(*args)
        return 0

    def _where(self) -> str:
        line = self.parser.CurrentLineNumber
        column = self.parser.CurrentColumnNumber + 1
        return f"{self.part}, line {line}, column {column}"


def _parse_xml(data: bytes | bytearray, part: str) -> Element:
    """Return the root of the XML ``data`` of ``part``; see :class:`_TreeBuilder`."""
    parser = expat.ParserCreate(namespace_separator=" ")
    builder = _TreeBuilder(part, parser)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = builder.refuse_dtd
    parser.EntityDeclHandler = builder.refuse_dtd
    parser.UnparsedEntityDeclHandler = builder.refuse_dtd
    parser.ExternalEntityRefHandler = builder.refuse_entity
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        msg = f"{part} is not well-formed XML: {expat.ErrorString(error.code)}"
        raise ParseError(msg, f"{part}, line {error.lineno}, column {error.offset + 1}") from None
    except ParseError:  # a DTD, refused by a handler
        raise
    except (ValueError, LookupError) as error:  # an encoding expat cannot decode
        msg = f"{part} cannot be decoded ({error}); a .docx part is UTF-8 or UTF-16"
        raise ParseError(msg, part) from None
    if builder.root is None:  # pragma: no cover - expat reports "no element found" first
        msg = f"{part} has no root element"
        raise ParseError(msg, part)
    return builder.root


def _child(element: Element, tag: str) -> Element | None:
    """Return the first child of ``element`` named ``tag``."""
    for child in element:
        if child.tag == tag:
            return child
    return None


def _child_elements(element: Element, tag: str) -> Iterator[Element]:
    """Yield the children of ``element`` named ``tag``."""
    return (child for child in element if child.tag == tag)


def _value(element: Element | None, tag: str) -> str | None:
    """Return ``w:val`` of the child ``tag`` of ``element``; ``""`` when it has none.

    ``None`` when there is no such child.
    """
    if element is None:
        return None
    child = _child(element, tag)
    return None if child is None else child.get("w:val", "")


def _integer(text: str | None) -> int | None:
    """Return ``text`` as an int (``ST_DecimalNumber``), or ``None`` when it is not one.

    A number too long to be real reads as a huge one without converting it, as
    :func:`int` refuses strings of thousands of digits.
    """
    if text is None:
        return None
    match = _INTEGER.fullmatch(text)
    if match is None:
        return None
    sign, digits = match.groups()
    number = int(digits) if len(digits) <= 18 else 10**18
    return -number if sign == "-" else number


def _clamp(value: int | None, *, default: int, low: int) -> int:
    """Return ``value`` limited to ``low``…:data:`MAX_SPAN`, or ``default`` when not given."""
    if value is None:
        return default
    return max(low, min(MAX_SPAN, value))


def _alternative(element: Element) -> Element | None:
    """Return the one branch of ``mc:AlternateContent`` that is read.

    The first ``mc:Choice``, as Word writes it for readers that understand it,
    else the ``mc:Fallback``; reading both would give their content twice.
    """
    choice = _child(element, "mc:Choice")
    return choice if choice is not None else _child(element, "mc:Fallback")


def _descend(
    element: Element, *, wanted: frozenset[str], through: frozenset[str]
) -> Iterator[Element]:
    """Yield the descendants of ``element`` named in ``wanted``, in document order.

    Only elements named in ``through`` (and one branch of
    ``mc:AlternateContent``) are looked inside; a wanted element is not. The
    walk keeps its own stack, so any depth of nesting is safe.
    """
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in wanted:
            yield child
        elif child.tag in through:
            stack.append(iter(child))
        elif child.tag == "mc:AlternateContent":
            branch = _alternative(child)
            if branch is not None:
                stack.append(iter(branch))


_BODY_BLOCKS: Final = frozenset({"w:p", "w:tbl"})
_PARAGRAPH: Final = frozenset({"w:p"})
_ROW: Final = frozenset({"w:tr"})
_CELL: Final = frozenset({"w:tc"})
_CELL_CONTENT: Final = _BLOCK_WRAPPERS | _TABLE_PARTS


def _paragraph_content(paragraph: Element) -> tuple[str, bool]:
    """Return the text of a ``w:p`` as Word shows it, and whether it holds a picture."""
    parts: list[str] = []
    picture = False
    stack = [iter(paragraph)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if tag == "w:t":
            parts.append(child.text or "")
        elif tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[tag])
        elif tag == "w:br":
            if child.get("w:type", "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag in _INLINE_WRAPPERS:
            stack.append(iter(child))
        elif tag == "mc:AlternateContent":
            branch = _alternative(child)
            if branch is not None:
                stack.append(iter(branch))
        elif tag in _PICTURE_MARKERS:
            markers = _PICTURE_MARKERS[tag]
            picture = picture or any(node.tag in markers for node in child.iter())
        elif tag == "w:object":
            picture = True
    return "".join(parts), picture


def _shows_text(text: str) -> bool:
    """Return whether ``text`` has a character that is not white space (NBSP and U+3000 are)."""
    return bool(text.strip())


@attrs.frozen
class _Style:
    """What a paragraph style says, with what it inherits resolved."""

    mark: Mark | None = None
    """``"title"`` or ``"heading"`` from the style's name (or an ancestor's)."""
    outline: int | None = None
    jc: str | None = None


@attrs.frozen
class _StyleEntry:
    """One ``w:style`` as written."""

    name: str
    based_on: str | None
    outline: int | None
    jc: str | None


def _name_mark(name: str) -> Mark | None:
    """Return what a style name marks a paragraph as: ``Title``, ``heading 2``, ``标题 1``, …."""
    name = name.strip()
    if name.casefold() == "title" or name == "标题":
        return "title"
    if _HEADING_NAME.fullmatch(name):
        return "heading"
    return None


class _StyleSheet:
    """The paragraph styles of a document, from its styles part (``None`` when it has none)."""

    def __init__(self, root: Element | None) -> None:
        self._entries: dict[str, _StyleEntry] = {}
        self._resolved: dict[str | None, _Style] = {}
        self._default: str | None = None
        if root is None:
            return
        for element in _child_elements(root, "w:style"):
            if element.get("w:type", "paragraph") != "paragraph":
                continue
            style_id = element.get("w:styleId")
            if style_id is None or style_id in self._entries:
                continue
            p_pr = _child(element, "w:pPr")
            self._entries[style_id] = _StyleEntry(
                name=_value(element, "w:name") or style_id,
                based_on=_value(element, "w:basedOn"),
                outline=_integer(_value(p_pr, "w:outlineLvl")),
                jc=_value(p_pr, "w:jc"),
            )
            if self._default is None and element.get("w:default", "0").casefold() in _TRUE:
                self._default = style_id

    def style(self, style_id: str | None) -> _Style:
        """Return the resolved style ``style_id``; ``None`` is the default paragraph style.

        A style the styles part does not define is read from its id alone (a
        document without styles may still say ``Heading1``). Inheritance runs up
        ``basedOn`` until a style is missing or repeats.
        """
        if style_id is not None and style_id not in self._entries:
            mark = _name_mark(style_id)
            if mark is not None:
                return _Style(mark=mark)
            style_id = None
        if style_id is None:
            style_id = self._default
        found = self._resolved.get(style_id)
        if found is None:
            found = self._resolve(style_id)
            self._resolved[style_id] = found
        return found

    def _resolve(self, style_id: str | None) -> _Style:
        mark: Mark | None = None
        outline: int | None = None
        jc: str | None = None
        seen: set[str] = set()
        while style_id is not None and style_id not in seen:
            entry = self._entries.get(style_id)
            if entry is None:
                break
            seen.add(style_id)
            mark = mark or _name_mark(entry.name)
            outline = entry.outline if outline is None else outline
            jc = entry.jc if jc is None else jc
            style_id = entry.based_on
        return _Style(mark=mark, outline=outline, jc=jc)


def _paragraph_mark(paragraph: Element, styles: _StyleSheet) -> Mark | None:
    """Return what a paragraph's style and formatting say it is."""
    p_pr = _child(paragraph, "w:pPr")
    style = styles.style(_value(p_pr, "w:pStyle"))
    outline = _integer(_value(p_pr, "w:outlineLvl"))
    if outline is None:
        outline = style.outline
    jc = _value(p_pr, "w:jc")
    if jc is None:
        jc = style.jc
    if style.mark is not None:
        return style.mark
    if outline is not None and 0 <= outline <= 8:
        return "heading"
    if jc in ("right", "end"):
        return "signature"
    return None


@attrs.define
class _Merged:
    """A cell being placed in a table's grid: its top-left slot, spans and text."""

    row: int
    column: int
    colspan: int
    texts: list[str]
    rowspan: int = 1
    vertical: bool = False
    """Whether the rows below may continue it (it started a ``vMerge``)."""


@attrs.define
class _RowCell:
    """One cell of a row, after any ``hMerge`` continuations are folded into it."""

    texts: list[str]
    span: int
    v_merge: str | None
    h_merge_open: bool


class _Reader:
    """Reads the body of a document into blocks."""

    def __init__(self, styles: _StyleSheet, part: str) -> None:
        self._styles = styles
        self._part = part

    def read(self, body: Element) -> tuple[SourceBlock, ...]:
        """Return the blocks of ``w:body``, in reading order."""
        blocks: list[SourceBlock] = []
        paragraphs = 0
        tables = 0
        for block in _descend(body, wanted=_BODY_BLOCKS, through=_BLOCK_WRAPPERS):
            if block.tag == "w:tbl":
                blocks.append(self._table(block, index=tables, paragraph=paragraphs))
                tables += 1
                continue
            text, picture = _paragraph_content(block)
            if _shows_text(text):
                mark = _paragraph_mark(block, self._styles)
                where = Where(paragraph=paragraphs)
                blocks.append(SourceParagraph(text=text, where=where, mark=mark))
                paragraphs += 1
                if picture:
                    blocks.append(SourceImage(where=where))
            elif picture:
                blocks.append(SourceImage(where=Where(paragraph=paragraphs)))
        return tuple(blocks)

    def _table(self, table: Element, *, index: int, paragraph: int) -> SourceTable:
        """Return a ``w:tbl`` as a rectangular grid of cells."""
        grid: list[list[_Merged | None]] = []
        width = 0
        for r, row in enumerate(_descend(table, wanted=_ROW, through=_BLOCK_WRAPPERS)):
            slots = self._row(row, r, grid[-1] if grid else None, index)
            grid.append(slots)
            width = max(width, len(slots))
            if len(grid) * width > MAX_TABLE_SLOTS:
                self._too_large(index)
        made: dict[int, SourceCell] = {}
        rows: list[tuple[SourceCell, ...]] = []
        for r, slots in enumerate(grid):
            cells: list[SourceCell] = []
            for c in range(width):
                merged = slots[c] if c < len(slots) else None
                if merged is None:
                    cells.append(SourceCell(text="", row=r, column=c))
                    continue
                cell = made.get(id(merged))
                if cell is None:
                    cell = SourceCell(
                        text="\n".join(merged.texts),
                        row=merged.row,
                        column=merged.column,
                        rowspan=merged.rowspan,
                        colspan=merged.colspan,
                    )
                    made[id(merged)] = cell
                cells.append(cell)
            rows.append(tuple(cells))
        return SourceTable(
            index=index,
            rows=tuple(rows),
            gridded=True,
            where=Where(table=index, paragraph=paragraph),
        )

    def _row(
        self, row: Element, r: int, above: list[_Merged | None] | None, index: int
    ) -> list[_Merged | None]:
        """Return the slots of row ``r``; ``None`` is an empty slot (``gridBefore``, …)."""
        tr_pr = _child(row, "w:trPr")
        before = _clamp(_integer(_value(tr_pr, "w:gridBefore")), default=0, low=0)
        after = _clamp(_integer(_value(tr_pr, "w:gridAfter")), default=0, low=0)
        slots: list[_Merged | None] = [None] * before
        for cell in self._row_cells(row):
            c = len(slots)
            if c + cell.span > MAX_TABLE_SLOTS:
                self._too_large(index)
            upper = above[c] if above is not None and c < len(above) else None
            if (
                cell.v_merge in ("", "continue")
                and upper is not None
                and upper.vertical
                and upper.column == c
                and upper.colspan == cell.span
            ):
                upper.rowspan += 1
                upper.texts.extend(cell.texts)
                slots.extend([upper] * cell.span)
                continue
            merged = _Merged(
                row=r,
                column=c,
                colspan=cell.span,
                texts=cell.texts,
                vertical=cell.v_merge == "restart",
            )
            slots.extend([merged] * cell.span)
        if len(slots) + after > MAX_TABLE_SLOTS:
            self._too_large(index)
        slots.extend([None] * after)
        return slots

    def _row_cells(self, row: Element) -> list[_RowCell]:
        """Return the cells of a ``w:tr``, each ``hMerge`` continuation folded into its start."""
        cells: list[_RowCell] = []
        for tc in _descend(row, wanted=_CELL, through=_BLOCK_WRAPPERS):
            tc_pr = _child(tc, "w:tcPr")
            span = _clamp(_integer(_value(tc_pr, "w:gridSpan")), default=1, low=1)
            h_merge = _value(tc_pr, "w:hMerge")
            text = _cell_text(tc)
            texts = [text] if text else []
            if h_merge in ("", "continue") and cells and cells[-1].h_merge_open:
                cells[-1].span = min(MAX_TABLE_SLOTS + 1, cells[-1].span + span)
                cells[-1].texts.extend(texts)
                continue
            cells.append(
                _RowCell(
                    texts=texts,
                    span=span,
                    v_merge=_value(tc_pr, "w:vMerge"),
                    h_merge_open=h_merge is not None,
                )
            )
        return cells

    def _too_large(self, index: int) -> None:
        msg = f"table {index + 1} has more than {MAX_TABLE_SLOTS} cells"
        raise ParseError(msg, self._part)


def _cell_text(cell: Element) -> str:
    """Return the text of a ``w:tc``: its non-empty paragraphs (nested tables' too), one a line."""
    texts = (
        _paragraph_content(paragraph)[0]
        for paragraph in _descend(cell, wanted=_PARAGRAPH, through=_CELL_CONTENT)
    )
    return "\n".join(text for text in texts if text)
