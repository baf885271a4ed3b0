"""Hypothesis strategies for reports: valid ones, and ones that break one named rule.

Needs the ``testing`` extra (``pip install -e '.[testing]'`` in a clone) and is imported
by name only (``import gipreport.strategies``); ``import gipreport`` never imports
Hypothesis. With the extra installed, ``st.from_type(gipreport.Report)`` works
too, through Hypothesis's entry-point registration.

Everything is built from parts: details are drawn and every total is derived
from them (:func:`gipreport.derive_totals`), and the balance of table 3 is made
to hold by construction, so no strategy filters whole reports. Reports shrink
towards all-zero tables, empty prose and the first organ name, like the bundled
example::

    from hypothesis import given
    import gipreport
    from gipreport.strategies import reports

    @given(reports())
    def test_my_tool_accepts_every_valid_report(report):
        assert gipreport.check(report).ok
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Mapping
from decimal import Decimal
from typing import Final, TypeVar

import attrs

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as _missing:  # pragma: no cover - tested in a subprocess
    if _missing.name != "hypothesis":
        raise
    _msg = (
        "gipreport.strategies needs Hypothesis, which is not installed: install the "
        "'testing' extra (pip install -e '.[testing]' in a clone of gipreport, "
        "or pip install hypothesis)"
    )
    raise ModuleNotFoundError(_msg, name="hypothesis") from None

from gipreport._core.form import FORMATS, CellSpec, FormSpec, form_for
from gipreport._core.model import (
    MAX_AMOUNT_PLACES,
    MAX_COUNT,
    NON_BLANK,
    UNPUBLISHABLE,
    CellValue,
    Columns,
    Fees,
    Outcomes,
    Prose,
    Report,
    Subsection,
)
from gipreport._core.totals import derived_values

__all__ = [
    "DEFAULT_MAX_COUNT",
    "amounts",
    "arithmetic_rules",
    "chinese_text",
    "columns",
    "counts",
    "fees",
    "invalid_reports",
    "organs",
    "outcomes",
    "prose",
    "publishable_text",
    "reports",
]

DEFAULT_MAX_COUNT: Final = 1_000_000
"""The default largest detail count: seven digits, beyond the largest seen (517645)."""

# Characters real reports are written in: common hanzi, full- and half-width
# punctuation (mixed, as in the wild), digits and a few Latin letters.
_HANZI: Final = (
    "政府信息公开工作年度报告本机关依申请主动办理结果予以部分不处理其他行政复议诉讼"
    "镇县区市省街道乡旗人民委员会局厅办公室规章规范性文件许可处罚强制收费年月日件万元"
    "加强完善制度建设平台管理监督保障问题改进情况按照要求开展落实推进提升质量"
)
_PUNCTUATION: Final = "，。、；：？！“”‘’（）《》〔〕【】—…·,.;:?!\"'()-/%"
_OTHER: Final = "0123456789 ABCabcxyz"
_ALPHABET: Final = _HANZI + _PUNCTUATION + _OTHER

_PLACES: Final = (
    "明安镇",
    "乌拉特前旗",
    "海淀区",
    "某某县",
    "城关街道",
    "杭州市",
    "内蒙古自治区",
    "国家税务总局",
)
_ORGAN_SUFFIXES: Final = ("人民政府", "人民政府办公室", "教育局", "市场监督管理局", "自然资源局")


def chinese_text(*, min_size: int = 0, max_size: int = 200) -> st.SearchStrategy[str]:
    """Return a strategy for report prose: hanzi with mixed full/half-width punctuation.

    Shrinks towards the empty string (or ``min_size`` copies of the first hanzi).
    """
    return st.text(alphabet=_ALPHABET, min_size=min_size, max_size=max_size)


_SENTENCES: Final = (
    "按照“谁主管，谁审批，谁负责”为审核原则，明确各部门分管领导作为信息审核负责人。",
    "2023年共办理依申请公开0件。",
    "进一步深化制度改革，创新公开制度，加强政府公开信息报送体系建设。",
    "对拟对外公开的政府信息，按照《保密法》和《条例》的要求严格审查把关；",
    "本年度未收取任何信息处理费(0元)。",
    "1.积极利用政务公开平台，公开办事依据、办事条件、办理程序、申报材料等办事指南。",
    "定期对公开内容进行筛查与整理,对于已过期内容及时清理并更新内容.",
    "（一）加强组织领导——确保此项工作依法有序进行…",
)


_HEADINGS: Final = (
    "主动公开情况",
    "依申请公开情况",
    "政府信息管理情况",
    "政府信息公开平台建设情况",
    "监督保障情况",
    "主要问题",
    "改进措施",
)


# Paragraphs as real reports have them, from short to very long (1,000
# characters and more occur), in the order shrinking should prefer.
_PARAGRAPHS: Final = (
    *_SENTENCES,
    "".join(_SENTENCES),
    _SENTENCES[0] * 25,
    "".join(_SENTENCES) * 12,
)


# What a paragraph may start with that makes it look like structure: numbering as
# headings have it (a paragraph keeps its own numbering, and must read back as a paragraph).
_OPENINGS: Final = (
    "",
    "",
    "",
    "",
    "一、",
    "（一）",
    "（1）",
    "1.",
    "第一条",
    "二、主动公开",
    "（二）",
)
# Characters real reports seldom hold but a report may: astral hanzi (CJK Extension B),
# a mathematical letter, Javanese, Tibetan, Yi, an emoji, a full-width space inside text.
_RARE: Final = "𠀀𠀾𪚥𝒜ꦲꦤབོདꆈ😀\u3000\u00a0é"


def _drawn_paragraph() -> st.SearchStrategy[str]:
    # A drawn paragraph starts with a hanzi (after its numbering, if it has one), so it
    # is never blank (no real paragraph is: a blank one is spacing in every published
    # format); it ends with no space, which would be layout (publishable_text).
    body = st.text(alphabet=_ALPHABET + _RARE, max_size=59)
    return st.builds(
        lambda opening, first, rest: (opening + first + rest).rstrip(),
        st.sampled_from(_OPENINGS),
        st.sampled_from(_HANZI),
        body,
    )


def _publishable(text: str) -> str:
    return UNPUBLISHABLE.sub("", text).strip()


def publishable_text(text: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    r"""Return ``text`` (default ``st.text()``) made into text a report can hold.

    A text of a report is one line of printable text
    (:func:`gipreport._core.model.text_problem`): so every control character, line
    break, lone surrogate and noncharacter is removed from each drawn text, the
    whitespace at its ends is stripped, and a text left blank (or only zero-width
    characters) is filtered out.
    Everything else is kept: any script, astral characters, spaces inside.

    :func:`reports` and :func:`prose` apply this to the ``text`` they are given, so
    ``reports(text=st.text())`` draws only valid reports.

    >>> from hypothesis import find, strategies as st
    >>> find(publishable_text(st.just(" 一\n二\x07 ")), lambda text: True)
    '一二'
    """
    base = st.text() if text is None else text
    return base.map(_publishable).filter(NON_BLANK.search)


def _drawn_heading() -> st.SearchStrategy[str]:
    # A drawn sub-heading is worded as real ones are: a phrase of up to 30
    # characters that starts and ends with a hanzi and holds no 。 (so plain
    # text, where only such a line is a heading, reads it back as one).
    middle = chinese_text(max_size=28).filter(lambda text: "。" not in text)
    return st.builds(
        lambda first, text, last: first + text + last,
        st.sampled_from(_HANZI),
        middle,
        st.sampled_from(_HANZI),
    )


def organs() -> st.SearchStrategy[str]:
    """Return a strategy for organ names: a place and a kind of organ (never empty)."""
    return st.builds(
        lambda place, suffix: place + suffix,
        st.sampled_from(_PLACES),
        st.sampled_from(_ORGAN_SUFFIXES),
    )


def counts(
    *, max_count: int = DEFAULT_MAX_COUNT, blanks: bool = False
) -> st.SearchStrategy[int | None]:
    """Return a strategy for one count: an int from 0 to ``max_count``, or blank if allowed.

    ``max_count`` is at most :data:`gipreport._core.limits.MAX_COUNT`, the largest count.
    """
    if isinstance(max_count, bool) or not isinstance(max_count, int) or max_count < 0:
        msg = f"max_count must be an int ≥ 0, got {max_count!r}"
        raise ValueError(msg)
    if max_count > MAX_COUNT:
        msg = f"max_count must be at most {MAX_COUNT:,}, the largest count, got {max_count:,}"
        raise ValueError(msg)
    values: st.SearchStrategy[int | None] = st.integers(min_value=0, max_value=max_count)
    if blanks:
        values = st.one_of(values, st.none())
    return values


def amounts(*, max_places: int = 6, blanks: bool = False) -> st.SearchStrategy[Decimal | None]:
    """Return a strategy for the fee in 万元: 0 to ``max_places`` decimals, trailing zeros kept."""
    if not 0 <= max_places <= MAX_AMOUNT_PLACES:
        msg = f"max_places must be from 0 to {MAX_AMOUNT_PLACES}, got {max_places!r}"
        raise ValueError(msg)
    # Up to 10 digits before the point (far above any real fee, below the
    # model's bound) and 0 to max_places after it, trailing zeros kept.
    values: st.SearchStrategy[Decimal | None] = st.builds(
        lambda digits, places: Decimal(digits).scaleb(-places),
        st.integers(min_value=0, max_value=10**10 - 1),
        st.integers(min_value=0, max_value=max_places),
    )
    if blanks:
        values = st.one_of(values, st.none())
    return values


def columns(
    *, max_count: int = DEFAULT_MAX_COUNT, blanks: bool = False
) -> st.SearchStrategy[Columns]:
    """Return a strategy for one row of table 3 whose 总计 is the sum of its six details."""
    return _with_derived_total(Columns, max_count=max_count, blanks=blanks)


def outcomes(
    *, max_count: int = DEFAULT_MAX_COUNT, blanks: bool = False
) -> st.SearchStrategy[Outcomes]:
    """Return a strategy for one group of table 4 whose 总计 is the sum of its four outcomes."""
    return _with_derived_total(Outcomes, max_count=max_count, blanks=blanks)


_Group = TypeVar("_Group", Columns, Outcomes)


def _with_derived_total(
    cls: type[_Group], *, max_count: int, blanks: bool
) -> st.SearchStrategy[_Group]:
    details = [field.name for field in attrs.fields(cls) if field.name != "total"]

    def build(values: Mapping[str, int | None]) -> _Group:
        parts = list(values.values())
        total = None if None in parts else sum(p for p in parts if p is not None)
        return cls(**values, total=total)

    one = counts(max_count=max_count, blanks=blanks)
    return st.fixed_dictionaries(dict.fromkeys(details, one)).map(build)


def _prose_shapes() -> tuple[Prose, ...]:
    # Shapes of real prose sections, simplest first (shrinking prefers it):
    # empty, one paragraph, the seed's 总体情况 (a paragraph and five
    # subsections), subsections only, and a long section of long paragraphs.
    sub = [
        Subsection(heading=h, paragraphs=(p,)) for h, p in zip(_HEADINGS, _PARAGRAPHS, strict=False)
    ]
    return (
        Prose(),
        Prose(paragraphs=(_PARAGRAPHS[1],)),
        Prose(paragraphs=("主要问题：", _PARAGRAPHS[6], "改进措施：", _PARAGRAPHS[4])),
        Prose(paragraphs=(_PARAGRAPHS[2],), subsections=tuple(sub[:5])),
        Prose(subsections=tuple(sub)),
        Prose(paragraphs=_PARAGRAPHS[-3:], subsections=(sub[0], sub[3])),
    )


_PROSE_SHAPES: Final = _prose_shapes()


def _insert(shape: Prose, extra: tuple[int, str] | None) -> Prose:
    # Put one drawn text into a shape: as a paragraph before the subsections,
    # or as the heading of a new last subsection.
    if extra is None:
        return shape
    where, text = extra
    if where == 0:
        return attrs.evolve(shape, paragraphs=(*shape.paragraphs, text))
    added = Subsection(heading=text, paragraphs=shape.paragraphs[:1])
    return attrs.evolve(shape, subsections=(*shape.subsections, added))


def fees(*, blanks: bool = False) -> st.SearchStrategy[Fees]:
    """Return a strategy for 行政事业性收费: the amount in 万元 (see :func:`amounts`)."""
    return st.builds(Fees, amount=amounts(blanks=blanks))


def prose(
    *,
    text: st.SearchStrategy[str] | None = None,
    max_paragraphs: int = 3,
    max_subsections: int = 4,
) -> st.SearchStrategy[Prose]:
    """Return a strategy for a prose section: paragraphs, then headed subsections.

    By default a section takes the shape of a real one (empty, one paragraph,
    headed subsections, long paragraphs …) with, sometimes, one more paragraph
    or heading of drawn Chinese text (a heading worded as one: up to 30
    characters, no 。, starting and ending with a hanzi) — drawing every
    paragraph character by character would make whole reports too slow to
    generate. Pass ``text`` to
    draw every paragraph and heading from your own strategy instead, in up to
    ``max_paragraphs`` paragraphs and ``max_subsections`` subsections; what it
    draws is made publishable first (:func:`publishable_text`: controls and line
    breaks removed, ends stripped, blank texts left out).
    """
    if text is None:
        # One time in three, a drawn paragraph or heading joins the shape.
        drawn = st.one_of(
            st.tuples(st.just(0), _drawn_paragraph()), st.tuples(st.just(1), _drawn_heading())
        )
        extra = st.one_of(st.none(), st.none(), drawn)
        return st.builds(_insert, st.sampled_from(_PROSE_SHAPES), extra)
    text = publishable_text(text)
    paragraphs = st.lists(text, max_size=max_paragraphs).map(tuple)
    subsection = st.builds(Subsection, heading=text, paragraphs=paragraphs)
    return st.builds(
        Prose,
        paragraphs=paragraphs,
        subsections=st.lists(subsection, max_size=max_subsections).map(tuple),
    )


# --- whole reports -------------------------------------------------------------------

_ORGANS: Final = organs()


def _detail_cells(form: FormSpec) -> tuple[CellSpec, ...]:
    totals = {eq.total for eq in form.equations if eq.kind == "total"}
    return tuple(c for c in form.cells if c.path not in totals and c.kind == "count")


def _kept_cells(form: FormSpec) -> frozenset[str]:
    # The first detail count of each table is never blank: a table with every cell
    # blank fails tables.missing, and so would a sum of reports blank in turn.
    first: dict[str, str] = {}
    for cell in _detail_cells(form):
        first.setdefault(cell.table, cell.path)
    return frozenset(first.values())


def _signed_values(
    form: FormSpec, values: Mapping[str, CellValue], drawn: Mapping[str, int | None]
) -> dict[str, CellValue]:
    # 本年增/减 (2019): a drawn change, but never below minus the items of the year
    # before, so that the number of items stays ≥ 0 (proactive.items); and the
    # other plausibility of the 2019 table 2, below.
    changes: dict[str, CellValue] = {}
    for cell in form.cells:
        if cell.kind != "signed":
            continue
        change = drawn[cell.path]
        previous = values.get(f"{cell.row_path}.previous_items")
        if isinstance(change, int) and isinstance(previous, int):
            change = max(change, -previous)
        changes[cell.path] = change
    # 对外公开总数量 (2019) is at least what was disclosed this year (disclosed-total).
    for cell in form.cells:
        if cell.table == "proactive" and cell.column.key == "total_disclosed":
            disclosed = values.get(f"{cell.row_path}.disclosed")
            total = values.get(cell.path)
            if isinstance(disclosed, int) and isinstance(total, int) and total < disclosed:
                changes[cell.path] = disclosed
    return changes


def _reports(
    *,
    form: FormSpec,
    max_count: int,
    blanks: bool,
    text: st.SearchStrategy[str] | None,
) -> st.SearchStrategy[Report]:
    # Every part is a strategy built once here; the composite below only draws.
    # (Building strategies per example costs more than drawing from them.)
    paths = tuple(cell.path for cell in _detail_cells(form))
    # Details are drawn in one of two ways. Sparse: a list of (cell, value) on
    # a background of zeros (and blanks), which shrinks to all zeros, like the
    # bundled example, and costs a few choices per filled cell instead of 180.
    # Dense: every cell filled from one drawn seed, so that reports with every
    # cell in play are common too; it does not shrink cell by cell, but the
    # shrinker moves a failure to the sparse branch when it can.
    cell_index = st.integers(min_value=0, max_value=len(paths) - 1)
    sparse = st.tuples(
        st.lists(st.tuples(cell_index, counts(max_count=max_count)), max_size=len(paths)),
        st.lists(cell_index, max_size=len(paths)) if blanks else st.just([]),
    ).map(lambda drawn: _sparse_values(paths, *drawn))
    dense = st.randoms(use_true_random=True).map(
        lambda rnd: _dense_values(paths, rnd, max_count=max_count, blanks=blanks)
    )
    details = st.one_of(sparse, dense)
    kept = _kept_cells(form)
    fee = amounts(blanks=blanks)
    amount_paths = tuple(cell.path for cell in form.cells if cell.kind == "amount")
    amounts_drawn = st.fixed_dictionaries(dict.fromkeys(amount_paths, fee))
    change: st.SearchStrategy[int | None] = st.one_of(
        st.just(0), st.integers(min_value=-max_count, max_value=max_count)
    )
    if blanks:
        change = st.one_of(change, st.none())
    signed_paths = tuple(cell.path for cell in form.cells if cell.kind == "signed")
    changes_drawn = st.fixed_dictionaries(dict.fromkeys(signed_paths, change))
    years = st.integers(min_value=form.first_year, max_value=form.last_year or form.first_year + 30)
    # Titles and preambles take a few real shapes (one choice each) unless the
    # caller's text strategy is to be used everywhere.
    # A title of its own names the report's organ and year, as real ones do.
    # Some titles do not say 报告 (a title is the report's own, and read back as such).
    if text is not None:
        text = publishable_text(text)
    titles: st.SearchStrategy[str | None] = (
        st.sampled_from((None, "{standard}（修订版）", "{organ}{year}年政府信息公开工作情况"))
        if text is None
        else st.one_of(st.none(), text)
    )
    # The date of issue, as days after the year's end (0: not given).
    issued = st.integers(min_value=0, max_value=90)
    preamble = (
        st.sampled_from(((), (_PARAGRAPHS[0],), _PARAGRAPHS[-2:]))
        if text is None
        else st.lists(text, max_size=2).map(tuple)
    )
    sections = prose(text=text)
    carry = st.integers(min_value=0, max_value=10**18)

    @st.composite
    def draw_report(draw: st.DrawFn) -> Report:
        year = draw(years)
        days = draw(issued)
        values = draw(details)
        for path in kept:
            if values[path] is None:
                values[path] = 0
        values.update(draw(amounts_drawn))
        values.update(_signed_values(form, values, draw(changes_drawn)))
        values.update(derived_values(form, values))
        values.update(_balance(values, form, draw(carry)))
        values.update(derived_values(form, values))
        organ = draw(_ORGANS)
        title = draw(titles)
        if title is not None and text is None:
            title = title.format(standard=form.title_for(organ, year), organ=organ, year=year)
        report = Report(
            format=form.id,
            organ=organ,
            year=year,
            title=title,
            published_on=dt.date(year, 12, 31) + dt.timedelta(days) if days else None,
            preamble=draw(preamble),
            overview=draw(sections),
            problems=draw(sections),
            other_matters=draw(sections),
        )
        return report.with_cells(values)

    return draw_report()


def _sparse_values(
    paths: tuple[str, ...], filled: list[tuple[int, int | None]], blanked: list[int]
) -> dict[str, CellValue]:
    values: dict[str, CellValue] = dict.fromkeys(paths, 0)
    for index, value in filled:
        values[paths[index]] = value
    for index in blanked:
        values[paths[index]] = None
    return values


def _dense_values(
    paths: tuple[str, ...], rnd: random.Random, *, max_count: int, blanks: bool
) -> dict[str, CellValue]:
    # Zeros are as common as in real tables; the rest small, sometimes large.
    def one() -> CellValue:
        roll = rnd.random()
        if blanks and roll < 0.05:
            return None
        if roll < 0.5:
            return 0
        if roll < 0.9:
            return rnd.randint(0, min(max_count, 20))
        return rnd.randint(0, max_count)

    return {path: one() for path in paths}


def _balance(values: Mapping[str, CellValue], form: FormSpec, seed: int) -> dict[str, CellValue]:
    # Make each balance instance hold: choose 上年结转 within what was settled
    # and carried forward (from one drawn number, so it shrinks to 0 with it),
    # then 本年新收 is what remains. The 总计 column is left to the derivation
    # that follows (it is itself a balance instance, holding once derived).
    # With blanks, the printed cells are chosen so that the blanks (counts ≥ 0)
    # could still make it hold: not assessable, never failed by the lower bound.
    changes: dict[str, CellValue] = {}
    for eq in form.equations:
        if eq.kind != "balance" or eq.instance == "total":
            continue
        (new_path, over_path), right = eq.left, eq.right
        settled = [values[path] for path in right]
        out = sum(v for v in settled if isinstance(v, int))
        printed = [path for path in (new_path, over_path) if values[path] is not None]
        if None not in settled:
            if len(printed) == 2:
                carried_over = seed % (out + 1)
                changes[over_path] = carried_over
                changes[new_path] = out - carried_over
            for path in printed if len(printed) == 1 else ():
                changes[path] = seed % (out + 1)  # the printed side stays ≤ the other
        elif len(printed) == 2:
            carried_over = seed % (out + 1)
            changes[over_path] = carried_over
            changes[new_path] = out - carried_over
        else:
            for path in printed:
                changes[path] = out  # the printed side stays ≥ the other's printed cells
    return changes


def reports(
    *,
    format: str = "2021",
    max_count: int = DEFAULT_MAX_COUNT,
    blanks: bool = False,
    text: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Report]:
    """Return a strategy for valid reports: every error-severity rule holds.

    ``max_count`` bounds each detail count (totals are their sums, so larger; it
    is at most a thousandth of the largest count, so that every total stays
    within it);
    ``blanks=True`` lets cells be blank (``None``), which makes the instances
    that read them not assessable — never failed. ``text`` replaces the default
    Chinese prose strategy for the title, every preamble paragraph, paragraph
    and heading; what it draws is made publishable (:func:`publishable_text`), so
    ``reports(text=st.text())`` gives valid reports of arbitrary text.

    The default prose holds odd but valid text too: paragraphs numbered as
    headings are ("一、", "（一）", "第一条"), rare scripts and astral characters,
    full-width spaces inside a text, titles that do not say 报告.
    """
    if format not in FORMATS:
        form_for(format)  # raises, listing the implemented formats
    if isinstance(max_count, bool) or not isinstance(max_count, int) or max_count < 0:
        msg = f"max_count must be an int ≥ 0, got {max_count!r}"
        raise ValueError(msg)
    if max_count > MAX_COUNT // 1000:
        msg = (
            f"max_count must be at most {MAX_COUNT // 1000:,} (a thousandth of the largest "
            f"count, so that every total stays within it), got {max_count:,}"
        )
        raise ValueError(msg)
    return _reports(form=FORMATS[format], max_count=max_count, blanks=blanks, text=text)


# --- reports that break exactly one arithmetic rule -------------------------------------


@attrs.frozen
class _Move:
    """Cells to change together: ``(path, sign)``; each changes by ``sign * k``.

    ``breaks`` are the indices (in ``form.equations``) of the rule's instances
    the move makes fail.
    """

    changes: tuple[tuple[str, int], ...]
    breaks: tuple[int, ...] = ()


def arithmetic_rules(format: str = "2021") -> tuple[str, ...]:
    """Return the IDs of the arithmetic rules of a format, in the form's order."""
    return tuple(dict.fromkeys(eq.rule for eq in form_for(format).equations))


