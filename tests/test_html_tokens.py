"""The HTML tokenizer gives the events :mod:`html.parser` gives, on any page, in linear time."""

from __future__ import annotations

import contextlib
import functools
import time
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples
from gipreport._core import limits
from gipreport._core.errors import ParseError
from gipreport._reading import from_html, html_tokens
from gipreport._reading.html_tokens import tokens

Event = tuple[str, object, int]


class Recorder:
    """A sink that writes down every event."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def start(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        self.events.append(("start", (tag, attrs), line))

    def startend(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        self.events.append(("startend", (tag, attrs), line))

    def end(self, tag: str, line: int) -> None:
        self.events.append(("end", tag, line))

    def data(self, text: str, line: int) -> None:
        self.events.append(("data", text, line))


class Reference(HTMLParser):
    """html.parser, with gipreport's one change (``<![…>`` ends at the first ``>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        end = self.rawdata.find(">", i + 3)
        return -1 if end < 0 else end + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", (tag, attrs), self.getpos()[0]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("startend", (tag, attrs), self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag, self.getpos()[0]))

    def handle_data(self, data: str) -> None:
        self.events.append(("data", data, self.getpos()[0]))


def ours(text: str) -> list[Event]:
    recorder = Recorder()
    tokens(text, recorder)
    return recorder.events


def reference(text: str) -> list[Event]:
    parser = Reference()
    parser.feed(text)
    parser.close()
    return parser.events


# Pieces of markup, whole and broken, that pages (and mutations of them) are made of.
PIECES = [
    "<p>", "</p>", "<td>", "</td>", "<tr>", "<table>", "</table>", "<br>", "<br/>", "</br>",
    '<td colspan="2">', "<td rowspan=3 class=x>", "<td a='1' b>", '<p style="text-align:right">',
    "<img src=x />", "<script>", "</script>", "<style>", "</style >", "</SCRIPT>", "<ScRiPt>",
    "<!-- c -->", "<!--", "-->", "--!>", "<!DOCTYPE html>", "<!doctype", "<![if !x]>",
    "<![CDATA[", "]]>", "<?xml x?>", "<?", "<!x>", "<!", "</>", "</ >", "</p x=1>", "</ p>",
    "<", ">", "/>", "/", "=", "'", '"', "&", "&amp;", "&amp", "&nbsp", "&#65;", "&#x41",
    "&#", "&#1234567;", "&notit;", "&lt", "x", "年", " ", "\n", "\t", "\x00", "\u3000",
    "<a b", "<a b=", '<a b="', "<a\x00>", "<a/b>", "<a / >", "<A HREF=X>", "<o:p>", "</o:p>",
    "<h1>", "</h2>", "<pre>", "<caption>", "<li>", "<div>", "<a<b>", "<a =x>", "<a b==c>",
    "<a b = 'c' / >", " b", ' c="d"', " e=f", " g = 'h'", ' i="&amp;"', " j=k/", ' l=""',
    "<td", "<img", "<script", " />", "\v", "\u3000", "<a b=c>", '<td colspan="2"/>', "<x-y.z>",
    "</x-y.z>", "<a\n b\n>", "&#x;", "&#x110000;", "&#0;", "\r", "&#13;",
    '<td class="a" data-path="b.c">', '<TD A="x&lt;" B="">', '<td a="x"b="y">', '<td a="x" >',
    '<td a="x"/>', '<p a="1>2">', '<td a="b" c=d>', '<td a="&quot;">', '<td a="" b="">',
    '<td class="a\nb">', '<script a="1">', '</td\n>', '<td Class="A" b="C">', '<td a=" b=" c="d">',
    '<td a:b.c-d_e="1" f="=">', '<td a="x&amp;y" b="">', '<style a="1">', '<td é="1">',
]  # fmt: skip

pages = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map("".join)


@given(pages)
@settings(max_examples=examples(1500))
def test_the_events_are_html_parsers(text: str) -> None:
    assert ours(text) == reference(text)


@given(st.text(alphabet="<>/!-?&#;=\"' abx1\n[]", max_size=60))
@settings(max_examples=examples(1500))
def test_the_events_are_html_parsers_on_markup_characters(text: str) -> None:
    assert ours(text) == reference(text)


@given(st.lists(pages, min_size=1, max_size=4), pages)
@settings(max_examples=examples(1000))
def test_a_tag_met_again_gives_html_parsers_events(parts: list[str], glue: str) -> None:
    """A tag seen before on the page is taken by its text; each is met again after ``glue``."""
    text = glue.join(parts * 2)
    assert ours(text) == reference(text)


def test_a_tag_is_remembered_only_when_it_is_all_its_text_to_the_first_gt() -> None:
    # '<a title="x>' is not a whole tag: the next one, which starts the same, reads anew.
    text = '<a title="1>2">x<a title="1>3">y<td class=a>x</td ><td class=a>y</td >'
    assert ours(text) == reference(text)
    assert ours(text)[-2:] == [("data", "y", 1), ("end", "td", 1)]
    long = "<td " + " ".join(f"a{i}=1" for i in range(100)) + ">"  # longer than remembered
    assert ours(long * 2) == reference(long * 2)


@functools.cache
def rendered() -> str:
    """The bundled example's page (rendered once: the tests only read it)."""
    html = gipreport.render(gipreport.examples.mingan_2023(), "html")
    return html if isinstance(html, str) else html.decode()


@given(st.data())
@settings(max_examples=examples(300))
def test_the_events_are_html_parsers_on_mutated_pages(data: st.DataObject) -> None:
    text = rendered()
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 20))
        insert = data.draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)))
        text = text[:at] + insert + text[at + cut :]
    assert ours(text) == reference(text)


