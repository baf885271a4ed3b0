"""Reading published reports: from a source (file, bytes, text) to a report and notes.

Owns:

- :mod:`.api`: :func:`read` and the per-format entry points, format detection;
- :mod:`.source`: the source blocks every input kind produces (paragraphs,
  gridded or text tables, pictures, with their place), and the notes
  (:class:`ParseNote`, :class:`Where`, the note codes);
- one module per input kind, each turning its input into blocks and saying
  nothing about what they mean: :mod:`.from_docx`, :mod:`.from_html` (with
  :mod:`.html_tokens`: html.parser's tokens in linear time),
  :mod:`.from_text`, :mod:`.from_markdown`, :mod:`.from_layout` and
  :mod:`.from_lines` (with :mod:`.text_flow`: printed lines and page
  furniture), :mod:`.from_pdf` (a PDF's text layer, on pdfplumber: ruled
  tables, lines into paragraphs, pages; with :mod:`.pdfium_page`: a page's
  characters and paths from PDFium), :mod:`.from_xlsx` (a workbook's
  sheets: the prose sheet's rows, each table sheet a grid) — add an input kind as
  ``from_<kind>.py``;
- :mod:`.labels`: printed labels normalised and matched to the form's;
- :mod:`.numbering`: the numbering of headings (（一）, 1、, （1） …), one pattern
  for every reader;
- :mod:`.variants`: the variants of the form's labels and headings real
  reports print, and the words of a web page's chrome and metadata, as data;
- :mod:`.header`: the organ, year and date of issue from every place a report
  states them (title, signature, preamble, a web page's metadata), and a web
  page's chrome told from the report;
- :mod:`.tables`: the form's tables found and read by their labels;
- :mod:`.assemble`: the document (header, sections, tables) read out of the
  blocks once, for every input kind;
- :mod:`.tidy`: read notes as rows of the ``notes`` tidy table.

May import: :mod:`gipreport._core`, itself, and of the renderers only
:mod:`gipreport._rendering.layout` (the grid the form's tables are printed in,
whose header rows the table reader matches). Not the checking or command-line
packages.
"""
