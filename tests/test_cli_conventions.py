"""The command line behaves like the tools people know: stdin, colour, notes counted, names."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

import gipreport
from cli_support import Gip, runner
from gipreport import ParseNote, Report, Where
from gipreport._cli import batch as _batch
from gipreport._cli import render as cli_render
from gipreport._cli.common import _Console, _notes_summary, colour_wanted
from gipreport.form import FORM_2021

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def gip(capsys: pytest.CaptureFixture[str]) -> Gip:
    return runner(capsys)


@pytest.fixture(scope="module")
def report() -> Report:
    return gipreport.examples.mingan_2023()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "mingan_2023.json"
    path.write_text(gipreport.examples.mingan_2023_json(), encoding="utf-8")
    return path


def _blank_text(report: Report) -> str:
    text = gipreport.render_text(report)
    return text.replace("\t行政许可\n\t0\n", "\t行政许可\n\t/\n")


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- standard input ---------------------------------------------------------------------------


def test_check_reads_standard_input(gip: Gip, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, gipreport.examples.mingan_2023_json().encode("utf-8"))
    run = gip("check", "-")
    assert run.status == 0
    assert run.out.startswith("-: 乌拉特前旗明安镇人民政府 2023年: ok")


def test_render_and_convert_read_standard_input(
    gip: Gip, monkeypatch: pytest.MonkeyPatch, report: Report, tmp_path: Path
) -> None:
    _stdin(monkeypatch, gipreport.dump_json(report).encode("utf-8"))
    run = gip("render", "-", "--to", "text")
    assert (run.status, run.out) == (0, gipreport.render_text(report))
    _stdin(monkeypatch, gipreport.render_docx(report))  # binary: told by its content
    run = gip("convert", "-")
    assert run.status == 0
    assert gipreport.load_json(run.out) == report
    # In a batch, standard input is written as stdin.* in the output directory.
    _stdin(monkeypatch, gipreport.render_html(report).encode("utf-8"))
    example = tmp_path / "a.json"
    example.write_text(gipreport.dump_json(report), encoding="utf-8")
    run = gip("convert", "-", example, "-o", tmp_path / "out")
    assert run.status == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json", "stdin.json"]


def test_export_and_sum_read_standard_input(
    gip: Gip, monkeypatch: pytest.MonkeyPatch, report: Report
) -> None:
    _stdin(monkeypatch, gipreport.dump_json(report).encode("utf-8"))
    run = gip("export", "-", "--csv", "-")
    assert run.status == 0
    assert run.out.splitlines()[1].startswith("-,乌拉特前旗明安镇人民政府,2023,")
    _stdin(monkeypatch, gipreport.dump_json(report).encode("utf-8"))
    run = gip("sum", "-", "-", "--organ", "某县")  # - twice is read once
    assert gipreport.load_json(run.out).cell("proactive.rules.issued") == report.cell(
        "proactive.rules.issued"
    )


def test_input_format_overrides_suffix_and_content(
    gip: Gip, monkeypatch: pytest.MonkeyPatch, report: Report, tmp_path: Path
) -> None:
    text = _blank_text(report)
    # Text that starts with "{" would be taken for JSON; --input-format text says what it is.
    _stdin(monkeypatch, ("{}" + text).encode("utf-8"))
    assert gip("check", "-").status == 2
    _stdin(monkeypatch, text.encode("utf-8"))
    assert gip("check", "-", "--input-format", "text").status == 0
    saved = tmp_path / "report.data"  # a suffix gipreport does not know
    saved.write_text(gipreport.dump_json(report), encoding="utf-8")
    assert gip("check", saved).status == 2
    assert gip("check", saved, "--input-format", "json").status == 0
    run = gip("check", saved, "--input-format", "pdfx")
    assert run.status == 2
    assert "--input-format: invalid choice" in run.err


def test_stdin_needs_a_subprocess_too(report: Report) -> None:
    # The real thing: a pipe into the console script's module.
    done = subprocess.run(
        [sys.executable, "-m", "gipreport", "render", "-", "--to", "html"],
        input=gipreport.dump_json(report).encode("utf-8"),
        capture_output=True,
        check=True,
    )
    assert done.stdout.decode("utf-8") == gipreport.render_html(report)


# --- read notes, counted ----------------------------------------------------------------------


def test_notes_are_counted_by_kind_most_first() -> None:
    notes = [
        *(ParseNote(code="blank-cell", message="m") for _ in range(12)),
        ParseNote(code="row-unknown", message="m"),
        ParseNote(code="unit", message="m"),
        ParseNote(code="unit", message="m"),
    ]
    assert _notes_summary(notes) == "12 blank cells, 2 values with a unit, 1 unknown row"


def test_every_note_code_has_its_words() -> None:
    for code in gipreport.NOTE_CODES:
        summary = _notes_summary([ParseNote(code=code, message="m")])
        assert summary.startswith("1 ")
        assert summary != f"1 {code}"  # words, not the code


def test_check_counts_a_files_notes_and_verbose_lists_them(
    gip: Gip, report: Report, tmp_path: Path
) -> None:
    text = _blank_text(report).replace("\t行政处罚\n\t0\n", "\t行政处罚\n\t—\n", 1)
    path = tmp_path / "two.txt"
    path.write_text(text, encoding="utf-8")
    run = gip("check", path)
    assert "  read notes: 2 blank cells (--verbose lists each)" in run.out.splitlines()
    run = gip("check", path, "--verbose")
    assert run.out.count("blank-cell: ") == 2


# --- colour -----------------------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_is_decided_per_stream_and_by_the_environment() -> None:
    tty, pipe = _Tty(), io.StringIO()
    assert colour_wanted(tty, {}) is True
    assert colour_wanted(pipe, {}) is False
    assert colour_wanted(tty, {"NO_COLOR": "1"}) is False
    assert colour_wanted(pipe, {"FORCE_COLOR": "1"}) is True
    assert colour_wanted(tty, {"NO_COLOR": "1", "FORCE_COLOR": "1"}) is False  # NO_COLOR wins
    assert colour_wanted(tty, {"NO_COLOR": ""}) is True  # set but empty: not asked for
    assert colour_wanted(tty, {"TERM": "dumb"}) is False
    console = _Console(out=tty, err=pipe, out_colour=True, err_colour=False)
    assert console.style("error", "error") == "\x1b[1;31merror\x1b[0m"
    assert console.style("error", "error", err=True) == "error"


def _run_on_a_pty(argv: list[str], environ: dict[str, str]) -> bytes:
    primary, secondary = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "gipreport", *argv],
            stdout=secondary,
            stderr=secondary,
            stdin=subprocess.DEVNULL,
            env=environ,
        )
        os.close(secondary)
        chunks: list[bytes] = []
        while True:
            ready, _, _ = select.select([primary], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the other end closed (Linux: EIO)
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
        return b"".join(chunks)
    finally:
        os.close(primary)


@pytest.fixture
def environ() -> dict[str, str]:
    keep = {
        key: value for key, value in os.environ.items() if key not in {"NO_COLOR", "FORCE_COLOR"}
    }
    return {**keep, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT / "src")}


def test_colour_on_a_terminal_not_in_a_pipe(example: Path, environ: dict[str, str]) -> None:
    argv = ["check", str(example), str(example.with_name("missing.json"))]
    on_a_terminal = _run_on_a_pty(argv, environ)
    assert b"\x1b[32mok (0 errors, 0 warnings)\x1b[0m" in on_a_terminal
    assert b"\x1b[1;31m1 unreadable or invalid\x1b[0m" in on_a_terminal
    assert b"\x1b[" not in _run_on_a_pty(argv, {**environ, "NO_COLOR": "1"})
    piped = subprocess.run(
        [sys.executable, "-m", "gipreport", *argv], capture_output=True, env=environ, check=False
    )
    assert piped.returncode == 2
    assert b"ok (0 errors" in piped.stdout
    assert b"\x1b[" not in piped.stdout + piped.stderr
    forced = subprocess.run(
        [sys.executable, "-m", "gipreport", *argv],
        capture_output=True,
        env={**environ, "FORCE_COLOR": "1"},
        check=False,
    )
    assert b"\x1b[32mok" in forced.stdout


# --- problem files: named on stdout, typed, with advice ---------------------------------------


def test_problem_types_of_files(gip: Gip, tmp_path: Path, example: Path) -> None:
    (tmp_path / "empty").mkdir()
    doc = tmp_path / "report.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    hello = tmp_path / "hello.txt"
    hello.write_text("hello", encoding="utf-8")
    missing = tmp_path / "missing.json"
    run = gip("check", missing, tmp_path / "empty", doc, hello, "--format", "json")
    types = [entry["problems"][0]["type"] for entry in json.loads(run.out)["files"]]
    assert types == ["file_unreadable", "directory_empty", "file_type_unknown", "source_invalid"]
    run = gip("check", doc, example)
    assert run.err == (
        f"{doc}: a Word 97–2003 document: open it in Word or WPS and save it as .docx;"
        " gipreport reads .docx, .htm, .html, .json, .pdf, .txt, .xlsx\n"
    )
    assert run.out.splitlines()[-1].startswith(
        f"2 files, 1 report checked, 0 with errors, 1 unreadable or invalid: {doc};"
    )
    for suffix, advice in (
        (".wps", "save it as .docx"),
        (".xls", "save it as .xlsx"),
    ):
        path = tmp_path / f"report{suffix}"
        path.write_bytes(b"\xd0\xcf\x11\xe0")
        assert advice in gip("check", path).err


def test_render_and_write_failures_have_types(
    tmp_path: Path, report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.json").write_text(gipreport.dump_json(report), encoding="utf-8")
    (source / "b.json").write_text(gipreport.dump_json(report), encoding="utf-8")
    out = tmp_path / "out"
    (out / "a.html").mkdir(parents=True)  # a directory where a file goes: cannot be written
    problems = {
        result.name: result.problems
        for result in map(
            cli_render._render_one,
            [
                cli_render._RenderTask(s, "html", out / s.relative.with_suffix(".html"))
                for s in _batch.collect([str(source)])
            ],
        )
    }
    assert [p.type for p in problems[str(source / "a.json")]] == ["write_failed"]
    assert problems[str(source / "b.json")] == ()

    def cannot(report: Report, fmt: str | None, options: object = ()) -> bytes:
        raise gipreport.RenderError("this report cannot be written as html")

    monkeypatch.setattr(cli_render, "_render_bytes", cannot)
    task = cli_render._RenderTask(
        _batch.collect([str(source / "b.json")])[0], "html", out / "b.html"
    )
    assert [p.type for p in cli_render._render_one(task).problems] == ["render_failed"]


# --- options named as the command line names them; --version; --jobs ---------------------------


def test_errors_name_the_options(gip: Gip, tmp_path: Path, example: Path) -> None:
    run = gip("new", "--organ", " ", "--year", "2024")
    assert run.err == "gipreport new: error: --organ: must not be empty (got ' ')\n"
    run = gip("new", "--organ", "某县", "--year", "1900")
    assert run.err.startswith("gipreport new: error: --year: must be a year from 2008")
    other = tmp_path / "2022.json"
    other.write_text(gipreport.dump_json(gipreport.blank_report("某县", 2022)), encoding="utf-8")
    run = gip("sum", example, other, "--organ", "某县")
    assert "pass --year explicitly" in run.err
    assert "year=" not in run.err


def test_version_imports_no_command() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from gipreport._cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    status = main(['--version'])\n"
        "heavy = [m for m in sys.modules if m.startswith(('gipreport._cli.app', "
        "'gipreport._core.model', 'gipreport._checking', 'argparse'))]\n"
        "print(status, out.getvalue().strip(), heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"0 gipreport {gipreport.__version__} []"


def test_jobs_default_is_one_for_a_small_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_batch, "start_method", lambda: "fork")
    assert _batch.default_jobs(1) == 1
    assert _batch.default_jobs(_batch.PARALLEL_DEFAULT_FROM - 1) == 1
    assert _batch.default_jobs(_batch.PARALLEL_DEFAULT_FROM) == _batch.cpus()


# --- tables numbered as the form numbers them -------------------------------------------------


def test_a_recognised_table_is_named_by_the_forms_number() -> None:
    assert [table.arabic_number for table in FORM_2021.tables] == [2, 3, 4]
    assert str(Where(table=0, row=6, column=1, line=41, form_table=2)) == (
        "table 2, row 7, column 2, line 41"
    )
    assert str(Where(table=4, line=9)) == "source table 5, line 9"


def test_notes_name_tables_2_to_4(report: Report) -> None:
    text = _blank_text(report).replace("\t0\n", "\t/\n", 40)
    notes = gipreport.read(text).notes
    tables = {str(note.where).split(",")[0] for note in notes if note.where.table is not None}
    assert tables <= {"table 2", "table 3", "table 4"}
    assert "table 2" in tables


def test_a_report_without_its_organ_is_a_header_missing_problem(gip: Gip, tmp_path: Path) -> None:
    from test_read_web import _text, _without_header  # noqa: PLC0415 - the same source

    path = tmp_path / "no-organ.txt"
    path.write_text("\n".join(_without_header(_text())), encoding="utf-8")
    run = gip("check", path, "--format", "json")
    (problem,) = json.loads(run.out)["files"][0]["problems"]
    assert problem["type"] == "header_missing"
    assert "--organ ORGAN" in problem["message"]


def test_notes_of_severity_error_are_listed_in_the_summary(gip: Gip, tmp_path: Path) -> None:
    from test_read_web import _text  # noqa: PLC0415 - the same source

    lines = _text()
    start = lines.index("四、政府信息公开行政复议、行政诉讼情况") + 1
    end = lines.index("五、存在的主要问题及改进情况")
    path = tmp_path / "no-table-4.txt"
    path.write_text("\n".join([*lines[:start], *lines[end:]]), encoding="utf-8")
    out = gip("check", path).out.splitlines()
    (at,) = [i for i, line in enumerate(out) if line.startswith("  read notes: ")]
    assert "1 missing table" in out[at]
    assert out[at + 1].startswith("    ")
    assert "error: table-missing" in out[at + 1]
    assert "table 4 (四、" in out[at + 1]
    err = gip("convert", path).err.splitlines()
    assert err[0].startswith(f"{path}: read notes: ")
    assert "error: table-missing" in err[1]
