"""The command line on published reports: docx, HTML and text in, read notes out, ``convert``.

Each input is the bundled example rendered to that format, which reads back
exactly; ``blank.txt`` is its text with one value cell written "/", which reads
as a blank cell with a ``blank-cell`` note.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import gipreport
from cli_support import Gip, runner
from gipreport import ParseNote, Report
from gipreport._cli import batch as _batch
from gipreport._cli import check as cli_check
from gipreport._cli import common as cli_common
from gipreport._cli import render as cli_render

PUBLISHED = {"docx": ".docx", "html": ".html", "text": ".txt"}
BLANK = "proactive.licensing.decisions"


@pytest.fixture
def gip(capsys: pytest.CaptureFixture[str]) -> Gip:
    return runner(capsys)


@pytest.fixture(scope="module")
def report() -> Report:
    return gipreport.examples.mingan_2023()


def publish(path: Path, report: Report, fmt: str) -> Path:
    """Write ``report`` rendered as ``fmt`` to ``path``, as a published report would be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rendered = gipreport.render(report, fmt)
    if isinstance(rendered, bytes):
        path.write_bytes(rendered)
    else:
        path.write_text(rendered, encoding="utf-8")
    return path


@pytest.fixture
def blank(tmp_path: Path, report: Report) -> Path:
    text = gipreport.render(report, "text")
    assert isinstance(text, str)
    written = text.replace("\t行政许可\n\t0\n", "\t行政许可\n\t/\n")
    assert written != text
    path = tmp_path / "blank.txt"
    path.write_text(written, encoding="utf-8")
    return path


def notes_of(path: Path) -> tuple[ParseNote, ...]:
    return gipreport.read(path).notes


def parse_error(data: bytes) -> gipreport.ParseError:
    with pytest.raises(gipreport.ParseError) as caught:
        gipreport.read(data)
    return caught.value


# --- check ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(PUBLISHED))
def test_check_a_published_report(gip: Gip, tmp_path: Path, report: Report, fmt: str) -> None:
    path = publish(tmp_path / f"mingan{PUBLISHED[fmt]}", report, fmt)
    run = gip("check", path)
    assert (run.status, run.err) == (0, "")
    assert run.out.splitlines() == [
        f"{path}: 乌拉特前旗明安镇人民政府 2023年: ok (0 errors, 0 warnings)",
        "1 file, 1 report checked, 0 with errors, 0 unreadable or invalid; findings by rule: none",
    ]
    document = json.loads(gip("check", path, "--format", "json").out)
    (entry,) = document["files"]
    assert (entry["ok"], entry["problems"], entry["notes"]) == (True, [], [])
    assert entry["result"] == gipreport.check(report).to_dict()


def test_check_prints_read_notes_after_the_findings(gip: Gip, blank: Path) -> None:
    (note,) = notes_of(blank)
    assert (note.code, note.text, note.path) == ("blank-cell", "/", BLANK)
    run = gip("check", blank)
    assert run.status == 0  # a blank is a warning; the note changes nothing
    lines = run.out.splitlines()
    assert lines[0] == f"{blank}: 乌拉特前旗明安镇人民政府 2023年: ok (0 errors, 1 warning)"
    assert lines[1].startswith(f"  warning cells.blank [{BLANK}]")
    assert lines[3:] == [
        "  read notes: 1 blank cell (--verbose lists each)",
        "1 file, 1 report checked, 0 with errors, 0 unreadable or invalid;"
        " findings by rule: cells.blank 1",
    ]
    verbose = gip("check", blank, "--verbose").out.splitlines()
    assert verbose[3:5] == ["  read notes:", f"    {note}"]
    assert "line 42" in verbose[4]  # where it is in the source (the title, an empty line, …)


def test_check_json_has_each_files_notes(gip: Gip, blank: Path, tmp_path: Path) -> None:
    (note,) = notes_of(blank)
    example = tmp_path / "mingan.json"
    example.write_text(gipreport.examples.mingan_2023_json(), encoding="utf-8")
    run = gip("check", blank, example, "--format", "json")
    assert run.status == 0
    first, second = json.loads(run.out)["files"]
    # additions at the end: the schema is still /1
    assert list(first)[-2:] == ["notes", "places"]
    assert first["notes"] == [
        {
            "code": "blank-cell",
            "severity": "info",
            "message": note.message,
            "where": str(note.where),
            "text": "/",
            "path": BLANK,
        }
    ]
    assert second["notes"] == []


def test_check_series_prints_the_notes_of_each_file(gip: Gip, blank: Path) -> None:
    (note,) = notes_of(blank)
    run = gip("check", "--series", blank)
    assert run.status == 0
    assert f"{blank}:\n  read notes: 1 blank cell (--verbose lists each)\n" in run.out
    run = gip("check", "--series", blank, "--verbose")
    assert f"{blank}:\n  read notes:\n    {note}\n" in run.out
    document = json.loads(gip("check", "--series", blank, "--format", "json").out)
    assert [entry["code"] for entry in document["files"][0]["notes"]] == ["blank-cell"]


