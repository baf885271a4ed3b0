"""The tokens of an HTML page, as :mod:`html.parser` gives them, in linear time.

:func:`tokens` calls a sink's ``start``, ``startend``, ``end`` and ``data`` for the
page's start tags, self-closing tags, end tags and text, each with the line it
starts on: the same events, in the same pieces, as :class:`html.parser.HTMLParser`
(Python 3.11–3.13, ``convert_charrefs=True``, fed the whole page and closed) with one
difference of gipreport's own — a ``<![…>`` section (MS Office's
``<![if !supportLists]>``, ``<![CDATA[…]]>``) is a bogus comment that ends at the
first ``>``, as in a browser. Comments, declarations and processing instructions
give no event. ``tests/test_html_tokens.py`` checks the events against
:mod:`html.parser` on generated and mutated pages.

It is one loop over the text with the same regular expressions, without the
per-token bookkeeping of :mod:`html.parser` (a callback per construct, a line
count kept at every step, a copy of each tag's source), so it is several times
faster. Where :mod:`html.parser` scans the rest of the page again and again — a
search for ``>`` or ``-->`` that has failed once fails from every later place —
the failure is remembered, so the time is linear in the page. A page repeats its
tags (a table's ``<td class="c1">``, ``</td>``): a tag whose text to the first ``>``
was read whole is remembered, and the same text later gives the same event without
being read again. One shape stays
costly: start tags left open with no ``>`` after them (``<a b <a b <a b …``),
each scanned to the end of the page; past :data:`_SCAN_BUDGET` times the
page's length in such scans, :class:`~gipreport._core.errors.ParseError` is
raised (a real page has none).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Final, Protocol

from gipreport._core.errors import ParseError

__all__ = ["Sink", "tokens"]


class Sink(Protocol):
    """What receives the events (the tree builder, or a test's recorder)."""

    def start(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None: ...
    def startend(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None: ...
    def end(self, tag: str, line: int) -> None: ...
    def data(self, text: str, line: int) -> None: ...


# The expressions of html.parser (3.11), copied so that they cannot change under us.
_TAG_NAME: Final = re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_ATTRIBUTE: Final = re.compile(
    r"((?<=[\'\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*"
    r"(\'[^\']*\'|\"[^\"]*\"|(?![\'\"])[^>\s]*))?(?:\s|/(?!>))*"
)
_START_TAG_END: Final = re.compile(
    r"""
  <[a-zA-Z][^\t\n\r\f />\x00]*       # tag name
  (?:[\s/]*                          # optional whitespace before attribute name
    (?:(?<=['"\s/])[^\s/>][^\s/=>]*  # attribute name
      (?:\s*=+\s*                    # value indicator
        (?:'[^']*'                   # LITA-enclosed value
          |"[^"]*"                   # LIT-enclosed value
          |(?!['"])[^>\s]*           # bare value
         )
        \s*                          # possibly followed by a space
       )?(?:\s|/(?!>))*
     )*
   )?
  \s*                                # trailing whitespace
""",
    re.VERBOSE,
)
_END_TAG: Final = re.compile(r"</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>")
_COMMENT_CLOSE: Final = re.compile(r"--\s*>")
_CDATA_END: Final = {
    "script": re.compile(r"</\s*script\s*>", re.IGNORECASE),
    "style": re.compile(r"</\s*style\s*>", re.IGNORECASE),
}
# The common shapes, whole: a start tag whose attributes are separated by ASCII spaces and
# are a name, or a name = a quoted or plain value (what html.parser reads them as, by the
# same rules), and an end tag. Anything else takes html.parser's own way.
_ATTRIBUTES: Final = (
    r"""(?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*"""
    r"""(?:[ \t\n\r\f]*=[ \t\n\r\f]*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
)
_PLAIN: Final = re.compile(
    r"<(?:([a-zA-Z][a-zA-Z0-9:]*)"
    r"""(?:((?: [a-zA-Z_:][-a-zA-Z0-9_:.]*="[^"]*")*)>"""  # the commonest: ' name="value"'s
    r"|(" + _ATTRIBUTES + r")[ \t\n\r\f]*(/?)>)"
    r"|/\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>)"
)
_PLAIN_ATTRIBUTE: Final = re.compile(
    r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)"""
    r"""(?:[ \t\n\r\f]*(=)[ \t\n\r\f]*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ=/")

_START: Final = 0
_STARTEND: Final = 1
_END: Final = 2
_RAW: Final = 3
"""The kinds of tag remembered: a start tag, a self-closing tag, an end tag, and the start
tag of raw text (``<script>``, ``<style>``)."""

_KNOWN_LENGTH: Final = 256
"""The longest tag remembered (a tag is looked up by its text to the first ">", searched for
this far: a page of "<" without ">" costs a bounded search at each)."""

_SCAN_BUDGET: Final = 1
"""How many times the page's length start tags with no end may be scanned in all."""


def tokens(text: str, sink: Sink) -> None:  # noqa: PLR0912, PLR0915 - one loop, on purpose
    """Call ``sink`` for each start tag, end tag and run of text of ``text``, in order.

    Raises :class:`~gipreport._core.errors.ParseError` past the scan budget.
    """
    n = len(text)
    find = text.find
    startswith = text.startswith
    count = text.count
    plain = _PLAIN.match
    plain_attributes = _PLAIN_ATTRIBUTE.findall
    on_start, on_end, on_data = sink.start, sink.end, sink.data
    start_tag_end = _START_TAG_END.match
    last_gt = text.rfind(">")  # no ">" after it: every search for one from past it fails
    comments_from = n + 1  # a search for "-->" from here on has failed
    budget = _SCAN_BUDGET * n + 2**20  # complete start tags scan at most n in all
    cdata: str | None = None
    known: dict[str, tuple[int, str, tuple[tuple[str, str | None], ...], int]] = {}
    known_length = _KNOWN_LENGTH
    line = 1
    counted = 0  # line is the line of text[counted]
    i = 0
    while i < n:
        if cdata is not None:  # the raw text of a <script> or <style>, to its end tag
            close = _CDATA_END[cdata].search(text, i)
            if close is None:  # html.parser drops the text of one never closed
                break
            j = close.start()
            if i < j:
                line += count("\n", counted, i)
                counted = i
                sink.data(text[i:j], line)
            line += count("\n", counted, j)
            counted = j
            sink.end(cdata, line)
            cdata = None
            i = close.end()
            continue
        j = find("<", i)
        if j < 0:
            j = n
        if i < j:
            if counted != i:
                line += count("\n", counted, i)
                counted = i
            chunk = text[i:j]
            on_data(unescape(chunk) if "&" in chunk else chunk, line)
            i = j
            if i == n:
                break
        if counted != i:
            line += count("\n", counted, i)
            counted = i
        gt = find(">", i, i + known_length) if i <= last_gt else -1
        whole = text[i : gt + 1] if gt >= 0 else ""
        seen = known.get(whole)
        if seen is not None:  # a tag met before on this page: its event again
            kind, tag, listed_attrs, newlines = seen
            if kind == _END:
                on_end(tag, line)
            elif kind == _STARTEND:
                sink.startend(tag, list(listed_attrs), line)
            else:
                on_start(tag, list(listed_attrs), line)
                if kind == _RAW:
                    cdata = tag
            i = gt + 1
            if newlines:  # the line of the text after the tag, known from the tag's
                line += newlines
            counted = i
            continue
        match = plain(text, i)
        if match is not None:
            tag, quoted, listed, closed, ended = match.groups()
            attrs: list[tuple[str, str | None]] = []
            if tag is not None:
                tag = tag.lower()
                if quoted:  # ' a="b" c="d"' split at its quotes: ' a=', 'b', ' c=', 'd', ''
                    parts = quoted.split('"')
                    for at in range(0, len(parts) - 1, 2):
                        quoted_value = parts[at + 1]
                        if "&" in quoted_value:
                            quoted_value = unescape(quoted_value)
                        attrs.append((parts[at][1:-1].lower(), quoted_value))
                elif listed:
                    for name, equals, double, single, bare in plain_attributes(listed):
                        value: str | None = None
                        if equals:
                            value = double or single or bare
                            if "&" in value:
                                value = unescape(value)
                        attrs.append((name.lower(), value))
                kind = _STARTEND if closed else _RAW if tag in _CDATA_END else _START
            else:
                tag = ended.lower()
                kind = _END
            i = match.end()
            if gt >= 0 and i == gt + 1:  # the tag is all its text to the first ">": so anywhere
                known[whole] = (kind, tag, tuple(attrs), whole.count("\n"))
            if kind == _END:
                on_end(tag, line)
            elif kind == _STARTEND:
                sink.startend(tag, attrs, line)
            else:
                on_start(tag, attrs, line)
                if kind == _RAW:
                    cdata = tag
            continue
        k: int
        following = text[i + 1 : i + 2]
        if (
            following.isascii() and following.isalpha()
        ):  # a start tag (html.parser's parse_starttag)
            located = start_tag_end(text, i)
            j = located.end() if located is not None else i  # it always matches
            budget -= j - i
            if budget < 0:
                reason = 'the page has too many start tags with no end (">"): not a report'
                raise ParseError(reason, f"line {line}")
            after = text[j : j + 1]
            if after == ">":
                k = j + 1
            elif after == "/":
                k = j + 2 if startswith("/>", j) else -1
            elif not after or after in _LETTERS:
                k = -1
            else:
                k = j if j > i else i + 1
            if k > 0:
                name = _TAG_NAME.match(text, i + 1)
                if name is None:  # pragma: no cover - a letter follows "<"
                    raise ParseError("the HTML cannot be parsed", f"line {line}")
                tag = name.group(1).lower()
                attrs = []
                at = name.end()
                while at < k:
                    attribute = _ATTRIBUTE.match(text, at)
                    if attribute is None:
                        break
                    attribute_name, rest, value = attribute.group(1, 2, 3)
                    if not rest:
                        value = None
                    elif value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
                        value = value[1:-1]
                    if value:
                        value = unescape(value)
                    attrs.append((attribute_name.lower(), value))
                    at = attribute.end()
                rest_of_tag = text[at:k].strip()
                if rest_of_tag not in {">", "/>"}:
                    sink.data(text[i:k], line)
                elif rest_of_tag == "/>":
                    sink.startend(tag, attrs, line)
                else:
                    sink.start(tag, attrs, line)
                    if tag in _CDATA_END:
                        cdata = tag
        elif following == "/":  # an end tag (parse_endtag)
            gt = find(">", i + 1) if i + 1 <= last_gt else -1
            if gt < 0:
                k = -1
            else:
                name = _TAG_NAME.match(text, i + 2)
                if name is not None:  # the name after "</"; the rest to ">" is dropped
                    sink.end(name.group(1).lower(), line)
                    k = find(">", name.end()) + 1
                elif startswith("</>", i):
                    k = i + 3
                else:  # a bogus comment, to the first ">"
                    k = gt + 1 if gt >= i + 2 else _gt_after(text, i + 2, last_gt)
        elif startswith("<!--", i):
            if i + 4 >= comments_from:
                k = -1
            else:
                close = _COMMENT_CLOSE.search(text, i + 4)
                if close is None:
                    comments_from = i + 4
                    k = -1
                else:
                    k = close.end()
        elif following in {"?", "!"}:  # <?…>, <![…>, <!DOCTYPE…> and bogus comments <!…>
            skip = 2
            if startswith("<![", i):
                skip = 3
            elif text[i : i + 9].lower() == "<!doctype":
                skip = 9
            k = _gt_after(text, i + skip, last_gt)
        elif i + 1 < n:
            sink.data("<", line)
            k = i + 1
        else:
            sink.data("<", line)
            break
        if k < 0:  # not closed: html.parser passes it on as text, to the next ">" (or "<")
            k = _gt_after(text, i + 1, last_gt)
            if k < 0:
                k = find("<", i + 1)
                if k < 0:
                    k = i + 1
            chunk = text[i:k]
            sink.data(unescape(chunk) if "&" in chunk else chunk, line)
        i = k


def _gt_after(text: str, start: int, last_gt: int) -> int:
    """Return the position after the first ``>`` from ``start``, or -1 if there is none."""
    if start > last_gt:
        return -1
    gt = text.find(">", start)
    return -1 if gt < 0 else gt + 1
