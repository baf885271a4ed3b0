"""Read a Word ``.docx`` file as a :class:`~gipreport._reading.source.SourceDocument`.

This is the docx edge of reading: it turns the package into paragraphs, tables
and pictures in reading order, and says nothing about what they mean (that is
:mod:`gipreport._reading.assemble`'s work). It uses the standard library only, so that
reading a report does not need python-docx.

The input is untrusted — a file downloaded from a government website, or a
fuzzer's mutation of one — so every size is capped and counted while reading,
never taken from a zip header; an XML part with a DTD is refused before any
entity is declared, so no entity is ever expanded and no file or URL is ever
opened; and every failure is a :class:`~gipreport._core.errors.ParseError` naming
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
  one :class:`~gipreport._reading.source.SourceCell` in every slot it covers.
- **Pictures**: a paragraph holding one gives a
  :class:`~gipreport._reading.source.SourceImage`, since a table is sometimes
  published as a picture of one.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import Final, cast
from urllib.parse import unquote
from xml.etree import ElementTree
from xml.etree.ElementTree import Element, SubElement, TreeBuilder, XMLParser, XMLPullParser
from xml.parsers import expat

import attrs

from gipreport._core.errors import ParseError
from gipreport._core.limits import (
    MAX_INPUT_BYTES,
    MAX_MEMBERS,
    MAX_PART_TAGS,
    MAX_SPAN,
    MAX_TABLE_SLOTS,
)
from gipreport._core.zipparts import PackageError, ZipParts
from gipreport._reading.source import (
    Mark,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceImage,
    SourceParagraph,
    SourceTable,
    Where,
    capped,
)

__all__ = ["docx_source"]

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

A parsed part names its elements and attributes ``{uri}local`` (bare when in
no namespace), and this module's constants are made from the prefixed form by
:func:`_clark`. OOXML Strict's namespaces share the prefix of their
transitional twins, and a Strict name is read as its transitional twin
(:data:`_CANONICAL`), so a Strict document reads like any other.
"""

_URIS: Final = {prefix: uri for uri, prefix in reversed(_NAMESPACES.items())}
"""The canonical namespace of each prefix: the first one listed, the transitional."""
_CANONICAL: Final = {
    uri: _URIS[prefix] for uri, prefix in _NAMESPACES.items() if _URIS[prefix] != uri
}
"""Each namespace read as another one (Strict's), and that one."""


def _clark(name: str) -> str:
    """Return a name written ``w:p`` here as a parsed part holds it: ``{uri}p``."""
    prefix, _, local = name.rpartition(":")
    return f"{{{_URIS[prefix]}}}{local}" if prefix else local


def _prefixed(tag: str) -> str:
    """Return a name as a parsed part holds it in the form used here (``w:p``), for messages."""
    uri, brace, local = tag[1:].partition("}")
    if tag.startswith("{") and brace and uri in _NAMESPACES:
        return f"{_NAMESPACES[uri]}:{local}"
    return tag


def _names(*names: str) -> frozenset[str]:
    """Return the names written ``w:p`` here as a parsed part holds them."""
    return frozenset(map(_clark, names))


# The names read, as a parsed part holds them.
_DOCUMENT: Final = _clark("w:document")
_BODY: Final = _clark("w:body")
_P: Final = _clark("w:p")
_TBL: Final = _clark("w:tbl")
_TR: Final = _clark("w:tr")
_TC: Final = _clark("w:tc")
_T: Final = _clark("w:t")
_BR: Final = _clark("w:br")
_OBJECT: Final = _clark("w:object")
_P_PR: Final = _clark("w:pPr")
_P_STYLE: Final = _clark("w:pStyle")
_OUTLINE_LVL: Final = _clark("w:outlineLvl")
_JC: Final = _clark("w:jc")
_TR_PR: Final = _clark("w:trPr")
_GRID_BEFORE: Final = _clark("w:gridBefore")
_GRID_AFTER: Final = _clark("w:gridAfter")
_TC_PR: Final = _clark("w:tcPr")
_GRID_SPAN: Final = _clark("w:gridSpan")
_V_MERGE: Final = _clark("w:vMerge")
_H_MERGE: Final = _clark("w:hMerge")
_STYLE: Final = _clark("w:style")
_NAME: Final = _clark("w:name")
_BASED_ON: Final = _clark("w:basedOn")
_ALTERNATE_CONTENT: Final = _clark("mc:AlternateContent")
_CHOICE: Final = _clark("mc:Choice")
_FALLBACK: Final = _clark("mc:Fallback")
_RELATIONSHIP: Final = _clark("rel:Relationship")
_VAL: Final = _clark("w:val")
_TYPE: Final = _clark("w:type")
_STYLE_ID: Final = _clark("w:styleId")
_DEFAULT: Final = _clark("w:default")


