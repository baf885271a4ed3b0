"""The tests' time budget: the examples a property test runs.

A property test that needs more (or fewer) examples than the profile's count says so
with :func:`examples`, giving the count it runs in CI (``HYPOTHESIS_PROFILE=ci``, 100
a test); under another profile it runs that count scaled as the profile's own count
is scaled from CI's: the ``dev`` profile (30) runs 30 % of it, the ``long`` campaign
(1,000) ten times it::

    @settings(max_examples=examples(1500))  # 1,500 in CI, 450 in dev, 15,000 in long
"""

from __future__ import annotations

from hypothesis import settings

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
