"""The Medicine tab stops, asks and explains where a nurse or prescriber must decide."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QPlainTextEdit, QWidget

from tests.ui.conftest import save_artifact, when_modal
from tests.ui.test_medicine_tab import DOSE_AT, DateClock, _client, _open, _type_dose, _type_reading
from ui.controller import AppController

LEFT = Qt.MouseButton.LeftButton


def _answer(button: QMessageBox.StandardButton) -> object:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        dialog.button(button).click()

    return act


def test_a_hold_level_pre_dose_reading_stops_the_dose_until_reviewed(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController
) -> None:
    services = unlocked.services
    assert services is not None
    session_id = _client(unlocked)
    clock = DateClock(DOSE_AT - timedelta(minutes=10))
    _workspace, tab = _open(unlocked, session_id, clock)
    assert tab.dose_gate.isHidden() and tab.hold_review_button.isHidden()
    _type_reading(qtbot, tab, ("192", "104", "80", "98"), baseline=True)
    assert tab.vitals.table.rowCount() == 1, tab.error_text()
    assert tab.dose_gate.text().startswith("Before the first dose: the pre-dose blood pressure")
    assert "192/104 is at the hold level" in tab.dose_gate.text()
    assert tab.hold_review_button.isVisible()

    _type_dose(qtbot, tab.dose.dose, "100")
    qtbot.mouseClick(tab.dose.given_at.now_button, LEFT)
    qtbot.mouseClick(tab.save_button, LEFT)
    assert "192/104 is at the hold level" in tab.error_text()
    assert tab.dose.dose.value() == 100  # the refused dose stays typed

    def review(dialog: QWidget) -> None:
        assert isinstance(dialog, QDialog)
        prescriber = dialog.findChild(QLineEdit, "prescriber")
        reason = dialog.findChild(QPlainTextEdit, "review_reason")
        assert prescriber is not None and reason is not None
        assert prescriber.text() == services.vault.actor
        save_artifact(dialog, "medicine-hold-review.png")
        qtbot.keyClicks(reason, "Anxious on arrival; repeated twice, GP letter on file")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    when_modal(review)
    qtbot.mouseClick(tab.hold_review_button, LEFT)
    qtbot.waitUntil(lambda: tab.hold_review_button.isHidden())
    qtbot.mouseClick(tab.save_button, LEFT)
    stored = services.medicine.get(session_id)
    assert stored is not None and stored.dose_mg == 100 and stored.given_at is not None
    assert stored.hold_review_by == services.vault.actor
    assert stored.hold_review_reason.startswith("Anxious on arrival")


def test_a_dose_time_on_another_day_is_confirmed_first(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    services = unlocked.services
    assert services is not None
    session_id = _client(unlocked)
    clock = DateClock(DOSE_AT)
    _workspace, tab = _open(unlocked, session_id, clock)
    _type_dose(qtbot, tab.dose.dose, "150")
    tab.dose.given_at.set_value(DOSE_AT + timedelta(days=1))

    when_modal(_answer(QMessageBox.StandardButton.No))
    qtbot.mouseClick(tab.save_button, LEFT)
    stored = services.medicine.get(session_id)
    assert stored is None or stored.given_at is None
    assert "another day" in tab.dose.errors.text("Time given")

    when_modal(_answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(tab.save_button, LEFT)
    stored = services.medicine.get(session_id)
    assert stored is not None and stored.given_at == DOSE_AT + timedelta(days=1)
    assert tab.status.text().startswith("Saved")


def test_medicine_form_and_an_early_discharge_with_its_reason(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    services = unlocked.services
    assert services is not None
    session_id = _client(unlocked)
    clock = DateClock(DOSE_AT - timedelta(minutes=10))
    _workspace, tab = _open(unlocked, session_id, clock)
    _type_reading(qtbot, tab, ("128", "80", "72", "98"), baseline=True)
    d = tab.dose
    d.medicine.setFocus()
    qtbot.keyClick(d.medicine, Qt.Key.Key_Down)
    assert d.medicine.currentText() == "Esketamine"
    d.form.setFocus()
    while d.form.currentData() != "nasal_spray":
        qtbot.keyClick(d.form, Qt.Key.Key_Down)
    _type_dose(qtbot, d.dose, "56")
    clock.now = DOSE_AT
    qtbot.mouseClick(d.given_at.now_button, LEFT)
    qtbot.mouseClick(tab.save_button, LEFT)
    assert tab.error_text() == "", tab.error_text()

    clock.now = DOSE_AT + timedelta(minutes=40)
    tab.vitals.follow_clock()
    _type_reading(qtbot, tab, ("134", "84", "78", "98"))
    clock.now = DOSE_AT + timedelta(minutes=70)
    tab.tick()
    x = tab.discharge
    for box in (x.alert, x.vitals_ok, x.escort):
        qtbot.mouseClick(box, LEFT)
    assert "50 min to go" in x.problems.text()
    qtbot.mouseClick(x.discharged_at.now_button, LEFT)
    qtbot.mouseClick(tab.save_button, LEFT)
    assert "not ready for discharge" in x.errors.text("Early discharge reason")
    qtbot.mouseClick(x.early_reason, LEFT)
    qtbot.keyClicks(x.early_reason, "Transferred to the emergency department by ambulance")
    qtbot.mouseClick(tab.save_button, LEFT)
    stored = services.medicine.get(session_id)
    assert stored is not None
    assert (stored.medicine, stored.form) == ("esketamine", "nasal_spray")
    assert stored.discharged_at == DOSE_AT + timedelta(minutes=70)
    assert stored.early_discharge_reason.startswith("Transferred")
    assert "early_discharge" in [e.action for e in services.recent_audit(5)]


def test_a_refused_value_at_lock_keeps_the_words(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    services = unlocked.services
    assert services is not None
    session_id = _client(unlocked)
    _workspace, tab = _open(unlocked, session_id, DateClock(DOSE_AT))
    _type_dose(qtbot, tab.dose.second_dose, "50")  # a second dose with no first: refused
    qtbot.mouseClick(tab.observations.notes, LEFT)
    qtbot.keyClicks(tab.observations.notes, "Tearful at onset; settled with music")
    tab.flush()  # what a lock does first
    stored = services.medicine.get(session_id)
    assert stored is not None and stored.notes == "Tearful at onset; settled with music"
    assert stored.second_dose_mg is None
    assert "needs a first dose" in tab.error_text()


def test_changing_the_scale_never_clips_the_total(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    session_id = _client(unlocked)
    _workspace, tab = _open(unlocked, session_id, DateClock(DOSE_AT))
    o = tab.observations
    o.scale.setFocus()
    while o.scale.currentData() != "cadss":
        qtbot.keyClick(o.scale, Qt.Key.Key_Up)
    qtbot.mouseClick(o.total.lineEdit(), LEFT)
    o.total.lineEdit().selectAll()
    qtbot.keyClicks(o.total.lineEdit(), "30")
    o.scale.setFocus()
    qtbot.keyClick(o.scale, Qt.Key.Key_Down)  # CADSS-6 is 0–24
    assert o.scale.currentData() == "cadss" and o.total_value() == 30
    assert "The total 30 is outside CADSS-6's range" in o.errors.text("Dissociation scale")
