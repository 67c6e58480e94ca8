"""Nothing clinical changes unless the user meant it (issue 14), driven with real input.

A wheel goes through the window system's queue, as a real one does: a control
that takes focus by wheel gets it first, then the widget under the pointer gets
the event, then its parents until one accepts it. Keys go to whatever has the
keyboard focus.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TypeVar

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QTabBar, QWidget

from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.ui.conftest import open_tab, save_artifact
from tests.ui.people import dark_palette
from tests.ui.people import turn_wheel as _turn_wheel
from tests.ui.people import type_keys as _type
from tests.ui.test_medicine_tab import DOSE_AT, DateClock, _client, _open
from ui.controller import AppController
from ui.dates import show_time
from ui.main_window import MainWindow
from ui.session.tabs.measures import MeasuresTab
from ui.session.tabs.medicine import MedicineTab
from ui.session.workspace import SessionWorkspace

W = TypeVar("W", bound=QWidget)
LEFT = Qt.MouseButton.LeftButton
DOWN = -1


# -- real input -------------------------------------------------------------
def _named(qtbot, root: QWidget, name: str) -> QWidget:  # type: ignore[no-untyped-def]
    """The one visible widget a screen reader would announce as `name`, once it shows."""

    def visible() -> list[QWidget]:
        return [
            w
            for w in root.findChildren(QWidget)
            if w.accessibleName() == name and w.isVisibleTo(root)
        ]

    qtbot.waitUntil(lambda: len(visible()) == 1, timeout=2_000)
    return visible()[0]


def _click(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Click the middle of `widget` where a person would: on whatever child is there."""
    centre = widget.rect().center()
    target = widget.childAt(centre) or widget
    qtbot.mouseClick(target, LEFT, pos=target.mapFrom(widget, centre))


def _page(widget: QWidget) -> QAbstractScrollArea:
    parent = widget.parentWidget()
    while not isinstance(parent, QAbstractScrollArea):
        assert parent is not None, "not on a scrolling page"
        parent = parent.parentWidget()
    return parent


def _window(unlocked: AppController) -> MainWindow:
    window = unlocked.main_window
    assert window is not None
    window.resize(1366, 768)
    return window


def _close_tab(qtbot, window: MainWindow, workspace: SessionWorkspace) -> None:  # type: ignore[no-untyped-def]
    index = window.area.indexOf(workspace)
    close = window.area.tabBar().tabButton(index, QTabBar.ButtonPosition.RightSide)
    assert close is not None, "the session tab has no close button"
    qtbot.mouseClick(close, LEFT)
    qtbot.waitUntil(lambda: workspace not in window.workspaces())


def _medicine(unlocked: AppController) -> tuple[uuid.UUID, SessionWorkspace, MedicineTab]:
    session_id = _client(unlocked)
    workspace, tab = _open(unlocked, session_id, DateClock(DOSE_AT))
    _window(unlocked)
    return session_id, workspace, tab


def _stored(unlocked: AppController, session_id: uuid.UUID):  # type: ignore[no-untyped-def]
    stored = unlocked.services.medicine.get(session_id)  # type: ignore[union-attr]
    assert stored is not None
    return stored


# -- the wheel ----------------------------------------------------------------
def test_a_wheel_over_the_dose_scrolls_the_page_and_the_48_mg_is_kept(
    qtbot, unlocked: AppController
) -> None:
    session_id, workspace, tab = _medicine(unlocked)
    dose = _named(qtbot, tab, "Dose")
    _click(qtbot, dose)
    _type(qtbot, "48")
    _click(qtbot, _named(qtbot, tab, "Lot number"))
    _type(qtbot, "L-48")
    assert dose.text() == "48.0 mg"
    bar = _page(dose).verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0, "the page scrolls at 1366×768"

    _turn_wheel(dose, 3 * DOWN)

    assert dose.text() == "48.0 mg"
    assert bar.value() > 0, "the page scrolled instead"
    _close_tab(qtbot, _window(unlocked), workspace)
    assert _stored(unlocked, session_id).dose.dose_mg == 48
    _workspace, tab = _open(unlocked, session_id, DateClock(DOSE_AT))
    assert _named(qtbot, tab, "Dose").text() == "48.0 mg"


