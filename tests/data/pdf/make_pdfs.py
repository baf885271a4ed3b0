"""Write the PDF fixtures of the PDF reader's tests (the output is committed).

- ``mingan_2023.pdf``: the bundled example rendered as docx by gipreport and
  converted by LibreOffice (``soffice --headless --convert-to pdf``): a PDF with
  a text layer, ruled tables, table 3 across a page break, page numbers;
- ``scanned.pdf``: pages 3 and 4 of it rendered to grey pictures (pdftoppm, 40
  dpi) and wrapped as a PDF again (Pillow): a scanned report, no text layer;
- ``encrypted.pdf``: the same report exported by LibreOffice with a password.

Needs LibreOffice, poppler-utils and Pillow; run it to rebuild the files:

    python tests/data/pdf/make_pdfs.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

import gipreport

HERE = Path(__file__).parent
_ENCRYPTED = (
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
    '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
)


def main() -> None:
    """Write the three fixtures next to this script."""
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


if __name__ == "__main__":
    main()
