"""Documentation pages generated from gipreport's own data, and API cross-references.

Every page in :data:`PAGES` is a function returning Markdown, written to
``docs/generated/`` when the builder starts, so a generated page is never typed by
hand and cannot drift from the code. To add a page (the rule catalogue, …), write
a function returning its Markdown and add it to :data:`PAGES`.

Generation is deterministic: the same code gives the same bytes, and a file is
rewritten only when its text changes, so Sphinx rereads only what changed.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import attrs
from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docstrings import prepare_docstring
from sphinx.util.typing import ExtensionMetadata

import gipreport
from gipreport._checking.rules import catalogue_markdown
from gipreport._core.jsonio import TEXT_PATTERN
from gipreport.form import FORM_2019, FORM_2021, FormSpec, Row

logger = logging.getLogger(__name__)

GENERATED_DIR: Final = "generated"
"""Where generated pages go, relative to the documentation source directory."""


# --- Markdown ---------------------------------------------------------------------------

# Characters with a meaning in MyST inline text or in a table row. CommonMark lets
# any ASCII punctuation be backslash-escaped, so escaping these is always safe.
_INLINE_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]<>|#!$&~])")


def _text(value: str) -> str:
    """Return ``value`` as literal Markdown inline text."""
    return _INLINE_SPECIAL.sub(r"\\\1", value)


def _code(value: str) -> str:
    """Return ``value`` as a Markdown code span."""
    if "`" in value or "|" in value:
        msg = f"cannot write {value!r} as a code span in a table"
        raise ValueError(msg)
    return f"`{value}`"


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Return the lines of a Markdown table whose cells are already Markdown."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


# --- the JSON Schema, walked ------------------------------------------------------------

_INDEXES: Final = "ijk"
"""Index names for arrays in a path, by depth: ``subsections[i].paragraphs[j]``."""

CELL_TYPES: Final = ("count", "signed", "amount")
"""The ``$defs`` of the schema that hold a table cell, named as the form's value kinds."""


@attrs.frozen(kw_only=True)
class Entry:
    """One path of the document: its schema node and the titles of the nodes above it."""

    path: str
    titles: tuple[str, ...]
    node: Mapping[str, Any]

    @property
    def label(self) -> str:
        """Return the Chinese label: the titles from the top of the document, joined."""
        return " · ".join(self.titles)


@attrs.frozen
class _Schema:
    """A JSON Schema document and what the glossary reads from it."""

    document: Mapping[str, Any]
    anchor: str = "glossary"

    def entries(self) -> tuple[Entry, ...]:
        """Return every path of the document, in document order."""
        return tuple(self._walk(self.document, "", ()))[1:]  # the root has no path

    def _walk(self, node: Mapping[str, Any], path: str, titles: tuple[str, ...]) -> Iterator[Entry]:
        yield Entry(path=path, titles=titles, node=node)
        resolved = self.resolve(node)
        for key, sub in resolved.get("properties", {}).items():
            yield from self._walk(sub, f"{path}.{key}" if path else key, (*titles, sub["title"]))
        if "items" in resolved:
            index = _INDEXES[path.count("[")]
            yield from self._walk(resolved["items"], f"{path}[{index}]", titles)

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """Return ``node`` with its ``$ref`` replaced by the definition it names."""
        ref = node.get("$ref")
        if ref is None:
            return node
        definition = self.document["$defs"][ref.removeprefix("#/$defs/")]
        return {**definition, **{k: v for k, v in node.items() if k != "$ref"}}

    def type_words(self, node: Mapping[str, Any]) -> str:
        """Return the JSON type of ``node`` in words, as Markdown."""
        ref = node.get("$ref", "").removeprefix("#/$defs/")
        if ref in CELL_TYPES:
            return f"{{ref}}`{ref} <{self.anchor}-cell-types>`"
        node = self.resolve(node)
        if "const" in node:
            return _code(json.dumps(node["const"], ensure_ascii=False))
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        (main,) = (t for t in types if t != "null")
        if main == "string" and node.get("format") == "date":
            words = "date string `YYYY-MM-DD`"
        elif main == "string" and node.get("pattern") == TEXT_PATTERN:
            words = "one line of text, not blank, no space at its ends"
        elif main == "integer" and {"minimum", "maximum"} <= node.keys():
            words = f"integer {node['minimum']}–{node['maximum']}"
        elif main == "array" and node["items"].get("type") in {"string", "object"}:
            words = f"array of {node['items']['type']}s"
        elif main in {"string", "object"} and "pattern" not in node:
            words = main
        else:
            msg = f"the glossary cannot describe the schema node {node!r}; teach _Schema.type_words"
            raise ValueError(msg)
        return f"{words}, or `null`" if "null" in types else words


