"""The fuzz campaign of ``fuzz/fuzz.py``, short: a few inputs for each target.

The campaign itself (100,000 inputs a target by default) is run by hand; see
CONTRIBUTING.md. Here the short version, ``python fuzz/fuzz.py all -n 200``, runs
as written (200 inputs a target, 200 reports round-tripped), so that a target
that breaks, or an input that escapes the library's errors, is seen in CI.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import attrs
import pytest

import gipreport

FUZZ = Path(__file__).parent.parent / "fuzz" / "fuzz.py"


def _campaign() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gipreport_fuzz", FUZZ)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fuzz = _campaign()


def test_a_non_library_exception_is_counted_and_fails_the_run() -> None:
    tally = fuzz.Tally(slow=5.0)
    missing: dict[str, int] = {}
    tally.run(0, lambda: missing["key"])
    tally.run(1, lambda: None)
    assert tally.outcomes == {"NON-LIBRARY KeyError": 1, "ok": 1}
    assert tally.report("example") is False


def test_mutations_are_reproducible_from_their_seed() -> None:
    first = [data for _, data in fuzz.inputs("text", 5, 7)]
    assert first == [data for _, data in fuzz.inputs("text", 5, 7)]
    assert len(set(first)) > 1


def test_the_short_campaign_holds() -> None:
    # The command CONTRIBUTING.md gives for a short run of every target, as written.
    env = {**os.environ, "PYTHONPATH": str(FUZZ.parent.parent / "src")}
    done = subprocess.run(
        [sys.executable, str(FUZZ), "all", "-n", "200"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for target in fuzz.TARGETS:
        assert f"target {target}: " in done.stdout
    assert done.stdout.count("non-library exceptions: 0\n") == len(fuzz.TARGETS)
    assert done.stdout.count("slow inputs (> 5 s): 0;") == len(fuzz.TARGETS)
    assert "round trips: 200 reports; lost something: 0" in done.stdout
    assert done.stdout.count("peak memory (max RSS): ") == len(fuzz.TARGETS)


def test_a_loss_names_the_paths_that_differ() -> None:
    report = gipreport.examples.mingan_2023()
    count = len(report.preamble)
    changed = attrs.evolve(report, title="别的")
    assert list(fuzz.differences(report, changed)) == [f"title: {report.title!r} -> '别的'"]
    longer = attrs.evolve(report, preamble=(*report.preamble, "又一段"))
    assert list(fuzz.differences(report, longer)) == [
        f"preamble: {count} items -> {count + 1}",
        f"preamble[{count}]: None -> '又一段'",
    ]
    assert list(fuzz.differences(report, report)) == []


def test_sigterm_stops_a_run_and_prints_what_it_found() -> None:
    env = {**os.environ, "PYTHONPATH": str(FUZZ.parent.parent / "src")}
    command = [sys.executable, str(FUZZ), "read_text", "-n", "100000", "--progress", "20"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as run:
        assert run.stderr is not None
        assert "20 inputs" in run.stderr.readline()  # running
        run.send_signal(signal.SIGTERM)
        out, _ = run.communicate(timeout=60)
    assert run.returncode == 1
    assert "target read_text: " in out
    assert "non-library exceptions: 0" in out
    assert "STOPPED (SIGTERM) after " in out


def test_render_gives_each_renderer_the_same_reports() -> None:
    tally = fuzz.Tally(slow=5.0)
    fuzz.fuzz_render_all(3, 5, tally)
    assert tally.tried == 12
    assert {outcome.split(": ")[0] for outcome in tally.outcomes} == {
        "json",
        "text",
        "html",
        "docx",
    }
    for fmt in ("json", "text", "html", "docx"):
        alone = fuzz.Tally(slow=5.0)
        fuzz.fuzz_renderer(fmt, 3, 5, alone)
        assert sum(n for o, n in tally.outcomes.items() if o.startswith(fmt + ": ")) == alone.tried
        assert {
            f"{fmt}: {o}": n for o, n in alone.outcomes.items()
        }.items() <= tally.outcomes.items()


def test_save_keeps_each_input_that_escaped_as_a_file(tmp_path: Path) -> None:
    tally = fuzz.Tally(slow=5.0, save=tmp_path)
    missing: dict[str, int] = {}
    tally.current = (".txt", b"\xff bytes as they were")
    tally.run(7, lambda: missing["key"])
    tally.current = (".txt", b"fine")
    tally.run(8, lambda: None)
    assert [path.name for path in tmp_path.iterdir()] == ["input-7.txt"]
    assert (tmp_path / "input-7.txt").read_bytes() == b"\xff bytes as they were"


def test_save_keeps_a_lost_report_as_json_that_loads_as_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = gipreport.examples.mingan_2023()
    lost = attrs.evolve(report, title="别的")
    monkeypatch.setattr(fuzz, "_reports", lambda count, seed, any_text: iter([report]))
    monkeypatch.setattr(gipreport, "read", lambda source, format: SimpleNamespace(report=lost))
    tally = fuzz.Tally(slow=5.0, save=tmp_path)
    fuzz.fuzz_roundtrip(1, 0, tally, any_text=False)
    assert len(tally.failed) == 4  # each format read back another report
    assert gipreport.load_json((tmp_path / "report-0.json").read_text("utf-8")) == report


DIFFERENTIAL = FUZZ.parent / "differential.py"


@pytest.mark.parametrize("target", ["load_json", "check"])
def test_the_differential_campaign_finds_a_changed_outcome(target: str, tmp_path: Path) -> None:
    # The same tree gives the same outcomes; a tree whose messages differ does not.
    src = FUZZ.parent.parent / "src"
    run = [sys.executable, str(DIFFERENTIAL), "--target", target, "-n", "12"]
    same = subprocess.run([*run, str(src)], capture_output=True, text=True, check=False)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "identical" in same.stdout
    changed = tmp_path / "src"
    subprocess.run(["cp", "-r", str(src), str(changed)], check=True)
    # Some messages marked: a load_json error's, or every finding's English message.
    name, old, new = {
        "load_json": ("jsonio.py", '"not valid JSON:', '"not valid JSON~:'),
        "check": (
            "findings.py",
            "finding.message_en = message_en",
            "finding.message_en = message_en + '~'",
        ),
    }[target]
    path = changed / "gipreport" / "_core" / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    differing = subprocess.run([*run, str(changed)], capture_output=True, text=True, check=False)
    assert differing.returncode == 1, differing.stdout + differing.stderr
    assert "DIFFERENT" in differing.stdout
