"""A monitored ketamine session in the demo vault, every field of it used as a nurse and a
prescriber would, and what each one changes checked in the vault, on screen and on paper.

The medicine journey: the prescriber reviews a hold-level pre-dose reading (Cancel keeps
nothing, Save lets the dose go ahead); the nurse records the medicine, form, route and dose,
the time given with its date (a date on another day is asked about and not kept), a
second dose that is then taken back, readings, a dissociation total that is cleared, an
adverse event with its kind, severity, outcome, description, time and date, and the
discharge with its time and date (one before the dose is refused).

The screening journey types a note for every contraindication (Cancel keeps none of them,
Save keeps and prints each on the chart), leaves the acknowledge, review and override
dialogs with Cancel (nothing kept), then acknowledges each interacting medication, records
and withdraws an override and records the review under the prescriber's name. The
measures journey records a risk assessment with who and when (a time in the future is
refused, nothing kept), and voids an entry the client made by mistake.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, QTime, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.clinical import measures as measures_
from console.clinical import medicine as m
from console.clinical import medicine_safety as safety
from console.export import formatting as fmt
from console.services.bundle import Services
from console.services.medicine import MedicineRecord
from tests.acceptance.person import Person
from ui.clients.screening import badge_text
from ui.controller import AppController
from ui.dates import date_format

LEFT = Qt.MouseButton.LeftButton
PRESCRIBER = "Dr Ana Ruiz"
NOTES = {item.key: f"Asked; GP agrees ({n:02})" for n, item in enumerate(m.CONTRAINDICATIONS, 1)}
CLONAZEPAM = "Benzodiazepine (clonazepam)"


# -- how a person types times, answers a question, reads what was kept ------------------------


def minute(moment: datetime) -> datetime:
    """A moment as the time fields take it: to the minute, in the laptop's zone."""
    return moment.astimezone().replace(second=0, microsecond=0)


def written(edit: QDateTimeEdit, moment: datetime) -> str:
    """The moment as this time (or date) field writes it, so it can be typed back."""
    value = moment.astimezone()
    if edit.displayedSections() & QDateTimeEdit.Section.DateSections_Mask:
        shown = QDate(value.year, value.month, value.day)
        return QLocale().toString(shown, edit.displayFormat())
    return QLocale().toString(QTime(value.hour, value.minute), edit.displayFormat())


def type_time(person: Person, name: str, moment: datetime) -> None:
    person.type(name, written(person.find(name, QDateTimeEdit), moment))


def type_day(person: Person, name: str, day: date) -> None:
    noon = datetime.combine(day, time(12, 0)).astimezone()
    person.type(name, written(person.find(name, QDateTimeEdit), noon))


def type_moment(person: Person, name: str, moment: datetime, day: date | None = None) -> None:
    """The time into the field `name`, and its date (or `day`) into "<name> date"."""
    type_time(person, name, moment)
    type_day(person, f"{name} date", day or moment.astimezone().date())


def shows_now(person: Person, name: str) -> bool:
    """The field shows the clock's time (this minute, or the one just gone)."""
    edit = person.find(name, QDateTimeEdit, enabled=False)
    now = datetime.now()
    return edit.text() in {written(edit, now), written(edit, now - timedelta(minutes=1))}


@contextmanager
def answering(qtbot: QtBot, title: str, button: str) -> Iterator[list[str]]:
    """Press `button` on every message box called `title` that opens meanwhile (an autosave
    may ask as well as the Save press); what each one asked is listed."""
    asked: list[str] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and box.windowTitle() == title:
            asked.append(box.text())
            target = next(b for b in box.buttons() if b.text().replace("&", "") == button)
            qtbot.mouseClick(target, LEFT, pos=target.rect().center())  # type: ignore[no-untyped-call]

    timer = QTimer()
    timer.setInterval(30)
    timer.timeout.connect(look)
    timer.start()
    try:
        yield asked
    finally:
        timer.stop()


