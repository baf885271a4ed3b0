"""The tests' time budget: examples a property test runs, and strategies built once.

A property test that needs more (or fewer) examples than the profile's count says so
with :func:`examples`, giving the count it runs in CI (``HYPOTHESIS_PROFILE=ci``, 100
a test); under another profile it runs that count scaled as the profile's own count
is scaled from CI's: the ``dev`` profile (30) runs 30 % of it, the ``long`` campaign
(1,000) ten times it::

    @settings(max_examples=examples(1500))  # 1,500 in CI, 450 in dev, 15,000 in long

:func:`reports` and :func:`invalid_reports` are :mod:`gipreport.strategies`' own,
built once for each set of arguments: building one makes its composite strategy anew
(Hypothesis reads the source of the drawing function to do so) and validates it
again, which costs more than a draw. A test that draws a report of a parameter's
format (``data.draw(reports(format=fmt))``) or maps a drawn format to a strategy
(``.flatmap(lambda fmt: reports(format=fmt))``) takes the same strategy, so the same
reports, each example.
"""

from __future__ import annotations

import functools

from hypothesis import settings
from hypothesis import strategies as st

from gipreport import Report
from gipreport import strategies as gs

CI_EXAMPLES = 100
"""The ``ci`` profile's ``max_examples`` (``tests/conftest.py``): what :func:`examples` scales."""

FLOOR = 10
"""The fewest examples :func:`examples` gives a test whose CI count is at least this many."""


def examples(ci: int) -> int:
    """Return the examples to run for a test that runs ``ci`` of them in CI.

    ``ci`` is scaled by the loaded profile's ``max_examples`` over the ``ci``
    profile's (:data:`CI_EXAMPLES`): the ``dev`` profile (30) gives 30 % of it, ``ci``
    gives ``ci``, ``long`` (1,000) ten times it. It never goes below :data:`FLOOR`
    (or ``ci`` itself, if fewer), nor below 1. The profile is read when this is
    called, so the count is the one of the profile ``tests/conftest.py`` loaded
    before the test modules were imported.

    >>> examples(CI_EXAMPLES) == settings.default.max_examples
    True
    """
    if isinstance(ci, bool) or not isinstance(ci, int) or ci < 1:
        msg = f"a test runs at least one example in CI, got {ci!r}"
        raise ValueError(msg)
    profile = settings.default  # the loaded profile (None only while Hypothesis sets it up)
    assert profile is not None
    scaled = ci * profile.max_examples // CI_EXAMPLES
    return max(scaled, min(ci, FLOOR), 1)


@functools.cache
def reports(
    *,
    format: str = "2021",
    max_count: int = gs.DEFAULT_MAX_COUNT,
    blanks: bool = False,
    text: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Report]:
    """Return :func:`gipreport.strategies.reports` of these arguments, built once for them."""
    return gs.reports(format=format, max_count=max_count, blanks=blanks, text=text)


@functools.cache
def invalid_reports(
    *,
    rule: str,
    format: str = "2021",
    max_count: int = gs.DEFAULT_MAX_COUNT,
    blanks: bool = False,
    text: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Report]:
    """Return :func:`gipreport.strategies.invalid_reports` of these arguments, built once."""
    return gs.invalid_reports(
        rule=rule, format=format, max_count=max_count, blanks=blanks, text=text
    )
