"""The HTML renderer: the official layout as tables, escaped, embeddable, deterministic."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples, reports
from gipreport import HtmlOptions, RenderError
from gipreport._rendering import to_html
from gipreport._rendering.layout import layout, table_layout
from gipreport._rendering.to_html import DEFAULT_CSS, HTML_RENDERER, render_html
from gipreport.layout import format_value, subsection_number
from gipreport.strategies import publishable_text
from golden_support import check_golden

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden" / "mingan_2023.html"
HOWTO = ROOT / "docs" / "howto-embed-html.md"
VOID = frozenset({"meta", "br", "col", "wbr"})
TAGS = frozenset(
    {
        "html", "head", "meta", "title", "style", "body", "article", "h1", "h2", "h3", "h4",
        "h5", "h6", "div", "p", "section", "table", "caption", "thead", "tbody", "tr", "th",
        "td", "footer", "time", "br", "colgroup", "col", "wbr", "bdi",
    }
)  # fmt: skip


# --- a strict little tree builder ----------------------------------------------------------


@attrs.define
class Node:
    tag: str
    attributes: dict[str, str | None]
    children: list[Node | str] = attrs.Factory(list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def classes(self) -> list[str]:
        return (self.attributes.get("class") or "").split()

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def find(self, tag: str, css_class: str | None = None) -> Node:
        return next(n for n in self.iter(tag) if css_class is None or css_class in n.classes)

    def attr(self, name: str) -> str | None:
        return self.attributes.get(name)


class TreeBuilder(HTMLParser):
    """Build a tree, and record anything that is not well-formed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.errors: list[str] = []
        self.declarations: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append(f"duplicate attribute in <{tag}>")
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) == 1 or self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_comment(self, data: str) -> None:
        self.errors.append(f"comment {data!r}")

    def handle_pi(self, data: str) -> None:
        self.errors.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.errors.append(f"declaration {data!r}")


def parse(html: str) -> Node:
    """Return the tree of ``html``, asserting it is well-formed and uses known tags only."""
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.errors == []
    assert [n.tag for n in builder.stack] == ["#root"], "unclosed elements"
    assert builder.declarations in ([], ["DOCTYPE html"])
    tags = {node.tag for node in builder.root.iter()}
    assert tags <= TAGS, tags - TAGS
    return builder.root


def shown(text: str) -> str:
    """Return ``text`` as a page shows it: characters HTML forbids become U+FFFD."""

    def forbidden(char: str) -> bool:
        code = ord(char)
        control = unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\n\x0c\r"
        return control or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE

    return "".join("\ufffd" if forbidden(char) else char for char in text)


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(gipreport.examples.mingan_2023())


@pytest.fixture(scope="module")
def tree(page: str) -> Node:
    return parse(page)


def table(tree: Node, key: str) -> Node:
    return tree.find("table", f"gip-table-{key}")


def spans(cell: Node) -> tuple[int, int]:
    return int(cell.attr("rowspan") or 1), int(cell.attr("colspan") or 1)


# --- the acceptance criteria of the issue ---------------------------------------------------


def test_table_3_has_28_rows_and_the_official_spans(tree: Node) -> None:
    requests = table(tree, "requests")
    thead = requests.find("thead")
    tbody = requests.find("tbody")
    assert len(list(requests.iter("tr"))) == 28
    assert len(list(thead.iter("tr"))) == 3
    assert len(list(tbody.iter("tr"))) == 25
    cells = {cell.text: spans(cell) for cell in requests.iter("th")}
    corner = requests.find("th", "gip-corner")
    assert spans(corner) == (3, 3)
    assert corner.text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert cells["申请人情况"] == (1, 7)
    assert cells["自然人"] == (2, 1)
    assert cells["法人或其他组织"] == (1, 5)
    assert cells["总计"] == (2, 1)
    assert cells["三、本年度办理结果"] == (22, 1)
    assert cells["（三）不予公开"] == (8, 1)
    assert cells["（四）无法提供"] == (3, 1)
    assert cells["（五）不予处理"] == (5, 1)
    assert cells["（六）其他处理"] == (3, 1)
    assert cells["（七）总计"] == (1, 2)
    assert cells["一、本年新收政府信息公开申请数量"] == (1, 3)
    assert len(list(tbody.iter("td"))) == 25 * 7
    # Every row fills the 10 columns of the grid, counting cells spanning from above.
    covered = [0] * 28
    for index, row in enumerate(requests.iter("tr")):
        width = covered[index]
        for cell in row.iter():
            if cell.tag not in ("th", "td"):
                continue  # the <wbr> between the words of a header
            rowspan, colspan = spans(cell)
            width += colspan
            for below in range(index + 1, index + rowspan):
                covered[below] += colspan
        assert width == 10, index


