"""The docx renderer: a report as the official form in a Word document.

It draws the shared layout (:mod:`gipreport.layout`), so its tables carry exactly
the merges of the form: a cell spanning columns is one ``w:tc`` with
``w:gridSpan``, a cell spanning rows starts a ``w:vMerge`` that the rows below
continue. Page and fonts follow GB/T 9704-2012 by default (see
:class:`~gipreport.DocxOptions`).

Speed and reproducibility decide how it is written. python-docx's proxies
rebuild a table's grid on every ``table.cell(r, c)``, which makes a table build
quadratic; here ``word/document.xml`` is written directly as text, the other
parts are made once per options (and template) and cached, and the package is
zipped with fixed timestamps, member order and compression, so the same report
and options always give the same bytes.
"""

from __future__ import annotations

import functools
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Iterator, Mapping
from typing import Final, Literal

import attrs
from lxml import etree

from gipreport._core.limits import read_file
from gipreport._core.model import Report
from gipreport._core.zipparts import PackageError, ZipParts
from gipreport._rendering.docx_options import BAD_XML_CHARACTERS, BadTextError, DocxOptions
from gipreport._rendering.layout import (
    Covered,
    LayoutCell,
    ProseBlock,
    ReportLayout,
    TableLayout,
    layout,
)
from gipreport._rendering.registry import FunctionRenderer, RenderError
from gipreport._rendering.words import balanced_lines

__all__ = ["DOCX_RENDERER", "MEDIA_TYPE", "render_docx"]

MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

W_NS: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CT: Final = "application/vnd.openxmlformats-officedocument."
_W: Final = f"{{{W_NS}}}"

StyleRole = Literal["title", "heading1", "heading2", "table", "footer"]
FooterSide = Literal["left", "center", "right"]

_ZIP_DATE: Final = (1980, 1, 1, 0, 0, 0)
_COMPRESS_LEVEL: Final = 6

_A4_TWIPS: Final = (11906, 16838)
_TWIPS_PER_MM: Final = 1440 / 25.4
_CELL_MARGIN: Final = 51
"""Left and right padding of a table cell in twips (0.9 mm): narrow columns need it small."""
_DIGIT_EM: Final = 0.64
"""The widest digit of common Latin fonts, in em: 0.5 in Times New Roman and 宋体,
0.556 in Arial, 0.636 in DejaVu (LibreOffice's stand-in where Times is missing)."""
_MIN_VALUE_HALF_POINTS: Final = 10
"""Values shrink to fit their column, but never below 5 pt; below that they wrap."""
_ROW_HEIGHT: Final = 1.7
"""The least height of a table row, in lines of the table's font size: room around one line."""
_KEPT_TOGETHER: Final = 2 / 3
"""A table whose rows at their least height take at most this share of the type area's
height is kept on one page (every row kept with the next): its labels may wrap to more
lines than the estimate counts, so the share leaves room for that."""
_HEADER_FOOTER_GAP_MM: Final = 7.0
"""GB/T 9704 7.5: the page number sits 7 mm below the type area."""

_COLUMN_WEIGHTS: Final[dict[str, tuple[int, ...]]] = {
    # Table 3, in tenths of a millimetre at 156 mm, each column the width of whole
    # characters of 五号 (3.7 mm) plus the padding: two for 三、 (so that 、 never
    # starts a line), four for （六）其他处理, nine for 7.属于行政执法案卷, and seven
    # value columns of three, for 商业企业 in two balanced lines.
    "requests": (94, 170, 358, 134, 134, 134, 134, 134, 134, 134),
}
"""Relative column widths of a table, by key; tables not listed have equal columns."""

_FOOTER_SIDES: Final[dict[str, tuple[tuple[str, FooterSide], ...]]] = {
    # GB/T 9704 7.5: odd pages right, even pages left.
    "outside": (("default", "right"), ("even", "left")),
    "center": (("default", "center"),),
    "none": (),
}
"""The footers of each ``page_numbers`` option: (which pages, alignment)."""

