"""A client at a glance: details, programs and goals, and the sessions timeline."""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.clinical.measures import MEASURES
from console.errors import NotFoundError
from console.services.bundle import Services
from console.services.changes import Action, Changes, Kind
from console.services.clients import ClientRecord
from console.services.programs import ProgramRecord
from console.services.screening_badge import applies_to
from console.services.sessions import SessionRecord
from console.vocabulary import (
    LOCATION_LABELS,
    PROGRAM_KIND_LABELS,
    SESSION_KIND_LABELS,
    ClientStatus,
    ProgramKind,
    SessionKind,
)
from ui.changes import ChangeBridge
from ui.charts import MeasuresChart
from ui.clients.screening import ScreeningBadge, ScreeningDialog
from ui.course import CourseTimeline, ProgramCalendar
from ui.dates import show_date, show_datetime
from ui.icons import session_icon
from ui.ifs_map import PartsMapWindow
from ui.widgets import named

ID_ROLE = Qt.ItemDataRole.UserRole

# What the overview lists: the client's details, programs, sessions and their
# note counts, screening and measures.
SHOWN = frozenset(
    {
        Kind.CLIENT,
        Kind.DIAGNOSES,
        Kind.PROGRAM,
        Kind.SESSION,
        Kind.NOTE,
        Kind.SCREENING,
        Kind.MEASURE,
    }
)
# A session's first worksheet, set or dose adds its approach to the course timeline.
SHOWN_WHEN_CREATED = frozenset(
    {
        Kind.MEDICINE_SESSION,
        Kind.EMDR_SESSION_WORK,
        Kind.BLS_SET,
        Kind.ART_WORKSHEET,
        Kind.RESCRIPTING_WORKSHEET,
        Kind.IFS_MAP,
        Kind.IFS_PART_WORK,
    }
)


def overview_shows(changes: Changes, client_id: uuid.UUID | None) -> bool:
    """Whether a change alters what the overview of `client_id` shows; typed words do not."""
    if not changes.for_client(client_id) or changes.action is Action.TEXT_SAVED:
        return False
    if changes.touches(*SHOWN):
        return True
    return changes.action is Action.CREATED and changes.touches(*SHOWN_WHEN_CREATED)


