"""What a new user met (issue 15): a double-clicked New note, a draft that would not go,
an Overview that lagged behind saved measures, and a preferred name shown twice.

Driven as a user does: controls found by their accessible names, clicked with the
mouse and typed into with the keyboard; what is stored is checked through the services.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from console.clinical import measures as m
from console.vault import Vault
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.ui.conftest import FakeClock, open_tab, save_artifact, when_modal
from ui.controller import AppController
from ui.session.tabs.measures import MeasuresTab
from ui.session.tabs.notes import NotesTab

W = TypeVar("W", bound=QWidget)
LEFT = Qt.MouseButton.LeftButton


def by_name(root: QWidget, kind: type[W], name: str) -> W:
    """The one widget of `kind` a user can see under `root` with this accessible name."""
    found = [
        w
        for w in root.findChildren(kind)
        if w.accessibleName() == name and w.isVisibleTo(root) and not w.isHidden()
    ]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def click_row(qtbot, view: QListWidget, row: int) -> None:  # type: ignore[no-untyped-def]
    rect = view.visualItemRect(view.item(row))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())


def double_click(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """What the window system delivers for a double click: press, release, a double-click
    press and its release (QTest's mouseDClick on a widget sends only the third)."""
    qtbot.mouseClick(widget, LEFT)
    qtbot.mouseDClick(widget, LEFT)
    qtbot.mouseRelease(widget, LEFT)


def notes_tab(unlocked: AppController) -> NotesTab:
    tab = open_tab(unlocked, "notes", NotesTab)
    unlocked.main_window.resize(1366, 768)  # type: ignore[union-attr]
    return tab


def answer_question(qtbot, choice: QMessageBox.StandardButton, seen: list[str]):  # type: ignore[no-untyped-def]
    """Click `choice` on the next question box, keeping its text to check afterwards."""

    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert box.icon() is QMessageBox.Icon.Question
        seen.append(f"{box.windowTitle()}\n{box.text()}")
        qtbot.mouseClick(box.button(choice), LEFT)

    when_modal(act)


# -- notes: one draft per double click; a draft can be discarded, a signed note never ---------


def test_a_double_click_on_new_note_makes_one_draft(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    tab = notes_tab(unlocked)
    notes = unlocked.services.notes  # type: ignore[union-attr]
    before = notes.list_for_session(tab.context.session_id)
    rows = tab.list.count()

    double_click(qtbot, by_name(tab, QAbstractButton, "New note"))

    after = notes.list_for_session(tab.context.session_id)
    assert len(after) == len(before) + 1, "a double click stores exactly one draft"
    assert tab.list.count() == rows + 1
    new = next(n for n in after if n.id not in {b.id for b in before})
    assert not new.is_signed and tab.editor.note is not None and tab.editor.note.id == new.id
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QPlainTextEdit))
    assert QApplication.focusWidget() in tab.editor.findChildren(QPlainTextEdit)


