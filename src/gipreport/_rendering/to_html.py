"""The HTML renderer: a report as a standalone page, or as an ``<article>`` to embed.

It draws the shared layout (:mod:`gipreport.layout`), so its tables carry exactly
the official merges: the corner note over 3 × 3 slots, 三、本年度办理结果 spanning
22 rows, and so on. Every text of the report is escaped; class names are stable
(see :class:`HtmlOptions`), so a site can restyle the output with its own CSS.

Markup is built by joining strings, which keeps a report at about a millisecond.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from html import escape
from typing import ClassVar, Final

import attrs

from gipreport._core.form import TableSpec
from gipreport._core.model import COUNT_TEXTS, CellValue, Report
from gipreport._rendering.layout import (
    Covered,
    LayoutCell,
    LayoutRow,
    ProseBlock,
    ReportLayout,
    SectionLayout,
    SubheadingStyle,
    TableLayout,
    format_value,
    layout_shell,
    table_layout,
)
from gipreport._rendering.registry import (
    FunctionRenderer,
    RenderError,
    check_subheading_style,
    option_validator,
)
from gipreport._rendering.words import words

__all__ = ["DEFAULT_CSS", "HTML_RENDERER", "HtmlOptions", "render_html"]

DEFAULT_CSS: Final = """\
.gip-report{max-width:60rem;margin:0 auto;padding:1rem;color:#111;background:#fff;\
font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",\
"Source Han Sans SC",sans-serif;line-height:1.75;overflow-wrap:break-word}
.gip-title{font-size:1.5em;line-height:1.4;text-align:center;margin:0 0 1em}
.gip-heading{font-size:1.2em;margin:1.5em 0 .5em;\
font-family:SimHei,"黑体","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif}
.gip-subheading{font-size:1em;margin:1em 0 .25em}
.gip-report p{margin:.4em 0;text-indent:2em}
.gip-report p.gip-year{text-align:center;text-indent:0;margin:-.5em 0 1em}
.gip-table-wrap{overflow-x:auto;margin:.5em 0 1em}
.gip-table{border-collapse:collapse;width:100%;font-size:.875em;line-height:1.45}
.gip-table th,.gip-table td{border:1px solid #444;padding:.3em .4em;vertical-align:middle}
.gip-table th{font-weight:normal;text-align:center;background:#f3f3f3}
.gip-table .gip-col-header{word-break:keep-all;line-break:strict;overflow-wrap:normal}
.gip-table .gip-corner{font-size:.9em;text-align:left}
.gip-table .gip-row-header{text-align:left;background:#fafafa}
.gip-table .gip-block-title{text-align:left;font-weight:bold;background:#e8e8e8}
.gip-table .gip-value{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.gip-table-requests .gip-value{width:3.5em}
.gip-table-appeals .gip-value{width:2.5em}
.gip-table-requests,.gip-table-appeals{min-width:40rem}
.gip-caption{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;\
clip:rect(0 0 0 0);white-space:nowrap;border:0}
.gip-report .gip-signature{margin-top:2em;text-align:right}
.gip-report .gip-signature p{margin:0;text-indent:0}
@media (max-width:40rem){.gip-report{padding:.5rem}.gip-table{font-size:.8em}\
.gip-table th,.gip-table td{padding:.2em .25em}\
.gip-table .gip-row-header,.gip-table .gip-corner{position:sticky;left:0;z-index:1;\
box-shadow:inset -1px 0 #444}\
.gip-table-requests{table-layout:fixed;width:40em;min-width:0}\
.gip-table-requests .gip-col-0{width:2.2em}.gip-table-requests .gip-col-1{width:4.4em}\
.gip-table-requests .gip-col-2{width:8.2em}.gip-table-requests .gip-value{width:auto}\
.gip-table-requests .gip-at-1{left:2.2em}.gip-table-requests .gip-at-2{left:6.6em}}
@media print{.gip-report{max-width:none;padding:0;font-size:10.5pt}\
.gip-table-wrap{overflow:visible}\
.gip-table th,.gip-table .gip-row-header,.gip-table .gip-block-title{background:none}\
.gip-table-requests,.gip-table-appeals{min-width:0}\
.gip-table thead{display:table-header-group}\
.gip-table thead,.gip-table td,.gip-table th:not([rowspan]){break-inside:avoid}\
.gip-table thead tr,.gip-block tr:nth-child(-n+2){break-after:avoid}\
.gip-table-proactive,.gip-table-appeals{break-inside:avoid}\
.gip-heading,.gip-subheading{break-after:avoid}}
@page{size:A4;margin:15mm 12mm}
"""
"""The stylesheet of a standalone page. Every selector is a ``gip-`` class, so it
styles nothing else on a site. The section headings (一、总体情况) are in 黑体, as
GB/T 9704 sets them: SimHei, else a free sans face (Noto Sans CJK SC, which has a
bold weight for the headings' bold, then WenQuanYi Zen Hei, which has none). A
column header breaks only between its words (the renderer puts ``<wbr>`` there).
On a narrow screen (a phone) a table wider than the screen scrolls sideways in
its box while its row labels stay in view (``position: sticky``; table 3's label
columns have fixed widths for it). The print rules set an A4 page (``@page``),
repeat header rows on every page, and keep a heading with its table, header rows
with the first row below them, and tables 2 and 4 on one page; table 3 breaks
between rows, within the rows a label spans too (a cell that spans rows may
break, one that does not never does), so that 三、本年度办理结果, which spans 22
rows, does not carry them all to the next page and leave half a page blank. A
site embedding a fragment may copy it into its own CSS."""

_HEADING_LEVELS: Final = (1, 2, 3, 4)
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_LANG: Final = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_ID_PREFIX: Final = re.compile(r"[A-Za-z][A-Za-z0-9_:.-]*\Z|\Z")
_STYLE_END: Final = re.compile(r"</style", re.IGNORECASE)


def _noncharacters() -> str:
    # U+FDD0–U+FDEF and the last two code points of every plane.
    singles = "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
    return "\ufdd0-\ufdef" + singles


# Characters an HTML document may not contain (controls other than whitespace,
# lone surrogates, noncharacters): written as U+FFFD so the page stays valid. A valid
# report holds none (its texts are rejected when made); the renderer's own texts, and
# a report made bypassing its validators, are the only ones this can meet.
_NOT_IN_HTML: Final = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _noncharacters() + "]"
)
# A quick test that most texts pass untouched: nothing to escape, nothing to
# replace. (Its class has no scattered astral code points, so it stays fast.)
_NEEDS_WORK: Final = re.compile(
    "[&<>\"'\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U00010000-\U0010ffff]"
)


def _text(value: str) -> str:
    """Return ``value`` escaped for HTML text or a quoted attribute value."""
    if _NEEDS_WORK.search(value) is None:
        return value
    if _NOT_IN_HTML.search(value):
        value = _NOT_IN_HTML.sub("\ufffd", value)
    return escape(value, quote=True)


_BIDI_CONTROLS: Final = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _content(value: str) -> str:
    """Return a report's own text for element content: escaped, and isolated if it must be.

    A text holding a bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE, …) is
    wrapped in ``<bdi>``, so that however it is shown, it cannot reorder the text
    around it (the label beside it, the number after it). The text itself is kept.
    """
    text = _text(value)
    if _BIDI_CONTROLS.search(value):
        return f"<bdi>{text}</bdi>"
    return text


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_optional_str(value: object) -> bool:
    return value is None or isinstance(value, str)


@attrs.frozen(kw_only=True)
class HtmlOptions:
    """Options of the HTML renderer: ``gipreport.render(report, "html", **options)``.

    - ``fragment``: ``False`` (default) writes a complete page (``<!DOCTYPE html>``,
      UTF-8, the stylesheet, no external resources); ``True`` writes only the
      report's ``<article class="gip-report">``, to embed in a page that brings
      its own CSS.
    - ``css``: the page's stylesheet. ``None`` (default) is :attr:`DEFAULT_CSS`; a
      string *replaces* it (``""`` for no ``<style>`` at all). To add rules to the
      default, pass ``HtmlOptions.DEFAULT_CSS + "your rules"``. Pages only.
    - ``lang``: the language tag of the text, on ``<html>`` and on the article
      (default ``"zh-CN"``).
    - ``title``: the page's ``<title>``; ``None`` (default) is the report's
      title. Pages only.
    - ``heading_level``: the level of the report title's heading, 1 to 4
      (default 1: ``<h1>`` title, ``<h2>`` sections, ``<h3>`` sub-headings).
    - ``id_prefix``: prefix of the ``id`` of the article (``{prefix}report``) and
      of each section (``{prefix}overview``, ``{prefix}requests``…), default
      ``"gip-"``; give each report its own prefix to put several on one page, or
      ``None`` for no ids.
    - ``subheading_style``: how sub-headings are numbered, ``"chinese"``
      (default, ``（一）主动公开情况``, GB/T 9704) or another of
      :data:`gipreport.layout.SUBHEADING_STYLES` (``"arabic"``,
      ``"arabic-spaced"``, ``"arabic-dot"``, ``"arabic-comma"``).

    Stable class names, for a site's own CSS: ``gip-report`` (the article),
    ``gip-title``, ``gip-preamble``, ``gip-year`` (its first paragraph where the
    title does not give the year: ``（2023年度）``, centred), ``gip-section`` (each section, with
    ``gip-section-{key}``), ``gip-heading``, ``gip-prose``, ``gip-subsection``,
    ``gip-subheading``, ``gip-table-wrap`` (a scrolling box around each table),
    ``gip-table`` (with ``gip-table-{key}``: ``proactive``, ``requests``,
    ``appeals``), ``gip-caption``, ``gip-col-{n}`` (the ``<col>`` of grid column
    *n* from 0, where the stylesheet sets widths), ``gip-block`` (a ``<tbody>``
    per article block of table 2), and on cells ``gip-corner``, ``gip-col-header``
    (its words separated by ``<wbr>``: 商业<wbr>企业), ``gip-row-header`` (with
    ``gip-at-{n}`` when it starts in grid column *n* > 0, where a label stands
    while the values scroll), ``gip-block-title``, ``gip-value`` (with
    ``gip-blank`` when empty; its ``data-path`` is the cell's path), then
    ``gip-signature``, ``gip-organ``, ``gip-date``.

    Options are checked when made: a wrong type or value is a
    :class:`~gipreport.RenderError`, and so are ``css`` or ``title`` with
    ``fragment=True`` (a fragment has neither).
    """

    DEFAULT_CSS: ClassVar[str] = DEFAULT_CSS
    """The default stylesheet (:data:`gipreport._rendering.to_html.DEFAULT_CSS`)."""

    fragment: bool = attrs.field(
        default=False, validator=option_validator(_is_bool, "must be a bool")
    )
    css: str | None = attrs.field(
        default=None, validator=option_validator(_is_optional_str, "must be a str or None")
    )
    lang: str = attrs.field(
        default="zh-CN",
        validator=option_validator(
            lambda v: isinstance(v, str) and bool(_LANG.match(v)),
            "must be a language tag such as 'zh-CN'",
        ),
    )
    title: str | None = attrs.field(
        default=None, validator=option_validator(_is_optional_str, "must be a str or None")
    )
    heading_level: int = attrs.field(
        default=1,
        validator=option_validator(
            lambda v: type(v) is int and v in _HEADING_LEVELS, "must be an int from 1 to 4"
        ),
    )
    id_prefix: str | None = attrs.field(
        default="gip-",
        validator=option_validator(
            lambda v: v is None or (isinstance(v, str) and bool(_ID_PREFIX.match(v))),
            "must be None or start with a letter and hold only letters, digits, '-', '_', ':', '.'",
        ),
    )

    subheading_style: SubheadingStyle = attrs.field(
        default="chinese", validator=check_subheading_style
    )

    def __attrs_post_init__(self) -> None:
        if self.fragment and self.css is not None:
            msg = (
                "HtmlOptions.css: a fragment has no stylesheet; put the CSS in the "
                "embedding page (HtmlOptions.DEFAULT_CSS is the default one)"
            )
            raise RenderError(msg)
        if self.fragment and self.title is not None:
            msg = "HtmlOptions.title: a fragment has no <title>; it is the page's"
            raise RenderError(msg)
        if self.css is not None and _STYLE_END.search(self.css):
            msg = "HtmlOptions.css: the stylesheet must not contain '</style'"
            raise RenderError(msg)


def render_html(report: Report, options: HtmlOptions | None = None) -> str:
    """Return ``report`` as HTML: a standalone page, or with ``fragment=True`` an article.

    >>> import gipreport
    >>> html = render_html(gipreport.examples.mingan_2023(), HtmlOptions(fragment=True))
    >>> html.startswith('<article class="gip-report" lang="zh-CN" id="gip-report">')
    True
    """
    options = options if options is not None else HtmlOptions()
    # The tables are filled from their templates.
    doc = layout_shell(report, None, subheading_style=options.subheading_style)
    out: list[str] = []
    if not options.fragment:
        lang = _text(options.lang)
        title = _text(options.title if options.title is not None else doc.title)
        css = DEFAULT_CSS if options.css is None else options.css
        out += [
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="gipreport">\n<title>{title}</title>\n'
        ]
        if css:
            out += ["<style>\n", css, "" if css.endswith("\n") else "\n", "</style>\n"]
        out.append("</head>\n<body>\n")
    _article(out, doc, report, options)
    if not options.fragment:
        out.append("</body>\n</html>\n")
    return "".join(out)


def _id(options: HtmlOptions, name: str) -> str:
    if options.id_prefix is None:
        return ""
    return f' id="{_text(options.id_prefix + name)}"'


def _article(out: list[str], doc: ReportLayout, report: Report, options: HtmlOptions) -> None:
    level = options.heading_level
    out.append(
        f'<article class="gip-report" lang="{_text(options.lang)}"{_id(options, "report")}>\n'
        f'<h{level} class="gip-title">{_content(doc.title)}</h{level}>\n'
    )
    if doc.preamble:
        out.append('<div class="gip-preamble">\n')
        paragraphs = doc.preamble
        if doc.year_line is not None:  # the first, centred under the title as a subtitle
            out += ['<p class="gip-year">', _content(doc.year_line), "</p>\n"]
            paragraphs = paragraphs[1:]
        _paragraphs(out, paragraphs)
        out.append("</div>\n")
    values = report.values()
    for section in doc.sections:
        _section(out, section, options, report, values)
    out.append('<footer class="gip-signature">\n')
    out.append(f'<p class="gip-organ">{_content(doc.signature_organ)}</p>\n')
    if doc.signature_date is not None and report.published_on is not None:
        out.append(
            f'<p class="gip-date"><time datetime="{report.published_on.isoformat()}">'
            f"{_text(doc.signature_date)}</time></p>\n"
        )
    out.append("</footer>\n</article>\n")


def _paragraphs(out: list[str], paragraphs: tuple[str, ...]) -> None:
    for paragraph in paragraphs:
        text = _content(paragraph)
        if "\n" in text or "\r" in text:
            # A line break a paragraph holds is shown as one (a raw one would be a space).
            text = _LINE_BREAK.sub("<br>\n", text)
        out += ["<p>", text, "</p>\n"]


def _section(
    out: list[str],
    section: SectionLayout,
    options: HtmlOptions,
    report: Report,
    values: dict[str, CellValue],
) -> None:
    level = options.heading_level + 1
    key = _text(section.key)
    out.append(
        f'<section class="gip-section gip-section-{key}"{_id(options, section.key)}>\n'
        f'<h{level} class="gip-heading">{_text(section.heading)}</h{level}>\n'
    )
    if section.prose is not None:
        _prose(out, section.prose, level + 1)
    if section.prose is None:
        _fill(out, _template(report.form.table(section.key)), values)
    out.append("</section>\n")


def _prose(out: list[str], prose: ProseBlock, level: int) -> None:
    out.append('<div class="gip-prose">\n')
    _paragraphs(out, prose.paragraphs)
    for number, heading, paragraphs in prose.subsections:
        out.append(
            f'<section class="gip-subsection">\n'
            f'<h{level} class="gip-subheading">{_text(number)}{_content(heading)}</h{level}>\n'
        )
        _paragraphs(out, paragraphs)
        out.append("</section>\n")
    out.append("</div>\n")


def _table(
    out: list[str | _Slot],
    table: TableLayout,
    value: Callable[[LayoutCell], str | _Slot],
) -> None:
    """Write ``table``, each value cell as ``value`` gives it (its HTML, or a slot)."""
    key = _text(table.key)
    out.append(
        f'<div class="gip-table-wrap">\n<table class="gip-table gip-table-{key}">\n'
        f'<caption class="gip-caption">{_text(table.caption)}</caption>\n'
    )
    # Each column's width is the stylesheet's (gip-col-N), and so is where each
    # row label stands while the values scroll sideways (gip-at-N).
    out.append("<colgroup>")
    out.extend(f'<col class="gip-col-{n}">' for n in range(table.width))
    out.append("</colgroup>\n")
    columns = [
        [n for n, slot in enumerate(slots) if not isinstance(slot, Covered)]
        for slots in table.grid()
    ]
    rows = list(zip(table.rows, columns, strict=True))
    head = len(table.head)
    if head:
        out.append("<thead>\n")
        _rows(out, rows[:head], value)
        out.append("</thead>\n<tbody>\n")
        _rows(out, rows[head:], value)
        out.append("</tbody>\n")
    else:
        # Table 2: one <tbody> per article block, so its title heads a row group.
        blocks: dict[int, list[tuple[LayoutRow, list[int]]]] = {}
        for row, starts in rows:
            blocks.setdefault(row.block, []).append((row, starts))
        for block in blocks.values():
            out.append('<tbody class="gip-block">\n')
            _rows(out, block, value)
            out.append("</tbody>\n")
    out.append("</table>\n</div>\n")


def _rows(
    out: list[str | _Slot],
    rows: list[tuple[LayoutRow, list[int]]],
    value: Callable[[LayoutCell], str | _Slot],
) -> None:
    for row, starts in rows:
        out.append("<tr>")
        for cell, column in zip(row.cells, starts, strict=True):
            out.append(_cell(cell, column) if cell.path is None else value(cell))
        out.append("</tr>\n")


@attrs.frozen
class _Slot:
    """Where a table's HTML shows a value: its path, and the text around it."""

    path: str
    signed: bool
    before: str  # the <td ...> of a value
    before_blank: str  # of a blank

    @classmethod
    def of(cls, cell: LayoutCell) -> _Slot:
        blank = _cell(cell)
        assert blank.endswith("></td>"), blank
        value = _cell(attrs.evolve(cell, value=0, text=""))
        return cls(
            path=cell.path or "",
            signed=False,
            before=value.removesuffix("</td>"),
            before_blank=blank.removesuffix("</td>"),
        )


Template = tuple[str | _Slot, ...]


def _template(table: TableSpec) -> Template:
    """Return the HTML of ``table`` as constant text and value slots, made once per table."""
    found = _TEMPLATES.get(id(table))
    if found is not None and found[0] is table:
        return found[1]
    pieces: list[str | _Slot] = []
    blanks: dict[str, CellValue] = defaultdict(lambda: None)
    _table(pieces, table_layout(table, blanks), _Slot.of)
    signed = {
        f"{row_path}.{column.key}"
        for row_path, _ancestors, leaf in table.leaf_rows()
        for column in leaf.columns
        if column.kind == "signed"
    }
    merged: list[str | _Slot] = []
    for piece in pieces:
        if isinstance(piece, _Slot):
            merged.append(attrs.evolve(piece, signed=piece.path in signed))
        elif merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    if len(_TEMPLATES) >= _TEMPLATES_MAX:
        _TEMPLATES.clear()
    template = tuple(merged)
    _TEMPLATES[id(table)] = (table, template)
    return template


# id(table) -> (table, its template); bounded, like the layout's cache of blank tables.
_TEMPLATES: dict[int, tuple[TableSpec, Template]] = {}
_TEMPLATES_MAX: Final = 64


def _fill(out: list[str], template: Template, values: dict[str, CellValue]) -> None:
    for piece in template:
        if isinstance(piece, str):
            out.append(piece)
            continue
        value = values[piece.path]
        if value is None:
            out += [piece.before_blank, "</td>"]
        elif type(value) is int and not piece.signed and value < _COUNTS_END:
            out += [piece.before, _COUNT_TEXTS[value], "</td>"]  # a count: digits, no escape
        else:
            out += [piece.before, _text(format_value(value, signed=piece.signed)), "</td>"]


_COUNT_TEXTS: Final = COUNT_TEXTS
_COUNTS_END: Final = len(COUNT_TEXTS)


_SCOPE: Final = {
    "corner": ("gip-corner", "col"),
    "column-header": ("gip-col-header", "col"),
    "row-header": ("gip-row-header", "row"),
    "block-title": ("gip-block-title", "rowgroup"),
}


def _cell(cell: LayoutCell, column: int = 0) -> str:
    spans = ""
    if cell.rowspan != 1:
        spans += f' rowspan="{cell.rowspan}"'
    if cell.colspan != 1:
        spans += f' colspan="{cell.colspan}"'
    if cell.role == "value":
        blank = " gip-blank" if cell.value is None else ""
        path = f' data-path="{_text(cell.path)}"' if cell.path is not None else ""
        return f'<td class="gip-value{blank}"{path}{spans}>{_text(cell.text)}</td>'
    css_class, scope = _SCOPE[cell.role]
    if column and cell.role == "row-header":
        css_class += f" gip-at-{column}"
    if cell.role == "column-header":
        # A header breaks between its words only (商业/企业, never 商业企/业).
        text = "<wbr>".join(_text(word) for word in words(cell.text))
    else:
        text = _text(cell.text)
    return f'<th class="{css_class}" scope="{scope}"{spans}>{text}</th>'


HTML_RENDERER: Final = FunctionRenderer(
    name="html",
    media_type="text/html",
    binary=False,
    options=HtmlOptions,
    function=render_html,
)
"""The renderer registered as ``"html"``."""
