"""Settings: automatic lock, keys, theme, backups, letterhead, note and PDF defaults, keychain."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.clinical import medicine as m
from console.clinical.medicine_safety import format_bp_points, parse_bp_points
from console.clinical.note_templates import TEMPLATES
from console.config import Settings, medicine_policy
from console.errors import ConsoleError, ValidationError
from console.remote import broker_account
from console.remote.share import BrokerAddress
from console.services.bundle import Services
from console.services.clinician import ClinicianFields, ClinicianRecord
from console.vault import Vault, keychain
from ui.clients.dialogs import ValidatingDialog, multiline
from ui.security_dialogs import ChangePassphraseDialog, NewRecoveryCodeDialog, RotateKeysDialog
from ui.widgets import named


class SettingsDialog(ValidatingDialog):
    def __init__(
        self, services: Services, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Settings"), parent)
        self.services = services
        self.settings = settings
        host = QWidget()
        layout = QVBoxLayout(host)
        for group in (
            self._security_group(services, settings),
            self._appearance_group(settings),
            self._backups_group(services, settings),
            self._records_group(settings),
            self._medicine_group(settings),
            self._remote_group(settings),
            self._letterhead_group(services),
        ):
            layout.addWidget(group)
        self.finish_layout(host)
        self.resize(max(600, host.sizeHint().width() + 48), 680)  # no sideways scrolling

    def _security_group(self, services: Services, settings: Settings) -> QGroupBox:
        security = QGroupBox(self.tr("Security"))
        form = QFormLayout(security)
        self.idle = named(QSpinBox(), "Lock after idle minutes")
        self.idle.setRange(1, 240)
        self.idle.setSuffix(self.tr(" min"))
        self.idle.setValue(settings.get("idle_timeout_min"))
        self.errors.add_row(form, self.tr("Lock after &idle"), "idle_timeout_min", self.idle)
        available, reason = keychain.availability()
        self.remember = named(
            QCheckBox(self.tr("Remember the vault on this computer (OS keychain)")),
            "Remember on this computer",
        )
        self.remember.setChecked(services.vault.keychain_enabled)
        self.remember.setEnabled(available or services.vault.keychain_enabled)
        form.addRow("", self.remember)
        if not available:
            note = QLabel(self.tr("Keychain not available: ") + reason)
            note.setWordWrap(True)
            form.addRow("", note)
        keys = QHBoxLayout()
        for label, name, opens in (
            (self.tr("Change &passphrase…"), "Change passphrase", ChangePassphraseDialog),
            (self.tr("New reco&very code…"), "New recovery code", NewRecoveryCodeDialog),
            (self.tr("Replace every &key…"), "Replace every key", RotateKeysDialog),
        ):
            button = named(QPushButton(label), name)
            button.clicked.connect(lambda _checked=False, o=opens: self._open_security(o))
            keys.addWidget(button)
        keys_row = QWidget()
        keys.setContentsMargins(0, 0, 0, 0)
        keys_row.setLayout(keys)
        form.addRow(self.tr("Keys"), keys_row)
        return security

    def _appearance_group(self, settings: Settings) -> QGroupBox:
        appearance = QGroupBox(self.tr("Appearance"))
        form = QFormLayout(appearance)
        self.theme = named(
            QComboBox(), "Theme", "Colours of every window, the unlock window included"
        )
        for label, value in (
            (self.tr("System (follow the computer)"), "system"),
            (self.tr("Light"), "light"),
            (self.tr("Dark"), "dark"),
        ):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.get("theme"))))
        form.addRow(self.tr("T&heme"), self.theme)
        return appearance

    def _backups_group(self, services: Services, settings: Settings) -> QGroupBox:
        backups = QGroupBox(self.tr("Backups"))
        form = QFormLayout(backups)
        row = QHBoxLayout()
        self.backup_dir = named(QLineEdit(settings.get("backup_dir")), "Backup folder")
        self.backup_dir.setPlaceholderText(str(services.vault.backup_dir))
        browse = named(QPushButton(self.tr("&Browse…")), "Choose backup folder")
        browse.clicked.connect(self._on_browse_clicked)
        row.addWidget(self.backup_dir, 1)
        row.addWidget(browse)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.errors.add_row(form, self.tr("&Folder"), "backup_dir", holder)
        self.interval = named(QSpinBox(), "Hours between backups")
        self.interval.setRange(1, 24 * 30)
        self.interval.setSuffix(self.tr(" h"))
        self.interval.setValue(settings.get("backup_interval_hours"))
        self.errors.add_row(form, self.tr("&Every"), "backup_interval_hours", self.interval)
        self.keep = named(QSpinBox(), "Backups to keep")
        self.keep.setRange(1, 500)
        self.keep.setValue(settings.get("backup_keep"))
        self.errors.add_row(form, self.tr("&Keep"), "backup_keep", self.keep)
        return backups

    def _records_group(self, settings: Settings) -> QGroupBox:
        records = QGroupBox(self.tr("Notes and PDFs"))
        form = QFormLayout(records)
        self.template = named(QComboBox(), "Default note template")
        for kind, tpl in TEMPLATES.items():
            self.template.addItem(tpl.label, kind.value)
        self.template.setCurrentIndex(
            max(0, self.template.findData(settings.get("default_note_template")))
        )
        form.addRow(self.tr("Default &template"), self.template)
        self.pdf_password = named(
            QCheckBox(self.tr("Offer a password for every PDF export")), "PDF password default"
        )
        self.pdf_password.setChecked(settings.get("pdf_password_default"))
        form.addRow("", self.pdf_password)
        return records

    def _letterhead_group(self, services: Services) -> QGroupBox:
        letterhead = QGroupBox(self.tr("Letterhead (your profile)"))
        form = QFormLayout(letterhead)
        profile = services.clinician.get()
        self.name = self.errors.add_row(
            form, self.tr("&Name *"), "name", named(QLineEdit(profile.name), "Clinician name")
        )
        self.credentials = self.errors.add_row(
            form,
            self.tr("&Credentials"),
            "credentials",
            named(QLineEdit(profile.credentials), "Credentials"),
        )
        self.licence = self.errors.add_row(
            form,
            self.tr("&Licence number"),
            "licence_number",
            named(QLineEdit(profile.licence_number), "Licence number"),
        )
        self.clinic = self.errors.add_row(
            form,
            self.tr("Clinic na&me"),
            "clinic_name",
            named(QLineEdit(profile.clinic_name), "Clinic name"),
        )
        self.address = self.errors.add_row(
            form, self.tr("Clinic &address"), "clinic_address", multiline("Clinic address", 56)
        )
        self.address.setPlainText(profile.clinic_address)
        self.phone = self.errors.add_row(
            form,
            self.tr("Clinic &phone"),
            "clinic_phone",
            named(QLineEdit(profile.clinic_phone), "Clinic phone"),
        )
        return letterhead

    def _open_security(self, dialog: Callable[[Vault, QWidget], QDialog]) -> None:
        dialog(self.services.vault, self).exec()

    def _medicine_group(self, settings: Settings) -> QGroupBox:
        """The vitals reminder schedule and the flag thresholds (a clinic setting)."""
        group = QGroupBox(self.tr("Medicine sessions"))
        form = QFormLayout(group)
        self.vitals_schedule = named(QLineEdit(settings.get("vitals_schedule")), "Vitals schedule")
        self.vitals_schedule.setPlaceholderText(m.format_schedule(m.DEFAULT_SCHEDULE))
        self.vitals_schedule.setToolTip(
            self.tr("Minutes after the dose at which a reading is due, e.g. 0, 15, 30")
        )
        self.errors.add_row(
            form, self.tr("Vitals &schedule (min)"), "vitals_schedule", self.vitals_schedule
        )
        self.bp_points = named(
            QLineEdit(settings.get("blood_pressure_points")), "Required blood pressures"
        )
        self.bp_points.setToolTip(
            self.tr("pre (before dosing), minutes after the dose, end (before discharge)")
        )
        self.errors.add_row(
            form, self.tr("Required &blood pressures"), "blood_pressure_points", self.bp_points
        )
        self.observation = named(QSpinBox(), "Least observation after the last dose")
        self.observation.setRange(0, 8 * 60)
        self.observation.setSingleStep(15)
        self.observation.setSuffix(self.tr(" min"))
        self.observation.setValue(settings.get("discharge_min_observation_min"))
        self.errors.add_row(
            form,
            self.tr("Least &observation after the last dose"),
            "discharge_min_observation_min",
            self.observation,
        )
        self.consent_months = named(QSpinBox(), "Consent valid for")
        self.consent_months.setRange(1, 120)
        self.consent_months.setSuffix(self.tr(" months"))
        self.consent_months.setValue(settings.get("consent_valid_months"))
        self.errors.add_row(
            form, self.tr("Consent &valid for"), "consent_valid_months", self.consent_months
        )
        self.safety_plan = named(
            QLineEdit(settings.get("safety_plan_document")),
            "Safety-plan document",
            "A file or web address, offered when PHQ-9 item 9 is answered above 0",
        )
        self.safety_plan.setPlaceholderText(self.tr("a file path or https:// address"))
        self.errors.add_row(
            form, self.tr("Safety-plan &document"), "safety_plan_document", self.safety_plan
        )
        current = m.thresholds_from_json(settings.get("vitals_thresholds"))
        self.thresholds: dict[str, QSpinBox] = {}
        for f in fields(m.Thresholds):
            lo, hi = m.VITAL_RANGES[m.THRESHOLD_VITAL[f.name]]
            label = _THRESHOLD_LABELS[f.name]
            spin = named(QSpinBox(), label)
            spin.setRange(int(lo), int(hi))
            spin.setValue(round(getattr(current, f.name)))
            spin.setSuffix(" " + m.VITAL_UNITS[m.THRESHOLD_VITAL[f.name]])
            self.errors.add_row(form, label, f.name, spin)
            self.thresholds[f.name] = spin
        return group

    def _remote_group(self, settings: Settings) -> QGroupBox:
        """Where the pacer's links to a client's own device go, and how long they may last."""
        group = QGroupBox(self.tr("Client's own device"))
        form = QFormLayout(group)
        self.broker = named(
            QLineEdit(settings.get("remote_broker")),
            "Broker address",
            "The clinic's message broker that carries the pacer to a client's device",
        )
        self.broker.setPlaceholderText(self.tr("wss://broker.example.org:8081 (empty: off)"))
        self.errors.add_row(form, self.tr("B&roker"), "remote_broker", self.broker)
        self.broker_user = named(
            QLineEdit(settings.get("remote_broker_user")),
            "Broker account",
            "The console's own account on the broker, so only it may write a link's messages",
        )
        self.broker_user.setPlaceholderText(self.tr("empty: none"))
        self.errors.add_row(form, self.tr("A&ccount"), "remote_broker_user", self.broker_user)
        self.broker_password = named(QLineEdit(), "Broker password")
        self.broker_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.broker_password.setPlaceholderText(self.tr("kept in this computer's keychain"))
        self.errors.add_row(form, self.tr("Pass&word"), "broker_password", self.broker_password)
        self.link_hours = named(QSpinBox(), "Link lasts at most")
        self.link_hours.setRange(1, 24)
        self.link_hours.setSuffix(self.tr(" h"))
        self.link_hours.setValue(settings.get("remote_link_max_hours"))
        self.errors.add_row(
            form, self.tr("Link lasts at &most"), "remote_link_max_hours", self.link_hours
        )
        self.picture_delay = named(QSpinBox(), "Client's picture delay")
        self.picture_delay.setRange(-1, 250)
        self.picture_delay.setSuffix(self.tr(" ms"))
        self.picture_delay.setSpecialValueText(self.tr("one refresh (automatic)"))
        self.picture_delay.setToolTip(
            self.tr(
                "Leave automatic unless this device's picture delay has been measured: "
                "the client's page draws each frame for the moment it will be seen"
            )
        )
        self.picture_delay.setValue(settings.get("remote_picture_delay_ms"))
        self.errors.add_row(
            form,
            self.tr("Client's picture dela&y"),
            "remote_picture_delay_ms",
            self.picture_delay,
        )
        return group

    def _save_broker_account(self) -> str:
        """The account's name for the settings; a typed password goes to the keychain."""
        user = broker_account.check_name(self.broker_user.text())
        password = self.broker_password.text()
        if password and not user:
            raise ValidationError("broker_password", "goes with an account name")
        if password:
            try:
                broker_account.store_password(user, password)
            except ConsoleError as exc:
                raise ValidationError("broker_password", exc.message) from exc
        return user

    def _broker_value(self) -> str:
        text = self.broker.text().strip()
        if text:
            try:
                BrokerAddress.parse(text)
            except ValidationError as exc:
                raise ValidationError("remote_broker", exc.reason) from exc
        return text

    def _medicine_values(self) -> tuple[str, str]:
        """The schedule and thresholds as stored; a ValidationError names the field."""
        try:
            schedule = m.format_schedule(m.parse_schedule(self.vitals_schedule.text()))
        except ValidationError as exc:
            raise ValidationError("vitals_schedule", exc.reason) from exc
        values = {name: spin.value() for name, spin in self.thresholds.items()}
        m.Thresholds(**values)  # raises with the field's name, shown beside its box
        changed = {k: v for k, v in values.items() if v != getattr(m.DEFAULT_THRESHOLDS, k)}
        return schedule, json.dumps(changed, sort_keys=True) if changed else ""

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Backup folder"), self.backup_dir.text() or str(Path.home())
        )
        if folder:
            self.backup_dir.setText(folder)

    def save(self) -> ClinicianRecord:
        schedule, thresholds = self._medicine_values()
        broker = self._broker_value()
        broker_user = self._save_broker_account()
        try:
            points = format_bp_points(parse_bp_points(self.bp_points.text()))
        except ValidationError as exc:
            raise ValidationError("blood_pressure_points", exc.reason) from exc
        safety_plan = self.safety_plan.text().strip()
        if "\n" in safety_plan:
            raise ValidationError("safety_plan_document", "must be on one line")
        folder = self.backup_dir.text().strip()
        if folder and not Path(folder).is_absolute():
            raise ValidationError("backup_dir", "choose a full folder path")
        profile = self.services.clinician.update(
            ClinicianFields(
                name=self.name.text(),
                credentials=self.credentials.text(),
                licence_number=self.licence.text(),
                clinic_name=self.clinic.text(),
                clinic_address=self.address.toPlainText(),
                clinic_phone=self.phone.text(),
            )
        )
        self.settings.set("idle_timeout_min", self.idle.value())
        self.settings.set("backup_dir", folder)
        self.settings.set("backup_interval_hours", self.interval.value())
        self.settings.set("backup_keep", self.keep.value())
        self.settings.set("default_note_template", self.template.currentData())
        self.settings.set("pdf_password_default", self.pdf_password.isChecked())
        self.settings.set("theme", self.theme.currentData())
        self.settings.set("vitals_schedule", schedule)
        self.settings.set("vitals_thresholds", thresholds)
        self.settings.set("blood_pressure_points", points)
        self.settings.set("discharge_min_observation_min", self.observation.value())
        self.settings.set("consent_valid_months", self.consent_months.value())
        self.settings.set("safety_plan_document", safety_plan)
        self.settings.set("remote_broker", broker)
        self.settings.set("remote_broker_user", broker_user)
        self.settings.set("remote_link_max_hours", self.link_hours.value())
        self.settings.set("remote_picture_delay_ms", self.picture_delay.value())
        self.services.use_medicine_policy(medicine_policy(self.settings))
        vault = self.services.vault
        try:
            if self.remember.isChecked() and not vault.keychain_enabled:
                vault.enable_keychain()
            elif not self.remember.isChecked() and vault.keychain_enabled:
                vault.disable_keychain()
        except ConsoleError as exc:
            raise ValidationError("keychain", exc.message) from exc
        return profile


_THRESHOLD_LABELS: dict[str, str] = {
    "hold_systolic": "Hold dose: systolic ≥",
    "hold_diastolic": "Hold dose: diastolic ≥",
    "alert_systolic_high": "Alert after dose: systolic ≥",
    "alert_diastolic_high": "Alert after dose: diastolic ≥",
    "alert_systolic_low": "Alert: systolic ≤",
    "alert_heart_rate_high": "Alert: heart rate ≥",
    "alert_heart_rate_low": "Alert: heart rate ≤",
    "alert_spo2_low": "Alert: SpO2 ≤",
    "alert_respiratory_rate_low": "Alert: respiratory rate ≤",
    "alert_respiratory_rate_high": "Alert: respiratory rate ≥",
}
