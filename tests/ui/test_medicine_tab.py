"""The Medicine tab driven as in a KAP session, with an injected clock for the reminders."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDoubleSpinBox, QMessageBox, QWidget

from console.clinical import medicine as m
from console.clinical.medicine_safety import MedicinePolicy
from console.services.clients import ClientFields
from console.services.screening import ItemAnswer, ScreeningFields
from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.ui.conftest import save_artifact, when_modal
from tests.ui.people import dark_palette
from ui.controller import AppController
from ui.dates import show_time
from ui.medicine.dose import UNKNOWN_MG_PER_KG
from ui.session.tabs.medicine import MedicineTab
from ui.session.workspace import SessionWorkspace

DOSE_AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class DateClock:
    """An aware wall clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _client(unlocked: AppController, *, answer: str = "no", weight: float | None = 70) -> uuid.UUID:
    services = unlocked.services
    assert services is not None
    client = services.clients.create(ClientFields(name=f"Medicine Test {uuid.uuid4().hex[:6]}"))
    answers = [ItemAnswer(k, "no") for k in m.CONTRAINDICATION_KEYS]
    if answer != "no":
        answers[0] = ItemAnswer(answers[0].key, answer)
        answers[1] = ItemAnswer(answers[1].key, answer)
    services.screening.save(
        client.id,
        ScreeningFields(
            answers=tuple(answers),
            weight_kg=weight,
            consent_date=date.today() - timedelta(days=20),
            fasting_acknowledged=True,
            ride_home_arranged=True,
        ),
    )
    session = services.sessions.create(
        client.id,
        SessionFields(starts_at=DOSE_AT - timedelta(minutes=15), kind=SessionKind.MEDICINE),
    )
    return session.id


def _open(
    unlocked: AppController, session_id: uuid.UUID, clock: DateClock
) -> tuple[SessionWorkspace, MedicineTab]:
    window = unlocked.main_window
    assert window is not None
    workspace = window.open_session(session_id)
    assert workspace is not None
    tab = workspace.tab_widgets["medicine"]
    assert isinstance(tab, MedicineTab)
    workspace.tabs.setCurrentWidget(tab)
    tab.now = clock
    tab.vitals.follow_clock()
    tab.tick()
    return workspace, tab


def _type_reading(qtbot, tab: MedicineTab, values: tuple[str, ...], baseline: bool = False) -> None:  # type: ignore[no-untyped-def]
    for field, value in zip(tab.vitals.entry_fields(), values, strict=False):
        field.clear()
        qtbot.keyClicks(field, value)
    tab.vitals.baseline.setChecked(baseline)
    qtbot.keyClick(tab.vitals.spo2, Qt.Key.Key_Return)  # Enter in the row adds the reading


def _type_dose(qtbot, spin: QDoubleSpinBox, text: str) -> None:  # type: ignore[no-untyped-def]
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    spin.interpretText()


def _confirm_yes(dialog: QWidget) -> None:
    assert isinstance(dialog, QMessageBox)
    dialog.button(QMessageBox.StandardButton.Yes).click()


