"""The discharge check: alert, vitals in range, escort, time; when the client may leave.

Readiness (observation time, latest vitals, required blood pressures, these
checks) is the service's rule; the form shows it live and asks for the reason
when a discharge comes before the client is ready.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from console.clinical.medicine_safety import Readiness
from ui.dates import show_time
from ui.medicine.common import Clock, TimeField, row
from ui.widgets import FieldErrors, named


class DischargeForm(QGroupBox):
    edited = Signal()

    def __init__(self, now: Clock, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Discharge"), parent)
        self.errors = FieldErrors()
        form = QFormLayout(self)
        self.ready_at = named(QLabel("—"), "Ready to leave at")
        form.addRow(self.tr("Ready to leave at"), self.ready_at)
        self.alert = named(QCheckBox(self.tr("&Alert and oriented")), "Alert and oriented")
        self.vitals_ok = named(
            QCheckBox(self.tr("&Vital signs back in range")), "Vital signs back in range"
        )
        self.escort = named(QCheckBox(self.tr("&Escort present")), "Escort present")
        for box in (self.alert, self.vitals_ok, self.escort):
            form.addRow("", box)
            box.toggled.connect(self.edited)
        self.discharged_at = row(
            self.errors,
            form,
            self.tr("Time of dis&charge"),
            "Discharge time",
            TimeField("Discharge time", self.tr("Discharged"), now),
        )
        self.discharged_at.changed.connect(self.edited)
        self.problems = named(QLabel(), "Discharge readiness")
        self.problems.setWordWrap(True)
        form.addRow(self.problems)
        self.early_reason = row(
            self.errors,
            form,
            self.tr("Reason to discharge &early"),
            "Early discharge reason",
            named(
                QLineEdit(),
                "Early discharge reason",
                "Needed only to discharge before the client is ready; printed on the record",
            ),
        )
        self.early_reason.textEdited.connect(lambda _t: self.edited.emit())
        self.show_readiness(Readiness(None, ()))

    def show_readiness(self, readiness: Readiness) -> None:
        self.ready_at.setText("—" if readiness.ready_at is None else show_time(readiness.ready_at))
        if readiness.problems:
            self.problems.setText(self.tr("Not ready: ") + "; ".join(readiness.problems) + ".")
            self.problems.setStyleSheet("font-weight: bold;")
        else:
            self.problems.setText(self.tr("✔ Ready for discharge."))
            self.problems.setStyleSheet("")

    def set_values(self, alert: bool, vitals_ok: bool, escort: bool) -> None:
        for box, value in ((self.alert, alert), (self.vitals_ok, vitals_ok), (self.escort, escort)):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)
