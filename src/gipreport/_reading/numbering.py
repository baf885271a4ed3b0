"""The numbering of headings, as printed: one pattern for every reader.

Published reports number their headings in the styles of GB/T 9704 and its
variants: ``一、`` (the first level), ``（一）`` (the second), ``1.`` (the
third), ``（1）`` (the fourth), and ``1、``, ``（1）`` or ``1.`` at the second level,
in full- or half-width brackets, with or without a space after the number.
Every style gipreport renders (:data:`gipreport.layout.SUBHEADING_STYLES`) is
one of these. :func:`heading_number` tells a numbered text's style, number and
words; every reader uses it (or :func:`is_numbered`) rather than a pattern of
its own.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final, Literal

from gipreport._core.form import SubheadingStyle
from gipreport._reading.labels import chinese_number

__all__ = ["STARTS_A_LINE", "NumberStyle", "heading_number", "is_numbered", "subheading_style"]

NumberStyle = Literal["own", "paren-digit", "paren-cn", "dot-digit", "dot-cn"]
"""How a heading is numbered: ``"own"`` is ``（1） `` (full-width brackets, arabic
digits, one space: gipreport's ``"arabic-spaced"``, whose heading is whatever
follows), ``"paren-…"`` a number in brackets, ``"dot-…"`` a number and ``、`` or
``.``; ``…-digit`` in arabic digits, ``…-cn`` in Chinese numerals."""

STARTS_A_LINE: Final[frozenset[NumberStyle]] = frozenset(
    {"own", "paren-cn", "paren-digit", "dot-cn"}
)
"""The numberings that start a new paragraph where a text's lines are joined into
paragraphs (text with a value a line, a PDF): not ``1.``, which may be a wrapped
``1.5万元``."""

_CN_NUMERAL: Final = "一二三四五六七八九十百千零〇"
_NUMBERING: Final = re.compile(
    rf"\s*(?:[（(]\s*(?P<paren>[0-9{_CN_NUMERAL}]+)\s*[)）]|(?P<dot>[0-9{_CN_NUMERAL}]+)\s*[、.．])"
)
# No space is matched after the numbering: the text is folded (NFKC) and ´ folds to a
# space and a combining accent, which would be taken for the space after it. The
# spaces that follow are stripped from the text itself.
# gipreport's own sub-heading numbering: full-width brackets, arabic digits, one space.
_OWN_NUMBERING: Final = re.compile(r"（(?P<n>[1-9][0-9]{0,8})） ")
_MAY_START: Final = frozenset("（(0123456789" + _CN_NUMERAL)
"""The characters a numbering starts with, after spaces (as they are after NFKC)."""
_IS_NFKC: Final = functools.partial(unicodedata.is_normalized, "NFKC")
_HALF_WIDTH: Final = {
    code: folded
    for code in (*range(0xFF01, 0xFF5F), 0x3000)
    if len(folded := unicodedata.normalize("NFKC", chr(code))) == 1
}
"""The full-width forms and U+3000, each with its fold (NFKC): one character, half-width."""
_REACH: Final = 16
"""How far into a text its numbering may reach, in characters (（一千零九十九） is 8)."""


def heading_number(text: str) -> tuple[NumberStyle, int, str] | None:
    """Return ``(style, number, rest)`` if ``text`` starts with heading numbering.

    ``rest`` is the text after the numbering and the spaces that follow it (for
    ``"own"``, its one space), as it is to its end.

    >>> heading_number("（一）主动公开情况"), heading_number("1、 主动公开情况")
    (('paren-cn', 1, '主动公开情况'), ('dot-digit', 1, '主动公开情况'))
    >>> heading_number("（1） 主动公开情况"), heading_number("(十一)其他")
    (('own', 1, '主动公开情况'), ('paren-cn', 11, '其他'))
    >>> heading_number("主动公开情况") is None
    True
    """
    first = text[:1]
    if (
        first
        and first not in _MAY_START
        and not first.isspace()
        and unicodedata.is_normalized("NFKC", first)
    ):
        return None  # the common case: a first character no numbering starts with
    found = _numbering(text[:_REACH])
    if found is None:
        return None
    style, number, after = found
    rest = text[after:]
    return style, number, rest if style == "own" else rest.lstrip()


@functools.lru_cache(maxsize=4096)
def _numbering(prefix: str) -> tuple[NumberStyle, int, int] | None:
    """Return the style and number of the numbering ``prefix`` starts with, and its end.

    ``prefix`` is a text's first :data:`_REACH` characters, all its numbering can
    reach (gipreport's own, ``（1） ``, too): one reading for each, a paragraph's
    text being looked at by the section headings, then by the sub-headings.
    """
    own = _OWN_NUMBERING.match(prefix)
    if own is not None:
        return "own", int(own["n"]), own.end()
    first = prefix[:1]
    # Match on the prefix made half-width, character by character, remembering
    # where in the text each normalised character came from (㈠ is three).
    lead = 0
    if first.isspace():
        # Leading whitespace (an indent of U+3000) is skipped: every whitespace
        # character folds to whitespace, which the pattern's \s* takes either way,
        # and what follows it is tested as the first character is.
        stripped = prefix.lstrip()
        lead, prefix = len(prefix) - len(stripped), stripped
        after_space = prefix[:1]
        if not after_space or (
            after_space not in _MAY_START and unicodedata.is_normalized("NFKC", after_space)
        ):
            return None
    # Full-width forms (（一）, １.) fold to one character each: made half-width at once.
    folded = prefix.translate(_HALF_WIDTH)
    if all(map(_IS_NFKC, folded)):  # the common case: each character folds to one
        match = _NUMBERING.match(folded)
        if match is None or not match.end():
            return None
        after = lead + match.end()
    else:
        normalised, ends = "", []
        for position, char in enumerate(prefix):
            folded = unicodedata.normalize("NFKC", char)
            normalised += folded
            ends += [position + 1] * len(folded)
        match = _NUMBERING.match(normalised)
        if match is None or not match.end():
            return None
        after = lead + ends[match.end() - 1]
    digits = match["paren"] or match["dot"]
    number = chinese_number(digits)
    if number is None:
        return None
    bracketed = match["paren"] is not None
    if digits.isascii():
        style: NumberStyle = "paren-digit" if bracketed else "dot-digit"
    else:
        style = "paren-cn" if bracketed else "dot-cn"
    return style, number, after


def is_numbered(
    text: str, styles: frozenset[NumberStyle] | None = None, *, below: int = 100
) -> bool:
    """Return whether ``text`` starts with a heading number below ``below``, in one of ``styles``.

    >>> is_numbered("（二）依申请公开"), is_numbered("1.5万元", frozenset({"paren-cn"}))
    (True, False)
    """
    numbered = heading_number(text)
    return (
        numbered is not None and numbered[1] < below and (styles is None or numbered[0] in styles)
    )


_STYLE_OF_NUMBERING: Final[dict[NumberStyle, SubheadingStyle]] = {
    "own": "arabic-spaced",
    "paren-cn": "chinese",
    "paren-digit": "arabic",
}
_COMMA_NUMBERING: Final = re.compile(r"\s*[0-9]+\s*、")


def subheading_style(text: str) -> SubheadingStyle | None:
    """Return the :data:`gipreport.layout.SubheadingStyle` a sub-heading ``text`` is numbered in.

    ``None`` where ``text`` is not numbered, or numbered in a style gipreport
    does not print (``一、`` is the first level's). Brackets and digits of either
    width count alike: ``(1)`` is ``"arabic"`` as ``（1）`` is.

    >>> texts = ("（一）公开", "（1）公开", "（1） 公开", "1.公开", "1、 公开")
    >>> [subheading_style(text) for text in texts]
    ['chinese', 'arabic', 'arabic-spaced', 'arabic-dot', 'arabic-comma']
    >>> subheading_style("一、公开") is None, subheading_style("公开") is None
    (True, True)
    """
    numbered = heading_number(text)
    if numbered is None:
        return None
    if numbered[0] != "dot-digit":
        return _STYLE_OF_NUMBERING.get(numbered[0])
    comma = _COMMA_NUMBERING.match(unicodedata.normalize("NFKC", text[:_REACH]))
    return "arabic-comma" if comma is not None else "arabic-dot"
