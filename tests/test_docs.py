"""The documentation builds without a warning, covers the form and runs its examples."""

from __future__ import annotations

import doctest
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from sphinx.cmd.build import build_main

import gipreport
from gipreport.form import FORM_2021

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(
    str(path.relative_to(DOCS)) for pattern in ("*.md", "zh/*.md") for path in DOCS.glob(pattern)
)
FENCE = re.compile(r"^```(?P<lang>\S*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


@attrs.frozen
class Build:
    status: int
    html: Path


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    out = tmp_path_factory.mktemp("html")
    status = build_main(["-W", "--keep-going", "-b", "html", "-q", str(DOCS), str(out)])
    return Build(status=status, html=out)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def test_docs_build_without_warnings(build: Build) -> None:
    assert build.status == 0


def test_glossary_lists_every_cell_with_its_label(build: Build) -> None:
    text = page_text(build.html / "generated" / "glossary.html")
    missing = [
        cell.path for cell in FORM_2021.cells if cell.path not in text or cell.label not in text
    ]
    assert missing == []


def test_every_problem_type_and_note_code_is_documented(build: Build) -> None:
    problems = page_text(build.html / "generated" / "problems.html")
    assert [code for code in gipreport.PROBLEM_TYPES if code not in problems] == []
    assert all(meaning in problems for meaning in gipreport.PROBLEM_TYPES.values())
    notes = page_text(build.html / "generated" / "notes.html")
    assert [code for code in gipreport.NOTE_CODES if code not in notes] == []


def test_glossary_is_generated_deterministically(build: Build) -> None:
    generated = DOCS / "generated" / "glossary.md"
    first = generated.read_bytes()
    status = build_main(["-b", "html", "-q", str(DOCS), str(build.html)])
    assert status == 0
    assert generated.read_bytes() == first


def doctest_of(page: str) -> doctest.DocTest:
    # Every line outside a pycon block is blanked, so reported line numbers are
    # those of the page.
    source = (DOCS / page).read_text(encoding="utf-8")
    kept = [" " * len(line) for line in source.split("\n")]
    for fence in FENCE.finditer(source):
        if fence.group("lang") == "pycon":
            first = source.count("\n", 0, fence.start("body"))
            body = fence.group("body").split("\n")
            kept[first : first + len(body)] = body
    text = "\n".join(line if line.strip() else "" for line in kept)
    return doctest.DocTestParser().get_doctest(text, {}, page, str(DOCS / page), 0)


@pytest.mark.parametrize("page", PAGES)
def test_code_examples_run(page: str) -> None:
    test = doctest_of(page)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    result = runner.run(test, out=report.append)
    assert result.failed == 0, "".join(report)


def test_pages_with_examples_are_run() -> None:
    with_examples = [page for page in PAGES if doctest_of(page).examples]
    assert {"index.md", "quickstart.md", "json.md", "form.md", "zh/快速开始.md"} <= set(
        with_examples
    )


def test_every_picture_is_referenced_small_and_made_by_the_script() -> None:
    # scripts/screenshots.py regenerates the pictures of rendered reports; each is
    # shown on a page, and small enough for a repository (≤ 150 KB).
    script = (DOCS.parent / "scripts" / "screenshots.py").read_text(encoding="utf-8")
    made = set(re.findall(r'"([\w-]+-[\w-]+\.png)"', script))  # its scratch files are one word
    assert {"docx-table3.png", "html-phone.png", "html-print.png"} <= made
    pages = "".join((DOCS / page).read_text(encoding="utf-8") for page in PAGES)
    shown = set(re.findall(r"\(_static/([\w-]+\.png)\)", pages))
    assert made <= shown
    for name in shown:
        picture = DOCS / "_static" / name
        assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), name
        assert picture.stat().st_size <= 150_000, name