def test_a_file_that_is_no_report_exits_2_with_the_reason(
    gip: Gip, tmp_path: Path, report: Report
) -> None:
    hello = tmp_path / "hello.txt"
    hello.write_text("hello", encoding="utf-8")
    garbled = tmp_path / "garbled.txt"
    garbled.write_bytes(b"\xef\xbb\xbf\xff\xfe")  # a UTF-8 byte-order mark, then not UTF-8
    good = publish(tmp_path / "good.html", report, "html")
    run = gip("check", hello, garbled, good)
    assert run.status == 2
    no_report, bad_bytes = parse_error(b"hello"), parse_error(garbled.read_bytes())
    assert bad_bytes.where == "byte 3"
    assert run.err.splitlines() == [
        f"{hello}: {no_report.reason}",
        f"{garbled}: {bad_bytes.where}: {bad_bytes.reason}",
    ]
    assert f"{good}: 乌拉特前旗明安镇人民政府 2023年: ok" in run.out
    document = json.loads(gip("check", hello, "--format", "json").out)
    (entry,) = document["files"]
    assert entry["problems"] == [
        {
            "type": "source_invalid",
            "path": "",
            "message": no_report.reason,
            "input": None,
            "line": None,
            "column": None,
        }
    ]
    assert (entry["ok"], entry["result"], entry["notes"]) == (False, None, [])
    assert document["summary"]["exit_status"] == 2


