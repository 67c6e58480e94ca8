"""Screening and consent before the first medicine session, and its badge on the overview.

The checklist is CLINICAL.md's (console.clinical.medicine.CONTRAINDICATIONS), each item
answered yes / no / unknown with a note; who answered it and when comes from the record.
The service validates and decides the state; this dialog only shows and collects.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from console.clinical import medicine as m
from console.errors import ConsoleError, ValidationError
from console.services.bundle import Services
from console.services.screening import ItemAnswer, ScreeningFields, ScreeningRecord
from ui.clients.dialogs import (
    ValidatingDialog,
    multiline,
    optional_date_edit,
    read_date,
    write_date,
)
from ui.widgets import FieldErrors, named

WARNING_STYLE = "background: rgba(255, 152, 0, 60); border-radius: 3px; padding: 4px 6px;"


def _when(record_at: object) -> str:
    return record_at.astimezone().strftime("%d %b %Y %H:%M")  # type: ignore[attr-defined]


def who_when(by: str, at: object) -> str:
    """ "Dr X, 23 Nov 2026 14:02" (local time); empty when never checked."""
    if not by and at is None:
        return ""
    return ", ".join(x for x in (by, _when(at) if at is not None else "") if x)


def badge_text(record: ScreeningRecord) -> tuple[str, str]:
    """The badge's words and its status key: not_started, cleared, blocked or overridden."""
    state = record.state
    if not record.exists:
        return "Screening: not started ○", "not_started"
    if state.cleared:
        return "Screening: Cleared ✓", "cleared"
    if state.overridden:
        reason = record.override_reason.strip().replace("\n", " ")
        short = reason if len(reason) <= 40 else reason[:39].rstrip() + "…"
        return f"Screening: Overridden ⚑ ({short})", "overridden"
    # The gate's own summary ("Blocked: 1 item yes, 1 unknown, no consent"), with a symbol.
    return "Screening: Blocked ✗ — " + state.summary.removeprefix("Blocked: "), "blocked"


# Tints under the text and symbol (never the only cue); translucent for light and dark.
BADGE_TINTS = {
    "not_started": "rgba(128, 128, 128, 50)",
    "cleared": "rgba(76, 175, 80, 70)",
    "blocked": "rgba(244, 67, 54, 70)",
    "overridden": "rgba(255, 152, 0, 80)",
}