def test_table_4_has_3_header_rows_and_15_values(tree: Node) -> None:
    appeals = table(tree, "appeals")
    thead = appeals.find("thead")
    assert len(list(thead.iter("tr"))) == 3
    first, second, third = (list(row.iter("th")) for row in thead.iter("tr"))
    assert [(c.text, spans(c)) for c in first] == [("行政复议", (1, 5)), ("行政诉讼", (1, 10))]
    assert [spans(c) for c in second] == [(2, 1)] * 5 + [(1, 5)] * 2
    assert len(third) == 10
    values = list(appeals.find("tbody").iter("td"))
    assert len(values) == 15
    assert [v.text for v in values] == ["0"] * 15


def test_table_2_is_one_row_group_per_article(tree: Node) -> None:
    proactive = table(tree, "proactive")
    groups = list(proactive.iter("tbody"))
    assert len(groups) == 4
    titles = [g.find("th", "gip-block-title") for g in groups]
    assert [t.text for t in titles] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert all(t.attr("scope") == "rowgroup" and spans(t) == (1, 4) for t in titles)
    first = proactive.find("td", "gip-value")
    assert first.attr("data-path") == "proactive.rules.issued"
    assert len(list(proactive.iter("tr"))) == 14


def test_accessible_tables(tree: Node) -> None:
    for key, caption in (
        ("proactive", "二、主动公开政府信息情况"),
        ("requests", "三、收到和处理政府信息公开申请情况"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
    ):
        found = table(tree, key)
        assert next(c for c in found.children if isinstance(c, Node)).tag == "caption"
        assert found.find("caption").text == caption
    scopes = {
        "gip-corner": "col",
        "gip-col-header": "col",
        "gip-row-header": "row",
        "gip-block-title": "rowgroup",
    }
    headers = list(tree.iter("th"))
    assert headers
    for th in headers:
        (role,) = (c for c in th.classes if c in scopes)
        assert th.attr("scope") == scopes[role]
    for thead in tree.iter("thead"):
        assert not list(thead.iter("td"))


def test_values_are_cells_with_their_path() -> None:
    report = gipreport.examples.mingan_2023().with_cells(
        {"requests.new_received.natural_person": None, "proactive.licensing.decisions": 517645}
    )
    root = parse(render_html(report, HtmlOptions(fragment=True)))
    values = {td.attr("data-path"): td for td in root.iter("td")}
    assert list(values) == [cell.path for cell in report.form.cells]
    blank = values["requests.new_received.natural_person"]
    assert blank.classes == ["gip-value", "gip-blank"]
    assert blank.text == ""
    assert values["proactive.licensing.decisions"].text == "517645"
    assert values["requests.new_received.commercial"].classes == ["gip-value"]
    assert ".gip-table .gip-value{text-align:right" in DEFAULT_CSS


def test_standalone_page(page: str, tree: Node) -> None:
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">')
    assert page.endswith("</body>\n</html>\n")
    head = tree.find("head")
    assert head.find("title").text == "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"
    metas = [m.attributes for m in head.iter("meta")]
    assert {"charset": "utf-8"} in metas
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas
    assert head.find("style").text.strip() == DEFAULT_CSS.strip()
    article = tree.find("body").find("article")
    assert article.classes == ["gip-report"]
    assert article.attr("lang") == "zh-CN"
    assert next(h.text for h in article.iter("h2")) == "一、总体情况"
    assert article.find("h1").text == "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"
    assert article.find("h3").text == "（一）主动公开情况"
    signature = article.find("footer", "gip-signature")
    assert [p.text for p in signature.iter("p")] == ["乌拉特前旗明安镇人民政府", "2024年1月10日"]
    assert signature.find("time").attr("datetime") == "2024-01-10"
    page.encode("utf-8")


def test_no_external_resources(page: str, tree: Node) -> None:
    for node in tree.iter():
        assert not {"src", "href", "srcset", "style", "action"} & set(node.attributes)
    assert "url(" not in DEFAULT_CSS
    assert "@import" not in DEFAULT_CSS
    assert "<link" not in page
    assert "<script" not in page
    assert "@media print" in DEFAULT_CSS
    assert "@page{size:A4" in DEFAULT_CSS


def test_section_headings_are_in_heiti_with_free_faces_before_the_generic() -> None:
    # GB/T 9704's 一级 headings are 黑体; where SimHei is missing (Linux), a free 黑体-like
    # sans, not whatever Chinese font the system has (which may be a 楷体).
    rule = DEFAULT_CSS.split(".gip-heading{", 1)[1].split("}", 1)[0]
    family = rule.split("font-family:", 1)[1].split(";", 1)[0]
    assert family.split(",") == [
        "SimHei",
        '"黑体"',
        '"Noto Sans CJK SC"',
        '"WenQuanYi Zen Hei"',
        "sans-serif",
    ]


def test_printed_rows_break_where_a_label_spans_them() -> None:
    # A row is kept whole only through its cells, and a cell spanning rows is not kept
    # whole: else 三、本年度办理结果 (22 rows) goes to the next page whole
    # (tests/test_browser.py prints it).
    print_rules = DEFAULT_CSS.split("@media print{", 1)[1]
    rules = {
        selector: body
        for rule in print_rules.replace("\n", "").split("}")
        if "{" in rule
        for selector, body in [rule.split("{", 1)]
    }
    kept = next(selector for selector, body in rules.items() if body == "break-inside:avoid")
    assert set(kept.split(",")) == {
        ".gip-table thead",
        ".gip-table td",
        ".gip-table th:not([rowspan])",
    }
    assert not any(".gip-table tr" in selector.split(",") for selector in rules)
    assert ".gip-table thead{display:table-header-group}" in print_rules


def test_fragment_is_the_article_alone() -> None:
    report = gipreport.examples.mingan_2023()
    fragment = gipreport.render(report, "html", fragment=True)
    assert isinstance(fragment, str)
    assert fragment.startswith('<article class="gip-report" lang="zh-CN" id="gip-report">\n')
    assert fragment.endswith("</article>\n")
    root = parse(fragment)
    assert [n.tag for n in root.children if isinstance(n, Node)] == ["article"]
    assert "<style" not in fragment
    assert "<head" not in fragment
    page = render_html(report)
    assert fragment in page


def test_css_replaces_the_default_or_drops_it() -> None:
    report = gipreport.examples.mingan_2023()
    mine = parse(render_html(report, HtmlOptions(css=".gip-value{color:red}")))
    assert mine.find("style").text == "\n.gip-value{color:red}\n"
    more = render_html(report, HtmlOptions(css=HtmlOptions.DEFAULT_CSS + "p{color:red}"))
    assert DEFAULT_CSS + "p{color:red}\n</style>" in more
    none = render_html(report, HtmlOptions(css=""))
    assert "<style" not in none
    parse(none)


def test_title_lang_heading_level_and_ids() -> None:
    report = gipreport.examples.mingan_2023()
    root = parse(
        render_html(
            report,
            HtmlOptions(title="年报 & 公开", lang="zh-Hans", heading_level=3, id_prefix="r1-"),
        )
    )
    assert root.find("title").text == "年报 & 公开"
    assert root.find("html").attr("lang") == "zh-Hans"
    assert root.find("article").attr("lang") == "zh-Hans"
    assert root.find("h3").classes == ["gip-title"]
    assert root.find("h4").text == "一、总体情况"
    assert root.find("h5").text == "（一）主动公开情况"
    assert root.find("article").attr("id") == "r1-report"
    assert [s.attr("id") for s in root.iter("section") if "gip-section" in s.classes] == [
        "r1-overview",
        "r1-proactive",
        "r1-requests",
        "r1-appeals",
        "r1-problems",
        "r1-other_matters",
    ]
    bare = parse(render_html(report, HtmlOptions(fragment=True, id_prefix=None)))
    assert all("id" not in node.attributes for node in bare.iter())


def test_two_reports_on_one_page_have_distinct_ids() -> None:
    report = gipreport.examples.mingan_2023()
    both = "".join(
        render_html(report, HtmlOptions(fragment=True, id_prefix=prefix)) for prefix in ("a-", "b-")
    )
    ids = [node.attr("id") for node in parse(both).iter() if node.attr("id")]
    assert len(ids) == len(set(ids)) == 14


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fragment": 1}, "fragment: must be a bool"),
        ({"css": b"p{}"}, "css: must be a str or None"),
        ({"lang": "zh CN"}, "lang: must be a language tag"),
        ({"lang": ""}, "lang: must be a language tag"),
        ({"title": 3}, "title: must be a str or None"),
        ({"heading_level": 5}, "heading_level: must be an int from 1 to 4"),
        ({"heading_level": True}, "heading_level: must be an int from 1 to 4"),
        ({"id_prefix": "1a"}, "id_prefix: must be None or start with a letter"),
        ({"id_prefix": "a b"}, "id_prefix: must be None or start with a letter"),
        ({"fragment": True, "css": ""}, "a fragment has no stylesheet"),
        ({"fragment": True, "title": "x"}, "a fragment has no <title>"),
        ({"css": "p{}</STYLE><script>"}, "must not contain '</style'"),
    ],
)
def test_options_are_checked(options: dict[str, object], message: str) -> None:
    with pytest.raises(RenderError, match=re.escape(message)):
        HtmlOptions(**options)  # type: ignore[arg-type]
    with pytest.raises(RenderError, match=re.escape(message)):
        gipreport.render(gipreport.examples.mingan_2023(), "html", **options)


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        HtmlOptions(True)  # type: ignore[call-arg]
    assert HtmlOptions(id_prefix="").id_prefix == ""