@functools.cache
def _moves(form: FormSpec, rule: str) -> tuple[_Move, ...]:
    # A move breaks `rule` alone when, for every equation of every other rule,
    # the changes cancel (Σ coefficient × sign = 0), and some equation of `rule`
    # sees a net change. Equations are Σ left − Σ right = 0, so each cell has a
    # coefficient +1 or −1 in each equation it appears in. Cells whose
    # coefficients on the other rules are equal cancel with opposite signs;
    # cells whose coefficients are opposite cancel with equal signs.
    others: dict[str, dict[int, int]] = {}
    own: dict[str, dict[int, int]] = {}
    for index, eq in enumerate(form.equations):
        target = own if eq.rule == rule else others
        for path in eq.left:
            target.setdefault(path, {})[index] = 1
        for path in eq.right:
            target.setdefault(path, {})[index] = -1

    def key(coefficients: Mapping[int, int], sign: int) -> frozenset[tuple[int, int]]:
        return frozenset((i, c * sign) for i, c in coefficients.items())

    cells = [c.path for c in form.cells if c.kind == "count" and c.path in own]
    moves: list[_Move] = [_Move(changes=((path, 1),)) for path in cells if not others.get(path)]
    by_signature: dict[frozenset[tuple[int, int]], list[str]] = {}
    for path in cells:
        by_signature.setdefault(key(others.get(path, {}), 1), []).append(path)
    for path in cells:
        mine = others.get(path, {})
        if not mine:
            continue
        for partner in by_signature.get(key(mine, -1), []):
            if partner > path:
                moves.append(_Move(changes=((path, 1), (partner, 1))))
        for partner in by_signature.get(key(mine, 1), []):
            if partner > path:
                moves.append(_Move(changes=((path, 1), (partner, -1))))
    with_breaks = (attrs.evolve(move, breaks=_breaks(move, own)) for move in moves)
    return tuple(move for move in with_breaks if move.breaks)