def test_a_second_new_note_after_a_pause_still_makes_another(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    tab = notes_tab(unlocked)
    button = by_name(tab, QAbstractButton, "New note")
    rows = tab.list.count()
    qtbot.mouseClick(button, LEFT)
    qtbot.wait(QApplication.doubleClickInterval() + 100)
    qtbot.mouseClick(button, LEFT)
    assert tab.list.count() == rows + 2, "two deliberate clicks make two notes"


def test_an_unsigned_draft_is_discarded_after_confirmation(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    services = unlocked.services
    assert services is not None
    tab = notes_tab(unlocked)
    rows = tab.list.count()
    qtbot.mouseClick(by_name(tab, QAbstractButton, "New note"), LEFT)
    draft = tab.editor.note
    assert draft is not None and not draft.is_signed
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QPlainTextEdit))
    qtbot.keyClicks(QApplication.focusWidget(), "Quokkamarble draft typed by mistake")
    qtbot.waitUntil(lambda: tab.editor.status.text().startswith("Saved"), timeout=6_000)
    assert services.search.search("Quokkamarble"), "autosaved, so findable until discarded"
    discard = by_name(tab, QAbstractButton, "Discard draft")
    assert discard.isEnabled()

    seen: list[str] = []
    answer_question(qtbot, QMessageBox.StandardButton.No, seen)
    qtbot.mouseClick(discard, LEFT)
    assert seen and "Discard" in seen[0]
    assert any(n.id == draft.id for n in services.notes.list_for_session(draft.session_id))
    assert tab.list.count() == rows + 1, "saying No keeps the draft"

    text = next(w for w in tab.editor.findChildren(QPlainTextEdit) if w.isVisible())
    qtbot.mouseClick(text.viewport(), LEFT)
    tab.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab.window())
    answer_question(qtbot, QMessageBox.StandardButton.Yes, seen)
    qtbot.keyClick(text, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # Disca&rd draft…
    qtbot.waitUntil(lambda: tab.list.count() == rows)  # a mnemonic "animates" its click

    assert all(n.id != draft.id for n in services.notes.list_for_session(draft.session_id))
    shown = [tab.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(tab.list.count())]
    assert draft.id not in shown
    assert tab.editor.note is None or tab.editor.note.id != draft.id
    assert not services.search.search("Quokkamarble"), "its text is not left in search"
    voids = [e for e in services.recent_audit(20) if e.action == "void" and e.entity_kind == "note"]
    assert [e.entity_id for e in voids] == [str(draft.id)]


def test_a_signed_note_cannot_be_discarded(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    services, window = unlocked.services, unlocked.main_window
    assert services is not None and window is not None
    window.resize(1366, 768)
    client_id = window.caseload.selected_id()
    signed = next(
        n for n in services.notes.list_for_client(client_id) if n.is_signed and not n.addenda
    )
    workspace = window.open_session(signed.session_id)
    assert workspace is not None
    tab = workspace.tab_widgets["notes"]
    assert isinstance(tab, NotesTab)
    workspace.tabs.setCurrentWidget(tab)
    row = next(
        r
        for r in range(tab.list.count())
        if tab.list.item(r).data(Qt.ItemDataRole.UserRole) == signed.id
    )
    click_row(qtbot, tab.list, row)
    assert tab.editor.note is not None and tab.editor.note.id == signed.id

    discard = by_name(tab, QAbstractButton, "Discard draft")
    assert not discard.isEnabled()
    assert "signed" in discard.toolTip().lower() and "addendum" in discard.toolTip().lower()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(tab.list, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(300)  # longer than a mnemonic's animated click
    assert QApplication.activeModalWidget() is None, "nothing to confirm: no discarding"
    assert tab.list.count() >= 1 and tab.editor.note.id == signed.id
    assert services.notes.get(signed.id).is_signed
    assert services.notes.verify_hash(signed.id)
    save_artifact(window, "notes-signed-discard-disabled.png")


# -- overview: fresh after measures are saved; no empty red bar without a client --------------


def test_overview_shows_measures_as_soon_as_they_are_saved(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    assert window is not None
    window.resize(1366, 768)
    caseload = by_name(window, QListWidget, "Client list")
    zoe = next(r for r in range(caseload.count()) if caseload.item(r).text().startswith("Zoë"))
    click_row(qtbot, caseload, zoe)
    overview = window.overview
    latest = by_name(overview, QLabel, "Latest measures")
    assert latest.text() == "No measures yet."
    assert overview.chart.measure.count() == 0

    tab = open_tab(unlocked, "measures", MeasuresTab)
    entered_by = by_name(tab, QComboBox, "Entered by")
    entered_by.setFocus()
    qtbot.keyClick(entered_by, Qt.Key.Key_Down)
    assert entered_by.currentData() == "clinician"
    gad7 = m.MEASURES["gad7"]
    for item, value in zip(gad7.items, (2, 2, 1, 1, 0, 3, 1), strict=True):
        label = gad7.item_options(item)[value].label
        button = by_name(tab, QAbstractButton, f"Item {item.number}: {label}")
        qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
    qtbot.mouseClick(by_name(tab, QAbstractButton, "Save measure"), LEFT)

    qtbot.waitUntil(lambda: "GAD-7" in latest.text(), timeout=2_000)
    assert "latest 10" in latest.text()
    assert [overview.chart.measure.itemText(i) for i in range(overview.chart.measure.count())] == [
        "GAD-7"
    ]
    window.area.setCurrentWidget(overview)
    overview.right_tabs.setCurrentWidget(overview.chart)
    assert list(overview.chart.points.data["y"]) == [10]
    save_artifact(window, "overview-after-measure.png")


@pytest.fixture
def empty_unlocked(qtbot, tmp_path: Path) -> Iterator[AppController]:  # type: ignore[no-untyped-def]
    """A new user's vault: a clinician and no clients yet."""
    directory = tmp_path / "empty-vault"
    Vault.create(directory, PASSPHRASE, "Dr Maya Chen", kdf=TEST_KDF)[0].lock()
    controller = AppController(directory, clock=FakeClock(), kdf=TEST_KDF)
    controller.start()
    qtbot.keyClicks(controller.gate.secret, PASSPHRASE)  # type: ignore[union-attr]
    qtbot.mouseClick(controller.gate.unlock_button, LEFT)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    yield controller
    if controller.main_window is not None:
        controller.lock("test-end")
    if controller.gate is not None:
        controller.gate.close()


def test_no_empty_risk_bar_without_a_client(qtbot, empty_unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window = empty_unlocked.main_window
    assert window is not None
    window.resize(1366, 768)
    overview = window.overview
    assert overview.client is None
    assert not overview.risk_flag.isVisibleTo(window), "no red bar with nothing in it"
    assert not overview.measures_box.isVisibleTo(window)
    assert overview.title.text() == "No client selected"
    save_artifact(window, "overview-no-client.png")


# -- names: the preferred name once, the demo mark kept -------------------------------------


def test_caseload_and_overview_show_the_preferred_name_once(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    assert window is not None
    caseload = by_name(window, QListWidget, "Client list")
    status = by_name(window, QComboBox, "Client status filter")
    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_End)
    assert status.currentText() == "All"
    names = [caseload.item(r).text() for r in range(caseload.count())]
    assert "Alex Rivera (demo)" in names, names
    assert "Zoë Ångström (demo)" in names, names
    assert "Dmitri Ivanov “Дима” (demo)  — archived" in names, names
    assert "Noor Haddad “نور” (demo)" in names, names
    click_row(qtbot, caseload, names.index("Alex Rivera (demo)"))
    assert by_name(window.overview, QLabel, "Client name heading").text() == "Alex Rivera (demo)"