def test_renderer_object() -> None:
    assert HTML_RENDERER.name == "html"
    assert HTML_RENDERER.media_type == "text/html"
    assert not HTML_RENDERER.binary
    assert HTML_RENDERER.options is HtmlOptions
    assert isinstance(HTML_RENDERER, gipreport.Renderer)


# --- escaping -------------------------------------------------------------------------------


def test_script_in_prose_is_text() -> None:
    attack = '<script>alert("x")</script>'
    report = gipreport.examples.mingan_2023()
    report = attrs.evolve(
        report,
        organ=f"{attack}人民政府",
        title=f"{attack}&amp;年报",
        preamble=(attack,),
        problems=gipreport.Prose(
            paragraphs=(attack, "a & b < c > d ' e \" f"),
            subsections=(gipreport.Subsection(heading=attack, paragraphs=("</p><p>",)),),
        ),
    )
    page = render_html(report)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    root = parse(page)
    assert root.find("title").text == f"{attack}&amp;年报"
    assert root.find("h1").text == f"{attack}&amp;年报"
    texts = [p.text for p in root.iter("p")]
    assert attack in texts
    assert "a & b < c > d ' e \" f" in texts
    assert "</p><p>" in texts
    assert root.find("p", "gip-organ").text == f"{attack}人民政府"
    assert f"（一）{attack}" in [h.text for h in root.iter("h3")]


