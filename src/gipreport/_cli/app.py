"""The command line: ``gipreport check | render | convert | schema | rules | new | demo | …``.

:func:`main` is the entry point of the ``gipreport`` console script and of
``python -m gipreport``; it returns the exit status instead of exiting, so tests
and other programs can call it. Exit status, for every command:

- 0: done, and no error finding;
- 1: ``check`` (or ``demo``) found error findings;
- 2: a usage error (an unknown option, a bad value), or an input error (a file
  that cannot be read or is not a valid report). When a batch has both input
  errors and error findings, 2 wins: some reports could not be checked at all.

Every command that reads reports reads gipreport JSON and published reports
(docx, HTML, text: :func:`gipreport.read`); what was odd in a published report
is a note, printed but never changing the exit status.

Batches (a directory, or several files) report a bad file and carry on with the
rest. Output files are written whole or not at all (:func:`_batch.atomic_file`).
Reference: ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import typing
from collections.abc import Callable, Sequence
from pathlib import Path

import gipreport
from gipreport._cli import batch as _batch
from gipreport._cli.common import (
    DEMO_DIR,
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_SOFTWARE,
    EXIT_USAGE,
    PROG,
    _Console,
    _positive,
    _UsageError,
)
from gipreport._core.form import FORM_2021, FORMATS
from gipreport._reading.source import InputFormat

TABLE_NAMES: typing.Final = ("cells", "findings", "notes", "indicators", "reports")
"""The tidy tables (:data:`gipreport.TABLES`), written out so that building the parser
imports neither :mod:`gipreport._core.tidy` nor the corpus tools (a test keeps them in step)."""

EXPORT_COLUMNS: typing.Final = (
    "file",
    "organ",
    "year",
    "format",
    "table",
    "row_path",
    "column",
    "row_label",
    "column_label",
    "unit",
    "value",
)
"""The columns of ``gipreport export`` (:data:`gipreport.EXPORT_COLUMNS`), written out as
:data:`TABLE_NAMES` is."""

Handler: typing.TypeAlias = Callable[[argparse.Namespace, _Console], int]


def _command(module: str, name: str) -> Handler:
    """Return a command's handler, its module imported only when the command runs.

    The parser names every command; a run imports one (``check`` does not import
    the renderers, nor ``render`` the checks): the start is the shorter for it.
    """

    def handler(args: argparse.Namespace, console: _Console) -> int:
        found: Handler = getattr(importlib.import_module(module), name)
        return found(args, console)

    handler.__qualname__ = handler.__name__ = name
    return handler


_cmd_check = _command("gipreport._cli.check", "_cmd_check")
_cmd_export = _command("gipreport._cli.data", "_cmd_export")
_cmd_sum = _command("gipreport._cli.data", "_cmd_sum")
_cmd_fill = _command("gipreport._cli.fill", "_cmd_fill")
_cmd_rules = _command("gipreport._cli.info", "_cmd_rules")
_cmd_schema = _command("gipreport._cli.info", "_cmd_schema")
_cmd_demo = _command("gipreport._cli.new", "_cmd_demo")
_cmd_new = _command("gipreport._cli.new", "_cmd_new")
_cmd_convert = _command("gipreport._cli.render", "_cmd_convert")
_cmd_render = _command("gipreport._cli.render", "_cmd_render")

SUBHEADING_STYLE_NAMES: typing.Final = (
    "chinese",
    "arabic",
    "arabic-spaced",
    "arabic-dot",
    "arabic-comma",
)
"""The names of :data:`gipreport.layout.SUBHEADING_STYLES`, written out so that building
the parser imports no renderer (a test keeps the two in step)."""

SUBHEADING_STYLE_HELP: typing.Final = (
    "how sub-headings are numbered: chinese （一） (the default, GB/T 9704), arabic （1）,"
    " arabic-spaced （1） with a space (gipreport's style before), arabic-dot 1., arabic-comma 1、"
)


def add_subheading_style(parser: argparse.ArgumentParser) -> None:
    """Add ``--subheading-style`` (html, text and docx) to ``parser``."""
    parser.add_argument(
        "--subheading-style",
        choices=SUBHEADING_STYLE_NAMES,
        metavar="STYLE",
        help=SUBHEADING_STYLE_HELP,
    )


# --- the parser -----------------------------------------------------------------------------


_DESCRIPTION = """\
gipreport: check, render, convert and add up 政府信息公开工作年度报告
(annual reports on government information disclosure) in the national format.

