"""Checking reports: the rule catalogue and everything that evaluates it.

Owns:

- :mod:`.rules`: the rule catalogue, every check as data (ID, severity,
  messages, formula, basis, function) — add a rule here;
- :mod:`.arithmetic`: the form's sum relations compiled to positions, and the
  suspect cells of a failed sum;
- :mod:`.narrative`: counts and fee notices stated in the prose;
- :mod:`.organs`: what kind of organ a name denotes (for rules that depend on it);
- :mod:`.checks`: :func:`check` and :func:`check_series`, which run the
  catalogue and collect every finding;
- :mod:`.corpus`: a corpus as tidy tables (cells, findings, notes, indicators,
  reports): rows, pandas data frames, files;
- :mod:`.cluster`: the same on Dask, past one machine.

May import: :mod:`gipreport._core` and itself; :mod:`.corpus` and :mod:`.cluster`
also the readers (:mod:`gipreport._reading`), since a corpus is files to read.
Not the rendering or command-line packages.
"""
