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
being read again. :class:`Scanner` reads one construct at a time, for a caller (the
tree builder of :mod:`~gipreport._reading.from_html`) that reads the common tags its own
faster way and hands it the rest. One shape stays
costly: start tags left open with no ``>`` after them (``<a b <a b <a b …``),
each scanned to the end of the page; past :data:`_SCAN_BUDGET` times the
page's length in such scans, :class:`~gipreport._core.errors.ParseError` is
raised (a real page has none).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Final, NoReturn, Protocol

from gipreport._core import limits
from gipreport._core.errors import ParseError

__all__ = [
    "END",
    "MAX_QUOTED",
    "RAW",
    "REMEMBERED_TAGS",
    "START",
    "STARTEND",
    "Known",
    "Scanner",
    "Sink",
    "quoted_shape",
    "tokens",
]


class Sink(Protocol):
    """What receives the events (the tree builder, or a test's recorder)."""

    def start(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None: ...
    def startend(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None: ...
    def end(self, tag: str, line: int) -> None: ...
    def data(self, text: str, line: int) -> None: ...


# The expressions of html.parser (3.11), copied so that they cannot change under us. Their
# repeats are possessive (``*+``): they match what the plain ones match (nothing after a
# repeat can take back what it took), without the memory a backtracking repeat keeps for
# every step — gigabytes for a 20 MiB start tag.
_TAG_NAME: Final = re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*+")
_ATTRIBUTE: Final = re.compile(
    r"((?<=[\'\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*"
    r"(\'[^\']*\'|\"[^\"]*\"|(?![\'\"])[^>\s]*))?(?:\s|/(?!>))*+"
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
       )?(?:\s|/(?!>))*+
     )*+
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
# same rules), and an end tag. Anything else takes html.parser's own way. Possessive, as above.
_ATTRIBUTES: Final = (
    r"""(?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*"""
    r"""(?:[ \t\n\r\f]*=[ \t\n\r\f]*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*+"""
)
_PLAIN: Final = re.compile(
    r"<(?:([a-zA-Z][a-zA-Z0-9:]*)"
    r"""(?:((?: [a-zA-Z_:][-a-zA-Z0-9_:.]*="[^"]*")*+)>"""  # the commonest: ' name="value"'s
    r"|(" + _ATTRIBUTES + r")[ \t\n\r\f]*(/?)>)"
    r"|/\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>)"
)
_PLAIN_ATTRIBUTE: Final = re.compile(
    r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)"""
    r"""(?:[ \t\n\r\f]*(=)[ \t\n\r\f]*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_LOWER_QUOTED: Final = re.compile(r' ([-a-z0-9_:.]+)="([^"]*)"')
"""An attribute of :data:`_PLAIN`'s commonest shape, its name in lower case (as most are)."""
_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ=/")

START: Final = 0
STARTEND: Final = 1
END: Final = 2
RAW: Final = 3
"""The kinds of tag remembered: a start tag, a self-closing tag, an end tag, and the start
tag of raw text (``<script>``, ``<style>``)."""

_KNOWN_LENGTH: Final = 256
"""The longest tag remembered (a tag is looked up by its text to the first ">", searched for
this far: a page of "<" without ">" costs a bounded search at each)."""

_MAX_ATTRIBUTES: Final = limits.MAX_HTML_ATTRIBUTES

REMEMBERED_TAGS: Final = 20_000
"""The most tags remembered on one page (a report's page has a few thousand distinct
ones): a page of unique tags holds no more than this in memory for nothing."""

_SCAN_BUDGET: Final = 1
"""How many times the page's length start tags with no end may be scanned in all."""


Known = tuple[int, str, tuple[tuple[str, str | None], ...], int]
"""A tag remembered by its text: its kind, name, attributes and the line breaks in it."""


def tokens(text: str, sink: Sink) -> None:
    """Call ``sink`` for each start tag, end tag and run of text of ``text``, in order.

    Raises :class:`~gipreport._core.errors.ParseError` past the scan budget.
    """
    scanner = Scanner(text, sink)
    construct = scanner.construct
    on_data = sink.data
    n = len(text)
    find = text.find
    count = text.count
    line = 1
    i = 0
    while i < n:
        j = find("<", i)
        if j < 0:
            j = n
        if i < j:
            chunk = text[i:j]
            on_data(unescape(chunk) if "&" in chunk else chunk, line)
            line += count("\n", i, j)
            if j == n:
                break
        i, line = construct(j, line)


class Scanner:
    """The reading of a page's constructs (tags, comments, …), one at a time, with its state.

    :func:`tokens` reads the text between constructs itself and each construct with
    :meth:`construct`; so can a caller that reads the common tags its own faster way
    (the tree builder of :mod:`~gipreport._reading.from_html`), handing the rest to
    :meth:`construct`. What is remembered across constructs — the tags read whole
    (:attr:`known`), the failed searches, the scan budget — keeps the time linear.
    """

    __slots__ = ("_budget", "_comments_from", "_last_gt", "_sink", "_text", "known")

    def __init__(self, text: str, sink: Sink) -> None:
        self._text = text
        self._sink = sink
        n = len(text)
        self._last_gt = text.rfind(">")  # no ">" after it: every search for one from past it fails
        self._comments_from = n + 1  # a search for "-->" from here on has failed
        self._budget = _SCAN_BUDGET * n + 2**20  # complete start tags scan at most n in all
        self.known: dict[str, Known] = {}
        """The tags read whole, by their text to the first ">": the same text, the same event
        (anywhere but in raw text, which :meth:`construct` reads with its start tag)."""

    def construct(self, i: int, line: int) -> tuple[int, int]:
        """Read the construct at the ``<`` at ``i`` (on ``line``); return its end and that line.

        A ``<script>`` or ``<style>`` start tag is read with its raw text and end tag.
        Raises :class:`~gipreport._core.errors.ParseError` past the scan budget.
        """
        text = self._text
        sink = self._sink
        gt = text.find(">", i, i + _KNOWN_LENGTH) if i <= self._last_gt else -1
        whole = text[i : gt + 1] if gt >= 0 else ""
        seen = self.known.get(whole)
        end = gt + 1
        if seen is None:
            # A common shape ends at a ">": with none after it, the page's own way (and a
            # search to the end of the page for one is not made at every "<").
            match = _PLAIN.match(text, i) if i <= self._last_gt else None
            if match is None:  # not a common shape: html.parser's own way
                k, raw = self._other(i, line)
                line += text.count("\n", i, k)
                if raw is not None:
                    return self._raw(raw, k, line)
                return k, line
            end = match.end()
            seen = _plain_tag(match, text.count("\n", i, end), line)
            # The tag is all its text to the first ">": so anywhere (a page of unique tags
            # remembers only the first REMEMBERED_TAGS of them).
            if gt >= 0 and end == gt + 1 and len(self.known) < REMEMBERED_TAGS:
                self.known[whole] = seen
        kind, tag, listed_attrs, newlines = seen
        if kind == END:
            sink.end(tag, line)
        elif kind == STARTEND:
            sink.startend(tag, list(listed_attrs), line)
        else:
            sink.start(tag, list(listed_attrs), line)
            if kind == RAW:
                return self._raw(tag, end, line + newlines)
        return end, line + newlines

    def tag(self, i: int) -> Known | None:
        """Return the tag at the ``<`` at ``i`` if it is all its text to the first ``>``.

        Such a tag gives the same event wherever its text stands (outside raw text); it
        gives none here: the caller does what :meth:`construct` would have the sink do.
        """
        text = self._text
        gt = text.find(">", i, i + _KNOWN_LENGTH) if i <= self._last_gt else -1
        if gt < 0:
            return None
        match = _PLAIN.match(text, i)
        if match is None or match.end() != gt + 1:
            return None
        return _plain_tag(match, text.count("\n", i, gt), 0)  # under 256 characters: few

    def _other(self, i: int, line: int) -> tuple[int, str | None]:  # noqa: PLR0912, PLR0915
        """Read a construct html.parser's own way; return where it ends, and any raw text's tag."""
        text = self._text
        sink = self._sink
        last_gt = self._last_gt
        raw: str | None = None
        k: int
        following = text[i + 1 : i + 2]
        if (
            following.isascii() and following.isalpha()
        ):  # a start tag (html.parser's parse_starttag)
            located = _START_TAG_END.match(text, i)
            j = located.end() if located is not None else i  # it always matches
            self._budget -= j - i
            if self._budget < 0:
                reason = 'the page has too many start tags with no end (">"): not a report'
                raise ParseError(reason, f"line {line}")
            after = text[j : j + 1]
            if after == ">":
                k = j + 1
            elif after == "/":
                k = j + 2 if text.startswith("/>", j) else -1
            elif not after or after in _LETTERS:
                k = -1
            else:
                k = j if j > i else i + 1
            if k > 0:
                name = _TAG_NAME.match(text, i + 1)
                if name is None:  # pragma: no cover - a letter follows "<"
                    raise ParseError("the HTML cannot be parsed", f"line {line}")
                tag = name.group(1).lower()
                attrs: list[tuple[str, str | None]] = []
                at = name.end()
                while at < k:
                    attribute = _ATTRIBUTE.match(text, at)
                    if attribute is None:
                        break
                    if len(attrs) == _MAX_ATTRIBUTES:
                        _too_many_attributes(line)
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
                        raw = tag
        elif following == "/":  # an end tag (parse_endtag)
            gt = text.find(">", i + 1) if i + 1 <= last_gt else -1
            if gt < 0:
                k = -1
            else:
                name = _TAG_NAME.match(text, i + 2)
                if name is not None:  # the name after "</"; the rest to ">" is dropped
                    sink.end(name.group(1).lower(), line)
                    k = text.find(">", name.end()) + 1
                elif text.startswith("</>", i):
                    k = i + 3
                else:  # a bogus comment, to the first ">"
                    k = gt + 1 if gt >= i + 2 else _gt_after(text, i + 2, last_gt)
        elif text.startswith("<!--", i):
            if i + 4 >= self._comments_from:
                k = -1
            else:
                close = _COMMENT_CLOSE.search(text, i + 4)
                if close is None:
                    self._comments_from = i + 4
                    k = -1
                else:
                    k = close.end()
        elif following in {"?", "!"}:  # <?…>, <![…>, <!DOCTYPE…> and bogus comments <!…>
            skip = 2
            if text.startswith("<![", i):
                skip = 3
            elif text[i : i + 9].lower() == "<!doctype":
                skip = 9
            k = _gt_after(text, i + skip, last_gt)
        else:  # a "<" that starts nothing (perhaps the page's last character)
            sink.data("<", line)
            k = i + 1
        if k < 0:  # not closed: html.parser passes it on as text, to the next ">" (or "<")
            k = _gt_after(text, i + 1, last_gt)
            if k < 0:
                k = text.find("<", i + 1)
                if k < 0:
                    k = i + 1
            chunk = text[i:k]
            sink.data(unescape(chunk) if "&" in chunk else chunk, line)
        return k, raw

    def _raw(self, tag: str, i: int, line: int) -> tuple[int, int]:
        """Read the raw text from ``i`` (on ``line``) to the end tag of ``tag``, and that tag."""
        text = self._text
        close = _CDATA_END[tag].search(text, i)
        if close is None:  # html.parser drops the text of one never closed
            return len(text), line
        j = close.start()
        if i < j:
            self._sink.data(text[i:j], line)
        line += text.count("\n", i, j)
        self._sink.end(tag, line)
        end = close.end()
        return end, line + text.count("\n", j, end)


def _plain_tag(match: re.Match[str], newlines: int, line: int) -> Known:
    """Return the tag :data:`_PLAIN` matched (on ``line``), with the line breaks in it.

    Raises :class:`~gipreport._core.errors.ParseError` for a tag of more than
    :data:`~gipreport._core.limits.MAX_HTML_ATTRIBUTES` attributes.
    """
    tag, quoted, listed, closed, ended = match.groups()
    if tag is None:
        return (END, ended.lower(), (), newlines)
    tag = tag.lower()
    attrs: list[tuple[str, str | None]] = []
    if quoted:  # ' a="b" c="d"' split at its quotes: ' a=', 'b', ' c=', 'd', ''
        quotes = quoted.count('"')
        if quotes > 2 * _MAX_ATTRIBUTES:
            _too_many_attributes(line)
        pairs = _LOWER_QUOTED.findall(quoted)
        if 2 * len(pairs) == quotes and "&" not in quoted:
            # Every quote in a pair: each pair is an attribute, whole (its name has no space,
            # so it starts after the space that begins the attribute); nothing to change.
            return (RAW if tag in _CDATA_END else START, tag, tuple(pairs), newlines)
        parts = quoted.split('"')
        attrs = [
            (name[1:-1].lower(), unescape(value) if "&" in value else value)
            for name, value in zip(parts[0:-1:2], parts[1::2], strict=True)
        ]
    elif listed:
        for attribute in _PLAIN_ATTRIBUTE.finditer(listed):
            if len(attrs) == _MAX_ATTRIBUTES:
                _too_many_attributes(line)
            name, equals, double, single, bare = attribute.groups()
            value: str | None = None
            if equals:
                # The quoted value as it stands, empty or not ("" is a value, not its absence).
                value = double if double is not None else single if single is not None else bare
                if "&" in value:
                    value = unescape(value)
            attrs.append((name.lower(), value))
    kind = STARTEND if closed else RAW if tag in _CDATA_END else START
    return (kind, tag, tuple(attrs), newlines)


_QUOTED_SKELETON: Final = re.compile(
    r'([a-zA-Z][a-zA-Z0-9:]*)((?: [a-zA-Z_:][-a-zA-Z0-9_:.]*=")*+)'
)
"""A tag of :data:`_PLAIN`'s commonest shape, between "<" and ">", with its values taken out
(``td class=" data-path="``): its name and its attributes' names, each with ' ' and '="'."""

MAX_QUOTED: Final = _KNOWN_LENGTH - 2
"""The longest text between "<" and ">" of a tag :meth:`Scanner.tag` reads (it looks for
the ">" within :data:`_KNOWN_LENGTH` characters of the "<")."""


def quoted_shape(skeleton: str) -> tuple[str, tuple[str, ...]] | None:
    """Return the name and attribute names of the tags of ``skeleton``, or ``None``.

    ``skeleton`` is a tag's text between "<" and ">" split at its quotes, the even parts
    joined by quotes again (``td class=" data-path="`` for ``td class="a" data-path="b"``).
    Where it is this shape, every such tag (each value holding no quote, as the split
    found, and no ">") is what :meth:`Scanner.tag` would read as a start tag of exactly
    these attributes, with the values between the quotes as they stand (but references);
    ``None`` where it is not, is raw text's start tag (which :meth:`Scanner.construct`
    reads with its text), or has more attributes than :meth:`Scanner.tag` reads.
    """
    match = _QUOTED_SKELETON.fullmatch(skeleton)
    if match is None:
        return None
    tag = match.group(1).lower()
    if tag in _CDATA_END:
        return None
    names = match.group(2).split('"')[:-1]  # ' class=', ' data-path='
    if len(names) > _MAX_ATTRIBUTES:  # Scanner.tag refuses it, naming its line
        return None
    return tag, tuple(name[1:-1].lower() for name in names)


def _too_many_attributes(line: int) -> NoReturn:
    reason = f"a tag has more than {_MAX_ATTRIBUTES:,} attributes: not a report"
    raise ParseError(reason, f"line {line}")


def _gt_after(text: str, start: int, last_gt: int) -> int:
    """Return the position after the first ``>`` from ``start``, or -1 if there is none."""
    if start > last_gt:
        return -1
    gt = text.find(">", start)
    return -1 if gt < 0 else gt + 1