def _breaks(move: _Move, own: Mapping[str, Mapping[int, int]]) -> tuple[int, ...]:
    net: dict[int, int] = {}
    for path, sign in move.changes:
        for index, coefficient in own.get(path, {}).items():
            net[index] = net.get(index, 0) + coefficient * sign
    return tuple(index for index, change in sorted(net.items()) if change)


_K: Final = st.integers(min_value=1, max_value=1000)
_CHOICE: Final = st.integers(min_value=0, max_value=2**32)


@st.composite
def _invalid(
    draw: st.DrawFn,
    *,
    valid: st.SearchStrategy[Report],
    filled: st.SearchStrategy[Report],
    rule: str,
    form: FormSpec,
) -> Report:
    report = draw(valid)
    feasible = _feasible(report, form, rule, k := draw(_K))
    if not feasible:
        # Every cell this rule reads is blank; break a report without blanks.
        report = draw(filled)
        feasible = _feasible(report, form, rule, k)
    move, flip = feasible[draw(_CHOICE) % len(feasible)]
    changes: dict[str, CellValue] = {}
    for path, sign in move.changes:
        value = report.cell(path)
        assert isinstance(value, int)
        changes[path] = value + flip * sign * k
    return report.with_cells(changes)


def _feasible(report: Report, form: FormSpec, rule: str, k: int) -> list[tuple[_Move, int]]:
    # The moves that keep every changed count ≥ 0 and break an instance that
    # reads no blank cell (a blank makes an instance not assessable, not failed).
    values_by_path = report.values()
    feasible = []
    for move in _moves(form, rule):
        if not any(
            all(values_by_path[path] is not None for path in form.equations[index].cells)
            for index in move.breaks
        ):
            continue
        values = [values_by_path[path] for path, _sign in move.changes]
        for flip in (1, -1):
            if all(
                isinstance(v, int) and v + flip * sign * k >= 0
                for v, (_path, sign) in zip(values, move.changes, strict=True)
            ):
                feasible.append((move, flip))
    return feasible