Start with: gipreport demo
"""

_EPILOG = """\
exit status: 0 done (no error findings); 1 error findings; 2 usage or input error
(an unreadable or invalid file), which wins over 1.
Reference: docs/cli.md
"""

_INPUTS = """\
inputs: gipreport JSON (.json), or published reports (.docx, .pdf, .html, .htm, .txt),
or the spreadsheet form (.xlsx)
read as gipreport.read does (.pdf needs gipreport[pdf]); a directory is walked for
all of these; - is standard input (its format told by its content, or by
--input-format).
"""

_CHECK_EPILOG = f"""\
{_INPUTS}
examples:
  gipreport check report.json
  gipreport check 2023年报.docx 2023年报.html  published reports, with their read notes
  gipreport check reports/ --quiet            only reports with findings
  gipreport check reports/ --format json > findings.json
  gipreport check reports/ --skip warning     errors only
  gipreport check 2021.json 2022.json 2023.json --series

read notes (what was odd in a published report) follow each report's findings,
counted by kind ("12 blank cells, 1 unknown row"; --verbose lists each), and are the
"notes" of each file in --format json; they never change the exit status.

exit status: 0 no error findings; 1 error findings; 2 usage or input error
(2 wins when some files could not be read or are not valid reports).
"""

_RENDER_EPILOG = f"""\
{_INPUTS}
examples:
  gipreport render report.json --to html -o report.html
  gipreport render report.json --to text
  gipreport render 2023年报.txt --to html -o 2023年报.html
  gipreport render reports/ --to docx -o word/

read notes (what was odd in a published report) go to stderr, counted by kind
(--verbose lists each), unless --quiet.
"""

_CONVERT_EPILOG = f"""\
{_INPUTS}
examples:
  gipreport convert 2023年报.docx -o 2023.json
  gipreport convert 2023年报.html              to stdout
  gipreport convert 2023年报.pdf -o 2023.json  notes say the page: "page 3"
  gipreport convert published/ -o json/        json/ mirrors published/, each file .json

