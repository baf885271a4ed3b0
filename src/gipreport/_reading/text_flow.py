"""Text as printed lines: where a line breaks off mid-sentence, and page furniture.

Shared by the readers of text that comes from a printed page (PDF text layers,
markdown converted from a PDF): a paragraph printed over several lines is one
paragraph, and the page numbers and running headers between the lines are not
the report's text.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["SENTENCE_END", "breaks_off", "is_page_number"]

SENTENCE_END: Final = "。！？!?；;…：:"
"""Characters a paragraph ends with (a closing quote or bracket after them is skipped)."""
_CLOSING: Final = "”’」』】》）)\"'"
_PAGE_NUMBER: Final = re.compile(
    r"[\s\u3000]*(?:"
    r"[-—–－―‒]+\s*\d{1,4}\s*[-—–－―‒]+"  # -1-  — 3 —
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"  # 第 2 页 共 6 页
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 2/6
    r")[\s\u3000]*\Z",
    re.IGNORECASE,
)


def breaks_off(text: str, *, long_line: bool) -> bool:
    """Return whether a printed line stops mid-sentence, so the next line goes on with it.

    A line that ends with sentence punctuation ends its paragraph; any other
    line goes on if it is ``long_line`` (printed to the full width of the page:
    the line was broken by the page's width, not by its writer).

    >>> breaks_off("努力让政务信息“看", long_line=True)
    True
    >>> breaks_off("全年收取 0 元。", long_line=True)
    False
    """
    stripped = text.rstrip().rstrip(_CLOSING)
    if not stripped or stripped[-1] in SENTENCE_END:
        return False
    return long_line


def is_page_number(text: str) -> bool:
    """Return whether a line is a printed page number ("-1-", "— 3 —", "第 2 页 共 6 页").

    >>> [is_page_number(t) for t in ("-1-", "— 3 —", "第 2 页 共 6 页", "3", "2024")]
    [True, True, True, False, False]
    """
    return bool(_PAGE_NUMBER.match(text))