def test_full_medicine_session_through_the_tab(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    session_id = _client(unlocked)
    clock = DateClock(DOSE_AT - timedelta(minutes=5))
    workspace, tab = _open(unlocked, session_id, clock)
    assert tab.banner.text() == "Screening: Cleared"
    assert tab.vitals.reminder.text().startswith("No dose time yet")

    # the dose: 100 mg sublingual on 70 kg
    d = tab.dose
    d.route.setCurrentIndex(d.route.findData("sublingual"))
    assert "100–400 mg" in d.route_hint.text()
    _type_dose(qtbot, d.dose, "100")
    assert d.mg_per_kg.text().startswith("1.43 mg/kg")
    qtbot.keyClicks(d.lot, "LOT-2231")
    qtbot.keyClicks(d.given_by, "Dr Maya Chen")
    qtbot.keyClicks(d.monitored_by, "Sam Ortiz RN")

    # baseline before the dose (Enter in the row adds it)
    _type_reading(qtbot, tab, ("128", "82", "72", "98", "14"), baseline=True)
    assert tab.vitals.table.rowCount() == 1, tab.error_text()
    assert tab.vitals.table.item(0, 1).text() == "baseline"

    # dose given "now"
    clock.now = DOSE_AT
    qtbot.mouseClick(d.given_at.now_button, Qt.MouseButton.LeftButton)
    assert d.given_at.value() == DOSE_AT
    tab.save_button.click()
    assert tab.status.text().startswith("Saved"), tab.error_text()
    assert tab.record is not None and tab.record.mg_per_kg == 1.43
    services = unlocked.services
    assert services is not None
    stored = services.medicine.get(session_id)
    assert stored is not None
    assert (stored.dose.route, stored.dose.dose_mg, stored.dose.lot_number) == (
        "sublingual",
        100,
        "LOT-2231",
    )
    assert stored.dose.given_at == DOSE_AT and stored.mg_per_kg == 1.43 and stored.weight_kg == 70
    assert (stored.dose.given_by, stored.dose.monitored_by) == ("Dr Maya Chen", "Sam Ortiz RN")
    assert [(r.systolic, r.pre_dose) for r in stored.readings] == [(128, True)]
    assert tab.vitals.reminder.text() == "Reading due now (0 min)"

    clock.now = DOSE_AT + timedelta(minutes=2)
    _type_reading(qtbot, tab, ("130", "84", "75", "98"))
    tab.tick()
    next_at = show_time(DOSE_AT + timedelta(minutes=15))
    assert tab.vitals.reminder.text() == f"Next at {next_at} (15 min)"

    # the reminder follows the (fake) clock
    clock.now = DOSE_AT + timedelta(minutes=14)
    tab.tick()
    assert tab.vitals.reminder.text() == "Reading due now (15 min)"
    clock.now = DOSE_AT + timedelta(minutes=24)
    tab.tick()
    assert tab.vitals.reminder.text() == "Overdue by 9 min (15 min)"
    clock.now = DOSE_AT + timedelta(minutes=15)
    _type_reading(qtbot, tab, ("142", "90", "88", "97"))

    # an impossible value is refused, with the field named, and stays typed
    clock.now = DOSE_AT + timedelta(minutes=30)
    _type_reading(qtbot, tab, ("350", "90", "88", "97"))
    assert "Systolic: 350 is out of range (40–300 mmHg)" in tab.vitals.error.text()
    assert tab.vitals.systolic.text() == "350"
    assert tab.vitals.table.rowCount() == 3
    # a reading before the dose without "Baseline" is refused
    tab.vitals.taken_at.setDateTime(tab.vitals.taken_at.dateTime().addSecs(-3600))
    _type_reading(qtbot, tab, ("150", "90", "88", "97"))
    assert "Reading time" in tab.vitals.error.text() and "pre-dose" in tab.vitals.error.text()
    tab.vitals.follow_clock()

    # a flagged reading at +30
    _type_reading(qtbot, tab, ("165", "96", "92", "97"))
    assert tab.vitals.table.rowCount() == 4, tab.error_text()
    flags = tab.vitals.table.item(3, 6).text()
    assert flags == "⚠ Systolic 165 ≥ 160: alert"
    assert tab.vitals.table.item(2, 6).text() == "—"
    assert tab.vitals.table.item(3, 1).text() == "30 min"
    stored = services.medicine.get(session_id)
    assert stored is not None
    assert [(r.systolic, r.minutes) for r in stored.readings] == [
        (128, None),
        (130, 2),
        (142, 15),
        (165, 30),
    ]
    assert [f.message for f in stored.readings[3].flags] == ["Systolic 165 ≥ 160: alert"]
    systolic = tab.plot.lines["systolic"]
    assert list(systolic.yData) == [128, 130, 142, 165]
    xs = [float(x) for x in systolic.xData]
    assert xs[0] < 0 and xs[-1] == 30
    assert len(tab.plot.thresholds) == 5

    # remove one reading (with confirmation), then add it back
    tab.vitals.table.selectRow(1)
    when_modal(_confirm_yes)
    tab.vitals.remove_button.click()
    assert tab.vitals.table.rowCount() == 3
    stored = services.medicine.get(session_id)
    assert stored is not None
    assert [r.systolic for r in stored.readings] == [128, 142, 165]  # the selected one went

    # an adverse event
    ev = tab.events
    clock.now = DOSE_AT + timedelta(minutes=35)
    ev.follow_clock()
    ev.kind.setCurrentIndex(ev.kind.findData("nausea_vomiting"))
    ev.severity.setCurrentIndex(ev.severity.findData("moderate"))
    qtbot.keyClicks(ev.action, "Reassurance, sips of water")
    qtbot.keyClicks(ev.medication, "Ondansetron 4 mg")
    ev.outcome.setCurrentIndex(ev.outcome.findData("resolved"))
    ev.add_button.click()
    assert ev.table.rowCount() == 1, tab.error_text()
    assert ev.table.item(0, 1).text() == "Nausea/vomiting"
    assert "Ondansetron 4 mg" in ev.table.item(0, 3).text()
    stored = services.medicine.get(session_id)
    assert stored is not None and len(stored.events) == 1
    event = stored.events[0]
    assert (event.kind, event.severity, event.outcome) == (
        "nausea_vomiting",
        "moderate",
        "resolved",
    )
    assert event.action == "Reassurance, sips of water"
    assert event.medication_given == "Ondansetron 4 mg"
    assert event.occurred_at == DOSE_AT + timedelta(minutes=35)

    # during the session, and discharge
    o = tab.observations
    o.scale.setCurrentIndex(o.scale.findData("cadss6"))
    assert "0–24" in o.range.text()
    o.total.setValue(9)
    qtbot.keyClicks(o.client_state, "Calm, eyes closed, some tearfulness at 40 min")
    qtbot.keyClicks(o.notes, "Music on; brief nausea settled")
    x = tab.discharge
    assert x.problems.text().startswith(
        "Not ready: Observed 120 min after the last dose is required: 85 min to go"
    )
    assert x.ready_at.text() == show_time(DOSE_AT + timedelta(minutes=120))
    assert "○ about 40 min after the dose" in tab.bp_points.text()
    clock.now = DOSE_AT + timedelta(minutes=40)
    tab.vitals.follow_clock()
    _type_reading(qtbot, tab, ("138", "86", "84", "98"))
    tab.tick()
    assert "✓ about 40 min after the dose" in tab.bp_points.text()
    clock.now = DOSE_AT + timedelta(minutes=120)
    tab.vitals.follow_clock()
    _type_reading(qtbot, tab, ("130", "82", "80", "98"))
    clock.now = DOSE_AT + timedelta(minutes=125)
    tab.tick()
    assert "✓ before discharge" in tab.bp_points.text()
    qtbot.mouseClick(x.alert, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(x.vitals_ok, Qt.MouseButton.LeftButton)
    assert x.problems.text() == (
        "Not ready: No escort present: the client must not drive or travel home alone."
    )
    qtbot.mouseClick(x.escort, Qt.MouseButton.LeftButton)
    assert x.problems.text() == "✔ Ready for discharge."
    x.discharged_at.now_button.click()
    assert tab.status.text() == "Unsaved changes…"
    qtbot.waitUntil(lambda: tab.status.text().startswith("Saved"), timeout=6_000)

    window = unlocked.main_window
    assert window is not None
    window.resize(1366, 768)
    tab.resize(tab.size())
    qtbot.wait(50)
    save_artifact(window, "medicine-tab.png")
    bar = tab.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    save_artifact(window, "medicine-tab-lower.png")
    save_artifact(tab.plot, "medicine-vitals-plot.png")
    assert tab.scroll_area.horizontalScrollBar().maximum() == 0  # nothing cut off at 1366 wide

    # reopen the session: everything is there
    window._on_area_tab_close_requested(window.area.indexOf(workspace))
    qtbot.waitUntil(lambda: workspace not in window.workspaces())
    workspace, tab = _open(unlocked, session_id, clock)
    d = tab.dose
    assert d.route.currentData() == "sublingual"
    assert d.dose.value() == 100
    assert d.mg_per_kg.text().startswith("1.43 mg/kg")
    assert d.lot.text() == "LOT-2231"
    assert d.given_by.text() == "Dr Maya Chen" and d.monitored_by.text() == "Sam Ortiz RN"
    assert d.given_at.value() == DOSE_AT
    assert tab.vitals.table.rowCount() == 5
    assert tab.vitals.table.item(2, 6).text() == "⚠ Systolic 165 ≥ 160: alert"
    assert tab.events.table.rowCount() == 1
    assert tab.observations.total_value() == 9
    assert tab.observations.client_state.toPlainText().startswith("Calm")
    assert tab.observations.notes.toPlainText() == "Music on; brief nausea settled"
    assert tab.discharge.problems.text() == "✔ Ready for discharge."
    assert tab.discharge.discharged_at.value() == DOSE_AT + timedelta(minutes=125)
    # at +125 with readings at 15, 30, 40 (the 45-min slot) and 120: 0, 60 and 90 went unread
    done = "All scheduled readings done; missed: 0 min, 60 min, 90 min"
    assert tab.vitals.reminder.text() == done
    stored = services.medicine.get(session_id)
    assert stored is not None
    assert stored.dose.dissociation_scale == "cadss6" and stored.dose.dissociation_total == 9
    assert stored.dose.notes == "Music on; brief nausea settled"
    assert stored.dose.discharged_at == DOSE_AT + timedelta(minutes=125)
    assert stored.discharge_problems == ()


def test_blocked_screening_refuses_the_dose_and_keeps_it(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    session_id = _client(unlocked, answer="yes")
    clock = DateClock(DOSE_AT)
    _workspace, tab = _open(unlocked, session_id, clock)
    assert tab.banner.text().startswith("Screening: Blocked: 2 items yes")
    assert (
        "a dose cannot be recorded until screening is complete or overridden" in tab.banner.text()
    )
    _type_dose(qtbot, tab.dose.dose, "100")
    tab.dose.given_at.now_button.click()
    assert not tab.save()
    assert "Screening: Blocked" in tab.screening_error.text()
    assert "before a dose is given" in tab.screening_error.text()
    assert tab.screening_error.isVisibleTo(tab)
    assert tab.dose.dose.value() == 100 and tab.dose.given_at.value() == DOSE_AT
    services = unlocked.services
    assert services is not None
    refused = services.medicine.get(session_id)
    assert refused is None or refused.dose.given_at is None, "no dose was stored"
    # the autosave refuses it the same way, inline
    qtbot.keyClicks(tab.dose.lot, "L1")
    qtbot.waitUntil(lambda: tab.status.text() == "Not saved — see message", timeout=6_000)
    assert tab.dose.lot.text() == "L1" and tab.dose.dose.value() == 100
    # a baseline may still be taken
    _type_reading(qtbot, tab, ("128", "82", "72", "98"), baseline=True)
    assert tab.vitals.table.rowCount() == 1
    stored = services.medicine.get(session_id)
    assert stored is not None and stored.dose.given_at is None and stored.dose.dose_mg is None
    assert [(r.systolic, r.pre_dose) for r in stored.readings] == [(128, True)]
    window = unlocked.main_window
    assert window is not None
    window.resize(1366, 768)
    save_artifact(window, "medicine-tab-blocked.png")


def test_no_weight_shows_mg_per_kg_unknown(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    session_id = _client(unlocked, weight=None)
    _workspace, tab = _open(unlocked, session_id, DateClock(DOSE_AT))
    _type_dose(qtbot, tab.dose.dose, "100")
    assert tab.dose.mg_per_kg.text() == UNKNOWN_MG_PER_KG
    assert tab.save()
    assert tab.record is not None and tab.record.mg_per_kg is None
    stored = unlocked.services.medicine.get(session_id)  # type: ignore[union-attr]
    assert stored is not None and stored.dose.dose_mg == 100
    assert stored.mg_per_kg is None and stored.weight_kg is None
    assert tab.dose.mg_per_kg.text() == UNKNOWN_MG_PER_KG
    # dark palette: the plot follows it
    window = unlocked.main_window
    assert window is not None
    dark = dark_palette()
    window.setPalette(dark)
    window.resize(1366, 768)
    assert tab.plot.plot.backgroundBrush().color() == QColor("#17181a")
    save_artifact(window, "medicine-tab-dark.png")


def test_second_dose_without_first_is_named(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    session_id = _client(unlocked)
    _workspace, tab = _open(unlocked, session_id, DateClock(DOSE_AT))
    tab.dose.second_dose.setValue(50)
    assert not tab.save()
    assert tab.dose.errors.text("Second dose") == "Needs a first dose recorded."
    assert tab.dose.second_dose.value() == 50
    assert unlocked.services.medicine.get(session_id) is None  # type: ignore[union-attr]


def test_settings_schedule_and_thresholds_reach_the_tab(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    from ui.settings_dialog import SettingsDialog

    window, services = unlocked.main_window, unlocked.services
    assert window is not None and services is not None
    dialog = SettingsDialog(services, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.vitals_schedule.setText("0, 20, x")
    dialog.accept()
    assert "'x' is not a whole number" in dialog.errors.text("vitals_schedule")
    dialog.vitals_schedule.setText("40 0 20")
    dialog.thresholds["alert_heart_rate_low"].setValue(130)
    dialog.accept()
    assert dialog.errors.text("alert_heart_rate_low") == "Must be below alert_heart_rate_high."
    dialog.thresholds["alert_heart_rate_low"].setValue(50)
    dialog.thresholds["alert_systolic_high"].setValue(150)
    dialog.bp_points.clear()
    qtbot.keyClicks(dialog.bp_points, "end, soon")
    dialog.accept()
    assert "'soon' is not pre, end or minutes" in dialog.errors.text("blood_pressure_points")
    dialog.bp_points.clear()
    qtbot.keyClicks(dialog.bp_points, "End 30 pre")
    dialog.observation.setFocus()
    dialog.observation.lineEdit().selectAll()
    qtbot.keyClicks(dialog.observation.lineEdit(), "180")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert window.settings.get("vitals_schedule") == "0, 20, 40"
    assert window.settings.get("vitals_thresholds") == '{"alert_systolic_high": 150}'
    assert window.settings.get("blood_pressure_points") == "pre, 30, end"
    assert services.medicine.policy.min_observation_min == 180

    session_id = _client(unlocked)
    clock = DateClock(DOSE_AT)
    _workspace, tab = _open(unlocked, session_id, clock)
    assert tab.schedule == (0, 20, 40)
    assert tab.thresholds.alert_systolic_high == 150
    tab.dose.dose.setValue(100)
    tab.dose.given_at.now_button.click()
    assert tab.save(), tab.error_text()
    clock.now = DOSE_AT + timedelta(minutes=20)
    _type_reading(qtbot, tab, ("152", "90", "80", "97"))
    assert tab.vitals.table.item(0, 6).text() == "⚠ Systolic 152 ≥ 150: alert"
    stored = services.medicine.get(session_id)
    assert stored is not None
    assert [f.message for f in stored.readings[0].flags] == ["Systolic 152 ≥ 150: alert"]
    tab.tick()
    next_at = show_time(DOSE_AT + timedelta(minutes=40))
    assert tab.vitals.reminder.text() == f"Next at {next_at} (40 min); missed: 0 min"
    services.use_medicine_policy(MedicinePolicy())