class ScreeningBadge(QPushButton):
    """The screening state at a glance; clicking it opens the screening."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "Screening badge", "Screening state; press to open the screening")
        self.status = "not_started"
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.show_record(None)

    def show_record(self, record: ScreeningRecord | None) -> None:
        if record is None:
            text, self.status = "Screening: not started ○", "not_started"
            detail = ""
        else:
            text, self.status = badge_text(record)
            detail = record.state.summary
            if record.state.overridden:
                detail += (
                    f" — {record.override_reason} "
                    f"({who_when(record.override_by, record.override_at)})"
                )
        self.setText(text)
        self.setAccessibleName(text)
        self.setToolTip(detail or text)
        self.setStyleSheet(
            f"QPushButton {{ background: {BADGE_TINTS[self.status]}; "
            "border: 1px solid palette(mid); border-radius: 4px; padding: 4px 10px; "
            "text-align: left; font-weight: bold; }"
            "QPushButton:focus { border: 2px solid palette(highlight); }"
        )


class _Errors(FieldErrors):
    """Field errors where several service field names share one row (the blood pressure)."""

    ALIASES: ClassVar[dict[str, str]] = {
        "Systolic": "Baseline blood pressure",
        "Diastolic": "Baseline blood pressure",
    }

    def show(self, error: ValidationError) -> bool:
        field = self.ALIASES.get(error.field, error.field)
        if field != error.field:
            error = ValidationError(field, f"{error.field.lower()} {error.reason}")
        return super().show(error)


class _ItemRow:
    def __init__(self, key: str, label: str) -> None:
        self.key = key
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        self.choices = QWidget()
        named(self.choices, f"{label} answer")
        row = QHBoxLayout(self.choices)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self.choices)
        self.buttons: dict[str, QRadioButton] = {}
        for answer in m.ANSWERS:
            button = named(QRadioButton(m.ANSWER_LABELS[answer]), f"{label}: {answer}")
            self.group.addButton(button)
            self.buttons[answer] = button
            row.addWidget(button)
        self.note = named(QLineEdit(), f"{label} note")
        self.note.setPlaceholderText("Note")
        self.checked = named(QLabel(), f"{label} checked by")
        self.checked.setTextFormat(Qt.TextFormat.PlainText)

    def answer(self) -> str:
        for answer, button in self.buttons.items():
            if button.isChecked():
                return answer
        return ""

    def set_answer(self, answer: str) -> None:
        button = self.buttons.get(answer)
        if button is not None:
            button.setChecked(True)


class ScreeningDialog(ValidatingDialog):
    """The client's screening: Save keeps it; the override is recorded at once (audited)."""

    screening_changed = Signal()

    def __init__(
        self, services: Services, client_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Screening and consent"), parent)
        self.errors = _Errors()
        self.services = services
        self.client_id = client_id
        self.record = services.screening.get(client_id)
        host = QWidget()
        outer = QVBoxLayout(host)
        self.status = named(QLabel(), "Screening state")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.status.font()
        bold.setBold(True)
        self.status.setFont(bold)
        outer.addWidget(self.status)

        checklist = QGroupBox(self.tr("Contraindications (each yes / no / unknown)"))
        grid = QGridLayout(checklist)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 3)
        for col, head in enumerate(
            (self.tr("Item"), self.tr("Answer"), self.tr("Note"), self.tr("Checked"))
        ):
            title = QLabel(f"<b>{head}</b>")
            grid.addWidget(title, 0, col)
        self.rows: dict[str, _ItemRow] = {}
        for n, item in enumerate(m.CONTRAINDICATIONS, start=1):
            row = _ItemRow(item.key, item.label)
            self.rows[item.key] = row
            grid.addWidget(row.label, n, 0)
            grid.addWidget(row.choices, n, 1)
            grid.addWidget(row.note, n, 2)
            grid.addWidget(row.checked, n, 3)
        self.items_error = QLabel()
        self.items_error.setVisible(False)
        grid.addWidget(self.items_error, len(m.CONTRAINDICATIONS) + 1, 0, 1, 4)
        outer.addWidget(checklist)

        baseline = QGroupBox(self.tr("Baseline and medications"))
        form = QFormLayout(baseline)
        e = self.errors
        self.weight = e.add_row(
            form, self.tr("&Weight (kg)"), "Weight", named(QLineEdit(), "Weight in kg")
        )
        self.weight.setPlaceholderText("e.g. 72.5")
        pressure = QWidget()
        prow = QHBoxLayout(pressure)
        prow.setContentsMargins(0, 0, 0, 0)
        self.systolic = named(QLineEdit(), "Baseline systolic")
        self.diastolic = named(QLineEdit(), "Baseline diastolic")
        self.systolic.setPlaceholderText("systolic")
        self.diastolic.setPlaceholderText("diastolic")
        for edit in (self.systolic, self.diastolic):
            edit.setMaximumWidth(90)
        prow.addWidget(self.systolic)
        prow.addWidget(QLabel("/"))
        prow.addWidget(self.diastolic)
        prow.addWidget(QLabel("mmHg"))
        prow.addStretch(1)
        e.add_row(form, self.tr("Baseline &blood pressure"), "Baseline blood pressure", pressure)
        self.baseline_flags = named(QLabel(), "Baseline blood pressure flags")
        self.baseline_flags.setWordWrap(True)
        self.baseline_flags.setStyleSheet(WARNING_STYLE)
        form.addRow("", self.baseline_flags)
        self.medications = e.add_row(
            form,
            self.tr("Current &medications"),
            "Current medications",
            multiline("Current medications", 72),
        )
        self.interactions = named(QLabel(), "Interacting medications")
        self.interactions.setWordWrap(True)
        self.interactions.setStyleSheet(WARNING_STYLE)
        form.addRow("", self.interactions)
        outer.addWidget(baseline)

        consent = QGroupBox(self.tr("Consent and instructions"))
        cform = QFormLayout(consent)
        consent_row = QWidget()
        crow = QHBoxLayout(consent_row)
        crow.setContentsMargins(0, 0, 0, 0)
        self.consent_date = optional_date_edit("Consent date", "Not given")
        self.consent_today = named(QPushButton(self.tr("&Today")), "Consent given today")
        crow.addWidget(self.consent_date)
        crow.addWidget(self.consent_today)
        crow.addStretch(1)
        e.add_row(cform, self.tr("Informed &consent (date)"), "Consent date", consent_row)
        self.consent_version = e.add_row(
            cform,
            self.tr("Consent &version"),
            "Consent version",
            named(QLineEdit(), "Consent version", "The consent form's version, e.g. v3 2026"),
        )
        self.fasting = named(
            QCheckBox(self.tr("&Fasting instructions given and acknowledged")), "Fasting"
        )
        self.ride_home = named(QCheckBox(self.tr("&Ride home arranged")), "Ride home")
        cform.addRow("", self.fasting)
        cform.addRow("", self.ride_home)
        outer.addWidget(consent)

        override = QGroupBox(self.tr("Override"))
        olayout = QVBoxLayout(override)
        self.override_info = named(QLabel(), "Override")
        self.override_info.setWordWrap(True)
        self.override_info.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        self.override_button = named(
            QPushButton(self.tr("Record &override…")),
            "Record override",
            "Go ahead despite blocking items, for a stated reason (saves the screening first)",
        )
        self.withdraw_button = named(
            QPushButton(self.tr("&Withdraw override")), "Withdraw override"
        )
        buttons.addWidget(self.override_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        olayout.addWidget(self.override_info)
        olayout.addLayout(buttons)
        outer.addWidget(override)
        outer.addStretch(1)

        self._fill(self.record)
        self._show_record(self.record)
        self.systolic.textChanged.connect(self._on_pressure_changed)
        self.diastolic.textChanged.connect(self._on_pressure_changed)
        self.medications.textChanged.connect(self._on_medications_changed)
        self.consent_today.clicked.connect(lambda: self.consent_date.setDate(QDate.currentDate()))
        self.override_button.clicked.connect(self.record_override)
        self.withdraw_button.clicked.connect(self.withdraw_override)
        self._on_pressure_changed()
        self._on_medications_changed()
        self.finish_layout(host)
        self.resize(980, 700)

    # -- showing ---------------------------------------------------------------

    def _fill(self, r: ScreeningRecord) -> None:
        for key, row in self.rows.items():
            item = r.answer(key)
            row.set_answer(item.answer)
            row.note.setText(item.note)
        self.weight.setText("" if r.weight_kg is None else f"{r.weight_kg:g}")
        self.systolic.setText("" if r.baseline_systolic is None else str(r.baseline_systolic))
        self.diastolic.setText("" if r.baseline_diastolic is None else str(r.baseline_diastolic))
        self.medications.setPlainText(r.medications)
        write_date(self.consent_date, r.consent_date)
        self.consent_version.setText(r.consent_version)
        self.fasting.setChecked(r.fasting_acknowledged)
        self.ride_home.setChecked(r.ride_home_arranged)

    def _show_record(self, r: ScreeningRecord) -> None:
        """What the record says (state, who checked, override) without touching typed values."""
        self.record = r
        text, _status = badge_text(r)
        self.status.setText(text + ("" if not r.exists else f"\n{r.state.summary}"))
        for key, row in self.rows.items():
            item = r.answer(key)
            row.checked.setText(who_when(item.checked_by, item.checked_at) or "—")
        if r.override_reason:
            self.override_info.setText(
                self.tr("Overridden by %1 — reason: %2")
                .replace("%1", who_when(r.override_by, r.override_at))
                .replace("%2", r.override_reason)
            )
        else:
            self.override_info.setText(
                self.tr(
                    "No override. An override lets medicine sessions start despite blocking "
                    "items; consent and the instructions are still required."
                )
            )
        self.withdraw_button.setEnabled(bool(r.override_reason))
        self.override_button.setEnabled(not r.state.cleared)

    def _on_pressure_changed(self) -> None:
        try:
            probe = ScreeningRecord(
                baseline_systolic=int(self.systolic.text()),
                baseline_diastolic=int(self.diastolic.text()),
            )
            messages = [
                f"⚠ {f.message}" for f in probe.baseline_flags(self.services.medicine.thresholds)
            ]
        except (ValueError, ValidationError):
            messages = []
        self.baseline_flags.setText("\n".join(messages))
        self.baseline_flags.setVisible(bool(messages))

    def _on_medications_changed(self) -> None:
        found = m.interacting_medications(self.medications.toPlainText())
        self.interactions.setText(
            "⚠ " + self.tr("Interacting with ketamine: ") + "; ".join(found) if found else ""
        )
        self.interactions.setVisible(bool(found))

    # -- collecting and saving ----------------------------------------------------

    def _number(self, edit: QLineEdit, field: str, whole: bool = False) -> float | None:
        text = edit.text().strip().replace(",", ".")
        if not text:
            return None
        try:
            return int(text) if whole else float(text)
        except ValueError:
            raise ValidationError(field, "must be a number") from None

    def fields(self) -> ScreeningFields:
        answers = tuple(
            ItemAnswer(key, row.answer(), row.note.text()) for key, row in self.rows.items()
        )
        systolic = self._number(self.systolic, "Baseline blood pressure", whole=True)
        diastolic = self._number(self.diastolic, "Baseline blood pressure", whole=True)
        consent: date | None = read_date(self.consent_date)
        return ScreeningFields(
            answers=answers,
            weight_kg=self._number(self.weight, "Weight"),
            baseline_systolic=None if systolic is None else int(systolic),
            baseline_diastolic=None if diastolic is None else int(diastolic),
            medications=self.medications.toPlainText(),
            consent_date=consent,
            consent_version=self.consent_version.text(),
            fasting_acknowledged=self.fasting.isChecked(),
            ride_home_arranged=self.ride_home.isChecked(),
        )

    def save(self) -> ScreeningRecord:
        record = self.services.screening.save(self.client_id, self.fields())
        self._show_record(record)
        self.screening_changed.emit()
        return record

    def _save_in_place(self) -> bool:
        """Save without closing; a refused value shows by its field. True when saved."""
        self.errors.clear()
        self.general.setVisible(False)
        try:
            self.save()
        except ValidationError as exc:
            if not self.errors.show(exc):
                self.general.setText(exc.message)
                self.general.setVisible(True)
            return False
        except ConsoleError as exc:
            self.general.setText(exc.message)
            self.general.setVisible(True)
            return False
        return True

    def record_override(self) -> OverrideDialog | None:
        """Save what is typed, then ask for the reason (required) and record the override."""
        if not self._save_in_place():
            return None
        if self.record.state.cleared:
            return None
        dialog = OverrideDialog(self.services, self.client_id, self)
        dialog.accepted.connect(self._on_override_accepted)
        dialog.open()
        return dialog

    def _on_override_accepted(self) -> None:
        self._show_record(self.services.screening.get(self.client_id))
        self.screening_changed.emit()

    def withdraw_override(self) -> None:
        self.general.setVisible(False)
        try:
            record = self.services.screening.withdraw_override(self.client_id)
        except ConsoleError as exc:
            self.general.setText(exc.message)
            self.general.setVisible(True)
            return
        self._show_record(record)
        self.screening_changed.emit()


class OverrideDialog(ValidatingDialog):
    def __init__(
        self, services: Services, client_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Record override"), parent)
        self.services = services
        self.client_id = client_id
        host = QWidget()
        form = QFormLayout(host)
        explain = QLabel(
            self.tr(
                "Medicine sessions may start despite the blocking items. Say why; the reason, "
                "your name and the time are kept in the record and the audit trail."
            )
        )
        explain.setWordWrap(True)
        form.addRow(explain)
        self.reason = self.errors.add_row(
            form, self.tr("&Reason *"), "Override reason", multiline("Override reason", 96)
        )
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Record override"))
        self.finish_layout(host)
        self.resize(520, 300)

    def save(self) -> ScreeningRecord:
        return self.services.screening.override(self.client_id, self.reason.toPlainText())
