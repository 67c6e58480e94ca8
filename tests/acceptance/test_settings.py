"""Settings → Appearance: the dark theme chosen by a therapist, worn at once, and undone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.acceptance.person import Person
from ui.controller import AppController
from ui.theme import apply_theme


@pytest.fixture
def restored_style(qapp: QApplication) -> Iterator[None]:
    style, palette = qapp.style().name(), qapp.palette()
    yield
    apply_theme(qapp, "system")
    qapp.setStyle(style)
    qapp.setPalette(palette)


def test_dark_theme_chosen_in_settings_and_back(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, restored_style: None
) -> None:
    window = console.main_window
    assert window is not None

    def dark(dialog: QWidget) -> None:
        person.choose("Theme", "Dark")
        person.click("Save")

    person.menu("File", "Settings…", then=dark)
    qtbot.waitUntil(lambda: window.palette().window().color().lightness() < 80, timeout=3_000)
    assert console.settings.get("theme") == "dark"
    person.shot(window, "settings-dark-theme")
    assert isinstance(person.find("Client name heading", QLabel), QLabel)

    def system(dialog: QWidget) -> None:
        person.choose("Theme", "System (follow the computer)")
        person.click("Save")

    person.menu("File", "Settings…", then=system)
    qtbot.waitUntil(lambda: console.settings.get("theme") == "system", timeout=3_000)