def kept(
    qtbot: QtBot, services: Services, sid: uuid.UUID, check: Callable[[MedicineRecord], bool]
) -> MedicineRecord:
    """The stored medicine record once it passes `check` (an autosave may be under way)."""
    found: list[MedicineRecord] = []

    def ready() -> bool:
        record = services.medicine.get(sid)
        if record is not None and check(record):
            found.append(record)
        return bool(found)

    qtbot.waitUntil(ready, timeout=5_000)
    return found[-1]


def label_text(person: Person, name: str) -> str:
    return person.find(name, QLabel).text()


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return "" if item is None else item.text()


def yes(person: Person) -> None:
    person.click("Yes")


def select_row(person: Person, table: QTableWidget, row: int) -> None:
    person.reveal(table)
    item = table.item(row, 0)
    assert item is not None
    table.scrollToItem(item)
    where = table.visualItemRect(item).center()
    person.qtbot.mouseClick(table.viewport(), LEFT, pos=where)


def save(person: Person) -> None:
    person.click("Save medicine session")


def sedation(score: int) -> str:
    return next(f"{s} · {label}" for s, label in safety.SEDATION_LEVELS if s == score)


# -- the medicine session --------------------------------------------------------------------


def open_new_medicine_session(person: Person, services: Services) -> uuid.UUID:
    person.open_client("Alex")
    alex = services.clients.find("Alex")[0]
    before = {s.id for s in services.sessions.list_for_client(alex.id)}
    person.new_session("Medicine session")
    person.tab("Medicine")
    return next(s.id for s in services.sessions.list_for_client(alex.id) if s.id not in before)


def add_reading(person: Person, qtbot: QtBot, values: tuple[str, str, str, str], rows: int) -> None:
    for name, value in zip(("Systolic", "Diastolic", "Heart rate", "SpO2"), values, strict=True):
        person.type(name, value)
    person.click("Add reading")
    readings = person.find("Vitals readings", QTableWidget)
    qtbot.waitUntil(lambda: readings.rowCount() == rows, timeout=3_000)


def hold_level_baseline(
    person: Person, services: Services, qtbot: QtBot, sid: uuid.UUID
) -> datetime:
    """Taken on arrival and typed in from the paper sheet, with the time it was taken."""
    taken = minute(datetime.now() - timedelta(minutes=40))
    person.type("Respiratory rate", "16")
    person.choose("Sedation", sedation(5))
    type_moment(person, "Reading time", taken)
    person.click("Baseline reading")
    add_reading(person, qtbot, ("184", "112", "88", "98"), rows=1)
    person.expect("184/112 is at the hold level")
    reading = kept(qtbot, services, sid, lambda r: len(r.readings) == 1).readings[0]
    assert reading.pre_dose and reading.taken_at == taken
    assert (reading.respiratory_rate, reading.sedation) == (16, 5)
    return taken


def prescriber_reviews_the_hold(
    person: Person, services: Services, qtbot: QtBot, sid: uuid.UUID
) -> None:
    review = "Record prescriber review of the pre-dose blood pressure"

    def cancel(dialog: QWidget) -> None:
        person.type("Prescriber", "Dr Someone Else", replace=True)
        person.type("Review reason", "typed, then thought better of it")
        person.click("Cancel")

    person.click(review, then=cancel)
    record = services.medicine.get(sid)
    assert record is None or (record.hold_review_by, record.hold_review_at) == ("", None)
    assert person.find(review).isVisible(), "the dose is still held"

    def record_it(dialog: QWidget) -> None:
        assert person.find("Prescriber", QLineEdit).text() == services.vault.actor
        person.type("Prescriber", PRESCRIBER, replace=True)
        person.type("Review reason", "White-coat pattern; repeat 30 min after dose")
        person.click("Save")

    person.click(review, then=record_it)
    stored = kept(qtbot, services, sid, lambda r: r.hold_review_at is not None)
    assert stored.hold_review_by == PRESCRIBER
    assert stored.hold_review_reason == "White-coat pattern; repeat 30 min after dose"
    qtbot.waitUntil(lambda: not person.sees("is at the hold level. Repeat"), timeout=3_000)