read notes (what was odd in a published report: a blank cell, a label read as a
variant, a value that is not a number) go to stderr, counted by kind for each file
(--verbose: one line each, prefixed with the file's name), unless --quiet; they
never change the exit status.

exit status: 0 every input converted; 2 usage error, or some input could not be
read as a report (the others are still converted).
"""


def _batch_options(quiet_help: str) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help=f"worker processes for a batch (default: 1 for fewer than"
        f" {_batch.PARALLEL_DEFAULT_FROM:,} files, else the number of CPUs)",
    )
    parent.add_argument(
        "--input-format",
        choices=typing.get_args(InputFormat),
        help="read every input as this format, whatever its suffix (default: by suffix,"
        " and by content for - and published reports)",
    )
    parent.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="every read note on its own line, instead of their count by kind",
    )
    parent.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help=quiet_help,
    )
    return parent


def _selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--select",
        action="append",
        metavar="RULE",
        help="run only these rules: an ID, a group (requests) or a severity (error);"
        " repeat or separate with commas",
    )
    parser.add_argument(
        "--skip", action="append", metavar="RULE", help="do not run these rules (as --select)"
    )


def _header_options() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--organ",
        dest="header_organ",
        metavar="ORGAN",
        help="the organ of a published report (docx, HTML, text) that does not name it, or"
        " names it wrongly; used for every file read",
    )
    parser.add_argument(
        "--year",
        dest="header_year",
        type=int,
        metavar="YEAR",
        help="the year reported on, for a published report that does not state it",
    )
    return parser


def _new_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new_parser = commands.add_parser(
        "new",
        help="write a blank report document to fill in",
        description=(
            "Write a blank report: as JSON, every table cell 0 (or blank with --blank);"
            " as a Word document (--to docx), a spreadsheet (--to xlsx) or another"
            " rendered format, the official"
            " form with every value cell empty, to type the numbers into."
            " 总体情况 has its customary sub-headings, no paragraphs."
        ),
        epilog=(
            "examples:\n  gipreport new --organ 某某县人民政府 --year 2024 -o 2024.json\n"
            "  gipreport new --organ 某某县人民政府 --year 2024 --to docx -o 2024.docx\n"
            "  gipreport check 2024.docx\n"
            "  gipreport fill 2024.docx -o 2024-filled.docx\n"
            "  gipreport new --organ 某某县人民政府 --year 2024 --to xlsx -o 2024.xlsx"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new_parser.add_argument("--organ", required=True, help="the organ publishing the report")
    new_parser.add_argument("--year", required=True, type=int, help="the year reported on")
    new_parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default=FORM_2021.id,
        help="the national format of the tables (default: 2021; 2019 for the reports on 2019-2020)",
    )
    new_parser.add_argument(
        "--blank", action="store_true", help="leave every cell blank (null) instead of 0"
    )
    new_parser.add_argument(
        "--to",
        default="json",
        metavar="FORMAT",
        help="json (the default), docx (gipreport[docx]: the form to fill in in Word or WPS),"
        " xlsx (gipreport[xlsx]: the form as a spreadsheet, for Excel, WPS or LibreOffice),"
        " html or text",
    )
    add_subheading_style(new_parser)
    new_parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    new_parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    new_parser.set_defaults(handler=_cmd_new)


def _fill_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    fill_parser = commands.add_parser(
        "fill",
        parents=parents,
        help="write the totals a filled-in form implies (docx, xlsx, JSON, HTML, text)",
        description=(
            "Read a report (a form from gipreport new that staff typed the numbers into,"
            " or any report gipreport reads) and write it again with every total that"
            " was left blank computed from its parts. A number that was typed is never"
            " changed; a total with a blank part stays blank (a blank is not a zero)."
            " The output's format is told by the suffix of -o (.docx, .xlsx, .json, .html,"
            " .txt). The sub-headings are numbered as the input numbered them, unless"
            " --subheading-style is given."
        ),
        epilog=(
            "examples:\n  gipreport fill 2024.docx -o 2024-filled.docx\n"
            "  gipreport fill 2024.xlsx -o 2024-filled.xlsx"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fill_parser.add_argument("path", type=Path, metavar="FILE")
    fill_parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    fill_parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_subheading_style(fill_parser)
    fill_parser.set_defaults(handler=_cmd_fill)


def _export_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    batch: argparse.ArgumentParser,
    header: argparse.ArgumentParser,
) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    export_parser = commands.add_parser(
        "export",
        parents=[batch, header],
        help="write reports as tidy tables (CSV, JSON Lines, Parquet)",
        description=(
            "--csv OUT: one CSV row per cell of each report: "
            + ", ".join(EXPORT_COLUMNS)
            + ".\n--to FORMAT -o DIR: the tidy tables ("
            + ", ".join(TABLE_NAMES)
            + ") as one file each, with a datapackage.json describing them."
        ),
        epilog=(
            "examples:\n  gipreport export reports/ --csv cells.csv"
            "\n  gipreport export reports/ --to parquet -o tables/ --partition-by-year"
            "\n  gipreport export reports/ --to csv -o tables/ --tables cells,findings"
        ),
        formatter_class=raw,
    )
    export_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    where = export_parser.add_mutually_exclusive_group()
    where.add_argument("--csv", metavar="OUT", help="the CSV file of cells to write (- for stdout)")
    where.add_argument(
        "--to",
        choices=("csv", "jsonl", "parquet"),
        help="write the tidy tables in this format into -o DIR (parquet needs gipreport[parquet])",
    )
    export_parser.add_argument(
        "-o", "--output", type=Path, metavar="DIR", help="the directory of --to's tables"
    )
    export_parser.add_argument(
        "--tables",
        action="append",
        metavar="NAME",
        help=f"only these tables (default: all): {', '.join(TABLE_NAMES)}; repeat or use commas",
    )
    export_parser.add_argument(
        "--partition-by-year",
        action="store_true",
        help="parquet: one directory per year, TABLE/year=YYYY/part-0.parquet",
    )
    export_parser.add_argument(
        "--no-formula-guard",
        dest="formula_guard",
        action="store_false",
        help="csv: do not put ' before a text starting with = + - @ (kept by default: Excel"
        " would run it as a formula)",
    )
    export_parser.add_argument(
        "--no-datapackage",
        dest="datapackage",
        action="store_false",
        help="do not write datapackage.json beside the tables",
    )
    export_parser.add_argument(
        "--encoding",
        metavar="NAME",
        help="default utf-8-sig (UTF-8 with a BOM, which Excel needs); utf-8 on stdout",
    )
    export_parser.set_defaults(handler=_cmd_export)


COMMANDS: typing.Final = (
    "check",
    "render",
    "convert",
    "schema",
    "rules",
    "new",
    "fill",
    "demo",
    "sum",
    "export",
)
"""Every command, in the order the parser lists them (a test keeps the two in step)."""


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the parser of the command line; with ``command``, of that command only.

    A run parses the arguments of one command: :func:`main` passes the command it
    is given, so that the other commands (nine tenths of the parser) are not
    built. Only ``gipreport --help`` and the error for an unknown command list
    the commands, and neither starts with a command's name: :func:`main` builds
    the whole parser for them.
    """
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG, description=_DESCRIPTION, epilog=_EPILOG, formatter_class=raw
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {gipreport.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def wanted(name: str) -> bool:
        return command is None or command == name

    built: dict[str, argparse.ArgumentParser] = {}

    def batch() -> argparse.ArgumentParser:
        # The options most commands share, built once, when a command needs them.
        if "batch" not in built:
            built["batch"] = _batch_options("no progress bar, no read notes and no 'wrote' line")
        return built["batch"]

    def header() -> argparse.ArgumentParser:
        if "header" not in built:
            built["header"] = _header_options()
        return built["header"]

    if wanted("check"):
        _check_parser(commands, header())
    if wanted("render"):
        _render_parser(commands, batch(), header())
    if wanted("convert"):
        _convert_parser(commands, batch(), header())
    if wanted("schema"):
        _schema_parser(commands)
    if wanted("rules"):
        _rules_parser(commands)
    if wanted("new"):
        _new_parser(commands)
    if wanted("fill"):
        _fill_parser(commands, [batch(), header()])
    if wanted("demo"):
        _demo_parser(commands)
    if wanted("sum"):
        _sum_parser(commands, batch())
    if wanted("export"):
        _export_parser(commands, batch(), header())
    return parser


def _check_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], header: argparse.ArgumentParser
) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    check_parser = commands.add_parser(
        "check",
        parents=[
            _batch_options("no progress bar and no lines for reports without findings"),
            header,
        ],
        help="check reports: every 勾稽关系 and plausibility rule",
        description=(
            "Check reports (gipreport JSON or published docx, HTML or text; files or"
            " directories) against the rules."
        ),
        epilog=_CHECK_EPILOG,
        formatter_class=raw,
    )
    check_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    check_parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), or one JSON document (gipreport-cli-check/1)",
    )
    _selection_options(check_parser)
    check_parser.add_argument(
        "--series",
        action="store_true",
        help="check the reports as one organ's consecutive years (adds the series rules)",
    )
    check_parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        help="the language of the text output: zh prints the verdicts, read notes and summary"
        " in Chinese (the findings are in Chinese either way); default: zh when the locale"
        " (LC_ALL, LC_MESSAGES or LANG) is Chinese, else en",
    )
    check_parser.set_defaults(handler=_cmd_check)


