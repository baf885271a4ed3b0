"""Where a column header may break: the words of the form's header labels.

Chinese is written without spaces, and a browser or a word processor may break a
line between any two ideographs: a narrow column of 商业企业 comes out as 商业企 /
业. A header must break between words only (商业 / 企业), so the renderers ask
:func:`words` where the words of a label are: the HTML puts ``<wbr>`` between
them (and forbids other breaks with ``word-break: keep-all``), the docx breaks a
header into balanced lines at them.

The words are those of the labels of the national form (both formats), listed
once in :data:`WORDS`; a label is split by the longest listed word at each
place. A character of no listed word stands alone, so a label the list does not
cover still renders, only with breaks allowed around that character (the tests
check that the form's labels are covered).
"""

from __future__ import annotations

import functools
from typing import Final

__all__ = ["WORDS", "balanced_lines", "words"]

WORDS: Final = frozenset(
    {
        # table 2
        "信息",
        "内容",
        "本年",
        "制发",
        "废止",
        "现行",
        "有效",
        "件数",
        "处理",
        "决定",
        "数量",
        "收费",
        "金额",
        "单位",
        "万元",
        "新",
        "制作",
        "公开",
        "对外",
        "总数量",
        "上一年",
        "项目",
        "增/减",
        "采购",
        "总金额",
        # table 3
        "申请人",
        "情况",
        "自然人",
        "法人",
        "或",
        "其他",
        "组织",
        "商业",
        "企业",
        "科研",
        "机构",
        "社会",
        "公益",
        "法律",
        "服务",
        "总计",
        # table 4
        "行政",
        "复议",
        "复议后",
        "诉讼",
        "结果",
        "维持",
        "纠正",
        "尚未",
        "审结",
        "未经",
        "直接",
        "起诉",
    }
)
"""The words of the form's column-header labels."""

_LONGEST: Final = max(len(word) for word in WORDS)


@functools.cache
def words(label: str) -> tuple[str, ...]:
    """Return ``label`` cut into words: the longest word of :data:`WORDS` at each place.

    >>> words("法律服务机构"), words("复议后起诉"), words("本年增/减")
    (('法律', '服务', '机构'), ('复议后', '起诉'), ('本年', '增/减'))
    >>> words("本年收费金额（单位：万元）")
    ('本年', '收费', '金额', '（', '单位', '：', '万元', '）')
    """
    found: list[str] = []
    start = 0
    while start < len(label):
        for length in range(min(_LONGEST, len(label) - start), 0, -1):
            piece = label[start : start + length]
            if length == 1 or piece in WORDS:
                found.append(piece)
                start += length
                break
    return tuple(found)


@functools.cache
def balanced_lines(label: str, per_line: int) -> tuple[str, ...]:
    """Return ``label`` in lines of at most ``per_line`` characters, broken between words.

    The fewest lines, the longest line as short as can be, longer lines first. A
    word longer than a line is itself cut into lines (it cannot be helped).

    >>> balanced_lines("商业企业", 3), balanced_lines("法律服务机构", 4)
    (('商业', '企业'), ('法律服务', '机构'))
    >>> balanced_lines("社会公益组织", 3), balanced_lines("自然人", 2)
    (('社会', '公益', '组织'), ('自然', '人'))
    """
    pieces: list[str] = []
    for word in words(label):
        pieces += [word[i : i + per_line] for i in range(0, len(word), per_line)]
    # best[i]: the best way to set pieces[i:] as (line count, longest line, the
    # lines' lengths negated, the lines); the least of these tuples is the best.
    best: dict[int, tuple[int, int, tuple[int, ...], tuple[str, ...]]] = {
        len(pieces): (0, 0, (), ())
    }
    for start in range(len(pieces) - 1, -1, -1):
        choices = []
        for end in range(start + 1, len(pieces) + 1):
            line = "".join(pieces[start:end])
            if len(line) > per_line and end > start + 1:
                break
            count, longest, lengths, rest = best[end]
            choices.append(
                (count + 1, max(longest, len(line)), (-len(line), *lengths), (line, *rest))
            )
        best[start] = min(choices)
    return best[0][3]
