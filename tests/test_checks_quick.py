"""The quick passes of the checks give the result the checks themselves give.

``check`` first asks each built-in rule's quick pass (``rules.QUICK``) whether
every instance of the rule holds; only when one does not (or it is not sure)
does the rule's check run, with its context and generator (or, for
``cells.blank`` and the arithmetic rules, its direct check, ``rules.DIRECT``).
The law: with and without the quick passes and direct checks, ``check`` gives
the same findings, counts, suspects and unexplained years, on valid reports and
on inconsistent ones.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import attrs
import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

import gipreport
from budget_support import examples, invalid_reports, reports
from checks_support import valid_report
from gipreport import CheckResult, Report
from gipreport._checking import checks, narrative, rules
from gipreport._checking.arithmetic import evaluate_report, form_index
from gipreport._checking.organs import ORGAN_KINDS, OrganKind
from gipreport._checking.rules import CATALOGUE, QUICK, _Evaluation
from gipreport._core import jsonio
from gipreport._core.jsonio import loaded_cells
from gipreport.strategies import arithmetic_rules


def _reference(report: Report, organ_kind: OrganKind | None = None) -> CheckResult:
    """Return what :func:`gipreport.check` gives, every rule's check run."""
    run = checks._Run.of(checks._report_scope(checks._choose((), None, None)), quick=False)
    run.check_report(report, organ_kind)
    return run.result()


def _same(report: Report, organ_kind: OrganKind | None = None) -> None:
    fast = gipreport.check(report, organ_kind=organ_kind)
    reference = _reference(report, organ_kind)
    assert fast == reference
    assert fast.rule_counts == reference.rule_counts


_ORGANS = ("某某县人民政府", "某某市交通运输局", "某某镇人民政府", "某某省人民政府")
_TEXTS = (
    "本年度共收到政府信息公开申请3件，办理依申请公开5件。",
    "全年共办理政府信息公开申请0件；收到行政复议案件2件。",
    "本年度未向申请人发出收费通知。",
    "收费0元。",
    "无。",
)


@st.composite
def _changed(draw: st.DrawFn, report: Report) -> Report:
    """``report`` with some header fields, texts and cells changed (often inconsistently)."""
    form = report.form
    changes: dict[str, object] = {}
    if draw(st.booleans()):
        changes["organ"] = draw(st.sampled_from(_ORGANS))
    if draw(st.booleans()):
        changes["year"] = draw(st.integers(2018, 2026))
    if draw(st.booleans()):
        changes["published_on"] = draw(
            st.none() | st.dates(dt.date(2018, 1, 1), dt.date(2027, 12, 31))
        )
    if draw(st.booleans()):
        key = draw(st.sampled_from(("overview", "problems", "other_matters")))
        paragraphs = tuple(draw(st.lists(st.sampled_from(_TEXTS), max_size=3)))
        changes[key] = gipreport.Prose(paragraphs=paragraphs)
    changed = attrs.evolve(report, **changes)  # type: ignore[arg-type]
    paths = [spec.path for spec in form.cells if spec.kind in ("count", "signed")]
    cells = draw(st.lists(st.sampled_from(paths), max_size=3, unique=True))
    values = {path: draw(st.none() | st.integers(0, 9)) for path in cells}
    return changed.with_cells(values) if values else changed


_FORMATS = st.sampled_from(("2021", "2019"))


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        _FORMATS.flatmap(lambda fmt: reports(format=fmt)),
        _FORMATS.flatmap(lambda fmt: reports(format=fmt, blanks=True)),
        _FORMATS.flatmap(
            lambda fmt: st.sampled_from(arithmetic_rules(fmt)).flatmap(
                lambda rule: invalid_reports(rule=rule, format=fmt)
            )
        ),
    ).flatmap(_changed),
    st.none() | st.sampled_from(ORGAN_KINDS),
)
def test_the_quick_passes_change_nothing(report: Report, organ_kind: OrganKind | None) -> None:
    _same(report, organ_kind)


_CHECKED = st.one_of(
    _FORMATS.flatmap(lambda fmt: reports(format=fmt)),
    _FORMATS.flatmap(lambda fmt: reports(format=fmt, blanks=True)),
    _FORMATS.flatmap(
        lambda fmt: st.sampled_from(arithmetic_rules(fmt)).flatmap(
            lambda rule: invalid_reports(rule=rule, format=fmt)
        )
    ),
).flatmap(_changed)


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_CHECKED)
def test_the_cells_load_json_keeps_are_the_cells_read(report: Report) -> None:
    # A report made by load_json's fast path is checked from the values it read;
    # they are the report's, and its check is that of the same report made otherwise.
    loaded = gipreport.load_json(gipreport.dump_json(report))
    kept = loaded_cells(loaded)
    assert kept is not None
    values, diffs, has_blank = evaluate_report(loaded, form_index(loaded.form))
    assert [(type(v), v) for v in kept] == [(type(v), v) for v in values]
    evaluation = _Evaluation.of(loaded)
    assert (evaluation.values, evaluation.diffs, evaluation.has_blank) == (values, diffs, has_blank)
    copy = attrs.evolve(loaded)
    assert loaded_cells(copy) is None
    assert loaded_cells(report) is None or loaded_cells(report) == kept
    assert gipreport.check(loaded) == gipreport.check(copy) == _reference(copy)
    assert gipreport.check(loaded).rule_counts == _reference(copy).rule_counts