_NORMAL_NAME: Final = "Normal"
_STYLES: Final[dict[StyleRole, tuple[str, str]]] = {
    # role: (style name, as Word matches styles; style id when gipreport adds it)
    "title": ("Title", "Title"),
    "heading1": ("heading 1", "Heading1"),
    "heading2": ("heading 2", "Heading2"),
    "table": ("gipreport Table Text", "GipTableText"),
    "footer": ("footer", "Footer"),
}

_XML_DECLARATION: Final = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CENTRED: Final = '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>'
"""A paragraph centred, without the first-line indent (the year line under a title)."""
_LINE_BREAK: Final = re.compile(r"(\r\n|\r|\n|\t)")
_SPECIAL: Final = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
"""Any character that is not written as itself: a break, a tab, or one XML cannot hold."""
_HEADER_WRAPPABLE: Final = re.compile(r"[\u4e00-\u9fff]+\Z")
"""Header labels of ideographs only are broken into balanced lines between words (商业/企业)."""


# --- text ------------------------------------------------------------------------------


def check_text(report: Report) -> None:
    """Raise :class:`BadTextError` for the first text of ``report`` XML cannot hold."""
    for path, text in report.texts():
        found = BAD_XML_CHARACTERS.search(text)
        if found is not None:
            raise BadTextError(path, found.group(), found.start())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _wt(text: str) -> str:
    if text[0] == " " or text[-1] == " " or "  " in text:
        return f'<w:t xml:space="preserve">{_escape(text)}</w:t>'
    return f"<w:t>{_escape(text)}</w:t>"


def _run_content(text: str) -> str:
    """Return the inside of a ``w:r`` for ``text``: line breaks and tabs become elements."""
    if not _LINE_BREAK.search(text):
        return _wt(text) if text else ""
    parts = []
    for piece in _LINE_BREAK.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r\n", "\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            parts.append(_wt(piece))
    return "".join(parts)


# --- geometry and styles ---------------------------------------------------------------


