"""Client, program and session dialogs: the service validates, the message sits by the field.

A refused value never closes the dialog or clears what was typed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.errors import ConsoleError, ValidationError
from console.services.bundle import Services
from console.services.clients import ClientFields, ClientRecord
from console.services.programs import ProgramFields, ProgramRecord
from console.services.sessions import SessionFields, SessionRecord
from console.vocabulary import (
    LOCATION_LABELS,
    PROGRAM_KIND_LABELS,
    SESSION_KIND_LABELS,
    ProgramKind,
    SessionKind,
    SessionLocation,
)
from ui.clients.diagnoses_editor import DiagnosesEditor
from ui.date_field import DateField, DateRefused, SectionEdit
from ui.dates import datetime_format, years_before
from ui.widgets import FieldErrors, named


def date_row(
    errors: FieldErrors, form: QFormLayout, label: str, field: str, widget: DateField
) -> DateField:
    """A date's row, whose own objections (no date, out of range) show beside it as they arise."""
    errors.add_row(form, label, field, widget)
    errors.follow(field, widget.problem_changed)
    return widget


def read_date(widget: DateField, field: str) -> date | None:
    """The day for the service; text that is no day the field takes refuses Save beside it."""
    try:
        return widget.value()
    except DateRefused as exc:
        raise ValidationError(field, exc.reason) from None


