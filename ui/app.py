"""The Qt application: names, icon, crash handling, and the controller that runs it."""

from __future__ import annotations

import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from console import APP_ID, APP_NAME, ORGANISATION, __version__
from ui.controller import AppController
from ui.gui_thread_gc import collect_on_gui_thread
from ui.qt_messages import quiet_qt_messages
from ui.single_instance import SingleInstance, bring_to_front
from ui.wheel_guard import install_wheel_guard


def configure(app: QApplication) -> None:
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    from ui.resources import app_icon

    app.setWindowIcon(app_icon())


def crash_report(data_dir: Path, kind: type[BaseException], tb: TracebackType | None) -> Path:
    """Where the code failed (files, lines, functions) — never a value or a message."""
    frames = traceback.extract_tb(tb)
    lines = [f"{APP_NAME} {__version__} — {datetime.now(UTC).isoformat()}", kind.__name__]
    lines += [f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames]
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"crash-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def install_excepthook(data_dir: Path) -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        try:
            path = crash_report(data_dir, kind, tb)
            where = f" A report without any record content was saved to {path}."
        except OSError:
            where = ""
        QMessageBox.critical(
            None,
            APP_NAME,
            "Something unexpected went wrong. What was already saved is safe." + where,
        )

    sys.excepthook = hook


def run(data_dir: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    quiet_qt_messages()
    configure(app)
    install_wheel_guard(app)
    collect_on_gui_thread()
    instance = SingleInstance(data_dir, app)
    if instance.forward_to_running():
        print(f"{APP_ID}: already running for this data folder; brought it to the front")
        return 0
    instance.listen()
    install_excepthook(data_dir)
    controller = AppController(data_dir)
    instance.activated.connect(lambda: bring_to_front(controller.main_window or controller.gate))
    controller.start()
    return app.exec()