def _twips(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


def _half_points(points: float) -> int:
    return round(points * 2)


def _rfonts(east_asia: str, latin: str) -> str:
    latin = _attr(latin)
    return (
        f'<w:rFonts w:ascii="{latin}" w:eastAsia="{_attr(east_asia)}" w:hAnsi="{latin}" '
        f'w:cs="{latin}" w:hint="eastAsia"/>'
    )


def _size(points: float) -> str:
    half = _half_points(points)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


_NO_INDENT: Final = '<w:ind w:left="0" w:right="0" w:firstLineChars="0" w:firstLine="0"/>'


def _our_styles(options: DocxOptions, normal: str | None) -> dict[StyleRole, str]:
    """Return gipreport's definition of each style role, based on style id ``normal``."""
    line = round(options.line_spacing * 20)
    title_line = max(line, round(options.title_size * 1.5 * 20))
    based = f'<w:basedOn w:val="{_attr(normal)}"/>' if normal else ""
    then = f'<w:next w:val="{_attr(normal)}"/>' if normal else ""
    single = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    latin = options.latin_font
    return {
        "title": (
            f"{based}{then}<w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>"
            f'<w:spacing w:before="0" w:after="{line}" w:line="{title_line}" w:lineRule="exact"/>'
            f'{_NO_INDENT}<w:jc w:val="center"/></w:pPr>'
            f"<w:rPr>{_rfonts(options.title_font, latin)}{_size(options.title_size)}</w:rPr>"
        ),
        "heading1": (
            f'{based}{then}<w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val="0"/>'
            f"</w:pPr><w:rPr>{_rfonts(options.heading1_font, latin)}</w:rPr>"
        ),
        "heading2": (
            f'{based}{then}<w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val="1"/>'
            f"</w:pPr><w:rPr>{_rfonts(options.heading2_font, latin)}</w:rPr>"
        ),
        "table": (
            f'{based}<w:qFormat/><w:pPr>{single}{_NO_INDENT}<w:jc w:val="center"/>'
            f"</w:pPr><w:rPr>{_rfonts(options.table_font, latin)}"
            f"{_size(options.table_size)}</w:rPr>"
        ),
        "footer": (
            f"{based}<w:pPr>{single}{_NO_INDENT}</w:pPr>"
            f"<w:rPr>{_rfonts(options.page_number_font, latin)}"
            f"{_size(options.page_number_size)}</w:rPr>"
        ),
    }


def _style(role: StyleRole, style_id: str, body: str) -> str:
    name = _STYLES[role][0]
    custom = ' w:customStyle="1"' if role == "table" else ""  # not one of Word's own
    return (
        f'<w:style w:type="paragraph"{custom} w:styleId="{_attr(style_id)}">'
        f'<w:name w:val="{_attr(name)}"/>{body}</w:style>'
    )


def _default_styles_xml(options: DocxOptions) -> bytes:
    body_fonts = _rfonts(options.body_font, options.latin_font)
    line = round(options.line_spacing * 20)
    first_line = round(options.body_size * 2 * 20)
    ours = _our_styles(options, _NORMAL_NAME)
    styles = "".join(_style(role, _STYLES[role][1], ours[role]) for role in _STYLES)
    xml = (
        f'{_XML_DECLARATION}<w:styles xmlns:w="{W_NS}">'
        f"<w:docDefaults><w:rPrDefault><w:rPr>{body_fonts}{_size(options.body_size)}"
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        "<w:pPrDefault/></w:docDefaults>"
        f'<w:style w:type="paragraph" w:default="1" w:styleId="{_NORMAL_NAME}">'
        f'<w:name w:val="{_NORMAL_NAME}"/><w:qFormat/><w:pPr>'
        f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
        f'<w:ind w:firstLineChars="200" w:firstLine="{first_line}"/><w:jc w:val="both"/></w:pPr>'
        f"<w:rPr>{body_fonts}</w:rPr></w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr></w:style>{styles}</w:styles>"
    )
    return xml.encode()


@attrs.frozen(kw_only=True)
class _Template:
    """What gipreport takes from a template: merged styles, the style ids, theme, numbering."""

    styles: bytes
    style_ids: dict[StyleRole, str]
    theme: bytes | None
    numbering: bytes | None


def _template_error(what: str) -> RenderError:
    return RenderError(f"DocxOptions.template: {what}")


_TEMPLATE_XML: Final = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
"""How a template's parts are parsed: no entities expanded, no DTD or network fetched."""


def _template_xml(data: bytes, part: str) -> etree._Element:
    try:
        root = etree.fromstring(data, _TEMPLATE_XML)
    except etree.XMLSyntaxError as error:
        raise _template_error(f"{part} is not well-formed XML ({error})") from None
    if root is None:  # pragma: no cover - lxml raises for an empty document
        raise _template_error(f"{part} is empty")
    return root


def _part_rels(files: Mapping[str, bytes], part: str) -> list[tuple[str, str]]:
    """Return ``(type, target part)`` for each internal relationship of ``part``."""
    directory, name = posixpath.split(part)
    rels = files.get(posixpath.join(directory, "_rels", f"{name}.rels"))
    if rels is None:
        return []
    found = []
    rels_part = posixpath.join(directory, "_rels", f"{name}.rels")
    for rel in _template_xml(rels, rels_part).iter(f"{{{_PKG_RELS_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(directory, target)
        found.append((rel.get("Type", ""), posixpath.normpath(path)))
    return found


def _read_template(data: bytes, options: DocxOptions) -> _Template:
    try:
        return _template_of(ZipParts(data), options)
    except PackageError as error:
        reason = f"not a .docx, or not one within the limits ({error.reason})"
        raise _template_error(reason) from None


def _template_of(files: ZipParts, options: DocxOptions) -> _Template:
    """Return what is taken from a template's parts, read within the limits of the reader."""
    main = next((t for kind, t in _part_rels(files, "") if kind == f"{_REL}officeDocument"), None)
    if main is None or main not in files:
        raise _template_error("not a .docx (no main document part)")
    targets = {kind.removeprefix(_REL): target for kind, target in _part_rels(files, main)}
    styles_part = targets.get("styles")
    if styles_part is None or styles_part not in files:
        raise _template_error("the document has no styles part")
    root = _template_xml(files[styles_part], styles_part)
    by_name: dict[str, str] = {}
    ids: set[str] = set()
    normal: str | None = None
    for style in root.iterchildren(f"{_W}style"):
        style_id = style.get(f"{_W}styleId", "")
        ids.add(style_id)
        if style.get(f"{_W}type") != "paragraph":
            continue
        if style.get(f"{_W}default") in ("1", "true", "on") and normal is None:
            normal = style_id
        name = style.find(f"{_W}name")
        if name is not None:
            by_name.setdefault(name.get(f"{_W}val", "").lower(), style_id)
    ours = _our_styles(options, normal)
    style_ids: dict[StyleRole, str] = {}
    for role, (name, preferred) in _STYLES.items():
        existing = by_name.get(name.lower())
        if existing is not None:
            style_ids[role] = existing
            continue
        style_id = preferred
        while style_id in ids:
            style_id = f"Gip{style_id}"
        ids.add(style_id)
        style_ids[role] = style_id
        wrapped = f'<w:styles xmlns:w="{W_NS}">{_style(role, style_id, ours[role])}</w:styles>'
        root.append(etree.fromstring(wrapped)[0])
    return _Template(
        styles=etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
        style_ids=style_ids,
        theme=_self_contained(files, targets.get("theme")),
        numbering=_self_contained(files, targets.get("numbering")),
    )


def _self_contained(files: Mapping[str, bytes], part: str | None) -> bytes | None:
    # A part with parts of its own (picture bullets, …) is left out rather than
    # written with broken references.
    if part is None or part not in files or _part_rels(files, part):
        return None
    return files[part]


# --- the cached parts ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Package:
    """Everything but the report: parts in zip order, style ids, table geometry."""

    before: tuple[tuple[str, bytes], ...]
    after: tuple[tuple[str, bytes], ...]
    style_ids: dict[StyleRole, str]
    table_width: int
    table_half_points: int
    row_height: int
    keep_height: int
    section: str
    line: int
    value_jc: str
    replacement: str


def _fonts_xml(options: DocxOptions) -> bytes:
    fallbacks = dict(options.font_fallbacks)
    used = dict.fromkeys(
        (
            options.title_font,
            options.body_font,
            options.heading1_font,
            options.heading2_font,
            options.table_font,
            options.page_number_font,
            options.latin_font,
        )
    )
    fonts = []
    for name in used:
        alt = f'<w:altName w:val="{_attr(fallbacks[name])}"/>' if name in fallbacks else ""
        # GB2312 for Chinese font names, so Word picks them for Chinese text.
        charset = '<w:charset w:val="86"/>' if not name.isascii() else ""
        fonts.append(
            f'<w:font w:name="{_attr(name)}">{alt}{charset}<w:family w:val="auto"/>'
            '<w:pitch w:val="variable"/></w:font>'
        )
    return f'{_XML_DECLARATION}<w:fonts xmlns:w="{W_NS}">{"".join(fonts)}</w:fonts>'.encode()


def _settings_xml(options: DocxOptions) -> bytes:
    even_odd = "<w:evenAndOddHeaders/>" if options.page_numbers == "outside" else ""
    return (
        f'{_XML_DECLARATION}<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/>'
        f'<w:defaultTabStop w:val="420"/>{even_odd}'
        '<w:characterSpacingControl w:val="compressPunctuation"/><w:compat>'
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
        ' w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    ).encode()


def _footer_xml(options: DocxOptions, style_id: str, side: FooterSide) -> bytes:
    # GB/T 9704 7.5: "— 1 —", odd pages right and even pages left, one character in.
    one_char = round(options.page_number_size * 20)
    indent = {
        "left": f'w:left="{one_char}" w:right="0"',
        "right": f'w:left="0" w:right="{one_char}"',
    }
    ind = indent.get(side, 'w:left="0" w:right="0"')
    font = _attr(options.page_number_font)
    rpr = (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
        f"{_size(options.page_number_size)}</w:rPr>"
    )
    runs = (
        f'<w:r>{rpr}<w:t xml:space="preserve">\u2014 </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> \u2014</w:t></w:r>'
    )
    return (
        f'{_XML_DECLARATION}<w:ftr xmlns:w="{W_NS}"><w:p><w:pPr>'
        f'<w:pStyle w:val="{_attr(style_id)}"/><w:ind {ind} w:firstLineChars="0" w:firstLine="0"/>'
        f'<w:jc w:val="{side}"/></w:pPr>{runs}</w:p></w:ftr>'
    ).encode()


def _relationships(rels: list[tuple[str, str, str]]) -> bytes:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels
    )
    return (
        f'{_XML_DECLARATION}<Relationships xmlns="{_PKG_RELS_NS}">{items}</Relationships>'.encode()
    )


def _content_types(overrides: list[tuple[str, str]]) -> bytes:
    items = "".join(
        f'<Override PartName="/{part}" ContentType="{kind}"/>' for part, kind in overrides
    )
    return (
        f'{_XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    ).encode()


@functools.lru_cache(maxsize=16)
def _package(options: DocxOptions) -> _Package:
    """Return the parts of ``options`` (its ``template`` given as bytes), made once."""
    template = (
        _read_template(options.template, options) if isinstance(options.template, bytes) else None
    )
    style_ids = template.style_ids if template else {role: ids[1] for role, ids in _STYLES.items()}
    styles = template.styles if template else _default_styles_xml(options)

    word: list[tuple[str, str, bytes]] = [
        ("styles.xml", "styles", styles),
        ("settings.xml", "settings", _settings_xml(options)),
        ("fontTable.xml", "fontTable", _fonts_xml(options)),
    ]
    footers: list[tuple[str, str]] = []  # (type, relationship id)
    sides = _FOOTER_SIDES[options.page_numbers]
    for number, (kind, side) in enumerate(sides, 1):
        footer = _footer_xml(options, style_ids["footer"], side)
        word.append((f"footer{number}.xml", "footer", footer))
        footers.append((kind, f"rId{len(word)}"))
    if template and template.theme:
        word.append(("theme/theme1.xml", "theme", template.theme))
    if template and template.numbering:
        word.append(("numbering.xml", "numbering", template.numbering))

    content = {
        "styles": f"{_CT}wordprocessingml.styles+xml",
        "settings": f"{_CT}wordprocessingml.settings+xml",
        "fontTable": f"{_CT}wordprocessingml.fontTable+xml",
        "footer": f"{_CT}wordprocessingml.footer+xml",
        "theme": f"{_CT}theme+xml",
        "numbering": f"{_CT}wordprocessingml.numbering+xml",
    }
    overrides = [
        ("word/document.xml", f"{_CT}wordprocessingml.document.main+xml"),
        *((f"word/{name}", content[kind]) for name, kind, _data in word),
        ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("docProps/app.xml", f"{_CT}extended-properties+xml"),
    ]
    package_rels = _relationships(
        [
            ("rId1", f"{_REL}officeDocument", "word/document.xml"),
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                "core-properties",
                "docProps/core.xml",
            ),
            ("rId3", f"{_REL}extended-properties", "docProps/app.xml"),
        ]
    )
    # A part's relationship id is its position in ``word``: fixed for fixed options.
    document_rels = _relationships(
        [(f"rId{i}", f"{_REL}{kind}", name) for i, (name, kind, _data) in enumerate(word, 1)]
    )
    app = (
        f"{_XML_DECLARATION}<Properties xmlns="
        '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>gipreport</Application></Properties>"
    ).encode()

    width_mm, height_mm = options.type_area
    pg_w, pg_h = _A4_TWIPS
    footer_mm = max(
        0.0,
        options.margin_bottom - _HEADER_FOOTER_GAP_MM - options.page_number_size * 25.4 / 72,
    )
    references = "".join(
        f'<w:footerReference w:type="{kind}" r:id="{rid}"/>' for kind, rid in footers
    )
    section = (
        f'<w:sectPr>{references}<w:pgSz w:w="{pg_w}" w:h="{pg_h}"/>'
        f'<w:pgMar w:top="{_twips(options.margin_top)}" w:right="{_twips(options.margin_right)}" '
        f'w:bottom="{_twips(options.margin_bottom)}" w:left="{_twips(options.margin_left)}" '
        f'w:header="{_twips(min(15.0, options.margin_top / 2))}" w:footer="{_twips(footer_mm)}" '
        'w:gutter="0"/><w:cols w:space="425"/></w:sectPr>'
    )
    return _Package(
        before=(
            ("[Content_Types].xml", _content_types(overrides)),
            ("_rels/.rels", package_rels),
            ("docProps/app.xml", app),
        ),
        after=(
            ("word/_rels/document.xml.rels", document_rels),
            *((f"word/{name}", data) for name, _kind, data in word),
        ),
        style_ids=style_ids,
        # Rounded down, so a table is never wider than the type area.
        table_width=math.floor(width_mm * _TWIPS_PER_MM),
        table_half_points=_half_points(options.table_size),
        row_height=round(options.table_size * 20 * _ROW_HEIGHT),
        keep_height=math.floor(height_mm * _TWIPS_PER_MM * _KEPT_TOGETHER),
        section=section,
        line=round(options.line_spacing * 20),
        value_jc="" if options.number_alignment == "center" else '<w:jc w:val="right"/>',
        replacement="\ufffd" if options.bad_text == "replace" else "",
    )


# --- the document ----------------------------------------------------------------------


class _Writer:
    """Writes ``word/document.xml`` for one report, as a list of strings."""

    def __init__(self, package: _Package) -> None:
        self.package = package
        self.ids = package.style_ids
        self.out: list[str] = []

    def text(self, text: str) -> str:
        """Return the inside of a run for report text, with bad characters handled."""
        if not text:
            return ""
        if not _SPECIAL.search(text):  # the common case: one search, no copies
            return _wt(text)
        if BAD_XML_CHARACTERS.search(text):
            text = BAD_XML_CHARACTERS.sub(self.package.replacement, text)
        return _run_content(text)

    def paragraph(self, text: str, ppr: str = "") -> None:
        content = self.text(text)
        run = f"<w:r>{content}</w:r>" if content else ""
        self.out.append(f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{run}</w:p>")

    def style(self, role: StyleRole) -> str:
        return f'<w:pStyle w:val="{_attr(self.ids[role])}"/>'

    def styled(self, role: StyleRole, text: str) -> None:
        self.paragraph(text, self.style(role))

    def document(self, doc: ReportLayout) -> bytes:
        self.out.append(f'{_XML_DECLARATION}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>')
        self.styled("title", doc.title)
        preamble = doc.preamble
        if doc.year_line is not None:  # the first, centred under the title as a subtitle
            self.paragraph(doc.year_line, _CENTRED)
            preamble = preamble[1:]
        for text in preamble:
            self.paragraph(text)
        after_table = False
        for section in doc.sections:
            # Half a line between a table and the heading below it, as under a caption.
            gap = f'<w:spacing w:before="{self.package.line // 2}"/>' if after_table else ""
            # A heading stays with what follows, whatever the heading style says.
            self.paragraph(section.heading, f"{self.style('heading1')}<w:keepNext/>{gap}")
            after_table = section.table is not None
            if section.prose is not None:
                self.prose(section.prose)
            if section.table is not None:
                self.table(section.table)
        signature = '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/>'
        spacing = f'<w:spacing w:before="{2 * self.package.line}"/>'
        self.paragraph(doc.signature_organ, f"<w:keepNext/>{spacing}{signature}")
        if doc.signature_date is not None:
            self.paragraph(doc.signature_date, signature)
        self.out.append(f"{self.package.section}</w:body></w:document>")
        return "".join(self.out).encode()

    def prose(self, prose: ProseBlock) -> None:
        for text in prose.paragraphs:
            self.paragraph(text)
        for number, heading, paragraphs in prose.subsections:
            self.styled("heading2", number + heading)
            for text in paragraphs:
                self.paragraph(text)

    def table(self, table: TableLayout) -> None:
        widths = _column_widths(table, self.package.table_width)
        starts = [0]
        for width in widths:
            starts.append(starts[-1] + width)
        grid = table.grid()
        half_points = self.package.table_half_points
        # A table that fits on a page is kept on one: every row stays with the next.
        together = len(table.rows) * self.package.row_height <= self.package.keep_height
        last = len(table.rows) - 1
        style = f'<w:pStyle w:val="{_attr(self.ids["table"])}"/>'
        row_height = f'<w:trHeight w:val="{self.package.row_height}" w:hRule="atLeast"/>'
        border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
        out = self.out
        out.append(
            f'<w:tbl><w:tblPr><w:tblW w:w="{starts[-1]}" w:type="dxa"/><w:jc w:val="center"/>'
            f"<w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/>"
            f"<w:right {border}/><w:insideH {border}/><w:insideV {border}/></w:tblBorders>"
            f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{_CELL_MARGIN}" '
            f'w:type="dxa"/><w:right w:w="{_CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
            "</w:tblPr><w:tblGrid>"
        )
        out.extend(f'<w:gridCol w:w="{width}"/>' for width in widths)
        out.append("</w:tblGrid>")
        for index, (row, slots) in enumerate(zip(table.rows, grid, strict=True)):
            header = "<w:tblHeader/>" if row.part == "head" else ""
            # A row of labels only (a header, a table 2 block title) stays with the next.
            labels_only = not any(cell.role == "value" for cell in row.cells)
            keep = "<w:keepNext/>" if labels_only or (together and index < last) else ""
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{row_height}{header}</w:trPr>")
            for column, slot in enumerate(slots):
                if isinstance(slot, Covered):
                    if slot.column == 0:  # the first slot of a row the merge continues into
                        origin = slot.origin
                        width = starts[column + origin.colspan] - starts[column]
                        span = (
                            f'<w:gridSpan w:val="{origin.colspan}"/>' if origin.colspan > 1 else ""
                        )
                        out.append(
                            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}'
                            f'<w:vMerge/><w:vAlign w:val="center"/></w:tcPr>'
                            f"<w:p><w:pPr>{style}{keep}</w:pPr></w:p></w:tc>"
                        )
                    continue
                width = starts[column + slot.colspan] - starts[column]
                span = f'<w:gridSpan w:val="{slot.colspan}"/>' if slot.colspan > 1 else ""
                merge = '<w:vMerge w:val="restart"/>' if slot.rowspan > 1 else ""
                if slot.role == "value":
                    ppr = f"{style}{keep}{self.package.value_jc}"
                    run = ""
                    if slot.text:
                        size = _value_half_points(width, len(slot.text), half_points)
                        rpr = "" if size == half_points else f"<w:rPr>{_size(size / 2)}</w:rPr>"
                        run = f"<w:r>{rpr}{_wt(slot.text)}</w:r>"
                else:
                    jc = '<w:jc w:val="left"/>' if slot.role == "row-header" else ""
                    ppr = f"{style}{keep}{jc}"
                    run = f"<w:r>{self.header_text(slot, width)}</w:r>"
                out.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}'
                    f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>'
                    "</w:tc>"
                )
            out.append("</w:tr>")
        out.append("</w:tbl>")

    def header_text(self, cell: LayoutCell, width: int) -> str:
        text = cell.text
        if cell.role in ("corner", "column-header") and _HEADER_WRAPPABLE.match(text):
            # One em of an ideograph is the font size; in twips, half points × 10.
            per_line = (width - 2 * _CELL_MARGIN) // (self.package.table_half_points * 10)
            if 0 < per_line < len(text):
                # Balanced lines broken between words: 商业/企业, never 商业企/业.
                return "<w:br/>".join(_wt(line) for line in balanced_lines(text, per_line))
        return _run_content(text)