def multiline(name: str, height: int = 64) -> QPlainTextEdit:
    edit = named(QPlainTextEdit(), name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


class ValidatingDialog(QDialog):
    """OK runs `save()`; a ValidationError shows by its field, anything else above the buttons."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.errors = FieldErrors()
        self.general = QLabel()
        self.general.setObjectName("dialog_error")
        self.general.setWordWrap(True)
        self.general.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.result_record: object | None = None

    def finish_layout(self, form_host: QWidget) -> None:
        layout = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        layout.addWidget(scroll)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)

    def save(self) -> object:
        raise NotImplementedError

    def accept(self) -> None:
        self.errors.clear()
        self.general.setVisible(False)
        try:
            self.result_record = self.save()
        except ValidationError as exc:
            if not self.errors.show(exc):
                self.general.setText(exc.message)
                self.general.setVisible(True)
            return
        except ConsoleError as exc:
            self.general.setText(exc.message)
            self.general.setVisible(True)
            return
        super().accept()


class ClientDialog(ValidatingDialog):
    def __init__(
        self, services: Services, record: ClientRecord | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Edit client") if record else self.tr("New client"), parent)
        self.services = services
        self.record = record
        host = QWidget()
        form = QFormLayout(host)
        self._add_identity_rows(form)
        self._add_contact_rows(form)
        self._add_clinical_rows(form)
        if record is not None:
            self._fill(record)
        self.finish_layout(host)
        self.resize(560, 640)

    def _add_identity_rows(self, form: QFormLayout) -> None:
        e = self.errors
        self.name = e.add_row(form, self.tr("&Name *"), "name", named(QLineEdit(), "Client name"))
        self.preferred = e.add_row(
            form, self.tr("&Preferred name"), "preferred_name", named(QLineEdit(), "Preferred name")
        )
        today = date.today()
        self.dob = date_row(
            e,
            form,
            self.tr("&Date of birth"),
            "date_of_birth",
            DateField("Date of birth", latest=today, opens_at=years_before(today, 40)),
        )

    def _add_contact_rows(self, form: QFormLayout) -> None:
        e = self.errors
        self.phone = e.add_row(form, self.tr("P&hone"), "phone", named(QLineEdit(), "Phone"))
        self.email = e.add_row(form, self.tr("&Email"), "email", named(QLineEdit(), "Email"))
        self.address = e.add_row(form, self.tr("Addr&ess"), "address", multiline("Address", 48))
        self.emergency_name = e.add_row(
            form,
            self.tr("Emergency contact"),
            "emergency_contact_name",
            named(QLineEdit(), "Emergency contact name"),
        )
        self.emergency_phone = e.add_row(
            form,
            self.tr("Emergency phone"),
            "emergency_contact_phone",
            named(QLineEdit(), "Emergency contact phone"),
        )

    def _add_clinical_rows(self, form: QFormLayout) -> None:
        e = self.errors
        self.concerns = e.add_row(
            form,
            self.tr("Presenting &concerns"),
            "presenting_concerns",
            multiline("Presenting concerns"),
        )
        self.diagnoses = e.add_row(form, self.tr("Dia&gnoses"), "diagnoses", DiagnosesEditor())
        form.addRow(self.tr("Anxiety profile"), self._anxiety_profile())
        self.history = e.add_row(
            form,
            self.tr("&Treatment history"),
            "treatment_history",
            multiline("Treatment history"),
        )

    def _anxiety_profile(self) -> QWidget:
        profile = QWidget()
        row = QHBoxLayout(profile)
        row.setContentsMargins(0, 0, 0, 0)
        self.cognitive = named(QCheckBox(self.tr("Cognitive")), "Anxiety cognitive")
        self.somatic = named(QCheckBox(self.tr("Somatic")), "Anxiety somatic")
        self.behavioural = named(QCheckBox(self.tr("Behavioural")), "Anxiety behavioural")
        for box in (self.cognitive, self.somatic, self.behavioural):
            row.addWidget(box)
        row.addStretch(1)
        return profile

    def _fill(self, r: ClientRecord) -> None:
        self.name.setText(r.name)
        self.preferred.setText(r.preferred_name)
        self.dob.set_value(r.date_of_birth)
        self.phone.setText(r.phone)
        self.email.setText(r.email)
        self.address.setPlainText(r.address)
        self.emergency_name.setText(r.emergency_contact_name)
        self.emergency_phone.setText(r.emergency_contact_phone)
        self.concerns.setPlainText(r.presenting_concerns)
        self.diagnoses.set_diagnoses(r.diagnoses)
        self.cognitive.setChecked(r.anxiety_cognitive)
        self.somatic.setChecked(r.anxiety_somatic)
        self.behavioural.setChecked(r.anxiety_behavioural)
        self.history.setPlainText(r.treatment_history)

    def fields(self) -> ClientFields:
        return ClientFields(
            name=self.name.text(),
            preferred_name=self.preferred.text(),
            date_of_birth=read_date(self.dob, "date_of_birth"),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.toPlainText(),
            emergency_contact_name=self.emergency_name.text(),
            emergency_contact_phone=self.emergency_phone.text(),
            presenting_concerns=self.concerns.toPlainText(),
            diagnoses=self.diagnoses.diagnoses(),
            anxiety_cognitive=self.cognitive.isChecked(),
            anxiety_somatic=self.somatic.isChecked(),
            anxiety_behavioural=self.behavioural.isChecked(),
            treatment_history=self.history.toPlainText(),
        )

    def save(self) -> ClientRecord:
        if self.record is None:
            return self.services.clients.create(self.fields())
        return self.services.clients.update(self.record.id, self.fields())


E = TypeVar("E", bound=Enum)


def _combo(name: str, labels: Mapping[E, str]) -> QComboBox:
    combo = named(QComboBox(), name)
    for value, label in labels.items():
        combo.addItem(label, value)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


class ProgramDialog(ValidatingDialog):
    def __init__(
        self,
        services: Services,
        client_id: uuid.UUID,
        record: ProgramRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Edit program") if record else self.tr("New program"), parent)
        self.services = services
        self.client_id = client_id
        self.record = record
        host = QWidget()
        form = QFormLayout(host)
        e = self.errors
        self.kind = e.add_row(
            form, self.tr("&Kind"), "kind", _combo("Program kind", PROGRAM_KIND_LABELS)
        )
        self.title = e.add_row(form, self.tr("&Title *"), "title", named(QLineEdit(), "Title"))
        self.start = date_row(
            e, form, self.tr("&Start"), "start_date", DateField("Start date", empty_text="")
        )
        self.start.set_value(date.today())
        self.end = date_row(e, form, self.tr("&End"), "end_date", DateField("End date"))
        self.description = e.add_row(
            form, self.tr("&Description"), "description", multiline("Description")
        )
        self.goals = e.add_row(
            form, self.tr("&Goals (one per line)"), "goals", multiline("Goals", 96)
        )
        if record is not None:
            _select(self.kind, record.kind)
            self.title.setText(record.title)
            self.start.set_value(record.start_date)
            self.end.set_value(record.end_date)
            self.description.setPlainText(record.description)
            self.goals.setPlainText("\n".join(g.text for g in record.goals))
        self.finish_layout(host)
        self.resize(520, 520)

    def save(self) -> ProgramRecord:
        goals = tuple(
            line.strip() for line in self.goals.toPlainText().splitlines() if line.strip()
        )
        fields = ProgramFields(
            kind=ProgramKind(self.kind.currentData()),
            title=self.title.text(),
            start_date=read_date(self.start, "start_date"),  # type: ignore[arg-type]  # None on purpose: the service refuses it by the field
            end_date=read_date(self.end, "end_date"),
            description=self.description.toPlainText(),
            goals=goals,
        )
        if self.record is None:
            return self.services.programs.create(self.client_id, fields)
        return self.services.programs.update(self.record.id, fields)


class SessionDialog(ValidatingDialog):
    def __init__(
        self,
        services: Services,
        client_id: uuid.UUID,
        record: SessionRecord | None = None,
        parent: QWidget | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(self.tr("Edit session") if record else self.tr("New session"), parent)
        self.services = services
        self.client_id = client_id
        self.record = record
        host = QWidget()
        form = QFormLayout(host)
        e = self.errors
        self.kind = e.add_row(
            form, self.tr("&Type"), "kind", _combo("Session type", SESSION_KIND_LABELS)
        )
        self.starts = e.add_row(
            form, self.tr("&Starts"), "starts_at", SectionEdit("Session start", datetime_format())
        )
        self.starts.setCalendarPopup(True)
        self.duration = e.add_row(
            form,
            self.tr("&Duration (min)"),
            "duration_min",
            named(QSpinBox(), "Duration in minutes"),
        )
        self.duration.setRange(5, 720)
        self.duration.setSingleStep(5)
        self.duration.setValue(50)
        self.location = e.add_row(
            form, self.tr("&Location"), "location", _combo("Location", LOCATION_LABELS)
        )
        self.program = e.add_row(
            form, self.tr("&Program"), "program", named(QComboBox(), "Program")
        )
        self.program.addItem(self.tr("None"), None)
        for program in services.programs.list_for_client(client_id):
            self.program.addItem(program.title, program.id)
        self.title = e.add_row(form, self.tr("T&itle"), "title", named(QLineEdit(), "Title"))
        local_now = now().astimezone()
        start = (
            record.starts_at.astimezone()
            if record
            else local_now.replace(
                minute=0 if local_now.minute < 30 else 30, second=0, microsecond=0
            )
        )
        self.starts.setDateTime(
            QDateTime(QDate(start.year, start.month, start.day), QTime(start.hour, start.minute))
        )
        if record is not None:
            _select(self.kind, record.kind)
            self.duration.setValue(record.duration_min)
            _select(self.location, record.location)
            _select(self.program, record.program_id)
            self.title.setText(record.title)
        self.finish_layout(host)
        self.resize(460, 360)

    def starts_at(self) -> datetime:
        value = self.starts.dateTime()
        d, t = value.date(), value.time()
        naive = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        return naive.astimezone()  # local wall time the therapist typed

    def save(self) -> SessionRecord:
        fields = SessionFields(
            starts_at=self.starts_at(),
            kind=SessionKind(self.kind.currentData()),
            duration_min=self.duration.value(),
            location=SessionLocation(self.location.currentData()),
            program_id=self.program.currentData(),
            title=self.title.text(),
        )
        if self.record is None:
            return self.services.sessions.create(self.client_id, fields)
        return self.services.sessions.update(self.record.id, fields)
