"""Rendering reports: one format-neutral layout, one writer per output format.

Owns:

- :mod:`.layout`: report → which label and value goes in which cell, spanning
  what (shared by every writer, so no two can disagree about the form);
- :mod:`.words`: where a header label may break (between the words of the form's
  labels: 商业/企业, never 商业企/业);
- :mod:`.registry`: :func:`render`, the renderer protocol and the registry of
  output formats — register a new format here;
- :mod:`.options`: the built-in formats' options as ``TypedDict`` classes, for type
  checkers (``render(report, "html", fragment=True)`` is typed);
- one module per output format: :mod:`.to_html`, :mod:`.to_text`,
  :mod:`.to_docx` (with its options in :mod:`.docx_options`, importable without
  python-docx), :mod:`.to_xlsx` (the form as a spreadsheet, on openpyxl); JSON
  output is :mod:`gipreport._core.jsonio`'s.

May import: :mod:`gipreport._core` and itself. Not the checking, reading or
command-line packages; the readers import :mod:`.layout` (and nothing else of
this package) to find the form's header rows in a source's grid.
"""
