"""``gipreport schema`` and ``gipreport rules``: the JSON Schema and the rule catalogue."""

from __future__ import annotations

import argparse

from gipreport._checking.rules import rules
from gipreport._cli.check import _json_text
from gipreport._cli.common import EXIT_OK, _Console, _selectors, _UsageError
from gipreport._core.jsonio import json_schema

# --- schema and rules -----------------------------------------------------------------------


def _cmd_schema(args: argparse.Namespace, console: _Console) -> int:
    del args
    console.out.write(_json_text(json_schema()))
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace, console: _Console) -> int:
    try:
        chosen = rules(select=_selectors(args.select), skip=_selectors(args.skip))
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    if args.format == "json":
        listed = [
            {
                "id": rule.id,
                "severity": rule.severity,
                "scope": rule.scope,
                "description_zh": rule.description_zh,
                "description_en": rule.description_en,
                "formula": rule.formula,
                "basis": rule.basis,
            }
            for rule in chosen
        ]
        console.out.write(_json_text(listed))
        return EXIT_OK
    width = max((len(rule.id) for rule in chosen), default=0)
    for rule in chosen:
        console.print(
            f"{rule.id:<{width}}  {rule.severity:<7}  {rule.scope:<6}  {rule.description_en}",
            f"{'':<{width}}  {'':<7}  {'':<6}  {rule.description_zh}",
        )
    return EXIT_OK