def test_a_json_document_under_another_suffix_keeps_its_problems(gip: Gip, tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_text('{"schema": "gipreport/1"}', encoding="utf-8")
    run = gip("check", path)
    assert run.status == 2
    assert run.err.startswith(f"{path}: format: missing key\n")


def test_directories_are_walked_for_every_input_format(
    gip: Gip, tmp_path: Path, report: Report
) -> None:
    root = tmp_path / "reports"
    publish(root / "a.txt", report, "text")
    publish(root / "b.HTM", report, "html")
    publish(root / "sub" / "c.docx", report, "docx")
    publish(root / "sub" / "d.json", report, "json")
    publish(root / "sub" / "~$c.docx", report, "docx")  # Word's lock file
    publish(root / ".hidden.txt", report, "text")
    (root / "notes.md").write_text("not a report", encoding="utf-8")
    document = json.loads(gip("check", root, "--format", "json").out)
    names = [Path(entry["file"]).relative_to(root).as_posix() for entry in document["files"]]
    assert names == ["a.txt", "b.HTM", "sub/c.docx", "sub/d.json"]
    assert all(entry["ok"] for entry in document["files"])


def test_what_workers_return_survives_pickling(blank: Path, tmp_path: Path) -> None:
    # With --jobs, results come back from worker processes pickled; test_cli runs
    # such a batch end to end, this checks that the read notes come through.
    source = _batch.collect([str(blank)])[0]
    results: list[cli_common._Loaded | cli_check._Checked | cli_render._Rendered] = [
        cli_common._load(source),
        cli_check._check_one(cli_check._CheckTask(source, None, None)),
        cli_render._render_one(cli_render._RenderTask(source, None, tmp_path / "out.json")),
    ]
    for result in results:
        assert len(result.notes) == 1
        assert pickle.loads(pickle.dumps(result)) == result


# --- convert -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(PUBLISHED))
def test_convert_one_file(gip: Gip, tmp_path: Path, report: Report, fmt: str) -> None:
    path = publish(tmp_path / f"mingan{PUBLISHED[fmt]}", report, fmt)
    out = tmp_path / "mingan.json"
    run = gip("convert", path, "-o", out)
    assert (run.status, run.out, run.err) == (0, f"wrote {out}\n", "")
    assert gipreport.load_json(out.read_text("utf-8")) == report
    assert out.read_text("utf-8") == gipreport.dump_json(report)
    for argv in ((path,), (path, "-o", "-")):
        run = gip("convert", *argv)
        assert (run.status, run.out) == (0, gipreport.dump_json(report))


def test_convert_prints_notes_on_stderr_unless_quiet(
    gip: Gip, blank: Path, tmp_path: Path, report: Report
) -> None:
    (note,) = notes_of(blank)
    run = gip("convert", blank)
    assert run.status == 0  # notes never change the exit status
    assert run.err == f"{blank}: read notes: 1 blank cell (--verbose lists each)\n"
    assert gip("convert", blank, "--verbose").err == f"{blank}: read note: {note}\n"
    assert gipreport.load_json(run.out) == report.with_cell(BLANK, None)
    out = tmp_path / "blank.json"
    run = gip("convert", blank, "-o", out, "--quiet")
    assert (run.status, run.out, run.err) == (0, "", "")
    assert gipreport.load_json(out.read_text("utf-8")).cell(BLANK) is None


def test_convert_a_directory_keeps_its_layout(gip: Gip, tmp_path: Path, report: Report) -> None:
    source = tmp_path / "published"
    publish(source / "a.txt", report, "text")
    publish(source / "sub" / "b.html", report, "html")
    publish(source / "sub" / "deeper" / "c.docx", report, "docx")
    out = tmp_path / "json"
    run = gip("convert", source, "-o", out)
    assert (run.status, run.err) == (0, "")
    assert run.out == f"3 files written to {out} as json, 0 not converted\n"
    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*"))
    assert written == ["a.json", "sub", "sub/b.json", "sub/deeper", "sub/deeper/c.json"]
    for path in out.rglob("*.json"):
        assert gipreport.load_json(path.read_text("utf-8")) == report


def test_convert_carries_on_past_a_file_that_is_no_report(
    gip: Gip, tmp_path: Path, report: Report
) -> None:
    source = tmp_path / "published"
    publish(source / "a.txt", report, "text")
    publish(source / "b.txt", report, "html")  # HTML under .txt: told by the content
    publish(source / "c.html", report, "html")
    (source / "hello.txt").write_text("hello", encoding="utf-8")
    out = tmp_path / "json"
    run = gip("convert", source, "-o", out)
    assert run.status == 2
    assert run.err == f"{source / 'hello.txt'}: {parse_error(b'hello').reason}\n"
    assert run.out == f"3 files written to {out} as json, 1 not converted: {source / 'hello.txt'}\n"
    assert sorted(path.name for path in out.iterdir()) == ["a.json", "b.json", "c.json"]


def test_convert_usage_errors(gip: Gip, tmp_path: Path, report: Report) -> None:
    a = publish(tmp_path / "a.txt", report, "text")
    b = publish(tmp_path / "b.html", report, "html")
    for argv in ((a, b), (a, b, "-o", "-"), (tmp_path,)):
        run = gip("convert", *argv)
        assert run.status == 2
        assert run.err == (
            "gipreport convert: error: converting a directory or several files needs -o OUTDIR\n"
        )
    clash = publish(tmp_path / "a.html", report, "html")
    run = gip("convert", a, clash, "-o", tmp_path / "out")
    assert run.status == 2
    assert run.err == (
        f"{clash}: not converted: {tmp_path / 'out' / 'a.json'} would overwrite"
        f" also the output of {a}\n"
    )


def test_convert_help_says_where_notes_go(gip: Gip) -> None:
    run = gip("convert", "--help")
    assert run.status == 0
    assert "go to stderr" in run.out


# --- render, sum, export -------------------------------------------------------------------


def test_render_a_text_report_as_html(gip: Gip, blank: Path, report: Report) -> None:
    (note,) = notes_of(blank)
    run = gip("render", blank, "--to", "html")
    assert run.status == 0
    assert run.out == gipreport.render(report.with_cell(BLANK, None), "html")
    assert run.err == f"{blank}: read notes: 1 blank cell (--verbose lists each)\n"
    assert gip("render", blank, "--to", "html", "-v").err == f"{blank}: read note: {note}\n"
    assert gip("render", blank, "--to", "html", "-q").err == ""


def test_render_a_directory_of_published_reports(
    gip: Gip, blank: Path, tmp_path: Path, report: Report
) -> None:
    (note,) = notes_of(blank)
    publish(tmp_path / "mingan.docx", report, "docx")
    out = tmp_path / "html"
    run = gip("render", blank, tmp_path / "mingan.docx", "--to", "html", "-o", out)
    assert run.status == 0
    assert run.err == f"{blank}: read notes: 1 blank cell (--verbose lists each)\n"
    run = gip("render", blank, tmp_path / "mingan.docx", "--to", "html", "-o", out, "-v")
    assert run.err == f"{blank}: read note: {note}\n"
    assert (out / "mingan.html").read_text("utf-8") == gipreport.render(report, "html")
    assert (out / "blank.html").exists()


def test_sum_and_export_read_published_reports(
    gip: Gip, blank: Path, tmp_path: Path, report: Report
) -> None:
    docx = publish(tmp_path / "mingan.docx", report, "docx")
    # The same organ and year twice is refused (issue #18): counted twice otherwise.
    run = gip("sum", blank, docx, "--organ", "某某县人民政府")
    assert run.status == 2
    assert f"given twice ({blank}, {docx})" in run.err
    run = gip("sum", blank, docx, "--organ", "某某县人民政府", "--allow-duplicates")
    assert run.status == 0
    assert run.err.startswith(f"{blank}: read notes: 1 blank cell")
    assert gipreport.load_json(run.out).cell(BLANK) is None  # blank + n = blank
    run = gip("export", blank, "--csv", "-", "-q")
    assert (run.status, run.err) == (0, "")
    (row,) = [line for line in run.out.splitlines() if ",proactive.licensing,decisions," in line]
    assert row.endswith(",件,")  # the blank cell's value is empty
