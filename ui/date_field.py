"""Dates to type: a day that may be not recorded, with a calendar, and the locale's date-time edit.

A QDateEdit whose lowest date stood for "not recorded" put typed digits after
those words ("Not recorded19880314") and opened its calendar at that lowest
date, January 1900. In a `DateField` an empty line is "not recorded" (the words
are only a placeholder), a day is typed as it is shown, as ISO 2026-12-01 or as
eight digits, and the calendar opens at the day in the field or at a page that
suits the field (about forty years back for a date of birth).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ui.dates import EARLIEST, AmbiguousDate, from_qdate, parse_date, show_date, to_qdate
from ui.icons import calendar_icon
from ui.widgets import named, with_clear_button


def _tr(text: str) -> str:
    return QCoreApplication.translate("DateField", text)


def _typed_like(text: str) -> str:
    """`text` with %1 and %2 as this year's last day, in the locale's format and in ISO."""
    example = date(date.today().year, 12, 31)  # a day above 12 shows which field comes first
    return text.replace("%1", show_date(example)).replace("%2", example.isoformat())


class DateRefused(ValueError):
    """Typed text the field does not take; `reason` says why, in words for beside the field."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CalendarPopup(QCalendarWidget):
    """The month grid as a pop-up under its field; Escape closes it, as it would a menu."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Popup)
        named(self, _tr("Choose %1").replace("%1", name.lower()))
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    """A day, or nothing ("not recorded"), typed or chosen from a calendar.

    What is typed is taken on Enter or when the focus leaves: shown back in the
    locale's format, or, when it is no date or outside `earliest`–`latest`, kept
    as typed while `problem_changed` says why. `value()` reads the text and raises
    DateRefused for such text, so a dialog's Save can refuse it beside the field.
    """

    date_changed = Signal(object)  # date | None, each time a different day is taken
    problem_changed = Signal(str)  # why the text was not taken; "" once it is

    def __init__(
        self,
        name: str,
        *,
        empty_text: str | None = None,
        earliest: date | None = EARLIEST,
        latest: date | None = None,
        opens_at: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.earliest = earliest
        self.latest = latest
        self.opens_at = opens_at
        self.edit = named(
            QLineEdit(),
            name,
            _typed_like(_tr("Type the date like %1 or %2, or choose it from the calendar")),
        )
        self.edit.setPlaceholderText(_tr("Not recorded") if empty_text is None else empty_text)
        with_clear_button(self.edit, f"Clear {name}", _tr("Empty the field: not recorded"))
        metrics = self.edit.fontMetrics()
        widest = max(
            metrics.horizontalAdvance(show_date(date(2000, 9, 28))),
            metrics.horizontalAdvance(self.edit.placeholderText()),
        )
        self.edit.setMinimumWidth(widest + 48)  # room for the clear button and the frame
        self.calendar_button = named(
            QToolButton(), f"{name} calendar", _tr("Choose the day from a calendar")
        )
        self.calendar_button.setIcon(calendar_icon(self.palette().buttonText().color()))
        self.popup: CalendarPopup | None = None
        self._name = name
        self._value: date | None = None
        self._problem = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.edit)
        row.addWidget(self.calendar_button)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self.commit)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.calendar_button.clicked.connect(self.open_calendar)

    def value(self) -> date | None:
        """The day in the field, None when empty; DateRefused when it holds no day it takes."""
        text = self.edit.text()
        try:
            day = parse_date(text, self.earliest, self.latest)
        except AmbiguousDate as exc:
            first, second = exc.readings
            raise DateRefused(
                _tr("could be %1 or %2 — type it like %3")
                .replace("%1", show_date(first))
                .replace("%2", show_date(second))
                .replace("%3", first.isoformat())
            ) from None
        except ValueError:
            raise DateRefused(_typed_like(_tr("not a date — type it like %1 or %2"))) from None
        if day is None:
            return None
        if self.latest is not None and day > self.latest:
            if self.latest >= date.today():
                raise DateRefused(_tr("cannot be in the future"))
            raise DateRefused(_tr("must be %1 or earlier").replace("%1", show_date(self.latest)))
        if self.earliest is not None and day < self.earliest:
            raise DateRefused(_tr("must be %1 or later").replace("%1", show_date(self.earliest)))
        return day

    def set_value(self, day: date | None) -> None:
        self.edit.setText("" if day is None else show_date(day))
        self._set_problem("")
        self._take(day)

    def commit(self) -> None:
        """Take what is typed, or say why not; the text stays as typed when it is refused."""
        try:
            day = self.value()
        except DateRefused as exc:
            self._set_problem(exc.reason)
            return
        self._set_problem("")
        if day is not None and self.edit.text() != show_date(day):
            self.edit.setText(show_date(day))
        self._take(day)

    def open_calendar(self) -> None:
        if self.popup is None:
            self.popup = CalendarPopup(self._name, self)
            self.popup.clicked.connect(self._on_popup_chosen)
            self.popup.activated.connect(self._on_popup_chosen)
        popup = self.popup
        popup.setDateRange(
            to_qdate(self.earliest) if self.earliest else QDate(100, 1, 1),
            to_qdate(self.latest) if self.latest else QDate(9999, 12, 31),
        )
        page = to_qdate(self._page())
        popup.setSelectedDate(page)
        popup.setCurrentPage(page.year(), page.month())
        popup.adjustSize()
        below = self.edit.mapToGlobal(QPoint(0, self.edit.height()))
        screen = QGuiApplication.screenAt(below) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        x = min(max(below.x(), room.left()), room.right() - popup.width())
        y = below.y()
        if y + popup.height() > room.bottom():  # no room below: open above the field
            y = self.edit.mapToGlobal(QPoint(0, 0)).y() - popup.height()
        popup.move(x, max(y, room.top()))
        popup.show()
        popup.setFocus(Qt.FocusReason.PopupFocusReason)

    def _page(self) -> date:
        """Where the calendar opens: the day in the field, else the field's own starting point."""
        try:
            day = self.value()
        except DateRefused:
            day = None
        day = day or self.opens_at or date.today()
        if self.latest is not None:
            day = min(day, self.latest)
        if self.earliest is not None:
            day = max(day, self.earliest)
        return day

    def _on_popup_chosen(self, day: QDate) -> None:
        self.set_value(from_qdate(day))
        if self.popup is not None:
            self.popup.close()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    def _on_edit_text_changed(self, text: str) -> None:
        if not text:
            self.commit()  # cleared with the button or by deleting: not recorded, at once

    def _set_problem(self, reason: str) -> None:
        if reason != self._problem:
            self._problem = reason
            self.problem_changed.emit(reason)

    def _take(self, day: date | None) -> None:
        if day != self._value:
            self._value = day
            self.date_changed.emit(day)