# --- the field glossary -----------------------------------------------------------------

_PROSE_MEANINGS: Final = {
    "": "the section: paragraphs, then sub-headings with theirs",
    "paragraphs": "paragraphs before any sub-heading",
    "paragraphs[]": "one paragraph, its text exactly as written",
    "subsections": "the sub-headings, in order",
    "subsections[]": "one sub-heading and the paragraphs under it",
    "subsections[].heading": (
        "the sub-heading without its numbering: 主动公开情况, not （1）主动公开情况"
    ),
    "subsections[].paragraphs": "the paragraphs under the sub-heading",
    "subsections[].paragraphs[]": "one paragraph, its text exactly as written",
}
"""What each key of a prose section means, relative to the section (``[]`` for an index).

The form describes header fields but not the parts of prose; a key missing here
stops the build, so a new key cannot go undocumented.
"""

_DOCUMENT_MEANINGS: Final = {"schema": "the document version"}
"""What the document's own keys (not header fields of the form) mean."""

_CELL_TYPE_WORDS: Final = {
    "count": "JSON integer ≥ 0, or `null` for a blank cell (a blank is never 0)",
    "signed": "JSON integer, negative allowed (本年增/减: `+3` is `3`, `-2` is `-2`),"
    " or `null` for a blank cell",
    "amount": 'decimal as a JSON string such as `"18.8710"`, digits kept exactly'
    " (a JSON number is accepted on load), or `null` for a blank cell",
}


def _header_meaning(form: FormSpec, path: str) -> str:
    for field in form.header_fields:
        if field.key == path:
            return field.description
    try:
        return _DOCUMENT_MEANINGS[path]
    except KeyError:
        msg = f"the glossary has no meaning for {path!r}: add it to _DOCUMENT_MEANINGS"
        raise KeyError(msg) from None


def _prose_meaning(section_key: str, path: str) -> str:
    key = re.sub(r"\[[a-z]\]", "[]", path.removeprefix(section_key).removeprefix("."))
    try:
        return _PROSE_MEANINGS[key]
    except KeyError:
        msg = f"the glossary has no meaning for {path!r}: add {key!r} to _PROSE_MEANINGS"
        raise KeyError(msg) from None


def _row_labels(rows: tuple[Row, ...], prefix: str, above: str = "") -> dict[str, str]:
    """Return ``{path: label}`` for every row with a path, labelled as cells are.

    A layout-only group (an article block of table 2) has no path of its own, and,
    as in :attr:`CellSpec.label`, its label is not part of the labels below it.
    """
    labels: dict[str, str] = {}
    for row in rows:
        label = above if row.layout_only else above + row.label
        path = prefix if row.layout_only else f"{prefix}.{row.key}"
        if not row.layout_only:
            labels[path] = label
        labels.update(_row_labels(row.children, path, label))
    return labels


def _is_under(path: str, key: str) -> bool:
    return path == key or path.startswith((f"{key}.", f"{key}["))


