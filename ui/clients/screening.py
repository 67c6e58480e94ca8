"""Screening and consent before the first medicine session, and its badge on the overview.

The checklist is docs/clinical.md's (console.clinical.medicine.CONTRAINDICATIONS), each item
answered yes / no / unknown with a note; who answered it and when comes from the record.
The service validates and decides the state; this dialog only shows and collects.
What needs the prescriber (a hold-level baseline, an interacting medication, an
expired consent) is recorded here too: a review with who, when and why, and an
acknowledgement per interacting medication, both audited by the service.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
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
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.clinical import medicine as m
from console.clinical import medicine_safety as safety
from console.errors import ConsoleError, ValidationError
from console.services.bundle import Services
from console.services.screening import ItemAnswer, ScreeningFields, ScreeningRecord
from console.services.screening_badge import badge_state, baseline_warnings
from ui.clients.dialogs import ValidatingDialog, multiline, read_date
from ui.date_field import DateField
from ui.dates import show_date, show_datetime
from ui.widgets import FieldErrors, named

WARNING_STYLE = "background: rgba(255, 152, 0, 60); border-radius: 3px; padding: 4px 6px;"
REVIEW_STYLE = "background: rgba(156, 39, 176, 45); border-radius: 3px; padding: 4px 6px;"


def who_when(by: str, at: datetime | None) -> str:
    """ "Dr X, 01/12/2026 14:02" (local time, in the locale's format); empty when never checked."""
    if not by and at is None:
        return ""
    return ", ".join(x for x in (by, show_datetime(at) if at is not None else "") if x)


def badge_text(record: ScreeningRecord) -> tuple[str, str]:
    """The badge's words and its status key, as the chart PDF prints them."""
    badge = badge_state(record)
    return badge.text, badge.status


# Tints under the text and symbol (never the only cue); translucent for light and dark.
BADGE_TINTS = {
    "not_started": "rgba(128, 128, 128, 50)",
    "cleared": "rgba(76, 175, 80, 70)",
    "blocked": "rgba(244, 67, 54, 70)",
    "overridden": "rgba(255, 152, 0, 80)",
    "needs_review": "rgba(156, 39, 176, 70)",
}


def pending_review(record: ScreeningRecord) -> set[str] | None:
    """The messages of the reasons no review covers yet; None when the state cannot tell.

    A blocked state does not carry the review (the checklist blocks first), so
    there the reasons are listed without saying whether a review covers them.
    """
    state = record.state
    if state.needs_review:
        return set(state.review)
    if state.blocked:
        return None
    return set()


class ScreeningBadge(QPushButton):
    """The screening state at a glance; clicking it opens the screening.

    The reasons can be longer than the overview's column: the button shows what
    fits, ending in "…", and its accessible name and tooltip carry every word.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "Screening badge", "Screening state; press to open the screening")
        self.status = "not_started"
        self.full_text = ""
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.show_record(None)

    def show_record(self, record: ScreeningRecord | None) -> None:
        badge = badge_state(record)
        text, self.status = badge.text, badge.status
        detail = ""
        if record is not None:
            detail = record.state.summary
            if record.state.overridden:
                detail += (
                    f" — {record.override_reason} "
                    f"({who_when(record.override_by, record.override_at)})"
                )
        self.full_text = text
        self.setAccessibleName(text)
        self.setToolTip(detail or text)
        self.setStyleSheet(
            f"QPushButton {{ background: {BADGE_TINTS[self.status]}; "
            "border: 1px solid palette(mid); border-radius: 4px; padding: 4px 10px; "
            "text-align: left; font-weight: bold; }"
            "QPushButton:focus { border: 2px solid palette(highlight); }"
        )
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.ensurePolished()  # the bold font comes from the style sheet
        room = max(self.width() - 26, 120)  # the padding and the border, both sides
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self.full_text, Qt.TextElideMode.ElideRight, room))


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


class _InteractionRow(QWidget):
    """One interacting medication: whether the prescriber acknowledged it, and the button."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.medication = label
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.state = named(QLabel(), f"{label} acknowledgement")  # one line: wrapped, it splits
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.button = named(
            QPushButton(self.tr("&Acknowledge…")),
            f"Acknowledge {label}",
            "The prescriber has seen this interaction: name and time are kept "
            "(saves the screening first)",
        )
        row.addWidget(self.state)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        row.addStretch(1)

    def show_ack(self, ack: tuple[str, datetime | None] | None) -> None:
        if ack is None:
            self.state.setText(f"⚠ {self.medication}: " + self.tr("not acknowledged"))
        else:
            self.state.setText(
                f"✓ {self.medication}: " + self.tr("acknowledged by ") + who_when(*ack)
            )
        self.button.setVisible(ack is None)


class ScreeningDialog(ValidatingDialog):
    """The client's screening: Save keeps it; the override is recorded at once (audited)."""

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
        outer.addWidget(self._build_review())
        outer.addWidget(self._build_checklist())
        outer.addWidget(self._build_baseline())
        outer.addWidget(self._build_consent())
        outer.addWidget(self._build_override())
        outer.addStretch(1)

        self._fill(self.record)
        self._show_record(self.record)
        self.systolic.textChanged.connect(self._on_pressure_changed)
        self.diastolic.textChanged.connect(self._on_pressure_changed)
        self.medications.textChanged.connect(self._on_medications_changed)
        self.consent_date.date_changed.connect(self._on_consent_changed)
        self.consent_today.clicked.connect(
            lambda: self.consent_date.set_value(self.services.screening.today())
        )
        self.review_button.clicked.connect(self.record_review)
        self.override_button.clicked.connect(self.record_override)
        self.withdraw_button.clicked.connect(self.withdraw_override)
        self._on_pressure_changed()
        self._on_medications_changed()
        self._on_consent_changed(self.consent_date.value())
        self.finish_layout(host)
        self.resize(980, 700)

    def _build_review(self) -> QGroupBox:
        """What a prescriber must look at, and the last review."""
        self.review_box = QGroupBox(self.tr("Needs review"))
        rlayout = QVBoxLayout(self.review_box)
        self.review_reasons = named(QLabel(), "Review reasons")
        self.review_reasons.setWordWrap(True)
        self.review_reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.review_reasons.setStyleSheet(REVIEW_STYLE)
        self.review_info = named(QLabel(), "Last review")
        self.review_info.setWordWrap(True)
        self.review_info.setTextFormat(Qt.TextFormat.PlainText)
        self.review_button = named(
            QPushButton(self.tr("Record r&eview…")),
            "Record review",
            "The prescriber has reviewed these reasons: name, time and why are kept "
            "(saves the screening first)",
        )
        review_buttons = QHBoxLayout()
        review_buttons.addWidget(self.review_button)
        review_buttons.addStretch(1)
        rlayout.addWidget(self.review_reasons)
        rlayout.addWidget(self.review_info)
        rlayout.addLayout(review_buttons)
        return self.review_box

    def _build_checklist(self) -> QGroupBox:
        """Each contraindication: the answer, a note, and who checked it when."""
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
        return checklist

    def _build_baseline(self) -> QGroupBox:
        """Weight, baseline blood pressure and medications, with what they warn of."""
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
        self.interaction_host = QWidget()
        self.interaction_rows_layout = QVBoxLayout(self.interaction_host)
        self.interaction_rows_layout.setContentsMargins(0, 0, 0, 0)
        self.interaction_rows: dict[str, _InteractionRow] = {}
        form.addRow("", self.interaction_host)
        return baseline

    def _build_consent(self) -> QGroupBox:
        e = self.errors
        consent = QGroupBox(self.tr("Consent and instructions"))
        cform = QFormLayout(consent)
        consent_row = QWidget()
        crow = QHBoxLayout(consent_row)
        crow.setContentsMargins(0, 0, 0, 0)
        self.consent_date = DateField("Consent date", empty_text=self.tr("Not given"))
        self.consent_today = named(QPushButton(self.tr("&Today")), "Consent given today")
        self.consent_expiry = named(QLabel(), "Consent expiry")
        self.consent_expiry.setTextFormat(Qt.TextFormat.PlainText)
        crow.addWidget(self.consent_date)
        crow.addWidget(self.consent_today)
        crow.addWidget(self.consent_expiry)
        crow.addStretch(1)
        e.add_row(cform, self.tr("Informed &consent (date)"), "Consent date", consent_row)
        e.follow("Consent date", self.consent_date.problem_changed)
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
        return consent

    def _build_override(self) -> QGroupBox:
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
        return override

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
        self.consent_date.set_value(r.consent_date)
        self.consent_version.setText(r.consent_version)
        self.fasting.setChecked(r.fasting_acknowledged)
        self.ride_home.setChecked(r.ride_home_arranged)

    def _show_record(self, r: ScreeningRecord) -> None:
        """What the record says (state, who checked, override) without touching typed values."""
        self.record = r
        text, _status = badge_text(r)
        # needs review: the group below lists the reasons, so the summary would say it twice
        summary = r.exists and not r.state.needs_review
        self.status.setText(text + (f"\n{r.state.summary}" if summary else ""))
        for key, row in self.rows.items():
            item = r.answer(key)
            row.checked.setText(who_when(item.checked_by, item.checked_at) or "—")
        self._show_review(r)
        for medication in self.interaction_rows.values():
            medication.show_ack(r.acknowledged.get(medication.medication))
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

    def _show_review(self, r: ScreeningRecord) -> None:
        """Each reason the prescriber must look at, marked reviewed or not, and the last review."""
        pending = pending_review(r)
        lines = []
        for reason in r.reasons:
            if pending is None:
                lines.append(f"• {reason.message}")
            elif reason.message in pending:
                hint = (
                    self.tr(" (or acknowledge it under Current medications)")
                    if reason.key.startswith("interaction:")
                    else ""
                )
                lines.append(f"⚠ {reason.message} — " + self.tr("not reviewed") + hint)
            else:
                lines.append(f"✓ {reason.message} — " + self.tr("covered by the last review"))
        self.review_reasons.setText("\n".join(lines))
        self.review_reasons.setVisible(bool(lines))
        if r.review_at is not None or r.review_by:
            self.review_info.setText(
                self.tr("Last review: %1 — reason: %2")
                .replace("%1", who_when(r.review_by, r.review_at))
                .replace("%2", r.review_reason)
            )
        else:
            self.review_info.setText(self.tr("No review recorded."))
        waiting = pending is None or bool(pending)
        self.review_box.setTitle(
            self.tr("Needs review") if r.reasons and waiting else self.tr("Prescriber review")
        )
        self.review_box.setVisible(bool(r.reasons) or r.review_at is not None)
        self.review_button.setEnabled(bool(r.reasons) and waiting)

    def _on_pressure_changed(self) -> None:
        try:
            messages = baseline_warnings(
                int(self.systolic.text()),
                int(self.diastolic.text()),
                self.services.medicine.thresholds,
            )
        except (ValueError, ValidationError):
            messages = ()
        self.baseline_flags.setText("\n".join(messages))
        self.baseline_flags.setVisible(bool(messages))

    def _on_medications_changed(self) -> None:
        found = m.interacting_medications(self.medications.toPlainText())
        self.interactions.setText(
            "⚠ " + self.tr("Interacting with ketamine: ") + "; ".join(found) if found else ""
        )
        self.interactions.setVisible(bool(found))
        self.interaction_host.setVisible(bool(found))
        if tuple(self.interaction_rows) == found:
            return
        for row in self.interaction_rows.values():
            self.interaction_rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.interaction_rows = {}
        for label in found:
            row = _InteractionRow(label, self.interaction_host)
            row.show_ack(self.record.acknowledged.get(label))
            row.button.clicked.connect(lambda _=False, lab=label: self.acknowledge(lab))
            self.interaction_rows_layout.addWidget(row)
            self.interaction_rows[label] = row

    def _on_consent_changed(self, given: date | None) -> None:
        """When the typed consent stops being current, by the clinic's validity."""
        if given is None:
            self.consent_expiry.setVisible(False)
            return
        policy = self.services.screening.policy
        expires = safety.consent_expires(given, policy.consent_valid_months)
        if self.services.screening.today() >= expires:
            text = "⚠ " + self.tr("Expired on %1 — a new consent is needed").replace(
                "%1", show_date(expires)
            )
            self.consent_expiry.setStyleSheet(WARNING_STYLE)
        else:
            text = self.tr("Expires %1").replace("%1", show_date(expires))
            self.consent_expiry.setStyleSheet("")
        self.consent_expiry.setText(text)
        self.consent_expiry.setVisible(True)

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
        consent: date | None = read_date(self.consent_date, "Consent date")
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

    def _unsaved(self) -> bool:
        """Whether what is typed differs from the record (or the record was never saved)."""
        r = self.record
        try:
            typed = self.fields()
        except ValidationError:
            return True
        saved = ScreeningFields(
            answers=tuple(ItemAnswer(a.key, a.answer, a.note) for a in r.answers),
            weight_kg=r.weight_kg,
            baseline_systolic=r.baseline_systolic,
            baseline_diastolic=r.baseline_diastolic,
            medications=r.medications,
            consent_date=r.consent_date,
            consent_version=r.consent_version,
            fasting_acknowledged=r.fasting_acknowledged,
            ride_home_arranged=r.ride_home_arranged,
        )
        return not r.exists or typed != saved

    def _save_if_unsaved(self) -> bool:
        """Save typed changes first, so a review or acknowledgement is about what is shown."""
        return not self._unsaved() or self._save_in_place()

    def save(self) -> ScreeningRecord:
        record = self.services.screening.save(self.client_id, self.fields())
        self._show_record(record)
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
        if not self._save_if_unsaved():
            return None
        if self.record.state.cleared:
            return None
        if not self.record.state.can_be_overridden:
            self.general.setText(
                self.tr(
                    "Nothing on the checklist blocks a dose, so there is nothing to override. "
                    "What needs review is settled by a prescriber's review: Record review."
                )
            )
            self.general.setVisible(True)
            return None
        dialog = OverrideDialog(self.services, self.client_id, self)
        self._open_child(dialog)
        return dialog

    def record_review(self) -> ReviewDialog | None:
        """Save what is typed, then ask the prescriber's name and reason and record the review."""
        if not self._save_if_unsaved():
            return None
        if not self.record.reasons:
            self.general.setText(self.tr("Nothing in the screening needs a review now."))
            self.general.setVisible(True)
            return None
        dialog = ReviewDialog(self.services, self.record, self)
        self._open_child(dialog)
        return dialog

    def acknowledge(self, label: str) -> AcknowledgeDialog | None:
        """Save what is typed, then ask the prescriber's name and acknowledge one medication."""
        if not self._save_if_unsaved():
            return None
        if label not in self.record.interactions:
            return None
        dialog = AcknowledgeDialog(self.services, self.client_id, label, self)
        self._open_child(dialog)
        return dialog

    def _open_child(self, dialog: ValidatingDialog) -> None:
        """Open a recording dialog over this one; it goes when closed (one per press)."""
        dialog.accepted.connect(self._on_recorded)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_recorded(self) -> None:
        self._show_record(self.services.screening.get(self.client_id))

    def withdraw_override(self) -> None:
        self.general.setVisible(False)
        try:
            record = self.services.screening.withdraw_override(self.client_id)
        except ConsoleError as exc:
            self.general.setText(exc.message)
            self.general.setVisible(True)
            return
        self._show_record(record)


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


def _prescriber(dialog: ValidatingDialog, form: QFormLayout, services: Services) -> QLineEdit:
    """The prescriber's name, prefilled with the signed-in clinician (who may not be the one)."""
    edit = named(QLineEdit(), "Prescriber", "The prescriber's name, as it goes in the record")
    edit.setText(services.vault.actor)
    dialog.errors.add_row(form, dialog.tr("&Prescriber *"), "Prescriber", edit)
    return edit


class ReviewDialog(ValidatingDialog):
    """The prescriber's review of what stands now: it covers these reasons and no later one."""

    def __init__(
        self, services: Services, record: ScreeningRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Record review"), parent)
        self.services = services
        self.client_id = record.client_id
        host = QWidget()
        form = QFormLayout(host)
        explain = named(QLabel(), "Reasons reviewed")
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.PlainText)
        explain.setText(
            self.tr("The prescriber has reviewed:")
            + "".join(f"\n• {r.message}" for r in record.reasons)
            + "\n"
            + self.tr(
                "The name, the time and the reason are kept in the record and the audit "
                "trail. A reason that appears later needs a new review."
            )
        )
        form.addRow(explain)
        self.prescriber = _prescriber(self, form, services)
        self.reason = self.errors.add_row(
            form, self.tr("&Reason *"), "Review reason", multiline("Review reason", 96)
        )
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Record review"))
        self.finish_layout(host)
        self.resize(560, 340)
        self.reason.setFocus()

    def save(self) -> ScreeningRecord:
        return self.services.screening.record_review(
            self.client_id, self.prescriber.text(), self.reason.toPlainText()
        )


class AcknowledgeDialog(ValidatingDialog):
    """The prescriber acknowledges one interacting medication by name."""

    def __init__(
        self, services: Services, client_id: uuid.UUID, label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Acknowledge interaction"), parent)
        self.services = services
        self.client_id = client_id
        self.medication = label
        host = QWidget()
        form = QFormLayout(host)
        explain = QLabel(
            self.tr(
                "%1 interacts with ketamine. The prescriber acknowledges it; the name and the "
                "time are kept in the record and the audit trail."
            ).replace("%1", label)
        )
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(explain)
        self.prescriber = _prescriber(self, form, services)
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Acknowledge"))
        self.finish_layout(host)
        self.resize(520, 200)

    def save(self) -> ScreeningRecord:
        return self.services.screening.acknowledge_interaction(
            self.client_id, self.medication, self.prescriber.text()
        )
