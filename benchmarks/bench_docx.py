"""Time the docx renderer: milliseconds per report, on one core.

Run with ``.venv/bin/python benchmarks/bench_docx.py``. It times

- the bundled example (乌拉特前旗明安镇人民政府, 2023);
- a report with maximal text: every paragraph and heading 1,000 characters,
  six-digit counts in every cell, a long organ name;
- for comparison, a naive build of the same three tables with python-docx,
  cell by cell through ``table.cell(r, c)`` and ``merge``, which rebuilds the
  table grid on every call.

The target is at most 25 ms per report for the example.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

import attrs
import docx

import gipreport
from gipreport.layout import layout

PARAGRAPH = ("政府信息公开工作年度报告，" * 100)[:1000]


def maximal_report() -> gipreport.Report:
    """Return a report with 1,000-character texts and six-digit counts in every cell."""
    base = gipreport.examples.mingan_2023()
    prose = gipreport.Prose(
        paragraphs=(PARAGRAPH,) * 3,
        subsections=tuple(
            gipreport.Subsection(heading=PARAGRAPH, paragraphs=(PARAGRAPH,) * 2) for _ in range(5)
        ),
    )
    report = attrs.evolve(
        base,
        organ="某某省某某市某某县某某乡镇人民政府某某办公室政府信息公开与政务服务管理中心",
        preamble=(PARAGRAPH,) * 2,
        overview=prose,
        problems=prose,
        other_matters=prose,
    )
    values = {
        cell.path: Decimal("999999.999999") if cell.spec.kind == "amount" else 999999
        for cell in report.cells()
    }
    return report.with_cells(values)


def naive_tables(report: gipreport.Report) -> bytes:
    """Build the three tables with python-docx's proxies, cell by cell."""
    document = docx.Document()
    for table in layout(report).tables:
        grid = table.grid()
        word_table = document.add_table(rows=len(grid), cols=table.width)
        word_table.style = "Table Grid"
        for r, slots in enumerate(grid):
            for c, slot in enumerate(slots):
                if isinstance(slot, gipreport.layout.Covered):
                    continue
                cell = word_table.cell(r, c)
                if slot.rowspan > 1 or slot.colspan > 1:
                    corner = word_table.cell(r + slot.rowspan - 1, c + slot.colspan - 1)
                    cell = cell.merge(corner)
                cell.text = slot.text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def per_call_ms(function: Callable[[], object], repeat: int) -> float:
    """Return the median time of one call in milliseconds, over ``repeat`` calls."""
    function()  # warm caches (parsed templates, imports)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=100, help="calls per measurement")
    args = parser.parse_args()
    example = gipreport.examples.mingan_2023()
    maximal = maximal_report()
    rows = [
        (
            "docx, bundled example",
            per_call_ms(lambda: gipreport.render(example, "docx"), args.repeat),
        ),
        ("docx, maximal text", per_call_ms(lambda: gipreport.render(maximal, "docx"), args.repeat)),
        (
            "naive python-docx tables, example",
            per_call_ms(lambda: naive_tables(example), max(3, args.repeat // 20)),
        ),
    ]
    for name, ms in rows:
        print(f"{name:<36} {ms:8.2f} ms/report")


if __name__ == "__main__":
    main()