def glossary_page(form: FormSpec = FORM_2021, anchor: str = "glossary") -> str:
    """Return the field glossary: every path of a JSON document of ``form``, grouped.

    Paths, labels and types come from :func:`gipreport.json_schema`; the cells of
    each table, with their labels, kinds and units, come from the form, and the
    two are checked to list the same cells. ``anchor`` prefixes the page's labels
    (one page per format).
    """
    schema = _Schema(gipreport.json_schema(form.id), anchor)
    entries = schema.entries()
    section_keys = {section.key for section in form.sections}

    lines = [
        "% Generated by docs/_ext/gipreport_docs.py from gipreport.form; do not edit.",
        "",
        f"({anchor})=",
        f"# Field glossary{'' if form is FORM_2021 else f' (format {form.id})'}",
        "",
        f"Every key of a JSON document (version 1) in format {_code(form.id)},",
        f"{_text(form.instrument)}: its path, its Chinese label, its JSON type",
        f"and, for a table cell, its unit. Generated from {{data}}`gipreport.form.FORM_{form.id}`",
        "and {func}`gipreport.json_schema`. In a path, `[i]` and `[j]` stand for array",
        "indexes; an error names the actual index, as in `overview.subsections[2].paragraphs[0]`.",
        "",
        f"({anchor}-cell-types)=",
        "## Cell types",
        "",
    ]
    units: dict[str, list[str]] = {}
    for cell in form.cells:
        found = units.setdefault(cell.kind, [])
        if cell.unit not in found:
            found.append(cell.unit)
    lines += _table(
        ("Type", "Value", "Unit"),
        [
            (kind, _CELL_TYPE_WORDS[kind], ", ".join(units[kind]))
            for kind in CELL_TYPES
            if kind in units
        ],
    )

    header = [e for e in entries if "." not in e.path and "[" not in e.path]
    rows = [
        (
            _code(e.path),
            _text(e.label),
            schema.type_words(e.node),
            _text(_header_meaning(form, e.path)),
        )
        for e in header
        if e.path not in section_keys
    ]
    lines += ["", f"({anchor}-header)=", "## Document header", ""]
    lines += _table(("Path", "Label", "Type", "Meaning"), rows)

    for section in form.sections:
        below = [e for e in entries if _is_under(e.path, section.key)]
        lines += ["", f"({anchor}-{section.key})=", f"## {_text(section.heading)}", ""]
        if section.kind == "prose":
            lines += [f"Key {_code(section.key)}: prose.", ""]
            rows = [
                (
                    _code(e.path),
                    _text(e.label),
                    schema.type_words(e.node),
                    _text(_prose_meaning(section.key, e.path)),
                )
                for e in below
            ]
            lines += _table(("Path", "Label", "Type", "Meaning"), rows)
            continue
        table = form.table(section.key)
        cells = [cell for cell in form.cells if cell.table == table.key]
        leaves = [e.path for e in below if "properties" not in schema.resolve(e.node)]
        if leaves != [cell.path for cell in cells]:
            msg = f"table {table.key}: the JSON Schema's cells differ from the form's"
            raise ValueError(msg)
        row_labels = {table.key: section.heading, **_row_labels(table.rows, table.key)}
        lines += [
            f"Key {_code(table.key)}: table {table.arabic_number} ({table.number}、{table.title}),"
            f" {len(cells)} cells.",
            "",
        ]
        rows = []
        for entry in below:
            if form.has_cell(entry.path):
                cell = form.cell(entry.path)
                kind = f"{{ref}}`{cell.kind} <{anchor}-cell-types>`"
                rows.append((_code(cell.path), _text(cell.label), kind, cell.unit))
            else:
                label = _text(row_labels[entry.path])
                rows.append((_code(entry.path), label, schema.type_words(entry.node), ""))
        lines += _table(("Path", "Label", "Type", "Unit"), rows)
    return "\n".join(lines) + "\n"


# --- the notes of reading ---------------------------------------------------------------


def notes_page() -> str:
    """Return the catalogue of parse notes: every code of :data:`gipreport.NOTE_CODES`."""
    lines = [
        "(notes)=",
        "# Notes on reading a report",
        "",
        "{func}`gipreport.read` gives each thing in a published report that it reads",
        "otherwise than as the form prints it, or cannot read, as a",
        "{class}`~gipreport.ParseNote`. Its `code` is one of these, with its severity",
        "(the list is generated from {data}`gipreport.NOTE_CODES` and",
        "{data}`gipreport.NOTE_SEVERITIES`): `error` — a table of the form was lost, and",
        "`gipreport check` fails the report (`tables.missing`); `warning` — a value or a",
        "text was not read as printed; `info` — read, but printed otherwise than the form",
        "prints it.",
        "",
    ]
    rows = [
        (_code(code), gipreport.NOTE_SEVERITIES[code], meaning)
        for code, meaning in gipreport.NOTE_CODES.items()
    ]
    lines += _table(("Code", "Severity", "Meaning"), rows)
    return "\n".join(lines) + "\n"


def problems_page() -> str:
    """Return the catalogue of load problems: every code of :data:`gipreport.PROBLEM_TYPES`."""
    lines = [
        "(problems)=",
        "# Problems in a document",
        "",
        "A {class}`~gipreport.LoadError` lists every problem found in a document, each a",
        "{class}`~gipreport.Problem` with a `path`, a `message`, the offending `input`",
        "(cut short), `line` and `column` for a JSON syntax error, and a `type`: a stable",
        "code to branch on, one of these (the list is generated from",
        "{data}`gipreport.PROBLEM_TYPES`). `gipreport check --format json` gives the same",
        "codes for each file's `problems`.",
        "",
    ]
    rows = [(_code(code), meaning) for code, meaning in gipreport.PROBLEM_TYPES.items()]
    lines += _table(("Type", "Meaning"), rows)
    return "\n".join(lines) + "\n"


# --- writing generated pages ------------------------------------------------------------

