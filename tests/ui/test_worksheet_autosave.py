"""The ART and rescripting worksheets keep what is typed without a Save click.

A therapist types a scene title or a hotspot during a set and never reaches
for Save; the words are in the vault after the autosave's pause, a step left
for another is saved as it is left, and a worksheet nobody wrote in is never
created.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from console.errors import ValidationError
from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.ui.people import type_keys
from ui.controller import AppController
from ui.session.tabs.art import ArtTab
from ui.session.tabs.rescripting import RescriptingTab
from ui.session.workspace import SessionWorkspace

LEFT = Qt.MouseButton.LeftButton
W = TypeVar("W", bound=QWidget)


def _named(root: QWidget, kind: type[W], name: str) -> W:
    found = [
        w for w in root.findChildren(kind) if w.accessibleName() == name and w.isVisibleTo(root)
    ]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def _session(
    unlocked: AppController, kind: SessionKind, tool: str
) -> tuple[SessionWorkspace, uuid.UUID]:
    window, services = unlocked.main_window, unlocked.services
    assert window is not None and services is not None
    window.resize(1366, 768)
    session = services.sessions.create(
        window.caseload.selected_id(), SessionFields(starts_at=datetime.now(UTC), kind=kind)
    )
    workspace = window.open_session(session.id)
    assert workspace is not None
    workspace.open_tab(tool)
    return workspace, session.id


def _type_into(qtbot, field: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    target = field.viewport() if isinstance(field, QPlainTextEdit) else field
    qtbot.mouseClick(target, LEFT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, text)


def _stored(get, session_id: uuid.UUID, field: str) -> object:  # type: ignore[no-untyped-def]
    """A worksheet field as the vault holds it (None while there is no worksheet)."""
    record = get(session_id)
    return None if record is None else getattr(record, field)


def test_a_scene_title_typed_in_art_is_saved_without_a_click(
    qtbot, unlocked: AppController
) -> None:
    workspace, session_id = _session(unlocked, SessionKind.ART, "art")
    art = workspace.tab_widgets["art"]
    assert isinstance(art, ArtTab)
    _type_into(qtbot, _named(art, QLineEdit, "Scene title"), "Exam hall")
    services = unlocked.services
    assert services is not None

    qtbot.waitUntil(
        lambda: _stored(services.art.get, session_id, "scene_title") == "Exam hall",
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: _named(art, QLabel, "ART message").text() == "Step 1 saved.")


def test_an_art_step_left_for_another_is_saved_as_it_is_left(
    qtbot, unlocked: AppController
) -> None:
    workspace, session_id = _session(unlocked, SessionKind.ART, "art")
    art = workspace.tab_widgets["art"]
    assert isinstance(art, ArtTab)
    _type_into(qtbot, _named(art, QLineEdit, "Scene title"), "The lift")
    steps = _named(art, QListWidget, "ART steps")
    third = steps.item(2)
    qtbot.mouseClick(steps.viewport(), LEFT, pos=steps.visualItemRect(third).center())
    assert art.current() == 2
    services = unlocked.services
    assert services is not None
    record = services.art.get(session_id)
    assert record is not None and record.scene_title == "The lift", "saved at once, not later"


def test_rescripting_words_are_saved_without_a_click(qtbot, unlocked: AppController) -> None:
    workspace, session_id = _session(unlocked, SessionKind.INTEGRATION, "rescripting")
    tab = workspace.tab_widgets["rescripting"]
    assert isinstance(tab, RescriptingTab)
    _type_into(qtbot, _named(tab, QPlainTextEdit, "Hotspot (the worst moment)"), "The door")
    services = unlocked.services
    assert services is not None

    qtbot.waitUntil(
        lambda: _stored(services.rescripting.get, session_id, "hotspot") == "The door",
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: _named(tab, QLabel, "Rescripting message").text().startswith("Saved"))


def test_the_whole_rescripting_worksheet_by_keys_and_save(qtbot, unlocked: AppController) -> None:
    """Every field filled as a therapist would, then Save: the vault holds what was typed."""
    workspace, session_id = _session(unlocked, SessionKind.INTEGRATION, "rescripting")
    tab = workspace.tab_widgets["rescripting"]
    assert isinstance(tab, RescriptingTab)
    words = {
        "Memory": "The classroom, age nine",
        "Emotions": "Shame, fear",
        "Unmet needs": "To be protected",
        "The rescript": "The adult self steps in",
        "New meaning": "I was a child; it was not my fault",
    }
    for name, text in words.items():
        _type_into(qtbot, _named(tab, QPlainTextEdit, name), text)
    who = _named(tab, QComboBox, "Who rescripts")
    qtbot.mouseClick(who, LEFT)
    qtbot.waitUntil(lambda: who.view().isVisible(), timeout=2_000)
    type_keys(qtbot, Qt.Key.Key_Down, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not who.view().isVisible(), timeout=2_000)
    chosen = who.currentData()
    for name, digit in (("Distress before", "8"), ("Distress after", "2")):
        box = _named(tab, QSpinBox, name)
        qtbot.mouseClick(box, LEFT)
        qtbot.waitUntil(lambda box=box: QApplication.focusWidget() is box)
        type_keys(qtbot, digit)
    qtbot.mouseClick(_named(tab, QPushButton, "Save rescripting"), LEFT)
    assert _named(tab, QLabel, "Rescripting message").text().startswith("Saved")
    services = unlocked.services
    assert services is not None
    saved = services.rescripting.get(session_id)
    assert saved is not None
    assert (saved.memory, saved.emotions, saved.unmet_needs) == (
        words["Memory"],
        words["Emotions"],
        words["Unmet needs"],
    )
    assert (saved.rescript, saved.new_meaning) == (words["The rescript"], words["New meaning"])
    assert (saved.who_rescripts, saved.distress_before, saved.distress_after) == (chosen, 8, 2)


def test_a_worksheet_nobody_wrote_in_is_never_created(qtbot, unlocked: AppController) -> None:
    workspace, session_id = _session(unlocked, SessionKind.INTEGRATION, "rescripting")
    workspace.open_tab("art")
    for tool in ("art", "rescripting"):
        tab = workspace.tab_widgets[tool]
        tab.flush()  # as a close or a lock does
    services = unlocked.services
    assert services is not None
    assert services.rescripting.get(session_id) is None
    assert services.art.get(session_id) is None


def test_a_refused_step_stays_on_screen_with_the_reason(
    qtbot, unlocked: AppController, monkeypatch
) -> None:
    """A step the vault will not take is not left behind: its words stay to be mended."""
    workspace, _ = _session(unlocked, SessionKind.ART, "art")
    art = workspace.tab_widgets["art"]
    assert isinstance(art, ArtTab)
    services = unlocked.services
    assert services is not None

    def refuse(*_: object) -> None:
        raise ValidationError("scene_title", "is refused by this test")

    monkeypatch.setattr(services.art, "save_step", refuse)
    title = _named(art, QLineEdit, "Scene title")
    _type_into(qtbot, title, "The lift")
    steps = _named(art, QListWidget, "ART steps")
    qtbot.mouseClick(steps.viewport(), LEFT, pos=steps.visualItemRect(steps.item(2)).center())
    assert art.current() == 0 and title.isVisible(), "the refused step is still on screen"
    assert title.text() == "The lift"
    message = _named(art, QLabel, "ART message").text()
    assert message.startswith("Not saved:") and "refused by this test" in message
