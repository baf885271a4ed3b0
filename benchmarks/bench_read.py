"""How long gipreport.read takes on one report, in milliseconds.

Run from the repository root::

    python benchmarks/bench_read.py

Prints the time to read the bundled example as gipreport renders it in each
format (docx, HTML, text, JSON), and the two hand-made published reports of the
test suite (a government web page and a docx in another template), and each
real report of ``tests/data/real`` by its source kind (markdown, PDF text with
columns as spaces, web page). Then PDFs (with the ``pdf`` extra): the example as
LibreOffice prints it and the real published PDFs, each per report and per page,
with the peak memory of one read (tracemalloc: Python's allocations). Reading is
what checking published reports in bulk costs per file, beside the checks
themselves (``bench_check.py``). Not a test: timing depends on the machine.
"""

from __future__ import annotations

import timeit
import tracemalloc
from pathlib import Path

import gipreport

# Many short runs, keeping the fastest: on a shared machine the others are slowed
# by whatever else runs, never sped up.
NUMBER = 20
REPEAT = 20
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data" / "read"
REAL = FIXTURES.parent / "real"
PDFS = [
    FIXTURES.parent / "pdf" / "mingan_2023.pdf",
    *sorted(REAL.glob("*/*.pdf")),
]
PDF_NUMBER = 1
PDF_REPEAT = 7


def milliseconds(data: bytes | str) -> float:
    """Return the fastest time of one ``gipreport.read(data)``, in milliseconds."""
    gipreport.read(data)  # imports and caches first
    best = min(timeit.repeat(lambda: gipreport.read(data), number=NUMBER, repeat=REPEAT))
    return best / NUMBER * 1000


def pdf_figures(data: bytes) -> tuple[float, int, float]:
    """Return the fastest read of a PDF (ms), its pages, and the peak memory of one (MiB)."""
    from gipreport._reading.from_pdf import pdf_source  # noqa: PLC0415 - the pages

    gipreport.read(data)
    best = min(timeit.repeat(lambda: gipreport.read(data), number=PDF_NUMBER, repeat=PDF_REPEAT))
    pages = max(
        (b.where.page or 0 for b in pdf_source(data).blocks if b.where.page is not None), default=1
    )
    tracemalloc.start()
    try:
        gipreport.read(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return best / PDF_NUMBER * 1000, pages, peak / (1024 * 1024)


def main() -> None:
    """Print the time per read for each input."""
    report = gipreport.examples.mingan_2023()
    inputs: dict[str, bytes | str] = {
        f"example as {fmt}": gipreport.render(report, fmt)
        for fmt in ("docx", "html", "text", "json")
    }
    for path in sorted(FIXTURES.glob("*.docx")) + sorted(FIXTURES.glob("*.html")):
        inputs[path.name] = path.read_bytes()
    for name, data in inputs.items():
        print(f"{name:32} {milliseconds(data):8.2f} ms")
    print("real reports, by source kind:")
    for path in sorted(REAL.glob("*/*")):
        if path.suffix not in (".txt", ".html", ".md") or path.parent.name.startswith("excerpts"):
            continue
        data = path.read_bytes()
        try:
            kind = gipreport.read(data).kind
        except gipreport.ParseError:
            continue  # refused (its tables lost their cell boundaries): nothing to time
        name = f"{path.parent.name}/{path.name}"
        print(f"{kind:12} {name:56} {milliseconds(data):8.2f} ms")
    try:
        import pdfplumber  # noqa: F401, PLC0415 - only to know whether the extra is there
    except ImportError:
        print("PDF: not measured (pip install 'gipreport[pdf]')")
        return
    for path in PDFS:
        ms, pages, peak = pdf_figures(path.read_bytes())
        name = path.parent.name if path.name == "source.pdf" else path.name
        print(
            f"{name:32} {ms:8.2f} ms  {pages} pages  {ms / pages:7.2f} ms/page  "
            f"peak {peak:6.1f} MiB"
        )


if __name__ == "__main__":
    main()