PAGES: Final[Mapping[str, Callable[[], str]]] = {
    "glossary.md": glossary_page,
    "glossary-2019.md": lambda: glossary_page(FORM_2019, "glossary-2019"),
    "rules.md": catalogue_markdown,
    "notes.md": notes_page,
    "problems.md": problems_page,
}
"""Generated pages: file name under ``docs/generated/`` → function returning its Markdown."""


def write_pages(app: Sphinx) -> None:
    """Write every page of :data:`PAGES`; remove generated pages no longer listed."""
    directory = Path(app.srcdir) / GENERATED_DIR
    directory.mkdir(exist_ok=True)
    for stale in sorted(directory.glob("*.md")):
        if stale.name not in PAGES:
            stale.unlink()
    for name, generate in PAGES.items():
        path = directory / name
        text = generate()
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")


# --- the API pages: public names, documented where they are defined -----------------------

_PRIVATE: Final = re.compile(r"gipreport\._[a-z]+(?P<rest>\..+)?")


def _public_modules() -> tuple[str, ...]:
    """Return ``gipreport`` and every public module it exports (``gipreport.form``, …)."""
    exported = (getattr(gipreport, name) for name in gipreport.__all__)
    return ("gipreport", *(m.__name__ for m in exported if isinstance(m, ModuleType)))


_MISSING: Final = object()


def _defining_docs(name: str, value: object) -> list[str] | None:
    """Return the docstring of module-level data ``name`` where it is defined, if any.

    A name re-exported by a public module (``gipreport.form.FORM_2021``) keeps its
    docstring in the private module that defines it (``gipreport._core.form``), where
    autodoc does not look. That module is loaded: the public one imported from it.
    """
    for module_name, module in sorted(sys.modules.items()):
        if not _PRIVATE.fullmatch(module_name) or getattr(module, name, _MISSING) is not value:
            continue
        docs = ModuleAnalyzer.for_module(module_name).find_attr_docs().get(("", name))
        if docs:
            return list(docs)
    return None


def document_reexported_data(  # noqa: PLR0917 - Sphinx passes event arguments by position
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Give re-exported data the docstring it has where it is defined.

    Data with no docstring of its own would otherwise show the docstring of its
    type (``str``'s, or that of a union type), which says nothing about it.
    """
    if what != "data" or not name.startswith("gipreport."):
        return
    docs = _defining_docs(name.rpartition(".")[2], obj)
    if docs is not None:
        lines[:] = docs
    elif lines == prepare_docstring(type(obj).__doc__ or ""):
        lines.clear()


def attrs_signature(  # noqa: PLR0917 - Sphinx passes event arguments by position
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str, str | None] | None:
    """Show an attrs class's factory defaults as ``Prose()``, not attrs's ``NOTHING``."""
    if what not in {"class", "exception"} or not isinstance(obj, type) or not attrs.has(obj):
        return None
    params: list[str] = []
    for field in attrs.fields(obj):
        if not field.init:
            continue
        if field.kw_only and "*" not in params:
            params.append("*")
        default = field.default
        if default is attrs.NOTHING:
            params.append(field.alias)
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            factory = default.factory
            shown = repr(factory()) if factory in {tuple, list, dict} else f"{factory.__name__}()"
            params.append(f"{field.alias}={shown}")
        else:
            params.append(f"{field.alias}={default!r}")
    return f"({', '.join(params)})", return_annotation


def check_api_coverage(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about every public name that no API page documents."""
    domain = env.domains.python_domain
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in module.__all__:
            target = f"{module_name}.{name}"
            if target not in domain.objects:
                logger.warning("public name %s is not in the API reference (api.md)", target)


def resolve_private(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.reference | None:
    """Resolve ``gipreport._core.model.Report`` (as type hints name it) to ``gipreport.Report``.

    Implementation modules are private; the API page documents each name where the
    public API exports it, so a reference to the private name is sent there.
    """
    if node.get("refdomain") != "py":
        return None
    match = _PRIVATE.fullmatch(node.get("reftarget", ""))
    if match is None:
        return None
    domain = env.domains.python_domain
    if match["rest"]:
        candidates = [f"{module}{match['rest']}" for module in _public_modules()]
    else:  # the module itself: gipreport._core.form is documented as gipreport.form
        candidates = [node["reftarget"].replace("gipreport._", "gipreport.", 1)]
    for target in candidates:
        if target in domain.objects:
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], target, node, contnode
            )
    return None


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the page generator and the API helpers."""
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("builder-inited", write_pages)
    app.connect("autodoc-process-docstring", document_reexported_data)
    app.connect("autodoc-process-signature", attrs_signature)
    app.connect("env-check-consistency", check_api_coverage)
    app.connect("missing-reference", resolve_private)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