def the_dose(person: Person, services: Services, qtbot: QtBot, sid: uuid.UUID) -> None:
    """Esketamine by nasal spray: a mistyped dose is cleared and typed again."""
    person.choose("Medicine", "Esketamine")
    person.choose("Form", safety.FORM_LABELS["nasal_spray"])
    person.choose("Route", "Intranasal")
    assert label_text(person, "Route hint") == m.ROUTE_HINTS["intranasal"]
    person.type("Dose", "84")
    assert label_text(person, "Dose per kg") == "1.08 mg/kg (weight 78 kg)"
    person.click("Clear Dose")
    assert label_text(person, "Dose per kg") == "—"
    person.type("Dose", "56")
    assert label_text(person, "Dose per kg") == "0.72 mg/kg (weight 78 kg)"
    person.type("Lot number", "ES-3301")
    person.type("Given by", PRESCRIBER)
    person.type("Monitored by", "Sam Reyes, RN")
    save(person)
    stored = kept(qtbot, services, sid, lambda r: r.dose_mg == 56)
    assert (stored.medicine, stored.form, stored.route) == (
        "esketamine",
        "nasal_spray",
        "intranasal",
    )
    assert (stored.lot_number, stored.given_by) == ("ES-3301", PRESCRIBER)
    assert stored.monitored_by == "Sam Reyes, RN"


def the_time_given(
    person: Person, services: Services, qtbot: QtBot, sid: uuid.UUID, baseline: datetime
) -> datetime:
    """The "Now" button, taken back (a planned dose has no time); then the time and date
    typed: a time before the baseline reading is refused, and the day after is asked
    about, answered No, and not kept."""
    person.click("Time given now")
    assert person.find("Time given recorded", QCheckBox).isChecked()
    assert shows_now(person, "Time given")
    person.click("Time given recorded")
    assert not person.find("Time given", enabled=False).isEnabled()
    save(person)
    kept(qtbot, services, sid, lambda r: r.given_at is None and r.dose_mg == 56)

    person.click("Time given recorded")
    type_moment(person, "Time given", baseline - timedelta(minutes=10))
    save(person)
    assert "pre-dose reading" in label_text(person, "Time given error")
    record = services.medicine.get(sid)
    assert record is not None and record.given_at is None

    given = minute(datetime.now() - timedelta(minutes=25))
    tomorrow = given.date() + timedelta(days=1)
    with answering(qtbot, "Dose on another day", "No") as asked:
        type_moment(person, "Time given", given, day=tomorrow)
        save(person)
        qtbot.waitUntil(lambda: bool(asked), timeout=5_000)
        assert "Record the dose on" in asked[0]
        assert "another day" in label_text(person, "Time given error")
        record = services.medicine.get(sid)
        assert record is not None
        assert record.given_at is None or record.given_at.date() != tomorrow
        type_day(person, "Time given date", given.date())
        save(person)
        kept(qtbot, services, sid, lambda r: r.given_at == given)
    assert not person.sees("is on another day"), "the message goes once the date is right"
    return given


def second_dose_given_then_taken_back(
    person: Person, services: Services, qtbot: QtBot, sid: uuid.UUID, given: datetime, pdf: Path
) -> None:
    """Recorded (its time typed over "Now") and printed; then found to be a slip: cleared."""
    person.type("Second dose", "28")
    assert label_text(person, "Second dose per kg") == "0.36 mg/kg (weight 78 kg)"
    person.click("Second dose time now")
    assert person.find("Second dose time recorded", QCheckBox).isChecked()
    assert shows_now(person, "Second dose time")
    second = given + timedelta(minutes=10)
    type_moment(person, "Second dose time", second)
    save(person)
    stored = kept(qtbot, services, sid, lambda r: r.second_given_at == second)
    assert stored.second_dose_mg == 28
    text = person.export_session_record(pdf)
    assert f"2nd {fmt.day(second.date())} {second:%H:%M}" in text

    person.click("Second dose time recorded")
    person.click("Clear Second dose")
    assert label_text(person, "Second dose per kg") == "—"
    save(person)
    stored = kept(
        qtbot, services, sid, lambda r: (r.second_dose_mg, r.second_given_at) == (None, None)
    )
    assert stored.dose_mg == 56, "the first dose stays"


