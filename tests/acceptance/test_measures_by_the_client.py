"""A GAD-7 handed to the client on the screen, answered by them, handed back and scored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel

from tests.acceptance.person import Person
from ui.controller import AppController

# The client's answers, item by item (0–3): a total of 11, "moderate".
ANSWERS = (
    "Several days",
    "More than half the days",
    "Nearly every day",
    "Several days",
    "Not at all",
    "More than half the days",
    "More than half the days",
)


def test_a_measure_answered_by_the_client_on_screen(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Zo")
    client = services.clients.find("Zo")[0]
    before = len(services.measures.list_for_client(client.id))

    person.new_session()
    person.tab("Measures")
    person.choose("Measure", "GAD-7")
    person.choose("Entered by", "Client, on this screen")
    person.click("Show to client")
    questionnaire = person.find("Client questionnaire")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is questionnaire, timeout=3_000)
    for number, answer in enumerate(ANSWERS, start=1):
        person.click(f"Item {number}: {answer}", within=questionnaire)
    shown = " ".join(questionnaire.visible_text())  # type: ignore[attr-defined]
    assert "11" not in shown and "moderate" not in shown.lower(), "the client sees no score"
    person.shot(questionnaire, "measure-client-view")
    person.click("Done, hand back", within=questionnaire)
    qtbot.waitUntil(lambda: not questionnaire.isVisible(), timeout=3_000)

    qtbot.waitUntil(lambda: len(services.measures.list_for_client(client.id)) == before + 1)
    record = services.measures.list_for_client(client.id)[-1]
    assert record.total == 11 and record.entered_by == "client"
    score = person.find("Score", QLabel)
    assert "11" in score.text() and "moderate" in score.text().lower()
    text = person.export_session_record(tmp_path / "zoe-measures.pdf")
    assert "Measures this session" in text and "GAD-7" in text
    assert "entered by the client, on screen" in text and " 11 moderate complete" in text
    person.tab("Overview")
    qtbot.waitUntil(lambda: "GAD-7" in person.find("Latest measures", QLabel).text())
    person.shot(console.main_window, "measure-on-overview")  # type: ignore[arg-type]
