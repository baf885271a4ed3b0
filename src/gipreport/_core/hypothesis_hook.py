"""Hypothesis's entry point: ``st.from_type(gipreport.Report)`` and friends.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported, because
gipreport names it in the ``hypothesis`` entry-point group. Importing
Hypothesis must not import gipreport (a project that tests something else
would pay for it), so the hook registers the model's types only if
:mod:`gipreport._core.model` is already imported; otherwise the model module
calls :func:`register` itself when it is imported, if Hypothesis is by then.
Either way, the strategies are resolved late: they import
``gipreport.strategies`` only when first drawn from. This module imports nothing of gipreport.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Final

__all__ = ["register"]

MODEL: Final = "gipreport._core.model"

# The model's classes, and the function of gipreport.strategies that draws each.
_STRATEGIES: Final = {
    "Report": "reports",
    "Columns": "columns",
    "Outcomes": "outcomes",
    "Prose": "prose",
    "Fees": "fees",
}

_registered = False


def register() -> None:
    """Register gipreport's strategies for the model's types with Hypothesis (once)."""
    global _registered  # noqa: PLW0603 - a register-once flag
    if _registered:
        return
    _registered = True
    from hypothesis import strategies as st  # noqa: PLC0415 - only when Hypothesis is there

    model = sys.modules[MODEL]

    def resolver(name: str) -> Any:
        # A function of the type, called by st.from_type when it is drawn from: a
        # strategy given at once would be checked for emptiness here, importing
        # gipreport.strategies while it may be importing this (a circular import).
        def resolve(_type: type) -> Any:
            return getattr(importlib.import_module("gipreport.strategies"), name)()

        return resolve

    for cls, name in _STRATEGIES.items():
        st.register_type_strategy(getattr(model, cls), resolver(name))


def _hypothesis_setup_hook() -> None:
    """Register the strategies now if the model is imported (else the model will)."""
    if MODEL in sys.modules:
        register()
