"""The command line, driven as a user drives it: arguments in, output and exit status out.

Most tests call :func:`gipreport._cli.app.main` in this process (fast, with ``capsys``);
a few run ``python -m gipreport`` and the installed ``gipreport`` script.
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import json
import os
import re
import shlex
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import gipreport
from checks_support import valid_report
from cli_support import Gip, Run, runner
from gipreport import EXPORT_COLUMNS, Report
from gipreport._cli import batch as _batch
from gipreport._cli.app import main
from gipreport._cli.common import CHECK_SCHEMA
from gipreport._core import limits
from gipreport._rendering.registry import FunctionRenderer
from gipreport.form import FORM_2021
from gipreport.layout import SubheadingStyle, subsection_number

COMMANDS = ("check", "render", "convert", "schema", "rules", "new", "demo", "sum", "export")
TYPO = "requests.results.total.commercial"
BROKEN = (17, 101, 188)
DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture
def gip(capsys: pytest.CaptureFixture[str]) -> Gip:
    return runner(capsys)


def write(path: Path, report: Report) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(gipreport.dump_json(report), encoding="utf-8")
    return path


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return write(tmp_path / "mingan_2023.json", gipreport.examples.mingan_2023())


@pytest.fixture
def typo(tmp_path: Path) -> Path:
    report = gipreport.examples.mingan_2023().with_cell(TYPO, 3)
    return write(tmp_path / "typo.json", report)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 valid reports in nested directories, 3 of them with one cell changed."""
    root = tmp_path_factory.mktemp("province")
    for number in range(200):
        report = valid_report(number, organ=f"某某市第{number}人民政府")
        if number in BROKEN:
            value = report.cell(TYPO)
            assert isinstance(value, int)
            report = report.with_cell(TYPO, value + 1)
        write(root / f"county{number % 7}" / f"report{number:03}.json", report)
    return root


def broken_names(root: Path) -> set[str]:
    return {str(root / f"county{n % 7}" / f"report{n:03}.json") for n in BROKEN}


# --- the front door ------------------------------------------------------------------------


def test_version(gip: Gip) -> None:
    run = gip("--version")
    assert run.status == 0
    assert run.out.strip() == f"gipreport {gipreport.__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(gip: Gip, command: str) -> None:
    run = gip(command, "--help")
    assert run.status == 0
    assert run.out.startswith(f"usage: gipreport {command}")


def test_top_level_help_lists_every_command(gip: Gip) -> None:
    run = gip("--help")
    assert run.status == 0
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", run.out, re.MULTILINE), command


@pytest.mark.parametrize(
    "argv",
    [(), ("nonsense",), ("check",), ("check", "x.json", "--format", "xml"), ("check", "-j", "0")],
)
def test_usage_errors_exit_2(gip: Gip, argv: tuple[str, ...]) -> None:
    run = gip(*argv)
    assert run.status == 2
    assert "usage: gipreport" in run.err


# --- check ---------------------------------------------------------------------------------


def test_check_bundled_example_exits_0(gip: Gip, example: Path) -> None:
    run = gip("check", example)
    assert run.status == 0
    assert f"{example}: 乌拉特前旗明安镇人民政府 2023年: ok (0 errors, 0 warnings)" in run.out
    assert run.out.splitlines()[-1].startswith("1 file, 1 report checked, 0 with errors")


def test_check_one_changed_cell_exits_1_and_names_the_cell(gip: Gip, typo: Path) -> None:
    run = gip("check", typo)
    assert run.status == 1
    lines = run.out.splitlines()
    assert lines[0] == f"{typo}: 乌拉特前旗明安镇人民政府 2023年: 3 errors, 0 warnings"
    assert (
        "  error requests.results-total [commercial]: 三、本年度办理结果（七）总计 · 商业企业"
        in (run.out)
    )
    suspect = f"  suspect {TYPO}: 2023年 三、本年度办理结果（七）总计 · 商业企业: 现为3，改为0"
    assert any(line.startswith(suspect) for line in lines)
    assert lines[-1].endswith(
        "findings by rule: requests.balance 1, requests.results-total 1, requests.row-total 1"
    )


def test_check_json_document(gip: Gip, example: Path, typo: Path) -> None:
    run = gip("check", example, typo, "--format", "json")
    assert run.status == 1
    document = json.loads(run.out)
    assert list(document) == ["schema", "gipreport_version", "series", "files", "summary"]
    assert document["schema"] == CHECK_SCHEMA == "gipreport-cli-check/1"
    assert document["gipreport_version"] == gipreport.__version__
    assert document["series"] is None
    first, second = document["files"]
    assert list(first) == [
        *("file", "ok", "organ", "year", "problems", "result", "notes", "places")
    ]
    assert first["places"] == second["places"] == {}  # JSON documents: no source to point at
    assert first["file"] == str(example)
    assert (first["ok"], second["ok"]) == (True, False)
    assert first["organ"] == "乌拉特前旗明安镇人民政府"
    assert first["year"] == 2023
    assert first["problems"] == []
    assert first["notes"] == []  # a JSON document reads with no notes
    # Each result is exactly the library's check result document.
    typo_report = gipreport.load_json(typo.read_text("utf-8"))
    assert second["result"] == gipreport.check(typo_report).to_dict()
    assert document["summary"] == {
        "files": 2,
        "reports": 2,
        "reports_with_errors": 1,
        "files_with_problems": 0,
        "findings_by_rule": {
            "requests.balance": {"failed": 1, "not_assessable": 0},
            "requests.results-total": {"failed": 1, "not_assessable": 0},
            "requests.row-total": {"failed": 1, "not_assessable": 0},
        },
        "exit_status": 1,
    }