_TABLE_BREAKS: Final[Mapping[str, tuple[tuple[str, ...], str]]] = {
    "proactive.disclosed-total": (("2019",), "disclosed"),
    "proactive.items": (("2019",), "change"),
}
"""Warnings of the 2019 table 2 a strategy can break: the formats, and the cell changed."""


def _broken_table_2(valid: st.SearchStrategy[Report], rule: str) -> st.SearchStrategy[Report]:
    # One row made to break the rule by a drawn amount k ≥ 1, its other cell printed.
    def rows(report: Report) -> list[str]:
        key = _TABLE_BREAKS[rule][1]
        return sorted(
            {
                c.row_path
                for c in report.form.cells
                if c.table == "proactive" and c.column.key == key
            }
        )

    def build(report: Report, choice: int, k: int) -> Report:
        row = rows(report)[choice % len(rows(report))]
        if rule == "proactive.items":
            previous = report.cell(f"{row}.previous_items")
            base = previous if isinstance(previous, int) else 0
            return report.with_cells({f"{row}.previous_items": base, f"{row}.change": -base - k})
        total = report.cell(f"{row}.total_disclosed")
        base = total if isinstance(total, int) else 0
        return report.with_cells({f"{row}.total_disclosed": base, f"{row}.disclosed": base + k})

    return st.builds(build, valid, _CHOICE, _K)


