"""Regenerate the pictures of rendered reports in the docs (``docs/_static/*.png``).

Run from a clone, with the development tools installed::

    python scripts/screenshots.py            # all pictures
    python scripts/screenshots.py --check    # only say which pictures are missing or too large

It draws what a reader sees, from the bundled example (乌拉特前旗明安镇人民政府, 2023):

- the Word document, as LibreOffice prints it (``soffice --headless --convert-to
  pdf``, then ``pdftoppm``): page 1 (``docx-page1.png``), table 3 with one
  seven-digit count, set smaller alone (``docx-table3.png``), and every page in
  small (``docx-pages.png``: table 2 whole below its heading);
- the HTML page in headless Chromium (driven as ``tests/test_browser.py`` drives
  it): tables 3 and 4 at a desktop width (``rendered-tables.png``), table 3 on a
  phone 390 px wide scrolled sideways, its row labels still in view
  (``html-phone.png``), and the two pages printed to A4 where table 3 begins
  (``html-print.png``: its header rows repeat on the second).

Fonts: the document names the fonts of GB/T 9704 (方正小标宋简体, 仿宋_GB2312,
黑体, 楷体_GB2312, 宋体), which a Linux machine does not have; a fontconfig file
written for the run maps them to free ones, as a reader's computer would
substitute: the song and fangsong faces to Noto Serif CJK SC, 黑体 to Noto Sans
CJK SC (else WenQuanYi Zen Hei), 楷体 to AR PL UKai CN (Debian's ``fonts-noto-cjk``,
``fonts-wqy-zenhei`` and ``fonts-arphic-ukai``, which ``.ci/run`` installs); the HTML
page names the same 黑体 faces in its CSS. The pictures are reduced to
64 colours (Pillow, which the ``test`` group brings with matplotlib) so each stays
under 150 KB.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

import gipreport
from gipreport import DocxOptions

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "docs" / "_static"
MAX_BYTES = 150_000
PICTURES = (
    "docx-page1.png",
    "docx-table3.png",
    "docx-pages.png",
    "rendered-tables.png",
    "html-phone.png",
    "html-print.png",
)

FONT_ALIASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("Noto Serif CJK SC",): (
        "方正小标宋简体",
        "方正小标宋_GBK",
        "宋体",
        "SimSun",
        "仿宋_GB2312",
        "方正仿宋_GBK",
        "仿宋",
        "FangSong",
    ),
    ("Noto Sans CJK SC", "WenQuanYi Zen Hei"): ("黑体", "方正黑体_GBK", "SimHei"),
    ("AR PL UKai CN",): ("楷体_GB2312", "方正楷体_GBK", "楷体", "KaiTi"),
}
"""Free fonts standing in for the fonts of GB/T 9704 (the first of them installed), by the
names a document uses: 黑体 in a sans face (as the HTML page's CSS names them), never in
the only Chinese font there is (which may be a 楷体)."""

POINTS_PER_INCH = 72
POINTS_PER_MM = 72 / 25.4
A4_HEIGHT_POINTS = 841.89
LONG_VALUE_PATH = "requests.new_received.other_org"


def fontconfig(work: Path) -> dict[str, str]:
    """Write a fontconfig file with :data:`FONT_ALIASES`; return the environment using it."""
    aliases = "".join(
        f"<alias binding='same'><family>{name}</family><prefer>"
        + "".join(f"<family>{font}</family>" for font in fonts)
        + "</prefer></alias>"
        for fonts, names in FONT_ALIASES.items()
        for name in names
    )
    conf = work / "fonts.conf"
    conf.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        f"<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>{aliases}</fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def need(name: str) -> str:
    """Return the path of program ``name``, or stop saying it is missing."""
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed (.ci/run installs what these pictures need)")
    return found


def save(image: Image.Image, name: str) -> None:
    """Save ``image`` as ``docs/_static/name`` in 64 colours; refuse one over the limit."""
    small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    if len(data) > MAX_BYTES:
        sys.exit(f"{name} would be {len(data):,} bytes, over {MAX_BYTES:,}: make it smaller")
    (STATIC / name).write_bytes(data)
    print(f"docs/_static/{name}: {image.width}×{image.height}, {len(data):,} bytes")


def page_image(pdf: Path, page: int, dpi: int, work: Path) -> Image.Image:
    """Return page ``page`` (from 1) of ``pdf`` at ``dpi``."""
    stem = work / f"{pdf.stem}-{page}-{dpi}"
    subprocess.run(
        [
            *(need("pdftoppm"), "-png", "-r", str(dpi), "-singlefile"),
            *("-f", str(page), "-l", str(page), str(pdf), str(stem)),
        ],
        check=True,
    )
    return Image.open(f"{stem}.png")


def words(pdf: Path) -> Iterator[tuple[int, float, float, str]]:
    """Yield ``(page, top, bottom, text)`` of every word of ``pdf``, in points."""
    out = subprocess.run(
        [need("pdftotext"), "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    page = 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', line)
        if found:
            yield page, float(found[1]), float(found[2]), found[3]


def docx_pictures(work: Path, env: dict[str, str]) -> None:
    """Write the pictures of the Word document, as LibreOffice prints it."""
    example = gipreport.examples.mingan_2023()
    # The example, and with one seven-digit count in table 3 (only it is set smaller).
    reports = {"example": example, "long": example.with_cell(LONG_VALUE_PATH, 1_234_567)}
    for name, report in reports.items():
        data = gipreport.render(report, "docx")
        assert isinstance(data, bytes)
        (work / f"{name}.docx").write_bytes(data)
    subprocess.run(
        [need("soffice"), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless"]
        + ["--norestore", "--convert-to", "pdf", "--outdir", str(work)]
        + [str(work / f"{name}.docx") for name in reports],
        check=True,
        capture_output=True,
        env=env,
    )
    pdf = work / "example.pdf"
    save(page_image(pdf, 1, 72, work), "docx-page1.png")

    # Table 3 of the second: from its heading to the foot of the page, at 96 dpi.
    found = list(words(work / "long.pdf"))
    page, top, _bottom, _text = next(w for w in found if w[3].startswith("三、收到"))
    foot = A4_HEIGHT_POINTS - DocxOptions().margin_bottom * POINTS_PER_MM
    end = max(w[2] for w in found if w[0] == page and top <= w[1] and w[2] < foot)
    dpi = 96
    scale = dpi / POINTS_PER_INCH
    image = page_image(work / "long.pdf", page, dpi, work)
    box = (70 * scale, (top - 8) * scale, 545 * scale, (end + 6) * scale)
    save(image.crop(box), "docx-table3.png")

    found = list(words(pdf))
    pages = max(w[0] for w in found)
    thumbs = [page_image(pdf, n, 30, work) for n in range(1, pages + 1)]
    width, height = thumbs[0].size
    sheet = Image.new("RGB", (pages * (width + 8) + 8, height + 16), "#888888")
    for n, thumb in enumerate(thumbs):
        sheet.paste(thumb, (8 + n * (width + 8), 8))
    save(sheet, "docx-pages.png")


def html_pictures(work: Path, env: dict[str, str]) -> None:
    """Write the pictures of the HTML page, in Chromium."""
    sys.path.insert(0, str(ROOT / "tests"))
    # The browser tests' DevTools client, so the pictures show what the tests measure.
    from test_browser import DevTools, Tab, chromium_binary  # noqa: PLC0415

    binary = chromium_binary()
    if binary is None:
        sys.exit("no Chromium binary (set GIPREPORT_CHROMIUM, or install Debian's chromium)")
    page = work / "example.html"
    html = gipreport.render(gipreport.examples.mingan_2023(), "html")
    assert isinstance(html, str)
    page.write_text(html, encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = env["FONTCONFIG_FILE"]  # Chromium inherits it
    browser = DevTools(binary, work / "chromium-profile", work / "chromium.log")
    try:
        tab = Tab(browser)
        tab.open(page.as_uri(), width=820)
        tab.screenshot_between(work / "tables.png", "#gip-requests", "#gip-appeals")
        save(Image.open(work / "tables.png"), "rendered-tables.png")

        tab.resize(width=390, height=844, mobile=True)
        tab.evaluate("document.querySelector('.gip-table-requests').parentElement.scrollLeft = 240")
        tab.screenshot_between(
            work / "phone.png", "#gip-requests .gip-heading", ".gip-table-requests"
        )
        phone = Image.open(work / "phone.png")
        save(phone.crop((0, 0, phone.width, min(phone.height, 900))), "html-phone.png")

        tab.resize(width=1000)
        pdf_data = tab.call("Page.printToPDF", {"preferCSSPageSize": True})["data"]
    finally:
        browser.close()
    pdf = work / "printed.pdf"
    pdf.write_bytes(base64.b64decode(pdf_data))
    # The page where table 3 begins, and the next: its header rows repeat there.
    first = next(w[0] for w in words(pdf) if w[3].startswith("三、收到"))
    pages = [page_image(pdf, n, 50, work) for n in (first, first + 1)]
    width, height = pages[0].size
    sheet = Image.new("RGB", (2 * width + 24, height + 16), "#888888")
    for n, image in enumerate(pages):
        sheet.paste(image, (8 + n * (width + 8), 8))
    save(sheet, "html-print.png")


def main() -> None:
    """Regenerate the pictures, or with ``--check`` say which are missing or too large."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the pictures there are")
    args = parser.parse_args()
    if args.check:
        bad = [
            name
            for name in PICTURES
            if not (STATIC / name).is_file() or (STATIC / name).stat().st_size > MAX_BYTES
        ]
        sys.exit(f"missing or too large: {', '.join(bad)}" if bad else 0)
    with tempfile.TemporaryDirectory(prefix="gipreport-screenshots-") as name:
        work = Path(name)
        env = fontconfig(work)
        docx_pictures(work, env)
        html_pictures(work, env)


if __name__ == "__main__":
    main()