_IGNORED_SUBTREES: Final = _names("w:rPr", "w:sectPr", "w:tblPr", "w:tblGrid", "w:sdtPr")
"""Elements whose content is never read (see :func:`_kept_children`)."""
_KEPT_CHILDREN: Final = {
    _P_PR: _names("w:pStyle", "w:outlineLvl", "w:jc"),
    _TR_PR: _names("w:gridBefore", "w:gridAfter"),
    _TC_PR: _names("w:gridSpan", "w:vMerge", "w:hMerge"),
}
"""The only children read of these property elements; formatting is most of a part."""

_BLOCK_WRAPPERS: Final = _names("w:sdt", "w:sdtContent", "w:customXml", "w:smartTag")
"""Elements around paragraphs, tables, rows or cells that are read through."""

_TABLE_PARTS: Final = _names("w:tbl", "w:tr", "w:tc")

_INLINE_WRAPPERS: Final = _names(
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
)
"""Elements of a paragraph whose runs are its text.

Not read: ``w:del`` and ``w:moveFrom`` (deleted text), ``w:instrText`` (a
field's code, whose result follows it), ``w:rt`` (ruby annotations), and
drawings, pictures and text boxes, whose text is not the paragraph's.
"""

_RUN_TEXT: Final = {
    _clark("w:tab"): "\t",
    _clark("w:ptab"): "\t",
    _clark("w:cr"): "\n",
    _clark("w:noBreakHyphen"): "-",
}

_PICTURE_MARKERS: Final = {
    _clark("w:drawing"): _names("pic:pic", "a:blip"),
    _clark("w:pict"): _names("v:imagedata"),
}

_TRUE: Final = frozenset({"1", "true", "on"})
_APP_PART: Final = "docProps/app.xml"
_APPLICATION: Final = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Application"
)
_HEADING_NAME: Final = re.compile(r"(?:heading|标题)\s*[1-9１-９]", re.IGNORECASE)
_INTEGER: Final = re.compile(r"\s*([+-]?)0*(\d+)\s*", re.ASCII)


