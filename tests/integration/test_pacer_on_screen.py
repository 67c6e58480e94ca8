"""The pacer's picture as the client's screen shows it: a real X server's framebuffer.

`session-console pacer` runs full screen on Xvfb; a separate process samples the
framebuffer file (the bench's sampler, validated in test_presentation_sampler.py)
and sees every presented frame. Each must show the whole dot once: no clipped edge,
no sliver or half dot left behind. A second blob lasting a millisecond or two is
the X server caught mid-copy (Xvfb has no page flip); one that stays on screen
until the next frame is the app's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import presentation_framebuffer as framebuffer  # noqa: E402

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdpyinfo") is None,
    reason="Xvfb and xdpyinfo are not installed (apt-get install -y xvfb x11-utils)",
)
WIDTH, HEIGHT = 1280, 720
PERSISTS_S = 0.008  # half a frame at 60 Hz


@pytest.mark.parametrize("profile", ["constant", "sinusoidal"])
def test_every_frame_shows_the_whole_dot_once(profile: str) -> None:
    with framebuffer.xvfb(WIDTH, HEIGHT) as (display, fb):
        sampler = framebuffer.Sampler(fb).start()
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("XDG_RUNTIME_DIR", None)
        done = subprocess.run(
            [sys.executable, "-m", "ui.launcher", "pacer", "--seconds", "6", "--profile", profile],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        log = sampler.stop()
    assert done.returncode == 0, done.stderr
    frames = log.shown.astype(bool) & (log.blobs > 0)
    assert frames.sum() > 200, "the sampler saw the set's frames"
    widths = log.width[frames]
    assert np.all(np.abs(widths - framebuffer.DOT_DIAMETER) <= 1), sorted(set(widths.tolist()))
    lasted = np.diff(np.append(log.t, log.t[-1] + 1.0))
    stale = frames & (log.blobs > 1) & (lasted > PERSISTS_S)
    assert not stale.any(), f"{int(stale.sum())} frames showed a second blob until the next frame"
    first = np.flatnonzero(frames)[0]
    reach = WIDTH * 0.4 - framebuffer.DOT_DIAMETER / 2
    assert abs(log.centre[first] - (WIDTH / 2 - reach)) <= 2, "the first frame is at the start"
