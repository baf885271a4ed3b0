"""Plot the share of requests refused (不予公开) by year across a corpus of reports.

Usage: python examples/plot_withheld_share.py [CORPUS_DIR] [OUT.png]

Loads every report file under CORPUS_DIR into pandas with gipreport.frames(),
adds up the 不予公开率 indicator's numerator and denominator over the reports of
each year (a share of all requests, not a mean of the organs' rates), and draws
it with matplotlib. Without CORPUS_DIR it makes a demonstration corpus of 240
generated reports (made-up figures, not real ones). Writes OUT.png (default
withheld_share.png).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")  # no window: a file
import matplotlib.pyplot as plt
from matplotlib import font_manager

import gipreport

SUFFIXES = {".json", ".docx", ".html", ".htm", ".txt"}
YEARS = range(2021, 2026)


def demo_corpus(count: int = 240) -> list[tuple[str, gipreport.Report]]:
    """Return generated reports: 48 organs × 5 years, refusals slowly falling."""
    rng = random.Random(2025)
    base = gipreport.examples.mingan_2023()
    rows = [spec.row_path for spec in base.form.cells if spec.column.key == "natural_person"]
    results = [row for row in rows if row.startswith("requests.results.") and "total" not in row]
    out = []
    for index in range(count):
        year = YEARS[index % len(YEARS)]
        values = {f"{row}.natural_person": rng.randrange(0, 12) for row in results}
        withheld = [row for row in results if ".withheld." in row]
        for row in withheld:  # fewer refusals in later years
            values[f"{row}.natural_person"] = rng.randrange(0, 2 + 2 * (2026 - year))
        report = base.with_cells(values)
        report = gipreport.derive_totals(report)
        organ = f"示例县第{index // len(YEARS)}局"
        out.append(
            (
                f"demo/{organ}-{year}.json",
                gipreport.Report(organ=organ, year=year).with_cells(report.values()),
            )
        )
    return out


def chinese_font() -> str | None:
    for font in font_manager.fontManager.ttflist:
        if "CJK SC" in font.name or font.name in {"SimHei", "WenQuanYi Zen Hei"}:
            return font.name
    return None


def main(argv: list[str]) -> int:
    items: list[gipreport.Item]
    if argv:
        root = Path(argv[0])
        items = [p for p in sorted(root.rglob("*")) if p.suffix.lower() in SUFFIXES]
    else:
        items = [*demo_corpus()]
    if not items:
        print(f"no report files under {argv[0]}", file=sys.stderr)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else Path("withheld_share.png")
    indicators = gipreport.frames(items, tables=["indicators"])["indicators"]
    withheld = indicators[
        (indicators["indicator"] == "requests.withheld_rate") & (indicators["status"] == "assessed")
    ]
    by_year = withheld.groupby("year")[["numerator", "denominator"]].sum()
    share = (by_year["numerator"] / by_year["denominator"]).astype(float)
    font = chinese_font()
    if font:
        plt.rcParams["font.family"] = font
    figure, axes = plt.subplots(figsize=(6, 3.5), dpi=100)
    axes.plot(share.index.astype(int), share.to_numpy() * 100, marker="o")
    axes.set_xticks(share.index.astype(int))
    axes.set_ylim(bottom=0)
    axes.set_xlabel("报告年度" if font else "year")
    axes.set_ylabel("不予公开 / 办理结果总计 (%)" if font else "refused / all results (%)")
    counted = withheld.groupby("year").size()
    title = "不予公开率（各年合计）" if font else "Share of requests refused (不予公开), all organs"
    made_up = "" if argv else (" · 示例数据（虚构）" if font else " · made-up demo data")
    axes.set_title(f"{title}: {int(counted.sum())} reports{made_up}")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(out)
    plt.close(figure)
    print(f"wrote {out}: " + ", ".join(f"{y} {v:.1%}" for y, v in share.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
