"""The presentation bench's framebuffer sampler, checked against a square with known truth.

bench/pacer_presentation_bench.py scores the pacer from what Xvfb's framebuffer file
shows; its figures are only as good as the sampler. Here a separate process writes a
moving square (irregular frame times, sub-pixel positions, an occasional detached
sliver) into a real Xvfb's pixel area, and the sampler must find every frame, in place;
and a dot drawn by a Qt window through the X server must be found where it was drawn,
so a wrong XWD header parse or channel order fails even though the writer shares it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import presentation_framebuffer as framebuffer  # noqa: E402

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdpyinfo") is None,
    reason="Xvfb and xdpyinfo are not installed (apt-get install -y xvfb x11-utils)",
)


@pytest.fixture
def fb() -> Iterator[Path]:
    with framebuffer.xvfb(1280, 720) as (_display, path):
        yield path


def test_header_describes_the_file_xvfb_wrote(fb: Path) -> None:
    layout = framebuffer.read_layout(fb)
    assert (layout.width, layout.height) == (1280, 720)
    # The pixels fill the file to its end, starting after the header and colour map.
    assert layout.pixel_offset + layout.bytes_per_line * layout.height == os.path.getsize(fb)
    assert layout.bytes_per_pixel == 4
    assert sorted((layout.red, layout.green, layout.blue)) == [0, 1, 2]


def test_sampler_recovers_every_frame_of_a_known_square(fb: Path) -> None:
    figures = framebuffer.validate_sampler(fb, seconds=2.0)
    assert figures["frames_written"] > 50
    # A frame the scheduler kept the sampler from reading at all is not a sampling
    # error, but more than a few such frames would leave too little measured.
    assert figures["frames_seen"] + figures["frames_unread"] == figures["frames_written"], figures
    assert figures["frames_unread"] <= figures["frames_written"] // 20, figures
    assert figures["samples_unexplained"] == 0, figures
    assert figures["position_error_px_max"] <= 1.0, figures
    assert figures["width_px_min"] == figures["width_px_max"] == framebuffer.DOT_DIAMETER
    assert figures["blobs_wrong"] == 0, figures


STILL_DOT = r"""
import sys
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget
x = float(sys.argv[1])
app = QApplication([sys.argv[0]])
geometry = app.primaryScreen().geometry()
class Still(QWidget):
    def paintEvent(self, event):
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#1e1e1e"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#5b9bd5"))
        painter.drawEllipse(QPointF(x, geometry.height() / 2), 24, 24)
window = Still()
window.setWindowFlag(Qt.WindowType.FramelessWindowHint)
window.setGeometry(geometry)
window.show()
app.exec()
"""


def test_sampler_reads_a_dot_the_x_server_drew() -> None:
    # Independent of the synthetic writer (which shares the sampler's header parse):
    # the X server lays out these pixels, so a wrong offset or channel order fails here.
    with framebuffer.xvfb(1280, 720) as (display, fb):
        layout = framebuffer.read_layout(fb)
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        app = subprocess.Popen([sys.executable, "-c", STILL_DOT, "400.5"], env=env)
        try:
            top, bottom = framebuffer.band_rows(layout)
            band = framebuffer.pixel_rows(fb, layout)[top:bottom]
            deadline = time.monotonic() + 20
            geometry = framebuffer.measure(band.tobytes(), layout)
            while not (geometry.shown and geometry.blobs) and time.monotonic() < deadline:
                if app.poll() is not None:
                    pytest.skip(f"Qt's xcb platform did not start ({app.returncode})")
                time.sleep(0.05)  # waiting for another process's first paint
                geometry = framebuffer.measure(band.tobytes(), layout)
        finally:
            app.terminate()
            app.wait(10)
    assert geometry.shown and geometry.blobs == 1, geometry
    assert abs(geometry.centre - 400.5) <= 1.0, geometry
    assert abs(geometry.width - framebuffer.DOT_DIAMETER) <= 1, geometry
