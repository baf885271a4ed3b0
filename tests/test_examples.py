"""The examples in examples/ run, and do what they say."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import gipreport

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_bundled_example_is_the_seed_report() -> None:
    report = gipreport.examples.mingan_2023()
    assert report.organ == "乌拉特前旗明安镇人民政府"
    assert report.year == 2023
    assert str(report.published_on) == "2024-01-10"
    assert [s.heading for s in report.overview.subsections] == [
        "主动公开情况",
        "依申请公开情况",
        "政府信息管理情况",
        "政府信息公开平台建设情况",
        "监督保障情况",
    ]
    assert all(cell.value == 0 for cell in report.cells())
    assert gipreport.dump_json(report) == gipreport.examples.mingan_2023_json()


def test_bundled_example_has_every_seed_paragraph() -> None:
    # A copy of shared/seed/000_fa91a11b534f0ea9.txt, the report as text from its docx.
    seed = Path(__file__).parent / "data" / "mingan_2023_seed.txt"
    # A text of a report has no whitespace at its ends (the seed indents one paragraph).
    lines = {
        line.replace("[bookmark: _GoBack]", "").strip()
        for line in seed.read_text("utf-8").split("\n")
    }
    report = gipreport.examples.mingan_2023()
    texts = [*report.preamble]
    for prose in (report.overview, report.problems, report.other_matters):
        texts += prose.paragraphs
        for sub in prose.subsections:
            texts += sub.paragraphs
    for text in texts:
        assert text in lines, text
    headings = [s.heading for s in report.overview.subsections]
    for number, heading in enumerate(headings, start=1):
        assert f"（{number}） {heading}" in lines


def test_load_and_dump_script(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "load_and_dump.py"), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    assert str(out) in result.stdout
    assert out.read_text("utf-8") == gipreport.examples.mingan_2023_json()


# dask_corpus.py starts a cluster: it runs once, in test_dask_corpus_script, its output checked.
RUN_ALONE = {"dask_corpus.py"}


@pytest.mark.parametrize(
    "script",
    sorted(p for p in EXAMPLES.glob("*.py") if p.name not in RUN_ALONE),
    ids=lambda p: p.name,
)
def test_every_example_runs(script: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(script)])
    code: object = 0
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exit_:  # a script may end with sys.exit(main())
        code = exit_.code
    assert code in (0, None)


def test_readme_usage_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks, "the README has a Python usage example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # the README's own example, run as written
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "requests.results.disclosed.natural_person"


def test_check_published_script(capsys: pytest.CaptureFixture[str]) -> None:
    page = Path(__file__).parent / "data" / "read" / "county_bureau_2023.html"
    module = runpy.run_path(str(EXAMPLES / "check_published.py"))
    assert module["main"]([str(page), "no-such-file.docx"]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{page}: 某某县市场监督管理局 2023 (html)"
    assert "blank-cell" in out[4]
    assert out[-1].startswith("no-such-file.docx: not a report: no-such-file.docx: cannot read")
    assert module["main"]([]) == 0
    assert "suspect cell: requests.results.total.commercial" in capsys.readouterr().out


def test_examples_index_lists_every_script() -> None:
    index = (EXAMPLES / "README.md").read_text("utf-8")
    for script in sorted(EXAMPLES.glob("*.py")):
        assert f"[`{script.name}`]({script.name})" in index, script.name


def test_dask_corpus_script(tmp_path: Path) -> None:
    # With no arguments it writes a demonstration corpus of 100 reports, every
    # seventh with a typo, and checks it on a LocalCluster of two processes.
    pytest.importorskip("distributed")
    # Run in tmp_path: a relative PYTHONPATH (a source checkout) must still find gipreport.
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(Path(p).resolve()) for p in paths if p)}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "dask_corpus.py")],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert re.search(r"^100 reports in .* 6 files in .*; 15 reports with errors$", result.stdout)
    assert (tmp_path / "dask-demo" / "tables" / "cells" / "part-00000.parquet").is_file()