def readings_after_the_dose(
    person: Person, services: Services, qtbot: QtBot, sid: uuid.UUID, given: datetime
) -> None:
    """One typed at the time it was taken; one at "Now", a duplicate, removed again."""
    taken = given + timedelta(minutes=15)
    type_moment(person, "Reading time", taken)
    person.choose("Sedation", sedation(4))
    add_reading(person, qtbot, ("142", "90", "84", "97"), rows=2)
    reading = kept(qtbot, services, sid, lambda r: len(r.readings) == 2).readings[-1]
    assert reading.taken_at == taken and reading.minutes == 15 and reading.sedation == 4
    table = person.find("Vitals readings", QTableWidget)
    assert cell(table, 1, 1) == "15 min"

    before = datetime.now().astimezone()
    type_time(person, "Reading time", given)
    person.click("Reading time now")
    add_reading(person, qtbot, ("140", "88", "80", "97"), rows=3)
    now_reading = kept(qtbot, services, sid, lambda r: len(r.readings) == 3).readings[-1]
    assert now_reading.taken_at >= before, "Now took the clock's time, not the typed one"

    select_row(person, table, 2)
    person.click("Remove reading", then=lambda box: yes(person))
    kept(qtbot, services, sid, lambda r: [x.id for x in r.readings][-1] == reading.id)
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=3_000)


def observations(person: Person, services: Services, qtbot: QtBot, sid: uuid.UUID) -> None:
    """A total typed on the wrong scale is saved, then cleared: "not recorded", never 0."""
    scale = next(s for s in m.DISSOCIATION_SCALES if s.key == "cadss")
    person.choose("Dissociation scale", f"{scale.short} — {scale.name}")
    person.type("Dissociation total", "30")
    save(person)
    kept(qtbot, services, sid, lambda r: r.dissociation_total == 30)
    person.click("Clear Dissociation total")
    assert person.find("Dissociation total", QAbstractSpinBox).text() == "not recorded"
    person.type("Client's state", "Quiet, eyes closed; said the room was 'far away'")
    person.type("Session notes", "Agitated at 20 min, settled with reassurance")
    person.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = services.medicine.get(sid)
    assert stored is not None, "Ctrl+S saves at once"
    assert (stored.dissociation_scale, stored.dissociation_total) == ("cadss", None)
    assert stored.client_state == "Quiet, eyes closed; said the room was 'far away'"
    assert stored.notes == "Agitated at 20 min, settled with reassurance"


def adverse_event(
    person: Person, services: Services, qtbot: QtBot, sid: uuid.UUID, given: datetime
) -> datetime:
    """Kind, description, time and date, severity, action, medication and outcome."""
    at = given + timedelta(minutes=20)
    person.choose("Adverse event kind", "Agitation")
    person.type("Adverse event description", "Pulled at the eye mask")
    person.click("Adverse event time now")
    assert shows_now(person, "Adverse event time")
    type_moment(person, "Adverse event time", at)
    person.choose("Severity", m.SEVERITY_LABELS["moderate"])
    person.type("Action taken", "Reassurance; music lowered")
    person.type("Medication given", "Midazolam 1 mg")
    person.choose("Outcome", m.OUTCOME_LABELS["improving"])
    person.click("Add adverse event")
    event = kept(qtbot, services, sid, lambda r: len(r.events) == 1).events[0]
    assert (event.kind, event.severity, event.outcome) == ("agitation", "moderate", "improving")
    assert event.description == "Pulled at the eye mask" and event.occurred_at == at
    assert (event.action, event.medication_given) == (
        "Reassurance; music lowered",
        "Midazolam 1 mg",
    )
    table = person.find("Adverse events", QTableWidget)
    row = [cell(table, 0, c) for c in range(table.columnCount())]
    assert row[1] == "Agitation: Pulled at the eye mask" and row[2] == "Moderate"
    assert row[4] == m.OUTCOME_LABELS["improving"]
    assert person.find("Adverse event description", QLineEdit).text() == "", "ready for the next"
    return at


