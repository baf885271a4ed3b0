"""The layers of the package, enforced: who may import whom.

The package is built in layers (``docs/architecture.md``)::

    gipreport (the public front door), form, layout, examples, strategies
      _cli          the command line: may import everything; nothing imports it
      _checking     the checks       \
      _rendering    the renderers     > each imports _core only, never one another,
      _reading      the readers      /  but the readers use the form's printed grid
      _core         the form, the model, errors, findings, totals, JSON: imports nothing above

Every ``import`` statement of every module under ``src/gipreport`` is read with
:mod:`ast` (at any depth: a deferred import inside a function counts too) and
checked against :data:`ALLOWED`. :func:`test_a_lower_layer_importing_an_upper_one_is_caught`
shows the check failing on a module that breaks the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "gipreport"

LAYERS = ("_core", "_checking", "_rendering", "_reading", "_cli")
"""The private subpackages, each a layer."""

ALLOWED: dict[str, frozenset[str]] = {
    "_core": frozenset({"_core"}),
    "_checking": frozenset({"_core", "_checking"}),
    "_rendering": frozenset({"_core", "_rendering"}),
    # The readers find a table's header rows in the grid the form is printed in,
    # the one the renderers draw (:func:`gipreport.layout.table_layout`).
    "_reading": frozenset({"_core", "_reading", "_rendering.layout"}),
    "_cli": frozenset({*LAYERS, "<public>"}),
}
"""What the modules of each layer may import from gipreport: a layer, or one module of one
(``_rendering.layout``); ``<public>`` is gipreport itself, ``gipreport.form`` and the other
public modules."""

PUBLIC_MODULES = frozenset({"form", "layout", "examples", "strategies"})

ALSO_ALLOWED: dict[str, frozenset[str]] = {
    # A corpus is files to read as well as reports to check: the corpus pipeline
    # (tidy tables, data frames, Dask) reads with the readers, and nothing else
    # in the checking package does.
    "gipreport._checking.corpus": frozenset({"_reading"}),
    "gipreport._checking.cluster": frozenset({"_reading"}),
}
"""Modules allowed one more layer than their own (``docs/architecture.md``)."""


def _layer(module: str) -> str:
    """Return the layer of ``module`` (a gipreport module), or ``<public>``."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in PUBLIC_MODULES:
        return "<public>"
    return parts[1]


def _allowed(layer: str, module: str) -> bool:
    target = _layer(module)
    if target in ALLOWED[layer]:
        return True
    return ".".join(module.split(".")[1:3]) in ALLOWED[layer]


def imported(source: str, module: str) -> list[tuple[int, str]]:
    """Return ``(line, module)`` for every gipreport module that ``source`` imports."""
    found: list[tuple[int, str]] = []
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # a relative import: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target == "gipreport":  # from gipreport import X: X may be a module
                found += [(node.lineno, f"gipreport.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, target))
    return sorted((line, name) for line, name in found if name.split(".")[0] == "gipreport")


def violations(source: str, module: str) -> list[str]:
    """Return what ``source`` (the text of ``module``) imports against :data:`ALLOWED`."""
    layer = module.split(".")[1] if module.count(".") else None
    out: list[str] = []
    for line, name in imported(source, module):
        target = _layer(name)
        if layer in ALLOWED:
            if not _allowed(layer, name) and target not in ALSO_ALLOWED.get(module, ()):
                out.append(f"{module}:{line} imports {name} ({layer} may not import {target})")
        elif target == "_cli" and module != "gipreport.__main__":
            out.append(f"{module}:{line} imports {name} (only the command line imports _cli)")
    return out


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((".".join(parts), path))
    return out


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_imports_follow_the_layers(module: str, path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8"), module) == []


def test_a_lower_layer_importing_an_upper_one_is_caught() -> None:
    # The model importing the checks, a reader importing a renderer, and the form
    # importing the CLI (even inside a function) are each reported.
    source = (
        "from gipreport._checking.checks import check\n"
        "import gipreport._rendering.to_html\n"
        "def f():\n"
        "    from gipreport._cli import app\n"
        "from gipreport import strategies\n"
    )
    assert violations(source, "gipreport._core.model") == [
        "gipreport._core.model:1 imports gipreport._checking.checks"
        " (_core may not import _checking)",
        "gipreport._core.model:2 imports gipreport._rendering.to_html"
        " (_core may not import _rendering)",
        "gipreport._core.model:4 imports gipreport._cli (_core may not import _cli)",
        "gipreport._core.model:5 imports gipreport.strategies (_core may not import <public>)",
    ]
    assert violations("from gipreport._rendering import to_html\n", "gipreport._reading.tables")
    assert not violations(
        "from gipreport._rendering.layout import table_layout\n", "gipreport._reading.tables"
    )
    assert violations("from .._cli import app\n", "gipreport._reading.from_text") == [
        "gipreport._reading.from_text:1 imports gipreport._cli (_reading may not import _cli)"
    ]
    assert violations("from gipreport._cli import app\n", "gipreport.strategies")
    assert not violations("from gipreport._core.model import Report\n", "gipreport._cli.app")
    # Only the corpus modules of the checks may read; the rules may not.
    reading = "from gipreport._reading.files import read_report\n"
    assert not violations(reading, "gipreport._checking.corpus")
    assert violations(reading, "gipreport._checking.rules")
    assert violations("from gipreport._rendering import to_html\n", "gipreport._checking.corpus")


def test_the_top_level_stays_small() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(entries) <= 12, entries


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_owns_and_may_import(layer: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text("utf-8")))
    assert doc is not None
    assert "Owns" in doc
    assert "import" in doc
    for path in (PACKAGE / layer).glob("*.py"):
        if path.stem != "__init__":
            assert f":mod:`.{path.stem}`" in doc, path.name