def docx_source(data: bytes) -> SourceDocument:
    """Return the blocks of a ``.docx`` file, in reading order.

    ``data`` is the whole file. Paragraphs are numbered from 0 among the
    paragraphs returned (``where.paragraph``), tables from 0 among the tables
    (``where.table``); a table or picture carries the number the next paragraph
    gets. Raises :class:`~gipreport._core.errors.ParseError` when ``data`` is not a
    readable ``.docx`` (a ``.doc``, a PDF, a damaged or oversized zip, XML that
    is not well-formed or has a DTD); ``where`` then names the part.
    """
    data = _require_bytes(data)
    _check_container(data)
    package = _Package(data)
    main = package.main_part()
    root = package.xml(main)
    if root.tag != _DOCUMENT:
        msg = (
            f"{main.filename} is not a Word document (its root element is <{_prefixed(root.tag)}>)"
        )
        raise ParseError(msg, main.filename)
    styles_part = package.styles_part(main)
    styles = _StyleSheet(package.xml(styles_part) if styles_part is not None else None)
    body = _child(root, _BODY)
    own = package.made_by_gipreport()
    blocks = _Reader(styles, main.filename, own=own).read(body) if body is not None else ()
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
    """The zip package of a docx: its parts, read with every size capped (:mod:`.zipparts`)."""

    def __init__(self, data: bytes) -> None:
        try:
            self._parts = ZipParts(data)
        except PackageError as error:
            raise ParseError(f"not a docx ({error.reason})") from None
        self._infos = self._parts.infos
        # Part names are case-insensitive in a package (ECMA-376 part 2, 8.1.1.2).
        self._folded = {name.casefold(): info for name, info in self._infos.items()}

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """Return the member holding the part ``name``, if there is one."""
        return self._infos.get(name) or self._folded.get(name.casefold())

    def read(self, info: zipfile.ZipInfo) -> bytearray:
        """Return the unpacked bytes of a part, counting them as they come."""
        try:
            return self._parts.unpack(info)
        except PackageError as error:
            raise ParseError(error.reason, error.member) from None

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

    def made_by_gipreport(self) -> bool:
        """Return whether gipreport wrote the document (``docProps/app.xml`` says so).

        gipreport marks every heading of its own documents with a heading style, so
        in them a paragraph of no heading style is a body paragraph, however it is
        numbered (``（一）…`` stays a paragraph).
        """
        found = self.find(_APP_PART)
        if found is None:
            return False
        application = self.xml(found).find(_APPLICATION)
        return application is not None and (application.text or "").strip() == "gipreport"

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
        for relationship in _child_elements(self.xml(rels), _RELATIONSHIP):
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


def _parse_xml(data: bytes | bytearray, part: str) -> Element:
    """Return the root of the XML ``data`` of ``part``, refusing any DTD.

    The tree is built by the C parser of :mod:`xml.etree.ElementTree`, once
    :func:`_check_prolog` has found that the part has no DTD, so that it can
    hold no entity declaration and no external entity. Anything else out of the
    ordinary — XML that is not well-formed, a namespace declaration that the two
    parsers take differently, an OOXML Strict namespace — is read again by
    :class:`_TreeBuilder`, which gives the error or the tree.
    """
    if data.count(b"<") > MAX_PART_TAGS:  # before the tree costs a hundred bytes a tag
        msg = f"{part} has more than {MAX_PART_TAGS:,} XML tags: not a report's"
        raise ParseError(msg, part)
    if _check_prolog(data, part):
        builder = TreeBuilder()
        parser = XMLPullParser(("start-ns",), _parser=XMLParser(target=builder))
        try:
            parser.feed(data)
            parser.close()
            events = cast("list[tuple[str, tuple[str, str]]]", list(parser.read_events()))
        except (ElementTree.ParseError, ValueError, LookupError):
            pass  # the careful parser reports it, refusing a DTD as ever
        else:
            root = builder.close()
            usual = not any(_unusual_namespace(uri) for _, (_, uri) in events)
            if usual and isinstance(root, Element):
                return root
    return _parse_carefully(data, part)


def _unusual_namespace(uri: str) -> bool:
    """Return whether a declared namespace needs :class:`_TreeBuilder`.

    Expat refuses a namespace holding the separator its user splits names
    with, which is ``}`` for the C parser and a space for the careful one; and
    Strict names are rewritten only by the careful one.
    """
    return " " in uri or uri in _CANONICAL


_PROLOG_CHUNK: Final = 4096
"""The first bytes of a part given to :func:`_check_prolog`; a root tag rarely ends later."""


class _Decided(Exception):  # noqa: N818 - not an error: a way out of expat's callbacks
    """Raised when :func:`_check_prolog` has found the root element."""