def _render_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    batch: argparse.ArgumentParser,
    header: argparse.ArgumentParser,
) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    render_parser = commands.add_parser(
        "render",
        parents=[batch, header],
        help="write reports as html, text, docx, xlsx or json",
        description=(
            "Render a report to stdout or -o FILE; render a directory or several files"
            " into -o OUTDIR (the same names, the format's suffix)."
        ),
        epilog=_RENDER_EPILOG,
        formatter_class=raw,
    )
    render_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    render_parser.add_argument(
        "--to",
        required=True,
        metavar="FORMAT",
        help="html, text, docx (gipreport[docx]), xlsx (gipreport[xlsx]) or json",
    )
    render_parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="output file (- for stdout, the default), or directory for a batch",
    )
    add_subheading_style(render_parser)
    render_parser.set_defaults(handler=_cmd_render)


def _convert_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    batch: argparse.ArgumentParser,
    header: argparse.ArgumentParser,
) -> None:
    convert_parser = commands.add_parser(
        "convert",
        parents=[batch, header],
        help="read published reports (docx, HTML, text) into gipreport JSON",
        description=(
            "Write each report as a gipreport JSON document: one input to stdout or"
            " -o FILE (- for stdout); a directory or several files into -o OUTDIR, each"
            " under its path below the directory given, with the suffix .json."
            " Read notes go to stderr."
        ),
        epilog=_CONVERT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    convert_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    convert_parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="output file (- for stdout, the default), or directory for a batch",
    )
    convert_parser.set_defaults(handler=_cmd_convert)


