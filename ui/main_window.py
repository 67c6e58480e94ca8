"""The main window: caseload on the left, the client overview and open sessions on the right."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from console import APP_NAME
from console.config import Settings
from console.errors import ConsoleError
from console.services.bundle import Services
from console.services.changes import Action, Changes, Kind
from console.services.clients import ClientRecord
from console.services.search import SearchHit
from console.services.sessions import SessionRecord
from console.vocabulary import NoteTemplate
from ui.changes import ChangeBridge
from ui.clients.caseload import ClientListView
from ui.clients.dialogs import ClientDialog, ProgramDialog, SessionDialog
from ui.clients.overview import ClientOverview
from ui.lock_watch import LockWatch
from ui.pacer.trial import TrialPacerWindow
from ui.search_panel import SearchPanel
from ui.session.registry import SessionContext, ShowsRecords
from ui.session.tabs.notes import NotesTab
from ui.session.tabs.pacer import PacerTab
from ui.session.workspace import SessionWorkspace, WorkspaceSnapshot
from ui.widgets import named, report


@dataclass(frozen=True)
class WindowSnapshot:
    """What was open, to reopen after a lock: record ids and positions, never their content."""

    client_id: uuid.UUID | None
    sessions: tuple[WorkspaceSnapshot, ...]
    current: uuid.UUID | None  # the session in front; None for the overview


SAVED_NOTE = (Action.CREATED, Action.UPDATED, Action.TEXT_SAVED)


class MainWindow(QMainWindow):
    lock_requested = Signal()
    settings_requested = Signal()
    backup_requested = Signal()
    restore_requested = Signal()
    about_requested = Signal()

    def __init__(
        self,
        services: Services,
        settings: Settings,
        records: object | None = None,
        parent: QWidget | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`clock` (aware wall time) is handed to session tools that keep time, if given."""
        super().__init__(parent)
        self.services = services
        self.settings = settings
        self.records = records
        self.clock = clock
        self.setWindowTitle(APP_NAME)
        self.changes = ChangeBridge(services.changes, self)
        self.caseload = ClientListView(services, self.changes)
        self.overview = ClientOverview(services, self.changes)
        self.area = named(QTabWidget(), "Workspace")
        self.area.setTabsClosable(True)
        self.area.setDocumentMode(True)
        self.area.addTab(self.overview, self.tr("Overview"))
        self.area.tabBar().setTabButton(0, self.area.tabBar().ButtonPosition.RightSide, None)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.caseload)
        self.splitter.addWidget(self.area)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([280, 1000])
        self.setCentralWidget(self.splitter)
        self.search = SearchPanel(services)
        self.search_dock = QDockWidget(self.tr("Search"), self)
        self.search_dock.setObjectName("search_dock")
        self.search_dock.setWidget(self.search)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.search_dock)
        self.search_dock.hide()
        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.saved_label)
        self._build_menus()
        self.caseload.client_selected.connect(self._on_caseload_client_selected)
        self.overview.edit_requested.connect(self.edit_client)
        self.overview.new_session_requested.connect(self.new_session)
        self.overview.new_program_requested.connect(self.new_program)
        self.overview.session_opened.connect(self.open_session)
        self.overview.archive_toggled.connect(self._on_overview_archive_toggled)
        self.overview.export_requested.connect(self._export_chart)
        self.overview.parts_map_in_session = self._show_parts_tab
        self.area.tabCloseRequested.connect(self._on_area_tab_close_requested)
        self.search.hit_opened.connect(self._on_search_hit_opened)
        self.changes.changed.connect(self._on_records_changed)
        self._restore_geometry()
        if self.caseload.list.count():
            self.caseload.list.setCurrentRow(0)

    # -- menus ------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setObjectName(name or text.replace("&", "").replace("…", "").strip())
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._build_file_menu()
        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.find_action = self._action(
            self.tr("&Find…"), self.show_search, QKeySequence.StandardKey.Find, "find"
        )
        edit_menu.addAction(self.find_action)
        self._build_view_menu()
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(
            self._action(
                self.tr("&About Session Console"), self.about_requested.emit, None, "about"
            )
        )

    def _build_file_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_client_action = self._action(
            self.tr("&New client…"), self.new_client, QKeySequence.StandardKey.New, "new_client"
        )
        self.new_session_action = self._action(
            self.tr("New &session…"),
            lambda: self.new_session(self.overview.client.id if self.overview.client else None),
            QKeySequence("Ctrl+Shift+N"),
            "new_session",
        )
        self.export_session_action = self._action(
            self.tr("&Export session record…"),
            self._export_session,
            QKeySequence("Ctrl+E"),
            "export_session",
        )
        self.export_chart_action = self._action(
            self.tr("Export client &chart…"),
            lambda: self._export_chart(self.overview.client.id if self.overview.client else None),
            None,
            "export_chart",
        )
        self.print_action = self._action(
            self.tr("&Print…"), self._print, QKeySequence.StandardKey.Print, "print"
        )
        self._build_vault_actions()
        for action in (
            self.new_client_action,
            self.new_session_action,
            None,
            self.export_session_action,
            self.export_chart_action,
            self.print_action,
            None,
            self.backup_action,
            self.restore_action,
            None,
            self.settings_action,
            self.lock_action,
            self.quit_action,
        ):
            if action is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(action)

    def _build_vault_actions(self) -> None:
        """Backup, restore, settings, lock and quit: what the controller does for the window."""
        self.backup_action = self._action(
            self.tr("&Back up now"), self.backup_requested.emit, None, "backup_now"
        )
        self.restore_action = self._action(
            self.tr("&Restore from backup…"), self.restore_requested.emit, None, "restore"
        )
        self.settings_action = self._action(
            self.tr("Se&ttings…"),
            self.settings_requested.emit,
            QKeySequence.StandardKey.Preferences,
            "settings",
        )
        self.lock_action = self._action(
            self.tr("&Lock"), self.lock_requested.emit, QKeySequence("Ctrl+L"), "lock"
        )
        self.quit_action = self._action(
            self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit, "quit"
        )

    def _build_view_menu(self) -> None:
        """The View menu and the session toolbar, whose pacer key works from any tab."""
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.caseload_action = self._action(
            self.tr("&Caseload"),
            self.caseload.filter_text.setFocus,
            QKeySequence("Ctrl+1"),
            "focus_caseload",
        )
        view_menu.addAction(self.caseload_action)
        self.trial_pacer_action = self._action(
            self.tr("Try the &pacer…"), self.show_trial_pacer, None, "try_pacer"
        )
        self.trial_pacer_action.setToolTip(
            self.tr("The pacer without a session, for trying settings; nothing is recorded")
        )
        view_menu.addAction(self.trial_pacer_action)
        self.trial_pacer: TrialPacerWindow | None = None
        toolbar = self.addToolBar(self.tr("Session"))
        toolbar.setObjectName("session_toolbar")
        toolbar.addAction(self.new_session_action)
        self.pacer_action = self._action(
            self.tr("Pacer start/pause"),
            self._toggle_pacer,
            QKeySequence("Ctrl+Space"),
            "pacer_toggle",
        )
        self.pacer_action.setToolTip(self.tr("Start or pause the open session's pacer"))
        toolbar.addAction(self.pacer_action)

    # -- clients, programs, sessions -------------------------------------
    def new_client(self) -> None:
        dialog = ClientDialog(self.services, parent=self)
        record = dialog.result_record if dialog.exec() == QDialog.DialogCode.Accepted else None
        if isinstance(record, ClientRecord):
            self.caseload.select(record.id)
            self.statusBar().showMessage(self.tr("Client added."), 4000)

    def edit_client(self, client_id: uuid.UUID) -> None:
        dialog = ClientDialog(self.services, self.services.clients.get(client_id), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(self.tr("Client saved."), 4000)

    def new_program(self, client_id: uuid.UUID) -> None:
        dialog = ProgramDialog(self.services, client_id, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(self.tr("Program added."), 4000)

    def new_session(self, client_id: uuid.UUID | None) -> None:
        if client_id is None:
            self.statusBar().showMessage(self.tr("Choose a client first."), 4000)
            return
        dialog = SessionDialog(self.services, client_id, parent=self)
        record = dialog.result_record if dialog.exec() == QDialog.DialogCode.Accepted else None
        if isinstance(record, SessionRecord):
            self.open_session(record.id)

    def open_session(self, session_id: uuid.UUID) -> SessionWorkspace | None:
        for index in range(1, self.area.count()):
            widget = self.area.widget(index)
            if isinstance(widget, SessionWorkspace) and widget.session.id == session_id:
                self.area.setCurrentIndex(index)
                return widget
        try:
            session = self.services.sessions.get(session_id)
            self.overview.close_parts_map(session.client_id)
            context = SessionContext(
                self.services,
                session,
                self.changes,
                settings=self.settings,
                clock=self.clock,
                default_template=NoteTemplate(self.settings.get("default_note_template")),
            )
            workspace = SessionWorkspace(context)
        except ConsoleError as exc:
            report(self, self.tr("Open session"), exc)
            return None
        index = self.area.addTab(workspace, workspace.title())
        self.area.setCurrentIndex(index)
        return workspace

    def _show_parts_tab(self, client_id: uuid.UUID) -> bool:
        """Bring forward an open session's Parts tab for this client; False if none is open."""
        for workspace in self.workspaces():
            if workspace.session.client_id == client_id and "ifs" in workspace.tab_widgets:
                self.area.setCurrentWidget(workspace)
                workspace.open_tab("ifs")
                return True
        return False

    def workspaces(self) -> list[SessionWorkspace]:
        return [
            w
            for i in range(self.area.count())
            if isinstance(w := self.area.widget(i), SessionWorkspace)
        ]

    def current_workspace(self) -> SessionWorkspace | None:
        widget = self.area.currentWidget()
        return widget if isinstance(widget, SessionWorkspace) else None

    def _on_area_tab_close_requested(self, index: int) -> None:
        widget = self.area.widget(index)
        if isinstance(widget, SessionWorkspace):
            try:
                widget.shutdown()
            except ConsoleError as exc:
                report(self, self.tr("Close session"), exc)
                return
            self.area.removeTab(index)
            widget.deleteLater()

    def _on_caseload_client_selected(self, client_id: uuid.UUID) -> None:
        self.overview.show_client(client_id)
        self.area.setCurrentIndex(0)

    def _on_overview_archive_toggled(self, client_id: uuid.UUID) -> None:
        client = self.services.clients.get(client_id)
        if client.status.value == "archived":
            self.services.clients.reactivate(client_id)
            self.statusBar().showMessage(self.tr("Client reactivated."), 4000)
            return
        answer = QMessageBox.question(
            self,
            self.tr("Archive client"),
            self.tr(
                "Archive %1? The records stay in the vault; the client leaves the active caseload."
            ).replace("%1", client.display_name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.services.clients.archive(client_id)
            self.statusBar().showMessage(self.tr("Client archived."), 4000)

    def _on_records_changed(self, changes: Changes) -> None:
        """The status bar says a note's words are safe; the views refresh themselves."""
        if changes.touches(Kind.NOTE) and changes.action in SAVED_NOTE:
            self.saved_label.setText(self.tr("All changes saved"))

    def _toggle_pacer(self) -> None:
        workspace = self.current_workspace()
        tab = workspace.tab_widgets.get("pacer") if workspace else None
        if workspace is None or not isinstance(tab, PacerTab):
            self.statusBar().showMessage(
                self.tr("Open a session to use the pacer, or View → Try the pacer."), 4000
            )
            return
        workspace.tabs.setCurrentWidget(tab)
        tab.run.toggle()

    # -- search -----------------------------------------------------------
    def show_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus()

    def _on_search_hit_opened(self, hit: SearchHit) -> None:
        """The hit where it is kept: a session's tool, the parts map, or the client overview."""
        try:
            place = self.services.search.place(hit)
            note = None
            if place.tool == "notes" and place.item_id is not None:
                note = self.services.notes.get(place.item_id)
        except ConsoleError as exc:
            report(self, self.tr("Open search result"), exc)
            return
        self.caseload.select(place.client_id)
        if place.session_id is None:
            self.overview.show_client(place.client_id)
            self.area.setCurrentIndex(0)
            if place.tool == "ifs" and place.item_id is not None:
                self._open_part(place.client_id, place.item_id)
            elif place.tool:
                self.statusBar().showMessage(
                    self.tr("No session shows this yet: open one of the client's EMDR sessions."),
                    6000,
                )
            return
        workspace = self.open_session(place.session_id)
        tab = workspace.open_tab(place.tool) if workspace is not None else None
        if tab is None:
            return
        if note is not None and isinstance(tab, NotesTab):
            tab.refresh(select=note.id)
            tab.editor.show_note(note)
        elif place.item_id is not None and isinstance(tab, ShowsRecords):
            tab.show_record(place.item_id)

    def _open_part(self, client_id: uuid.UUID, part_id: uuid.UUID) -> None:
        """A part on the client's map: in an open session's Parts tab, else the map window."""
        if self._show_parts_tab(client_id):
            workspace = self.current_workspace()
            assert workspace is not None
            tab = workspace.tab_widgets["ifs"]
            assert isinstance(tab, ShowsRecords)
            tab.show_record(part_id)
            return
        window = self.overview.open_parts_map()
        if window is not None:
            window.editor.open_part(part_id)

    # -- records (export, print) -----------------------------------------
    def _export_session(self) -> None:
        workspace = self.current_workspace()
        if workspace is None:
            self.statusBar().showMessage(self.tr("Open a session to export its record."), 4000)
            return
        workspace.flush()
        export = getattr(self.records, "export_session", None)
        if callable(export):
            export(self, workspace.session.id)

    def _export_chart(self, client_id: uuid.UUID | None) -> None:
        if client_id is None:
            self.statusBar().showMessage(self.tr("Choose a client first."), 4000)
            return
        export = getattr(self.records, "export_chart", None)
        if callable(export):
            export(self, client_id)

    def _print(self) -> None:
        printer = getattr(self.records, "print_current", None)
        if callable(printer):
            workspace = self.current_workspace()
            if workspace is not None:
                workspace.flush()
            printer(
                self,
                workspace.session.id if workspace else None,
                self.overview.client.id if self.overview.client else None,
            )

    # -- closing ----------------------------------------------------------
    def show_trial_pacer(self) -> None:
        if self.trial_pacer is None:
            self.trial_pacer = TrialPacerWindow(self.settings, self)
        self.trial_pacer.show()
        self.trial_pacer.raise_()
        self.trial_pacer.activateWindow()

    def watch(self) -> LockWatch:
        """What the lock screen may keep: a monitored session's next reading time."""
        return LockWatch.of(w for workspace in self.workspaces() for w in workspace.watches())

    def snapshot(self) -> WindowSnapshot:
        """Which client and sessions are open and where, to come back to after a lock."""
        client = self.overview.client
        current = self.current_workspace()
        focused = self.focusWidget()
        return WindowSnapshot(
            client.id if client is not None else None,
            tuple(workspace.snapshot(focused) for workspace in self.workspaces()),
            current.session.id if current is not None else None,
        )

    def restore(self, snapshot: WindowSnapshot) -> None:
        """Reopen what `snapshot` had open, in the same order, with the same one in front."""
        if snapshot.client_id is not None:
            self.caseload.select(snapshot.client_id)  # the overview follows the caseload
        front: tuple[SessionWorkspace, WorkspaceSnapshot] | None = None
        for saved in snapshot.sessions:
            workspace = self.open_session(saved.session_id)
            if workspace is not None:
                workspace.restore(saved)
                if saved.session_id == snapshot.current:
                    front = workspace, saved
        if front is None:
            self.area.setCurrentIndex(0)
            return
        self.area.setCurrentWidget(front[0])
        front[0].restore_focus(front[1])

    def shutdown_all(self) -> None:
        """Closing or locking: every session tool stops, and the overview's chart is torn down."""
        if self.trial_pacer is not None:
            self.trial_pacer.close()
        for workspace in self.workspaces():
            workspace.shutdown()
        self.overview.chart.release()
        self.overview.course_timeline.release()

    def _restore_geometry(self) -> None:
        geometry = self.settings.get("window_geometry")
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        else:
            self.resize(1280, 720)
        splitter = self.settings.get("window_splitter")
        if splitter:
            self.splitter.restoreState(QByteArray.fromBase64(splitter.encode("ascii")))

    def save_geometry(self) -> None:
        self.settings.set("window_geometry", bytes(self.saveGeometry().toBase64().data()).decode())
        self.settings.set(
            "window_splitter", bytes(self.splitter.saveState().toBase64().data()).decode()
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            self.shutdown_all()
        except ConsoleError as exc:
            report(self, self.tr("Closing"), exc)
            event.ignore()
            return
        self.save_geometry()
        self.changes.detach()
        event.accept()
