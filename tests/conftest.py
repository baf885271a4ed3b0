"""Test configuration: Hypothesis profiles.

``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) runs enough examples to matter,
derandomized so that a run is repeatable; the default ``dev`` profile is quick.
``HYPOTHESIS_PROFILE=long`` is a campaign: ten times CI's examples, each run drawing
new ones (an hour or more; not for CI, whose run stays under ten minutes).

The profile is loaded here, as pytest imports this file, before any test module is
imported. A test that runs another count than the profile's gives the count it runs
in CI to ``budget_support.examples`` (``@settings(max_examples=examples(1500))``),
which scales it as the loaded profile is scaled from CI's 100: 30 % in ``dev`` (at
least 10, or the CI count if smaller), as given in ``ci``, ten times in ``long``. So
``dev`` stays quick for every test and ``long`` is a campaign for every test.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=1000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in an English locale: ``gipreport check`` takes its language from it."""
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