def _check_prolog(data: bytes | bytearray, part: str) -> bool:
    """Raise :class:`ParseError` when ``data`` has a DTD; return whether its prolog is plain.

    Expat itself reads the part up to the start of its root element, where a
    DTD must have come if there is one, and the first handler called decides:
    a DTD is refused, as no part of a .docx has one, before any of its entities
    is declared; the root element ends the check. ``False`` when expat fails
    before either (not well-formed, an encoding it cannot read), which
    :func:`_parse_carefully` then reports the same way.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*args: object) -> None:
        del args
        line = parser.CurrentLineNumber
        column = parser.CurrentColumnNumber + 1
        msg = f"{part} contains a DTD, which a .docx part never has"
        raise ParseError(msg, f"{part}, line {line}, column {column}")

    def decide(*args: object) -> None:
        del args
        raise _Decided

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse  # a DTD begins first; refused all the same
    parser.UnparsedEntityDeclHandler = refuse
    parser.StartElementHandler = decide
    # Fed a little at a time, so that expat stops soon after the decision: once
    # a handler has raised it goes on to the end of what it was given.
    start, size = 0, _PROLOG_CHUNK
    try:
        while True:
            end = start + size
            parser.Parse(data[start:end], end >= len(data))
            start, size = end, min(2 * size, _CHUNK)
    except _Decided:
        return True
    except (expat.ExpatError, ValueError, LookupError):
        return False


class _TreeBuilder:
    """Builds a light tree from expat's events, and refuses any DTD.

    The careful parser, for what :func:`_parse_xml` does not leave to the C
    parser: its Python handlers are slower. Names are written as the C parser
    writes them, but in the canonical namespaces (:data:`_CANONICAL`); the
    children :func:`_kept_children` would skip are left out, and only ``w:t``
    keeps its text (all the character data in it), since no other character
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
        """Return the canonical form of expat's ``"uri local"`` name (callers look in the cache)."""
        uri, _, local = raw.rpartition(" ")
        known = f"{{{_CANONICAL.get(uri, uri)}}}{local}" if uri else local
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
        if tag == _T and self._text is None:
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


def _parse_carefully(data: bytes | bytearray, part: str) -> Element:
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


def _kept_children(element: Element) -> Iterator[Element]:
    """Yield the children of ``element`` that are read, of all the children it has.

    Not the content of :data:`_IGNORED_SUBTREES`, and of the property elements
    of :data:`_KEPT_CHILDREN` only the children named there: what the
    careful parser leaves out of its tree, so that both trees read alike.
    """
    kept = _KEPT_CHILDREN.get(element.tag)
    for child in element:
        if child.tag not in _IGNORED_SUBTREES and (kept is None or child.tag in kept):
            yield child


def _holds(element: Element, markers: frozenset[str]) -> bool:
    """Return whether ``element`` or what is read of its descendants is named in ``markers``."""
    if not any(node.tag in markers for node in element.iter()):
        return False  # the common case, found in C; the walk below finds a subset of these
    stack = [element]
    while stack:
        node = stack.pop()
        if node.tag in markers:
            return True
        stack.extend(_kept_children(node))
    return False


def _text(element: Element) -> str:
    """Return all the character data inside ``element``."""
    if len(element):
        return "".join(element.itertext())
    return element.text or ""


def _child(element: Element, tag: str) -> Element | None:
    """Return the first child of ``element`` named ``tag``.

    :meth:`~xml.etree.ElementTree.Element.find` looks for a child of that tag
    in C when the name has no path syntax outside its braces (``/*[@.``), as
    no name read here has.
    """
    return element.find(tag)


def _child_elements(element: Element, tag: str) -> list[Element]:
    """Return the children of ``element`` named ``tag`` (see :func:`_child`)."""
    return element.findall(tag)


def _value(element: Element | None, tag: str) -> str | None:
    """Return ``w:val`` of the child ``tag`` of ``element``; ``""`` when it has none.

    ``None`` when there is no such child.
    """
    if element is None:
        return None
    child = element.find(tag)
    return None if child is None else child.get(_VAL, "")


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
    choice = _child(element, _CHOICE)
    return choice if choice is not None else _child(element, _FALLBACK)


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
        elif child.tag == _ALTERNATE_CONTENT:
            branch = _alternative(child)
            if branch is not None:
                stack.append(iter(branch))