def test_a_real_page_gives_html_parsers_events() -> None:
    source = Path(__file__).parent / "data" / "real" / "kiro-shuyang-fgj-2023" / "source.html"
    text = source.read_bytes().decode("utf-8")
    assert ours(text) == reference(text)


@pytest.mark.parametrize(
    "unit", ["<!--", "<![x", "</a b", "<!x", "<?", "&#x", "<script>", "<!doctype"]
)
def test_unclosed_constructs_are_linear(unit: str) -> None:
    """html.parser searches the rest of the page again at each; the tokenizer does not."""
    text = unit * 100_000
    start = time.process_time()
    ours(text)
    assert time.process_time() - start < 5  # html.parser: minutes for most of these


def test_start_tags_left_open_are_refused_before_they_cost_minutes() -> None:
    text = "<a b=1 " * 100_000  # html.parser: each is scanned to the end of the page
    start = time.process_time()
    with pytest.raises(ParseError, match="start tags with no end"):
        ours(text)
    assert time.process_time() - start < 10
    assert ours("<a b " * 200) == reference("<a b " * 200)  # a few are read as html.parser does


@pytest.mark.parametrize(
    "page",
    [
        "<a b=1 " * 300_000,  # start tags left open, each scanned to the end
        "<a" + " b=1" * 500_000,  # one start tag, never ended
        "<a" + ' b="1"' * 350_000,
        "<a" + " b" * 1_000_000,
        "<a" + " b=1" * 500_000 + ">",  # one start tag of a million attributes
        "<a" + ' b="1"' * 350_000 + ">",
        "<a" + " é=1" * 500_000 + ">",  # read html.parser's own way
    ],
    ids=["open-tags", "open-bare", "open-quoted", "open-names", "bare", "quoted", "other"],
)
def test_a_huge_tag_costs_memory_in_proportion_to_the_page(page: str) -> None:
    """A backtracking repeat kept memory for each character it matched: 200 times the page.

    At the 20 MiB cap that was 4 GB; a tag of a million attributes held them all.
    """
    tracemalloc.start()
    try:
        with contextlib.suppress(ParseError):
            from_html.html_source(page)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * len(page)


@pytest.mark.parametrize("attribute", [' b="1"', " b=1", " b", " b='1'", " é=1", " b=1/"], ids=repr)
def test_a_tag_of_more_attributes_than_the_cap_is_refused_naming_its_line(
    attribute: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_tokens, "_MAX_ATTRIBUTES", 5)
    at_cap = f"<p>x</p>\n<a{attribute * 5}>y</a>"
    assert ours(at_cap) == reference(at_cap)
    with pytest.raises(ParseError, match="more than 5 attributes") as raised:
        ours(f"<p>x</p>\n<a{attribute * 6}>y</a>")
    assert raised.value.where == "line 2"
    with pytest.raises(ParseError, match="more than 5 attributes"):  # the reader's own loop
        from_html.html_source(f"<p>x</p>\n<a{attribute * 6}>y</a>")


def test_a_page_of_more_tags_than_the_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(from_html, "MAX_NODES", 70)
    from_html.html_source("<table><tr><td>1</td></tr></table>" * 10)  # 70 tags and texts
    with pytest.raises(ParseError, match="more than 70 tags and runs of text"):
        from_html.html_source("<table><tr><td>1</td></tr></table>" * 11)


def test_a_page_of_tiny_tables_at_the_size_cap_ends_in_seconds() -> None:
    """Issue #16, bug 10: 10⁵ tiny tables took minutes; the tag cap ends them in seconds."""
    unit = "<table><tr><td>1</td></tr></table>"
    page = unit * (limits.MAX_HTML_CHARACTERS // len(unit))
    start = time.process_time()
    with pytest.raises(ParseError, match="tags and runs of text"):
        gipreport.read(page, format="html")
    assert time.process_time() - start < 20  # about 3.5 s here under load; minutes before


def test_a_merged_cell_over_many_slots_is_looked_at_once() -> None:
    """Found by fuzz/fuzz.py: each slot of a merged cell was searched for controls again."""
    rows = "<tr></tr>" * 99
    page = f"<table><tr><td colspan=1000 rowspan=100>{'字' * 20_000}</td></tr>{rows}</table>"
    start = time.process_time()
    with pytest.raises(ParseError):
        gipreport.read(page, format="html")
    assert time.process_time() - start < 5  # minutes before


@pytest.mark.parametrize(
    "page", ['<a b l="">x', "<a b l=''>x", '<a b=/ l="">x', "<td a=1 b=\"\" c=''>x</td>"]
)
def test_an_empty_quoted_value_among_plain_attributes_is_html_parsers(page: str) -> None:
    # An empty quoted value is a value (""), not none (a TypeError once, outside ParseError).
    assert ours(page) == reference(page)
    assert ours(page * 2) == reference(page * 2)


@pytest.mark.parametrize(
    "tag",
    [
        '<td class="gip-value" data-path="a.b_c" colspan="3">',  # the shape gipreport writes
        '<td Class="A" b="C">',  # a name in upper case: lowered
        '<td a=" b=" c="d">',  # a value that looks like the start of an attribute
        '<td a="x&amp;y" b="">',  # a reference: unescaped
        '<td a="1" a="2" b="">',  # a repeated name: the first kept (by the tree builder)
        '<style a="1">',  # raw text's start tag
    ],
)
def test_a_tag_of_quoted_attributes_is_html_parsers_whichever_way_it_is_split(tag: str) -> None:
    page = f"{tag}x</td>{tag}y"
    assert ours(page) == reference(page)
