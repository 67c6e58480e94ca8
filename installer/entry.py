"""PyInstaller's entry script: the same `main` as the `session-console` console script."""

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