def test_a_wheel_over_the_cadss6_total_scrolls_the_page_and_9_is_kept(
    qtbot, unlocked: AppController
) -> None:
    session_id, workspace, tab = _medicine(unlocked)
    scale = _named(qtbot, tab, "Dissociation scale")
    scale.setFocus(Qt.FocusReason.TabFocusReason)
    _type(qtbot, "CADSS-")  # the combo's keyboard search picks the short form
    assert scale.currentData() == "cadss6"  # type: ignore[attr-defined]
    total = _named(qtbot, tab, "Dissociation total")
    tab.scroll_area.ensureWidgetVisible(total)  # scrolled down to it, as the clinician did
    _click(qtbot, total)
    _type(qtbot, "9")
    _click(qtbot, _named(qtbot, tab, "Client's state"))
    bar = _page(total).verticalScrollBar()
    before = bar.value()
    assert before < bar.maximum()

    _turn_wheel(total, 5 * DOWN)

    assert total.text() == "9" and scale.currentData() == "cadss6"  # type: ignore[attr-defined]
    assert bar.value() > before
    _close_tab(qtbot, _window(unlocked), workspace)
    stored = _stored(unlocked, session_id).dose
    assert (stored.dissociation_scale, stored.dissociation_total) == ("cadss6", 9)


def test_a_focused_field_still_takes_the_wheel(qtbot, unlocked: AppController) -> None:
    _session_id, _workspace, tab = _medicine(unlocked)
    dose = _named(qtbot, tab, "Dose")
    _click(qtbot, dose)
    _type(qtbot, "100")
    _turn_wheel(dose, 1)
    assert dose.text() == "125.0 mg"


