"""Reading .docx files into source blocks: text, marks, merged tables, and hostile input."""

from __future__ import annotations

import contextlib
import io
import struct
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gipreport
from gipreport._core import zipparts
from gipreport._core.errors import ParseError
from gipreport._reading import from_docx as _read_docx
from gipreport._reading.from_docx import docx_source
from gipreport._reading.source import (
    SourceCell,
    SourceDocument,
    SourceImage,
    SourceParagraph,
    SourceTable,
    Where,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId2" Target="docProps/core.xml" Type="http://schemas.openxmlformats.org'
    '/package/2006/relationships/metadata/core-properties"/>'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>
  <w:pPr><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>
  <w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>
</w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
  <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="标题 1"/></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题2"/></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="标题"/></w:style>
<w:style w:type="paragraph" w:styleId="BigTitle"><w:name w:val="TITLE"/></w:style>
<w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="Body Outline"/>
  <w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Level9"><w:name w:val="Body Level"/>
  <w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Right"><w:name w:val="Right"/>
  <w:pPr><w:jc w:val="right"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Child"><w:name w:val="Child"/>
  <w:basedOn w:val="Middle"/></w:style>
<w:style w:type="paragraph" w:styleId="Middle"><w:name w:val="Middle"/>
  <w:basedOn w:val="Right"/></w:style>
<w:style w:type="paragraph" w:styleId="HeadingChild"><w:name w:val="Mine"/>
  <w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="paragraph" w:styleId="LoopA"><w:name w:val="Loop A"/>
  <w:basedOn w:val="LoopB"/></w:style>
<w:style w:type="paragraph" w:styleId="LoopB"><w:name w:val="Loop B"/>
  <w:basedOn w:val="LoopA"/><w:pPr><w:jc w:val="end"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Right"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph"><w:name w:val="no id"/></w:style>
<w:style w:type="paragraph" w:styleId="Orphan"><w:name w:val="Orphan"/>
  <w:basedOn w:val="Gone"/><w:pPr><w:jc w:val="right"/></w:pPr></w:style>
<w:style w:type="character" w:styleId="Heading1Char"><w:name w:val="heading 1 Char"/></w:style>
</w:styles>"""


def document_xml(body: str) -> str:
    """Return a ``word/document.xml`` with ``body`` as the content of ``w:body``."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>"
    )