def test_characters_html_forbids_are_replaced() -> None:
    text = "a\x00b\x0bc\x7fd\x85e\ud800f\ufffeg\U0001ffffh\tI\nJ\x0cK\U00020000L"
    # A valid report holds none of these (the model rejects them); one made with attrs'
    # validators disabled is still written as a valid page.
    with attrs.validators.disabled():
        report = attrs.evolve(gipreport.examples.mingan_2023(), preamble=(text,))
    page = render_html(report)
    page.encode("utf-8")  # a lone surrogate could not be
    paragraph = parse(page).find("div", "gip-preamble").find("p").text
    assert paragraph == shown(text)
    assert paragraph == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh\tI\nJ\x0cK\U00020000L"


NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "</article>",
        "<!--",
        "-->",
        "<![CDATA[",
        "&",
        "&amp;",
        "&#60;",
        "<",
        ">",
        '"',
        "'",
        "\x00",
        "\ud800",
        "\ufffe",
        "\U0010ffff",
        "\r\n",
        "明安镇",
        "（1）",
    ]
)
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=8)), max_size=6).map("".join)


@st.composite
def nasty_reports(draw: st.DrawFn) -> gipreport.Report:
    report = draw(reports(text=TEXT, blanks=True))
    text = publishable_text(TEXT)
    organ = draw(st.just("") | text) + "人民政府"
    title = draw(st.none() | text.map(lambda t: t + "报告"))
    preamble = tuple(draw(st.lists(text, max_size=2)))
    return attrs.evolve(report, organ=organ, title=title, preamble=preamble)


