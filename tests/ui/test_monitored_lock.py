"""A monitored session keeps its watch (issue 14): the idle lock between vitals readings.

Driven as a clinic runs it: a dose time recorded, a reading taken, notes
typed, then ten minutes without input. The lock screen must show the next
reading's time and nothing from the records, chime when the time comes, and
unlocking must bring back the same tabs with what was typed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.conftest import PASSPHRASE
from tests.ui.conftest import FakeClock, save_artifact
from tests.ui.people import visible_texts
from ui.chime import LENGTH_S, RATE, VOLUME, chime_samples
from ui.controller import AppController
from ui.dates import show_time
from ui.lock_watch import LockReminder
from ui.main_window import MainWindow
from ui.session.tabs.medicine import MedicineTab
from ui.session.workspace import SessionWorkspace

W = TypeVar("W", bound=QWidget)
LEFT = Qt.MouseButton.LeftButton
DOSE_AT = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
TYPED = "Eyes closed, music on; settled after the first wave."


class DateClock:
    """An aware wall clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def hm(moment: datetime) -> str:
    return show_time(moment)


def by_name(root: QWidget, kind: type[W], name: str) -> W:
    """The one widget of `kind` under `root` with this accessible name (as a screen reader)."""
    found = [w for w in root.findChildren(kind) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def unlock(qtbot, controller: AppController) -> MainWindow:  # type: ignore[no-untyped-def]
    gate = controller.gate
    assert gate is not None
    qtbot.keyClicks(gate.secret, PASSPHRASE)  # type: ignore[attr-defined]
    qtbot.mouseClick(gate.unlock_button, LEFT)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    assert controller.main_window is not None
    return controller.main_window


def open_tabs(window: MainWindow) -> list[uuid.UUID]:
    return [w.session.id for w in window.workspaces()]


def alex_medicine_today(controller: AppController) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """The demo's Alex (screening cleared), an earlier session of his, and today's medicine one."""
    services = controller.services
    assert services is not None
    alex = services.clients.find("Alex Rivera")[0]
    earlier = next(
        s for s in services.sessions.list_for_client(alex.id) if s.kind is SessionKind.INTEGRATION
    )
    today = services.sessions.create(
        alex.id,
        SessionFields(starts_at=DOSE_AT - timedelta(minutes=15), kind=SessionKind.MEDICINE),
    )
    return alex.id, earlier.id, today.id


def test_idle_lock_keeps_a_monitored_session_and_shows_only_the_next_reading_time(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController, clock: FakeClock
) -> None:
    wall = DateClock(DOSE_AT - timedelta(minutes=5))
    unlocked.wall_clock = wall
    window = unlocked.main_window
    assert window is not None
    window.resize(1366, 768)
    alex_id, earlier_id, today_id = alex_medicine_today(unlocked)
    window.caseload.select(alex_id)
    window.open_session(earlier_id)
    workspace = window.open_session(today_id)
    assert workspace is not None
    tab = workspace.open_tab("medicine")
    assert isinstance(tab, MedicineTab)
    names = [unlocked.services.clients.get(alex_id).name, "Alex", "Rivera"]  # type: ignore[union-attr]
    assert names[0] in visible_texts()

    # the dose is given at 14:30 and the 0-min reading taken a minute later
    wall.now = DOSE_AT
    qtbot.mouseClick(by_name(tab, QAbstractButton, "Time given now"), LEFT)
    wall.now = DOSE_AT + timedelta(minutes=1)
    qtbot.mouseClick(by_name(tab, QAbstractButton, "Reading time now"), LEFT)
    for name, value in (("Systolic", "128"), ("Diastolic", "82"), ("Heart rate", "74")):
        qtbot.keyClicks(by_name(tab, QLineEdit, name), value)
    spo2 = by_name(tab, QLineEdit, "SpO2")
    qtbot.keyClicks(spo2, "98")
    qtbot.keyClick(spo2, Qt.Key.Key_Return)
    assert tab.vitals.table.rowCount() == 1, tab.error_text()

    # notes typed (not yet autosaved), scrolled down, the cursor in the notes
    notes = by_name(tab, QPlainTextEdit, "Session notes")
    qtbot.mouseClick(notes.viewport(), LEFT)
    qtbot.keyClicks(notes, TYPED)
    bar = tab.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0, "the medicine tab scrolls at 1366×768"
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()
    assert window.focusWidget() is notes
    geometry = window.geometry()

    # ten minutes without input: the idle lock fires at 14:42, the 15-min reading due at 14:45
    clock.now += 11 * 60
    wall.now = DOSE_AT + timedelta(minutes=12)
    qtbot.waitUntil(lambda: unlocked.main_window is None, timeout=5_000)
    assert not unlocked.vault.is_unlocked
    gate = unlocked.gate
    assert gate is not None and gate.isVisible()
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [gate]
    assert gate.geometry() == geometry, "the lock screen takes the app's place"
    reminder = gate.findChild(LockReminder)
    assert reminder is not None and reminder.isVisible()
    due_at = DOSE_AT + timedelta(minutes=15)
    assert reminder.text() == f"Next vitals reading due at {hm(due_at)}"
    assert reminder.accessibleName() == "Vitals reminder"
    assert reminder.chimes == 0
    texts = visible_texts()
    for secret in [*names, TYPED, "Medicine"]:
        assert secret not in texts, f"{secret!r} shows on the lock screen"
    save_artifact(gate, "lock-screen-monitored.png")

    # 14:45: "due now", once, and a chime (heard only where there is a sound device)
    wall.now = due_at
    qtbot.waitUntil(lambda: reminder.is_due, timeout=3_000)
    assert reminder.text() == f"Vitals reading due now (due at {hm(due_at)})"
    assert reminder.chimes == 1
    assert reminder.chime.played == (1 if reminder.chime.available else 0)
    wall.now = due_at + timedelta(minutes=1)
    reminder.refresh()
    assert reminder.chimes == 1, "one chime, not one a second"
    save_artifact(gate, "lock-screen-due.png")
    for secret in names:
        assert secret not in visible_texts()

    # unlocking: the same tabs, the medicine session in front, scrolled and typed as it was
    window = unlock(qtbot, unlocked)
    assert open_tabs(window) == [earlier_id, today_id]
    front = window.current_workspace()
    assert front is not None and front.session.id == today_id
    assert front.current_tool() == "medicine"
    tab = front.tab_widgets["medicine"]
    assert isinstance(tab, MedicineTab)
    notes = by_name(tab, QPlainTextEdit, "Session notes")
    assert notes.toPlainText() == TYPED
    stored = unlocked.services.medicine.get(today_id)  # type: ignore[union-attr]
    assert stored is not None and stored.notes == TYPED and stored.given_at == DOSE_AT
    assert window.focusWidget() is notes
    assert notes.textCursor().position() == len(TYPED)
    bar = tab.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() == scrolled, timeout=3_000)
    assert tab.watch() == (True, due_at), "the reopened tab keeps the app's clock"