class ClientOverview(QWidget):
    edit_requested = Signal(object)
    new_session_requested = Signal(object)
    new_program_requested = Signal(object)
    session_opened = Signal(object)  # session id
    archive_toggled = Signal(object)
    export_requested = Signal(object)

    def __init__(
        self, services: Services, changes: ChangeBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.changes = changes
        self.client: ClientRecord | None = None
        self.parts_map_window: PartsMapWindow | None = None
        # Set by the main window: brings an open session's Parts tab forward, if any.
        self.parts_map_in_session: Callable[[uuid.UUID], bool] = lambda _client: False
        outer = QVBoxLayout(self)
        outer.addLayout(self._build_header())
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.addLayout(self._build_left(), 1)
        columns.addWidget(self._build_right(services), 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self._connect()
        changes.changed.connect(self._on_changed)
        self.show_client(None)

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        self.title = named(QLabel(), "Client name heading")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.edit_button = named(QPushButton(self.tr("&Edit…")), "Edit client")
        self.session_button = named(QPushButton(self.tr("New &session…")), "New session")
        self.program_button = named(QPushButton(self.tr("New pro&gram…")), "New program")
        self.archive_button = named(QPushButton(self.tr("Archive")), "Archive client")
        self.export_button = named(QPushButton(self.tr("E&xport chart…")), "Export client chart")
        self.parts_map_button = named(QPushButton(self.tr("&Parts map…")), "Parts map button")
        header.addWidget(self.title, 1)
        for button in (
            self.session_button,
            self.parts_map_button,
            self.program_button,
            self.edit_button,
            self.export_button,
            self.archive_button,
        ):
            header.addWidget(button)
        return header

    def _build_left(self) -> QVBoxLayout:
        """Screening, details, latest measures, programs and goals."""
        left = QVBoxLayout()
        self.details_box = QGroupBox(self.tr("Details"))
        self.details = QFormLayout(self.details_box)
        self.programs_box = QGroupBox(self.tr("Programs and goals"))
        programs_layout = QVBoxLayout(self.programs_box)
        self.programs = named(QLabel(), "Programs and goals")
        self.programs.setWordWrap(True)
        self.programs.setTextFormat(Qt.TextFormat.RichText)
        programs_layout.addWidget(self.programs)
        self.program_rows = QVBoxLayout()
        programs_layout.addLayout(self.program_rows)
        self.calendar_buttons: dict[uuid.UUID, QPushButton] = {}
        self.calendar_window: ProgramCalendar | None = None
        self.screening_row = QWidget()
        screening_layout = QHBoxLayout(self.screening_row)
        screening_layout.setContentsMargins(0, 0, 0, 0)
        self.screening_badge = ScreeningBadge()
        self.screening_button = named(
            QPushButton(self.tr("Sc&reening…")),
            "Screening",
            "Screening and consent before the first medicine session",
        )
        screening_layout.addWidget(self.screening_badge, 1)
        screening_layout.addWidget(self.screening_button)
        self.measures_box = QGroupBox(self.tr("Latest measures"))
        measures_layout = QVBoxLayout(self.measures_box)
        self.risk_flag = named(QLabel(), "Risk flag")
        self.risk_flag.setWordWrap(True)
        self.risk_flag.setStyleSheet("background: #b3261e; color: white; padding: 6px;")
        self.measures = named(QLabel(), "Latest measures")
        self.measures.setWordWrap(True)
        self.measures.setTextFormat(Qt.TextFormat.RichText)
        measures_layout.addWidget(self.risk_flag)
        measures_layout.addWidget(self.measures)
        left.addWidget(self.screening_row)
        left.addWidget(self.details_box)
        left.addWidget(self.measures_box)
        left.addWidget(self.programs_box)
        left.addStretch(1)
        return left

    def _build_right(self, services: Services) -> QTabWidget:
        """The sessions list, and the course above the measures chart."""
        timeline_box = QGroupBox(self.tr("Sessions"))
        timeline_layout = QVBoxLayout(timeline_box)
        self.timeline = named(
            QListWidget(), "Sessions timeline", "Double-click or press Enter to open a session"
        )
        self.timeline.setIconSize(QSize(28, 28))
        self.timeline.setSpacing(2)
        timeline_layout.addWidget(self.timeline)
        self.chart = MeasuresChart(services)
        # The course timeline sits above the measures plot, its x axis linked to it, so
        # sessions and scores line up by date and zoom and pan together.
        self.course_timeline = CourseTimeline(services)
        chart_layout = self.chart.layout()
        assert isinstance(chart_layout, QVBoxLayout)
        chart_layout.insertWidget(0, self.course_timeline, 0)
        chart_layout.setStretch(chart_layout.indexOf(self.chart.plot), 3)
        # pyqtgraph lines linked views up by screen position, reckoned from each plot's offset
        # in its parent widget: both plots sit at x = 0 in theirs, so their dates line up.
        margins = chart_layout.contentsMargins()
        chart_layout.setContentsMargins(0, margins.top(), 0, margins.bottom())
        self.course_timeline.link_x(self.chart.plot)
        self.right_tabs = named(QTabWidget(), "Sessions and measures")
        self.right_tabs.addTab(timeline_box, self.tr("Sessions"))
        self.right_tabs.addTab(self.chart, self.tr("Course and measures"))
        return self.right_tabs

    def _connect(self) -> None:
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.session_button.clicked.connect(lambda: self._emit(self.new_session_requested))
        self.program_button.clicked.connect(lambda: self._emit(self.new_program_requested))
        self.archive_button.clicked.connect(lambda: self._emit(self.archive_toggled))
        self.export_button.clicked.connect(lambda: self._emit(self.export_requested))
        self.parts_map_button.clicked.connect(self.open_parts_map)
        self.timeline.itemActivated.connect(self._on_timeline_activated)
        self.screening_badge.clicked.connect(self.open_screening)
        self.screening_button.clicked.connect(self.open_screening)
        self.course_timeline.session_opened.connect(self.session_opened)

    def _on_changed(self, changes: Changes) -> None:
        if overview_shows(changes, self.client.id if self.client else None):
            self.refresh()

    def _emit(self, signal: SignalInstance) -> None:
        if self.client is not None:
            signal.emit(self.client.id)

    def show_client(self, client_id: uuid.UUID | None) -> None:
        try:
            self.client = self.services.clients.get(client_id) if client_id else None
        except NotFoundError:
            self.client = None
        has = self.client is not None
        for button in (
            self.edit_button,
            self.session_button,
            self.program_button,
            self.archive_button,
            self.export_button,
            self.parts_map_button,
            self.screening_button,
        ):
            button.setEnabled(has)
        self.measures_box.setVisible(has)
        while self.details.rowCount():
            self.details.removeRow(0)
        self.timeline.clear()
        self._clear_program_rows()
        if self.client is None:
            self.chart.show_client(None)
            self.course_timeline.show_client(None)
            self.screening_badge.setVisible(False)
            self.title.setText(self.tr("No client selected"))
            self.programs.setText(self.tr("Choose a client in the caseload, or add one (Ctrl+N)."))
            return
        c = self.client
        self.title.setText(c.display_name)
        archived = c.status is ClientStatus.ARCHIVED
        self.archive_button.setText(self.tr("Reactivate") if archived else self.tr("Archive"))
        self.archive_button.setAccessibleName(
            self.tr("Reactivate client") if archived else self.tr("Archive client")
        )
        self._show_details(c)
        programs = self.services.programs.list_for_client(c.id)
        self.programs.setVisible(not programs)
        self.programs.setText(self.tr("No program yet."))
        for p in programs:
            self._add_program_row(p)
        self._show_measures(c.id)
        self.chart.show_client(c.id)
        self.course_timeline.show_client(c.id)
        sessions = self.services.sessions.list_for_client(c.id)
        self._show_screening(c.id, [s.kind for s in sessions], [p.kind for p in programs])
        self._show_sessions(sessions)

    def _show_details(self, c: ClientRecord) -> None:
        """Only the details that are filled in, each selectable for copying."""
        archived = c.status is ClientStatus.ARCHIVED
        profile = ", ".join(
            label
            for flag, label in (
                (c.anxiety_cognitive, self.tr("cognitive")),
                (c.anxiety_somatic, self.tr("somatic")),
                (c.anxiety_behavioural, self.tr("behavioural")),
            )
            if flag
        )
        rows = [
            (self.tr("Date of birth"), show_date(c.date_of_birth) if c.date_of_birth else ""),
            (self.tr("Phone"), c.phone),
            (self.tr("Email"), c.email),
            (
                self.tr("Emergency contact"),
                " ".join(x for x in (c.emergency_contact_name, c.emergency_contact_phone) if x),
            ),
            (self.tr("Presenting concerns"), c.presenting_concerns),
            (self.tr("Diagnoses"), self._diagnoses_text(c)),
            (self.tr("Anxiety profile"), profile),
            (self.tr("Treatment history"), c.treatment_history),
            (self.tr("Status"), self.tr("Archived") if archived else self.tr("Active")),
        ]
        for label, value in rows:
            if value:
                shown = QLabel(value)
                shown.setTextFormat(Qt.TextFormat.PlainText)
                shown.setWordWrap(True)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.details.addRow(f"<b>{html.escape(label)}</b>", shown)

    def _show_sessions(self, sessions: list[SessionRecord]) -> None:
        for s in sessions:
            notes = self.tr("%n note(s)", "", s.note_count)
            text = (
                f"{show_datetime(s.starts_at)}\n{SESSION_KIND_LABELS[s.kind]}"
                f" · {s.duration_min} min · {LOCATION_LABELS[s.location]} · {notes}"
            )
            if s.title:
                text += f"\n{s.title}"
            item = QListWidgetItem(session_icon(s.kind), text)
            item.setData(ID_ROLE, s.id)
            item.setToolTip(SESSION_KIND_LABELS[s.kind])
            self.timeline.addItem(item)

    def _diagnoses_text(self, client: ClientRecord) -> str:
        """The primary is said in words, not only by coming first, so a screen reader hears it."""
        return "; ".join(
            " ".join(x for x in (d.code, d.label) if x)
            + (self.tr(" (primary)") if d.primary else "")
            for d in client.diagnoses
        )

    def _clear_program_rows(self) -> None:
        self.calendar_buttons.clear()
        while self.program_rows.count():
            taken = self.program_rows.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()  # gone now, not at the next turn of the event loop
                widget.deleteLater()

    def _add_program_row(self, p: ProgramRecord) -> None:
        span = show_date(p.start_date) + (f" – {show_date(p.end_date)}" if p.end_date else " –")
        goals = "".join(
            f"<li>{'✓ ' if g.achieved else ''}{html.escape(g.text)}</li>" for g in p.goals
        )
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        text = named(QLabel(), f"Program {p.title}")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setText(
            f"<b>{html.escape(p.title)}</b> · {PROGRAM_KIND_LABELS[p.kind]} · {span}"
            f"{'<ul>' + goals + '</ul>' if goals else ''}"
        )
        button = named(
            QPushButton(self.tr("Calendar…")),
            f"Calendar for {p.title}",
            "The program's sessions week by week: lay out, reschedule, attendance",
        )
        button.setObjectName("program_calendar")  # one control, whichever program it opens
        button.clicked.connect(lambda _=False, program=p: self.open_calendar(program))
        self.calendar_buttons[p.id] = button
        layout.addWidget(text, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.program_rows.addWidget(row)

    def _show_screening(
        self,
        client_id: uuid.UUID,
        session_kinds: list[SessionKind],
        program_kinds: list[ProgramKind],
    ) -> None:
        record = self.services.screening.get(client_id)
        self.screening_badge.show_record(record)
        self.screening_badge.setVisible(applies_to(session_kinds, program_kinds, record.exists))

    def open_screening(self) -> ScreeningDialog | None:
        if self.client is None:
            return None
        client_id = self.client.id
        dialog = ScreeningDialog(self.services, client_id, self.window())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_calendar(self, program: ProgramRecord) -> ProgramCalendar:
        """The program's calendar in a window of its own (one at a time; closed on lock)."""
        window = self.calendar_window
        if window is not None:
            window.close()
            window.deleteLater()
        window = ProgramCalendar(self.services, program, self.changes, self.window())
        window.session_opened.connect(self.session_opened)
        window.destroyed.connect(lambda: setattr(self, "calendar_window", None))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.calendar_window = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _show_measures(self, client_id: uuid.UUID) -> None:
        """Baseline, latest and change per measure; a PHQ-9 item 9 answer above 0 stands out."""
        rows = []
        for key, measure in MEASURES.items():
            summary = self.services.measures.summary(client_id, key)
            if summary.count == 0 or summary.latest is None:
                continue
            latest, baseline = summary.latest, summary.baseline
            change = f" · {summary.change}" if summary.change else ""
            start = f"baseline {baseline.total}, " if baseline and summary.count > 1 else ""
            rows.append(
                f"<b>{html.escape(measure.name)}</b>: {start}latest {latest.total} "
                f"({html.escape(latest.band)}){change}"
            )
        self.measures.setText("<br>".join(rows) or self.tr("No measures yet."))
        phq = self.services.measures.list_for_client(client_id, measure_key="phq9")
        show = bool(phq) and bool(phq[-1].flags)
        self.risk_flag.setVisible(show)
        if show and phq[-1].risk_open:
            self.risk_flag.setText(
                self.tr("⚠ Latest PHQ-9: item 9 (self-harm) answered above 0 — review risk.")
            )
        elif show:
            risk = phq[-1].risk[-1]
            self.risk_flag.setText(
                self.tr("⚠ Latest PHQ-9: item 9 answered above 0 — addressed by %1.").replace(
                    "%1", risk.assessed_by
                )
            )

    def open_parts_map(self) -> PartsMapWindow | None:
        """The client's map outside a session, in a window of its own (closed on lock)."""
        if self.client is None:
            return None
        if self.parts_map_in_session(self.client.id):
            return None
        window = self.parts_map_window
        if window is not None and (window.client_id != self.client.id or not window.isVisible()):
            window.close()
            window = None
        if window is None:
            window = PartsMapWindow(self.services, self.client, self.window())
            window.destroyed.connect(lambda: setattr(self, "parts_map_window", None))
            self.parts_map_window = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def close_parts_map(self, client_id: uuid.UUID) -> None:
        """A session of this client opens its own Parts tab: one editor per map at a time."""
        window = self.parts_map_window
        if window is not None and window.client_id == client_id:
            window.close()

    def refresh(self) -> None:
        self.show_client(self.client.id if self.client else None)

    def _on_timeline_activated(self, item: QListWidgetItem) -> None:
        self.session_opened.emit(item.data(ID_ROLE))
