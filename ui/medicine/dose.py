"""The dose: route (with its usual dose as a hint), mg and mg/kg, lot, times, who gave it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from console.clinical import medicine as m
from console.errors import ValidationError
from ui.medicine.common import Clock, TimeField, row
from ui.widgets import FieldErrors, named

UNKNOWN_MG_PER_KG = "unknown — no weight on the screening"


def dose_spin(name: str) -> QDoubleSpinBox:
    """mg, 0 shown as "not recorded" (None): a missing dose never reads as 0 mg."""
    spin = named(QDoubleSpinBox(), name)
    spin.setRange(0, m.MAX_DOSE_MG)
    spin.setDecimals(1)
    spin.setSingleStep(25)
    spin.setSuffix(" mg")
    spin.setSpecialValueText("not recorded")
    spin.setKeyboardTracking(True)
    return spin


def spin_value(spin: QDoubleSpinBox) -> float | None:
    return None if spin.value() == spin.minimum() else spin.value()


def format_mg_per_kg(dose: float | None, weight: float | None) -> str:
    if dose is None:
        return "—"
    if weight is None:
        return UNKNOWN_MG_PER_KG
    try:
        value = m.mg_per_kg(dose, weight)
    except ValidationError:
        return UNKNOWN_MG_PER_KG
    return f"{value:.2f} mg/kg (weight {weight:g} kg)"


class DoseForm(QGroupBox):
    edited = Signal()

    def __init__(self, now: Clock, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Dose"), parent)
        self.weight_kg: float | None = None
        self.errors = FieldErrors()
        form = QFormLayout(self)
        e = self.errors
        self.route = named(QComboBox(), "Route")
        for item in m.ROUTES:
            self.route.addItem(item.label, item.key)
        row(e, form, self.tr("&Route"), "Route", self.route)
        self.route_hint = named(QLabel(), "Route hint")
        self.route_hint.setWordWrap(True)
        self.route_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form.addRow("", self.route_hint)
        self.dose = row(e, form, self.tr("&Dose"), "Dose", dose_spin("Dose"))
        self.mg_per_kg = named(QLabel("—"), "Dose per kg")
        self.mg_per_kg.setWordWrap(True)
        form.addRow(self.tr("mg/kg"), self.mg_per_kg)
        self.lot = row(
            e, form, self.tr("&Lot number"), "Lot number", named(QLineEdit(), "Lot number")
        )
        self.given_at = row(
            e,
            form,
            self.tr("&Time given"),
            "Time given",
            TimeField("Time given", self.tr("Given"), now),
        )
        self.given_by = row(
            e, form, self.tr("Given &by"), "Given by", named(QLineEdit(), "Given by")
        )
        self.monitored_by = row(
            e, form, self.tr("&Monitored by"), "Monitored by", named(QLineEdit(), "Monitored by")
        )
        self.second_dose = row(
            e, form, self.tr("&Second dose"), "Second dose", dose_spin("Second dose")
        )
        self.second_mg_per_kg = named(QLabel("—"), "Second dose per kg")
        self.second_mg_per_kg.setWordWrap(True)
        form.addRow(self.tr("mg/kg"), self.second_mg_per_kg)
        self.second_at = row(
            e,
            form,
            self.tr("2nd dose &at"),
            "Second dose time",
            TimeField("Second dose time", self.tr("Given"), now),
        )
        self.route.currentIndexChanged.connect(self._on_route_changed)
        self.dose.valueChanged.connect(self._on_dose_changed)
        self.second_dose.valueChanged.connect(self._on_dose_changed)
        for line in (self.lot, self.given_by, self.monitored_by):
            line.textEdited.connect(lambda _t: self.edited.emit())
        self.given_at.changed.connect(self.edited)
        self.second_at.changed.connect(self.edited)
        self._on_route_changed()

    def _on_route_changed(self) -> None:
        hint = m.ROUTE_HINTS.get(self.route.currentData(), "")
        self.route_hint.setText(hint)
        self.route_hint.setVisible(bool(hint))
        self.edited.emit()

    def _on_dose_changed(self) -> None:
        self.show_mg_per_kg()
        self.edited.emit()

    def set_weight(self, weight_kg: float | None) -> None:
        self.weight_kg = weight_kg
        self.show_mg_per_kg()

    def show_mg_per_kg(self) -> None:
        self.mg_per_kg.setText(format_mg_per_kg(spin_value(self.dose), self.weight_kg))
        self.second_mg_per_kg.setText(
            format_mg_per_kg(spin_value(self.second_dose), self.weight_kg)
        )