def _schema_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    schema_parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of the report document",
        description=(
            "Print the JSON Schema (draft 2020-12) of JSON document version 1: of both"
            ' national formats (a document\'s "format" chooses its tables), or of one.'
        ),
    )
    schema_parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help="the schema of this national format only (default: both)",
    )
    schema_parser.set_defaults(handler=_cmd_schema)


def _rules_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules_parser = commands.add_parser(
        "rules",
        help="list the rule catalogue",
        description="List the rules gipreport check runs: ID, severity, scope, description.",
    )
    rules_parser.add_argument(
        "--format",
        action="append",
        choices=("text", "json", *sorted(FORMATS)),
        help=(
            "the output (text, the default, or json) and/or the national format whose"
            " rules to list (2019 or 2021; default: every rule); may be given twice,"
            " e.g. --format 2019 --format json"
        ),
    )
    _selection_options(rules_parser)
    rules_parser.set_defaults(handler=_cmd_rules)


def _demo_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo_parser = commands.add_parser(
        "demo",
        help="write the bundled example as JSON, HTML and docx, and check it",
        description=(
            "The bundled example (乌拉特前旗明安镇人民政府, 2023): write it as JSON, HTML"
            " and Word (with gipreport[docx]) and print its check summary."
        ),
    )
    demo_parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(DEMO_DIR),
        metavar="OUTDIR",
        help=f"where to write (default: ./{DEMO_DIR}/)",
    )
    demo_parser.set_defaults(handler=_cmd_demo)


def _sum_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], batch: argparse.ArgumentParser
) -> None:
    sum_parser = commands.add_parser(
        "sum",
        parents=[batch],
        help="add several organs' reports cell by cell",
        description=(
            "Add reports cell by cell into one report of --organ (a blank in any"
            " report is blank in the sum). Nothing is written unless every report loads."
        ),
        epilog="example:\n  gipreport sum departments/ --organ 某某县人民政府 -o county.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sum_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    sum_parser.add_argument("--organ", required=True, help="the organ of the sum")
    sum_parser.add_argument(
        "--year", type=int, help="the year of the sum (default: the reports' common year)"
    )
    sum_parser.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="add two reports of the same organ and year (refused by default: counted twice)",
    )
    sum_parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    sum_parser.set_defaults(handler=_cmd_sum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    # The parser of the command given (of every command when none is given).
    parser = _parser(arguments[0] if arguments and arguments[0] in COMMANDS else None)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_:  # --help, --version, or a usage error argparse printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    console = _Console(out=sys.stdout, err=sys.stderr)
    handler: Callable[[argparse.Namespace, _Console], int] = args.handler
    try:
        return handler(args, console)
    except _UsageError as exc:
        console.warn(f"{PROG} {args.command}: error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        # One line, and the status a shell gives a command SIGINT ended (128 + 2).
        console.warn(f"{PROG} {args.command}: interrupted")
        return EXIT_INTERRUPTED
    except _batch.WorkerError as exc:  # a worker was killed (out of memory, kill -9)
        console.warn(f"{PROG} {args.command}: error: {exc}")
        return EXIT_SOFTWARE
    except BrokenPipeError:
        # The reader went away (gipreport export … --csv - | head): stop quietly, with
        # the status of a process that SIGPIPE ended, as cat does.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # an output that cannot be written
        where = f"{exc.filename}: " if exc.filename else ""
        console.warn(f"{PROG} {args.command}: error: {where}{exc.strerror or exc}")
        return EXIT_USAGE


def _silence_stdout() -> None:
    # Python flushes stdout at exit; with the pipe closed that would fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout is not a real file
        pass
    finally:
        os.close(devnull)
