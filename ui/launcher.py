"""The `session-console` entry point: headless commands, or the desktop console.

Qt is imported only when a window is wanted, so the headless commands run on
a server with no display libraries.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from console.__main__ import main as cli_main
from console.pacer.settings import PacerSettings


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def open_console(data_dir: Path) -> int:
    if not has_display():
        print(
            "session-console: no display found (DISPLAY/WAYLAND_DISPLAY unset); "
            "run it on a desktop, or see `session-console --help` for headless commands",
            file=sys.stderr,
        )
        return 2
    from ui.qt_messages import quiet_qt_messages

    quiet_qt_messages()
    from ui.app import run

    return run(data_dir)


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.self_test import run

    return run()


def run_pacer(settings: PacerSettings, screen: str) -> int:
    if not has_display():
        print("session-console: the pacer needs a display", file=sys.stderr)
        return 2
    from ui.qt_messages import quiet_qt_messages

    quiet_qt_messages()
    from ui.pacer.standalone import run

    return run(settings, screen)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, gui=open_console, self_test=run_self_test, pacer=run_pacer)


if __name__ == "__main__":
    sys.exit(main())
