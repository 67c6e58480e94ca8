"""One medicine session on one screen: dose, vitals with reminder and plot, events, discharge.

Typing autosaves about 2 s later off the GUI thread (under the write lock);
"Save" and `flush()` save at once. A refused save shows the service's message
beside the field it names and keeps everything typed. Readings and adverse
events are saved as they are added. The clock is injected (`now`), so the
reading reminder can be tested without waiting.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.config import Settings, medicine_policy
from console.errors import ConsoleError, ValidationError
from console.services.bundle import Services
from console.services.changes import Initiator
from console.services.medicine import DoseFields, MedicineRecord, OtherDayError
from ui.autosave import AUTOSAVE_MS, Autosaver, SaveState, saved_words, state_words, vault_writes
from ui.dates import show_date, show_time
from ui.medicine.common import Clock, error_label, system_clock
from ui.medicine.discharge import DischargeForm
from ui.medicine.dose import DoseForm, spin_value
from ui.medicine.events import EventsPanel
from ui.medicine.hold_review import HoldReviewDialog
from ui.medicine.observations import ObservationsForm
from ui.medicine.vitals import VitalsPanel
from ui.medicine.vitals_plot import VitalsPlot
from ui.widgets import named, report

GATE_STYLE = "background: rgba(244, 67, 54, 60); border-radius: 3px; padding: 4px 6px;"
TICK_MS = 15_000
BLOCKED_HINT = (
    " — a dose cannot be recorded until screening is complete or overridden "
    "(client overview → Screening)"
)


class MedicineView(QWidget):
    def __init__(
        self,
        services: Services,
        session_id: uuid.UUID,
        client_id: uuid.UUID,
        settings: Settings | None = None,
        now: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.medicine = services.medicine
        self.session_id = session_id
        self.client_id = client_id
        self.now: Clock = now or system_clock
        if settings is not None:
            services.use_medicine_policy(medicine_policy(settings))
        self.policy = services.medicine.policy
        self.schedule = self.policy.schedule
        self.thresholds = self.policy.thresholds
        self._other_day_ok: datetime | None = None
        self.record: MedicineRecord | None = None
        self._loading = False
        self.autosave: Autosaver[DoseFields, MedicineRecord] = Autosaver(
            self.dose_fields,
            lambda data: self.medicine.save(self.session_id, data),
            self._saved,
            AUTOSAVE_MS,
            initiator=Initiator("medicine session"),
            exclusive=lambda: vault_writes(services),
            on_error=self._on_save_failed,
            on_state=self._on_save_state,
            parent=self,
        )
        self._build_gate()
        self._build_panels()
        self._build_save_bar()
        self._build_layout()
        self._start_tick()
        self._connect()
        self.load()

    def _build_gate(self) -> None:
        """Shown above the scrolling forms, so what blocks a dose stays in sight."""
        self.banner = named(QLabel(), "Screening state")
        self.banner.setWordWrap(True)
        self.screening_error = error_label("Screening error")
        self.dose_gate = named(QLabel(), "Before the first dose")
        self.dose_gate.setWordWrap(True)
        self.dose_gate.setStyleSheet(GATE_STYLE)
        self.hold_review_button = named(
            QPushButton(self.tr("Record prescriber &review…")),
            "Record prescriber review of the pre-dose blood pressure",
        )
        self.hold_review_button.setAutoDefault(False)
        self.bp_points = named(QLabel(), "Required blood pressure")
        self.bp_points.setWordWrap(True)

    def _build_panels(self) -> None:
        clock: Clock = lambda: self.now()  # noqa: E731 - follows a clock swapped in later
        self.dose = DoseForm(clock)
        self.observations = ObservationsForm()
        self.discharge = DischargeForm(clock)
        self.vitals = VitalsPanel(clock)
        self.plot = VitalsPlot()
        self.events = EventsPanel(clock)

    def _build_save_bar(self) -> None:
        self.general_error = error_label("Save error")
        self.status = named(QLabel(), "Save status")
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.save_button = named(QPushButton(self.tr("&Save")), "Save medicine session")
        self.save_button.setAutoDefault(False)
        self.save_button.setMinimumWidth(120)
        self.save_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def _build_columns(self) -> QScrollArea:
        """Dose and aftercare on the left, the timeline on the right, scrolled together."""
        left_host = QWidget()
        left_host.setMinimumWidth(340)
        left_host.setMaximumWidth(470)
        left = QVBoxLayout(left_host)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.dose)
        left.addWidget(self.observations)
        left.addWidget(self.discharge)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.bp_points)
        right.addWidget(self.vitals)
        right.addWidget(self.plot)
        right.addWidget(self.events)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(left_host, 2)
        columns.addLayout(right, 3)
        host = QWidget()
        host.setLayout(columns)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        return scroll

    def _build_layout(self) -> None:
        """The gate above and the save bar below stay put while the columns scroll."""
        scroll = self._build_columns()
        bar = QHBoxLayout()
        bar.addWidget(self.general_error, 1)
        bar.addStretch(0)
        bar.addWidget(self.status)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.screening_error)
        gate_row = QHBoxLayout()
        gate_row.addWidget(self.dose_gate, 1)
        gate_row.addWidget(self.hold_review_button)
        layout.addLayout(gate_row)
        layout.addWidget(scroll, 1)
        layout.addLayout(bar)

    def _start_tick(self) -> None:
        """The reminder and readiness follow the clock even while nobody types."""
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.tick)
        self._tick.start()

    def _connect(self) -> None:
        for form in (self.dose, self.observations, self.discharge):
            form.edited.connect(self._on_form_edited)
        self.save_button.clicked.connect(self.save)
        self.hold_review_button.clicked.connect(self.review_hold)
        self.vitals.add_requested.connect(self.add_reading)
        self.vitals.remove_requested.connect(self.remove_reading)
        self.events.add_requested.connect(self.add_event)
        self.events.remove_requested.connect(self.remove_event)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)

    # -- showing ------------------------------------------------------------
    def load(self) -> None:
        """Read the session from the vault and show all of it (opening, or after reopening)."""
        self.record = self.medicine.get(self.session_id)
        self.show_screening()
        self._loading = True
        try:
            r = self.record or MedicineRecord()
            d = self.dose
            d.medicine.setCurrentIndex(max(0, d.medicine.findData(r.medicine)))
            d.form.setCurrentIndex(max(0, d.form.findData(r.form)))
            d.route.setCurrentIndex(max(0, d.route.findData(r.route)))
            d.dose.setValue(r.dose_mg or 0)
            d.lot.setText(r.lot_number)
            d.given_at.set_value(r.given_at)
            d.given_by.setText(r.given_by)
            d.monitored_by.setText(r.monitored_by)
            d.second_dose.setValue(r.second_dose_mg or 0)
            d.second_at.set_value(r.second_given_at)
            d.show_mg_per_kg()
            self.observations.set_values(
                r.dissociation_scale, r.dissociation_total, r.client_state, r.notes
            )
            self.discharge.set_values(
                r.discharge_alert, r.discharge_vitals_in_range, r.discharge_escort_present
            )
            self.discharge.discharged_at.set_value(r.discharged_at)
            self.discharge.early_reason.setText(r.early_discharge_reason)
            self._other_day_ok = r.given_at
        finally:
            self._loading = False
        self.autosave.discard()
        self.show_lists()

    def show_screening(self) -> None:
        screening = self.services.screening.get(self.client_id)
        self.dose.set_weight(screening.weight_kg)
        state = screening.state
        text = self.tr("Screening: ") + state.summary
        if state.needs_review:
            # its own colour as well as its own words: it is not the checklist that stops the dose
            text += self.tr(
                " — a dose cannot be recorded until the prescriber records a review "
                "(client overview → Screening)"
            )
            style = "background: #6a1b9a; color: white;"
        elif not state.may_start:
            text += self.tr(BLOCKED_HINT)
            style = "background: #b3261e; color: white;"
        elif state.overridden:
            style = "background: #8a5a00; color: white;"
        else:
            style = "background: #2e7d32; color: white;"
        self.banner.setText(text)
        self.banner.setStyleSheet(style + " padding: 6px; border-radius: 4px; font-weight: bold;")

    def show_lists(self) -> None:
        record = self.record
        readings = record.readings if record else ()
        self.vitals.show_readings(readings)
        self.plot.show_readings(readings, record.given_at if record else None, self.thresholds)
        self.events.show_events(record.events if record else ())
        self.show_dose_gate()
        self.tick()

    def show_dose_gate(self) -> None:
        """Before the first dose: what would refuse it, and the review a hold allows."""
        record = self.record
        dosed = record is not None and (record.dose_mg is not None or record.given_at is not None)
        gate = None if dosed else self.medicine.first_dose_gate(self.session_id)
        self.dose_gate.setText(
            "" if gate is None else self.tr("Before the first dose: ") + gate.problem
        )
        self.dose_gate.setVisible(gate is not None)
        self.hold_review_button.setVisible(gate is not None and gate.hold)

    def tick(self) -> None:
        """Every ~15 s: the reminder line, and the reading time follows the clock."""
        now = self.now()
        state = self.record.reminders(self.schedule, now) if self.record else None
        self.vitals.show_reminder(state)
        self.show_bp_points(now)
        self.show_readiness(now)
        if not self.vitals.time_touched:
            self.vitals.follow_clock()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        with contextlib.suppress(ConsoleError):
            self.show_screening()  # may have changed in the client overview meanwhile

    def show_bp_points(self, now: datetime) -> None:
        record = self.record or replace(MedicineRecord(), policy=self.policy)
        marks = []
        for point in record.bp_points(now):
            due = f" ({show_time(point.due_at)})" if point.due_at and point.point != "end" else ""
            marks.append(("✓ " if point.done else "○ ") + point.label + due)
        self.bp_points.setText(self.tr("Blood pressure required: ") + " · ".join(marks))

    def show_readiness(self, now: datetime) -> None:
        """Discharge readiness from the record and what is ticked and typed now."""
        base = self.record or replace(MedicineRecord(), policy=self.policy)
        x = self.discharge
        live = replace(
            base,
            discharge_alert=x.alert.isChecked(),
            discharge_vitals_in_range=x.vitals_ok.isChecked(),
            discharge_escort_present=x.escort.isChecked(),
            discharged_at=x.discharged_at.value(),
        )
        x.show_readiness(live.readiness(now))

    # -- the dose and session fields ----------------------------------------
    def dose_fields(self) -> DoseFields:
        d, o, x = self.dose, self.observations, self.discharge
        given_at = d.given_at.value()
        return DoseFields(
            medicine=d.medicine.currentData(),
            form=d.form.currentData(),
            route=d.route.currentData(),
            dose_mg=spin_value(d.dose),
            lot_number=d.lot.text(),
            given_at=given_at,
            given_by=d.given_by.text(),
            monitored_by=d.monitored_by.text(),
            second_dose_mg=spin_value(d.second_dose),
            second_given_at=d.second_at.value(),
            dissociation_scale=o.scale.currentData(),
            dissociation_total=o.total_value(),
            client_state=o.client_state.toPlainText(),
            notes=o.notes.toPlainText(),
            discharge_alert=x.alert.isChecked(),
            discharge_vitals_in_range=x.vitals_ok.isChecked(),
            discharge_escort_present=x.escort.isChecked(),
            discharged_at=x.discharged_at.value(),
            early_discharge_reason=x.early_reason.text(),
            other_day_confirmed=given_at is not None and given_at == self._other_day_ok,
        )

    def _on_form_edited(self) -> None:
        if self._loading:
            return
        self.show_readiness(self.now())
        self.autosave.touched()

    def _on_save_state(self, state: SaveState) -> None:
        if state is SaveState.SAVED:
            self.status.setText(saved_words(self.now()))
        elif state is not SaveState.FAILED:
            self.status.setText(state_words(state))

    def _on_save_failed(self, error: BaseException) -> None:
        if isinstance(error, OtherDayError):
            self.show_error(error)
            if self.confirm_other_day():
                self.autosave.touched()
            return
        if isinstance(error, ValidationError):
            self.show_error(error)
            return
        self.status.setText(state_words(SaveState.FAILED))
        report(self, self.tr("Autosave"), error)

    def _saved(self, record: MedicineRecord) -> None:
        self.record = record
        self.clear_errors()
        self.show_screening()
        self.show_lists()

    def save(self, *, ask: bool = True) -> bool:
        """Save now, on this thread; a refusal shows inline and keeps what is typed.

        With `ask` False (a lock is under way) nothing opens a dialog.
        """
        try:
            self.autosave.flush(force=True)
        except OtherDayError as exc:
            self.show_error(exc)
            return ask and self.confirm_other_day() and self.save()
        except ValidationError as exc:
            self.show_error(exc)
            return False
        return True

    def confirm_other_day(self) -> bool:
        """Ask once for a dose time on another day than the session; No leaves it to correct."""
        given = self.dose.given_at.value()
        record = self.record
        starts = record.session_starts_at if record else None
        if given is None or given == self._other_day_ok:
            return False
        day = show_date(given)
        session_day = show_date(starts) if starts else self.tr("another day")
        answer = QMessageBox.question(
            self,
            self.tr("Dose on another day"),
            self.tr("The dose time is on %1, but this session is on %2. Record the dose on %1?")
            .replace("%1", day)
            .replace("%2", session_day),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self._other_day_ok = given
        return True

    def review_hold(self) -> None:
        """The prescriber's review of a hold-level pre-dose reading: who and why, audited."""
        dialog = HoldReviewDialog(self.services.vault.actor, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.medicine.review_hold(self.session_id, dialog.prescriber(), dialog.reason())
        except ConsoleError as exc:
            report(self, self.tr("Prescriber review"), exc)
            return
        self.reload_lists()

    def flush(self) -> None:
        """Save what is typed before lock, close, export. A refused value stays shown inline
        (and is not raised, so locking always completes and the plot is still torn down)."""
        if self.autosave.pending and not self.save(ask=False):
            self._save_words()

    def _save_words(self) -> None:
        """When what is typed is refused, keep at least its words: the free text is saved
        with the stored values of everything else, so a lock never discards a note."""
        stored = self.record.dose if self.record is not None else DoseFields()
        typed = self.dose_fields()
        words = replace(
            stored,
            lot_number=typed.lot_number,
            given_by=typed.given_by,
            monitored_by=typed.monitored_by,
            client_state=typed.client_state,
            notes=typed.notes,
            early_discharge_reason=typed.early_discharge_reason,
        )
        with contextlib.suppress(ValidationError):
            self.record = self.autosave.save_now(words)

    def clear_errors(self) -> None:
        for form in (self.dose, self.observations, self.discharge):
            form.errors.clear()
        self.screening_error.setVisible(False)
        self.general_error.setVisible(False)

    def show_error(self, error: ValidationError) -> None:
        self.clear_errors()
        self.status.setText(state_words(SaveState.FAILED))
        if error.field == "Screening":
            self.show_screening()
            self.screening_error.setText(error.message)
            self.screening_error.setVisible(True)
            return
        for form in (self.dose, self.observations, self.discharge):
            if form.errors.show(error):
                break
        self.general_error.setText(error.message)
        self.general_error.setVisible(True)

    def error_text(self) -> str:
        """Every message showing now (for tests and the self-test)."""
        parts = [
            label.text()
            for label in (
                self.screening_error,
                self.general_error,
                self.vitals.error,
                self.events.error,
            )
            if not label.isHidden()
        ]
        return "\n".join(parts)

    # -- readings and events ------------------------------------------------
    def add_reading(self) -> bool:
        """Add the typed reading (Enter in the row does this); refused input stays typed."""
        if self.autosave.dirty:
            self.save()  # the dose time decides what "since dose" means; a refusal shows above
        try:
            fields = self.vitals.fields()
            self.medicine.add_reading(self.session_id, fields)
        except ValidationError as exc:
            self.vitals.show_error(exc.message)
            return False
        self.vitals.clear_entry()
        self.reload_lists()
        return True

    def remove_reading(self, reading_id: uuid.UUID) -> None:
        if not self._confirm(self.tr("Remove reading"), self.tr("Remove this reading?")):
            return
        try:
            self.medicine.remove_reading(reading_id)
        except ConsoleError as exc:
            report(self, self.tr("Remove reading"), exc)
            return
        self.reload_lists()

    def add_event(self) -> bool:
        try:
            self.medicine.add_event(self.session_id, self.events.fields())
        except ValidationError as exc:
            self.events.show_error(exc.message)
            return False
        self.events.clear_entry()
        self.reload_lists()
        return True

    def remove_event(self, event_id: uuid.UUID) -> None:
        if not self._confirm(self.tr("Remove adverse event"), self.tr("Remove this event?")):
            return
        try:
            self.medicine.remove_event(event_id)
        except ConsoleError as exc:
            report(self, self.tr("Remove adverse event"), exc)
            return
        self.reload_lists()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def reload_lists(self) -> None:
        self.record = self.medicine.get(self.session_id)
        self.show_lists()

    # -- closing ------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the timers and tear the plot down before the window goes."""
        self.autosave.stop()
        self._tick.stop()
        self.plot.release()

    def watch(self) -> tuple[bool, datetime | None]:
        """Whether this session is being monitored (dosed, not discharged) and when its first
        reading still waiting is scheduled: taken before locking, since no key is left after."""
        record = self.record
        if record is None or record.given_at is None or record.discharged_at is not None:
            return False, None
        state = record.reminders(self.schedule, self.now())
        if state is None:
            return True, None
        waiting = state.overdue if state.overdue is not None else state.due
        if waiting is None:
            return True, state.next_at
        return True, record.given_at + timedelta(minutes=waiting)
