"""The public front door: a pinned __all__, a light import, typed package."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from importlib import resources

import gipreport


def _isort_style(name: str) -> tuple[int, str]:
    if name.isupper():
        return 0, name
    return (1 if name[0].isupper() else 2), name


EXPECTED_ALL = [
    "EXPORT_COLUMNS",
    "INDICATORS",
    "NOTE_CODES",
    "NOTE_SEVERITIES",
    "PROBLEM_TYPES",
    "TABLES",
    "Appeals",
    "BadTextError",
    "Cell",
    "CellRow",
    "CellValue",
    "CheckResult",
    "Columns",
    "Decisions",
    "DisclosedDocuments",
    "DocumentCounts",
    "DocxOptions",
    "FeeItems",
    "Fees",
    "Finding",
    "FindingError",
    "FindingRow",
    "FunctionRenderer",
    "GipReportError",
    "HtmlOptions",
    "Indicator",
    "IndicatorRow",
    "IndicatorValue",
    "InputFormat",
    "InvalidReportError",
    "InvalidValueError",
    "Item",
    "ItemCounts",
    "LoadError",
    "NotProcessed",
    "NoteCode",
    "NoteRow",
    "NoteSeverity",
    "OrganKind",
    "OtherResults",
    "Outcomes",
    "ParseError",
    "ParseNote",
    "ParseResult",
    "PartialReadError",
    "PartialReading",
    "Passed",
    "Proactive",
    "Proactive2019",
    "Problem",
    "Procurement",
    "Prose",
    "RenderError",
    "Renderer",
    "Report",
    "ReportRow",
    "Requests",
    "Requests2019",
    "Results",
    "Results2019",
    "Rule",
    "RuleContext",
    "RuleCounts",
    "Severity",
    "SourceKind",
    "Status",
    "Subsection",
    "Suspect",
    "TableField",
    "TableSchema",
    "TextOptions",
    "Unavailable",
    "Where",
    "Withheld",
    "__version__",
    "blank_report",
    "check",
    "check_series",
    "dask_tables",
    "dask_write_parquet",
    "derive_totals",
    "detect_format",
    "dump_json",
    "examples",
    "export_rows",
    "form",
    "frames",
    "from_dict",
    "guard_formula",
    "json_schema",
    "layout",
    "load_json",
    "make_converter",
    "organ_kind",
    "read",
    "read_docx",
    "read_html",
    "read_markdown",
    "read_pdf",
    "read_text",
    "read_xlsx",
    "rebuild_reports",
    "register_renderer",
    "render",
    "render_docx",
    "render_html",
    "render_text",
    "renderers",
    "rules",
    "sum_reports",
    "tidy_rows",
    "tidy_tables",
    "to_dict",
    "unregister_renderer",
    "write_tables",
]


def test_all_is_pinned_and_sorted() -> None:
    assert gipreport.__all__ == EXPECTED_ALL
    # Sorted as ruff's RUF022 sorts (isort style): constants, then classes, then the rest.
    assert gipreport.__all__ == sorted(gipreport.__all__, key=_isort_style)


def test_every_public_name_exists() -> None:
    for name in gipreport.__all__:
        assert hasattr(gipreport, name), name


def test_import_is_light() -> None:
    code = (
        "import sys, gipreport; "
        "heavy = [m for m in ('docx', 'hypothesis', 'lxml', 'jsonschema', 'pdfplumber', "
        "'pdfminer', 'cattrs', 'attr', 'inspect', 'platform', 'argparse') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == ""


def test_loading_and_checking_a_valid_report_imports_no_converter() -> None:
    # cattrs (and difflib, for "did you mean") serve make_converter, to_dict and the
    # error path of load_json; a valid document is loaded, checked and dumped without.
    code = (
        "import sys, gipreport\n"
        "text = gipreport.examples.mingan_2023_json()\n"
        "report = gipreport.load_json(text)\n"
        "assert not gipreport.check(report).errors\n"
        "assert gipreport.dump_json(report) == text\n"
        "print(sorted(m for m in ('cattrs', 'difflib', 'typing_extensions')"
        " if m in sys.modules))\n"
    )
    assert _run(code) == "[]"
    # ... and an invalid one still gets every problem (through the converter).
    code = (
        "import sys, gipreport\n"
        "try:\n"
        '    gipreport.load_json(\'{"schema": "gipreport/1", "organ": 1}\')\n'
        "except gipreport.LoadError as error:\n"
        "    print(sorted({problem.type for problem in error.problems}))\n"
    )
    assert _run(code) == "['key_missing', 'text_type']"


def test_loading_and_checking_import_only_their_modules() -> None:
    # What a load and a check of a valid report import of gipreport: the model, the
    # JSON reader and the checks, not the indicators, tables, readers or renderers.
    code = (
        "import sys, gipreport\n"
        "gipreport.check(gipreport.load_json(gipreport.examples.mingan_2023_json()))\n"
        "print(sorted(m for m in sys.modules if m.startswith('gipreport.')))\n"
    )
    core = ("errors", "findings", "form", "jsonio", "limits", "model", "values")
    checking = ("arithmetic", "checks", "narrative", "organs", "rules")
    expected = [
        "gipreport._checking",
        *(f"gipreport._checking.{name}" for name in checking),
        "gipreport._core",
        *(f"gipreport._core.{name}" for name in core),
        "gipreport.examples",
    ]
    assert _run(code) == str(sorted(expected))


def test_package_is_typed() -> None:
    assert (resources.files("gipreport") / "py.typed").is_file()


def test_errors_share_one_root_and_a_builtin() -> None:
    assert issubclass(gipreport.LoadError, gipreport.GipReportError)
    assert issubclass(gipreport.LoadError, ValueError)
    assert issubclass(gipreport.InvalidValueError, gipreport.GipReportError)
    assert issubclass(gipreport.InvalidValueError, ValueError)
    assert issubclass(gipreport.InvalidReportError, gipreport.GipReportError)
    assert issubclass(gipreport.InvalidReportError, ExceptionGroup)
    assert issubclass(gipreport.FindingError, gipreport.GipReportError)
    assert issubclass(gipreport.FindingError, ValueError)


def test_version_is_a_string() -> None:
    assert isinstance(gipreport.__version__, str)
    assert gipreport.__version__


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_import_imports_no_submodule() -> None:
    # PEP 562: each public name is imported when first used.
    code = "import sys, gipreport; print(sorted(m for m in sys.modules if m.startswith('gip')))"
    assert _run(code) == "['gipreport']"


def test_lazy_names_match_the_type_checkers_view() -> None:
    # What a type checker sees (the TYPE_CHECKING imports) is what is imported at run time.
    tree = ast.parse(inspect.getsource(gipreport))
    (block,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    seen: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            module = f"gipreport.{alias.name}" if node.module == "gipreport" else node.module
            assert module is not None
            seen[alias.name] = module
    assert seen == gipreport._LAZY
    assert set(gipreport.__all__) == {*seen, "__version__"}
    assert set(gipreport.__all__) <= set(dir(gipreport))


def test_public_errors_show_as_gipreport() -> None:
    for name in gipreport.__all__:
        value = getattr(gipreport, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert value.__module__ == "gipreport", name


def test_importing_hypothesis_does_not_import_gipreport() -> None:
    # Hypothesis loads gipreport's entry point (gipreport._core.hypothesis_hook) when
    # imported; the hook must not import the model, or every project would pay for it.
    code = (
        "import sys, hypothesis; print(sorted(m for m in sys.modules if m.startswith('gipreport')))"
    )
    assert _run(code) == "['gipreport', 'gipreport._core', 'gipreport._core.hypothesis_hook']"


def test_hypothesis_knows_the_model_whichever_is_imported_first() -> None:
    draw = (
        "import warnings; warnings.simplefilter('ignore'); "
        "from hypothesis import strategies as st; "
        "print(type(st.from_type(gipreport.Columns).example()).__name__)"
    )
    assert _run(f"import hypothesis, gipreport; {draw}") == "Columns"
    assert _run(f"import gipreport; gipreport.Report; import hypothesis; {draw}") == "Columns"
    # The strategies imported after Hypothesis: registering must not import them again.
    assert _run(f"import hypothesis, gipreport.strategies, gipreport; {draw}") == "Columns"


def test_strategies_without_hypothesis_name_the_extra() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import gipreport.strategies\n"
        "except ModuleNotFoundError as exc:\n    print(exc.name, '|', exc)\n"
    )
    out = _run(code)
    assert out.startswith("hypothesis | ")
    assert "'testing' extra" in out
