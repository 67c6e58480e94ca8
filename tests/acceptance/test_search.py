"""Edit → Find: a part, an EMDR target's image and a note word found and opened."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget

from tests.acceptance.person import Person
from ui.controller import AppController


def _click_hit(person: Person, results: QListWidget, words: str) -> None:
    for row in range(results.count()):
        label = results.itemWidget(results.item(row))
        if isinstance(label, QLabel) and words in label.text():
            person.qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
            return
    texts = [results.itemWidget(results.item(r)).text() for r in range(results.count())]  # type: ignore[attr-defined]
    raise AssertionError(f"no hit with {words!r}: {texts}")


def test_find_a_part_and_a_target_and_open_them(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    window = console.main_window
    assert window is not None
    person.menu("Edit", "Find…")
    person.keys("Girl in the car park")
    results = person.find("Search results", QListWidget)
    qtbot.waitUntil(lambda: results.count() >= 1, timeout=3_000)
    person.shot(window, "search-part")
    _click_hit(person, results, "· Part ·")
    person.press(Qt.Key.Key_Return)
    heading = person.find("Part heading", QLabel)
    qtbot.waitUntil(lambda: "Girl in the car park" in heading.text(), timeout=3_000)

    person.type("Search records", "Crowded train", replace=True)
    qtbot.waitUntil(
        lambda: any(
            "EMDR target" in results.itemWidget(results.item(r)).text()  # type: ignore[attr-defined]
            for r in range(results.count())
        ),
        timeout=3_000,
    )
    _click_hit(person, results, "EMDR target")
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_workspace() is not None, timeout=3_000)
    workspace = window.current_workspace()
    assert workspace is not None and workspace.current_tool() == "emdr"
    person.shot(window, "search-target-opened")
