"""The ``gipreport`` command line: argument parsing, the commands and the batch runner.

Owns:

- :mod:`.app`: the argument parser and :func:`main`, which dispatches to a command;
- one module per command family, each parsing nothing, calling the library and
  printing: :mod:`.check` (``check``), :mod:`.render` (``render``, ``convert``),
  :mod:`.info` (``schema``, ``rules``), :mod:`.new` (``new``, ``demo``),
  :mod:`.data` (``sum``, ``export``);
- :mod:`.common`: what the commands share (the console, exit codes, loading
  files, printing notes and problems);
- :mod:`.batch`: the batch runner (files found, read and worked on in parallel,
  written whole or not at all).

May import: everything (the public API and every private package). Nothing
imports it but ``gipreport.__main__`` and the ``gipreport`` console script,
which calls :func:`main`.
"""

from gipreport._cli.app import main

__all__ = ["main"]
