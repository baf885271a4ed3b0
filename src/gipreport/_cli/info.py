"""``gipreport schema`` and ``gipreport rules``: the JSON Schema and the rule catalogue."""

from __future__ import annotations

import argparse

from gipreport._checking.rules import rules
from gipreport._cli.check import _json_text
from gipreport._cli.common import EXIT_OK, _Console, _selectors, _UsageError
from gipreport._core.form import FORMATS
from gipreport._core.jsonio import json_schema

# --- schema and rules -----------------------------------------------------------------------


def _cmd_schema(args: argparse.Namespace, console: _Console) -> int:
    console.out.write(_json_text(json_schema(args.format)))
    return EXIT_OK


def _rules_options(given: list[str] | None) -> tuple[str, str | None]:
    # --format names the output (text, json) and/or the national format (2019, 2021).
    outputs = [value for value in given or () if value in ("text", "json")]
    forms = [value for value in given or () if value not in ("text", "json")]
    if len(outputs) > 1 or len(forms) > 1:
        msg = "--format: give at most one output (text, json) and one national format (2019, 2021)"
        raise _UsageError(msg)
    return (outputs or ["text"])[0], (forms[0] if forms else None)


def _cmd_rules(args: argparse.Namespace, console: _Console) -> int:
    output, format_id = _rules_options(args.format)
    try:
        chosen = rules(select=_selectors(args.select), skip=_selectors(args.skip), format=format_id)
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    if output == "json":
        listed = [
            {
                "id": rule.id,
                "severity": rule.severity,
                "scope": rule.scope,
                "description_zh": rule.description_zh,
                "description_en": rule.description_en,
                "formula": rule.formula,
                "basis": rule.basis,
                "formats": list(rule.formats or FORMATS),
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
