"""``python -m gipreport``: the command line (see :mod:`gipreport._cli.app`)."""

import sys

from gipreport._cli import main

if __name__ == "__main__":
    sys.exit(main())
