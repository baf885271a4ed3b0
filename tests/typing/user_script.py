"""A user's script, as ``mypy --strict`` sees it: the types of :func:`gipreport.render`.

Checked by mypy (``tests/test_typing.py``, and the project's own mypy run). An
expected error is written with ``# type: ignore[code]``: under ``--strict``
(``warn_unused_ignores``) an ignore that silences nothing is itself an error, so
each marks an error that must be there.
"""

from __future__ import annotations

from pathlib import Path
from typing import assert_type

import gipreport


def write_all(report: gipreport.Report, out: Path) -> None:
    (out / "o.docx").write_bytes(gipreport.render(report, "docx"))
    s: str = gipreport.render(report, "html", fragment=True)
    (out / "o.html").write_text(s, encoding="utf-8")
    assert_type(gipreport.render(report, "text", newline="\r\n"), str)
    assert_type(gipreport.render(report, "json"), str)
    assert_type(gipreport.render(report, "docx", page_numbers="center"), bytes)
    assert_type(gipreport.render_html(report, fragment=True, heading_level=2), str)
    assert_type(gipreport.render_docx(report, body_size="三号"), bytes)
    assert_type(gipreport.render_text(report), str)
    # A registered (third-party) format: the type checker cannot know its output.
    assert_type(gipreport.render(report, "csv", delimiter=";"), str | bytes)


def misspelt(report: gipreport.Report) -> None:
    gipreport.render_html(report, fragmant=True)  # type: ignore[call-arg]
    gipreport.render_text(report, newline="\r")  # type: ignore[arg-type]
    gipreport.render_docx(report, page_numbers="left")  # type: ignore[arg-type]
    text: str = gipreport.render(report, "docx")  # type: ignore[assignment]
    del text
