"""A program's sessions week by week: lay out from a template, drag to reschedule, mark attendance.

Rows are weeks (Monday first), columns days. Each session is a chip with its
kind code, time, status symbol and title. A chip can be dragged to another day,
or selected (Tab, Space) and moved with "Move to…"; attendance is set from the
buttons or the chip's context menu.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDateTime, QMimeData, QPoint, Qt, QTime, Signal
from PySide6.QtGui import QContextMenuEvent, QDrag, QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.clinical.course import calendar_grid
from console.errors import ConsoleError, ValidationError
from console.services.bundle import Services
from console.services.changes import Changes, Kind
from console.services.course import CourseEntry, TemplateRecord
from console.services.programs import ProgramRecord
from console.vocabulary import (
    ATTENDANCE_LABELS,
    ATTENDANCE_SYMBOLS,
    PROGRAM_KIND_LABELS,
    SESSION_KIND_CODES,
    SESSION_KIND_LABELS,
    SessionAttendance,
    SessionKind,
)
from ui.changes import ChangeBridge
from ui.clients.dialogs import ValidatingDialog
from ui.course.templates import TemplateEditor
from ui.date_field import SectionEdit
from ui.dates import (
    date_format,
    datetime_format,
    from_qdate,
    show_date,
    show_datetime,
    show_day_month,
    show_long_date,
    show_time,
    to_qdate,
)
from ui.widgets import named

MIME = "application/x-session-console-session"
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MEDICINE_TINT = "rgba(138, 79, 158, 60)"
OTHER_TINT = "rgba(128, 128, 128, 30)"


class SessionChip(QPushButton):
    """One session: kind code, time, status symbol, title. Checkable (the selection)."""

    def __init__(self, entry: CourseEntry, calendar: ProgramCalendar) -> None:
        super().__init__()
        self.entry = entry
        self.calendar = calendar
        s = entry.session
        symbol = ATTENDANCE_SYMBOLS[s.attendance]
        title = s.title or SESSION_KIND_LABELS[s.kind]
        self.setText(f"{SESSION_KIND_CODES[s.kind]} {show_time(s.starts_at)} {symbol}\n{title}")
        named(
            self,
            f"{title}, {show_datetime(s.starts_at)}, {ATTENDANCE_LABELS[s.attendance]}",
            f"{SESSION_KIND_LABELS[s.kind]} — drag to another day, or select and use Move to…",
        )
        self.setObjectName("session_chip")  # one kind of control, whatever its session says
        self.setCheckable(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        tint = MEDICINE_TINT if s.kind is SessionKind.MEDICINE else OTHER_TINT
        struck = (
            "text-decoration: line-through;" if s.attendance is SessionAttendance.CANCELLED else ""
        )
        self.setStyleSheet(
            f"QPushButton {{ background: {tint}; border: 1px solid palette(mid); "
            f"border-radius: 4px; padding: 2px 4px; text-align: left; {struck} }}"
            "QPushButton:checked { border: 2px solid palette(highlight); "
            "background: palette(highlight); color: palette(highlighted-text); }"
            "QPushButton:focus { border: 2px solid palette(highlight); }"
        )
        self._press: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            super().mouseMoveEvent(event)
            return
        distance = (event.position().toPoint() - self._press).manhattanLength()
        if distance < QApplication.startDragDistance():
            return
        self._press = None
        self.setDown(False)
        self.calendar.select(self.entry.session.id)
        mime = QMimeData()
        mime.setData(MIME, str(self.entry.session.id).encode("ascii"))
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.setPixmap(self.grab())
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.calendar.select(self.entry.session.id)
        self.calendar.attendance_menu().exec(event.globalPos())


class DayCell(QFrame):
    """A day of the grid; a chip dropped here moves its session to this day."""

    def __init__(self, day: date, calendar: ProgramCalendar, in_program: bool) -> None:
        super().__init__()
        self.day = day
        self.calendar = calendar
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumSize(120, 64)
        self.setAccessibleName(show_long_date(day))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(3, 2, 3, 3)
        layout.setSpacing(2)
        head = QLabel(show_day_month(day) if day.day == 1 or day.weekday() == 0 else str(day.day))
        head.setAlignment(Qt.AlignmentFlag.AlignRight)
        if day == date.today():
            head.setText(head.text() + " • today")
            font = head.font()
            font.setBold(True)
            head.setFont(font)
        if not in_program:
            head.setEnabled(False)
        layout.addWidget(head)
        self.chips = QVBoxLayout()
        self.chips.setSpacing(2)
        layout.addLayout(self.chips)
        layout.addStretch(1)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
            self.setStyleSheet("DayCell { border: 2px dashed palette(highlight); }")

    def dragLeaveEvent(self, event: object) -> None:
        self.setStyleSheet("")

    def dropEvent(self, event: QDropEvent) -> None:
        self.setStyleSheet("")
        if not event.mimeData().hasFormat(MIME):
            return
        raw = bytes(event.mimeData().data(MIME).data()).decode("ascii")
        event.acceptProposedAction()
        self.calendar.reschedule(uuid.UUID(raw), self.day)


class ProgramCalendar(QDialog):
    session_opened = Signal(object)  # session id

    def __init__(
        self,
        services: Services,
        program: ProgramRecord,
        changes: ChangeBridge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.program = program
        self.changes = changes
        self.setWindowTitle(self.tr("Program calendar — %1").replace("%1", program.title))
        self.entries: list[CourseEntry] = []
        self.chips: dict[uuid.UUID, SessionChip] = {}
        self.cells: dict[date, DayCell] = {}
        self.selected: uuid.UUID | None = None
        self.template_editor: TemplateEditor | None = None
        top = self._build_top(program)
        actions = self._build_actions()
        self.legend = QLabel(
            self.tr("✓ done  ○ planned  ✗ missed  – cancelled · drag a session to another day")
        )
        self.weeks = QScrollArea()
        self.weeks.setWidgetResizable(True)
        self.empty = named(QLabel(), "Calendar empty")
        self.empty.setWordWrap(True)
        self.error = named(QLabel(), "Calendar error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.legend)
        layout.addWidget(self.empty)
        layout.addWidget(self.weeks, 1)
        layout.addWidget(self.error)
        layout.addWidget(close)

        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.layout_button.clicked.connect(self.lay_out)
        self.templates_button.clicked.connect(self.edit_templates)
        self.move_button.clicked.connect(self.move_selected)
        self.open_button.clicked.connect(self._on_open_clicked)
        changes.changed.connect(self._on_changed)
        self.reload()
        self.resize(1100, 680)

    def _build_top(self, program: ProgramRecord) -> QHBoxLayout:
        heading = named(QLabel(), "Program heading")
        heading.setText(
            f"<b>{program.title}</b> · {PROGRAM_KIND_LABELS[program.kind]} · from "
            f"{show_date(program.start_date)}"
        )
        self.layout_button = named(
            QPushButton(self.tr("&Lay out from template…")),
            "Lay out from template",
            "Create this program's planned sessions from a template",
        )
        self.templates_button = named(QPushButton(self.tr("&Templates…")), "Edit templates")
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.layout_button)
        top.addWidget(self.templates_button)
        return top

    def _build_actions(self) -> QHBoxLayout:
        """What can be done to the selected session, and the attendance tally."""
        self.tally = named(QLabel(), "Attendance tally")
        self.move_button = named(
            QPushButton(self.tr("&Move to…")), "Move to", "Move the selected session to another day"
        )
        self.mark_buttons: dict[SessionAttendance, QPushButton] = {}
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Selected session:")))
        actions.addWidget(self.move_button)
        for attendance, mnemonic in (
            (SessionAttendance.DONE, "&Done"),
            (SessionAttendance.MISSED, "M&issed"),
            (SessionAttendance.CANCELLED, "&Cancelled"),
            (SessionAttendance.PLANNED, "&Planned"),
        ):
            button = named(
                QPushButton(f"{ATTENDANCE_SYMBOLS[attendance]} {self.tr(mnemonic)}"),
                f"Mark {attendance.value}",
            )
            button.clicked.connect(lambda _=False, a=attendance: self.mark(a))
            self.mark_buttons[attendance] = button
            actions.addWidget(button)
        self.open_button = named(QPushButton(self.tr("&Open")), "Open session")
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(self.tally)
        return actions

    # -- showing ------------------------------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Kind.SESSION, Kind.PROGRAM) and changes.for_client(
            self.program.client_id
        ):
            self.reload()

    def reload(self) -> None:
        self.entries = self.services.course.program_sessions(self.program.id)
        self.tally.setText(self.services.course.tally(self.entries).summary)
        self.layout_button.setEnabled(not self.entries)
        for chip in self.chips.values():
            self.group.removeButton(chip)
        # A fresh grid each time: the old one goes with its widgets, the new one shows at once.
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(3)
        self.chips.clear()
        self.cells.clear()
        self.empty.setVisible(not self.entries)
        self.empty.setText(
            self.tr(
                "No sessions in this program yet. Use “Lay out from template…” to plan them, "
                "or add sessions from the client overview."
            )
        )
        grid = calendar_grid(
            self.program.start_date,
            self.program.end_date,
            [e.session.starts_at.astimezone().date() for e in self.entries],
        )
        for col, name in enumerate(DAY_NAMES, start=1):
            head = QLabel(f"<b>{self.tr(name)}</b>")
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(head, 0, col)
        for week, start in enumerate(grid.mondays):
            label = QLabel(f"<b>{self.tr('Week')} {week + 1}</b><br>{show_day_month(start)}")
            self.grid.addWidget(label, week + 1, 0)
            for col in range(7):
                day = start + timedelta(days=col)
                cell = DayCell(day, self, grid.in_course(day))
                self.cells[day] = cell
                self.grid.addWidget(cell, week + 1, col + 1)
        for col in range(1, 8):
            self.grid.setColumnStretch(col, 1)
        for entry in self.entries:
            chip = SessionChip(entry, self)
            self.chips[entry.session.id] = chip
            self.group.addButton(chip)
            chip.toggled.connect(lambda on, sid=entry.session.id: self._on_chip_toggled(sid, on))
            self.cells[entry.session.starts_at.astimezone().date()].chips.addWidget(chip)
        self.weeks.setWidget(self.grid_host)
        self.grid_host.show()
        if self.selected in self.chips:
            self.chips[self.selected].setChecked(True)
        else:
            self.selected = None
        self._update_actions()

    def _on_chip_toggled(self, session_id: uuid.UUID, on: bool) -> None:
        if on:
            self.selected = session_id
        self._update_actions()

    def _update_actions(self) -> None:
        has = self.selected is not None
        for button in (self.move_button, self.open_button, *self.mark_buttons.values()):
            button.setEnabled(has)

    def select(self, session_id: uuid.UUID) -> None:
        chip = self.chips.get(session_id)
        if chip is not None:
            chip.setChecked(True)
            chip.setFocus()

    def entry(self, session_id: uuid.UUID) -> CourseEntry | None:
        return next((e for e in self.entries if e.session.id == session_id), None)

    def attendance_menu(self) -> QMenu:
        menu = QMenu(self)
        for attendance in SessionAttendance:
            action = menu.addAction(
                f"{ATTENDANCE_SYMBOLS[attendance]} "
                + self.tr("Mark %1").replace("%1", ATTENDANCE_LABELS[attendance].lower())
            )
            action.triggered.connect(lambda _=False, a=attendance: self.mark(a))
        menu.addSeparator()
        menu.addAction(self.tr("Move to…")).triggered.connect(self.move_selected)
        menu.addAction(self.tr("Open session")).triggered.connect(self._on_open_clicked)
        return menu

    # -- acting -------------------------------------------------------------------------

    def _attempt(self, action: Callable[[], object]) -> bool:
        self.error.setVisible(False)
        try:
            action()
        except ConsoleError as exc:
            self.error.setText("⚠ " + exc.message)
            self.error.setVisible(True)
            return False
        return True

    def reschedule(self, session_id: uuid.UUID, day: date) -> None:
        """Reschedule to `day`, same time of day (drag and drop, or Move to…)."""
        entry = self.entry(session_id)
        if entry is None or entry.session.starts_at.astimezone().date() == day:
            return
        self.selected = session_id
        if self._attempt(lambda: self.services.course.move(session_id, day)):
            self.select(session_id)

    def move_selected(self) -> MoveDialog | None:
        entry = self.entry(self.selected) if self.selected else None
        if entry is None:
            return None
        dialog = MoveDialog(entry, self)
        dialog.accepted.connect(lambda: self.reschedule(entry.session.id, dialog.day()))
        dialog.open()
        return dialog

    def mark(self, attendance: SessionAttendance) -> None:
        session_id = self.selected
        if session_id is None:
            return
        if self._attempt(lambda: self.services.sessions.set_attendance(session_id, attendance)):
            self.select(session_id)

    def lay_out(self) -> LayOutDialog:
        dialog = LayOutDialog(self.services, self.program, self)
        dialog.open()
        return dialog

    def edit_templates(self) -> TemplateEditor:
        if self.template_editor is None:
            self.template_editor = TemplateEditor(self.services, self.changes, self)
        self.template_editor.reload()
        self.template_editor.show()
        self.template_editor.raise_()
        return self.template_editor

    def _on_open_clicked(self) -> None:
        if self.selected is not None:
            self.session_opened.emit(self.selected)


class MoveDialog(QDialog):
    """The keyboard path for a drag: choose the new day; the time stays."""

    def __init__(self, entry: CourseEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Move session"))
        local = entry.session.starts_at.astimezone()
        self.edit = SectionEdit("New day", date_format())
        self.edit.setDate(to_qdate(local.date()))
        self.edit.setCalendarPopup(True)
        form = QFormLayout(self)
        title = entry.session.title or SESSION_KIND_LABELS[entry.session.kind]
        form.addRow(QLabel(f"{title} — {show_datetime(local)}"))
        form.addRow(self.tr("Move to &day"), self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def day(self) -> date:
        return from_qdate(self.edit.date())


class LayOutDialog(ValidatingDialog):
    """Choose a template and the first session's date and time; all sessions are planned."""

    def __init__(
        self, services: Services, program: ProgramRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Lay out from template"), parent)
        self.services = services
        self.program = program
        host = QWidget()
        form = QFormLayout(host)
        self.templates: list[TemplateRecord] = services.course.templates()
        self.template = named(QComboBox(), "Template")
        for record in self.templates:
            self.template.addItem(record.name, record.id)
        wanted = program.kind.value
        for index, record in enumerate(self.templates):
            if record.template.kind == wanted:
                self.template.setCurrentIndex(index)
                break
        self.errors.add_row(form, self.tr("&Template"), "template", self.template)
        self.summary = named(QLabel(), "Template summary")
        self.summary.setWordWrap(True)
        form.addRow("", self.summary)
        self.first = SectionEdit("First session", datetime_format())
        self.first.setCalendarPopup(True)
        start = max(program.start_date, date.today())
        self.first.setDateTime(QDateTime(to_qdate(start), QTime(10, 0)))
        self.errors.add_row(form, self.tr("&First session"), "First session", self.first)
        self.template.currentIndexChanged.connect(self._on_template_changed)
        self._on_template_changed()
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Lay out"))
        self.finish_layout(host)
        self.resize(620, 260)

    def _on_template_changed(self) -> None:
        index = self.template.currentIndex()
        if 0 <= index < len(self.templates):
            self.summary.setText(self.templates[index].template.summary)

    def first_at(self) -> datetime:
        value = self.first.dateTime()
        d, t = value.date(), value.time()
        return datetime.combine(
            date(d.year(), d.month(), d.day()), time(t.hour(), t.minute())
        ).astimezone()

    def save(self) -> object:
        template_id = self.template.currentData()
        if template_id is None:
            raise ValidationError("template", "there is no template: add one with Templates…")
        return self.services.course.lay_out(self.program.id, template_id, self.first_at())
