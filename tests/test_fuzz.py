"""The fuzz campaign of ``fuzz/fuzz.py``, short: a few inputs for each target.

The campaign itself (100,000 inputs a target by default) is run by hand; see
CONTRIBUTING.md. Here each target runs on a handful, so that a target that
breaks, or an input that escapes the library's errors, is seen in CI.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).parent.parent / "fuzz" / "fuzz.py"


def _campaign() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gipreport_fuzz", FUZZ)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fuzz = _campaign()


@pytest.mark.parametrize("target", sorted(fuzz.TARGETS))
def test_each_target_runs_and_nothing_escapes(target: str) -> None:
    tally = fuzz.Tally(slow=5.0)
    fuzz.TARGETS[target](12, 0, tally, argparse.Namespace(any_text=False))
    assert tally.tried >= 12
    assert tally.escaped == []
    assert tally.slow == []
    assert tally.failed == []


def test_a_non_library_exception_is_counted_and_fails_the_run() -> None:
    tally = fuzz.Tally(slow=5.0)
    missing: dict[str, int] = {}
    tally.run(0, lambda: missing["key"])
    tally.run(1, lambda: None)
    assert tally.outcomes == {"NON-LIBRARY KeyError": 1, "ok": 1}
    assert tally.report("example") is False


def test_mutations_are_reproducible_from_their_seed() -> None:
    first = [data for _, data in fuzz.inputs("text", 5, 7)]
    assert first == [data for _, data in fuzz.inputs("text", 5, 7)]
    assert len(set(first)) > 1
