"""Counts stated in a report's prose, and what the prose says about fee notices.

Wording varies from report to report, so only unambiguous phrases are read; a
phrase that does not match gives no finding. The phrases: :data:`COUNT_PHRASES` and
:data:`FEE_NOTICE_PHRASES`, also shown in the rule catalogue.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Final

import attrs

from gipreport._core.form import FormSpec
from gipreport._core.model import Prose, Report
from gipreport._core.values import Value

__all__ = [
    "COUNT_PHRASES",
    "FEE_NOTICE_PHRASES",
    "Paragraph",
    "Phrase",
    "phrases",
    "says_no_fee_notice",
]

COUNT_PHRASES: Final = """\
Only these phrases are read, in the preamble and the prose sections, with N a
number in Arabic digits (half- or full-width) followed by 件; a phrase that does
not match gives no finding, and Chinese numerals are not read:

- 办理 + 依申请公开, 政府信息公开 or 信息公开 (+ 申请 or 事项) + N件, as in
  "共办理依申请公开0件". 办理 has three readings, and the text agrees with the
  table when N is any of them: 三、本年度办理结果（七）总计 · 总计; 一、本年新收 · 总计
  \\+ 二、上年结转 · 总计; or 一、本年新收 · 总计.
- 收到 or 新收, then at most 20 characters (no punctuation, no digits) that mention
  公开, then 申请 or 依申请公开, then N件, as in "共收到政府信息公开申请5件":
  一、本年新收 · 总计. "收到申请N件", with nothing between, is read only where the
  sentence or the sub-heading mentions 申请公开.
- 行政复议 (+ 案件 or 申请) + N件: 行政复议 · 总计; and 行政诉讼 (+ 案件) + N件: the two
  总计 of 行政诉讼 added up. These are read only when the sentence before them
  mentions 公开: a 司法局 may report every 行政复议 it handles.

