"""Render resources/icons/session-console.svg to the PNG, ICO and ICNS the installers use.

    python installer/render_icons.py          # writes next to the SVG

Qt's SVG renderer draws the source (offscreen, no display needed); Pillow
writes the multi-size .ico (Windows) and .icns (macOS). The outputs are small
and committed, so a build on Windows or macOS does not need to re-render.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "session-console.svg"
PNG_SIZES = (16, 32, 48, 64, 128, 512)  # 256: session-console.png
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int):  # -> PIL.Image.Image
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: cannot read {SOURCE}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    from io import BytesIO

    return Image.open(BytesIO(bytes(data.data()))).convert("RGBA")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    big = render(1024)
    big.save(ICONS / "session-console.icns")  # Pillow writes the 16…1024 px set
    render(256).save(ICONS / "session-console.ico", sizes=[(s, s) for s in ICO_SIZES])
    for size in PNG_SIZES:
        render(size).save(ICONS / f"session-console-{size}.png", optimize=True)
    render(256).save(ICONS / "session-console.png", optimize=True)
    for path in sorted(ICONS.glob("session-console.*")):
        print(f"render_icons: {path.name} {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
