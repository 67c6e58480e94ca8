"""A number that may be "not recorded", which only the user's explicit choice makes it.

A spin box with a special value at its minimum steps into it like any other
value: arrow presses or wheel notches below the lowest dose turned a recorded
48 mg into "not recorded", and the autosave kept that. Here stepping stops at
the lowest real value; "not recorded" comes only from the clear button beside
the box or from deleting the text. Typing a number works as in any spin box.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QHBoxLayout, QToolButton, QWidget

from ui.widgets import named


class OptionalNumber(QDoubleSpinBox):
    """Values from `lowest` to `highest`; one unit below `lowest` means "not recorded"."""

    def __init__(
        self,
        name: str,
        lowest: float,
        highest: float,
        *,
        decimals: int = 0,
        step: float = 1,
        suffix: str = "",
        empty_text: str = "",
    ) -> None:
        super().__init__()
        named(self, name)
        self.setDecimals(decimals)
        self.setSingleStep(step)
        self.setSuffix(suffix)
        self.setSpecialValueText(
            empty_text or QCoreApplication.translate("OptionalNumber", "not recorded")
        )
        self.setKeyboardTracking(True)
        self.set_range(lowest, highest)
        self.setValue(self.minimum())

    def _unit(self) -> float:
        return 10.0 ** -self.decimals()

    def lowest(self) -> float:
        return self.minimum() + self._unit()

    def set_range(self, lowest: float, highest: float) -> None:
        self.setRange(lowest - self._unit(), highest)

    def number(self) -> float | None:
        return None if self.value() == self.minimum() else self.value()

    def set_number(self, value: float | None) -> None:
        self.setValue(self.minimum() if value is None else value)

    def _blank(self, text: str) -> bool:
        """Nothing left but the suffix: the user deleted the number."""
        return not text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if self._blank(text):
            return QValidator.State.Acceptable, text, pos
        state, text, pos = super().validate(text, pos)
        if (
            state == QValidator.State.Acceptable
            and text != self.specialValueText()
            and self.valueFromText(text) < self.lowest()
        ):
            state = QValidator.State.Intermediate  # a typed 0 is not a way to "not recorded"
        return state, text, pos

    def valueFromText(self, text: str) -> float:
        return self.minimum() if self._blank(text) else super().valueFromText(text)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        enabled = super().stepEnabled()
        if self.value() - self.singleStep() < self.lowest():
            enabled &= ~QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return enabled

    def stepBy(self, steps: int) -> None:
        """A step that would pass the lowest real value is not taken: the number stays as
        it is rather than becoming "not recorded" or a value nobody chose (0.1 mg)."""
        if steps < 0 and self.value() + steps * self.singleStep() < self.lowest():
            self.selectAll()
            return
        super().stepBy(steps)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.number() is None and event.text().isdigit():
            self.selectAll()  # a digit typed over "not recorded" replaces it
        super().keyPressEvent(event)


def with_clear_button(box: OptionalNumber) -> QWidget:
    """The box with a "Clear" button after it: the one click that makes it "not recorded"."""
    host = QWidget()
    row = QHBoxLayout(host)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    clear = named(
        QToolButton(),
        f"Clear {box.accessibleName()}",
        QCoreApplication.translate("OptionalNumber", "Set to “%1”").replace(
            "%1", box.specialValueText()
        ),
    )
    clear.setText(QCoreApplication.translate("OptionalNumber", "Clear"))
    row.addWidget(box, 1)
    row.addWidget(clear)
    host.setFocusProxy(box)

    def on_clear_clicked() -> None:
        box.set_number(None)
        box.setFocus()

    clear.clicked.connect(on_clear_clicked)
    box.valueChanged.connect(lambda _v: clear.setEnabled(box.number() is not None))
    clear.setEnabled(box.number() is not None)
    return host
