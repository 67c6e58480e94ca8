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


def test_psychotherapy_notes_are_found_only_when_asked_for_and_the_search_clears(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    person.menu("Edit", "Find…")
    person.keys("slowed my own breathing")
    results = person.find("Search results", QListWidget)
    person.expect("0 result(s)")
    assert results.count() == 0, "a psychotherapy note stays out of a search by default"

    person.click("Include psychotherapy notes")
    qtbot.waitUntil(lambda: results.count() >= 1, timeout=3_000)
    hits = [results.itemWidget(results.item(row)) for row in range(results.count())]
    assert all(isinstance(hit, QLabel) and "Zoë" in hit.text() for hit in hits)
    assert person.sees(f"{len(hits)} result(s)")
    person.shot(console.main_window, "search-psychotherapy-note")  # type: ignore[arg-type]

    person.click("Clear search")
    query = person.find("Search records")
    qtbot.waitUntil(lambda: results.count() == 0, timeout=3_000)
    assert query.text() == ""  # type: ignore[attr-defined]
    person.click("Include psychotherapy notes")
    person.type("Search records", "slowed my own breathing")
    person.expect("0 result(s)")
    assert results.count() == 0, "unticked, it is left out again"
