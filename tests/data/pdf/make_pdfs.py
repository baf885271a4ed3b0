"""Write the PDF fixtures of the PDF reader's tests (the output is committed).

- ``mingan_2023.pdf``: the bundled example rendered as docx by gipreport and
  converted by LibreOffice (``soffice --headless --convert-to pdf``): a PDF with
  a text layer, ruled tables, table 3 across a page break, page numbers;
- ``scanned.pdf``: pages 3 and 4 of it rendered to grey pictures (pdftoppm, 40
  dpi) and wrapped as a PDF again (Pillow): a scanned report, no text layer;
- ``encrypted.pdf``: the same report exported by LibreOffice with a password;
- ``row_cut.pdf`` and ``row_cut_no_header.pdf``: the example with a longer
  section 一 (so table 3 breaks elsewhere) and its rows allowed to break across
  pages (``<w:cantSplit/>`` taken out of the docx): a row of table 3 cut by the
  page break, its label on both pages and its values on the first; in the
  first the header rows are repeated on the next page, in the second not
  (``<w:tblHeader/>`` taken out too);
- ``wrong_sum.pdf``: the example with one cell of table 3 off by one
  (:func:`wrong_sum_report`): its checks fail, naming the cell's page.

Needs LibreOffice, poppler-utils and Pillow; run it to rebuild the files:

    python tests/data/pdf/make_pdfs.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import gipreport

sys.path.insert(0, str(Path(__file__).parents[2]))  # the tests' own modules
from pdf_support import ROW_CUT, breakable, row_cut_report, wrong_sum_report

HERE = Path(__file__).parent
_ENCRYPTED = (
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
    '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
)


def main() -> None:
    """Write the three fixtures next to this script."""
    from PIL import Image  # noqa: PLC0415 - only for the scanned copy

    soffice = shutil.which("soffice")
    assert soffice is not None, "install libreoffice-writer-nogui"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docx = work / "mingan_2023.docx"
        data = gipreport.render(gipreport.examples.mingan_2023(), "docx")
        assert isinstance(data, bytes)
        docx.write_bytes(data)
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(HERE), str(docx)],
            check=True,
            capture_output=True,
        )
        locked = work / "locked"
        locked.mkdir()
        subprocess.run(
            [soffice, "--headless", "--convert-to", _ENCRYPTED, "--outdir", str(locked), str(docx)],
            check=True,
            capture_output=True,
        )
        (locked / "mingan_2023.pdf").replace(HERE / "encrypted.pdf")
        subprocess.run(
            [
                *("pdftoppm", "-r", "40", "-gray", "-f", "3", "-l", "4", "-png"),
                *(str(HERE / "mingan_2023.pdf"), str(work / "page")),
            ],
            check=True,
        )
        pages = [Image.open(path).convert("L") for path in sorted(work.glob("page-*.png"))]
        pages[0].save(HERE / "scanned.pdf", save_all=True, append_images=pages[1:], resolution=40.0)

    row_cut()


def row_cut() -> None:
    """Write the row-cut and wrong-sum fixtures next to this script."""
    soffice = shutil.which("soffice")
    assert soffice is not None, "install libreoffice-writer-nogui"
    with tempfile.TemporaryDirectory() as tmp:
        wrong = gipreport.render(wrong_sum_report(), "docx")
        assert isinstance(wrong, bytes)
        (Path(tmp) / "wrong_sum.docx").write_bytes(wrong)
        sources = [str(Path(tmp) / "wrong_sum.docx")]
        for name, (sentences, header) in ROW_CUT.items():
            data = gipreport.render(row_cut_report(sentences), "docx")
            assert isinstance(data, bytes)
            source = Path(tmp) / f"{name}.docx"
            source.write_bytes(breakable(data, header=header))
            sources.append(str(source))
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(HERE), *sources],
            check=True,
            capture_output=True,
        )


if __name__ == "__main__":
    main()
