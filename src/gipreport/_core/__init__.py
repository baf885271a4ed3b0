"""The bottom layer: the national format as data, the report model, and its JSON.

Owns:

- :mod:`.form`: the national format (rows, columns, Chinese labels, header
  layout, sum relations), written once as data; everything else derives from it;
- :mod:`.model`: the immutable report model (frozen attrs classes);
- :mod:`.errors`: the exception hierarchy (one root, :class:`GipReportError`);
- :mod:`.findings`: findings as values (what a check says, with severities);
- :mod:`.totals` (derived totals) and :mod:`.aggregate` (reports added up);
- :mod:`.jsonio`: the JSON interchange (load, dump, schema), the contract of
  ``shared/spec/JSON.md``;
- :mod:`.limits`: every cap on what is read and held (``docs/limits.md``), and
  :mod:`.zipparts`: the parts of a zip package read within them (docx, template);
- :mod:`.template` (a blank report to fill in) and :mod:`.tidy` (the tidy
  tables described as data, and one report's rows of each);
- :mod:`.tablefiles`: tidy tables written as CSV, JSON Lines or Parquet, with a
  ``datapackage.json``;
- :mod:`.indicators`: derived rates (公开率, …) as data, like the rules;
- :mod:`.values`: one ``repr``, ``==`` and ``hash`` for the model's frozen classes
  (attrs would compile them for each class at import);
- :mod:`.hypothesis_hook`: Hypothesis's entry point, which registers the
  strategies of :mod:`gipreport.strategies` for the model's types (imported by
  name only when Hypothesis draws from them);
- ``data/``: the bundled example report.

May import: the standard library, attrs and cattrs, and itself. Nothing here
imports :mod:`gipreport._checking`, :mod:`gipreport._rendering`,
:mod:`gipreport._reading` or :mod:`gipreport._cli` (``tests/test_architecture.py``).
"""
