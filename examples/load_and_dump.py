"""Load the bundled example report, derive its totals and write it as JSON.

Usage::

    python examples/load_and_dump.py [OUTPUT.json]

Writes to ``mingan_2023.json`` in the current directory when no path is given,
then prints the path written and a one-line summary of the report.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gipreport
import gipreport.examples


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Path("mingan_2023.json")

    report = gipreport.derive_totals(gipreport.examples.mingan_2023())
    path.write_text(gipreport.dump_json(report), encoding="utf-8")

    cells = sum(1 for _ in report.cells())
    print(f"wrote {path}")
    print(f"{report.organ} {report.year}: {cells} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
