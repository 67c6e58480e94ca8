"""What a new user met in the worksheets (issue 15), driven by mouse and keyboard.

The EMDR worksheet keeps what is typed without a save button and its chart
fills as sets are rated; the ART summary counts the ART sets, not the EMDR
ones of the same session; the SUD chart reads by set number within a session
and by date across sessions.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TypeVar

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)

from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.conftest import PASSPHRASE
from tests.ui.conftest import save_artifact
from ui.controller import AppController
from ui.dates import show_day_month
from ui.main_window import MainWindow
from ui.session.tabs.art import ArtTab
from ui.session.tabs.emdr import EmdrTab
from ui.session.tabs.pacer import PacerTab
from ui.session.workspace import SessionWorkspace
from ui.workers import tasks_in_flight

W = TypeVar("W", bound=QWidget)
LEFT = Qt.MouseButton.LeftButton
TARGET = "Crowded train, March 2024"
PLAN = "Future template for the morning commute"


def by_name(root: QWidget, kind: type[W], name: str) -> W:
    """The one widget of `kind` shown under `root` with this accessible name (a screen reader's)."""
    found = [
        w for w in root.findChildren(kind) if w.accessibleName() == name and w.isVisibleTo(root)
    ]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def _alex_session(controller: AppController, kind: SessionKind) -> tuple[MainWindow, uuid.UUID]:
    """The demo's Alex (an EMDR target with six rated sets) and a new session of his today."""
    window, services = controller.main_window, controller.services
    assert window is not None and services is not None
    window.resize(1366, 768)
    alex = services.clients.find("Alex Rivera")[0]
    window.caseload.select(alex.id)
    fields = SessionFields(starts_at=datetime.now(UTC), kind=kind)
    session = services.sessions.create(alex.id, fields)
    return window, session.id


def _open(window: MainWindow, session_id: uuid.UUID, tool: str) -> SessionWorkspace:
    workspace = window.open_session(session_id)
    assert workspace is not None
    workspace.open_tab(tool)
    return workspace


def _choose_target(qtbot, emdr: EmdrTab) -> None:  # type: ignore[no-untyped-def]
    targets = by_name(emdr, QListWidget, "EMDR targets")
    item = targets.findItems(TARGET, Qt.MatchFlag.MatchContains)[0]
    qtbot.mouseClick(targets.viewport(), LEFT, pos=targets.visualItemRect(item).center())
    assert emdr._current_target() is not None


def _rated_set(qtbot, workspace: SessionWorkspace, sud: int) -> None:  # type: ignore[no-untyped-def]
    """Start and stop a set from the Pacer tab, then type its SUD into the focused box."""
    pacer = workspace.open_tab("pacer")
    assert isinstance(pacer, PacerTab)
    qtbot.mouseClick(by_name(pacer, QAbstractButton, "Start or pause set"), LEFT)
    qtbot.mouseClick(by_name(pacer, QAbstractButton, "Stop set"), LEFT)
    focused = QApplication.focusWidget()
    assert focused is not None and focused.accessibleName() == "SUD after set"
    qtbot.keyClicks(focused, str(sud))
    qtbot.keyClick(focused, Qt.Key.Key_Return)


def _art_set(qtbot, workspace: SessionWorkspace) -> None:  # type: ignore[no-untyped-def]
    """The ART tab's hand-over to the pacer, then a set started and stopped there."""
    art = workspace.open_tab("art")
    assert isinstance(art, ArtTab)
    qtbot.mouseClick(by_name(art, QAbstractButton, "Start an ART eye-movement set"), LEFT)
    pacer = workspace.tabs.currentWidget()
    assert isinstance(pacer, PacerTab)
    qtbot.mouseClick(by_name(pacer, QAbstractButton, "Start or pause set"), LEFT)
    qtbot.mouseClick(by_name(pacer, QAbstractButton, "Stop set"), LEFT)


def _line(emdr: EmdrTab, name: str) -> pg.PlotDataItem:
    return next(
        item
        for item in emdr.chart.getPlotItem().items
        if isinstance(item, pg.PlotDataItem) and item.name() == name
    )


def _axis(emdr: EmdrTab) -> tuple[list[tuple[float, str]], str]:
    """The bottom axis as drawn: its tick positions with their labels, and its title."""
    axis = emdr.chart.getAxis("bottom")
    ticks = sorted(tick for level in axis._tickLevels or [] for tick in level)
    return ticks, axis.labelText


def _status(emdr: EmdrTab) -> QLabel:
    return by_name(emdr, QLabel, "EMDR save status")


def test_emdr_work_saves_as_typed_and_is_there_after_closing_the_tab(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController
) -> None:
    window, session_id = _alex_session(unlocked, SessionKind.EMDR)
    workspace = _open(window, session_id, "emdr")
    emdr = workspace.tab_widgets["emdr"]
    assert isinstance(emdr, EmdrTab)
    _choose_target(qtbot, emdr)
    for sud in (6, 3):
        _rated_set(qtbot, workspace, sud)
    workspace.open_tab("emdr")
    plan = by_name(emdr, QPlainTextEdit, "Plan")
    qtbot.mouseClick(plan.viewport(), LEFT)
    qtbot.keyClicks(plan, PLAN)
    assert _status(emdr).isVisible() and _status(emdr).text() == "Unsaved changes…"
    qtbot.waitUntil(lambda: _status(emdr).text().startswith("Saved "), timeout=10_000)
    stored = unlocked.services.emdr.get_work(session_id)  # type: ignore[union-attr]
    assert stored is not None and stored.plan == PLAN and stored.target_id is not None
    assert list(_line(emdr, "SUD").yData) == [6, 3], "the chart fills without a save button"
    save_artifact(window, "emdr-autosaved.png")

    bar = window.area.tabBar()
    close = bar.tabButton(window.area.indexOf(workspace), QTabBar.ButtonPosition.RightSide)
    qtbot.mouseClick(close, LEFT)
    assert session_id not in [w.session.id for w in window.workspaces()]

    reopened = _open(window, session_id, "emdr").tab_widgets["emdr"]
    assert isinstance(reopened, EmdrTab)
    assert by_name(reopened, QPlainTextEdit, "Plan").toPlainText() == PLAN
    assert TARGET in by_name(reopened, QListWidget, "EMDR targets").currentItem().text()
    assert list(_line(reopened, "SUD").yData) == [6, 3]
    assert _status(reopened).text().startswith("Saved ")


def test_emdr_work_typed_just_before_a_lock_is_kept(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window, session_id = _alex_session(unlocked, SessionKind.EMDR)
    emdr = _open(window, session_id, "emdr").tab_widgets["emdr"]
    containment = by_name(emdr, QLineEdit, "Containment used")
    qtbot.mouseClick(containment, LEFT)
    qtbot.keyClicks(containment, "Container, then the lake")
    unlocked.lock("manual")  # before the autosave's pause has passed: the lock saves it
    assert unlocked.gate is not None
    qtbot.keyClicks(unlocked.gate.secret, PASSPHRASE)  # type: ignore[attr-defined]
    qtbot.mouseClick(unlocked.gate.unlock_button, LEFT)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: unlocked.main_window is not None, timeout=10_000)
    window = unlocked.main_window
    assert window is not None
    workspace = next(w for w in window.workspaces() if w.session.id == session_id)
    emdr = workspace.tab_widgets["emdr"]
    assert by_name(emdr, QLineEdit, "Containment used").text() == "Container, then the lake"


def test_an_autosave_overtaken_by_a_close_never_overwrites_it(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    window, session_id = _alex_session(unlocked, SessionKind.EMDR)
    workspace = _open(window, session_id, "emdr")
    emdr = workspace.tab_widgets["emdr"]
    plan = by_name(emdr, QPlainTextEdit, "Plan")
    qtbot.mouseClick(plan.viewport(), LEFT)
    qtbot.keyClicks(plan, "Future template")
    writer = unlocked.services.vault.write_lock  # type: ignore[union-attr]
    with writer:  # the autosave's write waits, as behind a slow backup
        qtbot.waitUntil(lambda: _status(emdr).text() == "Saving…", timeout=10_000)
        qtbot.keyClicks(plan, " for the commute")
        bar = window.area.tabBar()
        close = bar.tabButton(window.area.indexOf(workspace), QTabBar.ButtonPosition.RightSide)
        qtbot.mouseClick(close, LEFT)  # saves on this thread, which holds the lock already
    qtbot.waitUntil(lambda: tasks_in_flight() == 0, timeout=10_000)  # the overtaken one ran
    stored = unlocked.services.emdr.get_work(session_id)  # type: ignore[union-attr]
    assert stored is not None and stored.plan == "Future template for the commute"


def test_art_counts_its_own_sets_not_the_emdr_ones(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window, session_id = _alex_session(unlocked, SessionKind.INTEGRATION)
    workspace = _open(window, session_id, "pacer")
    for sud in (5, 4):
        _rated_set(qtbot, workspace, sud)  # EMDR sets: the pacer's Classic EMDR settings
    _art_set(qtbot, workspace)
    pacer = workspace.tab_widgets["pacer"]
    assert by_name(pacer, QComboBox, "Worksheet for sets").currentText() == "ART"
    save_artifact(window, "pacer-worksheet-choice.png")
    art = workspace.open_tab("art")
    assert isinstance(art, ArtTab)
    assert "1 set(s)" in by_name(art, QLabel, "ART summary").text()
    assert unlocked.services.art.summary(session_id).sets_used == 1  # type: ignore[union-attr]
    emdr = workspace.open_tab("emdr")
    assert by_name(emdr, QListWidget, "Sets this session").count() == 2, "the EMDR sets only"


def test_sets_in_an_art_session_are_art_sets(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window, session_id = _alex_session(unlocked, SessionKind.ART)
    workspace = _open(window, session_id, "pacer")
    _rated_set(qtbot, workspace, 6)
    _art_set(qtbot, workspace)
    art = workspace.open_tab("art")
    assert "2 set(s)" in by_name(art, QLabel, "ART summary").text()


def test_sud_chart_reads_by_set_in_a_session_and_by_date_across_sessions(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController
) -> None:
    window, session_id = _alex_session(unlocked, SessionKind.EMDR)
    workspace = _open(window, session_id, "emdr")
    emdr = workspace.tab_widgets["emdr"]
    assert isinstance(emdr, EmdrTab)
    _choose_target(qtbot, emdr)
    for sud in (5, 3, 2):
        _rated_set(qtbot, workspace, sud)
    workspace.open_tab("emdr")
    qtbot.waitUntil(lambda: _status(emdr).text().startswith("Saved "), timeout=10_000)

    scale = by_name(emdr, QComboBox, "Chart scale")
    scale.setFocus()
    qtbot.keyClick(scale, Qt.Key.Key_Home)
    assert scale.currentText() == "This session, by set"
    assert list(_line(emdr, "SUD").yData) == [5, 3, 2]
    assert _axis(emdr) == ([(1.0, "1"), (2.0, "2"), (3.0, "3")], "Set")
    save_artifact(window, "emdr-chart-by-set.png")

    qtbot.keyClick(scale, Qt.Key.Key_Down)
    assert scale.currentText() == "All sessions, by date"
    services = unlocked.services
    assert services is not None
    earlier = next(
        s
        for s in services.sessions.list_for_client(workspace.session.client_id)
        if s.kind is SessionKind.EMDR and s.id != session_id
    )
    days = [show_day_month(s.starts_at) for s in (earlier, workspace.session)]
    ticks, title = _axis(emdr)
    assert [label for _x, label in ticks] == days and title == "Session"
    assert list(_line(emdr, "SUD").yData) == [8, 6, 4, 2, 1, 0, 0, 5, 3, 2]
    xs = list(_line(emdr, "SUD").xData)
    assert xs == sorted(xs) and xs[0] > -0.5 and xs[6] < 0.5 < xs[7] and xs[-1] < 1.5
    save_artifact(window, "emdr-chart-by-date.png")
