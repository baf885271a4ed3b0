"""The same inputs through two source trees, to see whether a change alters any outcome.

Run from the repository root, with the tree to compare against unpacked somewhere
(``git archive <commit> | tar -x -C /tmp/old``)::

    python fuzz/differential.py /tmp/old/src [--target load_json|check|read_html|read_text]
                                [-n 20000] [--seed 0]

The inputs are made once, by this tree: for ``load_json`` and the readers, the fuzz
campaign's mutated and garbage inputs (``fuzz.inputs``; ``load_json`` gets each as
bytes and as text); for ``check``, the JSON of reports drawn by the project's
Hypothesis strategies (valid, with blanks, failing each arithmetic rule, and each
of them with one table blanked) and of the published reports of
``tests/data/real``, each checked as loaded and as made anew. Then each tree runs
in its own process (``PYTHONPATH`` set to its ``src``) on those inputs. Each
process prints one line per input: the result (the report's JSON, or the check's
findings, counts and suspects) or the error (its class and every problem or note,
with its path and message). The lines are compared; the first differences are printed
and the exit status is 1 if any.

Used for issue #17: a speed-up must not change what any input gives.
"""

from __future__ import annotations

import argparse
import functools
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("load_json", "check", "read_html", "read_text")


def _make_inputs(target: str, count: int, seed: int) -> list[bytes]:
    """Return the inputs of ``target``, made once by this tree (both trees get the same)."""
    sys.path.insert(0, str(ROOT / "fuzz"))
    import fuzz  # noqa: PLC0415 - the campaign's generators

    if target == "check":
        return _check_documents(count, seed)
    fmt = {"load_json": "json", "read_html": "html", "read_text": "text"}[target]
    return [data for _index, data in fuzz.inputs(fmt, count, seed)]


def _check_documents(count: int, seed: int) -> list[bytes]:
    """Return the JSON of drawn reports (and of each with a table blanked) and real ones."""
    import hypothesis.strategies as st  # noqa: PLC0415
    from hypothesis import HealthCheck, given, settings  # noqa: PLC0415

    import gipreport  # noqa: PLC0415
    from gipreport.strategies import arithmetic_rules, invalid_reports, reports  # noqa: PLC0415

    formats = st.sampled_from(("2021", "2019"))
    strategy = st.one_of(
        formats.flatmap(lambda fmt: reports(format=fmt, blanks=True)),
        formats.flatmap(lambda fmt: reports(format=fmt)),
        formats.flatmap(
            lambda fmt: st.sampled_from(arithmetic_rules(fmt)).flatmap(
                lambda rule: invalid_reports(rule=rule, format=fmt)
            )
        ),
    )
    drawn: list[gipreport.Report] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy, st.integers(0, 3))
    def collect(report: gipreport.Report, which: int) -> None:
        tables = [table.key for table in report.form.tables]
        blank = tables[(which + seed) % len(tables)]
        cells = [spec.path for spec in report.form.cells if spec.table == blank]
        drawn.extend((report, report.with_cells(dict.fromkeys(cells))))

    collect()
    for path in sorted((ROOT / "tests" / "data" / "real").rglob("*")):
        if path.suffix in {".html", ".txt", ".pdf"}:
            try:
                drawn.append(gipreport.read(path.read_bytes()).report)
            except gipreport.ParseError:
                continue
    return [gipreport.dump_json(report).encode() for report in drawn]


def _outcome_lines(target: str, inputs: list[bytes]) -> None:
    """Print the outcome of every input of ``target`` (run in the tree under test)."""
    import attrs  # noqa: PLC0415

    import gipreport  # noqa: PLC0415 - the tree under test, from PYTHONPATH
    from gipreport import InputFormat  # noqa: PLC0415

    def show(index: int, call: Callable[[], object]) -> None:
        try:
            result = call()
        except gipreport.LoadError as error:
            shown = "LoadError " + repr([(p.path, p.message, p.type) for p in error.problems])
        except gipreport.ParseError as error:
            shown = f"ParseError {error}"
        except Exception as error:  # noqa: BLE001 - printed, compared
            shown = f"{type(error).__name__} {error}"
        else:
            shown = _shown(result)
        print(index, ascii(shown))  # one line, whatever the text holds

    for index, data in enumerate(inputs):
        if target == "load_json":
            text = data.decode("utf-8", "replace")
            show(index, functools.partial(gipreport.load_json, data))
            show(index, functools.partial(gipreport.load_json, text))
        elif target == "check":
            report = gipreport.load_json(data)
            # As loaded (checked from the values the loader kept) and as made anew.
            anew = attrs.evolve(report)
            show(index, functools.partial(gipreport.check, report))
            show(index, functools.partial(gipreport.check, anew))
        else:
            kind: InputFormat = "html" if target == "read_html" else "text"
            show(index, functools.partial(gipreport.read, data, format=kind))


def _shown(result: object) -> str:
    import gipreport  # noqa: PLC0415 - the tree under test

    if isinstance(result, gipreport.Report):
        return "Report " + gipreport.dump_json(result)
    if isinstance(result, gipreport.CheckResult):
        return "CheckResult " + repr((result.findings, result.rule_counts, result.suspects))
    if isinstance(result, gipreport.ParseResult):
        return f"ParseResult {gipreport.dump_json(result.report)} {result.notes!r}"
    return repr(result)


def _run_tree(src: Path, target: str, inputs: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--emit", target, "--inputs", str(inputs)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        msg = f"{src}: exit {done.returncode}\n{done.stderr[-2000:]}"
        raise SystemExit(msg)
    return done.stdout.splitlines()


def main(argv: list[str] | None = None) -> int:
    """Compare this tree with another on one target; 1 if any outcome differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", nargs="?", type=Path, help="the src directory to compare with")
    parser.add_argument("--target", choices=TARGETS, default="load_json")
    parser.add_argument("-n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--emit", choices=TARGETS, help=argparse.SUPPRESS)
    parser.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.emit:
        _outcome_lines(options.emit, pickle.loads(options.inputs.read_bytes()))
        return 0
    if options.other is None:
        parser.error("give the src directory of the tree to compare with")
    inputs = _make_inputs(options.target, options.n, options.seed)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "inputs.pickle"
        path.write_bytes(pickle.dumps(inputs))
        ours = _run_tree(ROOT / "src", options.target, path)
        theirs = _run_tree(options.other, options.target, path)
    kinds: dict[str, int] = {}
    for line in ours:
        kind = line.split(" ", 2)[1].strip("'\"")
        kinds[kind] = kinds.get(kind, 0) + 1
    differing = [(mine, other) for mine, other in zip(ours, theirs, strict=False) if mine != other]
    print(
        f"{options.target}: {len(inputs)} inputs, {len(ours)} outcomes here and"
        f" {len(theirs)} in {options.other}; here by kind: {dict(sorted(kinds.items()))}"
    )
    for mine, other in differing[:5]:
        print(f"  here:  {mine[:300]}\n  there: {other[:300]}")
    if differing or len(ours) != len(theirs):
        print(f"DIFFERENT: {len(differing)} outcomes differ")
        return 1
    print("identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