def discharge(
    person: Person, services: Services, qtbot: QtBot, sid: uuid.UUID, given: datetime
) -> datetime:
    """A discharge dated the day before the dose is refused; the right day, with the reason
    an early discharge needs, is kept."""
    person.click("Alert and oriented")
    person.click("Vital signs back in range")
    person.click("Escort present")
    person.click("Discharge time recorded")
    person.click("Discharge time now")
    assert shows_now(person, "Discharge time")
    at = minute(datetime.now())
    type_moment(person, "Discharge time", at, day=at.date() - timedelta(days=1))
    save(person)
    assert "before the dose was given" in label_text(person, "Time of discharge error")
    record = services.medicine.get(sid)
    assert record is not None and record.discharged_at is None
    type_day(person, "Discharge time date", at.date())
    save(person)
    assert "not ready for discharge" in label_text(person, "Reason to discharge early error")
    person.type("Early discharge reason", "Escort stepped out for the car; prescriber agreed")
    save(person)
    stored = kept(qtbot, services, sid, lambda r: r.discharged_at is not None)
    assert stored.discharged_at == at
    assert stored.early_discharge_reason.startswith("Escort stepped out")
    checks = (stored.discharge_alert, stored.discharge_vitals_in_range)
    assert checks == (True, True) and stored.discharge_escort_present
    return at


def test_a_monitored_ketamine_session_in_full(
    qtbot: QtBot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    sid = open_new_medicine_session(person, services)
    baseline = hold_level_baseline(person, services, qtbot, sid)
    prescriber_reviews_the_hold(person, services, qtbot, sid)
    the_dose(person, services, qtbot, sid)
    given = the_time_given(person, services, qtbot, sid, baseline)
    second_dose_given_then_taken_back(
        person, services, qtbot, sid, given, tmp_path / "second-dose.pdf"
    )
    readings_after_the_dose(person, services, qtbot, sid, given)
    observations(person, services, qtbot, sid)
    event_at = adverse_event(person, services, qtbot, sid, given)
    discharged = discharge(person, services, qtbot, sid, given)
    assert label_text(person, "Save status").startswith("Saved")

    text = person.export_session_record(tmp_path / "alex-esketamine.pdf")
    assert f"1st {fmt.day(given.date())} {given:%H:%M} Esketamine Nasal spray device" in text
    assert "Intranasal 56 mg 0.72 ES-3301" in text
    assert f"Pre-dose hold reviewed {PRESCRIBER}," in text
    assert "White-coat pattern; repeat 30 min after dose" in text
    assert "2nd" not in text, "the second dose taken back does not print"
    assert "184/112" in text and "142/90" in text and "140/88" not in text
    assert "CADSS: not recorded" in text
    assert "said the room was 'far away'" in text and "settled with reassurance" in text
    assert f"{event_at:%H:%M} Agitation Pulled at the eye mask" in text
    assert "Moderate (action or medication needed) Reassurance; music lowered" in text
    assert "Midazolam 1 mg Improving at discharge" in text
    assert f"Discharged at {fmt.moment(discharged)}" in text
    assert "Escort stepped out for the car" in text


# -- the screening ---------------------------------------------------------------------------


def screening_window(person: Person) -> QWidget:
    person.click("Screening")
    return person.find("Screening state", QLabel).window()


def closed(qtbot: QtBot, dialog: QWidget) -> None:
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3_000)


def child_dialog(qtbot: QtBot, parent: QWidget) -> QDialog:
    """The dialog a press in the screening opened over it."""
    qtbot.waitUntil(
        lambda: (w := QApplication.activeModalWidget()) is not None and w is not parent,
        timeout=3_000,
    )
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog)
    return dialog


def type_every_note(person: Person, suffix: str = "") -> None:
    for item in m.CONTRAINDICATIONS:
        person.click(f"{item.label}: no")
        person.type(f"{item.label} note", NOTES[item.key] + suffix)


