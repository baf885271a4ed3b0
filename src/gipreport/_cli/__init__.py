"""The ``gipreport`` command line: argument parsing, the commands and the batch runner.

Owns: one module per command family (:mod:`.app` parses the arguments and
dispatches), the batch runner (:mod:`.batch`: files in, results out, in parallel),
and what the commands print. It may import everything below it (:mod:`gipreport`'s
public API and the private packages); nothing imports it but ``gipreport.__main__``
and the ``gipreport`` console script, which calls :func:`main`.
"""

from gipreport._cli.app import main

__all__ = ["main"]