def test_the_cells_kept_are_forgotten_with_the_report() -> None:
    document = gipreport.dump_json(gipreport.examples.mingan_2023())
    loaded = gipreport.load_json(document)
    assert loaded_cells(loaded) is not None
    before = len(jsonio._LOADED_CELLS)
    del loaded
    assert len(jsonio._LOADED_CELLS) == before - 1


def test_the_quick_passes_on_reports_that_pass_every_rule() -> None:
    for report in (
        gipreport.examples.mingan_2023(),
        valid_report(3),
        gipreport.blank_report("某县人民政府", 2020, format_id="2019"),
    ):
        result = gipreport.check(report)
        _same(report)
        assert result == _reference(report)
    assert not gipreport.check(valid_report(5)).findings


def test_every_report_rule_of_the_catalogue_has_a_quick_pass() -> None:
    # A rule without one would be checked the slow way on every report.
    assert [
        rule.id for rule in CATALOGUE if rule.scope == "report" and rule.check not in QUICK
    ] == []


_MEMOISED = (
    "tables.missing",
    "report.sections",
    "proactive.in-force",
    "proactive.disclosed-total",
    "proactive.items",
)


def test_the_direct_checks_are_those_of_the_blank_arithmetic_and_memoised_rules() -> None:
    assert sorted(rule.id for rule in CATALOGUE if rule.check in rules.DIRECT) == sorted(
        ("cells.blank", *arithmetic_rules("2021"), *_MEMOISED)
    )


_EXCERPTS = Path(__file__).parent / "data" / "real" / "excerpts-2019"


def test_the_memoised_checks_on_real_2019_excerpts() -> None:
    # Published 2019 reports with whole tables blank (an excerpt): tables.missing,
    # proactive.items and the other memoised rules fail or cannot assess; the
    # outcomes kept for one report are right for the next with the same facts,
    # and not for one with other facts (a year, a value, a section, a table).
    for source in sorted(_EXCERPTS.glob("*.txt")):
        report = gipreport.read(source.read_bytes()).report
        loaded = gipreport.load_json(gipreport.dump_json(report))
        result = gipreport.check(loaded)
        assert result.by_rule("tables.missing") or result.by_rule("proactive.items"), source
        for checked in (report, loaded):
            _same(checked)
        form = report.form
        changed = [
            attrs.evolve(report, year=report.year + 1),
            attrs.evolve(report, overview=gipreport.Prose(paragraphs=("本年度……",))),
            attrs.evolve(report, problems=gipreport.Prose()),
        ]
        for spec in form.cells:
            if spec.table == "proactive" and spec.kind in ("count", "signed"):
                changed.append(report.with_cells({spec.path: 0 if spec.kind == "count" else -5}))
        first_table = [spec.path for spec in form.cells if spec.table == form.tables[1].key]
        changed.append(report.with_cells(dict.fromkeys(first_table)))
        changed.append(report.with_cells(dict.fromkeys(first_table, 1)))
        for other in changed:
            _same(other)
            _same(report)  # and back: what was kept for the first is still its own


def test_the_memoised_checks_name_what_fails_in_each_report() -> None:
    # The same facts give the same findings; other values, their own messages.
    report = gipreport.blank_report("某县人民政府", 2020, format_id="2019")
    rows = [s.row_path for s in report.form.cells if s.column.kind == "signed"]
    for change in (-1, -2, -1):
        values = {f"{rows[0]}.previous_items": 0, f"{rows[0]}.change": change}
        result = gipreport.check(report.with_cells(values), select="proactive.items")
        (finding,) = [f for f in result.findings if f.status == "failed"]
        assert f"{change:+d}" in finding.message_zh
        assert finding.left == change
        _same(report.with_cells(values))


