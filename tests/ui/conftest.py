"""Fixtures for driving the real windows offscreen, as a user would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from console.demo import build_demo
from console.services.bundle import Services
from console.vault import Vault
from tests.conftest import PASSPHRASE, TEST_KDF
from ui.controller import AppController
from ui.wheel_guard import install_wheel_guard

W = TypeVar("W", bound=QWidget)
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def wheel_guard(qapp: QApplication) -> None:
    """The guard the console installs on its application, so tests meet the same wheel."""
    install_wheel_guard(qapp)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def demo_vault_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "demo-vault"
    vault, _ = Vault.create(directory, PASSPHRASE, "Dr Maya Chen", kdf=TEST_KDF)
    build_demo(Services(vault))
    vault.lock()
    return directory


@pytest.fixture
def unlocked(qtbot, demo_vault_dir: Path, clock: FakeClock) -> Iterator[AppController]:  # type: ignore[no-untyped-def]
    controller = AppController(demo_vault_dir, clock=clock, kdf=TEST_KDF)
    controller.start()
    gate = controller.gate
    qtbot.keyClicks(gate.secret, PASSPHRASE)  # type: ignore[union-attr]
    qtbot.mouseClick(gate.unlock_button, _left())  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    yield controller
    if controller.main_window is not None:
        controller.lock("test-end")
    if controller.gate is not None:
        controller.gate.close()


def _left():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def when_modal(action: Callable[[QWidget], None]) -> None:
    """Act on the next modal dialog once it is showing (dialogs run their own loop)."""

    def attempt() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, attempt)
            return
        action(modal)

    QTimer.singleShot(0, attempt)


def save_artifact(widget: QWidget, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    assert widget.grab().save(str(path))
    return path


def open_tab(controller: AppController, key: str, kind: type[W]) -> W:
    """Open the selected client's latest session and bring one of its tools forward."""
    window = controller.main_window
    assert window is not None and controller.services is not None
    sessions = controller.services.sessions.list_for_client(window.caseload.selected_id())
    workspace = window.open_session(sessions[0].id)
    assert workspace is not None
    tab = workspace.tab_widgets[key]
    assert isinstance(tab, kind)
    workspace.tabs.setCurrentWidget(tab)
    return tab
