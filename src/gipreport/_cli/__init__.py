"""The ``gipreport`` command line: argument parsing, the commands and the batch runner.

Owns:

- :mod:`.app`: the argument parser and :func:`main`, which dispatches to a command;
- one module per command family, each parsing nothing, calling the library and
  printing: :mod:`.check` (``check``), :mod:`.render` (``render``, ``convert``),
  :mod:`.info` (``schema``, ``rules``), :mod:`.new` (``new``, ``demo``),
  :mod:`.data` (``sum``, ``export``), :mod:`.fill` (``fill``);
- :mod:`.zh`: the Chinese words of ``check --lang zh``;
- :mod:`.common`: what the commands share (the console, exit codes, loading
  files, printing notes and problems);
- :mod:`.batch`: the batch runner (files found, read and worked on in parallel,
  written whole or not at all).

May import: everything (the public API and every private package). Nothing
imports it but ``gipreport.__main__`` and the ``gipreport`` console script,
which calls :func:`main`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (:func:`gipreport._cli.app.main`); ``--version`` without loading it.

    ``gipreport --version`` answers before the parser and the commands are
    imported, so that it is as fast as Python starting.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments == ["--version"]:
        import gipreport  # noqa: PLC0415 - light: its names are imported when used

        sys.stdout.write(f"gipreport {gipreport.__version__}\n")
        return 0
    from gipreport._cli.app import main as run  # noqa: PLC0415 - the parser and every command

    return run(argv)