def make_docx(
    document: str | bytes | None,
    *,
    styles: str | bytes | None = STYLES,
    parts: dict[str, str | bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Return a docx package; ``parts`` adds or replaces members by name."""
    members: dict[str, str | bytes] = {
        "[Content_Types].xml": "<Types/>",
        "_rels/.rels": PACKAGE_RELS,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
    }
    if document is not None:
        members["word/document.xml"] = document
    if styles is not None:
        members["word/styles.xml"] = styles
    members.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


def read(body: str, *, styles: str | None = STYLES) -> SourceDocument:
    """Return the source read from a docx whose body is ``body``."""
    return docx_source(make_docx(document_xml(body), styles=styles))


def paragraphs(doc: SourceDocument) -> list[SourceParagraph]:
    return [block for block in doc.blocks if isinstance(block, SourceParagraph)]


def texts(doc: SourceDocument) -> list[str]:
    return [paragraph.text for paragraph in paragraphs(doc)]


def tables(doc: SourceDocument) -> list[SourceTable]:
    return [block for block in doc.blocks if isinstance(block, SourceTable)]


def p(text: str, *, ppr: str = "") -> str:
    """Return a paragraph of one run."""
    properties = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(text: str, *, tcpr: str = "") -> str:
    """Return a table cell of one paragraph."""
    properties = f"<w:tcPr>{tcpr}</w:tcPr>" if tcpr else ""
    return f"<w:tc>{properties}{p(text) if text else '<w:p/>'}</w:tc>"


def tr(*cells: str, trpr: str = "") -> str:
    properties = f"<w:trPr>{trpr}</w:trPr>" if trpr else ""
    return f"<w:tr>{properties}{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{''.join(rows)}</w:tbl>"


def grid(table: SourceTable) -> list[list[tuple[str, int, int, int, int]]]:
    """Return each slot as (text, row, column, rowspan, colspan)."""
    return [[(c.text, c.row, c.column, c.rowspan, c.colspan) for c in row] for row in table.rows]


def assert_gridded(table: SourceTable) -> None:
    """Assert that a table is rectangular and each merged cell is one object over its slots."""
    assert table.gridded
    widths = {len(row) for row in table.rows}
    assert len(widths) <= 1
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            assert cell.row <= r < cell.row + cell.rowspan
            assert cell.column <= c < cell.column + cell.colspan
            assert cell.rowspan >= 1
            assert cell.colspan >= 1
            for rr in range(cell.row, cell.row + cell.rowspan):
                for cc in range(cell.column, cell.column + cell.colspan):
                    assert table.rows[rr][cc] is cell


# gipreport's own docx ---------------------------------------------------------------


@pytest.fixture(scope="module")
def own() -> SourceDocument:
    pytest.importorskip("docx")
    data = gipreport.render(gipreport.examples.mingan_2023(), "docx")
    assert isinstance(data, bytes)
    return docx_source(data)


def test_own_docx_title_and_headings(own: SourceDocument) -> None:
    assert own.format == "docx"
    assert own.notes == ()
    found = paragraphs(own)
    assert found[0].mark == "title"
    assert found[0].text == "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"
    headings = [paragraph.text for paragraph in found if paragraph.mark == "heading"]
    sections = [text for text in headings if text[0] in "一二三四五六"]
    assert [text[:2] for text in sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert "（一）主动公开情况" in headings
    assert [text for text in headings if text.startswith("（")] == [
        "（一）主动公开情况",
        "（二）依申请公开情况",
        "（三）政府信息管理情况",
        "（四）政府信息公开平台建设情况",
        "（五）监督保障情况",
    ]
    assert "对于已公开的内容过期后不能及时的清理。" in texts(own)
    assert [paragraph.where for paragraph in found] == [
        Where(paragraph=i) for i in range(len(found))
    ]


def test_own_docx_signature(own: SourceDocument) -> None:
    found = paragraphs(own)
    assert [paragraph.mark for paragraph in found[-2:]] == ["signature", "signature"]
    assert found[-1].text == "2024年1月10日"
    assert all(paragraph.mark != "signature" for paragraph in found[:-2])


def test_own_docx_tables(own: SourceDocument) -> None:
    found = tables(own)
    assert [table.index for table in found] == [0, 1, 2]
    for table in found:
        assert_gridded(table)
        assert table.where.table == table.index
    requests, appeals = found[1], found[2]
    assert (len(requests.rows), len(requests.rows[0])) == (28, 10)
    corner = requests.rows[0][0]
    assert (corner.rowspan, corner.colspan) == (3, 3)
    assert sum(cell is corner for row in requests.rows for cell in row) == 9
    assert "勾稽关系" in corner.text
    header = [cell.text for cell in requests.rows[2]]
    assert "商业\n企业" in header
    assert "科研\n机构" in header
    assert (len(appeals.rows), len(appeals.rows[0])) == (4, 15)
    assert appeals.rows[1][0].text == "结果\n维持"
    assert appeals.rows[1][0].rowspan == 2
    assert [cell.text for cell in appeals.rows[3]] == ["0"] * 15


def test_own_docx_table_where_is_the_next_paragraph(own: SourceDocument) -> None:
    blocks = list(own.blocks)
    for i, block in enumerate(blocks):
        if isinstance(block, SourceTable):
            before = blocks[i - 1]
            assert isinstance(before, SourceParagraph)
            assert block.where.paragraph == (before.where.paragraph or 0) + 1


# paragraphs ---------------------------------------------------------------------


def test_run_text_tabs_breaks_and_hyphens() -> None:
    body = (
        "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t>"
        '<w:br w:type="textWrapping"/><w:t>d</w:t><w:br w:type="page"/>'
        '<w:br w:type="column"/><w:cr/><w:t>e</w:t><w:noBreakHyphen/><w:softHyphen/>'
        '<w:sym w:font="Wingdings" w:char="F0FC"/><w:t xml:space="preserve"> f </w:t></w:r></w:p>'
    )
    assert texts(read(body)) == ["a\tb\nc\nd\ne- f "]


def test_tabs_in_paragraph_properties_are_not_text() -> None:
    body = '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
    body += "<w:r><w:t>x</w:t></w:r></w:p>"
    assert texts(read(body)) == ["x"]


def test_hyperlinks_insertions_smart_tags_and_inline_wrappers() -> None:
    body = (
        '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>link</w:t></w:r></w:hyperlink>'
        '<w:ins w:id="1" w:author="a"><w:r><w:t>+ins</w:t></w:r></w:ins>'
        '<w:smartTag w:uri="u" w:element="e"><w:r><w:t>+tag</w:t></w:r></w:smartTag>'
        '<w:customXml w:element="c"><w:r><w:t>+custom</w:t></w:r></w:customXml>'
        "<w:sdt><w:sdtPr><w:alias w:val='not text'/></w:sdtPr>"
        "<w:sdtContent><w:r><w:t>+sdt</w:t></w:r></w:sdtContent></w:sdt>"
        "<w:proofErr w:type='spellStart'/><w:bookmarkStart w:id='0' w:name='b'/>"
        "<w:r><w:t>+end</w:t></w:r><w:bookmarkEnd w:id='0'/></w:p>"
    )
    assert texts(read(body)) == ["link+ins+tag+custom+sdt+end"]


def test_deleted_and_moved_from_text_is_not_read() -> None:
    body = (
        "<w:p><w:r><w:t>kept</w:t></w:r>"
        '<w:del w:id="1" w:author="a"><w:r><w:delText>gone</w:delText></w:r></w:del>'
        '<w:moveFrom w:id="2" w:author="a"><w:r><w:t>moved away</w:t></w:r></w:moveFrom>'
        '<w:moveTo w:id="3" w:author="a"><w:r><w:t>+moved here</w:t></w:r></w:moveTo>'
        "<w:r><w:delText>also gone</w:delText></w:r></w:p>"
    )
    assert texts(read(body)) == ["kept+moved here"]


def test_field_codes_give_their_result() -> None:
    body = (
        "<w:p><w:r><w:t>page </w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>7</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>/9</w:t></w:r></w:fldSimple></w:p>'
    )
    assert texts(read(body)) == ["page 7/9"]


def test_empty_paragraphs_are_dropped_and_not_counted() -> None:
    body = "<w:p/>" + p("one") + p(" \u00a0\u3000\t") + "<w:p><w:r><w:br/></w:r></w:p>" + p("two")
    doc = read(body)
    assert [(x.text, x.where) for x in paragraphs(doc)] == [
        ("one", Where(paragraph=0)),
        ("two", Where(paragraph=1)),
    ]


def test_text_in_drawings_and_text_boxes_is_not_paragraph_text() -> None:
    body = (
        "<w:p><w:r><w:t>outside</w:t></w:r><w:r><w:drawing><wp:anchor><a:graphic>"
        "<a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>inside</w:t>"
        "</w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></w:r><w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        "<w:p><w:r><w:t>vml</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"
        "</w:pict></w:r></w:p>"
    )
    doc = read(body)
    assert texts(doc) == ["outside"]
    assert not any(isinstance(block, SourceImage) for block in doc.blocks)


def test_alternate_content_reads_one_branch() -> None:
    body = (
        "<mc:AlternateContent><mc:Choice Requires='w14'>"
        + p("choice")
        + "</mc:Choice><mc:Fallback>"
        + p("fallback")
        + "</mc:Fallback></mc:AlternateContent>"
        + "<mc:AlternateContent><mc:Fallback>"
        + p("only fallback")
        + "</mc:Fallback></mc:AlternateContent>"
        + "<w:p><w:r><w:t>run </w:t></w:r><mc:AlternateContent><mc:Choice Requires='w14'>"
        + "<w:r><w:t>a</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>b</w:t></w:r>"
        + "</mc:Fallback></mc:AlternateContent></w:p>"
        + "<mc:AlternateContent/>"
        + "<w:p><w:r><w:t>empty</w:t></w:r><mc:AlternateContent/></w:p>"
    )
    assert texts(read(body)) == ["choice", "only fallback", "run a", "empty"]


def test_block_wrappers_are_read_through() -> None:
    body = (
        "<w:sdt><w:sdtPr/><w:sdtContent>"
        + p("in sdt")
        + tbl(tr(tc("cell")))
        + "</w:sdtContent></w:sdt>"
        + "<w:customXml w:element='x'>"
        + p("in custom xml")
        + "</w:customXml>"
        + "<w:bookmarkStart w:id='1' w:name='x'/>"
        + p("after")
    )
    doc = read(body)
    assert texts(doc) == ["in sdt", "in custom xml", "after"]
    (table,) = tables(doc)
    assert table.where == Where(table=0, paragraph=1)
    assert grid(table) == [[("cell", 0, 0, 1, 1)]]


PICTURE = (
    "<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill>"
    '<a:blip r:embed="rId5"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
    "</wp:inline></w:drawing></w:r>"
)


def test_pictures_give_images() -> None:
    body = (
        p("before")
        + f"<w:p>{PICTURE}</w:p>"
        + f"<w:p><w:r><w:t>caption</w:t></w:r>{PICTURE}</w:p>"
        + "<w:p><w:r><w:pict><v:shape><v:imagedata r:id='rId6'/></v:shape></w:pict></w:r></w:p>"
        + "<w:p><w:r><w:object><v:shape/></w:object></w:r></w:p>"
        + p("after")
    )
    doc = read(body)
    assert doc.blocks == (
        SourceParagraph(text="before", where=Where(paragraph=0)),
        SourceImage(where=Where(paragraph=1)),
        SourceParagraph(text="caption", where=Where(paragraph=1)),
        SourceImage(where=Where(paragraph=1)),
        SourceImage(where=Where(paragraph=2)),
        SourceImage(where=Where(paragraph=2)),
        SourceParagraph(text="after", where=Where(paragraph=2)),
    )


def test_pictures_in_cells_are_ignored() -> None:
    doc = read(tbl(tr(f"<w:tc><w:p>{PICTURE}</w:p></w:tc>")))
    assert [type(block) for block in doc.blocks] == [SourceTable]


# marks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ppr", "mark"),
    [
        ("", None),
        ('<w:pStyle w:val="Title"/>', "title"),
        ('<w:pStyle w:val="BigTitle"/>', "title"),
        ('<w:pStyle w:val="a3"/>', "title"),
        ('<w:pStyle w:val="Heading1"/>', "heading"),
        ('<w:pStyle w:val="1"/>', "heading"),
        ('<w:pStyle w:val="2"/>', "heading"),
        ('<w:pStyle w:val="HeadingChild"/>', "heading"),
        ('<w:pStyle w:val="Outline"/>', "heading"),
        ('<w:pStyle w:val="Level9"/>', None),
        ('<w:outlineLvl w:val="0"/>', "heading"),
        ('<w:outlineLvl w:val="8"/>', "heading"),
        ('<w:outlineLvl w:val="9"/>', None),
        ('<w:outlineLvl w:val="x"/>', None),
        ('<w:pStyle w:val="Outline"/><w:outlineLvl w:val="9"/>', None),
        ('<w:jc w:val="right"/>', "signature"),
        ('<w:jc w:val="end"/>', "signature"),
        ('<w:jc w:val="center"/>', None),
        ('<w:pStyle w:val="Right"/>', "signature"),
        ('<w:pStyle w:val="Right"/><w:jc w:val="left"/>', None),
        ('<w:pStyle w:val="Child"/>', "signature"),
        ('<w:pStyle w:val="LoopA"/>', "signature"),
        ('<w:pStyle w:val="LoopB"/>', "signature"),
        ('<w:pStyle w:val="Heading1"/><w:jc w:val="right"/>', "heading"),
        ('<w:pStyle w:val="Title"/><w:outlineLvl w:val="1"/>', "title"),
        ('<w:pStyle w:val="Heading1Char"/>', None),
        ('<w:pStyle w:val="Unknown"/>', None),
        ('<w:pStyle w:val="Orphan"/>', "signature"),
        ('<w:pStyle w:val="Heading2"/>', "heading"),
    ],
)
def test_marks(ppr: str, mark: str | None) -> None:
    (paragraph,) = paragraphs(read(p("text", ppr=ppr)))
    assert paragraph.mark == mark


def test_marks_without_a_styles_part() -> None:
    body = p("t", ppr='<w:pStyle w:val="Title"/>') + p("h", ppr='<w:pStyle w:val="Heading1"/>')
    body += p("x", ppr='<w:pStyle w:val="Normal"/>')
    assert [x.mark for x in paragraphs(read(body, styles=None))] == ["title", "heading", None]


def test_the_default_paragraph_style_applies_to_unstyled_paragraphs() -> None:
    styles = (
        f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:default="true" w:styleId="N">'
        '<w:name w:val="Normal"/><w:pPr><w:jc w:val="right"/></w:pPr></w:style></w:styles>'
    )
    body = p("x") + p("y", ppr='<w:pStyle w:val="Missing"/>')
    assert [x.mark for x in paragraphs(read(body, styles=styles))] == ["signature", "signature"]


def test_styles_part_found_through_relationships() -> None:
    rels = DOCUMENT_RELS.replace('Target="styles.xml"', 'Target="/custom/s.xml"')
    data = make_docx(
        document_xml(p("t", ppr='<w:pStyle w:val="1"/>')),
        styles=None,
        parts={"word/_rels/document.xml.rels": rels, "custom/s.xml": STYLES},
    )
    assert [x.mark for x in paragraphs(docx_source(data))] == ["heading"]


def test_main_part_found_through_relationships() -> None:
    rels = PACKAGE_RELS.replace("word/document.xml", "content/main%20part.xml")
    data = make_docx(
        None,
        styles=None,
        parts={"_rels/.rels": rels, "content/main part.xml": document_xml(p("moved"))},
    )
    assert texts(docx_source(data)) == ["moved"]


def test_main_part_falls_back_to_word_document() -> None:
    rels = PACKAGE_RELS.replace("word/document.xml", "../outside.xml")
    assert texts(docx_source(make_docx(document_xml(p("x")), parts={"_rels/.rels": rels}))) == ["x"]
    external = PACKAGE_RELS.replace('Target="', 'TargetMode="External" Target="')
    data = make_docx(document_xml(p("y")), parts={"_rels/.rels": external})
    assert texts(docx_source(data)) == ["y"]


def test_strict_ooxml_namespace_reads_the_same() -> None:
    strict = document_xml(p("strict", ppr='<w:pStyle w:val="Heading1"/>')).replace(
        W, "http://purl.oclc.org/ooxml/wordprocessingml/main"
    )
    doc = docx_source(make_docx(strict, styles=None))
    assert [(x.text, x.mark) for x in paragraphs(doc)] == [("strict", "heading")]


def test_body_less_document_is_empty() -> None:
    data = make_docx(f'<w:document xmlns:w="{W}"/>')
    assert docx_source(data) == SourceDocument(format="docx", blocks=())


# tables ---------------------------------------------------------------------------


def test_grid_before_and_after_are_empty_slots() -> None:
    table = tbl(
        tr(tc("A"), trpr='<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>'),
        tr(tc("x"), tc("y"), tc("z")),
        tr(tc("short")),
    )
    (found,) = tables(read(table))
    assert_gridded(found)
    assert grid(found) == [
        [("", 0, 0, 1, 1), ("A", 0, 1, 1, 1), ("", 0, 2, 1, 1)],
        [("x", 1, 0, 1, 1), ("y", 1, 1, 1, 1), ("z", 1, 2, 1, 1)],
        [("short", 2, 0, 1, 1), ("", 2, 1, 1, 1), ("", 2, 2, 1, 1)],
    ]
    assert found.rows[0][0] is not found.rows[0][2]


def test_grid_span_and_bad_values() -> None:
    table = tbl(
        tr(tc("two", tcpr='<w:gridSpan w:val="2"/>'), tc("bad", tcpr='<w:gridSpan w:val="x"/>')),
        tr(tc("zero", tcpr='<w:gridSpan w:val="0"/>'), tc("neg", tcpr='<w:gridSpan w:val="-3"/>')),
        tr(tc("long", tcpr=f'<w:gridSpan w:val="{"9" * 5000}"/>')),
    )
    (found,) = tables(read(table))
    assert_gridded(found)
    assert len(found.rows[0]) == 1000
    assert grid(found)[0][:4] == [
        ("two", 0, 0, 1, 2),
        ("two", 0, 0, 1, 2),
        ("bad", 0, 2, 1, 1),
        ("", 0, 3, 1, 1),
    ]
    assert grid(found)[1][:2] == [("zero", 1, 0, 1, 1), ("neg", 1, 1, 1, 1)]
    assert found.rows[2][0].colspan == 1000


def test_h_merge() -> None:
    table = tbl(
        tr(
            tc("A", tcpr='<w:hMerge w:val="restart"/>'),
            tc("", tcpr="<w:hMerge/>"),
            tc("B", tcpr='<w:hMerge w:val="continue"/>'),
            tc("C"),
        ),
        tr(tc("lonely", tcpr="<w:hMerge/>"), tc("x"), tc("y"), tc("z")),
    )
    (found,) = tables(read(table))
    assert_gridded(found)
    assert grid(found)[0] == [("A\nB", 0, 0, 1, 3)] * 3 + [("C", 0, 3, 1, 1)]
    assert grid(found)[1][0] == ("lonely", 1, 0, 1, 1)


def test_v_merge() -> None:
    table = tbl(
        tr(tc("top", tcpr='<w:vMerge w:val="restart"/>'), tc("a")),
        tr(tc("", tcpr="<w:vMerge/>"), tc("b")),
        tr(tc("more", tcpr='<w:vMerge w:val="continue"/>'), tc("c")),
        tr(tc("d"), tc("e")),
    )
    (found,) = tables(read(table))
    assert_gridded(found)
    assert [row[0] for row in grid(found)] == [("top\nmore", 0, 0, 3, 1)] * 3 + [("d", 3, 0, 1, 1)]


def test_v_merge_continue_without_restart_is_a_normal_cell() -> None:
    table = tbl(
        tr(tc("plain"), tc("wide", tcpr='<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>')),
        tr(tc("cont", tcpr="<w:vMerge/>"), tc("narrow", tcpr="<w:vMerge/>"), tc("x")),
    )
    (found,) = tables(read(table, styles=None))
    assert_gridded(found)
    assert grid(found) == [
        [("plain", 0, 0, 1, 1), ("wide", 0, 1, 1, 2), ("wide", 0, 1, 1, 2)],
        [("cont", 1, 0, 1, 1), ("narrow", 1, 1, 1, 1), ("x", 1, 2, 1, 1)],
    ]


def test_v_merge_at_a_first_row_and_past_a_short_row() -> None:
    table = tbl(
        tr(tc("first", tcpr="<w:vMerge/>")),
        tr(tc("a"), tc("b", tcpr='<w:vMerge w:val="restart"/>')),
        tr(tc("c")),
        tr(tc("d"), tc("e", tcpr="<w:vMerge/>")),
    )
    (found,) = tables(read(table))
    assert_gridded(found)
    assert found.rows[3][1].text == "e"
    assert found.rows[1][1].rowspan == 1


def test_rows_and_cells_in_wrappers() -> None:
    table = tbl(
        "<w:sdt><w:sdtContent>" + tr(tc("r0")) + "</w:sdtContent></w:sdt>",
        "<w:customXml>" + tr("<w:sdt><w:sdtContent>" + tc("r1") + "</w:sdtContent></w:sdt>"),
    ).replace("</w:tr></w:tbl>", "</w:tr></w:customXml></w:tbl>")
    (found,) = tables(read(table))
    assert grid(found) == [[("r0", 0, 0, 1, 1)], [("r1", 1, 0, 1, 1)]]


def test_cell_text_joins_paragraphs_and_nested_tables() -> None:
    cell = (
        "<w:tc><w:tcPr/>"
        + p("one")
        + "<w:p/>"
        + tbl(tr(tc("inner a"), tc("inner b")))
        + p("two")
        + "</w:tc>"
    )
    doc = read(tbl(tr(cell)) + p("after"))
    (found,) = tables(doc)
    assert found.rows[0][0].text == "one\ninner a\ninner b\ntwo"
    assert texts(doc) == ["after"]


def test_tables_are_counted_and_placed() -> None:
    doc = read(tbl(tr(tc("a"))) + p("x") + tbl(tr(tc("b"))) + tbl(tr(tc("c"))))
    assert [(t.index, t.where) for t in tables(doc)] == [
        (0, Where(table=0, paragraph=0)),
        (1, Where(table=1, paragraph=1)),
        (2, Where(table=2, paragraph=1)),
    ]


def test_empty_table() -> None:
    (found,) = tables(read("<w:tbl/>"))
    assert found.rows == ()


def test_too_many_table_slots() -> None:
    row = tr(tc("x", tcpr='<w:gridSpan w:val="1000"/>'))
    with pytest.raises(ParseError, match="source table 1 has more than 200000 cells") as caught:
        read(tbl(*[row] * 201))
    assert caught.value.where == "word/document.xml"
    wide = tr(*[tc("", tcpr='<w:gridSpan w:val="1000"/>')] * 201)
    with pytest.raises(ParseError, match="more than 200000 cells"):
        read(tbl(wide))
    after = tr(tc("", tcpr='<w:gridSpan w:val="1000"/>') * 200, trpr='<w:gridAfter w:val="999"/>')
    with pytest.raises(ParseError, match="more than 200000 cells"):
        read(tbl(after))


def test_h_merge_spans_are_capped() -> None:
    cells = [tc("", tcpr='<w:hMerge w:val="restart"/><w:gridSpan w:val="1000"/>')]
    cells += [tc("", tcpr='<w:hMerge/><w:gridSpan w:val="1000"/>')] * 201
    with pytest.raises(ParseError, match="more than 200000 cells"):
        read(tbl(tr(*cells)))


# input that is not a docx ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "a Word 97–2003 .doc file"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "password-protected",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF is not supported"),
        (b"\xef\xbb\xbf   %PDF-1.4", "PDF is not supported"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"", r"not a docx \(not a zip file\)"),
        (bytes(range(256)) * 10, r"not a docx \(not a zip file\)"),
        (b"PK\x03\x04 truncated", "damaged or truncated zip"),
    ],
)
def test_not_a_docx(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        docx_source(data)
    assert caught.value.where == ""


def test_not_bytes_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="takes the bytes of a file, not str"):
        docx_source("word.docx")  # type: ignore[arg-type]  # the mistake under test


SMALL_XML = document_xml(
    p("标题", ppr='<w:pStyle w:val="Title"/>')
    + tbl(
        tr(tc("a", tcpr='<w:vMerge w:val="restart"/>'), tc("b", tcpr='<w:gridSpan w:val="2"/>')),
        tr(tc("", tcpr="<w:vMerge/>"), tc("c"), tc("d"), trpr='<w:gridAfter w:val="1"/>'),
    )
    + p("落款", ppr='<w:jc w:val="right"/>')
)
SMALL = make_docx(SMALL_XML, compression=zipfile.ZIP_STORED)


def test_every_truncation_is_a_parse_error() -> None:
    for length in range(0, len(SMALL), 7):
        with pytest.raises(ParseError):
            docx_source(SMALL[:length])


def test_missing_document_part() -> None:
    with pytest.raises(ParseError, match="no main document part"):
        docx_source(make_docx(None))


def test_not_a_word_document() -> None:
    data = make_docx('<workbook xmlns="urn:x"/>')
    with pytest.raises(ParseError, match="not a Word document") as caught:
        docx_source(data)
    assert caught.value.where == "word/document.xml"


def test_malformed_xml_names_part_line_and_column() -> None:
    data = make_docx('<?xml version="1.0"?>\n<w:document xmlns:w="x">\n  <w:body></w:bdy>')
    with pytest.raises(ParseError, match="not well-formed") as caught:
        docx_source(data)
    assert caught.value.where == "word/document.xml, line 3, column 13"


@pytest.mark.parametrize(
    "xml",
    [
        '<?xml version="1.0" encoding="GBK"?><w:document/>',
        '<?xml version="1.0" encoding="x-unknown"?><w:document/>',
    ],
)
def test_undecodable_xml(xml: str) -> None:
    with pytest.raises(ParseError, match="cannot be decoded"):
        docx_source(make_docx(xml))


def test_unknown_entity_is_malformed() -> None:
    with pytest.raises(ParseError, match="undefined entity"):
        read(p("&nbsp;"))


def test_too_many_members(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_read_docx, "MAX_MEMBERS", 3)
    monkeypatch.setattr(zipparts, "MAX_MEMBERS", 3)
    with pytest.raises(ParseError, match="more than 3 members"):
        docx_source(make_docx(document_xml(p("x"))))


def test_input_and_total_size_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    padded = make_docx(document_xml(p("x") + " " * 5000), styles=STYLES + " " * 5000)
    assert len(padded) < 3000
    monkeypatch.setattr(zipparts, "MAX_UNPACKED_BYTES", 8000)
    with pytest.raises(ParseError, match="the parts read are larger than") as caught:
        docx_source(padded)
    assert caught.value.where == "word/styles.xml"
    monkeypatch.setattr(_read_docx, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(ParseError, match="the file is larger than"):
        docx_source(padded)


def zip_bomb(size: int) -> bytes:
    """Return a docx whose document part unpacks to ``size`` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("_rels/.rels", PACKAGE_RELS)
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(2**20)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb(100 * 2**20)


def test_zip_bomb(bomb: bytes) -> None:
    assert len(bomb) < 2**20
    with pytest.raises(ParseError, match="larger than 64 MiB when uncompressed") as caught:
        docx_source(bomb)
    assert caught.value.where == "word/document.xml"


def test_a_part_of_more_tags_than_the_cap_is_refused_before_it_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """64 MiB of ``<w:p/>`` (a zip of 86 KB) took 10 s and a gigabyte to parse, then count."""
    monkeypatch.setattr(_read_docx, "MAX_PART_TAGS", 1000)
    under = document_xml("<w:p/>" * 990)  # with the document's own few tags
    assert len(paragraphs(docx_source(make_docx(under)))) == 0  # read: empty paragraphs
    with pytest.raises(ParseError, match="more than 1,000 XML tags") as caught:
        docx_source(make_docx(document_xml("<w:p/>" * 1000)))
    assert caught.value.where == "word/document.xml"


def central_directory_entry(data: bytes, name: bytes) -> int:
    """Return the offset of the central directory entry of member ``name``."""
    offset = 0
    while True:
        offset = data.find(b"PK\x01\x02", offset)
        length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46 : offset + 46 + length] == name:
            return offset
        offset += 4


def test_zip_bomb_with_a_lying_header(bomb: bytes) -> None:
    lying = bytearray(bomb)
    entry = central_directory_entry(bomb, b"word/document.xml")
    struct.pack_into("<I", lying, entry + 24, 1000)  # the uncompressed size
    with pytest.raises(ParseError) as caught:
        docx_source(bytes(lying))
    assert caught.value.where == "word/document.xml"


def test_encrypted_member() -> None:
    data = bytearray(make_docx(document_xml(p("x"))))
    entry = central_directory_entry(bytes(data), b"word/document.xml")
    struct.pack_into("<H", data, entry + 8, struct.unpack_from("<H", data, entry + 8)[0] | 1)
    with pytest.raises(ParseError, match="encrypted") as caught:
        docx_source(bytes(data))
    assert caught.value.where == "word/document.xml"


def test_unsupported_compression_method() -> None:
    data = bytearray(make_docx(document_xml(p("x"))))
    entry = central_directory_entry(bytes(data), b"word/document.xml")
    struct.pack_into("<H", data, entry + 10, 99)
    with pytest.raises(ParseError, match="compression method") as caught:
        docx_source(bytes(data))
    assert caught.value.where == "word/document.xml"


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_bzip2_and_lzma_parts_are_refused_before_unpacking(method: int) -> None:
    # zipfile unpacks bzip2 and LZMA with no limit on the output (issue #16: a
    # 10 KB docx held 1 GiB of bzip2 and peaked at 2 GB), so only what Word
    # writes, stored and deflate, is read.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("word/document.xml", document_xml(p("x")), compress_type=method)
    with pytest.raises(ParseError, match=r"compression method \d+ \((bzip2|LZMA)\)") as caught:
        docx_source(buffer.getvalue())
    assert caught.value.where == "word/document.xml"


# XML attacks --------------------------------------------------------------------------

OPENED: list[str] = []
WATCHING: list[bool] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if WATCHING and (event == "open" or event.startswith(("socket.", "urllib."))):
        OPENED.append(f"{event} {args[0]}")


@contextlib.contextmanager
def watching_opens() -> Iterator[list[str]]:
    """Record the files opened inside the block (an audit hook cannot be removed, so it waits)."""
    if not hasattr(_audit, "installed"):
        sys.addaudithook(_audit)
        _audit.installed = True  # type: ignore[attr-defined]  # a marker, so it is added once
    OPENED.clear()
    WATCHING.append(True)
    try:
        yield OPENED
    finally:
        WATCHING.clear()


def test_external_entity_is_refused_and_nothing_is_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>\n'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    data = make_docx(xml)
    with (
        watching_opens() as opened,
        pytest.raises(ParseError, match=r"contains a DTD, which a \.docx part never has") as caught,
    ):
        docx_source(data)
    assert caught.value.where.startswith("word/document.xml, line 2, column ")
    assert "SECRET" not in str(caught.value)
    assert opened == []


def entity_attack(secret: Path, encoding: str, kind: str) -> bytes:
    """Return a document part with a DTD of ``kind``, written in ``encoding``.

    UTF-8 has a byte order mark, ``utf-16`` one in the machine's order, and
    the others none.
    """
    dtd = {
        "file": f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>',
        "http": '<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>',
        "parameter": f'<!DOCTYPE x [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>',
        "external subset": f'<!DOCTYPE x SYSTEM "file://{secret}">',
        "internal": '<!DOCTYPE x [<!ENTITY e "&#60;w:t>inserted&#60;/w:t>">]>',
        "after a long comment": "<!--" + "x" * 10_000 + "-->" + '<!DOCTYPE x [<!ENTITY e "e">]>',
    }[kind]
    xml = (
        f'<?xml version="1.0" encoding="{encoding[:6].upper()}"?>\n{dtd}\n'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    data = xml.encode(encoding)
    return b"\xef\xbb\xbf" + data if encoding == "utf-8" else data


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "kind", ["file", "http", "parameter", "external subset", "internal", "after a long comment"]
)
def test_every_dtd_is_refused_in_every_encoding(tmp_path: Path, encoding: str, kind: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    part = entity_attack(secret, encoding, kind)
    with (
        watching_opens() as opened,
        pytest.raises(ParseError, match=r"contains a DTD, which a \.docx part never has") as caught,
    ):
        docx_source(make_docx(part))
    assert caught.value.where.startswith("word/document.xml, line 2, column ")
    assert "SECRET" not in str(caught.value)
    assert opened == []
    with pytest.raises(ParseError) as careful:  # where the parser of Python callbacks refuses it
        _read_docx._parse_carefully(part, "word/document.xml")
    assert (str(careful.value), careful.value.where) == (str(caught.value), caught.value.where)


def test_billion_laughs_is_refused() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    with pytest.raises(ParseError, match="contains a DTD"):
        docx_source(make_docx(xml))


@pytest.mark.parametrize("part", ["_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml"])
def test_dtd_in_any_part_is_refused(part: str) -> None:
    xml = '<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.invalid/x.dtd"><x/>'
    data = make_docx(document_xml(p("x")), parts={part: xml})
    with pytest.raises(ParseError, match="contains a DTD") as caught:
        docx_source(data)
    assert caught.value.where.startswith(f"{part}, line 1, column ")


def test_parts_are_parsed_in_c(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(data: bytes | bytearray, part: str) -> None:
        raise AssertionError(part)

    monkeypatch.setattr(_read_docx, "_parse_carefully", fail)
    assert texts(docx_source(SMALL)) == ["标题", "落款"]
    assert texts(read(ODD_BODY))


def test_names_have_no_path_syntax() -> None:
    names = [value for value in vars(_read_docx).values() if isinstance(value, str)]
    clark = [name for name in names if name.startswith("{")]
    assert len(clark) > 20
    for name in clark:
        assert not set(name.partition("}")[2]) & set("/*[@.{}"), name


ODD_BODY = (
    "<w:p><w:r><w:t>a<!--comment-->b<?pi x?>c<![CDATA[<&>]]>&amp;&#x41;</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>x<w:t>y</w:t><w:rPr>z</w:rPr><n:q xmlns:n='urn:n'>!</n:q></w:t></w:r></w:p>"
    "<w:p><w:r><w:drawing><w:rPr><pic:pic/></w:rPr><w:pPr><w:ind><a:blip/></w:ind></w:pPr>"
    "</w:drawing></w:r><w:r><w:pict><w:tcPr><w:shd><v:imagedata/></w:shd></w:tcPr>"
    "</w:pict><w:t>no picture</w:t></w:r></w:p>"
    "<w:p><w:r><w:drawing><w:pPr><w:jc/></w:pPr><n:g xmlns:n='urn:n'><pic:pic/></n:g>"
    "</w:drawing><w:t>picture</w:t></w:r></w:p>"
    "<w:p><w:pPr><w:spacing/><w:rPr/><w:jc w:val='right'/><w:jc w:val='left'/></w:pPr>"
    "<w:r><w:rPr><w:t>not text</w:t></w:rPr><w:t>signature</w:t></w:r></w:p>"
    "<w:sdt><w:sdtPr><w:p><w:r><w:t>hidden</w:t></w:r></w:p></w:sdtPr>"
    "<w:sdtContent><w:p><w:r><w:t>shown</w:t></w:r></w:p></w:sdtContent></w:sdt>"
)
"""A body whose reading depends on what the careful parser leaves out of its tree."""


def read_carefully(data: bytes, monkeypatch: pytest.MonkeyPatch) -> object:
    """Return what ``docx_source`` gives, or its error, with only the careful parser."""
    with monkeypatch.context() as patch:
        patch.setattr(_read_docx, "_parse_xml", _read_docx._parse_carefully)
        try:
            return docx_source(data)
        except ParseError as error:
            return (str(error), error.where)


def read_quickly(data: bytes) -> object:
    """Return what ``docx_source`` gives, or its error."""
    try:
        return docx_source(data)
    except ParseError as error:
        return (str(error), error.where)


def test_odd_content_reads_as_the_careful_parser_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = make_docx(document_xml(ODD_BODY))
    doc = docx_source(data)
    assert doc.blocks == (
        SourceParagraph(text="abc<&>&A", where=Where(paragraph=0)),
        SourceParagraph(text="xyz!", where=Where(paragraph=1)),
        SourceParagraph(text="no picture", where=Where(paragraph=2)),
        SourceParagraph(text="picture", where=Where(paragraph=3)),
        SourceImage(where=Where(paragraph=3)),
        SourceParagraph(text="signature", where=Where(paragraph=4), mark="signature"),
        SourceParagraph(text="shown", where=Where(paragraph=5)),
    )
    assert read_carefully(data, monkeypatch) == doc


STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"


@pytest.mark.parametrize(
    ("declaration", "found"),
    [
        ('xmlns:q="a b"', "line 2, column "),  # expat refuses a space with the careful parser
        ('xmlns:q="a}b"', ["x"]),  # and "}" with the C parser
        (f'xmlns:s="{STRICT_W}"', ["x"]),
    ],
)
def test_namespaces_the_c_parser_leaves_to_the_careful_one(
    declaration: str, found: str | list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_docx(document_xml(p("x")).replace("<w:body>", f"<w:body {declaration}>"))
    result = read_quickly(data)
    assert result == read_carefully(data, monkeypatch)
    if isinstance(found, str):
        assert isinstance(result, tuple)
        assert "not well-formed XML: syntax error" in result[0]
        assert found in result[1]
    else:
        assert isinstance(result, SourceDocument)
        assert texts(result) == found


@pytest.mark.parametrize(
    ("first", "last", "mark"), [("left", "right", "signature"), ("right", "left", None)]
)
def test_strict_and_transitional_names_of_one_attribute(
    first: str, last: str, mark: str | None
) -> None:
    jc = f'<w:jc w:val="{first}" s:val="{last}"/>'
    xml = document_xml(p("x", ppr=jc)).replace("<w:body>", f'<w:body xmlns:s="{STRICT_W}">')
    (found,) = paragraphs(docx_source(make_docx(xml)))
    assert found.mark == mark  # the later one, as both are w:val


def test_deep_nesting_is_safe() -> None:
    depth = 20_000
    body = "<w:customXml>" * depth + p("deep") + "</w:customXml>" * depth
    body += "<w:p>" + "<w:hyperlink>" * depth + "<w:r><w:t>link</w:t></w:r>"
    body += "</w:hyperlink>" * depth + "</w:p>"
    cell = "<w:tc>" + "<w:sdt><w:sdtContent>" * depth + p("cell")
    cell += "</w:sdtContent></w:sdt>" * depth + "</w:tc>"
    body += tbl(tr(cell))
    body += "<w:p><w:r><w:drawing>" + "<a:x>" * depth + "<pic:pic/>" + "</a:x>" * depth
    body += "</w:drawing></w:r></w:p>"
    doc = read(body)
    assert texts(doc) == ["deep", "link"]
    assert tables(doc)[0].rows[0][0].text == "cell"
    assert isinstance(doc.blocks[-1], SourceImage)


# properties ---------------------------------------------------------------------------


def read_or_refuse(data: bytes) -> SourceDocument | None:
    """Return the source read from ``data``, or ``None`` when it is refused as it should be."""
    try:
        doc = docx_source(data)
    except ParseError:
        return None
    assert isinstance(doc, SourceDocument)
    for table in tables(doc):
        assert_gridded(table)
    return doc


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """Return ``data`` with a few bytes flipped, inserted or deleted."""
    result = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(result)))
        action = draw(st.sampled_from(["flip", "insert", "delete"]))
        if action == "insert":
            result[position:position] = draw(st.binary(min_size=1, max_size=4))
        elif position < len(result):
            if action == "flip":
                result[position] ^= draw(st.integers(1, 255))
            else:
                del result[position]
    return bytes(result)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutations(SMALL))
def test_mutated_bytes_read_or_are_refused(data: bytes) -> None:
    read_or_refuse(data)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutations(SMALL_XML.encode("utf-8")))