def invalid_reports(
    *,
    rule: str,
    format: str = "2021",
    max_count: int = DEFAULT_MAX_COUNT,
    blanks: bool = False,
    text: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Report]:
    """Return a strategy for reports that break the rule ``rule`` and no other error rule.

    At least one instance of ``rule`` fails; every other error-severity rule
    holds (or is not assessable, with ``blanks=True``). ``rule`` is one of
    :func:`arithmetic_rules` (``requests.balance``, ``requests.results-total``,
    ``requests.row-total``, ``appeals.total``), ``report.format``,
    ``tables.missing`` (a table wholly blank), or a rule of the 2019 tables
    (``format="2019"``): ``proactive.disclosed-total`` (more disclosed this year
    than in all) or ``proactive.items`` (a change taking the items below zero).
    """
    form = form_for(format)
    valid = reports(format=format, max_count=max_count, blanks=blanks, text=text)
    if rule in _TABLE_BREAKS and format in _TABLE_BREAKS[rule][0]:
        return _broken_table_2(valid, rule)
    if rule == "tables.missing":
        tables = st.sampled_from([table.key for table in form.tables])
        return st.tuples(valid, tables).map(
            lambda drawn: drawn[0].with_cells(
                {cell.path: None for cell in form.cells if cell.table == drawn[1]}
            )
        )
    if rule == "report.format":
        # A year the format was not in use for: one of another format's years
        # (a 2021-format report on 2019–2020, a 2019-format one on 2021 or later).
        other_years = st.one_of(
            *(
                st.integers(
                    min_value=other.first_year,
                    max_value=other.last_year or other.first_year + 30,
                )
                for other in FORMATS.values()
                if other is not form
            )
        )
        return valid.flatmap(
            lambda r: other_years.map(lambda year: attrs.evolve(r, year=year, published_on=None))
        )
    known = arithmetic_rules(format)
    if rule not in known:
        others = [name for name, (formats, _how) in _TABLE_BREAKS.items() if format in formats]
        listed = ", ".join((*known, "report.format", "tables.missing", *others))
        msg = f"invalid_reports() can break {listed}; got {rule!r}"
        raise ValueError(msg)
    filled = reports(format=format, max_count=max_count, blanks=False, text=text)
    return _invalid(valid=valid, filled=filled, rule=rule, form=form)