def consent_chosen_from_the_calendar(person: Person, qtbot: QtBot) -> None:
    """The expired consent emptied, the calendar opened (at today), today taken with Enter."""
    person.click("Clear Consent date")
    assert person.find("Consent date", QLineEdit).text() == ""
    person.click("Consent date calendar")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=3_000)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=3_000)


def test_screening_notes_and_the_prescriber_dialogs(
    qtbot: QtBot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Noor")
    noor = services.clients.find("Noor")[0]
    before = services.screening.get(noor.id)
    today = services.screening.today()

    dialog = screening_window(person)
    type_every_note(person, ", never saved")
    person.type("Weight in kg", "70", replace=True)
    person.click("Fasting")
    person.click("Ride home")
    person.type("Consent date", written_day(today - timedelta(days=3)), replace=True)
    person.click("Consent given today")
    person.click("Cancel", within=dialog)
    closed(qtbot, dialog)
    after = services.screening.get(noor.id)
    assert [a.note for a in after.answers] == [a.note for a in before.answers]
    assert (after.weight_kg, after.consent_date) == (64, before.consent_date)
    assert after.fasting_acknowledged and after.ride_home_arranged
    assert after.updated_at == before.updated_at

    dialog = screening_window(person)
    type_every_note(person)
    person.type("Weight in kg", "64.5", replace=True)
    person.type("Baseline systolic", "184", replace=True)
    person.type("Baseline diastolic", "110", replace=True)
    person.type("Current medications", "; ondansetron as needed")
    consent_chosen_from_the_calendar(person, qtbot)
    person.type("Consent version", "KAP consent v3.0", replace=True)
    person.click("Save", within=dialog)
    closed(qtbot, dialog)
    record = services.screening.get(noor.id)
    for item in m.CONTRAINDICATIONS:
        assert record.answer(item.key).note == NOTES[item.key], item.label
    kept_values = (record.weight_kg, record.baseline_systolic, record.baseline_diastolic)
    assert kept_values == (64.5, 184, 110)
    assert record.medications.endswith("; ondansetron as needed")
    assert (record.consent_date, record.consent_version) == (today, "KAP consent v3.0")
    assert record.state.needs_review

    person.click(badge_name(services, noor.id), QAbstractButton)
    dialog = person.find("Screening state", QLabel).window()
    for item in m.CONTRAINDICATIONS:
        assert person.find(f"{item.label} note", QLineEdit).text() == NOTES[item.key]
    prescriber_dialogs_cancelled(person, services, qtbot, dialog, noor.id)
    for medication in (CLONAZEPAM, "Lamotrigine"):
        acknowledge(person, qtbot, dialog, medication)
        acks = services.screening.get(noor.id).acknowledged
        assert acks[medication][0] == PRESCRIBER
        shown = label_text(person, f"{medication} acknowledgement")
        assert shown.startswith(f"✓ {medication}: acknowledged by {PRESCRIBER}")
    override_recorded_then_withdrawn(person, services, qtbot, dialog, noor.id)
    review = "Repeat BP 150/90 by GP; interactions acceptable at this dose"
    person.click("Record review")
    child_dialog(qtbot, dialog)
    assert person.find("Prescriber", QLineEdit).text() == services.vault.actor
    person.type("Prescriber", PRESCRIBER, replace=True)
    person.type("Review reason", review)
    person.click("Record review", within=QApplication.activeModalWidget())
    qtbot.waitUntil(lambda: services.screening.get(noor.id).state.cleared, timeout=3_000)
    record = services.screening.get(noor.id)
    assert (record.review_by, record.review_reason) == (PRESCRIBER, review)
    assert label_text(person, "Last review").startswith(f"Last review: {PRESCRIBER}")
    person.click("Cancel", within=dialog)
    closed(qtbot, dialog)

    text = person.export_client_chart(tmp_path / "noor-chart.pdf")
    for item in m.CONTRAINDICATIONS:
        assert NOTES[item.key] in text, f"the note on {item.label} prints"
    assert f"{CLONAZEPAM}: acknowledged by {PRESCRIBER}" in text
    assert f"Lamotrigine: acknowledged by {PRESCRIBER}" in text
    assert f"Prescriber review {review} by {PRESCRIBER}," in text
    assert f"{fmt.day(today)}, version KAP consent v3.0" in text
    assert "never saved" not in text and "cancelled before saving" not in text
    assert "Override" not in text and "Not this time" not in text, "withdrawn, not printed"


def written_day(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), date_format())


