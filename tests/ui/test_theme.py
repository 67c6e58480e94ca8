"""Settings → Appearance → Theme, chosen as a person would: worn at once and at the next start."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QWidget

from tests.ui.conftest import save_artifact, when_modal
from tests.ui.people import choose_from_menu, type_keys
from ui.controller import AppController
from ui.settings_dialog import SettingsDialog
from ui.theme import apply_theme

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def app_theme(qapp: QApplication) -> Iterator[QApplication]:
    """Whatever a test wears, the next one starts with the platform's style and palette."""
    style, palette = qapp.style().name(), qapp.palette()
    yield qapp
    apply_theme(qapp, "system")
    qapp.setStyle(style)
    qapp.setPalette(palette)


def _lightness() -> int:
    return QApplication.palette().window().color().lightness()


def _choose_theme(qtbot, unlocked: AppController, steps: Qt.Key, count: int) -> None:  # type: ignore[no-untyped-def]
    """File → Settings…; the theme combo clicked, arrowed to, Enter; Save clicked."""
    window = unlocked.main_window
    assert window is not None
    seen: list[str] = []

    def in_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, SettingsDialog)
        combo = dialog.findChild(QComboBox, "theme")
        assert combo is not None and combo.accessibleName() == "Theme"
        qtbot.mouseClick(combo, LEFT)
        qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=2_000)
        type_keys(qtbot, *([steps] * count), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not combo.view().isVisible(), timeout=2_000)
        seen.append(combo.currentText())
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)

    when_modal(in_dialog)
    choose_from_menu(qtbot, window, "&File", "Se&ttings…")
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)
    assert seen, "the settings dialog opened and was saved"


def _stored(unlocked: AppController) -> str:
    """The theme as written in settings.json, beside the vault (read before unlocking)."""
    stored = json.loads((unlocked.data_dir / "settings.json").read_text(encoding="utf-8"))
    return str(stored["theme"])


def test_dark_then_light_from_settings_and_the_unlock_window_wears_it(
    qtbot, unlocked: AppController, app_theme: QApplication
) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    assert window is not None
    window.resize(1366, 768)

    _choose_theme(qtbot, unlocked, Qt.Key.Key_Down, 2)  # System → Light → Dark
    qtbot.waitUntil(lambda: window.palette().window().color().lightness() < 80)
    assert _lightness() < 80
    assert _stored(unlocked) == "dark" and unlocked.settings.get("theme") == "dark"
    save_artifact(window, "theme-dark.png")

    _choose_theme(qtbot, unlocked, Qt.Key.Key_Up, 1)  # Dark → Light
    qtbot.waitUntil(lambda: window.palette().window().color().lightness() > 200)
    assert _lightness() > 200
    assert _stored(unlocked) == "light"
    save_artifact(window, "theme-light.png")

    _choose_theme(qtbot, unlocked, Qt.Key.Key_Down, 1)  # Light → Dark, for the next start
    apply_theme(app_theme, "system")
    assert _lightness() > 200, "the platform's own palette is back"
    later = AppController(unlocked.data_dir, kdf=unlocked.kdf)
    later.start()
    gate = later.gate
    assert gate is not None and gate.isVisible()
    assert _lightness() < 80, "worn before the unlock window showed"
    assert gate.palette().window().color().lightness() < 80
    gate.close()
