"""Golden files: rendered output compared with a reviewed copy in tests/golden/."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"


def check_golden(path: Path, actual: str) -> None:
    """Compare with a reviewed golden file; GIPREPORT_UPDATE_GOLDEN=1 rewrites it."""
    if os.environ.get("GIPREPORT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    with path.open(encoding="utf-8", newline="") as golden:
        expected = golden.read()
    assert actual == expected, f"{path.name} changed; review, then GIPREPORT_UPDATE_GOLDEN=1"
