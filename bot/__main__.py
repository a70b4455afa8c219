"""`python -m bot` and the `papers-bot` console script."""

import sys

from bot.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
