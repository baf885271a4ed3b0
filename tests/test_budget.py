"""The tests' time budget (``budget_support``): examples scaled by the profile loaded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings

from budget_support import CI_EXAMPLES, FLOOR, examples, invalid_reports, reports


@pytest.fixture
def profile() -> Iterator[None]:
    """Let a test load another profile; the one loaded before is loaded again after it."""
    before = settings.get_current_profile_name()
    yield
    settings.load_profile(before)


def test_the_ci_profile_runs_the_count_given(profile: None) -> None:
    settings.load_profile("ci")
    assert settings.default is not None
    assert settings.default.max_examples == CI_EXAMPLES
    assert [examples(n) for n in (1, 5, 10, 15, 100, 1500)] == [1, 5, 10, 15, 100, 1500]


def test_the_dev_profile_runs_thirty_percent_above_a_floor(profile: None) -> None:
    settings.load_profile("dev")
    assert [examples(n) for n in (1, 5, 10, 15, 30, 40, 50, 100, 1500)] == [
        1, 5, 10, 10, 10, 12, 15, 30, 450,
    ]  # fmt: skip


def test_the_long_profile_runs_ten_times_the_count(profile: None) -> None:
    settings.load_profile("long")
    assert [examples(n) for n in (1, 15, 100, 1500)] == [10, 150, 1000, 15000]


def test_the_count_is_read_from_the_profile_loaded_at_the_call(profile: None) -> None:
    settings.register_profile("budget-test", max_examples=7)
    settings.load_profile("budget-test")
    assert examples(1000) == 70
    assert examples(100) == examples(20) == FLOOR  # 7 and 1.4, raised to the floor
    assert examples(3) == 3  # never more than CI runs, where that is below the floor
    settings.register_profile("budget-test-few", max_examples=1)
    settings.load_profile("budget-test-few")
    assert examples(1) == 1


def test_the_profile_was_loaded_before_the_test_modules() -> None:
    # conftest.py loads it as pytest imports it, before any test module: a count
    # computed at import (as every @settings(max_examples=examples(n)) is) is the profile's.
    import test_html_tokens  # noqa: PLC0415 - imported by pytest already

    test = test_html_tokens.test_the_events_are_html_parsers  # max_examples=examples(1500)
    assert vars(test)["_hypothesis_internal_use_settings"].max_examples == examples(1500)


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_a_count_below_one_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="at least one example"):
        examples(bad)  # type: ignore[arg-type]  # the wrong type is the point


def test_strategies_are_built_once_for_their_arguments() -> None:
    assert reports(format="2019", blanks=True) is reports(format="2019", blanks=True)
    assert reports(format="2019") is not reports(format="2021")
    broken = invalid_reports(rule="appeals.total", format="2019")
    assert broken is invalid_reports(rule="appeals.total", format="2019")
