"""A new client screened and consented, a medicine session dosed, monitored and discharged."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from console.clinical import medicine as m
from tests.acceptance.person import Person
from ui.controller import AppController


def test_screening_to_a_discharged_medicine_session(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path
) -> None:
    services = console.services
    assert services is not None

    def new_client(dialog: QWidget) -> None:
        person.type("Client name", "Rafael Moreno")
        person.click("Save")

    person.menu("File", "New client…", then=new_client)
    qtbot.waitUntil(lambda: person.find("Client name heading", QLabel).text() == "Rafael Moreno")
    client = services.clients.find("Rafael Moreno")[0]

    person.click("Screening")
    person.find("Screening state", QLabel)  # the screening window is showing
    for item in m.CONTRAINDICATIONS:
        person.click(f"{item.label}: no")
    person.type("Weight in kg", "72")
    person.type("Baseline systolic", "124")
    person.type("Baseline diastolic", "80")
    person.click("Consent given today")
    person.click("Fasting")
    person.click("Ride home")
    screening_window = person.find("Screening state", QLabel).window()
    person.shot(screening_window, "screening-cleared")
    person.click("Save", within=screening_window)
    qtbot.waitUntil(lambda: person.sees("Screening: Cleared ✓"), timeout=3_000)

    person.new_session("Medicine session")
    person.tab("Medicine")
    session = services.sessions.list_for_client(client.id)[0]

    person.type("Systolic", "126")
    person.type("Diastolic", "82")
    person.type("Heart rate", "70")
    person.type("SpO2", "98")
    person.click("Baseline reading")
    person.click("Add reading")
    readings = person.find("Vitals readings")
    qtbot.waitUntil(lambda: readings.rowCount() == 1, timeout=3_000)  # type: ignore[attr-defined]

    person.type("Dose", "100", replace=True)
    person.type("Lot number", "LOT-77")
    person.type("Given by", "Dr Maya Chen")
    person.type("Monitored by", "Sam Ortiz RN")
    person.click("Time given now")
    person.click("Save medicine session")
    status = person.find("Save status", QLabel, within=readings.window())
    qtbot.waitUntil(lambda: status.text().startswith("Saved"), timeout=5_000)
    stored = services.medicine.get(session.id)
    assert stored is not None and stored.dose.dose_mg == 100 and stored.mg_per_kg == 1.39

    person.type("Systolic", "132")
    person.type("Diastolic", "84")
    person.type("Heart rate", "76")
    person.type("SpO2", "97")
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: readings.rowCount() == 2, timeout=3_000)  # type: ignore[attr-defined]

    person.click("Alert and oriented")
    person.click("Vital signs back in range")
    person.click("Escort present")
    person.click("Discharge time now")
    person.click("Save medicine session")
    readiness = person.find("Discharge readiness", QLabel)
    assert readiness.text().startswith("Not ready"), "the observation time has not passed"
    person.type("Early discharge reason", "Escort must leave; prescriber reviewed at 40 min")
    person.click("Save medicine session")
    qtbot.waitUntil(
        lambda: (
            (r := services.medicine.get(session.id)) is not None and r.discharged_at is not None
        ),
        timeout=5_000,
    )
    person.shot(console.main_window, "medicine-discharged")  # type: ignore[arg-type]
    text = person.export_session_record(tmp_path / "rafael-medicine.pdf")
    assert "LOT-77" in text and "Discharged before ready" in text
    assert "Escort must leave" in text