_BODY_BLOCKS: Final = frozenset({_P, _TBL})
_PARAGRAPH: Final = frozenset({_P})
_ROW: Final = frozenset({_TR})
_CELL: Final = frozenset({_TC})
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
        if tag == _T:
            parts.append(_text(child))
        elif tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[tag])
        elif tag == _BR:
            if child.get(_TYPE, "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag in _INLINE_WRAPPERS:
            stack.append(iter(child))
        elif tag == _ALTERNATE_CONTENT:
            branch = _alternative(child)
            if branch is not None:
                stack.append(iter(branch))
        elif tag in _PICTURE_MARKERS:
            picture = picture or _holds(child, _PICTURE_MARKERS[tag])
        elif tag == _OBJECT:
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
        for element in _child_elements(root, _STYLE):
            if element.get(_TYPE, "paragraph") != "paragraph":
                continue
            style_id = element.get(_STYLE_ID)
            if style_id is None or style_id in self._entries:
                continue
            p_pr = _child(element, _P_PR)
            self._entries[style_id] = _StyleEntry(
                name=_value(element, _NAME) or style_id,
                based_on=_value(element, _BASED_ON),
                outline=_integer(_value(p_pr, _OUTLINE_LVL)),
                jc=_value(p_pr, _JC),
            )
            if self._default is None and element.get(_DEFAULT, "0").casefold() in _TRUE:
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
    p_pr = _child(paragraph, _P_PR)
    style = styles.style(_value(p_pr, _P_STYLE))
    outline = _integer(_value(p_pr, _OUTLINE_LVL))
    if outline is None:
        outline = style.outline
    jc = _value(p_pr, _JC)
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

    def __init__(self, styles: _StyleSheet, part: str, *, own: bool = False) -> None:
        self._styles = styles
        self._part = part
        self._own = own

    def read(self, body: Element) -> tuple[SourceBlock, ...]:
        """Return the blocks of ``w:body``, in reading order (no more than the caps allow)."""
        return capped(self._blocks(body))

    def _blocks(self, body: Element) -> Iterator[SourceBlock]:
        paragraphs = 0
        tables = 0
        for block in _descend(body, wanted=_BODY_BLOCKS, through=_BLOCK_WRAPPERS):
            if block.tag == _TBL:
                yield self._table(block, index=tables, paragraph=paragraphs)
                tables += 1
                continue
            text, picture = _paragraph_content(block)
            if _shows_text(text):
                mark = _paragraph_mark(block, self._styles)
                if mark is None and self._own:
                    mark = "body"
                where = Where(paragraph=paragraphs)
                yield SourceParagraph(text=text, where=where, mark=mark)
                paragraphs += 1
                if picture:
                    yield SourceImage(where=where)
            elif picture:
                yield SourceImage(where=Where(paragraph=paragraphs))

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
        tr_pr = _child(row, _TR_PR)
        before = _clamp(_integer(_value(tr_pr, _GRID_BEFORE)), default=0, low=0)
        after = _clamp(_integer(_value(tr_pr, _GRID_AFTER)), default=0, low=0)
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
            tc_pr = _child(tc, _TC_PR)
            span = _clamp(_integer(_value(tc_pr, _GRID_SPAN)), default=1, low=1)
            h_merge = _value(tc_pr, _H_MERGE)
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
                    v_merge=_value(tc_pr, _V_MERGE),
                    h_merge_open=h_merge is not None,
                )
            )
        return cells

    def _too_large(self, index: int) -> None:
        msg = f"source table {index + 1} has more than {MAX_TABLE_SLOTS} cells"
        raise ParseError(msg, self._part)


def _cell_text(cell: Element) -> str:
    """Return the text of a ``w:tc``: its non-empty paragraphs (nested tables' too), one a line."""
    texts = (
        _paragraph_content(paragraph)[0]
        for paragraph in _descend(cell, wanted=_PARAGRAPH, through=_CELL_CONTENT)
    )
    return "\n".join(text for text in texts if text)
