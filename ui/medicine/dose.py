"""The dose: medicine, form, route (its usual dose as a hint), mg, mg/kg, lot, times, who."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from console.clinical import medicine as m
from console.clinical import medicine_safety as safety
from console.errors import ValidationError
from ui.medicine.common import Clock, TimeField, row
from ui.optional_number import OptionalNumber, with_clear_button
from ui.widgets import FieldErrors, named

UNKNOWN_MG_PER_KG = "unknown — no weight on the screening"


def dose_spin(name: str) -> OptionalNumber:
    """mg in 25 mg steps, or "not recorded" (shown at 0): a missing dose never reads as 0 mg."""
    return OptionalNumber(name, 0.1, m.MAX_DOSE_MG, decimals=1, step=25, suffix=" mg")


def spin_value(spin: OptionalNumber) -> float | None:
    return spin.number()


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
        self._build_medicine(form)
        self._build_first_dose(form, now)
        self._build_second_dose(form, now)
        self._connect()
        self._on_route_changed()

    def _build_medicine(self, form: QFormLayout) -> None:
        """The route's usual dose sits beneath it as a hint, hidden while the route has none."""
        e = self.errors
        self.medicine = named(QComboBox(), "Medicine")
        for item in safety.MEDICINES:
            self.medicine.addItem(item.label, item.key)
        row(e, form, self.tr("M&edicine"), "Medicine", self.medicine)
        self.form = named(QComboBox(), "Form")
        self.form.addItem(self.tr("not recorded"), "")
        for item in safety.FORMS:
            self.form.addItem(item.label, item.key)
        row(e, form, self.tr("&Form"), "Form", self.form)
        self.route = named(QComboBox(), "Route")
        for item in m.ROUTES:
            self.route.addItem(item.label, item.key)
        row(e, form, self.tr("&Route"), "Route", self.route)
        self.route_hint = named(QLabel(), "Route hint")
        self.route_hint.setWordWrap(True)
        self.route_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form.addRow("", self.route_hint)

    def _build_first_dose(self, form: QFormLayout, now: Clock) -> None:
        """Who gave and who monitored sit beside the dose they answer for."""
        e = self.errors
        self.dose = dose_spin("Dose")
        row(e, form, self.tr("&Dose"), "Dose", with_clear_button(self.dose))
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

    def _build_second_dose(self, form: QFormLayout, now: Clock) -> None:
        e = self.errors
        self.second_dose = dose_spin("Second dose")
        row(e, form, self.tr("&Second dose"), "Second dose", with_clear_button(self.second_dose))
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

    def _connect(self) -> None:
        """Every change counts as an edit, so the view's autosave hears of it."""
        self.route.currentIndexChanged.connect(self._on_route_changed)
        self.medicine.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.form.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.dose.valueChanged.connect(self._on_dose_changed)
        self.second_dose.valueChanged.connect(self._on_dose_changed)
        for line in (self.lot, self.given_by, self.monitored_by):
            line.textEdited.connect(lambda _t: self.edited.emit())
        self.given_at.changed.connect(self.edited)
        self.second_at.changed.connect(self.edited)

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
