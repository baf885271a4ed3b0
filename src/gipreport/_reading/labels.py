r"""Matching printed labels to the form's, the way real reports print them.

Real reports print the form's labels with spaces and line breaks inside them
("商业\n企业", "自 然 人"), full- or half-width punctuation ((一)/（一）, ：/:,
"/“”), 、 for ， in the （六） labels, traditional characters (本年制發件數), and
sometimes without a bracketed note ("（二）部分公开" for the whole label). Two
labels are the same label when their :func:`label_key` is equal; the looser keys
(:func:`bare_key`, :func:`unnumbered_key`) are tried after it, in that order.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

__all__ = [
    "CHINESE_DIGITS",
    "bare_key",
    "chinese_number",
    "is_blank",
    "label_key",
    "simplified",
    "squash",
    "unnumbered_key",
]

# Traditional characters that occur in the form's labels and headings (and in
# organ names), each with its simplified form. Only what labels need: this is
# not a general converter.
_TRADITIONAL: Final = (
    "萬万與与業业為为舉举於于務务會会體体們们內内處处復复複复審审屬属結结據据設设數数"
    "條条構构權权機机無无現现產产産产發发廢废開开強强當当總总執执報报況况關关歸归維维"
    "糾纠組组織织經经繼继續续罰罚範范獲获補补規规計计認认議议許许訟讼訪访訴诉詢询請请"
    "費费轉转過过這这進进門门問问項项題题額额單单納纳繳缴類类確确穩稳護护險险國国區区"
    "團团專专實实對对將将從从後后勞劳動动辦办決决製制兩两貨货質质讀读證证識识違违變变"
    "聯联態态應应戶户擬拟損损採采檔档準准義义營营獨独環环頁页標标預预領领導导隱隐難难"
    "雜杂驗验黨党沒没衛卫醫医鄉乡鎮镇縣县廳厅員员幣币圓圆係系謂谓詳详銷销"
)
_TO_SIMPLIFIED: Final = str.maketrans(
    {_TRADITIONAL[i]: _TRADITIONAL[i + 1] for i in range(0, len(_TRADITIONAL), 2)}
)

# Everything that is not part of a label's identity: whitespace of every kind,
# and punctuation (after NFKC, full-width forms are half-width already).
_NOT_LABEL: Final = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_BRACKETED: Final = re.compile(r"(?<=.)[（(][^（()）]*[)）]\Z")
_LEADING_NUMBER: Final = re.compile(r"\A[0-9一二三四五六七八九十〇零]+")

_CACHED: Final = 8192
"""How many keys each key function keeps: the form's labels, and a few reports' cells."""

CHINESE_DIGITS: Final = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
"""The digits of Chinese numerals, as dates and years are written in official documents."""


_WHITESPACE: Final = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def squash(text: str) -> str:
    """Return ``text`` without whitespace of any kind (U+00A0, U+3000 and zero-width too)."""
    return _WHITESPACE.sub("", text)


def is_blank(text: str) -> bool:
    """Return whether ``text`` holds nothing but whitespace of any kind."""
    if text and not text[0].isspace() and text[0] not in "\u200b\ufeff":
        return False  # the common case, decided by the first character
    if not text.strip():
        return True  # whitespace only (a blank cell's " "), told without a pattern
    return not squash(text)


def simplified(text: str) -> str:
    """Return ``text`` with the traditional characters of the form's labels simplified."""
    return text.translate(_TO_SIMPLIFIED)


def _strip_punctuation(text: str) -> str:
    return "".join(
        char for char in text if not unicodedata.category(char).startswith(("P", "S", "Z", "C"))
    )


@functools.lru_cache(maxsize=_CACHED)
def label_key(text: str) -> str:
    r"""Return the identity of a printed label: what is left when print variants are gone.

    Whitespace, line breaks and punctuation are dropped, full-width forms made
    half-width, traditional characters simplified.

    >>> label_key("（二）部分 公开") == label_key("(二)部分公开")
    True
    >>> label_key("商业\n企业"), label_key("本年制發件數")
    ('商业企业', '本年制发件数')
    """
    text = simplified(unicodedata.normalize("NFKC", _NOT_LABEL.sub("", text)))
    return _strip_punctuation(text)


@functools.lru_cache(maxsize=_CACHED)
def bare_key(text: str) -> str:
    """Return :func:`label_key` of ``text`` without the bracketed notes it ends with.

    >>> bare_key("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    '二部分公开'
    """
    text = unicodedata.normalize("NFKC", _NOT_LABEL.sub("", text))
    previous = None
    while previous != text:  # notes may nest
        previous, text = text, _BRACKETED.sub("", text)
    return label_key(text)


@functools.lru_cache(maxsize=_CACHED)
def unnumbered_key(text: str) -> str:
    """Return :func:`bare_key` of ``text`` without its leading numbering.

    >>> unnumbered_key("1.属于国家秘密"), unnumbered_key("（三）不予公开")
    ('属于国家秘密', '不予公开')
    """
    return _LEADING_NUMBER.sub("", bare_key(text))


def chinese_number(text: str) -> int | None:
    """Return the value of a number written in digits or Chinese numerals, or ``None``.

    Digit by digit for four-figure years (``二〇二四`` is 2024), by place for
    the rest (``十二`` is 12, ``三十一`` is 31, ``一百零五`` is 105, up to 9999).

    >>> chinese_number("二〇二四"), chinese_number("十二"), chinese_number("三十一")
    (2024, 12, 31)
    >>> chinese_number("一百零五"), chinese_number("一百一十"), chinese_number("一百五")
    (105, 110, None)
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(char not in CHINESE_DIGITS and char not in _PLACES for char in text):
        return None
    if not any(char in _PLACES for char in text):
        value = 0
        for char in text:
            value = value * 10 + CHINESE_DIGITS[char]
        return value
    return _by_place(text)


_PLACES: Final = {"千": 1000, "百": 100, "十": 10}


def _by_place(text: str) -> int | None:
    """Return the value of ``一百零五`` (digits each before its place), or ``None``."""
    total, digit, place, zero = 0, None, 10_000, False
    for char in text:
        if char in _PLACES:
            if _PLACES[char] >= place or (digit is None and (char != "十" or total)):
                return None  # places out of order, or one without its digit (十 may lead)
            total += (1 if digit is None else digit) * _PLACES[char]
            digit, place, zero = None, _PLACES[char], False
        elif CHINESE_DIGITS[char] == 0:
            if digit is not None or zero or not total:
                return None
            zero = True
        elif digit is not None:
            return None
        else:
            digit = CHINESE_DIGITS[char]
    if digit is not None and place > 10 and not zero:
        return None  # 一百五 is 150 as spoken, never a heading's number
    return total + (digit or 0)