def test_check_200_reports_names_exactly_the_3_broken(gip: Gip, province: Path) -> None:
    run = gip("check", province, "--format", "json", "--jobs", "1")
    assert run.status == 1
    document = json.loads(run.out)
    assert len(document["files"]) == 200
    failed = {entry["file"] for entry in document["files"] if not entry["ok"]}
    assert failed == broken_names(province)
    assert document["summary"]["reports_with_errors"] == 3
    assert document["summary"]["findings_by_rule"] == {
        rule: {"failed": 3, "not_assessable": 0}
        for rule in ("requests.balance", "requests.results-total", "requests.row-total")
    }
    quiet = gip("check", province, "--quiet", "--jobs", "1")
    assert quiet.status == 1
    named = {line.split(": ")[0] for line in quiet.out.splitlines() if not line.startswith(" ")}
    named.discard(quiet.out.splitlines()[-1].split(": ")[0])  # the summary line
    assert named == broken_names(province)
    assert quiet.out.splitlines()[-1].startswith("200 files, 200 reports checked, 3 with errors")


def test_jobs_2_gives_the_same_output_as_jobs_1(gip: Gip, province: Path) -> None:
    for fmt in ("json", "text"):
        one = gip("check", province, "--format", fmt, "--jobs", "1")
        two = gip("check", province, "--format", fmt, "--jobs", "2")
        assert (two.status, two.out, two.err) == (one.status, one.out, one.err)


def test_files_are_walked_in_sorted_order(gip: Gip, province: Path) -> None:
    document = json.loads(gip("check", province, "--format", "json").out)
    names = [Path(entry["file"]).relative_to(province).parts for entry in document["files"]]
    assert names == sorted(names)