def badge_name(services: Services, client_id: uuid.UUID) -> str:
    """What the overview's badge says (and a screen reader reads) for this screening."""
    return badge_text(services.screening.get(client_id))[0]


def acknowledge(person: Person, qtbot: QtBot, screening: QWidget, medication: str) -> None:
    person.click(f"Acknowledge {medication}")
    dialog = child_dialog(qtbot, screening)
    person.type("Prescriber", PRESCRIBER, replace=True)
    person.click("Acknowledge", within=dialog)
    closed(qtbot, dialog)


def override_recorded_then_withdrawn(
    person: Person, services: Services, qtbot: QtBot, screening: QWidget, client_id: uuid.UUID
) -> None:
    """Opioids unsure, so blocked: an override cancelled, then recorded (the screening is
    saved first), withdrawn once the answer is known."""
    opioids = next(i for i in m.CONTRAINDICATIONS if i.key == "opioids")
    person.click(f"{opioids.label}: unknown")
    person.click("Record override")
    dialog = child_dialog(qtbot, screening)
    person.type("Override reason", "Not this time")
    person.click("Cancel")
    closed(qtbot, dialog)
    assert not services.screening.get(client_id).override_reason, "Cancel records nothing"
    person.click("Record override")
    dialog = child_dialog(qtbot, screening)
    person.type("Override reason", "Prescriber away; phone review later today")
    person.click("Record override", within=dialog)
    closed(qtbot, dialog)
    record = services.screening.get(client_id)
    assert record.override_reason == "Prescriber away; phone review later today"
    assert record.override_by == services.vault.actor
    assert label_text(person, "Override").startswith(f"Overridden by {services.vault.actor}")
    person.click("Withdraw override")
    qtbot.waitUntil(lambda: not services.screening.get(client_id).override_reason)
    assert label_text(person, "Override").startswith("No override.")
    person.click(f"{opioids.label}: no")


def prescriber_dialogs_cancelled(
    person: Person, services: Services, qtbot: QtBot, screening: QWidget, client_id: uuid.UUID
) -> None:
    """Acknowledge and Record review, each filled in and cancelled; Record override, with
    nothing on the checklist blocking, says there is nothing to override."""
    before = services.screening.get(client_id)
    person.click(f"Acknowledge {CLONAZEPAM}")
    ack = child_dialog(qtbot, screening)
    person.type("Prescriber", "Dr Someone Else", replace=True)
    person.click("Cancel")
    closed(qtbot, ack)
    person.click("Record review")
    review = child_dialog(qtbot, screening)
    person.type("Review reason", "Baseline repeated; cancelled before saving")
    person.click("Cancel")
    closed(qtbot, review)
    person.click("Record override")
    person.expect("there is nothing to override")
    person.shot(screening, "screening-nothing-to-override")

    after = services.screening.get(client_id)
    assert after.acknowledged == before.acknowledged == {}
    assert (after.review_by, after.review_at, after.review_reason) == ("", None, "")
    assert (after.override_reason, after.override_by) == ("", "")
    ack_line = label_text(person, f"{CLONAZEPAM} acknowledgement")
    assert ack_line == f"⚠ {CLONAZEPAM}: not acknowledged"
    assert label_text(person, "Last review") == "No review recorded."
    assert label_text(person, "Override").startswith("No override.")


# -- measures in the session -----------------------------------------------------------------


def answer(person: Person, measure: measures_.Measure, values: tuple[int, ...]) -> None:
    for item, value in zip(measure.items, values, strict=True):
        person.click(f"Item {item.number}: {measure.item_options(item)[value].label}")


def risk_prompt(qtbot: QtBot) -> QDialog:
    qtbot.waitUntil(lambda: person_modal_named("Risk prompt"), timeout=3_000)
    prompt = QApplication.activeModalWidget()
    assert isinstance(prompt, QDialog)
    return prompt


