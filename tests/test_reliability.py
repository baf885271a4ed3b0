"""Regression tests of issue #16: bombs, hangs and escapes found by fuzzing.

Each test here failed before its fix; the caps themselves are in
``tests/test_limits.py`` and the fuzz targets in ``fuzz/``.
"""

from __future__ import annotations

import re
import time

from hypothesis import given
from hypothesis import strategies as st

from gipreport._checking import organs
from gipreport._checking.organs import organ_kind

# --- bug 2: the organ classifier runs in linear time -----------------------------------------

_UNITS = "|".join(organs._UNITS)
_QUADRATIC_PLACE = re.compile(
    r"(?P<name>[^\W\d_局厅委办府部院会署所站队室处司□]+?)"
    rf"(?P<unit>{_UNITS})(?!族)(?!{_UNITS})"
)
"""The pattern organ names were read with before: the same places, found in quadratic time."""


@given(
    st.text(
        alphabet=st.sampled_from(
            "特别行政区自治州县旗民族乡地林新苏木街道省盟市镇东族杭通局府人民政府1□ "
        ),
        max_size=40,
    )
)
def test_places_are_found_as_the_old_pattern_found_them(name: str) -> None:
    old = [(match["unit"], match.end()) for match in _QUADRATIC_PLACE.finditer(name)]
    assert list(organs._places(name)) == old


def _seconds(name: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        organ_kind.__wrapped__(name)
        best = min(best, time.perf_counter() - start)
    return best


def test_a_long_organ_name_is_classified_in_linear_time() -> None:
    # 8,000 characters took 13 s and 16,000 took 35 s before (issue #16, bug 2).
    # Linear time makes 100 times the name cost about 100 times as much;
    # quadratic time would cost 10,000 times. The bound is 1,000 times (and at
    # least 50 ms, for a clock too coarse to time the short name).
    short = _seconds("某" * 1000 + "局")
    start = time.perf_counter()
    assert organ_kind.__wrapped__("某" * 100_000 + "局") == "department"
    assert time.perf_counter() - start < max(1000 * short, 0.05)
