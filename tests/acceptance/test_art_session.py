"""An ART session from framing the scene to the summary, with an eye-movement set between."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QListWidget

from tests.acceptance.person import Person
from ui.controller import AppController


def test_art_from_step_one_to_the_summary(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Noor")
    client = services.clients.find("Noor")[0]

    person.new_session("ART")
    person.tab("ART")
    session = services.sessions.list_for_client(client.id)[0]
    assert (
        person.find("Session heading", QLabel).text().startswith("Noor Haddad “نور” (demo) — ART")
    )
    assert person.sees("\u2068نور\u2069 (demo) · "), (
        "the tab shows the right-to-left name isolated from the date, and the demo mark"
    )

    person.type("Scene title", "The waiting room")
    person.type("SUD before (0–10)", "7")
    person.click("Save step and continue")
    qtbot.waitUntil(lambda: person.find("ART message", QLabel).text() == "Step 1 saved.")
    person.type("Body sensations (where, how strong)", "Tight chest, 6 out of 10")
    person.click("Start an ART eye-movement set")
    preset = person.find("Preset", QComboBox)
    assert preset.currentText().startswith("ART"), "the set button hands over with the ART preset"
    person.click("Start or pause set")
    status = person.find("Set status", QLabel)
    qtbot.waitUntil(lambda: "Running" in status.text(), timeout=5_000)
    person.click("Stop set")
    qtbot.waitUntil(lambda: bool(services.bls_sets.list_for_session(session.id)), timeout=3_000)
    assert services.bls_sets.list_for_session(session.id)[-1].protocol == "art"

    person.tab("ART")
    summary = person.find("ART summary", QLabel)
    qtbot.waitUntil(lambda: "1 set(s)" in summary.text(), timeout=3_000)
    person.click("Save step and continue")
    person.type("First pass: what was noticed after each set", "The room got quieter")
    person.click("Save step and continue")
    person.type("Second pass", "Could look at the door")
    person.click("Save step and continue")
    person.type("Replacement images, in the client's words", "A garden through the window")
    person.click("Save step and continue")
    person.type("Final scene check", "Calm")
    person.type("Body scan", "Clear")
    person.type("SUD after (0–10)", "2")
    person.click("Save step and continue")
    qtbot.waitUntil(lambda: "SUD 7 → 2" in summary.text(), timeout=3_000)
    person.type("Matching scene", "The garden at her grandmother's")
    person.type("Positive future scene", "Waiting calmly at the next appointment")
    person.click("Save step and continue")
    person.click("Previous step")
    assert person.find("Final scene check").toPlainText() == "Calm", "Back shows the step as saved"  # type: ignore[attr-defined]
    assert "A garden through the window" in summary.text()
    person.shot(console.main_window, "art-summary")  # type: ignore[arg-type]
    stored = services.art.get(session.id)
    assert stored is not None and stored.sud_before == 7 and stored.sud_after == 2
    assert services.art.summary(session.id).sets_used == 1

    stored = services.art.get(session.id)
    assert stored is not None and stored.matching_scene == "The garden at her grandmother's"
    assert stored.future_scene == "Waiting calmly at the next appointment"

    text = person.export_session_record(tmp_path / "noor-art.pdf")
    assert "The waiting room" in text and "A garden through the window" in text
    assert "The garden at her grandmother's" in text and "Tight chest" in text

    steps = person.find("ART steps", QListWidget)
    while steps.currentRow() > 0:
        person.click("Previous step")
    person.click("The client keeps the content private (title only)")
    person.click("Save step and continue")
    qtbot.waitUntil(lambda: services.art.get(session.id).scene_private, timeout=3_000)  # type: ignore[union-attr]
    text = person.export_session_record(tmp_path / "noor-art-private.pdf")
    assert "The waiting room (private)" in text
    assert "Tight chest" not in text and "grandmother" not in text, "private content stays out"