def test_a_plain_lock_shows_no_reminder_and_unlocking_returns_to_the_same_tabs(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController
) -> None:
    window = unlocked.main_window
    services = unlocked.services
    assert window is not None and services is not None
    alex = services.clients.find("Alex Rivera")[0]
    window.caseload.select(alex.id)
    sessions = services.sessions.list_for_client(alex.id)
    discharged = next(s for s in sessions if s.kind is SessionKind.MEDICINE)
    emdr = next(s for s in sessions if s.kind is SessionKind.EMDR)
    window.open_session(discharged.id)
    workspace = window.open_session(emdr.id)
    assert isinstance(workspace, SessionWorkspace)
    workspace.open_tab("notes")
    window.area.setCurrentIndex(1)  # the discharged medicine session in front

    window.lock_action.trigger()
    assert unlocked.main_window is None
    gate = unlocked.gate
    assert gate is not None and gate.findChild(LockReminder) is None, "not monitored"
    window = unlock(qtbot, unlocked)
    assert open_tabs(window) == [discharged.id, emdr.id]
    front = window.current_workspace()
    assert front is not None and front.session.id == discharged.id
    assert window.workspaces()[1].current_tool() == "notes"
    assert window.overview.client is not None and window.overview.client.id == alex.id


def test_a_restore_lock_starts_afresh(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    """Restoring a backup replaces the records, so what was open is not reopened."""
    window = unlocked.main_window
    assert window is not None and unlocked.services is not None
    sessions = unlocked.services.sessions.list_for_client(window.caseload.selected_id())
    window.open_session(sessions[0].id)
    unlocked.lock("restore")
    window = unlock(qtbot, unlocked)
    assert open_tabs(window) == []


def test_the_chime_is_short_soft_and_starts_without_a_click() -> None:
    samples = chime_samples()
    assert samples.shape == (round(LENGTH_S * RATE), 2)
    assert np.abs(samples).max() <= VOLUME + 1e-6
    assert abs(samples[0, 0]) < 1e-3 and abs(samples[-1, 0]) < 0.05 * VOLUME
