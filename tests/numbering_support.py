"""A reference for the tests of heading numbering: the work that `heading_number` saves."""

from __future__ import annotations

import unicodedata

from gipreport._reading import numbering
from gipreport._reading.labels import chinese_number


def heading_number_folding_each_character(text: str) -> tuple[str, int, str] | None:
    """Return what :func:`numbering.heading_number` gives, its shortcuts not taken.

    Every character of the prefix is folded (NFKC) on its own, and the numbering
    matched on the folded text: the heading number as it was first written.
    """
    own = numbering._OWN_NUMBERING.match(text)
    if own is not None:
        return "own", int(own["n"]), text[own.end() :]
    normalised, ends = "", []
    for position, char in enumerate(text[: numbering._REACH]):
        folded = unicodedata.normalize("NFKC", char)
        normalised += folded
        ends += [position + 1] * len(folded)
    match = numbering._NUMBERING.match(normalised)
    if match is None or not match.end():
        return None
    digits = match["paren"] or match["dot"]
    number = chinese_number(digits)
    if number is None:
        return None
    kind = "digit" if digits.isascii() else "cn"
    style = f"{'paren' if match['paren'] is not None else 'dot'}-{kind}"
    return style, number, text[ends[match.end() - 1] :].lstrip()