def person_modal_named(name: str) -> bool:
    modal = QApplication.activeModalWidget()
    return modal is not None and modal.isVisible() and modal.accessibleName() == name


def test_a_risk_assessment_with_who_and_when_and_a_voided_measure(
    qtbot: QtBot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Zo")
    zoe = services.clients.find("Zo")[0]
    before = len(services.measures.list_for_client(zoe.id))
    person.new_session()
    person.tab("Measures")
    phq9 = measures_.MEASURES["phq9"]
    person.choose("Measure", phq9.name)
    person.choose("Entered by", "Clinician")
    answer(person, phq9, (2, 1, 2, 1, 1, 2, 1, 1, 1))
    person.click("Save measure")
    prompt = risk_prompt(qtbot)
    person.type("Risk assessment", "Passive thoughts, no plan or intent; safety plan reviewed")
    person.click("Later")
    closed(qtbot, prompt)
    flagged = services.measures.list_for_client(zoe.id)[-1]
    assert flagged.risk_open and not flagged.risk

    person.pick("Measure history", "PHQ-9")
    person.click("Address risk")
    prompt = risk_prompt(qtbot)
    draft = person.find("Risk assessment", QPlainTextEdit).toPlainText()
    assert draft.endswith("safety plan reviewed"), "what was typed before Later is kept"
    person.type("Assessed by", PRESCRIBER, replace=True)
    at = minute(datetime.now())
    type_moment(person, "Assessed at", at, day=at.date() + timedelta(days=1))
    person.click("Record risk assessment")
    assert "Cannot be in the future" in label_text(person, "Assessed at error")
    assert not services.measures.get(flagged.id).risk, "nothing is recorded on a refusal"
    type_day(person, "Assessed at date", at.date())
    person.click("Record risk assessment")
    closed(qtbot, prompt)
    risk = services.measures.get(flagged.id).risk
    assert len(risk) == 1 and (risk[0].assessed_by, risk[0].assessed_at) == (PRESCRIBER, at)
    person.expect(f"Risk assessment by {PRESCRIBER}")

    gad7 = measures_.MEASURES["gad7"]
    person.choose("Measure", gad7.name)
    person.choose("Entered by", "Client, on this screen")
    person.click("Show to client")
    questionnaire = person.find("Client questionnaire", QWidget)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is questionnaire, timeout=3_000)
    answer(person, gad7, (1, 1, 1, 1, 1, 1, 1))
    person.click("Done, hand back", within=questionnaire)
    closed(qtbot, questionnaire)
    taken = before + 2
    qtbot.waitUntil(lambda: len(services.measures.list_for_client(zoe.id)) == taken)
    wrong = services.measures.list_for_client(zoe.id)[-1]
    assert wrong.measure_key == "gad7" and wrong.total == 7

    person.pick("Measure history", "GAD-7")
    person.click("Void measure", then=void_with(person, "Answered for last month by mistake"))
    voided = services.measures.get(wrong.id)
    assert voided.voided and voided.void_reason == "Answered for last month by mistake"
    history = person.find("Measure history", QListWidget)
    rows = [history.item(i).text() for i in range(history.count())]
    assert any("GAD-7" in row and "VOIDED" in row for row in rows)
    assert not person.find("Void measure", QAbstractButton, enabled=False).isEnabled()

    text = person.export_session_record(tmp_path / "zoe-measures.pdf")
    assert "Measures this session" in text and "PHQ-9" in text and "GAD-7" not in text
    recorded = f"(recorded by {services.vault.actor})"
    assert f"Risk assessment by {PRESCRIBER}, {fmt.moment(at)} {recorded}: Passive" in text


def void_with(person: Person, reason: str) -> Callable[[QWidget], None]:
    """The Void dialog: the reason typed where the keyboard is, then OK."""

    def act(dialog: QWidget) -> None:
        focus = QApplication.focusWidget()
        assert isinstance(focus, QLineEdit) and dialog.isAncestorOf(focus)
        person.keys(reason)
        person.click("OK")

    return act
