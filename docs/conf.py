"""Sphinx configuration of the gipreport documentation.

Build with ``sphinx-build -W --keep-going -b html docs docs/_build/html``.
Pages under ``generated/`` are written at build time by ``_ext/gipreport_docs.py``.
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# The source tree, so the docs describe the checkout even where gipreport is not
# installed; and the local extension.
for directory in (ROOT / "src", DOCS / "_ext"):
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))

with (ROOT / "pyproject.toml").open("rb") as pyproject:
    _project = tomllib.load(pyproject)["project"]

project = _project["name"]
author = _project["authors"][0]["name"]
copyright = author
release = importlib.import_module("gipreport").__version__  # [tool.hatch.version] reads it there
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "gipreport_docs",
]

root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = "en"
# Labels are quoted exactly as the form prints them; never rewrite quotes or dashes.
smartquotes = False

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}

html_theme = "alabaster"
html_title = f"gipreport {release}"
html_static_path: list[str] = []