def _column_widths(table: TableLayout, total: int) -> tuple[int, ...]:
    weights = _COLUMN_WEIGHTS.get(table.key, ())
    if len(weights) != table.width:
        weights = (1,) * table.width
    scale = sum(weights)
    widths = [total * weight // scale for weight in weights]
    widths[-1] += total - sum(widths)
    return tuple(widths)


def _value_half_points(width: int, length: int, half_points: int) -> int:
    """Return the size of a value of ``length`` characters in a cell ``width`` twips wide.

    A number is never broken across lines: a value that would not fit its cell at
    the table's size (``half_points``) gets the largest size at which it fits (down
    to 5 pt); every other value keeps the table's size.
    """
    room = width - 2 * _CELL_MARGIN
    # n characters of _DIGIT_EM at h half points take n * _DIGIT_EM * h * 10 twips.
    fits = math.floor(room / (length * _DIGIT_EM * 10))
    return max(min(half_points, fits), _MIN_VALUE_HALF_POINTS)


def _core_xml(report: Report, title: str, package: _Package) -> bytes:
    def clean(text: str) -> str:
        return _escape(BAD_XML_CHARACTERS.sub(package.replacement, text))

    # No "now": the dates are the report's date of issue, or absent.
    dates = ""
    if report.published_on is not None:
        stamp = f"{report.published_on.isoformat()}T00:00:00Z"
        dates = (
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        )
    return (
        f"{_XML_DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{clean(title)}</dc:title><dc:creator>{clean(report.organ)}</dc:creator>"
        f"<dc:language>zh-CN</dc:language>{dates}</cp:coreProperties>"
    ).encode()


def _zip(parts: Iterator[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the same bytes on every platform
            info.external_attr = 0
            package.writestr(info, data, compresslevel=_COMPRESS_LEVEL)
    return buffer.getvalue()


def render_docx(report: Report, options: DocxOptions | None = None) -> bytes:
    """Return ``report`` as a Word document (the bytes of a ``.docx``).

    Raises :class:`~gipreport.BadTextError` for text XML cannot hold, unless
    ``options.bad_text`` says to replace or strip it.

    >>> import gipreport
    >>> data = render_docx(gipreport.examples.mingan_2023())
    >>> data[:2], data == render_docx(gipreport.examples.mingan_2023())
    (b'PK', True)
    """
    options = options if options is not None else DocxOptions()
    if options.bad_text == "error":
        check_text(report)
    if options.template is not None and not isinstance(options.template, bytes):
        # Read every time, and cached by content: a template edited between two
        # calls is used as it is now.
        try:
            data = read_file(options.template)
        except OSError as error:
            reason = f"cannot read {error.filename}: {error.strerror or error}"
            raise _template_error(reason) from None
        options = attrs.evolve(options, template=data)
    package = _package(options)
    doc = layout(report, subheading_style=options.subheading_style)
    document = _Writer(package).document(doc)

    def parts() -> Iterator[tuple[str, bytes]]:
        yield from package.before
        yield "docProps/core.xml", _core_xml(report, doc.title, package)
        yield "word/document.xml", document
        yield from package.after

    return _zip(parts())


DOCX_RENDERER: Final = FunctionRenderer(
    name="docx",
    media_type=MEDIA_TYPE,
    binary=True,
    options=DocxOptions,
    function=render_docx,
)
"""The renderer registered as ``"docx"``."""