def test_wheels_elsewhere_change_nothing(qtbot, unlocked: AppController) -> None:
    window = _window(unlocked)
    measures = open_tab(unlocked, "measures", MeasuresTab)
    measure = _named(qtbot, measures, "Measure")
    measure.setFocus(Qt.FocusReason.TabFocusReason)
    _type(qtbot, "GAD", Qt.Key.Key_Tab, "Clin")
    entered_by = _named(qtbot, measures, "Entered by")
    assert measure.currentData() == "gad7"  # type: ignore[attr-defined]
    assert entered_by.currentData() == "clinician"  # type: ignore[attr-defined]
    first = _named(qtbot, measures, "Item 1: Several days")
    _click(qtbot, first)
    _turn_wheel(measure, 3 * DOWN)
    _turn_wheel(entered_by, 3 * DOWN)
    assert measure.currentData() == "gad7" and first.isChecked()  # type: ignore[attr-defined]
    assert entered_by.currentData() == "clinician"  # type: ignore[attr-defined]
    measure.setFocus(Qt.FocusReason.TabFocusReason)
    _type(qtbot, Qt.Key.Key_End, Qt.Key.Key_Up)
    assert measure.currentData() == "pdss"  # type: ignore[attr-defined]
    total = _named(qtbot, measures, f"{measures.current().name} total")
    _click(qtbot, total)
    _type(qtbot, Qt.Key.Key_End, Qt.Key.Key_Backspace, Qt.Key.Key_Backspace, "12", Qt.Key.Key_Tab)
    _turn_wheel(total, 3 * DOWN)
    assert total.text() == "12"

    services = unlocked.services
    assert services is not None
    client_id = window.caseload.selected_id()
    session = services.sessions.create(
        client_id, SessionFields(starts_at=datetime.now().astimezone(), kind=SessionKind.EMDR)
    )
    workspace = window.open_session(session.id)
    assert workspace is not None
    emdr = workspace.tab_widgets["emdr"]
    workspace.tabs.setCurrentWidget(emdr)
    sud = _named(qtbot, emdr, "SUD at end")
    _click(qtbot, sud)
    _type(qtbot, "6")
    _click(qtbot, _named(qtbot, emdr, "State at end"))
    _turn_wheel(sud, 3 * DOWN)
    assert sud.text() == "6"

    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(services, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    idle = _named(qtbot, dialog, "Lock after idle minutes")
    shown = idle.text()
    _click(qtbot, _named(qtbot, dialog, "Vitals schedule"))
    _turn_wheel(idle, 3 * DOWN)
    assert idle.text() == shown


# -- "not recorded" only when chosen ------------------------------------------
def test_a_step_past_the_lowest_real_value_is_not_taken(qtbot, unlocked: AppController) -> None:
    session_id, workspace, tab = _medicine(unlocked)
    dose = _named(qtbot, tab, "Dose")
    _click(qtbot, dose)
    _type(qtbot, "48", Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_PageDown)
    assert dose.text() == "23.0 mg"  # 48 - 25; a further step would pass 0.1 mg
    total = _named(qtbot, tab, "Dissociation total")
    tab.scroll_area.ensureWidgetVisible(total)
    _click(qtbot, total)
    _type(qtbot, "2", Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down)
    assert total.text() == "0"
    _turn_wheel(total, 2 * DOWN)  # focused: the wheel steps, and stops there too
    assert total.text() == "0"
    _close_tab(qtbot, _window(unlocked), workspace)
    stored = _stored(unlocked, session_id).dose
    assert (stored.dose_mg, stored.dissociation_total) == (23, 0)


def test_not_recorded_by_the_clear_button_or_by_deleting_the_text(
    qtbot, unlocked: AppController
) -> None:
    session_id, workspace, tab = _medicine(unlocked)
    dose, total = _named(qtbot, tab, "Dose"), _named(qtbot, tab, "Dissociation total")
    clear_dose = _named(qtbot, tab, "Clear Dose")
    assert not clear_dose.isEnabled(), "nothing to clear yet"
    _click(qtbot, dose)
    _type(qtbot, "48")
    _click(qtbot, total)
    _type(qtbot, "9")
    _click(qtbot, clear_dose)
    assert dose.text() == "not recorded" and not clear_dose.isEnabled()
    assert QApplication.focusWidget() is dose, "ready for a new dose to be typed"
    _click(qtbot, total)
    _type(qtbot, Qt.Key.Key_End, Qt.Key.Key_Backspace, Qt.Key.Key_Tab)
    assert total.text() == "not recorded"
    _close_tab(qtbot, _window(unlocked), workspace)
    stored = _stored(unlocked, session_id).dose
    assert (stored.dose_mg, stored.dissociation_total) == (None, None)

    _workspace, tab = _open(unlocked, session_id, DateClock(DOSE_AT))
    dose = _named(qtbot, tab, "Dose")
    dose.setFocus(Qt.FocusReason.TabFocusReason)
    _type(qtbot, Qt.Key.Key_Down)
    assert dose.text() == "not recorded", "nothing below it to step to"
    _type(qtbot, Qt.Key.Key_Up)
    assert dose.text() == "25.0 mg"


# -- typed times --------------------------------------------------------------
@pytest.fixture
def british() -> Iterator[None]:
    """A 24-hour locale for the typed times (the fields follow the user's locale)."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(before)


def _dosed(qtbot, unlocked: AppController) -> tuple[uuid.UUID, MedicineTab, datetime]:  # type: ignore[no-untyped-def]
    session_id = _client(unlocked)
    clock = DateClock(DOSE_AT)
    _workspace, tab = _open(unlocked, session_id, clock)
    _window(unlocked)
    _click(qtbot, _named(qtbot, tab, "Dose"))
    _type(qtbot, "100")
    _click(qtbot, _named(qtbot, tab, "Time given now"))
    _click(qtbot, _named(qtbot, tab, "Save medicine session"))
    assert tab.status.text().startswith("Saved"), tab.error_text()
    clock.now = DOSE_AT + timedelta(hours=5)
    tab.tick()
    return session_id, tab, (DOSE_AT + timedelta(hours=4, minutes=30)).astimezone()


def test_a_typed_reading_time_is_the_time_typed(qtbot, unlocked: AppController, british) -> None:  # type: ignore[no-untyped-def]
    session_id, tab, at = _dosed(qtbot, unlocked)
    for typed in (at.strftime("%H:%M"), at.strftime("%H%M")):
        for name, value in (("Systolic", "128"), ("Diastolic", "82"), ("Heart rate", "72")):
            _click(qtbot, _named(qtbot, tab, name))
            _type(qtbot, value)
        _click(qtbot, _named(qtbot, tab, "SpO2"))
        _type(qtbot, "98")
        _click(qtbot, _named(qtbot, tab, "Reading time"))
        _type(qtbot, typed)
        _click(qtbot, _named(qtbot, tab, "Add reading"))
        assert tab.vitals.error.text() == ""
    readings = _stored(unlocked, session_id).readings
    assert [r.taken_at for r in readings] == [at, at]
    assert tab.vitals.table.item(0, 0).text() == show_time(at)


def test_a_typed_adverse_event_time_is_the_time_typed(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController, british
) -> None:
    session_id, tab, at = _dosed(qtbot, unlocked)
    _click(qtbot, _named(qtbot, tab, "Adverse event time now"))
    time = _named(qtbot, tab, "Adverse event time")
    time.setFocus(Qt.FocusReason.BacktabFocusReason)  # arriving backwards, the hour is first
    _type(qtbot, at.strftime("%H%M"))
    _click(qtbot, _named(qtbot, tab, "Add adverse event"))
    assert [e.occurred_at for e in _stored(unlocked, session_id).events] == [at]


def test_arrow_keys_step_the_section_under_the_cursor(
    qtbot, unlocked: AppController, british
) -> None:  # type: ignore[no-untyped-def]
    _session_id, tab, _at = _dosed(qtbot, unlocked)
    time = _named(qtbot, tab, "Reading time")
    _click(qtbot, time)
    _type(qtbot, "10:05", Qt.Key.Key_Up)
    assert time.text() == "10:06"  # typing left the cursor in the minutes
    _type(qtbot, Qt.Key.Key_Home, Qt.Key.Key_Up, Qt.Key.Key_Up)
    assert time.text() == "12:06"
    date = _named(qtbot, tab, "Reading time date")
    shown = date.text()
    _click(qtbot, date)
    _type(qtbot, Qt.Key.Key_Up)
    assert date.text() != shown, "the day steps"
    assert time.text() == "12:06"


# -- sedation -----------------------------------------------------------------
def test_sedation_is_scored_per_reading(qtbot, unlocked: AppController) -> None:
    session_id, tab, _at = _dosed(qtbot, unlocked)
    sedation = _named(qtbot, tab, "Sedation")
    assert sedation.currentText() == "not rated"  # type: ignore[attr-defined]
    for score in ("3", None):
        for name, value in (("Systolic", "120"), ("Diastolic", "80"), ("Heart rate", "70")):
            _click(qtbot, _named(qtbot, tab, name))
            _type(qtbot, value)
        _click(qtbot, _named(qtbot, tab, "SpO2"))
        _type(qtbot, "98", Qt.Key.Key_Tab, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is sedation
        if score is not None:
            _type(qtbot, score)
            _click(qtbot, _named(qtbot, tab, "Systolic"))
            _turn_wheel(sedation, 3 * DOWN)  # unfocused: the score stays
            assert sedation.currentText().startswith("3 · ")  # type: ignore[attr-defined]
        _click(qtbot, _named(qtbot, tab, "Add reading"))
        assert sedation.currentText() == "not rated", "the row is cleared for the next reading"  # type: ignore[attr-defined]
    assert [r.sedation for r in _stored(unlocked, session_id).readings] == [3, None]
    table, header = tab.vitals.table, tab.vitals.table.horizontalHeader()
    shown = [table.horizontalHeaderItem(header.logicalIndex(v)).text() for v in range(8)]
    assert shown == ["Time", "Since dose", "BP", "HR", "SpO2", "RR", "Sedation", "Flags"]
    sedation_column = header.logicalIndex(shown.index("Sedation"))
    assert [table.item(r, sedation_column).text() for r in range(2)] == ["⚠ 3", "—"]


def test_the_medicine_tab_reads_at_1366x768_in_light_and_dark(
    qtbot, unlocked: AppController
) -> None:
    _session_id, _workspace, tab = _medicine(unlocked)
    window = _window(unlocked)
    dark = dark_palette()
    for look, palette in (("light", window.palette()), ("dark", dark)):
        window.setPalette(palette)
        qtbot.wait(50)
        save_artifact(window, f"no-silent-changes-medicine-{look}.png")
        for name in ("Dose", "Second dose", "Dissociation total"):
            box = _named(qtbot, tab, name)
            clear = _named(qtbot, tab, f"Clear {name}")
            assert clear.geometry().left() > box.geometry().right(), "the button follows the box"
        for name in (
            "Dose",
            "Dissociation total",
            "Time given",
            "Time given date",
            "Reading time",
            "Reading time date",
            "Adverse event time",
            "Adverse event time date",
            "Discharge time",
            "Discharge time date",
            "Sedation",
        ):
            field = _named(qtbot, tab, name)
            assert field.width() >= field.sizeHint().width(), f"{name} is cut off ({look})"
        assert tab.scroll_area.horizontalScrollBar().maximum() == 0, f"wider than 1366 ({look})"
        bar = tab.scroll_area.verticalScrollBar()
        bar.setValue(bar.maximum())
        save_artifact(window, f"no-silent-changes-medicine-{look}-lower.png")
        bar.setValue(0)
