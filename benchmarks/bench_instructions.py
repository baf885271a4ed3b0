"""Instructions per read of an HTML page, counted by callgrind: steady on a noisy machine.

Run from the repository root (needs valgrind and lxml, from the ``bench`` group)::

    python benchmarks/bench_instructions.py [--src OTHER/src] [--reads 10]

Time on a shared machine drifts by tens of percent from minute to minute; the
instructions a read executes do not, so this is how a change to the reader is
measured against another tree (``git archive <commit> src | tar -x -C /tmp/old``,
then ``--src /tmp/old/src``). For gipreport's own page of the county report (as
``bench_compare.py`` reads it) and a real published page, it prints the instructions
of one ``gipreport.read`` of this tree (and of ``--src``'s) and of lxml's parse with the
text of every cell: the difference between a process that reads ``--reads`` times
and one that reads none, each after three warm-up reads. lxml runs more
instructions a cycle than Python does, so the ratio to lxml here is lower than the
time ratio of ``bench_compare.py``: compare trees with it, not against the target.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"

_WORK = """
import sys
from pathlib import Path
import gipreport
page = Path(sys.argv[2]).read_bytes()
if sys.argv[3] == "lxml":
    import lxml.html
    def work():
        root = lxml.html.fromstring(page)
        return [cell.text_content() for cell in root.iter("td", "th")]
else:
    def work():
        return gipreport.read(page)
for _ in range(3):
    work()
for _ in range(int(sys.argv[1])):
    work()
"""


def _collected(src: Path, page: Path, what: str, reads: int, script: Path) -> int:
    """Return the instructions callgrind counts for the process of ``script``."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        str(script),
        str(reads),
        str(page),
        what,
    ]
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        msg = f"callgrind printed no count:\n{done.stderr[-2000:]}"
        raise RuntimeError(msg)
    return int(found.group(1))


def per_read(src: Path, page: Path, what: str, reads: int, script: Path) -> float:
    """Return the instructions of one read of ``page`` (``"read"`` or ``"lxml"``)."""
    many = _collected(src, page, what, reads, script)
    none = _collected(src, page, what, 0, script)
    return (many - none) / reads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, help="another tree's src, to compare with")
    parser.add_argument("--reads", type=int, default=10)
    options = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    import gipreport  # noqa: PLC0415 - after the check

    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "work.py"
        script.write_text(_WORK, encoding="utf-8")
        county = gipreport.read((REAL / "kiro-shuyang-xian-2025" / "source.txt").read_bytes())
        own = Path(folder) / "own.html"
        page = gipreport.render(county.report, "html")
        own.write_text(page if isinstance(page, str) else page.decode(), encoding="utf-8")
        pages = {
            "own page (county report)": own,
            "real page (kiro-shuyang-fgj-2023)": REAL / "kiro-shuyang-fgj-2023" / "source.html",
        }
        trees = {"this tree": ROOT / "src"}
        if options.src is not None:
            trees["--src"] = options.src.resolve()
        for label, path in pages.items():
            lxml = per_read(ROOT / "src", path, "lxml", options.reads, script)
            print(f"{label}: lxml parse + cell text {lxml / 1e6:.2f} M instructions")
            for tree, src in trees.items():
                mine = per_read(src, path, "read", options.reads, script)
                print(f"  read, {tree}: {mine / 1e6:.2f} M ({mine / lxml:.2f}× lxml)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