def test_the_direct_checks_on_a_real_report_with_blanks() -> None:
    # A published report: 160 findings, most of them blank cells and the
    # equations they leave not assessable, and a lower bound that fails.
    source = Path(__file__).parent / "data" / "real" / "kiro-shuyang-fgj-2023" / "source.html"
    report = gipreport.read(source.read_bytes()).report
    loaded = gipreport.load_json(gipreport.dump_json(report))
    for checked in (report, loaded):
        _same(checked)
        for organ_kind in ORGAN_KINDS:
            _same(checked, organ_kind)
    result = gipreport.check(report)
    assert result.by_rule("cells.blank")
    row_totals = result.by_rule("requests.row-total")
    assert any(finding.status == "not_assessable" for finding in row_totals)
    for blanks in ({"requests.results.total.total": None}, {"requests.new_received.total": 10**6}):
        _same(report.with_cells(blanks))


_PARAGRAPHS = st.lists(st.text(alphabet="件文0９办理年。", min_size=1, max_size=8), max_size=4).map(
    tuple
)


@settings(max_examples=examples(200), deadline=None)
@given(_PARAGRAPHS, _PARAGRAPHS, st.lists(_PARAGRAPHS, max_size=3))
def test_the_paragraphs_read_closely_are_those_stating_a_count(
    preamble: tuple[str, ...], paragraphs: tuple[str, ...], subsections: list[tuple[str, ...]]
) -> None:
    # The walk passes over a section without a 件 at once: it keeps exactly the
    # paragraphs with a digit then 件, with their paths, in the order of Report.texts.
    overview = gipreport.Prose(
        paragraphs=paragraphs,
        subsections=tuple(
            gipreport.Subsection(heading="小标题", paragraphs=texts) for texts in subsections
        ),
    )
    report = attrs.evolve(gipreport.examples.mingan_2023(), preamble=preamble, overview=overview)
    expected = [
        (path, text)
        for path, text in report.texts()
        if ("paragraphs[" in path or path.startswith("preamble["))
        and re.search("[0-9０-９]件", text)
    ]
    assert narrative._counting_paragraphs(report) == expected


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CHECKED, min_size=2, max_size=3))
def test_findings_made_once_are_those_made_anew(reports: list[Report]) -> None:
    # Findings made once and shared (a blank cell's, a not assessable equation's)
    # are those a check with nothing made before would make, whatever was checked before.
    anew = []
    for report in reports:
        rules._MADE.clear()
        anew.append(gipreport.check(report))
    for report, result in zip(reports * 2, anew * 2, strict=True):
        assert gipreport.check(report) == result


def test_a_plan_for_some_blanks_serves_every_report_with_those_blanks() -> None:
    # What the arithmetic rules do with a set of blank cells is planned once
    # (rules._Plan) and taken again for the next report with the same blanks:
    # whatever its printed cells say (every equation holding, a lower bound
    # broken, an equation without a blank failing), it gets the findings a
    # check with nothing planned before gives.
    blanks = {
        "requests.new_received.commercial": None,  # both sides of a balance
        "requests.results.total.commercial": None,
        "requests.results.disclosed.research": None,  # a part: the lower bound of a total
    }
    base = valid_report(7).with_cells(blanks)
    total = "requests.results.disclosed.total"
    printed = base.cell(total)
    assert isinstance(printed, int)
    variants = [
        base,
        base.with_cells({total: 0}),  # the parts printed exceed the total
        base.with_cells({"requests.new_received.natural_person": 10**6}),  # no blank, fails
        base.with_cells({total: printed + 1}),  # the blank part may be 1
    ]
    expected = []
    for report in variants:
        rules._MADE.clear()
        expected.append(_reference(report))
    for report, result in zip(variants * 2, expected * 2, strict=True):
        assert gipreport.check(report) == result
        _same(report)
    statuses = {
        (finding.rule, finding.status)
        for result in expected
        for finding in result.findings
        if finding.rule != "cells.blank"
    }
    assert ("requests.row-total", "failed") in statuses
    assert ("requests.balance", "not_assessable") in statuses
    assert ("requests.balance", "failed") in statuses


def test_a_loaded_report_is_checked_without_reading_its_cells_again() -> None:
    # load_json keeps the values it read, so the check of a loaded report writes out
    # neither the format's reader nor its read-and-sum function (both made on first use).
    index = form_index.__wrapped__(gipreport.form.FORM_2021)
    assert index._read is None
    assert index._read_differences is None
    report = gipreport.examples.mingan_2023()
    values, found = index.read_differences(report)
    assert values == index.read(report) == tuple(report.values().values())
    assert found == index.all_differences(values)
    code = (
        "import gipreport\n"
        "from gipreport._checking.arithmetic import form_index\n"
        "report = gipreport.load_json(gipreport.examples.mingan_2023_json())\n"
        "assert gipreport.check(report).ok\n"
        "index = form_index(report.form)\n"
        "print(index._read is None, index._read_differences is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True"]