Between the words and N there may be 共, 共计, 合计, 总计 or 为. A phrase is skipped
when its sentence, up to the phrase, names another year (2022年) or says 上年, 去年,
上一年, 前年, 同期, 累计 or 以来, or when the words between verb and number mention
结转, 复议, 诉讼, 投诉, 举报, 信访 or 许可.
"""
"""The phrases :func:`phrases` reads, as Markdown (shown in the rule catalogue)."""

FEE_NOTICE_PHRASES: Final = """\
六、其他需要报告的事项 says no 收费通知 was issued when a sentence has a negation (未,
没有, 无, 并未, 均未, 从未, 无需, 不需), optionally 向申请人, a verb of issuing (发出,
发放, 出具, 下达, 送达, 开具, 寄送), then 收费通知, as in "未向申请人发出收费通知"; or
counts 收费通知 as 0 ("收费通知0件"). "未收取信息处理费" says nothing about notices
(a notice left unpaid collects nothing) and is not read.
"""
"""The phrases :func:`says_no_fee_notice` reads, as Markdown."""

_NUMBER: Final = r"(?P<n>[0-9０-９]+)件"
_JOIN: Final = r"(?:共计|合计|总计|共)?(?:为)?"
_FULL_WIDTH: Final = str.maketrans("０１２３４５６７８９", "0123456789")

# The regular expressions are compiled when first used (:func:`_compiled`): most
# reports need a few of them, and compiling them all was a tenth of ``import``.
_SENTENCE_END: Final = r"[。；;！!？?\n]"
_OTHER_TIME: Final = r"上年|去年|上一年|前年|同期|累计|以来"
_YEAR: Final = r"((?:19|20)[0-9]{2})年"
_NOT_REQUESTS: Final = r"结转|复议|诉讼|投诉|举报|信访|许可"

PATTERNS: Final[dict[str, str]] = {
    "handled": (rf"办理(?:了)?(?:依申请公开|政府信息公开|信息公开)(?:申请|事项)?{_JOIN}{_NUMBER}"),
    "received": (
        rf"(?:收到|新收)(?:了)?(?P<mid>[^，,。；;：:、！!？?\s0-9０-９]{{0,20}}?)"
        rf"(?:依申请公开|申请){_JOIN}{_NUMBER}"
    ),
    "review": rf"行政复议(?:案件|申请)?{_JOIN}{_NUMBER}",
    "litigation": rf"行政诉讼(?:案件)?{_JOIN}{_NUMBER}",
}
"""The phrases read, by kind: regular expressions (compiled when first used)."""


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """Return ``pattern`` compiled, once."""
    return re.compile(pattern)


_NEEDS_DISCLOSURE_CONTEXT: Final = frozenset({"review", "litigation"})


# Paragraph and Phrase take repr, == and hash from Value (as the checks' other
# records): attrs compiles only their __init__ at import.


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Paragraph(Value):
    """A paragraph of prose: its path, where it is in Chinese, and its text."""

    path: str
    where: str
    text: str


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Phrase(Value):
    """A count stated in the prose: which kind, the number, the words, and where."""

    kind: str
    number: int
    text: str
    paragraph: Paragraph
    start: int


_PARAGRAPH_PATH: Final = (
    r"(?P<key>\w+)(?:\.subsections\[(?P<sub>\d+)\])?\.paragraphs\[\d+\]|preamble\[\d+\]"
)
"""The paths of :meth:`Report.texts` that are paragraphs (not the organ, title or a heading)."""


@functools.cache
def _prose_headings(form: FormSpec) -> dict[str, str]:
    return {section.key: section.heading for section in form.sections if section.kind == "prose"}


def _paragraph(report: Report, text: str, path: str) -> Paragraph:
    """Return the :class:`Paragraph` at ``path`` (made only for a paragraph read closely)."""
    found = _compiled(_PARAGRAPH_PATH).fullmatch(path)
    assert found is not None, path
    key = found["key"]
    if key is None:
        return Paragraph(path=path, where="引言", text=text)
    heading = _prose_headings(report.form)[key]
    sub = found["sub"]
    if sub is None:
        return Paragraph(path=path, where=heading, text=text)
    prose: Prose = getattr(report, key)
    return Paragraph(
        path=path, where=f"{heading} · {prose.subsections[int(sub)].heading}", text=text
    )


def _sentence_before(text: str, start: int) -> str:
    sentence_start = 0
    for end in _compiled(_SENTENCE_END).finditer(text, 0, start):
        sentence_start = end.end()
    return text[sentence_start:start]


def _is_placed(kind: str, match: re.Match[str], text: str, year: int, where: _Where) -> bool:
    before = _sentence_before(text, match.start())
    other_time = _compiled(_OTHER_TIME).search
    if other_time(before) or other_time(match[0]):
        return False
    # A year is written with 年: most sentences name none.
    if "年" in before:
        for found in _compiled(_YEAR).finditer(before):
            if int(found[1]) != year:
                return False
    if kind in _NEEDS_DISCLOSURE_CONTEXT:
        return "公开" in before
    if kind == "received":
        mid = match["mid"]
        if _compiled(_NOT_REQUESTS).search(mid):
            return False
        if mid:
            return "公开" in mid
        return "申请公开" in before or "申请公开" in where()
    return True


_KEYWORDS: Final[Mapping[str, tuple[str, ...]]] = {
    "handled": ("办理",),
    "received": ("收到", "新收"),
    "review": ("行政复议",),
    "litigation": ("行政诉讼",),
}
_READ: Final = tuple((kind, pattern, _KEYWORDS[kind]) for kind, pattern in PATTERNS.items())


# A digit then 件: the search starts at each 件 (a literal, found as str.find finds
# it), as most paragraphs have no 件 at all and the others a few (文件).
_STATES_A_COUNT: Final = "件(?<=[0-9０-９]件)"
_concat: Final = "".join


@functools.cache
def _prose_keys(form: FormSpec) -> tuple[str, ...]:
    return tuple(section.key for section in form.sections if section.kind == "prose")


def _paragraph_texts(
    report: Report, only: str | None = None
) -> Iterator[tuple[str, str, int | None, int]]:
    """Yield ``(text, key, subsection, index)`` for the preamble and prose paragraphs.

    With ``only``, the paragraphs of that prose section only. The order is
    :meth:`Report.texts`'s; the path (:func:`_paragraph_path`) is made only for a
    paragraph read closely.
    """
    if only is None:
        for index, text in enumerate(report.preamble):
            yield text, "preamble", None, index
    keys = _prose_keys(report.form)
    if only is not None:
        keys = (only,) if only in keys else ()
    for key in keys:
        prose: Prose = getattr(report, key)
        for index, text in enumerate(prose.paragraphs):
            yield text, key, None, index
        for sub, subsection in enumerate(prose.subsections):
            for index, text in enumerate(subsection.paragraphs):
                yield text, key, sub, index


def _paragraph_path(key: str, sub: int | None, index: int) -> str:
    if key == "preamble":
        return f"preamble[{index}]"
    if sub is None:
        return f"{key}.paragraphs[{index}]"
    return f"{key}.subsections[{sub}].paragraphs[{index}]"


def _counting_paragraphs(report: Report) -> list[tuple[str, str]]:
    """Return ``(path, text)`` of the paragraphs that state a count (a digit then 件).

    One plain walk per report: no generator step, and no path made, per
    paragraph; the paragraphs of a section or subsection without a 件 (most) are
    passed over together.
    """
    found: list[tuple[str, str]] = []
    states_a_count = _compiled(_STATES_A_COUNT).search
    for index, text in enumerate(report.preamble):
        if "件" in text and states_a_count(text):
            found.append((f"preamble[{index}]", text))
    for key in _prose_keys(report.form):
        prose: Prose = getattr(report, key)
        paragraphs = prose.paragraphs
        if "件" in _concat(paragraphs):
            for index, text in enumerate(paragraphs):
                if "件" in text and states_a_count(text):
                    found.append((f"{key}.paragraphs[{index}]", text))
        for sub, subsection in enumerate(prose.subsections):
            paragraphs = subsection.paragraphs
            if "件" in _concat(paragraphs):
                for index, text in enumerate(paragraphs):
                    if "件" in text and states_a_count(text):
                        found.append((f"{key}.subsections[{sub}].paragraphs[{index}]", text))
    return found


def phrases(report: Report) -> Iterator[Phrase]:
    """Yield every count the prose states in a phrase :data:`PATTERNS` can place."""
    paragraph: Paragraph | None = None
    for kind, match, path, text in placed_matches(report):
        if paragraph is None or paragraph.path != path:
            paragraph = _paragraph(report, text, path)
        yield Phrase(
            kind=kind,
            number=count_of(match),
            text=match[0],
            paragraph=paragraph,
            start=match.start(),
        )


_Where = Callable[[], str]


def count_of(match: re.Match[str]) -> int:
    """Return the number N of a phrase matched by a pattern of :data:`PATTERNS`."""
    return int(match["n"].translate(_FULL_WIDTH))


def placed_matches(report: Report) -> Iterator[tuple[str, re.Match[str], str, str]]:
    """Yield ``(kind, match, path, text)`` for the phrases :func:`phrases` yields, in order.

    The scan itself, once per report, without a :class:`Phrase` or :class:`Paragraph`
    made per phrase (a paragraph's place in Chinese is worked out only when a
    phrase needs it).
    """
    year = report.year
    for path, text in _counting_paragraphs(report):

        def where(text: str = text, path: str = path) -> str:
            return _paragraph(report, text, path).where

        for kind, pattern, keywords in _READ:
            for word in keywords:
                if word in text:
                    break
            else:
                continue
            for match in _compiled(pattern).finditer(text):
                if _is_placed(kind, match, text, year, where):
                    yield kind, match, path, text


_NO_FEE_NOTICE: Final = (
    r"(?:未|没有|无|并未|均未|从未|无需|不需)(?:向申请人)?"
    r"(?:发出|发放|出具|下达|送达|开具|寄送)?(?:过)?(?:任何)?(?:信息处理费)?收费通知"
    r"|收费通知(?:书)?(?:共计|共|合计)?(?:为)?[0０](?:件|份|次|个)"
)


def says_no_fee_notice(report: Report) -> tuple[Paragraph, str] | None:
    """Return the first paragraph of 六、其他需要报告的事项 saying no 收费通知 was issued.

    The phrases are :data:`FEE_NOTICE_PHRASES`. Returns the paragraph and the
    words matched, or ``None``.
    """
    # The path is made only for a paragraph that mentions 收费通知.
    for text, key, sub, index in _paragraph_texts(report, "other_matters"):
        if "收费通知" not in text:
            continue
        match = _compiled(_NO_FEE_NOTICE).search(text)
        if match is not None:
            return _paragraph(report, text, _paragraph_path(key, sub, index)), match[0]
    return None