class SectionEdit(QDateTimeEdit):
    """A date or a time in the user's locale that is typed as written: "14:30" is 14:30.

    On focus, by Tab or by a click anywhere in it, the first section is selected,
    so what is typed fills the fields in order (the hour, then the minutes)
    instead of landing in whichever section the cursor happened to be in. The
    arrow keys step the section under the cursor.
    """

    def __init__(self, name: str, display_format: str) -> None:
        super().__init__()
        named(self, name)
        self.setDisplayFormat(display_format)
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)  # never clipped
        self._clicked_in = False
        self.lineEdit().installEventFilter(self)

    def select_first_section(self) -> None:
        self.setCurrentSectionIndex(0)
        self.setSelectedSection(self.sectionAt(0))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.select_first_section()
        self._clicked_in = event.reason() == Qt.FocusReason.MouseFocusReason

    def keyPressEvent(self, event: QKeyEvent) -> None:
        typed = event.text()
        cursor = self.lineEdit().cursorPosition()
        before = self.lineEdit().text()[cursor - 1 : cursor] if cursor else ""
        if typed and not typed.isalnum() and before and not before.isalnum():
            return  # "14/03": the day filled up and moved on; this "/" is that same step
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self._clicked_in = False  # the click was on the arrows, which step what is selected

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._clicked_in and event.type() == QEvent.Type.MouseButtonRelease:
            self._clicked_in = False
            self.select_first_section()  # the click placed the cursor; start from the top
        return False
