"""How long gipreport.read takes on one report, in milliseconds.

Run from the repository root::

    python benchmarks/bench_read.py

Prints the time to read the bundled example as gipreport renders it in each
format (docx, HTML, text, JSON), and the two hand-made published reports of the
test suite (a government web page and a docx in another template), and each
real report of ``tests/data/real`` by its source kind (markdown, PDF text with
columns as spaces, web page). Then PDFs (with the ``pdf`` extra): the example as
LibreOffice prints it and the real published PDFs, each per report and per page
(the median CPU time of interleaved rounds), beside what pdfminer alone takes to
interpret the same pages (pdfplumber's ``page.layout``: the engine before PDFium,
measured in the same rounds, so the ratio holds on a busy machine), with the
peak memory of one read: Python's allocations (tracemalloc) and the process's
resident memory over its level before the read (PDFium's C allocations, which
tracemalloc does not see; Linux only). Reading is what checking published
reports in bulk costs per file, beside the checks themselves
(``bench_check.py``). Not a test: timing depends on the machine.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import time
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
PDF_ROUNDS = 9


def milliseconds(data: bytes | str) -> float:
    """Return the fastest time of one ``gipreport.read(data)``, in milliseconds."""
    gipreport.read(data)  # imports and caches first
    best = min(timeit.repeat(lambda: gipreport.read(data), number=NUMBER, repeat=REPEAT))
    return best / NUMBER * 1000


def _pdfminer_layout(data: bytes) -> None:
    """Interpret every page of ``data`` with pdfminer (pdfplumber's layout), as before PDFium."""
    import pdfplumber  # noqa: PLC0415 - with the pdf extra

    with pdfplumber.pdf.PDF(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            _ = page.layout


_RESIDENT = """
import sys
from pathlib import Path
import gipreport

def kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])

try:
    gipreport.read(Path(sys.argv[2]))  # PDFium and the modules loaded first
except gipreport.ParseError:
    pass
data = Path(sys.argv[1]).read_bytes()
Path("/proc/self/clear_refs").write_text("5")  # the high-water mark reset
before = kib("VmRSS:")
gipreport.read(data)
print((kib("VmHWM:") - before) / 1024)
"""


def _resident_peak(path: Path) -> float | None:
    """Return how far a fresh process's resident memory rises reading ``path`` (MiB; Linux)."""
    if not Path("/proc/self/clear_refs").exists():
        return None
    warm = FIXTURES.parent / "pdf" / "scanned.pdf"
    done = subprocess.run(
        [sys.executable, "-c", _RESIDENT, str(path), str(warm)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        return float(done.stdout.strip())
    except ValueError:
        return None


def pdf_figures(paths: list[Path]) -> None:
    """Print, for each PDF, the median read per report and per page, pdfminer's, and memory."""
    from gipreport._reading.from_pdf import ENGINE, pdf_source  # noqa: PLC0415 - the pages

    datas = {path: path.read_bytes() for path in paths}
    times: dict[Path, list[float]] = {path: [] for path in paths}
    before: dict[Path, list[float]] = {path: [] for path in paths}
    for data in datas.values():
        gipreport.read(data)  # imports and caches first
    for _round in range(PDF_ROUNDS):  # interleaved: a busy moment slows every PDF alike
        for path, data in datas.items():
            start = time.process_time()
            gipreport.read(data)
            times[path].append(time.process_time() - start)
            start = time.process_time()
            _pdfminer_layout(data)
            before[path].append(time.process_time() - start)
    print(f"PDF ({ENGINE}; CPU time, median of {PDF_ROUNDS} interleaved rounds):")
    for path, data in datas.items():
        pages = max(
            (b.where.page or 0 for b in pdf_source(data).blocks if b.where.page is not None),
            default=1,
        )
        ms = statistics.median(times[path]) * 1000
        miner = statistics.median(before[path]) * 1000
        tracemalloc.start()
        try:
            gipreport.read(data)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        resident = _resident_peak(path)
        rss = f"{resident:6.1f} MiB" if resident is not None else "   n/a"
        name = path.parent.name if path.name == "source.pdf" else path.name
        print(
            f"{name:28} {pages} pages {ms:7.1f} ms/report {ms / pages:6.1f} ms/page  "
            f"(pdfminer's layout alone {miner:7.1f} ms: x{miner / ms:4.1f})  "
            f"peak {peak / (1024 * 1024):5.1f} MiB Python, +{rss} resident"
        )


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
    pdf_figures(PDFS)


if __name__ == "__main__":
    main()
