"""During the session: the dissociation total (no item wording), the client's state, notes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from console.clinical import medicine as m
from console.errors import ValidationError
from ui.medicine.common import row
from ui.optional_number import OptionalNumber, with_clear_button
from ui.widgets import FieldErrors, named


def plain_text(name: str, hint: str) -> QPlainTextEdit:
    edit = named(QPlainTextEdit(), name)
    edit.setPlaceholderText(hint)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(70)
    return edit


class ObservationsForm(QGroupBox):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("During the session"), parent)
        self.errors = FieldErrors()
        form = QFormLayout(self)
        e = self.errors
        self.scale = named(QComboBox(), "Dissociation scale")
        self.scale.setMinimumContentsLength(12)
        self.scale.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        for scale in m.DISSOCIATION_SCALES:
            self.scale.addItem(f"{scale.short} — {scale.name}", scale.key)
        row(e, form, self.tr("Dissociation"), "Dissociation scale", self.scale)
        self.total = OptionalNumber("Dissociation total", 0, 0)
        row(e, form, self.tr("&Total"), "Dissociation total", with_clear_button(self.total))
        self.range = named(QLabel(), "Dissociation range")
        self.range.setWordWrap(True)
        self.range.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form.addRow("", self.range)
        self.client_state = row(
            e,
            form,
            self.tr("Client's st&ate"),
            "Client's state",
            plain_text(
                "Client's state", self.tr("How the client seems: calm, tearful, talkative…")
            ),
        )
        self.notes = row(
            e,
            form,
            self.tr("N&otes"),
            "Notes",
            plain_text("Session notes", self.tr("What happened during the session")),
        )
        self._scale_key = self.scale.currentData()
        self.scale.currentIndexChanged.connect(self._on_scale_changed)
        self.total.valueChanged.connect(lambda _v: self.edited.emit())
        self.client_state.textChanged.connect(self.edited)
        self.notes.textChanged.connect(self.edited)
        self._on_scale_changed()

    def _scale(self) -> m.DissociationScale:
        key = self.scale.currentData()
        return next(s for s in m.DISSOCIATION_SCALES if s.key == key)

    def _on_scale_changed(self) -> None:
        scale = self._scale()
        total = self.total_value()
        if total is not None and not scale.lo <= total <= scale.hi:
            # The total would be clipped to the new range without anyone choosing it.
            self.scale.blockSignals(True)
            self.scale.setCurrentIndex(self.scale.findData(self._scale_key))
            self.scale.blockSignals(False)
            self.errors.show(
                ValidationError(
                    "Dissociation scale",
                    f"the total {total} is outside {scale.short}'s range "
                    f"({scale.lo}–{scale.hi}): change or clear the total first",
                )
            )
            return
        self._scale_key = scale.key
        self.total.set_range(scale.lo, scale.hi)
        self.range.setText(
            self.tr("%1: total %2–%3 (%4 items rated 0–4; total only, entered by the clinician)")
            .replace("%1", scale.short)
            .replace("%2", str(scale.lo))
            .replace("%3", str(scale.hi))
            .replace("%4", str(scale.items))
        )
        self.edited.emit()

    def total_value(self) -> int | None:
        total = self.total.number()
        return None if total is None else round(total)

    def set_values(self, scale: str, total: int | None, state: str, notes: str) -> None:
        self.total.set_number(None)
        self.scale.setCurrentIndex(max(0, self.scale.findData(scale)))
        self._on_scale_changed()
        self.total.set_number(total)
        self.client_state.setPlainText(state)
        self.notes.setPlainText(notes)
