"""Hand-made PDFs for the PDF reader's tests: a minimal writer of PDF objects.

Each PDF is built object by object with a correct cross-reference table, so a
test can make exactly the file it needs (many pages, a huge content stream, an
unmapped font) without a PDF library.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings

import gipreport
from gipreport import strategies as gs
from gipreport._reading.numbering import heading_number

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
UNMAPPED = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /Unknown /Encoding /Identity-H "
    b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unknown "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>"
)
"""A CID font with no ToUnicode map: its text cannot be mapped to Unicode."""

_SECTION_OR_ARTICLE = re.compile(r"[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+条")


def prints_as_itself(report: gipreport.Report) -> bool:
    """Tell whether no paragraph of ``report`` is worded like a heading.

    A PDF marks no heading: a paragraph that starts with heading numbering
    (（一）…, （1）…, 1.…, 一、…, 第一条…) prints as a heading does, so a PDF of it cannot
    read back as the paragraph it is. The marked-up formats keep such paragraphs
    (``tests/test_read_laws.py``); the PDF laws draw reports without them.
    """
    return not any(
        heading_number(text) is not None or _SECTION_OR_ARTICLE.match(text)
        for path, text in report.texts()
        if "paragraphs[" in path or path.startswith("preamble[")
    )


def drawn_for_pdf(count: int, *, format: str = "2021") -> list[gipreport.Report]:
    """Return ``count`` generated reports of ``format`` (the same on every run) for the PDF laws.

    Drawn with blanks and counts of up to 7 digits; only reports that
    :func:`prints_as_itself`.
    """
    drawn: list[gipreport.Report] = []

    @settings(
        max_examples=count,  # the reports asked for (each printed), in every profile
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(gs.reports(format=format, blanks=True, max_count=9_999_999).filter(prints_as_itself))
    def collect(report: gipreport.Report) -> None:
        drawn.append(report)

    collect()
    return drawn[-count:]


SOFFICE = shutil.which("soffice")
"""LibreOffice, for the tests that print gipreport's docx to PDF (``None``: not installed)."""


def print_to_pdf(
    sources: Sequence[Path], work: Path, *, timeout: float | None = None
) -> list[Path]:
    """Return each docx of ``sources`` printed to PDF by LibreOffice, in one call, into ``work``.

    LibreOffice runs with a profile of its own in ``work``, so that parallel runs and
    a user's LibreOffice do not clash; a failure (or a PDF not written) fails the test
    with what LibreOffice printed.
    """
    assert SOFFICE is not None
    profile = (work / "profile").as_uri()
    result = subprocess.run(
        [
            *(SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore"),
            *("--convert-to", "pdf", "--outdir", str(work), *(str(s) for s in sources)),
        ],
        capture_output=True,
        text=True,
        timeout=timeout if timeout is not None else 60 + 20 * len(sources),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = [work / (Path(source).stem + ".pdf") for source in sources]
    for pdf in printed:  # LibreOffice says 0 even where one conversion failed
        assert pdf.is_file(), f"LibreOffice wrote no {pdf.name}: {result.stdout}{result.stderr}"
    return printed


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
