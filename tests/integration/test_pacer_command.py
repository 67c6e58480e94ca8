"""`session-console pacer`: the stimulus with no vault, from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "tests" / "screens.json"


def _pacer(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={SCREENS}"}
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", "pacer", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_short_set_runs_full_screen_and_ends_by_itself(tmp_path: Path) -> None:
    done = _pacer("--speed", "2", "--seconds", "1.1", "--path", "circle", "--profile", "constant")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Pacer: 5 passes in " + done.stdout.split(" in ")[1].strip()
    assert "ended at its end" in done.stdout
    assert done.stderr.strip() == "", "no Qt chatter"


def test_bad_settings_and_an_unknown_screen_are_one_line_each() -> None:
    too_fast = _pacer("--speed", "5")
    assert too_fast.returncode == 2
    assert too_fast.stderr.count("\n") == 1 and "--speed" in too_fast.stderr
    nowhere = _pacer("--screen", "meeting-room-tv", "--seconds", "1")
    assert nowhere.returncode == 2 and nowhere.stderr.count("\n") == 1
    assert "meeting-room-tv" in nowhere.stderr and "projector" in nowhere.stderr
    negative = _pacer("--seconds", "-3")
    assert negative.returncode == 2 and "--seconds" in negative.stderr