@settings(max_examples=examples(30), deadline=None)
@given(nasty_reports(), st.booleans())
def test_any_text_is_escaped_and_the_page_well_formed(
    report: gipreport.Report, fragment: bool
) -> None:
    html = render_html(report, HtmlOptions(fragment=fragment))
    html.encode("utf-8")
    root = parse(html)  # well-formed, and no tag but ours: nothing got out of its text
    article = root.find("article")
    assert article.find("h1").text == shown(report.display_title)
    if not fragment:
        assert root.find("title").text == shown(report.display_title)

    def as_paragraph(text: str) -> str:
        # A paragraph's line breaks are <br>, which a page shows as line feeds.
        return re.sub(r"\r\n|\r", "\n", shown(text))

    # The preamble, after the year line where the title does not give the year.
    expected_paragraphs = [as_paragraph(p) for p in layout(report).preamble]
    expected_subheadings = []
    for prose in (report.overview, report.problems, report.other_matters):
        expected_paragraphs += [as_paragraph(p) for p in prose.paragraphs]
        for number, sub in enumerate(prose.subsections, start=1):
            expected_subheadings.append(subsection_number(number - 1) + shown(sub.heading))
            expected_paragraphs += [as_paragraph(p) for p in sub.paragraphs]
    expected_paragraphs.append(shown(report.organ))
    if report.published_on is not None:
        d = report.published_on
        expected_paragraphs.append(f"{d.year}年{d.month}月{d.day}日")
    assert [p.text for p in article.iter("p")] == expected_paragraphs
    assert [h.text for h in article.iter("h3")] == expected_subheadings
    values = report.values()
    for td in article.iter("td"):
        path = td.attr("data-path")
        assert path is not None
        assert td.text == format_value(values[path])


# --- output as a whole ----------------------------------------------------------------------


def test_golden(page: str) -> None:
    check_golden(GOLDEN, page)


def test_deterministic_across_processes(page: str) -> None:
    code = (
        "import sys, gipreport; "
        "sys.stdout.write(gipreport.render(gipreport.examples.mingan_2023(), 'html'))"
    )
    for seed in ("0", "12345"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"},
        ).stdout.decode("utf-8")
        assert out == page


def test_every_class_name_is_documented() -> None:
    report = gipreport.examples.mingan_2023().with_cell("appeals.review.upheld", None)
    classes = {c for node in parse(render_html(report)).iter() for c in node.classes}
    documented = HtmlOptions.__doc__ or ""
    howto = HOWTO.read_text(encoding="utf-8")
    keys = {section.key for section in report.form.sections}
    for name in sorted(classes):
        for prefix in ("gip-section-", "gip-table-"):
            if name.removeprefix(prefix) in keys:
                name = prefix + "{key}"  # noqa: PLW2901 - documented as a pattern
        name = re.sub(r"^(gip-(?:col|at)-)[0-9]+$", r"\1{n}", name)  # noqa: PLW2901 - likewise
        assert f"``{name}``" in documented, name
        assert f"`{name}`" in howto, name


def test_a_line_break_in_a_source_paragraph_reads_as_two_paragraphs() -> None:
    # A text of a report is one line (a line break in one is rejected); a page's <br>
    # inside a paragraph starts a new one.
    report = gipreport.examples.mingan_2023()
    with pytest.raises(gipreport.InvalidValueError, match="start a new paragraph"):
        attrs.evolve(report.problems, paragraphs=("第一行\n第二行", "第三行"))
    problems = attrs.evolve(report.problems, paragraphs=("第一行", "第二行", "第三行"))
    report = attrs.evolve(report, problems=problems)
    html = render_html(report).replace("<p>第一行</p>\n<p>第二行</p>", "<p>第一行<br>\n 第二行</p>")
    assert "<p>第一行<br>" in html
    assert gipreport.read_html(html).report == report


def _direct_table_html(table: gipreport.form.TableSpec, values: dict[str, object]) -> str:
    # Every cell of the filled layout written as it comes: what the template saves.
    out: list[str | to_html._Slot] = []
    to_html._table(out, table_layout(table, values), to_html._cell)  # type: ignore[arg-type]
    assert all(isinstance(piece, str) for piece in out)
    return "".join(str(piece) for piece in out)


@settings(max_examples=examples(40), deadline=None)
@given(
    st.sampled_from(("2021", "2019")).flatmap(
        lambda fmt: st.booleans().flatmap(lambda blanks: reports(format=fmt, blanks=blanks))
    )
)
def test_tables_filled_from_their_templates_are_the_layouts_html(report: gipreport.Report) -> None:
    values = report.values()
    for table in report.form.tables:
        out: list[str] = []
        to_html._fill(out, to_html._template(table), values)
        html = "".join(out)
        assert html == _direct_table_html(table, values)  # type: ignore[arg-type]
        assert html in render_html(report)
