"""The discharge check: alert, vitals in range, escort, time; what still stands in the way."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QWidget

from console.clinical import medicine as m
from ui.medicine.common import Clock, TimeField, row
from ui.widgets import FieldErrors, named


class DischargeForm(QGroupBox):
    edited = Signal()

    def __init__(self, now: Clock, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Discharge"), parent)
        self.errors = FieldErrors()
        form = QFormLayout(self)
        self.alert = named(QCheckBox(self.tr("&Alert and oriented")), "Alert and oriented")
        self.vitals_ok = named(
            QCheckBox(self.tr("&Vital signs back in range")), "Vital signs back in range"
        )
        self.escort = named(QCheckBox(self.tr("&Escort present")), "Escort present")
        for box in (self.alert, self.vitals_ok, self.escort):
            form.addRow("", box)
            box.toggled.connect(self._on_changed)
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
        self._show_problems()

    def _on_changed(self) -> None:
        self._show_problems()
        self.edited.emit()

    def problem_list(self) -> tuple[str, ...]:
        return m.discharge_problems(
            self.alert.isChecked(), self.vitals_ok.isChecked(), self.escort.isChecked()
        )

    def _show_problems(self) -> None:
        problems = self.problem_list()
        if problems:
            self.problems.setText(self.tr("Not ready: ") + "; ".join(problems) + ".")
            self.problems.setStyleSheet("font-weight: bold;")
        else:
            self.problems.setText(self.tr("✔ Ready for discharge."))
            self.problems.setStyleSheet("")

    def set_values(self, alert: bool, vitals_ok: bool, escort: bool) -> None:
        for box, value in ((self.alert, alert), (self.vitals_ok, vitals_ok), (self.escort, escort)):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)
        self._show_problems()
