"""Hand-made PDFs for the PDF reader's tests: a minimal writer of PDF objects.

Each PDF is built object by object with a correct cross-reference table, so a
test can make exactly the file it needs (many pages, a huge content stream, an
unmapped font) without a PDF library.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Sequence

import attrs

import gipreport

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
UNMAPPED = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /Unknown /Encoding /Identity-H "
    b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unknown "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>"
)
"""A CID font with no ToUnicode map: its text cannot be mapped to Unicode."""


def stream(data: bytes, *, compress: bool = False, extra: bytes = b"") -> bytes:
    """Return a PDF stream object holding ``data`` (Flate-compressed if asked)."""
    body = zlib.compress(data, 9) if compress else data
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s%s >>\nstream\n" % (len(body), flate, extra) + body + b"\nendstream"


def pdf(objects: Sequence[bytes]) -> bytes:
    """Return a PDF of ``objects`` (numbered from 1; object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pages_pdf(
    contents: Sequence[bytes], *, font: bytes = HELVETICA, compress: bool = False
) -> bytes:
    """Return a PDF with one A4 page per content stream, text in ``font`` as /F1."""
    count = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        font,
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(stream(content, compress=compress))
    return pdf(objects)


def text(line: str, *, x: int = 72, y: int = 770, size: int = 12) -> bytes:
    """Return content drawing one line of ASCII text at (x, y) in /F1."""
    escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"BT /F1 %d Tf %d %d Td (%s) Tj ET\n" % (size, x, y, escaped.encode("ascii"))


def many_pages_pdf(count: int) -> bytes:
    """Return a PDF whose page tree lists the same page ``count`` times (small on disk)."""
    kids = b" ".join([b"4 0 R"] * count)
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            HELVETICA,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            stream(text("page")),
        ]
    )


# --- the reports of the LibreOffice fixtures (tests/data/pdf/make_pdfs.py) -----------------

_SENTENCE = "本机关依法主动公开政府信息并接受社会公众的监督，做到应公开尽公开。"


def row_cut_report(sentences: int) -> gipreport.Report:
    """Return the example with ``sentences`` more sentences in section 一 (moving its breaks)."""
    example = gipreport.examples.mingan_2023()
    extra = _SENTENCE * sentences + "特此说明。"
    overview = attrs.evolve(example.overview, paragraphs=(*example.overview.paragraphs, extra))
    return attrs.evolve(example, overview=overview)


def breakable(docx: bytes, *, header: bool) -> bytes:
    """Return ``docx`` with its rows free to break across pages, headers repeated if ``header``."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:cantSplit/>", b"")
                if not header:
                    data = data.replace(b"<w:tblHeader/>", b"")
            target.writestr(item, data)
    return out.getvalue()


def wrong_sum_report() -> gipreport.Report:
    """Return the example with （七）总计 · 自然人 one more than its rows add up to."""
    example = gipreport.examples.mingan_2023()
    path = "requests.results.total.natural_person"
    value = example.values()[path]
    assert isinstance(value, int)
    return example.with_cells({path: value + 1})


ROW_CUT: dict[str, tuple[int, bool]] = {"row_cut": (4, True), "row_cut_no_header": (10, False)}
"""The row-cut fixtures: the sentences added, and whether the header rows are repeated."""
