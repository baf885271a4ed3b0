"""Hypothesis's entry point: ``st.from_type(gipreport.Report)`` and friends.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported, because
gipreport names it in the ``hypothesis`` entry-point group. The hook runs while
Hypothesis itself is being imported — possibly because ``gipreport.strategies``
is importing it — so it registers deferred strategies that import
``gipreport.strategies`` only when first drawn from.
"""

from __future__ import annotations

import importlib
from typing import Any

from gipreport._core.model import Columns, Fees, Outcomes, Prose, Report

# The model's types, and the function of gipreport.strategies that draws each.
_STRATEGIES: dict[type, str] = {
    Report: "reports",
    Columns: "columns",
    Outcomes: "outcomes",
    Prose: "prose",
    Fees: "fees",
}


def _hypothesis_setup_hook() -> None:
    """Register gipreport's strategies for the model's types with Hypothesis."""
    from hypothesis import strategies as st  # noqa: PLC0415 - only when Hypothesis asks

    def deferred(name: str) -> Any:
        def build() -> Any:
            return getattr(importlib.import_module("gipreport.strategies"), name)()

        return st.deferred(build)

    for cls, name in _STRATEGIES.items():
        st.register_type_strategy(cls, deferred(name))
