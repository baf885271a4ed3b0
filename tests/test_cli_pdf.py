"""The command line on PDFs: check, convert, render, export and sum take ``.pdf``.

The inputs are the LibreOffice PDF of the bundled example and a real published
PDF (``tests/data/``); the read notes name the page they are on.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

import gipreport
from cli_support import Gip, runner

EXAMPLE = Path(__file__).parent / "data" / "pdf" / "mingan_2023.pdf"
HONGZE = Path(__file__).parent / "data" / "real" / "kiro-hongze-qu-2024" / "source.pdf"


@pytest.fixture
def gip(capsys: pytest.CaptureFixture[str]) -> Gip:
    return runner(capsys)


def test_check_reads_a_pdf_and_its_notes_say_the_page(gip: Gip) -> None:
    run = gip("check", HONGZE, "--verbose")
    assert run.status == 0
    assert "淮安市洪泽区人民政府 2024年" in run.out
    furniture = "page 1: page-furniture: a page number or running header/footer: removed"
    assert f"{furniture}: '- 1 -'" in run.out
    assert "table 3, row 9, column 3, page 3 [requests.results.withheld.prohibited_by_law]" in (
        run.out
    )


def test_convert_writes_the_report_of_a_pdf(gip: Gip, tmp_path: Path) -> None:
    out = tmp_path / "mingan.json"
    run = gip("convert", EXAMPLE, "-o", out, "--verbose")
    assert run.status == 0
    report = gipreport.load_json(out.read_bytes())
    assert report.values() == gipreport.examples.mingan_2023().values()
    assert "page 6: page-furniture" in run.err


def test_render_takes_a_pdf(gip: Gip, tmp_path: Path) -> None:
    out = tmp_path / "mingan.html"
    assert gip("render", EXAMPLE, "--to", "html", "-o", out).status == 0
    assert "乌拉特前旗明安镇人民政府" in out.read_text("utf-8")


def test_a_directory_is_walked_for_pdfs(gip: Gip, tmp_path: Path) -> None:
    root = tmp_path / "reports"
    (root / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLE, root / "a.pdf")
    shutil.copy(HONGZE, root / "sub" / "b.PDF")
    document = json.loads(gip("check", root, "--format", "json").out)
    names = [Path(entry["file"]).relative_to(root).as_posix() for entry in document["files"]]
    assert names == ["a.pdf", "sub/b.PDF"]
    csv_path = tmp_path / "cells.csv"
    assert gip("export", root, "--csv", csv_path).status == 0
    with csv_path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    organs = {row["organ"] for row in rows}
    assert organs == {"乌拉特前旗明安镇人民政府", "淮安市洪泽区人民政府"}


def test_sum_adds_pdfs(gip: Gip, tmp_path: Path) -> None:
    out = tmp_path / "sum.json"
    first, second = shutil.copy(HONGZE, tmp_path / "a.pdf"), shutil.copy(HONGZE, tmp_path / "b.pdf")
    # The same report twice is refused unless asked for (issue #18).
    assert gip("sum", first, second, "--organ", "某某县人民政府", "-o", out).status == 2
    run = gip("sum", first, second, "--organ", "某某县人民政府", "-o", out, "--allow-duplicates")
    assert run.status == 0, run.err
    total = gipreport.load_json(out.read_bytes())
    assert total.values()["requests.new_received.total"] == 2 * 95
    assert total.values()["proactive.licensing.decisions"] == 2 * 9487


def test_a_scanned_pdf_is_an_input_error(gip: Gip) -> None:
    run = gip("check", EXAMPLE.with_name("scanned.pdf"))
    assert run.status == 2
    assert "need OCR" in run.err


def test_check_says_the_page_of_each_cell_of_a_finding(gip: Gip) -> None:
    # wrong_sum.pdf prints （七）总计 · 自然人 one more than its rows (on page 5 of
    # the LibreOffice PDF; the rows it sums start on page 4).
    run = gip("check", Path(__file__).parent / "data" / "pdf" / "wrong_sum.pdf")
    assert run.status == 1
    assert "error requests.results-total [natural_person]" in run.out
    assert (
        "at: requests.results.total.natural_person (p. 5), "
        "requests.results.disclosed.natural_person (p. 4)"
    ) in run.out
    assert "suspect requests.results.total.natural_person (p. 5):" in run.out
    zh = gip("check", Path(__file__).parent / "data" / "pdf" / "wrong_sum.pdf", "--lang", "zh")
    assert "位置: requests.results.total.natural_person (第5页)" in zh.out


def test_check_says_the_line_of_each_cell_of_a_finding_in_html(gip: Gip, tmp_path: Path) -> None:
    from pdf_support import wrong_sum_report  # noqa: PLC0415 - the fixture's report

    page = gipreport.render(wrong_sum_report(), "html")
    assert isinstance(page, str)
    lines = page.splitlines()
    source = tmp_path / "wrong.html"
    source.write_text(page, "utf-8")
    run = gip("check", source)
    assert run.status == 1
    found = gipreport.read(source).place("requests.results.total.natural_person")
    assert found is not None
    assert found.line is not None
    assert "（七）总计" in "".join(lines[found.line - 30 : found.line])
    assert f"at: requests.results.total.natural_person (line {found.line})" in run.out


def test_check_json_says_where_each_cell_of_a_finding_was_read(gip: Gip) -> None:
    run = gip("check", Path(__file__).parent / "data" / "pdf" / "wrong_sum.pdf", "--format", "json")
    (entry,) = json.loads(run.out)["files"]
    place = entry["places"]["requests.results.total.natural_person"]
    assert place["page"] == 5
    assert place["line"] is None
    assert place["where"].startswith("table 3, row ")
    x0, top, x1, bottom = place["bbox"]
    assert 0 < x0 < x1 < 595
    assert 0 < top < bottom < 842
    cited = {cell for finding in entry["result"]["findings"] for cell in finding["cells"]}
    assert set(entry["places"]) <= cited | {s["cell"] for s in entry["result"]["suspects"]}
