"""Views refresh from the change bridge, and only for what they show."""

from __future__ import annotations

import warnings

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from tests.ui.conftest import open_tab
from ui.controller import AppController
from ui.session.tabs.measures import MeasuresTab
from ui.session.tabs.notes import NotesTab
from ui.workers import tasks_in_flight

LEFT = Qt.MouseButton.LeftButton


def test_typing_in_a_note_saves_without_rebuilding_the_overview(
    qtbot, unlocked: AppController, monkeypatch
) -> None:
    window = unlocked.main_window
    assert window is not None and unlocked.services is not None
    overview = window.overview
    tab = open_tab(unlocked, "notes", NotesTab)
    qtbot.mouseClick(tab.new_button, LEFT)
    note = tab.editor.note
    assert note is not None
    field = next(e for e in tab.editor.findChildren(QPlainTextEdit) if not e.isReadOnly())
    assert field.accessibleName() == "Subjective"
    qtbot.waitUntil(field.isVisible, timeout=3_000)
    rebuilds: list[None] = []
    monkeypatch.setattr(overview, "refresh", lambda: rebuilds.append(None))
    window.saved_label.clear()

    field.setFocus()
    qtbot.keyClicks(field, "Calmer this week.")
    notes = unlocked.services.notes
    qtbot.waitUntil(
        lambda: "Calmer this week." in "".join(notes.get(note.id).sections.values()),
        timeout=6_000,
    )
    qtbot.waitUntil(lambda: window.saved_label.text() == "All changes saved", timeout=3_000)
    qtbot.waitUntil(lambda: tasks_in_flight() == 0, timeout=3_000)

    assert rebuilds == []


def test_a_measure_saved_in_the_session_shows_in_the_overview_at_once(
    qtbot, unlocked: AppController
) -> None:
    window = unlocked.main_window
    assert window is not None
    overview = window.overview
    assert "latest 21" not in overview.measures.text()
    tab = open_tab(unlocked, "measures", MeasuresTab)
    tab.measure.setCurrentIndex(tab.measure.findData("gad7"))
    tab.entered_by.setCurrentIndex(tab.entered_by.findData("clinician"))
    for group in tab.form.groups:
        qtbot.mouseClick(group.button(3), LEFT)

    qtbot.mouseClick(tab.save, LEFT)

    assert "GAD-7</b>: baseline 16, latest 21" in overview.measures.text()


def test_a_tool_shut_down_on_close_and_again_on_quit_lets_go_of_the_changes_once(
    qtbot, unlocked: AppController
) -> None:
    """Quitting shuts down tools a close already shut down; the second time is silent."""
    open_tab(unlocked, "notes", NotesTab)
    window = unlocked.main_window
    assert window is not None
    workspace = window.current_workspace()
    assert workspace is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        workspace.shutdown()
        workspace.shutdown()