def test_mutated_xml_reads_or_is_refused(document: bytes) -> None:
    read_or_refuse(make_docx(document.decode("utf-8", errors="replace")))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(document=mutations(document_xml(ODD_BODY).encode("utf-8")))
def test_mutated_xml_reads_as_the_careful_parser_reads_it(
    document: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_docx(document)
    assert read_quickly(data) == read_carefully(data, monkeypatch)


CELL_PROPERTIES = st.lists(
    st.sampled_from(
        [
            '<w:gridSpan w:val="2"/>',
            '<w:gridSpan w:val="3"/>',
            '<w:gridSpan w:val="0"/>',
            '<w:gridSpan w:val="zz"/>',
            '<w:vMerge w:val="restart"/>',
            "<w:vMerge/>",
            '<w:vMerge w:val="continue"/>',
            '<w:hMerge w:val="restart"/>',
            "<w:hMerge/>",
        ]
    ),
    max_size=3,
).map("".join)
ROW_PROPERTIES = st.sampled_from(
    ["", '<w:gridBefore w:val="1"/>', '<w:gridAfter w:val="2"/>', '<w:gridBefore w:val="x"/>']
)


@st.composite
def merged_tables(draw: st.DrawFn) -> str:
    """Return a ``w:tbl`` of random cells with random merge properties."""
    rows = []
    for r in range(draw(st.integers(0, 6))):
        cells = [
            tc(f"{r}.{c}" if draw(st.booleans()) else "", tcpr=draw(CELL_PROPERTIES))
            for c in range(draw(st.integers(0, 5)))
        ]
        rows.append(tr(*cells, trpr=draw(ROW_PROPERTIES)))
    return tbl(*rows)


@given(merged_tables())
def test_merged_tables_are_always_gridded(table: str) -> None:
    doc = read_or_refuse(make_docx(document_xml(table)))
    assert doc is not None
    (found,) = tables(doc)
    texts_in = {f"{r}.{c}" for r in range(6) for c in range(5) if f">{r}.{c}<" in table}
    texts_out = {
        part for row in found.rows for cell in row for part in cell.text.split("\n") if part
    }
    assert texts_out == texts_in


def test_source_cells_are_values() -> None:
    (found,) = tables(read(tbl(tr(tc("a")))))
    assert found.rows[0][0] == SourceCell(text="a", row=0, column=0)