def test_unreadable_and_invalid_files_exit_2_and_the_rest_are_checked(
    gip: Gip, tmp_path: Path, example: Path, typo: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("a.json", "c.json", "e.json"):
        (folder / name).write_bytes(example.read_bytes())
    (folder / "b.json").symlink_to(tmp_path / "nowhere.json")  # cannot be read
    (folder / "d.json").write_text("{not json", encoding="utf-8")
    (folder / "f.json").write_text("[1, 2]", encoding="utf-8")  # JSON, but not a report
    document = json.loads(typo.read_text("utf-8"))
    document["requests"]["results"]["total"]["commercial"] = -1
    (folder / "g.json").write_text(json.dumps(document), encoding="utf-8")
    (folder / "notes.md").write_text("not a report", encoding="utf-8")  # not walked
    (folder / "z.json").write_bytes(typo.read_bytes())  # an error finding: 2 still wins

    run = gip("check", folder)
    assert run.status == 2
    assert run.err.splitlines() == [
        f"{folder / 'b.json'}: cannot read: No such file or directory",
        f"{folder / 'd.json'}: not valid JSON: Expecting property name enclosed in double"
        " quotes at line 1 column 2",
        f"{folder / 'f.json'}: expected an object with keys schema, format, organ, year, title,"
        " published_on, preamble, overview, proactive, requests, appeals, problems,"
        " other_matters; got an array",
        f"{folder / 'g.json'}: requests.results.total.commercial: a count cannot be negative,"
        " got -1",
    ]
    checked = [line.split(":")[0] for line in run.out.splitlines() if line.startswith(str(folder))]
    assert checked == [str(folder / name) for name in ("a.json", "c.json", "e.json", "z.json")]
    assert run.out.splitlines()[-1].startswith(
        "8 files, 4 reports checked, 1 with errors, 4 unreadable or invalid"
    )
    summary = json.loads(gip("check", folder, "--format", "json").out)["summary"]
    assert summary["files_with_problems"] == 4
    assert summary["exit_status"] == 2


def test_a_file_that_cannot_be_read_is_an_input_error(
    gip: Gip, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root no permission bit stops a read, so the operating system's refusal
    # is simulated where the batch reads the file.
    real = limits.read_file

    def refuse(path: str | os.PathLike[str]) -> bytes:
        if Path(path) == example:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(_batch, "read_file", refuse)
    run = gip("check", example)
    assert run.status == 2
    assert run.err == f"{example}: cannot read: Permission denied\n"


def test_missing_paths_empty_directories_and_other_suffixes(gip: Gip, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "~$report.docx").write_bytes(b"PK")  # Word's lock file: not walked
    (tmp_path / "report.odt").write_bytes(b"PK\x03\x04")
    run = gip("check", tmp_path / "missing.json", tmp_path / "empty", tmp_path / "report.odt")
    assert run.status == 2
    assert run.err.splitlines() == [
        f"{tmp_path / 'missing.json'}: cannot read: No such file or directory",
        f"{tmp_path / 'empty'}: no report files (.docx, .htm, .html, .json, .pdf, .txt, .xlsx)"
        " in this directory",
        f"{tmp_path / 'report.odt'}: not a file gipreport reads (.odt);"
        " it reads .docx, .htm, .html, .json, .pdf, .txt, .xlsx",
    ]


def test_select_and_skip(gip: Gip, typo: Path) -> None:
    run = gip("check", typo, "--select", "requests.balance", "--format", "json")
    result = json.loads(run.out)["files"][0]["result"]
    assert list(result["counts"]) == ["requests.balance"]
    assert run.status == 1
    run = gip("check", typo, "--skip", "requests.balance,requests.results-total")
    assert run.status == 1
    assert "requests.balance" not in run.out
    assert "requests.row-total" in run.out
    run = gip("check", typo, "--select", "warning")
    assert run.status == 0
    run = gip("check", typo, "--select", "requests.balanse")
    assert run.status == 2
    assert run.err.startswith("gipreport check: error: 'requests.balanse' is not a rule ID")


def test_series(gip: Gip, tmp_path: Path) -> None:
    from checks_support import valid_series  # noqa: PLC0415 - only this test needs it

    paths = [write(tmp_path / f"{r.year}.json", r) for r in valid_series(3, [2021, 2022, 2023])]
    run = gip("check", "--series", *paths)
    assert run.status == 0
    assert run.out.startswith("series of 3 reports (2021–2023), 某某市人民政府: ok")
    # 2023 carries over one more than 2022 carried forward; its own balance still holds.
    last = gipreport.load_json(paths[2].read_text("utf-8"))
    changed = {
        path: last.count(path) + 1  # type: ignore[operator]
        for path in (
            "requests.carried_over.natural_person",
            "requests.carried_forward.natural_person",
        )
    }
    write(paths[2], gipreport.derive_totals(last.with_cells(changed)))
    run = gip("check", "--series", *paths, "--format", "json")
    document = json.loads(run.out)
    assert run.status == 0  # series.carry-over is a warning
    findings = document["series"]["findings"]
    assert [(f["rule"], f["year"], f["instance"]) for f in findings] == [
        ("series.carry-over", 2023, "natural_person"),
        ("series.carry-over", 2023, "total"),
    ]
    assert [entry["result"] for entry in document["files"]] == [None, None, None]
    assert document["summary"]["findings_by_rule"] == {
        "series.carry-over": {"failed": 2, "not_assessable": 0}
    }


def test_progress_bar_only_on_a_terminal(
    province: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for quiet, drawn in (((), True), (("--quiet",), False)):
        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        assert main(["check", str(province), "--jobs", "1", "--format", "json", *quiet]) == 1
        assert ("/200 files" in terminal.getvalue()) is drawn
        if drawn:
            assert "[" + "#" * _batch.Progress.WIDTH + "] 200/200 files" in terminal.getvalue()
            assert terminal.getvalue().endswith("\r")  # cleared at the end
    capsys.readouterr()
    run = main(["check", str(province), "--jobs", "1", "--format", "json"])
    assert run == 1
    assert capsys.readouterr().err == ""  # not a terminal: no bar


def test_blank_cells_and_two_wrong_cells(gip: Gip, tmp_path: Path) -> None:
    report = gipreport.examples.mingan_2023().with_cells(
        {TYPO: 3, "appeals.review.upheld": 1, "requests.carried_forward.total": None}
    )
    run = gip("check", write(tmp_path / "two.json", report))
    assert run.status == 1
    assert ": 4 errors, 1 warning, 2 not assessable" in run.out.splitlines()[0]
    assert (
        "  no single cell explains the failed arithmetic of 2023: two or more cells are wrong"
        in run.out.splitlines()
    )
    assert "  suspect" not in run.out


def test_series_with_files_that_do_not_load(gip: Gip, tmp_path: Path, example: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("null", encoding="utf-8")
    run = gip("check", "--series", example, bad)
    assert run.status == 2
    assert run.err.startswith(f"{bad}: expected an object with keys schema,")
    assert run.out.startswith("series of 1 report (2023–2023), 乌拉特前旗明安镇人民政府: ok")
    run = gip("check", "--series", bad, "--format", "json")
    assert run.status == 2
    document = json.loads(run.out)
    assert document["series"] is None
    assert document["files"][0]["problems"][0]["path"] == ""
    run = gip("check", "--series", bad)
    assert (
        run.out
        == f"1 file, 0 reports checked, 0 with errors, 1 unreadable or invalid: {bad};"
        + (" findings by rule: none\n")
    )


def test_jobs_must_be_a_positive_number(gip: Gip, example: Path) -> None:
    for value, message in (("x", "expected a whole number, got 'x'"), ("0", "at least 1")):
        run = gip("check", example, "--jobs", value)
        assert run.status == 2
        assert message in run.err


# --- render --------------------------------------------------------------------------------


def test_render_to_stdout_and_to_a_file(gip: Gip, example: Path, tmp_path: Path) -> None:
    report = gipreport.examples.mingan_2023()
    run = gip("render", example, "--to", "text")
    assert (run.status, run.out) == (0, gipreport.render(report, "text"))
    out = tmp_path / "page.html"
    run = gip("render", example, "--to", "html", "-o", out)
    assert (run.status, run.out) == (0, f"wrote {out}\n")
    assert out.read_text("utf-8") == gipreport.render(report, "html")
    docx = tmp_path / "report.docx"
    assert gip("render", example, "--to", "docx", "-o", docx).status == 0
    assert docx.read_bytes() == gipreport.render(report, "docx")


def test_render_a_directory(gip: Gip, province: Path, tmp_path: Path) -> None:
    out = tmp_path / "word"
    source = province / "county3"
    run = gip("render", source, "--to", "docx", "-o", out)
    assert run.status == 0
    inputs = sorted(path.stem for path in source.glob("*.json"))
    assert sorted(path.stem for path in out.glob("*.docx")) == inputs
    assert run.out == f"{len(inputs)} files written to {out} as docx, 0 not rendered\n"
    assert list(out.glob(".*")) == []  # no temporary file left behind
    nested = tmp_path / "html"
    assert gip("render", province, "--to", "html", "-o", nested, "-j", "2").status == 0
    assert len(list(nested.glob("county*/report*.html"))) == 200


def test_batches_that_write_files_write_the_same_with_jobs_2(
    gip: Gip, province: Path, tmp_path: Path
) -> None:
    # The forked workers write the files: the same bytes, the same messages.
    def written(folder: Path) -> dict[str, bytes]:
        files = (path for path in folder.rglob("*") if path.is_file())
        return {str(path.relative_to(folder)): path.read_bytes() for path in files}

    for command in (("render", "--to", "html"), ("export", "--to", "csv")):
        runs = []
        for jobs in ("1", "2"):
            out = tmp_path / f"{command[0]}-{jobs}"
            run = gip(*command[:1], province, *command[1:], "-o", out, "--jobs", jobs)
            runs.append((run.status, run.out.replace(str(out), "OUT"), run.err, written(out)))
        assert runs[0][0] == 0
        assert len(runs[0][3]) >= 5  # files were written
        assert runs[1] == runs[0]


def test_render_usage_errors(gip: Gip, example: Path, tmp_path: Path) -> None:
    run = gip("render", example, "--to", "pdf")
    assert run.status == 2
    assert run.err.startswith("gipreport render: error: unknown format 'pdf'; available:")
    run = gip("render", tmp_path, "--to", "html")
    assert run.status == 2
    assert "needs -o OUTDIR" in run.err
    run = gip("render", example, "--to", "json", "-o", example)
    assert run.status == 2
    assert "is the input itself" in run.err


@pytest.mark.parametrize("style", ["arabic-spaced", "arabic-comma"])
def test_render_and_new_take_a_subheading_style(
    gip: Gip, example: Path, tmp_path: Path, style: SubheadingStyle
) -> None:
    report = gipreport.examples.mingan_2023()
    run = gip("render", example, "--to", "text", "--subheading-style", style)
    assert (run.status, run.out) == (0, gipreport.render(report, "text", subheading_style=style))
    assert gipreport.read_text(run.out).report == report
    # A batch passes it to every file it renders, in worker processes too.
    source = tmp_path / "in"
    source.mkdir()
    for name in ("a", "b"):
        (source / f"{name}.json").write_bytes(example.read_bytes())
    out = tmp_path / "html"
    args = ("render", source, "--to", "html", "-o", out, "-j", "2", "--subheading-style", style)
    assert gip(*args).status == 0
    expected = gipreport.render(report, "html", subheading_style=style)
    assert [page.read_text("utf-8") for page in sorted(out.glob("*.html"))] == [expected] * 2
    run = gip(
        "new",
        "--organ",
        "某某县人民政府",
        "--year",
        "2024",
        "--to",
        "text",
        "--subheading-style",
        style,
    )
    assert run.status == 0
    assert subsection_number(0, style) + "主动公开情况" in run.out.splitlines()


def test_a_subheading_style_is_refused_where_it_means_nothing(gip: Gip, example: Path) -> None:
    run = gip("render", example, "--to", "json", "--subheading-style", "arabic")
    assert run.status == 2
    assert "--subheading-style is for html, text and docx, not json" in run.err
    run = gip("new", "--organ", "x", "--year", "2024", "--subheading-style", "arabic")
    assert run.status == 2
    assert "not json" in run.err
    run = gip("render", example, "--to", "text", "--subheading-style", "roman")
    assert run.status == 2
    assert "invalid choice: 'roman'" in run.err


def test_render_docx_to_stdout(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["render", str(example), "--to", "docx"]) == 0
    expected = gipreport.render(gipreport.examples.mingan_2023(), "docx")
    assert capsysbinary.readouterr().out == expected
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["render", str(example), "--to", "docx"]) == 2
    captured = capsysbinary.readouterr()
    assert captured.out == b""
    assert b"docx is binary: give -o FILE" in captured.err


def test_render_input_problems(gip: Gip, tmp_path: Path, example: Path) -> None:
    bad = tmp_path / "in" / "bad.json"
    bad.parent.mkdir()
    bad.write_text("{}", encoding="utf-8")
    run = gip("render", bad, "--to", "html")
    assert run.status == 2
    assert run.err.startswith(f"{bad}: schema: missing key\n")
    (tmp_path / "in" / "good.json").write_bytes(example.read_bytes())
    (tmp_path / "in" / example.name).write_bytes(example.read_bytes())
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out"
    run = gip("render", tmp_path / "in", tmp_path / "empty", example, "--to", "html", "-o", out)
    assert run.status == 2
    assert run.err.splitlines()[:3] == [
        f"{tmp_path / 'empty'}: no report files (.docx, .htm, .html, .json, .pdf, .txt, .xlsx)"
        " in this directory",
        f"{example}: not rendered: {out / 'mingan_2023.html'} would overwrite"
        f" also the output of {tmp_path / 'in' / example.name}",
        f"{bad}: schema: missing key",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["good.html", "mingan_2023.html"]
    assert run.out == (
        f"2 files written to {out} as html, 3 not rendered:"
        f" {tmp_path / 'empty'}, {example}, {bad}\n"
    )
    run = gip("render", tmp_path / "in", "--to", "html", "-o", example)
    assert run.status == 2
    assert run.err == f"gipreport render: error: -o {example}: not a directory\n"


def test_a_failing_render_leaves_no_file(
    gip: Gip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A valid report always renders (its texts are all publishable): a renderer made
    # to fail on one report stands in for any failure.
    render = FunctionRenderer.render

    def failing(self: FunctionRenderer, report: Report, options: object) -> str | bytes:
        if report.organ == "坏镇人民政府":
            msg = "problems.paragraphs[0]: cannot be written"
            raise gipreport.RenderError(msg)
        return render(self, report, options)

    monkeypatch.setattr(FunctionRenderer, "render", failing)
    bad = attrs.evolve(gipreport.examples.mingan_2023(), organ="坏镇人民政府")
    path = write(tmp_path / "in" / "bad.json", bad)
    write(tmp_path / "in" / "good.json", gipreport.examples.mingan_2023())
    out = tmp_path / "bad.docx"
    run = gip("render", path, "--to", "docx", "-o", out)
    assert run.status == 2
    assert run.err.startswith(f"{path}: cannot render as docx:")
    assert "problems.paragraphs[0]" in run.err
    assert not out.exists()
    batch = tmp_path / "out"
    run = gip("render", tmp_path / "in", "--to", "docx", "-o", batch)
    assert run.status == 2
    assert sorted(p.name for p in batch.iterdir()) == ["good.docx"]  # nothing else, no temp


def test_atomic_write_never_leaves_a_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_text("the old file", encoding="utf-8")

    def interrupted() -> None:
        with _batch.atomic_file(target) as stream:
            stream.write(b"half of the new")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        interrupted()
    assert target.read_text("utf-8") == "the old file"
    assert sorted(tmp_path.iterdir()) == [target]

    def fail(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        _batch.write_atomic(tmp_path / "new.json", b"{}")
    assert sorted(tmp_path.iterdir()) == [target]
    monkeypatch.undo()
    _batch.write_atomic(target, b"the new file")
    assert target.read_bytes() == b"the new file"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_output_directory_that_cannot_be_written(gip: Gip, example: Path) -> None:
    run = gip("render", example, "--to", "html", "-o", example.parent / "no" / "x.html")
    assert run.status == 2
    assert run.err == (
        f"gipreport render: error: {example.parent / 'no' / 'x.html'}: No such file or directory\n"
    )


# --- schema, rules, new, demo --------------------------------------------------------------


def test_schema(gip: Gip) -> None:
    run = gip("schema")
    assert run.status == 0
    assert json.loads(run.out) == gipreport.json_schema()


def test_rules(gip: Gip) -> None:
    run = gip("rules")
    assert run.status == 0
    ids = [line.split()[0] for line in run.out.splitlines() if not line.startswith(" ")]
    assert ids == [rule.id for rule in gipreport.rules()]
    listed = json.loads(gip("rules", "--format", "json", "--select", "series").out)
    assert [entry["id"] for entry in listed] == [r.id for r in gipreport.rules(select="series")]
    assert set(listed[0]) == {
        "id",
        "severity",
        "scope",
        "description_zh",
        "description_en",
        "formula",
        "basis",
        "formats",
    }


def test_new_writes_a_blank_report_to_fill_in(gip: Gip, tmp_path: Path) -> None:
    run = gip("new", "--organ", "某某县人民政府", "--year", "2024")
    assert run.status == 0
    report = gipreport.load_json(run.out)
    assert (report.organ, report.year, report.format) == ("某某县人民政府", 2024, "2021")
    assert set(report.values().values()) == {0}
    assert report.cell("proactive.fees.amount") == Decimal(0)
    headings = [subsection.heading for subsection in report.overview.subsections]
    assert headings == list(FORM_2021.section("overview").subheadings)
    assert headings == [s.heading for s in gipreport.examples.mingan_2023().overview.subsections]
    assert all(s.paragraphs == () for s in report.overview.subsections)
    assert gipreport.check(report).ok

    out = tmp_path / "2024.json"
    run = gip("new", "--organ", "某某县人民政府", "--year", "2024", "--blank", "-o", out)
    assert (run.status, run.out) == (0, f"wrote {out}\n")
    blank = gipreport.load_json(out.read_text("utf-8"))
    assert set(blank.values().values()) == {None}
    run = gip("new", "--organ", "某某县人民政府", "--year", "2024", "-o", out)
    assert run.status == 2
    assert "exists; give --force" in run.err
    assert gip("new", "--organ", "x", "--year", "2024", "-o", out, "--force").status == 0
    assert gipreport.load_json(out.read_text("utf-8")).organ == "x"
    run = gip("new", "--organ", "x", "--year", "1999")
    assert run.status == 2
    assert "--year: must be a year from 2008" in run.err


def test_demo(gip: Gip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = gip("demo")
    assert run.status == 0
    demo = Path("gipreport-demo")
    names = ("mingan_2023.json", "mingan_2023.html", "mingan_2023.docx")
    assert run.out.splitlines()[:3] == [f"wrote {demo / name}" for name in names]
    assert (
        f"{demo / 'mingan_2023.json'}: 乌拉特前旗明安镇人民政府 2023年: ok (0 errors, 0 warnings)"
        in run.out
    )
    report = gipreport.examples.mingan_2023()
    assert (demo / names[0]).read_text("utf-8") == gipreport.examples.mingan_2023_json()
    assert (demo / names[1]).read_text("utf-8") == gipreport.render(report, "html")
    assert (demo / names[2]).read_bytes() == gipreport.render(report, "docx")
    assert gip("check", demo).status == 0


def test_demo_without_python_docx(
    gip: Gip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gipreport, "renderers", lambda: ("html", "json", "text"))
    run = gip("demo", "-o", tmp_path / "out")
    assert run.status == 0
    assert f"skipped {tmp_path / 'out' / 'mingan_2023.docx'}: the Word renderer needs" in run.out
    assert "pip install python-docx (the 'docx' extra)" in run.out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "mingan_2023.html",
        "mingan_2023.json",
    ]


# --- sum and export ------------------------------------------------------------------------


def test_sum(gip: Gip, tmp_path: Path) -> None:
    one, two = valid_report(1), valid_report(2, organ="某某镇人民政府")
    paths = [write(tmp_path / "a.json", one), write(tmp_path / "b.json", two)]
    out = tmp_path / "county.json"
    run = gip("sum", *paths, "--organ", "某某县人民政府", "-o", out)
    assert (run.status, run.out) == (0, f"wrote {out}: the sum of 2 reports\n")
    total = gipreport.load_json(out.read_text("utf-8"))
    assert total == gipreport.sum_reports([one, two], organ="某某县人民政府")
    assert total.cell("proactive.fees.amount") == (
        one.cell("proactive.fees.amount") + two.cell("proactive.fees.amount")  # type: ignore[operator]
    )
    assert gip("check", out, "--select", "error").status == 0

    write(tmp_path / "b.json", two.with_cell("appeals.review.upheld", None))
    run = gip("sum", *paths, "--organ", "某某县人民政府")
    assert gipreport.load_json(run.out).cell("appeals.review.upheld") is None  # blank + n = blank

    write(tmp_path / "b.json", attrs.evolve(two, year=2022))
    run = gip("sum", *paths, "--organ", "某某县人民政府")
    assert run.status == 2
    assert "pass --year explicitly" in run.err
    run = gip("sum", *paths, "--organ", "某某县人民政府", "--year", "2023")
    assert gipreport.load_json(run.out).year == 2023

    write(tmp_path / "b.json", one)  # the same organ and year twice
    run = gip("sum", *paths, "--organ", "某某县人民政府")
    assert run.status == 2
    assert f"某某市人民政府 2023 is given twice ({paths[0]}, {paths[1]})" in run.err
    assert run.err.endswith("pass --allow-duplicates to add it anyway\n")
    run = gip("sum", *paths, "--organ", "某某县人民政府", "--allow-duplicates")
    assert gipreport.load_json(run.out) == gipreport.sum_reports(
        [one, one], organ="某某县人民政府", allow_duplicates=True
    )

    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    out.unlink()
    run = gip("sum", *paths, "--organ", "某某县人民政府", "-o", out)
    assert run.status == 2
    assert run.err.splitlines()[-1] == "nothing written: every report must load for a sum"
    assert not out.exists()


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.DictReader(stream))


def test_export_csv(gip: Gip, tmp_path: Path, example: Path) -> None:
    blank = gipreport.examples.mingan_2023().with_cells(
        {"appeals.review.upheld": None, "proactive.fees.amount": Decimal("1.50")}
    )
    other = write(tmp_path / "other" / "blank.json", blank)
    out = tmp_path / "cells.csv"
    run = gip("export", example, other, "--csv", out)
    assert (run.status, run.out) == (0, f"wrote {out}\n")
    assert out.read_bytes().startswith(
        b"\xef\xbb\xbf" + b"file,organ,year,format,table,row_path,column"
    )
    rows = read_csv(out)
    assert len(rows) == 2 * len(FORM_2021.cells)
    assert tuple(rows[0]) == EXPORT_COLUMNS
    by_cell = {(row["file"], row["row_path"], row["column"]): row for row in rows}
    assert by_cell[(str(example), "requests.results.total", "commercial")] == {
        "file": str(example),
        "organ": "乌拉特前旗明安镇人民政府",
        "year": "2023",
        "format": "2021",
        "table": "requests",
        "row_path": "requests.results.total",
        "column": "commercial",
        "row_label": "三、本年度办理结果（七）总计",
        "column_label": "商业企业",
        "unit": "件",
        "value": "0",
    }
    assert by_cell[(str(other), "appeals.review", "upheld")]["value"] == ""
    fee = by_cell[(str(other), "proactive.fees", "amount")]
    assert (fee["value"], fee["unit"]) == ("1.50", "万元")
    for row in rows:  # the labels put together are the form's label of the cell
        spec = FORM_2021.cell(f"{row['row_path']}.{row['column']}")
        assert f"{row['row_label']} · {row['column_label']}" == spec.label


# An organ cannot start with a tab or a carriage return (a text of a report has no
# whitespace at its ends); gipreport.guard_formula's own tests cover those.
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_export_guards_text_cells_that_a_spreadsheet_would_run_as_formulas(
    gip: Gip, tmp_path: Path, start: str
) -> None:
    # Issue #16: an organ's name from an untrusted page went into the CSV as it was.
    organ = f'{start}HYPERLINK("http://example.invalid","某镇")'
    evil = write(
        tmp_path / f"{start.strip() or 'ws'}x.json",
        attrs.evolve(gipreport.examples.mingan_2023(), organ=organ),
    )
    out = tmp_path / "cells.csv"
    assert gip("export", evil, "--csv", out).status == 0
    rows = read_csv(out)
    assert {row["organ"] for row in rows} == {"'" + organ}
    assert {row["year"] for row in rows} == {"2023"}
    assert all(not row["value"].startswith("'") for row in rows)  # numbers stay numbers
    assert gip("export", evil, "--csv", out, "--no-formula-guard").status == 0
    assert {row["organ"] for row in read_csv(out)} == {organ}


def test_export_guards_a_file_name_but_not_a_negative_number() -> None:
    from gipreport import guard_formula  # noqa: PLC0415 - one function under test

    assert guard_formula("-reports/a.json") == "'-reports/a.json"
    assert guard_formula("\tx.json") == "'\tx.json"
    assert guard_formula("\rx.json") == "'\rx.json"
    assert guard_formula("-1") == "-1"
    assert guard_formula("+1.50") == "+1.50"
    assert guard_formula("") == ""


def test_export_to_stdout_other_encodings_and_bad_files(
    gip: Gip, tmp_path: Path, example: Path
) -> None:
    run = gip("export", example, "--csv", "-")
    assert run.status == 0
    assert run.out.startswith("file,organ,year,")  # no BOM on stdout
    assert len(run.out.splitlines()) == 1 + len(FORM_2021.cells)
    out = tmp_path / "gbk.csv"
    assert gip("export", example, "--csv", out, "--encoding", "gb18030").status == 0
    assert read_csv(out, "gb18030")[0]["organ"] == "乌拉特前旗明安镇人民政府"
    run = gip("export", example, "--csv", out, "--encoding", "klingon")
    assert run.status == 2
    assert "unknown encoding 'klingon'" in run.err
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    run = gip("export", example, bad, "--csv", out)
    assert run.status == 2
    assert run.out == f"wrote {out}; 1 file not exported: {bad}\n"
    assert len(read_csv(out)) == len(FORM_2021.cells)


def test_export_in_an_encoding_that_cannot_hold_the_text(gip: Gip, tmp_path: Path) -> None:
    out = tmp_path / "cells.csv"
    run = gip(
        "export", write(tmp_path / "a.json", valid_report(1)), "--csv", out, "--encoding", "ascii"
    )
    assert run.status == 2
    assert "cannot be written in ascii" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]  # no file, no temporary


# --- as installed ----------------------------------------------------------------------------


def test_python_dash_m(example: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gipreport", "check", str(example)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "ok (0 errors, 0 warnings)" in result.stdout


def test_console_script(typo: Path) -> None:
    script = Path(sys.executable).with_name("gipreport")
    if not script.exists():
        pytest.skip("the gipreport script is not installed next to this Python")
    result = subprocess.run(
        [str(script), "check", str(typo), "--jobs", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"suspect {TYPO}" in result.stdout
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"gipreport {gipreport.__version__}"


def test_a_closed_pipe_stops_quietly(province: Path) -> None:
    # More than a pipe holds, so gipreport is still writing when its reader goes away.
    command = [sys.executable, "-m", "gipreport", "export", str(province / "county0"), "--csv", "-"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(b"file,organ,year")
        process.stdout.close()
        status = process.wait()
        assert process.stderr is not None
        assert process.stderr.read() == b""
    assert status == 141


def test_help_does_not_import_python_docx() -> None:
    code = (
        "import sys; from gipreport._cli.app import main; main(['--help']); "
        "print('docx' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "False"


# --- the documented commands run -------------------------------------------------------------


def documented_commands() -> list[tuple[str, list[str]]]:
    """Return each ``$ gipreport …`` line of docs/cli.md with the output shown under it."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```console\n(.*?)^```$", text, re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                commands.append((line[2:], []))
            elif commands and line.strip():
                commands[-1][1].append(line)
    return commands


def test_documented_commands_run(gip: Gip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Run in order, in an empty directory, as a reader would; typo.json is the
    # example with one cell changed, as the page says.
    monkeypatch.chdir(tmp_path)
    write(Path("typo.json"), gipreport.examples.mingan_2023().with_cell(TYPO, 3))
    ran: list[str] = []
    last: Run | None = None
    for command, shown in documented_commands():
        if command == "echo $?":
            assert last is not None
            assert last.status == int(shown[0]), (ran[-1], last.err)
            continue
        words = shlex.split(command)
        if words[0] != "gipreport" or {"|", ">", "<"} & set(words):
            last = None  # not run here: another program, or a shell redirection
            continue
        last = gip(*words[1:])
        ran.append(command)
        if last.status != 0:
            continue  # checked by the `echo $?` that follows
        output = last.out + last.err
        for line in shown:
            if "…" not in line:
                assert line in output, (command, line, output)
    assert len(ran) >= 10


def test_a_fifo_a_device_and_a_directory_named_as_a_report_are_input_errors(
    gip: Gip, tmp_path: Path
) -> None:
    # Issue #16: a FIFO named x.json hung the whole batch, and a symlink to
    # /dev/zero ended in a MemoryError traceback with exit 1 ("findings").
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    folder = tmp_path / "folder.json"
    folder.mkdir()
    (folder / "a.txt").write_text("x", encoding="utf-8")
    run = gip("check", fifo, zero)
    assert run.status == 2
    assert f"{fifo}: cannot read: not a regular file (a pipe or device)" in run.err
    assert f"{zero}: cannot read: not a regular file (a pipe or device)" in run.err


def test_a_file_over_the_input_cap_is_an_input_error(
    gip: Gip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The batch read files whole, with no cap: a 2 GiB .txt grew to 4 GB (issue #16).
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    monkeypatch.setattr(_batch, "read_file", functools.partial(limits.read_file, limit=1000))
    run = gip("check", big)
    assert run.status == 2
    assert run.err == f"{big}: cannot read: larger than 1,000 bytes: not a report\n"


def test_the_parsers_style_names_are_the_layouts() -> None:
    from gipreport._cli.app import SUBHEADING_STYLE_NAMES  # noqa: PLC0415

    assert tuple(gipreport.layout.SUBHEADING_STYLES) == SUBHEADING_STYLE_NAMES


def test_the_parsers_table_and_column_names_are_the_tidy_modules() -> None:
    from gipreport._cli.app import EXPORT_COLUMNS, TABLE_NAMES  # noqa: PLC0415

    assert tuple(gipreport.TABLES) == TABLE_NAMES
    assert gipreport.EXPORT_COLUMNS == EXPORT_COLUMNS


def _parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found: dict[str, argparse.ArgumentParser] = commands.choices
    return found


def _parsed(
    parser: argparse.ArgumentParser, argv: list[str]
) -> tuple[int | None, dict[str, object]]:
    try:
        return None, vars(parser.parse_args(argv))
    except SystemExit as exit_:  # --help or a usage error: its status (it printed the rest)
        return int(exit_.code or 0), {}


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "a.json", "--quiet", "--jobs", "2", "--select", "requests", "--lang", "zh"],
        ["check", "a.json", "--format", "json", "--series", "--organ", "某镇", "--year", "2023"],
        ["check"],
        ["check", "a.json", "--jobs", "0"],
        ["render", "a.json", "--to", "html", "-o", "out", "--subheading-style", "arabic"],
        ["convert", "a.docx", "-o", "a.json", "--input-format", "docx", "-v"],
        ["schema", "--format", "2019"],
        ["rules", "--format", "json", "--skip", "warning"],
        ["new", "--organ", "某镇", "--year", "2024", "--to", "docx", "--blank"],
        ["fill", "a.docx", "-o", "b.docx", "--force"],
        ["demo", "-o", "demo"],
        ["sum", "a.json", "b.json", "--organ", "某县", "--allow-duplicates"],
        ["export", "reports", "--to", "parquet", "-o", "tables", "--partition-by-year"],
        ["export", "reports", "--csv", "-", "--to", "csv"],
        ["check", "a.json", "--bogus"],
        ["check", "a.json", "--vers"],
        ["render", "a.json", "--to", "html", "extra", "--jobs", "x"],
        ["check", "--help"],
        ["schema", "-h"],
    ],
)
def test_a_commands_own_parser_parses_as_the_whole_parser(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # main builds only the parser of the command it is given (a law: the same result).
    from gipreport._cli.app import _parser  # noqa: PLC0415

    whole = _parsed(_parser(), argv)
    whole_printed = capsys.readouterr()
    own = _parsed(_parser(argv[0]), argv)
    assert (own, capsys.readouterr()) == (whole, whole_printed)
    if whole[0] is None:
        assert own[1]["handler"] is whole[1]["handler"]


def test_a_commands_own_parser_has_the_whole_parsers_help() -> None:
    from gipreport._cli.app import COMMANDS, _parser  # noqa: PLC0415

    whole = _parser()
    assert tuple(_parsers(whole)) == COMMANDS
    for command in COMMANDS:
        own = _parser(command)
        assert tuple(_parsers(own)) == (command,)
        assert own.format_usage() == whole.format_usage()  # what a usage error prints
        assert _parsers(own)[command].format_help() == _parsers(whole)[command].format_help()
